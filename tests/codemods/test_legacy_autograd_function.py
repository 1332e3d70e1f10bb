import pytest
from codemod_harness import run, unchanged

from torchup.codemods.legacy_autograd_function import LegacyAutogradFunction

LEGACY = """
{imports}
class Clamp({base}):
    def forward(self, x):
        self.save_for_backward(x)
        return x.clamp(min=0)

    def backward(self, grad):
        x, = self.saved_tensors
        return grad * (x > 0).float()
"""


@pytest.mark.parametrize(
    "imports, base",
    [
        pytest.param("import torch", "torch.autograd.Function", id="full-path"),
        pytest.param("from torch.autograd import Function", "Function", id="imported"),
        pytest.param("from torch import autograd", "autograd.Function", id="module-imported"),
        pytest.param("from torch.autograd.function import InplaceFunction", "InplaceFunction", id="inplace"),
        pytest.param("from torch.autograd import Function", "Mixin, Function", id="not-the-first-base"),
    ],
)
def test_non_static_forward_is_reported(imports, base):
    [finding] = unchanged(LegacyAutogradFunction, LEGACY.format(imports=imports, base=base)).findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU407", 3, False)
    assert "`Clamp`" in finding.message and "Clamp.apply(" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import torch\nclass C(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x\n",
            id="new-style",
        ),
        pytest.param(
            "import torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n        return x\n", id="module"
        ),
        pytest.param(
            "class Function:\n    pass\nclass C(Function):\n    def forward(self, x):\n        return x\n",
            id="user-Function",
        ),
    ],
)
def test_not_reported(source):
    assert not unchanged(LegacyAutogradFunction, source).findings


def test_only_the_old_style_function_of_a_file_is_reported():
    # A file with a legacy Function passes the prefilter: its new-style neighbour must stay quiet.
    source = LEGACY.format(imports="import torch", base="torch.autograd.Function") + (
        "\n\nclass Exp(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x.exp()\n"
    )
    findings = unchanged(LegacyAutogradFunction, source).findings
    assert [(f.code, f.line) for f in findings] == [("TU407", 3)]
    assert "`Clamp`" in findings[0].message


@pytest.mark.filterwarnings("ignore:.*should not be instantiated:DeprecationWarning")
def test_the_legacy_form_really_fails_on_current_torch():
    torch = pytest.importorskip("torch")
    namespace = {}
    exec(compile(LEGACY.format(imports="import torch", base="torch.autograd.Function"), "legacy.py", "exec"), namespace)
    with pytest.raises(RuntimeError, match="non-static forward"):
        namespace["Clamp"]()(torch.ones(2))


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'import torch\n\nclass Exp(torch.autograd.Function):\n    @staticmethod\n    # a comment\n    def forward(ctx, x):\n        return x.exp()\n',
        'from torch.autograd import Function\n\nclass Id(Function):\n    @staticmethod\n    @once_differentiable\n    def forward(ctx, x):\n        return x\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not LegacyAutogradFunction.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'from torch.autograd import Function\n\nclass Id(Function):\n    def forward(self, x):\n        return x\n',
        'from torch.autograd import Function as Fn\n\nclass Id(Fn):\n    @classmethod\n\n    def forward(cls, x):\n        return x\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert LegacyAutogradFunction.may_apply(source)
    assert run(LegacyAutogradFunction, source, unsafe=True).records  # and the codemod acts on it


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("    def __init__(self, low):\n        self.low = low\n\n", id="after-init"),
        pytest.param("    scale = 2\n\n    @staticmethod\n    def helper(x):\n        return x\n\n", id="after-attribute-and-static-helper"),
    ],
)
def test_a_non_static_forward_is_reported_wherever_it_stands_in_the_class(before):
    source = (
        "from torch.autograd import Function\n\nclass Clip(Function):\n" + before
        + "    def forward(self, x):\n        return x.clamp(min=self.low)\n"
    )
    [finding] = unchanged(LegacyAutogradFunction, source).findings
    assert (finding.code, finding.line) == ("TU407", source.splitlines().index("    def forward(self, x):") + 1)
