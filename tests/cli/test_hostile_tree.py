"""Issue 17's check: a tree of hostile files beside good ones.

No traceback, the good files migrated, each hostile one reported with its path, exit 123 (never
1), nothing lost: every hostile file is byte for byte as it was and no temporary file is left.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from torchup.cli import main

GOOD = "import torch\nfrom torch.autograd import Variable\nx = Variable(torch.zeros(3))\n"
GOOD_FIXED = "import torch\nx = torch.zeros(3)\n"
SUM_TERMS = 2000
LONG_FILE_LINES = 20_000


def _long_legacy_file() -> str:
    lines = ["import torch", "from torch.autograd import Variable", ""]
    for i in range((LONG_FILE_LINES - 3) // 4):
        lines += [f"def f{i}(a):", f"    b = Variable(a)", f"    return b + {i}", ""]
    return "\n".join(lines) + "\n"


def _hostile_tree(root: Path, *, long_files: bool = True) -> dict:
    """Build the tree; returns {relative name: why it must be reported} for the hostile files.
    The two long files (half a minute of parsing) are left out where they would repeat a run."""
    (root / "pkg").mkdir(parents=True)
    (root / "good.py").write_text(GOOD)
    (root / "pkg" / "good.py").write_text(GOOD)
    (root / "modern.py").write_text("import torch\nx = torch.zeros(3)\n")
    if long_files:
        terms = " + ".join("Variable(a)" for _ in range(SUM_TERMS))
        (root / "long_sum.py").write_text(f"{GOOD}y = {terms}\n")
        (root / "long_file.py").write_text(_long_legacy_file())
    (root / "s1.py").symlink_to(root / "s2.py")
    (root / "s2.py").symlink_to(root / "s1.py")
    os.mkfifo(root / "fifo.py")
    (root / "binary.py").write_bytes(b"\x7fELF\x02\x01\x01\x00Variable" + bytes(range(256)))
    (root / "wide.py").write_bytes(GOOD.encode("utf-16"))
    (root / "truncated.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ["Variable(x)"')
    (root / "no_cells.ipynb").write_text(json.dumps({"cells": "Variable(x)", "nbformat": 4}))
    (root / "locked").mkdir()
    (root / "locked" / "inside.py").write_text(GOOD)
    (root / "secret.py").write_text(GOOD)
    return {
        "s1.py": "symlink loop",
        "s2.py": "symlink loop",
        "fifo.py": "not a regular file (a FIFO)",
        "binary.py": "binary file",
        "wide.py": "UTF-16 (little-endian) byte order mark",
        "truncated.ipynb": "",
        "no_cells.ipynb": "",
        "locked": "cannot list directory: permission denied",
        "secret.py": "cannot read: Permission denied",
    }


def _lock(monkeypatch, root: Path) -> None:
    """``locked/`` cannot be listed and ``secret.py`` cannot be read. The tests run as root, who
    may do both; on a normal account chmod does it for real."""
    if os.geteuid() != 0:
        (root / "secret.py").chmod(0)
        (root / "locked").chmod(0)
        return
    real_scandir, real_read = os.scandir, pathlib.Path.read_bytes

    def scandir(path="."):
        if Path(path) == root / "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def read_bytes(self):
        if self == root / "secret.py":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)


def _unlock(monkeypatch, root: Path) -> None:
    monkeypatch.undo()
    if os.geteuid() != 0:
        (root / "secret.py").chmod(0o644)
        (root / "locked").chmod(0o755)


def _contents(root: Path) -> dict:
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = ("link", os.readlink(path))
        elif path.is_fifo() or path.is_dir():
            found[name] = ("special", None)
        else:
            found[name] = ("file", path.read_bytes())
    return found


@pytest.mark.parametrize("command", [["fix"], ["check"]])
def test_hostile_files_beside_good_ones(tmp_path, monkeypatch, command):
    root = tmp_path / "repo"
    hostile = _hostile_tree(root, long_files=command == ["fix"])
    before = _contents(root)
    _lock(monkeypatch, root)
    result = CliRunner().invoke(main, [*command, "--no-cache", "-j1", str(root)], catch_exceptions=False)
    _unlock(monkeypatch, root)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exit_code == 123, output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for name, reason in hostile.items():
        line = next((line for line in errors if f"{root / name}:" in line), None)
        assert line is not None, f"{name} not reported:\n{result.stderr}"
        assert reason in line, line
    assert len(errors) == len(hostile), errors
    after = _contents(root)
    if command == ["fix"]:
        assert after.pop("good.py")[1] == GOOD_FIXED.encode()
        assert after.pop("pkg/good.py")[1] == GOOD_FIXED.encode()
        long_sum = after.pop("long_sum.py")[1].decode()
        assert long_sum.endswith("y = " + " + ".join("a" for _ in range(SUM_TERMS)) + "\n")
        long_file = after.pop("long_file.py")[1].decode()
        assert "Variable" not in long_file and long_file.count("\n") == LONG_FILE_LINES - 2
        for name in ("good.py", "pkg/good.py", "long_sum.py", "long_file.py"):
            before.pop(name)
    assert after == before  # the hostile files, the modern one, and no temporary file


def test_a_file_over_the_size_limit_is_reported_and_left(tmp_path):
    big = tmp_path / "big.py"
    big.write_text(GOOD + "# padding\n" * 2000)
    small = tmp_path / "small.py"
    small.write_text(GOOD)
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--max-file-size", "10K", str(tmp_path)])
    assert result.exit_code == 123
    assert f"error: skipped {big}: 0.0 MiB is over --max-file-size" in result.stderr or f"{big}:" in result.stderr
    assert "is over --max-file-size (0.0 MiB)" in result.stderr
    assert big.read_text() == GOOD + "# padding\n" * 2000 and small.read_text() == GOOD_FIXED
    unlimited = CliRunner().invoke(main, ["fix", "--no-cache", "--max-file-size", "0", str(big)])
    assert unlimited.exit_code == 0 and big.read_text().startswith(GOOD_FIXED)


def test_a_file_of_exactly_the_size_limit_is_migrated_and_one_byte_more_is_not(tmp_path):
    exact, over = tmp_path / "exact.py", tmp_path / "over.py"
    exact.write_text(GOOD)
    over.write_text(GOOD + "\n")
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--max-file-size", str(len(GOOD)), str(tmp_path)])
    assert result.exit_code == 123 and f"{over}" in result.stderr and f"{exact}" not in result.stderr
    assert exact.read_text() == GOOD_FIXED and over.read_text() == GOOD + "\n"


def test_a_large_file_no_codemod_would_parse_is_skipped_not_refused(tmp_path):
    # The limit guards the parse; a file the prefilter skips is never parsed, whatever its size:
    # one without a marker, and one whose only marker is a look-alike (`qr` in `sqrt`).
    (tmp_path / "modern.py").write_text("import os\n" + "width = os.sep * 2\n" * 2000)
    (tmp_path / "maths.py").write_text("import math\n" + "y = math.sqrt(2.0)\n" * 2000)
    result = CliRunner().invoke(main, ["fix", "--check", "--no-cache", "--max-file-size", "1K", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert "max-file-size" not in result.stderr


def test_a_large_file_whose_only_legacy_code_is_async_is_refused_not_skipped(tmp_path):
    # `x.cuda(async=True)` names no codemod's marker but TU303's rename runs in the parser: over
    # the limit, the file would be parsed, so it is reported; with TU303 left out it is not.
    big = tmp_path / "copying.py"
    text = "import copy\n" + "y = 1\n" * 2000 + "z = copy.copy(x, async=True)\n"
    big.write_text(text)
    result = CliRunner().invoke(main, ["fix", "--no-cache", "--max-file-size", "1K", str(big)])
    assert result.exit_code == 123
    assert "is over --max-file-size" in result.stderr
    assert big.read_text() == text
    without = CliRunner().invoke(main, ["fix", "--no-cache", "--ignore", "TU303", "--max-file-size", "1K", str(big)])
    assert without.exit_code == 0, without.stderr
    assert "max-file-size" not in without.stderr


@pytest.mark.parametrize("value, expected", [("0", 0), ("500", 500), ("2M", 2 * 2**20), ("1.5k", 1536), ("3MiB", 3 * 2**20)])
def test_max_file_size_units(value, expected):
    from torchup.cli import _parse_size

    assert _parse_size(None, None, value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["", "big", "-1M", "2X"])
def test_a_malformed_size_is_a_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["fix", "--max-file-size", value, str(tmp_path)])
    assert result.exit_code == 2


def test_a_missing_path_on_the_command_line_is_reported_like_one_in_files_from(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    gone = tmp_path / "gone.py"
    direct = CliRunner().invoke(main, ["fix", "--check", "--no-cache", str(tmp_path / "good.py"), str(gone)])
    listed = CliRunner().invoke(
        main, ["fix", "--check", "--no-cache", "--files-from", "-"], input=f"{tmp_path / 'good.py'}\n{gone}\n"
    )
    for result in (direct, listed):
        assert result.exit_code == 123
        assert f"error: cannot process {gone}: does not exist" in result.stderr
        assert f"would rewrite {tmp_path / 'good.py'}" in result.stderr  # the rest still runs


def test_an_internal_error_is_123_with_its_traceback_never_1(tmp_path, monkeypatch):
    import torchup.cli as cli

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "discover", broken)
    result = CliRunner().invoke(main, ["fix", str(tmp_path)])
    assert result.exit_code == 123
    assert "RuntimeError: a bug" in result.stderr and "internal error" in result.stderr


def test_the_command_line_run_shows_no_traceback(tmp_path):
    """The same tree through a real process and the process pool (root or not: nothing locked)."""
    root = tmp_path / "repo"
    hostile = _hostile_tree(root, long_files=False)
    for name in ("locked", "secret.py"):
        hostile.pop(name)
    result = subprocess.run(
        [sys.executable, "-m", "torchup", "fix", "--no-cache", "-j2", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 123, result.stderr
    assert "Traceback" not in result.stderr
    for name in hostile:
        assert f"{root / name}:" in result.stderr, name
    assert (root / "good.py").read_text() == GOOD_FIXED


def test_the_size_message_gives_size_limit_and_the_memory_a_parse_could_take():
    from torchup.runner import too_large

    assert too_large(3 * 2**20, 2**20) == (
        "3.0 MiB is over --max-file-size (1.0 MiB): parsing it could take 2.3 GiB of memory; "
        "skipped (raise the limit to migrate it)"
    )


@pytest.mark.parametrize(
    "value, size",
    [("1G", 2**30), ("1.5MB", 3 * 2**19), ("500k", 500 * 2**10), ("2MiB", 2 * 2**20), ("3000000", 3000000), ("0", 0)],
)
def test_sizes_are_counted_in_powers_of_1024(value, size):
    from torchup.cli import _parse_size

    assert _parse_size(None, None, value) == size


@pytest.mark.parametrize("value", ["nan", "-1K", "big", "inf"])
def test_a_size_that_is_no_number_of_bytes_is_a_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["fix", "--max-file-size", value, str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"expected a size such as 2M, 500K or 3000000, got {value!r}" in result.stderr
