"""Outputs stay byte-identical: what ``fix --unsafe-fixes`` and ``check`` make of every corpus file
(and of the bench's generated legacy modules) must be what ``golden_outputs.json`` recorded.

Speed work on the engine must change no output: this is its guard. A deliberate change of what a
codemod does regenerates the data: ``.venv/bin/python tests/corpus/golden_outputs.py``.
"""

from __future__ import annotations

import json

import golden_outputs


def test_every_corpus_file_gives_the_recorded_outputs_and_findings():
    expected = golden_outputs.load()
    actual = golden_outputs.record_all()
    problems = [f"no longer in the corpus: {name}" for name in sorted(expected.keys() - actual.keys())]
    problems += [f"not recorded (regenerate the golden data): {name}" for name in sorted(actual.keys() - expected.keys())]
    for name in sorted(expected.keys() & actual.keys()):
        for run, recorded in expected[name].items():
            now = actual[name][run]
            if now != recorded:
                problems.append(f"{name} [{run}]:\n  recorded {json.dumps(recorded)}\n  now      {json.dumps(now)}")
    assert not problems, (
        "outputs differ from tests/corpus/golden_outputs.json "
        "(regenerate with `.venv/bin/python tests/corpus/golden_outputs.py` only for a deliberate change):\n"
        + "\n".join(problems)
    )


def test_the_golden_data_covers_every_legacy_tree():
    names = golden_outputs.load().keys()
    for key, tree in golden_outputs.trees():
        files = [p for p in tree.rglob("*.py") if "__pycache__" not in p.parts]
        assert files, key
        for path in files:
            assert f"{key}/{path.relative_to(tree).as_posix()}" in names
    assert sum(name.startswith(f"{golden_outputs.GENERATED}/") for name in names) == golden_outputs.GENERATED_MODULES
