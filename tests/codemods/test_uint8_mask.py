import pytest
from codemod_harness import dedent, run, unchanged

from torchup.codemods.uint8_mask import Uint8Mask


def lines_reported(source):
    result = unchanged(Uint8Mask, source)
    assert {finding.code for finding in result.findings} <= {"TU406"}
    assert not any(finding.fix_available for finding in result.findings)
    return [finding.line for finding in result.findings]


def test_masks_built_with_byte_are_reported_where_used():
    source = """
        import torch
        def loss_fn(loss, target, scores):
            mask = (target > 0).byte()
            kept = loss[mask]
            scores = scores.masked_fill(mask, -1e9)
            picked = torch.masked_select(loss, mask)
            both = torch.where(mask, loss, scores)
            return kept, scores, picked, both
        """
    assert lines_reported(source) == [4, 5, 6, 7]


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("(t > 0).byte()", id="byte"),
        pytest.param("torch.ByteTensor([1, 0])", id="byte-tensor"),
        pytest.param("t.type(torch.ByteTensor)", id="type"),
        pytest.param("t.type('torch.cuda.ByteTensor')", id="type-string"),
        pytest.param("t.to(torch.uint8)", id="to"),
        pytest.param("torch.zeros(3, dtype=torch.uint8)", id="factory-dtype"),
    ],
)
def test_uint8_origins(expression):
    assert lines_reported(f"import torch\ny = x[{expression}]\n") == [2]


def test_reassigned_to_bool_is_not_reported():
    source = """
        import torch
        def f(x, t):
            mask = t.byte()
            count = mask.sum()
            mask = t > 0
            return x[mask], x.masked_fill_(mask, 0)
        """
    assert lines_reported(source) == []


def test_scope_is_the_function():
    source = """
        import torch
        def build(t):
            mask = t.byte()
            return mask
        def use(x, mask):
            return x[mask]
        """
    assert lines_reported(source) == []


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\ny = x[x > 0]\n", id="bool-comparison"),
        pytest.param("import torch\ny = x[idx]\n", id="unknown-index"),
        pytest.param("import torch\nb = t.byte()\nn = b.sum()\n", id="byte-not-used-as-mask"),
        pytest.param("import torch\ny = x[t.bool()]\n", id="bool"),
    ],
)
def test_not_reported(source):
    assert lines_reported(source) == []


def test_mask_reused_on_its_own_line_is_read_before_reassignment():
    source = dedent("""
        import torch
        mask = t.byte()
        mask = values[mask]
        """)
    assert lines_reported(source) == [3]


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        '"""Sizes in bytes; ``uint8`` inputs saturate."""\nn = x.element_size() * x.numel()\n',
        'data = bytearray(8)\ny = x[x > 0]\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not Uint8Mask.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'mask = x.byte()\ny = z[mask]\n',
        'from torch import uint8 as u8\nmask = x.type(u8)\ny = z[mask]\n',
        'import torch as T\ny = z.masked_fill(x.to(T.uint8), 0)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert Uint8Mask.may_apply(source)
    assert run(Uint8Mask, source, unsafe=True).records  # and the codemod acts on it
