"""How every codemod test runs a codemod: through the real pipeline, one codemod at a time.

``rewrite`` checks the three properties every rewrite must have: the expected text, output that
compiles, and a second pass that changes nothing.
"""

from __future__ import annotations

import textwrap
from typing import Any, Sequence, Tuple, Type

from torchup.codemod import Codemod, Edit, Finding, Settings
from torchup.pipeline import Failure, Migration, migrate_source


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(
    codemods: "Type[Codemod] | Sequence[Type[Codemod]]",
    source: str,
    *,
    unsafe: bool = False,
    facts: Any = None,
    settings: "Settings | None" = None,
) -> Migration:
    selected = list(codemods) if isinstance(codemods, (list, tuple)) else [codemods]
    result = migrate_source(
        dedent(source), selected, settings or Settings(unsafe_fixes=unsafe), facts=facts, filename="example.py"
    )
    assert not isinstance(result, Failure), result
    return result


def rewrite(
    codemods: "Type[Codemod] | Sequence[Type[Codemod]]",
    before: str,
    after: str,
    *,
    unsafe: bool = False,
    facts: Any = None,
    settings: "Settings | None" = None,
) -> Migration:
    """Assert ``before`` becomes ``after``, that ``after`` compiles, and that it is a fixed point."""
    first = run(codemods, before, unsafe=unsafe, facts=facts, settings=settings)
    assert first.code == dedent(after)
    compile(first.code, "example.py", "exec")
    second = run(codemods, first.code, unsafe=unsafe, facts=facts, settings=settings)
    assert second.code == first.code, "a second pass changed the output"
    assert not second.edits, f"a second pass reported edits: {second.edits}"
    return first


def unchanged(
    codemods: "Type[Codemod] | Sequence[Type[Codemod]]",
    source: str,
    *,
    unsafe: bool = True,
    facts: Any = None,
    settings: "Settings | None" = None,
) -> Migration:
    """Assert ``source`` is left exactly as it is (even with unsafe fixes on) and no edit is recorded."""
    result = run(codemods, source, unsafe=unsafe, facts=facts, settings=settings)
    assert result.code == dedent(source)
    assert not result.edits, result.edits
    return result


def codes(records: Sequence[Any]) -> Tuple[str, ...]:
    return tuple(record.code for record in records)


__all__ = ["Edit", "Finding", "codes", "dedent", "rewrite", "run", "unchanged"]
