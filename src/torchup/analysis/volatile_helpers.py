"""Functions of a file that make a volatile Variable for their caller: the volatile helpers.

Legacy code rarely wrote ``Variable(x, volatile=True)`` where the inference ran; it called a
helper that did, copied into hundreds of repositories:

- ``def to_var(x, volatile=False): return Variable(x, volatile=volatile)``;
- ``def get_batch(source, i, evaluation=False): ... Variable(source[i:j], volatile=evaluation)``,
  called as ``get_batch(data, i, evaluation=True)`` from ``evaluate()``;
- ``def var(a): return Variable(a, volatile=True)`` in a translator.

A helper *forwards* a parameter when the parameter reaches ``Variable(..., volatile=<param>)``
(or the flag parameter of another helper of the file) and is used for nothing else; it is
*always volatile* when each of its ``return``s gives back a ``Variable(..., volatile=True)`` as it
is. Functions at module level and methods of module-level classes are indexed; a method is
found through calls on ``self`` in its own class. What a call of a helper passes for the flag
decides, as for a direct ``Variable(x, volatile=...)``, which region the caller's code needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Tuple, Union

import libcst as cst
import libcst.matchers as m

from torchup.analysis.imports import ImportTable
from torchup.analysis.walk import find_all

VARIABLE = ("torch.autograd.Variable", "torch.autograd.variable.Variable")
_NESTED = m.FunctionDef() | m.Lambda() | m.ClassDef()


@dataclass(frozen=True)
class VolatileHelper:
    """A function whose value is volatile when its flag parameter is true (or always)."""

    function: Optional[cst.FunctionDef]  # None: a helper of another file (``imported_from``)
    owner: Optional[str]  # the class of a method (called on ``self``), None for a function
    param: Optional[str]  # the forwarded flag parameter; None: always volatile
    position: Optional[int]  # the flag's index among a call's positional arguments
    default: Optional[cst.BaseExpression]  # the parameter's default, None when it has none
    flag_calls: FrozenSet[cst.Call]  # the calls in the body that receive the flag
    imported_from: Optional[str] = None  # the file that defines an imported helper
    imported_name: Optional[str] = None  # its name there
    drop_param: bool = False  # an imported helper whose flag parameter goes (the run's every call can lose it)

    @property
    def name(self) -> str:
        return self.function.name.value if self.function is not None else str(self.imported_name)


def imported_helpers(file_helpers: object) -> Dict[str, VolatileHelper]:
    """The helpers of other files that a file calls, by the callee as it is written there
    (``to_var``, ``utils.to_var``), from the run's function index (``FileHelpers``)."""
    imported = getattr(file_helpers, "imported_helpers", None)
    if imported is None:
        return {}
    found = {}
    for spelling, helper in imported().items():
        default = cst.parse_expression(helper.default) if helper.default is not None else None
        found[spelling] = VolatileHelper(
            None, None, helper.param, helper.position, default, frozenset(), helper.path, helper.name, helper.drop_param
        )
    return found


# What a call of a helper passes for its flag: True (a literal), nothing that can be volatile
# (False, None, the default False), an expression, or a reason it cannot be read.
Passed = Union[bool, cst.BaseExpression, str]


def flag_passed(helper: VolatileHelper, call: cst.Call) -> Passed:
    """What ``call`` (a call of ``helper``) passes for the volatile flag."""
    if helper.param is None:
        return True
    value: Optional[cst.BaseExpression] = None
    for index, arg in enumerate(call.args):
        if arg.star:
            return "a `*`/`**` argument may carry the flag"
        if m.matches(arg.keyword, m.Name(helper.param)) or (arg.keyword is None and index == helper.position):
            value = arg.value
    if value is None:
        value = helper.default
    if value is None or m.matches(value, m.Name("False") | m.Name("None") | m.Integer("0")):
        return False
    if m.matches(value, m.Name("True")):
        return True
    return value


def _variable_flag(call: cst.Call) -> Optional[cst.BaseExpression]:
    """The ``volatile`` argument of a ``Variable(data, requires_grad, volatile)`` call."""
    for index, arg in enumerate(call.args):
        if m.matches(arg.keyword, m.Name("volatile")) or (arg.keyword is None and index == 2 and not arg.star):
            return arg.value
    return None


def _own_nodes(function: cst.FunctionDef, matcher: m.BaseMatcherNode) -> List[cst.CSTNode]:
    """Nodes of ``function``'s body that run when it runs (not in nested definitions)."""
    nested = [node for node in find_all(function.body, _NESTED)]
    inside = set()
    for node in nested:
        inside.update(id(n) for n in find_all(node, matcher))
    return [node for node in find_all(function.body, matcher) if id(node) not in inside]


def _functions(module: cst.Module) -> Iterator[Tuple[cst.FunctionDef, Optional[str]]]:
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            yield statement, None
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            for member in statement.body.body:
                if isinstance(member, cst.FunctionDef):
                    yield member, statement.name.value


def _positional(function: cst.FunctionDef, owner: Optional[str]) -> List[cst.Param]:
    params = [*function.params.posonly_params, *function.params.params]
    is_static = any(m.matches(d.decorator, m.Name("staticmethod")) for d in function.decorators)
    return params[1:] if owner is not None and not is_static else params


def _returns_as_is(function: cst.FunctionDef, call: cst.Call, every: bool) -> bool:
    """Every ``return`` of ``function`` (or some, when not ``every``) gives back ``call``'s value
    as it is (maybe moved, maybe in a tuple): the code that uses it is in the caller."""
    returns = _own_nodes(function, m.Return())
    if not returns:
        return False
    bound = set()
    for assign in _own_nodes(function, m.Assign() | m.AugAssign() | m.AnnAssign()):  # in source order
        targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
        names = {t.value for t in targets if isinstance(t, cst.Name)}
        if isinstance(assign, cst.Assign) and _is_moved(assign.value, call, bound) and len(targets) == 1:
            bound |= names
        else:
            bound -= names  # `h = model(h)`: h is something else now
    gives_back = [_is_moved(r.value, call, bound, every) for r in returns]
    return all(gives_back) if every else any(gives_back)


def _is_moved(expr: Optional[cst.CSTNode], call: cst.Call, names: set, alone: bool = True) -> bool:
    if expr is call:
        return True
    if isinstance(expr, cst.Name):
        return expr.value in names
    if isinstance(expr, cst.Tuple) and not alone:
        return any(_is_moved(element.value, call, names, alone) for element in expr.elements)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and not expr.args:
        return expr.func.attr.value in ("cuda", "cpu", "float", "long", "contiguous") and _is_moved(
            expr.func.value, call, names, alone
        )
    return False


def volatile_helpers(
    module: cst.Module, table: ImportTable, imported: Optional[Dict[str, VolatileHelper]] = None
) -> Dict[cst.FunctionDef, VolatileHelper]:
    """The volatile helpers of ``module``, chains of helpers included (a helper that forwards its
    parameter to another helper's flag, of this file or ``imported`` from another)."""
    found: Dict[cst.FunctionDef, VolatileHelper] = {}
    functions = list(_functions(module))
    changed = True
    while changed:  # a helper found makes its callers' forwarding visible: to a fixed point
        changed = False
        for function, owner in functions:
            if function in found:
                continue
            helper = _helper(function, owner, table, found, imported or {})
            if helper is not None:
                found[function] = helper
                changed = True
    return found


def helper_called(
    call: cst.Call,
    helpers: Dict[cst.FunctionDef, VolatileHelper],
    owner_of: Callable[[cst.CSTNode], Optional[str]],
    imported: Optional[Dict[str, VolatileHelper]] = None,
) -> Optional[VolatileHelper]:
    """The helper ``call`` calls: ``name(...)`` for a function, ``self.name(...)`` inside the
    method's own class, ``name(...)`` or ``module.name(...)`` for a helper of another file;
    None otherwise."""
    func = call.func
    if imported:
        spelling = _dotted(func)
        if spelling in imported and not any(h.owner is None and h.name == spelling for h in helpers.values()):
            return imported[spelling]
    for helper in helpers.values():
        if helper.owner is None and m.matches(func, m.Name(helper.name)):
            return helper
        if (
            helper.owner is not None
            and m.matches(func, m.Attribute(value=m.Name("self"), attr=m.Name(helper.name)))
            and owner_of(call) == helper.owner
        ):
            return helper
    return None


def _dotted(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _helper(
    function: cst.FunctionDef,
    owner: Optional[str],
    table: ImportTable,
    known: Dict[cst.FunctionDef, VolatileHelper],
    imported: Dict[str, VolatileHelper],
) -> Optional[VolatileHelper]:
    params = {p.name.value: p for p in [*_positional(function, owner), *function.params.kwonly_params]}
    positional = [p.name.value for p in _positional(function, owner)]
    by_param: Dict[str, List[cst.Call]] = {}
    always: List[cst.Call] = []
    for call in _own_nodes(function, m.Call()):
        if table.refers_to(call.func, *VARIABLE):
            flag = _variable_flag(call)
        else:
            inner = helper_called(call, known, lambda _node: owner, imported)
            if inner is None or inner.param is None:
                continue
            passed = flag_passed(inner, call)
            flag = passed if isinstance(passed, cst.BaseExpression) else None
        if isinstance(flag, cst.Name) and flag.value in params:
            by_param.setdefault(flag.value, []).append(call)
        elif m.matches(flag, m.Name("True")) and table.refers_to(call.func, *VARIABLE):
            always.append(call)
    if len(by_param) == 1 and not always:
        (param, calls), = by_param.items()
        not_reads = {id(arg.value) for call in calls for arg in call.args}
        for node in _own_nodes(function, m.Arg() | m.Attribute()):
            # `f(volatile=...)` and `obj.volatile` name no variable
            not_reads.add(id(node.keyword if isinstance(node, cst.Arg) else node.attr))
        uses = [name for name in _own_nodes(function, m.Name(param)) if id(name) not in not_reads]
        if uses:
            return None  # the parameter means more than volatile
        if not all(
            _returns_as_is(function, call, every=False) or not table.refers_to(call.func, *VARIABLE)
            for call in calls
        ):
            return None  # the function uses the value itself: its own region (set_grad_enabled)
        declared = params[param]
        position = positional.index(param) if param in positional else None
        return VolatileHelper(function, owner, param, position, declared.default, frozenset(calls))
    if len(always) == 1 and not by_param and _returns_as_is(function, always[0], every=True):
        return VolatileHelper(function, owner, None, None, None, frozenset(always))
    return None


def _enclosing_function(module: cst.Module, node: cst.CSTNode) -> Optional[cst.FunctionDef]:
    """The innermost function of ``module`` that holds ``node``."""
    found = None
    for function in find_all(module, m.FunctionDef()):
        if any(inner is node for inner in find_all(function.body, m.Call())):
            if found is None or any(f is function for f in find_all(found.body, m.FunctionDef())):
                found = function
    return found


def volatile_flag_classes(module: cst.Module, table: ImportTable) -> Dict[cst.ClassDef, VolatileHelper]:
    """Classes that keep a volatile flag as data: ``__init__(..., volatile=False)`` stores
    ``self.volatile = volatile`` and the class reads ``self.volatile`` only as the flag of
    ``Variable(b, volatile=self.volatile)`` values it hands out as they are (a dataset's batches).
    An instance made with a true flag is then a volatile value, like a helper's: everything
    computed from what it hands out was volatile in 0.3."""
    found: Dict[cst.ClassDef, VolatileHelper] = {}
    for statement in module.body:
        if not isinstance(statement, cst.ClassDef) or not isinstance(statement.body, cst.IndentedBlock):
            continue
        init = next(
            (f for f in statement.body.body if isinstance(f, cst.FunctionDef) and f.name.value == "__init__"), None
        )
        if init is None:
            continue
        positional = _positional(init, statement.name.value)
        params = {p.name.value: p for p in [*positional, *init.params.kwonly_params]}
        for assign in _own_nodes(init, m.Assign()):
            if not (
                len(assign.targets) == 1
                and m.matches(assign.targets[0].target, m.Attribute(value=m.Name("self")))
                and isinstance(assign.value, cst.Name)
                and assign.value.value in params
            ):
                continue
            attribute, param = assign.targets[0].target.attr.value, assign.value.value
            helper = _flag_class(module, statement, init, attribute, param, params, positional, table)
            if helper is not None:
                found[statement] = helper
                break
    return found


def _flag_class(
    module: cst.Module,
    cls: cst.ClassDef,
    init: cst.FunctionDef,
    attribute: str,
    param: str,
    params: Dict[str, cst.Param],
    positional: List[cst.Param],
    table: ImportTable,
) -> Optional[VolatileHelper]:
    attributes = {id(a.attr) for a in _own_nodes(init, m.Attribute())}  # `self.volatile` names no variable
    if len([n for n in _own_nodes(init, m.Name(param)) if id(n) not in attributes]) != 1:
        return None  # the parameter means more than the stored flag
    reads = find_all(cls, m.Attribute(value=m.Name("self"), attr=m.Name(attribute)))
    calls: List[cst.Call] = []
    for call in find_all(cls, m.Call()):
        flag = _variable_flag(call) if table.refers_to(call.func, *VARIABLE) else None
        if any(flag is read for read in reads):
            function = _enclosing_function(module, call)
            if function is None or not _returns_as_is(function, call, every=False):
                return None  # the class computes with the value itself: its own region
            calls.append(call)
    stored = [t.target for a in _own_nodes(init, m.Assign()) for t in a.targets]
    if not calls or len(reads) != len(calls) + sum(1 for t in stored if any(t is r for r in reads)):
        return None  # read for something else too
    names = [p.name.value for p in positional]
    position = names.index(param) if param in names else None
    return VolatileHelper(
        None, None, param, position, params[param].default, frozenset(calls), None, cls.name.value
    )
