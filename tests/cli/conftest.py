from pathlib import Path

import pytest
from legacy_files import LEGACY


@pytest.fixture
def legacy_tree(tmp_path: Path) -> Path:
    """A repository with every kind of file that must survive a run unharmed."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "plain.py").write_text(LEGACY)
    (root / "crlf.py").write_bytes(LEGACY.replace("\n", "\r\n").encode())
    (root / "latin1.py").write_bytes(("# -*- coding: latin-1 -*-\n# café\n" + LEGACY).encode("latin-1"))
    (root / "bom.py").write_bytes("\ufeff".encode() + LEGACY.encode())
    (root / "py2.py").write_text('import torch\nprint "loss", x.cuda(async=True)\n')
    (root / "empty.py").write_text("")
    (root / "modern.py").write_text("import torch\nx = torch.zeros(3)\n")
    readonly = root / "readonly.py"
    readonly.write_text(LEGACY)
    readonly.chmod(0o444)
    (root / "link.py").symlink_to(root / "plain.py")
    return root
