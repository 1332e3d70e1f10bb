import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.renamed_functions import RenamedFunctions


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch.nn as nn
            nn.init.xavier_uniform(m.weight, gain=nn.init.calculate_gain("relu"))
            nn.init.constant(m.bias, 0)
            nn.init.kaiming_normal(m.weight, mode="fan_out")
            """,
            """
            import torch.nn as nn
            nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("relu"))
            nn.init.constant_(m.bias, 0)
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
            """,
            id="init",
        ),
        pytest.param(
            "from torch.nn import init\ninit.normal(w, 0, 0.01)\n",
            "from torch.nn import init\ninit.normal_(w, 0, 0.01)\n",
            id="init-module-imported",
        ),
        pytest.param(
            "import torch.nn\ny = torch.nn.functional.upsample(x, scale_factor=2)\n",
            "import torch.nn\ny = torch.nn.functional.interpolate(x, scale_factor=2)\n",
            id="only-a-dotted-import-of-torch",
        ),
        pytest.param(
            "from torch.nn.init import orthogonal\northogonal(w)\n",
            "from torch.nn.init import orthogonal_\northogonal_(w)\n",
            id="init-function-imported",
        ),
        pytest.param(
            "from torch.nn.init import xavier_uniform as xu\nxu(w)\n",
            "from torch.nn.init import xavier_uniform_\nxavier_uniform_(w)\n",
            id="init-function-imported-under-an-alias",
        ),
        pytest.param(
            "import torch\ntorch.nn.utils.clip_grad_norm(model.parameters(), 5.0)\n",
            "import torch\ntorch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)\n",
            id="clip-grad-norm",
        ),
        pytest.param(
            "from torch.nn.utils import clip_grad_norm\nclip_grad_norm(ps, 1)  # clip\n",
            "from torch.nn.utils import clip_grad_norm_\nclip_grad_norm_(ps, 1)  # clip\n",
            id="clip-grad-norm-imported",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.upsample(x, size=(8, 8))\n",
            "import torch.nn.functional as F\ny = F.interpolate(x, size=(8, 8))\n",
            id="upsample-nearest-default",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.upsample(x, None, 2, 'bilinear', False)\n",
            "import torch.nn.functional as F\ny = F.interpolate(x, None, 2, 'bilinear', False)\n",
            id="upsample-align-corners-given",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.upsample_bilinear(x, scale_factor=2)\n",
            'import torch.nn.functional as F\ny = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)\n',
            id="upsample-bilinear",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.upsample_nearest(x, (4, 4))\n",
            'import torch.nn.functional as F\ny = F.interpolate(x, (4, 4), mode="nearest")\n',
            id="upsample-nearest",
        ),
        pytest.param(
            "import torch\nr = torch.range(1, 4)\n",
            "import torch\nr = torch.arange(1, 5, dtype=torch.get_default_dtype())\n",
            id="range",
        ),
        pytest.param(
            "import torch\nr = torch.range(10, -2, -3, dtype=torch.long)\n",
            "import torch\nr = torch.arange(10, -3, -3, dtype=torch.long)\n",
            id="range-negative-step-dtype-kept",
        ),
        pytest.param(
            "import torch\ntorch.range(1, 3, out=res)\n",
            "import torch\ntorch.arange(1, 4, out=res)\n",
            id="range-out-no-dtype-added",
        ),
        pytest.param(
            "from torchvision import transforms\nt = transforms.Compose([transforms.Scale(256), transforms.ToTensor()])\n",
            "from torchvision import transforms\nt = transforms.Compose([transforms.Resize(256), transforms.ToTensor()])\n",
            id="transforms-scale",
        ),
        pytest.param(
            "import torchvision.transforms as T\nfrom torchvision.transforms import Scale\na = T.Scale(32)\nb = Scale(64)\n",
            "import torchvision.transforms as T\nfrom torchvision.transforms import Resize\na = T.Resize(32)\nb = Resize(64)\n",
            id="transforms-scale-imported",
        ),
    ],
)
def test_safe_rewrites(before, after):
    result = rewrite(RenamedFunctions, before, after)
    assert result.edits and {edit.code for edit in result.edits} == {"TU403"}
    assert not result.findings


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            'import torch.nn.functional as F\ny = F.upsample(x, scale_factor=2, mode="bilinear")\n',
            'import torch.nn.functional as F\ny = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)\n',
            id="upsample-bilinear-legacy-corners",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.upsample(x, None, 2, 'trilinear')\n",
            "import torch.nn.functional as F\ny = F.upsample(x, None, 2, 'trilinear', align_corners=True)\n".replace(
                "upsample", "interpolate"
            ),
            id="upsample-trilinear-positional",
        ),
        pytest.param(
            "import torch\nr = torch.range(0, n)\n",
            "import torch\nr = torch.arange(0, n + 1, dtype=torch.get_default_dtype())\n",
            id="range-variable-end",
        ),
        pytest.param(
            "import torch\nr = torch.range(0, n - 1, out=buf)\n",
            "import torch\nr = torch.arange(0, n, out=buf)\n",
            id="range-out-variable-end",
        ),
        pytest.param(
            "import torch\nr = torch.range(a, b - a, 2)\n",
            "import torch\nr = torch.arange(a, (b - a) + 1, 2, dtype=torch.get_default_dtype())\n",
            id="range-expression-end",
        ),
        pytest.param(
            "import torch\nr = torch.range(0, len(xs) - 1)\n",
            "import torch\nr = torch.arange(0, len(xs), dtype=torch.get_default_dtype())\n",
            id="range-minus-one-end",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.grid_sample(x, grid)\n",
            "import torch.nn.functional as F\ny = F.grid_sample(x, grid, align_corners=True)\n",
            id="grid-sample-legacy-corners",
        ),
        pytest.param(
            "from torch.nn import functional\ng = functional.affine_grid(theta, x.size(),)\n",
            "from torch.nn import functional\ng = functional.affine_grid(theta, x.size(), align_corners=True,)\n",
            id="affine-grid-trailing-comma",
        ),
        pytest.param(
            "import torch.nn.functional as F\ny = F.grid_sample(x, grid, 'nearest', padding_mode='border')\n",
            "import torch.nn.functional as F\ny = F.grid_sample(x, grid, 'nearest', padding_mode='border', align_corners=True)\n",
            id="grid-sample-nearest-also-aligned",
        ),
    ],
)
def test_unsafe_rewrites_need_the_flag(before, after):
    declined = unchanged(RenamedFunctions, before, unsafe=False)
    [finding] = declined.findings
    assert finding.fix_available and finding.line == 2
    result = rewrite(RenamedFunctions, before, after, unsafe=True)
    assert [edit.safety.value for edit in result.edits] == ["unsafe"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def sigmoid(x):\n    return x\ny = sigmoid(z)\n", id="user-function-named-sigmoid"),
        pytest.param("import torch\nF = make_filters()\ny = F.sigmoid(x)\n", id="local-F-is-not-functional"),
        pytest.param("import numpy as F\ny = F.tanh(x)\n", id="other-module-as-F"),
        pytest.param("import torch\ny = torch.sigmoid(x)\nnn_init = torch.nn.init.xavier_uniform_\n", id="modern"),
        # Not deprecated on torch 2.x (no warning with -W always): renaming them is churn.
        pytest.param(
            "import torch.nn.functional as F\nh = F.tanh(x) * F.sigmoid(g)\n", id="functional-sigmoid-tanh"
        ),
        pytest.param("import torch.nn as nn\nh = nn.functional.tanh(x)\n", id="nn-functional-tanh"),
        pytest.param("from torch.nn.functional import sigmoid\nh = sigmoid(x)\n", id="sigmoid-imported"),
        pytest.param("import torch\nfn = torch.nn.init.xavier_uniform\n", id="reference-not-call"),
        pytest.param("for i in range(3):\n    pass\n", id="builtin-range"),
        pytest.param("import numpy as np\nr = np.range(3)\n", id="numpy-attribute"),
        pytest.param(
            "import torch.nn.functional as F\ny = F.grid_sample(x, g, align_corners=False)\n", id="grid-sample-explicit"
        ),
        pytest.param("import torch.nn.functional as F\ny = F.affine_grid(t, s, False)\n", id="affine-grid-positional"),
        pytest.param("def grid_sample(x, g):\n    return x\ny = grid_sample(a, b)\n", id="user-grid-sample"),
        pytest.param(
            "import torch.nn.functional as F\ny = F.grid_sample(x, g, mode='bilinear', **kwargs)\n",
            id="grid-sample-kwargs-may-hold-align-corners",
        ),
        pytest.param(
            "import torch.nn as nn\nup = nn.Upsample(scale_factor=2, mode='bilinear')\n", id="upsample-module"
        ),
        # `F` bound again by the file (mxnet-style code passes its `F` in): not torch's functional.
        pytest.param(
            "import torch.nn.functional as F\ndef up(F, x):\n    return F.upsample(x, scale_factor=2)\n", id="parameter-named-F"
        ),
        pytest.param(
            "import torch.nn.functional as F\nfor i, F in enumerate(fs):\n    x = F.upsample(x, scale_factor=2)\n",
            id="loop-target-named-F",
        ),
        pytest.param(
            "import torch.nn.functional as F\nys = [F.upsample(x, scale_factor=2) for F in fs]\n", id="comprehension-named-F"
        ),
        pytest.param(
            "try:\n    import torch.nn.functional as F\nexcept ImportError:\n    from .compat import F\ny = F.upsample(x, scale_factor=2)\n",
            id="F-from-the-users-package",
        ),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(RenamedFunctions, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, fragment",
    [
        pytest.param("import torch\n\nr = torch.range(0.5, 3.2)\n", "float", id="range-float-bounds"),
        # A negative float is a unary minus around the literal: still a float bound.
        pytest.param("import torch\n\nr = torch.range(-2.5, -0.5)\n", "float", id="range-negative-float-bounds"),
        pytest.param("import torch\n\nr = torch.range(0, 1, step)\n", "float or unknown step", id="range-unknown-step"),
        pytest.param("import torch\n\nr = torch.range(end=5)\n", "unusual arguments", id="range-without-start"),
        pytest.param("import torch\n\nr = torch.range(start=1)\n", "unusual arguments", id="range-without-end"),
        pytest.param(
            "import torch.nn.functional as F\n\ny = F.upsample(x, 2, mode=m)\n", "mode `m`", id="upsample-unknown-mode"
        ),
        pytest.param("import torch.nn.functional as F\n\ny = F.upsample(x, *a)\n", "*args", id="upsample-starred"),
        pytest.param(
            "import torch.nn.functional as F\n\ny = F.upsample_bilinear(x, None, 2, extra)\n",
            "unexpected arguments",
            id="upsample-wrapper-a-fourth-argument",
        ),
        pytest.param(
            "import torch.nn.functional as F\n\ny = F.upsample_nearest(x, *sizes)\n",
            "unexpected arguments",
            id="upsample-wrapper-starred",
        ),
        pytest.param(
            "import torch.nn.functional as F\n\ny = F.grid_sample(x, *a)\n", "align_corners=", id="grid-sample-starred"
        ),
        # `torch` names numpy here: the dtype argument cannot name torch.get_default_dtype.
        pytest.param(
            "from torch import range as trange\nimport numpy as torch\nr = trange(0, 5)\n",
            "`torch` cannot be spelled here",
            id="range-torch-names-another-module",
        ),
        pytest.param(
            "from torch.nn.init import xavier_uniform\nxavier_uniform_ = init_fn\nxavier_uniform(w)\n",
            "cannot be spelled here",
            id="new-name-bound-by-the-file",
        ),
        pytest.param(
            "from torch.nn.init import xavier_uniform\nfrom mylib import xavier_uniform_\nxavier_uniform(w)\n",
            "cannot be spelled here",
            id="new-name-imported-from-elsewhere",
        ),
    ],
)
def test_findings(source, fragment):
    result = unchanged(RenamedFunctions, source)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU403", 3, False)
    assert fragment in finding.message


# -- old and new, run in torch ------------------------------------------------------------


@pytest.mark.parametrize("default_dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "call",
    [
        "torch.range(1, 4)",
        "torch.range(0, 9, 2)",
        "torch.range(0, 10, 2)",
        "torch.range(-3, 3, 4)",
        "torch.range(10, 0, -3)",
        "torch.range(5, 5)",
        "torch.range(0, n, 3)",
        "torch.range(2, n - 1)",
        "torch.range(1, 4, dtype=torch.int32)",
        "F.upsample_bilinear(image, scale_factor=2)",
        "F.upsample_nearest(image, (5, 7))",
        "F.upsample_bilinear(image, None, 2)",
        "F.upsample(image, scale_factor=3)",
    ],
)
def test_old_and_new_agree(call, default_dtype):
    torch = pytest.importorskip("torch")
    import warnings

    source = f"import torch\nimport torch.nn.functional as F\nresult = {call}\n"
    result = run(RenamedFunctions, source, unsafe=True)
    assert result.edits, "the call must be rewritten"
    new_call = result.code.splitlines()[-1].removeprefix("result = ")
    previous = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, default_dtype))
    try:
        names = {"torch": torch, "F": torch.nn.functional, "n": 13, "image": torch.rand(1, 2, 3, 4)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the legacy functions warn
            old = eval(call, names)
        new = eval(new_call, names)
    finally:
        torch.set_default_dtype(previous)
    assert (new.dtype, new.shape) == (old.dtype, old.shape)
    assert torch.equal(new, old)


def test_upsample_bilinear_fix_restores_the_legacy_alignment():
    """`F.upsample_bilinear` always aligned corners, and so did 0.3's `F.upsample(mode="bilinear")`:
    the unsafe fix reproduces that, which is what current torch's `F.upsample` no longer does."""
    torch = pytest.importorskip("torch")
    import warnings

    F = torch.nn.functional
    image = torch.rand(1, 1, 3, 3)
    result = run(
        RenamedFunctions,
        "import torch.nn.functional as F\ny = F.upsample(image, scale_factor=2, mode='bilinear')\n",
        unsafe=True,
    )
    new_call = result.code.splitlines()[-1].removeprefix("y = ")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        legacy = F.upsample_bilinear(image, scale_factor=2)
        current_unmigrated = F.upsample(image, scale_factor=2, mode="bilinear")
    migrated = eval(new_call, {"F": F, "image": image})
    assert torch.equal(migrated, legacy)
    assert not torch.equal(migrated, current_unmigrated)


def test_grid_sample_fix_restores_the_alignment_before_1_3():
    """Up to 1.2, `grid_sample` mapped -1 and 1 to the corner pixels' centres: a grid of
    `linspace(-1, 1)` coordinates (the spatial transformer's identity grid) reproduced the image.
    The fix keeps that; today's default samples between pixels instead."""
    torch = pytest.importorskip("torch")
    import warnings

    F = torch.nn.functional
    image = torch.rand(1, 1, 4, 5)
    ys, xs = torch.meshgrid(torch.linspace(-1, 1, 4), torch.linspace(-1, 1, 5), indexing="ij")
    names = {"F": F, "image": image, "grid": torch.stack([xs, ys], -1).unsqueeze(0)}
    source = "import torch.nn.functional as F\ny = F.grid_sample(image, grid)\n"
    result = run(RenamedFunctions, source, unsafe=True)
    assert [edit.code for edit in result.edits] == ["TU403"]
    migrated = eval(result.code.splitlines()[-1].removeprefix("y = "), names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Default grid_sample and affine_grid behavior has changed"
        current_unmigrated = eval("F.grid_sample(image, grid)", names)
    assert torch.allclose(migrated, image, atol=1e-6)
    assert not torch.allclose(current_unmigrated, image, atol=1e-3)


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'import torch\nimport torch.nn as nn\nnn.init.xavier_uniform_(w)\ny = torch.sigmoid(x).tanh()\n',
        'import torch\nimport torch.nn.functional as F\nr = torch.arange(3)\nfor i in range(3):\n    x = F.interpolate(x, 2)\n',
        '"""Initialise with init.normal_; values in the range [0, 1)."""\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not RenamedFunctions.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'import torch.nn.functional as fn\ny = fn.upsample(x, 2)\n',
        'from torch.nn.init import xavier_uniform as xu\nxu(w)\n',
        'def f():\n    I.normal(w)\nimport torch.nn.init as I\n',
        'import torch as th\nr = th.range(1, 10)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert RenamedFunctions.may_apply(source)
    assert run(RenamedFunctions, source, unsafe=True).records  # and the codemod acts on it


# torch's own `test_range` fixtures (test/test_torch.py), with `out=` of every dtype: the rewritten
# statement leaves `out` with the values and dtype `torch.range` gave it on this torch.
RANGE_OUT_FIXTURES = [
    "torch.range(1, 3, out=res)",
    "torch.range(0, 1, out=res)",
    "torch.range(1, 0, -1, out=res)",
    "torch.range(1, 1, -1, out=res)",
    "torch.range(1, 1, 1, out=res)",
    "torch.range(0, 3, out=res.narrow(0, 1, 4))",
    "torch.range(2, n - 1, out=res)",
]


@pytest.mark.parametrize("default_dtype", ["float32", "float64"])
@pytest.mark.parametrize("out_dtype", ["int64", "int32", "float32", "float64"])
@pytest.mark.parametrize("statement", RANGE_OUT_FIXTURES)
def test_range_out_keeps_values_and_dtype(statement, out_dtype, default_dtype):
    torch = pytest.importorskip("torch")
    import warnings

    result = run(RenamedFunctions, f"import torch\n{statement}\n", unsafe=True)
    [edit] = result.edits
    new_statement = result.code.splitlines()[-1]
    assert "dtype" not in new_statement
    previous = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, default_dtype))
    try:
        outs = []
        for code in (statement, new_statement):
            res = torch.zeros(6, dtype=getattr(torch, out_dtype))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch.range warns
                returned = eval(code, {"torch": torch, "res": res, "n": 7})
            outs.append((res, returned))
    finally:
        torch.set_default_dtype(previous)
    (old_res, old_returned), (new_res, new_returned) = outs
    assert (new_res.dtype, new_returned.dtype) == (old_res.dtype, old_returned.dtype)
    assert torch.equal(new_res, old_res)
    assert torch.equal(new_returned, old_returned)


def test_range_to_a_minus_one_end_counting_down_subtracts_one_more():
    # `n - 1` -> `n` only counting up; counting down, arange's end must be one below the last value.
    before = "import torch\ndef f(n):\n    a = torch.range(10, n - 1, -1)\n    b = torch.range(0, n)\n"
    after = (
        "import torch\ndef f(n):\n    a = torch.arange(10, (n - 1) - 1, -1, dtype=torch.get_default_dtype())\n"
        "    b = torch.arange(0, n + 1, dtype=torch.get_default_dtype())\n"
    )
    result = rewrite(RenamedFunctions, before, after, unsafe=True)
    note = " (torch.range includes its end); exact only when the bounds are integers"
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU403", 3, 8, "`torch.range(10, n - 1, -1)` -> `torch.arange(10, (n - 1) - 1, -1, dtype=torch.get_default_dtype())`" + note),
        ("TU403", 4, 8, "`torch.range(0, n)` -> `torch.arange(0, n + 1, dtype=torch.get_default_dtype())`" + note),
    ]


def test_an_aliased_import_of_a_renamed_init_is_replaced():
    result = rewrite(
        RenamedFunctions,
        "from torch.nn.init import xavier_uniform as xu\nxu(w)\n",
        "from torch.nn.init import xavier_uniform_\nxavier_uniform_(w)\n",
    )
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [("TU403", 2, 0, "`xu(...)` -> `xavier_uniform_(...)`")]


def test_a_starred_grid_sample_is_reported_and_a_wrapper_s_added_arguments_shown():
    source = "import torch.nn.functional as F\ny = F.grid_sample(*args)\nz = F.upsample_bilinear(x, 2)\n"
    result = run(RenamedFunctions, source)
    assert result.code == source.replace(
        "F.upsample_bilinear(x, 2)", 'F.interpolate(x, 2, mode="bilinear", align_corners=True)'
    )
    assert [(type(r).__name__, r.code, r.line, r.column, r.message) for r in result.records] == [
        (
            "Finding",
            "TU403",
            2,
            4,
            "`F.grid_sample` with `*args`/`**kwargs`: it aligned corners before PyTorch 1.3 and no longer does; "
            "pass `align_corners=` explicitly",
        ),
        ("Edit", "TU403", 3, 4, '`F.upsample_bilinear(...)` -> `F.interpolate(..., mode="bilinear", align_corners=True)`'),
    ]


def test_a_wrapper_imported_from_its_module_gets_its_replacement_imported_beside_it():
    result = rewrite(
        RenamedFunctions,
        "from torch.nn.functional import upsample_bilinear\ny = upsample_bilinear(x, 2)\n",
        'from torch.nn.functional import interpolate\ny = interpolate(x, 2, mode="bilinear", align_corners=True)\n',
    )
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU403", 2, 4, '`upsample_bilinear(...)` -> `interpolate(..., mode="bilinear", align_corners=True)`')
    ]


# -- torch.arange with integer arguments: int64 since 0.4, the default float dtype in 0.3 ----

LEGACY_FILE = "import torch\nfrom torch.autograd import Variable\n"  # the torch < 1.0 era, shown


@pytest.mark.parametrize(
    "call",
    [
        "torch.arange(10)",
        "torch.arange(1, dataset.num_classes + 1)",  # dasguptar/treelstm.pytorch's trainer
        "torch.arange(0, len(xs), 2)",
        "torch.arange(0, x.size(1))",
        "torch.arange(x.shape[0] - 1)",
        "torch.arange(-n, n)",
        "torch.arange(batch_size * 2)",
        "torch.arange(start=0, end=x.numel())",
        "torch.arange(1, n + 1).unsqueeze(0) * 2",  # shape methods, then no cast
    ],
)
def test_an_integer_arange_in_a_legacy_file_is_reported(call):
    result = unchanged(RenamedFunctions, f"{LEGACY_FILE}v = {call}\n")
    [finding] = result.findings
    assert (finding.code, finding.line, finding.column, finding.fix_available) == ("TU403", 3, 4, False)
    assert "returns int64 since PyTorch 0.4" in finding.message


def test_an_integer_arange_finding_says_what_changed_and_what_to_write():
    [finding] = run(RenamedFunctions, f"{LEGACY_FILE}indices = torch.arange(1, num_classes + 1)\n").findings
    assert finding.message == (
        "`torch.arange(1, num_classes + 1)` returns int64 since PyTorch 0.4; in 0.3 integer arguments still "
        "gave the default float dtype: where the values are used as floats (`torch.dot`/`mm` with a float "
        "tensor, in-place float arithmetic, `.mean()`, `.numpy()`), write `dtype=torch.get_default_dtype()`"
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\nv = torch.arange(1, n + 1)\n", id="no-legacy-era-in-the-file"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(10, dtype=torch.float)\n", id="dtype-written"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(10, device=x.device)\n", id="device-keyword-is-0.4-code"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(10, out=buf)\n", id="out-decides-the-dtype"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(0, len(xs)).float()\n", id="cast-right-after"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(1, n + 1).unsqueeze(0).long()\n", id="cast-after-shape-methods"),
        pytest.param(f"{LEGACY_FILE}v = x[torch.arange(batch_size)]\n", id="an-index"),
        pytest.param(f"{LEGACY_FILE}v = t.copy_(torch.arange(0, len(t)))\n", id="copied-into-a-tensor"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(-6, 6.1, 1)\n", id="a-float-argument"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(start, stop)\n", id="names-that-count-nothing"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(*bounds)\n", id="starred"),
        pytest.param(f"{LEGACY_FILE}v = torch.arange(n / 2)\n", id="true-division"),
        pytest.param(f"{LEGACY_FILE}v = np.arange(10)\n", id="numpy"),
    ],
)
def test_an_arange_whose_dtype_is_settled_is_not_reported(source):
    assert not unchanged(RenamedFunctions, source).findings


def test_the_prefilter_reads_arange_only_in_a_legacy_era_file():
    assert not RenamedFunctions.may_apply("import torch\nr = torch.arange(3)\n")
    assert RenamedFunctions.may_apply("from torch import arange as ar\nv = x.data[0]\nr = ar(3)\n")
    assert run(RenamedFunctions, "from torch import arange as ar\nv = x.data[0]\nr = ar(3)\n").findings


def test_an_integer_arange_is_int64_now_and_was_floats_for_0_3_code():
    torch = pytest.importorskip("torch")
    output = torch.tensor([0.25, 0.75])
    indices = torch.arange(1, 3)
    assert indices.dtype == torch.int64
    with pytest.raises(RuntimeError):
        torch.dot(indices, output)  # treelstm's `torch.dot(indices, torch.exp(output))`
    legacy = torch.arange(1, 3, dtype=torch.get_default_dtype())
    assert torch.dot(legacy, output).item() == 1.75


# -- module aliases taken from `from utils import *` of the run's files (ShangtongZhang/DeepRL) --

STAR_SOURCE = "from utils import *\n\n\nclass Body(nn.Module):\n    def init_weights(self):\n        nn.init.uniform(self.w, -1, 1)\n"


def test_nn_star_imported_from_a_run_file_that_imports_torch_s_is_renamed():
    from torchup.analysis.module_index import build_module_index

    # The harness names every file example.py; utils.py is the run's file its star import reads.
    utils = "import torch.nn as nn\n\nclass BasicNet:\n    pass\n"
    index = build_module_index({"utils.py": utils, "example.py": STAR_SOURCE})
    result = rewrite(RenamedFunctions, STAR_SOURCE, STAR_SOURCE.replace("init.uniform(", "init.uniform_("), facts=index)
    assert [(e.code, e.line) for e in result.edits] == [("TU403", 6)]


@pytest.mark.parametrize(
    "utils",
    [
        pytest.param(None, id="no-first-pass"),
        pytest.param("import mylib.nn as nn\n\nclass BasicNet:\n    pass\n", id="another-library-s-nn"),
        pytest.param("import torch.nn as nn\n__all__ = ['BasicNet']\n\nclass BasicNet:\n    pass\n", id="all-declared"),
    ],
)
def test_nn_that_may_not_be_torch_s_is_left_alone(utils):
    from torchup.analysis.module_index import build_module_index

    index = None if utils is None else build_module_index({"utils.py": utils, "example.py": STAR_SOURCE})
    assert not unchanged(RenamedFunctions, STAR_SOURCE, facts=index).records
