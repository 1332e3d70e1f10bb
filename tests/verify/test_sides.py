"""The sides in this process: where their roots are (``resolve_roots``) and what a worker that
gives no answer, or will not quit, is reported as (``SideProcess``, with stand-ins for its pipe and
process: no worker starts here; test_side_stderr.py and test_timeout.py start real ones)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import List

import pytest

from torchup.verify.sides import RootError, SideProcess, resolve_roots


class SilentPipe:
    """A pipe whose other end never writes nor closes: a worker killed before it could."""

    def __init__(self) -> None:
        self.sent: List[dict] = []
        self.closed = False
        self.polls = 0

    def poll(self, timeout: float) -> bool:
        self.polls += 1
        if self.polls > 3:  # a real wait would be forever: fail instead
            raise AssertionError("still waiting on a worker that is not alive")
        return False

    def send(self, document: dict) -> None:
        self.sent.append(document)

    def close(self) -> None:
        self.closed = True


class Process:
    def __init__(self, alive: bool, exitcode=None) -> None:
        self.alive, self.exitcode = alive, exitcode
        self.calls: List[str] = []

    def is_alive(self) -> bool:
        return self.alive

    def join(self, timeout=None) -> None:
        self.calls.append("join" if timeout is None else f"join {timeout:g}")

    def kill(self) -> None:
        self.calls.append("kill")
        self.alive = False


def side_process(tmp_path: Path, process: Process, timeout=None) -> SideProcess:
    side = object.__new__(SideProcess)  # no worker started
    side.side, side.timeout, side.last_command = "old", timeout, "build"
    side.connection, side.process = SilentPipe(), process
    side.stderr_path = tmp_path / "old_stderr.txt"
    side.stderr_path.write_text("loading legacy weights\nSegmentation fault\n")
    return side


def test_a_worker_dead_without_closing_its_pipe_is_reported_at_once_as_the_models_fault(tmp_path):
    # no --timeout: without the liveness check this would wait forever
    side = side_process(tmp_path, Process(alive=False, exitcode=-11))
    side.send("run", mode="eval")
    reply = side.receive()
    assert reply.fields == {}
    error = reply.error
    assert (error.side, error.step, error.kind) == ("old", "run", "user")
    assert error.message == "the worker exited with status -11"
    assert error.traceback_tail == "loading legacy weights\nSegmentation fault"
    assert side.process.calls == ["join"] and side.connection.polls == 1


def test_a_worker_that_ignores_quit_is_killed_when_closed(tmp_path):
    side = side_process(tmp_path, Process(alive=True))
    side.close()
    assert side.connection.sent == [{"cmd": "quit", "path": ""}]
    assert side.process.calls == ["join 30", "kill", "join"]
    assert side.connection.closed


def test_a_worker_that_quits_is_not_killed_and_a_dead_one_not_sent_quit(tmp_path):
    exited = side_process(tmp_path, Process(alive=False, exitcode=0))
    exited.close()
    assert exited.connection.sent == [] and exited.process.calls == [] and exited.connection.closed


def test_new_must_be_a_directory(tmp_path):
    with pytest.raises(RootError, match=r"^--new 'no-such-tree' is not a directory$"):
        with resolve_roots(str(tmp_path), "no-such-tree"):
            pass


def test_a_directory_old_is_used_as_it_is(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    with resolve_roots(str(tmp_path / "old" / ".." / "old"), str(tmp_path / "new")) as roots:
        assert roots == ((tmp_path / "old").resolve(), (tmp_path / "new").resolve())


def test_a_revision_needs_new_inside_a_git_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above tmp_path
    with pytest.raises(RootError) as refused:
        with resolve_roots("HEAD", str(tmp_path)):
            pass
    assert str(refused.value) == f"--old 'HEAD' is not a directory, and --new {str(tmp_path)!r} is not inside a git repository"


def test_a_revision_the_repository_does_not_have_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(RootError) as refused:
        with resolve_roots("no-such-revision", str(tmp_path)):
            pass
    assert str(refused.value) == f"--old 'no-such-revision' is neither a directory nor a git revision of {tmp_path.resolve()}"


def test_the_fork_server_starts_seeing_no_gpu_and_gives_the_environment_back(monkeypatch):
    import multiprocessing.forkserver
    import os

    from torchup.verify import sides

    seen = []
    monkeypatch.setattr(multiprocessing.forkserver, "ensure_running", lambda: seen.append(os.environ["CUDA_VISIBLE_DEVICES"]))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    assert sides._forkserver.__wrapped__() is multiprocessing.get_context("forkserver")
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "1"  # the user's own value, back
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    sides._forkserver.__wrapped__()
    assert seen == ["", ""] and "CUDA_VISIBLE_DEVICES" not in os.environ  # unset again, not ""


def test_without_a_fork_server_every_side_is_spawned(monkeypatch):
    import multiprocessing

    from torchup.verify import sides

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert sides._forkserver.__wrapped__() is None
    monkeypatch.setattr(sides, "_forkserver", lambda: None)
    spawn = multiprocessing.get_context("spawn")
    assert sides._process_context(gpu=False) is spawn and sides._process_context(gpu=True) is spawn
