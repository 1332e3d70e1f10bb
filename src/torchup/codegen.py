"""libcst's code generation, and where nodes start, with less bookkeeping per node.

Every node's codegen enters ``state.record_syntactic_position(node)``, a ``@contextmanager``
generator even when positions are not wanted; a position-tracking run also builds two frozen
dataclasses per node and runs a regular expression over every token. After the passes were
merged, generating code (each pass's result, positions for its records) was a third of a run
(issue 7's profile). These states produce libcst's tokens, and the ``start`` of libcst's
``PositionProvider`` ranges, for every node; torchup's records only ever need the start.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

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


def code_of_node(node: cst.CSTNode, module: Optional[cst.Module] = None) -> str:
    """``module.code_for_node(node)`` (``module.code`` for the module itself)."""
    module = module if module is not None else (node if isinstance(node, cst.Module) else cst.Module(body=[]))
    state = _CodeState(default_indent=module.default_indent, default_newline=module.default_newline)
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
