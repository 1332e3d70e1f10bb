"""Finds every codemod in ``torchup.codemods`` and selects them by code prefix.

No hand-kept list: importing each module of the package registers its class.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Dict, Iterable, List, Sequence, Type

from torchup.codemod import Codemod, registered


class UnknownCodeError(ValueError):
    pass


@lru_cache(maxsize=None)
def _load() -> Dict[str, Type[Codemod]]:
    import torchup.codemods as package

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
    codemods = _load()
    for prefix in (*select, *ignore):
        if not any(code.startswith(prefix.upper()) for code in codemods):
            raise UnknownCodeError(f"no codemod code starts with {prefix!r}; `torchup rules` lists them")
    return [
        cls
        for code, cls in codemods.items()
        if (not select or _matches(code, select)) and not _matches(code, ignore)
    ]
