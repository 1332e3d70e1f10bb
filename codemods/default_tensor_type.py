"""TU305 default_tensor_type: ``torch.set_default_tensor_type(...)`` -> ``set_default_dtype`` (and device).

What it does
    A statement ``torch.set_default_tensor_type(T)``, ``T`` a legacy floating type named as a
    string (``'torch.DoubleTensor'``) or a class (``torch.cuda.FloatTensor``), becomes
    ``torch.set_default_dtype(<its dtype>)``; where ``T`` is a CUDA type, followed by
    ``torch.set_default_device("cuda")``. Any other argument, or the call used as a value, is
    reported.

Why
    ``set_default_tensor_type`` is deprecated since PyTorch 2.1 (it warns on every call) in favour
    of ``torch.set_default_dtype`` and ``torch.set_default_device``.

Before
    torch.set_default_tensor_type('torch.cuda.FloatTensor')

After
    torch.set_default_dtype(torch.float32)
    torch.set_default_device("cuda")

Fix safety
    Safe for a CPU type: the default dtype then governs the factories and ``torch.Tensor`` exactly
    as the default tensor type did (measured on torch 2.13). Unsafe for a CUDA type: the legacy
    constructors (``torch.Tensor(n)``, ``torch.FloatTensor(n)``) ignore the default device and now
    build on the CPU, and on a machine without CUDA the call no longer fails at once, only the
    first tensor it makes.

Limitations
    A type held in a variable or chosen by a conditional expression is reported, not rewritten.
"""

from __future__ import annotations

from typing import Optional, Set, Tuple

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod, Safety, node_code

# The floating legacy types set_default_tensor_type accepts, and their dtypes.
_DTYPES = {
    "FloatTensor": "float32",
    "DoubleTensor": "float64",
    "HalfTensor": "float16",
    "BFloat16Tensor": "bfloat16",
}


def _named_type(imports: ImportTable, argument: cst.BaseExpression) -> Optional[Tuple[str, bool]]:
    """``("float64", False)`` for ``'torch.DoubleTensor'``; ``("float32", True)`` for ``torch.cuda.FloatTensor``."""
    if isinstance(argument, cst.SimpleString):
        name = str(argument.evaluated_value)
    else:
        name = imports.qualified_name(argument) or ""
    for prefix, cuda in (("torch.cuda.", True), ("torch.", False)):
        if name.startswith(prefix) and name[len(prefix) :] in _DTYPES:
            return _DTYPES[name[len(prefix) :]], cuda
    return None


class DefaultTensorType(Codemod):
    CODE = "TU305"
    NAME = "default_tensor_type"
    SUMMARY = "`torch.set_default_tensor_type('torch.cuda.FloatTensor')` -> `set_default_dtype` + `set_default_device`"
    SAFETY = "mixed"
    MARKERS = ("set_default_tensor_type",)

    def visit_Module(self, node: cst.Module) -> None:
        self.imports = import_table(node)
        self.torch = self.imports.spelling("torch")
        self.statements: Set[int] = set()  # ids of the calls that are a statement of their own

    def _call(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Call) and self.imports.refers_to(node.func, "torch.set_default_tensor_type")

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine):
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if not self._call(call):
            return updated_node
        assert isinstance(call, cst.Call)
        named = _named_type(self.imports, call.args[0].value) if len(call.args) == 1 else None
        if named is None or self.torch is None:
            self.report(call, f"`{node_code(call)}`: deprecated since PyTorch 2.1; set the dtype with "
                        "`torch.set_default_dtype` and the device with `torch.set_default_device`")
            return updated_node
        dtype, cuda = named
        lines = [
            updated_node.with_changes(
                body=[cst.Expr(cst.parse_expression(f"{self.torch}.set_default_dtype({self.torch}.{dtype})"))]
            )
        ]
        if cuda:
            lines.append(cst.parse_statement(f'{self.torch}.set_default_device("cuda")\n'))
        message = f"`set_default_tensor_type` -> `set_default_dtype({dtype})`" + (
            ' + `set_default_device("cuda")` (legacy constructors now build on the CPU)' if cuda else ""
        )
        replaced = self.fix(
            original_node, lines, message, safety=Safety.UNSAFE if cuda else Safety.SAFE, keep=updated_node
        )
        return cst.FlattenSentinel(replaced) if isinstance(replaced, list) else replaced

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if len(node.body) == 1 and isinstance(node.body[0], cst.Expr) and self._call(node.body[0].value):
            self.statements.add(id(node.body[0].value))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if self._call(original_node) and id(original_node) not in self.statements:
            self.report(original_node, "`set_default_tensor_type` used as a value: deprecated since PyTorch 2.1; "
                        "use `torch.set_default_dtype` and `torch.set_default_device`")
        return updated_node
