"""The names a piece of code mentions as variables."""

from __future__ import annotations

from typing import Set

import libcst as cst

from torchup.analysis.walk import walk


class NameReads(cst.CSTVisitor):
    """Collects the names code mentions as variables, read or bound, in any scope: not attribute
    names (``x.Variable``) and not keyword-argument names (``f(Variable=1)``), which never refer to
    a variable."""

    def __init__(self) -> None:
        super().__init__()
        self.names: Set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False


def names_in(node: cst.CSTNode) -> Set[str]:
    reads = NameReads()
    walk(node, reads)
    return reads.names
