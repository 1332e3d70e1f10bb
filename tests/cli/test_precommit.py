"""The pre-commit hooks: the manifest is valid, its entries run, and pre-commit runs them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from legacy_files import LEGACY

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
FIXED = LEGACY.replace("async=", "non_blocking=")


def hooks() -> List[Dict[str, object]]:
    yaml = pytest.importorskip("yaml")
    loaded = yaml.safe_load(MANIFEST.read_text())
    assert isinstance(loaded, list)
    return loaded


def entry_command(entry: str) -> List[str]:
    """The hook's entry as pre-commit would run it: the installed ``torchup`` script when there
    is one beside this interpreter, else the same program through ``python -m torchup``."""
    program, *args = shlex.split(entry)
    assert program == "torchup"
    script = Path(sys.executable).with_name("torchup")
    return [str(script) if script.exists() else sys.executable, *([] if script.exists() else ["-m", "torchup"]), *args]


def test_manifest_declares_the_torchup_hooks():
    declared = {hook["id"]: hook for hook in hooks()}
    assert set(declared) == {"torchup-fix", "torchup-check"}
    for hook_id, hook in declared.items():
        assert hook_id.startswith("torchup")
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "jupyter"]  # notebooks are migrated too
        assert hook.get("pass_filenames", True) is True
        assert hook["require_serial"] is False
    assert declared["torchup-fix"]["entry"] == "torchup fix"
    assert declared["torchup-check"]["entry"] == "torchup check"


def test_pre_commit_accepts_the_manifest():
    if shutil.which("pre-commit") is None and not Path(sys.executable).with_name("pre-commit").exists():
        pytest.skip("pre-commit is not installed")
    program = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    result = subprocess.run([program, "validate-manifest", str(MANIFEST)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("hook_id", ["torchup-fix", "torchup-check"])
def test_an_entry_with_no_files_is_a_clean_exit(hook_id, tmp_path):
    # pre-commit can call a hook with no filenames; a crash there fails every commit.
    (entry,) = [hook["entry"] for hook in hooks() if hook["id"] == hook_id]
    result = subprocess.run(entry_command(str(entry)), cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_the_entries_fix_and_check_the_files_they_are_given(tmp_path):
    entries = {hook["id"]: str(hook["entry"]) for hook in hooks()}
    target = tmp_path / "train.py"
    target.write_text(LEGACY)
    check = subprocess.run([*entry_command(entries["torchup-check"]), str(target)], capture_output=True, text=True)
    assert check.returncode == 1 and "TU303" in check.stdout
    assert target.read_text() == LEGACY
    fix = subprocess.run([*entry_command(entries["torchup-fix"]), str(target)], capture_output=True, text=True)
    assert fix.returncode == 0, fix.stderr
    assert target.read_text() == FIXED


# -- a real pre-commit run ---------------------------------------------------------------------

# pip's words when the hook's environment cannot be built for want of a network or an index.
OFFLINE = (
    "Could not find a version",
    "No matching distribution",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Max retries exceeded",
    "ReadTimeoutError",
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=torchup tests", "-c", "user.email=tests@torchup.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def hook_repository(destination: Path) -> Path:
    """A one-commit git repository of the project as it is on disk now (tracked files and new
    files git does not ignore): pre-commit only installs hooks from a commit, and neither the
    owner's uncommitted work nor the checkout's git state should decide what is tested."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        pytest.skip("the project is not a git checkout")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted on disk is listed too
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    git("init", "-q", cwd=destination)
    git("add", "-A", cwd=destination)
    git("commit", "-q", "-m", "torchup as on disk", cwd=destination)
    return destination


def try_repo(hooks_repo: Path, hook_id: str, work: Path, env: Dict[str, str]) -> subprocess.CompletedProcess:
    program = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    try:
        result = subprocess.run(
            [program, "try-repo", str(hooks_repo), hook_id, "--files", "train.py"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("pre-commit took over 4 minutes to build the hook environment (slow network?)")
    output = result.stdout + result.stderr
    if result.returncode == 3 and any(words in output for words in OFFLINE):
        pytest.skip("pre-commit could not install torchup's dependencies (offline?)")
    return result


@pytest.mark.slow
def test_pre_commit_try_repo_fixes_then_passes(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if shutil.which("pre-commit") is None and not Path(sys.executable).with_name("pre-commit").exists():
        pytest.skip("pre-commit is not installed")
    hooks_repo = hook_repository(tmp_path / "torchup")
    work = tmp_path / "project"
    work.mkdir()
    git("init", "-q", cwd=work)
    (work / "train.py").write_text(LEGACY)
    git("add", "train.py", cwd=work)  # pre-commit judges a hook by the changes it leaves in git
    # a private pre-commit home and a short pip timeout: no shared cache, no hanging when offline
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DEFAULT_TIMEOUT": "20"}

    fixed = try_repo(hooks_repo, "torchup-fix", work, env)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "torchup fix" in fixed.stdout and "Failed" in fixed.stdout
    assert "files were modified by this hook" in fixed.stdout
    assert (work / "train.py").read_text() == FIXED

    git("add", "train.py", cwd=work)
    checked = try_repo(hooks_repo, "torchup-check", work, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "torchup check" in checked.stdout and "Passed" in checked.stdout
