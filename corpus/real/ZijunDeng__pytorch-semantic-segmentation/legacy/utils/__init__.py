from .misc import *
from .joint_transforms import *
from .transforms import *
