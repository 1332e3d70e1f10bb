"""TU403 renamed_functions: deprecated torch functions -> their current names.

What it does
    Renames calls to deprecated functions, resolving every spelling through the file's imports:

    - `nn.init.xavier_uniform(w)` and every init function without the trailing underscore
      (`uniform`, `normal`, `constant`, `eye`, `dirac`, `xavier_*`, `kaiming_*`, `orthogonal`,
      `sparse`) -> the `_` form;
    - `clip_grad_norm(...)` -> `clip_grad_norm_(...)`;
    - `F.upsample(...)` -> `F.interpolate(...)`; `F.upsample_nearest(x, s)` ->
      `F.interpolate(x, s, mode="nearest")`; `F.upsample_bilinear(x, s)` ->
      `F.interpolate(x, s, mode="bilinear", align_corners=True)`;
    - `torch.range(a, b)` -> `torch.arange(a, b + 1, dtype=torch.get_default_dtype())`;
    - `F.grid_sample(x, grid)` / `F.affine_grid(theta, size)` keep their name but get the
      `align_corners=True` they had before PyTorch 1.3;
    - `transforms.Scale(...)` -> `transforms.Resize(...)` (torchvision);
    - reports `torch.arange(...)` whose arguments are all clearly integers (literals, `len(...)`,
      `x.size(k)`, `x.shape[k]`, names that count such as `num_classes` or `batch_size`, and
      arithmetic on those) in a file of the torch < 1.0 era (`torchup.analysis.legacy_era`): in
      0.3 it returned the default float dtype, since 0.4 int64 (`torch.dot(indices, probs)` then
      raises). Not when the dtype is settled: `dtype=`/`device=`/`out=` given, a cast right after
      (also after shape methods: `.unsqueeze(0).long()`), an index `x[torch.arange(n)]`, or
      `t.copy_(torch.arange(n))`. A finding, not an edit: code written for 0.4 wants the int64.

    A name imported directly (`from torch.nn.init import xavier_uniform`) is replaced by an import
    of the new name, and the old import is dropped once unused.
    `nn`, `F`, `init` and `torch` are also followed through `from utils import *` of the run's own
    files (ShangtongZhang/DeepRL's `from .network_utils import *`, then `nn.init.uniform(...)`),
    as TU101 follows `Variable`: the name is torch's when the last star-imported file that binds it
    imports it from torch and none declares `__all__` or star-imports in turn.

Why
    These names are deprecated or gone. Checked on torch 2.13 with `-W always`: the init functions
    without `_`, `clip_grad_norm`, `F.upsample*` and `torch.range` warn at every call (`torch.range`
    because, unlike Python's `range`, it includes its end); `F.grid_sample`/`F.affine_grid` without
    `align_corners` warn that their default changed (in 1.3); `transforms.Scale` is gone from
    current torchvision.
    `F.sigmoid`/`F.tanh` are not rewritten: torch 2.13 neither warns for them nor documents them
    as deprecated, so renaming them would be churn on modern code.

Before
    nn.init.xavier_uniform(self.fc.weight)
    up = F.upsample(x, scale_factor=2, mode="bilinear")
    steps = torch.range(1, 10)

After
    nn.init.xavier_uniform_(self.fc.weight)
    up = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)
    steps = torch.arange(1, 11, dtype=torch.get_default_dtype())

Fix safety
    The renames are safe: the old functions call the new ones with the same arguments, and
    `F.upsample_nearest`/`F.upsample_bilinear` pass exactly the mode (and `align_corners=True`)
    written out here. `torch.range` returns the default float dtype even for integer bounds, so
    the dtype is written out (not with `out=`: both then take the dtype of `out`, and a dtype
    argument that differs from it raises); with integer-literal bounds and step the rewrite is
    exact (safe).
    With other bounds it is exact only when they are integers (`torch.range(0.5, 3.2)` has 3
    elements, `torch.arange(0.5, 4.2)` has 4): unsafe. `Resize` is `Scale` renamed; for the PIL
    images `Scale` accepted, it resizes the same way.

    `F.upsample` with a linear mode (`linear`, `bilinear`, `trilinear`) and no `align_corners`
    is unsafe: before PyTorch 0.4.0 it aligned corners, since then it does not (silently today).
    The fix writes `align_corners=True`, the behaviour the legacy code was written and trained
    with; the outputs then differ from running the unmigrated file on current torch. Without
    `--unsafe-fixes` the call is reported and left as it is. `F.grid_sample` and `F.affine_grid`
    without `align_corners` are unsafe for the same reason: they aligned corners up to PyTorch
    1.2 (every mode; today's default, False, came with a warning in 1.3).

Limitations
    The first pass reads a file for its star imports only when it defines a class or names
    `Variable`/`volatile` (so does the file star-imported). Only calls are renamed; a deprecated function passed as a value (`init_fn = nn.init.normal`)
    is left. `torch.range` with float bounds or step, or a step that is not a literal, is
    reported. `F.upsample` with a mode that is not a literal and no `align_corners` is reported.
    `F.grid_sample(x, g, **kwargs)` is left alone: the keywords may hold `align_corners`.
    `nn.Upsample` modules are not changed, although a linear mode without `align_corners` changed
    meaning the same way as `F.upsample`. `Scale(size, interpolation)` keeps its interpolation
    argument as written; recent torchvision prefers an `InterpolationMode` to a PIL constant.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.star_names import with_star_names
from torchup.analysis.tensor_exprs import keyword_argument
from torchup.analysis.tree_screen import calls_any_of
from torchup.analysis.legacy_era import LEGACY_ERA, file_as_read_shows_legacy_era
from torchup.codemod import ORIGINAL_KEY, Codemod, Safety, node_code
from torchup.codemods.variable import parent_of

_INITS = (
    "uniform",
    "normal",
    "constant",
    "eye",
    "dirac",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "orthogonal",
    "sparse",
)
# Renames that keep every argument as it is.
RENAMES: Dict[str, str] = {
    **{f"torch.nn.init.{name}": f"torch.nn.init.{name}_" for name in _INITS},
    "torch.nn.utils.clip_grad_norm": "torch.nn.utils.clip_grad_norm_",
    "torch.nn.utils.clip_grad.clip_grad_norm": "torch.nn.utils.clip_grad.clip_grad_norm_",
    "torchvision.transforms.Scale": "torchvision.transforms.Resize",
    "torchvision.transforms.transforms.Scale": "torchvision.transforms.transforms.Resize",
}
INTERPOLATE = "torch.nn.functional.interpolate"
UPSAMPLE = "torch.nn.functional.upsample"
# The deprecated wrappers and the arguments they add to `interpolate` (after input, size, scale_factor).
UPSAMPLE_WRAPPERS: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "torch.nn.functional.upsample_nearest": (("mode", '"nearest"'),),
    "torch.nn.functional.upsample_bilinear": (("mode", '"bilinear"'), ("align_corners", "True")),
}
_UPSAMPLE_PARAMS = ("input", "size", "scale_factor", "mode", "align_corners")
_LINEAR_MODES = ("linear", "bilinear", "trilinear")
_RANGE_PARAMS = ("start", "end", "step")
# Sampling functions whose align_corners default changed in 1.3, by their parameters up to it.
GRID_SAMPLING: Dict[str, Tuple[str, ...]] = {
    "torch.nn.functional.grid_sample": ("input", "grid", "mode", "padding_mode", "align_corners"),
    "torch.nn.functional.affine_grid": ("theta", "size", "align_corners"),
}
# The module aliases a file may take from `from utils import *` (the run's first pass resolves them).
STAR_MODULES = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "init": "torch.nn.init"}
# `torch.arange`'s 0.3 signature: any other keyword (`dtype=`, `device=`) is code written for >= 0.4.
_ARANGE_PARAMS = ("start", "end", "step", "out")
# Methods that fix the dtype of what they are called on (`torch.arange(n).float()`).
_CASTS = frozenset({"float", "double", "half", "long", "int", "short", "byte", "bool", "type", "type_as", "to"})
# Methods that keep the dtype: a cast after them fixes the arange's dtype as well.
_SHAPE_METHODS = frozenset(
    {"unsqueeze", "squeeze", "view", "reshape", "expand", "repeat", "contiguous", "t", "transpose", "permute", "cpu", "cuda"}
)
# Methods whose result is an int, on a tensor and on the other objects legacy code calls them on.
_INT_METHODS = frozenset({"numel", "nelement", "dim", "ndimension"})
# Names that count things: `num_classes`, `batch_size`, `seq_len`, `n`.
_COUNT_NAME = re.compile(r"(?:n|num|count|length|size)|(?:n|num|number_of)_\w+|\w+_(?:size|len|length|count|num)")
_INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo)
# Expressions that need no parentheses before `+ 1`.
_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer)


def _append(args: List[cst.Arg], extra: List[cst.Arg]) -> List[cst.Arg]:
    """``args`` followed by ``extra``, the original trailing comma (if any) moved to the end."""
    if not extra:
        return args
    if not args:
        return extra
    trailing = args[-1].comma
    return [
        *args[:-1],
        args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT),
        *extra[:-1],
        extra[-1].with_changes(comma=trailing),
    ]


def _parameters(args: List[cst.Arg], params: Tuple[str, ...]) -> Optional[Dict[str, cst.Arg]]:
    """Which argument fills which parameter; None when a `*args`/`**kwargs` hides it."""
    if any(arg.star for arg in args):
        return None
    filled: Dict[str, cst.Arg] = {}
    for index, arg in enumerate(args):
        if arg.keyword is not None:
            filled[arg.keyword.value] = arg
        elif index < len(params):
            filled[params[index]] = arg
    return filled


def _int_literal(node: cst.BaseExpression) -> Optional[int]:
    sign = 1
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        sign, node = -1, node.expression
    if isinstance(node, cst.Integer):
        return sign * int(node.value.replace("_", ""), 0)
    return None


def _clearly_int(node: cst.BaseExpression) -> bool:
    """An int whatever the program does: a literal, ``len(...)``, ``x.size(k)``, ``x.shape[k]``,
    ``x.numel()``, a name that counts (``num_classes``, ``batch_size``), arithmetic on those."""
    if _int_literal(node) is not None:
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        return _clearly_int(node.expression)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, _INT_OPERATORS):
        return _clearly_int(node.left) and _clearly_int(node.right)
    if isinstance(node, (cst.Name, cst.Attribute)):
        name = node.value if isinstance(node, cst.Name) else node.attr.value
        return _COUNT_NAME.fullmatch(name) is not None
    if isinstance(node, cst.Subscript):
        return (
            isinstance(node.value, cst.Attribute)
            and node.value.attr.value == "shape"
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
        )
    if isinstance(node, cst.Call):
        if isinstance(node.func, cst.Name):
            return node.func.value == "len"
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            return (method == "size" and len(node.args) == 1) or (method in _INT_METHODS and not node.args)
    return False


def _has_float_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation):
        node = node.expression
    return isinstance(node, (cst.Float, cst.Imaginary))


class RenamedFunctions(Codemod):
    CODE = "TU403"
    NAME = "renamed_functions"
    SUMMARY = "deprecated functions -> current ones: `nn.init.xavier_uniform`, `clip_grad_norm`, `F.upsample`, `torch.range`, ..."
    SAFETY = "mixed"
    USES_MODULE_INDEX = True  # `nn` taken from a star import of the run's files
    MARKERS = ("init", "clip_grad_norm", "upsample", "range", "Scale", "grid")
    # Superset of the calls rewritten or reported: the callee resolves through the import table to
    # `<parent>.<leaf>` of RENAMES / UPSAMPLE_WRAPPERS / UPSAMPLE / torch.range / GRID_SAMPLING, so
    # the text holds, for one such pair, `<parent's last segment>.<leaf>(` (`nn.init.normal(`,
    # `nn.functional.upsample(`, `torch.range(`), or `<X>.<leaf>(` with an alias bound by
    # `<segment> as X` (`import torch.nn.init as I` ... `I.normal(`; either order), or the leaf
    # in an import statement (`from torch.nn.init import normal as n`, also parenthesised or
    # continued lines). Whitespace, `\` and `)` may sit between the parts (`(F.upsample)(x)`).
    # Modern `F.tanh(x)`, `x.normal_()`, `range(n)`, `torch.nn.init.normal_(w)` do not match.
    _LEAVES: Dict[str, List[str]] = {}
    for _qualified in (*RENAMES, *UPSAMPLE_WRAPPERS, UPSAMPLE, "torch.range", *GRID_SAMPLING):
        _parent, _leaf = _qualified.rsplit(".", 2)[-2:]
        _LEAVES.setdefault(_parent, []).append(_leaf)
    _CALLS = {
        parent: r"[\s\\)]*\.[\s\\]*(?:%s)\b[\s\\)]*\(" % "|".join(leaves) for parent, leaves in _LEAVES.items()
    }
    _ALL = "|".join(leaf for leaves in _LEAVES.values() for leaf in leaves)
    PATTERN = (
        "|".join(
            [
                *(
                    alternative
                    for index, (parent, call) in enumerate(sorted(_CALLS.items()))
                    for alternative in (
                        rf"\b{parent}{call}",
                        rf"\b{parent}[\s\\]+as[\s\\]+(?P<a{index}>\w+)\b[\s\S]*\b(?P=a{index}){call}",
                    )
                ),
                # The alias used before its import, for any parent (one alternative: it is tried
                # at every word).
                rf"\b(?P<b>\w+)[\s\\)]*\.[\s\\]*(?:{_ALL})\b[\s\\)]*\([\s\S]*"
                + rf"\b(?:{'|'.join(_LEAVES)})[\s\\]+as[\s\\]+(?P=b)\b",
                # `torch.arange` is reported only in a file of the torch < 1.0 era (any spelling
                # holds the word; modern `torch.arange(3)` alone does not match).
                rf"\A(?=[\s\S]*?\barange\b)(?=[\s\S]*?(?:{LEGACY_ERA.pattern}))",
                rf"\bimport\b(?:[^\S\n]|\\\r?\n|[\w.,])*?\b(?:{_ALL})\b",
                rf"\bimport(?:[^\S\n]|\\\r?\n)*\((?:[\w\s.,\\]|#[^\n]*)*?\b(?:{_ALL})\b",
            ]
        )
    )
    del _qualified, _parent, _leaf, _LEAVES, _CALLS, _ALL
    # Every call it rewrites or reports has one of these callees (resolved through the imports).
    TREE_SCREEN = staticmethod(
        calls_any_of(
            frozenset((*RENAMES, *UPSAMPLE_WRAPPERS, UPSAMPLE, "torch.range", "torch.arange", *GRID_SAMPLING)),
            STAR_MODULES,
        )
    )

    def visit_Module(self, node: cst.Module) -> None:
        # `from .network_utils import *` of a run file that imports `torch.nn as nn`: the first pass knows
        self.table: ImportTable = with_star_names(
            import_table(node), self.repo_facts, self.context.filename, STAR_MODULES
        )
        self.read_module = node
        self.legacy_era: Optional[bool] = None  # asked when an arange first needs it

    def _shows_legacy_era(self) -> bool:
        """`torch.arange(n)` is int64 on purpose in code written for torch >= 0.4: only a file that
        shows the torch < 1.0 era as it was read (`Variable(`, `volatile=`, `x.data[0]`, ...) is asked."""
        if self.legacy_era is None:
            self.legacy_era = file_as_read_shows_legacy_era(self.read_module, self.context.scratch.get(ORIGINAL_KEY))
        return self.legacy_era

    # -- spelling ---------------------------------------------------------------------------

    def spell(self, qualified: str) -> Optional[cst.BaseExpression]:
        """``qualified`` as this file can write it, importing its top module if needed."""
        spelled = self.table.spelling(qualified)
        if spelled is None:
            top = qualified.split(".", 1)[0]
            if self.table.is_rebound(top) or self.table.aliases.get(top, top) != top:
                return None
            AddImportsVisitor.add_needed_import(self.context, top)
            spelled = qualified
        return cst.parse_expression(spelled)

    def renamed(self, func: cst.BaseExpression, old: str, new: str) -> Optional[cst.BaseExpression]:
        """The callee ``func`` (which refers to ``old``) rewritten to refer to ``new``."""
        old_parent, _, old_leaf = old.rpartition(".")
        new_parent, _, new_leaf = new.rpartition(".")
        if isinstance(func, cst.Attribute) and old_parent == new_parent:
            return func.with_changes(attr=cst.Name(new_leaf))  # keep the file's spelling of the module
        if isinstance(func, cst.Name):
            asname = func.value if func.value != old_leaf else None
            RemoveImportsVisitor.remove_unused_import(self.context, old_parent, old_leaf, asname)
            if old_parent == new_parent:
                # `from torch.nn.init import xavier_uniform` -> import `xavier_uniform_` beside it.
                if self.table.is_rebound(new_leaf) or self.table.aliases.get(new_leaf, new) != new:
                    return None
                AddImportsVisitor.add_needed_import(self.context, new_parent, new_leaf)
                return cst.Name(new_leaf)
        return self.spell(new)

    # -- the rewrites -----------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        qualified = self.table.qualified_name(original_node.func)
        if qualified is None:
            return updated_node
        if qualified in RENAMES:
            return self._rename(original_node, updated_node, RENAMES[qualified], [])
        if qualified in UPSAMPLE_WRAPPERS:
            return self._upsample_wrapper(original_node, updated_node, UPSAMPLE_WRAPPERS[qualified])
        if qualified == UPSAMPLE:
            return self._upsample(original_node, updated_node)
        if qualified == "torch.range":
            return self._range(original_node, updated_node)
        if qualified in GRID_SAMPLING:
            return self._grid_sampling(original_node, updated_node, GRID_SAMPLING[qualified])
        if qualified == "torch.arange":
            self._arange(original_node)
        return updated_node

    def _rename(
        self,
        original_node: cst.Call,
        updated_node: cst.Call,
        new: str,
        extra: List[cst.Arg],
        *,
        safety: Safety = Safety.SAFE,
        why: str = "",
    ) -> cst.BaseExpression:
        old = self.table.qualified_name(original_node.func)
        assert old is not None
        func = self.renamed(updated_node.func, old, new)
        if func is None:
            self.report(original_node, f"`{old}` is deprecated; `{new}` cannot be spelled here (a name is rebound)")
            return updated_node
        new_call = updated_node.with_changes(func=func, args=_append(list(updated_node.args), extra))
        added = "".join(f", {node_code(arg)}" for arg in extra)
        message = f"`{node_code(original_node.func)}(...)` -> `{node_code(func)}(...{added})`{why}"
        return self.fix(original_node, new_call, message, safety=safety)

    def _upsample_wrapper(
        self, original_node: cst.Call, updated_node: cst.Call, adds: Tuple[Tuple[str, str], ...]
    ) -> cst.BaseExpression:
        if any(arg.star for arg in updated_node.args) or len(updated_node.args) > 3:
            self.report(
                original_node, "deprecated upsampling wrapper with unexpected arguments: use `F.interpolate` by hand"
            )
            return updated_node
        extra = [keyword_argument(name, cst.parse_expression(value)) for name, value in adds]
        return self._rename(original_node, updated_node, INTERPOLATE, extra)

    def _upsample(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        filled = _parameters(list(updated_node.args), _UPSAMPLE_PARAMS)
        if filled is None:
            self.report(original_node, "`F.upsample` with `*args`/`**kwargs`: use `F.interpolate` by hand")
            return updated_node
        mode = filled.get("mode")
        if mode is None or "align_corners" in filled:
            return self._rename(original_node, updated_node, INTERPOLATE, [])
        if not isinstance(mode.value, cst.SimpleString):
            self.report(
                original_node,
                f"`F.upsample` with mode `{node_code(mode.value)}`: a linear mode aligned corners before "
                "PyTorch 0.4.0 and no longer does; use `F.interpolate` with an explicit `align_corners=`",
            )
            return updated_node
        if mode.value.evaluated_value not in _LINEAR_MODES:
            return self._rename(original_node, updated_node, INTERPOLATE, [])
        return self._rename(
            original_node,
            updated_node,
            INTERPOLATE,
            [keyword_argument("align_corners", cst.Name("True"))],
            safety=Safety.UNSAFE,
            why=": the corner alignment of PyTorch < 0.4 this code was written for "
            "(current torch's `F.upsample` uses align_corners=False here)",
        )

    def _grid_sampling(
        self, original_node: cst.Call, updated_node: cst.Call, params: Tuple[str, ...]
    ) -> cst.BaseExpression:
        name = node_code(original_node.func)
        if any(arg.star == "**" for arg in updated_node.args):
            return updated_node  # `**kwargs` may carry `align_corners` (a wrapper passing it on)
        filled = _parameters(list(updated_node.args), params)
        if filled is None:
            self.report(
                original_node,
                f"`{name}` with `*args`/`**kwargs`: it aligned corners before PyTorch 1.3 and no longer "
                "does; pass `align_corners=` explicitly",
            )
            return updated_node
        if "align_corners" in filled:
            return updated_node
        new_call = updated_node.with_changes(
            args=_append(list(updated_node.args), [keyword_argument("align_corners", cst.Name("True"))])
        )
        message = (
            f"`{name}(...)` -> `{name}(..., align_corners=True)`: the corner alignment of PyTorch < 1.3 "
            "this code was written for (current torch uses align_corners=False)"
        )
        return self.fix(original_node, new_call, message, safety=Safety.UNSAFE)

    def _arange(self, call: cst.Call) -> None:
        """Reports ``torch.arange(<ints>)`` of 0.3 code whose dtype nothing fixes: in 0.3 it was
        the default float dtype, since 0.4 int64. Not an edit: code written for 0.4 wants int64."""
        filled = _parameters(list(call.args), _ARANGE_PARAMS)
        if filled is None or set(filled) - {"start", "end", "step"} or not filled:
            return  # `dtype=`, `device=` (>= 0.4 code), `out=` (its dtype), `*args`
        if not all(_clearly_int(arg.value) for arg in filled.values()):
            return
        if not self._shows_legacy_era():
            return
        if self._dtype_fixed_later(call):
            return
        self.report(
            call,
            f"`{node_code(call)}` returns int64 since PyTorch 0.4; in 0.3 integer arguments still "
            "gave the default float dtype: where the values are used as floats (`torch.dot`/`mm` with "
            "a float tensor, in-place float arithmetic, `.mean()`, `.numpy()`), write "
            "`dtype=torch.get_default_dtype()`",
        )

    def _dtype_fixed_later(self, call: cst.Call) -> bool:
        """``torch.arange(n).unsqueeze(0).long()`` (a cast after shape-only methods),
        ``x[torch.arange(n)]`` (an index, which 0.3 took only as a LongTensor), ``t.copy_(torch.arange(n))``
        (converted to ``t``'s dtype): the dtype of the arange itself does not matter there."""
        node: cst.CSTNode = call
        parent = parent_of(self, node)
        while isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in _SHAPE_METHODS:
            node = parent_of(self, parent) or parent
            parent = parent_of(self, node)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return parent.attr.value in _CASTS
        if isinstance(parent, cst.Index):
            return True
        if isinstance(parent, cst.Arg):
            outer = parent_of(self, parent)
            return isinstance(outer, cst.Call) and isinstance(outer.func, cst.Attribute) and outer.func.attr.value == "copy_"
        return False

    def _range(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        args = list(updated_node.args)
        filled = _parameters(args, _RANGE_PARAMS)
        if filled is None or "end" not in filled or "start" not in filled:
            self.report(
                original_node,
                "`torch.range` with unusual arguments: rewrite with `torch.arange` (end excluded) by hand",
            )
            return updated_node
        step_arg = filled.get("step")
        step = 1 if step_arg is None else _int_literal(step_arg.value)
        bounds = [filled["start"].value, filled["end"].value]
        if not step or any(_has_float_literal(bound) for bound in bounds):
            self.report(
                original_node,
                "`torch.range` with float or unknown step or bounds: `torch.arange` excludes its end and "
                "counts elements differently; rewrite by hand (e.g. `torch.linspace`)",
            )
            return updated_node
        end = filled["end"].value
        end_value = _int_literal(end)
        offset = 1 if step > 0 else -1
        if end_value is not None and _int_literal(filled["start"].value) is not None:
            new_end: cst.BaseExpression = cst.parse_expression(str(end_value + offset))
            safety = Safety.SAFE
        elif (
            offset > 0
            and isinstance(end, cst.BinaryOperation)
            and isinstance(end.operator, cst.Subtract)
            and _int_literal(end.right) == 1
        ):
            new_end = end.left  # the common `torch.range(0, n - 1)`: `torch.arange(0, n)`
            safety = Safety.UNSAFE
        else:
            end_code = node_code(end) if isinstance(end, _ATOMS) else f"({node_code(end)})"
            new_end = cst.parse_expression(f"{end_code} {'+' if offset > 0 else '-'} 1")
            safety = Safety.UNSAFE
        new_args = [arg.with_changes(value=new_end) if arg is filled["end"] else arg for arg in args]
        extra: List[cst.Arg] = []
        # With `out=`, `torch.range` (and `torch.arange`) take the dtype of `out`: an added dtype
        # that differs from it raises ("dtype Float does not match dtype of out parameter").
        if "dtype" not in filled and "out" not in filled:
            get_default = self.spell("torch.get_default_dtype")
            if get_default is None:
                self.report(original_node, "`torch.range` is deprecated; `torch` cannot be spelled here")
                return updated_node
            extra.append(keyword_argument("dtype", cst.Call(get_default)))
        func = self.renamed(updated_node.func, "torch.range", "torch.arange")
        if func is None:
            self.report(original_node, "`torch.range` is deprecated; `torch.arange` cannot be spelled here")
            return updated_node
        new_call = updated_node.with_changes(func=func, args=_append(new_args, extra))
        message = f"`{node_code(original_node)}` -> `{node_code(new_call)}` (torch.range includes its end)"
        if safety is Safety.UNSAFE:
            message += "; exact only when the bounds are integers"
        return self.fix(original_node, new_call, message, safety=safety)
