"""TU101 variable: unwrap ``Variable(...)``; every tensor is a Variable since PyTorch 0.4.

What it does
    Removes ``torch.autograd.Variable`` wrappers, however the file spells the name
    (``Variable``, ``autograd.Variable``, ``torch.autograd.Variable``, or ``V`` after
    ``from torch.autograd import Variable as V``):

    - ``Variable(x)`` -> ``x``, parenthesised where the call protected precedence
      (``Variable(a + b).sum()`` -> ``(a + b).sum()``);
    - ``Variable(x.data)`` -> ``x.detach()`` (``Variable(self.data)``, an object's field, -> ``self.data``);
    - ``Variable(x, requires_grad=True)`` -> ``x.detach().requires_grad_()``, or
      ``x.requires_grad_()`` when ``x`` is a fresh factory call (``torch.zeros(3)``,
      ``torch.randn(2, 3).cuda()``); ``requires_grad=False`` is dropped and
      ``requires_grad=flag`` becomes ``.requires_grad_(flag)``;
    - ``isinstance(h, Variable)`` -> ``isinstance(h, torch.Tensor)`` and
      ``type(h) == Variable`` -> ``type(h) == torch.Tensor`` (``import torch`` is added when
      the file lacks it);
    - ``x = Variable(x)`` unwraps to ``x = x``, which does nothing: the line is dropped (not in
      a class body, and not when it carries a comment);
    - the ``from torch.autograd import Variable`` import is dropped once nothing uses it.

    A call with ``volatile=`` is TU102's and is left alone here. An argument that goes to a new
    line outside brackets of its own (``Variable(a +\n b)``) keeps parentheses.

    The reinforcement-learning tutorials' wrapper, a module-level
    ``Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs).cuda() if USE_CUDA
    else autograd.Variable(*args, **kwargs)`` (or always ``.cuda()``, or no move at all), is
    torch's Variable plus a device move: the definition becomes
    ``device = torch.device("cuda" if USE_CUDA else "cpu")`` (deleted when it moves nothing) and
    every call is unwrapped as above, then ``.to(device)``; a volatile call becomes torch's
    ``autograd.Variable(x, volatile=True).to(device)``, whose flag TU102 migrates. All of the
    wrapper's calls migrate or none: a use that is not a readable call (``map(Variable, xs)``,
    ``Variable(*args)``), another binding of the name, or a file that already uses the name
    ``device`` is reported on the definition, with its line.

    Any other ``Variable`` that the file binds itself (a ``def``, another lambda, an
    assignment) is not torch's: its calls are reported, not rewritten; so are calls this codemod
    cannot read (``Variable()``, ``Variable(*args)``, unknown keywords) and uses of ``Variable``
    as a value (``map(Variable, xs)``).

Why
    PyTorch 0.4 merged ``Variable`` into ``Tensor``. ``Variable(x)`` still runs but only
    returns a detached alias of ``x``; the wrapper is noise that hides which values really
    need gradients, and ``type(h) == Variable`` is always false on a modern tensor.

Before
    import torch
    from torch.autograd import Variable

    def step(images, labels, h):
        inputs = Variable(images.cuda())
        hidden = Variable(torch.zeros(2, 8), requires_grad=True)
        target = Variable(labels.data)
        h = Variable(h)
        if isinstance(inputs, Variable):
            return model(inputs, h)

After
    import torch

    def step(images, labels, h):
        inputs = images.cuda()
        hidden = torch.zeros(2, 8).requires_grad_()
        target = labels.detach()
        if isinstance(inputs, torch.Tensor):
            return model(inputs, h)

Fix safety
    ``Variable(t)`` returns ``t.detach()`` (measured on torch 2.13: same storage, no grad).
    Unwrapping it to ``t`` is exact whenever ``t`` does not require grad, which is always so
    in 0.3 code: a 0.3 tensor could not require grad, and ``Variable(variable)`` raised. So the
    unwrap is safe. ``Variable(t, requires_grad=True)`` equals ``t.detach().requires_grad_()``
    exactly, and a fresh factory result is already a detached leaf, so ``.requires_grad_()``
    alone is exact there. ``Variable(x.data)`` and ``x.detach()`` hold the same values in the
    same storage; the only difference is that ``x.detach()`` shares ``x``'s version counter,
    so an in-place edit of the result followed by a backward through ``x`` now raises instead
    of silently computing wrong gradients. ``isinstance(h, Variable)`` is
    ``isinstance(h, torch.Tensor)`` on every torch since 0.4 (``Variable``'s metaclass says
    so): safe. ``type(h) == Variable`` is unsafe: on modern torch it is always false, and the
    rewrite makes it true for plain tensors, which restores what the 0.3 code meant but
    changes what the code does today. Any edit that would drop a comment inside the call is
    unsafe. The wrapper's migration is safe when it always moves to the GPU (``.cuda()`` and
    ``.to(torch.device("cuda"))`` are the same move) or never moves; a conditional move is
    unsafe: ``device`` is read once, where the lambda read its condition at each call, and on a
    CPU run ``.to(device)`` also moves a tensor that is on another device (the GPU, ``meta``),
    which the wrapper left where it was.

Limitations
    Code written for 0.4+ that used ``Variable(t)`` on a tensor that requires grad, to detach
    it, loses the detach; such code is rare (``.detach()`` existed since 0.3) and not detected.
    ``v = Variable(t); v.requires_grad = True`` now marks ``t`` itself, since no new object is
    made. Names are resolved through the file's imports, and through ``from utils import *`` of
    files of the run (the first pass reads what they import: ``Variable`` is torch's when the
    last of them that binds it imports it from torch, none declares ``__all__`` or star-imports
    in turn, and the file imports no library with ``*``); a ``Variable`` that may come from
    ``from mylib import *`` (the file binds it nowhere else) is a finding naming the star import,
    not rewritten; a ``Variable`` the file binds anywhere
    (even in another function) makes every call of that name a finding, except the device
    wrapper above; a wrapper written as a ``def`` or imported from another file is not
    recognised. Private attributes of the class (``Variable._execution_engine``) are left alone
    without a finding: they are still torch's own internals, with nothing to migrate to.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from typing import List, Optional, Sequence, Set, Union

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from torchup.analysis.star_names import with_star_names
from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.tree_screen import names_variable
from torchup.analysis.variable_wrapper import VARIABLE, VariableWrapper, variable_wrapper
from torchup.analysis.walk import ParentProvider, find_all
from torchup.codemod import Codemod, Safety

# torch functions that return a new leaf tensor that does not require grad (not `as_tensor`:
# given a tensor it returns that very object).
FACTORIES = frozenset(
    {
        "arange", "empty", "empty_like", "eye", "from_numpy", "full", "full_like",
        "linspace", "logspace", "normal", "ones", "ones_like", "rand", "rand_like", "randint",
        "randn", "randn_like", "randperm", "range", "tensor", "zeros", "zeros_like",
        "Tensor", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
        "ShortTensor", "ByteTensor", "CharTensor",
    }
)  # fmt: skip
# Methods that keep a fresh tensor a leaf that does not require grad.
CONVERSIONS = frozenset({"cuda", "cpu", "to", "type", "float", "double", "half", "long", "int", "contiguous"})

# Expressions that never need parentheses as an operand or an attribute's base.
_ATOMS = (
    cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.SimpleString, cst.ConcatenatedString,
    cst.FormattedString, cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp,
    cst.Ellipsis,
)  # fmt: skip
# Places where any expression but a walrus stands without parentheses.
_LOOSE_PARENTS = (
    cst.Arg, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr, cst.Element,
    cst.DictElement, cst.Index,
)  # fmt: skip


@dataclass(frozen=True)
class Unwrapped:
    """What replaces a ``Variable(...)`` call."""

    expr: cst.BaseExpression
    message: str
    safety: Safety


@dataclass(frozen=True)
class VariableArgs:
    """A ``Variable(...)`` call's arguments by their 0.3 names: ``Variable(data, requires_grad, volatile)``."""

    data: cst.BaseExpression
    requires_grad: Optional[cst.BaseExpression]
    volatile: Optional[cst.BaseExpression]


def variable_args(call: cst.Call) -> Union[VariableArgs, str]:
    """The call's arguments, or why they cannot be read."""
    names = ("data", "requires_grad", "volatile")
    found = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return "`Variable` called with `*`/`**` arguments"
        name = arg.keyword.value if arg.keyword is not None else (names[position] if position < 3 else None)
        if name not in names:
            return f"`Variable` called with an unknown argument `{name or 'positional'}`"
        if name in found:
            return f"`Variable` called with `{name}` twice"
        found[name] = arg.value
    if "data" not in found:
        return "`Variable` called without data"
    return VariableArgs(found["data"], found.get("requires_grad"), found.get("volatile"))


def parent_of(codemod: Codemod, node: cst.CSTNode) -> Optional[cst.CSTNode]:
    """The parent of an original node. Resolved on first use, so a file with nothing to rewrite
    never pays for the parent map."""
    wrapper = codemod.context.wrapper
    return None if wrapper is None else wrapper.resolve(ParentProvider).get(node)


def is_true(expr: Optional[cst.BaseExpression]) -> bool:
    return m.matches(expr, m.Name("True"))


def is_false(expr: Optional[cst.BaseExpression]) -> bool:
    return m.matches(expr, m.Name("False"))


def is_fresh_tensor(expr: cst.BaseExpression, table: ImportTable) -> bool:
    """True for ``torch.zeros(...)`` and friends, optionally followed by ``.cuda()``, ``.float()``..."""
    while m.matches(expr, m.Call(func=m.Attribute(attr=m.Name()))) and expr.func.attr.value in CONVERSIONS:
        expr = expr.func.value
    if not isinstance(expr, cst.Call):
        return False
    name = table.qualified_name(expr.func) or ""
    head, _, last = name.rpartition(".")
    return head in ("torch", "torch.cuda") and last in FACTORIES


def breaks_lines_bare(expr: cst.BaseExpression) -> bool:
    """True when ``expr``'s code goes to a new line outside any bracket of its own: inside
    ``Variable(...)`` the call's parentheses carried the line break (``Variable(a +\n b)``,
    ``Variable(x[0]\n .sum())``); written anywhere without them it does not parse."""
    code = cst.Module(body=[]).code_for_node(expr)
    if "\n" not in code:
        return False
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            elif token.type in (tokenize.NL, tokenize.NEWLINE) and depth == 0 and token.string:
                return True
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return True  # a line break that does not even tokenize alone: parenthesise
    return False


def is_atom(expr: cst.BaseExpression) -> bool:
    # A tuple or a generator expression is an atom only in its own parentheses: the sole
    # argument in `Variable(t for t in xs)` borrows the call's.
    if expr.lpar:
        return True
    return isinstance(expr, _ATOMS) and not breaks_lines_bare(expr)


def parenthesized(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.with_changes(lpar=[cst.LeftParen(), *expr.lpar], rpar=[*expr.rpar, cst.RightParen()])


def as_attribute_base(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``expr`` ready to take ``.method()``: ``a + b`` -> ``(a + b)``; ``1`` -> ``(1)``."""
    if is_atom(expr) or isinstance(expr, (cst.Float, cst.Imaginary)):
        return expr
    return parenthesized(expr)


def method_call(base: cst.BaseExpression, method: str, *args: cst.BaseExpression) -> cst.Call:
    return cst.Call(
        func=cst.Attribute(value=as_attribute_base(base), attr=cst.Name(method)),
        args=[cst.Arg(value=arg) for arg in args],
    )


def fit_into(
    call: cst.Call, replacement: cst.BaseExpression, parent: Optional[cst.CSTNode]
) -> cst.BaseExpression:
    """``replacement`` as it must be written where ``call`` stood, under ``parent``."""
    if call.lpar:
        return replacement.with_changes(
            lpar=[*call.lpar, *replacement.lpar], rpar=[*replacement.rpar, *call.rpar]
        )
    if is_atom(replacement):
        return replacement
    if breaks_lines_bare(replacement):
        return parenthesized(replacement)
    if isinstance(replacement, (cst.Integer, cst.Float, cst.Imaginary)) and not isinstance(
        parent, cst.Attribute
    ):
        return replacement
    if isinstance(parent, _LOOSE_PARENTS) and not isinstance(replacement, (cst.NamedExpr, cst.GeneratorExp)):
        return replacement
    return parenthesized(replacement)


def comment_count(node: Optional[cst.CSTNode]) -> int:
    return 0 if node is None else len(find_all(node, m.Comment()))


def unwrap_variable(
    call: cst.Call, args: VariableArgs, table: ImportTable, parent: Optional[cst.CSTNode]
) -> Unwrapped:
    """The expression that replaces ``Variable(data, requires_grad=...)`` (``volatile`` is the
    caller's business); the arguments that cannot be unwrapped were turned away by
    :func:`variable_args`."""
    data = args.data
    if m.matches(data, m.Attribute(value=~m.Name("self"), attr=m.Name("data"))) and not data.lpar:
        # Variable(x.data) is a detached alias of x: exactly what x.detach() is. `self.data` is a
        # field of an object (a dataset's tensor), not a tensor's `.data`: it stays as it is.
        detached: cst.BaseExpression = method_call(data.value, "detach")
        plain, message = detached, "`Variable(x.data)` -> `x.detach()`"
    else:
        detached = method_call(data, "detach")
        plain, message = data, "`Variable(x)` -> `x`"

    flag = args.requires_grad
    if flag is None or is_false(flag):
        replacement = plain
    else:
        flag_args = () if is_true(flag) else (flag,)
        if plain is data and is_fresh_tensor(data, table):
            replacement = method_call(data, "requires_grad_", *flag_args)
            message = "`Variable(x, requires_grad=...)` -> `x.requires_grad_(...)`"
        else:
            replacement = method_call(detached, "requires_grad_", *flag_args)
            message = "`Variable(x, requires_grad=...)` -> `x.detach().requires_grad_(...)`"

    kept = comment_count(data) + comment_count(flag if flag is not None and not is_true(flag) else None)
    if comment_count(call) > kept:
        return Unwrapped(
            fit_into(call, replacement, parent),
            f"{message}; a comment inside the call is lost",
            Safety.UNSAFE,
        )
    return Unwrapped(fit_into(call, replacement, parent), message, Safety.SAFE)


def _same_names(target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
    if target.lpar or value.lpar:
        return (
            isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and _same_elements(target, value)
        )
    if isinstance(target, cst.Name) and isinstance(value, cst.Name):
        return target.value == value.value
    return isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and _same_elements(target, value)


def _same_elements(target: cst.Tuple, value: cst.Tuple) -> bool:
    return len(target.elements) == len(value.elements) and all(
        not isinstance(t, cst.StarredElement)
        and not isinstance(v, cst.StarredElement)
        and _same_names(t.value, v.value)
        for t, v in zip(target.elements, value.elements)
    )


def _single_assignment(line: cst.CSTNode) -> bool:
    """``m.matches(line, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget()])]))``,
    asked of every statement line TU101 leaves (a tenth of its time went to the matcher)."""
    if type(line) is not cst.SimpleStatementLine or len(line.body) != 1:
        return False
    statement = line.body[0]
    return type(statement) is cst.Assign and len(statement.targets) == 1


def is_self_assignment(line: cst.CSTNode) -> bool:
    """``x = x`` or ``a, b = a, b`` alone on its line with no comment: what ``x = Variable(x)``
    unwraps to."""
    if not _single_assignment(line):
        return False
    statement = line.body[0]
    return (
        _same_names(statement.targets[0].target, statement.value)
        and line.trailing_whitespace.comment is None
        and not any(empty.comment for empty in line.leading_lines)
    )


def self_assignment_candidate(
    codemod: Codemod, original: cst.SimpleStatementLine, calls: Set[cst.CSTNode]
) -> bool:
    """True when ``original`` is ``x = <call>`` (or ``a, b = <call>, b``) with its values among
    ``calls`` or names, outside a class body: once they are unwrapped the line may do nothing (in a
    class body ``x = x`` copies a global into the class)."""
    if not _single_assignment(original):
        return False
    value = original.body[0].value
    values = [e.value for e in value.elements] if isinstance(value, cst.Tuple) else [value]
    if not any(v in calls for v in values) or not all(v in calls or isinstance(v, cst.Name) for v in values):
        return False
    block = parent_of(codemod, original)
    return not isinstance(parent_of(codemod, block), cst.ClassDef)


def without(body: Sequence[cst.BaseStatement], removable: Set[cst.CSTNode]) -> List[cst.BaseStatement]:
    """``body`` less the removable statements, unless that would leave nothing."""
    kept = [statement for statement in body if statement not in removable]
    return kept if kept else list(body)


def imports_torch(table: ImportTable) -> bool:
    return any(target == "torch" or target.startswith("torch.") for target in table.aliases.values())


def variable_lookalike(expr: cst.BaseExpression, table: ImportTable) -> bool:
    """A bare name that reads like torch's Variable but that this file binds itself."""
    if not isinstance(expr, cst.Name) or not table.is_rebound(expr.value):
        return False
    return expr.value == "Variable" or table.aliases.get(expr.value) in VARIABLE


def schedule_variable_import_removal(codemod: Codemod, table: ImportTable) -> None:
    """Drop ``from torch.autograd import Variable [as V]`` if nothing uses it any more."""
    for local, target in table.aliases.items():
        if target in VARIABLE:
            module, _, obj = target.rpartition(".")
            RemoveImportsVisitor.remove_unused_import(
                codemod.context, module, obj, None if local == obj else local
            )


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


class UnwrapVariable(Codemod):
    CODE = "TU101"
    NAME = "variable"
    SUMMARY = (
        "`Variable(x)` -> `x`, `Variable(x, requires_grad=True)` -> `x.detach().requires_grad_()`; "
        "a file's `Variable = lambda *a, **k: autograd.Variable(*a, **k).cuda() if USE_CUDA else ...` "
        "-> `device`, its calls -> `x.to(device)`"
    )
    SAFETY = "mixed"
    MARKERS = ("Variable",)
    USES_MODULE_INDEX = True  # a Variable taken from a star import of the run's files
    # Every reference the codemod resolves (or reports) is spelled one of: `<chain>.Variable`
    # (`torch.autograd.Variable`, `ag.Variable`, `import torch.autograd.Variable as V`); a bare name
    # bound by a from-import that lists `Variable` (aliased, parenthesised over lines with comments,
    # or continued with `\`: the import is where the word is); a bare `Variable(` call (a look-alike
    # the file binds itself). Not: "Variable-length" or "SavedVariable" in prose.
    PATTERN = (
        r"\.[\s\\]*Variable\b|\bVariable[\s\\)]*\("
        r"|\bimport\b(?:[^\n;#(]|\\\n)*?\bVariable\b|\bimport[\s\\]*\((?:[^)#]|#[^\n]*\n)*?\bVariable\b"
    )
    # The same in the code itself, not in its strings and comments.
    TREE_SCREEN = staticmethod(names_variable)

    def visit_Module(self, node: cst.Module) -> None:
        # `from utils import *` of a run file that imports torch's Variable: the first pass knows
        self.table = with_star_names(import_table(node), self.repo_facts, self.context.filename)
        self.rewrote = False
        # References to Variable that a rewrite below accounts for; any other one is reported.
        self.accounted: Set[cst.CSTNode] = set()
        # `x = x` lines left by unwrapping `x = Variable(x)`; their block drops them.
        self.removable: Set[cst.CSTNode] = set()
        self.unwrapped: Set[cst.CSTNode] = set()  # the calls unwrapped so far (original nodes)
        self._plan_wrapper(node)

    # -- the file's own `Variable = lambda *args, **kwargs: autograd.Variable(...).cuda()` ------

    def _plan_wrapper(self, module: cst.Module) -> None:
        """Decide, once for the file, whether its Variable wrapper and every call of it migrate:
        all or nothing, since the calls need the ``device`` the definition becomes."""
        self.wrapper: Optional[VariableWrapper] = None
        self.wrapper_calls: Set[cst.CSTNode] = set()
        found = variable_wrapper(module, self.table)
        if found is None:
            return
        calls = self._wrapper_calls(module, found)
        problem = calls if isinstance(calls, str) else None
        if problem is None and found.device is not None:
            problem = self._device_problem(module)
        if problem is not None:
            self.report(
                found.line,
                f"`{found.name}` is torch's Variable plus a device move, but {problem}: "
                "the wrapper and its calls are not migrated",
            )
            return
        reasons = [] if found.exact else [
            "on a CPU run `.to(device)` also moves a tensor that is already on another device "
            "(the GPU, `meta`), which the wrapper left where it was"
        ]
        for call in calls:
            args = variable_args(call)
            unwrapped = unwrap_variable(call, args, self.table, parent_of(self, call))
            if unwrapped.safety is Safety.UNSAFE:
                reasons.append("a comment inside a call is lost")
        self.wrapper = found
        self.wrapper_calls = calls
        self.wrapper_safety = Safety.UNSAFE if reasons else Safety.SAFE
        self.wrapper_reasons = "; ".join(dict.fromkeys(reasons))
        if self.allows(self.wrapper_safety) and found.device is not None:
            if self.table.spelling("torch.device") is None:
                AddImportsVisitor.add_needed_import(self.context, "torch")

    def _wrapper_calls(self, module: cst.Module, wrapper: VariableWrapper) -> Union[Set[cst.CSTNode], str]:
        """Every call of the wrapper, or why some use of its name is not a readable call."""
        definition = wrapper.line.body[0].targets[0].target
        calls: Set[cst.CSTNode] = set()
        for name in find_all(module, m.Name(wrapper.name)):
            parent = parent_of(self, name)
            if name is definition or (
                isinstance(parent, (cst.Attribute, cst.Arg)) and name is not getattr(parent, "value", None)
            ):
                continue  # the definition itself, `obj.Variable`, `f(Variable=...)`
            line = self.position_of(name)[0]
            if isinstance(parent, cst.Call) and parent.func is name:
                args = variable_args(parent)
                if isinstance(args, str):
                    return f"line {line}: {args}"
                calls.add(parent)
                continue
            return f"line {line} uses `{wrapper.name}` otherwise than by calling it"
        return calls

    def _device_problem(self, module: cst.Module) -> Optional[str]:
        if self.table.spelling("torch.device") is None and self.table.is_rebound("torch"):
            return "`torch` is rebound in this file"
        for name in find_all(module, m.Name("device")):
            parent = parent_of(self, name)
            if isinstance(parent, (cst.Attribute, cst.Arg)) and name is not getattr(parent, "value", None):
                continue
            return f"the name `device` is already used (line {self.position_of(name)[0]})"
        return None

    def _device_definition(self, wrapper: VariableWrapper) -> cst.SimpleStatementLine:
        spelling = self.table.spelling("torch.device") or "torch.device"
        value = cst.Call(func=cst.parse_expression(spelling), args=[cst.Arg(wrapper.device.deep_clone())])
        assign = cst.Assign(targets=[cst.AssignTarget(cst.Name("device"))], value=value)
        return wrapper.line.with_changes(body=[assign])

    def _wrapper_message(self, message: str) -> str:
        return f"{message} ({self.wrapper_reasons})" if self.wrapper_reasons else message

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> Optional[bool]:
        if self.wrapper is not None and node is self.wrapper.line:
            return False  # the definition is rewritten whole, its torch Variable call with it
        return None

    def _migrate_wrapper_definition(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        wrapper = self.wrapper
        if wrapper.device is None:
            message = f"`{wrapper.name} = lambda ...` (torch's Variable, unchanged) deleted: its calls are unwrapped"
            self.fix(original.body[0], updated.body[0], message, safety=self.wrapper_safety)
            if self.allows(self.wrapper_safety):
                self.removable.add(updated)
                self.rewrote = True
            return updated
        device = cst.Module(body=[]).code_for_node(wrapper.device)
        message = self._wrapper_message(
            f"`{wrapper.name} = lambda ...` (torch's Variable moved to {device}) -> "
            f"`device = torch.device({device})`, its calls -> `x.to(device)`"
        )
        if self.allows(self.wrapper_safety):
            self.rewrote = True
        return self.fix(
            original.body[0], self._device_definition(wrapper), message, safety=self.wrapper_safety, keep=updated
        )

    def _wrapper_call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        wrapper = self.wrapper
        args = variable_args(updated)
        torch_call = updated.with_changes(func=wrapper.variable.deep_clone())
        name = wrapper.name
        if args.volatile is not None and not is_false(args.volatile):
            # The flag is TU102's: leave it torch's Variable, moved as the wrapper moved it.
            replacement: cst.BaseExpression = torch_call
            message = f"`{name}(x, volatile=...)` -> torch's `Variable(x, volatile=...)` (TU102 migrates the flag)"
        else:
            unwrapped = unwrap_variable(torch_call, args, self.table, parent_of(self, original))
            replacement, message = unwrapped.expr, f"`{name}(...)`, the file's wrapper: {unwrapped.message}"
        if wrapper.device is not None:
            replacement = method_call(replacement, "to", cst.Name("device"))
            message += ", then `.to(device)`"
            replacement = fit_into(original.with_changes(lpar=[], rpar=[]), replacement, parent_of(self, original))
            if original.lpar:
                replacement = replacement.with_changes(
                    lpar=[*original.lpar, *replacement.lpar], rpar=[*replacement.rpar, *original.rpar]
                )
        if self.allows(self.wrapper_safety):
            self.unwrapped.add(original)
        return self.fix(
            original, replacement, self._wrapper_message(message), safety=self.wrapper_safety, keep=updated
        )

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.rewrote:
            schedule_variable_import_removal(self, self.table)
        return updated_node.with_changes(body=without(updated_node.body, self.removable))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=without(updated_node.body, self.removable))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if self.wrapper is not None and original_node is self.wrapper.line:
            return self._migrate_wrapper_definition(original_node, updated_node)
        if is_self_assignment(updated_node) and self_assignment_candidate(
            self, original_node, self.unwrapped
        ):
            self.removable.add(updated_node)
        return updated_node

    def is_variable(self, expr: cst.CSTNode) -> bool:
        return self.table.refers_to(expr, *VARIABLE)

    # -- references that are neither calls nor type checks --------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self._report_value_use(node)

    def visit_Attribute(self, node: cst.Attribute) -> Optional[bool]:
        if self.is_variable(node):
            self._report_value_use(node)
            return False
        return None

    def _report_value_use(self, node: cst.BaseExpression) -> None:
        if node in self.accounted or not self.is_variable(node):
            return
        parent = parent_of(self, node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return  # `obj.Variable` on something else: the Attribute decides
        if isinstance(parent, cst.Attribute) and parent.value is node and _is_private(parent.attr.value):
            # `Variable._execution_engine`: torch's own private hook (autograd runs through it
            # today too); it has no public replacement and is not a legacy idiom.
            return
        self.report(
            node, "`Variable` used as a value: replace it by hand (tensors are Variables since PyTorch 0.4)"
        )

    # -- calls ------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        if self.is_variable(node.func):
            self.accounted.add(node.func)
        elif m.matches(node.func, m.Name("isinstance") | m.Name("issubclass")) and len(node.args) == 2:
            for ref in self._variable_refs_in_class_spec(node.args[1].value):
                self.accounted.add(ref)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if self._type_check_operand(node) is not None:
            self.accounted.add(self._type_check_operand(node))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.is_variable(original_node.func):
            return self._unwrap(original_node, updated_node)
        if original_node in self.wrapper_calls:
            return self._wrapper_call(original_node, updated_node)
        # A call without arguments goes on: `Variable()` from a star import, or bound in this
        # file, is a finding like its calls with data (torch's own is: "called without data").
        if (
            m.matches(original_node.func, m.Name("Variable"))
            and self.table.star_import_of(original_node.func)
            and not any(m.matches(arg.keyword, m.Name("volatile")) for arg in original_node.args)  # TU102's
        ):
            self.report(
                original_node,
                f"`Variable` may come from `{self.table.star_import_of(original_node.func)}`, which torchup "
                "does not follow: not rewritten (import Variable by name, `from torch.autograd import "
                "Variable`, and run torchup again)",
            )
            return updated_node
        if variable_lookalike(original_node.func, self.table) and imports_torch(self.table):
            self.report(
                original_node,
                f"`{original_node.func.value}` is bound in this file (def, lambda or assignment), "
                "so it is not torch.autograd.Variable: not rewritten",
            )
            return updated_node
        if (
            m.matches(updated_node.func, m.Name("isinstance") | m.Name("issubclass"))
            and len(updated_node.args) == 2
        ):
            return self._isinstance(original_node, updated_node)
        return updated_node

    def _unwrap(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = variable_args(updated)
        if isinstance(args, str):
            self.report(original, f"{args}: not rewritten")
            return updated
        if args.volatile is not None:
            return updated  # TU102 owns every call that carries a volatile flag
        parent = parent_of(self, original)
        unwrapped = unwrap_variable(updated, args, self.table, parent)
        if self.allows(unwrapped.safety):
            self.rewrote = True
            self.unwrapped.add(original)
        return self.fix(original, unwrapped.expr, unwrapped.message, safety=unwrapped.safety, keep=updated)

    # -- isinstance / type(...) == Variable ------------------------------------------------

    def _variable_refs_in_class_spec(self, spec: cst.BaseExpression) -> Sequence[cst.BaseExpression]:
        if self.is_variable(spec):
            return [spec]
        if isinstance(spec, cst.Tuple):
            return [element.value for element in spec.elements if self.is_variable(element.value)]
        return []

    def _tensor_type(self) -> Optional[cst.BaseExpression]:
        spelling = self.table.spelling("torch.Tensor")
        if spelling is None and self.table.is_rebound("torch"):
            return None
        return cst.parse_expression(spelling or "torch.Tensor")

    def _needs_torch_import(self) -> None:
        if self.table.spelling("torch.Tensor") is None:
            AddImportsVisitor.add_needed_import(self.context, "torch")

    def _isinstance(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        spec = updated.args[1].value
        refs = self._variable_refs_in_class_spec(spec)
        if not refs:
            return updated
        tensor = self._tensor_type()
        if tensor is None:
            self.report(
                original, "`torch` is rebound in this file: replace `Variable` by `torch.Tensor` by hand"
            )
            return updated
        new_spec = (
            tensor.with_changes(lpar=spec.lpar, rpar=spec.rpar)
            if refs == [spec]
            else spec.with_changes(
                elements=[
                    e.with_changes(value=tensor) if self.is_variable(e.value) else e for e in spec.elements
                ]
            )
        )
        self._needs_torch_import()
        self.rewrote = True
        args = [updated.args[0], updated.args[1].with_changes(value=new_spec)]
        return self.fix(
            original,
            updated.with_changes(args=args),
            "`isinstance(h, Variable)` -> `isinstance(h, torch.Tensor)`",
        )

    def _type_check_operand(self, node: cst.Comparison) -> Optional[cst.BaseExpression]:
        """The Variable in ``type(h) == Variable`` (either side; ``==``, ``!=``, ``is``, ``is not``)."""
        if len(node.comparisons) != 1:
            return None
        target = node.comparisons[0]
        if not isinstance(target.operator, (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)):
            return None
        type_call = m.Call(func=m.Name("type"), args=[m.Arg(keyword=None)])
        if self.table.is_rebound("type"):
            return None
        if m.matches(node.left, type_call) and self.is_variable(target.comparator):
            return target.comparator
        if m.matches(target.comparator, type_call) and self.is_variable(node.left):
            return node.left
        return None

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        operand = self._type_check_operand(original_node)
        if operand is None:
            return updated_node
        tensor = self._tensor_type()
        if tensor is None:
            self.report(
                original_node, "`torch` is rebound in this file: replace `Variable` by `torch.Tensor` by hand"
            )
            return updated_node
        if operand is original_node.left:
            replaced = updated_node.with_changes(
                left=tensor.with_changes(lpar=updated_node.left.lpar, rpar=updated_node.left.rpar)
            )
        else:
            target = updated_node.comparisons[0]
            new_operand = tensor.with_changes(lpar=target.comparator.lpar, rpar=target.comparator.rpar)
            replaced = updated_node.with_changes(comparisons=[target.with_changes(comparator=new_operand)])
        if self.allows(Safety.UNSAFE):
            self._needs_torch_import()
            self.rewrote = True
        return self.fix(
            original_node,
            replaced,
            "`type(h) == Variable` -> `type(h) == torch.Tensor` (always false on torch >= 0.4; "
            "the rewrite restores the 0.3 meaning)",
            safety=Safety.UNSAFE,
            keep=updated_node,
        )
