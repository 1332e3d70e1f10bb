"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
from types import SimpleNamespace

import torch

from model import DQN


def make_dqn():
    args = SimpleNamespace(atoms=11, history_length=4, hidden_size=16, noisy_std=0.1)
    return DQN(args, action_space=3)


def make_inputs():
    return (torch.rand(2, 4, 84, 84),)
