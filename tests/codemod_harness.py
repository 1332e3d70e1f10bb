"""How every codemod test runs a codemod: through the real pipeline, one codemod at a time.

``rewrite`` checks the three properties every rewrite must have: the expected text, output that
compiles, and a second pass that changes nothing. ``unchanged`` checks a look-alike twice when the
prefilter rejects it: as a run would (the prefilter's decision) and past the prefilter (the
codemod's own), so that a look-alike test cannot pass only because the codemod never saw it.
"""

from __future__ import annotations

import textwrap
from contextlib import contextmanager
from typing import Any, Iterator, Sequence, Tuple, Type

from torchup.codemod import Codemod, Edit, Finding, Settings
from torchup.pipeline import Failure, Migration, applicable, migrate_source


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
    # A look-alike the prefilter rejects never reaches the codemod, so the run above tests only the
    # prefilter. The prefilter must be a superset of what the codemod acts on: the codemod itself,
    # run on the text anyway, must leave it alone too (and a test of its own decision can fail).
    selected = list(codemods) if isinstance(codemods, (list, tuple)) else [codemods]
    if not applicable(selected, dedent(source)):
        with _past_the_prefilter(selected):
            forced = run(selected, source, unsafe=unsafe, facts=facts, settings=settings)
        assert forced.code == dedent(source), "the prefilter rejects this text, but the codemod edits it"
        assert not forced.edits, forced.edits
        assert not forced.findings, forced.findings
    return result


@contextmanager
def _past_the_prefilter(codemods: Sequence[Type[Codemod]]) -> Iterator[None]:
    """The codemods' prefilters (text, then syntax tree) accept every text."""
    saved = [(cls, {name: cls.__dict__[name] for name in ("may_apply", "TREE_SCREEN") if name in cls.__dict__}) for cls in codemods]
    for cls in codemods:
        cls.may_apply = classmethod(lambda cls, text: True)  # type: ignore[method-assign]
        cls.TREE_SCREEN = None
    try:
        yield
    finally:
        for cls, own in saved:
            for name in ("may_apply", "TREE_SCREEN"):
                if name in own:
                    setattr(cls, name, own[name])
                else:
                    delattr(cls, name)


def codes(records: Sequence[Any]) -> Tuple[str, ...]:
    return tuple(record.code for record in records)


__all__ = ["Edit", "Finding", "codes", "dedent", "rewrite", "run", "unchanged"]
