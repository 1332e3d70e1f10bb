"""The comparison of every pipeline run with its recorded result (``tests/pipeline_outputs.py``)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import pipeline_outputs
from torchup import pipeline
from torchup.codemods.softmax_dim import SoftmaxDim
from torchup.records import Settings

LEGACY = "import torch.nn.functional as F\ny = F.softmax(x)\n"


def test_an_input_is_its_text_codemods_settings_and_file_name_not_its_directory() -> None:
    key = pipeline_outputs.input_key(LEGACY, [SoftmaxDim], Settings(), "/tmp/a/example.py", None)
    assert key == pipeline_outputs.input_key(LEGACY, [SoftmaxDim], Settings(), "/tmp/b/example.py", None)
    others = [
        pipeline_outputs.input_key(LEGACY + "\n", [SoftmaxDim], Settings(), "example.py", None),
        pipeline_outputs.input_key(LEGACY, [], Settings(), "example.py", None),
        pipeline_outputs.input_key(LEGACY, [SoftmaxDim], Settings(unsafe_fixes=True), "example.py", None),
        pipeline_outputs.input_key(LEGACY, [SoftmaxDim], Settings(), "other.py", None),
        pipeline_outputs.input_key(LEGACY, [SoftmaxDim], Settings(), "example.py", "pkg.example"),
    ]
    assert len({key, *others}) == 6


def test_a_result_digest_moves_with_any_part_of_any_record() -> None:
    migration = pipeline.migrate_source(LEGACY, [SoftmaxDim], Settings(), filename="example.py")
    assert isinstance(migration, pipeline.Migration) and migration.records
    digest = pipeline_outputs.result_digest(migration)
    record = migration.records[0]
    changed = [
        replace(migration, code=migration.code + "\n"),
        replace(migration, records=(replace(record, message=record.message + "."),)),
        replace(migration, records=(replace(record, column=record.column + 1),)),
        replace(migration, records=()),
        replace(migration, suppressed=(record,)),
    ]
    assert digest == pipeline_outputs.result_digest(pipeline.migrate_source(LEGACY, [SoftmaxDim], Settings(), filename="x/example.py"))
    assert digest not in {pipeline_outputs.result_digest(m) for m in changed}
    failure = pipeline.migrate_source("def f(:\n", [SoftmaxDim], Settings())
    assert pipeline_outputs.result_digest(failure) != digest


def test_the_checker_reports_a_different_result_and_skips_an_unrecorded_input(tmp_path) -> None:
    migration = pipeline.migrate_source(LEGACY, [SoftmaxDim], Settings(), filename="example.py")
    checker = pipeline_outputs.Checker({"known": "0" * 64}, None)
    checker.seen("unknown", migration, LEGACY, "TU404")
    assert checker.differences == []
    checker.seen("known", migration, LEGACY, "TU404")
    assert checker.differences == ["[TU404] input starting 'import torch.nn.functional as F': now 1 records, code unchanged"]
    recording = pipeline_outputs.Checker({}, str(tmp_path / "runs.jsonl"))
    recording.seen("known", migration, LEGACY, "TU404")
    assert recording.differences == []
    assert json.loads((tmp_path / "runs.jsonl").read_text()) == ["known", pipeline_outputs.result_digest(migration)]


def test_an_input_that_gave_two_results_while_recording_is_left_out() -> None:
    lines = [json.dumps(pair) for pair in (["a", "1"], ["b", "2"], ["a", "1"], ["b", "3"], ["c", "4"])]
    assert pipeline_outputs.merge(lines) == ({"a": "1", "c": "4"}, 1)


def _suite_conftest(config: pytest.Config) -> object:
    """tests/conftest.py as pytest loaded it. Not `import conftest`: tests/cli/ and tests/verify/
    have their own, and pytest drops each one's `conftest` from sys.modules before the next."""
    own = Path(__file__).with_name("conftest.py").resolve()
    return next(
        plugin
        for plugin in config.pluginmanager.get_plugins()
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == own
    )


def test_a_pipeline_run_in_a_test_is_compared_with_its_recorded_result(monkeypatch, pytestconfig) -> None:
    checker = _suite_conftest(pytestconfig)._PIPELINE_OUTPUTS  # the fixture's checker
    if checker.record_to:
        pytest.skip("recording: runs are written, not compared")
    key = pipeline_outputs.input_key(LEGACY, [SoftmaxDim], Settings(), "example.py", None)
    monkeypatch.setitem(checker.recorded, key, "0" * 64)  # as if it had given something else
    pipeline.migrate_source(LEGACY, [SoftmaxDim], Settings(), filename="example.py")
    found = list(checker.differences)
    checker.differences.clear()  # this test's own difference is expected: not the fixture's failure
    assert found == ["[TU404] input starting 'import torch.nn.functional as F': now 1 records, code unchanged"]
    pipeline.migrate_source(LEGACY, [SoftmaxDim], Settings(), facts=object(), filename="example.py")
    assert checker.differences == []  # a run given cross-file facts is not compared


def test_the_recorded_results_are_digests_of_the_suites_inputs() -> None:
    recorded = pipeline_outputs.load()
    assert len(recorded) > 2000
    assert all(len(key) == len(value) == 64 for key, value in recorded.items())
