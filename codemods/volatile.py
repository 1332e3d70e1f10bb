"""TU102 volatile: replace ``Variable(x, volatile=True)`` by a ``torch.no_grad()`` region.

What it does
    Unwraps every ``Variable(...)`` call that carries a volatile flag and puts the code that
    uses the value under a grad-mode context manager:

    - ``volatile=True`` -> ``with torch.no_grad():``;
    - ``volatile=flag`` -> ``with torch.set_grad_enabled(not flag):``;
    - ``volatile=False`` is dropped (it never did anything);
    - ``volatile=x.volatile`` (an input's volatility passed on) is dropped: today the value follows
      the grad mode of the caller, which is what that volatility became
      (``set_grad_enabled(not x.volatile)`` would turn grad on inside a caller's ``no_grad``).

    The region starts at the statement that makes the value and ends at the last statement that
    uses it, or uses a name computed from it, in the same block. When the value's name is used
    elsewhere (in a later iteration of a loop, say), the region grows to the enclosing statement
    (the whole loop) and so on up to the function body, whichever is the smallest that holds
    every use. A read through ``Variable(x.data)`` or ``x.detach()`` is not a use: 0.3's
    ``Variable(target.data)`` (TU101 writes ``target.detach()``) was an ordinary Variable, so
    the loss built from it stays outside the region and keeps its graph. The same holds for a
    name bound to ``Variable(netG(noise).data)``: the generator's call is in the region, the
    discriminator's step on ``fake`` is not. Nor is a read through
    ``x.data`` (in 0.3 a plain tensor, which recorded nothing): a line that computes only from
    ``.data`` and constants (``pred = out.data.max(1)[1].cpu().numpy()``) does not make the
    region longer, but stays in its ``with`` where it lies between two uses or right after the
    last one, as a person writes it; a ``with`` of such lines alone is not written; and a name
    bound to a ``.data`` (``loss = crit(model(x), y).data[0]``) is a plain number, not a volatile
    value. A name bound again before it is read, on every path to the read (``greedy, _ =
    model(...)`` then ``if w: _, scores = scorer(...); print(_)``, or in a loop, ``tmp =
    [batch]`` before ``tmp = [Variable(t, volatile=True) for t in tmp]`` on every iteration),
    holds another value there: that read is no use either. In ``next_s, reward =
    Variable(s2, volatile=True), Variable(r)`` only ``next_s`` is volatile: a line that computes
    from ``reward`` alone keeps its graph. When the value is not
    assigned to a name (``model(Variable(x, volatile=True))``),
    the statement itself is the region. A statement in between that calls something without
    reading the value or a name computed from it (a training step beside a target computation)
    stays outside: the region becomes several ``with`` blocks, and a statement that only binds
    the unwrapped value, or after such a gap only passes names on, gets none.
    ``x = Variable(x, volatile=True)`` unwraps to ``x = x``,
    which does nothing and is dropped. A statement already under ``with torch.no_grad():`` or in
    a function decorated ``@torch.no_grad()`` is only unwrapped. Neighbouring regions in a block
    merge into one ``with``. A line ``x.volatile = False`` (0.3's way to end the spread, as in the
    DQN tutorial) is deleted: it only warns today, and the region already ends where it stood.

    A statement of the region that is a loop, ``if``, ``with`` or ``try`` whose other statements
    call something without the value (an epoch loop that trains, then evaluates on a volatile
    batch made before it) is not wrapped whole: the statements inside it that use the value get
    their own regions, recursively, and the rest keeps its graph. When it cannot be split (its
    header computes from the value, an ``elif`` chain, a line holding several statements), the
    region covers it whole and is unsafe.

    Volatile helpers are followed, across the files of the run. A function (or a method,
    called on ``self`` in its class) whose parameter reaches ``Variable(..., volatile=<param>)``,
    or another helper's flag, and means nothing else, and that returns the value (``def
    to_var(x, volatile=False): return Variable(x, volatile=volatile)``, ``get_batch(source, i,
    evaluation=False)``), or one that always returns ``Variable(x, volatile=True)`` (``def
    var(a)``), is a helper: the flag is dropped there, and each call that passes a true value
    (``get_batch(data, i, evaluation=True)``) gets the region a direct ``Variable(x,
    volatile=True)`` would get at that place (a flag expression: ``set_grad_enabled(not
    flag)``); calls that pass False or nothing get none. A module-level helper of one file
    called from another (``from utils import to_var``, ``import utils; utils.to_var(...)``,
    aliases, relative imports and package re-exports, chains of helpers through several files)
    is found by the run's first pass (the function index beside the nn.Module index). The
    parameter and the arguments that pass it go when the function is no package's public API
    (a script, a module outside any package, or a private name), no file beyond the run can call
    it (no other ``*.py`` beside it or at its package's root), and every reference to it in the
    run is a call whose flag argument can go (no ``*args``, no call in the argument, no star
    import anywhere, never passed as a value); else the parameter is kept and reported as
    ignored. Run on a helper's file alone while other files beside it may call it, the flag is
    reported, not dropped (their calls would lose the place of their ``torch.no_grad()``); run on
    a caller alone, its calls get their regions from the helper read on disk, which stays as it is.

    A flag kept as data: a class whose ``__init__(..., volatile=False)`` stores ``self.volatile =
    volatile`` and reads ``self.volatile`` only as the flag of ``Variable(b,
    volatile=self.volatile)`` values it hands out as they are (a dataset's batches, through a
    nested ``wrap(b)`` or not) is a helper whose value is the instance: the flag is dropped where
    the batches are wrapped, and each ``Dataset(..., volatile=True)`` of the file is a volatile
    value whose uses (``evaluate(model, valid_data)``, a loop over it) get the regions a direct
    ``Variable(x, volatile=True)`` would get (``set_grad_enabled(not flag)`` for an expression).
    When the file makes no instance with a flag, the flag is reported: the code it governed is
    where the instances' values are used, elsewhere.

    A volatile value kept on ``self`` (``self.sample_z_ = Variable(torch.rand(b, z),
    volatile=True)``) loses the flag where it is made, and each statement of the class that
    reads ``self.sample_z_``, in whichever method, gets the region a direct volatile value would
    get there; when the attribute is assigned elsewhere in the class, never read in it, or one
    read cannot be wrapped, nothing is rewritten and the creation is reported. A name assigned
    again in the region with a value computed from the volatile one (``x = x.cuda()``, ``x +=
    1``) stays in the region: in 0.3 that value was volatile too; so does one assigned another
    volatile value, or a plain value that the next statement makes volatile again (the DQN test
    loop's ``state, reward, done = env.step(action)`` then ``state = Variable(state,
    volatile=True)``). A later ``for`` loop that rebinds the name to other values (``for state
    in val_mem:``) ends the value's spread.

    A local container that receives the value (``outs[k] = Variable(...)``,
    ``inputs.append(Variable(...))``, also ``extend``, ``insert``, ``add``, ``update``) is a
    volatile name like the value itself: the statements that read it get the region. A loop
    that only fills it (every statement in it with a call makes the value or reads what it
    made) can be in the region whole and stay safe.

    In a notebook, whose code cells are migrated together, a region never spans two cells:
    each cell's statements that use the value get their own ``with``; a region that cannot be
    split so (one that must cover a whole loop) is reported.

    Every volatile flag becomes an edit or a finding. Reported, not rewritten: a value assigned
    to a subscript of an attribute (``self.cache[k] = ...``) or put in a container held in one
    (``self.buffer.append(...)``), an attribute of another object, or an attribute of ``self`` as
    above that cannot be followed; a ``volatile=flag`` value stored in an attribute; a value returned or
    yielded as it is by a function that is no helper (``return Variable(x, volatile=True)`` on
    one of several paths: the inference code is in the caller); a call inside a lambda, a generator expression or a compound statement's header; a
    line holding several statements; a name also used outside the function body or by a
    closure, or assigned again in the region a value not computed from it and read as such (``x =
    x.cuda()`` keeps the region going: the new value was volatile in 0.3 too); a region of a
    notebook that would have to span cells; a flag computed by a call, or one that would have
    to move before an enclosing loop; overlapping regions with different flags;
    ``volatile=True`` together with ``requires_grad=True``; reads of ``x.volatile`` (always
    ``False`` since 0.4); other writes ``x.volatile = ...`` (no effect since 0.4); a ``volatile=``
    keyword passed to any other function, and a function parameter ``volatile=...``.

Why
    Since PyTorch 0.4 ``volatile=True`` is accepted with a warning and does nothing: legacy
    inference code silently builds autograd graphs again, using memory for every activation
    it keeps. ``torch.no_grad()`` is the replacement.

Before
    import torch
    from torch.autograd import Variable

    def evaluate(model, loader):
        total = 0
        for data, target in loader:
            data = Variable(data, volatile=True)
            output = model(data)
            total += crit(output, target)
        return total

After
    import torch

    def evaluate(model, loader):
        total = 0
        for data, target in loader:
            with torch.no_grad():
                output = model(data)
                total += crit(output, target)
        return total

Fix safety
    ``torch.no_grad()`` never changes a forward value; it only stops recording the graph, as
    volatile did for every value computed from a volatile Variable in 0.3. A region is safe when
    every statement in it reads that value or a name computed from it: exactly the computations
    0.3 did not record. It is unsafe when it also holds a statement with a call that does not
    touch the value (under no_grad a training step's outputs lose their gradients, and a later
    ``backward()`` raises), which happens only when that statement cannot be left out (it
    changes a ``volatile=flag``'s flag) or the region had to grow to an enclosing loop or block
    (statements before the volatile one then run under no_grad too).
    ``set_grad_enabled(not flag)`` is the same argument for each value of the flag. An edit that
    would drop a comment inside the call, or the comment on or above a deleted
    ``x.volatile = False``, is unsafe. Unwrapping the call itself is TU101's edit and as safe.

Limitations
    A genuine ``x.detach()`` of a volatile value was still volatile in 0.3; it is taken as the
    end of the spread like ``Variable(x.data)``, which it became after TU101 (the values are the
    same; only a result that mixes it with parameters now records a graph). The calls of a
    file's own ``Variable`` wrapper (TU101's ``device`` migration) are migrated once TU101 has
    turned them into torch's ``Variable``; run alone, TU102 reports them.
    Dropping the flag in a helper is an unsafe edit: calls from outside the run are not followed
    (they lose their volatile and must be put under ``torch.no_grad()`` by hand), and the region
    at a call covers the whole call, so anything else the helper computes runs without a graph
    too. Removing the parameter (unsafe) would break a call from outside the run that still
    passes it (files beside the helper are looked for; a script elsewhere that adds the
    directory to ``sys.path`` is not). Helpers of other files are followed as module-level
    functions only (a method of another file's class, ``obj.to_var(...)``, is not), and in files
    that mention ``volatile`` or ``Variable``. The reads of a
    volatile ``self.x`` are found in its class only (``model.x`` from outside is not followed).
    A volatile value kept in a container held in an attribute (``self.cache[k] =
    Variable(...)``) is reported, not migrated. A flag kept as data is followed within its file only: instances made in other files
    are not (the drop is unsafe for that reason), and a class whose instances are all made
    elsewhere is reported.
    Uses are found by name within the function; control flow is followed only as far as a
    binding earlier in the same block (or in a block holding the read) that comes after the
    region, so a name reused for an unrelated value on only some paths makes the region grow
    or be reported. In a file that mentions packed sequences (``pack_padded_sequence``,
    ``PackedSequence``), ``x.data`` counts as a use: a PackedSequence's ``.data`` was a
    volatile Variable itself. Values computed in the region keep ``requires_grad=False`` after
    it, which matches 0.3 (volatile spread to everything computed from it) except that modern
    torch will record operations that mix them with parameters after the region. The
    ``.volatile`` attribute is not rewritten: whether ``if x.volatile:`` meant
    ``not torch.is_grad_enabled()`` or ``not x.requires_grad`` is for a person to decide.
    ``self.volatile`` is taken to be the class's own field and is not reported. A volatile flag
    passed positionally (``Variable(x, False, True)``) in a file that never writes ``volatile=``
    or ``.volatile`` is not seen (the file is skipped by the text prefilter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple, Union

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import ExpressionContext

from torchup.analysis.expression_context import expression_context
from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.star_names import with_star_names
from torchup.analysis.names import DETACHING, PACKED_SEQUENCE, names_in, names_read_with_graph
from torchup.analysis.tree_screen import names_volatile
from torchup.analysis.variable_wrapper import variable_wrapper
from torchup.analysis.function_index import ExportedHelper, FileHelpers
from torchup.analysis.module_index import ModuleIndex
from torchup.analysis.volatile_helpers import (
    VolatileHelper,
    flag_passed,
    helper_called,
    imported_helpers,
    volatile_flag_classes,
    volatile_helpers,
)
from torchup.analysis.walk import find_all
from torchup.codemod import Codemod, Safety, node_code
from torchup.codemods.variable import (
    VARIABLE,
    imports_torch,
    is_false,
    is_self_assignment,
    is_true,
    parent_of,
    parenthesized,
    schedule_variable_import_removal,
    self_assignment_candidate,
    unwrap_variable,
    variable_args,
    variable_lookalike,
    without,
)

Block = Union[cst.IndentedBlock, cst.Module]
NO_GRAD = ("torch.no_grad", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad")
# Where a call's value is computed later than the statement that contains it.
_DEFERRED = (cst.Lambda, cst.GeneratorExp, cst.FunctionDef, cst.ClassDef)
# Flags that cannot be evaluated once, earlier, at the region's start without changing behaviour.
_SIDE_EFFECTS = m.Call() | m.Await() | m.Yield() | m.NamedExpr()
# What can record a graph; after a gap, a statement that only passes names on (`return out, h`)
# needs no `with` of its own.
_COMPUTES = m.Call() | m.BinaryOperation() | m.UnaryOperation() | m.Subscript() | m.AugAssign() | m.Comparison()


@dataclass
class _Region:
    """Planning state for one ``with`` block: statements ``start..end`` of ``block``."""

    block: Block
    start: int
    end: int
    manager: str  # "no_grad", or the code of the volatile flag
    flag: Optional[cst.BaseExpression]
    unsafe_because: Tuple[str, ...]  # empty when the region is safe
    calls: List[cst.Call] = field(default_factory=list)
    # Statements between start and end left out of the ``with``: they call something without
    # touching the value, and 0.3 recorded their graph (a training step between two inference lines).
    gaps: FrozenSet[int] = frozenset()
    # Statements that compute from the value; a ``with`` starts and ends on one of them.
    reads: FrozenSet[int] = frozenset()
    # The start statement only binds the unwrapped value (``x = Variable(t, volatile=True)``):
    # it records nothing, so it needs no ``with`` of its own when a gap follows it.
    binds_only: bool = False
    # Regions inside compound statements of this block that train and evaluate (a loop whose
    # other statements do not use the value): those statements are gaps here and get their own.
    inner: List["_Region"] = field(default_factory=list)
    # The region this one is an inner region of: they make the same calls' edits, so a conflict
    # on either leaves all of them out.
    outer: Optional["_Region"] = None
    # Reads that record nothing (``pred = out.data.max(1)[1]``): a ``with`` of them alone is idle.
    inert: FrozenSet[int] = frozenset()

    def covered(self) -> Set[int]:
        return set(range(self.start, self.end + 1)) - self.gaps

    def runs(self) -> List[Tuple[int, int]]:
        """The ``(first, last)`` statements of each ``with`` this region becomes."""
        runs: List[List[int]] = [[]]
        for index in range(self.start, self.end + 1):
            if index in self.gaps:
                runs.append([])
            elif index in self.reads:
                runs[-1].append(index)
        # the value only bound (`h = Variable(x, volatile=True)` then `h = model(y)`, or the
        # regions are inside the next statements) or read by lines that record nothing
        idle = self.inert | ({self.start} if self.binds_only else set())
        if not self.gaps:
            return [(self.start, self.end)] if runs[0] and not set(runs[0]) <= idle else []
        return [
            (run[0], run[-1])
            for run in runs
            if run and not set(run) <= idle and any(find_all(self.block.body[i], _COMPUTES) for i in run)
        ]


@dataclass(frozen=True)
class _CallPlan:
    safety: Safety
    message: str




def _target_names(target: cst.CSTNode) -> Set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_target_names(e.value) for e in target.elements))
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def _constant(node: cst.CSTNode) -> bool:
    """A literal (``1``, ``-1``, ``'sum'``, ``True``, ``(0, 1)``)."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation):
        return _constant(node.expression)
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(_constant(element.value) for element in node.elements)
    return False


def _paired_plain_names(statement: cst.CSTNode, call: cst.Call) -> Set[str]:
    """The names ``a, b = Variable(x, volatile=True), Variable(y)`` binds to the values beside
    ``call``'s (``b``): in 0.3 they were not volatile, so what is computed from them keeps its graph."""
    if not (
        isinstance(statement, cst.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0].target, (cst.Tuple, cst.List))
        and isinstance(statement.value, (cst.Tuple, cst.List))
        and len(statement.targets[0].target.elements) == len(statement.value.elements)
    ):
        return set()
    names: Set[str] = set()
    for target, value in zip(statement.targets[0].target.elements, statement.value.elements):
        if not find_all(value.value, m.MatchIfTrue(lambda node: node is call)):
            names |= _target_names(target.value)
    return names


def _detached_value(node: cst.CSTNode) -> Optional[str]:
    """What 0.3 made of ``node``'s value, whatever computed it: "data" for a ``.data``
    (``crit(out, y).data[0]``, ``out.data.max(1)[1]``, ``out.data.cpu().numpy()``), a plain tensor
    or number; "variable" for ``x.detach()`` or ``Variable(<...>.data)``, an ordinary Variable
    whose later uses record a graph again; None for anything else."""
    while True:
        if isinstance(node, cst.Attribute):
            if node.attr.value == "data":
                return "data"
            node = node.value
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, (cst.Name, cst.Attribute))
            and (node.func.value if isinstance(node.func, cst.Name) else node.func.attr.value) == "Variable"
            and len(node.args) == 1
            and m.matches(node.args[0].value, m.Attribute(attr=m.Name("data")))
        ):
            return "variable"  # `Variable(netG(noise).data)`: a new, ordinary Variable
        elif isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value in DETACHING:
                return "variable"  # `netG(noise).detach()`, TU101's `Variable(netG(noise).data)`
            node = node.func.value
        else:
            return None


def _detached_bindings(statement: cst.CSTNode) -> Tuple[Set[str], Set[str]]:
    """The names a simple line binds to a detached value (see :func:`_detached_value`): those
    bound to a "data" value (``loss = crit(out, y).data[0]``), then those bound to an ordinary
    Variable (``fake = netG(noise).detach()``)."""
    kinds: Dict[str, Set[str]] = {"data": set(), "variable": set()}
    for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
        kind = _detached_value(small.value) if isinstance(small, cst.Assign) else None
        if kind is not None:
            for target in small.targets:
                kinds[kind] |= _target_names(target.target)
    return kinds["data"], kinds["variable"]


def _kept_inert(reads: Set[int], inert: Set[int]) -> Set[int]:
    """The inert lines a region keeps in its ``with``: those between two reads, and those that
    follow the last read without a break."""
    if not reads:
        return set()
    last = max(reads)
    while last + 1 in inert:
        last += 1
    return {index for index in inert if index <= last}


def _bound_names(statement: cst.CSTNode) -> Set[str]:
    """The names a simple statement line binds, whatever its value (``x = ...``, ``x: T = ...``);
    not ``x += 1``, which reads the old value."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return set()
    names: Set[str] = set()
    for small in statement.body:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                names |= _target_names(target.target)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            names |= _target_names(small.target)
    return names


def _assigned_names(node: cst.CSTNode) -> Set[str]:
    names: Set[str] = set()
    for found in find_all(node, m.AssignTarget() | m.AugAssign() | m.AnnAssign() | m.For() | m.AsName()):
        target = found.name if isinstance(found, cst.AsName) else found.target
        names |= _target_names(target)
    return names


def _as_is(expr: Optional[cst.CSTNode], raw: Set[str], call: cst.Call) -> bool:
    """True when ``expr`` is the volatile input itself (``call``, a name in ``raw``), maybe in a
    tuple or moved (``x.cuda()``), not something computed from it."""
    if expr is call:
        return True
    if isinstance(expr, cst.Name):
        return expr.value in raw
    if isinstance(expr, (cst.Tuple, cst.List)):
        return any(_as_is(element.value, raw, call) for element in expr.elements)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        return _as_is(expr.func.value, raw, call)
    if isinstance(expr, cst.Attribute):
        return _as_is(expr.value, raw, call)
    return False


def _flag_code(call: cst.Call) -> str:
    """The code of the volatile argument of ``Variable(data, requires_grad, volatile)``."""
    for index, arg in enumerate(call.args):
        if m.matches(arg.keyword, m.Name("volatile")) or (arg.keyword is None and index == 2):
            return node_code(arg.value)
    return "volatile"


def _negated(flag: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(flag, cst.UnaryOperation) and isinstance(flag.operator, cst.Not) and not flag.lpar:
        return flag.expression
    if isinstance(flag, (cst.BooleanOperation, cst.IfExp, cst.Lambda)) and not flag.lpar:
        flag = parenthesized(flag)
    return cst.UnaryOperation(operator=cst.Not(), expression=flag)


class Volatile(Codemod):
    CODE = "TU102"
    NAME = "volatile"
    SUMMARY = (
        "`Variable(x, volatile=True)` -> `x` inside `with torch.no_grad():`, also through helpers of "
        "any file of the run (`to_var(x, volatile=True)`, `get_batch(..., evaluation=True)`) and `self.x` values "
        "read in their class, and flags kept as data (a dataset's `self.volatile`) through the instances "
        "made with a true flag, and local containers of volatile values; containers held in attributes "
        "are reported"
    )
    SAFETY = "mixed"
    USES_MODULE_INDEX = True  # volatile helpers of other files: the function index of the first pass
    # Any spelling: `volatile  =`, a positional `Variable(x, False, True)` needs `Variable` and
    # TU101 leaves it here, so the word alone is the marker (rare in modern code).
    MARKERS = ("volatile", "Variable")
    # Either word in the code itself, not in its strings and comments.
    TREE_SCREEN = staticmethod(names_volatile)

    @classmethod
    def wanted_by(cls, facts: object, filename: Optional[str]) -> bool:
        # A file that calls another file's volatile helper (`model(var(a))`) may name neither word.
        return isinstance(facts, ModuleIndex) and filename is not None and bool(facts.file_helpers(filename).imported)

    # -- planning, on the original tree ---------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = with_star_names(import_table(node), self.repo_facts, self.context.filename)
        self.wrapper = variable_wrapper(node, self.table)
        self.detach_data = not find_all(node, m.Name(m.MatchIfTrue(lambda name: name in PACKED_SEQUENCE)))
        self.call_plans: Dict[cst.Call, _CallPlan] = {}
        self.wraps: Dict[Block, List[Tuple[int, int, cst.BaseExpression]]] = {}
        self.unwrapped_any = False
        # `x = x` lines left by unwrapping `x = Variable(x, volatile=...)`; their block drops them.
        self.removable: Set[cst.CSTNode] = set()
        self.unwrapped: Set[cst.CSTNode] = set()  # the calls unwrapped so far (original nodes)
        # `x.volatile = False` lines (original nodes) -> the name whose spread they end (or None);
        # a no-op since 0.4, deleted. Known before the regions: a region ends at one.
        self.cleared: Dict[cst.SimpleStatementLine, Optional[str]] = {}
        attributes = find_all(node, m.Attribute(attr=m.Name("volatile")))
        for attribute in attributes:
            line = self._clearing_line(attribute)
            if line is not None:
                self.cleared[line] = attribute.value.value if isinstance(attribute.value, cst.Name) else None
        # The run's function index (None alone: tests, `python -m libcst.tool`): helpers of other
        # files called here, and who calls this file's helpers from elsewhere.
        facts = self.repo_facts
        self.file_helpers: Optional[FileHelpers] = (
            facts.file_helpers(self.context.filename)
            if isinstance(facts, ModuleIndex) and self.context.filename
            else None
        )
        self.imported = imported_helpers(self.file_helpers)
        self.helpers = volatile_helpers(node, self.table, self.imported)
        self.reported_flags: Set[cst.Call] = set()  # flags kept as data whose readers are elsewhere
        self.inner_plans: Dict[Tuple[int, FrozenSet[str], str, int], tuple] = {}
        self.flag_classes = volatile_flag_classes(node, self.table) if imports_torch(self.table) else {}
        for cls, helper in list(self.flag_classes.items()):
            constructed = [c for c in find_all(node, m.Call()) if m.matches(c.func, m.Name(helper.name))]
            if any(flag_passed(helper, c) is not False for c in constructed):
                self.helpers[cls] = helper  # its instances made with a true flag are volatile values
            else:
                del self.flag_classes[cls]
                for call in helper.flag_calls:
                    self.report(
                        call,
                        f"`{helper.name}` keeps its volatile flag as data (`{_flag_code(call)}`) and "
                        "hands the values out: the code it governed uses them where an instance made with a "
                        "true flag is read, not in this file; put that code under `torch.no_grad()` there and "
                        "drop the flag here",
                    )
                    self.reported_flags.add(call)
        # The calls inside helpers that receive the helper's flag (or always volatile): dropped there.
        self.helper_flags: Dict[cst.Call, VolatileHelper] = {
            call: helper for helper in self.helpers.values() for call in helper.flag_calls
        }
        self.helper_sites: Dict[cst.Call, VolatileHelper] = {}  # calls of helpers that make a volatile value
        self.unfollowed: Set[str] = set()  # helpers whose callers may be in files the run lacks
        # `self.x = Variable(t, volatile=True)`: the call -> the reads of `self.x` in its class,
        # whose statements get the regions (original Attribute nodes).
        self.attribute_values: Dict[cst.Call, List[cst.Attribute]] = {}
        self.attribute_reads: Set[cst.CSTNode] = set()
        self.inherited_flags: Set[cst.CSTNode] = set()  # `x.volatile` flags dropped with their call
        regions: List[_Region] = []
        for call in find_all(node, m.Call()):
            region = self._plan_call(call)
            if isinstance(region, list):
                regions.extend(region)
            elif region is not None:
                regions.append(region)
        self._settle(regions)
        self._settle_attribute_values()
        for attribute in attributes:
            if attribute not in self.inherited_flags:
                self._report_attribute(attribute)
        # A helper's flag parameter and the arguments that pass it, removed together (originals).
        self.dropped_params: Dict[cst.Param, VolatileHelper] = {}
        self.dropped_args: Dict[cst.Call, int] = {}
        if self.imported and self.allows(Safety.UNSAFE):
            self._plan_imported_param_removal(node)
        if self.helpers and self.allows(Safety.UNSAFE):
            for helper in self.helpers.values():
                self._plan_param_removal(helper, node)
        if imports_torch(self.table):
            ignored = "parameter `{}` is ignored once its volatile flag is migrated (the callers' code runs under `torch.no_grad()`): drop it when no caller passes it"
            helper_params = {
                id(p): p for h in self.helpers.values() if h.param and h.function is not None
                for p in find_all(h.function.params, m.Param(name=m.Name(h.param)))
            }
            kept_flags = {  # helpers whose flag stays (reported): their parameter still means it
                id(p) for h in self.helpers.values() if h.param and h.function is not None and h.name in self.unfollowed
                for p in find_all(h.function.params, m.Param(name=m.Name(h.param)))
            }
            for param in helper_params.values():
                if param not in self.dropped_params and id(param) not in kept_flags:
                    self.report(param, ignored.format(param.name.value))
            for param in find_all(node, m.Param(name=m.Name("volatile"), default=m.MatchIfTrue(bool))):
                if id(param) in helper_params:
                    continue
                function = self.parent(self.parent(param))
                if isinstance(function, cst.FunctionDef) and not self._reads_volatile(function):
                    self.report(param, ignored.format("volatile"))
                    continue
                self.report(
                    param,
                    "parameter `volatile=`: volatile has no effect since PyTorch 0.4; check that "
                    "what this function does with it was migrated (TU102 reports its uses)",
                )

    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return parent_of(self, node)

    def _graph_reads(self, node: cst.CSTNode) -> Set[str]:
        return names_read_with_graph(node, self.detach_data)

    def is_load(self, name: cst.Name) -> bool:
        return expression_context(name, self.parent) is ExpressionContext.LOAD

    def _class_of(self, node: cst.CSTNode) -> Optional[str]:
        """The class whose method holds ``node``, if any."""
        while node is not None and not isinstance(node, cst.FunctionDef):
            node = self.parent(node)
        block = self.parent(node) if node is not None else None
        owner = self.parent(block) if block is not None else None
        return owner.name.value if isinstance(owner, cst.ClassDef) else None

    def _not_a_library(self, module: cst.Module) -> bool:
        """A script (``if __name__ == "__main__":``): its functions are no package's API, so a
        parameter nobody passes any more can go."""
        return any(
            m.matches(statement, m.If(test=m.Comparison(left=m.Name("__name__"))))
            for statement in module.body
        )

    def _plan_param_removal(self, helper: VolatileHelper, module: cst.Module) -> None:
        """Remove the helper's flag parameter, and the argument from each call of it in the file,
        when every call can lose it and the name is used only by those calls."""
        if helper.param is None or helper.function is None:
            return  # a class's flag kept as data: its constructor keeps the parameter
        if any(call not in self.call_plans and call not in self.dropped_args for call in helper.flag_calls):
            return  # a flag call in the helper keeps passing the parameter on
        exported = self._exported(helper)
        if exported is not None:
            if not exported.drop_param:
                return  # public API, or a call in the run (or beyond it) may still pass the flag
        elif self._callers_elsewhere(helper) or not self._not_a_library(module):
            return  # other files pass the flag, or may: the parameter stays, ignored
        calls = [c for c in find_all(module, m.Call()) if helper_called(c, self.helpers, self._class_of) is helper]
        if helper.owner is None:
            references = len(find_all(module, m.Name(helper.name))) - 1  # less the def's own name
        else:
            references = len(find_all(module, m.Attribute(value=m.Name("self"), attr=m.Name(helper.name))))
        if references != len(calls):
            return  # passed as a value, or called in ways not followed
        removals: Dict[cst.Call, int] = {}
        for call in calls:
            for index, arg in enumerate(call.args):
                if arg.star:
                    return
                if m.matches(arg.keyword, m.Name(helper.param)) or (arg.keyword is None and index == helper.position):
                    if find_all(arg.value, _SIDE_EFFECTS):
                        return  # the argument's evaluation would go with it
                    removals[call] = index
        params = find_all(helper.function.params, m.Param(name=m.Name(helper.param)))
        self.dropped_params[params[0]] = helper
        self.dropped_args.update(removals)

    def leave_Parameters(self, original_node: cst.Parameters, updated_node: cst.Parameters) -> cst.Parameters:
        if not self.dropped_params:
            return updated_node
        changes = {}
        for field_name in ("posonly_params", "params", "kwonly_params"):
            originals = getattr(original_node, field_name)
            if not any(p in self.dropped_params for p in originals):
                continue
            kept = []
            for original, updated in zip(originals, getattr(updated_node, field_name)):
                if original in self.dropped_params:
                    helper = self.dropped_params[original]
                    exported = self._exported(helper)
                    self.record_edit(
                        original,
                        f"parameter `{helper.param}` of `{helper.name}` removed: its volatile flag was migrated "
                        "and no call passes it any more "
                        + (
                            "(the calls in the other files of the run lose the argument too)"
                            if exported is not None and exported.importers
                            else "(calls from other files are not followed)"
                        ),
                        safety=Safety.UNSAFE,
                    )
                else:
                    kept.append(updated)
            if kept and field_name != "kwonly_params":
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            changes[field_name] = kept
        # A bare `*` with no keyword-only parameter left goes in the same change: libcst
        # refuses to build `def f(x, *)` even for a moment.
        kwonly = changes.get("kwonly_params", updated_node.kwonly_params)
        if not kwonly and isinstance(updated_node.star_arg, cst.ParamStar):
            changes["star_arg"] = cst.MaybeSentinel.DEFAULT
            # The comma that stood before the `*` goes; the default one is written where needed.
            params = list(changes.get("params", updated_node.params))
            if params:
                params[-1] = params[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                changes["params"] = params
            elif isinstance(updated_node.posonly_ind, cst.ParamSlash):
                changes["posonly_ind"] = updated_node.posonly_ind.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(**changes)

    def _without_flag_argument(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        index = self.dropped_args[original]
        args = [arg for i, arg in enumerate(updated.args) if i != index]
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(args=args)

    def _ignores_volatile(self, call: cst.Call) -> bool:
        """True when ``call`` calls a function of this file (or a method on ``self``, or a
        function of another file of the run) that has a ``volatile`` parameter and never reads
        it: a helper whose flag TU102 already dropped."""
        if self.file_helpers is not None and node_code(call.func) in self.file_helpers.ignoring:
            return True
        if isinstance(call.func, cst.Name):
            name = call.func.value
        elif m.matches(call.func, m.Attribute(value=m.Name("self"))):
            name = call.func.attr.value
        else:
            return False
        module = self.context.wrapper.module if self.context.wrapper is not None else None
        if module is None:
            return False
        classes = find_all(module, m.ClassDef(name=m.Name(name)))
        if len(classes) == 1 and isinstance(call.func, cst.Name):
            # A class whose flag kept as data was migrated: it stores `self.volatile` and never reads it.
            inits = find_all(classes[0], m.FunctionDef(name=m.Name("__init__"), params=m.Parameters(
                params=[m.ZeroOrMore(), m.Param(name=m.Name("volatile")), m.ZeroOrMore()]
            )))
            stores = {
                id(t.target) for a in find_all(classes[0], m.Assign()) for t in a.targets
            }
            loads = [
                a for a in find_all(classes[0], m.Attribute(value=m.Name("self"), attr=m.Name("volatile")))
                if id(a) not in stores
            ]
            return len(inits) == 1 and not loads
        functions = [f for f in find_all(module, m.FunctionDef(name=m.Name(name)))]
        if len(functions) != 1 or not find_all(functions[0].params, m.Param(name=m.Name("volatile"))):
            return False
        return not self._reads_volatile(functions[0])

    def _reads_volatile(self, function: cst.FunctionDef) -> bool:
        return any(
            not isinstance(self.parent(n), (cst.Arg, cst.Attribute)) or self.parent(n).value is n
            for n in find_all(function.body, m.Name("volatile"))
        )

    def _plan_helper_flag(self, call: cst.Call, helper: VolatileHelper) -> None:
        """``Variable(x, volatile=<the helper's flag>)`` in a helper: the flag goes, the callers
        that pass a true value get the region."""
        if not self.table.refers_to(call.func, *VARIABLE):
            return  # another helper's call forwarding the flag: that helper drops it
        args = variable_args(call)
        unwrap = None if isinstance(args, str) else unwrap_variable(call, args, self.table, self.parent(call))
        if unwrap is None or (args.requires_grad is not None and not is_false(args.requires_grad)):
            self.report(call, f"the volatile flag of helper `{helper.name}` cannot be dropped here: migrate it by hand")
            return
        if helper.function is None and helper.imported_from is None:  # a class's flag kept as data
            message = (
                f"`volatile={_flag_code(call)}` dropped: `{helper.name}` keeps its volatile flag as data; the "
                f"code using what each `{helper.name}(...)` made with a true `{helper.param}` hands out runs "
                "under `torch.no_grad()`"
            )
        elif helper.param is None:
            message = (
                f"`volatile=True` dropped from `{helper.name}`, whose value is volatile for its callers: "
                "the code using each call's value runs under `torch.no_grad()`"
            )
        else:
            message = (
                f"`volatile={helper.param}` dropped from `{helper.name}`: the callers that pass a true "
                f"`{helper.param}` run the code using the value under `torch.no_grad()`; the parameter "
                "goes where no call needs it and it is no package's API, else it is kept, now ignored"
            )
        exported = self.file_helpers.exported_helper(helper.name) if self.file_helpers else None
        if exported is not None and exported.unseen:
            # Its calls in files the run does not include would keep passing a flag that no longer
            # says anything, and nobody would put their inference under no_grad: report instead.
            shown = ", ".join(exported.unseen[:3]) + (", ..." if len(exported.unseen) > 3 else "")
            self.unfollowed.add(helper.name)
            self.report(
                call,
                f"`{helper.name}` forwards a volatile flag and may be called from files this run does not "
                f"include ({shown}): run torchup on them together, so that their calls get their "
                "`torch.no_grad()` regions and the flag is dropped here",
            )
            return
        if exported is not None and exported.importers:
            message += (
                f" (its calls in {', '.join(exported.importers)} get their regions there; calls from "
                "outside this run are not followed)"
            )
        else:
            message += " (calls from other files are not followed: check that they run under `torch.no_grad()`)"
        self.call_plans[call] = _CallPlan(Safety.UNSAFE, message)

    def _exported(self, helper: VolatileHelper) -> Optional[ExportedHelper]:
        """What the run's function index knows of this file's ``helper`` (None alone, or for a method)."""
        if self.file_helpers is None or helper.owner is not None:
            return None
        return self.file_helpers.exported_helper(helper.name)

    def _callers_elsewhere(self, helper: VolatileHelper) -> bool:
        """Whether files other than this one call (or may call) ``helper``."""
        exported = self._exported(helper)
        return exported is not None and bool(exported.importers or exported.unseen)

    def _plan_imported_param_removal(self, module: cst.Module) -> None:
        """The calls of another file's helper whose flag parameter goes lose the flag argument."""
        for call in find_all(module, m.Call()):
            helper = helper_called(call, {}, self._class_of, self.imported)
            if helper is None or not helper.drop_param:
                continue
            for index, arg in enumerate(call.args):
                if m.matches(arg.keyword, m.Name(str(helper.param))) or (
                    arg.keyword is None and index == helper.position
                ):
                    self.dropped_args[call] = index

    def _plan_helper_call(self, call: cst.Call, helper: VolatileHelper) -> Optional[_Region]:
        passed = flag_passed(helper, call)
        if isinstance(passed, str):
            self.report(call, f"{passed}: the volatile flag of `{helper.name}(...)` is not migrated here")
            return None
        if passed is False:
            return None
        if passed is True:
            if self._inside_no_grad(call):
                return None
            flag = None
        else:
            flag = passed
            if find_all(flag, _SIDE_EFFECTS):
                self.report(
                    call,
                    f"the volatile flag passed to `{helper.name}(...)` is computed by a call: wrap the code "
                    "in `torch.set_grad_enabled(...)` by hand",
                )
                return None
        region = self._find_region(call, flag)
        if isinstance(region, str):
            self.report(
                call,
                f"the volatile value `{helper.name}(...)` makes is not migrated ({region}); put the "
                "inference code under `with torch.no_grad():` by hand",
            )
            return None
        self.helper_sites[call] = helper
        region.calls.append(call)
        return region

    def _plan_call(self, call: cst.Call) -> Union[_Region, List[_Region], None]:
        """A region for a volatile Variable call, or None (and a finding or a plain unwrap)."""
        if call in self.reported_flags:
            return None
        if call in self.helper_flags:
            self._plan_helper_flag(call, self.helper_flags[call])
            return None
        helper = (
            helper_called(call, self.helpers, self._class_of, self.imported)
            if self.helpers or self.imported
            else None
        )
        if helper is not None:
            return self._plan_helper_call(call, helper)
        if not self.table.refers_to(call.func, *VARIABLE):
            keyword = any(m.matches(arg.keyword, m.Name("volatile")) for arg in call.args)
            if keyword and self.wrapper is not None and m.matches(call.func, m.Name(self.wrapper.name)):
                self.report(
                    call,
                    f"`{self.wrapper.name}` is this file's wrapper around torch's Variable: its volatile "
                    "flag is migrated once TU101 migrates the wrapper (see TU101's finding)",
                )
            elif keyword and self._ignores_volatile(call):
                pass  # a helper of this file whose flag was migrated: the argument is ignored
            elif keyword and m.matches(call.func, m.Name("Variable")) and self.table.star_import_of(call.func):
                self.report(
                    call,
                    f"`Variable` may come from `{self.table.star_import_of(call.func)}`, which torchup does "
                    "not follow: its volatile flag is not migrated (import Variable by name, "
                    "`from torch.autograd import Variable`, and run torchup again)",
                )
            elif keyword and (variable_lookalike(call.func, self.table) or imports_torch(self.table)):
                self.report(
                    call,
                    "`volatile=` passed to a function that is not torch.autograd.Variable: volatile has "
                    "no effect since PyTorch 0.4; migrate that function's use of the flag by hand",
                )
            return None
        args = variable_args(call)
        if isinstance(args, str):
            if any(m.matches(arg.keyword, m.Name("volatile")) for arg in call.args):
                self.report(call, f"{args}: its volatile flag is not migrated")
            return None
        if args.volatile is None:
            return None  # TU101's
        unwrap = unwrap_variable(call, args, self.table, self.parent(call))
        comment_safe = unwrap.safety is Safety.SAFE
        if is_false(args.volatile):
            self.call_plans[call] = _CallPlan(unwrap.safety, "`volatile=False` dropped (it had no effect)")
            return None
        if m.matches(args.volatile, m.Attribute(attr=m.Name("volatile"))) and not m.matches(
            args.volatile.value, m.Name("self")  # type: ignore[union-attr]
        ):
            # `volatile=x.volatile` passed on x's volatility: today that is the grad mode the code
            # runs under, inherited from the caller. `set_grad_enabled(not x.volatile)` would turn
            # grad on inside a caller's no_grad (`.volatile` is always False now).
            self.inherited_flags.add(args.volatile)
            self.call_plans[call] = _CallPlan(
                unwrap.safety,
                f"`volatile={node_code(args.volatile)}` dropped: since PyTorch 0.4 the value follows the "
                "grad mode of the caller (its `torch.no_grad()`), as it followed the input's volatility",
            )
            return None
        if args.requires_grad is not None and not is_false(args.requires_grad):
            self.report(
                call, "`volatile` together with `requires_grad`: decide by hand which one the code meant"
            )
            return None
        if is_true(args.volatile):
            if self._inside_no_grad(call):
                self.call_plans[call] = _CallPlan(
                    unwrap.safety, "`volatile=True` dropped: already inside `with torch.no_grad():`"
                )
                return None
            flag = None
        else:
            flag = args.volatile
            if find_all(flag, _SIDE_EFFECTS):
                self.report(
                    call,
                    "`volatile=` flag is computed by a call: wrap the code in `torch.set_grad_enabled(...)` by hand",
                )
                return None
        if flag is None and self._stored_on_self(call) is not None:
            return self._plan_attribute_value(call, self._stored_on_self(call), comment_safe)
        region = self._find_region(call, flag)
        if isinstance(region, str):
            self.report(
                call,
                f"volatile flag not migrated ({region}); put the inference code under "
                "`with torch.no_grad():` by hand",
            )
            return None
        if not comment_safe:
            region.unsafe_because += ("a comment inside the call is lost",)
        region.calls.append(call)
        return region

    # -- volatile values kept in attributes -------------------------------------------------

    def _stored_on_self(self, call: cst.Call) -> Optional[cst.Attribute]:
        """The ``self.x`` of ``self.x = Variable(t, volatile=True)`` (maybe ``.cuda()``), alone on
        its line in a method of a class, else None."""
        node: Optional[cst.CSTNode] = call
        while node is not None and not isinstance(node, cst.SimpleStatementLine):
            node = self.parent(node)
        if not m.matches(
            node,
            m.SimpleStatementLine(
                body=[m.Assign(targets=[m.AssignTarget(target=m.Attribute(value=m.Name("self")))])]
            ),
        ):
            return None
        assign = node.body[0]
        if not _as_is(assign.value, set(), call) or isinstance(assign.value, (cst.Tuple, cst.List)):
            return None
        return assign.targets[0].target if self._class_of(call) is not None else None

    def _plan_attribute_value(
        self, call: cst.Call, attribute: cst.Attribute, comment_safe: bool
    ) -> Union[List[_Region], None]:
        """``self.x = Variable(t, volatile=True)``: the flag goes where the value is made, and
        every statement of the class that reads ``self.x`` gets the region of a direct volatile
        value at that place. All reads or none."""
        name = attribute.attr.value
        node: Optional[cst.CSTNode] = call
        while node is not None and not isinstance(node, cst.ClassDef):
            node = self.parent(node)
        same = m.Attribute(value=m.Name("self"), attr=m.Name(name))
        uses = [a for a in find_all(node, same) if a is not attribute]
        reads = [a for a in uses if expression_context(a, self.parent) is ExpressionContext.LOAD]
        problem = None
        if len(reads) != len(uses):
            problem = f"`self.{name}` is also assigned elsewhere in the class"
        elif not reads:
            problem = f"`self.{name}` is not read in its class: its readers are elsewhere"
        regions: List[_Region] = []
        for read in reads if problem is None else []:
            if self._inside_no_grad(read):
                continue
            region = self._find_region(read, None)
            if isinstance(region, str):
                line = self.position_of(read)[0]
                problem = f"its read on line {line} cannot be wrapped: {region}"
                break
            region.calls.append(read)
            regions.append(region)
        if problem is not None:
            self.report(
                call,
                f"volatile value kept in `self.{name}` not migrated ({problem}); put the code that "
                "reads it under `with torch.no_grad():` by hand",
            )
            return None
        if not comment_safe:
            for region in regions:
                region.unsafe_because += ("a comment inside the call is lost",)
        self.attribute_values[call] = [region.calls[-1] for region in regions]
        self.attribute_reads.update(self.attribute_values[call])
        return regions

    def _settle_attribute_values(self) -> None:
        """The flag drop where an attribute's value is made: as safe as the least safe read's
        region; reported when a read's region could not be kept (a conflict)."""
        for call, reads in self.attribute_values.items():
            plans = [self.call_plans.get(read) for read in reads]
            if any(plan is None for plan in plans):
                self.report(call, "volatile value kept in an attribute not migrated: a read's region conflicts")
                continue
            unsafe = any(plan.safety is Safety.UNSAFE for plan in plans)
            message = (
                "`volatile=True` dropped where the value is made: the statements that read it "
                f"({len(reads)} in the class) run under `with torch.no_grad():`"
            )
            self.call_plans[call] = _CallPlan(Safety.UNSAFE if unsafe else Safety.SAFE, message)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if original_node not in self.attribute_reads:
            return updated_node
        plan = self.call_plans.get(original_node)
        if plan is None:
            return updated_node
        message = "reads a volatile value kept in an attribute: " + plan.message
        return self.fix(original_node, updated_node, message, safety=plan.safety, keep=updated_node)

    def _is_no_grad(self, expr: cst.BaseExpression) -> bool:
        """``torch.no_grad()`` (or, as a decorator, ``torch.no_grad``) however it is spelled."""
        if isinstance(expr, cst.Call) and not expr.args:
            expr = expr.func
        return self.table.refers_to(expr, *NO_GRAD)

    def _inside_no_grad(self, node: Optional[cst.CSTNode]) -> bool:
        while node is not None and not isinstance(node, cst.Lambda):
            if isinstance(node, cst.With) and any(self._is_no_grad(item.item) for item in node.items):
                return True
            if isinstance(node, cst.FunctionDef):
                return any(self._is_no_grad(decorator.decorator) for decorator in node.decorators)
            node = self.parent(node)
        return False

    def _find_region(self, call: cst.Call, flag: Optional[cst.BaseExpression]) -> Union[_Region, str]:
        node: cst.CSTNode = call
        while not isinstance(node, cst.SimpleStatementLine):
            parent = self.parent(node)
            if isinstance(parent, _DEFERRED):
                return "the call runs later, inside a lambda, a generator expression or a definition"
            if isinstance(parent, cst.SimpleStatementSuite):
                # `if flag: v = Variable(x, volatile=True)`: no SimpleStatementLine holds the call,
                # and the suite's compound statement is not where the call is.
                return "the statement is the body of a one-line compound statement"
            if parent is None or isinstance(parent, cst.BaseCompoundStatement):
                return "the call is in the header of a compound statement"
            node = parent
        line = node
        if len(line.body) != 1:
            return "the line holds several statements"
        # A statement line's parent is always a block (a one-line body is no line: see above).
        block = self.parent(line)

        statement = line.body[0]
        names = self._names_bound_to(statement, call)
        if isinstance(names, str):
            return names
        paired = _paired_plain_names(statement, call) - names
        manager = "no_grad" if flag is None else cst.Module(body=[]).code_for_node(flag)

        stmt: cst.CSTNode = line
        grown = False
        while True:
            start = [i for i, s in enumerate(block.body) if s is stmt][0]
            end, reads, gaps, tainted, inert = self._region_end(block, start, names, set() if grown else paired)
            problem = self._uses_outside(names, statement, block, start, end)
            if problem is None:
                raw = names if _as_is(getattr(statement, "value", None), set(), call) else set()
                if self._returned_as_is(block.body[start : end + 1], raw, call):
                    return "the volatile value is returned or yielded as it is: the inference code is in the caller"
                if grown and flag is not None:
                    return "the flag would have to be computed before the enclosing statement"
                if grown and self._pure(block.body[start], names, line):
                    # The enclosing loop only fills the value in (`for x in batch:
                    # inputs.append(Variable(x, volatile=True))`): nothing else in it records a
                    # graph, so growing to it changes nothing of the training code.
                    grown = False
                cells = self._cell_separators(block, start, end)
                gaps |= cells  # a notebook's cells: a `with` cannot span two of them
                inner: List[_Region] = []
                descended: Set[int] = set()
                mixed = False
                if not grown:
                    descended, inner, mixed = self._descend(block, start, reads, names, manager, flag, paired)
                    reads, gaps = reads - descended, gaps | descended
                if (
                    grown
                    or mixed
                    or not self._can_split(block, gaps - descended, tainted, flag)
                    or not self._can_split(block, descended, set(), flag)
                ):
                    if cells:
                        return "the value is used in later notebook cells and one `with` cannot span cells"
                    reasons = ("the region grows to the enclosing statement",) * grown + (
                        "the region also runs calls that do not use the value",
                    ) * bool(gaps or mixed)
                    every = frozenset(range(start, end + 1))
                    return _Region(block, start, end, manager, flag, reasons, reads=every)
                binds_only = bool(names) and _as_is(getattr(statement, "value", None), set(), call)
                if descended:
                    end = max(reads)
                    gaps = {index for index in gaps if index < end}
                return _Region(
                    block, start, end, manager, flag, (), gaps=frozenset(gaps), reads=frozenset(reads),
                    binds_only=binds_only, inner=inner, inert=frozenset(inert),
                )
            owner = self.parent(block)
            if isinstance(block, cst.Module) or isinstance(owner, (cst.FunctionDef, cst.ClassDef)):
                return problem
            stmt = owner
            while not isinstance(self.parent(stmt), (cst.IndentedBlock, cst.Module)):
                stmt = self.parent(stmt)
            block = self.parent(stmt)
            grown = True

    def _descend(
        self,
        block: Block,
        start: int,
        reads: Set[int],
        names: Set[str],
        manager: str,
        flag: Optional[cst.BaseExpression],
        paired: Set[str],
    ) -> Tuple[Set[int], List[_Region], bool]:
        """The compound statements among ``reads`` that also run code not using the value (a loop
        that trains and evaluates), the regions inside them, and whether one of them could not
        be split (then the whole region is unsafe)."""
        descended: Set[int] = set()
        inner: List[_Region] = []
        tainted = set(names)
        self.inner_plans = {}  # one region's plan: its regions belong to it alone
        for index in range(start, max(reads) + 1):
            statement = block.body[index]
            if index not in reads:
                continue
            if index != start and isinstance(statement, cst.BaseCompoundStatement):
                plan = self._inner_plan(statement, tainted, manager, flag)
                if plan == "mixed":
                    return set(), [], True
                if plan is not None:
                    descended.add(index)
                    inner.extend(plan)
            tainted |= _assigned_names(statement) - (paired if index == start else set())
        return descended, inner, False

    def _inner_plan(
        self, statement: cst.BaseCompoundStatement, tainted: Set[str], manager: str, flag: Optional[cst.BaseExpression]
    ) -> Union[List[_Region], str, None]:
        """Regions for the statements inside ``statement`` that use the value: None when every
        statement with a call uses it (the statement stays whole in the region), "mixed" when
        some do not but the statement cannot be split (a header that computes from the value, a
        one-line body, an ``elif``)."""
        # Asked again for nested statements while planning their parent: computed once (the
        # regions are fresh objects per question only when first asked).
        key = (id(statement), frozenset(tainted), manager, id(flag))
        known = self.inner_plans.get(key)
        if known is None:
            known = self.inner_plans[key] = (self._plan_inside(statement, tainted, manager, flag),)
        return known[0]

    def _plan_inside(
        self, statement: cst.BaseCompoundStatement, tainted: Set[str], manager: str, flag: Optional[cst.BaseExpression]
    ) -> Union[List[_Region], str, None]:
        names = set(tainted)
        if isinstance(statement, cst.For):
            header: List[cst.CSTNode] = [statement.iter]
            if self._graph_reads(statement.iter) & names:
                names |= _target_names(statement.target)
        elif isinstance(statement, cst.If) and isinstance(statement.orelse, cst.If):
            # an elif chain: its tests would be left out of the regions, so it is split only
            # when nothing in it needs splitting
            unread = any(
                not self._graph_reads(line) & names
                for line in find_all(statement, m.SimpleStatementLine())
                if find_all(line, m.Call())
            )
            return "mixed" if unread else None
        elif isinstance(statement, (cst.While, cst.If)):
            header = [statement.test]
        elif isinstance(statement, cst.With):
            header = list(statement.items)
        elif isinstance(statement, cst.Try):
            header = []
        else:
            return None  # a definition, match, ...: not split
        bodies = self._bodies(statement)
        loop = isinstance(statement, (cst.For, cst.While))
        plans: List[Tuple[cst.IndentedBlock, Set[int], Set[int]]] = []
        mixed = False
        for body in bodies:
            if not isinstance(body, cst.IndentedBlock):
                return "mixed" if self._has_unread_call(body, names) else None
            seen = set(names)
            for _ in range(2 if loop else 1):  # a loop carries names to its next iteration
                read: Set[int] = set()
                inert: Set[int] = set()
                plain: Set[str] = set()
                for index, inside in enumerate(body.body):
                    if self._graph_reads(inside) & seen:
                        read.add(index)
                        data, ordinary = _detached_bindings(inside)
                        seen |= _assigned_names(inside) - data - ordinary
                        plain |= data
                    elif self._inert(inside, seen, plain):
                        inert.add(index)
                        plain |= _bound_names(inside)
            inert = _kept_inert(read, inert)
            read |= inert
            unread = {i for i, inside in enumerate(body.body) if i not in read and find_all(inside, m.Call())}
            if any(
                self._has_unread_call(body.body[i], seen)
                for i in read - inert
                if isinstance(body.body[i], cst.SimpleStatementLine)
            ):
                return "mixed"  # `train(model); print(model(x))`: one line cannot be split
            mixed = mixed or bool(unread) or any(
                isinstance(body.body[i], cst.BaseCompoundStatement)
                and self._inner_plan(body.body[i], seen, manager, flag) is not None
                for i in read
            )
            plans.append((body, read, inert))
        if not mixed:
            return None
        if any(self._graph_reads(part) & names and find_all(part, m.Call()) for part in header):
            return "mixed"  # the header computes from the value: it cannot stay outside
        regions: List[_Region] = []
        for body, read, inert in plans:
            if not read:
                continue
            seen = set(names) | set().union(*(_assigned_names(body.body[i]) for i in read))
            descended: Set[int] = set()
            for index in sorted(read):
                inside = body.body[index]
                if isinstance(inside, cst.BaseCompoundStatement):
                    plan = self._inner_plan(inside, seen, manager, flag)
                    if plan == "mixed":
                        return "mixed"
                    if plan is not None:
                        descended.add(index)
                        regions.extend(plan)  # type: ignore[arg-type]
            kept = read - descended
            first, last = min(read), max(read)
            gaps = {i for i in range(first, last + 1) if i not in kept and (i in descended or find_all(body.body[i], m.Call()))}
            if not self._can_split(body, gaps - descended, seen, flag) or not self._can_split(body, descended, set(), flag):
                return "mixed"
            if kept:
                last = max(kept)
                gaps = {i for i in gaps if i < last}
                regions.append(
                    _Region(
                        body, min(kept), last, manager, flag, (),
                        gaps=frozenset(gaps), reads=frozenset(kept), inert=frozenset(inert & kept),
                    )
                )
        return regions

    def _bodies(self, statement: cst.BaseCompoundStatement) -> List[cst.BaseSuite]:
        bodies: List[cst.BaseSuite] = [statement.body]
        if isinstance(statement, cst.Try):
            bodies += [handler.body for handler in statement.handlers]
            if statement.finalbody is not None:
                bodies.append(statement.finalbody.body)
        orelse = getattr(statement, "orelse", None)
        if isinstance(orelse, cst.Else):
            bodies.append(orelse.body)
        return bodies

    def _has_unread_call(self, suite: cst.BaseSuite, names: Set[str]) -> bool:
        return any(
            find_all(small, m.Call()) and not self._graph_reads(small) & names
            for small in getattr(suite, "body", ())
        )

    def _can_split(
        self, block: Block, gaps: Set[int], tainted: Set[str], flag: Optional[cst.BaseExpression]
    ) -> bool:
        """True when the gaps can be left out of the ``with``: no gap rebinds a name computed
        from the value (a later read would then see the gap's value, which has a graph), and,
        since each ``with`` reads the flag again, none changes the flag."""
        assigned = set().union(*(_assigned_names(block.body[index]) for index in gaps))
        flag_names = names_in(flag) if flag is not None else set()
        return not (assigned & (tainted | flag_names))

    def _names_bound_to(self, statement: cst.CSTNode, call: cst.Call) -> Union[Set[str], str]:
        """The names that receive the call's value in ``statement`` (none for ``f(Variable(...))``);
        a local container that receives it (``outs[k] = ...``, ``outs.append(...)``) is one: in
        0.3 what was computed from its items was volatile."""
        container = self._container_receiving(statement, call)
        if container is not None:
            return {container}
        if isinstance(statement, cst.Expr) and m.matches(
            statement.value, m.Call(func=m.Attribute(value=~m.Name(), attr=m.Name("append") | m.Name("extend")))
        ):
            return "the value is put in a container held elsewhere (`self.buffer.append(...)`), whose uses cannot be followed"
        if isinstance(statement, cst.AnnAssign):
            targets = [statement.target] if statement.value is not None else []
            value = statement.value
        elif isinstance(statement, cst.Assign):
            targets = [t.target for t in statement.targets]
            value = statement.value
        else:
            return set()
        names: Set[str] = set()
        for target in targets:
            if (
                len(targets) == 1
                and isinstance(target, (cst.Tuple, cst.List))
                and isinstance(value, (cst.Tuple, cst.List))
                and len(target.elements) == len(value.elements)
            ):
                # `a, b = Variable(x, volatile=True), Variable(y)`: only `a` receives the volatile value.
                for t, v in zip(target.elements, value.elements):
                    if find_all(v.value, m.MatchIfTrue(lambda n: n is call)):
                        target = t.value
                        break
            found = _target_names(target)
            if not found or find_all(target, m.Attribute() | m.Subscript()):
                return "the value is stored in an attribute or a subscript, whose uses cannot be followed"
            names |= found
        return names

    def _container_receiving(self, statement: cst.CSTNode, call: cst.Call) -> Optional[str]:
        """``outs`` for ``outs[k] = Variable(...)`` or ``outs.append(Variable(...))`` (a local
        list, dict or set by name), else None."""
        if isinstance(statement, cst.Assign) and len(statement.targets) == 1 and statement.value is call:
            target = statement.targets[0].target
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                return target.value.value
        if isinstance(statement, cst.Expr) and m.matches(
            statement.value,
            m.Call(
                func=m.Attribute(
                    value=m.Name(),
                    attr=m.Name("append") | m.Name("extend") | m.Name("insert") | m.Name("add") | m.Name("update"),
                )
            ),
        ):
            if any(arg.value is call for arg in statement.value.args):  # type: ignore[union-attr]
                return statement.value.func.value.value  # type: ignore[union-attr]
        return None

    def _returned_as_is(self, statements: Iterable[cst.CSTNode], raw: Set[str], call: cst.Call) -> bool:
        return any(
            _as_is(exit.value, raw, call)
            for statement in statements
            for exit in find_all(statement, m.Return() | m.Yield())
        )

    def _region_end(
        self, block: Block, start: int, names: Set[str], paired: Set[str]
    ) -> Tuple[int, Set[int], Set[int], Set[str], Set[int]]:
        """The last statement from ``start`` that reads the value or a name computed from it, the
        statements up to it that do, those that do not but call something (the gaps), the
        names computed from the value, and the reads that record nothing.

        A line that reads the value only through ``.data`` (``pred = out.data.max(1)[1]``)
        records nothing either way: it does not make the region longer, but it stays in the
        ``with`` where it lies between reads or right after the last one, as a person writes it.
        ``paired`` are the names the start statement binds to other values beside the volatile
        one (``reward`` of ``next_s, reward = Variable(s2, volatile=True), Variable(r)``).
        """
        tainted = set(names)
        reads: Set[int] = set()
        unread_calls: Set[int] = set()
        detached: Set[int] = set()
        plain: Set[str] = set()  # names bound to what inert lines compute
        for index in range(start, len(block.body)):
            statement = block.body[index]
            if index != start and statement in self.cleared:
                tainted.discard(self.cleared[statement])  # 0.3: the value is an ordinary one again
                continue
            if index != start and self._rebinds_first(statement, tainted):
                tainted -= _target_names(statement.target)  # `for state in val_mem:` a new value
                if not tainted:
                    break
            if index == start or self._live_reads(block, index, tainted):
                reads.add(index)
                data, ordinary = _detached_bindings(statement)
                tainted |= _assigned_names(statement) - data - ordinary - (paired if index == start else set())
                if index != start:
                    # `y = Variable(model(y).data)` (TU101: `model(y).detach()`) binds an ordinary
                    # Variable to the volatile name: what reads it next records a graph in 0.3.
                    tainted -= ordinary
                plain |= data  # `loss = crit(model(x), y).data[0]`: a plain number
                continue
            # `_, scores = scorer(...)`, `out = out.data.numpy()`: a new value, not volatile
            bound = _bound_names(statement)
            if self._inert(statement, tainted, plain):
                detached.add(index)
                tainted -= bound
                plain |= bound
                continue
            tainted -= bound
            plain -= _assigned_names(statement)
            if find_all(statement, m.Call()):
                unread_calls.add(index)
        detached = _kept_inert(reads, detached)
        end = max(reads | detached)
        return end, reads | detached, {index for index in unread_calls if index < end}, tainted, detached

    def _uses_outside(
        self, names: Set[str], statement: cst.CSTNode, block: Block, start: int, end: int
    ) -> Optional[str]:
        """Why statements ``start..end`` of ``block`` do not hold every use of ``names``, or None.

        Deliberately simple: any load of the name in the function outside the region counts,
        except a load written before the volatile statement that its value cannot reach: no
        loop holds both, or the innermost loop that does rebinds the name in its header
        (``for data, target in loader:``).
        """
        scope: cst.CSTNode = block
        while not isinstance(scope, (cst.FunctionDef, cst.Module)):
            scope = self.parent(scope)
        here = self.position_of(statement)
        for name in sorted(names):
            declared = m.NameItem(name=m.Name(name))
            if find_all(
                scope,
                m.Global(names=[m.ZeroOrMore(), declared, m.ZeroOrMore()])
                | m.Nonlocal(names=[m.ZeroOrMore(), declared, m.ZeroOrMore()]),
            ):
                return f"`{name}` is declared global or nonlocal"
            cleared_at = self._cleared_at(name, block, start)
            for occurrence in find_all(scope, m.Name(name)):
                parent = self.parent(occurrence)
                if (isinstance(parent, cst.Arg) and parent.keyword is occurrence) or (
                    isinstance(parent, cst.Attribute) and parent.attr is occurrence
                ):
                    continue  # `f(name=...)`, `obj.name`: not the variable
                if isinstance(parent, cst.Attribute) and (
                    parent.attr.value in DETACHING or (self.detach_data and parent.attr.value == "data")
                ):
                    continue  # `name.detach()`, `name.data`: 0.3's `name.data` was a plain tensor
                if self._in_variable_of_data(parent):
                    continue
                index = self._index_in(block, occurrence)
                if index is not None and cleared_at is not None and index >= cleared_at:
                    continue  # after `x.volatile = False`: an ordinary value in 0.3 too
                if (
                    index is not None
                    and index > end
                    and any(self._rebinds_first(block.body[i], {name}) for i in range(end + 1, index + 1))
                ) or ((index is None or index > end) and self._rebound_before(name, occurrence, block, end + 1)):
                    continue  # the name is bound again first: its value is another one
                inside = index is not None and start <= index <= end
                load = self.is_load(occurrence)
                if load and not isinstance(
                    parent, (cst.ImportAlias, cst.Param, cst.FunctionDef, cst.ClassDef)
                ):
                    if not inside and not (
                        self.position_of(occurrence) < here
                        and (
                            self._unreachable_before(name, occurrence, statement)
                            or self._rebound_in_loop(name, occurrence, statement)
                        )
                    ):
                        return f"`{name}` is used outside the statements that could be wrapped"
                elif (
                    inside
                    and index != start
                    and not self._derived_again(occurrence, names)
                    and not self._made_volatile_again(occurrence, name)
                ):
                    return f"`{name}` is assigned again in the region"
        return None

    def _in_variable_of_data(self, attribute: Optional[cst.CSTNode]) -> bool:
        """True for the ``x.data`` of ``Variable(x.data)``."""
        if not (isinstance(attribute, cst.Attribute) and attribute.attr.value == "data"):
            return False
        arg = self.parent(attribute)
        call = self.parent(arg) if isinstance(arg, cst.Arg) else None
        return isinstance(call, cst.Call) and len(call.args) == 1 and self.table.refers_to(call.func, *VARIABLE)

    def _derived_again(self, target: cst.CSTNode, names: Set[str]) -> bool:
        """True when ``target`` is assigned a value computed from the volatile ``names``
        (``x = x.cuda()``, ``x += 1``): in 0.3 the new value was volatile too, so the region
        goes on with it."""
        node = self.parent(target)
        while node is not None and not isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.BaseStatement)):
            node = self.parent(node)
        if isinstance(node, cst.AugAssign):
            return True
        if isinstance(node, cst.Assign):
            # `x = x.data.numpy()` too: the new value has no graph, whatever reads it later
            return bool(names_read_with_graph(node.value) & names)
        return False

    def _pure(self, statement: cst.CSTNode, names: Set[str], line: cst.CSTNode) -> bool:
        """Whether every statement with a call inside the compound ``statement`` is ``line``
        (which makes the value) or one after it that reads ``names`` (or makes another volatile
        value), and its header computes nothing. A read before ``line`` sees, on the first pass
        of a loop, the value before it was volatile (``out = model(x); x = Variable(out.data,
        volatile=True)``)."""
        if not isinstance(statement, (cst.For, cst.While, cst.If, cst.With, cst.Try)):
            return False
        if isinstance(statement, cst.For) and find_all(statement.iter, m.Call()):
            return False
        if isinstance(statement, (cst.While, cst.If)) and find_all(statement.test, m.Call()):
            return False
        here = self.position_of(line)
        return all(
            other is line
            or self._makes_volatile(other)
            or (self.position_of(other) > here and self._graph_reads(other) & names)
            for other in find_all(statement, m.SimpleStatementLine())
            if find_all(other, m.Call())
        )

    def _makes_volatile(self, line: cst.CSTNode) -> bool:
        volatile_call = m.Call(args=[m.ZeroOrMore(), m.Arg(keyword=m.Name("volatile"), value=m.Name("True")), m.ZeroOrMore()])
        return any(self.table.refers_to(c.func, *VARIABLE) for c in find_all(line, volatile_call))

    def _cell_separators(self, block: Block, start: int, end: int) -> Set[int]:
        """The statements of ``block`` between ``start`` and ``end`` that separate two notebook
        cells (the notebook migration joins the cells with a ``__torchupN_cellM`` statement)."""
        if not isinstance(block, cst.Module):
            return set()
        return {
            index
            for index in range(start + 1, end + 1)
            if m.matches(block.body[index], m.SimpleStatementLine(body=[m.Expr(value=m.Name(
                value=m.MatchRegex(r"__torchup\d+_cell\d+")
            ))]))
        }

    def _rebinds_first(self, statement: cst.CSTNode, tainted: Set[str]) -> bool:
        """A ``for`` loop whose target rebinds a volatile name to values not computed from it
        (``for state in val_mem:`` after an episode loop): what the loop reads is something else."""
        return (
            isinstance(statement, cst.For)
            and bool(_target_names(statement.target) & tainted)
            and not self._graph_reads(statement.iter) & tainted
        )

    def _live_reads(self, block: Block, index: int, tainted: Set[str]) -> Set[str]:
        """The ``tainted`` names statement ``index`` of ``block`` reads with their graph while
        they still hold the volatile value (not after the statement binds them again first:
        ``if w > 0: _, s = score(); print(_)``)."""
        statement = block.body[index]
        read = self._graph_reads(statement) & tainted
        if read and isinstance(statement, cst.SimpleStatementLine):
            return self._value_reads(statement) & tainted
        if not read or not isinstance(statement, cst.BaseCompoundStatement):
            return read
        return {
            name
            for name in read
            if not all(
                self._rebound_before(name, load, block, index + 1)
                for load in find_all(statement, m.Name(name))
                if self._is_variable(load) and self.is_load(load)
            )
        }

    def _inert(self, statement: cst.CSTNode, tainted: Set[str], plain: Set[str]) -> bool:
        """A line that reads the ``tainted`` names only through ``.data`` (or the ``plain``
        names computed so) and calls nothing but on what it computes from them (``pred =
        out.data.max(1)[1].cpu().numpy()``): it recorded no graph in 0.3 and records none
        inside or outside a ``with``."""
        if not self.detach_data or not isinstance(statement, cst.SimpleStatementLine):
            return False
        if self._value_reads(statement) & tainted:
            return False
        if not names_read_with_graph(statement) & (tainted | plain) and not find_all(
            statement, m.Attribute(attr=m.Name("data"))
        ):
            return False  # about something else: no part of the region
        return all(self._from_data(call, tainted, plain) for call in find_all(statement, m.Call()))

    def _from_data(self, node: cst.CSTNode, tainted: Set[str], plain: Set[str]) -> bool:
        """Whether ``node`` computes from a tainted name's ``.data``, the ``plain`` names and
        constants alone."""
        if isinstance(node, cst.Name):
            return node.value in plain
        if isinstance(node, cst.Attribute):
            if node.attr.value == "data":
                return True  # any Variable's `.data` was a plain tensor (`test_y.data` of another region)
            return self._from_data(node.value, tainted, plain)
        if isinstance(node, cst.Subscript):
            return self._from_data(node.value, tainted, plain)
        if isinstance(node, cst.Call):
            if self.table.refers_to(node.func, *VARIABLE):
                return False  # a new Variable records a graph
            arguments = [arg.value for arg in node.args]
            if not all(self._from_data(value, tainted, plain) or _constant(value) for value in arguments):
                return False
            if isinstance(node.func, cst.Attribute) and self._from_data(node.func.value, tainted, plain):
                return True  # `out.data.max(1)`
            return any(self._from_data(value, tainted, plain) for value in arguments)  # `np.copy(out.data.numpy())`
        if isinstance(node, cst.BinaryOperation):
            sides = (node.left, node.right)
            return all(self._from_data(side, tainted, plain) or _constant(side) for side in sides) and any(
                self._from_data(side, tainted, plain) for side in sides
            )
        return False

    def _value_reads(self, line: cst.SimpleStatementLine) -> Set[str]:
        """The names ``line`` reads with their graph, less those it only binds (``x = y.data``
        reads y alone; ``x[i] = y`` reads x and y)."""
        read: Set[str] = set()
        for small in line.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                read |= self._graph_reads(small.value)
                for target in targets:
                    read |= self._graph_reads(target) - _target_names(target)
            else:
                read |= self._graph_reads(small)
        return read

    def _is_variable(self, name: cst.Name) -> bool:
        """False for the name of ``f(name=...)`` and of ``obj.name``."""
        parent = self.parent(name)
        return not (
            (isinstance(parent, cst.Arg) and parent.keyword is name)
            or (isinstance(parent, cst.Attribute) and parent.attr is name)
        )

    def _rebound_before(self, name: str, load: cst.CSTNode, block: Block, first: int) -> bool:
        """True when ``name`` is bound again before ``load`` on every path to it from the
        region: a statement before the load, in a suite that holds the load, assigns the name
        (in ``block``, one from index ``first`` on; in a suite that holds ``block``, one after
        the statement that holds it). A loop around both runs them in that order too."""
        holders: Dict[int, int] = {}  # id of a suite holding the block -> index of its holder
        node: Optional[cst.CSTNode] = block
        while node is not None and not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            parent = self.parent(node)
            if isinstance(parent, (cst.IndentedBlock, cst.Module)):
                holders[id(parent)] = [i for i, s in enumerate(parent.body) if s is node][0]
            node = parent
        return self._bound_first(name, load, lambda suite: first if suite is block else holders.get(id(suite), -1) + 1,
                                 lambda suite: suite is block or id(suite) in holders)

    def _rebound_in_loop(self, name: str, load: cst.CSTNode, statement: cst.CSTNode) -> bool:
        """True when ``load``, written before the volatile ``statement`` in a loop around both,
        sees the name bound again first on each iteration (``tmp = [batch...]`` then ``tmp =
        [Variable(t, volatile=True) for t in tmp]``): the value of the last iteration never
        reaches it."""
        around_statement = self._loops_around(statement)
        shared = [loop for loop in self._loops_around(load) if any(loop is other for other in around_statement)]
        if not shared:
            return False
        innermost = shared[0]
        return self._bound_first(name, load, lambda suite: 0, lambda suite: self.parent(suite) is innermost)

    def _bound_first(
        self,
        name: str,
        load: cst.CSTNode,
        lowest: Callable[[cst.CSTNode], int],
        last: Callable[[cst.CSTNode], bool],
    ) -> bool:
        """Whether a statement from index ``lowest(suite)`` before the one holding ``load``, in
        a suite holding it up to the first that is ``last``, binds ``name``."""
        node: Optional[cst.CSTNode] = load
        while node is not None:
            parent = self.parent(node)
            if isinstance(parent, _DEFERRED):
                return False  # runs later, when the name may hold either value
            if isinstance(parent, (cst.IndentedBlock, cst.Module)):
                index = [i for i, s in enumerate(parent.body) if s is node][0]
                if any(name in _bound_names(parent.body[i]) for i in range(lowest(parent), index)):
                    return True
                if last(parent):
                    return False
            node = parent
        return False

    def _made_volatile_again(self, target: cst.CSTNode, name: str) -> bool:
        """True when the statement after the one assigning ``target`` is ``name =
        Variable(name, volatile=True)`` (the DQN test loop's ``state, reward, done =
        env.step(action)`` then ``state = Variable(state, volatile=True)``): the plain value in
        between is read by nothing else, so the name stays volatile for the region."""
        line = self.parent(target)
        while line is not None and not isinstance(line, cst.SimpleStatementLine):
            line = self.parent(line)
        block = self.parent(line) if line is not None else None
        if not isinstance(block, (cst.IndentedBlock, cst.Module)):
            return False
        volatile_call = m.Call(args=[m.ZeroOrMore(), m.Arg(keyword=m.Name("volatile"), value=m.Name("True")), m.ZeroOrMore()])
        if any(self.table.refers_to(c.func, *VARIABLE) for c in find_all(line, volatile_call)):
            return True  # assigned another volatile value (`state, done = Variable(env.reset(), volatile=True), False`)
        index = [i for i, s in enumerate(block.body) if s is line][0]
        if index + 1 >= len(block.body):
            return False
        following = block.body[index + 1]
        return m.matches(
            following,
            m.SimpleStatementLine(
                body=[
                    m.Assign(
                        targets=[m.AssignTarget(target=m.Name(name))],
                        value=m.Call(
                            args=[
                                m.Arg(value=m.Name(name), keyword=None),
                                m.ZeroOrMore(),
                                m.Arg(keyword=m.Name("volatile"), value=m.Name("True")),
                            ]
                        ),
                    )
                ]
            ),
        ) and self.table.refers_to(following.body[0].value.func, *VARIABLE)

    def _cleared_at(self, name: str, block: Block, start: int) -> Optional[int]:
        """The index of the first ``name.volatile = False`` of ``block`` after ``start``, if any."""
        for index in range(start + 1, len(block.body)):
            if self.cleared.get(block.body[index], "") == name:
                return index
        return None

    def _loops_around(self, node: cst.CSTNode) -> List[cst.CSTNode]:
        loops = []
        while node is not None and not isinstance(node, (cst.FunctionDef, cst.Module)):
            if isinstance(node, (cst.For, cst.While)):
                loops.append(node)
            node = self.parent(node)
        return loops

    def _unreachable_before(self, name: str, load: cst.CSTNode, statement: cst.CSTNode) -> bool:
        """True when ``load``, written before ``statement``, cannot see the value it assigns."""
        around_load = self._loops_around(load)
        shared = [
            loop for loop in self._loops_around(statement) if any(loop is other for other in around_load)
        ]
        if not shared:
            return True  # straight-line code: a value never flows back up
        innermost = shared[0]
        return isinstance(innermost, cst.For) and name in _target_names(innermost.target)

    def _index_in(self, block: Block, node: Optional[cst.CSTNode]) -> Optional[int]:
        """The index of the statement of ``block`` that holds ``node`` (not through a nested
        definition, lambda or generator), or None."""
        while node is not None:
            parent = self.parent(node)
            if parent is block:
                return [i for i, s in enumerate(block.body) if s is node][0]
            if isinstance(parent, _DEFERRED):
                return None
            node = parent
        return None

    def _settle(self, regions: List[_Region]) -> None:
        """Merge neighbouring regions, fold nested no_grad regions into the outer one, then decide
        each region's safety and record the edits it makes."""
        flat: List[_Region] = []
        for region in regions:
            flat.append(region)
            for inner in region.inner:  # the outer region's calls make them too
                inner.calls = list(region.calls)
                inner.unsafe_because = region.unsafe_because + inner.unsafe_because
                inner.outer = region
                flat.append(inner)
        by_block: Dict[Block, List[_Region]] = {}
        for region in sorted(flat, key=lambda r: r.start):
            merged = by_block.setdefault(region.block, [])
            last = merged[-1] if merged else None
            touching = last is not None and region.start <= last.end + 1
            if touching and last.manager == region.manager and self._flag_holds(last, region):
                last.gaps = frozenset((last.gaps | region.gaps) - last.covered() - region.covered())
                last.reads |= region.reads
                last.end = max(last.end, region.end)
                last.unsafe_because += region.unsafe_because
                last.calls += region.calls
            elif touching and region.start <= last.end:
                self._conflict(last, region)
                merged.pop()
            else:
                merged.append(region)
        kept: List[_Region] = []
        for region in [r for rs in by_block.values() for r in rs]:
            outer = self._enclosing_region(region, by_block)
            if outer is None:
                kept.append(region)
            elif outer.manager == region.manager and region.flag is None:
                outer.unsafe_because += region.unsafe_because
                outer.calls += region.calls
            elif outer.manager == region.manager:
                kept.append(region)  # its own `with`: the flag is read where the call read it
            else:
                self._conflict(outer, region)
        for region in kept:
            if not region.calls:
                continue  # emptied by a conflict
            safety = Safety.UNSAFE if region.unsafe_because else Safety.SAFE
            if region.flag is None:
                message = "`volatile=True` -> the code using the value runs under `with torch.no_grad():`"
            else:
                message = "`volatile=flag` -> the code using the value runs under `with torch.set_grad_enabled(not flag):`"
            if region.unsafe_because:
                message += f" ({'; '.join(dict.fromkeys(region.unsafe_because))})"
            for call in region.calls:
                self.call_plans[call] = _CallPlan(safety, message)
            if self.allows(safety):
                manager = self._manager(region)
                if manager is None:
                    for call in region.calls:
                        del self.call_plans[call]
                        self.report(
                            call,
                            "`torch` is rebound in this file: put the code under `torch.no_grad()` by hand",
                        )
                    continue
                for first, last_index in region.runs():
                    self.wraps.setdefault(region.block, []).append((first, last_index, manager.deep_clone()))

    def _flag_holds(self, first: _Region, second: _Region) -> bool:
        """True when ``second``'s flag, read at ``first``'s start, still has the value it had at
        ``second``'s start: nothing in between assigns a name the flag reads."""
        if second.flag is None:
            return True
        between = first.block.body[first.start : second.start]
        assigned = set().union(*(_assigned_names(statement) for statement in between))
        return not (names_in(second.flag) & assigned)

    def _conflict(self, first: _Region, second: _Region) -> None:
        family = []
        for region in (first, second):
            root = region.outer or region
            family += [root, *root.inner]
        for call in dict.fromkeys(call for region in family for call in region.calls):
            self.report(call, "volatile regions with different flags overlap: migrate them by hand")
        for region in family:
            region.calls.clear()

    def _enclosing_region(self, region: _Region, by_block: Dict[Block, List[_Region]]) -> Optional[_Region]:
        """The outermost other region whose statements hold ``region``'s block, if any."""
        node: cst.CSTNode = region.block
        found: Optional[_Region] = None
        while node is not None:
            parent = self.parent(node)
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                break
            for outer in by_block.get(parent, []):
                index = [i for i, s in enumerate(parent.body) if s is node]
                if index and index[0] in outer.covered() and outer.calls:
                    found = outer
            node = parent
        return found

    def _manager(self, region: _Region) -> Optional[cst.BaseExpression]:
        name = "torch.no_grad" if region.flag is None else "torch.set_grad_enabled"
        spelling = self.table.spelling(name)
        if spelling is None:
            if self.table.is_rebound("torch"):
                return None
            AddImportsVisitor.add_needed_import(self.context, "torch")
            spelling = name
        args = [] if region.flag is None else [cst.Arg(_negated(region.flag.deep_clone()))]
        return cst.Call(func=cst.parse_expression(spelling), args=args)

    def _report_attribute(self, attribute: cst.Attribute) -> None:
        if m.matches(attribute.value, m.Name("self")):
            return  # the class's own field, as in `self.volatile = volatile`
        parent = self.parent(attribute)
        if isinstance(parent, cst.AssignTarget) and parent.target is attribute:
            if self._clearing_line(attribute) is not None:
                return  # deleted by leave_SimpleStatementLine
            self.report(
                attribute,
                "setting `.volatile` has no effect since PyTorch 0.4: run the code that uses the tensor "
                "under `with torch.no_grad():` (for True) or delete the line (for False)",
            )
        else:
            self.report(
                attribute,
                "`.volatile` is always False since PyTorch 0.4: use `not torch.is_grad_enabled()` or "
                "`not x.requires_grad`, whichever the code meant",
            )

    def _clearing_line(self, attribute: cst.Attribute) -> Optional[cst.SimpleStatementLine]:
        """The line of ``x.volatile = False`` when it is alone on its line and in its block with
        other statements (deleting it leaves the block valid), else None."""
        target = self.parent(attribute)
        if m.matches(attribute.value, m.Name("self")) or not (
            isinstance(target, cst.AssignTarget) and target.target is attribute
        ):
            return None
        assign = self.parent(target)
        line = self.parent(assign)
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and is_false(assign.value)
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
        ):
            return None
        block = self.parent(line)
        return line if isinstance(block, (cst.IndentedBlock, cst.Module)) and len(block.body) > 1 else None

    # -- rewriting ------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node in self.dropped_args:
            removed = self._without_flag_argument(original_node, updated_node)
            if original_node not in self.call_plans:  # a call passing False: only the argument goes
                return self.fix(
                    original_node,
                    removed,
                    "argument removed with the helper's volatile flag parameter",
                    safety=Safety.UNSAFE,
                    keep=updated_node,
                )
            updated_node = removed
        plan = self.call_plans.get(original_node)
        if plan is None:
            return updated_node
        helper = self.helper_sites.get(original_node)
        if helper is not None:  # the call stays; the region around its statement is the edit
            message = f"`{helper.name}(...)` makes a volatile value here: {plan.message}"
            return self.fix(original_node, updated_node, message, safety=plan.safety, keep=updated_node)
        args = variable_args(updated_node)
        unwrapped = (
            args
            if isinstance(args, str)
            else unwrap_variable(updated_node, args, self.table, self.parent(original_node))
        )
        if isinstance(unwrapped, str):  # the planning saw the same arguments: cannot happen
            self.report(original_node, f"{unwrapped}: its volatile flag is not migrated")
            return updated_node
        if self.allows(plan.safety):
            self.unwrapped_any = True
            self.unwrapped.add(original_node)
        return self.fix(original_node, unwrapped.expr, plan.message, safety=plan.safety, keep=updated_node)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if is_self_assignment(updated_node) and self_assignment_candidate(
            self, original_node, self.unwrapped
        ):
            self.removable.add(updated_node)
        if original_node in self.cleared:
            self._clear(original_node, updated_node)
        return updated_node

    def _clear(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine) -> None:
        """Delete ``x.volatile = False``: since 0.4 it only warns. The region that ends before it
        already did what clearing the flag did in 0.3."""
        comments = any(line.comment is not None for line in original.leading_lines) or (
            original.trailing_whitespace.comment is not None
        )
        message = f"`{node_code(original.body[0])}` deleted: it has no effect since PyTorch 0.4 (it only warns)"
        if comments:
            message += " (the comment on or above it goes too)"
        safety = Safety.UNSAFE if comments else Safety.SAFE
        self.fix(original.body[0], updated.body[0], message, safety=safety)
        if self.allows(safety):
            self.removable.add(updated)

    def _wrapped(self, original: Block, body: Iterable[cst.BaseStatement]) -> List[cst.BaseStatement]:
        statements = list(body)
        result: List[cst.BaseStatement] = []
        done = 0
        for start, end, manager in sorted(self.wraps.get(original, []), key=lambda w: w[0]):
            result += without(statements[done:start], self.removable)
            inner = without(statements[start : end + 1], self.removable)
            if not inner:  # only an unwrapped `x = x`, which is dropped
                done = end + 1
                continue
            first = inner[0]
            if first is statements[start]:
                first = first.with_changes(leading_lines=())  # they go above the `with`
            else:  # the unwrapped `x = x` was dropped: keep the next line's comments, not its blank lines
                lines = list(first.leading_lines)
                while lines and lines[0].comment is None:
                    lines.pop(0)
                first = first.with_changes(leading_lines=lines)
            result.append(
                cst.With(
                    items=[cst.WithItem(item=manager)],
                    body=cst.IndentedBlock(body=[first, *inner[1:]]),
                    leading_lines=statements[start].leading_lines,
                )
            )
            done = end + 1
        return without(result + without(statements[done:], self.removable), self.removable)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._wrapped(original_node, updated_node.body))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.unwrapped_any:
            schedule_variable_import_removal(self, self.table)
        return updated_node.with_changes(body=self._wrapped(original_node, updated_node.body))
