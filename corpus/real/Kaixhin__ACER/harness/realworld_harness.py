"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
from types import SimpleNamespace

import torch

from model import ActorCritic


def make_actor_critic():
    return ActorCritic(SimpleNamespace(shape=(4,)), SimpleNamespace(n=2), hidden_size=8)


def make_inputs():
    return torch.randn(3, 4), (torch.zeros(3, 8), torch.zeros(3, 8))
