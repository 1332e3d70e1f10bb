"""``torchup check`` exits 1 on findings alone, not only on files it could rewrite."""

from __future__ import annotations

from click.testing import CliRunner

from torchup.cli import main


def check(*paths):
    return CliRunner().invoke(main, ["check", *map(str, paths)], catch_exceptions=False)


def test_a_finding_with_no_edit_exits_1(tmp_path):
    target = tmp_path / "load.py"
    target.write_text("import torch\nstate = torch.load(path)\n")
    result = check(target)
    assert result.exit_code == 1, result.output
    assert f"{target}:2:" in result.stdout
    assert target.read_text() == "import torch\nstate = torch.load(path)\n"


def test_a_clean_file_exits_0(tmp_path):
    target = tmp_path / "modern.py"
    target.write_text("import torch\nstate = torch.load(path, weights_only=True)\n")
    result = check(target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
