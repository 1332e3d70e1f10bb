"""TU304 script_device: one ``device`` for a script, decided where its GPU switch is.

What it does
    Finds the moves a legacy GPU switch guards — ``if use_cuda: model.cuda()``,
    ``if args.cuda: data, target = data.cuda(), target.cuda()``, ``x.cuda() if USE_CUDA else x``
    — and defines ``device = torch.device("cuda" if <switch> else "cpu")`` once, right after the
    statement that decides the switch (``use_cuda = torch.cuda.is_available()``,
    ``args.cuda = not args.no_cuda and torch.cuda.is_available()``, ``opt = parser.parse_args()``
    for a ``--cuda`` flag), or at the start of the function whose parameter is the switch
    (``def batchify(data, bsz, cuda=False)``, ``self.gpu_mode``); a function that reads a switch
    the module sets uses the module's ``device``. The guarded ``.cuda()`` calls
    become ``.to(device)`` (``non_blocking=`` kept), and a guard left with nothing but moves is
    removed. A switch is a name or attribute spelled ``cuda``, ``gpu``, ``use_cuda``,
    ``USE_CUDA``, ``use_gpu``, ``gpu_mode`` and the like, or ``not args.no_cuda``.

    A guard that moves to a GPU by number, ``if len(opt.gpu_ids) > 0: net.cuda(opt.gpu_ids[0])``
    (or ``if args.gpu is not None: model.cuda(args.gpu)``: one number, read by the test), gets
    ``device = torch.device("cuda", opt.gpu_ids[0]) if len(opt.gpu_ids) > 0 else
    torch.device("cpu")`` where the number's source is set, and its moves become ``.to(device)``.

    A module-level alias that picks a type by the switch, ``FloatTensor = torch.cuda.FloatTensor
    if use_cuda else torch.FloatTensor``, follows the switch's ``device``: ``x.type(FloatTensor)``
    becomes ``x.to(device, torch.float)`` and ``LongTensor([[a]])`` (data written out)
    ``torch.tensor([[a]], dtype=torch.long, device=device)``. A function's own alias
    (``dtype = torch.cuda.FloatTensor if self.use_gpu else torch.FloatTensor``) does the same in
    that function, with the device the switch has there, and is removed once nothing else reads it.

    An unguarded ``.cuda()`` / ``.cuda(non_blocking=True)`` in script code (module level, plain
    functions, classes that are not nn.Modules) becomes ``.to(device)``: the device of a
    module-level switch when there is one, else ``device = torch.device("cuda" if
    torch.cuda.is_available() else "cpu")`` defined after the imports.

    Every ``.cuda()`` it does not rewrite is reported with its reason: in an nn.Module's method
    (TU301 covers constants there; data entering the model is the caller's), under a switch
    whose decision it cannot place, with a device index, or under a guard with an ``else``.

    All of this only in a file that shows a legacy GPU idiom, as read before any codemod ran: a
    switch decided (``use_cuda = torch.cuda.is_available()``, ``cuda = True``, ``args.cuda =
    ...``), a ``--cuda``/``--no-cuda``/``--gpu_ids`` flag, a plain ``.cuda()`` under a switch,
    ``Variable``, ``volatile=``/``.volatile``, a ``torch.cuda.FloatTensor`` type, or a
    hand-written ``cuda(self)`` that moves the object's tensors in place. Modern code calls
    ``.cuda()`` too, on purpose (torch's own tests, ``if self._cuda: t = t.cuda()`` in its
    benchmark fuzzers, ``t.cuda(rank_to_GPU[rank][0])``): a file with none of those signs is
    neither edited nor reported.

Why
    ``.cuda()`` fails on a machine without CUDA and always picks the current GPU. PyTorch 0.4's
    migration guide replaces the switch and its moves with one ``torch.device`` and
    ``.to(device)``: the script then states its device once, and every move follows it.

Before
    use_cuda = torch.cuda.is_available()
    ...
    model = Net()
    if use_cuda:
        model.cuda()

After
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")
    ...
    model = Net()
    model.to(device)

Fix safety
    Safe where the switch keeps its meaning: it is decided by ``torch.cuda.is_available()`` or
    set by the user (a flag, a parameter, an attribute), and ``torch.device("cuda" if s else "cpu")``
    moves exactly where ``.cuda()`` did (``Module.to`` moves in place like ``Module.cuda``; a
    forced ``--cuda`` without a GPU still fails). Unsafe for a switch hard-coded on
    (``cuda = True``): its device becomes ``"cuda" if cuda and torch.cuda.is_available() else
    "cpu"``, so the script now runs on a CPU-only machine where it used to fail; unsafe for the
    same reason for an unguarded ``.cuda()`` (and ``.to(device)`` needs the object to have ``.to``).
    Unsafe for a move to a GPU by number: ``torch.device("cuda", n)`` needs an int, where
    ``.cuda(n)`` also took ``"cuda:1"`` or a device.

Limitations
    Only moves lexically inside ``if <switch>:`` (without ``else``) or ``x.cuda() if <switch>
    else x`` are rewritten; ``.cuda(gpu_id)`` outside such a numbered guard and
    ``torch.cuda.set_device`` are reported. A statement ``obj.cuda()`` whose ``obj`` is built by a
    class of the user's that the run does not show to be an nn.Module (a2c's ``RolloutStorage``,
    with its own ``cuda()`` and no ``to()``; any class when a script is migrated without the
    files that define its models) is reported, not rewritten: ``obj.to(device)`` would raise.
    Legacy code is told per file: a model file whose only legacy trace is a ``.cuda()`` reads as
    modern code and gets no finding, and once the other idioms of a file are migrated, a
    ``.cuda()`` left in it is no longer reported by a later run (the run that migrated them
    reported it). A file that already binds the name ``device``, a switch set inside a block, or
    two switches in one function are reported, not rewritten. Of a type alias's uses only
    ``.type(alias)`` and a call on a written-out list or tuple are rewritten, only in a file with
    ``.cuda()`` moves and only where the ``device`` in scope is the alias's; ``FloatTensor(n)``
    and a module-level alias itself stay (TU302 reports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst
import libcst.matchers as m

from torchup.analysis.gpu_switches import (
    cuda_calls,
    is_cuda_call,
    is_plain_move,
    legacy_gpu_idiom,
    switch_of,
    switch_root,
)
from torchup.analysis.imports import ImportTable, bound_names, dotted_name, import_table
from torchup.analysis.memo import code_of
from torchup.analysis.module_index import ModuleIndex, index_for
from torchup.analysis.tensor_exprs import LEGACY_TYPES
from torchup.analysis.walk import find_all, holds, walk
from torchup.codemod import ORIGINAL_KEY, Codemod, Safety, node_code

def _assigned(statement: cst.CSTNode) -> Set[str]:
    """The targets (``cuda``, ``args``, ``args.cuda``) a simple statement line assigns."""
    names: Set[str] = set()
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    names.add(node_code(target.target))
                    names.update(bound_names(target.target))
            elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                names.add(node_code(small.target))
    return names


def _is_main_guard(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.If) and "__name__" in node_code(node.test) and "__main__" in node_code(node.test)


@dataclass(frozen=True)
class _Device:
    """One ``device = torch.device(...)`` to define, and where."""

    switch: str
    after: Optional[cst.SimpleStatementLine]  # defined right after this statement, or
    start_of: Optional[cst.FunctionDef]  # at the start of this function
    safety: Safety
    # For a switch hard-coded on, "CUDA when available"; for unguarded moves the switch is
    # `torch.cuda.is_available()` itself.
    fallback: bool = False
    # For moves to a GPU by number (`if len(opt.gpu_ids) > 0: net.cuda(opt.gpu_ids[0])`): the
    # number, and the switch is the guard's test.
    index: Optional[str] = None


@dataclass
class _Plan:
    devices: List[_Device]
    guards: Dict[int, _Device]  # id of an `if <switch>:` / `x.cuda() if <switch> else x` -> its device
    moves: Set[int]  # ids of the `.cuda()` calls those rewrite
    reasons: Dict[int, str]  # ids of the other `.cuda()` calls -> why they are left
    unguarded: Dict[int, _Device]  # ids of unguarded moves in script code -> the device they go to
    # ids of `x.type(A)` calls, A a module-level `torch.cuda.T if <switch> else torch.T` -> device, T
    type_uses: Dict[int, Tuple[_Device, str]] = field(default_factory=dict)
    # The devices of the guarded moves, by (anchor, switch): a later plan shares them.
    by_key: Dict[Tuple[int, str], _Device] = field(default_factory=dict)
    # Functions whose own type alias uses a `device`: the module's `device` is not theirs to use.
    alias_functions: Set[int] = field(default_factory=set)
    # ids of a function's alias statements whose every read is rewritten -> the device of those reads
    dead_aliases: Dict[int, _Device] = field(default_factory=dict)


class _Planner(cst.CSTVisitor):
    """Finds the guarded moves and, per scope and switch, where the switch is decided."""

    def __init__(self, module: cst.Module, module_classes: FrozenSet[str] = frozenset()) -> None:
        self.module = module
        self.module_classes = module_classes
        self.scopes: List[str] = []  # class names, `<function>` for functions, as the module index names them
        self.in_module_class: List[bool] = [False]
        self.calls: List[Tuple[cst.Call, Optional[cst.FunctionDef], bool]] = []  # every `.cuda()` call
        self.functions: List[cst.FunctionDef] = []
        self.script_functions: List[cst.FunctionDef] = []  # functions outside nn.Module classes
        # `if len(opt.gpu_ids) > 0: net.cuda(opt.gpu_ids[0])`: id of the guard -> (number, what it reads)
        self.indices: Dict[int, Tuple[str, str]] = {}
        self.blocks: List[cst.CSTNode] = [module]  # statement lists: module, `__main__`, function bodies
        self.guarded: List[Tuple[cst.CSTNode, str, Optional[cst.FunctionDef], List[cst.BaseSuite]]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(node.name.value)
        self.in_module_class.append(self.in_module_class[-1] or ".".join(self.scopes) in self.module_classes)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()
        self.in_module_class.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.in_module_class[-1]:
            self.script_functions.append(node)
        self.functions.append(node)
        self.blocks.append(node.body)
        self.scopes.append(f"<{node.name.value}>")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()
        self.blocks.pop()
        self.scopes.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if is_cuda_call(node):
            self.calls.append((node, self.function, self.in_module_class[-1]))

    def visit_If(self, node: cst.If) -> None:
        if _is_main_guard(node) and not self.functions and len(self.blocks) == 1:
            self.blocks.append(node.body)
        switch = switch_of(node.test)
        calls = cuda_calls(node.body)
        if switch is not None and calls:
            self.guarded.append((node, switch, self.function, list(self.blocks)))
        elif calls:
            index = _numbered_guard(node.test, calls)
            if index is not None:
                self.guarded.append((node, node_code(node.test), self.function, list(self.blocks)))
                self.indices[id(node)] = index

    def leave_If(self, original_node: cst.If) -> None:
        if self.blocks and self.blocks[-1] is original_node.body and not self.functions:
            self.blocks.pop()

    def visit_IfExp(self, node: cst.IfExp) -> None:
        switch = switch_of(node.test)
        if switch is not None and cuda_calls(node.body) and not cuda_calls(node.orelse):
            self.guarded.append((node, switch, self.function, list(self.blocks)))

    @property
    def function(self) -> Optional[cst.FunctionDef]:
        return self.functions[-1] if self.functions else None


def _numbered_guard(test: cst.BaseExpression, calls: List[cst.Call]) -> Optional[Tuple[str, str]]:
    """``("opt.gpu_ids[0]", "opt.gpu_ids")`` when every move is ``.cuda(opt.gpu_ids[0])`` (one
    number, the same in each) and the test reads what the number comes from
    (``len(opt.gpu_ids) > 0``, ``args.gpu is not None``, ``gpu_id >= 0``)."""
    numbers = set()
    for call in calls:
        positional = [a for a in call.args if a.keyword is None]
        keywords = [a for a in call.args if a.keyword is not None]
        if len(positional) != 1 or positional[0].star or any(a.keyword.value != "non_blocking" for a in keywords):
            return None
        numbers.add(node_code(positional[0].value))
    if len(numbers) != 1:
        return None
    number = cst.parse_expression(numbers.pop())
    base = number
    while isinstance(base, cst.Subscript):
        base = base.value
    source = dotted_name(base)
    if source is None:
        return None
    read = [name.value for name in find_all(test, m.Name())]
    read += [dotted_name(attribute) or "" for attribute in find_all(test, m.Attribute())]
    return (node_code(number), source) if source in read else None


def _top_statement(block: cst.BaseSuite, node: cst.CSTNode) -> Optional[int]:
    """The index in ``block`` of the statement that holds ``node``."""
    body = block.body if isinstance(block, cst.IndentedBlock) else block.body if isinstance(block, cst.Module) else []
    for index, statement in enumerate(body):
        if statement is node or holds(statement, node):
            return index
    return None


def _decided_before(block: cst.BaseSuite, index: int, switch: str, root: str) -> Optional[cst.SimpleStatementLine]:
    """The last statement of ``block`` before ``index`` that assigns the switch or its root."""
    body = list(block.body)
    for statement in reversed(body[:index]):
        if _assigned(statement) & {switch, root}:
            return statement
    return None


def _hard_coded_on(statement: cst.SimpleStatementLine, switch: str) -> bool:
    return any(
        isinstance(small, cst.Assign)
        and any(node_code(t.target) == switch for t in small.targets)
        and (
            (isinstance(small.value, cst.Name) and small.value.value == "True")
            or (isinstance(small.value, cst.Integer) and small.value.evaluated_value != 0)
        )
        for small in statement.body
    )


def _locally_bound(function: cst.FunctionDef) -> Set[str]:
    names: Set[str] = set()
    for binding in find_all(function.body, m.AssignTarget() | m.For()):
        names.update(bound_names(binding.target))
    return names


def _binds_device(module: cst.Module) -> bool:
    """Whether the file already has something named ``device`` (a variable, a parameter, an import)."""
    found = []

    class Find(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.extend(n for n in bound_names(node.target) if n == "device")

        def visit_Param(self, node: cst.Param) -> None:
            if node.name.value == "device":
                found.append(node)

        def visit_For(self, node: cst.For) -> None:
            found.extend(n for n in bound_names(node.target) if n == "device")

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            name = node.asname.name if node.asname is not None else node.name
            if isinstance(name, cst.Name) and name.value == "device":
                found.append(node)

    walk(module, Find())
    return bool(found)


def plan_devices(
    module: cst.Module,
    imports: ImportTable,
    module_classes: FrozenSet[str] = frozenset(),
    run_modules: Callable[[], FrozenSet[str]] = frozenset,
) -> _Plan:
    """``run_modules`` gives the names of the run's nn.Module classes (asked only when a moved
    object is built by a class of the user's)."""
    planner = _Planner(module, module_classes)
    walk(module, planner)
    plan = _Plan(devices=[], guards={}, moves=set(), reasons={}, unguarded={})
    if not planner.calls:
        return plan
    torch_name = imports.spelling("torch")
    blocked = None
    star = imports.star_import_of(cst.Name("torch"))
    if torch_name is None and star:
        blocked = f"`torch` may come from `{star}`, which torchup does not follow (add `import torch`)"
    elif torch_name != "torch":
        blocked = "torch is not imported as `torch`"
    elif _binds_device(module):
        blocked = "the file already binds the name `device`"
    objects = _ObjectsWithoutTo(module, imports, run_modules)
    _plan_guarded(planner, plan, module, blocked, objects)
    if blocked is None:
        _plan_local_type_aliases(planner, plan, module)
        for moved in _discarded(module, into_functions=True):
            made_by = None if id(moved) in plan.moves or id(moved) in plan.reasons else objects.class_of(moved)
            if made_by is not None:
                plan.reasons[id(moved)] = f"`.cuda()` left as is: {_no_to_method(moved, made_by)}"
        _plan_unguarded(planner, plan, module)
        _plan_type_aliases(planner, plan, module)
    return plan


def _type_aliases(block: cst.CSTNode) -> Dict[str, Tuple[str, str, int]]:
    """``FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor`` in the
    statements of ``block`` (a module, a function's body): the alias's name -> its switch, its
    legacy type and the index of its statement."""
    found: Dict[str, Tuple[str, str, int]] = {}
    for index, statement in enumerate(block.body if isinstance(block, (cst.Module, cst.IndentedBlock)) else ()):
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.IfExp)
            ):
                continue
            switch = switch_of(small.value.test)
            cpu = dotted_name(small.value.orelse) or ""
            legacy = cpu[len("torch."):] if cpu.startswith("torch.") else ""
            cuda = dotted_name(small.value.body)
            if switch is not None and legacy in LEGACY_TYPES and cuda == f"torch.cuda.{legacy}":
                found[small.targets[0].target.value] = (switch, legacy, index)
    return found


def _bindings(module: cst.Module, names: Set[str]) -> Dict[str, int]:
    """How many times the file binds each of ``names`` (assignments, loops, parameters, defs)."""
    counts = {name: 0 for name in names}

    class Count(cst.CSTVisitor):
        def _bind(self, target: cst.CSTNode) -> None:
            for name in bound_names(target):
                if name in counts:
                    counts[name] += 1

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._bind(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._bind(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._bind(node.target)

        def visit_For(self, node: cst.For) -> None:
            self._bind(node.target)

        def visit_Param(self, node: cst.Param) -> None:
            self._bind(node.name)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self._bind(node.name)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self._bind(node.name)

    walk(module, Count())
    return counts


def _plan_type_aliases(planner: _Planner, plan: _Plan, module: cst.Module) -> None:
    """``x.type(FloatTensor)``, the alias picking ``torch.cuda.FloatTensor`` by a module-level
    switch, goes to that switch's module-level ``device`` with the alias's dtype."""
    aliases = _type_aliases(module)
    once = {name for name, count in _bindings(module, set(aliases)).items() if count == 1}
    if not once:
        return
    top = list(module.body)
    # A function with a `device` of its own (or one that uses a guarded switch) is left to the
    # alias's finding: which `device` its body sees is not this one's to say.
    local_devices = {id(f) for node, _, f, _ in planner.guarded if f is not None and id(node) in plan.guards}
    local_devices |= plan.alias_functions
    devices: Dict[str, Optional[_Device]] = {}
    for name in once:
        switch, _, index = aliases[name]
        root = switch_root(cst.parse_expression(switch))
        decided = _decided_before(module, index, switch, root or switch)
        clash = decided is None or any(d.after is decided and d.switch != switch for d in plan.devices)
        devices[name] = None if clash else _device(plan.by_key, id(decided), switch, decided, None)

    uses = _alias_uses(module, once)
    used = set()
    for call, name, function in uses:
        device = devices[name]
        if device is None or (function is not None and id(function) in local_devices):
            continue
        decided_at = next(i for i, s in enumerate(top) if s is device.after)
        if function is None and (_top_statement(module, call) or 0) <= decided_at:
            continue
        plan.type_uses[id(call)] = (device, aliases[name][1])
        used.add(id(device))
    plan.devices.extend(d for d in {id(d): d for d in devices.values() if d is not None}.values()
                        if id(d) in used and all(d is not known for known in plan.devices))


def _alias_uses(node: cst.CSTNode, names: Set[str]) -> List[Tuple[cst.Call, str, Optional[cst.FunctionDef]]]:
    """The rewritable uses of the aliases ``names`` in ``node``: ``x.type(A)`` and ``A([...])``,
    each with the function it is in (None at the top of ``node``)."""
    uses: List[Tuple[cst.Call, str, Optional[cst.FunctionDef]]] = []

    class Find(cst.CSTVisitor):
        def __init__(self) -> None:
            self.functions: List[cst.FunctionDef] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.append(node)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.functions.pop()

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            args = node.args
            if len(args) != 1 or args[0].keyword is not None or args[0].star != "":
                return
            if isinstance(func, cst.Attribute) and func.attr.value == "type":
                if isinstance(args[0].value, cst.Name) and args[0].value.value in names:
                    uses.append((node, args[0].value.value, self.functions[-1] if self.functions else None))
            elif isinstance(func, cst.Name) and func.value in names and isinstance(args[0].value, (cst.List, cst.Tuple)):
                # `FloatTensor([1.0, 2.0])`: data, never a shape.
                uses.append((node, func.value, self.functions[-1] if self.functions else None))

    walk(node, Find())
    return uses


def _plan_local_type_aliases(planner: _Planner, plan: _Plan, module: cst.Module) -> None:
    """A function's own ``dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor``: its
    uses in that function follow the ``device`` the switch has there (the function's own, or the
    module's for a global switch)."""
    switches_per_function: Dict[int, Set[str]] = {}
    for node, switch, function, _ in planner.guarded:
        switches_per_function.setdefault(id(function), set()).add(switch)
    for function in planner.script_functions:
        aliases = _type_aliases(function.body)
        if not aliases:
            continue
        counts = _bindings(function, set(aliases))  # type: ignore[arg-type]
        for name, (switch, legacy, index) in aliases.items():
            if counts[name] != 1 or switches_per_function.get(id(function), {switch}) != {switch}:
                continue
            statement = function.body.body[index]
            device = _device_for(statement, switch, function, [module, function.body], module, plan.by_key)
            if device is None:
                continue
            uses = [
                call for call, used, inner in _alias_uses(function.body, {name})
                if inner is None and used == name and (_top_statement(function.body, call) or 0) > index
            ]
            for call in uses:
                plan.type_uses[id(call)] = (device, legacy)
            if uses:
                plan.alias_functions.add(id(function))
            if uses and _reads(function, name) == len(uses) and _removable(statement):
                plan.dead_aliases[id(statement)] = device
            # Only a device something uses is defined (the plan's devices are what is written).
            if uses and all(device is not d for d in plan.devices):
                plan.devices.append(device)


def _reads(function: cst.FunctionDef, name: str) -> int:
    """How many times ``function`` reads ``name`` (every ``Name`` but its one binding)."""
    return sum(1 for node in find_all(function.body, m.Name()) if node.value == name) - 1


def _removable(statement: cst.BaseStatement) -> bool:
    """A line of one statement with no comment of its own to lose."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and not any(line.comment is not None for line in statement.leading_lines)
        and statement.trailing_whitespace.comment is None
    )


class _ObjectsWithoutTo:
    """Which moved objects may lack ``.to``: ``rollouts.cuda()`` as a statement, ``rollouts =
    RolloutStorage(...)``, a class of the user's that is no nn.Module of the run — its own
    ``cuda()`` method moves it, and ``rollouts.to(device)`` would raise AttributeError."""

    def __init__(self, module: cst.Module, imports: ImportTable, run_modules: Callable[[], FrozenSet[str]]) -> None:
        self.module = module
        self.imports = imports
        self.run_modules = run_modules
        self._built: Optional[Dict[str, Set[str]]] = None
        self._known: Optional[FrozenSet[str]] = None

    def _constructors(self) -> Dict[str, Set[str]]:
        if self._built is None:
            built: Dict[str, Set[str]] = {}

            class Find(cst.CSTVisitor):
                def visit_Assign(self, node: cst.Assign) -> None:
                    value = node.value
                    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
                        for target in node.targets:
                            built.setdefault(node_code(target.target), set()).add(value.func.value)

            walk(self.module, Find())
            self._built = built
        return self._built

    def class_of(self, call: cst.Call) -> Optional[str]:
        """The user's class that built the receiver of ``call`` when it is not known as an
        nn.Module (None: a Module, a tensor, or nothing known)."""
        assert isinstance(call.func, cst.Attribute)
        for name in sorted(self._constructors().get(node_code(call.func.value), ())):
            if not name[:1].isupper() or (self.imports.qualified_name(cst.Name(name)) or "").startswith("torch."):
                continue
            if self._known is None:
                self._known = frozenset(self.run_modules())
            if name not in self._known:
                return name
        return None


def _discarded(node: cst.CSTNode, into_functions: bool = False) -> List[cst.Call]:
    """The ``.cuda()`` calls of ``node`` that are statements of their own (``model.cuda()``)."""
    discarded = _Discarded(into_functions)
    walk(node, discarded)
    return discarded.found


class _Discarded(cst.CSTVisitor):
    # At module level, not in _discarded: a class made per call costs more than the walk.
    def __init__(self, into_functions: bool) -> None:
        self.into_functions = into_functions
        self.found: List[cst.Call] = []

    def visit_Expr(self, expr: cst.Expr) -> None:
        if is_cuda_call(expr.value):
            self.found.append(expr.value)  # type: ignore[arg-type]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return self.into_functions


def _no_to_method(moved: cst.Call, made_by: str) -> str:
    assert isinstance(moved.func, cst.Attribute)
    return (
        f"`{node_code(moved.func.value)}` is made by `{made_by}`, which torchup does not know as an "
        "nn.Module: `.to(device)` needs a `to` method (give the class one)"
    )


def _plan_guarded(
    planner: _Planner, plan: _Plan, module: cst.Module, blocked: Optional[str], objects: _ObjectsWithoutTo
) -> None:
    by_key = plan.by_key
    switches_per_function: Dict[int, Set[str]] = {}
    for node, switch, function, _ in planner.guarded:
        switches_per_function.setdefault(id(function), set()).add(switch)
    for node, switch, function, blocks in planner.guarded:
        calls = cuda_calls(node.body)
        why = blocked
        if why is None and isinstance(node, cst.If) and node.orelse is not None:
            why = f"`if {switch}:` has an `else`"
        number = planner.indices.get(id(node))
        if why is None and number is None and not all(is_plain_move(c) for c in calls):
            why = "a device index (`.cuda(i)`) is not a switch torchup can turn into one `device`"
        if why is None and len(switches_per_function[id(function)]) > 1:
            why = "several GPU switches in one function (or in the module body)"
        if why is None:
            for moved in _discarded(node.body):
                made_by = objects.class_of(moved)
                if made_by is not None:
                    why = _no_to_method(moved, made_by)
                    break
        device = None if why is not None else _device_for(node, switch, function, blocks, module, by_key, number)
        if device is None:
            why = why or f"where `{switch}` is decided is not a statement before the move in this scope"
            for call in calls:
                plan.reasons[id(call)] = f"`.cuda()` under `{switch}` left as is: {why}"
            continue
        plan.guards[id(node)] = device
        plan.moves.update(id(call) for call in calls)
    plan.devices.extend(by_key.values())


def _plan_unguarded(planner: _Planner, plan: _Plan, module: cst.Module) -> None:
    """Unguarded moves in script code (not in an nn.Module's methods) go to one module-level
    ``device``: the one a module-level switch decides, else ``torch.cuda.is_available()``'s."""
    candidates = [
        (call, function)
        for call, function, in_module_class in planner.calls
        if id(call) not in plan.moves and id(call) not in plan.reasons and not in_module_class
        and is_plain_move(call)
    ]
    if not candidates:
        return
    top = list(module.body)
    module_level = [d for d in plan.devices if d.after is not None and any(d.after is s for s in top)]
    if module_level:
        device = module_level[0]
        after = next(i for i, s in enumerate(top) if s is device.after)
    else:
        imports = [
            i for i, s in enumerate(top)
            if isinstance(s, cst.SimpleStatementLine) and all(isinstance(x, (cst.Import, cst.ImportFrom)) for x in s.body)
        ]
        if not imports:
            return
        after = imports[-1]
        device = _Device("torch.cuda.is_available()", top[after], None, Safety.UNSAFE)
    # A function with a `device` of its own binds it where its switch is decided: not before.
    local_devices = {id(f) for node, _, f, _ in planner.guarded if f is not None and id(node) in plan.guards}
    local_devices |= plan.alias_functions
    used = False
    for call, function in candidates:
        if function is not None and id(function) in local_devices:
            continue  # its own `device` may not be bound yet where the call is
        if function is None and (_top_statement(module, call) or 0) <= after:
            continue
        plan.unguarded[id(call)] = device
        used = True
    if used and not module_level:
        plan.devices.append(device)


def _device_for(
    node: cst.CSTNode,
    switch: str,
    function: Optional[cst.FunctionDef],
    blocks: List[cst.BaseSuite],
    module: cst.Module,
    by_key: Dict[Tuple[int, str], _Device],
    number: Optional[Tuple[str, str]] = None,
) -> Optional[_Device]:
    """Where ``switch`` is decided for ``node``; for a move to a GPU by number, where what the
    number comes from is set (``number``: the number and its source)."""
    index, key = number if number is not None else (None, switch)
    root = switch_root(cst.parse_expression(key))
    assert root is not None
    # The innermost statement list first: a switch decided just before its moves.
    inner = blocks[-1]
    at = _top_statement(inner, node)
    if at is None:
        return None
    decided = _decided_before(inner, at, key, root)
    if decided is not None:
        return _device(by_key, id(decided), switch, decided, None, index)
    if function is not None:
        params = {
            p.name.value
            for p in (*function.params.posonly_params, *function.params.params, *function.params.kwonly_params)
        }
        if root in params or root not in _locally_bound(function):
            # A global switch (`use_cuda`, `args.cuda`) has its value from the module's last
            # top-level statement that sets it by the time the function runs.
            module_level = _decided_before(module, len(module.body), key, root)
            if root not in params and module_level is not None:
                return _device(by_key, id(module_level), switch, module_level, None, index)
            if isinstance(function.body, cst.IndentedBlock):
                return _device(by_key, id(function), switch, None, function, index)
        return None
    if len(blocks) > 1:  # in `if __name__ == "__main__":`, decided in the module before it
        at = _top_statement(blocks[0], node)
        decided = None if at is None else _decided_before(blocks[0], at, key, root)
        if decided is not None:
            return _device(by_key, id(decided), switch, decided, None, index)
    return None


def _device(
    by_key: Dict[Tuple[int, str], _Device],
    anchor: int,
    switch: str,
    after: Optional[cst.SimpleStatementLine],
    start_of: Optional[cst.FunctionDef],
    index: Optional[str] = None,
) -> Optional[_Device]:
    meaning = switch if index is None else f"{switch} -> {index}"
    if any(key[0] == anchor and key[1] != meaning for key in by_key):
        return None  # one `device` per place
    key = (anchor, meaning)
    if key not in by_key:
        on = after is not None and _hard_coded_on(after, switch)
        # `torch.device("cuda", n)` takes a GPU number where `.cuda(n)` also took a string or a
        # device: whether `n` is one, only the user knows.
        unsafe = on or index is not None
        by_key[key] = _Device(switch, after, start_of, Safety.UNSAFE if unsafe else Safety.SAFE, on, index)
    return by_key[key]


class _ToDevice(cst.CSTTransformer):
    """``x.cuda(non_blocking=True)`` -> ``x.to(device, non_blocking=True)``."""

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if not is_cuda_call(updated_node):
            return updated_node
        assert isinstance(updated_node.func, cst.Attribute)
        keywords = [
            a.with_changes(keyword=cst.Name("non_blocking")) if a.keyword.value == "async" else a
            for a in updated_node.args
            if a.keyword is not None
        ]
        args = [cst.Arg(cst.Name("device")), *keywords]
        args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]
        return updated_node.with_changes(func=updated_node.func.with_changes(attr=cst.Name("to")), args=args)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _only_moves(body: cst.BaseSuite) -> bool:
    """Every statement of the guard's body is a move (or an assignment of moves)."""
    lines = body.body
    if isinstance(body, cst.SimpleStatementSuite):
        return all(cuda_calls(small) for small in lines)
    return all(
        isinstance(line, cst.SimpleStatementLine)
        and all(isinstance(s, (cst.Assign, cst.Expr)) and cuda_calls(s) for s in line.body)
        for line in lines
    )


class ScriptDevice(Codemod):
    CODE = "TU304"
    NAME = "script_device"
    SUMMARY = "`if use_cuda: x = x.cuda()` -> one `device = torch.device(...)` and `x.to(device)`; other `.cuda()` reported"
    SAFETY = "mixed"
    MARKERS = ("cuda",)
    USES_MODULE_INDEX = True  # unguarded moves in an nn.Module's methods are not a script's
    # A call of a `.cuda` attribute (`x.cuda ()` and `(x.cuda)()` too): each one is rewritten or reported.
    PATTERN = r"\.[\s\\]*cuda(?:[\s\\)]|#[^\n]*)*\("

    def visit_Module(self, node: cst.Module) -> None:
        # Modern code calls `.cuda()` too (torch's own tests): only a file that shows a legacy
        # GPU idiom, as read before any pass migrated it, is this codemod's to edit or report.
        original = self.context.scratch.get(ORIGINAL_KEY)
        self.legacy = legacy_gpu_idiom(original if original is not None else node) is not None
        if not self.legacy:
            self.plan = _Plan(devices=[], guards={}, moves=set(), reasons={}, unguarded={})
            return
        self.imports = import_table(node)
        index, key = index_for(self.repo_facts, self.context.filename, lambda: code_of(node))
        self.plan = plan_devices(node, self.imports, index.module_classes(key), lambda: _class_names(index))

    def _statement(self, device: _Device) -> cst.SimpleStatementLine:
        if device.index is not None:
            return cst.parse_statement(
                f'device = torch.device("cuda", {device.index}) if {device.switch} else torch.device("cpu")\n'
            )
        on = f"{device.switch} and torch.cuda.is_available()" if device.fallback else device.switch
        return cst.parse_statement(f'device = torch.device("cuda" if {on} else "cpu")\n')

    def _message(self, device: _Device) -> str:
        if device.switch == "torch.cuda.is_available()":
            return (
                "unguarded `.cuda()` calls: one `device`, CUDA when available else CPU "
                "(the script now runs where it used to fail)"
            )
        if device.fallback:
            return (
                f"`{device.switch}` is hard-coded on: one `device`, CUDA when available else CPU "
                "(the script now runs where it used to fail)"
            )
        if device.index is not None:
            return (
                f"one `device` from `if {device.switch}:` and the GPU number `{device.index}` "
                "(`torch.device(\"cuda\", n)` needs an int, where `.cuda(n)` also took a string)"
            )
        return f"one `device` from the switch `{device.switch}`"

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine):
        dead = self.plan.dead_aliases.get(id(original_node))
        if dead is not None:
            return self.fix(original_node, cst.RemoveFromParent(),
                            "type alias no longer read (its uses now name `device` and the dtype): removed",
                            safety=dead.safety, keep=updated_node)
        lines = [updated_node]
        for device in self.plan.devices:
            if device.after is original_node:
                added = self.fix(original_node, [self._statement(device)], self._message(device),
                                 safety=device.safety, keep=[])
                lines.extend(added)
        return cst.FlattenSentinel(lines) if len(lines) > 1 else updated_node

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        for device in self.plan.devices:
            if device.start_of is original_node:
                body = list(updated_node.body.body)
                first = 1 if body and _is_docstring(body[0]) else 0
                body.insert(first, self._statement(device))
                new = updated_node.with_changes(body=updated_node.body.with_changes(body=body))
                return self.fix(original_node, new, self._message(device), safety=device.safety, keep=updated_node)
        return updated_node

    def leave_If(self, original_node: cst.If, updated_node: cst.If):
        device = self.plan.guards.get(id(original_node))
        if device is None:
            return updated_node
        message = f"`.cuda()` under `if {device.switch}:` -> `.to(device)`"
        body = updated_node.body.visit(_ToDevice())
        if not _only_moves(updated_node.body):
            return self.fix(original_node, updated_node.with_changes(body=body), message, safety=device.safety,
                            keep=updated_node)
        if isinstance(body, cst.SimpleStatementSuite):
            lines = [cst.SimpleStatementLine(body=list(body.body))]
        else:
            lines = list(body.body)
        lines[0] = lines[0].with_changes(leading_lines=original_node.leading_lines)
        return self.fix(original_node, cst.FlattenSentinel(lines), message, safety=device.safety, keep=updated_node)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp):
        device = self.plan.guards.get(id(original_node))
        if device is None:
            return updated_node
        body = updated_node.body.visit(_ToDevice())
        stripped = node_code(original_node.body).replace(".cuda()", "")
        if stripped != node_code(original_node.orelse):
            return self.fix(original_node, updated_node.with_changes(body=body),
                            f"`.cuda()` under `{device.switch}` -> `.to(device)`", safety=device.safety,
                            keep=updated_node)
        return self.fix(original_node, body.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar),
                        f"`x.cuda() if {device.switch} else x` -> `x.to(device)`", safety=device.safety,
                        keep=updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        typed = self.plan.type_uses.get(id(original_node))
        if typed is not None:
            device, legacy = typed
            dtype = f"torch.{LEGACY_TYPES[legacy]}"
            if isinstance(updated_node.func, cst.Name):
                data = updated_node.args[0].value
                made = cst.parse_expression(f"torch.tensor(DATA, dtype={dtype}, device=device)")
                assert isinstance(made, cst.Call)
                made = made.with_changes(args=[made.args[0].with_changes(value=data), *made.args[1:]])
                return self.fix(original_node, made, f"`{updated_node.func.value}([...])` -> "
                                f"`torch.tensor([...], dtype={dtype}, device=device)`", safety=device.safety,
                                keep=updated_node)
            assert isinstance(updated_node.func, cst.Attribute)
            new = updated_node.with_changes(
                func=updated_node.func.with_changes(attr=cst.Name("to")),
                args=[cst.Arg(cst.Name("device")), cst.Arg(cst.parse_expression(dtype))],
            )
            alias = node_code(original_node.args[0].value)
            return self.fix(original_node, new, f"`.type({alias})` -> `.to(device, {dtype})`",
                            safety=device.safety, keep=updated_node)
        if not self.legacy or not is_cuda_call(original_node):
            return updated_node
        if id(original_node) in self.plan.moves:
            return updated_node
        device = self.plan.unguarded.get(id(original_node))
        if device is not None:
            return self.fix(
                original_node,
                updated_node.visit(_ToDevice()),
                "unguarded `.cuda()` -> `.to(device)`: CUDA when the switch or machine has it, else CPU",
                safety=Safety.UNSAFE,
                keep=updated_node,
            )
        reason = self.plan.reasons.get(id(original_node))
        if reason is None and not is_plain_move(original_node):
            reason = (
                "`.cuda(i)` left as is: it names a GPU by index (`opt.gpu_ids[0]`, `args.gpu`); "
                'use `.to(torch.device("cuda", i))` or one `device` chosen where the index is'
            )
        if reason is None:
            reason = (
                "`.cuda()` left as is: unguarded, or under a test no GPU switch of torchup's decides; "
                "choose one `device` and use `.to(device)`"
            )
        self.report(original_node, reason)
        return updated_node


def _class_names(index: ModuleIndex) -> FrozenSet[str]:
    """The names of the run's nn.Module classes, wherever they are defined."""
    return frozenset(name.rsplit(".", 1)[-1] for names in index.classes.values() for name in names)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
