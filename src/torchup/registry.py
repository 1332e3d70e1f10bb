"""Finds every codemod in ``torchup.codemods`` and selects them by code prefix.

No hand-kept list: importing each module of the package registers its class. The codes alone are
read from the package's sources without importing them (:func:`select_codes`): choosing what a
run does, and answering it from the cache, need no libcst.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Sequence, Tuple, Type

if TYPE_CHECKING:
    from torchup.codemod import Codemod


class UnknownCodeError(ValueError):
    pass


@lru_cache(maxsize=None)
def _load() -> Dict[str, Type[Codemod]]:
    import torchup.codemods as package
    from torchup.codemod import registered

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(sorted(registered().items()))


def all_codemods() -> Dict[str, Type[Codemod]]:
    """Every codemod, by code, in code order (the order they run in)."""
    return dict(_load())


def get(code: str) -> Type[Codemod]:
    codemods = _load()
    key = code.upper()
    if key not in codemods:
        raise UnknownCodeError(f"unknown code {code!r}; `torchup rules` lists them")
    return codemods[key]


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(prefix.upper()) for prefix in prefixes)


def select(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> List[Type[Codemod]]:
    """The codemods whose code starts with a ``select`` prefix (all when empty) and with no
    ``ignore`` prefix, in code order. A prefix that matches no codemod is an error."""
    return [get(code) for code in select_codes(select, ignore)]


# A codemod class's `CODE = "TU101"` line (the package's only assignments of that shape).
_CODE = re.compile(r'^[ \t]+CODE\b[^=\n]*=[ \t]*"([A-Z]+[0-9]+)"', re.M)


@lru_cache(maxsize=None)
def all_codes() -> Tuple[str, ...]:
    """Every codemod's code, in order, read from the sources of ``torchup.codemods``."""
    spec = importlib.util.find_spec("torchup.codemods")
    assert spec is not None and spec.submodule_search_locations is not None
    found = set()
    for directory in spec.submodule_search_locations:
        for path in Path(directory).glob("*.py"):
            if not path.name.startswith("_"):
                found.update(_CODE.findall(path.read_text(encoding="utf-8")))
    # An installation without the sources (compiled files only) still works, at the import's cost.
    return tuple(sorted(found)) if found else tuple(_load())


def select_codes(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Tuple[str, ...]:
    """The codes :func:`select` would give the codemods of, without importing any codemod."""
    codes = all_codes()
    for prefix in (*select, *ignore):
        if not any(code.startswith(prefix.upper()) for code in codes):
            raise UnknownCodeError(f"no codemod code starts with {prefix!r}; `torchup rules` lists them")
    return tuple(code for code in codes if (not select or _matches(code, select)) and not _matches(code, ignore))
