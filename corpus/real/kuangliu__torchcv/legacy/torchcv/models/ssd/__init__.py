from torchcv.models.ssd.net import SSD300, SSD512
from torchcv.models.ssd.box_coder import SSDBoxCoder
