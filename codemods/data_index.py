"""TU103 data_index: ``loss.data[0]`` -> ``loss.item()``; report in-place edits through ``.data``.

What it does
    - ``x.data[0]`` -> ``x.item()``: the PyTorch 0.3 idiom for reading a scalar loss. Moves,
      copies and casts between ``.data`` and ``[0]`` are kept: ``loss.data.cpu()[0]`` ->
      ``loss.cpu().item()`` (also ``.cuda(...)``, ``.clone()``, ``.detach()``, ``.float()``,
      ``.double()``), and a loss moved before ``.data`` (``loss.cpu().data[0]``) is still a loss.
    - Reports ``loss.data.cpu().numpy()[0]`` where the value is evidently one number (as below):
      it raises IndexError on a 0-dim loss; ``loss.item()`` is the reading to write (a Python float
      where 0.3 gave a numpy scalar, hence no edit). ``x.data.numpy()[0]`` of other values (a
      batch's first image) is left alone.
    - ``total_loss[0]`` -> ``total_loss.item()`` where ``total_loss`` sums losses read through
      ``.data`` (``total_loss = 0`` ... ``total_loss += loss.data``): the same reading, one step on.
    - Reports in-place edits made through ``.data``: ``w.data.mul_(...)``,
      ``p.data.add_(...)``, ``x.data.zero_()``, ``x.data[i] = ...``, ``x.data += ...``,
      ``x.data[:, 0].fill_(...)``: they stay as they are, with a finding that suggests the edit
      on the tensor itself under ``with torch.no_grad():``. An item keyed by a string
      (``out.data["pixel_values"] = ...``) is a mapping's, not a tensor's: left alone.
    - Leaves ``x.data = y`` alone: torch 2.x supports it, it is the one way to give the same
      Parameter object a new dtype, device or storage (``copy_`` copies and keeps the shape,
      ``set_`` refuses a new dtype), and modern code uses it on purpose (torch's own inductor,
      timm's re-parametrised convolutions, transformers' embedding resizing); the maintainers of
      the real repositories in ``corpus/real/`` kept it in their own 0.4 migrations.
    - Leaves modern code (``loss.data.item()``, ``x.item()``) and plain ``x.data`` reads alone.

Why
    In 0.3 a loss was a 1-element tensor and ``loss.data[0]`` returned a Python number. Since
    0.4 a loss is a 0-dim tensor and ``loss.data[0]`` raises ``IndexError: invalid index of a
    0-dim tensor``: ``.item()`` is the only reading that works. A sum of ``loss.data`` was a
    1-element tensor read with ``total_loss[0]``; it is now 0-dim and raises the same way.
    In-place edits through
    ``.data`` bypass autograd's version check: if the tensor was saved for backward, the
    gradients come out silently wrong, where ``with torch.no_grad(): w.mul_(...)`` would raise.

Before
    total_loss += loss.data[0]
    w.data.mul_(0.9)

After
    total_loss += loss.item()
    w.data.mul_(0.9)

Fix safety
    Measured on torch 2.13: on a 0-dim tensor ``x.data[0]`` raises IndexError and ``x.item()``
    returns the number; on a 1-element 1-dim tensor ``x.data[0]`` returns a 0-dim tensor and
    ``x.item()`` the equal Python number (what 0.3 returned); on a tensor with more elements
    ``x.data[0]`` is the first row (or first number, in 0.3, for a 1-dim tensor) and ``x.item()``
    raises. So the rewrite is safe where the value is evidently one number: the name ends in
    ``loss`` (``loss``, ``test_loss``, ``self.total_loss``), or it is a call of a loss or
    criterion, a full reduction (``.sum()``, ``.mean()``, ``torch.norm(x)`` without ``dim``),
    arithmetic on those, or a name that every assignment in the file gives such a value
    (``errD = errD_real + errD_fake`` after ``errD_real = criterion(out, label)``).
    Elsewhere it is unsafe: ``.item()`` is still offered, and the finding says that a tensor with
    several elements wants ``x[0].item()`` (1-dim) or ``x.detach()[0]`` (a row) instead. The
    in-place findings are never rewritten: moving an edit under ``torch.no_grad()`` changes when
    autograd raises, which a person must judge.

Limitations
    The scalar test is by name and shape of the expression, not by type (names are followed
    through the file's plain assignments only): ``loss`` that holds a
    per-sample vector is still rewritten (and then raises on ``.item()``, loudly). ``.data`` on
    non-torch objects (a numpy array's ``.data`` buffer) looks the same; such a ``.data[0]`` is
    only rewritten with ``--unsafe-fixes``. In-place edits through functions
    (``nn.init.uniform_(w.data)``) are not reported. A sum is recognised only in one function (or
    at module level), started from a number and grown only by ``+=`` of numbers, ``len(...)``,
    ``x.size(i)`` and scalars' ``.data``; a file whose ``.data`` ends no line nor meets ``[``,
    ``.`` or ``=`` is skipped by the prefilter.
"""

from __future__ import annotations

from typing import Callable, Dict, FrozenSet, List, Optional, Set

import libcst as cst
import libcst.matchers as m

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.tree_screen import DATA_MOVES as MOVES, edits_through_data
from torchup.analysis.walk import find_all, walk
from torchup.codemod import Codemod, Safety
from torchup.codemods.variable import as_attribute_base, parent_of

# Reductions whose result has one element when called without a `dim` (as methods or torch.*).
REDUCTIONS = frozenset({"sum", "mean", "prod", "norm", "dot", "std", "var", "max", "min", "median"})
TORCH_REDUCTIONS = frozenset(f"torch.{name}" for name in REDUCTIONS)

# `self.data` is taken to be the object's own field (a Dataset's list), not a tensor's `.data`.
DATA = m.Attribute(value=~m.Name("self"), attr=m.Name("data"))
DATA_ZERO = m.Subscript(value=DATA, slice=[m.SubscriptElement(slice=m.Index(value=m.Integer("0")))])
NAME_ZERO = m.Subscript(value=m.Name(), slice=[m.SubscriptElement(slice=m.Index(value=m.Integer("0")))])
# Factors that are plain numbers in a sum of losses: `len(data) * loss.data`, `x.size(0) * ...`.
COUNT = m.Integer() | m.Float() | m.Call(func=m.Name("len")) | m.Call(func=m.Attribute(attr=m.Name("size")), args=[m.Arg()])


def _last_name(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return None


def _is_whole_reduction(call: cst.Call, table: ImportTable) -> bool:
    """``x.sum()``, ``torch.mean(x)``, ``a.dot(b)``: no ``dim``, so the result has one element."""
    qualified = table.qualified_name(call.func)
    if qualified in TORCH_REDUCTIONS:
        name, dims = qualified[len("torch.") :], call.args[1:]
    elif qualified is None and m.matches(call.func, m.Attribute()) and call.func.attr.value in REDUCTIONS:
        name, dims = call.func.attr.value, call.args
    else:
        return False
    return name == "dot" or not dims


def is_evidently_scalar(
    expr: cst.BaseExpression, table: ImportTable, scalars: FrozenSet[str] = frozenset()
) -> bool:
    """True when ``expr`` is plainly one number: a name ending in ``loss`` or one of ``scalars``,
    a call of a loss or criterion, a full reduction, a number, or arithmetic on those."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.Name) and expr.value in scalars:
        return True
    name = _last_name(expr)
    if name is not None:
        return name.lower().endswith("loss")
    if isinstance(expr, cst.Call):
        if m.matches(expr.func, m.Attribute()) and expr.func.attr.value in MOVES:
            return is_evidently_scalar(expr.func.value, table, scalars)  # `loss.cpu()`
        called = (_last_name(expr.func) or "").lower()
        if "loss" in called or "criterion" in called:
            return True
        return _is_whole_reduction(expr, table)
    if isinstance(expr, cst.BinaryOperation):
        return is_evidently_scalar(expr.left, table, scalars) and is_evidently_scalar(
            expr.right, table, scalars
        )
    if isinstance(expr, cst.UnaryOperation):
        return is_evidently_scalar(expr.expression, table, scalars)
    return False


def scalar_names(module: cst.Module, table: ImportTable) -> FrozenSet[str]:
    """Names that every assignment in the file gives an evidently scalar value
    (``err = criterion(out, y)``, ``total = err_real + err_fake``, ``y = (x ** 2).sum()``).

    File-wide and flow-insensitive on purpose: one other binding of the name anywhere (a
    parameter, a loop target, a tuple target, a non-scalar value) rules it out.
    """
    values: Dict[str, List[cst.BaseExpression]] = {}
    for assign in find_all(module, m.Assign() | m.AugAssign() | m.AnnAssign()):
        targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
        for target in targets:
            if isinstance(target, cst.Name) and assign.value is not None:
                values.setdefault(target.value, []).append(assign.value)
    other = _NonAssignBindings()
    walk(module, other)
    candidates = {name: exprs for name, exprs in values.items() if name not in other.names}
    scalars: FrozenSet[str] = frozenset()
    while True:  # each round can only add names, so this ends
        found = frozenset(
            name
            for name, exprs in candidates.items()
            if all(is_evidently_scalar(e, table, scalars) for e in exprs)
        )
        if found == scalars:
            return scalars
        scalars = found


def under_moves(expr: cst.BaseExpression) -> "tuple[cst.BaseExpression, List[cst.Call]]":
    """``loss.data.cpu().float()`` -> (``loss.data``, [the ``.cpu()`` call, the ``.float()`` call]):
    what the moves in :data:`MOVES` were applied to, and the moves from the innermost out."""
    moves: List[cst.Call] = []
    while isinstance(expr, cst.Call) and m.matches(expr.func, m.Attribute()) and expr.func.attr.value in MOVES:
        moves.append(expr)
        expr = expr.func.value
    return expr, moves[::-1]


def _without_data(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``loss.data.cpu()`` -> ``loss.cpu()``: the moves applied to the tensor itself."""
    if isinstance(expr, cst.Call):
        assert isinstance(expr.func, cst.Attribute)
        inner = _without_data(expr.func.value)
        return expr.with_changes(func=expr.func.with_changes(value=as_attribute_base(inner)))
    assert isinstance(expr, cst.Attribute)
    return expr.value


def _spelled_moves(moves: List[cst.Call]) -> str:
    """``.cpu()``, ``.cuda(...)``: the moves as the messages show them."""
    assert all(isinstance(move.func, cst.Attribute) for move in moves)
    return "".join(f".{move.func.attr.value}({'...' if move.args else ''})" for move in moves)  # type: ignore[attr-defined]


def _arithmetic_leaves(expr: cst.BaseExpression) -> List[cst.BaseExpression]:
    if isinstance(expr, cst.BinaryOperation):
        return _arithmetic_leaves(expr.left) + _arithmetic_leaves(expr.right)
    if isinstance(expr, cst.UnaryOperation):
        return _arithmetic_leaves(expr.expression)
    return [expr]


def _adds_scalar_data(expr: cst.BaseExpression, is_scalar: Callable[[cst.BaseExpression], bool]) -> bool:
    """``loss.data``, ``len(data) * criterion(out, y).data``: counts times scalars' ``.data``."""
    leaves = _arithmetic_leaves(expr)
    data = [leaf for leaf in leaves if m.matches(leaf, DATA)]
    return (
        bool(data)
        and all(is_scalar(leaf.value) for leaf in data)
        and all(m.matches(leaf, COUNT) for leaf in leaves if not m.matches(leaf, DATA))
    )


def data_sums(scope: cst.CSTNode, is_scalar: Callable[[cst.BaseExpression], bool]) -> FrozenSet[str]:
    """Names in ``scope`` that sum losses through ``.data`` (``total = 0`` ... ``total += loss.data``).

    In 0.3 such a sum is a 1-element tensor and ``total[0]`` its number; every other binding of
    the name (a parameter, a loop target, ``-=``, a non-number start) rules it out.
    """
    starts: Dict[str, List[cst.BaseExpression]] = {}
    for assign in find_all(scope, m.Assign()):
        for target in assign.targets:
            if isinstance(target.target, cst.Name):
                starts.setdefault(target.target.value, []).append(assign.value)
    added: Dict[str, List[Optional[cst.BaseExpression]]] = {}
    for aug in find_all(scope, m.AugAssign(target=m.Name())):
        added.setdefault(aug.target.value, []).append(aug.value if isinstance(aug.operator, cst.AddAssign) else None)
    other = _NonAssignBindings()
    walk(scope, other)
    return frozenset(
        name
        for name, values in added.items()
        if name in starts
        and name not in other.names
        and all(isinstance(start, (cst.Integer, cst.Float)) for start in starts[name])
        and all(value is not None and _adds_scalar_data(value, is_scalar) for value in values)
    )


class _NonAssignBindings(cst.CSTVisitor):
    """Names bound by anything but a plain ``name = value``: they may hold anything."""

    def __init__(self) -> None:
        self.names: Set[str] = set()

    def _bind(self, target: cst.CSTNode) -> None:
        self.names.update(name.value for name in find_all(target, m.Name()))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if not isinstance(node.target, cst.Name):
            self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_Param(self, node: cst.Param) -> None:
        self.names.add(node.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        self.names.update(item.name.value for item in node.names)


class DataIndex(Codemod):
    CODE = "TU103"
    NAME = "data_index"
    SUMMARY = "`loss.data[0]` -> `loss.item()`; report in-place edits through `.data`"
    SAFETY = "mixed"
    # `.data` followed by what reads an index, calls a method or assigns: not `import torch.utils.data`.
    # A line ending in `.data` may grow a sum that is read with `[0]`.
    # The word alone: `x. data[0]`, `(x.data)[0]`, `total += loss.data  # sum`, `.data **= 2` all
    # count; PATTERN narrows it to attribute access.
    MARKERS = ("data",)
    # Everything it acts on goes through a `.data` whose object is not the bare name `self`
    # (`self.data` is taken to be a Dataset's field): `x.data`, `self.x.data`, `f(y).data`,
    # `x. data`, and a sum's `total[0]`, which needs `total += loss.data`. Only `self.data` is out.
    PATTERN = r"(?<!\bself)\.[\s\\]*data\b"
    # And in the code, one of the uses it acts on (a plain read of `.data` is none of them).
    TREE_SCREEN = staticmethod(edits_through_data)

    def visit_Module(self, node: cst.Module) -> None:
        self.tree = node
        self.table = import_table(node)
        self.scalars: Optional[FrozenSet[str]] = None  # found on first use
        self.sums: List[FrozenSet[str]] = [data_sums(node, self.is_scalar)]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.sums.append(data_sums(node, self.is_scalar))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.sums.pop()
        return updated_node

    def is_scalar(self, expr: cst.BaseExpression) -> bool:
        if self.scalars is None:
            self.scalars = scalar_names(self.tree, self.table)
        return is_evidently_scalar(expr, self.table, self.scalars)

    def _is_assigned(self, node: cst.CSTNode) -> bool:
        parent = parent_of(self, node)
        return isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)) and parent.target is node

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        if self._is_assigned(original_node):
            return updated_node
        if m.matches(original_node, NAME_ZERO) and original_node.value.value in self.sums[-1]:
            return self._read_sum(original_node, updated_node)
        if not m.matches(original_node, m.Subscript(slice=DATA_ZERO.slice)):
            return updated_node
        if self._report_numpy_reading(original_node):
            return updated_node
        data, moves = under_moves(original_node.value)
        if not m.matches(data, DATA):
            return updated_node
        moved = _spelled_moves(moves)  # `loss.data.cpu()[0]`: the same reading of a copy
        parent = parent_of(self, original_node)
        if isinstance(parent, (cst.Subscript, cst.Attribute)) and parent.value is original_node:
            # `out.data[0][1]`, `x.data[0].size()`: a row, not the scalar idiom.
            self.report(
                original_node,
                f"`x.data{moved}[0]` is used as a tensor here: on torch >= 0.4 write `x.detach(){moved}[0]`; "
                "in 0.3 indexing on down to one element gave a Python number, now a 0-dim tensor",
            )
            return updated_node
        base = _without_data(updated_node.value)
        item = cst.Call(func=cst.Attribute(value=as_attribute_base(base), attr=cst.Name("item")))
        item = item.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        assert isinstance(data, cst.Attribute)
        if self.is_scalar(data.value):
            return self.fix(
                original_node,
                item,
                f"`x.data{moved}[0]` -> `x{moved}.item()` (a loss is 0-dim since PyTorch 0.4)",
                keep=updated_node,
            )
        return self.fix(
            original_node,
            item,
            f"`x.data{moved}[0]` -> `x{moved}.item()` if x holds one number (the 0.3 scalar idiom); for a tensor "
            "with more elements use `x[0].item()` (1-dim) or `x.detach()[0]` (a row)",
            safety=Safety.UNSAFE,
            keep=updated_node,
        )

    def _report_numpy_reading(self, node: cst.Subscript) -> bool:
        """``loss.data.cpu().numpy()[0]``: 0.3's other reading of a loss. On a 0-dim loss the array
        is 0-dim too and ``[0]`` raises IndexError. Reported (not rewritten: ``.item()`` returns a
        Python float where this gave a numpy scalar) where the value is evidently one number."""
        value = node.value
        if not (
            isinstance(value, cst.Call)
            and not value.args
            and m.matches(value.func, m.Attribute(attr=m.Name("numpy")))
        ):
            return False
        data, moves = under_moves(value.func.value)  # type: ignore[attr-defined]
        if not m.matches(data, DATA) or not self.is_scalar(data.value):  # type: ignore[attr-defined]
            return False
        self.report(
            node,
            f"`x.data{_spelled_moves(moves)}.numpy()[0]` raises IndexError on a 0-dim loss (PyTorch >= 0.4): "
            "write `x.item()` (a Python float where 0.3 gave a numpy scalar)",
        )
        return True

    def _read_sum(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        parent = parent_of(self, original)
        if isinstance(parent, (cst.Subscript, cst.Attribute)) and parent.value is original:
            return updated  # `total[0].foo`: not the reading of a number
        item = cst.Call(func=cst.Attribute(value=updated.value, attr=cst.Name("item")))
        return self.fix(
            original,
            item.with_changes(lpar=updated.lpar, rpar=updated.rpar),
            "`total[0]` -> `total.item()`: a sum of `loss.data` is 0-dim since PyTorch 0.4",
        )

    # -- in-place edits through .data -----------------------------------------------------

    def _report_in_place(self, node: cst.CSTNode, what: str, instead: str) -> None:
        self.report(node, f"{what} through `.data` bypasses autograd's version check; {instead}")

    def visit_Call(self, node: cst.Call) -> None:
        if not m.matches(node.func, m.Attribute(attr=m.Name())):
            return
        method = node.func.attr.value
        if not (method.endswith("_") and not method.endswith("__")):
            return
        target = node.func.value
        if m.matches(target, m.Subscript()):
            if _indexed_by_key(target):
                return  # `out.data["mask"].fill_(0)`: a mapping's entry
            target = target.value  # x.data[:, 0].fill_(0)
        if m.matches(target, DATA):
            self._report_in_place(
                node, f"in-place `.{method}()`", "call it on the tensor itself under `with torch.no_grad():`"
            )

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if m.matches(node.target, m.Subscript(value=DATA)):
            if _indexed_by_key(node.target):
                return  # `out.data["pixel_values"] = ...`: a BatchFeature's dict, not a tensor
            self._report_in_place(
                node.target, "item assignment", "assign to the tensor itself under `with torch.no_grad():`"
            )

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if m.matches(node.target, m.Subscript(value=DATA)) and _indexed_by_key(node.target):
            return
        if m.matches(node.target, DATA | m.Subscript(value=DATA)):
            self._report_in_place(
                node.target, "in-place arithmetic", "do it on the tensor itself under `with torch.no_grad():`"
            )


def _indexed_by_key(subscript: cst.Subscript) -> bool:
    """``x["key"]``: a string index, which no tensor takes."""
    return any(
        isinstance(element.slice, cst.Index)
        and isinstance(element.slice.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
        for element in subscript.slice
    )
