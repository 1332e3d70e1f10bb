"""Helpers for the verifier's tests: run ``torchup verify`` and read its JSON report.

A module of its own, not ``conftest``: two ``conftest.py`` (tests/cli, tests/verify) share the
name, and ``from conftest import`` found whichever pytest had imported first (under ``make mutate``,
which runs a mutant's tests in no fixed order, the wrong one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

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


def run_verify(tmp_path: Path, old: Path, new: Path, *options: str) -> Verified:
    from torchup.verify.command import verify

    report_path = tmp_path / "report.json"
    result = CliRunner().invoke(verify, ["--old", str(old), "--new", str(new), "--report", str(report_path), *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return Verified(result.exit_code, report, result.stderr)


def verify_scaler(tmp_path: Path, new: Path, *options: str, old: Path = SCALER / "old") -> Verified:
    return run_verify(tmp_path, old, new, "--model", "scaler:Scaler", "--args", "[4]", "--input", "3x4", *options)
