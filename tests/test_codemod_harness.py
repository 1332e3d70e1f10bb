"""The codemod tests' harness: a look-alike test reaches the codemod even where the prefilter
would have rejected the file."""

from __future__ import annotations

import pytest
from codemod_harness import unchanged

from torchup.codemods.variable import UnwrapVariable

LEGACY = "from torch.autograd import Variable\ny = Variable(x)\n"


def test_a_prefilter_that_rejects_what_its_codemod_edits_fails_the_look_alike_check(monkeypatch):
    # As if TU101's prefilter had a bug: the file is skipped in a run, so `unchanged` would pass on
    # the run alone; past the prefilter the codemod edits it, and the check says so.
    monkeypatch.setattr(UnwrapVariable, "may_apply", classmethod(lambda cls, text: False))
    with pytest.raises(AssertionError, match="the prefilter rejects this text, but the codemod edits it"):
        unchanged(UnwrapVariable, LEGACY)
    assert not UnwrapVariable.may_apply(LEGACY)  # the test's own stand-in is back in place


def test_a_look_alike_the_prefilter_rejects_passes_when_the_codemod_leaves_it_too():
    from torchup.pipeline import applicable

    source = "s = 'Variable(x)'  # Variable(x)\n"
    assert not applicable([UnwrapVariable], source)  # so the codemod runs past its prefilter
    unchanged(UnwrapVariable, source)
