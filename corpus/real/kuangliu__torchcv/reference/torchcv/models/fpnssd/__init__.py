from torchcv.models.fpnssd.net import FPNSSD512
from torchcv.models.fpnssd.box_coder import FPNSSDBoxCoder
