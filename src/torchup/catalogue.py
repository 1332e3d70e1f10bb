"""The codemod catalogue as people read it: ``torchup rules``, ``torchup explain`` and the README
table, all generated from the codemods' own docstrings."""

from __future__ import annotations

import inspect
import sys
from typing import List, Type

from torchup import registry
from torchup.codemod import Codemod

SECTIONS = ("What it does", "Why", "Before", "After", "Fix safety", "Limitations")


def documentation(cls: Type[Codemod]) -> str:
    """The codemod module's docstring: the one place its documentation lives."""
    return inspect.cleandoc(sys.modules[cls.__module__].__doc__ or "")


def missing_sections(cls: Type[Codemod]) -> List[str]:
    lines = {line.strip() for line in documentation(cls).splitlines()}
    return [section for section in SECTIONS if section not in lines]


def rules_text() -> str:
    codemods = registry.all_codemods().values()
    width = max((len(cls.NAME) for cls in codemods), default=4)
    rows = [f"{cls.CODE}  {cls.NAME:<{width}}  {cls.SAFETY:<6}  {cls.SUMMARY}" for cls in codemods]
    return "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_markdown() -> str:
    rows = ["| code | name | fix safety | what it does |", "| --- | --- | --- | --- |"]
    for cls in registry.all_codemods().values():
        rows.append(f"| {cls.CODE} | `{cls.NAME}` | {cls.SAFETY} | {_cell(cls.SUMMARY)} |")
    return "\n".join(rows)
