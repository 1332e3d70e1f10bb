from .atari_wrapper import  *
from .policy import *
from .replay import *
from .task import *
from .random_process import *
from .bench import *