"""``make mutate MUTATE_SAMPLE=N``: the seeded sample (benchmarks/mutation_sample.py) and the
sampled kill rate with its confidence interval (benchmarks/mutation_report.py --sample)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import mutation_report  # noqa: E402
import mutation_sample  # noqa: E402

NAMES = {
    "verify": [f"torchup.verify.compare.x_f__mutmut_{i}" for i in range(1, 41)],
    "engine": [f"torchup.report.x_g__mutmut_{i}" for i in range(1, 6)],
    "codemods": [f"torchup.codemods.buffers.x_h__mutmut_{i}" for i in range(1, 301)],
}


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    first = mutation_sample.draw(NAMES, 10, seed=7, packages=mutation_report.PACKAGES)
    assert first == mutation_sample.draw(NAMES, 10, seed=7, packages=mutation_report.PACKAGES)
    assert first != mutation_sample.draw(NAMES, 10, seed=8, packages=mutation_report.PACKAGES)
    assert {package: len(chosen) for package, chosen in first.items()} == {"verify": 10, "engine": 5, "codemods": 10}
    for package, chosen in first.items():
        assert set(chosen) <= set(NAMES[package]) and len(set(chosen)) == len(chosen)


def test_a_package_left_out_is_not_drawn():
    assert set(mutation_sample.draw(NAMES, 3, seed=1, packages=("codemods",))) == {"codemods"}


@pytest.mark.parametrize(
    "killed, run, expected",
    [
        pytest.param(95, 100, (0.8882, 0.9785), id="95-of-100"),
        pytest.param(100, 100, (0.9630, 1.0), id="all-killed"),
        pytest.param(0, 10, (0.0, 0.2775), id="none-killed"),
        pytest.param(120, 130, (0.8642, 0.9577), id="120-of-130"),
    ],
)
def test_wilson_interval(killed, run, expected):
    low, high = mutation_report.wilson_interval(killed, run)
    assert low == pytest.approx(expected[0], abs=5e-4) and high == pytest.approx(expected[1], abs=5e-4)
    assert low <= killed / run <= high


def test_the_report_counts_only_the_sampled_mutants(tmp_path, monkeypatch, capsys):
    mutants = tmp_path / "mutants"
    (mutants / "src").mkdir(parents=True)
    codes = {name: 1 for name in NAMES["verify"]}  # all killed ...
    codes[NAMES["verify"][0]] = 0  # ... but one survivor
    codes[NAMES["verify"][1]] = None  # and one the run never reached
    codes.update({name: 0 for name in NAMES["engine"]})  # every engine mutant survives, none is drawn
    (mutants / "src" / "x.py.meta").write_text(json.dumps({"exit_code_by_key": codes}))
    sample = {"verify": NAMES["verify"][:4], "codemods": []}
    sample_file = mutants / "sample.txt"
    mutation_sample.write_sample(sample_file, sample, NAMES, size=4, seed=3)
    monkeypatch.setattr(mutation_report, "MUTANTS", mutants)
    monkeypatch.setattr(mutation_report, "equivalent_mutants", lambda: {NAMES["verify"][2]: "test"})

    assert mutation_report.main(["--sample", str(sample_file)]) == 0
    out = capsys.readouterr().out
    assert "A RANDOM SAMPLE" in out and "--size 4 --seed 3" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split()[:1] in (["verify"], ["engine"])}
    # drawn 4 of 40: 1 killed, 1 survived, 1 equivalent, 1 not run -> 1 of 2, 50.0%
    assert rows["verify"][:6] == ["verify", "4", "40", "1", "2", "50.0%"]
    assert rows["verify"][6] == "9.5-90.5%"
    assert rows["engine"][:6] == ["engine", "0", "0", "0", "0", "-"]
    assert f"survived   {NAMES['verify'][0]}" in out
    assert NAMES["engine"][0] not in out
