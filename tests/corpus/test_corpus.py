"""The corpus, end to end: every ``corpus/<case>/`` is migrated by the CLI, compared with its
``expected/`` migration byte for byte, migrated again (nothing may change), and verified old vs new.

Cases are data: this module collects every ``corpus/*/verify.toml``, so adding a case is adding
files. A case whose ``verify.toml`` says ``xfail = "reason"`` is one a codemod does not cover yet;
it must fail (strict), so the day it starts passing the marker has to go.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# Fails on the legacy side by design: it lists the leaks that the migration removed.
INFORMATIONAL_CHECKS = frozenset({"old_device_leaks"})
ACCEPTED_STATUSES = frozenset({"pass", "not checked"})
# Subprocess budget per CLI call: the verifier starts two torch processes per model.
CLI_TIMEOUT_S = 600


def _case_params() -> List[object]:
    params = []
    for spec_path in sorted(CORPUS.glob("*/verify.toml")):
        with spec_path.open("rb") as handle:
            spec = tomllib.load(handle)
        marks = []
        if "xfail" in spec:
            marks.append(pytest.mark.xfail(reason=spec["xfail"], strict=True))
        params.append(pytest.param(spec_path.parent, id=spec_path.parent.name, marks=marks))
    return params


def _files(root: Path) -> Dict[str, bytes]:
    """Every file under ``root`` by its POSIX path relative to ``root``, bytecode caches excluded."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _torchup(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # cwd outside the repository: no project config or cache of ours leaks into a case.
    return subprocess.run(
        [sys.executable, "-m", "torchup", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )


def _explain(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def _differences(expected: Dict[str, bytes], actual: Dict[str, bytes]) -> List[str]:
    problems = []
    for name in sorted(expected.keys() - actual.keys()):
        problems.append(f"missing from the migration: {name}")
    for name in sorted(actual.keys() - expected.keys()):
        problems.append(f"not in expected/: {name}")
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] == actual[name]:
            continue
        diff = difflib.unified_diff(
            expected[name].decode("utf-8", "replace").splitlines(keepends=True),
            actual[name].decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"expected/{name}",
            tofile=f"migrated/{name}",
        )
        problems.append("".join(diff) or f"{name}: differs in bytes only (line endings?)")
    return problems


def _check_statuses(report: dict) -> Iterator[Tuple[str, str, str]]:
    """(model, check, status) for every check of every model in a ``verify --report`` document."""
    for model in report["models"]:
        for check in model["checks"]:
            yield model["name"], check["name"], check["status"]


@pytest.mark.parametrize("case", _case_params())
def test_case_migrates_to_expected_and_verifies(case: Path, tmp_path: Path) -> None:
    legacy = case / "legacy"
    expected = case / "expected"
    if not expected.is_dir():
        pytest.skip(f"{case.name}: no expected/ migration written yet (corpus/{case.name}/expected/)")

    migrated = tmp_path / "migrated"
    shutil.copytree(legacy, migrated, ignore=shutil.ignore_patterns("__pycache__"))

    fixed = _torchup("fix", "--unsafe-fixes", "--no-color", str(migrated), cwd=tmp_path)
    assert fixed.returncode == 0, f"torchup fix failed on {case.name}: {_explain(fixed)}"

    problems = _differences(_files(expected), _files(migrated))
    assert not problems, f"{case.name}: migration differs from expected/:\n" + "\n".join(problems)

    again = _torchup("fix", "--check", "--unsafe-fixes", "--no-color", str(migrated), cwd=tmp_path)
    assert again.returncode == 0, f"{case.name}: a second pass would change the migration: {_explain(again)}"

    report_path = tmp_path / "verify.json"
    verified = _torchup(
        "verify",
        "--old", str(legacy),
        "--new", str(migrated),
        "--spec", str(case / "verify.toml"),
        "--report", str(report_path),
        cwd=tmp_path,
    )
    # A case whose legacy code raises on torch 2.x says `expect = "legacy does not run"`: verify
    # must say so (exit 3) and the migrated model must pass every check it gets alone.
    with (case / "verify.toml").open("rb") as handle:
        expected_verdict = tomllib.load(handle).get("expect", "equivalent")
    expected_exit = {"equivalent": 0, "legacy does not run": 3}[expected_verdict]
    assert verified.returncode == expected_exit, f"{case.name}: torchup verify: {_explain(verified)}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["verdict"] == expected_verdict, f"{case.name}: {report['verdict']}"
    statuses = list(_check_statuses(report))
    assert statuses, f"{case.name}: the verify report lists no checks: {report}"
    failing = [
        f"{model}: {check} is {status!r}"
        for model, check, status in statuses
        if check not in INFORMATIONAL_CHECKS and status not in ACCEPTED_STATUSES
    ]
    assert not failing, f"{case.name}: " + "; ".join(failing)
