"""TU404 softmax_dim: report softmax / log_softmax / softmin without `dim`.

What it does
    Reports calls of `F.softmax`, `F.log_softmax` and `F.softmin` without a `dim` argument (or
    with `dim=None`), and `nn.Softmax()`, `nn.LogSoftmax()`, `nn.Softmin()` built without one.
    The message says which dimension the legacy code got.

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
    No fix: the implicit dimension depends on the input's number of dimensions, which is rarely
    known from the source. Write the `dim` the legacy code got (see the message) or the one meant.

Limitations
    `torch.softmax` and the `Tensor.softmax` method always required `dim` and are not checked.
    `nn.Softmax` subclasses and calls through `*args`/`**kwargs` are not reported.
"""

from __future__ import annotations

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
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


class SoftmaxDim(Codemod):
    CODE = "TU404"
    NAME = "softmax_dim"
    SUMMARY = "report `F.softmax(x)` / `nn.LogSoftmax()` without `dim` (legacy implicit dim: 0 for 0-, 1-, 3-dim input, else 1)"
    SAFETY = "safe"
    MARKERS = ("softmax", "Softmax", "softmin", "Softmin")

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.table.qualified_name(node.func)
        position = _DIM_POSITION.get(qualified or "")
        if position is None or any(arg.star for arg in node.args):
            return
        dim = None
        for index, arg in enumerate(node.args):
            if (arg.keyword is None and index == position) or (arg.keyword is not None and arg.keyword.value == "dim"):
                dim = arg.value
        if dim is not None and not _is_none(dim):
            return
        name = qualified.rsplit(".", 1)[-1]
        self.report(
            node,
            f"`{name}` without `dim`: legacy code got an implicit dim, 0 for a 0-, 1- or 3-dimensional "
            "input and 1 otherwise (torch's `_get_softmax_dim`); the input's ndim is not known here: "
            "pass `dim=` explicitly (`dim=1` for the usual (batch, classes) input)",
        )
