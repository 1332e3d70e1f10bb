from .densenet import DenseNet as densenet
from .condensenet import CondenseNet as condensenet
from .condensenet_converted import CondenseNet as condensenet_converted
from .densenet_LGC import DenseNet_LGC as densenet_LGC
