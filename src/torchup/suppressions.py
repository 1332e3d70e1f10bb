"""Inline suppressions, in the form ruff and flake8 users already write.

- ``# noqa: TU201`` (or ``# noqa: TU201, TU101``) at the end of a line: no edit and no finding of
  those codes starts on that line. As in ruff, a statement continued with a backslash or a
  multi-line string takes its ``# noqa`` at the end of its last line, and it covers every line.
- A bare ``# noqa`` suppresses torchup only when the project asks for it (``bare-noqa = true``):
  legacy repositories carry bare ``# noqa`` comments written for flake8 (an unused import, a long
  line), and letting them hide a ``volatile=True`` would migrate less than the user expects.
- ``# torchup: skip-file`` on a line of its own: the file is left alone.
- ``# torchup: noqa: TU201`` on a line of its own: those codes nowhere in the file
  (``# torchup: noqa`` alone: no code at all).

Codes of other tools in the same comment (``# noqa: E501, TU201``) are allowed and ignored.
Comments are found with :mod:`tokenize`, so a ``# noqa`` inside a string is not one.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from functools import lru_cache
from typing import AbstractSet, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from torchup.records import Finding, Record

# flake8's pattern, as ruff reads it: "noqa", then optionally ":" and a list of codes.
_NOQA = re.compile(r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE_DIRECTIVE = re.compile(
    r"#\s*torchup:\s*(?:(?P<skip>skip-file)|noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?)\s*$",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+")
TORCHUP_PREFIX = "TU"
# The code of the finding that --show-unused-noqa gives a `# noqa: TU...` that suppressed nothing
# (ruff's RUF100). It is no codemod's: nothing fixes it.
UNUSED_NOQA_CODE = "TU000"


@dataclass(frozen=True)
class Directive:
    """The ``# noqa`` comment of one line: where it is, the torchup codes it names, and whether
    it is (also) bare."""

    line: int
    column: int
    codes: FrozenSet[str]
    bare: bool


@dataclass(frozen=True)
class Suppressions:
    skip_file: bool = False
    file_codes: FrozenSet[str] = frozenset()
    file_all: bool = False
    # Every line a directive covers (its own, and the lines of a statement continued onto it).
    lines: Mapping[int, Directive] = field(default_factory=dict)
    bare_noqa: bool = False

    def suppresses(self, code: str, line: int) -> bool:
        if self.file_all or code in self.file_codes:
            return True
        directive = self.lines.get(line)
        if directive is None:
            return False
        return code in directive.codes or (directive.bare and self.bare_noqa)

    @property
    def any(self) -> bool:
        return self.skip_file or self.file_all or bool(self.file_codes) or bool(self.lines)


NONE = Suppressions()


# A `noqa` that names a code of ours, or a file directive: what is worth tokenizing a file for.
# Modern code is full of `# noqa: F401` for other tools; those files are never tokenized.
_WORTH_READING = re.compile(r"(?i)noqa\s*:[^\n]*\bTU\d|torchup\s*:")


def may_have_directives(text: str, *, bare_noqa: bool = False) -> bool:
    """The cheap test: most files have no directive of ours, and are never tokenized for them."""
    if bare_noqa and ("noqa" in text or "NOQA" in text):
        return True
    return ("noqa" in text or "NOQA" in text or "torchup" in text) and _WORTH_READING.search(text) is not None


@dataclass(frozen=True)
class CommentLayout:
    """The comments of a text and where a comment for a line has to go."""

    comments: Tuple[Tuple[str, int, int, bool], ...]  # (comment, line, column, alone on its line)
    anchors: Mapping[int, int]  # line -> the last line of its continued statement, where differing


def layout(text: str) -> Optional[CommentLayout]:
    """The text's comments and continuation lines; None when it does not tokenize."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    comments: List[Tuple[str, int, int, bool]] = []
    joined: List[Tuple[int, int]] = []  # (first, last) line ranges that take one comment
    code_lines = set()
    previous_end = 0
    line_ended = True
    for token in tokens:
        first, last = token.start[0], token.end[0]
        if token.type == tokenize.COMMENT:
            comments.append((token.string, first, token.start[1], first not in code_lines))
            continue
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            line_ended = True
            continue
        if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        if not line_ended and previous_end and first > previous_end:
            joined.append((previous_end, first))  # a backslash continuation
        if last > first:
            joined.append((first, last))  # a multi-line string
        code_lines.update(range(first, last + 1))
        previous_end, line_ended = last, False
    # Ranges that touch (a string ending on the line a backslash continues) are one statement.
    merged: List[List[int]] = []
    for first, last in sorted(joined):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    anchors = {line: last for first, last in merged for line in range(first, last)}
    return CommentLayout(tuple(comments), anchors)


@lru_cache(maxsize=4)
def suppressions_of(text: str, *, bare_noqa: bool = False) -> Suppressions:
    """Every directive in ``text``; a text that does not tokenize has none. Remembered for the
    last few texts: the skip-file test, the first pass and --show-unused-noqa read the same."""
    if not may_have_directives(text, bare_noqa=bare_noqa):
        return NONE
    found = layout(text)
    if found is None:
        return NONE
    skip = file_all = False
    file_codes: set = set()
    own: Dict[int, Directive] = {}
    for comment, line, column, alone in found.comments:
        whole = _FILE_DIRECTIVE.match(comment)
        if whole is not None and alone:
            if whole.group("skip"):
                skip = True
            elif whole.group("codes"):
                file_codes.update(_torchup_codes(whole.group("codes")))
            else:
                file_all = True
            continue
        directive = directive_of(comment, line, column)
        if directive is not None:
            own[line] = directive
    lines = dict(own)
    for line, anchor in found.anchors.items():
        if anchor in own:
            lines[line] = own[anchor]
    return Suppressions(skip, frozenset(file_codes), file_all, lines, bare_noqa)


def directive_of(comment: str, line: int, column: int) -> Optional[Directive]:
    """The ``# noqa`` in one comment (all of them: ``# noqa  # noqa: TU101``), or None."""
    matches = list(_NOQA.finditer(comment))
    if not matches:
        return None
    codes = frozenset(code for match in matches if match.group("codes") for code in _torchup_codes(match.group("codes")))
    bare = any(match.group("codes") is None for match in matches)
    return Directive(line, column + matches[0].start(), codes, bare)


def _torchup_codes(listed: str) -> FrozenSet[str]:
    return frozenset(code for code in _CODE.findall(listed.upper()) if code.startswith(TORCHUP_PREFIX))


def unused_noqa(source: str, selected: AbstractSet[str], suppressed: Sequence[Record] = ()) -> Tuple[Finding, ...]:
    """A finding for each ``# noqa: TU...`` in ``source`` naming a code that kept no record
    out (``suppressed``: what the directives kept out). Codes that are not ``selected`` are not
    judged, and a bare ``# noqa`` never: it may be there for another tool."""
    if not may_have_directives(source):
        return ()
    suppressions = suppressions_of(source)
    used = set()
    for record in suppressed:
        directive = suppressions.lines.get(record.line)
        if directive is not None:
            used.add((directive.line, record.code))
    findings = []
    for directive in sorted(set(suppressions.lines.values()), key=lambda d: d.line):
        idle = sorted(code for code in directive.codes if code in selected and (directive.line, code) not in used)
        if idle:
            findings.append(
                Finding(
                    UNUSED_NOQA_CODE,
                    directive.line,
                    directive.column,
                    f"unused `noqa` directive: no {', '.join(idle)} edit or finding on this line",
                )
            )
    return tuple(findings)
