"""Models as 2017-18 repositories have them, verified end to end in eval and train mode.

``fixtures/real_models``: the annotated Transformer's attention (caches a non-leaf tensor in
forward, has dropout), an RNN language model fed ``model.init_hidden(bsz)``, and a sentence-pair
classifier fed a namespace batch, numpy lengths, an int and a dataclass. ``mutants/`` holds one
bug per model that the verifier must catch: a dropout rate only train mode sees, an initial
hidden state (the inputs differ), an ignored option.
"""

from __future__ import annotations

import textwrap

import pytest

from verify_runs import FIXTURES, run_verify

REAL = FIXTURES / "real_models"
SPEC = """
[[model]]
name = "attention"
model = "attention:SelfAttention"
args = [8]
inputs = ["2x5x8"]
[[model]]
name = "rnn"
model = "rnn:RNNModel"
args = [20, 6]
inputs_fn = "rnn:inputs"
[[model]]
name = "batch"
model = "batch:PairClassifier"
args = [30, 4]
inputs_fn = "batch:inputs"
mode = "eval"
"""


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "verify.toml"
    path.write_text(textwrap.dedent(SPEC))
    return path


def statuses(verified, model):
    return {check["name"]: check["status"] for check in verified.report["models"][model]["checks"]}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, spec_file):
    tmp = tmp_path_factory.mktemp("migrated")
    return run_verify(tmp, REAL / "old", REAL / "new", "--spec", str(spec_file), "--mode", "both", "-j", "3")


@pytest.fixture(scope="module")
def mutated(tmp_path_factory, spec_file):
    tmp = tmp_path_factory.mktemp("mutated")
    return run_verify(tmp, REAL / "old", REAL / "mutants", "--spec", str(spec_file), "--mode", "both", "-j", "3")


def test_real_models_are_equivalent_in_eval_and_train_mode_verified_in_parallel(migrated):
    assert migrated.exit_code == 0, migrated.stderr
    assert [model["name"] for model in migrated.report["models"]] == ["attention", "rnn", "batch"]  # spec order
    for index in range(3):
        checks = statuses(migrated, index)
        for name in ("state_dict", "outputs", "gradients", "train_outputs", "train_gradients", "checkpoint"):
            assert checks[name] == "pass", (index, name, migrated.stderr)
        assert checks["device_portability"] == "pass"
    # One summary at the end, after the three reports.
    assert migrated.stderr.rstrip().splitlines()[-1] == "3 equivalent"


def test_a_forward_that_caches_a_non_leaf_tensor_does_not_crash_the_checkpoint_check(migrated):
    # SelfAttention keeps `self.attn`, a non-leaf tensor, after forward: deep-copying it raised.
    checkpoint = migrated.check("checkpoint", model=0)
    assert checkpoint["status"] == "pass" and "loads strictly" in checkpoint["detail"]


def test_inputs_of_real_types_reach_both_models(migrated):
    # A namespace batch, numpy lengths, an int and a dataclass, built by NEW and carried to OLD.
    assert "inputs" not in statuses(migrated, 2)
    assert "2 output(s)" in migrated.check("outputs", model=2)["detail"]  # a tensor and an int


def test_inputs_from_the_model_are_built_by_each_side_and_compared(migrated):
    # `def inputs(model): ... model.init_hidden(3)`: each side's own model, then compared.
    assert migrated.check("inputs", model=1)["detail"] == "both sides built the same 3 input leaves"
    assert "inputs" not in statuses(migrated, 0)  # --input specs: built once, by NEW


def test_dropout_rate_change_is_caught_only_in_train_mode(mutated):
    assert mutated.exit_code == 1
    checks = statuses(mutated, 0)
    assert checks["outputs"] == "pass" and checks["gradients"] == "pass"  # eval() cannot see it
    assert checks["train_outputs"] == "fail" and checks["train_gradients"] == "fail"
    assert mutated.check("train_outputs", model=0)["detail"].startswith("train mode: output:")


def test_inputs_built_differently_from_init_hidden_are_named(mutated):
    inputs = mutated.check("inputs", model=1)
    assert inputs["status"] == "fail" and inputs["key"] == "input[1]"
    assert statuses(mutated, 1)["outputs"] == "fail"


def test_an_ignored_option_of_a_dataclass_input_is_caught(mutated):
    checks = statuses(mutated, 2)
    assert checks["outputs"] == "fail" and checks["state_dict"] == "pass"
    assert mutated.report["verdict"] == "not equivalent"
    assert mutated.stderr.rstrip().splitlines()[-1] == "3 not equivalent"


def test_spec_mode_is_used_without_the_flag(tmp_path, spec_file):
    # The batch entry says mode = "eval": no train checks.
    only_batch = tmp_path / "one.toml"
    only_batch.write_text(textwrap.dedent(SPEC).split("[[model]]", 3)[0] + "[[model]]" + SPEC.split("[[model]]")[3])
    verified = run_verify(tmp_path, REAL / "old", REAL / "new", "--spec", str(only_batch), "--device", "cpu")
    assert verified.exit_code == 0, verified.stderr
    assert "train_outputs" not in statuses(verified, 0)
