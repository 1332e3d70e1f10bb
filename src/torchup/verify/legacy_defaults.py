"""Defaults PyTorch changed since 0.3, restored on the OLD side only.

The verifier's question is "does the migrated model on today's torch compute what the legacy model
computed when it was written (and trained)?". Where torch silently changed a default, running the
legacy source on today's torch answers a different question. The one such change a codemod acts
on: up to 0.3, ``F.upsample(..., mode="bilinear")`` (and the other linear modes) aligned corners;
since 0.4 the default is ``align_corners=False``. TU403 writes ``align_corners=True`` into the
migrated call, so the old side is run with the 0.3 default to compare like with like.
"""

from __future__ import annotations

import functools

import torch.nn.functional as F

_LINEAR_MODES = ("linear", "bilinear", "bicubic", "trilinear")


def install() -> None:
    upsample = F.upsample

    @functools.wraps(upsample)
    def upsample_as_in_0_3(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
        if align_corners is None and mode in _LINEAR_MODES:
            align_corners = True
        return upsample(input, size, scale_factor, mode, align_corners)

    F.upsample = upsample_as_in_0_3
