"""A file that exhausts the stack or memory outside the codemods' own guard (the prefilter's
tree screens, the diff, black) fails alone, as an internal error naming what ran out."""

from __future__ import annotations

import pytest

from torchup import registry, runner
from torchup.codemod import Settings


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"), MemoryError()])
def test_a_file_that_runs_out_fails_alone_and_the_next_is_migrated(tmp_path, monkeypatch, error):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    for path in (first, second):
        path.write_text("import torch\nx = torch.zeros(3).to(d, async=True)\n")
    real = runner._process_python

    def exhausted(path, *args, **kwargs):
        if path.endswith("a.py"):
            raise error
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner, "_process_python", exhausted)
    job = runner.Job(registry.select_codes(), Settings(), runner.WriteBack.CHECK)
    outcomes = {outcome.path: outcome for outcome in runner.run([str(first), str(second)], job, jobs=1)}
    failed = outcomes[str(first)]
    assert (failed.status, failed.error_kind) == (runner.Status.FAILED, "internal")
    assert failed.error == f"{type(error).__name__}: {error}"
    assert outcomes[str(second)].status is runner.Status.CHANGED


def test_a_codemod_bug_fails_its_file_as_internal_not_as_a_parse_error(tmp_path, monkeypatch):
    from torchup import pipeline

    def crashing(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr(pipeline, "_run", crashing)
    path = tmp_path / "a.py"
    path.write_text("from torch.autograd import Variable\nx = Variable(y)\n")
    job = runner.Job(("TU101",), Settings(), runner.WriteBack.CHECK)
    (outcome,) = runner.run([str(path)], job, jobs=1)
    assert (outcome.status, outcome.error_kind) == (runner.Status.FAILED, "internal")
    assert outcome.error.startswith("line 0: internal error (KeyError: 'x' at ")


def test_a_file_that_does_not_parse_fails_with_its_line(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("import torch\nx = Variable(\n")
    job = runner.Job(("TU101",), Settings(), runner.WriteBack.CHECK)
    (outcome,) = runner.run([str(path)], job, jobs=1)
    assert (outcome.status, outcome.error_kind) == (runner.Status.FAILED, "parse")
    assert outcome.error.startswith("line 2: ")


def test_a_file_with_only_an_unused_noqa_is_unchanged_with_its_record_not_skipped(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("x = 1  # noqa: TU101\n")
    job = runner.Job(("TU101",), Settings(show_unused_noqa=True), runner.WriteBack.CHECK)
    (outcome,) = runner.run([str(path)], job, jobs=1)
    assert outcome.status is runner.Status.UNCHANGED
    assert [(r.code, r.line) for r in outcome.records] == [("TU000", 1)]


def test_a_file_that_cannot_be_written_fails_with_its_records_kept(tmp_path, monkeypatch):
    def refused(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner, "write_atomic", refused)
    path = tmp_path / "a.py"
    path.write_text("from torch.autograd import Variable\nx = Variable(y)\n")
    job = runner.Job(("TU101",), Settings(), runner.WriteBack.YES)
    (outcome,) = runner.run([str(path)], job, jobs=1)
    assert (outcome.status, outcome.error_kind) == (runner.Status.FAILED, "io")
    assert outcome.error == "cannot write: [Errno 13] Permission denied"
    assert [(r.code, r.line) for r in outcome.records] == [("TU101", 2)]


def test_a_relative_diff_names_the_old_file_first_for_git_apply():
    assert runner.unified_diff("m.py", "a\n", "b\n") == "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-a\n+b\n"


def test_a_shard_of_nothing_is_nothing():
    assert runner.shard([], 1, 2) == ()
