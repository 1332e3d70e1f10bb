"""TU301 cuda_constants: ``.cuda()`` on constants -> created on the device of a tensor in scope.

What it does
    In the methods of an nn.Module subclass other than ``__init__``, a constant built with a
    torch factory and moved with ``.cuda()`` is created on the device of a tensor in scope:
    ``torch.zeros(n).cuda()`` and ``Variable(torch.zeros(n)).cuda()`` become
    ``torch.zeros(n, device=x.device)``; a constant from a random factory or a method chain
    becomes ``<constant>.to(x.device)`` (so it still draws from the CPU generator). The reference
    is the method's first parameter used as a tensor (``x.size()``, ``x.view()``, ...), else a
    registered buffer or parameter of ``self``, else ``next(self.parameters())`` when
    ``__init__`` creates a layer with parameters. A conditional constant
    (``torch.zeros(n).cuda() if self.use_cuda else torch.zeros(n)``) becomes one expression, and
    a local constant moved later (``h = torch.zeros(n)`` ... ``if self.use_cuda: h = h.cuda()``)
    is created on the device and its move (with the emptied ``if``) removed.

    Outside Modules (and inside them, in preference to the above) a move guarded by the device
    of a parameter names its reference unambiguously: ``if lengths.is_cuda: r = r.cuda()``
    creates ``r`` on ``lengths.device``, and ``c.cuda() if x.is_cuda else c`` becomes
    ``c.to(x.device)``. Any tensor moved under a test of a tensor's device —
    ``if x.is_cuda: iden = iden.cuda()`` with ``iden`` from numpy, ``self.grid = self.grid.cuda()``
    in ``forward``, ``if isinstance(out.data, torch.cuda.FloatTensor): pads = pads.cuda()`` —
    becomes ``iden = iden.to(x.device)`` in place, the guard removed. In a Module's methods,
    ``self.eps.cuda() if USE_CUDA else self.eps`` on a registered buffer or parameter becomes
    ``self.eps``. Other ``.cuda()`` calls in plain functions are left alone (TU304 reports them).

    In ``__init__``, ``.cuda()`` inside ``nn.Parameter(...)`` and ``self.register_buffer(...)``
    is dropped, and so is the ``.cuda()`` of a local that is read only to build buffers and
    parameters (``pe = torch.zeros(n, d).cuda()`` ... ``self.register_buffer("pe", pe)``): the
    module moves them. (A plain ``self.x = <constant>.cuda()`` is TU201's.)

Why
    ``.cuda()`` on a constant fails on a CPU-only machine, always picks the current GPU
    whatever device the model is on, and leaves nothing for ``model.to(device)`` to move.

Before
    def init_hidden(self, x):
        h = Variable(torch.zeros(1, x.size(0), self.hidden_size))
        if self.use_cuda:
            h = h.cuda()
        return h

After
    def init_hidden(self, x):
        h = Variable(torch.zeros(1, x.size(0), self.hidden_size, device=x.device))
        return h

Fix safety
    Safe: values and dtypes are unchanged (random constants keep the CPU generator); only the
    device now follows the model's data instead of the current GPU. A guarded move in place is
    safe when every other assignment of the moved name in the function builds it on the CPU
    (a factory, numpy data); otherwise, and under an ``isinstance(..., torch.cuda.FloatTensor)``
    test (which also tested the dtype), it is unsafe.

Limitations
    ``.cuda()`` on anything but a constant built from torch factories (inputs, targets, tensors
    from numpy) is the user's device choice and is left alone, as is a constant moved under a
    flag in a training script (``if use_cuda: noise = noise.cuda()``): there is no tensor whose
    device it should follow. A method with no tensor to take
    the device from is reported. A parameter counts as a tensor only when the method uses it
    like one and never rebinds it to something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

import libcst as cst
import libcst.matchers as m

from torchup.analysis.imports import TargetBindings, bound_names
from torchup.analysis.tree_screen import moves_constants
from torchup.analysis.walk import find_all, walk
from torchup.analysis.tensor_exprs import (
    DETERMINISTIC_FACTORIES,
    TENSOR_METHODS,
    TensorExprs,
    is_cuda_move,
    is_variable_call,
    keyword,
    strip_device_moves,
    torch_factory,
)
from torchup.codemod import Safety, node_code
from torchup.codemods.buffers import ClassState, ModuleStateCodemod, calls_in, scan_class, without_emptied_body

# A parameter used with one of these is a tensor (or was a Variable): a numpy array's `.size`
# is not called, and PackedSequence has none of them.
# fmt: off
_TENSOR_ONLY_METHODS = frozenset(
    {
        "size", "dim", "view", "unsqueeze", "squeeze", "transpose", "permute", "contiguous",
        "new", "new_zeros", "new_ones", "new_full", "new_empty", "get_device", "masked_fill",
        "expand", "expand_as", "reshape", "matmul", "bmm", "mm", "narrow", "index_select",
        "numel", "view_as", "type_as", "float", "long", "mul", "mul_", "add", "add_", "sub", "div",
        "exp", "exp_", "sqrt", "pow", "masked_fill_", "sigmoid", "tanh", "clamp",
    }
)
# fmt: on
# nn layers that own parameters: `next(self.parameters())` exists when __init__ makes one.
# fmt: off
_LAYERS_WITH_PARAMETERS = frozenset(
    {
        "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
        "ConvTranspose3d", "LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Embedding",
        "EmbeddingBag", "LayerNorm", "PReLU", "MultiheadAttention", "Parameter",
    }
)
# fmt: on
# Factories that wrap outside data: moving that is the user's choice, not a constant's.
_DATA_FACTORIES = frozenset({"from_numpy", "as_tensor"})


@dataclass(frozen=True)
class _MethodPlan:
    reference: Optional[cst.BaseExpression]  # `x` in `device=x.device`
    moved_locals: FrozenSet[str]  # locals built as constants and moved later with `.cuda()`
    constant_locals: FrozenSet[str]  # other locals every assignment of which is a constant
    removals: FrozenSet[int]  # ids of their `h = h.cuda()` Assign nodes
    # Moved locals whose every move is guarded by `if x.is_cuda:`, x a parameter: x is their reference.
    guard_references: Mapping[str, str] = field(default_factory=dict)
    parameters: FrozenSet[str] = frozenset()
    size_locals: FrozenSet[str] = frozenset()  # locals that only ever hold an int or a torch.Size
    data_locals: FrozenSet[str] = frozenset()  # locals that only ever hold a list or tuple display
    in_module: bool = True  # a method of an nn.Module (elsewhere only guarded moves are rewritten)
    module_state: FrozenSet[str] = frozenset()  # `self.w` for each parameter and registered buffer


class DeviceReferenceCodemod(ModuleStateCodemod):
    """Knows, in each method of a Module class, which tensor gives the device (TU301, TU302)."""

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.methods: Dict[int, _MethodPlan] = {}
        self.init_methods: Set[int] = set()
        # Assign nodes of `__init__` locals that only feed buffers and parameters
        self.init_state_locals: Set[int] = set()
        self.active: List[Optional[_MethodPlan]] = []  # per enclosing function
        self.in_init: List[bool] = []
        self.assigned: List[Dict[str, List[cst.BaseExpression]]] = []  # per enclosing function
        # per enclosing conditional expression: the reference it collapses onto, if it does
        self.collapsing: List[Optional[cst.BaseExpression]] = []

    # -- planning ---------------------------------------------------------------------------

    def enter_module_class(self, node: cst.ClassDef) -> None:
        state = scan_class(node, self.tensors)
        module_refs: List[str] = []
        if state.init is not None:
            self.init_methods.add(id(state.init))
            self.init_state_locals.update(_module_state_locals(state.init))
            module_refs = self._module_references(state.init, state)
        for name, method in state.methods.items():
            if name != "__init__":
                self.methods[id(method)] = self._plan_method(method, state.scopes[name], module_refs)

    def _module_references(self, init: cst.FunctionDef, state: ClassState) -> List[str]:
        """Tensors of ``self`` that live on the module's device, best first, as templates
        (``{self}.pe``) for each method's name of ``self``."""
        self_name = state.scopes["__init__"].self_name
        refs: List[str] = []
        for name, uses in sorted(state.attributes.items()):
            if any(
                a.method == "__init__"
                and isinstance(a.value, cst.Call)
                and self.imports.qualified_name(a.value.func) == "torch.nn.Parameter"
                for a in uses.assignments
            ):
                refs.append(f"{{self}}.{name}")
        refs.extend(f"{{self}}.{name}" for name in _register_calls(init, self_name))
        # A layer with parameters made anywhere in __init__ (`nn.Sequential(nn.Linear(...))`,
        # `layers.append(nn.Conv2d(...))`) means the module has a parameter to ask.
        if any(
            (self.imports.qualified_name(call.func) or "").rsplit(".", 1)[-1] in _LAYERS_WITH_PARAMETERS
            and (self.imports.qualified_name(call.func) or "").startswith("torch.nn.")
            for call in calls_in(init)
        ):
            refs.append("next({self}.parameters())")
        return refs

    def _plan_method(
        self, method: cst.FunctionDef, scope: TensorExprs, module_refs: List[str]
    ) -> _MethodPlan:
        reference: Optional[cst.BaseExpression] = self._tensor_parameter(method, scope)
        if reference is None and module_refs:
            reference = cst.parse_expression(module_refs[0].format(self=scope.self_name))
        plan = self._constant_locals(method, reference, in_module=True)
        state = {ref.format(self=scope.self_name) for ref in module_refs if ref.startswith("{self}.")}
        return replace(plan, module_state=frozenset(state))

    def _plan_function(self, function: cst.FunctionDef) -> _MethodPlan:
        """A function outside any Module: only ``if x.is_cuda: h = h.cuda()`` names its device."""
        return self._constant_locals(function, None, in_module=False)

    def _tensor_parameter(self, method: cst.FunctionDef, scope: TensorExprs) -> Optional[cst.Name]:
        usage = _ParameterUsage()
        walk(method.body, usage)
        for param in method.params.params[1:]:
            name = param.name.value
            if name not in usage.tensor_like or name in usage.other_bindings:
                continue
            with_param = TensorExprs(self.tensors.imports, self.tensors.helpers, scope.locals | {name})
            if all(with_param.is_tensor(v) for v in usage.assignments.get(name, [])):
                return cst.Name(name)
        return None

    def _constant_locals(
        self, method: cst.FunctionDef, reference: Optional[cst.BaseExpression], in_module: bool
    ) -> _MethodPlan:
        """The plan of a function: its locals built only from constants, split into those moved
        later by ``h = h.cuda()`` (with the ids of those moves) and the others."""
        usage = _ParameterUsage()
        walk(method.body, usage)
        params = {p.name.value for p in method.params.params}
        candidates = {n for n in usage.assignments if n not in usage.other_bindings and n not in params}
        moves = {
            name: [a for a in usage.assign_nodes[name] if _is_identity_move(self, a.value, name)]
            for name in candidates
        }
        # Greatest fixpoint, as for tensor locals: `a = torch.zeros(n); b = a * 2` are both constants.
        constants = set(candidates)
        while True:
            keep = {
                name
                for name in constants
                if all(
                    self.is_constant(a.value, frozenset(constants)) or a in moves[name]
                    for a in usage.assign_nodes[name]
                )
                and len(moves[name]) < len(usage.assign_nodes[name])
            }
            if keep == constants:
                break
            constants = keep
        moved = {name for name in constants if moves[name]}
        guards: Dict[str, str] = {}
        for name in moved:
            tests = {_is_cuda_test(usage.guards.get(id(a))) for a in moves[name]}
            if len(tests) == 1 and next(iter(tests)) in params:
                guards[name] = next(iter(tests))
        if not in_module:  # a move not guarded by its reference's device stays the user's choice
            moved = set(guards)
        removals = {id(a) for name in moved for a in moves[name]}
        return _MethodPlan(
            reference,
            moved_locals=frozenset(moved),
            constant_locals=frozenset(constants - moved),
            removals=frozenset(removals),
            guard_references=guards,
            parameters=frozenset(params),
            size_locals=frozenset(
                name
                for name, values in usage.assignments.items()
                if name not in usage.other_bindings and name not in params and all(map(is_size, values))
            ),
            data_locals=frozenset(
                name
                for name, values in usage.assignments.items()
                if name not in usage.other_bindings
                and name not in params
                and all(isinstance(v, (cst.List, cst.Tuple, cst.ListComp)) for v in values)
            ),
            in_module=in_module,
        )

    # -- what counts as a constant ----------------------------------------------------------

    def is_constant(self, node: cst.BaseExpression, constant_locals: FrozenSet[str] = frozenset()) -> bool:
        """A tensor built only from torch factories (whatever their arguments) and ``constant_locals``."""
        node = strip_device_moves(self.imports, node)
        if isinstance(node, cst.Name):
            return node.value in constant_locals
        if isinstance(node, cst.Call):
            factory = torch_factory(self.imports, node)
            if factory is not None:
                return factory not in _DATA_FACTORIES and not factory.startswith("cuda.")
            if is_variable_call(self.imports, node):
                return bool(node.args) and self.is_constant(node.args[0].value, constant_locals)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value != "cuda":
                return node.func.attr.value in TENSOR_METHODS and self.is_constant(
                    node.func.value, constant_locals
                )
            return False
        if isinstance(node, (cst.Subscript,)):
            return self.is_constant(node.value, constant_locals)
        if isinstance(node, cst.Attribute) and node.attr.value == "data":
            return self.is_constant(node.value, constant_locals)
        if isinstance(node, cst.BinaryOperation):
            sides = [node.left, node.right]
            return any(self.is_constant(s, constant_locals) for s in sides) and all(
                self.is_constant(s, constant_locals) or isinstance(s, (cst.Integer, cst.Float)) for s in sides
            )
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.class_stack and id(node) not in self.methods:  # a module-level function
            self.methods[id(node)] = self._plan_function(node)
        super().visit_FunctionDef(node)
        self.active.append(self.methods.get(id(node)))
        self.in_init.append(id(node) in self.init_methods)
        assigned = _Assignments()
        walk(node.body, assigned)
        self.assigned.append(assigned.values)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.active.pop()
        self.in_init.pop()
        self.assigned.pop()
        return super().leave_FunctionDef(original_node, updated_node)

    def _plan(self) -> Optional[_MethodPlan]:
        # Nested functions see their method's plan: closures share its parameters.
        for plan in reversed(self.active):
            if plan is not None:
                return plan
        return None

    def reference(self) -> Optional[cst.BaseExpression]:
        """The tensor whose device the current method's constants go to, if there is one."""
        plan = self._plan()
        return None if plan is None else plan.reference

    def in_module_method(self) -> bool:
        plan = self._plan()
        return plan is not None and plan.in_module

    def in_module_init(self) -> bool:
        return bool(self.in_init) and self.in_init[-1]


class CudaConstants(DeviceReferenceCodemod):
    CODE = "TU301"
    NAME = "cuda_constants"
    SUMMARY = "`torch.zeros(n).cuda()` in a Module's methods -> `torch.zeros(n, device=x.device)`"
    SAFETY = "safe"
    MARKERS = ("cuda",)  # `x.cuda ()` and `x.cuda\n()` too
    # Every `.cuda()` it rewrites or reports is on a constant rooted in a torch factory call
    # (ModuleStateCodemod.TENSOR_ROOT), except the ones it drops inside `nn.Parameter(...)` /
    # `register_buffer(...)` (also when TU201/TU202 wrote them: they need a root too).
    # And each is a call of a `.cuda` attribute: between the name and the `(` only spaces, `\`
    # continuations, closing parentheses and comments can stand (`x.cuda ()`, `(x.cuda)()`), so
    # `torch.cuda.is_available()` alone does not count. The marker alone is any `cuda`.
    PATTERN = (
        r"(?ms)\A(?=.*?\.[\s\\]*cuda(?:[\s\\)]|#[^\n]*)*\()"
        r"(?=.*?(?:\bParameter\b|\bregister_buffer\b|" + ModuleStateCodemod.TENSOR_ROOT + r"))"
    )
    TREE_SCREEN = staticmethod(moves_constants)

    def on_device(self, node: cst.BaseExpression, reference: cst.BaseExpression) -> cst.BaseExpression:
        """The constant ``node`` (moves stripped) created on ``reference``'s device."""
        device = cst.Attribute(value=reference, attr=cst.Name("device"))
        stripped = strip_device_moves(self.imports, node)
        target = stripped
        while is_variable_call(self.imports, target):  # keep a requires_grad Variable, move inside
            assert isinstance(target, cst.Call)
            inner = self.on_device(target.args[0].value, reference)
            return target.with_changes(args=[target.args[0].with_changes(value=inner), *target.args[1:]])
        factory = torch_factory(self.imports, target) if isinstance(target, cst.Call) else None
        if factory in DETERMINISTIC_FACTORIES and keyword(target, "device") is None:
            assert isinstance(target, cst.Call)
            args = list(target.args)
            if args and args[-1].comma is not cst.MaybeSentinel.DEFAULT and "\n" not in node_code(target):
                args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            args.append(cst.Arg(keyword=cst.Name("device"), value=device, equal=_EQUAL))
            return target.with_changes(args=args)
        if not isinstance(target, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            target = target.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return cst.Call(func=cst.Attribute(value=target, attr=cst.Name("to")), args=[cst.Arg(device)])

    # -- rewriting --------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.in_init and self.in_init[-1]:
            return self._in_init(original_node, updated_node)
        plan = self._plan()
        if plan is None or not is_cuda_move(original_node) or any(r is not None for r in self.collapsing):
            return updated_node  # a collapsing conditional rewrites its branches as one
        assert isinstance(original_node.func, cst.Attribute)
        if not self.is_constant(original_node.func.value, plan.constant_locals):
            return updated_node  # data entering the model: the user's device choice
        if plan.reference is None:
            if plan.in_module:
                self.report(
                    original_node, "`.cuda()` on a constant, but no tensor in scope to take the device from"
                )
            return updated_node
        # From the updated call: in a pass shared with TU4xx, the constant inside may be rewritten.
        return self.fix(
            original_node,
            self.on_device(updated_node, plan.reference),
            f"constant created on `{node_code(plan.reference)}.device` instead of moved with `.cuda()`",
        )

    def _in_init(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = self.imports.qualified_name(original.func)
        registers = isinstance(original.func, cst.Attribute) and original.func.attr.value == "register_buffer"
        if func != "torch.nn.Parameter" and not registers:
            return updated
        position = 0 if func == "torch.nn.Parameter" else 1
        if len(updated.args) <= position:
            return updated
        value = updated.args[position].value
        stripped = strip_device_moves(self.imports, value)
        if node_code(stripped) == node_code(value) or not _has_cuda_move(value):
            return updated
        args = list(updated.args)
        args[position] = args[position].with_changes(value=stripped)
        where = "nn.Parameter" if position == 0 else "register_buffer"
        return self.fix(
            original,
            updated.with_changes(args=args),
            f"`.cuda()` dropped inside `{where}(...)`: the module moves it",
        )

    def _collapse_reference(self, node: cst.IfExp) -> Optional[cst.BaseExpression]:
        """The reference for ``c.cuda() if x.is_cuda else c`` (a constant ``c``), or None."""
        plan = self._plan()
        if plan is None or self.in_module_init():
            return None
        body, orelse = node.body, node.orelse
        if not (_has_cuda_move(body) or _has_cuda_move(orelse)):
            return None
        if not self.is_constant(body, plan.constant_locals | plan.moved_locals):
            return None
        stripped = [node_code(strip_device_moves(self.imports, branch)) for branch in (body, orelse)]
        if stripped[0] != stripped[1]:
            return None
        guard = _is_cuda_test(node.test)
        if guard is not None and guard in plan.parameters:
            return cst.Name(guard)
        return plan.reference if plan.in_module else None

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.collapsing.append(self._collapse_reference(node))

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        reference = self.collapsing.pop()
        if reference is None:
            return self._module_state_move(original_node, updated_node)
        return self.fix(
            original_node,
            self.on_device(original_node.body, reference),
            f"conditional `.cuda()` on a constant: created on `{node_code(reference)}.device`",
        )

    def _module_state_move(self, original: cst.IfExp, updated: cst.IfExp) -> cst.BaseExpression:
        """``self.eps.cuda() if USE_CUDA else self.eps``, ``self.eps`` a buffer or parameter:
        the module's own state is already where the module is."""
        plan = self._plan()
        body, orelse = original.body, original.orelse
        if plan is None or not (is_cuda_move(body) and not body.args):
            return updated
        state = node_code(orelse)
        if state not in plan.module_state or node_code(body.func.value) != state:
            return updated
        return self.fix(
            original,
            updated.orelse.with_changes(lpar=updated.lpar, rpar=updated.rpar),
            f"`{state}` is a buffer or parameter: it moves with the module, `.cuda()` dropped",
        )

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign):
        if self.in_module_init():
            return self._init_local(original_node, updated_node)
        plan = self._plan()
        if plan is None or len(original_node.targets) != 1:
            return updated_node
        target = original_node.targets[0].target
        if not (isinstance(target, cst.Name) and target.value in plan.moved_locals):
            return updated_node
        guard = plan.guard_references.get(target.value)
        reference = cst.Name(guard) if guard is not None else plan.reference
        if reference is None:
            return updated_node
        if id(original_node) in plan.removals:
            return self.fix(
                original_node,
                cst.RemoveFromParent(),
                f"`{target.value}` is already on the device: move removed",
            )
        if _has_cuda_move(updated_node.value) and node_code(updated_node.value) != node_code(
            original_node.value
        ):
            return updated_node  # leave_Call already put it on the device
        if _mentions(original_node.value, target.value):
            return updated_node  # derived from itself: already on the device
        return self.fix(
            original_node,
            updated_node.with_changes(value=self._on_device_keep_variable(updated_node.value, reference)),
            f"constant `{target.value}` created on `{node_code(reference)}.device` (it was moved later)",
        )

    def _init_local(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        """``pe = torch.zeros(n).cuda()`` in ``__init__``, when ``pe`` only feeds buffers or
        parameters: built on the CPU, the module moves it."""
        if id(original) not in self.init_state_locals or not _has_cuda_move(original.value):
            return updated
        stripped = strip_device_moves(self.imports, updated.value)
        if _has_cuda_move(stripped) or not self.is_constant(stripped, frozenset(_names(stripped))):
            return updated
        name = node_code(original.targets[0].target)
        return self.fix(
            original,
            updated.with_changes(value=stripped),
            f"`.cuda()` dropped from `{name}`: it only feeds buffers and parameters, which the module moves",
        )

    def _on_device_keep_variable(
        self, value: cst.BaseExpression, reference: cst.BaseExpression
    ) -> cst.BaseExpression:
        # TU101 owns `Variable(...)`: keep the wrapper, put the factory inside it on the device.
        if is_variable_call(self.imports, value) and value.args:
            assert isinstance(value, cst.Call)
            first = value.args[0]
            return value.with_changes(
                args=[first.with_changes(value=self.on_device(first.value, reference)), *value.args[1:]]
            )
        return self.on_device(value, reference)

    def _guarded_moves(self, original: cst.If, updated: cst.If):
        """``if x.is_cuda: h = h.cuda()`` -> ``h = h.to(x.device)``: the guard names the tensor
        whose device ``h`` must follow, so the move no longer depends on where ``x`` is."""
        plan = self._plan()
        guard = device_guard(self.imports, original.test)
        if plan is None or guard is None or updated.orelse is not None or self.in_module_init():
            return None
        reference, exact = guard
        lines = updated.body.body
        statements = [line for line in lines if isinstance(line, cst.SimpleStatementLine)]
        if isinstance(updated.body, cst.SimpleStatementSuite):
            statements = [cst.SimpleStatementLine(body=list(lines))]
        elif len(statements) != len(lines) or not statements:
            return None
        small = [item for line in statements for item in line.body]
        if not small or not all(
            isinstance(item, cst.Assign) and _identity_move_targets(item, reference) for item in small
        ):
            return None
        device = cst.Attribute(value=cst.Name(reference), attr=cst.Name("device"))
        cpu_built = all(
            self._built_on_cpu(target) for item in small for target in _identity_move_targets(item, reference)
        )
        rewritten = []
        for number, line in enumerate(statements):
            body = [item.with_changes(value=_moved_value(item.value, device)) for item in line.body]
            leading = original.leading_lines if number == 0 else line.leading_lines
            rewritten.append(line.with_changes(body=body, leading_lines=leading))
        test = node_code(original.test)
        why = "" if exact else f" (the `{test}` test also checked the dtype)"
        return self.fix(
            original,
            cst.FlattenSentinel(rewritten),
            f"`.cuda()` under `if {test}:` -> `.to({reference}.device)`{why}",
            safety=Safety.SAFE if exact and cpu_built else Safety.UNSAFE,
            keep=updated,
        )

    def _built_on_cpu(self, target: str) -> bool:
        """Every other assignment of ``target`` in the function builds a tensor on the CPU."""
        values = [v for v in self.assigned[-1].get(target, []) if not _has_cuda_move(v)] if self.assigned else []
        return bool(values) and all(_built_on_cpu(self.imports, v) for v in values)

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if not updated_node.body:
            return cst.RemoveFromParent()
        return updated_node

    def leave_If(self, original_node: cst.If, updated_node: cst.If):
        moved = self._guarded_moves(original_node, updated_node)
        if moved is not None:
            return moved
        return without_emptied_body(updated_node)


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


def device_guard(imports, test: Optional[cst.BaseExpression]) -> Optional[Tuple[str, bool]]:
    """``("x", True)`` for ``x.is_cuda`` / ``x.data.is_cuda``; ``("x", False)`` for
    ``isinstance(x.data, torch.cuda.FloatTensor)`` (a test of the dtype too)."""
    if isinstance(test, cst.Attribute) and test.attr.value == "is_cuda":
        tensor = test.value
        if isinstance(tensor, cst.Attribute) and tensor.attr.value == "data":
            tensor = tensor.value
        return (tensor.value, True) if isinstance(tensor, cst.Name) else None
    if (
        isinstance(test, cst.Call)
        and isinstance(test.func, cst.Name)
        and test.func.value == "isinstance"
        and len(test.args) == 2
    ):
        kind = imports.qualified_name(test.args[1].value) or ""
        tensor = test.args[0].value
        if isinstance(tensor, cst.Attribute) and tensor.attr.value == "data":
            tensor = tensor.value
        if kind.startswith("torch.cuda.") and kind.endswith("Tensor") and isinstance(tensor, cst.Name):
            return (tensor.value, False)
    return None


def _identity_move_target(assign: cst.Assign, guard: str) -> Optional[str]:
    """``h`` for ``h = h.cuda()``, ``self.g`` for ``self.g = self.g.cuda()``; the device argument
    may only name the guard's tensor (``h.cuda(x.get_device())`` under ``if x.is_cuda:``)."""
    if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, (cst.Name, cst.Attribute)):
        return None
    value = assign.value
    args = value.args if isinstance(value, cst.Call) else []
    positional = [a for a in args if a.keyword is None or a.keyword.value == "device"]
    if not is_cuda_move(value) or not all(
        node_code(a.value) in (f"{guard}.get_device()", f"{guard}.device") for a in positional
    ):
        return None
    target = node_code(assign.targets[0].target)
    return target if node_code(value.func.value) == target else None


def _identity_move_targets(assign: cst.Assign, guard: str) -> Optional[List[str]]:
    """:func:`_identity_move_target`, also for ``a, b = a.cuda(), b.cuda()`` (NRI's
    ``set_diag_to_one``): every element moved onto itself."""
    single = _identity_move_target(assign, guard)
    if single is not None:
        return [single]
    if len(assign.targets) != 1:
        return None
    target, value = assign.targets[0].target, assign.value
    if not (isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple)) or len(target.elements) != len(value.elements):
        return None
    names = []
    for left, right in zip(target.elements, value.elements):
        if isinstance(left, cst.StarredElement) or isinstance(right, cst.StarredElement):
            return None
        name = _identity_move_target(cst.Assign(targets=[cst.AssignTarget(left.value)], value=right.value), guard)
        if name is None:
            return None
        names.append(name)
    return names


def _moved_value(value: cst.BaseExpression, device: cst.BaseExpression) -> cst.BaseExpression:
    """The moves of :func:`_identity_move_targets`, each made ``.to(device)``."""
    if isinstance(value, cst.Tuple):
        return value.with_changes(
            elements=[element.with_changes(value=_moved_to(element.value, device)) for element in value.elements]
        )
    return _moved_to(value, device)


def _moved_to(move: cst.Call, device: cst.BaseExpression) -> cst.Call:
    """``h.cuda(non_blocking=True)`` -> ``h.to(device, non_blocking=True)``."""
    assert isinstance(move.func, cst.Attribute)
    keywords = [a for a in move.args if a.keyword is not None and a.keyword.value != "device"]
    keywords = [a.with_changes(keyword=cst.Name("non_blocking")) if a.keyword.value == "async" else a for a in keywords]
    args = [cst.Arg(device), *keywords]
    args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]
    return move.with_changes(func=move.func.with_changes(attr=cst.Name("to")), args=args)


def _built_on_cpu(imports, node: cst.BaseExpression) -> bool:
    """A tensor created here from a torch factory (numpy data included), through method chains."""
    node = strip_device_moves(imports, node)
    if isinstance(node, cst.Call):
        factory = torch_factory(imports, node)
        if factory is not None:
            on_cpu = not factory.startswith("cuda.") and not factory.endswith("_like")
            return on_cpu and keyword(node, "device") is None
        if is_variable_call(imports, node):
            return bool(node.args) and _built_on_cpu(imports, node.args[0].value)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value not in ("to", "cuda", "type"):
            return _built_on_cpu(imports, node.func.value)
        return False
    if isinstance(node, cst.Subscript):
        return _built_on_cpu(imports, node.value)
    return False


def _has_cuda_move(node: cst.CSTNode) -> bool:
    return any(is_cuda_move(call) for call in find_all(node, m.Call()))


def _is_identity_move(codemod: DeviceReferenceCodemod, value: cst.BaseExpression, name: str) -> bool:
    return _has_cuda_move(value) and node_code(strip_device_moves(codemod.imports, value)) == name


def is_size(node: cst.CSTNode) -> bool:
    """``3``, ``x.size(0)``, ``x.size()``, ``len(x)``, ``n * 2``: an int or a torch.Size."""
    if isinstance(node, cst.Integer):
        return True
    if isinstance(node, cst.BinaryOperation):
        return is_size(node.left) and is_size(node.right)
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("size", "dim", "numel"):
        return True
    return isinstance(func, cst.Name) and func.value in ("len", "int")


def _names(node: cst.CSTNode) -> Set[str]:
    return {name.value for name in find_all(node, m.Name())}


class _StateLocalUses(cst.CSTVisitor):
    """Where each local of ``__init__`` is read, and whether every read feeds module state."""

    _STATE_CALLS = ("register_buffer", "Parameter")

    def __init__(self) -> None:
        self.assigns: Dict[str, List[cst.Assign]] = {}
        self.other_bindings: Set[str] = set()
        self.escapes: Set[str] = set()  # read somewhere that is not module state
        self.state_depth = 0
        self.own_assignment: Optional[str] = None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if name in self._STATE_CALLS:
            self.state_depth += 1

    def leave_Call(self, original_node: cst.Call) -> None:
        func = original_node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if name in self._STATE_CALLS:
            self.state_depth -= 1

    def visit_Assign(self, node: cst.Assign) -> Optional[bool]:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if isinstance(target, cst.Name):
            self.assigns.setdefault(target.value, []).append(node)
            self.own_assignment = target.value  # `pe = pe.unsqueeze(0)` keeps pe what it is
            walk(node.value, self)
            self.own_assignment = None
            return False
        if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            # `pe[:, 0::2] = ...` writes into pe; its index and value are ordinary reads
            for element in target.slice:
                walk(element, self)
            walk(node.value, self)
            return False
        for item in node.targets:
            if isinstance(item.target, (cst.Tuple, cst.List)):
                self.other_bindings.update(
                    e.value.value for e in item.target.elements if isinstance(e.value, cst.Name)
                )
        return None

    def visit_Expr(self, node: cst.Expr) -> Optional[bool]:
        # `pe.mul_(2)` as a statement changes pe in place; its arguments are ordinary reads
        value = node.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and isinstance(value.func.value, cst.Name)
            and value.func.attr.value.endswith("_")
        ):
            for arg in value.args:
                walk(arg, self)
            return False
        return None

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)  # `self.w` reads self, not a local named w
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)  # a keyword's name is not a read
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if self.state_depth == 0 and node.value != self.own_assignment:
            self.escapes.add(node.value)


def _module_state_locals(init: cst.FunctionDef) -> Set[int]:
    """The Assign nodes of the ``__init__`` locals read only to build buffers and parameters."""
    uses = _StateLocalUses()
    walk(init.body, uses)
    return {
        id(assign)
        for name, assigns in uses.assigns.items()
        if name not in uses.escapes and name not in uses.other_bindings
        for assign in assigns
    }


def _mentions(node: cst.CSTNode, name: str) -> bool:
    mentions = _Mentions(name)
    walk(node, mentions)
    return mentions.found


class _Mentions(cst.CSTVisitor):
    # At module level, not in _mentions: a class made per call costs more than the walk.
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Name(self, candidate: cst.Name) -> None:
        if candidate.value == self.name:
            self.found = True

    def visit_Attribute(self, attribute: cst.Attribute) -> bool:
        # `torch.zeros(...)` does not mention a local named `zeros`: only the value is a name.
        walk(attribute.value, self)
        return False


def _is_cuda_test(test: Optional[cst.BaseExpression]) -> Optional[str]:
    """``x`` for the test ``x.is_cuda``."""
    if isinstance(test, cst.Attribute) and test.attr.value == "is_cuda" and isinstance(test.value, cst.Name):
        return test.value.value
    return None


def _register_calls(init: cst.FunctionDef, self_name: Optional[str]) -> List[str]:
    names: List[str] = []
    for call in find_all(init.body, m.Call()):
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("register_buffer", "register_parameter")
            and isinstance(func.value, cst.Name)
            and func.value.value == self_name
            and call.args
            and isinstance(call.args[0].value, cst.SimpleString)
            and len(call.args) > 1
            and not (isinstance(call.args[1].value, cst.Name) and call.args[1].value.value == "None")
        ):
            names.append(str(call.args[0].value.evaluated_value))
    return names


class _Assignments(cst.CSTVisitor):
    """The values assigned to each plain target (``h``, ``self.g``) of a function, by its code."""

    def __init__(self) -> None:
        self.values: Dict[str, List[cst.BaseExpression]] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.values.setdefault(node_code(target.target), []).append(node.value)


class _ParameterUsage(TargetBindings):
    """How a method uses names: as tensors (``x.size()``), assigned, or bound otherwise."""

    def __init__(self) -> None:
        self.tensor_like: Set[str] = set()
        self.assignments: Dict[str, List[cst.BaseExpression]] = {}
        self.assign_nodes: Dict[str, List[cst.Assign]] = {}
        self.other_bindings: Set[str] = set()
        self.guards: Dict[int, cst.BaseExpression] = {}  # id of an Assign -> the `if` test it is under

    def visit_If(self, node: cst.If) -> None:
        for statement in node.body.body:
            small = statement.body if isinstance(statement, cst.SimpleStatementLine) else [statement]
            for item in small:
                if isinstance(item, cst.Assign):
                    self.guards[id(item)] = node.test

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.attr.value in _TENSOR_ONLY_METHODS
        ):
            self.tensor_like.add(func.value.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name) and len(node.targets) == 1:
                self.assignments.setdefault(target.target.value, []).append(node.value)
                self.assign_nodes.setdefault(target.target.value, []).append(node)
            else:
                self.bind_target(target.target)

    def bind_target(self, target: cst.CSTNode) -> None:
        self.other_bindings.update(bound_names(target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.other_bindings.add(node.target.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind_target(node.target)
