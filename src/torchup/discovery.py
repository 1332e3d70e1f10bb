"""Which files a run looks at.

Paths named on the command line are taken as they are (a file named explicitly is always
included); directories are walked for ``*.py`` files and Jupyter notebooks, skipping hidden directories, virtual
environments, ``build/``, ``dist/``, ``__pycache__`` and whatever ``.gitignore`` files and
``--exclude`` patterns (gitignore syntax) rule out. Symlinks to a file already found are found once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from pathspec import GitIgnoreSpec as PathSpec

SKIPPED_DIRS = frozenset(
    {"__pycache__", "build", "dist", "site-packages", "node_modules", "venv", "env", "__pypackages__"}
)
SOURCE_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Discovery:
    files: Tuple[Path, ...]
    missing: Tuple[str, ...]  # named paths that do not exist


def _spec(lines: Iterable[str]) -> PathSpec:
    return PathSpec.from_lines(lines)


def _gitignore(directory: Path) -> Optional[PathSpec]:
    path = directory / ".gitignore"
    if not path.is_file():
        return None
    try:
        return _spec(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file() or (directory / "conda-meta").is_dir()


def _repository_root(start: Path) -> Optional[Path]:
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
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


def _walk(top: Path, exclude: PathSpec, suffixes: Sequence[str]) -> Iterator[Path]:
    ignores = _ancestor_ignores(top)
    yield from _walk_dir(top, top, exclude, ignores, suffixes)


def _walk_dir(
    top: Path,
    directory: Path,
    exclude: PathSpec,
    ignores: List[Tuple[Path, PathSpec]],
    suffixes: Sequence[str],
) -> Iterator[Path]:
    own = _gitignore(directory)
    if own is not None:
        ignores = [*ignores, (directory, own)]
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        # Directory symlinks are not followed: they can loop, or lead out of the tree.
        is_dir = entry.is_dir(follow_symlinks=False)
        relative = path.relative_to(top).as_posix() + ("/" if is_dir else "")
        if exclude.match_file(relative) or _ignored(path, is_dir, ignores):
            continue
        if is_dir:
            if entry.name.startswith(".") or entry.name in SKIPPED_DIRS or _is_virtualenv(path):
                continue
            yield from _walk_dir(top, path, exclude, ignores, suffixes)
        elif entry.name.endswith(tuple(suffixes)) and entry.is_file():
            yield path


def discover(
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    suffixes: Sequence[str] = SOURCE_SUFFIXES,
) -> Discovery:
    """The files to process under ``paths``, each once, in a stable order."""
    exclude_spec = _spec(exclude)
    # real path -> the path to report it under: the file itself rather than a link to it
    found: Dict[str, Path] = {}
    missing: List[str] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            missing.append(name)
            continue
        candidates = _walk(path, exclude_spec, suffixes) if path.is_dir() else iter([path])
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if real not in found or (found[real].is_symlink() and not candidate.is_symlink()):
                found[real] = candidate
    return Discovery(tuple(found.values()), tuple(missing))


def mentions_any(text: str, markers: Iterable[str]) -> bool:
    """The cheap prefilter: a file that mentions no marker of any selected codemod is not parsed."""
    return any(marker in text for marker in markers)
