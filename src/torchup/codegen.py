"""libcst's code generation, and where nodes start, with less bookkeeping per node.

Every node's codegen enters ``state.record_syntactic_position(node)``, a ``@contextmanager``
generator even when positions are not wanted; a position-tracking run also builds two frozen
dataclasses per node and runs a regular expression over every token. After the passes were
merged, generating code (each pass's result, positions for its records) was a third of a run
(issue 7's profile). These states produce libcst's tokens, and the ``start`` of libcst's
``PositionProvider`` ranges, for every node; torchup's records only ever need the start.
Between passes, :class:`ModuleCode` generates only the statements a pass made.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import BaseMetadataProvider
from libcst.metadata.position_provider import NEWLINE_RE, WhitespaceInclusivePositionProvidingCodegenState

from torchup.analysis.memo import last_call


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


@dataclass(frozen=True)
class _Known(cst.BaseStatement):
    """Stands in, for one code generation, for a statement whose tokens are known."""

    statement: cst.BaseStatement
    indents: Tuple[str, ...]  # the indentation the tokens were generated under
    tokens: Tuple[str, ...]

    def _visit_and_replace_children(self, visitor: Any) -> "_Known":
        return self

    def _codegen_impl(self, state: CodegenState) -> None:
        if tuple(state.indent_tokens) == self.indents:
            state.tokens.extend(self.tokens)
        else:
            self.statement._codegen(state)


# isinstance against libcst's abstract bases is an ABC check, at every node generated.
_STATEMENT_TYPES = frozenset(
    kind for kind in (*vars(cst).values(), _Known) if isinstance(kind, type) and cst.BaseStatement in kind.__mro__
)

_Memo = Dict[int, Tuple[cst.BaseStatement, Tuple[str, ...], Tuple[str, ...]]]


class _MemoState(_CodeState):
    """Records the tokens each statement generates, under the statement of the tree asked for."""

    def __init__(self, originals: Dict[int, cst.CSTNode], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.originals = originals  # id of a rebuilt stand-in -> the statement it stands for
        self.starts: List[int] = []
        self.memo: _Memo = {}

    def before_codegen(self, node: Any) -> None:
        if type(node) in _STATEMENT_TYPES:
            self.starts.append(len(self.tokens))

    def after_codegen(self, node: Any) -> None:
        if type(node) in _STATEMENT_TYPES:
            start = self.starts.pop()
            statement = node.statement if type(node) is _Known else self.originals.get(id(node), node)
            self.memo[id(statement)] = (statement, tuple(self.indent_tokens), tuple(self.tokens[start:]))


class ModuleCode:
    """The code of one file's module after each pass, each statement generated once.

    A pass rewrites a few statements of a file; the ones it keeps are the same objects in its
    result as in the tree it was given, and the next pass's tree keeps them too
    (:mod:`torchup.incremental_parse`). Their tokens from the last generation are reused: a
    statement generates the same tokens under the same indentation (libcst's state carries
    nothing else from one statement to the next). The statements in the blocks (``body``) of
    compound statements are reused too: a method the pass left alone in a class it edited.
    """

    def __init__(self, parsed: Optional[Tuple[cst.Module, str, Optional[ast.Module]]] = None) -> None:
        """``parsed``: the file's module as the parser made it, the code it read and that code's
        stdlib ``ast``; the statements whose text lies between two statement starts are then
        known without generating them (the parser's tree gives back the code it read). They are
        found when a pass first asks for code: most files' passes edit nothing."""
        self._memo: _Memo = {}
        self._parsed = parsed

    def _known_from_the_parse(self) -> None:
        if self._parsed is None:
            return
        module, code, tree = self._parsed
        self._parsed = None
        if _NOT_GIVEN_BACK.search(code):
            return
        places = None if tree is None else statement_places(module, tree, code)
        if places is None:
            return
        starts = line_starts(code)
        memo = self._memo

        def block(statements: Sequence[cst.BaseStatement]) -> None:
            for statement, following in zip(statements, statements[1:]):
                line, indents = places[statement]  # type: ignore[index]
                text = code[starts[line - 1] : starts[places[following][0] - 1]]  # type: ignore[index]
                memo[id(statement)] = (statement, indents, (text,))
            for statement in statements:
                inner = getattr(getattr(statement, "body", None), "body", None)
                if isinstance(inner, (tuple, list)) and inner and inner[0] in places:  # type: ignore[operator]
                    block(inner)

        block(module.body)

    def of(self, module: cst.Module) -> str:
        """``module.code``."""
        self._known_from_the_parse()
        originals: Dict[int, cst.CSTNode] = {}
        stand_in = self._stand_in(module, originals)
        state = _MemoState(originals, default_indent=module.default_indent, default_newline=module.default_newline)
        stand_in._codegen(state)
        # Kept for the file's passes: a class reused whole generates none of its methods, and a
        # later pass that edits one of them reuses the others. A statement never changes, and
        # each entry holds its statement, so its id is not taken by another.
        self._memo.update(state.memo)
        return "".join(state.tokens)

    def _stand_in(self, node: Any, originals: Dict[int, cst.CSTNode]) -> Any:
        """``node`` with its known statements replaced by their tokens (``node`` itself when none)."""
        block = node.body if isinstance(node, (cst.BaseCompoundStatement, cst.Module)) else None
        statements = block if isinstance(node, cst.Module) else getattr(block, "body", None)
        if not isinstance(statements, (tuple, list)):
            return node
        replaced = []
        changed = False
        for statement in statements:
            known = self._memo.get(id(statement))
            if known is not None and known[0] is statement:
                replaced.append(_Known(statement, known[1], known[2]))
                changed = True
                continue
            inner = self._stand_in(statement, originals)
            changed = changed or inner is not statement
            replaced.append(inner)
        if not changed:
            return node
        if isinstance(node, cst.Module):
            return node.with_changes(body=replaced)
        rebuilt = node.with_changes(body=block.with_changes(body=replaced))
        originals[id(rebuilt)] = node
        return rebuilt


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
    blocks of its classes, functions, loops, conditions, ``with`` and ``try``, starts its code on
    comes from the stdlib ``ast`` of the module's code (the statement's first token, less the
    comment and blank lines libcst keeps in front of it), and only the innermost such statement
    that holds a node is generated (a statement of a method, not the method; of a loop's block,
    not the loop), from that line and with its block's indentation. When the two parsers' statements do not line up one to one, or a
    decorator's ``@`` is not on its expression's line, the whole module is generated instead.
    """

    def __init__(self, module: cst.Module, code: str, tree: Optional[ast.Module]) -> None:
        self.module = module
        self._places = None if tree is None else statement_places(module, tree, code)
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


# Text libcst does not give back as it read it: a line of nothing but a backslash (joined to the
# next, it is dropped), a carriage return alone at the end of a line. The statements of such a
# file are generated, as libcst writes them, rather than taken from the text.
_NOT_GIVEN_BACK = re.compile(r"^[ \t\f]*\\(?:\r\n|\r|\n)|\r(?!\n)", re.MULTILINE)

# The compound statements whose first block is placed too, and the stdlib nodes they parse as:
# a record in a long loop generates the loop's statement that holds it, not the whole loop.
_BLOCK_OWNERS: Dict[type, Tuple[type, ...]] = {
    cst.ClassDef: (ast.ClassDef,),
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.With: (ast.With, ast.AsyncWith),
    cst.Try: (ast.Try,),
}

_NEWLINE = re.compile(r"\r\n|\r|\n")


def line_starts(code: str) -> List[int]:
    """The offset in ``code`` where each line starts (index: line - 1), lines ended as Python's
    tokenizer ends them (``str.splitlines`` also ends one at a form feed)."""
    return [0, *(found.end() for found in _NEWLINE.finditer(code))]


@last_call
def statement_places(module: cst.Module, tree: ast.Module, code: str) -> Optional[Dict[cst.CSTNode, _Place]]:
    """Where each statement of ``module`` and of the first blocks of its compound statements
    starts, or None."""
    starts = line_starts(code)
    text_lines = [code[start:end] for start, end in zip(starts, starts[1:] + [len(code)])]
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
            if isinstance(body, cst.IndentedBlock) and isinstance(first, _BLOCK_OWNERS.get(type(statement), ())):
                indent = module.default_indent if body.indent is None else body.indent
                if not place(body.body, first.body, (*indents, indent)):
                    return False
        return index == len(parsed)

    return places if place(module.body, tree.body, ()) else None
