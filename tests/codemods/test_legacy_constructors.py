import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.legacy_constructors import LegacyConstructors


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch
            hidden = torch.FloatTensor(2, 3)
            labels = torch.LongTensor([1, 2])
            """,
            """
            import torch
            hidden = torch.empty(2, 3, dtype=torch.float)
            labels = torch.tensor([1, 2], dtype=torch.long)
            """,
            id="issue-examples",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor(2, 3)\n",
            "import torch\nx = torch.empty(2, 3)\n",
            id="tensor-shape-follows-default-dtype",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor((2, 3))\n",
            "import torch\nx = torch.tensor((2.0, 3.0))\n",
            id="tensor-tuple-is-data",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor([[0, -1], [2.5, 1_000]])\n",
            "import torch\nx = torch.tensor([[0.0, -1.0], [2.5, 1_000.0]])\n",
            id="tensor-int-literals-become-floats",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor([0, n])\n",
            "import torch\nx = torch.tensor([0, n], dtype=torch.get_default_dtype())\n",
            id="tensor-non-literal-keeps-the-default-dtype",
        ),
        pytest.param(
            "import torch\nx = torch.LongTensor([1]).to(h.device)\ny = torch.LongTensor([1]).to(dev)\n",
            "import torch\nx = torch.tensor([1], dtype=torch.long, device=h.device)\n"
            "y = torch.tensor([1], dtype=torch.long).to(dev)\n",
            id="device-move-goes-inside-only-when-it-reads-device",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor([0.5, -1.0])\n",
            "import torch\nx = torch.tensor([0.5, -1.0])\n",
            id="tensor-float-data-infers-default-dtype",
        ),
        pytest.param(
            "import torch\nx = torch.FloatTensor()\n",
            "import torch\nx = torch.empty(0, dtype=torch.float)\n",
            id="no-argument-is-empty",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor(10).zero_()\n",
            "import torch\nx = torch.zeros(10)\n",
            id="zero",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor(4).fill_(1)\n",
            "import torch\nx = torch.full((4,), 1.0)\n",
            id="fill-int-keeps-float-dtype",
        ),
        pytest.param(
            "import torch\nx = torch.LongTensor(2, 3).fill_(-1)\n",
            "import torch\nx = torch.full((2, 3), -1, dtype=torch.long)\n",
            id="fill-typed",
        ),
        pytest.param(
            "import torch\nx = torch.ByteTensor(y.size()).zero_()\n",
            "import torch\nx = torch.zeros(y.size(), dtype=torch.uint8)\n",
            id="size-object-is-a-shape",
        ),
        pytest.param(
            "import torch\nx = torch.DoubleTensor(y.size(0), len(z) * 2).normal_()\n",
            "import torch\nx = torch.empty(y.size(0), len(z) * 2, dtype=torch.double).normal_()\n",
            id="int-expressions-and-other-in-place-init-kept",
        ),
        pytest.param(
            "import torch\nx = torch.Tensor(y.shape[0])\n",
            "import torch\nx = torch.empty(y.shape[0])\n",
            id="shape-element-is-an-int",
        ),
        pytest.param(
            "import torch\nimport numpy as np\nx = torch.FloatTensor(np.zeros((2, 2)))\n",
            "import torch\nimport numpy as np\nx = torch.tensor(np.zeros((2, 2)), dtype=torch.float)\n",
            id="fresh-numpy-array",
        ),
        pytest.param(
            "import torch\nx = torch.IntTensor([[1, 2], [3, 4]])  # table\n",
            "import torch\nx = torch.tensor([[1, 2], [3, 4]], dtype=torch.int)  # table\n",
            id="nested-data-comment-kept",
        ),
        pytest.param(
            "import torch as T\nx = T.HalfTensor(3)\n",
            "import torch as T\nx = T.empty(3, dtype=T.half)\n",
            id="aliased-torch",
        ),
        pytest.param(
            "import torch\nfrom torch import LongTensor\nx = LongTensor([3])\n",
            "import torch\nx = torch.tensor([3], dtype=torch.long)\n",
            id="from-import-dropped-when-unused",
        ),
        pytest.param(
            "from torch import FloatTensor as FT\nx = FT(2, 2)\n",
            "import torch\n\nx = torch.empty(2, 2, dtype=torch.float)\n",
            id="torch-import-added",
        ),
        pytest.param(
            """
            import torch
            batch_size = 4
            width = batch_size * 2
            def noise():
                return torch.FloatTensor(batch_size, width).normal_(), torch.Tensor(width)
            """,
            """
            import torch
            batch_size = 4
            width = batch_size * 2
            def noise():
                return torch.empty(batch_size, width, dtype=torch.float).normal_(), torch.empty(width)
            """,
            id="name-bound-only-to-ints-is-a-shape",
        ),
        pytest.param(
            """
            import torch
            mean = []
            for k in range(3):
                mean += [k, k / 2]
            priors = torch.Tensor(mean).view(-1, 2)
            start = torch.LongTensor([0] * 5)
            """,
            """
            import torch
            mean = []
            for k in range(3):
                mean += [k, k / 2]
            priors = torch.tensor(mean, dtype=torch.get_default_dtype()).view(-1, 2)
            start = torch.tensor([0] * 5, dtype=torch.long)
            """,
            id="name-bound-only-to-lists-is-data",
        ),
        pytest.param(
            "import torch\nx = torch.BoolTensor([True, False])\ny = torch.CharTensor(1)\n",
            "import torch\nx = torch.tensor([True, False], dtype=torch.bool)\ny = torch.empty(1, dtype=torch.int8)\n",
            id="bool-and-char",
        ),
        pytest.param(
            "import torch\nscores = torch.FloatTensor(torch.FloatStorage())\nseen = torch.LongTensor(torch.LongStorage())\n",
            "import torch\nscores = torch.empty(0, dtype=torch.float)\nseen = torch.empty(0, dtype=torch.long)\n",
            id="fresh-empty-storage-of-its-own-type-is-an-empty-tensor",
        ),
    ],
)
def test_rewrites(before, after):
    result = rewrite(LegacyConstructors, before, after, unsafe=True)
    assert result.edits and {edit.code for edit in result.edits} == {"TU401"}
    assert not result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\nx = torch.cuda.FloatTensor(2, 3)\n", id="cuda-types-are-tu302s"),
        pytest.param("import torch\nok = isinstance(x, torch.Tensor)\n", id="type-not-call"),
        pytest.param("import torch\ny = x.type(torch.FloatTensor)\n", id="type-argument"),
        pytest.param("import mylib as torch\nx = torch.FloatTensor(2)\n", id="other-module-named-torch"),
        pytest.param("class FloatTensor:\n    pass\nx = FloatTensor(2)\n", id="user-class"),
        pytest.param("import torch\ny = x.new(2, 3)\n", id="x-new-left-alone"),
        pytest.param("import torch\ny = torch.empty(2, dtype=torch.float)\n", id="already-modern"),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(LegacyConstructors, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, fragment",
    [
        pytest.param(
            "import torch\ndef f(n):\n    return torch.FloatTensor(n)\n", "`n` is a shape or data", id="parameter"
        ),
        pytest.param("import torch\nn = 3\nn = load()\nx = torch.Tensor(n)\n", "`n`", id="name-bound-twice"),
        pytest.param("import torch\nn = 8\nn /= 2\nx = torch.Tensor(n)\n", "`n`", id="true-division-makes-a-float"),
        pytest.param(
            "import torch\nfrom config import *\nn = 3\nx = torch.Tensor(n)\n", "`n`", id="star-import-may-rebind"
        ),
        pytest.param(
            "import torch\nimport numpy as np\na = np.zeros(3)\nx = torch.Tensor(a)\n", "`a`", id="held-array"
        ),
        pytest.param("import torch\nx = torch.Tensor(y.shape)\n", "`y.shape`", id="numpy-shape-is-a-tuple"),
        pytest.param("import torch\nx = torch.Tensor(a.numpy())\n", "`a.numpy()`", id="aliased-array"),
        pytest.param("import torch\nx = torch.Tensor(*sizes)\n", "starred", id="starred"),
        pytest.param("import torch\nx = torch.Tensor(y.shape[1:])\n", "`y.shape[1:]`", id="shape-slice"),
        pytest.param("import torch\nx = torch.Tensor(3, device=d)\n", "keyword", id="keyword"),
        pytest.param(
            "import torch\nn = 3\nfor n in sizes:\n    x = torch.Tensor(n)\n", "`n`", id="loop-target-may-be-a-list"
        ),
        pytest.param(
            "import torch\nn = 3\nwith open(p) as n:\n    x = torch.Tensor(n)\n", "`n`", id="with-target-is-a-binding"
        ),
        pytest.param("import torch\nx = torch.Tensor(4 / 2)\n", "`4 / 2`", id="true-division-of-literals-is-a-float"),
        pytest.param("import torch\nx = torch.Tensor(float(n))\n", "`float(n)`", id="float-call"),
        pytest.param(
            "import torch\ndef len(x):\n    return x\nx = torch.Tensor(len(v))\n", "`len(v)`", id="len-defined-in-the-file"
        ),
        pytest.param("import torch\nfrom mylib import int\nx = torch.Tensor(int(v))\n", "`int(v)`", id="int-imported"),
        pytest.param(
            "import torch\nx = torch.FloatTensor(torch.LongStorage())\n", "is a storage", id="storage-of-another-type"
        ),
        pytest.param("import torch\nx = torch.FloatTensor(torch.FloatStorage(n))\n", "is a storage", id="sized-storage"),
        pytest.param(
            "import torch\nx = torch.Tensor(torch.FloatStorage())\n", "is a storage", id="tensor-wants-the-default-dtype"
        ),
        pytest.param("import torch\nx = torch.FloatTensor(y.storage())\n", "is a storage", id="shared-storage"),
        pytest.param(
            "import torch\nx = torch.FloatTensor(y.untyped_storage())\n", "is a storage", id="shared-untyped-storage"
        ),
    ],
)
def test_unknown_argument_kind_is_a_finding_without_edit(source, fragment):
    result = unchanged(LegacyConstructors, source)
    [finding] = result.findings
    assert finding.code == "TU401" and finding.line == source.count("\n") and fragment in finding.message


def test_a_storage_argument_is_a_finding_whose_advice_runs():
    """`torch.empty(<storage>, ...)` (the shape-or-data advice) raises TypeError: a storage is
    neither. The finding says so and suggests what keeps the view, checked in torch."""
    source = "import torch\nx = torch.FloatTensor(y.storage())\n"
    [finding] = unchanged(LegacyConstructors, source).findings
    assert finding.message == (
        "`y.storage()` is a storage, neither a shape nor data: `FloatTensor` returns a tensor that views "
        "it (memory shared) and no factory takes one; write `torch.empty(0, dtype=torch.float).set_(y.storage())` "
        "to keep that"
    )
    torch = pytest.importorskip("torch")
    names = {"torch": torch, "y": torch.arange(3.0)}
    advice = finding.message.split("write `")[1].split("`")[0]
    old, new = eval("torch.FloatTensor(y.storage())", names), eval(advice, names)
    assert torch.equal(old, new) and old.dtype == new.dtype
    new[0] = 7.0
    assert names["y"][0] == 7.0, "the advice must share the storage's memory, as the legacy call did"
    with pytest.raises(TypeError):
        torch.empty(torch.FloatStorage(), dtype=torch.float)


def test_a_storage_finding_for_torch_tensor_names_the_default_dtype():
    [finding] = unchanged(LegacyConstructors, "import torch\nx = torch.Tensor(s.storage())\n").findings
    assert "`Tensor` returns" in finding.message
    assert "`torch.empty(0, dtype=torch.get_default_dtype()).set_(s.storage())`" in finding.message


@pytest.mark.parametrize(
    "argument",
    ["int(n)", "len(items)", "x.size(1)", "x.dim()", "x.numel()", "x.shape[0]", "2 * len(items) + 1", "x.size(0) // 2"],
)
def test_an_argument_the_source_shows_to_be_an_int_is_a_size(argument):
    source = f"import torch\ndef f(x, n, items):\n    return torch.FloatTensor({argument})\n"
    rewrite(
        LegacyConstructors,
        source,
        source.replace(f"torch.FloatTensor({argument})", f"torch.empty({argument}, dtype=torch.float)"),
        unsafe=True,
    )


@pytest.mark.parametrize("display", ["[i * 2 for i in range(3)]", "[0] * n", "[a] + rest"])
def test_a_sequence_built_in_the_call_is_data(display):
    source = f"import torch\nx = torch.LongTensor({display})\n"
    rewrite(
        LegacyConstructors,
        source,
        f"import torch\nx = torch.tensor({display}, dtype=torch.long)\n",
        unsafe=True,
    )


def test_fill_with_a_variable_rewrites_only_the_constructor():
    rewrite(
        LegacyConstructors,
        "import torch\nx = torch.FloatTensor(3).fill_(value)\n",
        "import torch\nx = torch.empty(3, dtype=torch.float).fill_(value)\n",
        unsafe=True,
    )


def test_edits_report_lines():
    result = run(
        LegacyConstructors, "import torch\n\na = torch.Tensor(1)\nb = torch.LongTensor([2]).zero_()\n", unsafe=True
    )
    assert [(edit.line, edit.column) for edit in result.edits] == [(3, 4), (4, 4)]


def test_placement_makes_the_edit_unsafe_unless_the_device_is_written():
    source = "import torch\nx = torch.LongTensor([1])\ny = torch.LongTensor([1]).to(h.device)\n"
    result = run(LegacyConstructors, source)
    assert result.code == source.replace(
        "torch.LongTensor([1]).to(h.device)", "torch.tensor([1], dtype=torch.long, device=h.device)"
    )
    assert [(edit.line, edit.safety.value) for edit in result.edits] == [(3, "safe")]
    [finding] = result.findings
    assert finding.line == 2 and finding.fix_available and "set_default_device" in finding.message


def test_factories_follow_device_contexts_that_legacy_constructors_ignore():
    """Why the edit is unsafe: under a meta-device context (transformers builds models so) or a
    default device, the legacy call stays on the CPU and the factory does not; with the device
    written (the safe case) both agree."""
    torch = pytest.importorskip("torch")
    np = pytest.importorskip("numpy")
    source = "import torch\nimport numpy as np\nresult = torch.Tensor(np.linspace(0, 1, 4))\n"
    new_expression = run(LegacyConstructors, source, unsafe=True).code.splitlines()[-1].removeprefix("result = ")
    moved = run(LegacyConstructors, "import torch\nresult = torch.LongTensor([1, 2]).to(h.device)\n")
    moved_expression = moved.code.splitlines()[-1].removeprefix("result = ")
    names = {"torch": torch, "np": np, "h": torch.ones(1)}
    with torch.device("meta"):
        assert eval("torch.Tensor(np.linspace(0, 1, 4))", names).device.type == "cpu"
        assert eval(new_expression, names).device.type == "meta"
        assert eval(moved_expression, names).device == eval("torch.LongTensor([1, 2]).to(h.device)", names).device
    torch.set_default_device("meta")
    try:
        assert eval("torch.LongTensor([1, 2])", names).device.type == "cpu"
        assert eval("torch.empty(2, dtype=torch.long)", names).device.type == "meta"
        assert torch.equal(eval(moved_expression, names), eval("torch.LongTensor([1, 2]).to(h.device)", names))
    finally:
        torch.set_default_device(None)


# -- old and new, run in torch ------------------------------------------------------------

EXPRESSIONS = [
    "torch.FloatTensor(2, 3)",
    "torch.Tensor(2, 3)",
    "torch.Tensor()",
    "torch.LongTensor()",
    "torch.Tensor((2, 3))",
    "torch.Tensor([2, 3])",
    "torch.Tensor([[0.5, 1.5]])",
    "torch.Tensor([[0, -1], [16777217, 2]])",  # ints written as floats: same values as float32 and float64
    "torch.Tensor([])",
    "torch.LongTensor([1, 2])",
    "torch.LongTensor([1.7, -2.7])",
    "torch.ByteTensor([1, 0, 1])",
    "torch.DoubleTensor([1, 2])",
    "torch.HalfTensor([0.1, 0.2])",
    "torch.IntTensor((4,))",
    "torch.BoolTensor([1, 0])",
    "torch.FloatTensor(np.arange(6))",
    "torch.LongTensor(np.ones((2, 3)))",
    "torch.Tensor(np.array([1, 2], dtype=np.int32))",
    "torch.Tensor(5).zero_()",
    "torch.IntTensor(2, 2).zero_()",
    "torch.Tensor(3).fill_(2)",
    "torch.Tensor(3).fill_(2.5)",
    "torch.LongTensor(2, 3).fill_(7)",
    "torch.FloatTensor(torch.ones(2, 5).size()).fill_(-1)",
    "torch.ByteTensor(4).fill_(True)",
    "torch.Tensor(torch.ones(4).size(0), 2).zero_()",
    "torch.Tensor([1] * 3)",
    "torch.Tensor(torch.Size([2, 3]))",  # a shape, as `x.size()` is
    "torch.Tensor([0x10, 0o7, 1])",  # not decimal: kept as written, the dtype given
    "torch.LongTensor([[1, 2]] + [[3, 4]])",
    "torch.LongTensor([i * 2 for i in range(3)])",
    "torch.FloatTensor(int(2.5))",
    "torch.FloatTensor()",
    "torch.FloatTensor(torch.FloatStorage())",
    "torch.LongTensor(torch.LongStorage())",
]


@pytest.mark.parametrize("default_dtype", ["float32", "float64"])
@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_old_and_new_build_the_same_tensor(expression, default_dtype):
    torch = pytest.importorskip("torch")
    np = pytest.importorskip("numpy")
    result = run(LegacyConstructors, f"import torch\nimport numpy as np\nresult = {expression}\n", unsafe=True)
    assert result.edits, "the expression must be rewritten"
    new_expression = result.code.splitlines()[-1].removeprefix("result = ")
    assert "Tensor(" not in new_expression
    previous = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, default_dtype))
    try:
        old = eval(expression, {"torch": torch, "np": np})
        new = eval(new_expression, {"torch": torch, "np": np})
    finally:
        torch.set_default_dtype(previous)
    assert (new.dtype, new.shape, new.device) == (old.dtype, old.shape, old.device)
    if "torch.empty(" not in new_expression:  # uninitialised memory has no value to compare
        assert torch.equal(new, old)


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch
            import torch.nn as nn

            class NoisyLinear(nn.Module):
                def __init__(self, in_features, out_features):
                    super(NoisyLinear, self).__init__()
                    self.weight_mu = nn.Parameter(torch.Tensor(out_features, in_features))
                    self.bias_mu = nn.Parameter(torch.Tensor(out_features))
            """,
            """
            import torch
            import torch.nn as nn

            class NoisyLinear(nn.Module):
                def __init__(self, in_features, out_features):
                    super(NoisyLinear, self).__init__()
                    self.weight_mu = nn.Parameter(torch.empty(out_features, in_features))
                    self.bias_mu = nn.Parameter(torch.empty(out_features))
            """,
            id="noisy-linear",
        ),
        pytest.param(
            """
            import torch
            def init_hidden(n, *, d):
                h = torch.zeros(n, d)
                return h, torch.LongTensor(d)
            """,
            """
            import torch
            def init_hidden(n, *, d):
                h = torch.zeros(n, d)
                return h, torch.empty(d, dtype=torch.long)
            """,
            id="sized-by-a-factory",
        ),
    ],
)
def test_a_parameter_also_passed_as_one_of_several_sizes_is_a_size(before, after):
    result = rewrite(LegacyConstructors, before, after, unsafe=True)
    assert not result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import torch\ndef f(n, d):\n    w = torch.zeros(n)\n    return torch.Tensor(n)\n", id="one-size-may-be-a-list"
        ),
        pytest.param(
            "import torch\ndef f(n, d):\n    w = torch.empty(n, d)\n    n = [1, 2]\n    return torch.Tensor(n)\n",
            id="rebound",
        ),
        pytest.param(
            "import torch\ndef f(n, d):\n    def g(n):\n        return n\n    w = torch.empty(n, d)\n    return torch.Tensor(n)\n",
            id="shadowed-in-a-nested-function",
        ),
        pytest.param(
            "import torch\ndef f(n, d):\n    return torch.empty(n, d)\ndef g(n):\n    return torch.Tensor(n)\n",
            id="sized-in-another-function",
        ),
        pytest.param(
            "import torch\nimport numpy as np\ndef f(n, d):\n    w = np.zeros(n, d)\n    return torch.Tensor(n)\n",
            id="numpy-factory",
        ),
    ],
)
def test_a_parameter_without_that_evidence_stays_a_finding(source):
    result = unchanged(LegacyConstructors, source)
    assert [f.code for f in result.findings] == ["TU401"] and "`n`" in result.findings[0].message


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'import torch\nw = torch.empty(3, 4)\nassert isinstance(w, torch.Tensor)\n',
        '"""Pass a Tensor as the first input; a LongTensor of indices is returned."""\n',
        'from torch import SparseTensor\nx = torch.sparse_coo_tensor(i, v)\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not LegacyConstructors.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'import torch\nx = torch.FloatTensor(2, 3)\n',
        'from torch import (\n    LongTensor\n    as LT,\n)\nx = LT([1])\n',
        'import torch as T\nx = (T.Tensor)(3)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert LegacyConstructors.may_apply(source)
    assert run(LegacyConstructors, source, unsafe=True).records  # and the codemod acts on it


def test_torch_that_may_come_from_a_star_import_is_a_finding_naming_it():
    result = unchanged(LegacyConstructors, "from utils import *\nx = torch.FloatTensor(rel)\ny = torch.zeros(2)\n")
    assert [(f.code, f.line) for f in result.findings] == [("TU401", 2)]
    assert "`torch` may come from `from utils import *`" in result.findings[0].message


def test_torch_imported_beside_a_star_import_is_rewritten():
    rewrite(
        LegacyConstructors,
        "from utils import *\nimport torch\nx = torch.FloatTensor(2, 3)\n",
        "from utils import *\nimport torch\nx = torch.empty(2, 3, dtype=torch.float)\n",
        unsafe=True,
    )


_FOLLOWS = (
    ": the factory follows `with torch.device(...)` and `torch.set_default_device`, the legacy constructor "
    "always built on the CPU"
)


def test_an_annotated_int_is_a_size_and_a_repeated_list_is_data():
    before = "import torch\nn: int = 3\nseq = [1, 2]\nseq *= 2\na = torch.FloatTensor(n)\nb = torch.FloatTensor(seq)\n"
    after = (
        "import torch\nn: int = 3\nseq = [1, 2]\nseq *= 2\na = torch.empty(n, dtype=torch.float)\n"
        "b = torch.tensor(seq, dtype=torch.float)\n"
    )
    result = rewrite(LegacyConstructors, before, after, unsafe=True)
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU401", 5, 4, "`torch.FloatTensor(n)` -> `torch.empty(n, dtype=torch.float)`" + _FOLLOWS),
        ("TU401", 6, 4, "`torch.FloatTensor(seq)` -> `torch.tensor(seq, dtype=torch.float)`" + _FOLLOWS),
    ]


@pytest.mark.parametrize(
    "binding",
    [
        pytest.param("if (n := f()):\n    pass\n", id="walrus"),
        pytest.param("first, *n = values\n", id="starred-target"),
    ],
)
def test_a_name_also_bound_otherwise_is_no_known_int(binding):
    source = f"import torch\nn = 3\n{binding}a = torch.FloatTensor(n)\n"
    result = unchanged(LegacyConstructors, source)
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        (
            "TU401",
            source.count("\n"),
            4,
            "cannot tell whether `n` is a shape or data: write `torch.empty(n, dtype=torch.float)` for a size, "
            "`torch.tensor(n, dtype=torch.float)` for a sequence or array (a tensor argument was aliased, not copied)",
            False,
        )
    ]
