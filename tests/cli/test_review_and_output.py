"""``fix --interactive``, ``fix --output-dir`` and ``fix --format`` through the real CLI."""

import subprocess
import sys

from click.testing import CliRunner

from torchup.cli import main

TWO_HUNKS = "import torch\na = x.cuda(async=True)\n\n\n\n\n\n\n\nb = y.cuda(async=True)\n"


def invoke(*args, input=None):
    return CliRunner().invoke(main, [*map(str, args)], input=input, catch_exceptions=False)


def test_interactive_applies_exactly_the_accepted_hunks(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(TWO_HUNKS)
    result = invoke("fix", "--interactive", target, input="n\ny\n")
    assert result.exit_code == 0
    assert target.read_text() == TWO_HUNKS.replace("b = y.cuda(async=True)", "b = y.cuda(non_blocking=True)")
    assert "applied 1 of 2 hunks" in result.stderr


def test_interactive_all_and_quit(tmp_path):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(TWO_HUNKS)
    second.write_text(TWO_HUNKS)
    invoke("fix", "--interactive", first, input="a\n")
    assert "async" not in first.read_text()
    invoke("fix", "--interactive", second, input="q\n")
    assert second.read_text() == TWO_HUNKS


def test_interactive_with_piped_input_through_a_subprocess(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(TWO_HUNKS)
    process = subprocess.run(
        [sys.executable, "-m", "torchup", "fix", "--interactive", str(target)],
        input="y\n",  # then end of input: the second hunk is not applied
        capture_output=True,
        text=True,
    )
    assert process.returncode == 0
    assert target.read_text() == TWO_HUNKS.replace("a = x.cuda(async=True)", "a = x.cuda(non_blocking=True)")


def test_output_dir_copies_everything_and_leaves_the_source(tmp_path):
    source = tmp_path / "repo"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "a.py").write_text(TWO_HUNKS)
    (source / "data.csv").write_text("1,2\n")
    out = tmp_path / "migrated"
    result = invoke("fix", "--output-dir", out, source)
    assert result.exit_code == 0
    assert (source / "pkg" / "a.py").read_text() == TWO_HUNKS
    assert "non_blocking" in (out / "pkg" / "a.py").read_text()
    assert (out / "data.csv").read_text() == "1,2\n"
    inside = invoke("fix", "--output-dir", source / "out", source)
    assert inside.exit_code == 123 and "inside the input" in inside.stderr


def test_format_touches_only_changed_lines(tmp_path):
    target = tmp_path / "a.py"
    target.write_text("import torch\nkeep = f( 1,2 )\nx = y.cuda( async=True )\n")
    assert invoke("fix", "--format", target).exit_code == 0
    assert target.read_text() == "import torch\nkeep = f( 1,2 )\nx = y.cuda(non_blocking=True)\n"
