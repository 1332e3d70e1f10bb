"""What a run found and did, in words for people and JSON for machines; owns the exit code.

Exit codes follow black: 0 done or nothing to do; 1 changes pending (``fix --check``) or findings
(``check``); 2 a usage error (click's); 123 a file could not be found, read, decoded, parsed,
migrated or written, or an internal error; 130 / 143 interrupted by SIGINT / SIGTERM. An error is
never 1: CI must not read a crash as "changes pending".
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Tuple

from torchup import __version__
from torchup.records import Edit, Finding, Record
from torchup.runner import FileOutcome, Status, WriteBack

EXIT_OK = 0
EXIT_PENDING = 1
EXIT_USAGE = 2  # click's own, for a bad option or argument
EXIT_ERROR = 123
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_TERMINATED = 143  # 128 + SIGTERM


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def format_record(path: str, record: Record) -> str:
    """``path:line:col: CODE message`` (column 1-based, as editors and linters count)."""
    marker = " [*]" if isinstance(record, Edit) else ""
    place = f"{path}:cell {record.cell}" if record.cell else path
    return f"{place}:{record.line}:{record.column + 1}: {record.code} {record.message}{marker}"


@dataclass(frozen=True)
class Report:
    """The outcome of ``fix`` (any write-back mode) or ``check`` over a set of files."""

    outcomes: Tuple[FileOutcome, ...]
    write_back: WriteBack
    command: str = "fix"  # or "check"

    # -- counts ---------------------------------------------------------------------------

    @property
    def changed(self) -> Tuple[FileOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is Status.CHANGED)

    @property
    def failed(self) -> Tuple[FileOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is Status.FAILED)

    def edits(self) -> List[Tuple[str, Edit]]:
        return [(o.path, r) for o in self.outcomes for r in o.records if isinstance(r, Edit)]

    def findings(self) -> List[Tuple[str, Finding]]:
        return [(o.path, r) for o in self.outcomes for r in o.records if isinstance(r, Finding)]

    def edits_by_code(self) -> Dict[str, int]:
        return dict(sorted(Counter(edit.code for _, edit in self.edits()).items()))

    # -- exit code ------------------------------------------------------------------------

    @property
    def exit_code(self) -> int:
        if self.failed:
            return EXIT_ERROR
        if self.command == "check":
            return EXIT_PENDING if any(o.records for o in self.outcomes) else EXIT_OK
        if self.write_back is WriteBack.CHECK and self.changed:
            return EXIT_PENDING
        return EXIT_OK

    # -- words ----------------------------------------------------------------------------

    def summary(self) -> str:
        """One line for stderr, e.g. ``3 files rewritten, 12 edits (TU101 x9, TU102 x3), ...``."""
        if not self.outcomes:
            return "No Python files found: nothing to do."
        would = self.write_back is not WriteBack.YES or self.command == "check"
        parts: List[str] = []
        by_code = ", ".join(f"{code} x{count}" for code, count in self.edits_by_code().items())
        edits = len(self.edits())
        if self.command == "check":
            fixable = f"{_plural(edits, 'fixable issue')}" + (f" ({by_code})" if by_code else "")
            parts.append(f"{fixable} in {_plural(len(self.changed), 'file')}")
        elif self.changed:
            verb = "would be rewritten" if would else "rewritten"
            parts.append(f"{_plural(len(self.changed), 'file')} {verb}")
            made = "would be made" if would else ""
            parts.append(" ".join(p for p in (_plural(edits, "edit"), made) if p) + (f" ({by_code})" if by_code else ""))
        else:
            parts.append(f"{_plural(len(self.outcomes), 'file')} checked, nothing to change")
        findings = len(self.findings())
        if findings:
            parts.append(f"{_plural(findings, 'finding')} {'needs' if findings == 1 else 'need'} a person")
        failed = len(self.failed)
        if failed:
            parts.append(f"{_plural(failed, 'file')} could not be {'parsed' if self._all_parse_failures() else 'processed'}")
        return ", ".join(parts) + "."

    def _all_parse_failures(self) -> bool:
        return all(o.error_kind == "parse" for o in self.failed)

    def error_lines(self) -> List[str]:
        """One line per failed file: ``error: cannot parse path:line: reason``."""
        lines = []
        for outcome in self.failed:
            what = {"parse": "cannot parse", "internal": "internal error in", "io": "cannot process", "declined": "cannot migrate", "size": "skipped"}.get(
                outcome.error_kind, "cannot process"
            )
            lines.append(f"error: {what} {outcome.path}: {outcome.error}")
        return lines

    def record_lines(self, *, include_edits: bool) -> List[str]:
        lines = []
        for outcome in self.outcomes:
            for record in outcome.records:
                if include_edits or isinstance(record, Finding):
                    lines.append(format_record(outcome.path, record))
        return lines

    # -- JSON -----------------------------------------------------------------------------

    def to_json(self) -> Dict[str, Any]:
        return {
            "tool": "torchup",
            "version": __version__,
            "command": self.command,
            "mode": self.write_back.value,
            "exit_code": self.exit_code,
            "summary": {
                "files": len(self.outcomes),
                "changed": len(self.changed),
                "failed": len(self.failed),
                "edits": self.edits_by_code(),
                "findings": len(self.findings()),
            },
            "files": [_outcome_json(o) for o in self.outcomes if o.status is not Status.SKIPPED or o.records],
        }


def _record_json(record: Record) -> Dict[str, Any]:
    base: Dict[str, Any] = {
        "code": record.code,
        "line": record.line,
        "column": record.column + 1,
        "message": record.message,
    }
    if record.cell:
        base["cell"] = record.cell
    if isinstance(record, Edit):
        base.update(kind="edit", safety=record.safety.value)
    else:
        base.update(kind="finding", fix_available=record.fix_available)
    return base


def _outcome_json(outcome: FileOutcome) -> Dict[str, Any]:
    edits = Counter(r.code for r in outcome.records if isinstance(r, Edit))
    return {
        "path": outcome.path,
        "status": outcome.status.value,
        "edits": dict(sorted(edits.items())),
        "records": [_record_json(r) for r in outcome.records],
        "error": outcome.error or None,
    }


def write_json(report: Report, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report.to_json(), handle, indent=2)
        handle.write("\n")


class MergeError(ValueError):
    pass


def merge_json(documents: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """One report from the ``--report`` files of shards of one run (``torchup report merge``).

    The shards must come from the same command and mode. Counts add up, files are listed in path
    order, and the exit code is the worst of the shards' (123 over 1 over 0).
    """
    if not documents:
        raise MergeError("no reports to merge")
    for document in documents:
        if not isinstance(document, dict) or document.get("tool") != "torchup" or "summary" not in document:
            raise MergeError("not a torchup --report file")
    kinds = {(document.get("command"), document.get("mode")) for document in documents}
    if len(kinds) > 1:
        shown = ", ".join(f"{command} ({mode})" for command, mode in sorted(kinds, key=str))
        raise MergeError(f"the reports come from different commands: {shown}")
    edits: Counter = Counter()
    for document in documents:
        edits.update(document["summary"].get("edits", {}))
    files = sorted((entry for document in documents for entry in document["files"]), key=lambda entry: entry["path"])
    first = documents[0]
    return {
        "tool": "torchup",
        "version": first.get("version"),
        "command": first.get("command"),
        "mode": first.get("mode"),
        "exit_code": max(document["exit_code"] for document in documents),
        "summary": {
            "files": sum(document["summary"]["files"] for document in documents),
            "changed": sum(document["summary"]["changed"] for document in documents),
            "failed": sum(document["summary"]["failed"] for document in documents),
            "edits": dict(sorted(edits.items())),
            "findings": sum(document["summary"]["findings"] for document in documents),
        },
        "files": files,
    }
