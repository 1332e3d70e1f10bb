"""Defaults PyTorch changed since 0.3, restored on the OLD side only.

The verifier's question is "does the migrated model on today's torch compute what the legacy model
computed when it was written (and trained)?". Where torch silently changed a behaviour, running the
legacy source on today's torch answers a different question. The changes a codemod acts on:

- up to 0.3, ``F.upsample(..., mode="bilinear")`` (and the other linear modes) aligned corners;
  since 0.4 the default is ``align_corners=False``. TU403 writes ``align_corners=True``.
- up to 1.2, ``F.grid_sample`` and ``F.affine_grid`` aligned corners; since 1.3 the default is
  ``align_corners=False``. TU403 writes ``align_corners=True``.
- up to 0.3, ``Variable(x, volatile=True)`` switched autograd off for everything computed from
  it; since 0.4 the flag is ignored, so legacy code run today backpropagates through values its
  author had cut off (a DQN's target). TU102 puts that code under ``torch.no_grad()``.

The old side gets the 0.3 behaviour back, so a migration is compared like with like.
"""

from __future__ import annotations

import functools
import sys

import torch
import torch.nn.functional as F

_LINEAR_MODES = ("linear", "bilinear", "bicubic", "trilinear")


def install() -> None:
    _install_upsample()
    _install_grid_sampling()
    _install_volatile()


def _install_upsample() -> None:
    upsample = F.upsample

    @functools.wraps(upsample)
    def upsample_as_in_0_3(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
        if align_corners is None and mode in _LINEAR_MODES:
            align_corners = True
        return upsample(input, size, scale_factor, mode, align_corners)

    F.upsample = upsample_as_in_0_3


def _install_grid_sampling() -> None:
    grid_sample, affine_grid = F.grid_sample, F.affine_grid

    @functools.wraps(grid_sample)
    def grid_sample_as_before_1_3(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
        return grid_sample(input, grid, mode, padding_mode, True if align_corners is None else align_corners)

    @functools.wraps(affine_grid)
    def affine_grid_as_before_1_3(theta, size, align_corners=None):
        return affine_grid(theta, size, True if align_corners is None else align_corners)

    F.grid_sample, F.affine_grid = grid_sample_as_before_1_3, affine_grid_as_before_1_3


class VolatileTensor(torch.Tensor):
    """A 0.3 volatile Variable: every op that reads it runs without autograd, and what it
    computes is volatile too (the contagion 0.3 had)."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        with torch.no_grad():
            return super().__torch_function__(func, types, args, kwargs or {})

    @property
    def volatile(self) -> bool:
        return True

    @volatile.setter
    def volatile(self, value: bool) -> None:
        if not value:  # 0.3's `x.volatile = False`: x is an ordinary Variable again
            self.__class__ = torch.Tensor

    def __deepcopy__(self, memo):
        # torch's default needs new_empty() to keep the subclass; copy the plain tensor instead.
        copied = self.as_subclass(torch.Tensor).__deepcopy__(memo).as_subclass(VolatileTensor)
        memo[id(self)] = copied
        return copied

    def __reduce_ex__(self, protocol):
        # Saved (a state snapshot, an output) as the plain tensor it is: the new side and
        # `weights_only` loading know no VolatileTensor.
        return self.as_subclass(torch.Tensor).__reduce_ex__(protocol)


def _install_volatile() -> None:
    module = sys.modules["torch.autograd.variable"]
    original = module.Variable

    class Variable(original):  # VariableMeta: isinstance(t, Variable) still means "is a tensor"
        def __new__(cls, data=None, requires_grad=False, volatile=False, *args, **kwargs):
            made = original(data, requires_grad, *args, **kwargs)
            return made.as_subclass(VolatileTensor) if volatile else made

    Variable.__name__ = Variable.__qualname__ = "Variable"
    module.Variable = torch.autograd.Variable = Variable
