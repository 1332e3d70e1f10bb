"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
import os
import sys

import torch

# The repository's modules import each other as top-level modules (``from layers import ...``).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pygcn"))


def make_gcn():
    from models import GCN

    return GCN(nfeat=8, nhid=4, nclass=3, dropout=0.5)


def make_inputs():
    features = torch.randn(6, 8)
    adjacency = ((torch.rand(6, 6) > 0.5).float() + torch.eye(6)).to_sparse()
    return features, adjacency
