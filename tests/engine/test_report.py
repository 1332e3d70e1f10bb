"""The report a run ends with: the exit code, the summary line people read, the error and record
lines, the ``--report`` JSON and the merge of shards' reports."""

from __future__ import annotations

import json

import pytest

from torchup import __version__
from torchup.records import Edit, Finding, Safety
from torchup.report import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PENDING,
    MergeError,
    Report,
    format_record,
    merge_json,
    write_json,
)
from torchup.runner import FileOutcome, Status, WriteBack

VARIABLE = Edit("TU101", 3, 4, "Variable(x) -> x")
VOLATILE = Edit("TU102", 5, 0, "volatile=True -> torch.no_grad()", Safety.UNSAFE)
LOAD = Finding("TU407", 7, 8, "torch.load without weights_only", fix_available=True)
IN_CELL = Finding("TU301", 2, 0, ".cuda() constant", cell=3)


def changed(path="a.py", *records):
    return FileOutcome(path, Status.CHANGED, tuple(records) or (VARIABLE,))


def unchanged(path="b.py", *records):
    return FileOutcome(path, Status.UNCHANGED, tuple(records))


def failed(path="c.py", kind="parse", error="line 2: invalid syntax"):
    return FileOutcome(path, Status.FAILED, error=error, error_kind=kind)


def report(*outcomes, write_back=WriteBack.YES, command="fix"):
    return Report(tuple(outcomes), write_back, command)


def test_format_record_is_path_line_column_code_message():
    assert format_record("a.py", VARIABLE) == "a.py:3:5: TU101 Variable(x) -> x [*]"
    assert format_record("a.py", LOAD) == "a.py:7:9: TU407 torch.load without weights_only"
    assert format_record("nb.ipynb", IN_CELL) == "nb.ipynb:cell 3:2:1: TU301 .cuda() constant"


@pytest.mark.parametrize(
    "outcomes, write_back, command, code",
    [
        pytest.param([], WriteBack.CHECK, "fix", EXIT_OK, id="no-files"),
        pytest.param([unchanged()], WriteBack.CHECK, "fix", EXIT_OK, id="check-nothing-pending"),
        pytest.param([changed()], WriteBack.CHECK, "fix", EXIT_PENDING, id="check-pending"),
        pytest.param([changed()], WriteBack.YES, "fix", EXIT_OK, id="fix-done"),
        pytest.param([changed()], WriteBack.DIFF, "fix", EXIT_OK, id="diff-shows-only"),
        pytest.param([unchanged("b.py", LOAD)], WriteBack.CHECK, "fix", EXIT_OK, id="fix-check-ignores-findings"),
        pytest.param([unchanged("b.py", LOAD)], WriteBack.CHECK, "check", EXIT_PENDING, id="check-finding-alone"),
        pytest.param([changed()], WriteBack.CHECK, "check", EXIT_PENDING, id="check-edit"),
        pytest.param([unchanged()], WriteBack.CHECK, "check", EXIT_OK, id="check-clean"),
        pytest.param([changed(), failed()], WriteBack.CHECK, "fix", EXIT_ERROR, id="error-over-pending"),
        pytest.param([failed()], WriteBack.CHECK, "check", EXIT_ERROR, id="check-error"),
        pytest.param([failed()], WriteBack.YES, "fix", EXIT_ERROR, id="fix-error"),
    ],
)
def test_exit_code(outcomes, write_back, command, code):
    assert report(*outcomes, write_back=write_back, command=command).exit_code == code


def test_summary_of_a_rewrite():
    two = report(changed("a.py", VARIABLE, VOLATILE, VARIABLE), changed("d.py"), unchanged())
    assert two.summary() == "2 files rewritten, 4 edits (TU101 x3, TU102 x1)."
    one = report(changed("a.py", VARIABLE))
    assert one.summary() == "1 file rewritten, 1 edit (TU101 x1)."


@pytest.mark.parametrize("write_back", [WriteBack.CHECK, WriteBack.DIFF])
def test_summary_of_a_dry_run_says_would(write_back):
    dry = report(changed("a.py", VARIABLE, VOLATILE), write_back=write_back)
    assert dry.summary() == "1 file would be rewritten, 2 edits would be made (TU101 x1, TU102 x1)."


def test_summary_when_nothing_changes_findings_and_failures():
    assert report().summary() == "No Python files found: nothing to do."
    assert report(unchanged(), unchanged("e.py")).summary() == "2 files checked, nothing to change."
    assert report(unchanged("b.py", LOAD)).summary() == "1 file checked, nothing to change, 1 finding needs a person."
    assert (
        report(unchanged("b.py", LOAD, LOAD), failed()).summary()
        == "2 files checked, nothing to change, 2 findings need a person, 1 file could not be parsed."
    )
    mixed = report(failed(), failed("d.py", "io", "permission denied"), failed("e.py", "parse"))
    assert mixed.summary().endswith(", 3 files could not be processed.")


def test_summary_of_check_counts_fixable_issues():
    check = report(changed("a.py", VARIABLE, LOAD), unchanged("b.py", LOAD), command="check")
    assert check.summary() == "1 fixable issue (TU101 x1) in 1 file, 2 findings need a person."
    clean = report(unchanged(), command="check")
    assert clean.summary() == "0 fixable issues in 0 files."
    many = report(changed("a.py", VARIABLE, VOLATILE), changed("d.py"), command="check", write_back=WriteBack.YES)
    assert many.summary() == "3 fixable issues (TU101 x2, TU102 x1) in 2 files."


def test_error_lines_name_what_went_wrong():
    lines = report(
        failed("p.py", "parse", "line 2: invalid syntax"),
        failed("i.py", "internal", "KeyError: 'x'"),
        failed("o.py", "io", "permission denied"),
        failed("m.py", "declined", "TU102 cannot place no_grad"),
        failed("s.py", "size", "3 MB over --max-file-size"),
        failed("u.py", "", "gone"),
        changed(),
    ).error_lines()
    assert lines == [
        "error: cannot parse p.py: line 2: invalid syntax",
        "error: internal error in i.py: KeyError: 'x'",
        "error: cannot process o.py: permission denied",
        "error: cannot migrate m.py: TU102 cannot place no_grad",
        "error: skipped s.py: 3 MB over --max-file-size",
        "error: cannot process u.py: gone",
    ]


def test_record_lines_with_and_without_edits():
    both = report(changed("a.py", VARIABLE, LOAD), unchanged("b.py", IN_CELL))
    assert both.record_lines(include_edits=True) == [
        "a.py:3:5: TU101 Variable(x) -> x [*]",
        "a.py:7:9: TU407 torch.load without weights_only",
        "b.py:cell 3:2:1: TU301 .cuda() constant",
    ]
    assert both.record_lines(include_edits=False) == [
        "a.py:7:9: TU407 torch.load without weights_only",
        "b.py:cell 3:2:1: TU301 .cuda() constant",
    ]


def test_json_report(tmp_path):
    run = report(
        changed("a.py", VARIABLE, VOLATILE, LOAD),
        unchanged("b.py", IN_CELL),
        FileOutcome("s.py", Status.SKIPPED),
        FileOutcome("t.py", Status.SKIPPED, (LOAD,)),
        failed(),
        write_back=WriteBack.CHECK,
    )
    path = tmp_path / "report.json"
    write_json(run, str(path))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "tool": "torchup"')
    document = json.loads(text)
    assert document == run.to_json()
    assert {k: document[k] for k in ("tool", "version", "command", "mode", "exit_code")} == {
        "tool": "torchup",
        "version": __version__,
        "command": "fix",
        "mode": "check",
        "exit_code": EXIT_ERROR,
    }
    assert document["summary"] == {"files": 5, "changed": 1, "failed": 1, "edits": {"TU101": 1, "TU102": 1}, "findings": 3}
    # a skipped file with nothing to say is left out
    assert [entry["path"] for entry in document["files"]] == ["a.py", "b.py", "t.py", "c.py"]
    a, b, _, c = document["files"]
    assert a["status"] == "changed" and a["edits"] == {"TU101": 1, "TU102": 1} and a["error"] is None
    assert a["records"] == [
        {"code": "TU101", "line": 3, "column": 5, "message": "Variable(x) -> x", "kind": "edit", "safety": "safe"},
        {"code": "TU102", "line": 5, "column": 1, "message": "volatile=True -> torch.no_grad()", "kind": "edit", "safety": "unsafe"},
        {"code": "TU407", "line": 7, "column": 9, "message": "torch.load without weights_only", "kind": "finding", "fix_available": True},
    ]
    assert b["records"] == [
        {"code": "TU301", "line": 2, "column": 1, "message": ".cuda() constant", "cell": 3, "kind": "finding", "fix_available": False}
    ]
    assert b["edits"] == {} and b["status"] == "unchanged"
    assert c == {"path": "c.py", "status": "failed", "edits": {}, "records": [], "error": "line 2: invalid syntax"}


def test_unicode_survives_the_json_report(tmp_path):
    path = tmp_path / "report.json"
    write_json(report(changed("données/ä.py", Edit("TU101", 1, 0, "Variable(é) -> é"))), str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["files"][0]["path"] == "données/ä.py"
    assert document["files"][0]["records"][0]["message"] == "Variable(é) -> é"


def _shard(*outcomes, command="fix", write_back=WriteBack.CHECK):
    return report(*outcomes, command=command, write_back=write_back).to_json()


def test_merge_adds_up_the_shards():
    first = _shard(changed("b.py", VARIABLE, LOAD), unchanged("d.py"))
    second = _shard(changed("a.py", VARIABLE, VOLATILE), failed("c.py"))
    third = _shard(unchanged("e.py"))
    merged = merge_json([first, second, third])
    assert merged["summary"] == {"files": 5, "changed": 2, "failed": 1, "edits": {"TU101": 2, "TU102": 1}, "findings": 1}
    assert [entry["path"] for entry in merged["files"]] == ["a.py", "b.py", "c.py", "d.py", "e.py"]
    assert merged["exit_code"] == EXIT_ERROR
    assert (merged["tool"], merged["version"], merged["command"], merged["mode"]) == ("torchup", __version__, "fix", "check")
    assert merge_json([first, third])["exit_code"] == EXIT_PENDING
    assert merge_json([third, first])["exit_code"] == EXIT_PENDING
    assert merge_json([third])["exit_code"] == EXIT_OK
    assert merge_json([third]) == third


def test_merge_refuses_what_it_cannot_add_up():
    with pytest.raises(MergeError, match="^no reports to merge$"):
        merge_json([])
    for bad in ([], {"tool": "black", "summary": {}}, {"tool": "torchup"}):
        with pytest.raises(MergeError, match="^not a torchup --report file$"):
            merge_json([_shard(unchanged()), bad])
    with pytest.raises(MergeError, match=r"different commands: check \(check\), fix \(check\)"):
        merge_json([_shard(unchanged()), _shard(unchanged(), command="check")])
    with pytest.raises(MergeError, match=r"fix \(check\), fix \(yes\)"):
        merge_json([_shard(unchanged()), _shard(unchanged(), write_back=WriteBack.YES)])


def test_merge_reads_reports_without_a_mode_or_edit_counts():
    # a report written by hand or by an older torchup: no "mode", no "edits" in its summary
    old = {"tool": "torchup", "command": "check", "exit_code": 1, "summary": {"files": 1, "changed": 0, "failed": 0, "findings": 2}, "files": []}
    merged = merge_json([old, dict(old)])
    assert merged["summary"] == {"files": 2, "changed": 0, "failed": 0, "edits": {}, "findings": 4}
    with pytest.raises(MergeError, match=r"^the reports come from different commands: check \(None\), fix \(check\)$"):
        merge_json([old, _shard(unchanged())])
