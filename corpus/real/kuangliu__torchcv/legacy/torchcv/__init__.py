from torchcv import utils
from torchcv import datasets
from torchcv import transforms
from torchcv import visualizations
