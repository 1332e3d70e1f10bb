"""Spec parsing: flags, --spec files and [tool.torchup.verify]; errors name the key and the file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from torchup.verify.command import verify
from torchup.verify.spec import DTYPE_ALIASES, InputSpec, SpecError, load_pyproject, load_spec_file


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("3x4", InputSpec((3, 4), "float32", None), id="float"),
        pytest.param("2x10:int64:100", InputSpec((2, 10), "int64", 100), id="int-high"),
        pytest.param("5:long", InputSpec((5,), "int64", 10), id="int-default-high"),
        pytest.param("2x2:bool", InputSpec((2, 2), "bool", 2), id="bool"),
        pytest.param("scalar", InputSpec((), "float32", None), id="scalar"),
        pytest.param("2x10:int64:1-100", InputSpec((2, 10), "int64", 100, 1), id="int-low-high"),
        pytest.param("3x4:", InputSpec((3, 4), "float32", None), id="empty-dtype-is-float32"),
        pytest.param(":int64:7", InputSpec((), "int64", 7), id="empty-shape-is-a-scalar"),
        pytest.param(" 2x3 : Half ", InputSpec((2, 3), "float16", None), id="spaces-around-parts"),
        pytest.param("3x4:bf16", InputSpec((3, 4), "bfloat16", None), id="bfloat16-is-a-float"),
    ],
)
def test_input_spec_parses(text, expected):
    assert InputSpec.parse(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("3y4", "shape '3y4'", id="bad-shape"),
        pytest.param("3x4:complex7", "unknown dtype 'complex7'", id="bad-dtype"),
        pytest.param("3x4:float32:10", "HIGH only applies to integer dtypes", id="high-on-float"),
        pytest.param("3x4:bf16:10", "HIGH only applies to integer dtypes", id="high-on-bfloat16"),
        pytest.param("3x4:int64:0", "HIGH must be a positive integer", id="zero-high"),
        pytest.param("3:int64:5:1", "expected SHAPE[:DTYPE[:[LOW-]HIGH]]", id="too-many-parts"),
        pytest.param("3:int64:9-5", "LOW must be below HIGH", id="low-above-high"),
        pytest.param("3:int64:5-5", "LOW must be below HIGH", id="low-equals-high"),  # [5, 5) is empty
        pytest.param("3:int64:-5", "or LOW-HIGH like 1-100", id="bad-bounds"),
        # the whole bound must read as numbers, not only its start
        pytest.param("3:int64:10abc", "HIGH must be a positive integer", id="trailing-text"),
        pytest.param("3:int64:5-10-20", "or LOW-HIGH like 1-100", id="three-bounds"),
    ],
)
def test_input_spec_rejects(text, message):
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]")):
        InputSpec.parse(text)


@pytest.mark.parametrize("alias", sorted(DTYPE_ALIASES))
def test_each_dtype_alias_names_the_dtype_torch_gives_that_name(alias):
    torch = pytest.importorskip("torch")
    # torch's own spellings (half, long, short ...) must mean what they mean in torch; the others
    # (f16, i64, byte ...) the dtype they abbreviate.
    short = {
        "f32": torch.float32, "f64": torch.float64, "f16": torch.float16, "bf16": torch.bfloat16,
        "i64": torch.int64, "i32": torch.int32, "byte": torch.uint8,
    }
    expected = short[alias] if alias in short else getattr(torch, alias)
    assert getattr(torch, InputSpec.parse(f"2:{alias}").dtype) is expected


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_spec_file_with_two_models(tmp_path):
    spec = load_spec_file(
        write(
            tmp_path / "verify.toml",
            """
        codes = ["TU201"]
        xfail = "ignored by the verifier"
        [[model]]
        model = "lm:RNN"
        args = [10, 8]
        inputs = ["2x5:int64:10"]
        rtol = 1e-6
        [[model]]
        name = "cnn"
        model = "cnn:make"
        kwargs = {width = 3}
        inputs_fn = "cnn:make_inputs"
        seed = 7
    """,
        )
    )
    first, second = spec.models
    assert (first.name, first.args, first.inputs[0].high, first.rtol, first.atol) == ("lm:RNN", (10, 8), 10, 1e-6, 0.0)
    assert (second.name, dict(second.kwargs), second.inputs_fn, second.seed) == (
        "cnn",
        {"width": 3},
        "cnn:make_inputs",
        7,
    )


def test_pyproject_table_with_relative_roots(tmp_path):
    (tmp_path / "legacy").mkdir()
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.torchup.verify]
        old = "legacy"
        new = "."
        [[tool.torchup.verify.model]]
        model = "m:Net"
        inputs = ["3x4"]
    """,
    )
    (tmp_path / "sub").mkdir()
    spec = load_pyproject(tmp_path / "sub")
    assert spec.old == str((tmp_path / "legacy").resolve())
    assert spec.new == str(tmp_path.resolve())
    assert [model.model for model in spec.models] == ["m:Net"]


@pytest.mark.parametrize(
    "body, message",
    [
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3"]\nbatch = 3\n', r"unknown key 'batch'", id="unknown-model-key"
        ),
        pytest.param(
            'colour = "red"\n[[model]]\nmodel = "m:N"\ninputs = ["3"]\n', r"unknown key 'colour'", id="unknown-top-key"
        ),
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3"]\nseed = "0"\n', r"'seed' must be an integer", id="seed-type"
        ),
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3"]\nrtol = true\n', r"'rtol' must be a number", id="rtol-type"
        ),
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3"]\natol = -1e-6\n', r"'atol' must not be negative, got -1e-06", id="atol-negative"
        ),
        pytest.param('[[model]]\nmodel = "m:N"\ninputs = "3x4"\n', r"'inputs' must be a list", id="inputs-type"),
        pytest.param('[[model]]\nmodel = "mN"\ninputs = ["3"]\n', r"'model' must be MODULE:NAME", id="model-form"),
        pytest.param('[[model]]\nmodel = "m:"\ninputs = ["3"]\n', r"'model' must be MODULE:NAME", id="model-without-name"),
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs_fn = " :f"\n', r"'inputs_fn' must be MODULE:NAME", id="inputs-fn-without-module"
        ),
        pytest.param('[[model]]\ninputs = ["3"]\n', r"missing required key 'model'", id="model-missing"),
        pytest.param('[[model]]\nmodel = "m:N"\n', r"needs inputs", id="no-inputs"),
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3"]\ninputs_fn = "m:f"\n',
            r"either 'inputs' or 'inputs_fn'",
            id="both-inputs",
        ),
        pytest.param("codes = []\n", r"no \[\[model\]\] entries", id="no-models"),
        pytest.param("[[model]\n", r"not valid TOML", id="bad-toml"),
    ],
)
def test_spec_errors_name_the_key_and_the_file(tmp_path, body, message):
    path = tmp_path / "verify.toml"
    path.write_text(body)
    with pytest.raises(SpecError, match=message) as caught:
        load_spec_file(path)
    assert str(path) in str(caught.value)


def test_cli_reports_spec_errors_without_starting_workers(tmp_path):
    path = write(tmp_path / "verify.toml", '[[model]]\nmodel = "m:N"\ninputs = ["3"]\nbatch = 3\n')
    result = CliRunner().invoke(verify, ["--old", str(tmp_path), "--new", str(tmp_path), "--spec", str(path)])
    assert result.exit_code == 2
    assert "unknown key 'batch'" in result.stderr and str(path) in result.stderr


@pytest.mark.parametrize(
    "options, message",
    [
        pytest.param(["--model", "m:N", "--input", "3", "--args", "{}"], "must be a JSON list", id="args-not-list"),
        pytest.param(["--model", "m:N", "--input", "3", "--kwargs", "[1"], "not valid JSON", id="kwargs-bad-json"),
        pytest.param(["--model", "m:N"], "needs inputs", id="no-inputs"),
        pytest.param(["--input", "3"], "give --model too", id="input-without-model"),
        pytest.param(["--args", "[4]"], "give --model too", id="args-without-model"),
        pytest.param(["--kwargs", '{"features": 4}'], "give --model too", id="kwargs-without-model"),
        pytest.param(["--inputs", "harness:inputs"], "give --model too", id="inputs-function-without-model"),
        pytest.param(
            ["--model", "m:N", "--input", "3", "--spec", "verify.toml"], "either --model or --spec", id="model-and-spec"
        ),
    ],
)
def test_cli_flag_errors(tmp_path, options, message):
    result = CliRunner().invoke(verify, ["--old", str(tmp_path), "--new", str(tmp_path), *options])
    assert result.exit_code == 2
    assert message in result.stderr


def test_old_is_required_without_a_pyproject_default(tmp_path):
    result = CliRunner().invoke(verify, ["--new", str(tmp_path), "--model", "m:N", "--input", "3"])
    assert result.exit_code == 2
    assert "--old is required" in result.stderr


def test_dtype_names_are_read_whatever_their_case():
    from torchup.verify.spec import InputSpec

    assert InputSpec.parse("3x4:Float32").dtype == "float32"
    assert InputSpec.parse("2x5:INT64:100") == InputSpec((2, 5), "int64", 100, 0)
    assert InputSpec.parse("7:Half").dtype == "float16"


def test_spec_roots_are_resolved_against_the_spec_files_directory(tmp_path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.txt").write_text("a file, not a tree: taken as a git revision")
    spec = load_spec_file(
        write(tmp_path / "sub" / "verify.toml", 'old = "../legacy"\nnew = "notes.txt"\n[[model]]\nmodel = "m:N"\ninputs = ["3"]\n')
    )
    assert spec.old == str((tmp_path / "legacy").resolve())  # absolute, no `sub/..` left in it
    assert spec.new == "notes.txt"


def test_what_a_worker_is_sent_holds_every_value_of_the_entry(tmp_path):
    spec = load_spec_file(
        write(
            tmp_path / "verify.toml",
            """
        [[model]]
        name = "lm"
        model = "lm:RNN"
        args = [10]
        kwargs = {nhid = 8, dropout = 0.5}
        inputs = ["2x5:int64:1-10", "3"]
        seed = 4
        mode = "train"
    """,
        )
    )
    [model] = spec.models
    assert model.mode == "train"
    assert model.to_json() == {
        "name": "lm",
        "model": "lm:RNN",
        "args": [10],
        "kwargs": {"dropout": 0.5, "nhid": 8},
        "inputs": [
            {"shape": [2, 5], "dtype": "int64", "high": 10, "low": 1},
            {"shape": [3], "dtype": "float32", "high": None, "low": 0},
        ],
        "inputs_fn": None,
        "seed": 4,
        "mode": "train",
    }


def test_cli_kwargs_that_are_no_object_are_refused_as_such(tmp_path):
    result = CliRunner().invoke(
        verify, ["--old", str(tmp_path), "--new", str(tmp_path), "--model", "m:N", "--input", "3", "--kwargs", "[1]"]
    )
    assert result.exit_code == 2
    assert "Error: Invalid value for --kwargs: must be a JSON object, got [1]" in result.stderr


def test_upgrade_checkpoint_refuses_a_bad_model_reference_before_loading(tmp_path):
    from torchup.verify.command import upgrade_checkpoint

    old = tmp_path / "old.pt"
    old.write_bytes(b"")  # never read: the reference is refused first
    result = CliRunner().invoke(upgrade_checkpoint, [str(old), str(tmp_path / "new.pt"), "--new", str(tmp_path), "--model", "net"])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: command line: 'model' must be MODULE:NAME, got 'net'\n")
    assert not (tmp_path / "new.pt").exists()


def test_a_spec_files_new_is_used_unless_new_is_given(tmp_path, monkeypatch):
    # a NEW that is no directory stops the run before any worker starts: what --new became shows
    pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "src").mkdir()
    spec = write(tmp_path / "verify.toml", 'old = "legacy"\nnew = "missing"\n[[model]]\nmodel = "m:N"\ninputs = ["3"]\n')
    result = CliRunner().invoke(verify, ["--spec", str(spec), "--device", "cpu"])
    assert result.exit_code == 123
    assert result.stderr == "torchup verify: --new 'missing' is not a directory\n1 error\n"
    spec.write_text('old = "legacy"\nnew = "src"\n[[model]]\nmodel = "m:N"\ninputs = ["3"]\n')
    result = CliRunner().invoke(verify, ["--spec", str(spec), "--new", "elsewhere", "--device", "cpu"])
    assert result.exit_code == 123
    assert result.stderr == "torchup verify: --new 'elsewhere' is not a directory\n1 error\n"
