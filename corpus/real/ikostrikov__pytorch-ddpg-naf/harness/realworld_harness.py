"""Harness for torchup verify (written for corpus/real/, not part of the real files): builds the
models of this repository at toy size and their inputs, in code that runs unchanged on both sides."""
from types import SimpleNamespace

import torch

ACTION_SPACE = SimpleNamespace(shape=(2,))


def make_actor():
    from ddpg import Actor

    return Actor(16, 5, ACTION_SPACE)


def make_critic():
    from ddpg import Critic

    return Critic(16, 5, ACTION_SPACE)


def make_naf_policy():
    from naf import Policy

    return Policy(16, 5, ACTION_SPACE)


def make_states():
    return (torch.randn(4, 5),)


def make_states_and_actions():
    return torch.randn(4, 5), torch.randn(4, 2)


def make_naf_inputs():
    return ((torch.randn(4, 5), torch.randn(4, 2)),)
