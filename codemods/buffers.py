"""TU201 buffers: tensor attributes of an nn.Module set in ``__init__`` -> ``register_buffer``.

What it does
    In the ``__init__`` of an nn.Module subclass (direct or indirect, across the repository),
    rewrites ``self.name = <tensor expression>`` to
    ``self.register_buffer("name", <expression>, persistent=...)``, dropping the
    ``Variable(...)`` wrapper and ``.cuda()`` calls the buffer no longer needs. A conditional
    constant (``torch.ones(n).cuda() if gpu else torch.ones(n)``, or the same as an
    ``if``/``else`` statement with one assignment per branch) becomes one buffer. A later
    ``self.name = self.name.cuda()`` in ``__init__`` (and an ``if`` left empty by it) is removed;
    other later assignments stay, since assigning a tensor to a buffer's name updates the buffer.

    An attribute is converted only when it is the legacy idiom: a value it is given (or a move,
    or a local of ``__init__`` it is built from) hard-wires a device with ``.cuda()`` or wraps
    it in ``Variable``, or a method reads it as ``Variable(self.x)`` / ``self.x.cuda()`` (0.3
    code could not compute with a plain tensor and a Variable together, so a constant it used
    carries one of them); and never when every read outside ``__init__`` already follows the
    input (``self.x.to(x)``, ``self.x.type_as(x).to(x.device)``). Other tensor attributes are
    left alone, silently: modern code keeps tensors as plain attributes on purpose
    (torchvision's ``self._log_ratio = torch.log(torch.tensor(ratio))``, torch's own test
    modules' ``self.weight = torch.rand(5, 5)``).

    ``persistent=False`` when no other method of the class reassigns or mutates the attribute in
    place: it is a constant, and ``state_dict`` stays exactly as it was. ``persistent=True`` when
    another method does (``self.running = ...``, ``self.x.mul_(...)``, ``self.x[i] = ...``):
    that is real state the legacy code silently failed to save. The ``buffers`` setting
    (``auto``, ``persistent``, ``non-persistent``) overrides the choice.

Why
    A plain tensor attribute does not move with ``model.to(device)`` / ``.cuda()``, does not
    convert with ``.half()``, and is not in ``state_dict``; legacy code hard-wired ``.cuda()``
    onto it, which fails on a CPU-only machine and pins it to one GPU. A buffer moves with the
    module.

Before
    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, max_len=5000):
            super(PositionalEncoding, self).__init__()
            pe = torch.zeros(max_len, d_model)
            ...
            self.pe = Variable(pe.unsqueeze(0)).cuda()

After
    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, max_len=5000):
            super(PositionalEncoding, self).__init__()
            pe = torch.zeros(max_len, d_model)
            ...
            self.register_buffer("pe", pe.unsqueeze(0), persistent=False)

Fix safety
    Every conversion is an unsafe fix: a buffer is meant to behave differently from a plain
    attribute. What was checked, on torch 2.13: values are still built on the CPU with the CPU
    generator (never with ``device=``) and a non-persistent buffer leaves ``state_dict``
    unchanged, so checkpoints load both ways; but the buffer moves with ``model.to(device)``
    (the point of the fix), ``model.half()`` / ``.to(dtype)`` now round a floating constant the
    attribute kept in float32, and frameworks that build models on the meta device re-create
    non-persistent buffers with ``empty_like`` on load and expect the module's own init to
    refill them (a plain attribute was never touched). A persistent buffer also changes
    ``state_dict``: it gains a key, so old checkpoints need ``strict=False`` to load (the
    message says so).

Limitations
    Only ``self.name = ...`` statements of ``__init__`` itself (not inside loops or other
    blocks, and after the ``super().__init__()`` call) are converted. Attributes already
    registered (a buffer, a parameter, a submodule), attributes later assigned a value not known
    to be a tensor or None, attributes first assigned outside ``__init__``, and a chained
    ``self.a = self.b = torch.zeros(n).cuda()`` or an unpacking ``self.h, self.c = ...`` are left
    alone; the last three are reported. Mutations from outside the class (``model.x.mul_(2)``) or from
    subclasses are not seen, so such an attribute gets ``persistent=False``. Whether a value
    is a tensor is decided syntactically (torch factories, ``Variable``, tensor methods, locals
    and same-file helpers built from them).
    A constant of 0.4-era CPU-only code, with no ``.cuda()`` nor ``Variable`` around it, is not
    converted (it looks like the modern, deliberate kind): ``torchup verify``'s device check
    names it where it leaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import RemoveImportsVisitor

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.memo import code_of, last_call
from torchup.analysis.module_index import index_for
from torchup.analysis.names import names_in
from torchup.analysis.tensor_exprs import (
    _FACTORIES,
    VARIABLE,
    TensorExprs,
    is_cuda_move,
    is_variable_call,
    keyword,
    strip_device_moves,
    tensor_exprs,
)
from torchup.analysis.tree_screen import assigns_tensor_to_self
from torchup.analysis.walk import find_all, walk
from torchup.codemod import ORIGINAL_KEY, Codemod, Edit, Safety, node_code
from torchup.codemods.variable import is_false

# Calls on `self` that register a name: the attribute is already module state.
_REGISTERING = frozenset({"register_buffer", "register_parameter", "add_module", "register_module"})


@dataclass(frozen=True)
class Assignment:
    """One ``self.name = value`` in a method of a Module class."""

    node: cst.Assign
    method: str
    value: cst.BaseExpression
    top_level: bool  # a statement directly in the method's body (not in a block)
    in_loop: bool
    statement_index: int  # of the enclosing top-level statement of the method


@dataclass
class AttributeUses:
    """Everything a class does with one attribute of ``self``."""

    assignments: List[Assignment] = field(default_factory=list)
    mutations: List[Tuple[str, cst.CSTNode]] = field(default_factory=list)  # (method, node)
    other_bindings: List[Tuple[str, cst.CSTNode]] = field(default_factory=list)  # tuple targets, ...
    registered: bool = False


@dataclass(frozen=True)
class ClassState:
    """The attributes of one Module class, seen through all of its methods."""

    init: Optional[cst.FunctionDef]  # None when the class inherits its __init__
    methods: Dict[str, cst.FunctionDef]
    attributes: Dict[str, AttributeUses]
    scopes: Dict[str, TensorExprs]  # the tensor test inside each method
    super_init_index: Optional[int]  # top-level statement of __init__ calling the base __init__
    class_attributes: FrozenSet[str]  # names bound in the class body (register_buffer refuses them)

    def in_init(self, name: str) -> List[Assignment]:
        return [a for a in self.attributes[name].assignments if a.method == "__init__"]

    def outside_init(self, name: str) -> List[Assignment]:
        return [a for a in self.attributes[name].assignments if a.method != "__init__"]

    def is_tensor(self, assignment: Assignment) -> bool:
        return self.scopes[assignment.method].is_tensor(assignment.value)


def _self_attribute(node: cst.CSTNode, self_name: str) -> Optional[str]:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == self_name:
        return node.attr.value
    return None


def _under_self_attribute(node: cst.CSTNode, self_name: str) -> Optional[str]:
    """``x`` for ``self.x``, ``self.x.data``, ``self.x[i]``, ``self.x.data[i]``."""
    while True:
        name = _self_attribute(node, self_name)
        if name is not None:
            return name
        if isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Attribute) and node.attr.value == "data":
            node = node.value
        else:
            return None


class _MethodScan(cst.CSTVisitor):
    def __init__(
        self, method: str, self_name: str, attributes: Dict[str, AttributeUses], body: cst.BaseSuite
    ):
        self.method = method
        self.self_name = self_name
        self.attributes = attributes
        self.top_level = (
            {id(s): i for i, s in enumerate(body.body)} if isinstance(body, cst.IndentedBlock) else {}
        )
        self.statement_index = -1
        self.loops = 0
        self.current_line: Optional[cst.CSTNode] = None

    def uses(self, name: str) -> AttributeUses:
        return self.attributes.setdefault(name, AttributeUses())

    # Typed hooks only (no on_visit), so an indexed walk shows this scan just these nodes.

    def _statement(self, node: cst.BaseStatement) -> None:
        index = self.top_level.get(id(node))
        if index is not None:
            self.statement_index = index

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement(node)
        self.current_line = node

    def visit_While(self, node: cst.While) -> None:
        self._statement(node)
        self.loops += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.loops -= 1

    def leave_For(self, original_node: cst.For) -> None:
        self.loops -= 1

    def visit_If(self, node: cst.If) -> None:
        self._statement(node)

    def visit_With(self, node: cst.With) -> None:
        self._statement(node)

    def visit_Try(self, node: cst.Try) -> None:
        self._statement(node)

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._statement(node)

    def visit_Match(self, node: cst.Match) -> None:
        self._statement(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._statement(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._statement(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = _self_attribute(target.target, self.self_name)
            if name is not None and len(node.targets) == 1:
                self.uses(name).assignments.append(
                    Assignment(
                        node,
                        self.method,
                        node.value,
                        top_level=self.current_line is not None and id(self.current_line) in self.top_level,
                        in_loop=self.loops > 0,
                        statement_index=self.statement_index,
                    )
                )
            elif name is not None:
                self.uses(name).other_bindings.append((self.method, node))
            else:
                self._target(target.target, node)

    def _target(self, target: cst.CSTNode, node: cst.CSTNode) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                name = _self_attribute(element.value, self.self_name)
                if name is not None:
                    self.uses(name).other_bindings.append((self.method, node))
                else:
                    self._target(element.value, node)
            return
        name = _under_self_attribute(target, self.self_name)
        if name is not None:  # self.x[i] = v, self.x.data = v
            self.uses(name).mutations.append((self.method, node))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        name = _under_self_attribute(node.target, self.self_name)
        if name is not None:
            self.uses(name).mutations.append((self.method, node))

    def visit_For(self, node: cst.For) -> None:
        self._statement(node)
        self.loops += 1
        name = _self_attribute(node.target, self.self_name)
        if name is not None:
            self.uses(name).other_bindings.append((self.method, node))
        else:
            self._target(node.target, node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if isinstance(func.value, cst.Name) and func.value.value == self.self_name and method in _REGISTERING:
            if node.args and isinstance(node.args[0].value, cst.SimpleString):
                self.uses(node.args[0].value.evaluated_value).registered = True
            return
        if method.endswith("_") and not method.startswith("_"):
            name = _under_self_attribute(func.value, self.self_name)
            if name is not None:
                self.uses(name).mutations.append((self.method, node))


def without_emptied_body(node: cst.If) -> "cst.BaseStatement | cst.RemovalSentinel":
    """An ``if`` whose body a rewrite emptied (``if gpu: self.x = self.x.cuda()``): removed when
    it has no ``else``; with one, its test negated over the ``else`` body (``if not gpu:``), not
    left as ``if gpu: pass``. An ``elif``, or an ``else:`` with a comment above it, stays (libcst
    writes the empty body as ``pass``)."""
    if node.body.body:
        return node
    orelse = node.orelse
    if orelse is None:  # an indented block or `if c: x = x.cuda()`
        return cst.RemoveFromParent()
    if not isinstance(orelse, cst.Else) or orelse.leading_lines:
        return node
    return node.with_changes(test=_negated(node.test), body=orelse.body, orelse=None)


def _negated(test: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and not test.lpar:
        return test.expression  # `if not gpu: pass / else: ...` -> `if gpu: ...`
    if not isinstance(test, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) and not test.lpar:
        test = test.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.UnaryOperation(operator=cst.Not(), expression=test)


def _is_base_init_call(node: cst.CSTNode) -> bool:
    """``super(...).__init__(...)`` or ``Base.__init__(self, ...)``."""
    return any(
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "__init__"
        for call in calls_in(node)
    )


def calls_in(node: cst.CSTNode) -> List[cst.Call]:
    """Every call inside ``node``, nested ones included."""
    return find_all(node, m.Call())  # type: ignore[return-value]


def _is_plain_method(method: cst.FunctionDef) -> bool:
    for decorator in method.decorators:
        if isinstance(decorator.decorator, cst.Name) and decorator.decorator.value in (
            "staticmethod",
            "classmethod",
        ):
            return False
    return bool(method.params.params)


@last_call
def scan_class(node: cst.ClassDef, file_test: TensorExprs) -> ClassState:
    """Every use of ``self.<attr>`` in the plain methods of a class."""
    methods = {
        s.name.value: s for s in node.body.body if isinstance(s, cst.FunctionDef) and _is_plain_method(s)
    }
    init = methods.get("__init__")
    attributes: Dict[str, AttributeUses] = {}
    for name, method in methods.items():
        self_name = method.params.params[0].name.value
        walk(method.body, _MethodScan(name, self_name, attributes, method.body))
    # Attributes whose `__init__` value is a tensor may be read as tensors elsewhere
    # (`self.x = self.x * 2`); first find them without that knowledge, then with it.
    plain = {name: file_test.in_function(m) for name, m in methods.items()}
    tensor_attrs = {
        name
        for name, uses in attributes.items()
        if any(a.method == "__init__" and plain["__init__"].is_tensor(a.value) for a in uses.assignments)
    }
    scopes = {name: file_test.in_function(m, tensor_attrs) for name, m in methods.items()}
    super_index = (
        next((i for i, statement in enumerate(init.body.body) if _is_base_init_call(statement)), None)
        if init is not None and isinstance(init.body, cst.IndentedBlock)
        else None
    )
    return ClassState(init, methods, attributes, scopes, super_index, _class_body_names(node))


def _class_body_names(node: cst.ClassDef) -> FrozenSet[str]:
    names: Set[str] = set()
    for statement in node.body.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            names.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = (
                    [t.target for t in small.targets]
                    if isinstance(small, cst.Assign)
                    else [small.target] if isinstance(small, cst.AnnAssign) else []
                )
                names.update(t.value for t in targets if isinstance(t, cst.Name))
    return frozenset(names)


def mentions_requires_grad(imports: ImportTable, node: cst.CSTNode) -> bool:
    """``requires_grad=True`` anywhere in the expression, or a ``.requires_grad_()`` call; not
    when the flag is the literal ``False`` (``.requires_grad_(False)`` asks for no gradient)."""
    for call in calls_in(node):
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "requires_grad_":
            flag = keyword(call, "requires_grad") or next((a for a in call.args if a.keyword is None), None)
            if flag is None or not is_false(flag.value):
                return True
            continue
        arg = keyword(call, "requires_grad")
        if arg is not None and not is_false(arg.value):
            return True
    return False


class ModuleStateCodemod(Codemod):
    """What the module-state codemods share: the file's imports, tensor test and Module classes."""

    USES_MODULE_INDEX = True
    # A regular expression (no flags; use under `(?m)`) that finds, in a file the tensor test can
    # call anything a tensor in, where that tensor is made: every tensor it knows is rooted in a
    # call of a torch factory (`torch.zeros`, `th.FloatTensor`, `torch.cuda.LongTensor`, ...) or
    # of `Variable` (locals, helpers, `self.x` and `.data` only pass one on). Such a call is
    # `<chain>.<factory>(`, a bare `<factory>(` (imported from torch), or goes through an alias,
    # whose import says `<factory> as`; the builtin `range(` only counts when an import names
    # `range`. A line starting with `>>>` is a doctest, never code: its calls do not count.
    TENSOR_ROOT = (
        r"^(?![ \t]*>>>)[^\n]*?(?:\.[\s\\]*(?:{all})|(?<![\w.])(?:{bare}))[\s\\)]*\("
        r"|\b(?:{all})[\s\\]+as\b"
        r"|\bimport\b(?:[^\n;#(]|\\\n)*?\brange\b|\bimport[\s\\]*\((?:[^)#]|#[^\n]*\n)*?\brange\b"
    ).format(
        all="|".join(sorted(_FACTORIES | {"Variable"}, key=lambda n: (-len(n), n))),
        bare="|".join(sorted(_FACTORIES - {"range"} | {"Variable"}, key=lambda n: (-len(n), n))),
    )

    def visit_Module(self, node: cst.Module) -> None:
        self.imports = import_table(node)
        self.original_module = node
        self.tensors = tensor_exprs(node, self.imports)
        index, key = index_for(self.repo_facts, self.context.filename, lambda: code_of(node))
        self.module_class_names: FrozenSet[str] = index.module_classes(key)
        self.class_stack: List[str] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.class_stack.append(node.name.value)
        if ".".join(self.class_stack) in self.module_class_names:
            self.enter_module_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.class_stack.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # A class inside a function is not indexed; names inside it must not look nested.
        self.class_stack.append(f"<{node.name.value}>")

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.class_stack.pop()
        return updated_node

    def enter_module_class(self, node: cst.ClassDef) -> None:
        """Called for each nn.Module class, before its body is visited."""

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        # Rewrites drop `Variable(...)` wrappers; an import left without a use goes with them.
        if any(isinstance(record, Edit) for record in self.records):
            original_code = code_of(self.original_module)
            for local, target in self.imports.aliases.items():
                # An import that was already unused is not this codemod's business.
                if target in VARIABLE and "." not in local and f"{local}(" in original_code:
                    module, obj = target.rsplit(".", 1)
                    RemoveImportsVisitor.remove_unused_import(
                        self.context, module, obj, asname=None if local == obj else local
                    )
        return updated_node


class AttributeCodemod(ModuleStateCodemod):
    """Rewrites the first ``self.x = ...`` of ``__init__`` and drops ``self.x = self.x.cuda()``.

    Subclasses plan each attribute of a Module class (``plan``) and build the rewritten
    statement (``convert``); the later redundant moves of a converted attribute go with it.
    """

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.plans: Dict[int, "AttributePlan"] = {}
        self.removals: Dict[int, int] = {}  # id of a later Assign -> id of its plan's first Assign
        self.converted: Set[int] = set()  # plans whose edit was applied
        self.collapsing_ifs: Dict[int, int] = {}  # id of an If -> id of the plan's first Assign

    def enter_module_class(self, node: cst.ClassDef) -> None:
        state = scan_class(node, self.tensors)
        if state.init is None:
            return  # attributes set elsewhere: nothing of __init__ to rewrite
        for name in sorted(state.attributes):
            plan = self.plan(name, state)
            if plan is not None:
                self.plans[id(plan.first.node)] = plan
                if plan.collapses is not None:
                    self.collapsing_ifs[plan.collapses] = id(plan.first.node)
                for removal in plan.removals:
                    self.removals[removal] = id(plan.first.node)

    def plan(self, name: str, state: ClassState) -> "Optional[AttributePlan]":
        raise NotImplementedError

    def convert(
        self, plan: "AttributePlan", original: cst.Assign, updated: cst.Assign
    ) -> cst.BaseSmallStatement:
        raise NotImplementedError

    def decline(self, assignment: Assignment, message: str) -> None:
        self.report(assignment.node, message)
        return None

    def redundant_moves(
        self, name: str, state: ClassState, later: List[Assignment]
    ) -> Tuple[Set[int], List[Assignment]]:
        """The later ``self.x = self.x.cuda()`` (or ``Variable(self.x)``) of ``__init__``, and the rest."""
        removals: Set[int] = set()
        rest: List[Assignment] = []
        for assignment in later:
            stripped = node_code(strip_device_moves(self.imports, assignment.value))
            if stripped == f"{state.scopes['__init__'].self_name}.{name}":
                removals.add(id(assignment.node))
            else:
                rest.append(assignment)
        return removals, rest

    def leave_Assign(
        self, original_node: cst.Assign, updated_node: cst.Assign
    ) -> "cst.BaseSmallStatement | cst.RemovalSentinel":
        plan = self.plans.get(id(original_node))
        if plan is not None:
            result = self.convert(plan, original_node, updated_node)
            if result is not original_node:
                self.converted.add(id(original_node))
            return result
        if self.removals.get(id(original_node)) in self.converted:
            return cst.RemoveFromParent()
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> "cst.SimpleStatementLine | cst.RemovalSentinel":
        if not updated_node.body:
            return cst.RemoveFromParent()
        return updated_node

    def leave_If(
        self, original_node: cst.If, updated_node: cst.If
    ) -> "cst.BaseStatement | cst.RemovalSentinel":
        collapsed = self.collapsing_ifs.get(id(original_node))
        if collapsed is not None and collapsed in self.converted:
            # `if gpu: self.x = A.cuda() else: self.x = A` is now one statement: keep the body's.
            line = updated_node.body.body[0]
            return line.with_changes(leading_lines=[*updated_node.leading_lines, *line.leading_lines])
        # `if self.use_cuda: self.x = self.x.cuda()` has nothing left to do once x moves with the module.
        return without_emptied_body(updated_node)


@dataclass(frozen=True)
class AttributePlan:
    name: str
    first: Assignment
    value: cst.BaseExpression  # what the attribute's new statement holds
    removals: FrozenSet[int]  # ids of later `self.x = self.x.cuda()` Assign nodes
    persistent: bool = False
    collapses: Optional[int] = None  # id of an `if c: self.x = A.cuda() else: self.x = A` it replaces
    # TU202: the flag of `requires_grad=flag` / `.requires_grad_(flag)`, None when it is True.
    requires_grad: Optional[cst.BaseExpression] = None


class Buffers(AttributeCodemod):
    CODE = "TU201"
    NAME = "buffers"
    SUMMARY = "tensor attributes set in an nn.Module's `__init__` -> `self.register_buffer(...)`"
    SAFETY = "mixed"
    MARKERS = ("__init__",)
    # It needs a class with `def __init__` (any spacing) and a tensor to assign, rooted in a torch
    # factory or `Variable` call (TENSOR_ROOT); both rewrites and reports need the two.
    PATTERN = (
        r"(?ms)\A(?=.*?\bdef[\s\\]+__init__\b)(?=.*?(?:" + ModuleStateCodemod.TENSOR_ROOT + r"))"
    )
    # Both rewrites and findings start from a `self.x = <tensor>` in a method.
    TREE_SCREEN = staticmethod(assigns_tensor_to_self)

    def plan(self, name: str, state: ClassState) -> Optional[AttributePlan]:
        uses = state.attributes[name]
        in_init = state.in_init(name)
        if uses.registered:
            return None  # already a buffer, parameter or submodule: never convert twice
        if not in_init:
            self._report_chained(name, state)
            for assignment in state.outside_init(name):
                if state.is_tensor(assignment) and self._legacy_constant_as_read(name, state):
                    self.report(
                        assignment.node,
                        f"tensor attribute `{name}` is first assigned outside `__init__` (in "
                        f"`{assignment.method}`): it does not move with the module; create it in "
                        "`__init__` with `register_buffer`",
                    )
                    break
            return None
        first = in_init[0]
        prelude: List[Assignment] = []
        if not state.is_tensor(first) and len(in_init) > 1 and state.is_tensor(in_init[-1]):
            # `self.grid = np.zeros(...)` ... `self.grid = torch.from_numpy(self.grid)`: the
            # attribute is a tensor only from its last assignment on.
            prelude, first, in_init = in_init[:-1], in_init[-1], in_init[-1:]
            if any(state.is_tensor(a) for a in prelude):
                return self._decline(first, name, "`__init__` assigns it tensors and other values in turn")
        if not state.is_tensor(first) or mentions_requires_grad(self.imports, first.value):
            return None  # not a tensor, or a parameter (TU202)
        if not self._legacy_constant_as_read(name, state):
            return None  # a tensor kept beside the module on purpose, or one that already follows x
        if uses.other_bindings:
            return self._decline(first, name, "it is also bound by a tuple assignment or loop")
        if name in state.class_attributes:
            return self._decline(first, name, "the class body defines the name (register_buffer would raise)")
        collapses = None
        later_in_init = in_init[1:]
        if not first.top_level and not first.in_loop:
            collapses = self._conditional_constant(state, in_init)
            if collapses is not None:
                later_in_init = in_init[2:]
        # A single assignment in a block (`if pos_enc: self.pe = ...`) registers the buffer
        # where it assigned the attribute: it exists after `__init__` exactly when it did.
        alone = len(in_init) == 1 and not state.outside_init(name)
        if (not first.top_level and collapses is None and not alone) or first.in_loop:
            return self._decline(first, name, "it is first assigned inside a block of `__init__`")
        if state.super_init_index is None or first.statement_index < state.super_init_index:
            return self._decline(first, name, "it is assigned before the base class `__init__` is called")
        removals, rest = self.redundant_moves(name, state, later_in_init)
        if collapses is not None:
            removals.add(id(in_init[1].node))
        for later in rest:
            if not (_is_none(later.value) or state.is_tensor(later)):
                return self._decline(later, name, "it is later assigned a value not known to be a tensor")
        reassigned = False
        for later in state.outside_init(name):
            if not (_is_none(later.value) or state.is_tensor(later)):
                return self._decline(
                    later, name, f"`{later.method}` assigns it a value not known to be a tensor"
                )
            reassigned = True
        mutated = reassigned or any(method != "__init__" for method, _ in uses.mutations)
        setting = self.settings.buffers
        persistent = mutated if setting == "auto" else setting == "persistent"
        if prelude:
            renames = self._prelude_renames(name, state, prelude, first)
            if renames is None:
                return self._decline(
                    first, name, "it holds another value first, and `__init__` may read it through `self`"
                )
            if self.allows(Safety.UNSAFE):  # as convert(): renamed alone, the last line reads no attribute
                self.renames.update(renames)
        value = strip_device_moves(self.imports, first.value)
        return AttributePlan(name, first, value, frozenset(removals), persistent, collapses)

    def _report_chained(self, name: str, state: ClassState) -> None:
        """``self.a = self.b = torch.zeros(n).cuda()``, in ``__init__`` or another method: one
        tensor bound to several names, which one buffer cannot be; or tensors unpacked into
        several attributes (``self.h, self.c = torch.zeros(2, n).cuda()``, or a tuple of them).
        Reported once per statement, when a value shows the idiom itself (a ``.cuda()`` move or
        a ``Variable`` around it)."""
        for method, node in state.attributes[name].other_bindings:
            if not isinstance(node, cst.Assign) or id(node) in self.chained_reported:
                continue
            target = node.targets[0].target
            unpacked = len(node.targets) == 1  # an assignment among other bindings unpacks or chains
            values = [node.value]
            if unpacked and isinstance(node.value, (cst.Tuple, cst.List)):
                values = [element.value for element in node.value.elements]
            if not any(
                state.scopes[method].is_tensor(value) and strip_device_moves(self.imports, value) is not value
                for value in values
            ):
                continue
            self.chained_reported.add(id(node))
            if unpacked:
                names = ", ".join(f"`{node_code(element.value)}`" for element in target.elements)
                what = f"tensors {names} unpacked in one assignment"
            else:
                names = ", ".join(f"`{node_code(target.target)}`" for target in node.targets)
                what = f"one tensor assigned to {names} in a chained assignment"
            self.report(
                node,
                f"{what}: not converted to buffers; give each attribute its own assignment (a buffer "
                "holds one attribute's tensor)",
            )

    def _legacy_constant_as_read(self, name: str, state: ClassState) -> bool:
        """:meth:`_legacy_constant`, asked of the file as it was read: an earlier pass (TU101)
        may have unwrapped the `Variable(...)` that showed the idiom."""
        original = self.context.scratch.get(ORIGINAL_KEY)
        if original is not None and original is not self.original_module:
            node = _class_at(original, self.class_stack)
            if node is not None:
                imports, before = self._as_read(original, node)
                if name in before.attributes and self._legacy_constant(name, before, imports):
                    return True
        return self._legacy_constant(name, state, self.imports)

    def _as_read(self, original: cst.Module, node: cst.ClassDef) -> Tuple[ImportTable, ClassState]:
        """The original file's imports and the class's state in it, computed once per pass: the
        analyses memoise only their last tree, and the pass's own tree comes between."""
        cache = self.__dict__.setdefault("_as_read_cache", {})
        if "imports" not in cache:
            cache["imports"] = import_table(original)
            cache["tensors"] = tensor_exprs(original, cache["imports"])
        if id(node) not in cache:
            cache[id(node)] = scan_class(node, cache["tensors"])
        return cache["imports"], cache[id(node)]

    def _legacy_constant(self, name: str, state: ClassState, imports: ImportTable) -> bool:
        """Whether a tensor attribute is the legacy idiom a buffer replaces: a value it is
        assigned, or a later move of it, hard-wires a device (`.cuda()`) or wraps it in `Variable`, or a method
        reads it through `Variable(self.x)` / `self.x.cuda()`; and not every read outside
        `__init__` already follows the input (`self.x.to(x)`, `self.x.type_as(x).to(x.device)`).

        Modern code keeps CPU-side tensors as plain attributes on purpose (torchvision's
        `self._log_ratio = torch.log(torch.tensor(ratio))`, read as two numbers): a buffer would
        be rounded by `.half()` and re-created by frameworks that rebuild non-persistent buffers."""
        wired = self._device_wired_locals(state, imports)
        legacy = any(
            self._wires_a_device(assignment.value, imports)
            or (assignment.method == "__init__" and bool(names_in(assignment.value) & wired))
            for assignment in state.attributes[name].assignments
        )
        reads = _AttributeReads(name)
        for method_name, method in state.methods.items():
            reads.self_name = method.params.params[0].name.value
            reads.in_init = method_name == "__init__"
            reads.imports = imports
            walk(method.body, reads)
        if reads.outside and reads.outside <= reads.following:
            return False
        return legacy or reads.legacy

    @staticmethod
    def _wires_a_device(value: cst.BaseExpression, imports: ImportTable) -> bool:
        """``.cuda()`` or ``Variable(...)`` anywhere in the expression."""
        return any(is_variable_call(imports, call) or is_cuda_move(call) for call in calls_in(value))

    def _device_wired_locals(self, state: ClassState, imports: ImportTable) -> FrozenSet[str]:
        """Locals of ``__init__`` assigned a value with ``.cuda()`` or ``Variable`` (``pe = torch.zeros(n).cuda()``)."""
        wired: Set[str] = set()
        if state.init is None:
            return frozenset()
        for assign in find_all(state.init.body, m.Assign(targets=[m.AssignTarget(target=m.Name())])):
            assert isinstance(assign, cst.Assign)
            target = assign.targets[0].target
            if isinstance(target, cst.Name) and self._wires_a_device(assign.value, imports):
                wired.add(target.value)
        return frozenset(wired)

    def _prelude_renames(
        self, name: str, state: ClassState, prelude: List[Assignment], last: Assignment
    ) -> Optional[Set[int]]:
        """The ``self.<name>`` nodes of ``__init__`` that become the local ``<name>`` while the
        value is built (``register_buffer`` refuses a name that is already an attribute), or
        None when that is not a pure rename: the local name is taken, a statement in between
        may read the attribute through ``self``, or a step is not a statement of ``__init__``."""
        assert state.init is not None and isinstance(state.init.body, cst.IndentedBlock)
        if any(a.in_loop for a in prelude) or not last.top_level:
            return None
        self_name = state.scopes["__init__"].self_name
        statements = state.init.body.body[prelude[0].statement_index : last.statement_index + 1]
        finder = _SelfAttributeReads(self_name, name)
        for statement in statements:
            walk(statement, finder)
        if finder.escapes or name in names_in(state.init.params) | names_in(state.init.body):
            return None
        return finder.found - {id(last.node.targets[0].target)}

    def _conditional_constant(self, state: ClassState, in_init: List[Assignment]) -> Optional[int]:
        """The id of ``if c: self.x = A.cuda() else: self.x = A`` (a top-level statement of
        ``__init__`` holding the first two assignments), when both branches are one constant."""
        if len(in_init) < 2 or not isinstance(state.init.body, cst.IndentedBlock):
            return None
        first, second = in_init[0], in_init[1]
        if first.statement_index != second.statement_index or first.statement_index < 0:
            return None
        statement = state.init.body.body[first.statement_index]
        if not (isinstance(statement, cst.If) and isinstance(statement.orelse, cst.Else)):
            return None
        branches = [statement.body.body, statement.orelse.body.body]
        assigns = [first.node, second.node]
        for branch, assign in zip(branches, assigns):
            if not (
                len(branch) == 1
                and isinstance(branch[0], cst.SimpleStatementLine)
                and len(branch[0].body) == 1
                and branch[0].body[0] is assign
            ):
                return None
        stripped = {node_code(strip_device_moves(self.imports, a.value)) for a in in_init[:2]}
        if len(stripped) != 1 or not state.is_tensor(second):
            return None
        return id(statement)

    def _decline(self, assignment: Assignment, name: str, why: str) -> None:
        return self.decline(assignment, f"tensor attribute `{name}` not converted to a buffer: {why}")

    def visit_Module(self, node: cst.Module) -> None:
        self.renames: Set[int] = set()  # `self.x` nodes that become the local `x`
        self.chained_reported: Set[int] = set()  # assignments to several attributes, reported once
        super().visit_Module(node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if id(original_node) in self.renames:
            return cst.Name(original_node.attr.value, lpar=original_node.lpar, rpar=original_node.rpar)
        return updated_node

    def convert(
        self, plan: AttributePlan, original: cst.Assign, updated: cst.Assign
    ) -> cst.BaseSmallStatement:
        target = original.targets[0].target
        assert isinstance(target, cst.Attribute)
        call = cst.Call(
            func=cst.Attribute(value=target.value, attr=cst.Name("register_buffer")),
            args=[
                cst.Arg(cst.SimpleString(f'"{plan.name}"')),
                cst.Arg(strip_device_moves(self.imports, updated.value)),
                cst.Arg(
                    keyword=cst.Name("persistent"),
                    value=cst.Name(str(plan.persistent)),
                    equal=cst.AssignEqual(
                        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                    ),
                ),
            ],
        )
        if plan.persistent:
            message = (
                f"`{plan.name}` is changed after `__init__`: registered as a persistent buffer; "
                f"state_dict gains the key `{plan.name}`, so checkpoints saved before need "
                "`load_state_dict(..., strict=False)`"
            )
            safety = Safety.UNSAFE
        else:
            message = (
                f"tensor attribute `{plan.name}` registered as a non-persistent buffer: it now moves "
                "with the module, and also converts with `.half()`/`.to(dtype)`"
            )
            safety = Safety.UNSAFE
        return self.fix(original, cst.Expr(call), message, safety=safety)


class _AttributeReads(cst.CSTVisitor):
    """The reads of ``self.<name>``: those outside ``__init__``, those of them whose value is
    moved to another tensor's device or dtype right away (``.to(x)``, ``.type_as(x)``), and
    whether any is wrapped in ``Variable`` or moved with ``.cuda()`` (the legacy idiom)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.self_name = ""
        self.in_init = False
        self.imports: Optional[ImportTable] = None
        self.outside: Set[int] = set()
        self.following: Set[int] = set()
        self.legacy = False

    def _read(self, node: cst.CSTNode) -> Optional[cst.Attribute]:
        while isinstance(node, cst.Subscript):
            node = node.value
        if (
            isinstance(node, cst.Attribute)
            and node.attr.value == self.name
            and isinstance(node.value, cst.Name)
            and node.value.value == self.self_name
        ):
            return node
        return None

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.in_init and self._read(node) is not None:
            self.outside.add(id(node))

    def _mentioned(self, node: cst.CSTNode) -> bool:
        target = m.Attribute(value=m.Name(self.self_name), attr=m.Name(self.name))
        return m.matches(node, target) or bool(find_all(node, target))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            read = self._read(func.value)
            if read is not None and func.attr.value in ("to", "type_as") and node.args:
                self.following.add(id(read))
            if is_cuda_move(node) and self._mentioned(func.value):
                self.legacy = True  # `self.x.cuda()`, `self.x[i].unsqueeze(0).cuda()`
        assert self.imports is not None
        if is_variable_call(self.imports, node) and any(self._mentioned(arg.value) for arg in node.args):
            self.legacy = True  # `Variable(self.grid.unsqueeze(0).expand(...))`


class _SelfAttributeReads(cst.CSTVisitor):
    """The ``self.<name>`` nodes of some statements, and whether ``self`` escapes there
    (a method call on it, or ``self`` passed along), which could read the attribute."""

    def __init__(self, self_name: Optional[str], name: str) -> None:
        self.self_name = self_name
        self.name = name
        self.found: Set[int] = set()
        self.escapes = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if isinstance(node.value, cst.Name) and node.value.value == self.self_name:
            if node.attr.value == self.name:
                self.found.add(id(node))
            return False
        return True

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            if func.value.value == self.self_name:
                self.escapes = True
        if any(isinstance(a.value, cst.Name) and a.value.value == self.self_name for a in node.args):
            self.escapes = True


def _class_at(module: cst.Module, path: List[str]) -> Optional[cst.ClassDef]:
    """The class ``Outer.Inner`` of ``path`` (as ``class_stack`` names it) in ``module``."""
    body: "tuple | list" = module.body
    found: Optional[cst.ClassDef] = None
    for name in path:
        found = next((s for s in body if isinstance(s, cst.ClassDef) and s.name.value == name), None)
        if found is None or not isinstance(found.body, cst.IndentedBlock):
            return None
        body = found.body.body
    return found


def _is_none(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"
