from . import cityscapes
from . import voc
