import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.legacy_type_check import LegacyTypeCheck


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "import torch\nif type(x) == torch.DoubleTensor:\n    x = x.float()\n",
            "import torch\nif isinstance(x, torch.DoubleTensor):\n    x = x.float()\n",
            id="equal",
        ),
        pytest.param(
            "import torch\nok = type(x) != torch.cuda.FloatTensor\n",
            "import torch\nok = not isinstance(x, torch.cuda.FloatTensor)\n",
            id="not-equal-cuda",
        ),
        pytest.param(
            "import torch as th\nok = type(x) is th.LongTensor\n",
            "import torch as th\nok = isinstance(x, th.LongTensor)\n",
            id="is-alias",
        ),
        pytest.param(
            "import torch\nif type(x) is not torch.cuda.LongTensor:\n    x = x.cuda()\n",
            "import torch\nif not isinstance(x, torch.cuda.LongTensor):\n    x = x.cuda()\n",
            id="is-not",
        ),
        pytest.param(
            "import torch\nok = type(x) in (torch.FloatTensor, torch.DoubleTensor)\n",
            "import torch\nok = isinstance(x, (torch.FloatTensor, torch.DoubleTensor))\n",
            id="in-tuple",
        ),
        pytest.param(
            "from torch import FloatTensor, DoubleTensor\nok = type(x) not in [FloatTensor, DoubleTensor]\n",
            "from torch import FloatTensor, DoubleTensor\nok = not isinstance(x, (FloatTensor, DoubleTensor))\n",
            id="not-in-list",
        ),
        pytest.param(
            "import torch\nok = (type(x) == torch.ByteTensor) and y\n",
            "import torch\nok = (isinstance(x, torch.ByteTensor)) and y\n",
            id="parenthesised",
        ),
    ],
)
def test_unsafe_rewrites(before, after):
    result = rewrite(LegacyTypeCheck, before, after, unsafe=True)
    assert {edit.code for edit in result.edits} == {"TU422"}
    reported = run(LegacyTypeCheck, before)
    assert reported.code == before and [f.fix_available for f in reported.findings] == [True]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("ok = type(x) == type(y)\n", id="two-types"),
        pytest.param("import numpy as np\nok = type(x) == np.ndarray\n", id="numpy"),
        pytest.param("import torch\nok = type(x) == torch.Tensor\n", id="modern-tensor"),
        pytest.param("import torch\nok = x.type() == 'torch.FloatTensor'\n", id="string-type"),
        pytest.param("import torch\ntype = lambda v: v\nok = type(x) == torch.FloatTensor\n", id="type-rebound"),
        pytest.param("import torch\nok = type(x) in (torch.FloatTensor, int)\n", id="mixed-tuple"),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(LegacyTypeCheck, source)
    assert not result.findings


@pytest.mark.parametrize("legacy_type", ["FloatTensor", "DoubleTensor", "LongTensor", "ByteTensor", "cuda.FloatTensor"])
def test_rewrite_asks_the_0_3_question(legacy_type):
    """`isinstance(x, torch.T)` is True exactly for a tensor of T's dtype on T's device."""
    torch = pytest.importorskip("torch")
    result = run(LegacyTypeCheck, f"import torch\nok = type(x) == torch.{legacy_type}\n", unsafe=True)
    expression = result.code.splitlines()[-1].removeprefix("ok = ")
    expected_dtype = {"Float": torch.float32, "Double": torch.float64, "Long": torch.int64, "Byte": torch.uint8}[
        legacy_type.rsplit(".", 1)[-1].removesuffix("Tensor")
    ]
    for dtype in (torch.float32, torch.float64, torch.int64, torch.uint8, torch.int32):
        x = torch.zeros(2, dtype=dtype)
        assert eval(expression, {"torch": torch, "x": x}) == (dtype == expected_dtype and "cuda" not in legacy_type)
        assert eval(f"type(x) == torch.{legacy_type}", {"torch": torch, "x": x}) is False  # the legacy line now
    assert eval(expression, {"torch": torch, "x": [1.0]}) is False


def test_a_chained_comparison_is_left_whole():
    # `type(x) == torch.FloatTensor == y` has two comparisons: rewriting the first alone would drop `== y`.
    source = "import torch\nok = type(x) == torch.FloatTensor == y\n"
    result = unchanged(LegacyTypeCheck, source)
    assert not result.findings


@pytest.mark.parametrize(
    "comparison, message",
    [
        pytest.param(
            "type(x) == torch.FloatTensor",
            "`type(x) == torch.FloatTensor` is always False since PyTorch 0.4 (every tensor's type is "
            "`torch.Tensor`) -> `isinstance(x, torch.FloatTensor)`, the 0.3 meaning (unsafe fix: use --unsafe-fixes)",
            id="equal",
        ),
        pytest.param(
            "type(x) is not torch.LongTensor",
            "`type(x) is not torch.LongTensor` is always True since PyTorch 0.4 (every tensor's type is "
            "`torch.Tensor`) -> `not isinstance(x, torch.LongTensor)`, the 0.3 meaning (unsafe fix: use --unsafe-fixes)",
            id="is-not",
        ),
    ],
)
def test_the_finding_is_whole(comparison, message):
    source = f"import torch\nok = {comparison}\n"
    result = run(LegacyTypeCheck, source)
    assert result.code == source
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        ("TU422", 2, 5, message, True)
    ]
