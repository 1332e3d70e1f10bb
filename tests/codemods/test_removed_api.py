import importlib
import warnings

import pytest
from codemod_harness import rewrite, run, unchanged

from click.testing import CliRunner

from torchup.cli import main
from torchup.codemods.removed_api import TABLE, RemovedApi


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("import torch\no = torch.ger(u, v)\n", "import torch\no = torch.outer(u, v)\n", id="ger"),
        pytest.param("import torch\nq, r = torch.qr(A)\n", "import torch\nq, r = torch.linalg.qr(A)\n", id="qr"),
        pytest.param(
            "import torch\nL = torch.cholesky(A, upper=True)\n",
            "import torch\nL = torch.linalg.cholesky(A, upper=True)\n",
            id="cholesky-upper-keyword",
        ),
        pytest.param(
            "from torch import ger\no = ger(u, v)\n",
            "import torch\n\no = torch.outer(u, v)\n",
            id="from-import-replaced",
        ),
        pytest.param(
            "import torch.nn as nn\nup = nn.UpsamplingNearest2d(scale_factor=2)\n",
            'import torch.nn as nn\nup = nn.Upsample(scale_factor=2, mode="nearest")\n',
            id="upsampling-nearest",
        ),
        pytest.param(
            "import torch.nn as nn\nup = nn.UpsamplingNearest2d()\n",
            'import torch.nn as nn\nup = nn.Upsample(mode="nearest")\n',
            id="upsampling-nearest-without-arguments",
        ),
        pytest.param(
            "from torch import nn\nup = nn.UpsamplingBilinear2d((8, 8))\n",
            'from torch import nn\nup = nn.Upsample((8, 8), mode="bilinear", align_corners=True)\n',
            id="upsampling-bilinear",
        ),
        pytest.param(
            "import torchvision.transforms as T\nt = T.RandomSizedCrop(224)\n",
            "import torchvision.transforms as T\nt = T.RandomResizedCrop(224)\n",
            id="random-sized-crop",
        ),
        pytest.param(
            "import torch\no = torch.randn(3).ger(torch.randn(4))\n",
            "import torch\no = torch.randn(3).outer(torch.randn(4))\n",
            id="tensor-method-ger",
        ),
        pytest.param(
            # 0.3's Variable.backward: `retain_graph = retain_variables` when only it is given
            "one_hot.backward(retain_variables=True)\n",
            "one_hot.backward(retain_graph=True)\n",
            id="backward-retain-variables",
        ),
        pytest.param(
            "loss.backward(gradient, retain_variables=keep)\n",
            "loss.backward(gradient, retain_graph=keep)\n",
            id="backward-retain-variables-value-kept",
        ),
        pytest.param(
            "import torch\ntorch.autograd.backward([y], retain_variables=True)\n",
            "import torch\ntorch.autograd.backward([y], retain_graph=True)\n",
            id="autograd-backward-retain-variables",
        ),
        pytest.param(
            "from torch.autograd import backward\nbackward(y, g, retain_variables=False)\n",
            "from torch.autograd import backward\nbackward(y, g, retain_graph=False)\n",
            id="autograd-backward-imported",
        ),
    ],
)
def test_safe_rewrites(before, after):
    result = rewrite(RemovedApi, before, after)
    assert [edit.code for edit in result.edits] == ["TU420"]


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "import torchvision.models as models\nm = models.resnet18(pretrained=True)\n",
            'import torchvision.models as models\nm = models.resnet18(weights="IMAGENET1K_V1")\n',
            id="pretrained-true",
        ),
        pytest.param(
            "from torchvision.models import vgg16\nm = vgg16(pretrained=False, num_classes=10)\n",
            "from torchvision.models import vgg16\nm = vgg16(weights=None, num_classes=10)\n",
            id="pretrained-false",
        ),
    ],
)
def test_pretrained_is_an_unsafe_keyword_edit(before, after):
    reported = run(RemovedApi, before)
    assert reported.code == before and [f.fix_available for f in reported.findings] == [True]
    rewrite(RemovedApi, before, after, unsafe=True)


def test_masked_copy_is_an_unsafe_rename():
    source = "import torch\ntorch.zeros(3).masked_copy_(mask, src)\n"
    safe = run(RemovedApi, source)
    assert safe.code == source
    [finding] = safe.findings
    assert finding.fix_available
    rewrite(RemovedApi, source, source.replace("masked_copy_", "masked_scatter_"), unsafe=True)


def test_a_method_rename_needs_a_receiver_known_to_be_a_tensor():
    # On a parameter the receiver may be anything: the rename is offered for tensors only.
    source = "import torch\n\n\ndef fill(x, mask, src):\n    return x.masked_copy_(mask, src)\n"
    result = unchanged(RemovedApi, source)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU420", 5, False)
    assert "masked_scatter_" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import numpy as np\nq, r = np.linalg.qr(A)\nw = np.linalg.eig(A)\n", id="numpy"),
        pytest.param("import scipy.linalg\nw = scipy.linalg.eig(A)\n", id="scipy"),
        pytest.param("import torch\nq, r = torch.linalg.qr(A)\no = torch.outer(u, v)\n", id="modern"),
        pytest.param("def f(x):\n    return x.qr(), x.eig(), x.solve(b), x.ger(y)\n", id="unknown-receiver-common-name"),
        pytest.param("import torchvision\nm = torchvision.models.resnet18()\n", id="no-pretrained"),
        pytest.param("from torch.utils.data import TensorDataset\nd = TensorDataset(x, y)\n", id="tensordataset-positional"),
        pytest.param("gesv = lambda b, a: b\nx = gesv(b, A)\n", id="own-function"),
        pytest.param(
            "from torchvision import transforms\nt = transforms.LinearTransformation(m, mean)\n",
            id="linear-transformation-both-arguments",
        ),
        pytest.param("trainer.run(retain_variables=True)\n", id="own-retain-variables-keyword"),
        pytest.param("loss.backward(retain_graph=True)\n", id="backward-retain-graph"),
        pytest.param("import ffi\nffi.create_extension(name)\n", id="own-ffi-module"),
        pytest.param("from . import ffi\nfrom .ffi import create_extension\n", id="own-relative-ffi"),
        pytest.param("from .torch.utils.ffi import create_extension\n", id="own-vendored-torch-relative"),
        pytest.param("from mylib.utils.ffi import create_extension\n", id="other-package-ffi"),
        pytest.param("from cffi import FFI\nffi = FFI()\n", id="cffi"),
        pytest.param("import torch.utils.serialization\n", id="serialization-still-a-module"),
        pytest.param("from torch.utils.cpp_extension import load\n", id="cpp-extension"),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(RemovedApi, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, fragment",
    [
        pytest.param("import torch\nx, lu = torch.gesv(b, A)\n", "torch.linalg.solve(A, B)", id="gesv"),
        pytest.param("import torch\ne, v = torch.symeig(A, True)\n", "torch.linalg.eigh", id="symeig"),
        pytest.param("import torch\nlu, p = torch.btrifact(A)\n", "torch.linalg.lu_factor", id="btrifact"),
        pytest.param("import torch\nu = torch.potrf(A)\n", "upper=True", id="potrf"),
        pytest.param("import torch\nw, v = torch.eig(A, True)\n", "complex", id="eig"),
        pytest.param("import torch\nq, r = torch.qr(A, some=False)\n", 'mode="complete"', id="qr-some"),
        pytest.param("import torch\nf = torch.fft(x, 2)\n", "torch.fft.fftn", id="fft"),
        pytest.param("import torch\nr = torch.pstrf(A)\n", "no replacement", id="pstrf"),
        pytest.param("x = y.potrf()\n", "torch.linalg.cholesky", id="method-potrf-any-receiver"),
        pytest.param("import torch\nw = torch.randn(3, 3).eig()\n", "torch.linalg.eig", id="method-eig-tensor"),
        pytest.param(
            "from torch.utils.data import TensorDataset\nd = TensorDataset(data_tensor=x, target_tensor=y)\n",
            "positional",
            id="tensordataset-keywords",
        ),
        pytest.param(
            "import torchvision.models as models\nm = models.resnet18(pretrained=flag)\n",
            'weights="IMAGENET1K_V1"',
            id="pretrained-variable",
        ),
        pytest.param("import torch.nn as nn\nnn.utils.weight_norm(m)\n", "state_dict", id="weight-norm"),
        pytest.param("import torch\nL = torch.cholesky(*args)\n", "torch.linalg.cholesky", id="starred-may-hold-upper"),
        pytest.param("import torch\nL = torch.qr(A, **options)\n", "torch.linalg.qr", id="double-starred-may-hold-some"),
        pytest.param("import torch\nL = torch.qr(A, False)\n", "torch.linalg.qr", id="some-passed-by-position"),
        pytest.param(
            "from torchvision import transforms\nt = transforms.LinearTransformation(m)\n",
            "`mean_vector` is required now",
            id="linear-transformation-one-argument",
        ),
        pytest.param(
            # the star may bring both arguments or one: never silent, and it says why it asks
            "from torchvision import transforms\nt = transforms.LinearTransformation(*args)\n",
            "its arguments come through `*`/`**`: check them",
            id="linear-transformation-starred",
        ),
        pytest.param(
            "from torchvision import transforms\nt = transforms.LinearTransformation(m, **options)\n",
            "its arguments come through `*`/`**`: check them",
            id="linear-transformation-double-starred",
        ),
    ],
)
def test_findings(source, fragment):
    result = unchanged(RemovedApi, source)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU420", source.count("\n"), False)
    assert fragment in finding.message


_FFI = (
    "`torch.utils.ffi` was removed from torch; use `torch.utils.cpp_extension`: `create_extension` (cffi C "
    "extensions) has no direct replacement: build the extension with `torch.utils.cpp_extension` "
    "(`CppExtension`/`CUDAExtension` in setup.py, or `load(...)`), its C sources ported from TH's C API to ATen/C++"
)
_LEGACY = (
    "`torch.legacy` was removed from torch; no replacement: the Lua-torch-style `legacy.nn`/`legacy.optim` "
    "are gone: use `torch.nn` and `torch.optim`"
)
_LOAD_LUA = (
    "`load_lua` was removed from torch; no replacement: read Lua torch `.t7` files with the `torchfile` package "
    "(`torchfile.load(path)`, numpy arrays, not tensors)"
)


@pytest.mark.parametrize(
    "source, message",
    [
        pytest.param("from torch.utils.ffi import create_extension\n", _FFI, id="from-ffi-import"),
        pytest.param("from torch.utils.ffi import _wrap_function\n", _FFI, id="from-ffi-import-private"),
        pytest.param("from torch.utils import ffi\n", _FFI, id="from-utils-import-ffi"),
        pytest.param("import torch.utils.ffi as tffi\n", _FFI, id="import-ffi"),
        pytest.param("import os, torch.utils.ffi\n", _FFI, id="import-ffi-second-name"),
        pytest.param("from torch.legacy import nn as nnl\n", _LEGACY, id="from-legacy-import-unused"),
        pytest.param("from torch.legacy.nn import SpatialConvolution\n", _LEGACY, id="from-legacy-submodule"),
        pytest.param("from torch import nn, legacy\n", _LEGACY, id="from-torch-import-legacy"),
        pytest.param("import torch\ne = torch.utils.ffi.create_extension(name)\n", _FFI, id="ffi-through-torch"),
        pytest.param("import torch as T\nm = T.legacy.nn.Linear(2, 3)\n", _LEGACY, id="legacy-through-alias"),
        pytest.param(
            "from torch.utils.serialization import load_lua\nout = load_lua(path)\n", _LOAD_LUA, id="load-lua"
        ),
        pytest.param(
            "loss.backward(retain_graph=True, retain_variables=True)\n",
            "`loss.backward(...)` changed: `retain_variables=` (deprecated in 0.2, a TypeError since 0.4) is "
            "`retain_graph=`, the same flag renamed",
            id="backward-both-keywords",  # 0.3 raised ValueError; the rename would repeat a keyword
        ),
    ],
)
def test_removed_modules_and_keywords_reported_whole(source, message):
    """The import of a removed module is where the file breaks: reported there, once, and the
    calls of its names (`create_extension(...)`) are not reported again."""
    result = unchanged(RemovedApi, source)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU420", source.count("\n"), False)
    assert finding.message == message


def test_a_call_from_a_removed_module_reported_at_its_import_is_not_reported_again():
    source = (
        "from torch.utils.ffi import create_extension\n"
        "import torch.legacy.nn as L\n"
        "ffi = create_extension('_ext.roi_pooling', headers=headers)\n"
        "m = L.Linear(2, 3)\n"
    )
    result = unchanged(RemovedApi, source)
    assert [(f.line, f.message) for f in result.findings] == [(1, _FFI), (2, _LEGACY)]


# -- each edit, old and new, on torch 2.13 ------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "torch.ger(u, v)",
        "torch.qr(A)",
        "torch.cholesky(S)",
        "torch.cholesky(S, upper=True)",
        "torch.as_tensor(u).ger(v)",
        "nn.UpsamplingNearest2d(scale_factor=2)(image)",
        "nn.UpsamplingNearest2d((5, 7))(image)",
        "nn.UpsamplingBilinear2d(scale_factor=2)(image)",
        "nn.UpsamplingBilinear2d(size=(5, 7))(image)",
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_old_and_new_agree(call, dtype):
    torch = pytest.importorskip("torch")
    source = f"import torch\nimport torch.nn as nn\nresult = {call}\n"
    result = run(RemovedApi, source)
    assert result.edits, "the call must be rewritten"
    new_call = result.code.splitlines()[-1].removeprefix("result = ")
    dt = getattr(torch, dtype)
    A = torch.randn(4, 3, dtype=dt)
    names = {
        "torch": torch,
        "nn": torch.nn,
        "u": torch.randn(3, dtype=dt),
        "v": torch.randn(5, dtype=dt),
        "A": A,
        "S": A.T @ A + torch.eye(3, dtype=dt),
        "image": torch.rand(1, 2, 3, 4, dtype=dt),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the deprecated functions warn
        old = eval(call, names)
    new = eval(new_call, names)
    for old_part, new_part in zip(*(o if isinstance(o, tuple) else (o,) for o in (old, new))):
        assert old_part.dtype == new_part.dtype
        assert torch.equal(old_part, new_part)


# -- the table ------------------------------------------------------------------------------


def test_table_counts_and_entries():
    changes = TABLE["changes"]
    names = {name for group in TABLE["legacy_names"].values() for name in group["names"]}
    assert TABLE["counts"]["legacy_names"] == len(names) > 700
    for status in ("removed", "raises", "deprecated", "changed"):
        assert TABLE["counts"][status] == sum(1 for e in changes.values() if e["status"] == status)
    for name, entry in changes.items():
        assert name in names
        assert "handled_by" in entry or ("replacement" in entry and entry["differences"]), name


def test_table_is_true_on_this_torch():
    """Every torch name the table calls removed is gone; every one it calls raising raises."""
    torch = pytest.importorskip("torch")
    for name, entry in TABLE["changes"].items():
        if not name.startswith("torch.") or entry["status"] not in ("removed", "raises"):
            continue
        owner, _, leaf = name.rpartition(".")
        module = torch.Tensor if owner == "torch.Tensor" else importlib.import_module(owner)
        function = getattr(module, leaf, None)
        if entry["status"] == "removed":
            assert function is None, name
        else:
            with pytest.raises(RuntimeError, match="removed"):
                function(torch.eye(2), torch.eye(2))


def _probe_call(name: str, entry: dict) -> str:
    if name.startswith("torch.Tensor.") and "keywords" in entry:
        return f"torch.randn(3, 3).{name.rsplit('.', 1)[1]}({entry['keywords'][0]}=value)"
    if name.startswith("torch.Tensor."):
        return f"torch.randn(3, 3).{name.rsplit('.', 1)[1]}(b)"
    if "keywords" in entry:
        return f"{name}({entry['keywords'][0]}=value)"
    return f"{name}(a)"


def test_probe_of_every_changed_name_is_edited_or_reported(tmp_path):
    """A file calling every removed, raising, deprecated or changed name in the table: after
    `torchup fix --unsafe-fixes` (prefilter, cache and all), each call's line was edited or
    `torchup check` reports it."""
    header = ["import torch", "import torch.nn", "import torch.nn.functional", "import torch.nn.init",
              "import torch.nn.utils", "import torch.utils.data", "import torchvision", "import torchvision.models",
              "import torchvision.transforms"]
    probed = sorted(TABLE["changes"])
    calls = [f"r = {_probe_call(name, TABLE['changes'][name])}" for name in probed]
    probe = tmp_path / "probe.py"
    probe.write_text("\n".join(header + calls) + "\n")
    runner = CliRunner()
    fixed = runner.invoke(main, ["fix", "--unsafe-fixes", "--no-cache", str(probe)], catch_exceptions=False)
    assert fixed.exit_code in (0, 1), fixed.stderr
    after = probe.read_text().splitlines()
    assert len(after) == len(header) + len(calls)  # line for line (no import was added)
    checked = runner.invoke(main, ["check", str(probe)], catch_exceptions=False)
    reported = {int(line.split(":")[1]) for line in checked.stdout.splitlines() if line.startswith(str(probe))}
    silent = [
        name
        for offset, (name, before) in enumerate(zip(probed, calls))
        if after[len(header) + offset] == before and len(header) + offset + 1 not in reported
    ]
    assert not silent
    assert len(probed) == len(TABLE["changes"]) > 80


def test_table_regenerates_identically_on_this_torch():
    """The committed table is what its script makes from its own legacy names and this torch."""
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != TABLE["built_with"]["torch"]:
        pytest.skip("the table describes another torch")
    try:
        import torchvision  # noqa: F401

        pytest.skip("torchvision is installed: the table was built without it")
    except ImportError:
        pass
    from torchup.codemods import _build_legacy_api

    assert _build_legacy_api.build(None) == TABLE


@pytest.mark.parametrize(
    "source",
    [
        "self.weight = w\n",
        "larger = max(a, b)\n",
        "height, eigen = 3, 4\n",
        "q, r = torch.linalg.qr(a)\n",
        "loss.backward()\n",  # `backward` alone is no marker: only its changed keyword is
        "loss.backward(retain_graph=True)\n",
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not RemovedApi.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        "x = torch.gesv(b, A)\n",
        "y = a.potrf()\n",
        "q = (torch.ger)(a, b)\n",
        "from torch import gesv as old_solve\nold_solve(b, A)\n",
        "from torch import (\n    ger as outer,\n)\n",
        "m = models.resnet18(pretrained=True)\n",
        "y.backward(retain_variables=True)\n",
        "y.backward(retain_variables = True)\n",
        "from torch.utils.ffi import create_extension\n",
        "from torch.legacy import nn\n",
        "from torch.utils import ffi\n",
        "import torch.utils.ffi\n",
        "import torch\ntorch.utils.ffi.create_extension(n)\n",
        "from torch.utils.serialization import load_lua\nload_lua(p)\n",
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert RemovedApi.may_apply(source)


def test_a_replacement_the_file_cannot_spell_is_reported_with_the_name_used():
    # `torch` names numpy here: `torch.outer` cannot be written, so the call is reported, not rewritten.
    source = "from torch import ger\nimport numpy as torch\no = ger(u, v)\n"
    [finding] = unchanged(RemovedApi, source).findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU420", 3, False)
    assert finding.message == "`ger` is deprecated; use `torch.outer`: same arguments and result (the new name cannot be spelled here)"


# -- the table's generator (codemods/_build_legacy_api.py) -----------------------------------


def test_rst_names_reads_every_sphinx_directive_in_its_current_module(tmp_path):
    from torchup.codemods import _build_legacy_api

    source = tmp_path / "torch.rst"
    source.write_text(
        ".. currentmodule:: torch\n"
        "Tensors\n"
        "-------\n"
        ".. autofunction:: gesv\n"
        "    .. automethod:: Tensor.masked_copy_\n"
        ".. autoclass:: torch.nn.Linear\n"
        ".. autodata:: default_generator\n"
        ".. autoattribute:: Tensor.grad\n"
        ".. autosummary::\n"
        ".. note:: autofunction:: not_a_directive\n"
        ".. currentmodule:: torch.nn.functional\n"
        ".. autofunction:: upsample\n",
        encoding="utf-8",
    )
    assert _build_legacy_api.rst_names(source) == [
        "torch.gesv",
        "torch.Tensor.masked_copy_",
        "torch.nn.Linear",
        "torch.default_generator",
        "torch.Tensor.grad",
        "torch.nn.functional.upsample",
    ]


def test_a_name_gone_without_a_known_replacement_is_removed_with_none():
    pytest.importorskip("torch")
    from torchup.codemods import _build_legacy_api

    assert _build_legacy_api.classify("torch.no_such_legacy_function", False) == {
        "status": "removed",
        "replacement": None,
        "differences": "no replacement",
    }
    assert _build_legacy_api.classify("torch.nn.Linear", False) is None  # still there, unchanged


def test_build_with_sources_replaces_the_groups_of_their_stems(tmp_path):
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != TABLE["built_with"]["torch"]:
        pytest.skip("the table describes another torch")
    from torchup.codemods import _build_legacy_api

    (tmp_path / "tensors.rst").write_text(
        ".. currentmodule:: torch\n.. automethod:: Tensor.masked_copy_\n.. autofunction:: no_such_legacy_function\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.txt").write_text(".. autofunction:: ignored\n", encoding="utf-8")
    table = _build_legacy_api.build(tmp_path)
    assert table["legacy_names"]["tensors"] == {
        "origin": "pytorch/pytorch docs/source/tensors.rst",
        "names": ["torch.Tensor.masked_copy_", "torch.no_such_legacy_function"],
    }
    assert table["changes"]["torch.no_such_legacy_function"] == {
        "status": "removed",
        "replacement": None,
        "differences": "no replacement",
    }
    assert table["changes"]["torch.Tensor.masked_copy_"] == TABLE["changes"]["torch.Tensor.masked_copy_"]
    assert set(table["legacy_names"]) == set(TABLE["legacy_names"])  # `tensors` replaced, no group added
    names = {name for group in table["legacy_names"].values() for name in group["names"]}
    assert table["counts"]["legacy_names"] == len(names)


def test_the_script_writes_the_committed_table_byte_for_byte(tmp_path, monkeypatch, capsys):
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != TABLE["built_with"]["torch"]:
        pytest.skip("the table describes another torch")
    try:
        import torchvision  # noqa: F401

        pytest.skip("torchvision is installed: the table was built without it")
    except ImportError:
        pass
    from torchup.codemods import _build_legacy_api

    committed = _build_legacy_api.TABLE.read_text(encoding="utf-8")
    copy = tmp_path / "legacy_api.json"
    copy.write_text(committed, encoding="utf-8")
    monkeypatch.setattr(_build_legacy_api, "TABLE", copy)
    monkeypatch.setattr("sys.argv", ["_build_legacy_api.py"])
    _build_legacy_api.main()
    assert copy.read_text(encoding="utf-8") == committed
    assert capsys.readouterr().out == f"{copy}: {TABLE['counts']}\n"


def test_an_aliased_import_of_the_old_name_is_removed_with_it():
    result = rewrite(RemovedApi, "from torch import ger as outer\no = outer(u, v)\n", "import torch\n\no = torch.outer(u, v)\n")
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU420", 2, 4, "`outer(...)` -> `torch.outer(...)`: same arguments and result")
    ]


def test_a_keyword_the_edit_would_add_is_already_given():
    # `mode=` given: adding it again would be a SyntaxError, so the call is reported.
    source = 'import torch.nn as nn\nup = nn.UpsamplingNearest2d(scale_factor=2, mode="nearest")\n'
    result = unchanged(RemovedApi, source)
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        (
            "TU420",
            2,
            5,
            '`nn.UpsamplingNearest2d` is deprecated; use `torch.nn.Upsample`: `UpsamplingNearest2d(size, scale_factor)` '
            '-> `nn.Upsample(size, scale_factor, mode="nearest")`',
            False,
        )
    ]


def test_retain_variables_raises_on_this_torch_and_its_edit_keeps_the_graph():
    """The finding's claim (a TypeError since 0.4) and the edit's meaning: the graph is kept for a
    second backward, as 0.3's `retain_variables=True` kept it."""
    torch = pytest.importorskip("torch")
    x = torch.ones(2, requires_grad=True)
    y = (x * x).sum()
    with pytest.raises(TypeError, match="retain_variables"):
        y.backward(retain_variables=True)
    y.backward(retain_graph=True)
    y.backward()  # the graph was kept
    assert x.grad.tolist() == [4.0, 4.0]


@pytest.mark.parametrize(
    "source, screened",
    [
        ("loss.backward(retain_graph=True)\nnote = 'retain_variables=True'\n", False),
        ("loss.backward(retain_variables=True)\n", True),
        ("from torch.legacy import nn\n", True),
        ("from .torch.legacy import nn\n", False),
        ("import torch\nm = torch.legacy.nn.Linear(2, 3)\n", True),
    ],
)
def test_tree_screen_passes_a_changed_keyword_or_a_removed_module_only(source, screened):
    import ast

    assert RemovedApi.TREE_SCREEN(ast.parse(source)) is screened


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from torch import ger\ndef outer(a, b, torch=None):\n    return ger(a, b)\n", id="a-parameter"),
        pytest.param("from torch import ger\ntorch = None\no = ger(u, v)\n", id="an-assignment"),
    ],
)
def test_a_replacement_whose_top_module_the_file_rebinds_is_reported(source):
    # `torch` is the file's own name here (no alias of another module): `torch.outer` would call it
    # (the thirty-seventh blind sweep's survivor dropped the rebinding check).
    [finding] = unchanged(RemovedApi, source, unsafe=True).findings
    assert (finding.code, finding.fix_available) == ("TU420", False)
    assert finding.message == "`ger` is deprecated; use `torch.outer`: same arguments and result (the new name cannot be spelled here)"
