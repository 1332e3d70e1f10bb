"""benchmarks/clause_mutations.py: each decision's mutants are made where the decision is, as
code that compiles, and a sample is the same for the same seed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import clause_mutations  # noqa: E402

SOURCE = '''\
def f(a, b, c):
    if a and not b:
        return 1
    elif (b or
          c):
        return 2
    return 3 if c else 4
'''


def mutated(text: str) -> dict:
    """Each mutant's text, by ``line:column:kind`` of the span it replaces."""
    found = {}
    for mutant in clause_mutations.mutants_of("src/torchup/x.py", text):
        kind = mutant.id.split("::")[2]
        column = mutant.start - text.rfind("\n", 0, mutant.start) - 1
        found[f"{mutant.line}:{column}:{kind}"] = mutant.applied_to(text)
    return found


def test_every_clause_guard_branch_and_negation_gets_a_mutant():
    results = mutated(SOURCE)
    assert results["2:7:drop-clause:0"].splitlines()[1] == "    if (not b):"
    assert results["2:7:drop-clause:1"].splitlines()[1] == "    if (a):"
    assert results["2:7:never-taken"].splitlines()[1] == "    if False:"
    assert results["2:13:not-dropped"].splitlines()[1] == "    if a and (b):"
    assert results["4:10:drop-clause:0"].splitlines()[3:5] == ["    elif ((c)):", "        return 2"]
    assert results["4:10:never-taken"].splitlines()[3] == "    elif (False):"
    assert results["7:16:else-always"].splitlines()[-1] == "    return 3 if False else 4"
    assert len(results) == 8
    for text in results.values():
        compile(text, "x.py", "exec")


def test_columns_after_non_ascii_text_on_the_line():
    # ast gives columns in UTF-8 bytes; the text is sliced in characters
    text = 'x = "é" if a or b else 0\n'
    results = mutated(text)
    assert results["1:11:drop-clause:1"] == 'x = "é" if (a) else 0\n'
    assert results["1:11:else-always"] == 'x = "é" if False else 0\n'


def test_ids_name_the_scope_and_survive_edits_elsewhere_in_the_file():
    ids = [mutant.id for mutant in clause_mutations.mutants_of("src/torchup/x.py", SOURCE)]
    assert sum(name.startswith("src/torchup/x.py::f::never-taken::") for name in ids) == 2
    shifted = [mutant.id for mutant in clause_mutations.mutants_of("src/torchup/x.py", "import os\n\n\n" + SOURCE)]
    assert shifted == ids
    twice = "def g(a, b):\n    return (a and b), (a and b)\n"
    names = [mutant.id for mutant in clause_mutations.mutants_of("src/torchup/x.py", twice)]
    assert len(set(names)) == len(names) == 4
    assert sum(name.endswith("#2") for name in names) == 2


def test_type_checking_blocks_are_left_alone():
    assert mutated("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n") == {}


def test_the_packages_and_sample_are_fixed_by_the_seed():
    mutants = clause_mutations.all_mutants()
    packages = {mutant.package for mutant in mutants}
    assert packages == {"verify", "engine", "codemods"}
    assert all(mutant.path.startswith("src/torchup/verify/") == (mutant.package == "verify") for mutant in mutants)
    first = clause_mutations.sample(mutants, 5, seed=7)
    assert first == clause_mutations.sample(mutants, 5, seed=7)
    assert first != clause_mutations.sample(mutants, 5, seed=8)
    assert sorted(mutant.package for mutant in first) == ["codemods"] * 5 + ["engine"] * 5 + ["verify"] * 5


def test_a_sample_of_the_real_mutants_compiles_and_every_module_has_test_files():
    mutants = clause_mutations.sample(clause_mutations.all_mutants(), 40, seed=2026)
    texts = {}
    for mutant in mutants:
        if mutant.path not in texts:
            texts[mutant.path] = (clause_mutations.ROOT / mutant.path).read_text(encoding="utf-8")
        assert texts[mutant.path][mutant.start : mutant.end] == mutant.before
        compile(mutant.applied_to(texts[mutant.path]), mutant.path, "exec")
    mapped = clause_mutations.test_files()
    assert {mutant.path for mutant in mutants} <= {path for path, tests in mapped.items() if tests}


def test_an_equivalent_mutant_needs_its_reason():
    listed = clause_mutations.equivalent("# comment\n\ncodemods/x.py::f::never-taken::abc123  a screen: only time\n")
    assert listed == {"codemods/x.py::f::never-taken::abc123": "a screen: only time"}
    with pytest.raises(SystemExit, match="has no reason"):
        clause_mutations.equivalent("codemods/x.py::f::never-taken::abc123\n")


def test_the_listed_equivalent_mutants_exist():
    mutants = {mutant.id for mutant in clause_mutations.all_mutants()}
    assert set(clause_mutations.equivalent()) <= mutants
