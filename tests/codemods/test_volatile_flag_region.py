"""TU102 never moves a ``volatile=flag`` region above the statement that computes the flag."""

from __future__ import annotations

import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.volatile import Volatile

GROWS_PAST_THE_FLAG = """
    import torch
    from torch.autograd import Variable

    def decode(model, x, n):
        while n:
            greedy = n < 2
            out = model(x)
            x = Variable(out.data, volatile=greedy)
            n -= 1
        return 0
    """

GROWS_WITH_THE_FLAG_SET_BEFORE = """
    import torch
    from torch.autograd import Variable

    def decode(model, x, n, greedy):
        while n:
            out = model(x)
            x = Variable(out.data, volatile=greedy)
            n -= 1
        return 0
    """


@pytest.mark.parametrize(
    "source, line",
    [
        pytest.param(GROWS_PAST_THE_FLAG, 8, id="assigned-inside"),
        pytest.param(GROWS_WITH_THE_FLAG_SET_BEFORE, 7, id="a-parameter"),
    ],
)
def test_a_flag_region_that_must_grow_to_the_loop_is_reported_even_with_unsafe_fixes(source, line):
    # `with torch.set_grad_enabled(not greedy):` around the loop would read `greedy` before the
    # loop body assigns it (NameError), or once for every iteration instead of per iteration.
    result = unchanged(Volatile, source, unsafe=True)
    [finding] = result.findings
    assert "the flag would have to be computed before the enclosing statement" in finding.message
    assert finding.line == line


def test_a_flag_region_that_needs_no_growing_is_rewritten():
    rewrite(
        Volatile,
        """
        import torch
        from torch.autograd import Variable

        def decode(model, x, n):
            while n:
                greedy = n < 2
                x = Variable(x, volatile=greedy)
                out = model(x)
                n -= 1
            return 0
        """,
        """
        import torch

        def decode(model, x, n):
            while n:
                greedy = n < 2
                with torch.set_grad_enabled(not greedy):
                    out = model(x)
                n -= 1
            return 0
        """,
    )


def test_the_no_grad_region_of_volatile_true_may_grow():
    applied = run(Volatile, GROWS_PAST_THE_FLAG.replace("volatile=greedy", "volatile=True"), unsafe=True)
    assert "    with torch.no_grad():\n        while n:\n" in applied.code
