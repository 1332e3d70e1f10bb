from torchcv.transforms.resize import resize
from torchcv.transforms.random_flip import random_flip
from torchcv.transforms.random_crop import random_crop
from torchcv.transforms.random_paste import random_paste
from torchcv.transforms.scale_jitter import scale_jitter
from torchcv.transforms.random_distort import random_distort
