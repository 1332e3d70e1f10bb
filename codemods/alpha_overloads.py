"""TU409 alpha_overloads: ``p.add_(-lr, g)`` -> ``p.add_(g, alpha=-lr)``; the same for sub, addcmul, addcdiv.

What it does
    Rewrites the scalar-first overloads of PyTorch 0.3 to the keyword form:
    ``x.add_(s, t)`` / ``x.sub(s, t)`` -> ``x.add_(t, alpha=s)``,
    ``x.addcmul_(v, t1, t2)`` / ``x.addcdiv(v, t1, t2)`` -> ``x.addcmul_(t1, t2, value=v)``,
    and the function forms ``torch.add(x, s, t)`` -> ``torch.add(x, t, alpha=s)``,
    ``torch.addcmul(x, v, t1, t2)`` -> ``torch.addcmul(x, t1, t2, value=v)``.

Why
    Hand-written optimizers and updates of 2017 (``p.data.add_(-lr, d_p)``,
    ``exp_avg_sq.addcmul_(1 - beta2, grad, grad)``) use the overloads that took the scalar
    first. Torch 2.13 still accepts them with a deprecation warning at every call (checked with
    ``-W always``) and may drop them; the scalar is now the keyword-only ``alpha`` / ``value``.

Before
    p.data.add_(-lr, p.grad.data)
    exp_avg_sq.mul_(beta2).addcmul_(1 - beta2, grad, grad)

After
    p.data.add_(p.grad.data, alpha=-lr)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)

Fix safety
    Safe. Measured on torch 2.13: the modern methods take one positional tensor (two for
    addcmul and addcdiv), so a call with one positional argument more can only be the deprecated
    overload, and the keyword form computes the same values. Only the in-place methods (a
    trailing ``_`` is torch's naming) and ``torch.*`` functions are rewritten: ``x.add(a, b)`` and
    the other out-of-place methods are other libraries' names too (torchnet's
    ``meter.add(value, n)``, ``re.sub(pattern, repl)``, ``set.add(obj, x)``, inductor's
    ``ops.sub(a, b)``). They are reported only when the receiver is evidently a tensor (a torch
    call, ``.data`` or ``.grad``, a tensor local, a loop variable over ``.parameters()``) and the
    first argument can be a number (not a string, a container or a known tensor); otherwise
    they are left alone, silently.

Limitations
    Calls with ``*args``/``**kwargs`` or with the scalar passed by keyword (``value=``) are left
    alone; so are ``torch.Tensor.add(x, s, t)`` and other unbound-method spellings.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.tensor_exprs import TENSOR_METHODS, TensorExprs, keyword_argument, tensor_exprs
from torchup.codemod import Codemod

# Method -> (the scalar's keyword, how many tensors follow it).
_METHODS: Dict[str, Tuple[str, int]] = {
    **{name: ("alpha", 1) for name in ("add", "sub")},
    **{name: ("value", 2) for name in ("addcmul", "addcdiv")},
}
_FUNCTIONS = {f"torch.{name}": spec for name, spec in _METHODS.items()}


def _overload(name: str) -> Optional[Tuple[str, int]]:
    return _METHODS.get(name[:-1] if name.endswith("_") and not name.endswith("__") else name)


def _scalar_last(args: List[cst.Arg], scalar_at: int, keyword: str) -> List[cst.Arg]:
    """``args`` with the positional scalar at ``scalar_at`` moved to the end as ``keyword=``."""
    positional = [arg for arg in args if arg.keyword is None]
    keywords = [arg for arg in args if arg.keyword is not None]
    scalar = positional.pop(scalar_at)
    moved = keyword_argument(keyword, scalar.value)
    ordered = [*positional, moved, *keywords]
    trailing = args[-1].comma
    commas = [cst.MaybeSentinel.DEFAULT] * (len(ordered) - 1) + [trailing]
    return [arg.with_changes(comma=comma) for arg, comma in zip(ordered, commas)]


class AlphaOverloads(Codemod):
    CODE = "TU409"
    NAME = "alpha_overloads"
    SUMMARY = "`p.add_(-lr, g)` -> `p.add_(g, alpha=-lr)`; `addcmul_(v, a, b)` -> `addcmul_(a, b, value=v)`"
    SAFETY = "safe"
    MARKERS = ("add(", "add_(", "sub(", "sub_(", "addcmul", "addcdiv")
    # Superset of the calls rewritten or reported: the callee is an attribute (`x.add_(`,
    # `torch.add(`) named after `_METHODS`, with or without the trailing `_`, and the call has at
    # least two positional arguments and no `alpha=`/`value=`. Only a call whose argument list
    # (read where it has no strings, comments and nests at most one level of brackets) surely has
    # at most one positional argument, or a top-level `alpha=`/`value=`, is left out. Modern
    # `seen.add(x)`, `x.add_(1)`, `p.add_(g, alpha=-lr)`, `torch.add(a, b, alpha=2)` do not match.
    _ONE = r"""(?:[^,()\[\]{}'"#\\]|\([^()\[\]{}'"#\\]*\)|\[[^()\[\]{}'"#\\]*\]|\{[^()\[\]{}'"#\\]*\})*"""
    _KEYWORD = r"[\s\\]*\w+[\s\\]*=(?!=)"
    PATTERN = (
        r"\.[\s\\]*(?:%s)_?[\s\\)]*\(" % "|".join(_METHODS)
        + rf"(?!{_ONE}(?:,{_KEYWORD}{_ONE})*,?[\s\\]*\)"
        + rf"|(?:{_ONE},)*[\s\\]*(?:alpha|value)[\s\\]*=(?!=))"
    )
    del _ONE, _KEYWORD

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)
        self.file_tensors: TensorExprs = tensor_exprs(node, self.table)
        # The enclosing functions, innermost last; their tensor tests are built on first need.
        self.functions: List[cst.FunctionDef] = []
        self.scopes: Dict[int, TensorExprs] = {}
        self.parameter_loops: List[str] = []  # targets of `for p in <...>.parameters()`

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.functions.pop()
        return updated_node

    def visit_For(self, node: cst.For) -> None:
        loops_over = node.iter.func if isinstance(node.iter, cst.Call) else None
        is_parameters = isinstance(loops_over, cst.Attribute) and loops_over.attr.value in (
            "parameters",
            "buffers",
        )
        self.parameter_loops.append(
            node.target.value if is_parameters and isinstance(node.target, cst.Name) else ""
        )

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        self.parameter_loops.pop()
        return updated_node

    def _scope(self) -> TensorExprs:
        if not self.functions:
            return self.file_tensors
        function = self.functions[-1]
        scope = self.scopes.get(id(function))
        if scope is None:
            scope = self.scopes[id(function)] = self.file_tensors.in_function(function)
        return scope

    def _is_tensor(self, node: cst.BaseExpression) -> bool:
        """Evidently a tensor: `.data`/`.grad` of something, a parameter loop's variable, or
        what the shared tensor test knows (torch calls, tensor locals, tensor methods on them)."""
        if isinstance(node, cst.Attribute) and node.attr.value in ("data", "grad"):
            return not (isinstance(node.value, cst.Name) and node.value.value == "self")
        if isinstance(node, cst.Name) and node.value in self.parameter_loops:
            return True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and self._is_tensor(node.func.value):
            return node.func.attr.value in TENSOR_METHODS
        return self._scope().is_tensor(node)

    def _may_be_number(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, (cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.UnaryOperation):
            return isinstance(node.operator, (cst.Minus, cst.Plus)) and self._may_be_number(node.expression)
        if isinstance(node, cst.BinaryOperation):
            return self._may_be_number(node.left) and self._may_be_number(node.right)
        if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript)):
            return not self._is_tensor(node)
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        plan = self._plan(original_node)
        if plan is None:
            return updated_node
        keyword, scalar_at, certain = plan
        if not certain:
            assert isinstance(original_node.func, cst.Attribute)
            positional = [arg for arg in original_node.args if arg.keyword is None]
            if not (self._is_tensor(original_node.func.value) and self._may_be_number(positional[0].value)):
                return updated_node  # another library's `add`/`sub`: `re.sub(p, r)`, `seen.add(a, b)`
            self.report(
                original_node,
                f"if this is a tensor, the scalar-first overload (deprecated since PyTorch 1.5): "
                f"pass the first argument as `{keyword}=` after the tensors",
            )
            return updated_node
        args = _scalar_last(list(updated_node.args), scalar_at, keyword)
        return self.fix(
            original_node,
            updated_node.with_changes(args=args),
            f"scalar-first overload (deprecated since PyTorch 1.5): the scalar passed as `{keyword}=`",
        )

    def _plan(self, node: cst.Call) -> Optional[Tuple[str, int, bool]]:
        """(keyword, position of the scalar, whether surely torch's) for a scalar-first call."""
        if not isinstance(node.func, cst.Attribute) or any(arg.star for arg in node.args):
            return None
        qualified = self.table.qualified_name(node.func)
        positional = sum(arg.keyword is None for arg in node.args)
        if any(arg.keyword is not None and arg.keyword.value in ("alpha", "value") for arg in node.args):
            return None
        if qualified is not None:
            spec = _FUNCTIONS.get(qualified)
            if spec is None or positional != 2 + spec[1]:
                return None  # torch.add(x, s, t): input, scalar, tensors
            return spec[0], 1, True
        method = node.func.attr.value
        spec = _overload(method)
        if spec is None or positional != 1 + spec[1]:
            return None
        return spec[0], 0, method.endswith("_")
