"""A run's findings and edits in the formats other tools read: ``--output-format``.

``text``
    ``path:line:col: CODE message`` per record, edits marked ``[*]`` (what ``torchup check``
    prints today).
``json``
    One document: :meth:`torchup.report.Report.to_json`, every finding and edit of every file.
``github``
    GitHub Actions workflow commands, one per line, which GitHub shows as annotations on the
    pull request. A finding (a person must look at it) is a ``::warning``; an edit that
    ``torchup fix`` would make is a ``::notice``; a file that could not be processed is an
    ``::error``. The title is the code (``TU101``); fixable records say so in the title.
``sarif``
    SARIF 2.1.0 (GitHub code scanning, VS Code's SARIF viewer): one run whose driver lists every
    codemod as a rule, documented from its docstring; one result per record (findings at level
    ``warning``, fixable edits at ``note``); files that failed are tool execution notifications
    and make the invocation unsuccessful.

Every renderer returns the whole text (ending with a newline unless empty); the caller prints it.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import PurePath
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import quote

from torchup import __version__
from torchup.records import Edit, Record
from torchup.report import Report
from torchup.runner import FileOutcome

FORMATS = ("text", "json", "github", "sarif")

# The project's home; SARIF viewers link the tool name to it.
INFORMATION_URI = "https://pypi.org/project/torchup/"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render(report: Report, fmt: str) -> str:
    """``report`` in format ``fmt`` (one of :data:`FORMATS`)."""
    renderers: Dict[str, Callable[[Report], str]] = {
        "text": render_text,
        "json": render_json,
        "github": render_github,
        "sarif": render_sarif,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report)


def _lines(lines: List[str]) -> str:
    return "".join(line + "\n" for line in lines)


def render_text(report: Report) -> str:
    return _lines(report.record_lines(include_edits=True))


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"


# -- GitHub workflow commands ------------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message (after ``::``): ``%``, CR and LF are percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: List[Tuple[str, object]], message: str) -> str:
    props = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties)
    return f"::{kind} {props}::{escape_data(message)}"


def notebook_cell(record: Record) -> int:
    """The notebook cell a record is in, or 0 in a ``.py`` file.

    A record from a notebook (see :mod:`torchup.notebook`) carries a ``cell``; its ``line``
    then counts lines within that cell, which is no line of the ``.ipynb`` file: annotations
    point at the file and name the cell and line in their message.
    """
    return int(getattr(record, "cell", 0) or 0)


def _message(record: Record) -> str:
    cell = notebook_cell(record)
    return f"cell {cell}, line {record.line}: {record.message}" if cell else record.message


def _github_record(path: str, record: Record) -> str:
    properties: List[Tuple[str, object]] = [("file", path)]
    # line 0: a node the codemod made, with no place in the original file
    if record.line and not notebook_cell(record):
        properties += [("line", record.line), ("col", record.column + 1)]
    if isinstance(record, Edit):
        properties.append(("title", f"{record.code} (fixable: torchup fix rewrites this)"))
        return _command("notice", properties, _message(record))
    title = f"{record.code} (fixable with --unsafe-fixes)" if record.fix_available else record.code
    properties.append(("title", title))
    return _command("warning", properties, _message(record))


_ERROR_LINE = re.compile(r"line (\d+): (.*)", re.DOTALL)


def _error_place(outcome: FileOutcome) -> Tuple[Optional[int], str]:
    """``FileOutcome.error`` reads ``line N: reason`` for files that did not parse."""
    match = _ERROR_LINE.fullmatch(outcome.error)
    if match and int(match.group(1)) > 0:
        return int(match.group(1)), match.group(2)
    return None, outcome.error


def render_github(report: Report) -> str:
    lines = []
    for outcome in report.outcomes:
        for record in outcome.records:
            lines.append(_github_record(outcome.path, record))
    for outcome in report.failed:
        line, reason = _error_place(outcome)
        properties: List[Tuple[str, object]] = [("file", outcome.path)]
        if line is not None:
            properties.append(("line", line))
        properties.append(("title", "torchup could not process this file"))
        lines.append(_command("error", properties, reason))
    return _lines(lines)


# -- SARIF 2.1.0 -------------------------------------------------------------------------------


def _section(doc: str, name: str) -> str:
    """The text under heading ``name`` in a codemod docstring (its sections are unindented
    headings followed by indented text)."""
    lines = doc.splitlines()
    if name not in lines:
        return ""
    body: List[str] = []
    for line in lines[lines.index(name) + 1 :]:
        if line and not line[0].isspace():
            break
        body.append(line)
    return textwrap.dedent("\n".join(body)).strip()


def sarif_rules() -> List[Dict[str, Any]]:
    """Every codemod as a SARIF ``reportingDescriptor``, in code order."""
    from torchup import catalogue, registry

    rules = []
    for cls in registry.all_codemods().values():
        doc = catalogue.documentation(cls)
        what = _section(doc, "What it does")
        rules.append(
            {
                "id": cls.CODE,
                "name": cls.NAME,
                "shortDescription": {"text": cls.SUMMARY},
                "fullDescription": {"text": what or cls.SUMMARY},
                "help": {"text": doc},
                "defaultConfiguration": {"level": "warning"},
                "properties": {"fixSafety": cls.SAFETY},
            }
        )
    return rules


def artifact_uri(path: str) -> str:
    """A SARIF artifact URI: relative paths stay relative (GitHub resolves them against the
    repository root), absolute ones become ``file://`` URIs."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix())


def _sarif_location(path: str, line: int, column: Optional[int]) -> Dict[str, Any]:
    physical: Dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if line > 0:
        region: Dict[str, Any] = {"startLine": line}
        if column is not None:
            region["startColumn"] = column + 1
        physical["region"] = region
    return {"physicalLocation": physical}


def _sarif_result(path: str, record: Record, rule_index: Dict[str, int]) -> Dict[str, Any]:
    fixable = isinstance(record, Edit)
    cell = notebook_cell(record)
    properties: Dict[str, Any] = {
        "kind": "edit" if fixable else "finding",
        "fixable": fixable or bool(getattr(record, "fix_available", False)),
    }
    if cell:
        properties.update(cell=cell, cellLine=record.line, cellColumn=record.column + 1)
    result: Dict[str, Any] = {
        "ruleId": record.code,
        "level": "note" if fixable else "warning",
        "message": {"text": _message(record)},
        "locations": [_sarif_location(path, 0 if cell else record.line, record.column)],
        "properties": properties,
    }
    if record.code in rule_index:
        result["ruleIndex"] = rule_index[record.code]
    return result


def to_sarif(report: Report) -> Dict[str, Any]:
    rules = sarif_rules()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    results = [
        _sarif_result(outcome.path, record, rule_index) for outcome in report.outcomes for record in outcome.records
    ]
    notifications = []
    for outcome in report.failed:
        line, reason = _error_place(outcome)
        notifications.append(
            {
                "level": "error",
                "message": {"text": f"{outcome.path}: {reason}"},
                "locations": [_sarif_location(outcome.path, line or 0, None)],
            }
        )
    invocation: Dict[str, Any] = {
        "executionSuccessful": not report.failed,
        "exitCode": report.exit_code,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "torchup",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                # libcst counts columns in code points, not SARIF's default UTF-16 code units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(report: Report) -> str:
    return json.dumps(to_sarif(report), indent=2) + "\n"
