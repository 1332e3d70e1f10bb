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
import typing
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Iterator, List, Mapping, Optional, Set, Tuple, Union
from weakref import WeakKeyDictionary

import libcst as cst
import libcst.matchers as m
from libcst.metadata import BaseMetadataProvider

from torchup.analysis.matcher_tests import node_test

# `visit_Call_func`-style hooks, which libcst calls for every field of every node.
ATTRIBUTE_HOOK = re.compile(r"^(visit|leave)_[A-Za-z]+_\w+$")

_FIELDS: Dict[type, Tuple[str, ...]] = {}


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


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The node's children in source order (libcst's ``node.children``, without the copy)."""
    # A list, not a generator, and the node-type test inlined: every walk and index calls this
    # for every node of the tree (2.5 million calls over the legacy-heavy bench tree).
    found: List[cst.CSTNode] = []
    known = _NODE_TYPES
    for name in _FIELDS.get(type(node)) or field_order(node):
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            for item in value:
                node_type = known.get(type(item))
                if node_type is None:
                    node_type = is_node_type(type(item))
                if node_type:
                    found.append(item)
            continue
        node_type = known.get(kind)
        if node_type is None:
            node_type = is_node_type(kind)
        if node_type:
            found.append(value)
    return found


# Whitespace, comments and punctuation: four nodes in five of a typical file, and none of them
# holds an expression or a statement. A pass or an index that is not looking for them skips them.
_TOKEN_BASES = (
    cst.BaseParenthesizableWhitespace, cst.TrailingWhitespace, cst.Newline, cst.EmptyLine, cst.Comment,
    cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.Asynchronous,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
    cst.RightCurlyBrace, cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp,
)
TOKEN_TYPES: FrozenSet[type] = frozenset(
    # __mro__, not issubclass: several bases are ABCs, whose first checks cost 40 ms at start-up.
    kind for kind in vars(cst).values() if isinstance(kind, type) and any(b in kind.__mro__ for b in _TOKEN_BASES)
)


_NODE_TYPES: Dict[type, bool] = {}

_STRUCTURAL_FIELDS: Dict[type, Tuple[str, ...]] = {}


def structural_fields(node: cst.CSTNode) -> Tuple[str, ...]:
    """The fields of the node (in :func:`field_order`) that can hold a node other than a token
    (whitespace, punctuation), by libcst's type annotations: a parsed tree keeps to them."""
    kind = type(node)
    fields = _STRUCTURAL_FIELDS.get(kind)
    if fields is None:
        try:
            hints = typing.get_type_hints(kind)
        except Exception:  # an annotation that does not resolve: every field is read
            hints = {}
        fields = tuple(name for name in field_order(node) if name not in hints or _may_hold_structure(hints[name]))
        _STRUCTURAL_FIELDS[kind] = fields
    return fields


def _may_hold_structure(annotation: object) -> bool:
    """Whether a value of this annotation can be (or contain) a node that is not a token."""
    if typing.get_origin(annotation) is typing.Literal:
        return False  # strings: a string node's quotes
    arguments = typing.get_args(annotation)
    if arguments:
        return any(_may_hold_structure(argument) for argument in arguments)
    if annotation is type(None) or annotation in (str, int, bool, cst.MaybeSentinel):
        return False
    if isinstance(annotation, type) and issubclass(annotation, cst.CSTNode):
        return not any(issubclass(annotation, base) for base in _TOKEN_BASES)
    return True  # anything else (Any, a forward reference): assume it may


def _is_leaf(kind: type) -> bool:
    """Whether no field of a node of this type can hold a node other than a token."""
    try:
        hints = typing.get_type_hints(kind)
    except Exception:
        return False
    names = [field.name for field in dataclasses.fields(kind)]
    return all(name in hints and not _may_hold_structure(hints[name]) for name in names)


@lru_cache(maxsize=None)
def leaf_types() -> FrozenSet[type]:
    """Node types that hold only tokens below them: names, numbers, strings, `pass`."""
    return frozenset(
        kind
        for kind in vars(cst).values()
        if isinstance(kind, type)
        and issubclass(kind, cst.CSTNode)
        and dataclasses.is_dataclass(kind)
        and kind not in TOKEN_TYPES
        and not getattr(kind, "__abstractmethods__", None)
        and _is_leaf(kind)
    )


def is_node_type(kind: type) -> bool:
    # isinstance against the abstract CSTNode costs an ABC check; the answer per type is fixed.
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return known


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a visitor that only reads.

    Under :func:`indexed`, a visitor that only has typed hooks (``visit_Call``, ``leave_Name``)
    is shown just the nodes of those types, from the index, in the order and with the skipping
    of a full traversal: most analyses look at a few kinds of node among thousands.
    """
    kind = type(visitor)
    shape = _SHAPES.get(kind)
    if shape is None:
        shape = _SHAPES[kind] = _Shape.of(kind)
    if shape.field_hooks:
        node.visit(visitor)  # a visitor with `visit_Call_func` hooks gets libcst's traversal
        return
    skips_tokens = shape.skips_tokens or getattr(visitor, "SKIPS_TOKENS", False)
    if shape.types is not None:
        for index in _indexes():
            if index.walk_types(node, visitor, shape.types, shape):
                return
        if not _has_instance_hooks(visitor):
            # A tree no index covers (one a pass has just made): the class's own hooks, found once
            # per class, rather than libcst's lookup of a formatted name at every node.
            _walk_typed(node, visitor, shape.visits, shape.leaves, structural_children if skips_tokens else children)
            return
    if skips_tokens:
        _walk_structure(node, visitor)
        return
    _walk(node, visitor)


def _walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    if visitor.on_visit(node):
        for child in children(node):
            _walk(child, visitor)
    visitor.on_leave(node)


def _walk_typed(
    node: cst.CSTNode,
    visitor: cst.CSTVisitor,
    visits: Mapping[type, Optional[Callable[..., object]]],
    leaves: Mapping[type, Optional[Callable[..., object]]],
    children_of: Callable[[cst.CSTNode], List[cst.CSTNode]],
) -> None:
    kind = type(node)
    visit = visits.get(kind)
    if visit is None or visit(visitor, node) is not False:
        for child in children_of(node):
            _walk_typed(child, visitor, visits, leaves, children_of)
    leave = leaves.get(kind)
    if leave is not None:
        leave(visitor, node)


def _has_instance_hooks(visitor: cst.CSTVisitor) -> bool:
    """Whether the visitor object itself holds a hook (the class's are read once per class)."""
    return any(name.startswith(("on_", "visit_", "leave_")) for name in vars(visitor))


def _walk_structure(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """:func:`_walk` for a visitor that says (``SKIPS_TOKENS = True``) it looks at no token:
    whitespace and punctuation, four nodes in five, are neither read nor shown to it."""
    if visitor.on_visit(node):
        for child in structural_children(node):
            _walk_structure(child, visitor)
    visitor.on_leave(node)


def structural_children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The node's children that are not tokens (whitespace, punctuation), in source order; only
    the fields that libcst's annotations say may hold more than tokens are read."""
    found: List[cst.CSTNode] = []
    tokens = TOKEN_TYPES
    known = _NODE_TYPES
    for name in _STRUCTURAL_FIELDS.get(type(node)) or structural_fields(node):
        value = getattr(node, name)
        kind = type(value)
        for child in value if kind is tuple or kind is list else (value,):
            child_type = type(child)
            if child_type in tokens:
                continue
            node_type = known.get(child_type)
            if node_type is None:
                node_type = is_node_type(child_type)
            if node_type:
                found.append(child)
    return found


@dataclass(frozen=True)
class _Shape:
    """What a visitor class reacts to."""

    field_hooks: bool  # it has `visit_Call_func`-style hooks
    types: Optional[FrozenSet[type]]  # the node types of its typed hooks; None: it sees every node
    # No typed hook is for a token: whitespace and punctuation, which hold only tokens, would be
    # walked for nothing.
    skips_tokens: bool = False
    # For each of ``types``, the class's own visit and leave functions: None where it keeps the
    # CSTVisitor's no-op (a leave that does nothing need not be called, nor its node tracked).
    visits: Mapping[type, Optional[Callable[..., object]]] = dataclasses.field(default_factory=dict)
    leaves: Mapping[type, Optional[Callable[..., object]]] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, kind: type) -> "_Shape":
        names = own_names(kind, cst.CSTVisitor)
        field_hooks = _has_field_hooks(names, lambda hook: getattr(kind, hook), cst.CSTVisitor)
        if any(getattr(kind, hook) is not getattr(cst.CSTVisitor, hook) for hook in ("on_visit", "on_leave")):
            return cls(field_hooks, None)
        types = set()
        for name in names:
            prefix, _, node_type = name.partition("_")
            if prefix in ("visit", "leave") and isinstance(getattr(cst, node_type, None), type):
                types.add(getattr(cst, node_type))

        def own(hook: str) -> Optional[Callable[..., object]]:
            function = getattr(kind, hook)
            return None if function is getattr(cst.CSTVisitor, hook) else function

        visits = {t: own(f"visit_{t.__name__}") for t in types}
        leaves = {t: own(f"leave_{t.__name__}") for t in types}
        return cls(field_hooks, frozenset(types), types.isdisjoint(TOKEN_TYPES), visits, leaves)


# Weak: analyses define visitor classes inside functions, a new class per call.
_SHAPES: "WeakKeyDictionary[type, _Shape]" = WeakKeyDictionary()


def own_names(kind: type, base: type) -> Set[str]:
    """The attribute names ``kind`` defines above ``base`` (which defines a no-op hook for every
    node type and field): scanning class dicts, not ``dir()``, since analyses define visitor
    classes inside functions, a new class per call."""
    names: Set[str] = set()
    for klass in kind.__mro__:
        if klass is base or klass in base.__mro__:
            break
        names.update(klass.__dict__)
    return names


def defines_attribute_hooks(visitor: object, base: type) -> bool:
    """Whether ``visitor`` has per-field hooks (``visit_Call_func``, ...) that ``base`` lacks.

    libcst calls them for every field of every node; ``base`` defines them all as no-ops. The
    instance's own ``on_*_attribute`` count (torchup replaces libcst's matcher dispatch per instance).
    """
    return _names_field_hooks(type(visitor), base) or _has_field_hooks(
        set(), lambda hook: getattr(getattr(visitor, hook), "__func__", None), base
    )


@lru_cache(maxsize=256)
def _names_field_hooks(kind: type, base: type) -> bool:
    # Per class: a pass asks of each of its codemods, a run builds hundreds of passes.
    return any(ATTRIBUTE_HOOK.match(name) for name in own_names(kind, base))


def _has_field_hooks(names: Set[str], hook_of: Callable[[str], object], base: type) -> bool:
    return any(ATTRIBUTE_HOOK.match(name) for name in names) or any(
        hook_of(hook) is not getattr(base, hook) for hook in ("on_visit_attribute", "on_leave_attribute")
    )


def nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node and every node below it, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def find_all(node: cst.CSTNode, matcher: Union[m.BaseMatcherNode, m.MatchIfTrue]) -> List[cst.CSTNode]:
    """``libcst.matchers.findall(node, matcher)`` (the node itself included), without the copy."""
    if isinstance(matcher, m.MatchIfTrue):  # findall takes it, matches does not
        return [found for found in nodes(node) if matcher.func(found)]
    test = node_test(matcher) or (lambda found: m.matches(found, matcher))
    types = _matched_types(matcher)
    if types is None:
        return [found for found in nodes(node) if test(found)]
    for index in _indexes():
        candidates = index.of_types(node, types)
        if candidates is not None:
            return [found for found in candidates if test(found)]
    return [found for found in nodes(node) if type(found) in types and test(found)]


def holds(ancestor: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Whether ``node`` is inside ``ancestor`` (not ``ancestor`` itself): from the index when
    it has both, else by walking ``ancestor``."""
    for index in _indexes():
        answer = index.holds(ancestor, node)
        if answer is not None:
            return answer
    return any(found is node for found in nodes(ancestor) if found is not ancestor)


class TreeIndex:
    """The nodes of one tree in source order, by type: a subtree's nodes of a given type are
    found without walking it (the codemods of a pass search the same tree many times over)."""

    def __init__(self, root: cst.CSTNode) -> None:
        self._nodes: List[cst.CSTNode] = []
        self._ends: List[int] = []  # for each node, the index just past its subtree
        self._at: Dict[int, int] = {}  # id(node) -> its index
        self._by_type: Dict[type, List[int]] = {}
        # Each node's parent, tokens aside: none of them holds an expression or a statement, so
        # no codemod asks for theirs (ParentProvider takes this map instead of walking again).
        self.parents: Dict[cst.CSTNode, cst.CSTNode] = {}
        self._add(root)

    def _add(self, node: cst.CSTNode) -> None:
        here = len(self._nodes)
        self._nodes.append(node)
        self._ends.append(here)
        self._at[id(node)] = here
        self._by_type.setdefault(type(node), []).append(here)
        parents = self.parents
        # Tokens are never looked up (a search for them walks instead): not indexed, not even read.
        for child in structural_children(node):
            parents[child] = node
            self._add(child)
        self._ends[here] = len(self._nodes)

    def of_types(self, node: cst.CSTNode, types: FrozenSet[type]) -> Optional[List[cst.CSTNode]]:
        """The nodes of ``types`` in the subtree of ``node`` (itself included), in source order;
        None when ``node`` is not in this tree."""
        found = self._positions(node, types)
        return None if found is None else [self._nodes[i] for i in found]

    def walk_types(
        self, node: cst.CSTNode, visitor: cst.CSTVisitor, types: FrozenSet[type], shape: Optional[_Shape] = None
    ) -> bool:
        """Call ``visitor``'s hooks on the nodes of ``types`` under ``node`` as a traversal would:
        in source order, each ``leave_*`` after everything inside its node, nothing inside a node
        whose ``visit_*`` returned False. False when ``node`` is not in this tree."""
        found = self._positions(node, types)
        if found is None:
            return False
        nodes, ends = self._nodes, self._ends
        own = vars(visitor)
        if shape is not None and not _has_instance_hooks(visitor):
            # The class's own hooks, found once per class (see _Shape): most analyses only visit.
            if not any(shape.leaves.values()):
                skip_until = -1
                visits = shape.visits
                for here in found:
                    if here < skip_until:
                        continue
                    current = nodes[here]
                    visit = visits[type(current)]
                    if visit is not None and visit(visitor, current) is False:
                        skip_until = ends[here]
                return True
        # libcst's on_visit/on_leave look the hook up by a formatted name at every node; the
        # visitor's hooks for these few types are looked up once (its own on_visit, if any, runs).
        if "on_visit" in own or "on_leave" in own:
            visits = dict.fromkeys(types, visitor.on_visit)
            leaves: Dict[type, Callable[[cst.CSTNode], object]] = dict.fromkeys(types, visitor.on_leave)
        else:
            visits = {kind: getattr(visitor, f"visit_{kind.__name__}") for kind in types}
            leaves = {kind: getattr(visitor, f"leave_{kind.__name__}") for kind in types}
        open_nodes: List[Tuple[int, cst.CSTNode]] = []  # (end of its subtree, node) awaiting leave
        skip_until = -1
        for here in found:
            while open_nodes and open_nodes[-1][0] <= here:
                closed = open_nodes.pop()[1]
                leaves[type(closed)](closed)
            if here < skip_until:
                continue
            current = nodes[here]
            if visits[type(current)](current) is False:
                skip_until = ends[here]
            open_nodes.append((ends[here], current))
        while open_nodes:
            closed = open_nodes.pop()[1]
            leaves[type(closed)](closed)
        return True

    def holds(self, ancestor: cst.CSTNode, node: cst.CSTNode) -> Optional[bool]:
        """Whether ``node`` is inside ``ancestor``; None when this index lacks either (a token,
        a node of another tree)."""
        start, at = self._at.get(id(ancestor)), self._at.get(id(node))
        if start is None or at is None or self._nodes[start] is not ancestor or self._nodes[at] is not node:
            return None
        return start < at < self._ends[start]

    def _positions(self, node: cst.CSTNode, types: FrozenSet[type]) -> Optional[List[int]]:
        """The sorted indices of the nodes of ``types`` in ``node``'s subtree; None when ``node``
        is not in this tree, or a type is one the index leaves out."""
        start = self._at.get(id(node))
        if start is None or self._nodes[start] is not node or not types.isdisjoint(TOKEN_TYPES):
            return None
        end = self._ends[start]
        found: List[int] = []
        by_type = self._by_type
        for kind in types:
            positions = by_type.get(kind)
            if positions:
                found.extend(positions[bisect_left(positions, start) : bisect_left(positions, end)])
        if len(types) > 1:
            found.sort()
        return found


class _Pending:
    """A tree being transformed now, and its index once something asked for it."""

    def __init__(self, tree: cst.CSTNode) -> None:
        self.tree = tree
        self.index: Optional[TreeIndex] = None


# The pipeline's current pass, most recent first.
_INDEXED: List[_Pending] = []
# The trees of the last passes (the file as read, the current pass's tree): a pass that edited
# nothing hands the next one its tree, and later passes still ask about the file as read, so
# their indexes are kept rather than built again (each is a walk of the whole tree).
_KEPT: List[_Pending] = []
_KEEP = 2


def _indexes() -> Iterator[TreeIndex]:
    for pending in _INDEXED:
        if pending.index is None:
            pending.index = TreeIndex(pending.tree)
        yield pending.index


def index_of(tree: cst.CSTNode) -> Optional[TreeIndex]:
    """The index of ``tree`` when the pipeline is transforming it now (built on first use)."""
    for pending in _INDEXED:
        if pending.tree is tree:
            if pending.index is None:
                pending.index = TreeIndex(tree)
            return pending.index
    return None


@contextmanager
def indexed(*trees: cst.CSTNode) -> Iterator[None]:
    """Within the block, :func:`find_all` and :func:`walk` under each of ``trees`` (the first
    looked up first) use an index of it: the one a recent block built, if it was of that tree."""
    pendings = [_kept(tree) for tree in trees]
    _INDEXED[:0] = pendings
    try:
        yield
    finally:
        del _INDEXED[: len(pendings)]


def _kept(tree: cst.CSTNode) -> _Pending:
    # Trees are immutable, and a kept one stays alive: its index (by node identity) stays true.
    pending = next((kept for kept in _KEPT if kept.tree is tree), None)
    if pending is None:
        pending = _Pending(tree)
    else:
        _KEPT.remove(pending)
    _KEPT.insert(0, pending)
    del _KEPT[_KEEP:]
    return pending


def _matched_types(matcher: object) -> Optional[FrozenSet[type]]:
    """The node types ``matcher`` can match, or None when it cannot be told (MatchIfTrue, ...)."""
    if isinstance(matcher, m.OneOf):
        parts = [_matched_types(option) for option in matcher.options]
        return None if any(part is None for part in parts) else frozenset().union(*parts)  # type: ignore[arg-type]
    return _node_type_of(type(matcher))


@lru_cache(maxsize=None)
def _node_type_of(matcher_class: type) -> Optional[FrozenSet[type]]:
    # Each node matcher class of libcst.matchers is named after the node type it matches.
    node_type = getattr(cst, matcher_class.__name__, None)
    if issubclass(matcher_class, m.BaseMatcherNode) and matcher_class.__module__.startswith("libcst.matchers"):
        return frozenset({node_type}) if isinstance(node_type, type) else None
    return None


class ParentProvider(BaseMetadataProvider[cst.CSTNode]):
    """libcst's ``ParentNodeProvider`` computed with :func:`children`: the same map, without the
    two tree rebuilds that libcst's provider makes (a traversal, and ``node.children`` at every node).
    In a pass, the map its :class:`TreeIndex` made on the way, which leaves out the tokens
    (whitespace, punctuation): none of them holds what a codemod asks the parent of."""

    def _gen_impl(self, module: cst.Module) -> None:
        index = index_of(module)
        if index is not None:  # the pass's index has walked the tree already
            self._computed.update(index.parents)
            return
        stack: List[cst.CSTNode] = [module]
        while stack:
            parent = stack.pop()
            for child in children(parent):
                self.set_metadata(child, parent)
                stack.append(child)
