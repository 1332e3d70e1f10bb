"""Deep and long expressions: whatever CPython compiles is migrated, not a RecursionError.

A sum of 400 terms used to overflow the traversal (Python's default recursion limit is 1,000 and
libcst recurses several frames per level). Each file now runs on a deep stack
(:mod:`torchup.deep_stack`). libcst's own parser takes time that grows with the square of a
chain's length (about 2 s for 2,000 terms, 13 s for 4,000 on one core), so the 5,000-term cases
run under ``make fuzz`` (``TORCHUP_LONG=1``) and the everyday suite uses shorter ones that are
still several times past the old limit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from torchup import registry
from torchup.deep_stack import RECURSION_LIMIT, call_with_deep_stack
from torchup.parsing import MAX_NESTING
from torchup.records import Settings
from torchup.runner import Job, Status, WriteBack, process_file

LONG = os.environ.get("TORCHUP_LONG") == "1"
SUM_TERMS = 5000 if LONG else 2000
CALL_TERMS = 5000 if LONG else 1000  # libcst parses a sum of calls three times slower than of names
DEPTH = 5000 if LONG else 600
CODES = tuple(registry.select_codes((), ()))
HEADER = "import torch\nfrom torch.autograd import Variable\n"


def _migrate(tmp_path: Path, source: str) -> str:
    path = tmp_path / "deep.py"
    path.write_text(source)
    job = Job(CODES, Settings(unsafe_fixes=True), WriteBack.YES)
    outcome = process_file(str(path), job)
    assert outcome.status is Status.CHANGED, outcome.error
    text = path.read_text()
    call_with_deep_stack(compile, text, str(path), "exec")  # the output is Python
    again = process_file(str(path), job)
    assert again.status in (Status.UNCHANGED, Status.SKIPPED), again  # a second pass changes nothing
    assert path.read_text() == text
    return text


def test_a_long_sum_of_legacy_calls_is_migrated_term_by_term(tmp_path):
    terms = " + ".join(f"Variable(a{i})" for i in range(CALL_TERMS))
    text = _migrate(tmp_path, f"{HEADER}y = {terms}\n")
    assert text == "import torch\ny = " + " + ".join(f"a{i}" for i in range(CALL_TERMS)) + "\n"


def test_a_long_plain_sum_beside_legacy_code_is_kept_as_it_is(tmp_path):
    terms = " + ".join(f"a{i}" for i in range(SUM_TERMS))
    text = _migrate(tmp_path, f"{HEADER}x = Variable(a)\ny = {terms}\n")
    assert text == f"import torch\nx = a\ny = {terms}\n"


@pytest.mark.parametrize(
    "build, expected",
    [
        pytest.param(
            lambda depth: "y = Variable(a)" + ".b" * depth + "\n",
            lambda depth: "y = a" + ".b" * depth + "\n",
            id="attributes",
        ),
        pytest.param(
            lambda depth: "y = Variable(a)" + "[0]" * depth + ".data[0]\n",
            lambda depth: "y = a" + "[0]" * depth + ".item()\n",
            id="subscripts",
        ),
        # CPython's tokenizer allows 200 nested parentheses: the deepest call nesting it compiles.
        pytest.param(
            lambda depth: "y = " + "f(" * 150 + "Variable(a)" + ")" * 150 + "\n",
            lambda depth: "y = " + "f(" * 150 + "a" + ")" * 150 + "\n",
            id="calls",
        ),
    ],
)
def test_deeply_nested_expressions_are_migrated(tmp_path, build, expected):
    text = _migrate(tmp_path, HEADER + build(DEPTH))
    assert text == "import torch\n" + expected(DEPTH)


@pytest.mark.parametrize("depth", [MAX_NESTING + 10])
def test_past_the_nesting_limit_is_reported_not_hours_of_parsing(tmp_path, depth):
    path = tmp_path / "absurd.py"
    source = HEADER + "y = Variable(a)" + "[0]" * depth + "\n"
    path.write_text(source)
    outcome = process_file(str(path), Job(CODES, Settings(), WriteBack.YES))
    assert outcome.status is Status.FAILED and outcome.error_kind == "parse", outcome
    assert "levels deep: torchup parses at most" in outcome.error or "recurs" in outcome.error
    assert path.read_text() == source


def test_the_deep_stack_returns_raises_and_restores_the_limit():
    limit = sys.getrecursionlimit()

    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + depth(n - 1)

    assert call_with_deep_stack(depth, 50_000) == 50_000
    with pytest.raises(RecursionError):
        call_with_deep_stack(depth, RECURSION_LIMIT + 10)
    with pytest.raises(ValueError, match="boom"):
        call_with_deep_stack(int, "boom")
    assert sys.getrecursionlimit() == limit
    with pytest.raises(RecursionError):
        depth(limit + 10)  # outside, the ordinary limit holds


def test_one_deep_stack_thread_serves_every_call_and_a_forked_child_gets_its_own():
    import multiprocessing
    import threading

    first = call_with_deep_stack(threading.get_ident)
    assert call_with_deep_stack(threading.get_ident) == first != threading.get_ident()
    # a worker forked after the thread exists must not wait on its parent's (absent) thread
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply_async(call_with_deep_stack, (sum, [1, 2, 3])).get(timeout=60)
    assert child == 6


def test_the_callers_recursion_limit_is_back_once_a_deep_call_returns_or_raises():
    # An API user's own limit: left raised, a runaway recursion of theirs would exhaust the
    # C stack (a crash) instead of raising RecursionError.
    def fails():
        raise ValueError("in the deep call")

    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(1500)  # the caller's own, whatever earlier deep calls did
    try:
        assert call_with_deep_stack(sys.getrecursionlimit) == RECURSION_LIMIT
        assert sys.getrecursionlimit() == 1500
        with pytest.raises(ValueError, match="in the deep call"):
            call_with_deep_stack(fails)
        assert sys.getrecursionlimit() == 1500
    finally:
        sys.setrecursionlimit(saved)
