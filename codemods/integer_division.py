"""TU421 integer_division: `/` on integer tensors -> `torch.div(..., rounding_mode="trunc")`.

What it does
    Finds divisions whose dividend is known to be an integer tensor:

    - `torch.LongTensor(...)`/`IntTensor`/`ShortTensor`/`CharTensor`/`ByteTensor` (CPU or CUDA),
      a torch factory with an integer `dtype=` (`torch.tensor(x, dtype=torch.long)`),
      `torch.randint`, `torch.randperm`, `torch.argmax/argmin/argsort/nonzero`;
    - `.long()`, `.int()`, `.short()`, `.char()`, `.byte()`, `.type(torch.LongTensor)`,
      `.to(torch.long)`; the indices of a reduction, `x.max(1)[1]`, `torch.max(x, 1)[1]`,
      `_, idx = x.topk(k)` (`max`, `min`, `topk`, `sort`, `kthvalue`, `mode`, `median`);
    - an index, `.view(...)`, `.clone()` ... of one, integer arithmetic (`+ - * % //`) with one,
      and a local of the same function every assignment of which is one.

    With an integer divisor (a literal, `len(...)`, `x.size(i)`, `x.shape[i]`, `.numel()`,
    another integer tensor) `a / b` becomes `torch.div(a, b, rounding_mode="trunc")`,
    `a.div(b)`/`torch.div(a, b)` get `rounding_mode="trunc"`, and `a /= b` becomes
    `a.div_(b, rounding_mode="trunc")`. With another divisor (a name, a float) it is reported.
    An integer tensor divided into (`n / idx`) is reported, and so is a division of a parameter
    the function makes an integer tensor on some path only (`if flag: n = n.long()`, then `n / 2`):
    it may still hold the caller's value there.

    `/` and `.div()` are only looked at in a file that shows the torch < 1.0 era as it was read
    (`Variable(...)`, `volatile=`, `x.data[0]`, `torch.cuda.FloatTensor`, `size_average=`,
    `.cuda(async=True)`; `torchup.analysis.legacy_era`): the same
    `/` in code written for torch >= 1.6 means the true division it gets (transformers' rotary
    embeddings divide `torch.arange(..., dtype=torch.int64)` by `dim` on purpose; `make modern`
    found 9 such findings). `a /= b` on an integer tensor raises in every era: handled anywhere.

Why
    Up to PyTorch 1.5, dividing integer tensors truncated, as C does: `torch.LongTensor([5, 7]) / 2`
    was `[2, 3]`. Since 1.6 it is true division and returns floats (`[2.5, 3.5]`); `a /= 2` on a
    long tensor raises. Index arithmetic in beam search (`beam_idx = best / vocab_size`) and
    detection code then silently computes fractional indices, or fails far from the division.

Before
    _, best = scores.view(-1).topk(k)
    beam = best / num_words
    half = torch.LongTensor([5, 7]) / 2

After
    _, best = scores.view(-1).topk(k)
    beam = best / num_words  # TU421: reported (`num_words` may be a float)
    half = torch.div(torch.LongTensor([5, 7]), 2, rounding_mode="trunc")

Fix safety
    Unsafe: the edit restores the 0.3 result (truncated integers) that the code was written for,
    which current torch no longer computes for the unmigrated line. Truncation matches 0.3 for
    negative values too (tested against C-style truncation on torch 2.13).


Limitations
    A legacy file with none of those idioms (integer index code alone) is not recognised: its
    divisions are left silent. Only what the file says is seen: a tensor passed in as a parameter, an attribute, or one
    loaded from elsewhere is not known to be an integer tensor, and its division is left silent.
    Python ints divided by Python ints (`len(x) / 2`, integer division under Python 2) are not
    torch's and are left alone. `//` is not touched (it floors; 0.3 truncated; they differ only
    for negative quotients).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Set

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from torchup.analysis.imports import TargetBindings, bound_names
from torchup.analysis.tensor_exprs import FileTensorTest, keyword_argument
from torchup.analysis.walk import walk
from torchup.analysis.legacy_era import file_as_read_shows_legacy_era
from torchup.codemod import ORIGINAL_KEY, Codemod, Safety, node_code
from torchup.text_search import search

_INT_TYPES = ("LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor")
INT_CONSTRUCTORS = frozenset(
    [*(f"torch.{t}" for t in _INT_TYPES), *(f"torch.cuda.{t}" for t in _INT_TYPES)]
)
INT_DTYPES = frozenset(
    f"torch.{d}" for d in ("long", "int64", "int", "int32", "short", "int16", "int8", "uint8")
)
# Factories that return an integer tensor whatever their arguments (no dtype= given).
INT_FUNCTIONS = frozenset(f"torch.{f}" for f in ("randint", "randperm", "argmax", "argmin", "argsort", "nonzero"))
DTYPE_FACTORIES = frozenset(
    f"torch.{f}" for f in ("tensor", "as_tensor", "zeros", "ones", "full", "empty", "arange", "zeros_like",
                           "ones_like", "full_like", "empty_like", "randint")
)
CONVERSIONS = frozenset({"long", "int", "short", "char", "byte"})
# Methods whose result has the receiver's dtype.
SAME_DTYPE = frozenset(
    {"view", "view_as", "reshape", "squeeze", "unsqueeze", "clone", "contiguous", "cpu", "cuda", "t", "expand",
     "expand_as", "repeat", "permute", "transpose", "narrow", "index_select", "gather", "detach", "flatten",
     "abs", "neg", "masked_select", "select", "unfold", "flip", "roll", "squeeze_", "unsqueeze_"}
)
# Reductions whose `[1]` (or second unpacked name) holds indices when given a dim (topk, sort always).
INDEX_REDUCTIONS = frozenset({"max", "min", "topk", "sort", "kthvalue", "mode", "median"})
_INT_SCALAR_METHODS = frozenset({"numel", "dim", "nelement", "ndimension", "item_count"})


def _int_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, cst.Integer)


def _with_trunc(args: List[cst.Arg]) -> List[cst.Arg]:
    trunc = keyword_argument("rounding_mode", cst.SimpleString('"trunc"'))
    if not args:
        return [trunc]
    return [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT), trunc]


class _Bindings(TargetBindings):
    """The `name = value` assignments of one scope (not of nested functions), with the index half
    of `values, indices = x.max(1)` recorded as `x.max(1)[1]`."""

    def __init__(self) -> None:
        self.values: Dict[str, List[cst.BaseExpression]] = {}
        self.other: Set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.other.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.other.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            inner = target.target
            if isinstance(inner, cst.Name):
                self.values.setdefault(inner.value, []).append(node.value)
            elif isinstance(inner, (cst.Tuple, cst.List)) and len(inner.elements) == 2 and not any(
                isinstance(e, cst.StarredElement) for e in inner.elements
            ):
                for index, element in enumerate(inner.elements):
                    if isinstance(element.value, cst.Name):
                        part = cst.Subscript(
                            node.value, [cst.SubscriptElement(cst.Index(cst.Integer(str(index))))]
                        )
                        self.values.setdefault(element.value.value, []).append(part)
                    else:
                        self.bind_target(element.value)
            else:
                self.bind_target(inner)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self.values.setdefault(node.target.value, []).append(node.value)

    def bind_target(self, target: cst.CSTNode) -> None:
        self.other.update(bound_names(target))

    def visit_Global(self, node: cst.Global) -> None:
        self.other.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.other.update(item.name.value for item in node.names)


@dataclass
class _Scope:
    """A module or function body, and (once asked) its names holding an integer tensor."""

    body: object
    params: Set[str]
    certain: Optional[Set[str]] = None
    loose: Optional[Set[str]] = None


class IntegerDivision(FileTensorTest, Codemod):
    CODE = "TU421"
    NAME = "integer_division"
    SUMMARY = 'integer tensor `a / b` (truncated up to PyTorch 1.5, float since) -> `torch.div(a, b, rounding_mode="trunc")`'
    SAFETY = "unsafe"
    MARKERS = ("/", ".div(", ".div_(")
    # A division between two operands (not `//`), or a `.div` call (paths in strings pass too).
    PATTERN = r"[\w)\]]\s*/(?!/)|\.div_?\s*\("
    # And something that makes an integer tensor (a superset of what `_is_int` recognises): most
    # files divide, few of them build integer tensors.
    INTEGER_PATTERN = "|".join(
        [
            # One `\bname...` alternative per name: each is searched as a literal (text_search).
            *(rf"\b{t}Tensor\b" for t in ("Long", "Int", "Short", "Char", "Byte")),
            *(rf"\b{m}(?<=\.{m})\s*\(\s*\)" for m in ("long", "int", "short", "char", "byte")),
            r"\bdtype\s*=\s*[\w.]*\b(?:long|int64|int32|int16|int8|uint8|int|short)\b",
            r"\bto\s*\(\s*[\w.]*\b(?:long|int64|int32|int16|int8|uint8|int|short)\b",
            *(rf"\b{f}\b" for f in ("randint", "randperm", "argmax", "argmin", "argsort", "nonzero", "topk", "kthvalue")),
            *(rf"\b{m}(?<=\.{m})\s*\(" for m in ("max", "min", "sort", "mode", "median")),
        ]
    )

    @classmethod
    def may_apply(cls, text: str) -> bool:
        # The integer pattern first: its alternatives start with literals (fast scans).
        return (
            any(marker in text for marker in cls.MARKERS)
            and search(cls.INTEGER_PATTERN, text)
            and search(cls.PATTERN, text)
        )

    def visit_Module(self, node: cst.Module) -> None:
        self.start_file(node)
        self.read_module = node
        self.legacy_era: Optional[bool] = None  # asked when a division first needs it
        # Per scope: the names certainly holding an integer tensor, and those that may (the
        # indices of a reduction on a receiver not known to be a tensor: `_, best = s.topk(k)`).
        # Computed when a division first asks (most scopes divide nothing).
        self.loose = False
        self.scopes: List[_Scope] = [_Scope(node.body, set())]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = {p.name.value for p in (*node.params.params, *node.params.kwonly_params, *node.params.posonly_params)}
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                params.add(star.name.value)
        self.scopes.append(_Scope(node.body, params))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.scopes.pop()
        return updated_node

    def _names(self, scope: "_Scope", loose: bool) -> Set[str]:
        cached = scope.loose if loose else scope.certain
        if cached is None:
            outer, self.loose = self.loose, loose
            try:
                cached = self._integer_names(scope.body, scope.params)
            finally:
                self.loose = outer
            if loose:
                scope.loose = cached
            else:
                scope.certain = cached
        return cached

    def _integer_names(self, body: object, params: Set[str]) -> Set[str]:
        bindings = _Bindings()
        if isinstance(body, cst.CSTNode):
            walk(body, bindings)
        else:
            for statement in body:  # a module's statements
                walk(statement, bindings)
        # A parameter reassigned in the body may still hold the caller's value at a division
        # (`if flag: n = n.long()`): never certainly an integer, but one it may be.
        known = set(bindings.values) - bindings.other - (set() if self.loose else params)
        while True:  # greatest fixpoint, as tensor_exprs does for tensor locals
            keep = {n for n in known if all(self._is_int(v, known) for v in bindings.values[n])}
            if keep == known:
                return known
            known = keep

    # -- the integer test -------------------------------------------------------------------

    def is_int_tensor(self, node: cst.BaseExpression) -> bool:
        return self._is_int(node, self._names(self.scopes[-1], loose=False))

    def may_be_int_tensor(self, node: cst.BaseExpression) -> bool:
        names = self._names(self.scopes[-1], loose=True)
        self.loose = True
        try:
            return self._is_int(node, names)
        finally:
            self.loose = False

    def _is_int(self, node: cst.BaseExpression, names: Set[str]) -> bool:
        if isinstance(node, cst.Name):
            return node.value in names
        if isinstance(node, cst.Attribute):
            return node.attr.value == "data" and self._is_int(node.value, names)
        if isinstance(node, cst.Call):
            return self._is_int_call(node, names)
        if isinstance(node, cst.Subscript):
            value = node.value
            if self._is_int(value, names):
                return True
            index = node.slice[0].slice if len(node.slice) == 1 else None
            return (
                isinstance(index, cst.Index)
                and isinstance(index.value, cst.Integer)
                and index.value.value == "1"
                and isinstance(value, cst.Call)
                and self._is_index_reduction(value, names)
            )
        if isinstance(node, cst.BinaryOperation) and isinstance(
            node.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.Modulo, cst.FloorDivide)
        ):
            sides = (node.left, node.right)
            return any(self._is_int(s, names) for s in sides) and all(
                self._is_int(s, names) or self._is_int_scalar(s) for s in sides
            )
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            return self._is_int(node.expression, names)
        return False

    def _is_int_call(self, call: cst.Call, names: Set[str]) -> bool:
        qualified = self.table.qualified_name(call.func)
        if qualified is not None:
            if qualified in INT_CONSTRUCTORS or qualified in INT_FUNCTIONS and not self._dtype(call):
                return True
            dtype = self._dtype(call)
            return qualified in DTYPE_FACTORIES and dtype is not None and dtype in INT_DTYPES
        func = call.func
        if not isinstance(func, cst.Attribute):
            return False
        method = func.attr.value
        if method in CONVERSIONS and not call.args:
            return True
        if method in ("type", "to") and call.args:
            target = self.table.qualified_name(call.args[0].value) if call.args[0].keyword is None else None
            if target is None and method == "to":
                target = self._dtype(call)
            return target is not None and (target in INT_CONSTRUCTORS or target in INT_DTYPES)
        if method in SAME_DTYPE:
            return self._is_int(func.value, names)
        if method in ("argmax", "argmin", "argsort", "nonzero"):
            return self.tensors.is_tensor(func.value) or self._is_int(func.value, names)
        return False

    def _dtype(self, call: cst.Call) -> Optional[str]:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "dtype":
                return self.table.qualified_name(arg.value) or node_code(arg.value)
        return None

    def _is_index_reduction(self, call: cst.Call, names: Set[str]) -> bool:
        qualified = self.table.qualified_name(call.func)
        if qualified is not None:
            leaf = qualified.rsplit(".", 1)[1]
            return qualified == f"torch.{leaf}" and leaf in INDEX_REDUCTIONS and (len(call.args) >= 2 or leaf in ("topk", "sort"))
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in INDEX_REDUCTIONS:
            return False
        if not (self.loose or self._is_int(func.value, names) or self.tensors.is_tensor(func.value)):
            return False
        return bool(call.args) or func.attr.value in ("topk", "sort")

    def _is_int_scalar(self, node: cst.BaseExpression) -> bool:
        if _int_literal(node):
            return True
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Name):
                return func.value in ("len", "int") and not self.table.is_rebound(func.value)
            if isinstance(func, cst.Attribute):
                return (func.attr.value == "size" and len(node.args) == 1) or (
                    func.attr.value in _INT_SCALAR_METHODS and not node.args
                )
        if isinstance(node, cst.Subscript):
            value = node.value
            return (isinstance(value, cst.Attribute) and value.attr.value == "shape") or (
                isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "size"
            )
        return False

    def _is_int_divisor(self, node: cst.BaseExpression) -> bool:
        return self._is_int_scalar(node) or self.is_int_tensor(node)

    # -- the rewrites -----------------------------------------------------------------------

    def _torch(self) -> Optional[str]:
        spelled = self.table.spelling("torch")
        if spelled is None:
            if self.table.is_rebound("torch") or self.table.aliases.get("torch", "torch") != "torch":
                return None
            AddImportsVisitor.add_needed_import(self.context, "torch")
            spelled = "torch"
        return spelled

    _WHY = "integer tensor division truncated up to PyTorch 1.5 and is true (float) division now"

    def _written_for_truncation(self) -> bool:
        """Whether the file shows the torch < 1.0 era, whose `/` truncated: code written since 1.6
        means the true division it gets (a rotary embedding's `arange(..., dtype=torch.int64) / dim`)."""
        if self.legacy_era is None:
            self.legacy_era = file_as_read_shows_legacy_era(self.read_module, self.context.scratch.get(ORIGINAL_KEY))
        return self.legacy_era

    def leave_BinaryOperation(
        self, original_node: cst.BinaryOperation, updated_node: cst.BinaryOperation
    ) -> cst.BaseExpression:
        if not isinstance(original_node.operator, cst.Divide) or not self._written_for_truncation():
            return updated_node
        left, right = original_node.left, original_node.right
        if not self.is_int_tensor(left):
            if self.may_be_int_tensor(left):
                params = self.scopes[-1].params
                why = "a parameter made one on some path" if isinstance(left, cst.Name) and left.value in params else "indices"
                self.report(
                    original_node,
                    f"`{node_code(original_node)}`: `{node_code(left)}` may be an integer tensor ({why}); {self._WHY}: "
                    'if so, use `torch.div(a, b, rounding_mode="trunc")`',
                )
            elif self.is_int_tensor(right):
                self.report(original_node, f"`{node_code(original_node)}`: {self._WHY}; check the divisor's meaning")
            return updated_node
        if not self._is_int_divisor(right):
            self.report(
                original_node,
                f"`{node_code(original_node)}`: {self._WHY}; if `{node_code(right)}` is an integer, use "
                '`torch.div(a, b, rounding_mode="trunc")`',
            )
            return updated_node
        torch = self._torch()
        if torch is None:
            self.report(original_node, f"`{node_code(original_node)}`: {self._WHY} (`torch` cannot be spelled here)")
            return updated_node
        new = cst.parse_expression(f"{torch}.div(a, b)").with_changes(
            args=_with_trunc(
                [cst.Arg(updated_node.left.with_changes(lpar=[], rpar=[]) if len(updated_node.left.lpar) else updated_node.left),
                 cst.Arg(updated_node.right)]
            ),
            lpar=updated_node.lpar,
            rpar=updated_node.rpar,
        )
        return self.fix(original_node, new, f"`{node_code(original_node)}` -> `{node_code(new)}`: {self._WHY}", safety=Safety.UNSAFE)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        qualified = self.table.qualified_name(func)
        if qualified == "torch.div" and len(original_node.args) >= 2:
            dividend, divisor = original_node.args[0].value, original_node.args[1].value
        elif qualified is None and isinstance(func, cst.Attribute) and func.attr.value in ("div", "div_") and original_node.args:
            dividend, divisor = func.value, original_node.args[0].value
        else:
            return updated_node
        if any(arg.keyword is not None and arg.keyword.value == "rounding_mode" for arg in original_node.args):
            return updated_node
        if not self._written_for_truncation():
            return updated_node
        if any(arg.star for arg in original_node.args) or not self.is_int_tensor(dividend):
            return updated_node
        if not self._is_int_divisor(divisor):
            self.report(original_node, f"`{node_code(original_node)}`: {self._WHY}; add `rounding_mode=\"trunc\"` if the divisor is an integer")
            return updated_node
        new = updated_node.with_changes(args=_with_trunc(list(updated_node.args)))
        return self.fix(original_node, new, f"`{node_code(original_node)}` -> `{node_code(new)}`: {self._WHY}", safety=Safety.UNSAFE)

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node: cst.AugAssign) -> cst.BaseSmallStatement:
        if not isinstance(original_node.operator, cst.DivideAssign) or not self.is_int_tensor(original_node.target):
            return updated_node
        message = f"`{node_code(original_node.target)} /= ...` on an integer tensor raises now; {self._WHY}"
        if not self._is_int_divisor(original_node.value):
            self.report(original_node, message)
            return updated_node
        call = cst.Call(
            cst.Attribute(updated_node.target, cst.Name("div_")), _with_trunc([cst.Arg(updated_node.value)])
        )
        new = cst.Expr(call, semicolon=updated_node.semicolon)
        return self.fix(original_node, new, f"{message}: `{node_code(call)}`", safety=Safety.UNSAFE)
