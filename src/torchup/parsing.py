"""Turns source text into a libcst tree, or into a clear reason why it cannot be.

Two things legacy code needs before libcst sees it:

* ``x.cuda(async=True)`` is a SyntaxError since Python 3.7 (``async`` became a keyword), yet it is
  everywhere in 2017 code. A pre-pass renames the keyword argument ``async=`` inside a call's
  parentheses to ``non_blocking=`` (its name since PyTorch 0.4), so the file parses. This is
  reported as TU303. A rename stands only where the parsed result shows a keyword argument (or
  a ``def``'s parameter), else the tokenizer decides, so strings and comments are safe.
* Python 2 files (``print "x"``, ``except E, e``) do not parse; they are recognised and reported
  as such rather than with a bare parser message.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
import warnings
from dataclasses import dataclass
from typing import List, Optional, Set, Tuple, Union

import libcst as cst

from torchup.analysis.function_index import child_nodes, nodes_of
from torchup.analysis.memo import last_call

ASYNC_CODE = "TU303"


@dataclass(frozen=True)
class AsyncRewrite:
    """The source with every call keyword ``async=`` renamed ``non_blocking=``."""

    source: str
    positions: Tuple[Tuple[int, int], ...]  # (1-based line, 0-based column) of each rename


@dataclass(frozen=True)
class Parsed:
    module: cst.Module
    async_renames: Tuple[Tuple[int, int], ...]
    code: str  # the module's code (the source after the `async=` renames), without a codegen


@dataclass(frozen=True)
class ParseError:
    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def _line_starts(source: str) -> List[int]:
    """The offset of each line's start, lines ended by ``\\n`` alone."""
    return [0, *(found.end() for found in _LINE_END.finditer(source))]


_LINE_END = re.compile("\n")


# `async` then `=` (not `==`), with only spaces, line continuations and comments between: a
# superset of the keyword argument, checked before the (slow, pure Python) tokenizer runs.
_ASYNC_KEYWORD = re.compile(r"\basync(?:[\s\\]|#[^\n]*)*=(?!=)")


def replace_async_keyword(source: str) -> AsyncRewrite:
    """Rename the keyword argument ``async=`` to ``non_blocking=`` inside calls.

    Only a NAME token ``async`` directly followed by ``=`` while a parenthesis is open is a
    keyword argument; ``async def``, ``async with`` and the string ``"async="`` are left alone.
    A file that does not tokenize is returned unchanged (the parser will report it).
    """
    if "async" not in source:
        return AsyncRewrite(source, ())
    offsets = [found.start() for found in _ASYNC_KEYWORD.finditer(source)]
    if not offsets:
        return AsyncRewrite(source, ())  # no `async` followed by `=`: nothing to tokenize for
    confirmed = _confirmed_by_the_parser(source, offsets)
    if confirmed is not None:
        return confirmed
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return AsyncRewrite(source, ())
    depth = 0
    hits: List[Tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.type == tokenize.OP:
            if token.string in "([{":
                depth += 1
            elif token.string in ")]}":
                depth = max(depth - 1, 0)
            continue
        if token.type != tokenize.NAME or token.string != "async" or depth == 0:
            continue
        following = next((t for t in tokens[index + 1 :] if t.type not in (tokenize.NL, tokenize.COMMENT)), None)
        if following is not None and following.type == tokenize.OP and following.string == "=":
            hits.append(token.start)
    if not hits:
        return AsyncRewrite(source, ())
    starts = _line_starts(source)
    return AsyncRewrite(_renamed(source, [starts[line - 1] + column for line, column in hits]), tuple(hits))


def _renamed(source: str, offsets: List[int]) -> str:
    pieces: List[str] = []
    cursor = 0
    for offset in offsets:
        pieces.append(source[cursor:offset])
        pieces.append("non_blocking")
        cursor = offset + len("async")
    pieces.append(source[cursor:])
    return "".join(pieces)


def _confirmed_by_the_parser(source: str, offsets: List[int]) -> Optional[AsyncRewrite]:
    """The tokenizer's answer, found without it (a tenth of the time) when it can be: every
    `async` the pattern found at ``offsets`` renamed, the result parses, and each rename is where
    the tree has a keyword argument or a ``def``'s parameter, so each was an `async` token inside
    brackets, followed by `=`: exactly the tokens the tokenizer renames (a file that parses has
    no other, `async=` being a SyntaxError). None when it cannot tell: the tokenizer decides."""
    if "\r" in source.replace("\r\n", "\n") or "\f" in source:
        return None  # line ends and columns counted otherwise by the tokenizer and the parser
    renamed = _renamed(source, offsets)
    tree = stdlib_tree(renamed)
    if not isinstance(tree, ast.Module):
        return None
    starts = _line_starts(source)
    hits: List[Tuple[int, int]] = []
    wanted: Set[Tuple[int, int]] = set()
    shift = {}  # line -> the characters the renames before this one on it added
    for offset in offsets:
        line = bisect.bisect_right(starts, offset)
        column = offset - starts[line - 1]
        added = shift.get(line, 0)
        shift[line] = added + len("non_blocking") - len("async")
        hits.append((line, column))
        # Where the renamed `non_blocking` starts in the renamed text, in bytes, as `ast` counts.
        before = source[starts[line - 1] : offset]
        wanted.add((line, len(before.encode("utf-8")) + added))
    return AsyncRewrite(renamed, tuple(hits)) if wanted <= _keyword_starts(tree) else None


def _keyword_starts(tree: ast.Module) -> Set[Tuple[int, int]]:
    """Where each keyword argument and ``def`` parameter named ``non_blocking`` starts."""
    found: Set[Tuple[int, int]] = set()
    for node in nodes_of(tree):
        if isinstance(node, ast.keyword):
            if node.arg == "non_blocking":
                found.add((node.lineno, node.col_offset))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if argument.arg == "non_blocking":
                    found.add((argument.lineno, argument.col_offset))
    return found


_PY2_HINTS = (
    (re.compile(r"^\s*print\s+[^\s(=.,)\]]"), "Python 2 print statement"),
    (re.compile(r"^\s*except\s+[^:]+,\s*\w+\s*:"), "Python 2 'except E, e:' clause"),
    (re.compile(r"^\s*exec\s+[\"'\w]"), "Python 2 exec statement"),
    (re.compile(r"^\s*raise\s+\w[\w.]*\s*,"), "Python 2 'raise E, msg' statement"),
    (re.compile(r"(?<![\w.])0[0-7]+\b"), "Python 2 octal literal"),
    (re.compile(r"\b\d+[lL]\b"), "Python 2 long literal"),
    (re.compile(r"`[^`]+`"), "Python 2 backtick repr"),
    (re.compile(r"<>"), "Python 2 '<>' operator"),
    (re.compile(r"\bur[\"']"), "Python 2 ur'' string prefix"),
)


def _python2_hint(source: str, line: int) -> Optional[str]:
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    for pattern, description in _PY2_HINTS:
        if pattern.search(text):
            return description
    return None


def _syntax_error(source: str) -> Optional[ParseError]:
    """The first syntax error as this interpreter sees it, or None when it compiles.

    CPython's parser is the judge, not libcst's: libcst accepts newer grammar (``except A, B:``
    is valid from Python 3.14), and torchup must not rewrite a file the interpreter rejects.
    It is also fast (C) and gives the clearest messages.
    """
    error = stdlib_tree(source)
    if isinstance(error, SyntaxError):
        line = error.lineno or 1
        column = max((error.offset or 1) - 1, 0)
        reason = error.msg
        hint = _python2_hint(source, line)
        if hint is not None:
            reason = f"{reason} (looks like Python 2: {hint}; torchup migrates Python 3 code)"
        return ParseError(line, column, reason)
    if isinstance(error, Exception):  # null bytes, absurd nesting
        return ParseError(1, 0, str(error) or type(error).__name__)
    return None


@last_call
def stdlib_tree(source: str) -> Union[ast.Module, Exception]:
    """``ast.parse(source)``, or the error it raised. The last call is remembered: the
    prefilter's tree screens and the syntax check above parse a file once between them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `"\d"` in a string literal: the user's business here
        try:
            return ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            return error


# libcst's parser takes time that grows with the square of a chain's length (measured with libcst
# 1.9: 2 s for a 2,000-term sum, 13 s for 4,000; a 5,000-term sum of calls, two minutes): past
# this many levels a file would hold its worker for hours. CPython 3.11 itself compiles about
# 3,000 levels at its default recursion limit.
MAX_NESTING = 10_000


def nesting(tree: ast.AST) -> Tuple[int, int]:
    """The depth of the deepest node of ``tree`` and its line, the first such in the file
    (iteratively: the tree may be deep)."""
    deepest, line = 0, 1
    # Each node with the line of its nearest node that has one: the deepest is often a `Load`
    # context, which has none. Children pushed last first, so that nodes come off in file order.
    stack = [(tree, 1, 1)]
    while stack:
        node, depth, at = stack.pop()
        at = getattr(node, "lineno", at)
        if depth > deepest:
            deepest, line = depth, at
        stack.extend((child, depth + 1, at) for child in reversed(child_nodes(node)))
    return deepest, line


def _too_deep(source: str) -> Optional[ParseError]:
    if len(source) <= MAX_NESTING:  # each level takes at least one character
        return None
    tree = stdlib_tree(source)
    if not isinstance(tree, ast.AST):
        return None
    depth, line = nesting(tree)
    if depth <= MAX_NESTING:
        return None
    return ParseError(
        line, 0, f"an expression nested {depth} levels deep: torchup parses at most {MAX_NESTING} (the parser's time grows with the square of it)"
    )


def parse(source: str) -> Union[Parsed, ParseError]:
    """Parse ``source`` after the ``async=`` pre-pass; never raises for bad input."""
    rewrite = replace_async_keyword(source)
    error = _syntax_error(rewrite.source) or _too_deep(rewrite.source)
    if error is not None:
        return error
    try:
        module = cst.parse_module(rewrite.source)
    except cst.ParserSyntaxError as failure:
        return ParseError(failure.raw_line, failure.raw_column, failure.message)
    except RecursionError:
        return ParseError(1, 0, "too deeply nested for the parser")
    return Parsed(module, rewrite.positions, rewrite.source)
