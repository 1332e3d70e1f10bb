"""Read-only traversals of a libcst tree that do not rebuild it.

``node.visit(visitor)`` rebuilds every node it passes, even for a ``CSTVisitor`` that changes
nothing (libcst's traversal is written once, for transformers). The codemods' analyses only read,
and in issue 7's profile those read-only scans made up nine tenths of the nodes visited per file.
:func:`walk` calls a visitor's hooks in the same order as ``node.visit`` (the order of
each node's fields is taken from libcst's own traversal of the first node of its type), without
building anything: about five times faster. :func:`find_all` is ``libcst.matchers.findall`` on
top of it, and only tries the matcher on nodes of the types it can match.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from contextlib import contextmanager
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Tuple, Union

import libcst as cst
import libcst.matchers as m
from libcst.metadata import BaseMetadataProvider

# `visit_Call_func`-style hooks, which libcst calls for every field of every node.
ATTRIBUTE_HOOK = re.compile(r"^(visit|leave)_[A-Za-z]+_\w+$")

_FIELDS: Dict[type, Tuple[str, ...]] = {}
_ATTRIBUTE_HOOKS: Dict[type, bool] = {}


class _FieldOrder(cst.CSTVisitor):
    """Records the order in which libcst's traversal enters a node's fields."""

    def __init__(self) -> None:
        self.fields: List[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)


def field_order(node: cst.CSTNode) -> Tuple[str, ...]:
    """The names of the node's fields in the order libcst's traversal visits them."""
    fields = _FIELDS.get(type(node))
    if fields is None:
        order = _FieldOrder()
        node._visit_and_replace_children(order)  # one shallow copy per node type, ever
        # A field libcst skips when unset (an f-string's `format_spec`) is its node's last one;
        # the other unrecorded fields hold no nodes (names, operators' strings).
        rest = [f.name for f in dataclasses.fields(node) if f.name not in order.fields]
        fields = _FIELDS[type(node)] = (*order.fields, *rest)
    return fields


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's children in source order (libcst's ``node.children``, without the copy)."""
    for name in _FIELDS.get(type(node)) or field_order(node):
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            for item in value:
                if is_node_type(type(item)):
                    yield item
        elif is_node_type(kind):
            yield value


_NODE_TYPES: Dict[type, bool] = {}


def is_node_type(kind: type) -> bool:
    # isinstance against the abstract CSTNode costs an ABC check; the answer per type is fixed.
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return known


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a visitor that only reads."""
    if _has_attribute_hooks(visitor):
        node.visit(visitor)  # a visitor with `visit_Call_func` hooks gets libcst's traversal
        return
    _walk(node, visitor)


def _walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    if visitor.on_visit(node):
        for child in children(node):
            _walk(child, visitor)
    visitor.on_leave(node)


def _has_attribute_hooks(visitor: cst.CSTVisitor) -> bool:
    kind = type(visitor)
    hooks = _ATTRIBUTE_HOOKS.get(kind)
    if hooks is None:
        hooks = _ATTRIBUTE_HOOKS[kind] = defines_attribute_hooks(visitor, cst.CSTVisitor)
    return hooks


def defines_attribute_hooks(visitor: object, base: type) -> bool:
    """Whether ``visitor`` has per-field hooks (``visit_Call_func``, ...) that ``base`` lacks.

    libcst calls them for every field of every node; ``base`` defines them all as no-ops.
    """
    if _declares_field_hooks(type(visitor), base):
        return True
    return any(
        getattr(getattr(visitor, hook), "__func__", None) is not getattr(base, hook)
        for hook in ("on_visit_attribute", "on_leave_attribute")
    )


@lru_cache(maxsize=None)
def _declares_field_hooks(kind: type, base: type) -> bool:
    return any(ATTRIBUTE_HOOK.match(name) and getattr(kind, name) is not getattr(base, name, None) for name in dir(kind))


def nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node and every node below it, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def find_all(node: cst.CSTNode, matcher: Union[m.BaseMatcherNode, m.MatchIfTrue]) -> List[cst.CSTNode]:
    """``libcst.matchers.findall(node, matcher)`` (the node itself included), without the copy."""
    if isinstance(matcher, m.MatchIfTrue):  # findall takes it, matches does not
        return [found for found in nodes(node) if matcher.func(found)]
    types = _matched_types(matcher)
    if types is None:
        return [found for found in nodes(node) if m.matches(found, matcher)]
    for index in _INDEXES:
        candidates = index.of_types(node, types)
        if candidates is not None:
            return [found for found in candidates if m.matches(found, matcher)]
    return [found for found in nodes(node) if type(found) in types and m.matches(found, matcher)]


class TreeIndex:
    """The nodes of one tree in source order, by type: a subtree's nodes of a given type are
    found without walking it (the codemods of a pass search the same tree many times over)."""

    def __init__(self, root: cst.CSTNode) -> None:
        self._nodes: List[cst.CSTNode] = []
        self._ends: List[int] = []  # for each node, the index just past its subtree
        self._at: Dict[int, int] = {}  # id(node) -> its index
        self._by_type: Dict[type, List[int]] = {}
        self._add(root)

    def _add(self, node: cst.CSTNode) -> None:
        here = len(self._nodes)
        self._nodes.append(node)
        self._ends.append(here)
        self._at[id(node)] = here
        self._by_type.setdefault(type(node), []).append(here)
        for child in children(node):
            self._add(child)
        self._ends[here] = len(self._nodes)

    def of_types(self, node: cst.CSTNode, types: FrozenSet[type]) -> Optional[List[cst.CSTNode]]:
        """The nodes of ``types`` in the subtree of ``node`` (itself included), in source order;
        None when ``node`` is not in this tree."""
        start = self._at.get(id(node))
        if start is None or self._nodes[start] is not node:
            return None
        end = self._ends[start]
        found: List[int] = []
        for kind in types:
            positions = self._by_type.get(kind, [])
            found.extend(positions[bisect_left(positions, start) : bisect_left(positions, end)])
        if len(types) > 1:
            found.sort()
        return [self._nodes[i] for i in found]


# The trees being transformed now (the pipeline's current pass), most recent first.
_INDEXES: List[TreeIndex] = []


@contextmanager
def indexed(tree: cst.CSTNode) -> Iterator[None]:
    """Within the block, :func:`find_all` under ``tree`` looks its nodes up in an index."""
    _INDEXES.insert(0, TreeIndex(tree))
    try:
        yield
    finally:
        _INDEXES.pop(0)


_TYPES: Dict[int, Tuple[object, Optional[FrozenSet[type]]]] = {}


def _matched_types(matcher: object) -> Optional[FrozenSet[type]]:
    """The node types ``matcher`` can match, or None when it cannot be told (MatchIfTrue, ...)."""
    cached = _TYPES.get(id(matcher))
    if cached is not None and cached[0] is matcher:
        return cached[1]
    types: Optional[FrozenSet[type]]
    if isinstance(matcher, m.OneOf):
        parts = [_matched_types(option) for option in matcher.options]
        types = None if any(part is None for part in parts) else frozenset().union(*parts)  # type: ignore[arg-type]
    else:
        node_type = getattr(cst, type(matcher).__name__, None)
        is_node_matcher = isinstance(matcher, m.BaseMatcherNode) and type(matcher).__module__.startswith("libcst.matchers")
        types = frozenset({node_type}) if is_node_matcher and isinstance(node_type, type) else None
    _TYPES[id(matcher)] = (matcher, types)  # the matcher is kept alive, so its id stays its own
    return types


class ParentProvider(BaseMetadataProvider[cst.CSTNode]):
    """libcst's ``ParentNodeProvider`` computed with :func:`children`: the same map, without the
    two tree rebuilds (a traversal and ``node.children`` at every node) libcst's costs."""

    def _gen_impl(self, module: cst.Module) -> None:
        stack: List[cst.CSTNode] = [module]
        while stack:
            parent = stack.pop()
            for child in children(parent):
                self.set_metadata(child, parent)
                stack.append(child)
