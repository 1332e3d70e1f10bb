# Shared plumbing for every model in the package: device handling, save/load.
import torch
import torch.nn as nn


class BaseModel(nn.Module):
    """All models derive from this one; it only knows how to save and load itself."""

    def __init__(self, use_cuda=True):
        super(BaseModel, self).__init__()
        self.use_cuda = use_cuda

    def save(self, path):
        torch.save(self.state_dict(), path)

    def load(self, path):
        self.load_state_dict(torch.load(path, map_location=lambda storage, loc: storage))
