"""The tree of a pass's new code without parsing all of it again.

A pass that edited something hands the next pass a tree parsed from its new code: codemods plan
on trees as the parser makes them, each node once. Parsing the whole file again was a sixth of a
run on the legacy-heavy bench tree, while a pass edits a few statements of a file. Here only the
statements that a pass made or rebuilt are parsed again, each in the indentation of its block;
the statements the pass kept (the same objects as in the tree it was given, which the parser
made) stay, and so do the compound statements the pass only rebuilt to hold an edited body.

The result must be the tree ``parse_module(code)`` gives, node for node (tested against it on
every corpus file). Where a parser's reading could depend on more than the statement itself, the
whole code is parsed as before:

* comments and blank lines between a compound statement and what follows it belong to the
  statement's innermost block or to the next statement by their indentation: wherever a
  compound statement's neighbour changed, those lines must be at the block's own indentation;
* a new first statement (its leading comments would be the module's header), a block whose
  indentation or trailing lines changed, and code whose indentation or line endings a parse of
  the statement alone would read otherwise than the module's.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst import parse_module

from torchup.codegen import code_of_node

# The fields of a compound statement that hold statements (its blocks, else-clauses, handlers).
_BLOCK_FIELDS = frozenset({"body", "orelse", "handlers", "finalbody"})


class _Fallback(Exception):
    """This tree cannot be patched safely: the whole code is parsed."""


def parse_again(code: str, new: cst.Module, old: cst.Module, origins: Mapping[cst.CSTNode, cst.CSTNode]) -> cst.Module:
    """``parse_module(code)`` for ``code``, the code of ``new``: the tree a pass made of ``old``
    (a parsed tree), where ``origins`` maps each compound statement the pass rebuilt to the node
    it was rebuilt from."""
    try:
        return _Patch(new, old, origins).module()
    except _Fallback:
        return parse_module(code)


class _Patch:
    def __init__(self, new: cst.Module, old: cst.Module, origins: Mapping[cst.CSTNode, cst.CSTNode]) -> None:
        self.new = new
        self.old = old
        self.origins = origins
        # Old statements kept, and old compound statements rebuilt: each may appear once.
        self.used: Set[int] = set()
        self.newline = new.default_newline
        self.indent = new.default_indent

    def module(self) -> cst.Module:
        new, old = self.new, self.old
        if (
            not new.body
            or not old.body
            or new.body[0] is not old.body[0]  # the header takes the first statement's comments
            or not _same(new.header, old.header)
            or not _same(new.footer, old.footer)
            or (new.encoding, new.default_indent, new.default_newline, new.has_trailing_newline)
            != (old.encoding, old.default_indent, old.default_newline, old.has_trailing_newline)
        ):
            raise _Fallback
        body = self._statements(new.body, old.body, (), new.footer)
        return new if body is None else new.with_changes(body=body)

    # -- blocks ----------------------------------------------------------------------------

    def _statements(
        self,
        statements: Sequence[cst.BaseStatement],
        before: Sequence[cst.BaseStatement],
        indents: Tuple[str, ...],
        footer: Sequence[cst.EmptyLine],
    ) -> Optional[Tuple[cst.BaseStatement, ...]]:
        """The statements of a block whose old version held ``before``; None when unchanged."""
        place: Dict[int, int] = {id(statement): i for i, statement in enumerate(before)}
        result: List[cst.BaseStatement] = []
        kept: List[bool] = []
        changed = len(statements) != len(before)
        for statement in statements:
            if id(statement) in place:
                self._use(statement)
                result.append(statement)
                kept.append(True)
                changed = changed or before[len(result) - 1] is not statement
                continue
            changed = True
            kept.append(False)
            origin = self.origins.get(statement)
            if (
                origin is not None
                and id(origin) in place
                and type(origin) is type(statement)
                and isinstance(statement, cst.BaseCompoundStatement)
            ):
                rebuilt = self._compound(statement, origin, indents)
                if rebuilt is not None:
                    result.append(rebuilt)
                    continue
            result.append(self._fragment(statement, indents))
        if not changed and all(kept):
            return None
        self._check_neighbours(result, kept, before, place, footer)
        return tuple(result)

    def _check_neighbours(
        self,
        statements: Sequence[cst.BaseStatement],
        kept: Sequence[bool],
        before: Sequence[cst.BaseStatement],
        place: Dict[int, int],
        footer: Sequence[cst.EmptyLine],
    ) -> None:
        """Lines after a compound statement go to its innermost block when indented further than
        what follows: where the neighbours changed, no such line may be there to move."""
        for i, statement in enumerate(statements):
            if not isinstance(statement, cst.BaseCompoundStatement):
                continue
            last = i == len(statements) - 1
            follows_as_before = kept[i] and (
                (last and before[-1] is statement)
                or (not last and kept[i + 1] and place[id(statements[i + 1])] == place[id(statement)] + 1)
            )
            if follows_as_before:
                continue
            lines = footer if last else statements[i + 1].leading_lines
            if not all(_at_block_indent(line) for line in lines):
                raise _Fallback

    def _use(self, node: cst.CSTNode) -> None:
        if id(node) in self.used:
            raise _Fallback  # a node twice in the tree: the next pass needs each once
        self.used.add(id(node))

    def _compound(
        self, statement: cst.BaseCompoundStatement, origin: cst.BaseCompoundStatement, indents: Tuple[str, ...]
    ) -> Optional[cst.BaseCompoundStatement]:
        """``statement`` with its blocks patched, when all else is its origin's as parsed."""
        self._use(origin)
        return self._clause(statement, origin, indents)

    def _clause(self, node: cst.CSTNode, origin: cst.CSTNode, indents: Tuple[str, ...]) -> Optional[cst.CSTNode]:
        changes: Dict[str, object] = {}
        for field in dataclasses.fields(node):
            name = field.name
            value, was = getattr(node, name), getattr(origin, name)
            if _same(value, was):
                continue
            if name not in _BLOCK_FIELDS:
                return None
            patched = self._block_field(value, was, indents)
            if patched is None:
                return None
            changes[name] = patched
        return node.with_changes(**changes) if changes else node

    def _block_field(self, value: object, was: object, indents: Tuple[str, ...]) -> Optional[object]:
        if isinstance(value, cst.IndentedBlock) and isinstance(was, cst.IndentedBlock):
            if value.header is not was.header or value.indent != was.indent or not _same(value.footer, was.footer):
                return None
            indent = self.indent if value.indent is None else value.indent
            body = self._statements(value.body, was.body, (*indents, indent), value.footer)
            return value if body is None else value.with_changes(body=body)
        if isinstance(value, tuple) and isinstance(was, tuple):  # except handlers
            if len(value) != len(was) or any(type(a) is not type(b) for a, b in zip(value, was)):
                return None
            handlers = [self._clause(a, b, indents) for a, b in zip(value, was)]
            return None if any(h is None for h in handlers) else tuple(handlers)
        if isinstance(value, (cst.Else, cst.Finally, cst.If)) and type(value) is type(was):
            return self._clause(value, was, indents)  # type: ignore[arg-type]
        return None

    # -- parsing one statement -------------------------------------------------------------

    def _fragment(self, statement: cst.BaseStatement, indents: Tuple[str, ...]) -> cst.BaseStatement:
        """``statement`` parsed from its code, inside blocks of its indentation (one level of
        ``if 1:`` per enclosing block; a `pass` before a module-level one, whose leading comments
        would otherwise be taken for the module's header)."""
        code = code_of_node(statement, self.new, indents=indents)
        newline = self.newline
        if indents:
            prefix = "".join("".join(indents[:depth]) + "if 1:" + newline for depth in range(len(indents)))
        else:
            prefix = "pass" + newline
        parsed = parse_module(prefix + code)
        if (
            parsed.header
            or parsed.footer
            or parsed.default_newline != newline
            or parsed.default_indent != self.indent
            or len(parsed.body) != (1 if indents else 2)
        ):
            raise _Fallback
        node = parsed.body[-1]
        for _ in indents:
            block = getattr(node, "body", None)
            if (
                not isinstance(node, cst.If)
                or node.orelse is not None
                or not isinstance(block, cst.IndentedBlock)
                or block.footer
                or len(block.body) != 1
            ):
                raise _Fallback
            node = block.body[0]
        return node  # type: ignore[return-value]


def _same(value: object, was: object) -> bool:
    if value is was:
        return True
    return (
        type(value) is tuple
        and type(was) is tuple
        and len(value) == len(was)  # type: ignore[arg-type]
        and all(a is b for a, b in zip(value, was))  # type: ignore[call-overload]
    )


def _at_block_indent(line: cst.EmptyLine) -> bool:
    """A blank line, or a comment at the indentation of the statements around it."""
    return line.whitespace.value == "" and (line.comment is None or line.indent)
