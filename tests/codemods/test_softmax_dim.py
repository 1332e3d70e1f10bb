import pytest
from codemod_harness import unchanged

from torchup.codemods.softmax_dim import SoftmaxDim


@pytest.mark.parametrize(
    "source, name",
    [
        pytest.param("import torch.nn.functional as F\n\np = F.softmax(logits)\n", "softmax", id="functional"),
        pytest.param(
            "import torch.nn.functional as F\n\np = F.log_softmax(x, dim=None)\n", "log_softmax", id="dim-none"
        ),
        pytest.param("from torch.nn.functional import softmin\n\np = softmin(x)\n", "softmin", id="imported"),
        pytest.param("import torch.nn as nn\n\nm = nn.LogSoftmax()\n", "LogSoftmax", id="module"),
        pytest.param("import torch\n\nm = torch.nn.Softmax()\n", "Softmax", id="module-full-path"),
    ],
)
def test_missing_dim_is_reported_with_the_legacy_rule(source, name):
    result = unchanged(SoftmaxDim, source)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU404", 3, False)
    assert f"`{name}` without `dim`" in finding.message
    assert "0 for a 0-, 1- or 3-dimensional input and 1 otherwise" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch.nn.functional as F\np = F.softmax(x, 1)\n", id="positional-dim"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x, dim=-1)\n", id="keyword-dim"),
        pytest.param("import torch.nn as nn\nm = nn.Softmax(1)\n", id="module-dim"),
        pytest.param("import torch.nn as nn\nm = nn.Softmax2d()\n", id="softmax2d-has-no-dim"),
        pytest.param("def softmax(x):\n    return x\np = softmax(y)\n", id="user-function"),
        pytest.param("import torch\nF = Filters()\np = F.softmax(y)\n", id="local-F"),
        pytest.param("import scipy.special as F\np = F.softmax(y)\n", id="other-module"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(*args)\n", id="starred"),
    ],
)
def test_not_reported(source):
    assert not unchanged(SoftmaxDim, source).findings


@pytest.mark.parametrize("ndim, implicit", [(0, 0), (1, 0), (2, 1), (3, 0), (4, 1), (5, 1)])
def test_the_reported_rule_is_torchs(ndim, implicit):
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        assert torch.nn.functional._get_softmax_dim("softmax", ndim, stacklevel=1) == implicit
