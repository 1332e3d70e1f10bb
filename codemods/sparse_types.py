"""TU425 sparse_types: `torch.sparse.FloatTensor(i, v, size)` -> `torch.sparse_coo_tensor(i, v, size)`.

What it does
    Rewrites the legacy sparse constructors, CPU and CUDA, of every dtype
    (`torch.sparse.FloatTensor`, `torch.sparse.LongTensor`, `torch.cuda.sparse.DoubleTensor`, ...):

    - `torch.sparse.XTensor(indices, values, size)` -> `torch.sparse_coo_tensor(indices, values, size)`
      when the size is visibly one (`torch.Size([...])`, a tuple, `x.size()`, `x.shape`), and
      `(indices, values)` when both are visibly tensors;
    - `torch.cuda.sparse.XTensor(indices, values[, size])` -> the same with `device="cuda"`;
    - any other call (an empty sparse tensor of a size, keywords, `*args`) is reported.

Why
    The typed sparse constructors are deprecated (`torch.sparse.SparseTensor(indices, values,
    shape) is deprecated`) and, unlike the dense ones, were left silently by the other codemods.

Before
    adj = torch.sparse.FloatTensor(indices, values, torch.Size([n, n]))

After
    adj = torch.sparse_coo_tensor(indices, values, torch.Size([n, n]))

Fix safety
    Unsafe. Values, dtype (both take the values' dtype on torch 2.x; 0.3 required values of the
    constructor's type), size and coalesced state are the same (tested), but the legacy
    constructor ignores `with torch.device(...)`/`torch.set_default_device` while
    `torch.sparse_coo_tensor` follows them.

Limitations
    `torch.sparse.FloatTensor(2, 3)` (an empty sparse tensor of a size), calls whose arguments
    could be either form (`(a, b)`, `(i, v, n)`) and calls with keywords are reported, not
    rewritten. References that are not calls (`isinstance(x,
    torch.sparse.FloatTensor)`) are left alone.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from torchup.analysis.tensor_exprs import FileTensorTest, LEGACY_TYPES, keyword_argument
from torchup.codemod import Codemod, Safety, node_code

_PREFIXES = {"torch.sparse.": False, "torch.cuda.sparse.": True}


class SparseTypes(FileTensorTest, Codemod):
    CODE = "TU425"
    NAME = "sparse_types"
    SUMMARY = "`torch.sparse.FloatTensor(i, v, size)` / `torch.cuda.sparse.*Tensor` -> `torch.sparse_coo_tensor(...)`"
    SAFETY = "unsafe"
    MARKERS = ("sparse",)
    # `sparse.FloatTensor` (any spelling of the module before it), or an import naming `sparse`
    # of torch (`from torch import sparse as S`, `from torch.sparse import FloatTensor`):
    # `sparse=True` (nn.Embedding's argument) and `from .sparse import Embedding` do not match.
    PATTERN = (
        r"\bsparse[\s\\]*\.[\s\\]*(?:" + "|".join(sorted(LEGACY_TYPES)) + r")\b"
        r"|\bfrom[\s\\]+torch(?:\.cuda)?(?:[\s\\]+import\b[^\n]*\bsparse\b|\.sparse\b)"
        r"|\bimport[\s\\]+torch(?:\.cuda)?\.sparse\b"
    )

    def visit_Module(self, node: cst.Module) -> None:
        self.start_file(node)

    def _cuda(self, call: cst.Call) -> Optional[bool]:
        """True/False for a CUDA/CPU legacy sparse constructor call, None for anything else."""
        qualified = self.table.qualified_name(call.func)
        if qualified is None:
            return None
        for prefix, cuda in _PREFIXES.items():
            if qualified.startswith(prefix) and qualified[len(prefix) :] in LEGACY_TYPES:
                return cuda
        return None

    def _indices_values_form(self, call: cst.Call) -> bool:
        """`(indices, values, size)` with a size that is visibly one (`torch.Size([...])`, a tuple or
        list, `x.size()`, `x.shape`), or `(indices, values)` with both visibly tensors; the size form
        `(2, 3)` and anything ambiguous (`(a, b)`) is not rewritten."""
        args = call.args
        if any(arg.star or arg.keyword is not None for arg in args):
            return False
        if len(args) == 3:
            size = args[2].value
            return (
                isinstance(size, (cst.Tuple, cst.List))
                or self.table.qualified_name(size) == "torch.Size"
                or (isinstance(size, cst.Call) and self.table.qualified_name(size.func) == "torch.Size")
                or (isinstance(size, cst.Attribute) and size.attr.value == "shape")
                or (isinstance(size, cst.Call) and isinstance(size.func, cst.Attribute) and size.func.attr.value == "size" and not size.args)
            )
        if len(args) == 2:
            return all(self.tensors.is_tensor(arg.value) for arg in args)
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        cuda = self._cuda(original_node)
        if cuda is None:
            return updated_node
        name = node_code(original_node.func)
        args = list(updated_node.args)
        if not self._indices_values_form(original_node):
            self.report(
                original_node,
                f"`{name}(...)` is deprecated: use `torch.sparse_coo_tensor(indices, values, size, dtype=...)` "
                "(an empty one: indices `torch.empty(ndim, 0, dtype=torch.long)`, values `torch.empty(0)`)",
            )
            return updated_node
        torch = self.table.spelling("torch")
        if torch is None:
            if self.table.is_rebound("torch") or "torch" in self.table.aliases:
                self.report(original_node, f"`{name}(...)` is deprecated: use `torch.sparse_coo_tensor`")
                return updated_node
            AddImportsVisitor.add_needed_import(self.context, "torch")
            torch = "torch"
        if cuda:
            args = [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT), keyword_argument("device", cst.SimpleString('"cuda"'))]
        new = updated_node.with_changes(func=cst.parse_expression(f"{torch}.sparse_coo_tensor"), args=args)
        message = (
            f"`{name}(...)` -> `{node_code(new.func)}(...)`: the typed sparse constructors are deprecated "
            "(the new call follows default-device contexts, the legacy one did not)"
        )
        return self.fix(original_node, new, message, safety=Safety.UNSAFE)
