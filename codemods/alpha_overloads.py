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
    first. Torch 2.x still accepts them with a deprecation warning at every call and may drop
    them; the scalar is now the keyword-only ``alpha`` / ``value``.

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
    the other out-of-place methods are reported, their names are other libraries' too
    (torchnet's ``meter.add(value, n)``).

Limitations
    Calls with ``*args``/``**kwargs`` or with the scalar passed by keyword (``value=``) are left
    alone; so are ``torch.Tensor.add(x, s, t)`` and other unbound-method spellings.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod

# Method -> (the scalar's keyword, how many tensors follow it).
_METHODS: Dict[str, Tuple[str, int]] = {
    **{name: ("alpha", 1) for name in ("add", "sub")},
    **{name: ("value", 2) for name in ("addcmul", "addcdiv")},
}
_FUNCTIONS = {f"torch.{name}": spec for name, spec in _METHODS.items()}

_NO_SPACE = cst.SimpleWhitespace("")


def _overload(name: str) -> Optional[Tuple[str, int]]:
    return _METHODS.get(name[:-1] if name.endswith("_") and not name.endswith("__") else name)


def _scalar_last(args: List[cst.Arg], scalar_at: int, keyword: str) -> List[cst.Arg]:
    """``args`` with the positional scalar at ``scalar_at`` moved to the end as ``keyword=``."""
    positional = [arg for arg in args if arg.keyword is None]
    keywords = [arg for arg in args if arg.keyword is not None]
    scalar = positional.pop(scalar_at)
    moved = cst.Arg(scalar.value, keyword=cst.Name(keyword), equal=cst.AssignEqual(_NO_SPACE, _NO_SPACE))
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

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        plan = self._plan(original_node)
        if plan is None:
            return updated_node
        keyword, scalar_at, certain = plan
        if not certain:
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
