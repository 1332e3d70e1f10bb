"""One file's migration: parse, run the selected codemods in order on one tree, return the code.

Text in, text out: no files, no printing. The tree is parsed once; each codemod whose markers
occur in the text transforms the tree the previous one returned. Codemods that receive the same
tree share one metadata wrapper, so positions, parents and scopes are computed once per tree.
"""

from __future__ import annotations

import difflib
import traceback
from dataclasses import dataclass, replace
from types import MethodType
from typing import Any, List, Optional, Sequence, Tuple, Type, Union

from libcst import CSTTransformer
from libcst.codemod import CodemodContext

from libcst.metadata import MetadataWrapper

from torchup.codemod import (
    FACTS_KEY,
    FRESH_TREE_KEY,
    SETTINGS_KEY,
    SHARED_METADATA_KEY,
    Codemod,
    Edit,
    Finding,
    Record,
    Settings,
    SharedMetadata,
)
from torchup.parsing import ASYNC_CODE, ParseError, Parsed, parse


@dataclass(frozen=True)
class Migration:
    """The migrated text of one file and what was done to it."""

    source: str
    code: str
    records: Tuple[Record, ...]

    @property
    def changed(self) -> bool:
        return self.code != self.source

    @property
    def edits(self) -> Tuple[Edit, ...]:
        return tuple(r for r in self.records if isinstance(r, Edit))

    @property
    def findings(self) -> Tuple[Finding, ...]:
        return tuple(r for r in self.records if isinstance(r, Finding))


@dataclass(frozen=True)
class Failure:
    """The file could not be migrated; it must be left exactly as it was."""

    kind: str  # "parse" or "internal"
    line: int
    column: int
    message: str


def applicable(codemods: Sequence[Type[Codemod]], text: str) -> Sequence[Type[Codemod]]:
    """The codemods that may have work in ``text``: one of their markers occurs in it."""
    return [cls for cls in codemods if any(marker in text for marker in cls.MARKERS)]


def migrate_source(
    source: str,
    codemods: Sequence[Type[Codemod]],
    settings: Settings = Settings(),
    *,
    facts: Any = None,
    filename: Optional[str] = None,
    full_module_name: Optional[str] = None,
) -> Union[Migration, Failure]:
    """Migrate one file's text with ``codemods`` (in the order given)."""
    parsed = parse(source)
    if isinstance(parsed, ParseError):
        return Failure("parse", parsed.line, parsed.column, parsed.reason)
    try:
        return _run(source, parsed, codemods, settings, facts, filename, full_module_name)
    except Exception as error:  # a codemod bug must not take the run (or the file) down
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        return Failure("internal", 0, 0, f"internal error ({type(error).__name__}: {error} at {where})")


def _run(
    source: str,
    parsed: Parsed,
    codemods: Sequence[Type[Codemod]],
    settings: Settings,
    facts: Any,
    filename: Optional[str],
    full_module_name: Optional[str],
) -> Union[Migration, Failure]:
    if parsed.async_renames and not any(cls.CODE == ASYNC_CODE for cls in codemods):
        # The file only parses with the rename, so it cannot be migrated without it.
        line, column = parsed.async_renames[0]
        return Failure(
            "parse",
            line,
            column,
            "`async=` keyword argument is a SyntaxError since Python 3.7 "
            f"({ASYNC_CODE} renames it to `non_blocking=`, but it is not selected)",
        )
    records: List[Record] = [
        Edit(ASYNC_CODE, line, column, "`async=` keyword argument renamed `non_blocking=`")
        for line, column in parsed.async_renames
    ]
    tree = parsed.module
    code = parsed.module.code
    # Each codemod reports lines of the text it received; this maps them back to the source's.
    to_source = LineMap.identity()
    shared: Optional[SharedMetadata] = None
    for cls in applicable(codemods, source):
        if shared is None or shared.tree is not tree:
            # Only the tree as parsed is known to hold no node twice; a codemod's output may.
            shared = SharedMetadata(tree, MetadataWrapper(tree, unsafe_skip_copy=tree is parsed.module))
        context = CodemodContext(
            filename=filename,
            full_module_name=full_module_name,
            scratch={
                SETTINGS_KEY: settings,
                FACTS_KEY: facts,
                FRESH_TREE_KEY: parsed.module,
                SHARED_METADATA_KEY: shared,
            },
        )
        codemod = cls(context)
        _skip_matcher_dispatch(codemod)
        transformed = codemod.transform_module(tree)
        records.extend(to_source.apply(record) for record in codemod.records)
        # A pass that made no edit leaves the code as it was (the line map relies on it too), so
        # the tree it rebuilt is dropped: the next codemod keeps the parsed tree and, with it,
        # skips libcst's defensive copy of the whole module.
        if any(isinstance(record, Edit) for record in codemod.records):
            tree = transformed
            new_code = tree.code
            to_source = to_source.after(code, new_code)
            code = new_code
    records.sort(key=lambda r: (r.line, r.column, r.code))
    return Migration(source, tree.code, tuple(records))


_MATCHER_STATE = ("_matchers", "_extra_visit_funcs", "_extra_leave_funcs")
_TRAVERSAL_HOOKS = ("on_visit", "on_leave", "on_visit_attribute", "on_leave_attribute")


def _skip_matcher_dispatch(codemod: Codemod) -> None:
    """Give a codemod that uses no matcher decorators libcst's plain transformer hooks.

    Every codemod is a ``MatcherDecoratableTransformer``, whose hooks look for decorated matchers
    on every node of the tree; that made a pass four times the cost of a plain transformer's
    (profile of torch/nn/modules/module.py: 0.46 s against 0.11 s). With no decorators the
    plain hooks do exactly the same. Unknown libcst internals (a value of None) keep the
    decorated hooks.
    """
    state = [getattr(codemod, name, None) for name in _MATCHER_STATE]
    if any(value is None or len(value) > 0 for value in state):
        return
    for hook in _TRAVERSAL_HOOKS:
        setattr(codemod, hook, MethodType(getattr(CSTTransformer, hook), codemod))


@dataclass(frozen=True)
class LineMap:
    """Maps 1-based lines of a rewritten text to the lines of the original source.

    A line inside a changed region maps to the original line at the same offset in the region
    (a one-for-one replacement keeps every line), clipped to the region's last line; an inserted
    line maps to the original line it was inserted before: the place a person would look.
    """

    lines: Optional[Tuple[int, ...]]  # index: rewritten line - 1; None: identity

    @classmethod
    def identity(cls) -> "LineMap":
        return cls(None)

    def __call__(self, line: int) -> int:
        if self.lines is None or line <= 0:
            return line
        return self.lines[min(line, len(self.lines)) - 1] if self.lines else line

    def after(self, before: str, after: str) -> "LineMap":
        """The map for ``after``, a rewrite of ``before`` (whose lines this map already maps)."""
        old, new = before.splitlines(), after.splitlines()
        mapped = [0] * max(len(new), 1)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for offset, j in enumerate(range(j1, j2)):
                i = i1 + min(offset, max(i2 - i1 - 1, 0))
                mapped[j] = self(min(i, max(len(old) - 1, 0)) + 1)
        return LineMap(tuple(mapped))

    def apply(self, record: Record) -> Record:
        return record if self.lines is None else replace(record, line=self(record.line))
