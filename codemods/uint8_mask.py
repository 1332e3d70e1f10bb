"""TU406 uint8_mask: turn uint8 (`.byte()`) masks into bool masks where they are only masks; report the rest.

What it does
    Finds an index `x[mask]` and the mask argument of `masked_fill`, `masked_select`,
    `masked_scatter` and three-argument `torch.where` when the mask is visibly uint8: built in
    place by `.byte()`, `torch.ByteTensor(...)`, `.type(torch.ByteTensor)`, `.to(torch.uint8)` or a
    `dtype=torch.uint8` factory, or a name last assigned such a value in the same function.
    Where the uint8 value comes from `.byte()`, `.type(torch.ByteTensor)` or `.to(torch.uint8)` and
    is only ever used as a mask (written in a mask position, or a name whose every use in the
    function is a mask position), the conversion becomes `.bool()`, or disappears after a
    comparison. Everything else is reported.

Why
    Comparisons returned uint8 (`ByteTensor`) masks until PyTorch 1.2, so legacy code builds masks
    with `.byte()` or `ByteTensor`. Masks are `torch.bool` now: `masked_fill`/`masked_select`/
    `masked_scatter` raise "only supports boolean masks" on torch 2.x (the model does not run),
    and indexing or `torch.where` with a uint8 mask is a deprecated spelling of the bool mask.
    One-argument `torch.where(mask)` (that is `nonzero`) accepts any dtype and is left alone.

Before
    mask = (target > 0).byte()
    loss = loss[mask]
    scores = scores.masked_fill(mask, -1e9)

After
    mask = target > 0
    loss = loss[mask]
    scores = scores.masked_fill(mask, -1e9)

Fix safety
    Safe when every use is an index or a three-argument `torch.where`: a uint8 mask there selects
    exactly what the bool mask selects. Unsafe when a use is `masked_fill`/`masked_select`/
    `masked_scatter`: the legacy line raises on torch 2.x, and after the edit it runs. A uint8
    tensor that is also used as numbers (counted, summed, returned, stored) is never converted:
    `.bool()` would change those numbers.

Limitations
    Only masks whose uint8 origin is visible in the same function are found; masks passed in as
    arguments, stored on `self` or returned by other functions are not. Assignments are followed
    in source order, ignoring branches. `torch.ByteTensor(...)` and `dtype=torch.uint8` factories
    are reported, not rewritten.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.walk import walk
from torchup.codemod import Codemod, Safety

_UINT8_TYPES = ("torch.ByteTensor", "torch.cuda.ByteTensor", "torch.uint8")
_MASK_METHODS = {"masked_fill": 0, "masked_fill_": 0, "masked_select": 0, "masked_scatter": 0, "masked_scatter_": 0}
_MASK_FUNCTIONS = {"torch.masked_select": 1, "torch.where": 0}


class Uint8Mask(Codemod):
    CODE = "TU406"
    NAME = "uint8_mask"
    SUMMARY = "uint8 (`.byte()`) masks used only as masks -> bool; report other uint8 masks (masks are bool now)"
    SAFETY = "mixed"
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
        # Per scope: names used only as masks -> whether one use is a `masked_*` call (raises today).
        self.mask_only: List[Dict[str, bool]] = [_mask_only_names(node, self)]
        # The uint8 conversions to rewrite (by node identity) -> whether a use raises today.
        self.to_bool: Dict[int, bool] = {}
        # Conversions that are a receiver (`(t > 0).byte().unsqueeze(1)`): a comparison keeps its parentheses.
        self.receivers: Set[int] = set()
        self.handled: Set[int] = set()  # conversions rewritten, or offered as an unsafe fix

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(set())
        self.mask_only.append(_mask_only_names(node.body, self))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.scopes.pop()
        self.mask_only.pop()
        return updated_node

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            raises = self.mask_only[-1].get(node.targets[0].target.value)
            if raises is not None and _convertible(node.value, self.table):
                self.to_bool[id(node.value)] = raises

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        raises = self.to_bool.pop(id(original_node), None)
        if raises is None:
            return updated_node
        self.handled.add(id(original_node))
        receiver = updated_node.func.value  # type: ignore[attr-defined]  (_convertible checked it)
        if isinstance(receiver, cst.Comparison):
            is_receiver = id(original_node) in self.receivers
            replacement: cst.BaseExpression = receiver if is_receiver else receiver.with_changes(lpar=[], rpar=[])
            how = "dropped (the comparison is a bool mask)"
        else:
            replacement = updated_node.with_changes(func=updated_node.func.with_changes(attr=cst.Name("bool")), args=[])
            how = "-> `.bool()`"
        message = f"uint8 mask used only as a mask: `{_conversion_name(original_node)}` {how}"
        if raises:
            message += "; `masked_*` rejects uint8 masks on torch 2.x, so this line now runs where it raised"
        return self.fix(original_node, replacement, message, safety=Safety.UNSAFE if raises else Safety.SAFE)

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
        # On leaving: the value (`mask = x[mask]`) is read with the name's previous meaning. A
        # conversion turned into `.bool()` (or offered, and reported where it is) is no uint8 mask.
        converted = id(original_node.value) in self.handled
        uint8 = self.is_uint8(original_node.value) and not converted
        for target in original_node.targets:
            if isinstance(target.target, cst.Name):
                (self.scopes[-1].add if uint8 else self.scopes[-1].discard)(target.target.value)
        return updated_node

    def visit_Subscript(self, node: cst.Subscript) -> None:
        index = subscript_mask(node)
        if index is None:
            return
        if _convertible(index, self.table):
            self.to_bool[id(index)] = False
            if index is not node.slice[0].slice.value:  # type: ignore[union-attr]
                self.receivers.add(id(index))
        elif self.is_uint8(index):
            self._report(node, "indexing with")

    def visit_Call(self, node: cst.Call) -> None:
        found = call_mask(node, self.table)
        if found is None:
            return
        name, mask, raises = found
        if _convertible(mask, self.table):
            self.to_bool[id(mask)] = raises
            if all(arg.value is not mask for arg in node.args):
                self.receivers.add(id(mask))
        elif self.is_uint8(mask):
            self._report(node, f"`{name}` with")

    def _report(self, node: cst.CSTNode, use: str) -> None:
        self.report(
            node,
            f"{use} a uint8 (ByteTensor) mask: masks are `torch.bool` since PyTorch 1.2; uint8 "
            "indexing and `torch.where` are deprecated and `masked_fill`/`masked_select` reject it: "
            "use `.bool()` (or the comparison itself) where the tensor is only a mask",
        )


# Methods that keep a mask a mask (same values, another shape): `mask.unsqueeze(2)` in a mask
# position is still only a mask use of `mask`.
_SHAPE_METHODS = frozenset(
    {
        "unsqueeze",
        "squeeze",
        "view",
        "view_as",
        "reshape",
        "expand",
        "expand_as",
        "transpose",
        "permute",
        "t",
        "contiguous",
        "repeat",
        "flatten",
    }
)


def mask_root(node: cst.BaseExpression) -> cst.BaseExpression:
    """The mask under shape-only method calls: `mask` for `mask.unsqueeze(2).expand_as(x)`."""
    while (
        isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _SHAPE_METHODS
    ):
        node = node.func.value
    return node


def subscript_mask(node: cst.Subscript) -> Optional[cst.BaseExpression]:
    """The index of ``x[index]`` (one plain index), where a mask selects elements."""
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return mask_root(node.slice[0].slice.value)
    return None


def call_mask(node: cst.Call, table: ImportTable):
    """``(name, mask expression, raises on uint8 today)`` for a call with a mask argument, else None."""
    qualified = table.qualified_name(node.func)
    if qualified in _MASK_FUNCTIONS:
        position, name = _MASK_FUNCTIONS[qualified], qualified
    elif isinstance(node.func, cst.Attribute) and node.func.attr.value in _MASK_METHODS:
        position, name = _MASK_METHODS[node.func.attr.value], node.func.attr.value
    else:
        return None
    if name == "torch.where" and len(node.args) < 3:
        return None  # torch.where(mask) is nonzero(): any dtype, no mask
    for index, arg in enumerate(node.args):
        if (arg.keyword is None and index == position and arg.star == "") or (
            arg.keyword is not None and arg.keyword.value in ("mask", "condition")
        ):
            return name, mask_root(arg.value), name != "torch.where"
    return None


def _convertible(node: cst.BaseExpression, table: ImportTable) -> bool:
    """``.byte()``, ``.type(torch.ByteTensor)`` or ``.to(torch.uint8)``: a method call ``.bool()`` replaces."""
    return _conversion_name(node, table) is not None


def _conversion_name(node: cst.BaseExpression, table: Optional[ImportTable] = None) -> Optional[str]:
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    attr = node.func.attr.value
    if attr == "byte" and not node.args:
        return ".byte()"
    if attr in ("type", "to") and len(node.args) == 1 and node.args[0].keyword is None:
        value = node.args[0].value
        if isinstance(value, cst.SimpleString) and value.evaluated_value in (
            "torch.ByteTensor",
            "torch.cuda.ByteTensor",
        ):
            return f".{attr}(...)"
        if table is None or table.refers_to(value, *_UINT8_TYPES):
            return f".{attr}(...)"
    return None


class _MaskUses(cst.CSTVisitor):
    """Every ``Name`` of a scope, and those that sit in a mask position (or are assigned to)."""

    def __init__(self, table: ImportTable) -> None:
        self.table = table
        self.names: Dict[str, List[int]] = {}
        self.mask_uses: Dict[int, bool] = {}  # id(Name) -> the use raises on uint8 today
        self.assigned: Set[int] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.setdefault(node.value, []).append(id(node))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.add(id(target.target))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        index = subscript_mask(node)
        if isinstance(index, cst.Name):
            self.mask_uses[id(index)] = False

    def visit_Call(self, node: cst.Call) -> None:
        found = call_mask(node, self.table)
        if found is not None and isinstance(found[1], cst.Name):
            self.mask_uses[id(found[1])] = found[2]


def _mask_only_names(scope: cst.CSTNode, codemod: Uint8Mask) -> Dict[str, bool]:
    """Names whose every occurrence in ``scope`` is an assignment target or a mask position (an
    attribute, keyword or parameter of the same spelling counts as another use): -> raises today."""
    uses = _MaskUses(codemod.table)
    walk(scope, uses)
    found = {}
    for name, ids in uses.names.items():
        masks = [uses.mask_uses[i] for i in ids if i in uses.mask_uses]
        if masks and all(i in uses.mask_uses or i in uses.assigned for i in ids):
            found[name] = any(masks)
    return found
