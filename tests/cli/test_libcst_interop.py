"""Every codemod runs under ``python -m libcst.tool codemod`` for teams with libcst pipelines."""

import subprocess
import sys

from torchup import registry

CONFIG = "generated_code_marker: '@generated'\nformatter: []\nblacklist_patterns: []\nmodules:\n- torchup.codemods\nrepo_root: .\n"


def libcst_tool(tmp_path, *args):
    (tmp_path / ".libcst.codemod.yaml").write_text(CONFIG)
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def test_every_codemod_is_listed(tmp_path):
    listed = libcst_tool(tmp_path, "list").stdout
    for cls in registry.all_codemods().values():
        assert f"{cls.NAME}.{cls.__name__} - {cls.CODE} " in listed


def test_a_codemod_runs_under_libcst_tool(tmp_path):
    cls = registry.get("TU101")
    (tmp_path / "m.py").write_text("import torch\nfrom torch.autograd import Variable\nx = Variable(torch.zeros(3))\n")
    result = libcst_tool(tmp_path, "codemod", "--no-format", "--hide-progress", f"{cls.NAME}.{cls.__name__}", "m.py")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.py").read_text() == "import torch\nx = torch.zeros(3)\n"
