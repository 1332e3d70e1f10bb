"""The prefilter's second stage: questions answered on the stdlib ``ast``, before libcst parses.

A file whose text passes a codemod's markers and pattern may still hold nothing for it: modern
code says ``def __init__`` and ``torch.empty(`` as often as legacy code does. ``ast.parse`` is about
ten times cheaper than libcst's parse, so a question that needs the file's structure, asked here,
spares the libcst parse (and the codemod's analyses) of most such files.

Each answer over-approximates what its codemod acts on: False means "certainly nothing", never
"probably nothing". :func:`assigns_tensor_to_self` mirrors the tensor test
(:class:`~torchup.analysis.tensor_exprs.TensorExprs`) node type for node type and fixpoint for
fixpoint, and is more generous only where that test needs what a libcst tree has: a factory is
known by its last name (``anything.zeros(...)``), not through the import table, and a name bound
by anything else as well as assigned still counts as a local.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Set, Union

from torchup.analysis.memo import last_call
from torchup.analysis.module_index import dotted_name
from torchup.analysis.tensor_exprs import _FACTORIES, LEGACY_TYPES, TENSOR_METHODS

# The last name of every call the tensor test knows to make a tensor: `torch.zeros`,
# `th.cuda.FloatTensor`, `Variable`, however torch is imported.
_MAKERS = _FACTORIES | {"Variable"}


_Function = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_NEW_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = ("body", "orelse", "finalbody")  # the statement lists of compound statements


@dataclass(frozen=True)
class _Scope:
    """The test inside one function, as generous as the tensor test is strict."""

    makers: FrozenSet[str]  # bare names whose call may make a tensor (factories, aliases, helpers)
    self_name: Optional[str] = None
    locals: FrozenSet[str] = frozenset()

    def may_be_tensor(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.locals
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == self.self_name:
                # The test knows `self.x` as a tensor only when `__init__` assigns it one, and
                # that assignment answers the screen's question first.
                return False
            return node.attr in ("data", "T") and self.may_be_tensor(node.value)
        if isinstance(node, ast.Subscript):
            return self.may_be_tensor(node.value)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                return func.id in self.makers
            if isinstance(func, ast.Attribute):
                return func.attr in _MAKERS or (func.attr in TENSOR_METHODS and self.may_be_tensor(func.value))
            return False
        if isinstance(node, ast.BinOp):
            return self.may_be_tensor(node.left) or self.may_be_tensor(node.right)
        if isinstance(node, ast.UnaryOp):
            return not isinstance(node.op, ast.Not) and self.may_be_tensor(node.operand)
        if isinstance(node, ast.IfExp):
            return self.may_be_tensor(node.body) and self.may_be_tensor(node.orelse)
        return False

    def inside(self, function: _Function) -> "_Scope":
        """The scope of ``function``: its first parameter as ``self``, and its tensor locals."""
        positional = function.args.args
        scoped = replace(self, self_name=positional[0].arg if positional else None)
        return replace(scoped, locals=scoped._tensor_locals(function))

    def _tensor_locals(self, function: _Function) -> FrozenSet[str]:
        # The tensor test's greatest fixpoint, over the same `name = value` assignments (nested
        # scopes excluded), less its other exclusions than parameters: a superset of its locals.
        values: Dict[str, List[ast.expr]] = {}
        for node in _statements(function.body, into_scopes=False):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        values.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                values.setdefault(node.target.id, []).append(node.value)
        arguments = function.args
        parameters = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
        parameters.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
        known = set(values) - parameters
        while True:
            test = replace(self, locals=frozenset(known))
            keep = {name for name in known if all(test.may_be_tensor(v) for v in values[name])}
            if keep == known:
                return frozenset(known)
            known = keep


def _statements(body: List[ast.stmt], into_scopes: bool = True) -> Iterator[ast.stmt]:
    """Every statement of ``body``, nested ones included (into nested functions and classes only
    with ``into_scopes``). Assignments, imports, returns and classes are statements, so no
    expression is visited: a tenth of the nodes of ``ast.walk``."""
    stack: List[ast.stmt] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if not into_scopes and isinstance(node, _NEW_SCOPES):
            continue
        blocks = [getattr(node, name, ()) for name in _BLOCKS]
        blocks.extend(handler.body for handler in getattr(node, "handlers", ()))
        blocks.extend(case.body for case in getattr(node, "cases", ()))
        for block in reversed(blocks):
            stack.extend(reversed(block))


def _file_scope(tree: ast.Module) -> _Scope:
    """Factory names, their import aliases, and the top-level functions every ``return`` of which
    may be a tensor (the tensor test's helpers, by the same fixpoint)."""
    makers = set(_MAKERS)
    for node in _statements(tree.body):
        if isinstance(node, ast.ImportFrom):
            makers.update(alias.asname for alias in node.names if alias.asname and alias.name in _MAKERS)
    functions = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    returns = {
        name: [node.value for node in _statements(function.body, into_scopes=False) if isinstance(node, ast.Return)]
        for name, function in functions.items()
    }
    known = set(functions)
    while True:
        test = _Scope(frozenset(makers | known))
        keep = set()
        for name in known:
            inner = test.inside(functions[name])
            if returns[name] and all(v is not None and inner.may_be_tensor(v) for v in returns[name]):
                keep.add(name)
        if keep == known:
            return _Scope(frozenset(makers | known))
        known = keep


def _self_assignments(method: _Function) -> List[ast.Assign]:
    """``self.<name> = value`` (one target) anywhere in ``method``, as the class scan finds them."""
    self_name = method.args.args[0].arg
    return [
        node
        for node in _statements(method.body)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Attribute)
        and isinstance(node.targets[0].value, ast.Name)
        and node.targets[0].value.id == self_name
    ]


def assigns_tensor_to_self(tree: ast.Module) -> bool:
    """Whether a method assigns ``self.<name> = <value>`` (one target) where the value may be a
    tensor: what every edit and finding of TU201 and TU202 starts from."""
    file_scope: Optional[_Scope] = None
    for node in _statements(tree.body):
        if not isinstance(node, ast.ClassDef):
            continue
        for method in node.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
                continue
            assignments = _self_assignments(method)
            if not assignments:
                continue
            if file_scope is None:
                file_scope = _file_scope(tree)
            scope = file_scope.inside(method)
            if any(scope.may_be_tensor(a.value) for a in assignments):
                return True
    return False


@dataclass(frozen=True)
class _Mentions:
    """What one walk of a file's expressions finds for the screens that need one."""

    callees: FrozenSet[str]  # every callee spelled as a dotted name: `F.sigmoid`, `torch.zeros`
    names: FrozenSet[str]  # every name, attribute, keyword and parameter: `x`, `FloatTensor`, `volatile`
    strings: FrozenSet[str]  # every string constant that names a torch object: `"torch.cuda.X"`
    conditional: FrozenSet[str]  # the dotted names a conditional chooses between: `a.b if c else d`


@last_call
def _mentions(tree: ast.Module) -> _Mentions:
    callees: Set[str] = set()
    names: Set[str] = set()
    strings: Set[str] = set()
    conditional: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg is not None:
            names.add(node.arg)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Call):
            dotted = dotted_name(node.func)
            if dotted is not None:
                callees.add(dotted)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("torch."):
            strings.add(node.value)
        elif isinstance(node, ast.IfExp):
            conditional.update(d for d in map(dotted_name, (node.body, node.orelse)) if d is not None)
    return _Mentions(frozenset(callees), frozenset(names), frozenset(strings), frozenset(conditional))


@last_call
def _aliases(tree: ast.Module) -> Dict[str, Set[str]]:
    """What each local name an absolute import binds stands for, as the import table sees it
    (``F`` -> ``torch.nn.functional``; every import of the name, where the table keeps the last
    and drops a name also bound otherwise)."""
    aliases: Dict[str, Set[str]] = {}
    for statement in _statements(tree.body):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    aliases.setdefault(alias.asname, set()).add(alias.name)
                else:
                    head = alias.name.partition(".")[0]
                    aliases.setdefault(head, set()).add(head)
        elif isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
            for alias in statement.names:
                if alias.name != "*":
                    aliases.setdefault(alias.asname or alias.name, set()).add(f"{statement.module}.{alias.name}")
    return aliases


def _resolved(tree: ast.Module, dotted: str) -> Iterator[str]:
    """``dotted`` as spelled, and what it stands for through each import of its first name."""
    yield dotted
    head, _, rest = dotted.partition(".")
    for target in _aliases(tree).get(head, ()):
        yield f"{target}.{rest}" if rest else target


def calls_any_of(qualified: FrozenSet[str]) -> Callable[[ast.Module], bool]:
    """A screen for a codemod that acts only on calls whose callee the import table resolves to
    one of ``qualified`` (``F.sigmoid(x)`` for ``torch.nn.functional.sigmoid``): strings,
    comments, definitions and method calls on values (``x.sigmoid()``) of those names do not count."""

    def screen(tree: ast.Module) -> bool:
        return any(q in qualified for callee in _mentions(tree).callees for q in _resolved(tree, callee))

    return screen


def names_cuda_type(tree: ast.Module) -> bool:
    """Whether the code names a legacy tensor type (``torch.cuda.FloatTensor``, an import or
    alias of one, the string ``"torch.cuda.FloatTensor"``) or chooses between ``torch.cuda`` and
    another module (``torch.cuda if gpu else torch``): what every edit and finding of TU302
    starts from. Docstrings that mention ``LongTensor`` do not count."""
    mentions = _mentions(tree)
    if not mentions.names.isdisjoint(LEGACY_TYPES):
        return True
    if any(q == "cuda" or q.endswith(".cuda") for name in mentions.conditional for q in _resolved(tree, name)):
        return True
    if any(s.startswith("torch.cuda.") and s[len("torch.cuda.") :] in LEGACY_TYPES for s in mentions.strings):
        return True
    return any(
        isinstance(statement, ast.ImportFrom) and any(alias.name in LEGACY_TYPES for alias in statement.names)
        for statement in _statements(tree.body)
    )


def names_variable(tree: ast.Module) -> bool:
    """Whether the code names ``Variable`` (called, compared or imported under any alias): what
    every edit and finding of TU101 starts from. Prose such as "SavedVariable" does not count."""
    return "Variable" in _mentions(tree).names or any(
        target.rpartition(".")[2] == "Variable" for targets in _aliases(tree).values() for target in targets
    )


def names_volatile(tree: ast.Module) -> bool:
    """TU102's: ``Variable`` as above, or ``volatile`` as a keyword, attribute or parameter."""
    return "volatile" in _mentions(tree).names or names_variable(tree)


def edits_through_data(tree: ast.Module) -> bool:
    """Whether the code indexes ``<x>.data`` (``loss.data[0]``, ``w.data[i] = v``), assigns to it,
    calls an in-place method on it (``w.data.mul_(...)``, ``x.data[:, 0].fill_(0)``) or adds it
    to a sum (``total += loss.data``): what every edit and finding of TU103 starts from. ``x.data``
    of ``self`` is a field, not a tensor's; a plain read (``p.data.clone()``) does not count."""

    def data(node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "data" and not (
            isinstance(node.value, ast.Name) and node.value.id == "self"
        )

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and data(node.value):
            return True
        if isinstance(node, ast.Attribute) and data(node) and not isinstance(node.ctx, ast.Load):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr.endswith("_")
            and not node.func.attr.endswith("__")
            and data(node.func.value)
        ):
            return True
        if isinstance(node, ast.AugAssign) and any(data(n) for n in ast.walk(node.value) if isinstance(n, ast.expr)):
            return True
    return False
