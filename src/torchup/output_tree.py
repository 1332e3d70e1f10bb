"""``--output-dir``: the migrated tree written beside the original, which stays untouched.

Like TensorFlow's upgrade script's ``--outtree``: the whole input is copied first (untouched files
too, so the output is a complete project), then migrated in place there.

Links are copied as links, except where migrating the copy would write through one into a file
outside it (the migration writes a link's file, to keep the link): a link into an input leads to
the same place in the copy instead, and a link to a source file outside every input becomes a copy
of that file. Links to anything else (a dataset directory) stay as they are.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import List, Sequence

from torchup.discovery import SOURCE_SUFFIXES


class OutputTreeError(ValueError):
    pass


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.relative_to(parent)
    except ValueError:
        return False
    return True


def copy_tree(paths: Sequence[str], output_dir: str) -> List[str]:
    """Copy each input into ``output_dir`` and return the copies' paths, in the same order.

    One directory is copied as ``output_dir`` itself; several inputs go in under their own names.
    The output must not lie inside an input (it would copy itself) and must be empty or new.
    """
    out = Path(output_dir).resolve()
    sources = [Path(p).resolve() for p in paths]
    for source in sources:
        if out == source or _inside(out, source):
            raise OutputTreeError(f"--output-dir {output_dir} is inside the input {source}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputTreeError(f"--output-dir {output_dir} exists and is not an empty directory")
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".git", "__pycache__", ".venv")
    copies: List[str] = []
    for source in sources:
        single_dir = len(sources) == 1 and source.is_dir()
        target = out if single_dir else out / source.name
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
        copies.append(os.fspath(target))
    _keep_links_inside(out, sources, [Path(copy) for copy in copies])
    return copies


def _keep_links_inside(out: Path, sources: Sequence[Path], copies: Sequence[Path]) -> None:
    """Re-point the copy's links that lead into an input; copy the source files linked from outside."""
    for directory, directories, files in os.walk(out):  # links to directories are listed, not entered
        for name in (*directories, *files):
            link = Path(directory) / name
            if not link.is_symlink():
                continue
            target = Path(os.path.realpath(link))
            if _inside(target, out):
                continue
            for source, copy in zip(sources, copies):
                if _inside(target, source):
                    counterpart = copy / target.relative_to(source)
                    link.unlink()
                    # Relative, so the output tree stays whole wherever it is moved.
                    link.symlink_to(os.path.relpath(counterpart, link.parent))
                    break
            else:
                if name.endswith(SOURCE_SUFFIXES) and target.is_file():
                    link.unlink()
                    shutil.copy2(target, link)
