"""``fix --interactive``, ``fix --output-dir`` and ``fix --format`` through the real CLI."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_interactive_quit_stops_the_whole_run_not_just_the_file(tmp_path):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(TWO_HUNKS)
    second.write_text(TWO_HUNKS)
    # `q` on the first hunk asked; the `y`s after it must not reach any other file's hunks
    result = invoke("fix", "--interactive", first, second, input="q\ny\ny\ny\n")
    assert result.exit_code == 0
    assert first.read_text() == second.read_text() == TWO_HUNKS
    assert result.stdout.count("Apply hunk") == 1


def test_interactive_hunks_accepted_in_one_file_are_not_applied_in_the_next(tmp_path):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(TWO_HUNKS)
    second.write_text(TWO_HUNKS)
    # the first file's first hunk accepted, every hunk of the second refused
    result = invoke("fix", "--interactive", first, second, input="y\nn\nn\nn\n")
    assert result.exit_code == 0
    assert first.read_text() == TWO_HUNKS.replace("a = x.cuda(async=True)", "a = x.cuda(non_blocking=True)")
    assert second.read_text() == TWO_HUNKS
    assert result.stdout.count("Apply hunk") == 4
    assert result.stderr == f"applied 1 of 2 hunks to {first}\n"


def test_output_dir_must_be_new_or_empty(tmp_path):
    source = tmp_path / "repo"
    source.mkdir()
    (source / "a.py").write_text(TWO_HUNKS)
    out = tmp_path / "migrated"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    result = invoke("fix", "--output-dir", out, source)
    assert result.exit_code == 123 and "exists and is not an empty directory" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # nothing copied in beside it
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("fix", "--output-dir", empty, source).exit_code == 0
    assert "non_blocking" in (empty / "a.py").read_text()


def test_an_output_dir_that_cannot_be_made_is_an_error_line_not_a_crash(tmp_path):
    source = tmp_path / "repo"
    source.mkdir()
    (source / "a.py").write_text(TWO_HUNKS)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    result = invoke("fix", "--output-dir", blocker / "out", source)
    assert result.exit_code == 123
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert (source / "a.py").read_text() == TWO_HUNKS and blocker.read_text() == "mine\n"


def test_output_dir_keeps_several_inputs_apart_under_their_names(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for source in (first, second):
        source.mkdir()
        (source / "model.py").write_text(TWO_HUNKS.replace("a = ", f"{source.name} = "))
    out = tmp_path / "migrated"
    assert invoke("fix", "--output-dir", out, first, second).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["first", "second"]
    for source in (first, second):
        migrated = (out / source.name / "model.py").read_text()
        assert migrated.startswith(f"import torch\n{source.name} = x.cuda(non_blocking=True)")
        assert "async" in (source / "model.py").read_text()  # the inputs are left as they were


def test_output_dir_leaves_the_repository_out_and_copies_links_as_links(tmp_path):
    source = tmp_path / "repo"
    (source / ".git" / "objects").mkdir(parents=True)
    (source / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (source / "a.py").write_text(TWO_HUNKS)
    dataset = tmp_path / "datasets" / "imagenet"
    dataset.mkdir(parents=True)
    (dataset / "train.bin").write_bytes(b"\0" * 64)
    (source / "data").symlink_to(dataset, target_is_directory=True)
    (source / "latest.py").symlink_to(source / "a.py")
    out = tmp_path / "migrated"
    assert invoke("fix", "--output-dir", out, source).exit_code == 0
    assert not (out / ".git").exists()  # the output is a tree to diff or commit, not a second clone
    assert (out / "data").is_symlink() and (out / "data").resolve() == dataset.resolve()
    assert "non_blocking" in (out / "a.py").read_text()


def test_output_dir_never_writes_through_a_link_into_the_input_or_beside_it(tmp_path):
    # Migrating the copy follows links to their files (as an in-place run keeps a link a link):
    # a link copied as it is would lead the migration back into the tree it must leave alone.
    source = tmp_path / "repo"
    (source / "models").mkdir(parents=True)
    (source / "a.py").write_text(TWO_HUNKS)
    (source / "models" / "latest.py").symlink_to(source / "a.py")  # absolute, into the input
    (source / "models" / "near.py").symlink_to("../a.py")  # relative: stays inside the copy
    shared = tmp_path / "shared_layers.py"  # a source file outside the input, linked in
    shared.write_text(TWO_HUNKS)
    (source / "layers.py").symlink_to(shared)
    out = tmp_path / "migrated"
    result = invoke("fix", "--output-dir", out, source)
    assert result.exit_code == 0
    assert (source / "a.py").read_text() == shared.read_text() == TWO_HUNKS  # nothing outside the output changed
    latest = out / "models" / "latest.py"
    assert latest.is_symlink() and latest.resolve() == (out / "a.py").resolve()
    assert not Path(os.readlink(latest)).is_absolute()  # the output tree can be moved
    assert (out / "models" / "near.py").resolve() == (out / "a.py").resolve()
    layers = out / "layers.py"
    assert not layers.is_symlink() and "non_blocking" in layers.read_text()
    assert "non_blocking" in (out / "a.py").read_text()


VOLATILE_REGION = (
    "import torch\nfrom torch.autograd import Variable\n\n\ndef evaluate(model, x):\n"
    "    inputs = Variable(x, volatile=True)\n    hidden = model.encode(inputs)\n\n"
    "    out = model.decode(hidden)\n    return out\n"
)


def test_interactive_never_writes_accepted_hunks_that_do_not_compile_alone(tmp_path):
    # TU102's `with torch.no_grad():` is one hunk, the indented lines after the blank line another:
    # accepting only those leaves an indented block under nothing.
    target = tmp_path / "evaluate.py"
    target.write_text(VOLATILE_REGION)
    result = invoke("fix", "--interactive", target, input="n\nn\ny\n")
    assert target.read_text() == VOLATILE_REGION
    assert "the accepted hunks do not compile without the others; file left unchanged" in result.stderr


def test_output_dir_inside_its_input_is_refused_naming_the_input(tmp_path):
    source = tmp_path / "repo"
    source.mkdir()
    (source / "a.py").write_text(TWO_HUNKS)
    result = invoke("fix", "--output-dir", source / "out", source)
    assert result.exit_code == 123
    assert f"--output-dir {source / 'out'} is inside the input {source.resolve()}" in result.stderr
    assert not (source / "out").exists()


def test_output_dir_is_made_with_its_missing_parents(tmp_path):
    source = tmp_path / "repo"
    source.mkdir()
    (source / "a.py").write_text(TWO_HUNKS)
    out = tmp_path / "runs" / "today" / "migrated"
    assert invoke("fix", "--output-dir", out, source).exit_code == 0
    assert "non_blocking" in (out / "a.py").read_text()


def test_output_dir_keeps_a_link_to_a_data_file_outside_the_input_a_link(tmp_path):
    # Only a linked source file is copied (the migration would write through the link); a linked
    # data file is never written, and may be large.
    source = tmp_path / "repo"
    source.mkdir()
    (source / "a.py").write_text(TWO_HUNKS)
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"\0" * 64)
    (source / "weights.bin").symlink_to(weights)
    out = tmp_path / "migrated"
    assert invoke("fix", "--output-dir", out, source).exit_code == 0
    assert (out / "weights.bin").is_symlink() and (out / "weights.bin").resolve() == weights.resolve()


def test_output_dir_of_a_single_file_holds_its_migrated_copy(tmp_path):
    source = tmp_path / "train.py"
    source.write_text(TWO_HUNKS)
    out = tmp_path / "migrated"
    assert invoke("fix", "--output-dir", out, source).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["train.py"]
    assert "non_blocking" in (out / "train.py").read_text() and source.read_text() == TWO_HUNKS

def test_interactive_names_the_file_numbers_each_hunk_and_takes_capital_answers(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(TWO_HUNKS)
    result = invoke("fix", "--interactive", target, input="n\nY\n")
    assert result.stdout == (
        f"--- {target}\n"
        "@@ -2,1 +2,1 @@\n import torch\n-a = x.cuda(async=True)\n+a = x.cuda(non_blocking=True)\n \n \n \n"
        "Apply hunk 1/2 [y,n,a,q]: n\n"
        "@@ -10,1 +10,1 @@\n \n \n \n-b = y.cuda(async=True)\n+b = y.cuda(non_blocking=True)\n"
        "Apply hunk 2/2 [y,n,a,q]: Y\n"
    )
    assert result.stderr == f"applied 1 of 2 hunks to {target}\n"


def test_interactive_stops_the_whole_run_at_the_end_of_piped_input(tmp_path):
    # End of input is `q`: the next file is neither shown nor asked about.
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(TWO_HUNKS)
    second.write_text(TWO_HUNKS)
    result = invoke("fix", "--interactive", first, second, input="y\n")
    assert result.stdout.count("Apply hunk") == 2
    assert f"--- {second}" not in result.stdout
    assert result.stderr == f"applied 1 of 2 hunks to {first}\n"
    assert second.read_text() == TWO_HUNKS
