"""TU422 legacy_type_check: `type(x) == torch.FloatTensor` -> `isinstance(x, torch.FloatTensor)`.

What it does
    Rewrites comparisons of `type(x)` with a legacy tensor type (`torch.FloatTensor`,
    `torch.LongTensor`, `torch.cuda.FloatTensor`, ... however torch is imported):

    - `type(x) == T` / `type(x) is T` -> `isinstance(x, T)`;
    - `type(x) != T` / `type(x) is not T` -> `not isinstance(x, T)`;
    - `type(x) in (T1, T2)` -> `isinstance(x, (T1, T2))` (`not in` likewise).

Why
    In PyTorch 0.3 each dtype and device had its own tensor class, and `type(x) == torch.FloatTensor`
    asked "is x a CPU float32 tensor?". Since 0.4 every tensor's type is `torch.Tensor`: the
    comparison is always False, silently, and its branch never runs (a `DoubleTensor` input is
    never converted, a CUDA check never passes). `isinstance(x, torch.FloatTensor)` still asks the
    0.3 question on torch 2.x: it checks the dtype and the device.

Before
    if type(x) == torch.DoubleTensor:
        x = x.float()

After
    if isinstance(x, torch.DoubleTensor):
        x = x.float()

Fix safety
    Unsafe: the branch that never ran on torch 2.x runs again, as it did in 0.3 (that is the
    point, but it is a behaviour change). One difference with 0.3 remains: there a `Variable`'s
    type was `Variable`, so `type(v) == torch.FloatTensor` was False for a Variable; code that
    compared types did so on tensors (`.data`) in practice.

Limitations
    Only comparisons with a legacy type written out are rewritten; `type(x) == t` with `t` a
    variable holding a type is left alone, as is `x.type() == "torch.FloatTensor"` (a string
    comparison that still works).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.tensor_exprs import LEGACY_TYPES
from torchup.codemod import Codemod, Safety, node_code

_PREFIXES = ("torch.", "torch.cuda.")


class LegacyTypeCheck(Codemod):
    CODE = "TU422"
    NAME = "legacy_type_check"
    SUMMARY = "`type(x) == torch.FloatTensor` (always False since 0.4) -> `isinstance(x, torch.FloatTensor)`"
    SAFETY = "unsafe"
    MARKERS = ("type(",)
    PATTERN = r"\btype\s*\([^()]*\)\s*(?:==|!=|\bis\b|\bin\b|\bnot\b)"

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def _legacy(self, node: cst.BaseExpression) -> bool:
        qualified = self.table.qualified_name(node)
        return qualified is not None and any(
            qualified.startswith(prefix) and qualified[len(prefix) :] in LEGACY_TYPES for prefix in _PREFIXES
        )

    def _types(self, node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """The isinstance class argument for ``node``: itself, or a tuple of legacy types."""
        if self._legacy(node):
            return node
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)) and node.elements:
            if all(not isinstance(e, cst.StarredElement) and self._legacy(e.value) for e in node.elements):
                return cst.Tuple([cst.Element(e.value) for e in node.elements])
        return None

    def leave_Comparison(self, original_node: cst.Comparison, updated_node: cst.Comparison) -> cst.BaseExpression:
        if len(original_node.comparisons) != 1:
            return updated_node
        left = original_node.left
        if not (
            isinstance(left, cst.Call)
            and isinstance(left.func, cst.Name)
            and left.func.value == "type"
            and not self.table.is_rebound("type")
            and "type" not in self.table.aliases
            and len(left.args) == 1
            and left.args[0].keyword is None
            and not left.args[0].star
        ):
            return updated_node
        target = original_node.comparisons[0]
        operator = target.operator
        if isinstance(operator, (cst.Equal, cst.Is)):
            negated = False
            types = self._types(target.comparator) if self._legacy(target.comparator) else None
        elif isinstance(operator, (cst.NotEqual, cst.IsNot)):
            negated = True
            types = self._types(target.comparator) if self._legacy(target.comparator) else None
        elif isinstance(operator, (cst.In, cst.NotIn)):
            negated = isinstance(operator, cst.NotIn)
            types = None if self._legacy(target.comparator) else self._types(target.comparator)
        else:
            return updated_node
        if types is None:
            return updated_node
        call = cst.Call(
            cst.Name("isinstance"),
            [cst.Arg(left.args[0].value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), cst.Arg(types)],
        )
        new: cst.BaseExpression = cst.UnaryOperation(cst.Not(), call) if negated else call
        new = new.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        message = (
            f"`{node_code(original_node)}` is always {'True' if negated else 'False'} since PyTorch 0.4 (every "
            f"tensor's type is `torch.Tensor`) -> `{node_code(new)}`, the 0.3 meaning"
        )
        return self.fix(original_node, new, message, safety=Safety.UNSAFE)
