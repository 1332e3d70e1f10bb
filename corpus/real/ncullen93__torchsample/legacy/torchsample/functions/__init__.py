
from .affine import *