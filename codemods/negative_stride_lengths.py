"""TU411 negative_stride_lengths: a reversed numpy array given to torch gets `.copy()`.

What it does
    Where the lengths of `pack_padded_sequence(x, lengths)` or the argument of `torch.from_numpy`,
    `torch.tensor` or `torch.as_tensor` is a reversed slice `A[::-1]` of a numpy call
    (`np.sort(lens)[::-1]`), written there or assigned to a name in the same function, appends
    `.copy()` to the slice. A reversed slice of anything else that may be a numpy array is
    reported: only in a file that imports numpy (or star-imports a module that may), and not
    when the value is visibly a list, tuple, range or string (`list(range(n))[::-1]`,
    `[a, b][::-1]`, `sorted(xs)[::-1]`), which torch copies.

Why
    `np.sort(lens)[::-1]` is a view with a negative stride. Torch tensors cannot have negative
    strides: since PyTorch 0.4 every conversion of such an array raises "At least one stride in the
    given numpy array is negative", so legacy RNN code that sorted its batch by length this way
    does not run. A copy has positive strides and the same values.

Before
    lengths = np.sort(lens)[::-1]
    packed = pack_padded_sequence(embedded, lengths)

After
    lengths = np.sort(lens)[::-1].copy()
    packed = pack_padded_sequence(embedded, lengths)

Fix safety
    Unsafe: the legacy line raises on torch 2.x, and after the edit it runs. The copy has the same
    values; it no longer shares memory with the sorted temporary, which nothing else can see.

Limitations
    Only slices whose base is visibly a numpy call are rewritten (a list or tuple has no strides,
    and a tuple has no `.copy()`); a reversed slice of a name is reported. Assignments are
    followed in the same function, ignoring branches; other consumers of numpy arrays
    (`torch.LongTensor(a)`, indexing a tensor with an array) are not checked.
"""

from __future__ import annotations

from typing import Dict, List, Set

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod, Safety

# Consumer -> (position, keyword) of the argument converted to a tensor.
_CONSUMERS = {
    "torch.nn.utils.rnn.pack_padded_sequence": (1, "lengths"),
    "torch.from_numpy": (0, "ndarray"),
    "torch.tensor": (0, "data"),
    "torch.as_tensor": (0, "data"),
}


def _reversed_slice(node: cst.BaseExpression) -> bool:
    """``A[::-1]``: one slice without bounds and a step of -1."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1:
        return False
    part = node.slice[0].slice
    if not isinstance(part, cst.Slice) or part.lower is not None or part.upper is not None:
        return False
    step = part.step
    return (
        isinstance(step, cst.UnaryOperation)
        and isinstance(step.operator, cst.Minus)
        and isinstance(step.expression, cst.Integer)
        and step.expression.value == "1"
    )


class _Uses(cst.CSTVisitor):
    """Per scope: the values assigned to each name, and the converted arguments."""

    def __init__(self, table: ImportTable) -> None:
        self.table = table
        self.assigned: Dict[str, List[cst.BaseExpression]] = {}
        self.converted: List[cst.BaseExpression] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function is a scope of its own, scanned when the codemod enters it

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned.setdefault(target.target.value, []).append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        consumer = _CONSUMERS.get(self.table.qualified_name(node.func) or "")
        if consumer is None:
            return
        position, keyword = consumer
        for index, arg in enumerate(node.args):
            if (arg.keyword is None and not arg.star and index == position) or (
                arg.keyword is not None and arg.keyword.value == keyword
            ):
                self.converted.append(arg.value)


class NegativeStrideLengths(Codemod):
    CODE = "TU411"
    NAME = "negative_stride_lengths"
    SUMMARY = "`np.sort(lens)[::-1]` given to `pack_padded_sequence`/`torch.from_numpy` -> `.copy()` (negative strides)"
    SAFETY = "unsafe"
    MARKERS = ("::-1",)
    PATTERN = r"::[\s\\]*-[\s\\]*1[\s\\]*\]"

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)
        self.reversed_slices: Set[int] = set()
        self._scan(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scan(node.body)  # the body, not the def: _Uses skips function definitions

    def _scan(self, scope: cst.CSTNode) -> None:
        uses = _Uses(self.table)
        scope.visit(uses)
        for value in uses.converted:
            candidates = uses.assigned.get(value.value, []) if isinstance(value, cst.Name) else [value]
            self.reversed_slices.update(id(candidate) for candidate in candidates if _reversed_slice(candidate))

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        if id(original_node) not in self.reversed_slices:
            return updated_node
        self.reversed_slices.discard(id(original_node))
        base = original_node.value
        numpy_call = isinstance(base, cst.Call) and (self.table.qualified_name(base.func) or "").startswith("numpy.")
        if not numpy_call:
            if not self._may_be_numpy(base):
                return updated_node
            self.report(
                original_node,
                "a reversed slice `[::-1]` given to torch: if it is a numpy array, its negative stride makes "
                "torch raise on torch >= 0.4; add `.copy()`",
            )
            return updated_node
        copied = cst.Call(func=cst.Attribute(value=updated_node, attr=cst.Name("copy")))
        return self.fix(
            original_node,
            copied,
            "reversed numpy array given to torch -> `.copy()` (negative strides raised on torch 2.x; it now runs)",
            safety=Safety.UNSAFE,
        )

    def _may_be_numpy(self, base: cst.BaseExpression) -> bool:
        """Whether a reversed ``base`` can be a numpy array here: the file imports numpy (a
        transformers model's ``image_size[::-1]`` of a tuple cannot be one) and ``base`` is not
        visibly a Python sequence."""
        if not (self.table.star_imports or any(
            target == "numpy" or target.startswith("numpy.") for target in self.table.aliases.values()
        )):
            return False
        if isinstance(base, (cst.List, cst.Tuple, cst.ListComp, cst.SimpleString, cst.ConcatenatedString)):
            return False
        if isinstance(base, cst.Call) and isinstance(base.func, cst.Name) and base.func.value in _SEQUENCE_BUILDERS:
            return self.table.is_rebound(base.func.value)  # a builtin list is copied by torch
        return True


# Builtins that return a Python sequence, which torch copies whatever its order.
_SEQUENCE_BUILDERS = frozenset({"list", "tuple", "range", "sorted", "str"})
