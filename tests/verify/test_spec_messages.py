"""Each refusal of a verify spec, word for word: which file, which entry, which key, what is allowed."""

from __future__ import annotations

import pytest

from torchup.verify.spec import SpecError, build_model_spec, load_pyproject, load_spec_file

GOOD = '[[model]]\nmodel = "m:N"\ninputs = ["3"]\n'


@pytest.mark.parametrize(
    "body, message",
    [
        pytest.param(
            'colour = "red"\n' + GOOD,
            "{path}: unknown key 'colour' (allowed: ...)",
            id="unknown-top-key",
        ),
        pytest.param('model = "m:N"\n', "{path}: 'model' must be an array of tables ([[model]] entries)", id="model-a-string"),
        pytest.param('model = ["m:N"]\n', "{path}: 'model' must be an array of tables ([[model]] entries)", id="model-strings"),
        pytest.param(
            GOOD + '[[model]]\nmodel = "m:M"\ninputs = ["3"]\nbatch = 3\n',
            "{path} (model entry 2): unknown key 'batch' (allowed: ...)",
            id="second-entry",
        ),
        pytest.param(
            GOOD + GOOD,
            "{path}: two model entries are named 'm:N'; give each a distinct 'name'",
            id="duplicate-names",
        ),
        pytest.param("old = 3\n" + GOOD, "{path}: 'old' must be a string (a directory or git revision), got 3", id="old-type"),
        pytest.param(
            GOOD + "inputs_fn = 3\n",
            "{path} (model entry 1): 'inputs_fn' must be a string MODULE:FUNC, got 3",
            id="inputs-fn-type",
        ),
        pytest.param(GOOD + "name = 3\n", "{path} (model entry 1): 'name' must be a string, got 3", id="name-type"),
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3x4", 5]\n',
            "{path} (model entry 1): 'inputs' must be a list of strings like \"3x4\", got ['3x4', 5]",
            id="inputs-not-all-strings",
        ),
        pytest.param(GOOD + 'rtol = "1e-5"\n', "{path} (model entry 1): 'rtol' must be a number, got '1e-5'", id="rtol-a-string"),
        pytest.param(GOOD + "atol = true\n", "{path} (model entry 1): 'atol' must be a number, got True", id="atol-a-bool"),
        # TOML's true is Python's True, an int: a seed of 1 no one wrote
        pytest.param(GOOD + "seed = true\n", "{path} (model entry 1): 'seed' must be an integer, got True", id="seed-a-bool"),
        pytest.param(GOOD + "seed = 1.5\n", "{path} (model entry 1): 'seed' must be an integer, got 1.5", id="seed-a-float"),
        pytest.param(GOOD + 'args = "4"\n', "{path} (model entry 1): 'args' must be a list, got '4'", id="args-type"),
        pytest.param(
            GOOD + "kwargs = [4]\n", "{path} (model entry 1): 'kwargs' must be a table/object, got [4]", id="kwargs-type"
        ),
        # a bad input string names the file and the entry it is in, then the input
        pytest.param(
            '[[model]]\nmodel = "m:N"\ninputs = ["3y4"]\n',
            "{path} (model entry 1): input '3y4': shape '3y4' is not like 3x4",
            id="input-in-an-entry",
        ),
        # of two unknown keys, or two names used twice, the first in sorted order is named
        pytest.param('zeta = 1\ncolour = "red"\n' + GOOD, "{path}: unknown key 'colour' (allowed: ...)", id="two-unknown-top-keys"),
        pytest.param(
            GOOD + "zeta = 1\nbatch = 3\n", "{path} (model entry 1): unknown key 'batch' (allowed: ...)", id="two-unknown-entry-keys"
        ),
        pytest.param(
            GOOD + GOOD + GOOD.replace("m:N", "m:M") + GOOD.replace("m:N", "m:M"),
            "{path}: two model entries are named 'm:M'; give each a distinct 'name'",
            id="two-duplicate-names",
        ),
        pytest.param(
            GOOD + 'mode = "test"\n',
            "{path} (model entry 1): 'mode' must be one of eval, train, both, got 'test'",
            id="mode-value",
        ),
    ],
)
def test_spec_refusals_word_for_word(tmp_path, body, message):
    path = tmp_path / "verify.toml"
    path.write_text(body)
    with pytest.raises(SpecError) as refused:
        load_spec_file(path)
    expected = message.format(path=path)
    if expected.endswith("(allowed: ...)"):
        # the allowed keys, sorted and comma-separated; which ones may grow with the spec
        head, allowed = str(refused.value).split(" (allowed: ")
        assert head == expected[: -len(" (allowed: ...)")]
        keys = allowed.rstrip(")").split(", ")
        assert keys == sorted(keys) and all(key.isidentifier() for key in keys) and "model" in keys
    else:
        assert str(refused.value) == expected


@pytest.mark.parametrize(
    "body, listed, not_listed",
    [
        pytest.param(GOOD + "batch = 3\n", {"inputs", "inputs_fn", "seed", "rtol", "atol", "mode"}, {"old", "new"}, id="in-an-entry"),
        pytest.param('colour = "red"\n' + GOOD, {"old", "new", "model"}, {"inputs", "rtol", "seed"}, id="at-the-top"),
    ],
)
def test_an_unknown_key_lists_the_keys_allowed_where_it_is(tmp_path, body, listed, not_listed):
    # an entry's unknown key lists an entry's keys, not the file's top-level ones (and the other way)
    path = tmp_path / "verify.toml"
    path.write_text(body)
    with pytest.raises(SpecError) as refused:
        load_spec_file(path)
    allowed = set(str(refused.value).split(" (allowed: ")[1].rstrip(")").split(", "))
    assert listed <= allowed and not allowed & not_listed


def test_distinct_names_make_two_entries_of_one_model_fine(tmp_path):
    path = tmp_path / "verify.toml"
    path.write_text(GOOD + 'name = "a"\n' + GOOD + 'name = "b"\n')
    assert [model.name for model in load_spec_file(path).models] == ["a", "b"]


def test_a_root_that_is_no_directory_is_a_git_revision(tmp_path):
    (tmp_path / "legacy").mkdir()
    path = tmp_path / "verify.toml"
    path.write_text('old = "HEAD~3"\nnew = "legacy"\n' + GOOD)
    spec = load_spec_file(path)
    assert spec.old == "HEAD~3" and spec.new == str((tmp_path / "legacy").resolve())


def test_an_unreadable_spec_file_says_why(tmp_path):
    with pytest.raises(SpecError) as refused:
        load_spec_file(tmp_path / "missing.toml")
    assert str(refused.value) == f"{tmp_path / 'missing.toml'}: cannot read: No such file or directory"


@pytest.mark.parametrize(
    "pyproject, message",
    [
        pytest.param(None, "no --model, no --spec, and no pyproject.toml above {start}", id="no-pyproject"),
        pytest.param('[project]\nname = "x"\n', "{pyproject}: no [tool.torchup.verify] table (or give --model / --spec)", id="no-tool"),
        pytest.param('[tool.black]\nline-length = 99\n', "{pyproject}: no [tool.torchup.verify] table (or give --model / --spec)", id="no-torchup"),
        pytest.param("[tool.torchup]\nverify = 3\n", "{pyproject}: [tool.torchup.verify] must be a table", id="not-a-table"),
    ],
)
def test_pyproject_refusals_word_for_word(tmp_path, monkeypatch, pyproject, message):
    start = tmp_path / "repo"
    start.mkdir()
    if pyproject is not None:
        (start / "pyproject.toml").write_text(pyproject)
    import torchup.verify.spec as spec_module

    if pyproject is None:  # no pyproject.toml anywhere above tmp_path either
        monkeypatch.setattr(spec_module, "find_pyproject", lambda start: None)
    with pytest.raises(SpecError) as refused:
        load_pyproject(start)
    assert str(refused.value) == message.format(start=start, pyproject=start.resolve() / "pyproject.toml")


def test_a_model_entry_built_without_a_place_is_blamed_on_the_command_line():
    with pytest.raises(SpecError, match=r"^command line: 'model' must be a string MODULE:NAME, got 3$"):
        build_model_spec(3)


def test_a_spec_that_is_not_toml_says_where_the_mistake_is(tmp_path):
    path = tmp_path / "verify.toml"
    path.write_text("[[model]\n")
    with pytest.raises(SpecError) as refused:
        load_spec_file(path)
    # the parser's own words, with the line and column (tomllib's; tomli's on Python < 3.11)
    from torchup.verify.spec import tomllib

    with pytest.raises(tomllib.TOMLDecodeError) as parsed:
        tomllib.loads("[[model]\n")
    assert "(at line 1, column 8)" in str(parsed.value)
    assert str(refused.value) == f"{path}: not valid TOML: {parsed.value}"


def test_an_unknown_dtype_lists_the_dtypes_not_their_aliases():
    from torchup.verify.spec import InputSpec

    with pytest.raises(SpecError) as refused:
        InputSpec.parse("3x4:complex7")
    assert str(refused.value) == (
        "input '3x4:complex7': unknown dtype 'complex7' "
        "(known: bfloat16, bool, float16, float32, float64, int16, int32, int64, int8, uint8)"
    )


def test_references_are_kept_without_the_spaces_around_them():
    # each side imports the module named before the colon: ' net' is no module
    spec = build_model_spec(" net:Net ", inputs_fn=" harness:make ")
    assert (spec.model, spec.inputs_fn, spec.name) == ("net:Net", "harness:make", "net:Net")


def test_no_pyproject_at_or_above_a_directory_is_none(tmp_path):
    from torchup.verify.spec import find_pyproject

    if any((directory / "pyproject.toml").is_file() for directory in tmp_path.parents):
        pytest.skip("a pyproject.toml above the temporary directory")
    (tmp_path / "pyproject.toml").mkdir()  # a directory of that name is no pyproject
    assert find_pyproject(tmp_path) is None
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("")
    assert find_pyproject(tmp_path / "sub") == tmp_path / "sub" / "pyproject.toml"
