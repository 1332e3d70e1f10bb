from torchcv.loss.ssd_loss import SSDLoss
from torchcv.loss.focal_loss import FocalLoss
