"""Is this expression a tensor? A syntactic test shared by the module-state and device codemods.

An expression is a tensor when it is:

* a call of a torch factory (``torch.zeros``, ``torch.randn``, ``torch.from_numpy``,
  ``torch.Tensor``, ``torch.FloatTensor``, ``torch.cuda.LongTensor``, ``torch.empty`` — so legacy
  constructors are recognised before and after TU401 rewrites them), however torch is imported;
* ``Variable(...)`` (whatever it wraps, a Variable is a tensor);
* a tensor method (``.float()``, ``.unsqueeze()``, ``.view()``, ``.t()``, ``.cuda()``, ``.to()``,
  ``.zero_()``, ``.fill_()``, ...), ``.data`` or an index applied to a tensor;
* arithmetic with a tensor operand, or a conditional whose both branches are tensors;
* a local of the enclosing function every assignment of which is a tensor
  (``pe = torch.zeros(...); pe = pe.unsqueeze(0)``), a known tensor attribute of ``self``, or a
  call of a same-file function every ``return`` of which is a tensor.

The test only says yes when it is sure; anything else (a parameter, a call of an unknown
function) is "not known to be a tensor", and codemods decline.

:func:`strip_device_moves` removes what a buffer no longer needs from a tensor expression:
``Variable(...)`` wrappers and ``.cuda()`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, FrozenSet, Iterable, List, Optional, Set

import libcst as cst

from torchup.analysis.imports import ImportTable, TargetBindings, bound_names, import_table
from torchup.analysis.memo import last_call
from torchup.analysis.walk import walk
from torchup.codemod import node_code

VARIABLE = ("torch.autograd.Variable", "torch.autograd.variable.Variable")

# Legacy tensor types and the dtype each one always has.
LEGACY_TYPES: Dict[str, str] = {
    # The dtype spelled after `torch.`, named like the legacy type (`LongTensor` -> `torch.long`).
    "FloatTensor": "float",
    "DoubleTensor": "double",
    "HalfTensor": "half",
    "BFloat16Tensor": "bfloat16",
    "LongTensor": "long",
    "IntTensor": "int",
    "ShortTensor": "short",
    "CharTensor": "int8",
    "ByteTensor": "uint8",
    "BoolTensor": "bool",
}

# Factories whose values do not depend on a random generator.
DETERMINISTIC_FACTORIES = frozenset(
    {"zeros", "ones", "empty", "full", "arange", "range", "eye", "linspace", "logspace", "tensor"}
)
RANDOM_FACTORIES = frozenset({"rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial"})
_FACTORIES = (
    DETERMINISTIC_FACTORIES
    | RANDOM_FACTORIES
    | frozenset(
        {
            "Tensor",
            "as_tensor",
            "from_numpy",
            "zeros_like",
            "ones_like",
            "rand_like",
            "randn_like",
            "full_like",
            "empty_like",
            "cat",
            "stack",
            "sin",
            "cos",
            "exp",
            "log",
            "sqrt",
            "pow",
            "abs",
            "tril",
            "triu",
            "diag",
            "outer",
            "ger",
            "mm",
            "bmm",
            "matmul",
            "sigmoid",
            "tanh",
            "clamp",
            "where",
        }
    )
    | frozenset(LEGACY_TYPES)
)

# Methods that return a tensor when called on one (max/min/sort/topk return tuples: not listed).
# fmt: off
TENSOR_METHODS = frozenset(
    {
        "float", "double", "half", "bfloat16", "long", "int", "short", "char", "byte", "bool",
        "cuda", "cpu", "to", "type", "type_as",
        "unsqueeze", "squeeze", "view", "view_as", "reshape", "expand", "expand_as", "repeat",
        "t", "transpose", "permute", "contiguous", "clone", "detach", "flip", "roll", "narrow",
        "index_select", "masked_fill", "masked_fill_", "unfold", "triu", "tril", "diag",
        "zero_", "fill_", "normal_", "uniform_", "random_", "bernoulli_", "exponential_",
        "copy_", "requires_grad_", "new", "new_zeros", "new_ones", "new_full", "new_empty",
        "new_tensor",
        "add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_", "pow", "pow_", "neg",
        "exp", "exp_", "log", "log_", "sqrt", "sqrt_", "abs", "sin", "cos", "tanh", "sigmoid",
        "clamp", "clamp_", "floor", "ceil", "round", "fmod", "remainder", "cumsum", "cumprod",
        "sum", "mean", "matmul", "mm", "bmm", "softmax", "log_softmax",
        "eq", "ne", "lt", "le", "gt", "ge",
    }
)
# fmt: on


def torch_factory(imports: ImportTable, node: cst.CSTNode) -> Optional[str]:
    """``"zeros"`` for a call of ``torch.zeros``; ``"cuda.FloatTensor"`` for ``torch.cuda.FloatTensor``."""
    if not isinstance(node, cst.Call):
        return None
    qualified = imports.qualified_name(node.func)
    if qualified is None or not qualified.startswith("torch."):
        return None
    name = qualified[len("torch.") :]
    if name in _FACTORIES:
        return name
    if name.startswith("cuda.") and name[len("cuda.") :] in LEGACY_TYPES:
        return name
    return None


def is_variable_call(imports: ImportTable, node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and imports.refers_to(node.func, *VARIABLE)


def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def keyword_argument(name: str, value: cst.BaseExpression) -> cst.Arg:
    """``name=value``, as the codemods write a keyword they add: no spaces around ``=``."""
    no_space = cst.SimpleWhitespace("")
    return cst.Arg(value, keyword=cst.Name(name), equal=cst.AssignEqual(no_space, no_space))


@dataclass(frozen=True)
class TensorExprs:
    """The tensor test in one scope: the file's imports plus what is known in that scope."""

    imports: ImportTable
    helpers: FrozenSet[str] = frozenset()  # same-file functions that return a tensor
    locals: FrozenSet[str] = frozenset()  # locals of the current function that hold a tensor
    self_name: Optional[str] = None  # the method's first parameter
    self_attrs: FrozenSet[str] = frozenset()  # attributes of self known to hold a tensor

    def is_tensor(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.locals
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value == self.self_name:
                return node.attr.value in self.self_attrs
            return node.attr.value in ("data", "T") and self.is_tensor(node.value)
        if isinstance(node, cst.Subscript):
            return self.is_tensor(node.value)
        if isinstance(node, cst.Call):
            if torch_factory(self.imports, node) is not None or is_variable_call(self.imports, node):
                return True
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in TENSOR_METHODS:
                return self.is_tensor(func.value)
            return isinstance(func, cst.Name) and func.value in self.helpers
        if isinstance(node, cst.BinaryOperation):
            return self.is_tensor(node.left) or self.is_tensor(node.right)
        if isinstance(node, cst.UnaryOperation):
            return not isinstance(node.operator, cst.Not) and self.is_tensor(node.expression)
        if isinstance(node, cst.IfExp):
            return self.is_tensor(node.body) and self.is_tensor(node.orelse)
        return False

    def in_function(self, function: cst.FunctionDef, self_attrs: Iterable[str] = ()) -> "TensorExprs":
        """The test inside ``function``: its tensor locals, and its first parameter as ``self``."""
        params = function.params.params
        self_name = params[0].name.value if params else None
        scoped = replace(self, self_name=self_name, self_attrs=frozenset(self_attrs), locals=frozenset())
        return replace(scoped, locals=scoped._tensor_locals(function))

    def _tensor_locals(self, function: cst.FunctionDef) -> FrozenSet[str]:
        collector = _Assignments()
        walk(function.body, collector)
        parameters = {p.name.value for p in _all_params(function.params)}
        # Greatest fixpoint: assume every simply-assigned name is a tensor, then drop those with
        # an assignment that is not one, until nothing changes (handles `pe = pe.unsqueeze(0)`).
        known = set(collector.values) - collector.other_bindings - parameters
        while True:
            test = replace(self, locals=frozenset(known))
            keep = {name for name in known if all(test.is_tensor(v) for v in collector.values[name])}
            if keep == known:
                return frozenset(known)
            known = keep


class _Assignments(TargetBindings):
    """Simple `name = value` assignments of one function body (not of nested functions)."""

    def __init__(self) -> None:
        self.values: Dict[str, List[cst.BaseExpression]] = {}
        self.other_bindings: Set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.other_bindings.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.other_bindings.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.values.setdefault(target.target.value, []).append(node.value)
            else:
                self.bind_target(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self.values.setdefault(node.target.value, []).append(node.value)

    def bind_target(self, target: cst.CSTNode) -> None:
        self.other_bindings.update(bound_names(target))

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.other_bindings.add(item.name.value)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self.other_bindings.add(item.name.value)


class _Returns(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: List[Optional[cst.BaseExpression]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)


def _all_params(params: cst.Parameters) -> List[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


@last_call
def tensor_exprs(module: cst.Module, imports: ImportTable) -> TensorExprs:
    """The file-level test: its imports and its top-level functions that return a tensor."""
    functions: Dict[str, cst.FunctionDef] = {}
    defined_twice: Set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            if name in functions:
                defined_twice.add(name)
            functions[name] = statement
    known = set(functions) - defined_twice
    while True:
        test = TensorExprs(imports, helpers=frozenset(known))
        keep = set()
        for name in known:
            function = functions[name]
            returns = _Returns()
            walk(function.body, returns)
            inner = test.in_function(function)
            if returns.values and all(v is not None and inner.is_tensor(v) for v in returns.values):
                keep.add(name)
        if keep == known:
            return TensorExprs(imports, helpers=frozenset(known))
        known = keep


def _is_plain_cuda_call(node: cst.Call) -> bool:
    """``x.cuda()``, ``x.cuda(0)``, ``x.cuda(non_blocking=True)``: a move, nothing else."""
    if not (isinstance(node.func, cst.Attribute) and node.func.attr.value == "cuda"):
        return False
    positional = [a for a in node.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value for a in node.args if a.keyword is not None}
    return (
        len(positional) <= 1
        and keywords <= {"device", "non_blocking", "async"}
        and not any(a.star for a in node.args)
    )


def is_cuda_move(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and _is_plain_cuda_call(node)


def strip_device_moves(imports: ImportTable, node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` without ``Variable(...)`` wrappers and ``.cuda()`` moves along its method chain.

    ``Variable(x, volatile=...)`` loses its wrapper too (volatile does nothing today);
    ``Variable(x, requires_grad=True)`` is kept: that is a parameter, not a constant. A
    conditional whose branches become the same (``t.cuda() if gpu else t``) collapses to one.
    """
    if isinstance(node, cst.Call):
        if is_variable_call(imports, node):
            positional = [a for a in node.args if a.keyword is None and not a.star]
            others = [a for a in node.args if a.keyword is not None]
            if len(positional) == 1 and all(a.keyword.value == "volatile" for a in others):
                return strip_device_moves(imports, _unparenthesised(positional[0].value))
            return node
        if _is_plain_cuda_call(node):
            assert isinstance(node.func, cst.Attribute)
            return strip_device_moves(imports, node.func.value)
        if isinstance(node.func, cst.Attribute):
            inner = strip_device_moves(imports, node.func.value)
            if inner is not node.func.value:
                return node.with_changes(func=node.func.with_changes(value=_for_attribute(inner)))
        return node
    if isinstance(node, cst.Attribute) and node.attr.value == "data":
        inner = strip_device_moves(imports, node.value)
        return node if inner is node.value else node.with_changes(value=_for_attribute(inner))
    if isinstance(node, cst.Subscript):
        inner = strip_device_moves(imports, node.value)
        return node if inner is node.value else node.with_changes(value=_for_attribute(inner))
    if isinstance(node, cst.BinaryOperation):
        left = strip_device_moves(imports, node.left)
        right = strip_device_moves(imports, node.right)
        if left is node.left and right is node.right:
            return node
        # `Variable(a + b) * c` must become `(a + b) * c`.
        return node.with_changes(
            left=left if left is node.left else _for_attribute(left),
            right=right if right is node.right else _for_attribute(right),
        )
    if isinstance(node, cst.IfExp):
        body = strip_device_moves(imports, node.body)
        orelse = strip_device_moves(imports, node.orelse)
        if node_code(body) == node_code(orelse):
            return _unparenthesised(body)
        if body is node.body and orelse is node.orelse:
            return node
        return node.with_changes(
            body=body if body is node.body else _for_attribute(body),
            orelse=orelse if orelse is node.orelse else _for_attribute(orelse),
        )
    return node


def _unparenthesised(node: cst.BaseExpression) -> cst.BaseExpression:
    if getattr(node, "lpar", None):
        return node.with_changes(lpar=[], rpar=[])
    return node


def _for_attribute(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` ready to have ``.attr`` written after it (parenthesised when it needs it)."""
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) or getattr(node, "lpar", None):
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


__all__ = [
    "DETERMINISTIC_FACTORIES",
    "LEGACY_TYPES",
    "RANDOM_FACTORIES",
    "TENSOR_METHODS",
    "TensorExprs",
    "VARIABLE",
    "is_cuda_move",
    "is_variable_call",
    "keyword",
    "strip_device_moves",
    "tensor_exprs",
    "torch_factory",
]


class FileTensorTest:
    """For a codemod that asks, here and there, whether an expression is a tensor: the file's
    import table, and its tensor test built when a call first needs it (most files never ask).
    The codemod calls :meth:`start_file` from its ``visit_Module``."""

    def start_file(self, module: cst.Module) -> None:
        self.table: ImportTable = import_table(module)
        self.module_node = module
        self._tensors: Optional[TensorExprs] = None

    @property
    def tensors(self) -> TensorExprs:
        if self._tensors is None:
            self._tensors = tensor_exprs(self.module_node, self.table)
        return self._tensors
