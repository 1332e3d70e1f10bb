"""Several codemods in one traversal of one tree.

A libcst pass costs about as much as the native parse of the file it walks (every node is
visited and rebuilt in Python), and each codemod's analyses and positions come on top, so
seventeen codemods run one after another cost dozens of parses (issue 7's profile). :class:`SharedPass` walks the tree once and, at every node, calls the hooks of
each codemod in code order: each codemod's ``visit_*`` sees the node as parsed, and its
``leave_*`` receives what the codemods before it made of the node (its children already carry
every codemod's edits). Because every codemod sees the original nodes, they share one metadata
wrapper, and every record they make points at a line of the file as it was read.

Semantics kept from separate passes:

* a codemod whose ``visit_*`` returns False skips that node's children, and only it does;
* a codemod whose ``leave_*`` removes a node, flattens it or turns it into a node of another
  type ends the node's chain: the codemods after it would see a node their hook was not written
  for. They see the new node in a later pass, which :mod:`torchup.pipeline` runs while the
  previous one edited something (the second pass of the idempotence tests).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from types import MethodType
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Union
from weakref import WeakKeyDictionary

import libcst as cst
from libcst import CSTTransformer, FlattenSentinel, MaybeSentinel, RemovalSentinel

from torchup.analysis.walk import (
    _FIELDS,
    _STRUCTURAL_FIELDS,
    TOKEN_TYPES,
    defines_attribute_hooks,
    field_order,
    is_node_type,
    leaf_types,
    own_names,
    structural_fields,
)
from torchup.codemod import Codemod

# `visit_Comma`, `leave_Name`: a hook for one node type.
_TYPED_HOOK = re.compile(r"^(?:visit|leave)_[A-Za-z]+$")

_Visit = Tuple[int, Callable[[cst.CSTNode], Optional[bool]]]
_Leave = Tuple[int, Callable[[cst.CSTNode, cst.CSTNode], object]]


class SharedPass(CSTTransformer):
    """One traversal that runs ``codemods`` (already set up with their metadata)."""

    def __init__(self, codemods: Sequence[Codemod]) -> None:
        super().__init__()
        self.codemods = list(codemods)
        # For each codemod, the node whose children it declined to visit (None: it is visiting).
        self.skipping: List[Optional[cst.CSTNode]] = [None] * len(self.codemods)
        self._visits: Dict[type, List[_Visit]] = {}
        self._leaves: Dict[type, List[_Leave]] = {}
        # Codemods that replace libcst's hooks (matcher decorators, their own on_visit) get every
        # node through them; the others only the node types they have methods for.
        self._hooked = [i for i, c in enumerate(self.codemods) if _has_own_hooks(c)]
        # libcst calls attribute hooks for every field of every node: skipped when none exist.
        self._attribute_hooks = any(defines_attribute_hooks(c, CSTTransformer) for c in self.codemods)
        # Whitespace and punctuation no codemod has a hook for are not walked (nor rebuilt).
        # libcst's transformer defines a no-op `visit_X`/`leave_X` for every node type: only the
        # ones a codemod writes are called.
        self._own = [_typed_hooks(type(c)) for c in self.codemods]
        # Names, numbers and strings hold nothing but tokens: a pass with no hook for them has
        # nothing to do in them either (a third of the nodes a later pass would visit).
        self._skipped = frozenset() if self._hooked else _unhooked_types(frozenset().union(*self._own))
        # When no token is walked, the fields that can only hold tokens are not even read.
        self._fields = structural_fields if TOKEN_TYPES <= self._skipped else field_order
        self._known_fields = _STRUCTURAL_FIELDS if self._fields is structural_fields else _FIELDS
        # Each compound statement the pass rebuilt -> the statement as it was: the next pass's
        # tree parses again only what the pass made (:mod:`torchup.incremental_parse`).
        self.origins: Dict[cst.CSTNode, cst.CSTNode] = {}
        # How many codemods are skipping now: while none is, a node's leave clears no mark (a
        # scan of every codemod at every node of the tree).
        self._skips = 0

    def _hooks(self, kind: str, node_type: type) -> list:
        table = self._visits if kind == "visit" else self._leaves
        hooks = table.get(node_type)
        if hooks is None:
            name = f"{kind}_{node_type.__name__}"
            hooks = []
            for index, codemod in enumerate(self.codemods):
                if index in self._hooked:
                    hooks.append((index, codemod.on_visit if kind == "visit" else codemod.on_leave))
                elif name in self._own[index]:
                    hooks.append((index, getattr(codemod, name)))
            table[node_type] = hooks
        return hooks

    def on_visit(self, node: cst.CSTNode) -> bool:
        hooks = self._visits.get(type(node))
        if hooks is None:
            hooks = self._hooks("visit", type(node))
        if hooks:
            skipping = self.skipping
            for index, hook in hooks:
                if skipping[index] is None and hook(node) is False:
                    skipping[index] = node
                    self._skips += 1
        # Children are walked for whoever still visits; the rest are skipping until they leave.
        return True

    def on_leave(
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Union[cst.CSTNode, RemovalSentinel, FlattenSentinel]:
        skipping = self.skipping
        result: Union[cst.CSTNode, RemovalSentinel, FlattenSentinel] = updated_node
        hooks = self._leaves.get(type(original_node))
        if hooks is None:
            hooks = self._hooks("leave", type(original_node))
        for index, hook in hooks:
            mark = skipping[index]
            if mark is not None and mark is not original_node:
                continue
            assert isinstance(result, cst.CSTNode)
            result = hook(original_node, result)  # type: ignore[assignment]
            if not isinstance(result, cst.CSTNode) or type(result) is not type(original_node):
                break
        # A codemod that skipped this node's children visits again from its next sibling on;
        # its leave hook may not exist, so the mark is cleared here rather than in the loop.
        if self._skips:
            for index, mark in enumerate(skipping):
                if mark is original_node:
                    skipping[index] = None
                    self._skips -= 1
        if result is not original_node and type(original_node) in _COMPOUND_TYPES:
            self.origins[result] = original_node  # type: ignore[index]
        return result

    # -- the traversal ----------------------------------------------------------------------

    def transform(self, module: cst.Module) -> cst.Module:
        """``module.visit(self)``, rebuilding only the nodes on the way to a change.

        libcst's traversal builds a new copy of every node it passes; here a node whose children
        all come back as they were is kept. The hooks are called in libcst's order and with its
        handling of removed and flattened children.
        """
        if self._attribute_hooks:
            return module.visit(self)
        result = self._visit(module)
        if isinstance(result, (RemovalSentinel, FlattenSentinel)):
            return module.with_changes(body=(), header=(), footer=())  # as libcst's Module.visit
        return result

    def _visit(self, node: cst.CSTNode) -> Union[cst.CSTNode, RemovalSentinel, FlattenSentinel]:
        self.on_visit(node)  # always True: the codemods that declined are skipping, not the walk
        changes: Optional[Dict[str, object]] = None
        skipped = self._skipped
        for name in self._known_fields.get(type(node)) or self._fields(node):
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                items: List[cst.CSTNode] = []
                changed = False
                for item in value:
                    if type(item) in skipped:
                        items.append(item)
                        continue
                    result = self._visit(item)
                    if result is item:
                        items.append(item)
                        continue
                    changed = True
                    if isinstance(result, FlattenSentinel):
                        items.extend(result.nodes)
                    elif not isinstance(result, RemovalSentinel):
                        items.append(result)
                if changed:
                    changes = changes or {}
                    changes[name] = tuple(items)
            elif is_node_type(kind) and kind not in skipped:
                result = self._visit(value)
                if result is not value:
                    changes = changes or {}
                    changes[name] = _single_child(node, name, result)
        updated = node if changes is None else node.with_changes(**changes)
        return self.on_leave(node, updated)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if not self._attribute_hooks:
            return
        for index, codemod in enumerate(self.codemods):
            if self.skipping[index] is None:
                codemod.on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if not self._attribute_hooks:
            return
        for index, codemod in enumerate(self.codemods):
            if self.skipping[index] is None:
                codemod.on_leave_attribute(original_node, attribute)


# A pipeline builds a pass per phase per file from the same few codemod classes: what a class
# hooks is read once (a scan of its attributes' names), as is what a set of hooks leaves unvisited.
_TYPED_HOOKS: "WeakKeyDictionary[type, FrozenSet[str]]" = WeakKeyDictionary()


def _typed_hooks(kind: type) -> FrozenSet[str]:
    """The ``visit_X``/``leave_X`` methods a codemod class writes (not libcst's no-ops)."""
    names = _TYPED_HOOKS.get(kind)
    if names is None:
        names = _TYPED_HOOKS[kind] = frozenset(name for name in own_names(kind, CSTTransformer) if _TYPED_HOOK.match(name))
    return names


@lru_cache(maxsize=64)
def _unhooked_types(hooks: FrozenSet[str]) -> FrozenSet[type]:
    """The token and leaf node types none of ``hooks`` is for."""
    hooked = {name.partition("_")[2] for name in hooks}
    return frozenset(t for t in TOKEN_TYPES | leaf_types() if t.__name__ not in hooked)


_COMPOUND_TYPES = frozenset(
    kind for kind in vars(cst).values() if isinstance(kind, type) and cst.BaseCompoundStatement in kind.__mro__
)


_MATCHER_STATE = ("_matchers", "_extra_visit_funcs", "_extra_leave_funcs")
_TRAVERSAL_HOOKS = ("on_visit", "on_leave", "on_visit_attribute", "on_leave_attribute")


def skip_matcher_dispatch(codemod: CSTTransformer) -> None:
    """Give a codemod (or a libcst codemod visitor) that uses no matcher decorators libcst's plain
    transformer hooks.

    Every codemod is a ``MatcherDecoratableTransformer``, whose hooks look for decorated matchers
    on every node of the tree; that made a pass four times the cost of a plain transformer's
    (profile of torch/nn/modules/module.py: 0.46 s against 0.11 s). With no decorators the
    plain hooks do exactly the same. Unknown libcst internals (a value of None) keep the
    decorated hooks.
    """
    state = [getattr(codemod, name, None) for name in _MATCHER_STATE]
    if any(value is None or len(value) > 0 for value in state):
        return
    for hook in _TRAVERSAL_HOOKS:
        setattr(codemod, hook, MethodType(getattr(CSTTransformer, hook), codemod))


def run_alone(transformer: CSTTransformer, module: cst.Module) -> cst.Module:
    """``transformer.transform_module(module)`` for a libcst codemod visitor that reads no metadata
    (``AddImportsVisitor``), without libcst's copy of the tree for its metadata wrapper and its
    rebuilding of every node (a third of a second on a 3,000-line file)."""
    skip_matcher_dispatch(transformer)
    return SharedPass([transformer]).transform(module)  # type: ignore[list-item]


def _single_child(parent: cst.CSTNode, name: str, result: object) -> object:
    """What a single-node field becomes when its hook returned ``result`` (libcst's rules)."""
    if isinstance(result, RemovalSentinel):
        default = next(f.default for f in dataclasses.fields(parent) if f.name == name)
        if default is None or default is MaybeSentinel.DEFAULT:
            return default  # an optional field is emptied
        raise TypeError(f"{type(parent).__name__}.{name} is required: its node cannot be removed")
    if isinstance(result, FlattenSentinel):
        raise TypeError(f"{type(parent).__name__}.{name} holds one node: it cannot be flattened")
    return result


def _has_own_hooks(codemod: Codemod) -> bool:
    """Whether the codemod's on_visit/on_leave are not libcst's plain dispatch."""
    for hook in ("on_visit", "on_leave"):
        bound = getattr(codemod, hook)
        function = getattr(bound, "__func__", None)
        if function is not getattr(CSTTransformer, hook):
            return True
    return False
