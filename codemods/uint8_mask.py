"""TU406 uint8_mask: report uint8 (`ByteTensor`) masks used for indexing or masking.

What it does
    Reports an index `x[mask]` and the mask argument of `masked_fill`, `masked_select`,
    `masked_scatter` and `torch.where` when the mask is visibly uint8: built in place by `.byte()`,
    `torch.ByteTensor(...)`, `.type(torch.ByteTensor)`, `.to(torch.uint8)` or a `dtype=torch.uint8`
    factory, or a name last assigned such a value in the same function.

Why
    Comparisons returned uint8 (`ByteTensor`) masks until PyTorch 1.2, so legacy code builds masks
    with `.byte()` or `ByteTensor`. Masks are `torch.bool` now: indexing with a uint8 tensor and
    `torch.where` on a uint8 condition are deprecated (they warn, and are announced to become
    errors), and `masked_fill`/`masked_select` already raise "expected BoolTensor for mask".

Before
    mask = (target > 0).byte()
    loss = loss[mask]
    scores = scores.masked_fill(mask, -1e9)

After
    mask = target > 0
    loss = loss[mask]
    scores = scores.masked_fill(mask, -1e9)

Fix safety
    No fix: a uint8 tensor may also be used as numbers (counted, summed, saved), where `.bool()`
    would change it. Replace `.byte()` with `.bool()` (or drop it after a comparison) where the
    tensor is only a mask.

Limitations
    Only masks whose uint8 origin is visible in the same function are found; masks passed in as
    arguments, stored on `self` or returned by other functions are not. Assignments are followed
    in source order, ignoring branches.
"""

from __future__ import annotations

from typing import List, Set

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod

_UINT8_TYPES = ("torch.ByteTensor", "torch.cuda.ByteTensor", "torch.uint8")
_MASK_METHODS = {"masked_fill": 0, "masked_fill_": 0, "masked_select": 0, "masked_scatter": 0, "masked_scatter_": 0}
_MASK_FUNCTIONS = {"torch.masked_select": 1, "torch.where": 0}


class Uint8Mask(Codemod):
    CODE = "TU406"
    NAME = "uint8_mask"
    SUMMARY = "report uint8 (`.byte()`, `ByteTensor`) masks used for indexing or `masked_fill` (masks are bool now)"
    SAFETY = "safe"
    MARKERS = ("byte", "Byte", "uint8")
    # Superset of the reports: each needs a uint8 expression (`is_uint8`) in the file: a
    # zero-argument `.byte()`, `ByteTensor` (called, referenced or in a `.type("...")` string),
    # or `torch.uint8` through a `.uint8` attribute (`torch.uint8`, `T.uint8`) or a name imported
    # in an import statement (`from torch import uint8 as u8`). Prose ("bytes", "``uint8``
    # inputs"), `x.bytes()`, `bytearray(` do not match.
    PATTERN = (
        r"\.[\s\\]*byte[\s\\)]*\([\s\\]*\)|ByteTensor|\.[\s\\]*uint8\b"
        + r"|\bimport\b(?:[^\S\n]|\\\r?\n|[\w.,])*?\buint8\b"
        + r"|\bimport(?:[^\S\n]|\\\r?\n)*\((?:[\w\s.,\\]|#[^\n]*)*?\buint8\b"
    )

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)
        # Names holding a uint8 tensor, one set per enclosing function (the module's first).
        self.scopes: List[Set[str]] = [set()]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.scopes.pop()
        return updated_node

    def is_uint8(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.scopes[-1]
        if not isinstance(node, cst.Call):
            return False
        func = node.func
        if isinstance(func, cst.Attribute):
            if func.attr.value == "byte" and not node.args:
                return True
            if func.attr.value in ("type", "to") and len(node.args) == 1:
                value = node.args[0].value
                if isinstance(value, cst.SimpleString) and value.evaluated_value in (
                    "torch.ByteTensor",
                    "torch.cuda.ByteTensor",
                ):
                    return True
                return self.table.refers_to(value, *_UINT8_TYPES)
        if self.table.refers_to(func, "torch.ByteTensor", "torch.cuda.ByteTensor"):
            return True
        return any(
            arg.keyword is not None and arg.keyword.value == "dtype" and self.table.refers_to(arg.value, "torch.uint8")
            for arg in node.args
        )

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        # On leaving: the value (`mask = x[mask]`) is read with the name's previous meaning.
        uint8 = self.is_uint8(original_node.value)
        for target in original_node.targets:
            if isinstance(target.target, cst.Name):
                (self.scopes[-1].add if uint8 else self.scopes[-1].discard)(target.target.value)
        return updated_node

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            index = node.slice[0].slice.value
            if self.is_uint8(index):
                self._report(node, "indexing with")

    def visit_Call(self, node: cst.Call) -> None:
        position = None
        qualified = self.table.qualified_name(node.func)
        if qualified in _MASK_FUNCTIONS:
            position, name = _MASK_FUNCTIONS[qualified], qualified
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in _MASK_METHODS:
            position, name = _MASK_METHODS[node.func.attr.value], node.func.attr.value
        if position is None:
            return
        for index, arg in enumerate(node.args):
            is_mask = (arg.keyword is None and index == position) or (
                arg.keyword is not None and arg.keyword.value in ("mask", "condition")
            )
            if is_mask and self.is_uint8(arg.value):
                self._report(node, f"`{name}` with")

    def _report(self, node: cst.CSTNode, use: str) -> None:
        self.report(
            node,
            f"{use} a uint8 (ByteTensor) mask: masks are `torch.bool` since PyTorch 1.2; uint8 "
            "indexing and `torch.where` are deprecated and `masked_fill`/`masked_select` reject it: "
            "use `.bool()` (or the comparison itself) where the tensor is only a mask",
        )
