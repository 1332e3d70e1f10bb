"""Which files a run looks at.

Paths named on the command line are taken as they are (a file named explicitly is always
included); directories are walked for ``*.py`` files and Jupyter notebooks, skipping hidden directories, virtual
environments, ``build/``, ``dist/``, ``__pycache__`` and whatever ``.gitignore`` files and
``--exclude`` patterns (gitignore syntax) rule out. Symlinks to a file already found are found once.

Discovery never raises for what it finds on disk. A path it cannot use is a :class:`Problem`
with the path and the reason, and the walk goes on: a named path that does not exist, a symlink
loop or a dangling link, a directory it may not list, a FIFO, socket or device named ``*.py``
(reading a FIFO would block the run forever). The same rule holds for paths named on the command
line and paths listed by ``--files-from``: each problem is reported and the run exits 123.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from pathspec import GitIgnoreSpec as PathSpec

SKIPPED_DIRS = frozenset(
    {"__pycache__", "build", "dist", "site-packages", "node_modules", "venv", "env", "__pypackages__"}
)
SOURCE_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Problem:
    """A path that cannot be processed, and why (in words for the error line)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Discovery:
    files: Tuple[Path, ...]
    problems: Tuple[Problem, ...] = ()

    @property
    def missing(self) -> Tuple[str, ...]:
        """The named paths that do not exist."""
        return tuple(p.path for p in self.problems if p.reason == DOES_NOT_EXIST)


DOES_NOT_EXIST = "does not exist"


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if error.errno == errno.ENOENT:
        return DOES_NOT_EXIST
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return error.strerror or str(error)


def _not_a_file(mode: int) -> Optional[str]:
    """Why a path of this ``st_mode`` (symlinks followed) is not a source file, or None."""
    if stat.S_ISREG(mode):
        return None
    for test, what in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return f"not a regular file ({what})"
    return "not a regular file"


def _examine(path: str) -> Tuple[Optional[os.stat_result], Optional[str]]:
    """``stat`` of ``path`` (following links), or why it cannot be had."""
    try:
        return os.stat(path), None
    except OSError as error:
        if error.errno == errno.ENOENT and os.path.lexists(path):
            return None, "dangling symlink (its target does not exist)"
        return None, _reason(error)


def _spec(lines: Iterable[str]) -> PathSpec:
    return PathSpec.from_lines(lines)


def _gitignore(directory: Path) -> Optional[PathSpec]:
    path = directory / ".gitignore"
    try:
        if not path.is_file():
            return None
        return _spec(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


def _is_virtualenv(directory: Path) -> bool:
    # Path.is_file/is_dir raise PermissionError in a directory without search permission.
    try:
        return (directory / "pyvenv.cfg").is_file() or (directory / "conda-meta").is_dir()
    except OSError:
        return False


def _repository_root(start: Path) -> Optional[Path]:
    for directory in (start, *start.parents):
        try:
            if (directory / ".git").exists():
                return directory
        except OSError:
            continue
    return None


def _ancestor_ignores(directory: Path) -> List[Tuple[Path, PathSpec]]:
    """The .gitignore files between the repository root and ``directory`` (exclusive)."""
    root = _repository_root(directory)
    if root is None or root == directory:
        return []
    found: List[Tuple[Path, PathSpec]] = []
    for ancestor in reversed(directory.relative_to(root).parents):
        base = root / ancestor
        if base == directory:
            continue
        spec = _gitignore(base)
        if spec is not None:
            found.append((base, spec))
    return found


def _ignored(path: Path, is_dir: bool, ignores: Sequence[Tuple[Path, PathSpec]]) -> bool:
    for base, spec in ignores:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def _walk(top: Path, exclude: PathSpec, suffixes: Sequence[str], problems: List[Problem]) -> Iterator[Path]:
    ignores = _ancestor_ignores(top)
    yield from _walk_dir(top, top, exclude, ignores, suffixes, problems)


def _walk_dir(
    top: Path,
    directory: Path,
    exclude: PathSpec,
    ignores: List[Tuple[Path, PathSpec]],
    suffixes: Sequence[str],
    problems: List[Problem],
) -> Iterator[Path]:
    own = _gitignore(directory)
    if own is not None:
        ignores = [*ignores, (directory, own)]
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        # Vanished since its parent was listed: nothing to report. Otherwise the user must know
        # that part of the tree was not looked at.
        if error.errno != errno.ENOENT:
            problems.append(Problem(str(directory), f"cannot list directory: {_reason(error)}"))
        return
    for entry in entries:
        path = Path(entry.path)
        # Directory symlinks are not followed: they can loop, or lead out of the tree.
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        relative = path.relative_to(top).as_posix() + ("/" if is_dir else "")
        if exclude.match_file(relative) or _ignored(path, is_dir, ignores):
            continue
        if is_dir:
            if entry.name.startswith(".") or entry.name in SKIPPED_DIRS or _is_virtualenv(path):
                continue
            yield from _walk_dir(top, path, exclude, ignores, suffixes, problems)
        elif entry.name.endswith(tuple(suffixes)):
            status, reason = _examine(entry.path)
            if status is not None and stat.S_ISDIR(status.st_mode):
                continue  # a link to a directory named like a source file: not followed
            if status is not None:
                reason = _not_a_file(status.st_mode)
            if reason is None:
                yield path
            elif reason != DOES_NOT_EXIST:  # removed while the directory was being read
                problems.append(Problem(str(path), reason))


def discover(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    suffixes: Sequence[str] = SOURCE_SUFFIXES,
) -> Discovery:
    """The files to process under ``paths``, each once, in a stable order."""
    exclude_spec = _spec(exclude)
    # real path -> the path to report it under: the file itself rather than a link to it
    found: Dict[str, Path] = {}
    problems: List[Problem] = []
    for name in paths:
        path = Path(name)
        status, reason = _examine(name)
        if status is None:
            problems.append(Problem(name, reason or DOES_NOT_EXIST))
            continue
        if stat.S_ISDIR(status.st_mode):
            candidates: Iterator[Path] = _walk(path, exclude_spec, suffixes, problems)
        else:
            reason = _not_a_file(status.st_mode)
            if reason is not None:
                problems.append(Problem(name, reason))
                continue
            candidates = iter([path])
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if real not in found or (found[real].is_symlink() and not candidate.is_symlink()):
                found[real] = candidate
    return Discovery(tuple(found.values()), tuple(problems))


def mentions_any(text: str, markers: Iterable[str]) -> bool:
    """The cheap prefilter: a file that mentions no marker of any selected codemod is not parsed."""
    return any(marker in text for marker in markers)
