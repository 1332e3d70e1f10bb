"""TU302 cuda_types: ``torch.cuda.FloatTensor`` and friends -> a dtype and a device.

What it does
    In the methods of an nn.Module subclass, with a tensor in scope to take the device from
    (see TU301: the method's first tensor parameter, else a buffer or parameter of ``self``):

    * ``torch.cuda.FloatTensor(2, 3)`` (a shape) -> ``torch.empty(2, 3, dtype=torch.float,
      device=x.device)``; ``torch.cuda.LongTensor([1, 2])`` (data) ->
      ``torch.tensor([1, 2], dtype=torch.long, device=x.device)``;
    * ``t.type(torch.cuda.LongTensor)`` -> ``t.to(x.device, torch.long)``, or ``t.to(torch.long)``
      when ``t`` is the reference tensor itself;
    * the same through a module-level alias
      (``FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor``): its uses in
      Module methods are rewritten, the alias itself is reported.
    * ``t.type(torch.cuda.FloatTensor if gpu else torch.FloatTensor)`` -> ``t.to(x.device,
      torch.float)``; in ``__init__``, inside ``nn.Parameter(...)`` or ``register_buffer``,
      ``t.to(torch.float)`` built on the CPU (unsafe, see below);
    * a function's own alias ``dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor``
      whose only uses are ``t.type(dtype)`` -> ``device = torch.device("cuda" if gpu else
      "cpu")`` and ``t.to(device, torch.float)`` (unsafe, see below; not when the file already
      names ``device`` or calls ``.cuda()``, whose moves TU304 gives a ``device`` of its own);
    * ``torch.cuda.FloatTensor(n) if use_cuda else torch.FloatTensor(n)``, and the same as an
      ``if``/``else`` statement with one assignment per branch -> one expression on the reference's
      device (right for both values of the flag).

    In ``__init__``, a CUDA constructor inside ``self.register_buffer(...)`` or
    ``nn.Parameter(...)`` is built on the CPU (the module moves it). Anywhere,
    ``isinstance(x, torch.cuda.FloatTensor)`` -> ``(x.is_cuda and x.dtype == torch.float)``.

Why
    The CUDA tensor types exist only to pin a tensor to the current GPU: they fail on a
    CPU-only machine and ignore the device the model is on. The legacy types are deprecated;
    ``isinstance`` against them is a dtype-and-device test in disguise.

Before
    def forward(self, x):
        mask = torch.cuda.FloatTensor(x.size(0), 1).fill_(1)
        idx = lengths.type(torch.cuda.LongTensor)

After
    def forward(self, x):
        mask = torch.empty(x.size(0), 1, dtype=torch.float, device=x.device).fill_(1)
        idx = lengths.to(x.device, torch.long)

Fix safety
    Safe: the dtype is spelled exactly (``torch.cuda.FloatTensor`` is always float32,
    ``torch.float``, as TU401 spells it) and the values are unchanged; the device now follows
    the model's data. Unsafe: ``.type(torch.cuda.X if gpu else torch.X)`` inside a parameter
    built in ``__init__`` becomes a CPU tensor that the module moves; where a GPU is there, the
    parameter lives on the CPU until the model is moved, and a random initialisation applied to
    it draws from the CPU generator instead of the GPU's (on a CPU-only machine nothing changes).
    The function-local alias's rewrite is unsafe too: on a machine with several GPUs, a tensor
    already on a GPU other than the current one may move to the current one.

Limitations
    A constructor whose only argument is a name (a size, or data?) is ambiguous and reported,
    as is any use with no tensor in scope. A module-level alias is reported and kept (other
    files may import it); its uses outside Module methods (a training loop) are left to the
    user, as is ``tt = torch.cuda if cuda else torch``. ``isinstance`` against an alias is left
    alone (the alias may be the CPU type). ``isinstance`` with a tuple of types, or on an expression
    that is not a plain name or attribute, is reported. ``t.type(torch.cuda.X, non_blocking)``
    (0.3's ``async`` second argument) is reported wherever it is, not rewritten.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor

from torchup.analysis.imports import bound_names, dotted_name
from torchup.analysis.tensor_exprs import LEGACY_TYPES
from torchup.analysis.tree_screen import names_cuda_type
from torchup.analysis.walk import find_all, walk
from torchup.codemod import Safety, node_code
from torchup.codemods.cuda_constants import DeviceReferenceCodemod, is_size

_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


class CudaTypes(DeviceReferenceCodemod):
    CODE = "TU302"
    NAME = "cuda_types"
    SUMMARY = "`torch.cuda.FloatTensor(...)`, `.type(torch.cuda.X)`, `isinstance(x, torch.cuda.X)` -> dtype + device"
    SAFETY = "mixed"
    MARKERS = ("cuda",)  # `from torch import cuda as c; c.FloatTensor(3)` too
    # What it acts on names a legacy type (`torch.cuda.FloatTensor`, `from torch.cuda import
    # FloatTensor as FT`, `'torch.cuda.FloatTensor'`, a module-level alias of one), or is the alias
    # report's `torch.cuda if gpu else torch` / `... else torch.cuda` (any chain ending in `cuda`,
    # parenthesised or not, or an import binding `cuda as X`). Not: `torch.cuda.is_available()`.
    PATTERN = (
        r"\b(?:" + "|".join(sorted(LEGACY_TYPES)) + r")\b"
        r"|\bcuda[\s\\)]*if\b|\belse\b[\s\\(]*(?:\w+[\s\\]*\.[\s\\]*)*cuda\b|\bcuda[\s\\]+as\b"
    )
    # The same in the code itself, not in its docstrings and comments.
    TREE_SCREEN = staticmethod(names_cuda_type)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.handled: Set[int] = set()  # torch.cuda.X nodes consumed by a rewrite
        self.bare_conditions: Set[int] = set()  # expressions that need no parentheses
        self.buffer_values: List[int] = []  # ids of calls whose arguments a module moves
        self.type_aliases = _type_aliases(node, self)
        # `dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor` local to a function whose
        # only uses are `t.type(dtype)`: the assignment (original node) -> its legacy type, and
        # each use's `.type(...)` call -> its legacy type.
        self.local_aliases: Dict[cst.Assign, str] = {}
        self.local_alias_uses: Dict[cst.Call, str] = {}
        # TU304 gives a file with `.cuda()` moves one `device`, and declines where the name is
        # already bound: a local `device` here would cost every one of those moves.
        if not find_all(node, m.Name("device") | m.Call(func=m.Attribute(attr=m.Name("cuda")))):
            for function in find_all(node, m.FunctionDef()):
                self._plan_local_alias(function)

    # -- helpers ----------------------------------------------------------------------------

    def _cuda_type(self, node: cst.CSTNode, aliases: bool = True) -> Optional[str]:
        """``"FloatTensor"`` for ``torch.cuda.FloatTensor`` (however torch is imported), and for a
        module-level alias ``FloatTensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor``."""
        if aliases and isinstance(node, cst.Name) and node.value in self.type_aliases:
            return self.type_aliases[node.value]
        qualified = self.imports.qualified_name(node)
        if (
            qualified
            and qualified.startswith("torch.cuda.")
            and qualified[len("torch.cuda.") :] in LEGACY_TYPES
        ):
            return qualified[len("torch.cuda.") :]
        return None

    def _is_alias(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value in self.type_aliases

    def _torch(self, name: str) -> cst.BaseExpression:
        spelled = self.imports.spelling("torch")
        if spelled is None:
            AddImportsVisitor.add_needed_import(self.context, "torch")
            spelled = "torch"
        return cst.parse_expression(f"{spelled}.{name}")

    def _dtype(self, legacy: str) -> cst.BaseExpression:
        return self._torch(LEGACY_TYPES[legacy])

    # -- where parentheses are not needed -----------------------------------------------------

    def visit_If(self, node: cst.If) -> None:
        self.bare_conditions.add(id(node.test))

    def visit_While(self, node: cst.While) -> None:
        self.bare_conditions.add(id(node.test))

    def visit_Assert(self, node: cst.Assert) -> None:
        self.bare_conditions.add(id(node.test))

    def visit_Assign(self, node: cst.Assign) -> None:
        self.bare_conditions.add(id(node.value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.bare_conditions.add(id(node.value))

    # -- function-local aliases ---------------------------------------------------------------

    def _plan_local_alias(self, function: cst.FunctionDef) -> None:
        if find_all(function, m.Name("device")):
            return  # the `device` it would bind is taken (or a global the function reads)
        bindings = _Bindings()
        walk(function.body, bindings)
        for assign in find_all(function.body, m.Assign()):
            if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
                continue
            legacy = self._conditional_type(assign.value)
            name = assign.targets[0].target.value
            if legacy is None or bindings.counts.get(name) != 1:
                continue
            uses = [
                call
                for call in find_all(function.body, m.Call())
                if isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "type"
                and len(call.args) == 1
                and call.args[0].keyword is None
                and not call.args[0].star
                and isinstance(call.args[0].value, cst.Name)
                and call.args[0].value.value == name
            ]
            # Every other read of the name (passed on, compared) keeps the alias as it is.
            if not uses or len(find_all(function.body, m.Name(name))) != len(uses) + 1:
                continue
            # All or nothing: a `# noqa` on one of the lines would leave `device` unbound.
            if any(self._suppressed_at(n) is not None for n in (assign, *uses)):
                continue
            self.local_aliases[assign] = legacy
            self.handled.update((id(assign.value.body), id(assign.value.orelse)))  # type: ignore[attr-defined]
            self.local_alias_uses.update((call, legacy) for call in uses)

    def _local_alias(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        legacy = self.local_aliases[original]
        choice = original.value
        assert isinstance(choice, cst.IfExp) and isinstance(updated.value, cst.IfExp)
        cuda_first = self._cuda_type(choice.body, aliases=False) is not None
        names = (cst.SimpleString('"cuda"'), cst.SimpleString('"cpu"'))
        body, orelse = names if cuda_first else names[::-1]
        device = cst.Call(
            func=self._torch("device"),
            args=[cst.Arg(cst.IfExp(test=updated.value.test, body=body, orelse=orelse))],
        )
        rewritten = updated.with_changes(targets=[cst.AssignTarget(cst.Name("device"))], value=device)
        return self.fix(
            original,
            rewritten,
            f"local alias of `torch.cuda.{legacy}` or `torch.{legacy}` -> a `device` chosen by the same test; "
            f"its `.type(...)` uses -> `.to(device, {node_code(self._dtype(legacy))})`: on a machine with "
            "several GPUs, a tensor already on a GPU other than the current one may now move to the current one",
            safety=Safety.UNSAFE,
        )

    def _local_alias_use(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        assert isinstance(updated.func, cst.Attribute)
        rewritten = cst.Call(
            func=cst.Attribute(value=updated.func.value, attr=cst.Name("to")),
            args=[cst.Arg(cst.Name("device")), cst.Arg(self._dtype(self.local_alias_uses[original]))],
        )
        return self.fix(
            original,
            rewritten,
            "`.type(<local alias>)` -> `.to(device, dtype)` (see the alias's edit)",
            safety=Safety.UNSAFE,
        )

    # -- module-level aliases -----------------------------------------------------------------

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if original_node in self.local_aliases:
            return self._local_alias(original_node, updated_node)
        value = original_node.value
        if isinstance(value, cst.IfExp):
            branches = [value.body, value.orelse]
            if any(self._cuda_type(b, aliases=False) for b in branches) or any(
                self.imports.refers_to(b, "torch.cuda") for b in branches
            ):
                self.report(
                    original_node,
                    "alias that picks `torch.cuda` tensor types by a flag: its uses in Module methods "
                    "are rewritten; replace the others with `dtype=` and `device=` by hand",
                )
        return updated_node

    # -- calls --------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        # Uses of torch.cuda.X that a rewrite below consumes (their Attribute leaves first).
        if self._cuda_type(node.func):
            self.handled.add(id(node.func))
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "type" and len(node.args) == 1:
            self.handled.add(id(node.args[0].value))
            kind = node.args[0].value
            if isinstance(kind, cst.IfExp) and self._conditional_type(kind):
                self.handled.update((id(kind.body), id(kind.orelse)))
        elif _is_two_argument_type_call(node) and self._cuda_type(node.args[0].value):
            self.handled.add(id(node.args[0].value))  # reported as a whole by leave_Call
        elif _is_builtin_isinstance(self, node) and len(node.args) == 2:
            kind = node.args[1].value
            self.handled.add(id(kind))
            if isinstance(kind, cst.Tuple):
                self.handled.update(id(e.value) for e in kind.elements)
        qualified = self.imports.qualified_name(node.func)
        registers = isinstance(node.func, cst.Attribute) and node.func.attr.value == "register_buffer"
        if qualified == "torch.nn.Parameter" or registers:
            self.buffer_values.append(id(node))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.buffer_values and self.buffer_values[-1] == id(original_node):
            self.buffer_values.pop()
        if _is_builtin_isinstance(self, original_node):
            return self._isinstance(original_node, updated_node)
        legacy = self._cuda_type(original_node.func)
        if legacy is not None:
            return self._constructor(original_node, updated_node, legacy)
        func = original_node.func
        if original_node in self.local_alias_uses:
            return self._local_alias_use(original_node, updated_node)
        if isinstance(func, cst.Attribute) and func.attr.value == "type" and len(original_node.args) == 1:
            legacy = self._cuda_type(original_node.args[0].value) or _string_type(original_node.args[0].value)
            if legacy is not None:
                return self._type_call(original_node, updated_node, legacy)
            legacy = self._conditional_type(original_node.args[0].value)
            if legacy is not None:
                return self._conditional_type_call(original_node, updated_node, legacy)
        if _is_two_argument_type_call(original_node):
            # `.type(T, async)`: 0.3's second argument (non_blocking now); in any function, not
            # only a Module's methods, where a type left alone is reported below
            legacy = self._cuda_type(original_node.args[0].value)
            if legacy is not None:
                self.report(
                    original_node,
                    f"`.type(torch.cuda.{legacy}, non_blocking)` left: move it with "
                    f"`.to(device, {node_code(self._dtype(legacy))}, non_blocking=...)` by hand",
                )
        return updated_node

    def _conditional_type(self, node: cst.CSTNode) -> Optional[str]:
        """``"FloatTensor"`` for ``torch.cuda.FloatTensor if gpu else torch.FloatTensor`` (either
        order): the same type, on the GPU under a flag."""
        if not isinstance(node, cst.IfExp):
            return None
        for cuda, cpu in ((node.body, node.orelse), (node.orelse, node.body)):
            legacy = self._cuda_type(cuda, aliases=False)
            if legacy is not None and self.imports.qualified_name(cpu) == f"torch.{legacy}":
                return legacy
        return None

    def _conditional_type_call(self, original: cst.Call, updated: cst.Call, legacy: str) -> cst.BaseExpression:
        """``t.type(torch.cuda.X if gpu else torch.X)``: on the reference's device (right for both
        values of the flag); in ``__init__``, inside ``nn.Parameter``/``register_buffer``, on the
        CPU, as the module moves it with the rest of the model."""
        spelled = f"`.type(torch.cuda.{legacy} if ... else torch.{legacy})`"
        if self.in_module_init() and self.buffer_values:
            assert isinstance(updated.func, cst.Attribute)
            rewritten = cst.Call(
                func=cst.Attribute(value=updated.func.value, attr=cst.Name("to")), args=[cst.Arg(self._dtype(legacy))]
            )
            return self.fix(
                original,
                rewritten,
                f"{spelled} -> `.to({node_code(self._dtype(legacy))})`, built on the CPU (the module moves it): "
                "on a machine with a GPU the tensor is made and initialised on the CPU until the model is "
                "moved, so a random initialisation draws from the CPU generator instead of the GPU's",
                safety=Safety.UNSAFE,
            )
        reference = self.reference()
        if reference is None:
            self.report(original, f"{spelled} with no tensor in scope to take the device from")
            return updated
        return self._type_call(original, updated, legacy)

    def _constructor(self, original: cst.Call, updated: cst.Call, legacy: str) -> cst.BaseExpression:
        on_cpu = self.in_module_init() and bool(self.buffer_values)
        reference = None if on_cpu else self.reference()
        if reference is None and not on_cpu:
            if not self._is_alias(original.func):  # the alias's own finding covers its uses
                self.report(
                    original, f"`torch.cuda.{legacy}(...)` with no tensor in scope to take the device from"
                )
            return updated
        args = list(updated.args)
        if any(a.keyword is not None or a.star for a in args):
            self.report(
                original, f"`torch.cuda.{legacy}(...)` with keyword or starred arguments: rewrite by hand"
            )
            return updated
        first = args[0].value if args else None
        if first is None:
            self.report(original, f"`torch.cuda.{legacy}()` with no arguments: rewrite by hand")
            return updated
        plan = self._plan()
        size_locals = plan.size_locals if plan is not None else frozenset()
        data_locals = plan.data_locals if plan is not None else frozenset()
        if len(args) == 1 and (
            isinstance(first, (cst.List, cst.Tuple, cst.ListComp))
            or isinstance(first, cst.Name)
            and first.value in data_locals
        ):
            factory = "tensor"  # data
        elif len(args) > 1 or is_size(first) or isinstance(first, cst.Name) and first.value in size_locals:
            factory = "empty"  # a shape
        else:
            self.report(
                original, f"`torch.cuda.{legacy}({node_code(first)})`: a size or data? rewrite by hand"
            )
            return updated
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        args.append(cst.Arg(keyword=cst.Name("dtype"), value=self._dtype(legacy), equal=_EQUAL))
        if reference is not None:
            device = cst.Attribute(value=reference, attr=cst.Name("device"))
            args.append(cst.Arg(keyword=cst.Name("device"), value=device, equal=_EQUAL))
            where = f"`{node_code(reference)}.device`"
        else:
            where = "the CPU (the module moves it)"
        rewritten = updated.with_changes(func=self._torch(factory), args=args)
        return self.fix(
            original, rewritten, f"`torch.cuda.{legacy}` -> `torch.{factory}` with its dtype, on {where}"
        )

    def _type_call(self, original: cst.Call, updated: cst.Call, legacy: str) -> cst.BaseExpression:
        reference = self.reference()
        if reference is None:
            if not self._is_alias(original.args[0].value):
                self.report(
                    original, f"`.type(torch.cuda.{legacy})` with no tensor in scope to take the device from"
                )
            return updated
        assert isinstance(updated.func, cst.Attribute)
        receiver = updated.func.value
        dtype = self._dtype(legacy)
        if node_code(receiver) == node_code(reference):
            rewritten = cst.Call(
                func=cst.Attribute(value=receiver, attr=cst.Name("to")), args=[cst.Arg(dtype)]
            )
        else:
            device = cst.Attribute(value=reference, attr=cst.Name("device"))
            rewritten = cst.Call(
                func=cst.Attribute(value=receiver, attr=cst.Name("to")),
                args=[cst.Arg(device), cst.Arg(dtype)],
            )
        return self.fix(
            original, rewritten, f"`.type(torch.cuda.{legacy})` -> `.to(...)` with its dtype and device"
        )

    def _isinstance(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if len(original.args) != 2:
            return updated
        subject, kind = original.args[0].value, original.args[1].value
        legacy = self._cuda_type(kind, aliases=False)  # an alias may be the CPU type: not a CUDA test
        if legacy is None:
            if isinstance(kind, cst.Tuple) and any(self._cuda_type(e.value) for e in kind.elements):
                self.report(
                    original, "`isinstance` against several `torch.cuda` tensor types: rewrite by hand"
                )
            return updated
        if dotted_name(subject) is None:
            self.report(original, f"`isinstance(..., torch.cuda.{legacy})` on an expression: rewrite by hand")
            return updated
        text = (
            f"{node_code(subject)}.is_cuda and {node_code(subject)}.dtype == {node_code(self._dtype(legacy))}"
        )
        test = cst.parse_expression(text)
        if id(original) not in self.bare_conditions:
            test = test.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return self.fix(original, test, f"`isinstance(x, torch.cuda.{legacy})` -> a device and dtype test")

    # -- conditional types ----------------------------------------------------------------

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        """``torch.cuda.X(...) if gpu else torch.X(...)`` -> the rewritten CUDA branch alone: on the
        reference's device it is right for both values of the flag, while the CPU branch would leak a
        CPU constant into a model moved to the GPU."""
        pairs = ((original_node.body, updated_node.body), (original_node.orelse, updated_node.orelse))
        kept = self._cuda_twin(pairs)
        if kept is None:
            return updated_node
        return self.fix(
            original_node,
            kept.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar),
            "conditional `torch.cuda` type: one expression on the reference's device serves both branches",
        )

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.BaseStatement:
        """The statement form: ``if gpu: eps = torch.cuda.FloatTensor(n)`` / ``else: eps =
        torch.FloatTensor(n)`` -> the rewritten CUDA assignment alone."""
        if not isinstance(original_node.orelse, cst.Else) or not isinstance(updated_node.orelse, cst.Else):
            return updated_node
        pairs = (
            (_only_statement(original_node.body), _only_statement(updated_node.body)),
            (_only_statement(original_node.orelse.body), _only_statement(updated_node.orelse.body)),
        )
        if any(original is None or rewritten is None for original, rewritten in pairs):
            return updated_node
        kept = self._cuda_twin(pairs)
        if kept is None:
            return updated_node
        assert isinstance(kept, cst.SimpleStatementLine)
        return self.fix(
            original_node,
            kept.with_changes(leading_lines=updated_node.leading_lines),
            "`if`/`else` on the `torch.cuda` type: one statement on the reference's device serves both branches",
        )

    def _cuda_twin(self, pairs):
        """Of two (original, rewritten) branches that differ only by ``torch.cuda.X`` vs ``torch.X``,
        the rewritten CUDA one; None when they differ otherwise or it could not be rewritten."""
        canonical = [node_code(original.visit(_CanonicalTypes(self))) for original, _ in pairs]
        if canonical[0] != canonical[1]:
            return None
        cuda = [pair for pair in pairs if _mentions_cuda_type(self, pair[0])]
        if len(cuda) != 1:
            return None
        original, rewritten = cuda[0]
        if rewritten.deep_equals(original):  # no tensor in scope: the branch could not be rewritten
            return None
        return rewritten

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        legacy = self._cuda_type(original_node)
        if legacy is not None and id(original_node) not in self.handled and self.in_module_method():
            self.report(original_node, f"`torch.cuda.{legacy}` left: no rewrite for this use")
        return updated_node


def _is_two_argument_type_call(node: cst.Call) -> bool:
    return (
        isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "type"
        and len(node.args) == 2
        and not any(arg.star for arg in node.args)
    )


class _Bindings(cst.CSTVisitor):
    """How many times each name is bound anywhere in a file."""

    def __init__(self) -> None:
        self.counts: Dict[str, int] = {}

    def _bind(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def visit_Name(self, node: cst.Name) -> None:
        pass

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        for name in bound_names(node.target):
            self._bind(name)

    def visit_For(self, node: cst.For) -> None:
        for name in bound_names(node.target):
            self._bind(name)

    def visit_AsName(self, node: cst.AsName) -> None:
        for name in bound_names(node.name):
            self._bind(name)

    def visit_Param(self, node: cst.Param) -> None:
        self._bind(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bind(node.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._bind(item.name.value)


def _type_aliases(module: cst.Module, codemod: "CudaTypes") -> Dict[str, str]:
    """``{"FloatTensor": "FloatTensor"}`` for a module-level
    ``FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor`` bound nowhere else."""
    bindings = _Bindings()
    walk(module, bindings)
    aliases: Dict[str, str] = {}
    for statement in module.body:
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
            continue
        assign = statement.body[0]
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(assign.value, cst.IfExp)
        ):
            continue
        name = assign.targets[0].target.value
        kinds = {
            (codemod.imports.qualified_name(branch) or "").replace("torch.cuda.", "torch.", 1)
            for branch in (assign.value.body, assign.value.orelse)
        }
        cuda = [codemod._cuda_type(b, aliases=False) for b in (assign.value.body, assign.value.orelse)]
        if len(kinds) == 1 and any(cuda) and bindings.counts.get(name) == 1:
            aliases[name] = next(c for c in cuda if c)
    return aliases


class _CanonicalTypes(cst.CSTTransformer):
    """Spells ``torch.cuda.X`` and ``torch.X`` (however imported) as ``torch.X``, so that two
    branches differing only by the device of their legacy type compare equal."""

    def __init__(self, codemod: "CudaTypes") -> None:
        super().__init__()
        self.codemod = codemod

    def _canonical(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        qualified = self.codemod.imports.qualified_name(original) or ""
        name = qualified.replace("torch.cuda.", "torch.", 1)
        if name.startswith("torch.") and name[len("torch.") :] in LEGACY_TYPES:
            return cst.parse_expression(name)
        return updated

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        return self._canonical(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._canonical(original_node, updated_node)


def _only_statement(block: cst.BaseSuite) -> Optional[cst.SimpleStatementLine]:
    """The one ``x = ...`` line of an indented block, else None."""
    if not isinstance(block, cst.IndentedBlock) or len(block.body) != 1:
        return None
    line = block.body[0]
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and isinstance(line.body[0], cst.Assign):
        return line
    return None


def _mentions_cuda_type(codemod: CudaTypes, node: cst.CSTNode) -> bool:
    return any(codemod._cuda_type(candidate, aliases=False) for candidate in find_all(node, m.Attribute()))


def _is_builtin_isinstance(codemod: CudaTypes, node: cst.Call) -> bool:
    func = node.func
    return (
        isinstance(func, cst.Name)
        and func.value == "isinstance"
        and not codemod.imports.is_rebound("isinstance")
    )


def _string_type(node: cst.CSTNode) -> Optional[str]:
    """``"LongTensor"`` for the string ``'torch.cuda.LongTensor'``."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if (
            isinstance(value, str)
            and value.startswith("torch.cuda.")
            and value[len("torch.cuda.") :] in LEGACY_TYPES
        ):
            return value[len("torch.cuda.") :]
    return None
