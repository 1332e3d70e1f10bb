import itertools

import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.loss_reduction import LOSS_CLASSES, LOSS_FUNCTIONS, LossReduction, legacy_reduction


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch.nn as nn
            criterion = nn.MSELoss(size_average=False)
            per_item = nn.CrossEntropyLoss(reduce=False)
            """,
            """
            import torch.nn as nn
            criterion = nn.MSELoss(reduction="sum")
            per_item = nn.CrossEntropyLoss(reduction="none")
            """,
            id="classes",
        ),
        pytest.param(
            "import torch.nn.functional as F\nloss = F.nll_loss(out, y, size_average=False)\n",
            'import torch.nn.functional as F\nloss = F.nll_loss(out, y, reduction="sum")\n',
            id="functional",
        ),
        pytest.param(
            "import torch.nn as nn\nc = nn.BCELoss(size_average=False, reduce=False)\n",
            'import torch.nn as nn\nc = nn.BCELoss(reduction="none")\n',
            id="reduce-false-wins",
        ),
        pytest.param(
            "import torch.nn as nn\nc = nn.L1Loss(size_average=True, reduce=None)\n",
            'import torch.nn as nn\nc = nn.L1Loss(reduction="mean")\n',
            id="none-means-true",
        ),
        pytest.param(
            "import torch.nn as nn\nc = nn.MSELoss(False)\n",
            'import torch.nn as nn\nc = nn.MSELoss(reduction="sum")\n',
            id="positional-size-average",
        ),
        pytest.param(
            "import torch.nn as nn\nc = nn.NLLLoss(w, False, -1)\n",
            'import torch.nn as nn\nc = nn.NLLLoss(w, reduction="sum", ignore_index=-1)\n',
            id="positional-after-legacy-becomes-keyword",
        ),
        pytest.param(
            "import torch.nn as nn\nc = nn.NLLLoss(weight=w, reduce=False, ignore_index=0)  # per pixel\n",
            'import torch.nn as nn\nc = nn.NLLLoss(weight=w, reduction="none", ignore_index=0)  # per pixel\n',
            id="other-keywords-and-comment-kept",
        ),
        pytest.param(
            """
            import torch.nn.functional as F
            loss = F.cross_entropy(
                logits,
                target,
                size_average=False,
                reduce=True,
            )
            """,
            """
            import torch.nn.functional as F
            loss = F.cross_entropy(
                logits,
                target,
                reduction="sum",
            )
            """,
            id="multiline-trailing-comma",
        ),
        pytest.param(
            "from torch.nn import SmoothL1Loss as Huber\nc = Huber(size_average=0)\n",
            'from torch.nn import SmoothL1Loss as Huber\nc = Huber(reduction="sum")\n',
            id="aliased-class-int-flag",
        ),
        pytest.param(
            "import torch\nc = torch.nn.modules.loss.KLDivLoss(size_average=False)\n",
            'import torch\nc = torch.nn.modules.loss.KLDivLoss(reduction="sum")\n',
            id="full-module-path",
        ),
    ],
)
def test_rewrites(before, after):
    result = rewrite(LossReduction, before, after)
    assert result.edits and {edit.code for edit in result.edits} == {"TU402"}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch.nn as nn\nc = nn.MSELoss(reduction='sum')\n", id="already-modern"),
        pytest.param("import torch.nn as nn\nc = nn.MSELoss()\n", id="no-flags"),
        pytest.param(
            "def mse_loss(a, b, size_average=True):\n    pass\nmse_loss(a, b, size_average=False)\n", id="user-function"
        ),
        pytest.param("import mylosses as F\nF.mse_loss(a, b, size_average=False)\n", id="other-module"),
        pytest.param("import torch.nn as nn\nnn.Linear(3, 4, False)\n", id="not-a-loss"),
        pytest.param("import torch.nn.functional as F\nF.mse_loss(a, b, *rest)\n", id="starred-without-visible-flag"),
        pytest.param(
            "import torch.nn as nn\nclass MyLoss(nn.MSELoss):\n    pass\nc = MyLoss(size_average=False)\n",
            id="subclass",
        ),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(LossReduction, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, fragment",
    [
        pytest.param("import torch.nn as nn\n\nc = nn.MSELoss(size_average=avg)\n", "not a literal", id="non-literal"),
        pytest.param(
            "import torch.nn as nn\n\nc = nn.MSELoss(size_average=opts.flag())\n", "not a literal", id="non-literal-call"
        ),
        pytest.param(
            "import torch.nn as nn\n\nc = nn.MSELoss(False, reduce=flag)\n", "`reduce=flag`", id="non-literal-reduce"
        ),
        pytest.param(
            "import torch.nn as nn\n\nc = nn.MSELoss(size_average=False, reduction='sum')\n",
            "ignores `reduction=`",
            id="both-given",
        ),
        pytest.param(
            "import torch.nn.functional as F\n\nF.mse_loss(a, b, *rest, size_average=False)\n",
            "*args",
            id="starred",
        ),
        pytest.param(
            "import torch.nn.functional as F\n\nF.mse_loss(a, b, False, *rest)\n",
            "*args",
            id="positional-flag-before-starred",
        ),
    ],
)
def test_findings(source, fragment):
    result = unchanged(LossReduction, source)
    [finding] = result.findings
    assert (finding.code, finding.line) == ("TU402", 3) and fragment in finding.message


FLAG_VALUES = [None, True, False]


@pytest.mark.parametrize("size_average, reduce", list(itertools.product(FLAG_VALUES, FLAG_VALUES)))
def test_truth_table_matches_torch(size_average, reduce):
    pytest.importorskip("torch")
    from torch.nn import _reduction

    expected = _reduction.legacy_get_string(size_average, reduce, emit_warning=False)
    assert legacy_reduction(size_average, reduce) == expected


def test_every_legacy_loss_in_torch_is_covered():
    """The tables list exactly the losses of the installed torch that still take `size_average`,
    with their positional parameters in order."""
    torch = pytest.importorskip("torch")
    import inspect

    classes = {}
    for name in dir(torch.nn):
        cls = getattr(torch.nn, name)
        if inspect.isclass(cls) and issubclass(cls, torch.nn.Module):
            params = list(inspect.signature(cls.__init__).parameters)[1:]
            if "size_average" in params:
                classes[name] = tuple(params[: params.index("reduction") + 1])
    functions = {}
    for name in dir(torch.nn.functional):
        function = getattr(torch.nn.functional, name)
        if inspect.isfunction(function):
            params = list(inspect.signature(function).parameters)
            if "size_average" in params:
                functions[name] = tuple(params[: params.index("reduction") + 1])
    assert LOSS_CLASSES == classes
    assert LOSS_FUNCTIONS == functions


# -- old and new, run in torch ------------------------------------------------------------

CALLS = [
    "nn.MSELoss(size_average=False)(a, b)",
    "nn.MSELoss(False)(a, b)",
    "nn.L1Loss(reduce=False)(a, b)",
    "nn.SmoothL1Loss(size_average=False, reduce=False)(a, b)",
    "nn.SmoothL1Loss(size_average=True, reduce=True)(a, b)",
    "nn.CrossEntropyLoss(None, False)(logits, labels)",
    "nn.NLLLoss(None, False, 1)(logits.log_softmax(1), labels)",
    "nn.BCELoss(size_average=False)(a.sigmoid(), b.sigmoid())",
    "nn.KLDivLoss(size_average=False)(a.log_softmax(1), b.softmax(1))",
    "nn.MultiMarginLoss(1, 1.0, None, False)(logits, labels)",
    "nn.TripletMarginLoss(1.0, 2, 1e-6, False, False)(a, b, a.flip(0))",
    "nn.PoissonNLLLoss(True, False, False, 1e-8)(a, b.abs())",
    "F.mse_loss(a, b, size_average=False)",
    "F.mse_loss(a, b, False, False)",
    "F.cross_entropy(logits, labels, None, False, 2)",
    "F.nll_loss(logits.log_softmax(1), labels, reduce=False)",
    "F.binary_cross_entropy_with_logits(a, b.sigmoid(), size_average=False)",
    "F.margin_ranking_loss(a[:, 0], b[:, 0], labels.float().sign(), 0.5, False)",
    "F.hinge_embedding_loss(a, b.sign(), 1.0, None, False)",
]


@pytest.mark.parametrize("call", CALLS)
def test_old_and_new_compute_the_same_loss(call):
    torch = pytest.importorskip("torch")
    import warnings

    result = run(LossReduction, f"import torch.nn as nn\nimport torch.nn.functional as F\nresult = {call}\n")
    assert result.edits, "the call must be rewritten"
    new_call = result.code.splitlines()[-1].removeprefix("result = ")
    assert "size_average" not in new_call and "reduce=" not in new_call
    generator = torch.Generator().manual_seed(0)
    names = {
        "torch": torch,
        "nn": torch.nn,
        "F": torch.nn.functional,
        "a": torch.randn(4, 3, generator=generator),
        "b": torch.randn(4, 3, generator=generator),
        "logits": torch.randn(4, 3, generator=generator),
        "labels": torch.tensor([0, 2, 1, 2]),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy flags warn
        old = eval(call, names)
    new = eval(new_call, names)
    assert (new.dtype, new.shape) == (old.dtype, old.shape)
    assert torch.equal(new, old)


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'import torch.nn as nn\nc = nn.CrossEntropyLoss(weight=w, ignore_index=-1)\n',
        'import torch.nn.functional as F\nl = F.cross_entropy(model(x), y)\n',
        'from functools import reduce\nn = reduce(lambda a, b: a * b, shape)\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not LossReduction.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'import torch.nn as nn\nc = nn.MSELoss(False)\n',
        'import torch.nn.functional as fn\nl = fn.nll_loss(out, t, None, False)\n',
        'from torch.nn import MSELoss as M\nc = M(size_average=False)\n',
        'import torch.nn as nn\nc = nn.L1Loss(reduce = False)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert LossReduction.may_apply(source)
    assert run(LossReduction, source, unsafe=True).records  # and the codemod acts on it
