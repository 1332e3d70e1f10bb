"""GPU switches, and whether a file's ``.cuda()`` calls are legacy code at all.

A GPU switch is the flag a 0.3 script tests before each move: ``use_cuda``, ``args.cuda``,
``USE_CUDA``, ``self.gpu_mode``, ``not args.no_cuda``. :func:`switch_of` recognises one in a test.

Modern code calls ``.cuda()`` too, deliberately and legally: torch's own tests
(``nn.Linear(1, 5).cuda(device_id)``, ``if cuda: t = t.cuda(rank_to_GPU[rank][0])``), benchmark
fuzzers (``if self._cuda: t = t.cuda()``), a ``Module.cuda`` override. Nothing there is for torchup
to rewrite or report. :func:`legacy_gpu_idiom` names what shows a file to be written for torch
0.3/0.4 instead — a switch decided in the file (``use_cuda = torch.cuda.is_available()``,
``cuda = True``, ``args.cuda = not args.no_cuda and ...``), a ``--cuda``/``--no-cuda`` flag, a
plain ``.cuda()`` under a switch, ``Variable``, ``volatile=`` or ``.volatile``, a
``torch.cuda.FloatTensor`` type, a hand-written ``cuda(self)`` that moves the object's tensors
in place — or None when the file shows none of them. It reads the file as it was before any
codemod ran, so what earlier passes migrated (``Variable``) still counts.
"""

from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from torchup.analysis.imports import dotted_name
from torchup.analysis.memo import last_call
from torchup.analysis.tensor_exprs import LEGACY_TYPES
from torchup.analysis.walk import walk
from torchup.codegen import code_of_node

# `cuda`, `use_cuda`, `USE_CUDA`, `use_gpu`, `gpu_mode`, `args.cuda`: not `x.is_cuda` (a tensor's).
_SWITCH = re.compile(r"(?i)^(?:use_?|with_?)?(?:cuda|gpu)(?:_mode|_enabled)?$")
_OFF_SWITCH = re.compile(r"(?i)^no_?(?:cuda|gpu)$")
# `--cuda`, `--no-cuda`, `--no_cuda`, `--use_gpu`, `--gpu`, `--gpus`, `--gpu_ids`.
_FLAG = re.compile(r"(?i)^--?(?:no[-_]?)?(?:use[-_]?)?(?:cuda|gpus?|gpu[-_]ids?)$")
_VARIABLE_MODULES = frozenset({"torch.autograd", "torch.autograd.variable"})


def switch_of(test: cst.BaseExpression) -> Optional[str]:
    """The code of ``test`` when it is a GPU switch (``use_cuda``, ``args.cuda``, ``not args.no_cuda``)."""
    pattern = _SWITCH
    tested = test
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        pattern, tested = _OFF_SWITCH, test.expression
    if isinstance(tested, cst.Name):
        last = tested.value
    elif isinstance(tested, cst.Attribute) and switch_root(tested) is not None:
        last = tested.attr.value
    else:
        return None
    return code_of_node(test) if pattern.match(last) else None


def switch_root(node: cst.BaseExpression) -> Optional[str]:
    """``args`` for ``args.cuda``, ``self`` for ``self.gpu_mode``, ``use_cuda`` for itself."""
    if isinstance(node, cst.UnaryOperation):
        return switch_root(node.expression)
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def is_cuda_call(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "cuda"


def is_plain_move(call: cst.Call) -> bool:
    """``x.cuda()``, ``x.cuda(non_blocking=True)``: no device index, nothing else."""
    return all(a.keyword is not None and a.keyword.value in ("non_blocking", "async") for a in call.args)


def cuda_calls(node: cst.CSTNode) -> List[cst.Call]:
    """The ``.cuda(...)`` calls in ``node``, not counting those in nested functions and lambdas."""
    found: List[cst.Call] = []

    class Find(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if is_cuda_call(call):
                found.append(call)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    walk(node, Find())
    return found


def _decides_a_switch(value: cst.BaseExpression) -> bool:
    """``True``, ``1``, ``torch.cuda.is_available()``, ``not args.no_cuda and ...``,
    ``len(opt.gpu_ids) > 0``, ``args.cuda``: what a switch is set to (not ``torch.device(...)``,
    a tensor, a string)."""
    if isinstance(value, cst.Name):
        return value.value in ("True", "False") or switch_of(value) is not None
    if isinstance(value, cst.Integer):
        return True
    if isinstance(value, (cst.BooleanOperation, cst.Comparison)) or (
        isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Not)
    ):
        return True
    if isinstance(value, cst.Attribute):
        return switch_of(value) is not None
    if isinstance(value, cst.Call):
        return dotted_name(value.func) is not None and (dotted_name(value.func) or "").endswith("cuda.is_available")
    return False


class _LegacySigns(cst.CSTVisitor):
    # Typed hooks only: under an index of the tree, the walk shows just these node types.
    def __init__(self) -> None:
        self.found: Optional[str] = None

    def _saw(self, sign: str) -> None:
        if self.found is None:
            self.found = sign

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None and not node.relative else None
        if module not in _VARIABLE_MODULES:
            return
        if isinstance(node.names, cst.ImportStar):  # 2017 code's way to get `Variable`
            self._saw(f"`from {module} import *`")
        elif any(isinstance(a.name, cst.Name) and a.name.value == "Variable" for a in node.names):
            self._saw("`Variable`")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = dotted_name(node) or ""
        if name.endswith("autograd.Variable"):
            self._saw("`Variable`")
        elif node.attr.value == "volatile":
            self._saw("`.volatile`")
        elif node.attr.value in LEGACY_TYPES and name.split(".")[-2:] == ["cuda", node.attr.value]:
            self._saw(f"`{name}`")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # A hand-written `cuda(self)` that moves the object's tensors in place
        # (`self.masks = self.masks.cuda()`): what 0.4's `.to(device)` replaced.
        params = node.params
        if node.name.value != "cuda" or len(params.params) != 1 or params.kwonly_params:
            return
        if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
            return
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        for line in body:
            for small in line.body if isinstance(line, cst.SimpleStatementLine) else ():
                if (
                    isinstance(small, cst.Assign)
                    and isinstance(small.targets[0].target, cst.Attribute)
                    and is_cuda_call(small.value)
                    and code_of_node(small.value.func.value) == code_of_node(small.targets[0].target)
                ):
                    self._saw("a `cuda(self)` method that moves its tensors in place")
                    return

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "volatile":
            self._saw("`volatile=`")

    def visit_Assign(self, node: cst.Assign) -> None:
        self._assigned([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned([node.target], node.value)

    def _assigned(self, targets: List[cst.BaseExpression], value: cst.BaseExpression) -> None:
        for target in targets:
            switch = switch_of(target) if isinstance(target, (cst.Name, cst.Attribute)) else None
            if switch is not None and _decides_a_switch(value):
                self._saw(f"the GPU switch `{switch} = {code_of_node(value)}`")
                return

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_argument" and node.args:
            first = node.args[0].value
            if isinstance(first, cst.SimpleString) and _FLAG.match(str(first.evaluated_value)):
                self._saw(f"the command-line flag `{first.evaluated_value}`")

    def visit_If(self, node: cst.If) -> None:
        self._guarded(node.test, node.body)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._guarded(node.test, node.body)

    def _guarded(self, test: cst.BaseExpression, body: cst.CSTNode) -> None:
        switch = switch_of(test)
        if switch is not None and any(is_plain_move(c) for c in cuda_calls(body)):
            self._saw(f"`.cuda()` under the GPU switch `{switch}`")


@last_call
def legacy_gpu_idiom(module: cst.Module) -> Optional[str]:
    """The first sign that ``module``'s GPU code is legacy (a switch decided, a flag, a guarded
    move, a 0.3 API), described for a message; None for modern code."""
    signs = _LegacySigns()
    walk(module, signs)
    return signs.found
