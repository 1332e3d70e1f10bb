"""Counts the legacy PyTorch 0.1-0.3 idioms in a source file, independently of torchup's codemods.

``make realworld`` uses it to count the same idioms in three places: the real legacy files, their
maintainers' own migrations, and torchup's migration. It must not share anything with the
codemods (their markers, their analysis): a counter that reused them could only ever agree with
them. It reads a file with the standard library's ``ast`` and a few regular expressions and
answers, per idiom kind, the occurrences with the lines a report should point at.

The patterns are deliberately syntactic: an occurrence is where the legacy spelling appears, not a
judgement of whether the code still works. ``x.cuda()`` on a model and on a constant look alike to
``ast``; they are told apart only where the receiver is visibly a freshly built tensor.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

# Kind -> the row label of the table, in the table's order.
KINDS: Dict[str, str] = {
    "variable": "`Variable(...)` wrappers",
    "volatile": "`volatile` flags and reads",
    "data_index": "`.data[0]` reads",
    "data_inplace": "in-place edits through `.data`",
    "module_tensor_attr": "tensor attributes set in an nn.Module",
    "cuda_constant": "`.cuda()` on a freshly built tensor",
    "cuda_switched": "`.cuda()` on data or models, under a GPU switch",
    "cuda_other": "`.cuda()` on data or models, unconditional",
    "cuda_tensor_type": "`torch.cuda.*Tensor` types",
    "legacy_constructor": "legacy constructors (`torch.FloatTensor(...)`)",
    "removed_api": "removed or renamed APIs",
    "implicit_softmax_dim": "softmax without `dim`",
    "loss_reduction": "`size_average=` / `reduce=`",
    "async_keyword": "`async=`",
    "legacy_function": "old-style `autograd.Function`",
}

TENSOR_TYPES = frozenset(
    f"{kind}Tensor" for kind in ("Float", "Double", "Half", "Long", "Int", "Short", "Char", "Byte", "Bool")
)
# Factories whose result is a new tensor built on the spot (the receiver of a "constant" .cuda()).
TENSOR_FACTORIES = frozenset(
    {"zeros", "ones", "rand", "randn", "randint", "eye", "arange", "linspace", "full", "empty", "tensor",
     "from_numpy", "Tensor", "zeros_like", "ones_like", "randperm", "range"}
) | TENSOR_TYPES
# Names removed or renamed since 0.3 (their old spelling raises or warns on torch 2.x).
REMOVED_FUNCTIONS = frozenset(
    {"upsample", "upsample_bilinear", "upsample_nearest", "clip_grad_norm", "gesv", "potrf", "potrs",
     "potri", "btrifact", "btrisolve", "trtrs", "symeig", "eig", "lstsq", "matrix_rank", "pstrf"}
)
INIT_WITHOUT_UNDERSCORE = frozenset(
    {"xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "uniform", "normal",
     "constant", "orthogonal", "eye", "dirac", "sparse"}
)
REMOVED_MODULES = frozenset({"UpsamplingBilinear2d", "UpsamplingNearest2d"})
SOFTMAX_FUNCTIONS = frozenset({"softmax", "log_softmax", "softmin"})
SOFTMAX_MODULES = frozenset({"Softmax", "LogSoftmax", "Softmin"})
INPLACE_METHOD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*_$")
# `async` became a keyword in Python 3.7: `x.cuda(async=True)` does not parse, so the counter
# finds it in the text and renames it before handing the file to `ast`.
ASYNC_KEYWORD = re.compile(r"\basync(\s*=(?!=))")
# A condition that reads like a GPU switch: `if args.cuda:`, `if use_gpu`, `if x.is_cuda`.
GPU_SWITCH = re.compile(r"cuda|gpu", re.IGNORECASE)


@dataclass(frozen=True)
class Occurrence:
    """One legacy idiom: its kind, where it starts, and the lines a finding about it may name."""

    kind: str
    line: int
    first_line: int
    last_line: int


def _dotted(node: ast.AST) -> Optional[str]:
    parts: List[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _last_name(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _is_fresh_tensor(node: ast.AST) -> bool:
    """A call that visibly builds a new tensor: ``torch.zeros(...)``, ``Variable(torch.ones(...))``."""
    if not isinstance(node, ast.Call):
        return False
    name = _last_name(node.func)
    if name == "Variable" and node.args:
        return _is_fresh_tensor(node.args[0])
    if name in {"float", "long", "double", "byte", "int", "half", "contiguous", "view", "fill_", "zero_"}:
        return isinstance(node.func, ast.Attribute) and _is_fresh_tensor(node.func.value)
    dotted = _dotted(node.func) or ""
    return name in TENSOR_FACTORIES and (dotted.startswith("torch.") or name in TENSOR_TYPES)


def _is_tensor_value(node: ast.AST) -> bool:
    """A value a 0.3 module would keep as a plain tensor attribute (not a Parameter, not a layer):
    a ``Variable(...)``, a ``torch.<function>(...)`` call, or a tensor method chained on one."""
    if not isinstance(node, ast.Call):
        return False
    name = _last_name(node.func)
    dotted = _dotted(node.func) or ""
    if name in {"Parameter", "ParameterList"} or dotted.startswith(("nn.", "torch.nn.")):
        return False
    if name == "Variable" or _is_fresh_tensor(node):
        return True
    if dotted.startswith("torch.") and not dotted.startswith(("torch.optim", "torch.utils", "torch.distributions")):
        return True
    return isinstance(node.func, ast.Attribute) and _is_tensor_value(node.func.value)


def _module_classes(tree: ast.Module) -> Iterator[ast.ClassDef]:
    """Classes that derive, by name, from something ending in ``Module`` (``nn.Module``,
    ``torch.nn.Module``), or from another such class of the same file."""
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    module_names = set()
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in module_names:
                continue
            bases = {_last_name(base) for base in cls.bases}
            if any(base and (base.endswith("Module") or base in module_names) for base in bases):
                module_names.add(cls.name)
                changed = True
    return (cls for cls in classes if cls.name in module_names)


def _statement_spans(tree: ast.Module) -> List[Tuple[int, int]]:
    """(first, last) line of every statement; a compound statement spans its header only."""
    spans = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        last = node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            last = max(node.lineno, body[0].lineno - 1)
            first = min([node.lineno] + [d.lineno for d in decorators])
            spans.append((first, last))
            continue
        spans.append((node.lineno, last))
    return spans


def _span_of(line: int, spans: List[Tuple[int, int]]) -> Tuple[int, int]:
    """The narrowest statement span holding ``line``."""
    holding = [span for span in spans if span[0] <= line <= span[1]]
    if not holding:
        return (line, line)
    return min(holding, key=lambda span: span[1] - span[0])


def _switched_lines(tree: ast.Module) -> Set[int]:
    """Lines that run only when a GPU switch is on: the body of ``if <switch>:`` and the value of
    ``a if <switch> else b`` (not their ``else``: that is the CPU branch)."""
    lines: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and GPU_SWITCH.search(ast.unparse(node.test)):
            for statement in node.body:
                lines.update(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
        elif isinstance(node, ast.IfExp) and GPU_SWITCH.search(ast.unparse(node.test)):
            lines.update(range(node.body.lineno, (node.body.end_lineno or node.body.lineno) + 1))
    return lines


def _raw(tree: ast.Module) -> Iterator[Tuple[str, int]]:
    switched = _switched_lines(tree)
    for kind, line in _raw_unswitched(tree):
        yield ("cuda_switched" if kind == "cuda_other" and line in switched else kind), line


def _raw_unswitched(tree: ast.Module) -> Iterator[Tuple[str, int]]:
    own = _own_reduction_functions(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from _call(node, own)
        elif isinstance(node, ast.Attribute):
            dotted = _dotted(node) or ""
            if node.attr == "volatile":
                yield "volatile", node.lineno
            if node.attr in TENSOR_TYPES and dotted.startswith("torch.cuda."):
                yield "cuda_tensor_type", node.lineno
            if node.attr in REMOVED_MODULES and isinstance(node.ctx, ast.Load):
                yield "removed_api", node.lineno
        elif isinstance(node, ast.Subscript):
            if (
                isinstance(node.value, ast.Attribute)
                and node.value.attr == "data"
                and isinstance(node.slice, ast.Constant)
                and node.slice.value == 0
            ):
                yield "data_index", node.lineno
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                # `x.data = y` is not counted: torch 2.x supports it (the one way to give a Parameter a
                # new dtype or storage) and the maintainers kept it in their own migrations.
                # `self.data = [...]` is an object's own attribute (a replay memory's list).
                if isinstance(node, ast.Assign) and isinstance(target, ast.Subscript):
                    target = target.value  # `x.data[i] = v`: an item written through `.data`
                elif isinstance(node, ast.Assign):
                    continue
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "data"
                    and not (isinstance(target.value, ast.Name) and target.value.id == "self")
                ):
                    yield "data_inplace", node.lineno
        elif isinstance(node, ast.ClassDef):
            yield from _legacy_function(node)
    for cls in _module_classes(tree):
        yield from _tensor_attributes(cls)


def _own_reduction_functions(tree: ast.Module) -> Set[str]:
    """The functions this file defines with a ``size_average``/``reduce`` parameter of its own
    (semseg's ``cross_entropy2d(input, target, size_average=True)``): passing it to them is the
    file's API, not torch's legacy keyword."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and {"size_average", "reduce"} & {arg.arg for arg in (*node.args.args, *node.args.kwonlyargs)}
    }


def _call(node: ast.Call, own_reduction_functions: Set[str]) -> Iterator[Tuple[str, int]]:
    name = _last_name(node.func)
    dotted = _dotted(node.func) or ""
    for keyword in node.keywords:
        if keyword.arg == "volatile":
            yield "volatile", keyword.value.lineno
        elif keyword.arg in {"size_average", "reduce"} and not (
            name in own_reduction_functions and dotted in (name, f"self.{name}")
        ):
            yield "loss_reduction", keyword.value.lineno
        elif keyword.arg == "async_":
            yield "async_keyword", keyword.value.lineno
    if name == "Variable":
        yield "variable", node.lineno
    elif name == "cuda" and isinstance(node.func, ast.Attribute):
        kind = "cuda_constant" if _is_fresh_tensor(node.func.value) else "cuda_other"
        yield kind, node.func.value.end_lineno or node.lineno
    elif name in TENSOR_TYPES or (name == "Tensor" and (node.args or node.keywords)):
        if dotted.startswith("torch.cuda."):
            return  # counted once, as the torch.cuda.*Tensor attribute
        if dotted.startswith("torch.") or dotted == name:
            yield "legacy_constructor", node.lineno
    elif name in REMOVED_FUNCTIONS and dotted != name:
        yield "removed_api", node.lineno
    elif name in INIT_WITHOUT_UNDERSCORE and dotted.split(".")[-2:-1] == ["init"]:
        yield "removed_api", node.lineno
    elif name in SOFTMAX_FUNCTIONS and dotted != name and len(node.args) < 2:
        if not any(keyword.arg in {"dim", "_stacklevel"} for keyword in node.keywords):
            if dotted.startswith(("F.", "torch.", "nn.functional.", "functional.")):
                yield "implicit_softmax_dim", node.lineno
    elif name in SOFTMAX_MODULES and not node.args and not node.keywords:
        yield "implicit_softmax_dim", node.lineno
    if (
        isinstance(node.func, ast.Attribute)
        and INPLACE_METHOD.match(node.func.attr or "")
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "data"
    ):
        yield "data_inplace", node.lineno


def _legacy_function(cls: ast.ClassDef) -> Iterator[Tuple[str, int]]:
    """A ``Function`` subclass whose ``forward`` is an instance method (removed in PyTorch 1.5)."""
    if not any(_last_name(base) == "Function" for base in cls.bases):
        return
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "forward":
            static = any(_last_name(d) == "staticmethod" for d in item.decorator_list)
            if not static:
                yield "legacy_function", item.lineno


def _tensor_attributes(cls: ast.ClassDef) -> Iterator[Tuple[str, int]]:
    """``self.x = <tensor>`` in ``__init__``: a plain attribute that .cuda()/.half()/state_dict miss."""
    for item in cls.body:
        if not (isinstance(item, ast.FunctionDef) and item.name == "__init__"):
            continue
        for node in ast.walk(item):
            if not isinstance(node, ast.Assign) or not _is_tensor_value(node.value):
                continue
            for target in node.targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                    yield "module_tensor_attr", node.lineno


def parse_legacy(source: str) -> ast.Module:
    """Parses Python 3 source that may hold the legacy ``async=`` keyword argument."""
    return ast.parse(ASYNC_KEYWORD.sub(r"async_\1", source))


def count(source: str) -> List[Occurrence]:
    """Every legacy idiom of ``source``, sorted by line then kind; raises SyntaxError on Python 2."""
    tree = parse_legacy(source)
    spans = _statement_spans(tree)
    found = []
    for kind, line in _raw(tree):
        first, last = _span_of(line, spans)
        found.append(Occurrence(kind=kind, line=line, first_line=first, last_line=last))
    return sorted(found, key=lambda occurrence: (occurrence.line, occurrence.kind))


def tally(occurrences: Iterable[Occurrence]) -> Dict[str, int]:
    """Occurrences per kind, every kind present (zero when none)."""
    totals = {kind: 0 for kind in KINDS}
    for occurrence in occurrences:
        totals[occurrence.kind] += 1
    return totals
