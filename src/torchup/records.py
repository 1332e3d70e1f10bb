"""What a run produces and is told, without libcst: the records of a migration and its settings.

Codemods (:mod:`torchup.codemod`) make these; the runner, the cache, the reports and the command
line read them. Keeping them apart from the codemods lets a run that the cache answers entirely
start without importing libcst.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Tuple, Union


class Safety(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Settings:
    """Options that change what a codemod may do (not which codemods run)."""

    unsafe_fixes: bool = False
    # TU201: "auto" decides persistence per attribute; the others force it.
    buffers: str = "auto"
    # Suppressions (:mod:`torchup.suppressions`): whether a bare `# noqa` silences torchup, and
    # whether `# noqa: TU...` comments that suppress nothing are reported.
    bare_noqa: bool = False
    show_unused_noqa: bool = False


@dataclass(frozen=True)
class Edit:
    """A rewrite that was applied."""

    code: str
    line: int
    column: int
    message: str
    safety: Safety = Safety.SAFE
    cell: int = 0  # in a notebook: the cell (from 1) whose lines ``line`` counts; else 0


@dataclass(frozen=True)
class Finding:
    """Something a person must look at: no rewrite was made here.

    ``fix_available`` is true when an unsafe rewrite exists and ``--unsafe-fixes`` would apply it.
    """

    code: str
    line: int
    column: int
    message: str
    fix_available: bool = False
    cell: int = 0  # in a notebook: the cell (from 1) whose lines ``line`` counts; else 0


Record = Union[Edit, Finding]


def position_key(record: Record) -> Tuple[int, int, str]:
    return (record.line, record.column, record.code)
