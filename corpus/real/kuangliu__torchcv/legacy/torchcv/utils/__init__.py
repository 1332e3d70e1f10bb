from torchcv.utils.box import box_iou
from torchcv.utils.box import box_nms
from torchcv.utils.box import box_clamp
from torchcv.utils.box import box_select
from torchcv.utils.box import change_box_order

from torchcv.utils.meshgrid import meshgrid
from torchcv.utils.one_hot_embedding import one_hot_embedding
