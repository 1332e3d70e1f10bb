"""TU408 cpu_sum_counter: report `.cpu().sum()` accumulated into a counter.

What it does
    Reports `counter += <expr>.cpu().sum()` (also through `.data`, `.long()`, `.float()`...),
    the accuracy counter of legacy training loops.

Why
    Before PyTorch 0.4 `.sum()` over a CPU tensor returned a Python number; since then it returns
    a 0-dimensional tensor, so the counter silently becomes a tensor: `100. * correct / total` is a
    tensor, `"{}".format(correct)` prints `tensor(97)`, and `json.dump` of the metrics fails.

Before
    correct += pred.eq(target.data).cpu().sum()

After
    correct += pred.eq(target.data).cpu().sum().item()

Fix safety
    No fix: whether the counter is read as a number (then `.item()` is right) or used as a
    tensor later is not visible here.

Limitations
    Only augmented assignments whose whole right-hand side is the `.cpu().sum()` chain are
    reported; `.sum()` without `.cpu()` has the same issue and is not reported.
"""

from __future__ import annotations

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod, node_code

# Conversions that may sit between `.cpu()` and `.sum()` without changing the story.
_PASS_THROUGH = frozenset({"long", "float", "int", "double", "detach"})


def _method(node: cst.BaseExpression) -> "tuple[str, cst.BaseExpression] | None":
    """(name, receiver) for a zero-argument method call ``receiver.name()``."""
    if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute):
        return node.func.attr.value, node.func.value
    return None


def _sums_a_cpu_tensor(node: cst.BaseExpression) -> bool:
    call = _method(node)
    if call is None or call[0] != "sum":
        return False
    receiver = call[1]
    while True:
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "data":
            receiver = receiver.value
            continue
        inner = _method(receiver)
        if inner is None:
            return False
        if inner[0] == "cpu":
            return True
        if inner[0] not in _PASS_THROUGH:
            return False
        receiver = inner[1]


class CpuSumCounter(Codemod):
    CODE = "TU408"
    NAME = "cpu_sum_counter"
    SUMMARY = "report `correct += x.cpu().sum()` counters, which hold a tensor (not a number) since PyTorch 0.4"
    SAFETY = "safe"
    MARKERS = (".cpu()",)
    # Superset of the reported `+=` values: a zero-argument `.cpu()` call, then any
    # `.data` / zero-argument `_PASS_THROUGH` calls, then a zero-argument `.sum()`, spaces, line
    # continuations and closing parens allowed between them. `t.cpu()` alone, `x.cpu().numpy()`
    # do not match.
    _EMPTY = r"[\s\\)]*\.[\s\\]*%s[\s\\)]*\([\s\\]*\)"
    PATTERN = (
        _EMPTY % "cpu"
        + r"(?:%s|[\s\\)]*\.[\s\\]*data\b)*" % (_EMPTY % "(?:%s)" % "|".join(sorted(_PASS_THROUGH)))
        + _EMPTY % "sum"
    )
    del _EMPTY

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.operator, cst.AddAssign) and _sums_a_cpu_tensor(node.value):
            counter = node_code(node.target)
            self.report(
                node,
                f"`{counter}` accumulates `.cpu().sum()`, a 0-dim tensor since PyTorch 0.4 (a Python "
                f"number before): `{counter}` becomes a tensor; add `.item()` if it is read as a number",
            )
