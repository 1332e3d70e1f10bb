"""benchmarks/hand_mutations.py: its list of bug-like mutations is well formed, and an entry whose
snippet no longer matches is called stale instead of being run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import hand_mutations  # noqa: E402

ROOT = hand_mutations.ROOT


def test_each_mutation_has_a_unique_id_its_package_and_existing_test_files():
    ids = [mutation.id for mutation in hand_mutations.SWEEPS["all"]]
    assert len(ids) == len(set(ids))
    for mutation in hand_mutations.SWEEPS["all"]:
        expected = (
            "verify"
            if mutation.path.startswith("src/torchup/verify/")
            else "codemods" if mutation.path.startswith("codemods/") else "engine"
        )
        assert mutation.package == expected, mutation.id
        assert (ROOT / mutation.path).is_file(), mutation.id
        assert mutation.original != mutation.replacement and mutation.tests, mutation.id
        for test in mutation.tests:
            assert (ROOT / test).is_file(), (mutation.id, test)


@pytest.mark.parametrize(
    "source, reason",
    [
        pytest.param("x = a >= b\n", None, id="once"),
        pytest.param("x = a > b\n", "snippet not found", id="edited-since"),
        pytest.param("x = a >= b\ny = a >= b\n", "snippet found 2 times", id="ambiguous"),
    ],
)
def test_a_snippet_must_be_found_exactly_once(source, reason):
    mutation = hand_mutations.Mutation("m", "engine", "src/torchup/x.py", "a >= b", "a > b", "off by one", ("t.py",))
    assert hand_mutations.stale_reason(source, mutation) == reason
