import pytest
from codemod_harness import dedent, rewrite, run, unchanged

from torchup.codemod import Safety
from torchup.codemods.uint8_mask import Uint8Mask


def lines_reported(source):
    result = unchanged(Uint8Mask, source)
    assert {finding.code for finding in result.findings} <= {"TU406"}
    assert not any(finding.fix_available for finding in result.findings)
    return [finding.line for finding in result.findings]


def test_masks_built_with_byte_and_used_only_as_masks_become_bool():
    before = """
        import torch
        def loss_fn(loss, target, scores):
            mask = (target > 0).byte()
            kept = loss[mask]
            scores = scores.masked_fill(mask, -1e9)
            picked = torch.masked_select(loss, mask)
            both = torch.where(mask, loss, scores)
            return kept, scores, picked, both
        """
    after = before.replace("(target > 0).byte()", "target > 0")
    result = rewrite(Uint8Mask, before, after, unsafe=True)
    [edit] = result.edits
    assert (edit.line, edit.safety) == (3, Safety.UNSAFE)  # masked_fill raised on torch 2.x: now it runs
    assert "now runs where it raised" in edit.message
    assert not result.findings


def test_without_unsafe_fixes_the_conversion_is_offered_once_where_it_is_built():
    source = """
        import torch
        def f(x, t):
            mask = t.byte()
            return x.masked_fill(mask, 0), x[mask]
        """
    result = unchanged(Uint8Mask, source, unsafe=False)
    [finding] = result.findings
    assert (finding.line, finding.fix_available) == (3, True)
    assert "`.byte()` -> `.bool()`" in finding.message


def test_a_mask_only_used_for_indexing_is_a_safe_edit():
    result = rewrite(
        Uint8Mask,
        "import torch\ndef f(x, t):\n    keep = t.ne(0).byte()\n    return x[keep], x[keep] * 2\n",
        "import torch\ndef f(x, t):\n    keep = t.ne(0).bool()\n    return x[keep], x[keep] * 2\n",
    )
    assert [edit.safety for edit in result.edits] == [Safety.SAFE]


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("torch.where((t > 0).byte(), x, y)", "torch.where(t > 0, x, y)", id="in-place"),
        pytest.param("torch.where(m, x, y)", "torch.where(m, x, y)", id="through-a-name"),
    ],
)
def test_a_mask_only_given_to_where_is_a_safe_edit(before, after):
    # Three-argument torch.where deprecates a uint8 condition but still runs it (unlike
    # masked_fill): the same values either way, so the edit needs no --unsafe-fixes.
    prefix = "import torch\ndef f(t, x, y):\n    m = t.byte()\n    return "
    converted = prefix.replace("t.byte()", "t.bool()") if "m" in before else prefix
    result = rewrite(Uint8Mask, prefix + before + "\n", converted + after + "\n")
    assert [edit.safety for edit in result.edits] == [Safety.SAFE]
    assert "now runs where it raised" not in result.edits[0].message


@pytest.mark.parametrize(
    "expression, converted",
    [
        pytest.param("(t > 0).byte()", "t > 0", id="byte-after-comparison"),
        pytest.param("t.byte()", "t.bool()", id="byte"),
        pytest.param("t.type(torch.ByteTensor)", "t.bool()", id="type"),
        pytest.param("t.type('torch.cuda.ByteTensor')", "t.bool()", id="type-string"),
        pytest.param("t.to(torch.uint8)", "t.bool()", id="to"),
    ],
)
def test_conversions_written_in_a_mask_position_become_bool(expression, converted):
    rewrite(Uint8Mask, f"import torch\ny = x[{expression}]\n", f"import torch\ny = x[{converted}]\n")


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("torch.ByteTensor([1, 0])", id="byte-tensor"),
        pytest.param("torch.zeros(3, dtype=torch.uint8)", id="factory-dtype"),
    ],
)
def test_uint8_factories_are_reported(expression):
    assert lines_reported(f"import torch\ny = x[{expression}]\n") == [2]


@pytest.mark.parametrize(
    "use",
    [
        pytest.param("n = mask.sum()", id="summed"),
        pytest.param("return mask", id="returned"),
        pytest.param("self.mask = mask", id="stored"),
        pytest.param("other = mask * 2", id="arithmetic"),
        pytest.param("g(mask)", id="passed-on"),
    ],
)
def test_a_uint8_tensor_also_used_as_numbers_is_reported_not_converted(use):
    source = f"""
        import torch
        def f(self, x, t):
            mask = (t > 0).byte()
            y = x.masked_fill(mask, 0)
            {use}
        """
    assert lines_reported(source) == [4]


@pytest.mark.parametrize(
    "conversion",
    [
        pytest.param("t.byte()", id="byte"),
        pytest.param("t.type(torch.ByteTensor)", id="type"),
        pytest.param("t.type(torch.cuda.ByteTensor)", id="cuda-type"),
        pytest.param("t.type('torch.ByteTensor')", id="type-string"),
        pytest.param("t.type('torch.cuda.ByteTensor')", id="cuda-type-string"),
        pytest.param("t.to(torch.uint8)", id="to"),
    ],
)
def test_every_uint8_conversion_kept_in_a_name_and_used_as_numbers_is_reported(conversion):
    source = f"""
        import torch
        def f(x, t):
            mask = {conversion}
            n = mask.sum()
            return x[mask], n
        """
    assert lines_reported(source) == [5]  # the use as a mask


def test_one_argument_where_accepts_uint8_and_is_not_reported():
    assert lines_reported("import torch\ndef f(t):\n    m = t.byte()\n    return torch.where(m)\n") == []


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
        total = mask + 1
        """)
    assert lines_reported(source) == [3]


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        '"""Sizes in bytes; ``uint8`` inputs saturate."""\nn = x.element_size() * x.numel()\n',
        "data = bytearray(8)\ny = x[x > 0]\n",
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not Uint8Mask.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        "mask = x.byte()\ny = z[mask]\n",
        "from torch import uint8 as u8\nmask = x.type(u8)\ny = z[mask]\n",
        "import torch as T\ny = z.masked_fill(x.to(T.uint8), 0)\n",
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert Uint8Mask.may_apply(source)
    assert run(Uint8Mask, source, unsafe=True).records  # and the codemod acts on it


def test_a_mask_reshaped_in_its_mask_position_is_still_only_a_mask():
    before = """
        import torch
        def f(scores, tokens):
            pad = (tokens == 0).byte()
            return scores.masked_fill(pad.unsqueeze(2), -1e4), scores[pad.view(-1)]
        """
    rewrite(Uint8Mask, before, before.replace("(tokens == 0).byte()", "tokens == 0"), unsafe=True)
    inline = "import torch\ny = x[(t > 0).byte().unsqueeze(1)]\n"
    rewrite(Uint8Mask, inline, "import torch\ny = x[(t > 0).unsqueeze(1)]\n")
    # as a call's mask too: the comparison keeps its parentheses before `.unsqueeze`, and loses
    # them where it is the argument itself
    called = "import torch\ny = x.masked_fill((t > 0).byte().unsqueeze(1), 0)\nz = x.masked_fill((t > 0).byte(), 0)\n"
    rewrite(
        Uint8Mask,
        called,
        "import torch\ny = x.masked_fill((t > 0).unsqueeze(1), 0)\nz = x.masked_fill(t > 0, 0)\n",
        unsafe=True,
    )
