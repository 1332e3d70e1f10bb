import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.integer_division import IntegerDivision

# What shows a file written for torch < 1.0, whose `/` truncated (see the modern-code tests below).
LEGACY = "from torch.autograd import Variable\n"


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "import torch\nhalf = torch.LongTensor([5, 7]) / 2\n",
            'import torch\nhalf = torch.div(torch.LongTensor([5, 7]), 2, rounding_mode="trunc")\n',
            id="legacy-constructor",
        ),
        pytest.param(
            "import torch\nhalf = torch.LongTensor([5, 7]).view(-1) / 2\n",
            'import torch\nhalf = torch.div(torch.LongTensor([5, 7]).view(-1), 2, rounding_mode="trunc")\n',
            id="a-view-keeps-the-dtype",
        ),
        pytest.param(
            "import torch\nq = torch.tensor([5, -7], dtype=torch.long) / 2\n",
            'import torch\nq = torch.div(torch.tensor([5, -7], dtype=torch.long), 2, rounding_mode="trunc")\n',
            id="factory-dtype",
        ),
        pytest.param(
            "import torch\ndef f(x):\n    i = x.long()\n    return i / len(x)\n",
            'import torch\ndef f(x):\n    i = x.long()\n    return torch.div(i, len(x), rounding_mode="trunc")\n',
            id="local-conversion-len",
        ),
        pytest.param(
            "import torch\ndef f(x):\n    i = x.long()\n    return i.view(-1) / 2\n",
            'import torch\ndef f(x):\n    i = x.long()\n    return torch.div(i.view(-1), 2, rounding_mode="trunc")\n',
            id="a-view-of-a-local",
        ),
        pytest.param(
            "import torch\ndef f(x):\n    _, i = torch.randn(3, 4).max(1)\n    return (i + 1) / x.size(1)\n",
            'import torch\ndef f(x):\n    _, i = torch.randn(3, 4).max(1)\n    return torch.div(i + 1, x.size(1), rounding_mode="trunc")\n',
            id="reduction-indices",
        ),
        pytest.param(
            "import torch\ndef f():\n    i = torch.arange(0, 9, dtype=torch.int64)\n    i /= 2\n    return i.div(3)\n",
            'import torch\ndef f():\n    i = torch.arange(0, 9, dtype=torch.int64)\n    i.div_(2, rounding_mode="trunc")\n    return i.div(3, rounding_mode="trunc")\n',
            id="in-place-and-method",
        ),
        pytest.param(
            "import torch\ndef f(n):\n    i = torch.LongTensor([5, 7])\n    k = n.long()\n    i /= k\n    return i / k, i.div(k)\n",
            'import torch\ndef f(n):\n    i = torch.LongTensor([5, 7])\n    k = n.long()\n    i.div_(k, rounding_mode="trunc")\n'
            '    return torch.div(i, k, rounding_mode="trunc"), i.div(k, rounding_mode="trunc")\n',
            id="integer-tensor-divisor",
        ),
        pytest.param(
            "import torch\ndef f(x, d):\n    d['k'], self.n = 1, 2\n    d['j'] = 3\n    i = x.long()\n    return i / 2\n",
            'import torch\ndef f(x, d):\n    d[\'k\'], self.n = 1, 2\n    d[\'j\'] = 3\n    i = x.long()\n    return torch.div(i, 2, rounding_mode="trunc")\n',
            id="beside-subscript-and-attribute-targets",
        ),
        # `i.div_(2)` on a long tensor raises now, as `i /= 2` does.
        pytest.param(
            "import torch\ndef f():\n    i = torch.LongTensor([5, 7])\n    i.div_(2)\n    return i\n",
            'import torch\ndef f():\n    i = torch.LongTensor([5, 7])\n    i.div_(2, rounding_mode="trunc")\n    return i\n',
            id="in-place-method",
        ),
        pytest.param(
            "import torch\ndef f(x):\n    i = x.type(torch.LongTensor)\n    return i / 2\n",
            'import torch\ndef f(x):\n    i = x.type(torch.LongTensor)\n    return torch.div(i, 2, rounding_mode="trunc")\n',
            id="type-conversion",
        ),
        # 0.3 code divided the tensor of a Variable: `.data` keeps the dtype.
        pytest.param(
            "import torch\nidx = torch.LongTensor([5, 7])\nhalf = idx.data / 2\n",
            'import torch\nidx = torch.LongTensor([5, 7])\nhalf = torch.div(idx.data, 2, rounding_mode="trunc")\n',
            id="through-data",
        ),
        pytest.param(
            "from torch import LongTensor\nq = LongTensor([5]) / 2\n",
            'from torch import LongTensor\nimport torch\n\nq = torch.div(LongTensor([5]), 2, rounding_mode="trunc")\n',
            id="torch-import-added",
        ),
        # torch.max(x, dim) returns (values, indices): [1] is the long indices
        pytest.param(
            "import torch\nq = torch.max(x, 1)[1] / 2\n",
            'import torch\nq = torch.div(torch.max(x, 1)[1], 2, rounding_mode="trunc")\n',
            id="function-index-reduction-with-dim",
        ),
        pytest.param(
            "import torch\ndef f(x, idx):\n    return idx.long() / x.size()[1]\n",
            'import torch\ndef f(x, idx):\n    return torch.div(idx.long(), x.size()[1], rounding_mode="trunc")\n',
            id="indexed-size-divisor",
        ),
        pytest.param(
            "import torch\ndef f(x):\n    return x.to(dtype=torch.long) / 2\n",
            'import torch\ndef f(x):\n    return torch.div(x.to(dtype=torch.long), 2, rounding_mode="trunc")\n',
            id="to-dtype-keyword",
        ),
    ]
    + [
        # What keeps an integer tensor an integer tensor, and the integer divisors the source shows.
        pytest.param(
            f"import torch\ndef f(x, k):\n    idx = torch.LongTensor([[5, 7]])\n    return {written} / {divisor}\n",
            f'import torch\ndef f(x, k):\n    idx = torch.LongTensor([[5, 7]])\n    return torch.div({dividend}, {divisor}, rounding_mode="trunc")\n',
            id=f"{written} / {divisor}",
        )
        for written, dividend, divisor in [
            ("idx[0]", "idx[0]", "2"),
            ("idx[0, 1]", "idx[0, 1]", "2"),
            ("(idx % 3)", "idx % 3", "2"),
            ("(idx - 1)", "idx - 1", "2"),
            ("(2 * idx)", "2 * idx", "3"),
            ("(idx // 2)", "idx // 2", "3"),
            ("-idx", "-idx", "2"),
            ("idx", "idx", "int(k)"),
            ("idx", "idx", "len(x)"),
            ("idx", "idx", "x.shape[0]"),
            ("idx", "idx", "x.numel()"),
            ("idx", "idx", "-2"),
        ]
    ],
)
def test_unsafe_rewrites(before, after):
    before, after = LEGACY + before, LEGACY + after
    result = rewrite(IntegerDivision, before, after, unsafe=True)
    assert {edit.code for edit in result.edits} == {"TU421"}
    without = run(IntegerDivision, before)
    assert without.code.replace("from torch import LongTensor\n", "") == before.replace("from torch import LongTensor\n", "")
    assert all(finding.fix_available for finding in without.findings)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\ny = torch.randn(3) / 2\n", id="float-tensor"),
        pytest.param("import torch\ny = torch.LongTensor([5]).float() / 2\n", id="converted-to-float"),
        pytest.param("import torch\ny = torch.LongTensor([5]) // 2\n", id="floor-division"),
        pytest.param("def f(x):\n    return x / 2\n", id="unknown"),
        pytest.param("n = len(xs) / 2\n", id="python-ints"),
        pytest.param("n = (len(xs) + 1) / 2\n", id="sum-of-python-ints"),
        pytest.param("def f(x):\n    return (x.size(0) * 3 - 1) / 2\n", id="arithmetic-on-sizes"),
        pytest.param("def f(k):\n    return -int(k) / 2\n", id="negated-python-int"),
        pytest.param(
            'import torch\ny = torch.div(torch.LongTensor([5]), 2, rounding_mode="trunc")\n', id="already-migrated"
        ),
        pytest.param('path = "data/train"\n', id="string"),
        # torch.max(x) without a dim is one value: [1] indexes the values, floating here
        pytest.param("import torch\ny = torch.max(torch.randn(3, 4))[1] / 2\n", id="function-reduction-without-dim"),
        pytest.param("import torch\ny = torch.randint(0, 5, (3,), dtype=torch.float) / 2\n", id="randint-made-float"),
        # only `[1]` picks a reduction's indices: `[0]` is its values, another index is unknown
        pytest.param("import torch\ny = torch.max(torch.randn(3, 4), 1)[0] / 2\n", id="reduction-values"),
        pytest.param("import torch\ny = torch.max(torch.randn(3, 4), 1)[pick()] / 2\n", id="reduction-indexed-by-a-call"),
        # rebound by an unpacking torchup does not follow: no longer the integer tensor it held
        pytest.param(
            "import torch\ndef f(batch):\n    i = torch.LongTensor([5, 7])\n    i, *rest = batch\n    return i / 2\n",
            id="rebound-by-a-starred-unpacking",
        ),
        pytest.param(
            "import torch\ndef f(batch):\n    i = torch.LongTensor([5, 7])\n    i, j, k = batch\n    return i / 2\n",
            id="rebound-by-a-three-name-unpacking",
        ),
    ],
)
def test_lookalikes_unchanged(source):
    # In a legacy file, where a division of an integer tensor would be rewritten.
    result = unchanged(IntegerDivision, LEGACY + source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, fragment",
    [
        pytest.param("import torch\ndef f(n):\n    return torch.LongTensor([5]) / n\n", "if `n` is an integer", id="unknown-divisor"),
        pytest.param("import torch\ny = torch.LongTensor([5]) / 2.5\n", "if `2.5` is an integer", id="float-divisor"),
        pytest.param(
            "def f(scores, k, n):\n    _, best = scores.topk(k)\n    return best / n\n",
            "may be an integer tensor",
            id="indices-of-unknown-receiver",
        ),
        pytest.param("import torch\ny = 3 / torch.LongTensor([2])\n", "divisor", id="integer-divisor-tensor"),
        pytest.param(
            "from torch import LongTensor\nfrom mylib import torch\nhalf = LongTensor([5, 7]) / 2\n",
            "`torch` cannot be spelled here",
            id="torch-names-another-module",  # an added `import torch` would shadow the file's own
        ),
    ],
)
def test_findings(source, fragment):
    result = unchanged(IntegerDivision, LEGACY + source)
    [finding] = result.findings
    assert finding.code == "TU421" and not finding.fix_available
    assert fragment in finding.message


def test_a_parameter_made_an_integer_on_one_branch_only_is_reported_not_rewritten():
    # `n` may still be the caller's float tensor at the division: truncating it would be wrong,
    # and saying nothing would hide the truncation 0.3 did when `flag` was set.
    source = "import torch\ndef f(n, flag):\n    if flag:\n        n = n.long()\n    return n / 2\n"
    [finding] = unchanged(IntegerDivision, LEGACY + source).findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU421", 6, False)
    assert "`n` may be an integer tensor (a parameter made one on some path)" in finding.message
    # A parameter never converted says nothing: `x / n` of floats is the common case.
    assert not unchanged(IntegerDivision, LEGACY + "def g(x, n):\n    return x / n\n").findings
    # The same conversion of a local, assigned on every path, makes it an integer tensor.
    local = "import torch\ndef f(x):\n    n = x.long()\n    return n / 2\n"
    assert 'torch.div(n, 2, rounding_mode="trunc")' in run(IntegerDivision, LEGACY + local, unsafe=True).code


def _truncated(values, divisor):
    """0.3's integer division: C's, towards zero."""
    return [abs(v) // abs(divisor) * (1 if (v >= 0) == (divisor > 0) else -1) for v in values]


@pytest.mark.parametrize("divisor", [2, 3, -2, 7])
@pytest.mark.parametrize("legacy_type", ["LongTensor", "IntTensor", "ShortTensor"])
def test_rewrite_keeps_the_legacy_truncation(legacy_type, divisor):
    torch = pytest.importorskip("torch")
    values = [5, 7, -5, -7, 0, 13, -1]
    source = f"import torch\nfrom torch.autograd import Variable\nq = torch.{legacy_type}({values}) / {divisor}\n"
    result = run(IntegerDivision, source, unsafe=True)
    assert result.edits
    expression = result.code.splitlines()[-1].removeprefix("q = ")
    new = eval(expression, {"torch": torch})
    old_type = getattr(torch, legacy_type)([0]).dtype
    assert new.dtype == old_type
    assert new.tolist() == _truncated(values, divisor)
    unmigrated = eval(source.splitlines()[-1].removeprefix("q = "), {"torch": torch})
    assert unmigrated.is_floating_point()  # what torch 2.13 does with the legacy line


def test_in_place_rewrite_runs_and_truncates():
    torch = pytest.importorskip("torch")
    source = "import torch\ndef f():\n    i = torch.tensor([5, -7], dtype=torch.long)\n    i /= 2\n    return i\n"
    with pytest.raises(RuntimeError):
        exec(source + "f()\n", {})
    result = run(IntegerDivision, source, unsafe=True)
    namespace: dict = {}
    exec(result.code, namespace)
    out = namespace["f"]()
    assert out.dtype == torch.long and out.tolist() == [2, -3]


@pytest.mark.parametrize(
    "source", ["y = x / 2\n", "scale = 1 / math.sqrt(d)\n", 'path = "a/b"\nn = len(xs) // 2\n', "i = x.long()\n"]
)
def test_prefilter_rejects_files_without_integer_tensors_or_division(source):
    assert not IntegerDivision.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        "q = torch.LongTensor([5]) / 2\n",
        "_, best = s.topk(k)\nb = best / n\n",
        "i = x.long()\ni /= 2\n",
        "q = torch.tensor([5], dtype=torch.int64).div(2)\n",
        "q = x.max(1)[1] / 2\n",
    ],
)
def test_prefilter_accepts_integer_divisions(source):
    assert IntegerDivision.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        # transformers 5.25's rotary embeddings and codecs (make modern): written for torch >= 1.6,
        # they mean the true division they get
        pytest.param(
            "import torch\ndef rope(dim):\n    return 1.0 / (10000 ** (torch.arange(0, dim, 2, dtype=torch.int64) / dim))\n",
            id="rotary-embedding",
        ),
        pytest.param(
            "import torch\ndef f(levels):\n    i = torch.arange(levels, dtype=torch.long)\n    return i.div(levels)\n",
            id="method",
        ),
        pytest.param("import torch\ny = torch.tensor([5], dtype=torch.long) / 2  # Variable is gone\n", id="comment-only-mentions"),
    ],
)
def test_modern_files_mean_true_division(source):
    result = unchanged(IntegerDivision, source, unsafe=True)
    assert not result.findings


def test_the_era_is_read_from_the_file_as_read():
    # TU101 unwraps the Variable that shows the era in the first pass; TU421 runs in a later one.
    from torchup import registry
    from torchup.pipeline import migrate_source
    from torchup.records import Settings

    source = "import torch\nfrom torch.autograd import Variable\ni = Variable(torch.arange(0, 9, dtype=torch.long))\nq = i / 2\n"
    migration = migrate_source(source, list(registry.all_codemods().values()), Settings(unsafe_fixes=True))
    assert "Variable" not in migration.code
    assert 'q = torch.div(i, 2, rounding_mode="trunc")' in migration.code


@pytest.mark.parametrize(
    "made",
    ["torch.randint(0, 5, (3,))", "torch.randperm(4)", "torch.argmax(x)", "torch.argmin(x, 1)",
     "torch.argsort(x)", "torch.nonzero(x)", "torch.randn(3, 4).argmax(1)", "torch.randn(3).nonzero()"],
)
def test_what_integer_functions_make_is_an_integer_tensor(made):
    source = LEGACY + f"import torch\ndef f(x):\n    i = {made}\n    return i / 2\n"
    rewrite(IntegerDivision, source, source.replace("i / 2", 'torch.div(i, 2, rounding_mode="trunc")'), unsafe=True)


@pytest.mark.parametrize(
    "made",
    ["torch.tensor([5, 7], dtype=torch.long)", "torch.as_tensor([5], dtype=torch.long)", "torch.zeros(3, dtype=torch.long)",
     "torch.ones(3, dtype=torch.long)", "torch.full((3,), 5, dtype=torch.long)", "torch.empty(3, dtype=torch.long)",
     "torch.arange(9, dtype=torch.long)", "torch.zeros_like(x, dtype=torch.long)", "torch.ones_like(x, dtype=torch.long)",
     "torch.full_like(x, 5, dtype=torch.long)", "torch.empty_like(x, dtype=torch.long)",
     "torch.randint(0, 5, (3,), dtype=torch.long)"],
)
def test_what_every_factory_makes_with_an_integer_dtype_is_an_integer_tensor(made):
    source = LEGACY + f"import torch\ndef f(x):\n    i = {made}\n    return i / 2\n"
    rewrite(IntegerDivision, source, source.replace("i / 2", 'torch.div(i, 2, rounding_mode="trunc")'), unsafe=True)


def test_only_methods_that_count_make_an_int_divisor():
    # `y.numel()` is an int: the division truncates; `y.mean()` takes no argument either but is a
    # float tensor: reported, not rewritten
    source = LEGACY + "import torch\ndef f(x, y):\n    i = x.long()\n    return i / y.mean(), i / y.numel()\n"
    result = run(IntegerDivision, source, unsafe=True)
    assert 'return i / y.mean(), torch.div(i, y.numel(), rounding_mode="trunc")\n' in result.code
    assert [(f.code, "`i / y.mean()`" in f.message) for f in result.findings] == [("TU421", True)]


def test_a_semicolon_and_an_out_keyword_are_kept():
    # `i /= 2 ;n = 1` stays two statements, its semicolon as written; `out=` is no `rounding_mode=`:
    # the call is still rewritten.
    before = LEGACY + "import torch\ndef f(buf):\n    i = torch.arange(0, 9, dtype=torch.int64)\n    i /= 2 ;n = 1\n    return torch.div(i, 2, out=buf)\n"
    after = LEGACY + (
        "import torch\ndef f(buf):\n    i = torch.arange(0, 9, dtype=torch.int64)\n"
        '    i.div_(2, rounding_mode="trunc") ;n = 1\n    return torch.div(i, 2, out=buf, rounding_mode="trunc")\n'
    )
    result = rewrite(IntegerDivision, before, after, unsafe=True)
    why = "integer tensor division truncated up to PyTorch 1.5 and is true (float) division now"
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU421", 5, 4, f'`i /= ...` on an integer tensor raises now; {why}: `i.div_(2, rounding_mode="trunc")`'),
        ("TU421", 6, 11, f'`torch.div(i, 2, out=buf)` -> `torch.div(i, 2, out=buf, rounding_mode="trunc")`: {why}'),
    ]


def test_a_divisor_that_may_be_a_float_is_reported_not_truncated():
    source = LEGACY + "import torch\ndef f(scale):\n    i = torch.arange(0, 9, dtype=torch.int64)\n    i /= scale\n    return i.div(scale)\n"
    result = unchanged(IntegerDivision, source)
    why = "integer tensor division truncated up to PyTorch 1.5 and is true (float) division now"
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        ("TU421", 5, 4, f"`i /= ...` on an integer tensor raises now; {why}", False),
        ("TU421", 6, 11, f'`i.div(scale)`: {why}; add `rounding_mode="trunc"` if the divisor is an integer', False),
    ]
