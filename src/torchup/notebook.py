"""Jupyter notebooks (``.ipynb``): migrate the code cells, keep every other byte of the file.

The code cells of a notebook run in one namespace: an import in cell 1 serves a call in cell 7.
So the cells are migrated together, as one module (as ``nbconvert --to script`` would write it),
not one by one: each code cell is preceded by a separator statement, the module is migrated once,
and the result is cut back into cells at the separators. Cell and line numbers of every record
and error are mapped back to the cell they belong to.

IPython syntax is not Python. Before migrating, each line that starts a magic or shell escape
(``%matplotlib inline``, ``!pip install x``, ``files = !ls``, ``?obj``, ``obj?``, ``%time x =
f()``) is replaced by a unique placeholder statement, at the same indentation, that no codemod
touches; afterwards the original line is put back byte-for-byte. A cell that starts with a cell
magic (``%%time``, ``%%bash``) may not contain Python at all and is left alone entirely.
Magic lines are never migrated: when a rewrite would drop an import that a magic line still
uses (``%time y = Variable(x)`` once every other ``Variable`` is gone), the notebook is declined
with the cell and line, rather than left with a magic that raises NameError. Lines IPython reads
as magics without a ``%`` (automagic ``ls``, autocall ``/f x``) are not Python and do not parse.

Only the ``source`` values of the cells that changed are rewritten, in place in the original
text, in the notebook's own style (indent, separators, ``\\uXXXX`` escapes or not, line endings);
metadata, outputs, key order and the trailing newline are never re-serialised. A notebook in
which nothing changes is returned byte-for-byte.

Cells are numbered from 1 counting every cell (markdown and raw cells too), the position a
person finds by scrolling the notebook and the index (minus one) in its ``cells`` list.
"""

from __future__ import annotations

import ast
import difflib
import io
import itertools
import json
import os
import re
import tokenize
from bisect import bisect_right
from dataclasses import dataclass, replace
from json.decoder import scanstring
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

from torchup.codemod import Edit, Finding, Record
from torchup.parsing import replace_async_keyword
from torchup.pipeline import Failure, Migration

MigrateText = Callable[[str], Union[Migration, Failure]]


@dataclass(frozen=True)
class CellRecord:
    """An edit or finding in a notebook: ``record.line`` counts lines within cell ``cell``."""

    cell: int
    record: Record

    def location(self, path: str) -> str:
        """``nb.ipynb:cell 3:2:5`` (column 1-based, like the lines of ``torchup check``)."""
        return f"{path}:cell {self.cell}:{self.record.line}:{self.record.column + 1}"


@dataclass(frozen=True)
class NotebookMigration:
    """The notebook's text before and after, and what was done, cell by cell."""

    source: str
    code: str
    records: Tuple[CellRecord, ...]
    changed_cells: Tuple[int, ...]

    @property
    def changed(self) -> bool:
        return self.code != self.source

    @property
    def edits(self) -> Tuple[CellRecord, ...]:
        return tuple(r for r in self.records if isinstance(r.record, Edit))

    @property
    def findings(self) -> Tuple[CellRecord, ...]:
        return tuple(r for r in self.records if isinstance(r.record, Finding))


@dataclass(frozen=True)
class NotebookFailure:
    """The notebook could not be migrated and must be left as it was.

    ``kind`` is ``"parse"`` (not JSON, not a notebook, or a cell that is not valid Python),
    ``"declined"`` (the migration would break a magic line: see
    :func:`_magic_using_removed_import`) or ``"internal"`` (a codemod crashed, or moved a line
    torchup must restore). ``cell`` and
    ``line`` are 0 when the problem is not in one cell.
    """

    kind: str
    message: str
    cell: int = 0
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.cell and self.line:
            return f"cell {self.cell}, line {self.line}: {self.message}"
        if self.cell:
            return f"cell {self.cell}: {self.message}"
        return self.message


# -- IPython magics -------------------------------------------------------------------------

# `files = !ls`, `t = %timeit -o f()`: an assignment from a shell escape or a line magic.
_MAGIC_ASSIGNMENT = re.compile(r"[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")
# `obj?`, `obj.attr??`, `%magic?`: IPython's help syntax at the end of a line.
_HELP_SUFFIX = re.compile(r"%{0,2}[A-Za-z_][\w.]*(\[[^\[\]]*\])*\?{1,2}\s*")


def _is_magic(stripped: str) -> bool:
    if stripped.startswith(("%", "!", "?")):
        return True
    return bool(_MAGIC_ASSIGNMENT.match(stripped) or _HELP_SUFFIX.fullmatch(stripped))


def _at_statement_start(python_so_far: str) -> bool:
    """Whether the next line starts a new logical line (not inside brackets, a string, or
    after a backslash), which is the only place IPython reads a magic."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(python_so_far).readline):
            pass
    except tokenize.TokenError:
        return False  # EOF inside brackets, a triple-quoted string or a continuation
    except (SyntaxError, ValueError):
        return True  # broken code: the parser will report it, not this guess
    return True


def _lines(text: str) -> List[str]:
    """Split after each ``\\n`` only (``str.splitlines`` also splits at form feeds and
    U+2028, which may sit inside a string literal)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _split_ending(line: str) -> Tuple[str, str]:
    for ending in ("\r\n", "\n"):
        if line.endswith(ending):
            return line[: -len(ending)], ending
    return line, ""


@dataclass(frozen=True)
class _Masked:
    """A magic line replaced by ``placeholder`` (at indentation ``indent``)."""

    placeholder: str
    indent: str
    original: str  # the line without its line ending
    line: int  # 1-based, within its cell


def _mask_cell(text: str, make_placeholder: Callable[[], str]) -> Tuple[str, List[_Masked]]:
    """Replace each magic line of a cell by a placeholder statement; keeps the line count."""
    out: List[str] = []
    masked: List[_Masked] = []
    continued_indent: Optional[str] = None  # the indent of a magic continued by a backslash
    for number, line in enumerate(_lines(text), start=1):
        body, ending = _split_ending(line)
        stripped = body.lstrip(" \t")
        if continued_indent is not None:
            indent = continued_indent
        elif stripped and not stripped.startswith("#") and _is_magic(stripped) and _at_statement_start("".join(out)):
            indent = body[: len(body) - len(stripped)]
        else:
            out.append(line)
            continue
        placeholder = make_placeholder()
        masked.append(_Masked(placeholder, indent, body, number))
        out.append(f"{indent}{placeholder}{ending}")
        # `!pip install \` goes on on the next line, which is part of the same magic.
        continued_indent = indent if body.endswith("\\") else None
    return "".join(out), masked


def _unmask_line(line: str, masked: _Masked) -> str:
    body, ending = _split_ending(line)
    indent = body[: len(body) - len(body.lstrip(" \t"))]
    if indent == masked.indent:
        return masked.original + ending
    # A codemod re-indented the statement (e.g. wrapped it in a `with` block): shift the magic
    # by the same amount so the block stays valid.
    if masked.original.startswith(masked.indent):
        return indent + masked.original[len(masked.indent) :] + ending
    return indent + masked.original.lstrip(" \t") + ending


# -- reading the notebook --------------------------------------------------------------------


def _cell_text(source: object) -> Optional[str]:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(piece, str) for piece in source):
        return "".join(source)
    return None


def _is_python(notebook: dict) -> bool:
    metadata = notebook.get("metadata") or {}
    language = (metadata.get("kernelspec") or {}).get("language") or (metadata.get("language_info") or {}).get("name")
    return not isinstance(language, str) or language.lower() in ("python", "python3", "ipython")


def _load(text: str) -> Union[Tuple[dict, List[dict]], NotebookFailure]:
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        return NotebookFailure("parse", f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno)
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        if isinstance(notebook, dict) and "worksheets" in notebook:
            return NotebookFailure("parse", "nbformat 3 notebook: save it from Jupyter as nbformat 4 first")
        return NotebookFailure("parse", "not a Jupyter notebook (no top-level `cells` list)")
    cells = notebook["cells"]
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            return NotebookFailure("parse", "a cell is not a JSON object", cell=number)
        if cell.get("cell_type") == "code" and _cell_text(cell.get("source", "")) is None:
            return NotebookFailure("parse", "`source` is neither a string nor a list of strings", cell=number)
    return notebook, cells


# -- migrating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _CellInModule:
    number: int  # 1-based, counting every cell
    first_line: int  # 1-based line of the cell's first line in the combined module
    ends_with_newline: bool


def _nonce(texts: Sequence[str]) -> str:
    """A marker no cell contains, so placeholders and separators cannot collide with code."""
    counter = 0
    while any(f"__torchup{counter}_" in text for text in texts):
        counter += 1
    return f"__torchup{counter}_"


def migrate_notebook(text: str, migrate: MigrateText) -> Union[NotebookMigration, NotebookFailure]:
    """Migrate the code cells of the notebook ``text`` with ``migrate`` (one file's text in, a
    :class:`~torchup.pipeline.Migration` or :class:`~torchup.pipeline.Failure` out: typically
    ``lambda code: migrate_source(code, codemods, settings, facts=facts, filename=path)``).

    Returns the new notebook text with records mapped to cells, or a :class:`NotebookFailure`
    (the notebook must then be left untouched). Notebooks whose kernel is not Python come back
    unchanged.
    """
    loaded = _load(text)
    if isinstance(loaded, NotebookFailure):
        return loaded
    notebook, cells = loaded
    unchanged = NotebookMigration(text, text, (), ())
    if not _is_python(notebook):
        return unchanged
    candidates: List[Tuple[int, str]] = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        cell_text = _cell_text(cell.get("source", ""))
        assert cell_text is not None  # _load checked it
        if not cell_text.strip() or cell_text.lstrip().startswith("%%"):
            continue  # nothing to migrate, or a cell magic whose body may not be Python
        candidates.append((number, cell_text))
    if not candidates:
        return unchanged

    nonce = _nonce([cell_text for _, cell_text in candidates])
    counter = itertools.count()

    def make_placeholder() -> str:
        return f"{nonce}magic{next(counter)}"

    pieces: List[str] = []
    layout: List[_CellInModule] = []
    masks: Dict[str, Tuple[int, _Masked]] = {}
    line = 1
    for number, cell_text in candidates:
        masked_text, masked = _mask_cell(cell_text, make_placeholder)
        masks.update((m.placeholder, (number, m)) for m in masked)
        body = masked_text if masked_text.endswith("\n") else masked_text + "\n"
        pieces.append(f"{nonce}cell{number}\n{body}")
        count = body.count("\n")
        layout.append(_CellInModule(number, line + 1, cell_text.endswith("\n")))
        line += 1 + count
    result = migrate("".join(pieces))
    if isinstance(result, Failure):
        return _failure_in_cell(result, layout)

    new_cells = _split_cells(result.code, nonce, layout)
    if isinstance(new_cells, NotebookFailure):
        return new_cells
    restored = _restore_magics(new_cells, masks)
    if isinstance(restored, NotebookFailure):
        return restored
    stranded = _magic_using_removed_import("".join(pieces), result.code, masks)
    if stranded is not None:
        return stranded
    original = dict(candidates)
    changed = {number: new for number, new in restored.items() if new != original[number]}
    records = tuple(_record_in_cell(record, layout) for record in result.records)
    if not changed:
        return NotebookMigration(text, text, records, ())
    return NotebookMigration(text, _rewrite_sources(text, cells, changed), records, tuple(sorted(changed)))


def _locate(line: int, layout: Sequence[_CellInModule]) -> Tuple[_CellInModule, int]:
    """The cell holding combined-module line ``line``, and the line's number within it."""
    starts = [cell.first_line for cell in layout]
    index = max(bisect_right(starts, line) - 1, 0)
    cell = layout[index]
    return cell, max(line - cell.first_line + 1, 0) if line else 0


def _record_in_cell(record: Record, layout: Sequence[_CellInModule]) -> CellRecord:
    cell, line = _locate(record.line, layout)
    return CellRecord(cell.number, replace(record, line=line))


def _failure_in_cell(failure: Failure, layout: Sequence[_CellInModule]) -> NotebookFailure:
    if failure.kind == "parse" and failure.line:
        cell, line = _locate(failure.line, layout)
        return NotebookFailure("parse", failure.message, cell=cell.number, line=line, column=failure.column)
    return NotebookFailure(failure.kind, failure.message)


def _split_cells(code: str, nonce: str, layout: Sequence[_CellInModule]) -> Union[Dict[int, str], NotebookFailure]:
    """Cut the migrated module back into cells at the separator statements."""
    separators = {f"{nonce}cell{cell.number}": cell.number for cell in layout}
    texts: Dict[int, List[str]] = {}
    order: List[int] = []
    preamble: List[str] = []  # lines a codemod put above the first separator join the first cell
    current = preamble
    for line in _lines(code):
        number = separators.get(line.rstrip("\r\n"))
        if number is None:
            current.append(line)
        elif number not in texts:
            current = texts[number] = preamble if not order else []
            order.append(number)
    expected = [cell.number for cell in layout]
    if order != expected:
        lost = next((n for n in expected if n not in order), expected[0])  # else: reordered
        return NotebookFailure(
            "internal", "a rewrite moved code across a cell boundary; the notebook is left unchanged", cell=lost
        )
    result: Dict[int, str] = {}
    for cell in layout:
        cell_text = "".join(texts[cell.number])
        if not cell.ends_with_newline and cell_text.endswith("\n"):
            cell_text = cell_text[:-1]
        result[cell.number] = cell_text
    return result


def _restore_magics(
    cells: Dict[int, str], masks: Dict[str, Tuple[int, _Masked]]
) -> Union[Dict[int, str], NotebookFailure]:
    if not masks:
        return cells
    pattern = re.compile(r"[ \t]*(" + "|".join(re.escape(p) for p in masks) + r")\r?\n?")
    restored: Dict[int, str] = {}
    found: List[str] = []
    for number, cell_text in cells.items():
        lines = []
        for line in _lines(cell_text):
            match = pattern.fullmatch(line)
            if match is None:
                lines.append(line)
                continue
            origin, masked = masks[match.group(1)]
            if origin != number:
                continue  # in another cell than its own: reported below as misplaced
            found.append(match.group(1))
            lines.append(_unmask_line(line, masked))
        restored[number] = "".join(lines)
    misplaced = [p for p in masks if found.count(p) != 1 or any(p in text for text in restored.values())]
    if misplaced:
        return NotebookFailure(
            "internal",
            "a rewrite moved or removed an IPython magic line; the notebook is left unchanged",
            cell=masks[misplaced[0]][0],
        )
    return restored


def _imported_names(code: str) -> Set[str]:
    try:
        tree = ast.parse(replace_async_keyword(code).source)
    except (SyntaxError, ValueError):
        return set()
    return {
        alias.asname or alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }


def _magic_using_removed_import(
    before: str, after: str, masks: Dict[str, Tuple[int, _Masked]]
) -> Optional[NotebookFailure]:
    """Decline when a rewrite dropped an import that a magic line still uses.

    Magic lines are hidden from the codemods, so TU101 may find ``Variable`` unused once every
    Python use is rewritten and drop its import, while ``%time y = Variable(x)`` still needs it.
    """
    if not masks:
        return None
    removed = _imported_names(before) - _imported_names(after)
    for cell, masked in masks.values():
        used = removed.intersection(re.findall(r"[A-Za-z_]\w*", masked.original))
        if used:
            return NotebookFailure(
                "declined",
                f"this IPython magic uses `{sorted(used)[0]}`, whose import a rewrite would remove; "
                "migrate the line by hand (torchup leaves magics alone), then run torchup again",
                cell=cell,
                line=masked.line,
            )
    return None


# -- writing the notebook ------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]


def _value_end(text: str, pos: int) -> int:
    return _DECODER.raw_decode(text, pos)[1]


def _object_members(text: str, pos: int) -> List[Tuple[str, int, int]]:
    """``(key, value_start, value_end)`` for each member of the JSON object at ``pos``."""
    members = []
    pos = _skip(text, pos + 1)  # past "{"
    while text[pos] != "}":
        key, pos = scanstring(text, pos + 1)
        pos = _skip(text, _skip(text, pos) + 1)  # past ":"
        end = _value_end(text, pos)
        members.append((key, pos, end))
        pos = _skip(text, end)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    return members


def _array_items(text: str, pos: int) -> List[Tuple[int, int]]:
    items = []
    pos = _skip(text, pos + 1)  # past "["
    while text[pos] != "]":
        end = _value_end(text, pos)
        items.append((pos, end))
        pos = _skip(text, end)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    return items


def _source_spans(text: str) -> List[Optional[Tuple[int, int]]]:
    """Where each cell's ``source`` value lies in ``text`` (None for a cell without one)."""
    start = _skip(text, 0)
    cells = next((s for key, s, _ in _object_members(text, start) if key == "cells"))
    spans: List[Optional[Tuple[int, int]]] = []
    for cell_start, _ in _array_items(text, cells):
        source = [(s, e) for key, s, e in _object_members(text, cell_start) if key == "source"]
        spans.append(source[-1] if source else None)
    return spans


_NON_ASCII_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")


@dataclass(frozen=True)
class _Style:
    indent: Optional[str]  # None: compact
    separators: Tuple[str, str]
    ensure_ascii: bool
    newline: str


def _style(text: str) -> _Style:
    newline = "\r\n" if "\r\n" in text else "\n"
    indented = re.match(r"\s*\{\r?\n([ \t]+)\"", text)
    ensure_ascii = not any(ord(char) > 127 for char in text) and bool(_NON_ASCII_ESCAPE.search(text))
    if indented:
        return _Style(indented.group(1), (",", ": "), ensure_ascii, newline)
    spaced = re.match(r"\s*\{\s*\"(?:[^\"\\]|\\.)*\"(\s*):(\s*)", text)
    colon = ":" + (spaced.group(2) if spaced else "")
    return _Style(None, (", " if colon != ":" else ",", colon), ensure_ascii, newline)


def _source_value(cell_text: str, original: object) -> Union[str, List[str]]:
    """Jupyter's shape: a list of lines, each ending with ``\\n`` but the last; a string
    stays a string."""
    return cell_text if isinstance(original, str) else _lines(cell_text)


def _serialise(value: object, text: str, start: int, style: _Style) -> str:
    if style.indent is None:
        return json.dumps(value, ensure_ascii=style.ensure_ascii, separators=style.separators)
    line_start = text.rfind("\n", 0, start) + 1
    key_indent = re.match(r"[ \t]*", text[line_start:start]).group(0)  # type: ignore[union-attr]
    dumped = json.dumps(value, ensure_ascii=style.ensure_ascii, indent=style.indent, separators=style.separators)
    return dumped.replace("\n", style.newline + key_indent)


def _rewrite_sources(text: str, cells: Sequence[dict], changed: Dict[int, str]) -> str:
    style = _style(text)
    spans = _source_spans(text)
    pieces: List[str] = []
    cursor = 0
    for number in sorted(changed):
        span = spans[number - 1]
        assert span is not None  # a changed cell had a source to change
        start, end = span
        value = _source_value(changed[number], cells[number - 1].get("source", ""))
        pieces += [text[cursor:start], _serialise(value, text, start, style)]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


# -- diffs ----------------------------------------------------------------------------------


def notebook_diff(path: str, before: str, after: str) -> str:
    """A unified diff of each code cell whose source changed, headed ``a/nb.ipynb:cell 3``.

    Cells are compared by position; a cell's missing final newline (Jupyter's norm) is not
    shown as a change.
    """
    before_cells, after_cells = (_sources(text) for text in (before, after))
    prefix = ("", "") if os.path.isabs(path) else ("a/", "b/")
    chunks: List[str] = []
    for number, (old, new) in enumerate(zip(before_cells, after_cells), start=1):
        if old == new:
            continue
        old_lines, new_lines = (
            [line if line.endswith("\n") else line + "\n" for line in _lines(t)] for t in (old, new)
        )
        chunks.extend(
            difflib.unified_diff(
                old_lines,
                new_lines,
                fromfile=f"{prefix[0]}{path}:cell {number}",
                tofile=f"{prefix[1]}{path}:cell {number}",
            )
        )
    return "".join(chunks)


def _sources(text: str) -> List[str]:
    loaded = _load(text)
    if isinstance(loaded, NotebookFailure):
        raise ValueError(f"not a notebook: {loaded}")
    return [_cell_text(cell.get("source", "")) or "" for cell in loaded[1]]
