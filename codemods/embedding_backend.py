"""TU410 embedding_backend: `embed._backend.Embedding.apply(...)` -> `F.embedding(...)`.

What it does
    Rewrites a call of the private `<module>._backend.Embedding.apply(input, weight, padding_idx,
    max_norm, norm_type, scale_grad_by_freq, sparse)` (from the widely copied `embedded_dropout`,
    which applies dropout to whole rows of an embedding matrix) into the public
    `torch.nn.functional.embedding` with the same arguments in the same order, spelled with the
    file's own import of `torch.nn.functional` (`F.embedding`) or `torch.nn.functional.embedding`.

Why
    `nn.Module._backend` (the THNN backend table) was removed in PyTorch 1.0: on torch 2.x the call
    raises `AttributeError: 'Embedding' object has no attribute '_backend'`, so the model does not
    run at all. `F.embedding` computes the same lookup with the same gradient.

Before
    pad = table.padding_idx
    if pad is None:
        pad = -1
    rows = table._backend.Embedding.apply(tokens, weight, pad, table.max_norm,
                                          table.norm_type, table.scale_grad_by_freq, table.sparse)

After
    pad = table.padding_idx
    if pad is None:
        pad = -1
    rows = F.embedding(tokens, weight, None if pad == -1 else pad, table.max_norm,
                                          table.norm_type, table.scale_grad_by_freq, table.sparse)

Fix safety
    Unsafe: the legacy line raises on torch 2.x, and after the edit it runs. The backend took
    `padding_idx=-1` to mean "no padding row", where `F.embedding` takes -1 as the last row (whose
    gradient it would zero): a literal -1 becomes `None`, a name or attribute `E` becomes
    `None if E == -1 else E`, so the gradient is the legacy one.

Limitations
    Only the positional form of the call is rewritten; keyword arguments, starred arguments or a
    file that imports neither `torch` nor `torch.nn.functional` are reported. `Embedding.apply`
    through other private paths (`torch.nn._functions.thnn...`) is not recognised.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod, Safety

_POSITIONS = ("input", "weight", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse")


def _is_backend_embedding_apply(func: cst.BaseExpression) -> bool:
    """``<anything>._backend.Embedding.apply``."""
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "apply"
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "Embedding"
        and isinstance(func.value.value, cst.Attribute)
        and func.value.value.attr.value == "_backend"
    )


def _no_padding_as_none(value: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """The padding argument in F.embedding's terms, or None when it cannot be known."""
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        if isinstance(value.expression, cst.Integer) and value.expression.value == "1":
            return cst.Name("None")
        return None
    if isinstance(value, cst.Integer) or (isinstance(value, cst.Name) and value.value == "None"):
        return value
    if isinstance(value, (cst.Name, cst.Attribute)):
        return cst.parse_expression(
            f"None if {cst.Module([]).code_for_node(value)} == -1 else {cst.Module([]).code_for_node(value)}"
        )
    return None


class EmbeddingBackend(Codemod):
    CODE = "TU410"
    NAME = "embedding_backend"
    SUMMARY = "`embed._backend.Embedding.apply(...)` (removed private API, `embedded_dropout`) -> `F.embedding(...)`"
    SAFETY = "unsafe"
    MARKERS = ("_backend",)
    PATTERN = r"_backend[\s\\]*\.[\s\\]*Embedding[\s\\]*\.[\s\\]*apply"

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not _is_backend_embedding_apply(original_node.func):
            return updated_node
        args = list(updated_node.args)
        spelling = self.table.spelling("torch.nn.functional.embedding")
        if (
            spelling is None
            or not 2 <= len(args) <= len(_POSITIONS)
            or any(arg.keyword is not None or arg.star for arg in args)
        ):
            self.report(
                original_node,
                "`_backend.Embedding.apply` was removed in PyTorch 1.0 (AttributeError on torch 2.x): call "
                "`torch.nn.functional.embedding(input, weight, padding_idx, max_norm, norm_type, "
                "scale_grad_by_freq, sparse)`, with `padding_idx=None` where the legacy code passed -1",
            )
            return updated_node
        if len(args) >= 3:
            padding = _no_padding_as_none(args[2].value)
            if padding is None:
                self.report(
                    original_node,
                    "`_backend.Embedding.apply`: cannot tell whether the padding index may be -1 (no padding "
                    "for the backend, the last row for `F.embedding`): rewrite it by hand",
                )
                return updated_node
            args[2] = args[2].with_changes(value=padding)
        replacement = updated_node.with_changes(func=cst.parse_expression(spelling), args=args)
        return self.fix(
            original_node,
            replacement,
            "removed private `_backend.Embedding.apply` -> `F.embedding` (the legacy line raised "
            "AttributeError on torch 2.x; it now runs)",
            safety=Safety.UNSAFE,
        )
