"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
import torch


# The policies pick their head by the class name of a gym space: these stand in for gym's.
class Discrete:
    def __init__(self, n):
        self.n = n


class Box:
    def __init__(self, shape):
        self.shape = shape


def make_mlp_policy():
    from model import MLPPolicy

    return MLPPolicy(5, Discrete(3))


def make_cnn_policy():
    from model import CNNPolicy

    return CNNPolicy(4, Discrete(6), use_gru=True)


def make_diag_gaussian():
    from distributions import DiagGaussian

    return DiagGaussian(8, 2)


def make_mlp_inputs():
    return torch.randn(3, 5), torch.zeros(3, 1), torch.ones(3, 1)


def make_cnn_inputs():
    return torch.rand(2, 4, 84, 84) * 255, torch.zeros(2, 512), torch.ones(2, 1)


def make_features():
    return (torch.randn(3, 8),)
