import pytest
from codemod_harness import codes, rewrite, run, unchanged

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


def test_a_module_given_its_dim_positionally_is_not_reported_beside_one_that_is():
    # In a file the prefilter lets through (the second call has no dim), `nn.Softmax(1)` sets dim.
    source = "import torch.nn as nn\nimport torch.nn.functional as F\nm = nn.Softmax(1)\np = F.softmax(x)\n"
    [finding] = unchanged(SoftmaxDim, source).findings
    assert (finding.line, finding.message.split()[0]) == (4, "`softmax`")


@pytest.mark.parametrize("ndim, implicit", [(0, 0), (1, 0), (2, 1), (3, 0), (4, 1), (5, 1)])
def test_the_reported_rule_is_torchs(ndim, implicit):
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        assert torch.nn.functional._get_softmax_dim("softmax", ndim, stacklevel=1) == implicit


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "import torch.nn.functional as F\np = F.softmax(attn.view(-1, len_k)).view(-1, len_q, len_k)\n",
            "import torch.nn.functional as F\np = F.softmax(attn.view(-1, len_k), dim=1).view(-1, len_q, len_k)\n",
            id="2d-view",
        ),
        pytest.param(
            "import torch.nn.functional as F\nlp = F.log_softmax(logit.reshape(n, c, h, w))\n",
            "import torch.nn.functional as F\nlp = F.log_softmax(logit.reshape(n, c, h, w), dim=1)\n",
            id="4d-reshape",
        ),
        pytest.param(
            "from torch.nn import functional\np = functional.softmin(x.view(b, -1), dtype=torch.double)\n",
            "from torch.nn import functional\np = functional.softmin(x.view(b, -1), dtype=torch.double, dim=1)\n",
            id="after-a-keyword",
        ),
    ],
)
def test_a_reshape_with_known_ndim_gets_the_legacy_dim(before, after):
    result = rewrite(SoftmaxDim, before, after)
    assert codes(result.edits) == ("TU404",) and not result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.view(b, t, -1))\n", id="3d-is-dim-0"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.view(-1))\n", id="one-size"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.view(shape))\n", id="size-tuple"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.view(*shape, -1))\n", id="starred-sizes"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.view(-1, n), dim=None)\n", id="dim-none"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.view(n, -1).t())\n", id="not-the-reshape"),
        pytest.param("import torch.nn.functional as F\np = F.softmax(x.repeat(2, 3))\n", id="other-method-with-two-arguments"),
    ],
)
def test_other_inputs_stay_findings(source):
    result = unchanged(SoftmaxDim, source)
    assert codes(result.findings) == ("TU404",)


def test_a_reshape_has_as_many_dims_as_sizes_and_legacy_dim_1_when_not_3():
    torch = pytest.importorskip("torch")
    x = torch.randn(2, 3, 4, 5)
    for sizes in ((-1, 5), (2, 3, -1, 5), (1, 2, 3, 4, 5)):
        reshaped = x.reshape(*sizes)
        assert reshaped.dim() == len(sizes)
        with pytest.warns(UserWarning, match="Implicit dimension choice"):
            legacy = torch.nn.functional.softmax(reshaped)
        assert torch.equal(legacy, torch.nn.functional.softmax(reshaped, dim=1))


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'import torch.nn as nn\nimport torch.nn.functional as F\nm = nn.Softmax(dim=1)\np = F.softmax(x, dim=-1)\n',
        'import torch\np = torch.softmax(x, 1)\nq = x.log_softmax(-1)\n',
        '"""Apply softmax(x) first."""\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not SoftmaxDim.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'import torch.nn.functional as F\np = F.softmax(x, dim= None)\n',
        'from torch.nn.functional import log_softmax as lsm\np = lsm(x)\n',
        'from torch.nn import LogSoftmax as LS\nm = LS()\n',
        'import torch.nn as nn\nm = nn.Softmax( None)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert SoftmaxDim.may_apply(source)
    assert run(SoftmaxDim, source, unsafe=True).records  # and the codemod acts on it
