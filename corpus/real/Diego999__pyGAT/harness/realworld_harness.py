"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
import torch


def make_inputs():
    features = torch.randn(6, 8)
    adjacency = (torch.rand(6, 6) > 0.5).float() + torch.eye(6)
    return features, adjacency
