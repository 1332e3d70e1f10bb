from torchcv.models.fpnssd.net import FPNSSD512
