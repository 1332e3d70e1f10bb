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

from torchup.analysis.function_index import nodes_of
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
    makers = set(_MAKERS) | _imported_as(tree, _MAKERS)
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


def _imported_as(tree: ast.Module, names: FrozenSet[str]) -> Set[str]:
    """The other names ``from ... import name as other`` gives any of ``names`` in the file."""
    found: Set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.ImportFrom):
            found.update(alias.asname for alias in node.names if alias.asname and alias.name in names)
    return found


def _self_assignments(method: _Function) -> List[ast.Assign]:
    """``self.<name> = value`` anywhere in ``method``, as the class scan finds them (a chained
    ``self.a = self.b = value`` and an unpacking ``self.h, self.c = value`` too: TU201 reports them)."""
    self_name = method.args.args[0].arg

    def is_self_attribute(target: ast.expr) -> bool:
        return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == self_name

    return [
        node
        for node in _statements(method.body)
        if isinstance(node, ast.Assign)
        and any(
            is_self_attribute(target)
            or isinstance(target, (ast.Tuple, ast.List)) and any(map(is_self_attribute, target.elts))
            for target in node.targets
        )
    ]


def _assigned_values(assignment: ast.Assign) -> List[ast.expr]:
    """The value, or each value of a tuple unpacked into a tuple of targets."""
    unpacked = len(assignment.targets) == 1 and isinstance(assignment.targets[0], (ast.Tuple, ast.List))
    if unpacked and isinstance(assignment.value, (ast.Tuple, ast.List)):
        return list(assignment.value.elts)
    return [assignment.value]


def assigns_tensor_to_self(tree: ast.Module) -> bool:
    """Whether a method assigns ``self.<name> = <value>`` (or unpacks values into attributes) where
    a value may be a tensor: what every edit and finding of TU201 and TU202 starts from."""
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
            if any(scope.may_be_tensor(value) for a in assignments for value in _assigned_values(a)):
                return True
    return False


@dataclass(frozen=True)
class _Mentions:
    """What one walk of a file's expressions finds for the screens that need one."""

    callees: FrozenSet[str]  # every callee spelled as a dotted name: `F.sigmoid`, `torch.zeros`
    names: FrozenSet[str]  # every name, attribute, keyword and parameter: `x`, `FloatTensor`, `volatile`
    strings: FrozenSet[str]  # every string constant that names a torch object: `"torch.cuda.X"`
    conditional: FrozenSet[str]  # the dotted names a conditional chooses between: `a.b if c else d`
    legacy_types: FrozenSet[str] = frozenset()  # dotted names ending in a legacy type: `th.cuda.FloatTensor`


@last_call
def _mentions(tree: ast.Module) -> _Mentions:
    callees: Set[str] = set()
    names: Set[str] = set()
    strings: Set[str] = set()
    conditional: Set[str] = set()
    legacy_types: Set[str] = set()
    for node in nodes_of(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
            if node.id in LEGACY_TYPES:
                legacy_types.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            if node.attr in LEGACY_TYPES:
                dotted = dotted_name(node)
                if dotted is not None:
                    legacy_types.add(dotted)
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
    return _Mentions(frozenset(callees), frozenset(names), frozenset(strings), frozenset(conditional), frozenset(legacy_types))


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


def calls_any_of(
    qualified: FrozenSet[str], star_modules: Optional[Dict[str, str]] = None
) -> Callable[[ast.Module], bool]:
    """A screen for a codemod that acts only on calls whose callee the import table resolves to
    one of ``qualified`` (``F.sigmoid(x)`` for ``torch.nn.functional.sigmoid``): strings,
    comments, definitions and method calls on values (``x.sigmoid()``) of those names do not count.

    ``star_modules`` (``{"nn": "torch.nn"}``): in a file with a ``from X import *``, a callee's
    first name may also stand for that module, which the run's first pass may find X imports."""

    def screen(tree: ast.Module) -> bool:
        callees = _mentions(tree).callees
        if any(q in qualified for callee in callees for q in _resolved(tree, callee)):
            return True
        if not star_modules or not _has_star_import(tree):
            return False
        for callee in callees:
            head, _, rest = callee.partition(".")
            if head in star_modules and f"{star_modules[head]}.{rest}" in qualified:
                return True
        return False

    return screen


def _has_star_import(tree: ast.Module) -> bool:
    return any(
        # `import *` is allowed at module level only (in its `if`/`try` blocks, not in a def)
        isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)
        for node in _statements(tree.body, into_scopes=False)
    )


def names_cuda_type(tree: ast.Module) -> bool:
    """Whether the code names a CUDA tensor type (``torch.cuda.FloatTensor`` however torch is
    imported, an import of a legacy type from anywhere, the string ``"torch.cuda.FloatTensor"``)
    or chooses between ``torch.cuda`` and another module (``torch.cuda if gpu else torch``): what
    every edit and finding of TU302 starts from (a module-level alias of a CUDA type names it in
    its definition). The CPU types (``torch.LongTensor``, TU401's) and docstrings that mention
    ``LongTensor`` do not count."""
    mentions = _mentions(tree)
    if any(
        q.startswith("torch.cuda.") and q[len("torch.cuda.") :] in LEGACY_TYPES
        for dotted in mentions.legacy_types
        for q in _resolved(tree, dotted)
    ):
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


# Methods that return a tensor of the same shape (moved, copied or cast): TU103 reads
# `loss.data.cpu()[0]` as `loss.data[0]` read from another copy.
DATA_MOVES = frozenset({"cpu", "cuda", "clone", "detach", "float", "double"})


def edits_through_data(tree: ast.Module) -> bool:
    """Whether the code indexes ``<x>.data`` (``loss.data[0]``, ``w.data[i] = v``), assigns to it,
    calls an in-place method on it (``w.data.mul_(...)``, ``x.data[:, 0].fill_(0)``) or adds it
    to a sum (``total += loss.data``): what every edit and finding of TU103 starts from. ``x.data``
    of ``self`` is a field, not a tensor's; a plain read (``p.data.clone()``) does not count."""

    def data(node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "data" and not (
            isinstance(node.value, ast.Name) and node.value.id == "self"
        )

    def moved(node: ast.expr) -> ast.expr:
        """``loss.data.cpu()`` -> ``loss.data``: TU103 reads ``[0]`` through these copies too."""
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DATA_MOVES | {"numpy"}:
            node = node.func.value
        return node

    for node in nodes_of(tree):
        if isinstance(node, ast.Subscript) and data(moved(node.value)):
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


def _is_cuda_call(node: ast.AST) -> bool:
    """``x.cuda(...)``, whatever its arguments (TU301's test of a move is narrower)."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cuda"


def _holds_cuda_call(nodes: List[ast.AST]) -> bool:
    return any(_is_cuda_call(node) for root in nodes for node in nodes_of(root))


def _last_name(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


@dataclass(frozen=True)
class _Constants:
    """TU301's constant test (``is_constant``: a tensor built from torch factories), as generous
    as it is strict: a factory known by its last name or an import alias, any method of a
    constant, and the function's locals that may be constants."""

    makers: FrozenSet[str]  # factories and their aliases, by the last name the code calls
    variables: FrozenSet[str]  # `Variable` and its aliases: constant when their argument is
    locals: FrozenSet[str] = frozenset()

    def may_be(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.locals
        if isinstance(node, ast.Call):
            func = node.func
            name = _last_name(func)
            if name in self.variables:
                return bool(node.args) and self.may_be(node.args[0])
            if name in self.makers:
                return True
            # A move or a tensor method of a constant; `strip_device_moves` goes through either.
            return isinstance(func, ast.Attribute) and self.may_be(func.value)
        if isinstance(node, ast.Subscript):
            return self.may_be(node.value)
        if isinstance(node, ast.Attribute):
            return node.attr == "data" and self.may_be(node.value)
        if isinstance(node, ast.BinOp):
            return self.may_be(node.left) or self.may_be(node.right)
        if isinstance(node, ast.IfExp):  # the moves stripped, its branches may collapse into one
            return self.may_be(node.body) or self.may_be(node.orelse)
        return False

    def inside(self, function: _Function) -> "_Constants":
        """With ``function``'s constant locals: a superset of TU301's plan for it (its greatest
        fixpoint over ``name = value`` assignments, less its parameters and the names bound any
        other way, a name kept when every assignment but a move is a constant); here a name is
        kept when one assignment that is not a move (``h = h.cuda()``) may be a constant."""
        values: Dict[str, List[ast.expr]] = {}
        other: Set[str] = {a.arg for a in function.args.args}  # as libcst's `params`: not `*`, `/` or keyword-only
        for node in (found for statement in function.body for found in nodes_of(statement)):
            if isinstance(node, ast.Assign):
                if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    if not _is_move_of(node.value, node.targets[0].id):
                        values.setdefault(node.targets[0].id, []).append(node.value)
                    continue
                for target in node.targets:
                    other.update(_bound_names(target))
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.comprehension)):
                other.update(_bound_names(node.target))
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                other.update(_bound_names(node.optional_vars))
            elif isinstance(node, ast.NamedExpr):
                other.update(_bound_names(node.target))
            elif isinstance(node, ast.ExceptHandler) and node.name:
                other.add(node.name)
            elif isinstance(node, ast.alias) and node.asname:
                other.add(node.asname)
        known = set(values) - other
        while True:
            scoped = replace(self, locals=frozenset(known))
            keep = {name for name in known if any(scoped.may_be(value) for value in values[name])}
            if keep == known:
                return scoped
            known = keep


def _bound_names(target: ast.AST) -> Set[str]:
    """The names a target binds: ``a`` and ``b`` of ``a, *b``; none of ``self.x`` or ``x[0]``."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return {name for element in target.elts for name in _bound_names(element)}
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return set()


def _is_move_of(value: ast.AST, name: str) -> bool:
    """``h.cuda()`` (or ``h.cuda().cuda(0)``) for ``h``: a move TU301's plan sets aside."""
    while _is_cuda_call(value):
        value = value.func.value  # type: ignore[attr-defined]
    return isinstance(value, ast.Name) and value.id == name


# Calls whose `.cuda()` argument TU301 drops in `__init__` (where TU201 and TU202 make them out of
# assignments, which count there too).
_MOVED_BY_THE_MODULE = frozenset({"Parameter", "register_buffer"})


def moves_constants(tree: ast.Module) -> bool:
    """Whether the code may hold what every edit and finding of TU301 starts from: a ``.cuda()``
    call in a method on a value that may be a constant (TU101 and TU102 unwrap ``Variable``s
    before TU301 runs: their argument counts); a test of a tensor's device (``x.is_cuda``,
    ``isinstance(x, torch.cuda.FloatTensor)``); a conditional expression with a ``.cuda()`` call
    in a branch; a ``.cuda()`` call in the arguments of ``nn.Parameter`` or ``register_buffer``,
    or in an assignment of an ``__init__`` (which TU201 and TU202 may turn into those). Legacy
    scripts that move their inputs, models and flagged constants (``x = x.cuda()``,
    ``Variable(x.cuda())``, ``model.cuda()``, ``if use_cuda: noise = noise.cuda()``) hold none
    of these."""
    variables = {"Variable"} | _imported_as(tree, frozenset({"Variable"}))
    constants = _Constants(frozenset(_MAKERS | _imported_as(tree, _MAKERS)), frozenset(variables))
    for node in nodes_of(tree):
        if isinstance(node, ast.Attribute) and node.attr == "is_cuda":
            return True
        if isinstance(node, ast.IfExp) and _holds_cuda_call([node.body, node.orelse]):
            return True
        if isinstance(node, ast.Call):
            name = _last_name(node.func)
            if name == "isinstance" and len(node.args) == 2 and (_last_name(node.args[1]) or "").endswith("Tensor"):
                return True
            if name in _MOVED_BY_THE_MODULE and _holds_cuda_call([*node.args, *(k.value for k in node.keywords)]):
                return True
        if isinstance(node, ast.ClassDef) and any(
            isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and _moves_constants_in(method, constants)
            for method in node.body
        ):
            return True
    return False


def _moves_constants_in(method: _Function, constants: _Constants) -> bool:
    """Whether a ``.cuda()`` call anywhere in ``method`` (nested functions too: they share its
    plan) is on a value that may be one of its constants, or ``method`` is an ``__init__`` that
    assigns something holding a ``.cuda()`` call. Methods only: in a plain function TU301 takes
    the device from nothing but a device test, which :func:`moves_constants` looks for."""
    nodes = nodes_of(method)
    moves = [node for node in nodes if _is_cuda_call(node)]
    if not moves:
        return False
    if method.name == "__init__" and any(isinstance(node, ast.Assign) and _holds_cuda_call([node.value]) for node in nodes):
        return True
    inner = constants.inside(method)  # the fixpoint: only for a method that moves something
    return any(inner.may_be(move.func.value) for move in moves)  # type: ignore[attr-defined]
