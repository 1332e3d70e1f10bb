from .forget_mult import ForgetMult
from .qrnn import QRNN, QRNNLayer
