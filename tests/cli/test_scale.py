"""Scale past one machine and one run: --shard, --files-from, report merge, the cache on the CLI."""

import json
import shutil

import pytest
from click.testing import CliRunner

from torchup.cli import main

LEGACY = "import torch\nfrom torch.autograd import Variable\nx = Variable(torch.zeros(3))\n"
MODERN = "import os\nprint(os.sep)\n"
BROKEN = "import torch\nx = Variable(\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    directory = tmp_path / "torchup-cache"
    monkeypatch.setenv("TORCHUP_CACHE_DIR", str(directory))
    return directory


def invoke(*args, input=None):
    return CliRunner().invoke(main, [*map(str, args)], input=input, catch_exceptions=False)


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    for index in range(12):
        package = root / f"pkg{index % 3}"
        package.mkdir(parents=True, exist_ok=True)
        (package / f"legacy_{index}.py").write_text(LEGACY)
        (package / f"modern_{index}.py").write_text(MODERN)
    return root


def processed(result):
    """The paths a `check` run reported a finding for (every legacy file has one)."""
    return sorted({line.split(":", 1)[0] for line in result.stdout.splitlines() if ": TU" in line})


def relative(paths, root):
    return sorted(str(p).replace(str(root), "") for p in paths)


def test_shards_split_the_files_without_overlap_or_loss(repo):
    everything = processed(invoke("check", "--no-cache", repo))
    parts = [processed(invoke("check", "--no-cache", "--shard", f"{k}/3", repo)) for k in (1, 2, 3)]
    assert sorted(path for part in parts for path in part) == everything
    assert len(everything) == 12
    assert all(part for part in parts), "a shard of 12 files came out empty: the hash does not spread"


def test_shards_agree_wherever_the_checkout_lies(repo, tmp_path):
    elsewhere = shutil.copytree(repo, tmp_path / "another" / "machine" / "checkout")
    for k in (1, 2):
        here = processed(invoke("check", "--no-cache", "--shard", f"{k}/2", repo))
        there = processed(invoke("check", "--no-cache", "--shard", f"{k}/2", elsewhere))
        assert relative(here, repo) == relative(there, elsewhere)


def test_a_shard_of_a_tree_without_python_files_has_nothing_to_do(tmp_path):
    (tmp_path / "empty").mkdir()
    for k in (1, 2):
        result = CliRunner().invoke(main, ["check", "--no-cache", "--shard", f"{k}/2", str(tmp_path / "empty")])
        assert result.exit_code == 0, result.output
        assert "No Python files found: nothing to do." in result.output


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "a/b", "1/0"])
def test_a_malformed_shard_is_a_usage_error(repo, value):
    result = invoke("check", "--shard", value, repo)
    assert result.exit_code == 2
    assert "K/N" in result.output


def test_files_from_a_file_processes_only_those(repo, tmp_path):
    chosen = [repo / "pkg0" / "legacy_0.py", repo / "pkg1" / "legacy_1.py"]
    listing = tmp_path / "changed.txt"
    listing.write_text("".join(f"{path}\n" for path in chosen) + "\n")
    result = invoke("check", "--files-from", listing)
    assert processed(result) == sorted(map(str, chosen))
    assert result.exit_code == 1


def test_files_from_stdin_and_a_deleted_file_is_reported_and_skipped(repo):
    # The rule of a path on the command line: reported, the rest processed, exit 123
    # (`git diff --name-only --diff-filter=d` lists no deleted file).
    listed = f"{repo / 'pkg2' / 'legacy_2.py'}\n{repo / 'gone.py'}\n"
    result = invoke("check", "--files-from", "-", input=listed)
    assert processed(result) == [str(repo / "pkg2" / "legacy_2.py")]
    assert f"error: cannot process {repo / 'gone.py'}: does not exist" in result.stderr
    assert result.exit_code == 123


def test_report_merge_sums_the_shards_and_exits_with_the_worst(repo, tmp_path):
    (repo / "pkg0" / "broken.py").write_text(BROKEN)
    whole = tmp_path / "whole.json"
    invoke("fix", "--check", "--no-cache", "--report", whole, repo)
    shards = []
    for k in (1, 2, 3):
        shards.append(tmp_path / f"shard{k}.json")
        invoke("fix", "--check", "--no-cache", "--shard", f"{k}/3", "--report", shards[-1], repo)
    merged_path = tmp_path / "merged.json"
    result = invoke("report", "merge", *shards, "-o", merged_path)
    merged, expected = json.loads(merged_path.read_text()), json.loads(whole.read_text())
    assert result.exit_code == 123 == expected["exit_code"]  # broken.py fails in one shard only
    assert merged["summary"] == expected["summary"]
    assert [entry["path"] for entry in merged["files"]] == sorted(entry["path"] for entry in expected["files"])


def test_report_merge_refuses_reports_of_different_commands(repo, tmp_path):
    fix_report, check_report = tmp_path / "fix.json", tmp_path / "check.json"
    invoke("fix", "--check", "--report", fix_report, repo)
    invoke("check", "--report", check_report, repo)
    result = invoke("report", "merge", fix_report, check_report)
    assert result.exit_code == 123
    assert "different commands" in result.stderr


def test_second_run_is_replayed_from_the_cache(repo, private_cache, monkeypatch):
    from torchup import runner

    first = invoke("check", "-j1", repo)
    assert len(list(private_cache.glob("cache.*.pickle"))) == 1

    def processed_again(path, *args, **kwargs):
        raise AssertionError(f"{path} was processed again")

    monkeypatch.setattr(runner, "process_file", processed_again)
    second = invoke("check", "-j1", repo)
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)


def test_no_cache_neither_reads_nor_writes_it(repo, private_cache):
    invoke("check", "--no-cache", repo)
    assert not private_cache.exists()


def test_a_run_the_cache_answers_imports_no_libcst(repo, private_cache):
    # A subprocess: this test process imported libcst long ago.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from torchup.cli import main\n"
        "try:\n"
        "    main(['fix', '--check', '-q', '-j1', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('libcst' in sys.modules)\n"
    )
    env = {**__import__("os").environ, "TORCHUP_CACHE_DIR": str(private_cache)}
    runs = [subprocess.run([sys.executable, "-c", script, str(repo)], env=env, capture_output=True, text=True) for _ in range(2)]
    assert [run.stdout.split()[-1] for run in runs] == ["True", "False"], [run.stderr for run in runs]


def test_each_unreadable_file_is_reported_by_one_shard_only(repo, tmp_path):
    missing = [tmp_path / f"gone_{index}.py" for index in range(6)]
    listing = "".join(f"{path}\n" for path in missing)
    reported = []
    for k in (1, 2):
        result = invoke("check", "--no-cache", "--shard", f"{k}/2", "--files-from", "-", input=listing)
        reported += [str(path) for path in missing if f"{path}: does not exist" in result.stderr]
    assert sorted(reported) == sorted(map(str, missing))  # each once: no shard repeats another's


BASE = "import torch.nn as nn\n\nclass Base(nn.Module):\n    pass\n"
CHILD = (
    "import torch\nfrom torch.autograd import Variable\nfrom models.base import Base\n\n"
    "class Net{n}(Base):\n    def __init__(self):\n        super(Net{n}, self).__init__()\n"
    "        self.scale = Variable(torch.ones({n}))\n"
)


def test_a_shard_sees_the_modules_whose_base_class_lies_in_another_shard(tmp_path):
    # `Net<n>` is an nn.Module only through `Base`, in models/base.py: whichever shard holds a
    # child, the first pass must have read the base too, or TU201 does not see a module there.
    root = tmp_path / "repo"
    (root / "models").mkdir(parents=True)
    (root / "models" / "base.py").write_text(BASE)
    for n in range(1, 9):
        (root / "models" / f"m{n}.py").write_text(CHILD.format(n=n))
    buffers = []
    for k in (1, 2, 3):
        result = invoke("check", "--no-cache", "--shard", f"{k}/3", root)
        buffers += [line for line in result.stdout.splitlines() if ": TU201" in line]
    assert len(buffers) == 8, buffers


def test_report_merge_says_what_it_merged_and_refuses_what_is_not_json(repo, tmp_path):
    (repo / "pkg0" / "broken.py").write_text(BROKEN)
    shards = []
    for k in (1, 2):
        shards.append(tmp_path / f"shard{k}.json")
        invoke("check", "--no-cache", "--shard", f"{k}/2", "--report", shards[-1], repo)
    result = invoke("report", "merge", *shards, "-o", tmp_path / "merged.json")
    assert result.exit_code == 123
    # 25 files: the 12 legacy ones have a fixable edit each (changed), none a finding; broken.py failed
    assert result.stderr == "merged 2 reports: 25 files, 12 changed, 1 failed, 0 findings\n"
    not_json = tmp_path / "notes.txt"
    not_json.write_text("shard 1 of 2\n")
    refused = invoke("report", "merge", shards[0], not_json)
    assert refused.exit_code == 123
    assert refused.stderr.startswith(f"error: {not_json}: not JSON: Expecting value: line 1 column 1")


def test_a_malformed_shard_is_echoed_in_the_usage_error(repo):
    result = invoke("check", "--shard", "0/3", repo)
    assert result.exit_code == 2
    assert "Invalid value for '--shard': expected K/N with 1 <= K <= N, got '0/3'" in result.stderr


def test_report_merge_writes_a_whole_json_file_and_names_one_that_is_not_json(repo, tmp_path):
    report = tmp_path / "shard.json"
    invoke("check", "--no-cache", "--report", report, repo)
    merged = tmp_path / "merged.json"
    result = invoke("report", "merge", report, "-o", merged)
    assert result.exit_code == 1  # check found legacy code
    assert merged.read_text().endswith("}\n") and json.loads(merged.read_text())["exit_code"] == 1
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    result = invoke("report", "merge", report, garbage)
    assert result.exit_code == 123
    assert result.stderr.startswith(f"error: {garbage}: not JSON: Expecting value")
