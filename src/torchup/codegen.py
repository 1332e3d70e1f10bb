"""libcst's code generation, and where nodes start, with less bookkeeping per node.

Every node's codegen enters ``state.record_syntactic_position(node)``, a ``@contextmanager``
generator even when positions are not wanted; a position-tracking run also builds two frozen
dataclasses per node and runs a regular expression over every token. After the passes were
merged, generating code (each pass's result, positions for its records) was a third of a run
(issue 7's profile). These states produce libcst's tokens, and the ``start`` of libcst's
``PositionProvider`` ranges, for every node; torchup's records only ever need the start.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import BaseMetadataProvider
from libcst.metadata.position_provider import NEWLINE_RE, WhitespaceInclusivePositionProvidingCodegenState


class _NoPosition:
    """A reusable context manager that does nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: Any) -> None:
        return None


_NO_POSITION = _NoPosition()


class _CodeState(CodegenState):
    def record_syntactic_position(self, node: Any, *, start_node: Any = None, end_node: Any = None) -> Any:
        return _NO_POSITION


def code_of_node(node: cst.CSTNode, module: Optional[cst.Module] = None, *, indents: Sequence[str] = ()) -> str:
    """``module.code_for_node(node)`` (``module.code`` for the module itself); ``indents``: the
    indentation of the blocks around a statement, which its lines then start with."""
    module = module if module is not None else (node if isinstance(node, cst.Module) else cst.Module(body=[]))
    state = _CodeState(
        default_indent=module.default_indent, default_newline=module.default_newline, indent_tokens=list(indents)
    )
    node._codegen(state)
    return "".join(state.tokens)


class _Start:
    """The syntactic start of a node, recorded on entry (as libcst's provider records it)."""

    __slots__ = ("state", "node", "start_node")

    def __init__(self, state: "_StartState", node: Any, start_node: Any) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node

    def __enter__(self) -> None:
        if self.start_node is None:
            self.state.provider._computed[self.node] = (self.state.line, self.state.column)

    def __exit__(self, *exc_info: Any) -> None:
        if self.start_node is not None:  # hoisted from a child, known only once it is generated
            computed = self.state.provider._computed
            computed[self.node] = computed[self.start_node]


class _StartState(WhitespaceInclusivePositionProvidingCodegenState):
    def _update_position(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = NEWLINE_RE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node: Any) -> None:
        self._stack.append((self.line, self.column))

    def after_codegen(self, node: Any) -> None:
        start = self._stack.pop()
        computed = self.provider._computed
        if node not in computed:  # a node without a syntactic start starts where its code does
            computed[node] = start

    def record_syntactic_position(self, node: Any, *, start_node: Any = None, end_node: Any = None) -> Any:
        return _Start(self, node, start_node)


class StartPositions(BaseMetadataProvider[Tuple[int, int]]):
    """(line, column) where each node starts: the ``start`` of libcst's ``PositionProvider``
    (1-based line, 0-based column), without the ranges nobody here reads."""

    def _gen_impl(self, module: cst.Module) -> None:
        module._codegen(
            _StartState(default_indent=module.default_indent, default_newline=module.default_newline, provider=self)
        )


class _Sink:
    """Where a position-tracking state writes (a provider's ``_computed``, without the provider)."""

    __slots__ = ("_computed",)

    def __init__(self) -> None:
        self._computed: Dict[Any, Tuple[int, int]] = {}


class StatementStarts:
    """Where nodes start, generating the code of only the statements that hold them.

    A pass records a few findings in a file of thousands of lines; :class:`StartPositions`
    generates all of it to place them. Here the line each statement of the module, and of the
    bodies of its classes and functions (methods), starts its code on comes from the stdlib
    ``ast`` of the module's code (the statement's first token, less the comment and blank lines
    libcst keeps in front of it), and only the innermost such statement that holds a node is
    generated (a statement of a method, not the method), from that line and with
    its block's indentation. When the two parsers' statements do not line up one to one, or a
    decorator's ``@`` is not on its expression's line, the whole module is generated instead.
    """

    def __init__(self, module: cst.Module, code: str, tree: Optional[ast.Module]) -> None:
        self.module = module
        self._places = None if tree is None else _statement_places(module, tree, code)
        self._known: Dict[Any, Tuple[int, int]] = {}
        self._done: Set[int] = set()

    def start(self, node: cst.CSTNode, parent_of: Callable[[cst.CSTNode], Optional[cst.CSTNode]]) -> Optional[Tuple[int, int]]:
        """Where ``node`` starts (line from 1, column from 0), or None for a node not in the module."""
        known = self._known.get(node)
        if known is not None:
            return known
        places = self._places
        holder: Optional[cst.CSTNode] = node
        while holder is not None and places is not None and holder not in places:
            holder = parent_of(holder)
        if holder is None or places is None:
            self._generate(self.module, 1, ())
        else:
            self._generate(holder, *places[holder])
        return self._known.get(node)

    def _generate(self, node: cst.CSTNode, line: int, indents: Tuple[str, ...]) -> None:
        if id(node) in self._done or id(self.module) in self._done:
            return
        self._done.add(id(node))
        sink = _Sink()
        module = self.module
        state = _StartState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=sink,
            line=line,
            indent_tokens=list(indents),
        )
        node._codegen(state)
        self._known.update(sink._computed)


_Place = Tuple[int, Tuple[str, ...]]  # the line a statement's code starts on, its block's indents


def _statement_places(module: cst.Module, tree: ast.Module, code: str) -> Optional[Dict[cst.CSTNode, _Place]]:
    """Where each statement of ``module`` and of its classes' and functions' bodies starts, or None."""
    text_lines = code.splitlines()
    places: Dict[cst.CSTNode, _Place] = {}

    def place(statements: Sequence[cst.BaseStatement], parsed: List[ast.stmt], indents: Tuple[str, ...]) -> bool:
        index = 0
        for statement in statements:
            count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
            if index + count > len(parsed):
                return False
            first = parsed[index]
            index += count
            line = first.lineno
            if getattr(statement, "decorators", ()):
                line = first.decorator_list[0].lineno  # type: ignore[attr-defined]
                if not text_lines[line - 1].lstrip().startswith("@"):
                    return False  # `@` and its expression on different lines
            places[statement] = (line - len(statement.leading_lines), indents)
            body = getattr(statement, "body", None)
            if isinstance(body, cst.IndentedBlock) and (
                (isinstance(statement, cst.ClassDef) and isinstance(first, ast.ClassDef))
                or (isinstance(statement, cst.FunctionDef) and isinstance(first, (ast.FunctionDef, ast.AsyncFunctionDef)))
            ):
                indent = module.default_indent if body.indent is None else body.indent
                if not place(body.body, first.body, (*indents, indent)):
                    return False
        return index == len(parsed)

    return places if place(module.body, tree.body, ()) else None
