"""Atomic writes: a file is either its old bytes or its new bytes, never half of each.

The new bytes go to a temporary file in the same directory, are flushed to disk, take the
original's permission bits, and replace the original with ``os.replace`` (atomic on POSIX and
Windows). An interrupted run leaves at most a stray temporary file, which is removed on the way out.
A symlink is written through to its target, so the link stays a link.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional


TEMPORARY_SUFFIX = ".torchup"


class ReadOnlyFileError(OSError):
    pass


def write_atomic(path: Path, data: bytes) -> None:
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & stat.S_IWUSR:
        # A read-only file is the owner saying "do not change this"; root could write it anyway.
        raise ReadOnlyFileError(f"{path} is read-only; left untouched")
    with replacing(target, mode=mode) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


@contextmanager
def replacing(target: Path, *, mode: Optional[int] = None) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; on success it replaces ``target`` in one
    ``os.replace`` (with ``mode``, if given), on any failure it is removed and ``target`` untouched."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files a killed process left beside ``path`` (its own cleanup, above,
    never ran); a file that cannot be removed is left."""
    target = Path(os.path.realpath(path))
    try:
        leftovers = list(target.parent.glob(f".{glob.escape(target.name)}.*{TEMPORARY_SUFFIX}"))
    except OSError:
        return
    for leftover in leftovers:
        try:
            leftover.unlink()
        except OSError:
            pass
