"""TU404 softmax_dim: report softmax / log_softmax / softmin without `dim`.

What it does
    Reports calls of `F.softmax`, `F.log_softmax` and `F.softmin` without a `dim` argument (or
    with `dim=None`), and `nn.Softmax()`, `nn.LogSoftmax()`, `nn.Softmin()` built without one.
    The message says which dimension the legacy code got. When the input is evidently 2-D or
    more than 3-D, a reshape with that many sizes (``F.softmax(x.view(-1, n))``), the dim the
    legacy code got (1) is written out.

Why
    Before PyTorch 0.3 these functions had no `dim` argument; since then a missing `dim` is
    deprecated and chosen by torch's `_get_softmax_dim`: dim 0 for 0-, 1- and 3-dimensional
    input, dim 1 otherwise. For a 3-dimensional input (a sequence, or one unbatched image) that is
    the batch dimension, rarely what was meant; every call also warns.

Before
    probs = F.softmax(logits)
    self.softmax = nn.LogSoftmax()

After
    probs = F.softmax(logits, dim=1)
    self.softmax = nn.LogSoftmax(dim=1)

Fix safety
    Safe where the input is a ``.view``/``.reshape`` with two or four or more sizes: its number of
    dimensions is the number of sizes, so ``dim=1`` is what legacy code computed. Elsewhere no fix:
    the implicit dimension depends on the input's number of dimensions, which is rarely known from
    the source. Write the `dim` the legacy code got (see the message) or the one meant.

Limitations
    `torch.softmax` and the `Tensor.softmax` method always required `dim` and are not checked.
    `nn.Softmax` subclasses and calls through `*args`/`**kwargs` are not reported. A 3-D reshape
    (legacy dim 0, rarely what was meant) and ``dim=None`` written out stay findings.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.tree_screen import calls_any_of
from torchup.codemod import Codemod

# Callable -> the position `dim` takes when passed positionally.
_DIM_POSITION = {
    **{f"torch.nn.functional.{name}": 1 for name in ("softmax", "log_softmax", "softmin")},
    **{
        f"{module}.{name}": 0
        for name in ("Softmax", "LogSoftmax", "Softmin")
        for module in ("torch.nn", "torch.nn.modules", "torch.nn.modules.activation")
    },
}


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


_DIM_ONE = cst.Arg(
    keyword=cst.Name("dim"),
    value=cst.Integer("1"),
    equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
)


def _reshaped_ndim(node: cst.BaseExpression) -> Optional[int]:
    """The ndim of ``x.view(a, b)`` / ``x.reshape(a, b, c)``: its number of sizes (two or more:
    one argument may be a size tuple, and starred or keyword arguments hide the count)."""
    if not (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in ("view", "reshape")
    ):
        return None
    if len(node.args) < 2 or any(arg.star or arg.keyword is not None for arg in node.args):
        return None
    return len(node.args)


class SoftmaxDim(Codemod):
    CODE = "TU404"
    NAME = "softmax_dim"
    SUMMARY = "report `F.softmax(x)` / `nn.LogSoftmax()` without `dim` (legacy implicit dim: 0 for 0-, 1-, 3-dim input, else 1); `dim=1` on a 2-D reshape"
    SAFETY = "safe"
    MARKERS = ("softmax", "Softmax", "softmin", "Softmin")
    # Superset of the calls reported or fixed: a callee that resolves to `_DIM_POSITION` is
    # `functional.<leaf>(`, `X.<leaf>(` with `functional as X` bound (either order), a leaf in an
    # import statement, or a class (`Softmax(` under any receiver, or `Softmax as`). Only a call
    # whose argument list (read where it has no strings, comments and nests at most one level of
    # brackets) surely sets `dim` is left out: a top-level `*`, a `dim=` that is neither `None`
    # nor parenthesised, or a positional dim (first argument of a class, second of a function)
    # that is neither `None` nor parenthesised, with no `dim` after it. Modern `F.softmax(x,
    # dim=-1)`, `nn.Softmax(dim=1)`, `torch.softmax(x, 1)`, `x.softmax(-1)` do not match.
    _ONE = r"""(?:[^,()\[\]{}'"#\\]|\([^()\[\]{}'"#\\]*\)|\[[^()\[\]{}'"#\\]*\]|\{[^()\[\]{}'"#\\]*\})"""
    _SETS_DIM = (
        rf"(?:{_ONE}*,)*[\s\\]*(?:\*|dim[\s\\]*=(?!=)[\s\\]*(?![\s\\]|\(|None\b))"
        + r"|<first>[\s\\]*(?![\s\\]|None\b|\(|\)|\*|#|\w+[\s\\]*=(?!=))"
        + rf"(?:(?!dim\b)(?:{_ONE}|,))+\)"
    )
    _FUNCTION = r"[\s\\)]*\.[\s\\]*(?:softmax|log_softmax|softmin)\b[\s\\)]*\((?!%s)" % _SETS_DIM.replace(
        "<first>", _ONE + "*,"
    )
    PATTERN = (
        rf"\bfunctional{_FUNCTION}"
        + rf"|\bfunctional[\s\\]+as[\s\\]+(?P<a>\w+)\b[\s\S]*\b(?P=a){_FUNCTION}"
        + rf"|\b(?P<b>\w+){_FUNCTION}[\s\S]*\bfunctional[\s\\]+as[\s\\]+(?P=b)\b"
        + r"|\bimport\b(?:[^\S\n]|\\\r?\n|[\w.,])*?\b(?:softmax|log_softmax|softmin)\b"
        + r"|\bimport(?:[^\S\n]|\\\r?\n)*\((?:[\w\s.,\\]|#[^\n]*)*?\b(?:softmax|log_softmax|softmin)\b"
        + r"|\b(?:Softmax|LogSoftmax|Softmin)[\s\\]+as\b"
        + r"|\b(?:Softmax|LogSoftmax|Softmin)[\s\\)]*\((?!%s)" % _SETS_DIM.replace("<first>", "")
    )
    del _ONE, _SETS_DIM, _FUNCTION
    # Every call it rewrites or reports has one of these callees (resolved through the imports).
    TREE_SCREEN = staticmethod(calls_any_of(frozenset(_DIM_POSITION)))

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        qualified = self.table.qualified_name(original_node.func)
        position = _DIM_POSITION.get(qualified or "")
        if position is None or any(arg.star for arg in original_node.args):
            return updated_node
        dim = None
        for index, arg in enumerate(original_node.args):
            if (arg.keyword is None and index == position) or (arg.keyword is not None and arg.keyword.value == "dim"):
                dim = arg.value
        if dim is not None and not _is_none(dim):
            return updated_node
        name = qualified.rsplit(".", 1)[-1]
        ndim = _reshaped_ndim(original_node.args[0].value) if position == 1 and original_node.args else None
        if dim is None and ndim is not None and ndim != 3:
            return self.fix(
                original_node,
                updated_node.with_changes(args=(*updated_node.args, _DIM_ONE)),
                f"`{name}` without `dim` on a {ndim}-dimensional reshape: the implicit dim 1 written out",
            )
        self.report(
            original_node,
            f"`{name}` without `dim`: legacy code got an implicit dim, 0 for a 0-, 1- or 3-dimensional "
            "input and 1 otherwise (torch's `_get_softmax_dim`); the input's ndim is not known here: "
            "pass `dim=` explicitly (`dim=1` for the usual (batch, classes) input)",
        )
        return updated_node
