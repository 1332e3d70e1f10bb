"""``torchup fix`` and ``torchup check`` through click's runner and a real subprocess."""

import json
import subprocess
import sys

from click.testing import CliRunner
from legacy_files import LEGACY, snapshot

from torchup.cli import main

FIXED = "import torch\nx = torch.zeros(3).to(d, non_blocking=True)\n"


def invoke(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def test_diff_writes_nothing_and_shows_every_change(legacy_tree):
    before = snapshot(legacy_tree)
    result = invoke("fix", "--diff", "--no-color", legacy_tree)
    assert snapshot(legacy_tree) == before
    assert "+x = torch.zeros(3).to(d, non_blocking=True)" in result.stdout
    for name in ("plain.py", "crlf.py", "latin1.py", "bom.py", "readonly.py"):
        assert f"{legacy_tree / name}" in result.stdout
    assert "\x1b[" not in result.stdout
    assert result.exit_code == 123  # py2.py cannot be parsed
    assert "py2.py: line 2:" in result.stderr and "Python 2" in result.stderr


def test_diff_is_coloured_on_request(legacy_tree):
    result = invoke("fix", "--diff", "--color", legacy_tree / "plain.py")
    assert "\x1b[32m+x = torch.zeros(3).to(d, non_blocking=True)" in result.stdout
    assert "\x1b[31m-x = torch.zeros(3).to(d, async=True)" in result.stdout
    # the file headers bold (not red and green like a removed or added line), the hunk header cyan
    assert "\x1b[1m--- " in result.stdout and "\x1b[1m+++ " in result.stdout and "\x1b[36m@@ " in result.stdout
    assert "\x1b[31m--- " not in result.stdout
    assert result.exit_code == 0


def test_the_diff_colours_follow_the_terminal_unless_told(legacy_tree, monkeypatch):
    import sys

    import torchup.cli as cli

    class OnATerminal:
        """``sys`` as the command sees it when its stdout is a terminal (the runner's is not)."""

        def __getattr__(self, name):
            return getattr(sys, name)

        class stdout:
            @staticmethod
            def isatty():
                return True

    monkeypatch.setattr(cli, "sys", OnATerminal())
    target = legacy_tree / "plain.py"
    assert "\x1b[32m+" in invoke("fix", "--diff", target).stdout  # a terminal: coloured
    assert "\x1b[" not in invoke("fix", "--diff", "--no-color", target).stdout  # told not to


def test_quiet_fix_says_nothing_but_errors(tmp_path):
    # A finding that needs a person (torch.load without weights_only) and an edit: quiet, only
    # an error line would be printed; without --quiet the finding is listed.
    target = tmp_path / "train.py"
    target.write_text("import torch\nmodel = torch.load(path)\nx = y.cuda(async=True)\n")
    loud = invoke("fix", "--check", "--no-cache", target)
    assert "TU405" in loud.stderr
    quiet = invoke("fix", "--check", "--no-cache", "--quiet", target)
    assert quiet.exit_code == 1 and quiet.stderr == "" and quiet.stdout == ""


def test_check_mode_exits_1_then_0_after_fix(legacy_tree):
    target = legacy_tree / "plain.py"
    assert invoke("fix", "--check", target).exit_code == 1
    assert target.read_text() == LEGACY
    assert invoke("fix", target).exit_code == 0
    assert target.read_text() == FIXED
    assert invoke("fix", "--check", target).exit_code == 0


def test_fix_preserves_encoding_newlines_and_leaves_the_rest(legacy_tree):
    before = snapshot(legacy_tree)
    result = invoke("fix", legacy_tree)
    after = snapshot(legacy_tree)
    assert result.exit_code == 123
    assert after["crlf.py"][0] == FIXED.replace("\n", "\r\n").encode()
    assert after["latin1.py"][0] == ("# -*- coding: latin-1 -*-\n# café\n" + FIXED).encode("latin-1")
    assert after["bom.py"][0] == "\ufeff".encode() + FIXED.encode()
    assert after["plain.py"][0] == FIXED.encode()
    # the symlink is still a link (to the rewritten file); the rest is byte-for-byte as it was
    assert after["link.py"][2] and after["link.py"][1] == before["link.py"][1]
    for name in ("py2.py", "empty.py", "modern.py", "readonly.py"):
        assert after[name] == before[name], name
    assert "readonly.py: cannot write" in result.stderr
    assert sorted(p.name for p in legacy_tree.iterdir()) == sorted(before)  # no temp files


def test_summary_wording_follows_the_mode(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    assert "1 file would be rewritten, 1 edit would be made (TU303 x1)." in invoke("fix", "--check", target).stderr
    assert "1 file rewritten, 1 edit (TU303 x1)." in invoke("fix", target).stderr


def test_check_lists_findings_with_position(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    result = invoke("check", target)
    assert result.stdout == f"{target}:2:26: TU303 `async=` keyword argument renamed `non_blocking=` [*]\n"
    assert result.exit_code == 1
    assert target.read_text() == LEGACY


def test_select_and_ignore_by_prefix(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    assert invoke("fix", "--check", "--select", "TU30", target).exit_code == 1
    assert invoke("fix", "--check", "--select", "TU303", "--ignore", "TU3", target).exit_code == 0
    unknown = invoke("fix", "--select", "TU999", target)
    assert unknown.exit_code == 123 and "TU999" in unknown.stderr


def test_no_files_is_a_clean_exit(tmp_path):
    result = invoke("fix", tmp_path)
    assert result.exit_code == 0
    assert "nothing to do" in result.stderr
    assert invoke("check").exit_code == 0


def test_json_report(tmp_path, legacy_tree):
    report = tmp_path / "report.json"
    invoke("fix", "--check", "--report", report, legacy_tree)
    document = json.loads(report.read_text())
    by_name = {entry["path"].rsplit("/", 1)[-1]: entry for entry in document["files"]}
    assert by_name["plain.py"]["edits"] == {"TU303": 1}
    assert by_name["py2.py"]["status"] == "failed" and "line 2" in by_name["py2.py"]["error"]
    assert document["exit_code"] == 123


def test_many_files_through_the_process_pool(tmp_path):
    for index in range(12):
        (tmp_path / f"m{index}.py").write_text(LEGACY)
    result = invoke("fix", "--jobs", "2", tmp_path)
    assert result.exit_code == 0
    assert "12 files rewritten" in result.stderr
    assert all(path.read_text() == FIXED for path in tmp_path.iterdir())


def test_real_subprocess(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    process = subprocess.run(
        [sys.executable, "-m", "torchup", "fix", "--diff", str(target)], capture_output=True, text=True
    )
    assert process.returncode == 0
    assert process.stdout.startswith(f"--- {target}\n+++ {target}\n")
    assert "would be rewritten" in process.stderr
    version = subprocess.run([sys.executable, "-m", "torchup", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("torchup, version ")


def test_rules_and_explain():
    rules = invoke("rules")
    assert "TU303" in rules.stdout
    explained = invoke("explain", "tu303")
    assert "What it does" in explained.stdout and "Fix safety" in explained.stdout
    assert invoke("explain", "TU999").exit_code == 2


def test_rules_as_a_markdown_table_and_as_text():
    from torchup import registry

    codes = sorted(registry.all_codes())
    table = invoke("rules", "--format", "markdown").stdout.splitlines()
    assert table[:2] == ["| code | name | fix safety | what it does |", "| --- | --- | --- | --- |"]
    assert sorted(row.split(" | ")[0].lstrip("| ") for row in table[2:]) == codes
    text = invoke("rules", "--format", "text").stdout.splitlines()
    assert text == invoke("rules").stdout.splitlines()
    assert sorted(row.split()[0] for row in text) == codes and not any(row.startswith("|") for row in text)


def test_fix_and_check_never_import_torch(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    code = (
        "import sys\nfrom torchup.cli import main\n"
        f"try:\n    main(['check', {str(target)!r}])\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert process.returncode == 0, process.stderr


def test_buffers_option_forces_persistence_and_refuses_an_unknown_mode(tmp_path):
    source = (
        "import torch\nimport torch.nn as nn\n\n\nclass Gate(nn.Module):\n    def __init__(self, n):\n"
        "        super(Gate, self).__init__()\n        self.ones = torch.ones(n).cuda()\n"
    )
    target = tmp_path / "gate.py"
    for mode, persistent in (("persistent", "True"), ("non-persistent", "False")):
        target.write_text(source)
        assert invoke("fix", "--no-cache", "--unsafe-fixes", "--buffers", mode, target).exit_code == 0
        assert f'self.register_buffer("ones", torch.ones(n), persistent={persistent})' in target.read_text()
    target.write_text(source)
    refused = CliRunner().invoke(main, ["fix", "--no-cache", "--buffers", "sometimes", str(target)])
    assert refused.exit_code == 2 and "sometimes" in refused.output and target.read_text() == source


def test_buffers_setting_in_pyproject_applies_and_the_option_overrides_it(tmp_path):
    source = (
        "import torch\nimport torch.nn as nn\n\n\nclass Gate(nn.Module):\n    def __init__(self, n):\n"
        "        super(Gate, self).__init__()\n        self.ones = torch.ones(n).cuda()\n"
    )
    (tmp_path / "pyproject.toml").write_text('[tool.torchup]\nbuffers = "persistent"\n')
    target = tmp_path / "gate.py"
    target.write_text(source)
    assert invoke("fix", "--no-cache", "--unsafe-fixes", target).exit_code == 0
    assert 'self.register_buffer("ones", torch.ones(n), persistent=True)' in target.read_text()
    target.write_text(source)
    assert invoke("fix", "--no-cache", "--unsafe-fixes", "--buffers", "non-persistent", target).exit_code == 0
    assert 'self.register_buffer("ones", torch.ones(n), persistent=False)' in target.read_text()


def test_the_progress_bar_counts_each_file_once(tmp_path, monkeypatch):
    import contextlib
    import io

    import pytest

    import torchup.cli as cli

    for index in range(25):  # over 20 files, on a terminal: the bar is shown
        (tmp_path / f"m{index}.py").write_text(LEGACY)
    counted = []

    @contextlib.contextmanager
    def progressbar(**_options):
        counted.append(0)

        class Bar:
            def update(self, steps):
                counted[-1] += steps

        yield Bar()

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(cli.click, "progressbar", progressbar)
    monkeypatch.setattr(sys, "stderr", Terminal())
    with pytest.raises(SystemExit) as exited:
        cli.main(["fix", "--no-cache", "--check", "--jobs", "1", str(tmp_path)], standalone_mode=False)
    assert exited.value.code == 1 and counted == [25]


def test_verbose_on_a_terminal_names_each_file_instead_of_a_bar(tmp_path, monkeypatch):
    import io

    import pytest

    import torchup.cli as cli

    for index in range(25):  # as many files as show the bar without --verbose
        (tmp_path / f"m{index}.py").write_text(LEGACY)

    def progressbar(**_options):
        raise AssertionError("no bar under --verbose: its lines would break the bar's")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(cli.click, "progressbar", progressbar)
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(SystemExit) as exited:
        cli.main(["fix", "--no-cache", "--check", "--verbose", "--jobs", "1", str(tmp_path)], standalone_mode=False)
    assert exited.value.code == 1
    assert all(f"m{index}.py" in terminal.getvalue() for index in range(25))


def test_a_diff_of_a_file_without_a_final_newline_applies_with_git(tmp_path):
    # difflib leaves the last line without its newline; the diff must say so, as git's do, or
    # `git apply` adds one (and a diff shown before another would run into it).
    source = "import torch\nx = torch.zeros(3).cuda(async=True)"
    (tmp_path / "model.py").write_text(source)
    (tmp_path / "other.py").write_text("import torch\ny = torch.ones(2).cuda(async=True)\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "torchup", "fix", "--diff", "--no-color", "model.py", "other.py"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "+x = torch.zeros(3).cuda(non_blocking=True)\n\\ No newline at end of file\n" in result.stdout
    subprocess.run(["git", "apply", "-"], cwd=tmp_path, input=result.stdout, text=True, check=True)
    assert (tmp_path / "model.py").read_text() == "import torch\nx = torch.zeros(3).cuda(non_blocking=True)"
    assert (tmp_path / "other.py").read_text() == "import torch\ny = torch.ones(2).cuda(non_blocking=True)\n"


def test_diff_with_format_shows_what_fix_with_format_writes(tmp_path):
    target = tmp_path / "model.py"
    target.write_text("from torch.autograd import Variable\ny = Variable(f('a'))\nz = g( 'b' )\n")
    shown = invoke("fix", "--diff", "--format", "--no-color", target)
    assert shown.exit_code == 0, shown.output
    assert "+y = f(\"a\")\n" in shown.stdout
    assert "z = g( 'b' )" in target.read_text()  # --diff wrote nothing
    written = invoke("fix", "--format", target)
    assert written.exit_code == 0
    assert target.read_text() == "y = f(\"a\")\nz = g( 'b' )\n"  # black on the changed line only


def test_any_two_write_back_modes_are_a_usage_error(legacy_tree):
    target = legacy_tree / "plain.py"
    before = target.read_text()
    for pair in (("--diff", "--check"), ("--check", "--interactive"), ("--diff", "--output-dir", str(legacy_tree / "out"))):
        result = invoke("fix", *pair, target)
        assert result.exit_code == 2, pair
        assert "--diff, --check, --interactive and --output-dir exclude each other" in result.stderr
    assert target.read_text() == before and not (legacy_tree / "out").exists()


def test_fix_diff_keeps_stdout_a_patch_and_says_findings_on_stderr(tmp_path):
    # `torchup fix --diff > change.patch`: a finding on stdout would break the patch.
    target = tmp_path / "m.py"
    target.write_text("import torch\nx = y.cuda(async=True)\nstate = torch.load('m.pt')\n")
    result = invoke("fix", "--diff", "--no-color", target)
    assert result.stdout.startswith("---") and "TU405" not in result.stdout
    assert f"{target}:3:9: TU405" in result.stderr


def test_options_that_exclude_each_other_are_usage_errors(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    both = invoke("check", "--add-noqa", "--show-unused-noqa", target)
    assert both.exit_code == 2 and "Error: --add-noqa and --show-unused-noqa exclude each other" in both.stderr
    listing = tmp_path / "list.txt"
    listing.write_text(f"{target}\n")
    copied = invoke("fix", "--output-dir", tmp_path / "out", "--files-from", listing)
    assert copied.exit_code == 2
    assert "Error: --output-dir copies PATHS; it cannot be combined with --files-from" in copied.stderr
    assert target.read_text() == LEGACY and not (tmp_path / "out").exists()


def test_explain_heads_the_documentation_with_code_name_and_safety():
    assert invoke("explain", "TU303").stdout.startswith("TU303 async_keyword (safe)\n\n")


def test_add_noqa_says_directive_and_file_in_the_singular_for_one(tmp_path):
    target = tmp_path / "load.py"
    target.write_text("import torch\nstate = torch.load(path)\n")
    result = invoke("check", "--no-cache", "--add-noqa", target)
    assert result.exit_code == 0
    assert result.stderr.endswith("Added 1 noqa directive to 1 file.\n")


def test_fix_check_prints_the_chosen_format_on_stdout(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    result = invoke("fix", "--check", "--no-cache", "--output-format", "json", target)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["command"], document["mode"], document["summary"]["changed"]) == ("fix", "check", 1)
    assert f"would rewrite {target}" not in result.stderr


def test_verbose_lists_each_file_but_a_failed_one_only_by_its_error(tmp_path):
    (tmp_path / "a.py").write_text(LEGACY)
    (tmp_path / "b.py").write_text('print "py2", x.cuda(async=True)\n')
    result = invoke("fix", "--check", "--no-cache", "--verbose", "--jobs", "1", tmp_path)
    assert f"changed: {tmp_path / 'a.py'}" in result.stderr
    assert f"error: cannot parse {tmp_path / 'b.py'}" in result.stderr
    assert f"failed: {tmp_path / 'b.py'}" not in result.stderr


# -- options and messages (the tenth round's self-sweep) -----------------------------------------

ASYNC_AND_VARIABLE = "import torch\nfrom torch.autograd import Variable\nx = Variable(y).to(d, async=True)\n"


def test_select_codes_are_case_blind_and_a_trailing_comma_adds_none(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(ASYNC_AND_VARIABLE)
    for select in ("tu303", "TU303,", " tu303 , "):
        result = invoke("check", "--no-cache", "--select", select, target)
        assert result.exit_code == 1, result.stderr
        assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["TU303 `async=` keyword argument renamed `non_blocking=` [*]"]


def codes_of(result):
    """The codes of a `check` run's lines, in order."""
    return [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()]


def test_select_on_the_command_line_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.torchup]\nselect = ["TU401"]\n')
    target = tmp_path / "a.py"
    target.write_text(VARIABLE_AND_CONSTRUCTOR)
    result = invoke("check", "--no-cache", "--select", "TU101", target)
    assert codes_of(result) == ["TU101"]
    assert codes_of(invoke("check", "--no-cache", target)) == ["TU401"]


VARIABLE_AND_CONSTRUCTOR = "import torch\nfrom torch.autograd import Variable\nx = Variable(y)\nz = torch.LongTensor([1])\n"


def test_bare_noqa_in_pyproject_lets_a_bare_noqa_suppress(tmp_path):
    target = tmp_path / "a.py"
    target.write_text(VARIABLE_AND_CONSTRUCTOR.replace("Variable(y)\n", "Variable(y)  # noqa\n"))
    assert codes_of(invoke("check", "--no-cache", target)) == ["TU101", "TU401"]  # a bare noqa is flake8's
    (tmp_path / "pyproject.toml").write_text("[tool.torchup]\nbare-noqa = true\n")
    assert codes_of(invoke("check", "--no-cache", target)) == ["TU401"]


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("TORCHUP_CACHE_DIR", str(directory))
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    invoke("check", "--no-cache", target)
    assert not directory.exists()
    invoke("check", target)
    assert len(list(directory.glob("cache.*.pickle"))) == 1


def test_verbose_names_each_file_s_status(tmp_path):
    legacy, modern = tmp_path / "a.py", tmp_path / "b.py"
    legacy.write_text(LEGACY)
    modern.write_text("import os\n")
    result = invoke("fix", "--check", "--no-cache", "-v", legacy, modern)
    assert f"changed: {legacy}\n" in result.stderr and f"skipped: {modern}\n" in result.stderr


def test_a_signal_during_the_run_says_which_and_restores_the_sigterm_handler(tmp_path, monkeypatch):
    import os
    import signal

    from torchup import cli

    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    before = signal.getsignal(signal.SIGTERM)

    def terminated(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(cli, "run", terminated)
    result = CliRunner().invoke(main, ["fix", "--no-cache", str(target)])
    assert result.exit_code == 143
    assert result.stderr == "torchup: interrupted (SIGTERM); every file is either as it was or fully migrated\n"
    assert signal.getsignal(signal.SIGTERM) is before

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    result = CliRunner().invoke(main, ["fix", "--no-cache", str(target)])
    assert result.exit_code == 130
    assert result.stderr == "torchup: interrupted (SIGINT); every file is either as it was or fully migrated\n"


def test_ctrl_c_outside_the_run_exits_130(tmp_path, monkeypatch):
    from torchup import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "discover", interrupted)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (130, "torchup: interrupted (SIGINT)\n")


def test_add_noqa_names_a_file_it_cannot_write(tmp_path, monkeypatch):
    from torchup import cli

    def refused(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli, "write_atomic", refused)
    target = tmp_path / "a.py"
    target.write_text(LEGACY)
    result = invoke("check", "--no-cache", "--add-noqa", target)
    assert result.exit_code == 123
    assert f"error: {target}: cannot write: [Errno 13] Permission denied\n" in result.stderr
    assert result.stderr.endswith("Added 0 noqa directives to 0 files.\n")


def test_a_shard_or_jobs_value_that_is_no_number_is_a_usage_error(tmp_path):
    result = invoke("check", "--shard", "x/2", tmp_path)
    assert result.exit_code == 2 and "expected K/N with 1 <= K <= N, got 'x/2'" in result.stderr
    result = invoke("check", "-j", "-1", tmp_path)
    assert result.exit_code == 2 and "-1 is not in the range x>=0" in result.stderr


def test_a_command_s_help_exits_0_not_as_an_internal_error():
    # Its --help is parsed inside the group's invoke, where click exits by raising.
    result = CliRunner().invoke(main, ["fix", "--help"])
    assert result.exit_code == 0 and result.stdout.startswith("Usage: ")
    assert "internal error" not in result.stderr
