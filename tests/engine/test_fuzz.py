"""Property-based tests of the whole pipeline (libcst's own approach: hypothesmith's programs).

* Any valid program: torchup never raises, its output parses, a second pass changes nothing, and
  a file without a legacy marker comes back byte for byte.
* Legacy idioms (Variable, volatile, ``.data[0]``, legacy constructors, ``.cuda()``) spliced into
  generated modules: the output compiles.

``make test`` runs a small, seeded number of examples (``derandomize``: the same every run);
``make fuzz`` sets ``TORCHUP_FUZZ_EXAMPLES`` and runs many, with fresh randomness.
"""

from __future__ import annotations

import ast
import os

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torchup import registry
from torchup.deep_stack import call_with_deep_stack
from torchup.pipeline import Failure, migrate_source
from torchup.records import Settings
from torchup.runner import markers

EXAMPLES = int(os.environ.get("TORCHUP_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 12,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
CODEMODS = [registry.get(code) for code in registry.select_codes((), ())]
MARKERS = markers(CODEMODS)


def _migrate(source: str, unsafe: bool):
    return call_with_deep_stack(migrate_source, source, CODEMODS, Settings(unsafe_fixes=unsafe))


def _compiles(source: str) -> bool:
    try:
        call_with_deep_stack(compile, source, "<fuzz>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _check(source: str, unsafe: bool) -> None:
    result = _migrate(source, unsafe)
    if isinstance(result, Failure):
        # Declining is allowed for input CPython rejects, never a crash on valid code.
        assert result.kind == "parse" and not _compiles(source), result
        return
    assert _compiles(result.code), result.code
    again = _migrate(result.code, unsafe)
    assert not isinstance(again, Failure), again
    assert again.code == result.code, "a second pass changed the output"
    if not any(marker in source for marker in MARKERS):
        assert result.code == source


@FUZZ
@given(source=hypothesmith.from_grammar(), unsafe=st.booleans())
def test_any_valid_program(source, unsafe):
    _check(source, unsafe)


@FUZZ
@given(source=hypothesmith.from_node(), unsafe=st.booleans())
def test_any_libcst_module(source, unsafe):
    _check(source, unsafe)


LEGACY_STATEMENTS = [
    "x = Variable(torch.zeros(3))",
    "x = Variable(torch.zeros(3), requires_grad=True)",
    "x = Variable(torch.zeros(3), volatile=True)\ny = x * 2",
    "loss = (x * 2).sum()\nvalue = loss.data[0]",
    "t = torch.FloatTensor(2, 3)",
    "t = torch.LongTensor([1, 2])",
    "t = torch.zeros(3).cuda()",
    "t = torch.cuda.FloatTensor(2)",
    "y = F.sigmoid(x)",
    "crit = nn.MSELoss(size_average=False)",
]
HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch.autograd import Variable\n"


@st.composite
def legacy_modules(draw):
    """A generated module with legacy statements spliced in between its top-level statements."""
    generated = draw(hypothesmith.from_grammar())
    try:
        body = ast.parse(generated).body
    except (SyntaxError, ValueError, RecursionError):
        body = []
    lines = generated.splitlines(keepends=True)
    # Cut only where a top-level statement starts: the splice keeps the module valid.
    cuts = sorted({statement.lineno - 1 for statement in body if statement.col_offset == 0} | {len(lines)})
    pieces = []
    previous = 0
    for cut in cuts:
        pieces.append("".join(lines[previous:cut]))
        if pieces[-1] and not pieces[-1].endswith("\n"):
            pieces[-1] += "\n"
        previous = cut
        if draw(st.booleans()):
            pieces.append(draw(st.sampled_from(LEGACY_STATEMENTS)) + "\n")
    pieces.append(draw(st.sampled_from(LEGACY_STATEMENTS)) + "\n")
    return HEADER + "".join(pieces)


@FUZZ
@given(source=legacy_modules(), unsafe=st.booleans())
def test_generated_legacy_code_migrates_to_code_that_compiles(source, unsafe):
    if not _compiles(source):
        pytest.skip("the splice made a module CPython rejects")  # pragma: no cover
    result = _migrate(source, unsafe)
    assert not isinstance(result, Failure), result
    assert _compiles(result.code), result.code
    again = _migrate(result.code, unsafe)
    assert not isinstance(again, Failure) and again.code == result.code
