"""``torchup check --add-noqa``: a ``# noqa: CODE`` comment for every current record, as ruff's.

The comment goes at the end of the line the record starts on or, where that line continues
(a backslash, a multi-line string), at the end of the statement's last line, which is where
:mod:`torchup.suppressions` reads it. A line that already has a ``# noqa`` gets the codes added
to it; a bare ``# noqa`` (another tool's) is kept as it is and a coded one is added beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, Optional, Set, Tuple

from torchup.records import Record
from torchup.suppressions import UNUSED_NOQA_CODE, directive_of, layout

_LINE_END = re.compile(r"(\r\n|\r|\n)?\Z")
_CODED_NOQA = re.compile(r"(#\s*noqa:\s?)([A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)


@dataclass(frozen=True)
class Marked:
    text: str
    added: int  # codes added, over all lines


def add_noqa(text: str, records: Iterable[Record]) -> Optional[Marked]:
    """``text`` with every record's code in a ``# noqa`` on its line; None when the text does not
    tokenize (it was never migrated either)."""
    found = layout(text)
    if found is None:
        return None
    wanted: Dict[int, Set[str]] = {}
    for record in records:
        if record.line <= 0 or record.code == UNUSED_NOQA_CODE:
            continue
        anchor = found.anchors.get(record.line, record.line)
        wanted.setdefault(anchor, set()).add(record.code)
    existing = {line: (comment, column) for comment, line, column, _ in found.comments}
    lines = text.splitlines(keepends=True)
    added = 0
    for line, codes in sorted(wanted.items()):
        if line > len(lines):
            continue
        body, ending = _split_ending(lines[line - 1])
        comment = existing.get(line)
        directive = directive_of(comment[0], line, comment[1]) if comment is not None else None
        missing = sorted(codes - (directive.codes if directive is not None else frozenset()))
        if not missing:
            continue
        added += len(missing)
        coded = _CODED_NOQA.search(comment[0]) if comment is not None else None
        if coded is not None:
            start = comment[1] + coded.end(2)
            body = body[:start] + ", " + ", ".join(missing) + body[start:]
        else:
            body = body.rstrip() + "  # noqa: " + ", ".join(missing)
        lines[line - 1] = body + ending
    return Marked("".join(lines), added)


def _split_ending(line: str) -> Tuple[str, str]:
    match = _LINE_END.search(line)
    ending = match.group(1) or ""
    return line[: len(line) - len(ending)], ending
