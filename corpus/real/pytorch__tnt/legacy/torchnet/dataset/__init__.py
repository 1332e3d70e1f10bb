from .batchdataset import BatchDataset
from .listdataset import ListDataset
from .tensordataset import TensorDataset
from .transformdataset import TransformDataset
from .resampledataset import ResampleDataset
from .shuffledataset import ShuffleDataset
from .concatdataset import ConcatDataset
from .splitdataset import SplitDataset
