"""TU424 require_grad_typo: `x.require_grad = True` (a typo that does nothing) -> `requires_grad`.

What it does
    - `x.require_grad = flag` -> `x.requires_grad = flag`;
    - `require_grad=` passed to a torch function or `Variable` (`torch.zeros(3, require_grad=True)`)
      -> `requires_grad=`.

Why
    Setting `require_grad` (without the `s`) on a tensor or parameter creates an unused Python
    attribute: the tensor keeps its old `requires_grad`, and layers meant to be frozen keep
    training (or the reverse), silently. As a keyword of a torch factory it raises TypeError.

Before
    for p in self.features.parameters():
        p.require_grad = False

After
    for p in self.features.parameters():
        p.requires_grad = False

Fix safety
    Unsafe: the flag starts to take effect (layers are frozen, or receive gradients), which is
    what the line says but not what the code has been doing.

Limitations
    `torch.Tensor._make_subclass(..., require_grad=...)` is left: that is its keyword's real name.
    Reads of `x.require_grad` are not changed (they raise AttributeError on a tensor). The
    attribute form is rewritten on any object: no other library is known to use the name.
"""

from __future__ import annotations

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod, Safety, node_code

TYPO = "require_grad"
# torch's own functions whose keyword is `require_grad`: `Tensor._make_subclass(cls, data,
# require_grad=False)` (measured on 2.13: `requires_grad=` raises TypeError there).
SPELLED_SO = frozenset({"_make_subclass"})


class RequireGradTypo(Codemod):
    CODE = "TU424"
    NAME = "require_grad_typo"
    SUMMARY = "`p.require_grad = False` (does nothing) -> `p.requires_grad = False`"
    SAFETY = "unsafe"
    MARKERS = ("require_grad",)
    PATTERN = r"\brequire_grad\b"

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def leave_AssignTarget(self, original_node: cst.AssignTarget, updated_node: cst.AssignTarget) -> cst.AssignTarget:
        target = original_node.target
        if not (isinstance(target, cst.Attribute) and target.attr.value == TYPO):
            return updated_node
        new = updated_node.with_changes(target=updated_node.target.with_changes(attr=cst.Name("requires_grad")))
        message = f"`{node_code(target)} = ...` sets an unused attribute (typo) -> `{node_code(new.target)}`"
        return self.fix(original_node, new, message, safety=Safety.UNSAFE)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        qualified = self.table.qualified_name(original_node.func)
        if qualified is None or not qualified.startswith("torch.") or qualified.rsplit(".", 1)[-1] in SPELLED_SO:
            return updated_node
        if not any(arg.keyword is not None and arg.keyword.value == TYPO for arg in original_node.args):
            return updated_node
        args = [
            arg.with_changes(keyword=cst.Name("requires_grad")) if arg.keyword is not None and arg.keyword.value == TYPO else arg
            for arg in updated_node.args
        ]
        new = updated_node.with_changes(args=args)
        message = f"`{node_code(original_node.func)}(..., require_grad=...)` raises TypeError (typo) -> `requires_grad=`"
        return self.fix(original_node, new, message, safety=Safety.UNSAFE)
