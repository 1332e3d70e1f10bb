"""An interrupted run leaves every file either old or new, and no temporary file.

A real ``torchup fix -j2`` on a tree of many files is stopped once it has started writing: by
SIGINT (Ctrl-C), by SIGTERM, or by killing one of its worker processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

OLD = "import torch\nfrom torch.autograd import Variable\n\n" + "".join(
    f"def f{i}(a):\n    return Variable(a).data[0] + {i}\n\n" for i in range(60)
)
FILES = 120


def _new_text(tmp_path: Path) -> str:
    sample = tmp_path / "sample" / "m.py"
    sample.parent.mkdir()
    sample.write_text(OLD)
    subprocess.run([sys.executable, "-m", "torchup", "fix", "--no-cache", str(sample)], capture_output=True, check=False)
    new = sample.read_text()
    assert new != OLD
    return new


def _tree(root: Path) -> None:
    for i in range(FILES):
        path = root / f"pkg{i % 6}" / f"m{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(OLD)


def _children(pid: int):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_until_some_file_changed(root: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(path.read_text() != OLD for path in root.rglob("*.py")):
            return
        time.sleep(0.02)
    pytest.fail("the run never started writing, or finished before it could be interrupted")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the workers through /proc")
@pytest.mark.parametrize("how, code", [("SIGINT", 130), ("SIGTERM", 143), ("kill a worker", 123)])
def test_an_interrupted_run_leaves_each_file_old_or_new(tmp_path, how, code):
    new = _new_text(tmp_path)
    root = tmp_path / "repo"
    _tree(root)
    process = subprocess.Popen(
        [sys.executable, "-m", "torchup", "fix", "--no-cache", "-j2", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until_some_file_changed(root, process)
    if how == "kill a worker":
        workers = _children(process.pid)
        assert workers, "no worker process found"
        os.kill(workers[0], signal.SIGKILL)
    else:
        process.send_signal(signal.SIGINT if how == "SIGINT" else signal.SIGTERM)
    _, stderr = process.communicate(timeout=300)
    assert "Traceback" not in stderr
    if process.returncode != 0:  # 0: the run had finished before the signal came
        assert process.returncode == code, stderr
    contents = [path.read_text() for path in sorted(root.rglob("*.py"))]
    assert len(contents) == FILES
    assert all(text in (OLD, new) for text in contents)
    assert new in contents
    leftovers = [path for path in root.rglob("*") if path.is_file() and not path.name.endswith(".py")]
    assert leftovers == []
