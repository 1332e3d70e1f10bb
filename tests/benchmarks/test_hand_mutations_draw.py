"""benchmarks/hand_mutations.py --draw: a blind sweep's locations are drawn reproducibly, and each
is an innermost statement (not a docstring) of the engine, the verifier or the codemods."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import hand_mutations  # noqa: E402

ROOT = hand_mutations.ROOT


def _innermost_statement_lines(path: str) -> set:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt) and not any(isinstance(inner, ast.stmt) for inner in ast.walk(node) if inner is not node)
    }


def test_the_same_seed_draws_the_same_locations_and_another_seed_others():
    first = hand_mutations.draw(20, 2812)
    assert first == hand_mutations.draw(20, 2812)
    assert first != hand_mutations.draw(20, 2813)
    assert len(set(first)) == 20


def test_every_drawn_location_is_an_innermost_statement_of_a_listed_file(capsys):
    assert hand_mutations.main(["--draw", "40", "--seed", "7"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 40
    for line in printed:
        path, number, text = line.split(":", 2)
        assert path.startswith(("src/torchup/", "codemods/")) and path.endswith(".py"), line
        assert path != "codemods/_build_legacy_api.py", line
        assert int(number) in _innermost_statement_lines(path), line
        source_line = (ROOT / path).read_text(encoding="utf-8").splitlines()[int(number) - 1]
        assert source_line.strip() == text.strip(), line


def test_compound_statements_docstrings_and_the_legacy_api_builder_are_not_drawn():
    locations = hand_mutations.statement_locations()
    paths = {path for path, _, _ in locations}
    assert "codemods/_build_legacy_api.py" not in paths
    assert {"src/torchup/cli.py", "src/torchup/verify/compare.py", "codemods/volatile.py"} <= paths
    texts = [text for _, _, text in locations]
    assert not any(text.startswith(('"""', "def ", "class ", "if ", "for ", "with ", "try:")) for text in texts)
    assert len(locations) == len(set(locations))


def test_a_draw_given_packages_draws_only_from_them(capsys):
    assert hand_mutations.main(["--draw", "30", "--seed", "7", "--package", "verify"]) == 0
    paths = [line.split(":", 1)[0] for line in capsys.readouterr().out.splitlines()]
    assert len(paths) == 30 and all(path.startswith("src/torchup/verify/") for path in paths)
    engine = hand_mutations.draw(30, 7, packages=("engine",))
    assert all(path.startswith("src/torchup/") and not path.startswith("src/torchup/verify/") for path, _, _ in engine)
    # no package given: every package, as before
    assert {hand_mutations.package_of(path) for path, _, _ in hand_mutations.draw(200, 7)} == {"verify", "engine", "codemods"}
