"""Volatile helpers across a repository: the function index of the first pass.

A volatile helper (see :mod:`torchup.analysis.volatile_helpers`) is often defined in one module
(``def to_var(x, volatile=False): return Variable(x, volatile=volatile)`` in ``utils.py``) and
called with ``volatile=True`` from another (``from utils import to_var``). TU102 reads one file
at a time, so the first pass, which already reads every file of the run with the stdlib ``ast``
for the nn.Module index, also records each file's functions that may forward a volatile flag and
resolves, for every file, which imported names are such helpers: ``to_var`` (``from utils import
to_var``, any alias) and ``utils.to_var`` (``import utils``).

The rules are those of the libcst analysis, read on the stdlib tree: a module-level function
whose one parameter reaches only ``Variable(..., volatile=<param>)`` (whose value some ``return``
gives back as it is) or the flag of another helper, wherever that helper lives; or one whose
every ``return`` gives back a ``Variable(..., volatile=True)``. Chains through several files are
resolved to a fixed point.

For the file that defines a helper the index says who imports it in the run, and whether files
on disk that the run did not include could import it too (another ``*.py`` beside it or at its
package's root): a run over one file alone then reports the helper instead of migrating half of
it (its callers elsewhere would lose the information of where inference runs).
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, replace
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Set, Tuple

VARIABLE = frozenset({"torch.autograd.Variable", "torch.autograd.variable.Variable"})
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_MOVES = frozenset({"cuda", "cpu", "float", "long", "contiguous"})


@dataclass(frozen=True)
class FunctionFacts:
    """What one module-level function may be, read from its own file alone."""

    name: str
    positional: Tuple[str, ...]
    defaults: Tuple[Tuple[str, str], ...]  # parameter -> the code of its default
    variable_flags: Tuple[str, ...]  # parameters that reach a ``Variable(..., volatile=<param>)``
    unreturned: Tuple[str, ...]  # ... of a Variable whose value no ``return`` gives back as it is
    # Parameters passed as they are to calls that are not torch's Variable:
    # (parameter, callee as written, keyword, position); another helper's flag, or a use.
    forwards: Tuple[Tuple[str, str, Optional[str], Optional[int]], ...]
    reads: Tuple[str, ...]  # parameters read otherwise
    always: bool  # every ``return`` gives back a ``Variable(..., volatile=True)``
    ignores_volatile: bool  # has a parameter ``volatile`` its body never reads (a migrated helper)


@dataclass(frozen=True)
class ImportedHelper:
    """A volatile helper as a file that calls it sees it (picklable, no libcst nodes)."""

    name: str  # the function's name in its own file
    path: str  # the file that defines it
    param: Optional[str]  # None: always volatile
    position: Optional[int]
    default: Optional[str]  # the code of the flag parameter's default
    drop_param: bool = False  # every call in the run loses the flag argument (see ExportedHelper)


@dataclass(frozen=True)
class ExportedHelper:
    """A volatile helper as the file that defines it sees it."""

    name: str
    importers: Tuple[str, ...]  # the files of the run that import it
    unseen: Tuple[str, ...]  # files on disk, not in the run, that could import it
    # The flag parameter can go, with the argument of every call of it in the run: it has a
    # default, is no package's public API, files beyond the run cannot call it, and every
    # reference to it in the run is a call whose flag argument can be dropped.
    drop_param: bool = False


@dataclass(frozen=True)
class CallShape:
    """A call as the function index sees it: enough to tell whether its flag argument can go."""

    callee: str
    positional: int
    keywords: Tuple[str, ...]
    star: bool  # a ``*``/``**`` argument: the flag may be in it
    side_effects: Tuple[str, ...]  # the arguments (a keyword, or a position as digits) holding a call


@dataclass(frozen=True)
class FileHelpers:
    """The function index's answer for one file."""

    imported: Tuple[Tuple[str, ImportedHelper], ...] = ()  # callee as written -> helper
    ignoring: Tuple[str, ...] = ()  # callees as written that ignore a ``volatile=`` keyword
    exported: Tuple[ExportedHelper, ...] = ()
    # Names the file takes from star imports of the run's files, with what they refer to:
    # (("Variable", "torch.autograd.Variable"),) for NRI's `from utils import *`.
    star_names: Tuple[Tuple[str, str], ...] = ()

    def imported_helpers(self) -> Dict[str, ImportedHelper]:
        return dict(self.imported)

    def exported_helper(self, name: str) -> Optional[ExportedHelper]:
        return next((helper for helper in self.exported if helper.name == name), None)

    def key(self) -> Tuple[str, ...]:
        """What a cached outcome of the file must have seen of the other files."""
        return tuple(sorted(repr(item) for item in (*self.imported, *self.ignoring, *self.exported, *self.star_names)))


# -- one file --------------------------------------------------------------------------------


def _dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def nodes_of(tree: ast.AST) -> List[ast.AST]:
    """Every node of ``tree``, in the order ``ast.walk`` yields them, in about half its time (no
    generator per node): the first pass walks each file several times."""
    found = [tree]
    for node in found:  # the list grows as it is read: breadth first
        found.extend(child_nodes(node))
    return found


def child_nodes(node: ast.AST) -> List[ast.AST]:
    """``ast.iter_child_nodes(node)`` as a list."""
    found: List[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, ast.AST))
    return found


def _own_nodes(function: ast.FunctionDef) -> List[ast.AST]:
    """The nodes of ``function``'s body that run when it runs (not nested definitions), in source order."""
    found: List[ast.AST] = []
    stack: List[ast.AST] = list(reversed(function.body))
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, _NESTED):
            continue
        stack.extend(reversed(child_nodes(node)))
    return found


def _is_moved(expr: Optional[ast.AST], call: ast.Call, names: Set[str], alone: bool = True) -> bool:
    if expr is call:
        return True
    if isinstance(expr, ast.Name):
        return expr.id in names
    if isinstance(expr, ast.Tuple) and not alone:
        return any(_is_moved(element, call, names, alone) for element in expr.elts)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args and not expr.keywords:
        return expr.func.attr in _MOVES and _is_moved(expr.func.value, call, names, alone)
    return False


def _returns_as_is(own: List[ast.AST], call: ast.Call, every: bool) -> bool:
    returns = [node for node in own if isinstance(node, ast.Return)]
    if not returns:
        return False
    bound: Set[str] = set()
    for node in own:
        if isinstance(node, ast.Assign):
            names = {t.id for t in node.targets if isinstance(t, ast.Name)}
            if _is_moved(node.value, call, bound) and len(node.targets) == 1:
                bound |= names
            else:
                bound -= names
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            bound.discard(node.target.id)
    gives_back = [_is_moved(r.value, call, bound, every) for r in returns]
    return all(gives_back) if every else any(gives_back)


def _variable_flag(call: ast.Call) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == "volatile":
            return keyword.value
    if len(call.args) > 2 and not any(isinstance(a, ast.Starred) for a in call.args[:3]):
        return call.args[2]
    return None


def _function_facts(function: ast.FunctionDef, is_variable: Callable[[ast.AST], bool]) -> FunctionFacts:
    arguments = function.args
    positional = tuple(a.arg for a in [*arguments.posonlyargs, *arguments.args])
    every = [*arguments.posonlyargs, *arguments.args]
    defaults = {a.arg: d for a, d in zip(every[len(every) - len(arguments.defaults):], arguments.defaults)}
    defaults.update({a.arg: d for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None})
    params = {*positional, *(a.arg for a in arguments.kwonlyargs)}
    own = _own_nodes(function)
    by_param: Dict[str, List[ast.Call]] = {}
    forwards: List[Tuple[str, str, Optional[str], Optional[int]]] = []
    flag_values: Set[int] = set()
    always: List[ast.Call] = []
    for node in own:
        if not isinstance(node, ast.Call):
            continue
        if is_variable(node.func):
            flag = _variable_flag(node)
            if isinstance(flag, ast.Name) and flag.id in params:
                by_param.setdefault(flag.id, []).append(node)
                flag_values.add(id(flag))
            elif isinstance(flag, ast.Constant) and flag.value is True:
                always.append(node)
            continue
        callee = _dotted(node.func)
        if callee is None:
            continue
        slots = [(None, i, a) for i, a in enumerate(node.args)] + [(k.arg, None, k.value) for k in node.keywords]
        for keyword, position, value in slots:
            if isinstance(value, ast.Name) and value.id in params and (keyword or position is not None):
                forwards.append((value.id, callee, keyword, position))
                flag_values.add(id(value))
    reads = {n.id for n in own if isinstance(n, ast.Name) and n.id in params and id(n) not in flag_values}
    unreturned = {p for p, calls in by_param.items() if not all(_returns_as_is(own, c, every=False) for c in calls)}
    # A nested function that reads it (a closure) reads it too, as TU102's test in one file says:
    # its callers' `volatile=True` still means something.
    ignores_volatile = "volatile" in params and not any(
        isinstance(n, ast.Name) and n.id == "volatile" for s in function.body for n in nodes_of(s)
    )
    return FunctionFacts(
        name=function.name,
        positional=positional,
        defaults=tuple((k, ast.unparse(v)) for k, v in defaults.items()),
        variable_flags=tuple(sorted(by_param)),
        unreturned=tuple(sorted(unreturned)),
        forwards=tuple(forwards),
        reads=tuple(sorted(reads)),
        always=len(always) == 1 and not by_param and _returns_as_is(own, always[0], every=True),
        ignores_volatile=ignores_volatile,
    )


def collect_functions(tree: ast.Module, qualified: Callable[[str], Optional[str]]) -> Dict[str, FunctionFacts]:
    """The module-level functions of ``tree`` (also under ``if``/``try``) as the index needs them.

    ``qualified`` turns a dotted name written in the file into what it was imported as.
    """

    def is_variable(func: ast.AST) -> bool:
        dotted = _dotted(func)
        return dotted is not None and qualified(dotted) in VARIABLE

    found: Dict[str, FunctionFacts] = {}
    for statement in _module_level(tree.body):
        if isinstance(statement, ast.FunctionDef):
            found[statement.name] = _function_facts(statement, is_variable)
    return found


def usage_of(
    tree: ast.Module, relevant: Callable[[str], bool], package: bool, nodes: Optional[List[ast.AST]] = None
) -> Usage:
    """How ``tree`` uses functions: its calls and other reads of the dotted names ``relevant``
    accepts; ``package``: the file is a module of a package (its public functions are API).
    ``nodes``: :func:`nodes_of` ``tree``, when the caller has them."""
    nodes = nodes_of(tree) if nodes is None else nodes
    calls: List[CallShape] = []
    callees: Set[int] = set()
    values: Set[str] = set()
    star = False
    # One loop: breadth first, a call comes before its callee expression, so `callees` already
    # holds a name that is called when the loop reaches it.
    for node in nodes:
        if isinstance(node, (ast.Name, ast.Attribute)):
            if isinstance(node.ctx, ast.Load) and id(node) not in callees:
                dotted = _dotted(node)
                if dotted is not None and relevant(dotted):
                    values.add(dotted)
            continue
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            star = True
        if not isinstance(node, ast.Call):
            continue
        callee = _dotted(node.func)
        callees.add(id(node.func))
        if callee is None or not relevant(callee):
            continue
        effects = [str(i) for i, a in enumerate(node.args) if _has_call(a)]
        effects += [k.arg for k in node.keywords if k.arg is not None and _has_call(k.value)]
        calls.append(
            CallShape(
                callee,
                len(node.args),
                tuple(k.arg for k in node.keywords if k.arg is not None),
                any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords),
                tuple(effects),
            )
        )
    public = ()
    if package and not is_script(tree):
        public = tuple(s.name for s in _module_level(tree.body) if isinstance(s, ast.FunctionDef) and not s.name.startswith("_"))
    return Usage(tuple(calls), tuple(sorted(values)), star, public)


_EFFECTS = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)


def _has_call(node: ast.AST) -> bool:
    if isinstance(node, (ast.Name, ast.Constant)):
        return False  # most arguments: nothing to walk
    return any(isinstance(n, _EFFECTS) for n in nodes_of(node))


def is_script(tree: ast.Module) -> bool:
    return any(
        isinstance(s, ast.If) and isinstance(s.test, ast.Compare) and _dotted(s.test.left) == "__name__"
        for s in tree.body
    )


def _module_level(body: List[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in body:
        yield statement
        if isinstance(statement, ast.If) and not (
            isinstance(statement.test, ast.Compare) and _dotted(statement.test.left) == "__name__"
        ):
            yield from _module_level(statement.body)
            yield from _module_level(statement.orelse)
        elif isinstance(statement, ast.Try):
            yield from _module_level(statement.body)
            for handler in statement.handlers:
                yield from _module_level(handler.body)
            yield from _module_level(statement.orelse)


# -- the whole run ---------------------------------------------------------------------------

_Function = Tuple[str, str]  # (file, function name)


@dataclass(frozen=True)
class Usage:
    """How one file of the run uses the functions the index knows (for dropping a flag parameter)."""

    calls: Tuple[CallShape, ...] = ()
    values: Tuple[str, ...] = ()  # dotted names read other than as a call's callee
    star_import: bool = False
    public: Tuple[str, ...] = ()  # its functions that are a package's public API


def resolve_helpers(
    functions: Mapping[str, Mapping[str, FunctionFacts]],
    callees: Mapping[str, Tuple[str, ...]],
    resolve: Callable[[str, str], Optional[_Function]],
    unseen_near: Callable[[str], Tuple[str, ...]],
    usages: Optional[Mapping[str, Usage]] = None,
    mentioned: Callable[[Set[str]], Set[str]] = lambda names: names,
) -> Dict[str, FileHelpers]:
    """Each file's answer: ``functions`` are the facts of each file, ``callees`` the dotted
    names each file calls or imports (what may name another file's function), ``resolve`` what
    such a name written in a file refers to (``None`` when no function of the run), ``usages``
    how each file uses them, and ``mentioned`` which of some names the files of the run without
    a usage (not read by the first pass) mention at all."""
    helpers: Dict[_Function, ImportedHelper] = {}

    def as_helper(path: str, facts: FunctionFacts) -> Optional[ImportedHelper]:
        if facts.always and not any(flag_forward(path, f) for f in facts.forwards):
            return ImportedHelper(facts.name, path, None, None, None)
        flagged = {f[0] for f in facts.forwards if flag_forward(path, f)}
        candidates = set(facts.variable_flags) | flagged
        if len(candidates) != 1:
            return None
        (param,) = candidates
        if param in facts.reads or param in facts.unreturned:
            return None  # it means more than volatile, or the function uses the value itself
        if any(f[0] == param and not flag_forward(path, f) for f in facts.forwards):
            return None  # passed on to something that is no helper's flag: a use
        position = facts.positional.index(param) if param in facts.positional else None
        return ImportedHelper(facts.name, path, param, position, dict(facts.defaults).get(param))

    def flag_forward(path: str, forward: Tuple[str, str, Optional[str], Optional[int]]) -> bool:
        """Whether ``forward`` passes its parameter as the flag of a helper found so far."""
        _, callee, keyword, position = forward
        target = resolve(path, callee)
        inner = helpers.get(target) if target is not None else None
        if inner is None or inner.param is None:
            return False
        return keyword == inner.param or (keyword is None and position == inner.position)

    changed = True
    while changed:  # a helper found makes its forwarders visible, in any file: to a fixed point
        changed = False
        for path, by_name in functions.items():
            for name, facts in by_name.items():
                if (path, name) in helpers:
                    continue
                helper = as_helper(path, facts)
                if helper is not None:
                    helpers[(path, name)] = helper
                    changed = True
    droppable = _droppable(helpers, usages or {}, resolve, unseen_near)
    if droppable:  # files the first pass did not read may call them too
        elsewhere = mentioned({name for _, name in droppable})
        droppable = {key for key in droppable if key[1] not in elsewhere}
    helpers = {key: replace(helper, drop_param=key in droppable) for key, helper in helpers.items()}
    ignoring = {(path, name) for path, by_name in functions.items() for name, f in by_name.items() if f.ignores_volatile}
    answers: Dict[str, Dict[str, list]] = {}
    importers: Dict[_Function, Set[str]] = {}
    for path, names in callees.items():
        for callee in names:
            target = resolve(path, callee)
            if target is None or target[0] == path:
                continue
            entry = answers.setdefault(path, {"imported": [], "ignoring": []})
            if target in helpers:
                entry["imported"].append((callee, helpers[target]))
                importers.setdefault(target, set()).add(path)
            elif target in ignoring:
                entry["ignoring"].append(callee)
    exported: Dict[str, List[ExportedHelper]] = {}
    for (path, name) in helpers:
        exported.setdefault(path, []).append(
            ExportedHelper(
                name, tuple(sorted(importers.get((path, name), ()))), unseen_near(path), (path, name) in droppable
            )
        )
    return {
        path: FileHelpers(
            tuple(sorted(answers.get(path, {}).get("imported", []), key=lambda item: item[0])),
            tuple(sorted(set(answers.get(path, {}).get("ignoring", [])))),
            tuple(sorted(exported.get(path, []), key=lambda h: h.name)),
        )
        for path in {*answers, *exported}
    }


def _droppable(
    helpers: Mapping[_Function, ImportedHelper],
    usages: Mapping[str, Usage],
    resolve: Callable[[str, str], Optional[_Function]],
    unseen_near: Callable[[str], Tuple[str, ...]],
) -> Set[_Function]:
    """The helpers whose flag parameter can go, with the flag argument of every call in the run."""
    if not usages or any(usage.star_import for usage in usages.values()):
        return set()  # a star import may call any of them unseen
    blocked: Set[_Function] = {
        key
        for key, helper in helpers.items()
        if helper.param is None
        or helper.default is None
        or unseen_near(key[0])
        or key[1] in usages.get(key[0], Usage()).public
    }
    for path, usage in usages.items():
        for value in usage.values:
            target = resolve(path, value)
            if target is not None:
                blocked.add(target)  # passed around as a value: its calls are not all seen
        for call in usage.calls:
            target = resolve(path, call.callee)
            helper = helpers.get(target) if target is not None else None
            if helper is None:
                continue
            slot = {helper.param, str(helper.position)} if helper.position is not None else {helper.param}
            if call.star or slot & set(call.side_effects):
                blocked.add(target)
    return set(helpers) - blocked


def mentioned_in(paths: Iterable[str]) -> Callable[[Set[str]], Set[str]]:
    """Which of some names the files ``paths`` mention as a word (read only when asked)."""

    def mentioned(names: Set[str]) -> Set[str]:
        if not names:
            return set()
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
        found: Set[str] = set()
        for path in paths:
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    found.update(pattern.findall(handle.read()))
            except OSError:
                return set(names)  # unreadable: it may call any of them
        return found

    return mentioned


def unseen_python_files(path: str, run: Set[str], package_root: str) -> Tuple[str, ...]:
    """The ``*.py`` files beside ``path`` or at its package's root that the run did not include."""
    found: Set[str] = set()
    for directory in {os.path.dirname(path), package_root}:
        try:
            names = os.listdir(directory or ".")
        except OSError:
            continue
        for name in names:
            candidate = os.path.normpath(os.path.join(directory, name)).replace(os.sep, "/")
            if name.endswith(".py") and candidate not in run and os.path.isfile(candidate):
                found.add(candidate)
    return tuple(sorted(found))


__all__ = [
    "ExportedHelper",
    "FileHelpers",
    "FunctionFacts",
    "ImportedHelper",
    "CallShape",
    "Usage",
    "usage_of",
    "nodes_of",
    "child_nodes",
    "collect_functions",
    "is_script",
    "mentioned_in",
    "resolve_helpers",
    "unseen_python_files",
]
