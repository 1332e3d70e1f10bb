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
from typing import Dict, FrozenSet, Iterator, List, Optional, Union

from torchup.analysis.tensor_exprs import _FACTORIES, TENSOR_METHODS

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
