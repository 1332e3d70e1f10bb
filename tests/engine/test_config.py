from pathlib import Path

import pytest
from click.testing import CliRunner

from torchup import config
from torchup.cli import main

LEGACY = "import torch\nx = torch.zeros(3).cuda(async=True)\n"


def write_project(root, table):
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.torchup]\n{table}\n")
    (root / "pkg").mkdir()
    (root / "pkg" / "a.py").write_text(LEGACY)
    return root / "pkg" / "a.py"


def test_nearest_pyproject_is_found_above_the_paths(tmp_path):
    target = write_project(tmp_path, 'select = ["TU3"]\njobs = 2\nbuffers = "persistent"')
    loaded = config.load(config.find_pyproject([str(target)]))
    assert loaded.select == ("TU3",) and loaded.jobs == 2 and loaded.buffers == "persistent"
    assert loaded.path == tmp_path / "pyproject.toml"


def test_jobs_zero_means_every_core_and_is_accepted(tmp_path):
    target = write_project(tmp_path, "jobs = 0")
    assert config.load(config.find_pyproject([str(target)])).jobs == 0


@pytest.mark.parametrize(
    "table, message",
    [
        pytest.param('selct = ["TU1"]', "unknown key 'selct'", id="typo"),
        pytest.param('select = "TU1, TU2"', None, id="string-is-one-prefix"),
        pytest.param("jobs = -1", "jobs must be a whole number", id="negative-jobs"),
        pytest.param("jobs = true", "jobs must be a whole number", id="boolean-jobs"),
        pytest.param("unsafe-fixes = 'yes'", "unsafe-fixes must be true or false", id="bool"),
        pytest.param('buffers = "sometimes"', "buffers must be one of", id="buffers"),
        pytest.param('verify = "models:Net"', "verify must be a table", id="verify-not-a-table"),
        pytest.param("bare-noqa = 1", "bare-noqa must be true or false", id="bare-noqa-not-a-bool"),
    ],
)
def test_bad_configuration_names_key_and_file(tmp_path, table, message):
    target = write_project(tmp_path, table)
    if message is None:
        assert config.load(config.find_pyproject([str(target)])).select == ("TU1, TU2",)
        return
    with pytest.raises(config.ConfigError) as raised:
        config.load(config.find_pyproject([str(target)]))
    assert message in str(raised.value) and str(tmp_path / "pyproject.toml") in str(raised.value)
    result = CliRunner().invoke(main, ["fix", "--check", str(target)])
    assert result.exit_code == 123 and message in result.stderr


def test_flags_override_configuration(tmp_path):
    target = write_project(tmp_path, 'select = ["TU3"]\nignore = ["TU303"]')
    runner = CliRunner()
    # as configured, TU303 is ignored, so the `async=` file cannot be parsed (and says why)
    configured = runner.invoke(main, ["fix", "--check", str(target)])
    assert configured.exit_code == 123 and "TU303" in configured.stderr
    # a flag replaces the configured value of its key
    assert runner.invoke(main, ["fix", "--check", "--ignore", "TU1", str(target)]).exit_code == 1


def test_configured_exclude(tmp_path):
    target = write_project(tmp_path, 'extend-exclude = ["pkg/"]')
    result = CliRunner().invoke(main, ["fix", "--check", str(tmp_path)])
    assert result.exit_code == 0 and "nothing to do" in result.stderr
    assert target.read_text() == LEGACY


def test_extend_exclude_adds_to_exclude(tmp_path):
    target = write_project(tmp_path, 'exclude = ["pkg/"]\nextend-exclude = ["other/"]')
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.py").write_text(LEGACY)
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "c.py").write_text(LEGACY)
    result = CliRunner().invoke(main, ["fix", "--check", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1
    assert "kept" in result.stderr and str(target) not in result.stderr and "other" not in result.stderr


UNSAFE_ONLY = "import torch\nx = torch.zeros(3)\nx.require_grad = True\n"  # TU424: an unsafe edit only


def test_no_unsafe_fixes_on_the_command_line_wins_over_the_configuration(tmp_path):
    target = write_project(tmp_path, "unsafe-fixes = true")
    target.write_text(UNSAFE_ONLY)
    runner = CliRunner()
    configured = runner.invoke(main, ["fix", "--check", "--no-cache", str(target)])
    assert configured.exit_code == 1 and "TU424 x1" in configured.stderr
    refused = runner.invoke(main, ["fix", "--check", "--no-cache", "--no-unsafe-fixes", str(target)])
    assert refused.exit_code == 0 and "(unsafe fix: use --unsafe-fixes)" in refused.stderr
    assert target.read_text() == UNSAFE_ONLY


def test_configured_prefixes_select_whatever_their_case(tmp_path):
    target = write_project(tmp_path, 'select = ["tu3"]\nignore = ["tu301"]')
    result = CliRunner().invoke(main, ["fix", "--check", "--no-cache", str(target)])
    # TU303 is selected: the `async=` file would be rewritten (not left unparseable)
    assert result.exit_code == 1 and "TU303 x1" in result.stderr


def test_jobs_zero_on_the_command_line_wins_over_the_configured_jobs(tmp_path, monkeypatch):
    import torchup.cli as cli

    target = write_project(tmp_path, "jobs = 2")
    asked = []
    real_run = cli.run

    def run(files, job, jobs, **options):
        asked.append(jobs)
        return real_run(files, job, 1, **options)

    monkeypatch.setattr(cli, "run", run)
    runner = CliRunner()
    assert runner.invoke(main, ["fix", "--check", "--no-cache", str(target)]).exit_code == 1
    assert runner.invoke(main, ["fix", "--check", "--no-cache", "--jobs", "0", str(target)]).exit_code == 1
    assert runner.invoke(main, ["fix", "--check", "--no-cache", "-j", "3", str(target)]).exit_code == 1
    assert asked == [2, 0, 3]  # 0: every core, as the flag's help says


WHERE = "/project/pyproject.toml"
KNOWN = "bare-noqa, buffers, exclude, extend-exclude, ignore, jobs, select, unsafe-fixes, verify"


@pytest.mark.parametrize(
    "table, message",
    [
        pytest.param({"select": ["TU1", 101]}, "select must be a list of strings, got ['TU1', 101]", id="number-in-list"),
        pytest.param({"exclude": 3}, "exclude must be a list of strings, got 3", id="not-a-list"),
        pytest.param({"unsafe-fixes": 1}, "unsafe-fixes must be true or false, got 1", id="int-for-bool"),
        pytest.param({"buffers": "sometimes"}, "buffers must be one of auto, persistent, non-persistent, got 'sometimes'", id="buffers"),
        pytest.param({"verify": [1]}, "verify must be a table, got [1]", id="list-for-table"),
        pytest.param({"jobs": -1}, "jobs must be a whole number >= 0, got -1", id="negative-jobs"),
        pytest.param({"jobs": 1.5}, "jobs must be a whole number >= 0, got 1.5", id="fractional-jobs"),
    ],
)
def test_refused_value_message_is_whole(table, message):
    # The whole message, file first: a part dropped (the file, the value, the choices) is a bug.
    with pytest.raises(config.ConfigError) as raised:
        config.from_mapping(table, Path(WHERE))
    assert str(raised.value) == f"{WHERE}: [tool.torchup] {message}"


def test_unknown_key_message_lists_the_known_keys_sorted():
    with pytest.raises(config.ConfigError) as raised:
        config.from_mapping({"selct": ["TU1"]}, Path(WHERE))
    assert str(raised.value) == f"{WHERE}: unknown key 'selct' in [tool.torchup] (known keys: {KNOWN})"


def test_each_key_sets_its_own_field():
    loaded = config.from_mapping({"bare-noqa": True}, Path(WHERE))
    assert loaded.bare_noqa is True and loaded.unsafe_fixes is False
    loaded = config.from_mapping({"unsafe-fixes": True, "verify": {"model": "m:Net"}}, Path(WHERE))
    assert loaded.unsafe_fixes is True and loaded.bare_noqa is False and loaded.verify == {"model": "m:Net"}


@pytest.mark.parametrize(
    "content, reason",
    [
        pytest.param(b"[tool.torchup]\nselect = [\"TU1\"]\n# caf\xe9\n", "'utf-8' codec can't decode", id="not-utf8"),
        pytest.param(b"[tool.torchup\n", "Expected ']'", id="bad-toml"),
    ],
)
def test_unreadable_pyproject_is_an_error_naming_it(tmp_path, content, reason):
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "a.py").write_text(LEGACY)
    with pytest.raises(config.ConfigError) as raised:
        config.load(tmp_path / "pyproject.toml")
    assert str(raised.value).startswith(f"{tmp_path / 'pyproject.toml'}: cannot read: ") and reason in str(raised.value)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "a.py")])
    assert result.exit_code == 123 and result.stderr.startswith(f"error: {tmp_path / 'pyproject.toml'}: cannot read: ")


def test_a_directory_named_pyproject_toml_is_not_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.torchup]\nselect = ['TU101']\n")
    project = tmp_path / "project"
    (project / "pyproject.toml").mkdir(parents=True)
    (project / "a.py").write_text("x = 1\n")
    assert config.find_pyproject([str(project / "a.py")]) == tmp_path / "pyproject.toml"
