"""The tail of a side's stderr that a crashed worker's error shows (``SideProcess._stderr_tail``).

A worker's stderr is whatever the user's model printed: it need not be UTF-8. The tail is read
in-process here (mutmut maps tests to functions only in pytest's own process); one test starts a
real worker, to see what a side that dies mid-run is reported as.
"""

from __future__ import annotations

import os
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


DIES_IN_FORWARD = """
import os
import sys

import torch


class Dies(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)

    def forward(self, x):
        print("about to die", file=sys.stderr, flush=True)
        os._exit(3)
"""


def test_a_worker_that_dies_mid_run_is_reported_at_the_command_it_was_running(tmp_path):
    root, workdir = tmp_path / "root", tmp_path / "work"
    root.mkdir()
    workdir.mkdir()
    module = f"dies_{os.getpid()}"
    (root / f"{module}.py").write_text(DIES_IN_FORWARD)
    spec = {
        "model": f"{module}:Dies",
        "args": [],
        "kwargs": {},
        "inputs": [{"shape": [2, 3], "dtype": "float32", "high": None, "low": 0}],
        "inputs_fn": None,
        "seed": 0,
        "mode": "eval",
    }
    side = SideProcess("new", root, spec, workdir, legacy=False, shim=False)
    try:
        started = side.receive()
        assert started.error is None  # built: the model dies only in forward
        reply = side.ask("run", mode="eval")
    finally:
        side.close()
    assert reply.error is not None and reply.fields == {}
    assert reply.error.side == "new" and reply.error.step == "run"
    assert reply.error.message == "the worker exited with status 3"
    assert reply.error.traceback_tail.endswith("about to die")


REPORTS_ITS_GPUS = """
import os


class Reports:
    def __init__(self):
        raise RuntimeError("sees CUDA_VISIBLE_DEVICES=%r" % os.environ.get("CUDA_VISIBLE_DEVICES"))
"""


def test_a_gpu_side_sees_the_gpus_of_the_users_environment(tmp_path, monkeypatch):
    # CPU sides fork from a server that hides every GPU; a GPU side must be a fresh interpreter
    # that sees the devices the user's environment names, or the GPU check finds no CUDA.
    root, workdir = tmp_path / "root", tmp_path / "work"
    root.mkdir()
    workdir.mkdir()
    module = f"reports_{os.getpid()}"
    (root / f"{module}.py").write_text(REPORTS_ITS_GPUS)
    spec = {"model": f"{module}:Reports", "args": [], "kwargs": {}, "inputs": [], "inputs_fn": None, "seed": 0, "mode": "eval"}
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "7")
    seen = {}
    for gpu in (True, False):
        side = SideProcess(f"new_{gpu}", root, spec, workdir, legacy=False, shim=False, gpu=gpu)
        try:
            seen[gpu] = side.receive().error.message
        finally:
            side.close()
    assert seen[True] == "RuntimeError: sees CUDA_VISIBLE_DEVICES='7'"
    assert seen[False] == "RuntimeError: sees CUDA_VISIBLE_DEVICES=''"
