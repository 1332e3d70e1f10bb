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
