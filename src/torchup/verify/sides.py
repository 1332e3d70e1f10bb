"""The OLD and NEW sides: where their source lives, and the worker process that runs each.

``--old`` may be a directory or a git revision of the repository that ``--new`` lives in. A
revision is exported with ``git archive`` into a temporary directory (a throwaway worktree that
leaves the repository's own state untouched), at the same relative path as ``--new``; its
symlinks stay symlinks, even those that point out of the tree.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import subprocess
import tarfile
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from torchup.verify.verdict import SideError

STDERR_TAIL_LINES = 15


class RootError(ValueError):
    """``--old``/``--new`` name neither a directory nor a revision we can check out."""


def _git(args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


@contextmanager
def resolve_roots(old: str, new: str) -> Iterator[tuple]:
    """Yield (old_root, new_root) as directories; a git revision lives as long as the context."""
    new_root = Path(new).resolve()
    if not new_root.is_dir():
        raise RootError(f"--new {new!r} is not a directory")
    old_path = Path(old)
    if old_path.is_dir():
        yield old_path.resolve(), new_root
        return
    top = _git(["rev-parse", "--show-toplevel"], new_root)
    if top.returncode != 0:
        raise RootError(f"--old {old!r} is not a directory, and --new {new!r} is not inside a git repository")
    toplevel = Path(top.stdout.decode().strip()).resolve()
    commit = _git(["rev-parse", "--verify", "--quiet", f"{old}^{{commit}}"], toplevel)
    if commit.returncode != 0:
        raise RootError(f"--old {old!r} is neither a directory nor a git revision of {toplevel}")
    archive = _git(["archive", "--format=tar", commit.stdout.decode().strip()], toplevel)
    if archive.returncode != 0:
        raise RootError(f"git archive {old} failed: {archive.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory(prefix="torchup-old-") as checkout:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            # The "tar" filter refuses members named outside the checkout and writing through a
            # link out of it (Python >= 3.9.17), and keeps the repository's own links, as the
            # working tree has them: a committed `data -> /mnt/datasets` stays a link the legacy
            # code can read through ("data" would refuse the whole revision for it).
            if hasattr(tarfile, "tar_filter"):
                tar.extractall(checkout, filter="tar")
            else:  # pragma: no cover
                tar.extractall(checkout)
        yield Path(checkout).resolve() / new_root.relative_to(toplevel), new_root


@dataclass(frozen=True)
class Reply:
    """One answer from a worker: its fields, or the error that names the side."""

    fields: Dict[str, Any]
    error: Optional[SideError] = None


@functools.lru_cache(maxsize=None)
def _forkserver() -> Optional[multiprocessing.context.BaseContext]:
    """The CPU sides are forked from a server that has imported torch and nothing of the user's.

    Each side is still its own process with its own interpreter state (the two versions never
    meet), but skips importing torch and torch._dynamo (which the meta-device check pulls in):
    about 3 s of CPU per side. Forking from one server also gives both sides the same hash seed.
    The server and its children see no GPU: CUDA cannot be used in a forked child once the parent
    touched it, and the CPU comparison must be a CPU comparison on GPU machines too.
    Like all multiprocessing, the children import the parent's ``__main__`` unless it is a
    ``-m package`` run or guarded by ``if __name__ == "__main__"`` (the torchup CLI is both).
    None where fork is not available (Windows).
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["torch", "torch._dynamo", "torchup.verify.worker"])
    saved = os.environ.get("CUDA_VISIBLE_DEVICES")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["CUDA_VISIBLE_DEVICES"]
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = saved
    return context


def _process_context(gpu: bool) -> multiprocessing.context.BaseContext:
    """GPU sides are fresh interpreters (spawn): slower to start, but CUDA works in them."""
    if not gpu:
        forkserver = _forkserver()
        if forkserver is not None:
            return forkserver
    return multiprocessing.get_context("spawn")


class SideProcess:
    """A running worker for one side; ``ask`` sends a command and waits for its reply."""

    def __init__(
        self,
        side: str,
        root: Path,
        spec: Dict[str, Any],
        workdir: Path,
        *,
        legacy: bool,
        shim: bool,
        gpu: bool = False,
        timeout: Optional[float] = None,
    ) -> None:
        from torchup.verify.worker import serve

        self.side = side
        self.timeout = timeout  # seconds a step may take; None: no limit
        self.last_command = "build"
        job = {
            "side": side,
            "root": str(root),
            "spec": spec,
            "workdir": str(workdir),
            "legacy": legacy,
            "shim": shim,
            "parent_cwd": os.getcwd(),
            "gpu": gpu,
        }
        self.stderr_path = workdir / f"{side}_stderr.txt"
        context = _process_context(gpu)
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=serve, args=(job, child_end, str(self.stderr_path)), name=f"torchup-verify-{side}"
        )
        self.process.start()
        child_end.close()  # so that a dead worker reads as EOF here

    def _stderr_tail(self) -> str:
        if not self.stderr_path.exists():
            return ""
        lines = self.stderr_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-STDERR_TAIL_LINES:])

    def receive(self) -> Reply:
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        try:
            # Poll so that a worker that died without closing the pipe cannot hang us, nor one
            # that never answers (a forward that loops, legacy code waiting on input()).
            while not self.connection.poll(1.0):  # a timeout is kept to the second
                if not self.process.is_alive():
                    raise EOFError
                if deadline is not None and time.monotonic() >= deadline:
                    return self._stopped()
            document = dict(self.connection.recv())
        except (EOFError, OSError):
            self.process.join()
            return self._no_reply(f"the worker exited with status {self.process.exitcode}")
        if not document.pop("ok"):
            error = document["error"]
            return Reply(
                {},
                SideError(
                    self.side,
                    error["message"],
                    error["traceback_tail"],
                    step=error["step"],
                    kind=error["kind"],
                    source_line=error["source_line"],
                ),
            )
        return Reply(document)

    def _stopped(self) -> Reply:
        """The reply for a step that ran past the timeout: the worker is killed, not waited for."""
        self.process.kill()
        self.process.join()
        return self._no_reply(
            f"no answer within {self.timeout:g} s: the worker was stopped (a hang, or a step slower than --timeout)",
            kind="timeout",
        )

    def _no_reply(self, message: str, kind: str = "user") -> Reply:
        """What stands for the answer of a worker that gave none: the step it was sent and the
        tail of what it printed."""
        return Reply({}, SideError(self.side, message, self._stderr_tail(), step=self.last_command, kind=kind))

    def send(self, command: str, path: str = "", **options: Any) -> None:
        self.last_command = command
        try:
            self.connection.send({"cmd": command, "path": path, **options})
        except (BrokenPipeError, OSError):
            pass  # the worker is gone; receive() reports why

    def ask(self, command: str, path: str = "", **options: Any) -> Reply:
        self.send(command, path, **options)
        return self.receive()

    def close(self) -> None:
        if self.process.is_alive():
            self.send("quit", "")
            self.process.join(timeout=30)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        self.connection.close()
