"""Names a file takes from ``from X import *`` of the run's own files, as its import table sees them.

Legacy repositories often wrote ``from utils import *`` and used the ``Variable`` that ``utils.py``
imported from ``torch.autograd``. A file's import table cannot know that; the run's first pass
can (see :meth:`torchup.analysis.module_index._Resolver.star_binding`): when the last star-imported
file that binds the name imports it from torch, and every star import is a file of the run without
``__all__`` or star imports of its own, the name is torch's. The same holds for the module aliases
``torch``, ``nn``, ``F`` and ``init`` (TU403's ``nn.init.uniform(...)``). Alone (no first pass),
nothing changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Collection, Optional

from torchup.analysis.imports import ImportTable
from torchup.analysis.module_index import ModuleIndex


def with_star_names(
    table: ImportTable, facts: Any, filename: Optional[str], wanted: Collection[str] = ("Variable",)
) -> ImportTable:
    """``table`` with the ``wanted`` names the run's index resolved through the file's star imports
    (only those a codemod asks for: TU101 reads any torch alias as "the file imports torch")."""
    if not table.star_imports or not isinstance(facts, ModuleIndex) or not filename:
        return table
    names = {
        name: qualified
        for name, qualified in facts.file_helpers(filename).star_names
        if name in wanted and name not in table.aliases and not table.is_rebound(name)
    }
    if not names:
        return table
    return replace(table, aliases={**table.aliases, **names})


__all__ = ["with_star_names"]
