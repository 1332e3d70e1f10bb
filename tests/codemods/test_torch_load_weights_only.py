import pytest
from codemod_harness import run, unchanged

from torchup.codemods.torch_load_weights_only import TorchLoadWeightsOnly


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\n\nckpt = torch.load(path)\n", id="plain"),
        pytest.param("import torch\n\nckpt = torch.load(path, map_location=lambda s, loc: s)\n", id="map-location"),
        pytest.param("from torch import load\n\nckpt = load(path)\n", id="imported"),
        pytest.param("import torch as th\n\nckpt = th.load(f)\n", id="aliased"),
        # weights_only is keyword-only: positional arguments cannot hold it, `**options` can.
        pytest.param("import torch\n\nckpt = torch.load(*args)\n", id="star-args"),
    ],
)
def test_reported(source):
    [finding] = unchanged(TorchLoadWeightsOnly, source).findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU405", 3, False)
    assert "weights_only" in finding.message and "2.6" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\nckpt = torch.load(path, weights_only=True)\n", id="explicit-true"),
        pytest.param("import torch\nckpt = torch.load(path, weights_only=False)\n", id="explicit-false"),
        pytest.param("import torch\nckpt = torch.load(path, **options)\n", id="kwargs"),
        pytest.param("import json\nd = json.load(f)\n", id="json"),
        pytest.param("import pickle as torch\nd = torch.load(f)\n", id="other-module-named-torch"),
        pytest.param("import torch\nm = torch.jit.load(path)\n", id="jit-load"),
    ],
)
def test_not_reported(source):
    assert not unchanged(TorchLoadWeightsOnly, source).findings


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'import json\ndef load(path):\n    return json.load(open(path))\nstate = load(p)\n',
        'import pickle\nimport torch\nm = torch.jit.load(p)\nx = pickle.load(f)\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not TorchLoadWeightsOnly.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'import torch\nckpt = torch.load(p)\n',
        'from torch import load as L\nckpt = L(p)\n',
        'import torch.serialization as S\nckpt = S.load(p)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert TorchLoadWeightsOnly.may_apply(source)
    assert run(TorchLoadWeightsOnly, source, unsafe=True).records  # and the codemod acts on it
