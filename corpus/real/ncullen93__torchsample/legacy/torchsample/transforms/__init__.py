
from __future__ import absolute_import

from .affine_transforms import *
from .image_transforms import *
from .tensor_transforms import *