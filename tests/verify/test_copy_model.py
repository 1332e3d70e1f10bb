"""Copies of a model after its forward pass (the checkpoint and GPU checks make them)."""

from __future__ import annotations

import copy
import threading

import pytest
import torch
from torch import nn

from torchup.verify.worker import copy_model


class CachesAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.attn = None

    def forward(self, x):
        self.attn = self.fc(x).softmax(-1)  # a non-leaf tensor kept on the module
        return self.attn


class HoldsALock(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.lock = threading.Lock()  # deepcopy cannot copy a lock


SPEC = {"model": "test_copy_model:HoldsALock", "args": [], "kwargs": {}, "seed": 0}


def test_a_cached_non_leaf_tensor_is_copied_detached():
    model = CachesAttention()
    model(torch.ones(2, 3))
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(model)  # what verify used to do
    copied = copy_model(model, {})
    assert not copied.attn.requires_grad and copied.attn is not model.attn
    torch.testing.assert_close(copied.attn, model.attn.detach())
    assert copied.fc.weight is not model.fc.weight


def test_a_model_deepcopy_refuses_is_rebuilt_and_given_the_state_dict():
    model = HoldsALock()
    with torch.no_grad():
        model.fc.weight.fill_(3.0)
    copied = copy_model(model, SPEC)
    assert isinstance(copied, HoldsALock) and copied is not model
    torch.testing.assert_close(copied.fc.weight, torch.full((2, 2), 3.0))


class GrowsABufferInForward(HoldsALock):
    def forward(self, x):
        self.register_buffer("seen", x.detach().clone())  # a state the constructor does not make
        return self.fc(x)


def test_a_rebuilt_copy_must_hold_the_whole_state_not_drop_what_it_lacks():
    model = GrowsABufferInForward()
    model(torch.ones(1, 2))
    spec = {**SPEC, "model": "test_copy_model:GrowsABufferInForward"}
    # a copy without `seen` would compute something else than the model it stands for
    with pytest.raises(RuntimeError, match='Unexpected key.*"seen"'):
        copy_model(model, spec)


def test_a_rebuilt_copy_keeps_the_training_mode():
    model = HoldsALock()
    model.train()
    assert copy_model(model, SPEC).training
    model.eval()
    assert not copy_model(model, SPEC).training
