"""The tail of a side's stderr that a crashed worker's error shows (``SideProcess._stderr_tail``).

A worker's stderr is whatever the user's model printed: it need not be UTF-8. The tail is read
in-process here (mutmut maps tests to functions only in pytest's own process).
"""

from __future__ import annotations

from pathlib import Path

from torchup.verify.sides import STDERR_TAIL_LINES, SideProcess


def side_with_stderr(path: Path) -> SideProcess:
    side = object.__new__(SideProcess)  # no worker started: only the stderr file is read
    side.stderr_path = path
    return side


def test_undecodable_bytes_are_replaced_not_raised(tmp_path):
    path = tmp_path / "old_stderr.txt"
    path.write_bytes(b"loading\n\xff\xfe caf\xe9\nTraceback (most recent call last)\n")
    assert side_with_stderr(path)._stderr_tail() == "loading\n\ufffd\ufffd caf\ufffd\nTraceback (most recent call last)"


def test_only_the_last_lines_are_kept(tmp_path):
    path = tmp_path / "new_stderr.txt"
    path.write_text("".join(f"line {n}\n" for n in range(40)))
    tail = side_with_stderr(path)._stderr_tail().splitlines()
    assert tail == [f"line {n}" for n in range(40 - STDERR_TAIL_LINES, 40)]


def test_no_stderr_file_is_an_empty_tail(tmp_path):
    assert side_with_stderr(tmp_path / "missing.txt")._stderr_tail() == ""
