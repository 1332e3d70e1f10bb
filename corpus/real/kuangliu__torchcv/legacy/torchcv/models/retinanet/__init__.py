from torchcv.models.retinanet.fpn import FPN50
from torchcv.models.retinanet.box_coder import BoxCoder
from torchcv.models.retinanet.retinanet import RetinaNet
