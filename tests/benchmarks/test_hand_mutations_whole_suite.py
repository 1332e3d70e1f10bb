"""benchmarks/hand_mutations.py --whole-suite: a mutation that survives its mapped test files is run
against the whole suite, and one that only a test outside its mapping kills is counted as killed,
apart from those the mapped tests kill. Run on a project of three files, not on torchup itself."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import hand_mutations  # noqa: E402

LIMITS = "def clamp(x):\n    return min(x, 10)\n"
# The mapped file checks a small value only; the rest of the suite checks a large one.
MAPPED_TEST = "from torchup.limits import clamp\n\n\ndef test_small():\n    assert clamp(3) == 3\n"
REST_TEST = "from torchup.limits import clamp\n\n\ndef test_large():\n    assert clamp(30) == 10\n"


def _project(root: Path, rest_test: str = REST_TEST) -> None:
    files = {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "src/torchup/__init__.py": "",
        "src/torchup/limits.py": LIMITS,
        # run() checks that torchup.codemods is imported from the copy, as make mutate links it.
        "codemods/__init__.py": "",
        "codemods/variable.py": "",
        "tests/test_mapped.py": MAPPED_TEST,
        "tests/test_rest.py": rest_test,
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


def _mutation(identifier: str, replacement: str) -> hand_mutations.Mutation:
    return hand_mutations.Mutation(
        identifier, "engine", "src/torchup/limits.py", "min(x, 10)", replacement, "a bug", ("tests/test_mapped.py",)
    )


MUTATIONS = (
    _mutation("mapped-kills", "None"),  # clamp(3) is None
    _mutation("suite-kills", "x"),  # clamp(3) is still 3; clamp(30) is 30
    _mutation("survives", "min(10, x)"),  # the same function
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = (tmp_path / "project").resolve()
    _project(root)
    monkeypatch.setattr(hand_mutations, "ROOT", root)
    return root


def test_without_the_whole_suite_a_mutation_only_the_rest_kills_survives(project, capsys):
    counts = hand_mutations.run(MUTATIONS, timeout=120, baseline=True)
    assert counts["engine"] == {"killed": 1, "survived": 2}
    assert "whole suite" not in capsys.readouterr().out


def test_with_the_whole_suite_it_is_killed_by_the_suite_and_counted_apart(project, capsys):
    counts = hand_mutations.run(MUTATIONS, timeout=120, baseline=True, whole_suite=True, suite_timeout=120)
    assert counts["engine"] == {"killed": 1, "killed_by_suite": 1, "survived": 1}
    out = capsys.readouterr().out
    assert "KILLED    engine   mapped-kills" in out
    assert "KILLED-BY-SUITE engine   suite-kills" in out
    assert "SURVIVED  engine   survives" in out
    assert out.count("clean copy: the whole suite, exit 0") == 1
    # The copy's file is put back after each mutation, so the project is untouched too.
    assert (project / "src/torchup/limits.py").read_text(encoding="utf-8") == LIMITS

    hand_mutations.print_summary(counts, whole_suite=True)
    summary = capsys.readouterr().out.splitlines()
    assert summary[1].split()[-6:] == ["stale", "by", "mapped", "by", "suite", "survived"]
    assert summary[3].split() == ["engine", "2/3", "67%", "0", "1", "1", "1"]
    assert summary[-1].split() == ["all", "2/3", "67%", "0", "1", "1", "1"]


def test_a_whole_suite_that_fails_clean_stops_the_run_instead_of_killing_every_survivor(project, capsys):
    (project / "tests/test_rest.py").write_text(REST_TEST.replace("== 10", "== 11"), encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        hand_mutations.run(MUTATIONS[2:], timeout=120, baseline=True, whole_suite=True, suite_timeout=120)
    assert stopped.value.code == 2
    assert "clean copy: the whole suite, exit 1" in capsys.readouterr().out


def test_no_whole_suite_run_when_every_mutation_is_killed_by_its_mapped_tests(project, capsys):
    counts = hand_mutations.run(MUTATIONS[:1], timeout=120, baseline=True, whole_suite=True, suite_timeout=120)
    assert counts["engine"] == {"killed": 1}
    assert "whole suite" not in capsys.readouterr().out
