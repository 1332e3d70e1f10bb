
from __future__ import absolute_import

from .version import __version__

from .datasets import *
from .samplers import *

#from .callbacks import *
#from .constraints import *
#from .regularizers import *

#from . import functions
#from . import transforms
from . import modules
