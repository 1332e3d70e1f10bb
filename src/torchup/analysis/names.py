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


# 0.3's `Variable(x.data)` made a value that was not volatile, whatever x was; TU101 writes it
# `x.detach()`. (A bare `x.data` is a read like any other: in 0.3 it was a tensor, which could
# not be mixed with Variables, so keeping it in a region changes nothing.)
DETACHING = frozenset({"detach"})


class GraphReads(NameReads):
    """The names code reads with their autograd graph: as :class:`NameReads`, less ``x.detach()``
    and ``Variable(x.data)``."""

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value in DETACHING and isinstance(node.value, cst.Name):
            return False
        return super().visit_Attribute(node)

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func.attr if isinstance(node.func, cst.Attribute) else node.func
        if (
            isinstance(func, cst.Name)
            and func.value == "Variable"
            and len(node.args) == 1
            and isinstance(node.args[0].value, cst.Attribute)
            and node.args[0].value.attr.value == "data"
            and isinstance(node.args[0].value.value, cst.Name)
        ):
            walk(node.func, self)
            return False
        return True


def names_read_with_graph(node: cst.CSTNode) -> Set[str]:
    reads = GraphReads()
    walk(node, reads)
    return reads.names
