"""The names a piece of code mentions as variables."""

from __future__ import annotations

from typing import Set

import libcst as cst
import libcst.matchers as m

from torchup.analysis.walk import find_all, walk


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
# `x.detach()`.
DETACHING = frozenset({"detach"})
# And `x.data` of a volatile Variable was a plain tensor, which recorded nothing: what is computed
# from it (`x.data.cpu().numpy()`, `x.data.max(1)`) is no part of the inference code. Not where
# the value may be a PackedSequence, whose `.data` was itself a (volatile) Variable.
PACKED_SEQUENCE = frozenset({"pack_padded_sequence", "pack_sequence", "PackedSequence"})


class GraphReads(NameReads):
    """The names code reads with their autograd graph: as :class:`NameReads`, less ``x.detach()``
    and ``Variable(x.data)`` (and, with ``detach_data``, ``x.data`` of a value computed without a
    call: ``x.data``, ``preds[0].data``)."""

    def __init__(self, detach_data: bool = False) -> None:
        super().__init__()
        self.detach_data = detach_data

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value in DETACHING and isinstance(node.value, cst.Name):
            return False
        if self.detach_data and node.attr.value == "data" and not find_all(node.value, m.Call()):
            # `x.data`, `preds[0].data`: plain tensors in 0.3. (`crit(out, y).data[0]` computes
            # `crit(out, y)` first: that computation reads `out`.)
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


def names_read_with_graph(node: cst.CSTNode, detach_data: bool = False) -> Set[str]:
    reads = GraphReads(detach_data)
    walk(node, reads)
    return reads.names
