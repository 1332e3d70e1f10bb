"""``--format``: black on the lines torchup changed, and nowhere else.

A legacy file has its own style; reformatting all of it would bury the migration in noise. black's
``lines=`` ranges (black >= 23.11) limit it to the new side of every changed hunk.
"""

from __future__ import annotations

import difflib
from typing import List, Tuple

import black


def changed_line_ranges(before: str, after: str) -> List[Tuple[int, int]]:
    """1-based inclusive line ranges of ``after`` that differ from ``before``."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    ranges = []
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert") and end > start:
            ranges.append((start + 1, end))
    return ranges


def format_changed_lines(before: str, after: str) -> str:
    """``after`` with black applied to the lines that differ from ``before``.

    black refuses some code it cannot parse (it has its own grammar): the text is then returned
    as it was, unformatted but correct.
    """
    ranges = changed_line_ranges(before, after)
    if not ranges:
        return after
    try:
        return black.format_str(after, mode=black.Mode(), lines=ranges)
    except (black.InvalidInput, ValueError):
        return after
