"""Regenerates ``codemods/legacy_api.json``, the table TU420 (``removed_api``) reads.

Run it with the torch (and, when installed, torchvision) the table is to describe:

    .venv/bin/python codemods/_build_legacy_api.py [--sources DIR]

Inputs
    1. The legacy names. With ``--sources DIR``, every ``*.rst`` file in DIR is read for Sphinx
       directives (``.. currentmodule::``, ``.. autofunction::``, ``.. autoclass::``,
       ``.. automethod::``); each file's names replace the names of that file's stem in the table.
       The files the committed table was built from are pytorch/pytorch's documentation sources as
       the search tool stores them (fetch them with ``read_file`` at these commits):

       - ``docs/source/torch.rst`` @ 00c484ec26ac43f063d6b5e0d5dc7f475e2d5b99 (the 0.4.1-1.0 list,
         LAPACK names included: ``gesv``, ``potrf``, ``btrifact``, ...) -> ``torch.*``;
       - ``docs/source/tensors.rst`` @ 001058266dc1bec37f7f2426ea350246326bcb7c (0.3's Tensor
         methods: ``index``, ``masked_copy_``, ...) -> ``torch.Tensor.*``;
       - ``docs/source/nn.rst`` @ 0006ce0c915a3a07873f5b5b7183887863514090 and the
         ``nn.functional.rst`` the code search stores (1.x lists, supersets of 0.4's) ->
         ``torch.nn.*``, ``torch.nn.functional.*``.

       Without ``--sources`` the names already in the table are kept. ``LEGACY_EXTRA`` below
       adds what those documentation versions do not list (0.3's ``nn.init`` names without
       ``_``, ``torch.autograd``, ``torch.utils.data``, torchvision 0.2's models and transforms,
       and the 1.x linear-algebra names torch 2.x removed again), each group with its origin.
    2. ``REPLACEMENTS`` below: for each name torch changed, its replacement and the argument-order
       and return-value differences (from the removal pull requests' texts and torch 2.13's own
       stubs, which raise naming the replacement), and, where the replacement is mechanical and
       identical in values and dtypes, the edit TU420 makes (tests check each one numerically).
    3. The installed torch: each legacy name is looked up; a missing one is ``removed``, one that
       is a stub raising "is now removed" is ``raises``. torchvision's names are classified from
       ``REPLACEMENTS`` when torchvision is not installed (it was not where the table was built).

Output: ``legacy_api.json`` beside this file, sorted, with the counts ``torchup rules`` shows.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional

TABLE = Path(__file__).with_name("legacy_api.json")

INIT_03 = "uniform normal constant eye dirac xavier_uniform xavier_normal kaiming_uniform kaiming_normal orthogonal sparse"
VISION_MODELS_02 = (
    "alexnet vgg11 vgg11_bn vgg13 vgg13_bn vgg16 vgg16_bn vgg19 vgg19_bn resnet18 resnet34 resnet50 resnet101 "
    "resnet152 squeezenet1_0 squeezenet1_1 densenet121 densenet169 densenet161 densenet201 inception_v3"
)
VISION_TRANSFORMS_02 = (
    "Compose ToTensor ToPILImage Normalize Resize Scale CenterCrop Pad Lambda RandomApply RandomChoice "
    "RandomOrder RandomCrop RandomHorizontalFlip RandomVerticalFlip RandomResizedCrop RandomSizedCrop FiveCrop "
    "TenCrop LinearTransformation ColorJitter RandomRotation RandomAffine Grayscale RandomGrayscale"
)

# Names the documentation versions above do not list, by namespace, with where they come from.
LEGACY_EXTRA: Dict[str, Dict[str, Any]] = {
    "torch.nn.init": {
        "origin": "torch 0.3 nn.init (the names without `_` of TU403)",
        "names": [*INIT_03.split(), *(f"{name}_" for name in INIT_03.split()), "calculate_gain"],
    },
    "torch.nn.extra": {
        "origin": "torch 0.3 torch.nn / torch.nn.utils names the 1.x nn.rst no longer lists",
        "names": ["torch.nn.Container", "torch.nn.utils.clip_grad_norm"],
    },
    "torch.autograd": {
        "origin": "torch 0.4 autograd.rst",
        "names": [
            "Variable", "Function", "backward", "grad", "gradcheck", "gradgradcheck", "no_grad", "enable_grad",
            "set_grad_enabled", "profiler.profile", "profiler.emit_nvtx", "detect_anomaly", "set_detect_anomaly",
        ],
    },
    "torch.utils.data": {
        "origin": "torch 0.4 data.rst",
        "names": [
            "Dataset", "TensorDataset", "ConcatDataset", "Subset", "DataLoader", "Sampler", "SequentialSampler",
            "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
            "distributed.DistributedSampler", "random_split",
        ],
    },
    "torch.linalg.1x": {
        "origin": "torch 1.x names torch 2.x removed again (stubs that raise on 2.13)",
        "names": ["torch.solve", "torch.lstsq", "torch.matrix_rank", "torch.cholesky", "torch.Tensor.cholesky",
                  "torch.Tensor.solve", "torch.Tensor.lstsq",
                  "torch.Tensor.btrifact", "torch.Tensor.btrifact_with_info", "torch.Tensor.btrisolve"],
    },
    "torch.autograd.extra": {
        "origin": "torch 0.3 Variable methods (Tensor methods since 0.4)",
        "names": ["torch.Tensor.backward"],
    },
    "torch.removed.extra": {
        "origin": "torch 0.3 modules (reported at their imports) and a function removed in 1.0",
        "names": ["torch.utils.ffi", "torch.legacy", "torch.utils.serialization.load_lua"],
    },
    "torchvision.models": {"origin": "torchvision 0.2 models", "names": VISION_MODELS_02.split()},
    "torchvision.transforms": {"origin": "torchvision 0.2 transforms", "names": VISION_TRANSFORMS_02.split()},
}

_SOLVE = "takes the matrix first and returns only the solution (no LU factors)"
_LSTSQ = (
    "takes the matrix first, returns a named tuple whose `.solution` has n rows (gels padded X to "
    "max(m, n) rows and returned the QR factors as well)"
)

# What became of each changed name. `edit`: the mechanical rewrite TU420 makes (`to`, keywords
# `add`ed, `safety`); without it the name is reported with its replacement. `handled_by`: another
# codemod rewrites it. `keywords`: the name still exists and only these keywords changed
# (`keyword_edit` renames one, its literal `values` mapped, or kept when it has none). `module`:
# a whole module, reported where the file imports it.
REPLACEMENTS: Dict[str, Dict[str, Any]] = {
    # -- linear algebra ------------------------------------------------------------------
    "torch.gesv": {"replacement": "torch.linalg.solve", "differences": f"`gesv(B, A)` -> `torch.linalg.solve(A, B)`: {_SOLVE}"},
    "torch.solve": {"replacement": "torch.linalg.solve", "differences": f"`solve(B, A)` -> `torch.linalg.solve(A, B)`: {_SOLVE}"},
    "torch.gels": {"replacement": "torch.linalg.lstsq", "differences": f"`gels(B, A)` -> `torch.linalg.lstsq(A, B).solution`: {_LSTSQ}"},
    "torch.lstsq": {"replacement": "torch.linalg.lstsq", "differences": f"`lstsq(B, A)` -> `torch.linalg.lstsq(A, B).solution`: {_LSTSQ}"},
    "torch.potrf": {
        "replacement": "torch.linalg.cholesky",
        "differences": "`potrf(A, upper=True)` returned the UPPER factor by default; `torch.linalg.cholesky(A)` "
        "returns the lower one: write `torch.linalg.cholesky(A, upper=True)` for `potrf(A)`",
    },
    "torch.potrs": {
        "replacement": "torch.cholesky_solve",
        "differences": "`potrs(B, u, upper=True)` -> `torch.cholesky_solve(B, u, upper=True)`: same order, but "
        "`upper` now defaults to False",
    },
    "torch.potri": {
        "replacement": "torch.cholesky_inverse",
        "differences": "`potri(u, upper=True)` -> `torch.cholesky_inverse(u, upper=True)`: `upper` now defaults to False",
    },
    "torch.pstrf": {
        "replacement": None,
        "differences": "pivoted Cholesky has no torch function: `torch.linalg.cholesky` (no pivoting) or "
        "`scipy.linalg.lapack.dpstrf`",
    },
    "torch.trtrs": {
        "replacement": "torch.linalg.solve_triangular",
        "differences": "`trtrs(b, A, upper=True, transpose=False, unitriangular=False)` returned (X, A); "
        "`torch.linalg.solve_triangular(A, b, upper=True, unitriangular=...)` takes the matrix first, needs "
        "`upper=` (no default), returns only X; for `transpose=True` pass `A.mT` and flip `upper`",
    },
    "torch.btrifact": {
        "replacement": "torch.linalg.lu_factor",
        "differences": "`btrifact(A, pivot=True)` -> `torch.linalg.lu_factor(A, pivot=True)`: the same (LU, pivots) pair",
    },
    "torch.btrifact_with_info": {
        "replacement": "torch.linalg.lu_factor_ex",
        "differences": "returns (LU, pivots, info) like `torch.linalg.lu_factor_ex(A)`",
    },
    "torch.btrisolve": {
        "replacement": "torch.linalg.lu_solve",
        "differences": "`btrisolve(b, LU, pivots)` -> `torch.linalg.lu_solve(LU, pivots, B)`: the factors come "
        "first and B is a matrix (a batch of vectors b becomes `b.unsqueeze(-1)`, the result `.squeeze(-1)`)",
    },
    "torch.btriunpack": {
        "replacement": "torch.lu_unpack",
        "differences": "`btriunpack(LU, pivots)` -> `torch.lu_unpack(LU, pivots)`: same arguments, (P, L, U)",
    },
    "torch.symeig": {
        "replacement": "torch.linalg.eigh",
        "differences": "`symeig(A, eigenvectors=False, upper=True)` read the upper triangle and returned empty "
        "eigenvectors unless asked; `torch.linalg.eigh(A, UPLO=\"U\")` always returns (eigenvalues, "
        "eigenvectors) and reads the LOWER triangle by default (`torch.linalg.eigvalsh` for values only)",
    },
    "torch.eig": {
        "replacement": "torch.linalg.eig",
        "differences": "`eig(A)` returned real (n, 2) eigenvalues (real, imaginary columns); `torch.linalg.eig(A)` "
        "returns complex eigenvalues and eigenvectors (`torch.view_as_real(torch.linalg.eigvals(A))` has the old "
        "layout)",
    },
    "torch.matrix_rank": {
        "replacement": "torch.linalg.matrix_rank",
        "differences": "`matrix_rank(A, tol, symmetric)` -> `torch.linalg.matrix_rank(A, atol=tol, hermitian=symmetric)`",
    },
    "torch.qr": {
        "replacement": "torch.linalg.qr",
        "differences": "`qr(A, some=True)` -> `torch.linalg.qr(A)` (mode=\"reduced\"); `some=False` -> mode=\"complete\"",
        "deprecated": True,
        "edit": {"to": "torch.linalg.qr", "safety": "safe", "positional": 1},
    },
    "torch.cholesky": {
        "replacement": "torch.linalg.cholesky",
        "differences": "`cholesky(A, upper=False)` -> `torch.linalg.cholesky(A, upper=False)` (`upper` keyword-only)",
        "deprecated": True,
        "edit": {"to": "torch.linalg.cholesky", "safety": "safe", "positional": 1},
    },
    "torch.ger": {
        "replacement": "torch.outer",
        "differences": "same arguments and result",
        "deprecated": True,
        "edit": {"to": "torch.outer", "safety": "safe"},
    },
    "torch.matrix_diag": {"replacement": "torch.diag_embed", "differences": "same arguments (renamed before 1.0)"},
    # -- spectral ------------------------------------------------------------------------
    **{
        f"torch.{name}": {
            "replacement": f"torch.fft.{new}",
            "differences": f"`{name}(x, signal_ndim)` took and returned real tensors with a trailing size-2 "
            f"(real, imaginary) dimension; `torch.fft.{new}` works on complex tensors: "
            f"`torch.view_as_real(torch.fft.{new}(torch.view_as_complex(x), dim=...))`; "
            "`normalized=True` is `norm=\"ortho\"`",
        }
        for name, new in (("fft", "fftn"), ("ifft", "ifftn"), ("rfft", "rfftn"), ("irfft", "irfftn"))
    },
    "torch.set_default_tensor_type": {
        "replacement": "torch.set_default_dtype",
        "differences": "a CPU float type -> `torch.set_default_dtype(...)`; a CUDA type also "
        "`torch.set_default_device(\"cuda\")`",
        "deprecated": True,
    },
    "torch.range": {"handled_by": "TU403"},
    # -- Tensor methods ------------------------------------------------------------------
    **{
        f"torch.Tensor.{name}": {"see": f"torch.{name}"}
        for name in (
            "gesv", "gels", "potrf", "potrs", "potri", "pstrf", "trtrs", "btrifact", "btrifact_with_info",
            "btrisolve", "symeig", "eig", "solve", "lstsq", "qr", "cholesky",
        )
    },
    "torch.Tensor.ger": {
        "replacement": "torch.Tensor.outer",
        "differences": "same arguments and result",
        "deprecated": True,
        "edit": {"to": "outer", "safety": "safe"},
    },
    "torch.Tensor.masked_copy_": {
        "replacement": "torch.Tensor.masked_scatter_",
        "differences": "same arguments (renamed in 0.3): `masked_scatter_(mask, source)`",
        "edit": {"to": "masked_scatter_", "safety": "unsafe"},
    },
    # -- torch.nn ------------------------------------------------------------------------
    "torch.nn.UpsamplingNearest2d": {
        "replacement": "torch.nn.Upsample",
        "differences": "`UpsamplingNearest2d(size, scale_factor)` -> `nn.Upsample(size, scale_factor, mode=\"nearest\")`",
        "deprecated": True,
        "edit": {"to": "torch.nn.Upsample", "add": {"mode": "\"nearest\""}, "safety": "safe", "positional": 2},
    },
    "torch.nn.UpsamplingBilinear2d": {
        "replacement": "torch.nn.Upsample",
        "differences": "`UpsamplingBilinear2d(size, scale_factor)` -> `nn.Upsample(size, scale_factor, "
        "mode=\"bilinear\", align_corners=True)` (it always aligned corners)",
        "deprecated": True,
        "edit": {
            "to": "torch.nn.Upsample",
            "add": {"mode": "\"bilinear\"", "align_corners": "True"},
            "safety": "safe",
            "positional": 2,
        },
    },
    "torch.nn.utils.weight_norm": {
        "replacement": "torch.nn.utils.parametrizations.weight_norm",
        "differences": "the state_dict keys change (`weight_g`/`weight_v` -> `parametrizations.weight.original0`/"
        "`original1`): old checkpoints need their keys renamed",
        "deprecated": True,
    },
    # remove_weight_norm is not deprecated (torch 2.13 neither warns nor documents it so): it
    # undoes the deprecated weight_norm, whose own finding already names the migration.
    "torch.nn.Container": {
        "replacement": "torch.nn.Module",
        "differences": "`nn.Container(**modules)` registered its keyword modules: subclass `nn.Module` and "
        "assign them in `__init__`",
        "deprecated": True,
    },
    **{f"torch.nn.init.{name}": {"handled_by": "TU403"} for name in INIT_03.split()},
    "torch.nn.utils.clip_grad_norm": {"handled_by": "TU403"},
    **{f"torch.nn.functional.{name}": {"handled_by": "TU403"} for name in ("upsample", "upsample_nearest", "upsample_bilinear")},
    # -- autograd ------------------------------------------------------------------------
    # torch 0.3's `backward(..., retain_variables=None)`: when given (and `retain_graph` not, else
    # ValueError) `retain_graph = retain_variables`, with a deprecation warning; gone since 0.4.
    **{
        name: {
            "replacement": name,
            "differences": "`retain_variables=` (deprecated in 0.2, a TypeError since 0.4) is `retain_graph=`, "
            "the same flag renamed",
            "keywords": ["retain_variables"],
            "keyword_edit": {"from": "retain_variables", "to": "retain_graph", "safety": "safe"},
        }
        for name in ("torch.Tensor.backward", "torch.autograd.backward")
    },
    # -- removed in 1.0 ------------------------------------------------------------------
    "torch.utils.ffi": {
        "replacement": "torch.utils.cpp_extension",
        "differences": "`create_extension` (cffi C extensions) has no direct replacement: build the extension "
        "with `torch.utils.cpp_extension` (`CppExtension`/`CUDAExtension` in setup.py, or `load(...)`), "
        "its C sources ported from TH's C API to ATen/C++",
        "module": True,
    },
    "torch.legacy": {
        "replacement": None,
        "differences": "the Lua-torch-style `legacy.nn`/`legacy.optim` are gone: use `torch.nn` and `torch.optim`",
        "module": True,
    },
    # `torch.utils.serialization` itself is still a module (a config); only `load_lua` is gone.
    "torch.utils.serialization.load_lua": {
        "replacement": None,
        "differences": "read Lua torch `.t7` files with the `torchfile` package (`torchfile.load(path)`, numpy "
        "arrays, not tensors)",
    },
    # -- data ----------------------------------------------------------------------------
    "torch.utils.data.TensorDataset": {
        "replacement": "torch.utils.data.TensorDataset",
        "differences": "`TensorDataset(data_tensor=x, target_tensor=y)` (0.3) -> `TensorDataset(x, y)` (any "
        "number of tensors, positional only since 0.4)",
        "keywords": ["data_tensor", "target_tensor"],
    },
    # -- torchvision ---------------------------------------------------------------------
    "torchvision.transforms.Scale": {"handled_by": "TU403", "removed": True},
    "torchvision.transforms.RandomSizedCrop": {
        "replacement": "torchvision.transforms.RandomResizedCrop",
        "differences": "same arguments (size, interpolation); RandomSizedCrop was its deprecated alias",
        "removed": True,
        "edit": {"to": "torchvision.transforms.RandomResizedCrop", "safety": "safe"},
    },
    "torchvision.transforms.LinearTransformation": {
        "replacement": "torchvision.transforms.LinearTransformation",
        "differences": "`mean_vector` is required now: `LinearTransformation(matrix, mean_vector)` (0.2 subtracted "
        "nothing: pass zeros of length D)",
        "positional_count": 1,
    },
    **{
        f"torchvision.models.{name}": {
            "replacement": f"torchvision.models.{name}",
            "differences": "`pretrained=True` -> `weights=\"IMAGENET1K_V1\"` (the 2017 weights; `weights=\"DEFAULT\"` "
            "may be newer ones), `pretrained=False` -> `weights=None`",
            "keywords": ["pretrained"],
            "keyword_edit": {
                "from": "pretrained",
                "to": "weights",
                "values": {"True": "\"IMAGENET1K_V1\"", "False": "None"},
                "safety": "unsafe",
            },
        }
        for name in VISION_MODELS_02.split()
    },
}


def rst_names(path: Path) -> List[str]:
    """The qualified names a Sphinx source documents."""
    module = ""
    names: List[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*\.\. (currentmodule|autofunction|autoclass|automethod|autodata|autoattribute)::\s*(\S+)", line)
        if not match:
            continue
        kind, name = match.groups()
        if kind == "currentmodule":
            module = name
        else:
            names.append(name if name.startswith("torch.") else f"{module}.{name}")
    return names


def _lookup(qualified: str) -> Optional[Any]:
    """The object a dotted name refers to now, or None when it is gone (or its module is)."""
    parts = qualified.split(".")
    for split in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            value = getattr(value, part, None)
            if value is None:
                return None
        return value
    return None


def _raises_removed(function: Any) -> bool:
    """Whether ``function`` is one of torch's stubs that raise "... is now removed"."""
    import torch

    for args in ((torch.eye(2),), (torch.eye(2), torch.eye(2))):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                function(*args)
        except Exception as error:  # the stubs raise RuntimeError; other errors mean "not a stub"
            if "removed" in str(error):
                return True
    return False


def classify(qualified: str, vision_installed: bool) -> Optional[Dict[str, Any]]:
    """The table entry of a legacy name; None when it still exists unchanged."""
    known = dict(REPLACEMENTS.get(qualified, {}))
    removed_in_vision = known.pop("removed", False)
    deprecated = known.pop("deprecated", False) or REPLACEMENTS.get(known.get("see", ""), {}).get("deprecated", False)
    if qualified.startswith("torchvision.") and not vision_installed:
        status = "removed" if removed_in_vision else ("changed" if known else None)
    else:
        value = _lookup(qualified)
        if value is None:
            status = "removed"
        elif not known:
            return None
        elif callable(value) and _raises_removed(value):
            status = "raises"  # only names with a known replacement are called: never a setter
        elif deprecated or "handled_by" in known:
            status = "deprecated"
        else:
            status = "changed"  # a keyword or an argument changed, or `torch.fft` became a module
    if status is None:
        return None
    if "see" in known:
        target = REPLACEMENTS[known.pop("see")]
        known["replacement"] = target["replacement"]
        known.setdefault("differences", f"as a function: {target['differences']}")
    if "replacement" not in known and "handled_by" not in known:
        known["replacement"] = None
        known["differences"] = "no replacement"
    return {"status": status, **known}


def build(sources: Optional[Path]) -> Dict[str, Any]:
    previous = json.loads(TABLE.read_text(encoding="utf-8")) if TABLE.exists() else {"legacy_names": {}}
    legacy: Dict[str, Dict[str, Any]] = dict(previous["legacy_names"])
    if sources is not None:
        for path in sorted(sources.glob("*.rst")):
            legacy[path.stem] = {"origin": f"pytorch/pytorch docs/source/{path.name}", "names": rst_names(path)}
    for group, extra in LEGACY_EXTRA.items():
        prefix = "" if group.endswith((".extra", ".1x")) else f"{group}."
        legacy[group] = {"origin": extra["origin"], "names": [f"{prefix}{name}" for name in extra["names"]]}
    import torch

    try:
        import torchvision  # noqa: F401

        vision: Optional[str] = torchvision.__version__
    except ImportError:
        vision = None
    names = sorted({name for group in legacy.values() for name in group["names"]})
    changes = {}
    for name in names:
        entry = classify(name, vision is not None)
        if entry is not None:
            changes[name] = entry
    counts: Dict[str, int] = {"legacy_names": len(names)}
    for entry in changes.values():
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    return {
        "built_with": {"torch": torch.__version__.split("+")[0], "torchvision": vision},
        "counts": dict(sorted(counts.items())),
        "legacy_names": {group: legacy[group] for group in sorted(legacy)},
        "changes": changes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, help="a folder of legacy Sphinx sources (*.rst)")
    args = parser.parse_args()
    table = build(args.sources)
    TABLE.write_text(json.dumps(table, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{TABLE}: {table['counts']}")


if __name__ == "__main__":
    main()
