"""TU401 legacy_constructors: `torch.FloatTensor(2, 3)` -> `torch.empty(2, 3, dtype=torch.float)`.

What it does
    Rewrites calls to the legacy typed constructors (`torch.Tensor`, `torch.FloatTensor`,
    `torch.DoubleTensor`, `torch.HalfTensor`, `torch.BFloat16Tensor`, `torch.ByteTensor`,
    `torch.CharTensor`, `torch.ShortTensor`, `torch.IntTensor`, `torch.LongTensor`,
    `torch.BoolTensor`) into the factory functions, keeping the dtype exact:

    - a shape (two or more arguments, an integer expression, `x.size()`, `torch.Size(...)`) ->
      `torch.empty(shape)`; no argument -> `torch.empty(0)`;
    - data (a list or tuple display, a list comprehension, `[0] * n`, a fresh numpy array such as
      `np.array(...)`) -> `torch.tensor(data)`;

    - `torch.FloatTensor(torch.FloatStorage())`, a fresh storage of the constructor's own type made
      with no argument (empty, held by nobody else) -> `torch.empty(0, dtype=torch.float)`.

    A name counts as an integer (or as a list) when every binding of it in the file is one
    (`batch_size = 64`; `mean = []` then `mean += [...]`). A function's parameter counts as an
    integer when the function, never rebinding it, also passes it as one of several sizes
    (`torch.Tensor(out_features, in_features)`, `torch.zeros(n, d)`): only integers go there.
    - `torch.Tensor(n).zero_()` -> `torch.zeros(n)` and `torch.Tensor(n).fill_(v)` with a number
      literal `v` -> `torch.full((n,), v)`.

    A typed constructor always gets `dtype=` (`torch.LongTensor` -> `dtype=torch.long`).
    `torch.Tensor` follows the default dtype: `torch.empty`/`torch.zeros` already do, and
    `torch.tensor`/`torch.full`, which infer their dtype from the values, get number literals
    written as floats (`torch.Tensor([0, 1])` -> `torch.tensor([0.0, 1.0])`), and
    `dtype=torch.get_default_dtype()` when a value is not a literal. A rewritten constructor that
    is then moved with `.to(x.device)` (TU301's output) takes `device=x.device` instead.

Why
    The typed constructors are legacy API: they cannot take a device or `requires_grad`, they
    read `torch.Tensor((2, 3))` as data but `torch.Tensor(2, 3)` as a shape, and torch's
    documentation points to the factories instead (torch 2.13 does not warn for them: checked
    with `-W always`).

Before
    hidden = torch.FloatTensor(2, 3)
    labels = torch.LongTensor([1, 2])
    counts = torch.Tensor(10).zero_()
    scale = torch.Tensor(4).fill_(1)

After
    hidden = torch.empty(2, 3, dtype=torch.float)
    labels = torch.tensor([1, 2], dtype=torch.long)
    counts = torch.zeros(10)
    scale = torch.full((4,), 1.0)

Fix safety
    Unsafe, except where the device is written: dtype, shape and values are those of the legacy
    call (`torch.FloatTensor` is float32 whatever the default dtype, which is why the dtype is
    always written; `torch.Tensor` and the rewrite both follow `set_default_dtype`), but the
    placement is not. Measured on torch 2.13: the legacy constructors ignore a
    `with torch.device("meta"):` context and `torch.set_default_device(...)` (still on the CPU);
    the factories follow them. A library that builds its models under the meta device (as
    transformers does) would get a meta tensor where it had a CPU one, and a `.tolist()` or
    `.item()` on it then fails. Writing `device="cpu"` instead would pin the constant to the CPU
    forever (and `torch.Tensor` follows `set_default_tensor_type(torch.cuda.FloatTensor)`, so for
    it no spelling is exact): the rewrite is offered as an unsafe fix. It is safe where the legacy
    call is moved straight to a tensor's device (`torch.LongTensor([1]).to(h.device)` ->
    `torch.tensor([1], dtype=torch.long, device=h.device)`): an explicit device wins over every
    context, for both. An uninitialised legacy tensor stays uninitialised (`torch.empty`). A numpy
    array is converted only when it is created in the call itself: `torch.FloatTensor(array)`
    shares memory with a float32 `array`, `torch.tensor(array)` copies it, which only matters
    when someone else holds the array.

Limitations
    When a single argument's kind cannot be told from the source (a parameter, a name bound to
    something else too, `x.shape` of a possibly numpy `x`, `x.numpy()`, any other call) the call
    is reported and left alone: an integer is a shape, a sequence is data, and a tensor argument
    is even aliased. Any other storage argument (`x.storage()`, a sized storage, one of another
    type, any storage given to `torch.Tensor`) is a finding: the legacy tensor views the storage and
    no factory takes one (`torch.empty(storage)` raises TypeError); it names
    `torch.empty(0, dtype=...).set_(storage)`, which keeps the view. Names are not followed through a `from module import *` file; a `torch.FloatTensor(...)` whose
    `torch` may come from one (the file does not import torch) is a finding naming it. Keyword or
    starred arguments are reported too. `torch.cuda.*Tensor` is TU302's. `x.new(...)` is left
    alone: `.new` is too common a method name to tell a tensor's from another object's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from torchup.analysis.imports import ImportTable, dotted_name, import_table
from torchup.analysis.tensor_exprs import LEGACY_TYPES as LEGACY_DTYPES, keyword_argument
from torchup.analysis.tree_screen import calls_any_of
from torchup.analysis.walk import find_all, walk
from torchup.codemod import Codemod, Safety, node_code

# Legacy type -> the dtype spelled after `torch.`; None: follows the default dtype.
LEGACY_TYPES: Dict[str, Optional[str]] = {
    "torch.Tensor": None,
    **{f"torch.{name}": dtype for name, dtype in LEGACY_DTYPES.items()},
}

# numpy functions that return a fresh array (never a scalar, never a view of an argument).
_NUMPY_ARRAY_FACTORIES = frozenset(
    f"numpy.{name}"
    for name in (
        "array",
        "zeros",
        "ones",
        "full",
        "empty",
        "eye",
        "identity",
        "arange",
        "linspace",
        "stack",
        "concatenate",
        "vstack",
        "hstack",
    )
)

# Methods that return an int on a tensor (and on anything that has them in legacy model code).
_INT_METHODS = frozenset({"dim", "numel", "nelement", "ndimension"})
# Storages a legacy constructor may be given: `torch.FloatTensor(torch.FloatStorage())`.
_STORAGE_CLASSES = frozenset(
    {
        "torch.Storage",
        "torch.TypedStorage",
        "torch.UntypedStorage",
        *(f"torch.{name.replace('Tensor', 'Storage')}" for name in LEGACY_DTYPES),
        *(f"torch.cuda.{name.replace('Tensor', 'Storage')}" for name in LEGACY_DTYPES),
    }
)
_STORAGE_METHODS = frozenset({"storage", "untyped_storage"})
_INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide)
_INT_AUG_OPERATORS = (cst.AddAssign, cst.SubtractAssign, cst.MultiplyAssign, cst.FloorDivideAssign)


@dataclass(frozen=True)
class Shape:
    """The constructor's arguments are a shape: these args, as written."""

    args: Tuple[cst.Arg, ...]


@dataclass(frozen=True)
class Data:
    """The constructor's single argument is data."""

    value: cst.BaseExpression


def _no_comma(arg: cst.Arg) -> cst.Arg:
    return arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)


def _device_inside(codemod: "LegacyConstructors", original: cst.Call, updated: cst.Call) -> Optional[cst.Call]:
    """``torch.tensor([1], dtype=torch.long).to(x.device)`` -> ``torch.tensor([1], dtype=torch.long,
    device=x.device)`` when the receiver is a legacy constructor this pass rewrote (TU301 can only
    move a legacy constructor with ``.to``). Only an argument that reads ``.device`` is surely a device."""
    if not (isinstance(original.func, cst.Attribute) and isinstance(updated.func, cst.Attribute)):
        return None
    if not _moves_to_a_device(updated):
        return None
    (move,) = updated.args
    legacy, factory = original.func.value, updated.func.value
    if not codemod._legacy_dtype(legacy)[0] or not isinstance(factory, cst.Call) or factory.deep_equals(legacy):
        return None
    if not factory.args or any(arg.keyword is not None and arg.keyword.value == "device" for arg in factory.args):
        return None
    return factory.with_changes(
        args=[*factory.args[:-1], _no_comma(factory.args[-1]), keyword_argument("device", move.value)]
    )


def _moves_to_a_device(call: cst.Call) -> bool:
    """``<...>.to(x.device)``: one positional argument that reads ``.device``."""
    assert isinstance(call.func, cst.Attribute)
    if call.func.attr.value != "to" or len(call.args) != 1:
        return False
    (move,) = call.args
    return (
        move.keyword is None
        and not move.star
        and isinstance(move.value, cst.Attribute)
        and move.value.attr.value == "device"
    )


def _is_number_literal(node: cst.BaseExpression, kinds: tuple = (cst.Integer, cst.Float)) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        node = node.expression
    return isinstance(node, kinds)


def _all_float_literals(node: cst.BaseExpression) -> bool:
    """True when every leaf of a (nested) list/tuple display is a float literal: then
    `torch.tensor` infers the default dtype by itself (an empty display too)."""
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(_all_float_literals(element.value) for element in node.elements)
    return _is_number_literal(node, (cst.Float,))


def _as_float_literals(node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """The display with its decimal int literals written as floats (``[0, -1]`` -> ``[0.0, -1.0]``),
    or None when a leaf is not a number literal."""
    if isinstance(node, (cst.List, cst.Tuple)):
        elements = []
        for element in node.elements:
            value = _as_float_literals(element.value)
            if value is None:
                return None
            elements.append(element.with_changes(value=value))
        return node.with_changes(elements=elements)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = _as_float_literals(node.expression)
        return None if inner is None else node.with_changes(expression=inner)
    if isinstance(node, cst.Float):
        return node
    if isinstance(node, cst.Integer) and node.value.replace("_", "").isdigit():
        return cst.Float(f"{node.value}.0")
    return None


# What a name is bound to, anywhere in the file: an expression, an augmented assignment, or
# something that cannot be read (a parameter, a loop target, an import, an unpacking, ...).
Binding = Union[cst.BaseExpression, cst.AugAssign, None]


class _Bindings(cst.CSTVisitor):
    """Every binding of every plain name in a file, scopes ignored.

    Ignoring scopes is conservative: a name counts as an int (or a list) only when every binding
    of that name anywhere in the file is one, so whichever binding a use sees, the kind holds.
    """

    def __init__(self) -> None:
        self.bindings: Dict[str, List[Binding]] = {}
        self.star_import = False

    def _bind(self, target: cst.CSTNode, value: Binding) -> None:
        if isinstance(target, cst.Name):
            self.bindings.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, node)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, None)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name, None)  # with/except targets and import aliases

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self._bind(cst.Name(str(node.evaluated_name).split(".")[0]), None)

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        self.star_import = True

    def visit_Param(self, node: cst.Param) -> None:
        self._bind(node.name, None)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bind(node.name, None)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name, None)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._bind(item.name, None)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self._bind(item.name, None)

    def visit_Del(self, node: cst.Del) -> None:
        self._bind(node.target, None)


# Factories that read several positional arguments as sizes, like the legacy constructors.
_SIZED_FACTORIES = frozenset(f"torch.{name}" for name in ("empty", "zeros", "ones", "rand", "randn"))


def _size_parameters(function: cst.FunctionDef, table: ImportTable) -> FrozenSet[str]:
    """Parameters that ``function`` passes, never rebound, as one of several sizes."""
    params = function.params
    names = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    inner = _Bindings()
    walk(function.body, inner)  # nested functions' parameters count as rebinding: conservative
    sizes: Set[str] = set()
    for call in find_all(function.body, m.Call()):
        assert isinstance(call, cst.Call)
        qualified = table.qualified_name(call.func)
        if qualified not in LEGACY_TYPES and qualified not in _SIZED_FACTORIES:
            continue
        if len(call.args) >= 2 and not any(arg.keyword is not None or arg.star for arg in call.args):
            sizes.update(arg.value.value for arg in call.args if isinstance(arg.value, cst.Name))
    return frozenset((names & sizes) - set(inner.bindings))


def _is_sequence_display(node: cst.BaseExpression) -> bool:
    """A list/tuple built right there: `[...]`, `(...)`, `[... for ...]`, `[0] * n`, `[a] + b`."""
    if isinstance(node, (cst.List, cst.Tuple, cst.ListComp)):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Multiply, cst.Add)):
        return isinstance(node.left, (cst.List, cst.Tuple)) or isinstance(node.right, (cst.List, cst.Tuple))
    return False


class LegacyConstructors(Codemod):
    CODE = "TU401"
    NAME = "legacy_constructors"
    SUMMARY = (
        "legacy constructors -> factories, dtype kept: `torch.LongTensor([1])` -> `torch.tensor([1], dtype=torch.long)`"
    )
    SAFETY = "mixed"
    # Only calls are rewritten: the type is called, or imported under another name. The marker is
    # the bare word: `(torch.Tensor)(3)`, `torch.Tensor\n(3)` and a parenthesised `IntTensor\nas IT`
    # import escaped "Tensor(" / "Tensor (" / "Tensor as"; PATTERN does the narrowing.
    MARKERS = ("Tensor",)
    # Superset of the calls rewritten or reported: the callee resolves to a LEGACY_TYPES name, so
    # the text holds that name called (`torch.FloatTensor(`, `FloatTensor (`, `(torch.Tensor)(`)
    # or renamed in an import statement (`from torch import LongTensor as LT`, also parenthesised
    # or continued). Prose such as "a Tensor as input" or `SparseTensor(` matches the markers only.
    _NAMES = "|".join(sorted(name.rpartition(".")[2] for name in LEGACY_TYPES))
    PATTERN = (
        rf"\b(?:{_NAMES})[\s\\)]*\("
        + rf"|\bimport\b(?:[^\S\n]|\\\r?\n|[\w.,])*?\b(?:{_NAMES})[\s\\]+as\b"
        + rf"|\bimport(?:[^\S\n]|\\\r?\n)*\((?:[\w\s.,\\]|#[^\n]*)*?\b(?:{_NAMES})[\s\\]+as\b"
    )
    del _NAMES
    # Every call it rewrites or reports has one of these callees (resolved through the imports).
    TREE_SCREEN = staticmethod(calls_any_of(frozenset(LEGACY_TYPES)))

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)
        # Legacy calls rewritten together with the `.zero_()` / `.fill_()` around them.
        self.consumed: Set[cst.Call] = set()
        collector = _Bindings()
        walk(node, collector)
        self.bindings = {} if collector.star_import else collector.bindings
        self.resolving: Set[str] = set()
        self.size_parameters: List[FrozenSet[str]] = [frozenset()]
        # Legacy calls moved straight to a tensor's device (`.to(x.device)`): the device is written.
        self.placed: Set[cst.Call] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.size_parameters.append(_size_parameters(node, self.table))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.size_parameters.pop()
        return updated_node

    # -- what the arguments are -------------------------------------------------------------

    def _name_is(self, name: str, kind: "Callable[[Binding], bool]") -> bool:
        """True when every binding of ``name`` in the file satisfies ``kind``."""
        bindings = self.bindings.get(name)
        if not bindings or name in self.resolving:
            return False
        self.resolving.add(name)  # `n = m` / `m = n` must not loop
        try:
            return all(binding is not None and kind(binding) for binding in bindings)
        finally:
            self.resolving.discard(name)

    def _int_binding(self, binding: Binding) -> bool:
        if isinstance(binding, cst.AugAssign):
            return isinstance(binding.operator, _INT_AUG_OPERATORS) and self._is_int(binding.value)
        return binding is not None and self._is_int(binding)

    def _sequence_binding(self, binding: Binding) -> bool:
        if isinstance(binding, cst.AugAssign):
            # `seq += [...]` extends a list; `seq *= 2` repeats it.
            if isinstance(binding.operator, cst.AddAssign):
                return _is_sequence_display(binding.value)
            return isinstance(binding.operator, cst.MultiplyAssign) and self._is_int(binding.value)
        return binding is not None and _is_sequence_display(binding)

    def _is_int(self, node: cst.BaseExpression) -> bool:
        if _is_number_literal(node, (cst.Integer,)):
            return True
        if isinstance(node, cst.Name):
            return node.value in self.size_parameters[-1] or self._name_is(node.value, self._int_binding)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, _INT_OPERATORS):
            return self._is_int(node.left) and self._is_int(node.right)
        if (
            isinstance(node, cst.Subscript)
            and _attr_name(node.value) == "shape"
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
        ):
            return True  # x.shape[k]: an int for a tensor and for a numpy array alike (x.shape[1:] is not)
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Name) and node.func.value in ("len", "int"):
                return not self.table.is_rebound(node.func.value) and node.func.value not in self.table.aliases
            name = _attr_name(node.func)
            if name == "size" and len(node.args) == 1:
                return True  # x.size(k)
            if name in _INT_METHODS and not node.args:
                return True
        return False

    def _is_size(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Call):
            if _attr_name(node.func) == "size" and not node.args:
                return True  # x.size(): a torch.Size, read as a shape
            return self.table.refers_to(node.func, "torch.Size")
        return False

    def _is_fresh_data(self, node: cst.BaseExpression) -> bool:
        """A Python sequence (always copied by the legacy constructor too), or a numpy array
        made in the call itself (an array held elsewhere would have been shared, not copied)."""
        if _is_sequence_display(node):
            return True
        if isinstance(node, cst.Name):
            return self._name_is(node.value, self._sequence_binding)
        return isinstance(node, cst.Call) and self.table.qualified_name(node.func) in _NUMPY_ARRAY_FACTORIES

    def classify(self, call: cst.Call) -> Union[Shape, Data, str]:
        """A Shape, Data, or the reason the call cannot be rewritten."""
        if any(arg.keyword is not None or arg.star for arg in call.args):
            return "keyword or starred arguments to a legacy constructor: rewrite it by hand"
        if len(call.args) != 1:
            # Several positional arguments can only be sizes; none is an empty tensor.
            return Shape(tuple(call.args))
        value = call.args[0].value
        if self._is_int(value) or self._is_size(value):
            return Shape(tuple(call.args))
        if self._is_fresh_data(value):
            return Data(value)
        qualified = self.table.qualified_name(call.func)
        dtype = LEGACY_TYPES.get(qualified or "")
        storage = self._storage(value)
        if storage is not None:
            return self._storage_plan(qualified or "", dtype, value, storage)
        as_shape = f"torch.empty({_short(value, 30)}{'' if dtype is None else f', dtype=torch.{dtype}'})"
        as_data = f"torch.tensor({_short(value, 30)}, dtype={'torch.get_default_dtype()' if dtype is None else f'torch.{dtype}'})"
        return (
            f"cannot tell whether `{_short(value)}` is a shape or data: write `{as_shape}` for a size, "
            f"`{as_data}` for a sequence or array (a tensor argument was aliased, not copied)"
        )

    def _storage(self, node: cst.BaseExpression) -> Optional[str]:
        """The storage class an argument is a call of (``"torch.FloatStorage"``), ``""`` for
        another storage (``x.storage()``), None when the argument is no visible storage."""
        if not isinstance(node, cst.Call):
            return None
        if _attr_name(node.func) in _STORAGE_METHODS and not node.args:
            return ""
        qualified = self.table.qualified_name(node.func) or ""
        return qualified if qualified in _STORAGE_CLASSES else None

    def _storage_plan(
        self, legacy: str, dtype: Optional[str], value: cst.BaseExpression, storage: str
    ) -> Union[Shape, str]:
        """A legacy constructor given a storage returns a 1-D tensor viewing all of it. A fresh
        storage of the constructor's own type made with no argument is empty and held by nobody
        else: that is `torch.empty(0, dtype=...)`. Any other storage is shared, sized, or of a
        type the constructor may reject (`torch.Tensor` wants the default dtype's): a finding."""
        assert isinstance(value, cst.Call)
        own = legacy.replace("Tensor", "Storage") if dtype is not None else None
        if storage == own and not value.args:
            return Shape(())
        dtype_spelling = "torch.get_default_dtype()" if dtype is None else f"torch.{dtype}"
        return (
            f"`{_short(value)}` is a storage, neither a shape nor data: `{legacy.rpartition('.')[2]}` "
            f"returns a tensor that views it (memory shared) and no factory takes one; write "
            f"`torch.empty(0, dtype={dtype_spelling}).set_({_short(value, 30)})` to keep that"
        )

    # -- spelling ---------------------------------------------------------------------------

    def spell(self, qualified: str) -> Optional[cst.BaseExpression]:
        """``qualified`` as this file can write it, importing torch if needed; None if it cannot."""
        spelled = self.table.spelling(qualified)
        if spelled is None:
            if self.table.is_rebound("torch") or self.table.aliases.get("torch", "torch") != "torch":
                return None
            AddImportsVisitor.add_needed_import(self.context, "torch")
            spelled = qualified
        return cst.parse_expression(spelled)

    @staticmethod
    def _dtype(dtype: Optional[str], *, infers_from: Optional[cst.BaseExpression]) -> Optional[str]:
        """What `dtype=` must say to keep the legacy dtype ("torch.long", or
        "torch.get_default_dtype" meaning a call to it), or None when nothing is needed.

        ``infers_from``: the values a factory infers its dtype from (`torch.tensor`, `torch.full`);
        None for factories that use the default dtype (`torch.empty`, `torch.zeros`).
        """
        if dtype is not None:
            return f"torch.{dtype}"
        if infers_from is None or _all_float_literals(infers_from):
            return None
        return "torch.get_default_dtype"

    # -- the rewrites -----------------------------------------------------------------------

    def _legacy_dtype(self, call: cst.CSTNode) -> "tuple[bool, Optional[str]]":
        if not isinstance(call, cst.Call):
            return False, None
        qualified = self.table.qualified_name(call.func)
        if qualified not in LEGACY_TYPES:
            return False, None
        return True, LEGACY_TYPES[qualified]

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and _moves_to_a_device(node):
            self.placed.add(node.func.value)  # type: ignore[arg-type]
        # `torch.Tensor(n).zero_()`: the legacy call is rewritten by the outer call's leave.
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("zero_", "fill_"):
            inner = node.func.value
            if self._legacy_dtype(inner)[0] and self._fill_plan(node, inner) is not None:
                self.consumed.add(inner)

    def _fill_plan(self, outer: cst.Call, inner: cst.CSTNode) -> Optional[str]:
        """ "zeros" or "full" when the `.zero_()`/`.fill_(v)` around a legacy call folds into one
        factory call, else None (the legacy call is then rewritten on its own)."""
        assert isinstance(inner, cst.Call)
        if not isinstance(self.classify(inner), Shape):
            return None
        method = _attr_name(outer.func)
        if method == "zero_" and not outer.args:
            return "zeros"
        if (
            method == "fill_"
            and len(outer.args) == 1
            and outer.args[0].keyword is None
            and not outer.args[0].star
            and _is_number_literal(outer.args[0].value)
        ):
            return "full"
        return None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self.consumed:
            return updated_node
        merged = _device_inside(self, original_node, updated_node)
        if merged is not None:
            return merged
        if isinstance(original_node.func, cst.Attribute) and original_node.func.value in self.consumed:
            return self._fold(original_node, updated_node)
        is_legacy, dtype = self._legacy_dtype(original_node)
        if not is_legacy:
            star = self.table.star_import_of(original_node.func)
            if star and dotted_name(original_node.func) in LEGACY_TYPES:
                self.report(
                    original_node,
                    f"`torch` may come from `{star}`, which torchup does not follow: not rewritten "
                    "(add `import torch` and run torchup again)",
                )
            return updated_node
        plan = self.classify(updated_node)
        if isinstance(plan, str):
            self.report(original_node, plan)
            return updated_node
        if isinstance(plan, Shape):
            factory, args = "torch.empty", plan.args or [cst.Arg(cst.Integer("0"))]
            dtype_name = self._dtype(dtype, infers_from=None)
        else:
            # `torch.Tensor([0, 1])` -> `torch.tensor([0.0, 1.0])`: float literals infer the default dtype.
            value = (_as_float_literals(plan.value) if dtype is None else None) or plan.value
            factory, args = "torch.tensor", [cst.Arg(value)]
            dtype_name = self._dtype(dtype, infers_from=value)
        return self._replace(original_node, updated_node, factory, args, dtype_name)

    def _fold(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        assert isinstance(original_node.func, cst.Attribute) and isinstance(updated_node.func, cst.Attribute)
        original_inner = original_node.func.value
        inner = updated_node.func.value
        assert isinstance(inner, cst.Call) and isinstance(original_inner, cst.Call)
        dtype = self._legacy_dtype(original_inner)[1]
        plan = self.classify(inner)
        assert isinstance(plan, Shape)
        shape_args = plan.args or [cst.Arg(cst.Integer("0"))]
        if self._fill_plan(original_node, original_inner) == "zeros":
            return self._replace(
                original_node, updated_node, "torch.zeros", shape_args, self._dtype(dtype, infers_from=None)
            )
        value = updated_node.args[0].value
        if dtype is None:  # `torch.Tensor(4).fill_(1)` -> `torch.full((4,), 1.0)`
            value = _as_float_literals(value) or value
        if len(plan.args) == 1 and self._is_size(plan.args[0].value):
            shape: cst.BaseExpression = plan.args[0].value
        else:
            shape = cst.Tuple([cst.Element(arg.value) for arg in shape_args])
        args = [cst.Arg(shape), cst.Arg(value)]
        return self._replace(original_node, updated_node, "torch.full", args, self._dtype(dtype, infers_from=value))

    def _replace(
        self,
        original_node: cst.Call,
        updated_node: cst.Call,
        factory: str,
        args: Sequence[cst.Arg],
        dtype_name: Optional[str],
    ) -> cst.BaseExpression:
        func = self.spell(factory)
        dtype_value = None if dtype_name is None else self.spell(dtype_name)
        if func is None or (dtype_name is not None and dtype_value is None):
            self.report(original_node, f"cannot spell `{factory}` here (`torch` is rebound): rewrite by hand")
            return updated_node
        new_args = [*args[:-1], _no_comma(args[-1])]
        if dtype_value is not None:
            if dtype_name == "torch.get_default_dtype":
                dtype_value = cst.Call(dtype_value)
            new_args.append(keyword_argument("dtype", dtype_value))
        new = cst.Call(func=func, args=new_args)
        message = f"`{_short(original_node)}` -> `{_short(new)}`"
        if original_node in self.placed:
            safety = Safety.SAFE  # `_device_inside` writes the device into the factory
        else:
            safety = Safety.UNSAFE
            message += (
                ": the factory follows `with torch.device(...)` and `torch.set_default_device`, "
                "the legacy constructor always built on the CPU"
            )
        if self.allows(safety):
            self._drop_unused_import(original_node)
        return self.fix(original_node, new, message, safety=safety, keep=updated_node)

    def _drop_unused_import(self, call: cst.Call) -> None:
        legacy = call
        while isinstance(legacy.func, cst.Attribute) and isinstance(legacy.func.value, cst.Call):
            legacy = legacy.func.value  # the legacy call under `.zero_()` / `.fill_()`
        if isinstance(legacy.func, cst.Name):
            qualified = self.table.qualified_name(legacy.func)
            if qualified is not None:
                module, _, obj = qualified.rpartition(".")
                asname = legacy.func.value if legacy.func.value != obj else None
                RemoveImportsVisitor.remove_unused_import(self.context, module, obj, asname)


def _attr_name(node: cst.BaseExpression) -> Optional[str]:
    """The attribute name of ``x.name``, else None."""
    return node.attr.value if isinstance(node, cst.Attribute) else None


def _short(node: cst.CSTNode, limit: int = 60) -> str:
    code = node_code(node)
    return code if len(code) <= limit else code[: limit - 3] + "..."
