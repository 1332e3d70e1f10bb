"""Whether a name is read: libcst's ``ExpressionContextProvider`` answer for one ``Name``.

The provider computes a context for every expression with a traversal of the whole tree (libcst's
batched visitor, which rebuilds every node it passes): 14% of a legacy file's migration in issue
7's profile, for the few names TU102 asks about. The context of a name follows from its parents
alone, by the provider's own rules: a name is stored when it is (inside the tuples, lists and
starred elements of) the target of an assignment, ``for``, comprehension, ``:=`` or ``as``, or the
name of a def, class or parameter; deleted inside a ``del`` target; the ``attr`` of an attribute
has no context; everything else is a load (the value of an attribute or subscript target too).
"""

from __future__ import annotations

from typing import Callable, Optional

import libcst as cst
from libcst.metadata import ExpressionContext

_SPREAD = (cst.Tuple, cst.List, cst.StarredElement, cst.Element)  # a target's context reaches inside
_TARGETS = (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor)
_NAMED = (cst.FunctionDef, cst.ClassDef, cst.Param)


def expression_context(
    name: cst.Name, parent_of: Callable[[cst.CSTNode], Optional[cst.CSTNode]]
) -> Optional[ExpressionContext]:
    """The context ``ExpressionContextProvider`` gives ``name`` (None: it gives none)."""
    parent = parent_of(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return None
    if isinstance(parent, _NAMED) and parent.name is name:
        return ExpressionContext.STORE
    node: cst.CSTNode = name
    while isinstance(parent, _SPREAD):
        node, parent = parent, parent_of(parent)
    if isinstance(parent, _TARGETS) and parent.target is node:
        return ExpressionContext.STORE
    if isinstance(parent, cst.AsName) and parent.name is node:
        return ExpressionContext.STORE
    if isinstance(parent, cst.Del) and parent.target is node:
        return ExpressionContext.DEL
    return ExpressionContext.LOAD
