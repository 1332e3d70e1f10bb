"""Helpers for the verifier's tests: run ``torchup verify`` and read its JSON report.

A module of its own, not ``conftest``: two ``conftest.py`` (tests/cli, tests/verify) share the
name, and ``from conftest import`` found whichever pytest had imported first (under ``make mutate``,
which runs a mutant's tests in no fixed order, the wrong one).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
SCALER = FIXTURES / "scaler"
COUNTER = FIXTURES / "counter"


@dataclass(frozen=True)
class Verified:
    exit_code: int
    report: Dict[str, Any]
    stderr: str

    def check(self, name: str, model: int = 0) -> Dict[str, Any]:
        checks: List[Dict[str, Any]] = self.report["models"][model]["checks"]
        return next(check for check in checks if check["name"] == name)


def tree_state(root: Path, *, bytecode_allowed: bool) -> Dict[str, Tuple[Any, ...]]:
    """Every entry under ``root`` (links not followed): a file's bytes and mtime, a link's target.

    ``bytecode_allowed``: the NEW side imports the user's modules as Python does, which may
    write ``__pycache__``; the OLD side compiles its legacy source rewritten and must write none
    (``legacy_source.py``)."""
    state: Dict[str, Tuple[Any, ...]] = {}
    for directory, subdirectories, files in os.walk(root):
        for name in subdirectories + files:
            path = Path(directory) / name
            relative = path.relative_to(root)
            if bytecode_allowed and "__pycache__" in relative.parts:
                continue
            if path.is_symlink():
                state[str(relative)] = ("link", os.readlink(path))
            elif path.is_file():
                state[str(relative)] = ("file", path.read_bytes(), path.stat().st_mtime_ns)
            else:
                state[str(relative)] = ("directory",)
    return state


def user_trees(old: Path, new: Path) -> Dict[str, Dict[str, Tuple[Any, ...]]]:
    """The state of the trees a run is given (a directory, not a git revision), OLD's without any
    bytecode allowance unless it is NEW's tree too."""
    trees = {}
    if new.is_dir():
        trees["new"] = tree_state(new, bytecode_allowed=True)
    if old.is_dir():
        trees["old"] = tree_state(old, bytecode_allowed=old.resolve() == new.resolve())
    return trees


def run_verify(tmp_path: Path, old: Path, new: Path, *options: str) -> Verified:
    """Run ``torchup verify`` in-process; every run, whatever its verdict, must leave the user's
    trees as it found them: no file written, changed or touched (the sides exchange their files
    through the run's own work directory)."""
    from torchup.verify.command import verify

    report_path = tmp_path / "report.json"
    before = user_trees(old, new)
    result = CliRunner().invoke(verify, ["--old", str(old), "--new", str(new), "--report", str(report_path), *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    after = user_trees(old, new)
    for side, state in before.items():
        changed = sorted(set(state) ^ set(after[side]) | {p for p in state if after[side].get(p) != state[p]})
        assert not changed, f"torchup verify changed the {side.upper()} tree {old if side == 'old' else new}: {changed}"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return Verified(result.exit_code, report, result.stderr)


def verify_scaler(tmp_path: Path, new: Path, *options: str, old: Path = SCALER / "old") -> Verified:
    return run_verify(tmp_path, old, new, "--model", "scaler:Scaler", "--args", "[4]", "--input", "3x4", *options)
