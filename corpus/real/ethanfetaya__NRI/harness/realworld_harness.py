"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
import torch

ATOMS = 4
EDGES = ATOMS * (ATOMS - 1)


def _relations():
    """One-hot receiver and sender matrices of the fully connected graph, as train.py builds them."""
    pairs = [(i, j) for i in range(ATOMS) for j in range(ATOMS) if i != j]
    receivers = torch.zeros(EDGES, ATOMS)
    senders = torch.zeros(EDGES, ATOMS)
    for edge, (i, j) in enumerate(pairs):
        receivers[edge, i] = 1.0
        senders[edge, j] = 1.0
    return receivers, senders


def make_encoder_inputs():
    receivers, senders = _relations()
    return (torch.randn(2, ATOMS, 5, 4), receivers, senders)


def make_decoder_inputs():
    receivers, senders = _relations()
    relation_types = torch.softmax(torch.randn(2, EDGES, 2), dim=-1)
    return (torch.randn(2, ATOMS, 5, 4), relation_types, receivers, senders)
