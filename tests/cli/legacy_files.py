"""The legacy line the CLI tests migrate, and a snapshot of a tree to compare before and after.

A module of its own, not ``conftest``: see tests/verify/verify_runs.py.
"""

import os
from pathlib import Path

# `.to(d, async=True)`, not `.cuda(...)`: TU304 reports every `.cuda()` call, and these tests are about one edit.
LEGACY = "import torch\nx = torch.zeros(3).to(d, async=True)\n"


def snapshot(root: Path) -> dict:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), os.lstat(path).st_mode, path.is_symlink())
        for path in sorted(root.rglob("*"))
        if path.is_file() or path.is_symlink()
    }
