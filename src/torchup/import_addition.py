"""Adds the imports a codemod asked for, through libcst's ``AddImportsVisitor``.

libcst's visitor first finds the imports already at the top of the module with a visitor of the
whole module, which rebuilds every node of the file and reads only the module's leading
statements (up to the first that is not an import). :class:`AddImports` shows it just those: the
same statement objects, so what it adds, merges and where, is what libcst decides.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor


class AddImports(AddImportsVisitor):
    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node.with_changes(body=leading_statements(node)))


def leading_statements(module: cst.Module) -> Sequence[cst.BaseStatement]:
    """The module's first statement (a docstring, say), the import lines after it, and the first
    statement that is not one: all that libcst's search for existing imports reads."""
    body = module.body
    for index, statement in enumerate(body):
        if index > 0 and not _is_import_line(statement):
            return body[: index + 1]
    return body


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )
