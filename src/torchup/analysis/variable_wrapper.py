"""A file's own ``Variable``: torch's Variable plus a device move, bound by a module-level lambda.

The reinforcement-learning tutorials of 2017-18 defined, once per notebook or script::

    USE_CUDA = torch.cuda.is_available()
    Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs).cuda() if USE_CUDA else autograd.Variable(*args, **kwargs)

and then called ``Variable(...)`` everywhere, with and without ``volatile=True``. Such a wrapper
is torch's Variable followed by a move to the GPU (always, on a condition, or never): its calls
can be migrated like torch's, with the move written as ``.to(device)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional, Tuple

import libcst as cst
import libcst.matchers as m

from torchup.analysis.imports import ImportTable

VARIABLE = ("torch.autograd.Variable", "torch.autograd.variable.Variable")
_SIDE_EFFECTS = m.Call() | m.Await() | m.Yield() | m.NamedExpr() | m.Lambda()


@dataclass(frozen=True)
class VariableWrapper:
    """``NAME = lambda *args, **kwargs: <torch's Variable(*args, **kwargs), maybe moved>``."""

    name: str
    line: cst.SimpleStatementLine  # the definition, alone on its line at module level
    variable: cst.BaseExpression  # how the lambda spells torch's Variable (`autograd.Variable`)
    # What ``torch.device(...)`` is given: ``"cuda"``, or ``"cuda" if USE_CUDA else "cpu"``;
    # None when the wrapper moves nothing.
    device: Optional[cst.BaseExpression]
    # False when the move is conditional: ``.to(device)`` then also moves, on a CPU run, a tensor
    # that is already elsewhere (the GPU, the meta device), which the wrapper left where it was.
    exact: bool


def _forwards(call: cst.BaseExpression, star: str, double_star: str, table: ImportTable) -> bool:
    """``Variable(*args, **kwargs)`` with torch's Variable and exactly the lambda's parameters."""
    return (
        isinstance(call, cst.Call)
        and table.refers_to(call.func, *VARIABLE)
        and len(call.args) == 2
        and call.args[0].star == "*"
        and m.matches(call.args[0].value, m.Name(star))
        and call.args[1].star == "**"
        and m.matches(call.args[1].value, m.Name(double_star))
    )


def _moved(expr: cst.BaseExpression, star: str, double_star: str, table: ImportTable) -> bool:
    """``Variable(*args, **kwargs).cuda()``."""
    return (
        m.matches(expr, m.Call(func=m.Attribute(attr=m.Name("cuda")), args=[]))
        and _forwards(expr.func.value, star, double_star, table)
    )


def _lambda_parts(lam: cst.Lambda) -> Optional[Tuple[str, str]]:
    params = lam.params
    if params.params or params.posonly_params or params.kwonly_params:
        return None
    if not (isinstance(params.star_arg, cst.Param) and isinstance(params.star_kwarg, cst.Param)):
        return None
    return params.star_arg.name.value, params.star_kwarg.name.value


def _device_of(body: cst.BaseExpression, star: str, double_star: str, table: ImportTable):
    """(torch's Variable as spelled, the device argument, exact) for a wrapper's body, or None."""
    if _forwards(body, star, double_star, table):
        return body.func, None, True
    if _moved(body, star, double_star, table):
        return body.func.value.func, cst.SimpleString('"cuda"'), True
    if isinstance(body, cst.IfExp) and not m.findall(body.test, _SIDE_EFFECTS):
        test = body.test.with_changes(lpar=[], rpar=[]) if isinstance(body.test, cst.Name) else body.test
        if _moved(body.body, star, double_star, table) and _forwards(body.orelse, star, double_star, table):
            first, second = '"cuda"', '"cpu"'
            variable = body.orelse.func
        elif _forwards(body.body, star, double_star, table) and _moved(body.orelse, star, double_star, table):
            first, second = '"cpu"', '"cuda"'
            variable = body.body.func
        else:
            return None
        device = cst.IfExp(test=test, body=cst.SimpleString(first), orelse=cst.SimpleString(second))
        return variable, device, False
    return None


def _definitions(module: cst.Module) -> Iterator[Tuple[cst.SimpleStatementLine, str, cst.Lambda]]:
    for line in module.body:
        if m.matches(
            line,
            m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(target=m.Name())], value=m.Lambda())]),
        ):
            assign = line.body[0]
            yield line, assign.targets[0].target.value, assign.value


def variable_wrapper(module: cst.Module, table: ImportTable) -> Optional[VariableWrapper]:
    """The file's module-level lambda that wraps torch's Variable with a device move, if it has one
    (the first; the caller checks that nothing else binds the name)."""
    for line, name, lam in _definitions(module):
        parts = _lambda_parts(lam)
        if parts is None:
            continue
        found = _device_of(lam.body, *parts, table)
        if found is not None:
            variable, device, exact = found
            return VariableWrapper(name, line, variable, device, exact)
    return None
