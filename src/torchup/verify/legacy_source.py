"""Import the OLD side's modules although they contain ``x.cuda(async=True)``.

``async`` is a keyword since Python 3.7, so such a file does not even compile. Modules found
under the OLD root are loaded by a loader that runs their source through the same token-level
``async=`` -> ``non_blocking=`` pre-pass that ``torchup fix`` uses, then compiles it. Nothing is
written back: the worker sets ``sys.dont_write_bytecode`` so no rewritten bytecode lands in
the user's tree.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from typing import Optional, Sequence

from torchup.parsing import replace_async_keyword


class LegacySourceLoader(importlib.machinery.SourceFileLoader):
    def source_to_code(self, data, path, *, _optimize=-1):  # type: ignore[override]
        text = importlib.util.decode_source(data)
        return compile(replace_async_keyword(text).source, path, "exec", dont_inherit=True, optimize=_optimize)


class LegacySourceFinder(importlib.abc.MetaPathFinder):
    """Finds modules as usual, and swaps in the legacy loader for files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return spec
        origin = Path(spec.origin).resolve()
        if self.root not in origin.parents:
            return spec
        loader = LegacySourceLoader(fullname, spec.origin)
        return importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=loader, submodule_search_locations=spec.submodule_search_locations
        )


def install(root: Path) -> None:
    sys.dont_write_bytecode = True
    sys.meta_path.insert(0, LegacySourceFinder(root))
