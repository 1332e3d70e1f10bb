"""``fix --interactive``: the change of each file as hunks, and the text with only the accepted ones.

A hunk is one run of changed lines (difflib's opcodes), shown with three lines of context. Hunks
never overlap, so any subset of them applies cleanly; whether that subset still makes a valid
program (a ``with torch.no_grad():`` line accepted without the indented block under it) is checked
by the caller before anything is written.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from typing import Collection, List, Sequence, Tuple

from torchup.parsing import replace_async_keyword

CONTEXT = 3


@dataclass(frozen=True)
class Hunk:
    old_start: int  # 0-based index of the first replaced line in the old text
    old_end: int  # exclusive
    new_lines: Tuple[str, ...]
    display: str  # a unified-diff hunk, for people


def hunks(before: str, after: str) -> List[Hunk]:
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    found = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = max(i1 - CONTEXT, 0)
        lines = [f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@\n"]
        lines += [f" {line}" for line in old[start:i1]]
        lines += [f"-{line}" for line in old[i1:i2]]
        lines += [f"+{line}" for line in new[j1:j2]]
        lines += [f" {line}" for line in old[i2 : i2 + CONTEXT]]
        display = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        found.append(Hunk(i1, i2, tuple(new[j1:j2]), display))
    return found


def apply(before: str, all_hunks: Sequence[Hunk], accepted: Collection[int]) -> str:
    """``before`` with the hunks whose index is in ``accepted`` applied."""
    old = before.splitlines(keepends=True)
    pieces: List[str] = []
    cursor = 0
    for index, hunk in enumerate(all_hunks):
        if index not in accepted:
            continue
        pieces.extend(old[cursor : hunk.old_start])
        pieces.extend(hunk.new_lines)
        cursor = hunk.old_end
    pieces.extend(old[cursor:])
    return "".join(pieces)


def compiles(text: str) -> bool:
    """Whether the text is as valid as torchup's input must be (``async=`` aside: a declined
    TU303 hunk leaves the legacy keyword, which the file had before)."""
    try:
        ast.parse(replace_async_keyword(text).source)
    except (SyntaxError, ValueError):
        return False
    return True
