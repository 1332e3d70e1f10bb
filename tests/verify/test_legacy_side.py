"""The OLD side's import hook and 0.3 defaults, in this process, undone after each test.

test_legacy_defaults.py checks the volatile contagion in fresh interpreters; these tests check,
directly, that legacy source with ``async=True`` imports, that only files under the old root get
the legacy loader, and that the interpolation defaults are 0.3's on the old side.
"""

from __future__ import annotations

import importlib
import sys

import pytest
import torch
import torch.nn.functional as F

from torchup.verify import legacy_defaults, legacy_source
from torchup.verify.legacy_source import LegacySourceFinder, LegacySourceLoader

# F.upsample is what 2017 code calls; torch warns that it is deprecated on every call.
pytestmark = pytest.mark.filterwarnings("ignore:`nn.functional.upsample` is deprecated:UserWarning")

LEGACY_MODULE = """
import torch

def move(x):
    return x.cuda(async=True) if x.is_cuda else x.clone()

async def still_a_coroutine():
    return "async="
"""


def test_legacy_source_with_async_keyword_imports_from_the_old_root(tmp_path, monkeypatch):
    old = tmp_path / "old"
    (old / "pkg").mkdir(parents=True)
    (old / "pkg" / "__init__.py").write_text("")
    (old / "pkg" / "legacy.py").write_text(LEGACY_MODULE)
    monkeypatch.syspath_prepend(str(old))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    for name in ("pkg", "pkg.legacy"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    legacy_source.install(old)
    assert sys.dont_write_bytecode is True
    assert isinstance(sys.meta_path[0], LegacySourceFinder)
    try:
        module = importlib.import_module("pkg.legacy")
        assert isinstance(module.__loader__, LegacySourceLoader)
        assert module.__spec__.name == "pkg.legacy"
        assert torch.equal(module.move(torch.ones(2)), torch.ones(2))
        import asyncio

        assert asyncio.run(module.still_a_coroutine()) == "async="  # the string is left alone
        package = sys.modules["pkg"]
        assert list(package.__path__) == [str(old / "pkg")]  # still a package its submodules load from
        assert not list((old / "pkg").rglob("*.pyc"))  # nothing written into the user's tree
    finally:
        for name in ("pkg", "pkg.legacy"):
            sys.modules.pop(name, None)


def test_only_files_under_the_old_root_get_the_legacy_loader(tmp_path):
    old, elsewhere = tmp_path / "old", tmp_path / "elsewhere"
    old.mkdir()
    elsewhere.mkdir()
    (old / "inside.py").write_text("x = 1\n")
    (elsewhere / "outside.py").write_text("x = 2\n")
    (old / "data.txt").write_text("")
    finder = LegacySourceFinder(old / ".")
    assert finder.root == old.resolve()
    inside = finder.find_spec("inside", [str(old)])
    assert isinstance(inside.loader, LegacySourceLoader) and inside.origin == str(old / "inside.py")
    assert inside.submodule_search_locations is None
    outside = finder.find_spec("outside", [str(elsewhere)])
    assert not isinstance(outside.loader, LegacySourceLoader) and outside.origin == str(elsewhere / "outside.py")
    assert finder.find_spec("nowhere", [str(old)]) is None
    # a built-in or extension module is none of its business
    assert not isinstance(finder.find_spec("json", None).loader, LegacySourceLoader)
    assert finder.find_spec("_json", None) is None or not isinstance(
        finder.find_spec("_json", None).loader, LegacySourceLoader
    )


def test_the_legacy_loader_compiles_async_keywords_and_reports_the_file(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def f(x):\n    return x.cuda(async=True)\n\ndef g(:\n")
    loader = LegacySourceLoader("broken", str(path))
    code = loader.source_to_code(b"y = dict(async=1)['non_blocking']\n", str(path))
    namespace = {}
    exec(code, namespace)
    assert namespace["y"] == 1 and code.co_filename == str(path)
    with pytest.raises(SyntaxError) as raised:
        loader.source_to_code(path.read_bytes(), str(path))
    assert raised.value.filename == str(path)  # the report names the user's file
    # the source's own encoding cookie is honoured
    latin = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1")
    namespace = {}
    exec(loader.source_to_code(latin, str(path)), namespace)
    assert namespace["name"] == "caf\xe9"


@pytest.fixture
def defaults_of_0_3(monkeypatch):
    """``legacy_defaults.install()`` here; torch's own functions and Variable restored after."""
    variable_module = sys.modules["torch.autograd.variable"]
    for owner, name in [(F, "upsample"), (F, "grid_sample"), (F, "affine_grid"), (variable_module, "Variable")]:
        monkeypatch.setattr(owner, name, getattr(owner, name))
    monkeypatch.setattr(torch.autograd, "Variable", torch.autograd.Variable)
    originals = F.upsample, F.grid_sample, F.affine_grid, torch.autograd.Variable
    legacy_defaults.install()
    return originals


def test_linear_upsampling_aligns_corners_as_in_0_3(defaults_of_0_3):
    upsample = defaults_of_0_3[0]
    x = torch.arange(8.0).reshape(1, 2, 2, 2)
    for mode in ("bilinear", "bicubic"):
        expected = upsample(x, None, 2, mode, True)
        torch.testing.assert_close(F.upsample(x, scale_factor=2, mode=mode), expected)
        torch.testing.assert_close(F.upsample(x, None, 2, mode), expected)
        assert not torch.allclose(upsample(x, scale_factor=2, mode=mode, align_corners=False), expected)
        # an explicit choice is kept
        torch.testing.assert_close(
            F.upsample(x, scale_factor=2, mode=mode, align_corners=False),
            upsample(x, scale_factor=2, mode=mode, align_corners=False),
        )
    line = torch.arange(3.0).reshape(1, 1, 3)
    torch.testing.assert_close(F.upsample(line, size=5, mode="linear"), upsample(line, 5, None, "linear", True))
    cube = torch.arange(8.0).reshape(1, 1, 2, 2, 2)
    torch.testing.assert_close(F.upsample(cube, scale_factor=2, mode="trilinear"), upsample(cube, None, 2, "trilinear", True))
    # nearest has no corners to align (align_corners must stay None for it)
    torch.testing.assert_close(F.upsample(x, scale_factor=2), upsample(x, scale_factor=2, mode="nearest"))
    torch.testing.assert_close(F.upsample(x, size=(4, 4)), upsample(x, size=(4, 4)))
    assert F.upsample.__name__ == "upsample" and F.upsample.__wrapped__ is upsample


def test_grid_sampling_aligns_corners_as_before_1_3(defaults_of_0_3):
    _, grid_sample, affine_grid, _ = defaults_of_0_3
    theta = torch.tensor([[[0.8, 0.1, 0.05], [-0.1, 0.9, 0.0]]])
    size = (1, 1, 4, 4)
    image = torch.arange(16.0).reshape(size)
    aligned_grid = affine_grid(theta, size, True)
    torch.testing.assert_close(F.affine_grid(theta, size), aligned_grid)
    torch.testing.assert_close(F.affine_grid(theta, size, align_corners=False), affine_grid(theta, size, False))
    assert not torch.allclose(aligned_grid, affine_grid(theta, size, False))
    aligned = grid_sample(image, aligned_grid, "bilinear", "zeros", True)
    torch.testing.assert_close(F.grid_sample(image, aligned_grid), aligned)
    torch.testing.assert_close(
        F.grid_sample(image, aligned_grid, mode="nearest", padding_mode="border"),
        grid_sample(image, aligned_grid, "nearest", "border", True),
    )
    torch.testing.assert_close(
        F.grid_sample(image, aligned_grid, align_corners=False),
        grid_sample(image, aligned_grid, align_corners=False),
    )
    assert not torch.allclose(grid_sample(image, aligned_grid, align_corners=False), aligned)
    assert F.grid_sample.__wrapped__ is grid_sample and F.affine_grid.__wrapped__ is affine_grid


def test_a_volatile_variable_computes_without_a_graph(defaults_of_0_3):
    from torch.autograd import Variable

    assert torch.autograd.Variable is Variable and Variable.__name__ == Variable.__qualname__ == "Variable"
    weight = torch.nn.Parameter(torch.ones(3))
    volatile = Variable(torch.ones(3), volatile=True)
    assert isinstance(volatile, legacy_defaults.VolatileTensor) and volatile.volatile is True
    product = volatile * weight
    assert not product.requires_grad and isinstance(product, legacy_defaults.VolatileTensor)
    plain = Variable(torch.ones(3), requires_grad=True)
    assert type(plain) is torch.Tensor and plain.requires_grad and plain.is_leaf
    assert type(Variable(torch.ones(3))) is torch.Tensor
    assert isinstance(volatile, Variable) and not isinstance(3, Variable)
    # keyword arguments reach the op: sum over dim 1, not over everything
    grid = Variable(torch.ones(2, 3), volatile=True)
    assert grid.sum(dim=1).tolist() == [3.0, 3.0] and torch.sum(grid, dim=0, keepdim=True).shape == (1, 3)
    volatile.volatile = True  # setting it again changes nothing
    assert isinstance(volatile, legacy_defaults.VolatileTensor)
    volatile.volatile = False
    assert type(volatile) is torch.Tensor and (volatile * weight).requires_grad


def test_a_volatile_attribute_deep_copies_and_saves_as_a_plain_tensor(defaults_of_0_3, tmp_path):
    import copy

    from torch.autograd import Variable

    net = torch.nn.Linear(2, 2)
    net.priors = Variable(torch.arange(4.0), volatile=True)
    clone = copy.deepcopy(net)
    assert isinstance(clone.priors, legacy_defaults.VolatileTensor)
    assert clone.priors is not net.priors and torch.equal(clone.priors, net.priors)
    clone.priors.add_(1)
    assert torch.equal(net.priors, torch.arange(4.0))  # a copy, not a view
    shared = [net.priors, net.priors]
    copied = copy.deepcopy(shared)
    assert copied[0] is copied[1]  # the memo keeps one copy of one tensor
    path = tmp_path / "priors.pt"
    torch.save(net.priors, path)
    loaded = torch.load(path, weights_only=True)
    assert type(loaded) is torch.Tensor and torch.equal(loaded, torch.arange(4.0))


def test_legacy_modules_compile_without_torchups_own_future_imports(tmp_path):
    # torchup's modules use `from __future__ import annotations`; the user's module must not inherit it
    path = tmp_path / "annotated.py"
    loader = LegacySourceLoader("annotated", str(path))
    namespace = {}
    exec(loader.source_to_code(b"def f(x: int) -> int:\n    return x\n", str(path)), namespace)
    assert namespace["f"].__annotations__ == {"x": int, "return": int}


def test_compiled_modules_under_the_old_root_keep_their_own_loader(tmp_path):
    import py_compile

    old = tmp_path / "old"
    old.mkdir()
    source = tmp_path / "compiled_src.py"
    source.write_text("x = 1\n")
    py_compile.compile(str(source), cfile=str(old / "compiled.pyc"))
    spec = LegacySourceFinder(old).find_spec("compiled", [str(old)])
    assert spec is not None and spec.origin.endswith(".pyc")
    assert not isinstance(spec.loader, LegacySourceLoader)
