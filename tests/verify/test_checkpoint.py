"""``torchup upgrade-checkpoint``: a legacy Counter checkpoint made loadable by the migrated Counter."""

from __future__ import annotations

import argparse
import importlib.util

import pytest
import torch
from click.testing import CliRunner

from verify_runs import COUNTER
from torchup.verify.command import upgrade_checkpoint


def new_counter():
    """The migrated Counter, under a module name of its own (the fixtures are all counter.py)."""
    spec = importlib.util.spec_from_file_location("counter_new", COUNTER / "new" / "counter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(1)
    return module.Counter(7, 3)


@pytest.fixture
def legacy_state_dict():
    """What the legacy Counter saved: its plain ``calls`` attribute was never in the state_dict.

    (The legacy class itself needs the verifier's CUDA shim to be built on this machine.)
    """
    state_dict = new_counter().state_dict()
    del state_dict["calls"]
    state_dict["head.bias"] += 1  # "trained": must survive the upgrade, not be re-initialised
    return state_dict


def upgrade(tmp_path, old_file, *options):
    new_file = tmp_path / "upgraded.pt"
    result = CliRunner().invoke(
        upgrade_checkpoint,
        [
            str(old_file),
            str(new_file),
            "--new",
            str(COUNTER / "new"),
            "--model",
            "counter:Counter",
            "--args",
            "[7, 3]",
            *options,
        ],
    )
    return result, new_file


def test_plain_state_dict_gains_the_new_buffer(tmp_path, legacy_state_dict):
    old_file = tmp_path / "legacy.pt"
    torch.save(legacy_state_dict, old_file)
    before = old_file.read_bytes()
    with pytest.raises(RuntimeError, match="Missing key.*calls"):
        new_counter().load_state_dict(legacy_state_dict, strict=True)

    result, new_file = upgrade(tmp_path, old_file)
    assert result.exit_code == 0, result.stderr
    assert "filled buffers from a fresh model: calls" in result.stderr
    upgraded = torch.load(new_file, weights_only=True)
    new_counter().load_state_dict(upgraded, strict=True)
    assert torch.equal(upgraded["calls"], torch.zeros(1))
    for key, value in legacy_state_dict.items():
        assert torch.equal(upgraded[key], value), key  # trained weights kept, not re-initialised
    assert old_file.read_bytes() == before


def test_checkpoint_dict_keeps_its_other_entries(tmp_path, legacy_state_dict):
    old_file = tmp_path / "legacy.pt"
    torch.save({"epoch": 3, "state_dict": legacy_state_dict, "best": 0.5}, old_file)
    result, new_file = upgrade(tmp_path, old_file)
    assert result.exit_code == 0, result.stderr
    upgraded = torch.load(new_file, weights_only=True)
    assert (upgraded["epoch"], upgraded["best"]) == (3, 0.5)
    assert "calls" in upgraded["state_dict"]
    assert "checkpoint['state_dict']" in result.stderr


def test_of_two_state_dicts_the_one_holding_the_models_keys_is_upgraded(tmp_path, legacy_state_dict):
    # neither entry has a conventional name: the one whose keys the new model has is the model's
    old_file = tmp_path / "legacy.pt"
    torch.save({"ema": {"shadow": torch.ones(1)}, "weights_v2": legacy_state_dict}, old_file)
    result, new_file = upgrade(tmp_path, old_file)
    assert result.exit_code == 0, result.stderr
    upgraded = torch.load(new_file, weights_only=True)
    assert "calls" in upgraded["weights_v2"]
    assert set(upgraded["ema"]) == {"shadow"}


def test_pickled_objects_need_unsafe_unpickle(tmp_path, legacy_state_dict):
    old_file = tmp_path / "legacy.pt"
    torch.save({"args": argparse.Namespace(lr=0.1), "model": legacy_state_dict}, old_file)
    refused, new_file = upgrade(tmp_path, old_file)
    assert refused.exit_code == 1
    assert "--unsafe-unpickle" in refused.stderr and not new_file.exists()

    accepted, new_file = upgrade(tmp_path, old_file, "--unsafe-unpickle")
    assert accepted.exit_code == 0, accepted.stderr
    assert "executes any code pickled in it" in accepted.stderr
    assert "calls" in torch.load(new_file, weights_only=False)["model"]


def test_keys_the_new_model_lacks_cannot_be_filled(tmp_path, legacy_state_dict):
    old_file = tmp_path / "legacy.pt"
    torch.save({**legacy_state_dict, "decoder.weight": torch.ones(2)}, old_file)
    result, new_file = upgrade(tmp_path, old_file)
    assert result.exit_code == 1
    assert "decoder.weight" in result.stderr and not new_file.exists()


@pytest.mark.parametrize("spelling", ["dotdot", "symlink"])
def test_never_overwrites_old_named_another_way(tmp_path, legacy_state_dict, spelling):
    old_file = tmp_path / "legacy.pt"
    torch.save(legacy_state_dict, old_file)
    before = old_file.read_bytes()
    (tmp_path / "sub").mkdir()
    if spelling == "symlink":
        same = tmp_path / "sub" / "link.pt"
        same.symlink_to(old_file)
    else:
        same = tmp_path / "sub" / ".." / "legacy.pt"
    result = CliRunner().invoke(
        upgrade_checkpoint,
        [str(old_file), str(same), "--new", str(COUNTER / "new"), "--model", "counter:Counter", "--args", "[7, 3]"],
    )
    assert result.exit_code == 1 and "NEW.pt is OLD.pt" in result.stderr
    assert old_file.read_bytes() == before


def test_never_overwrites_old(tmp_path, legacy_state_dict):
    old_file = tmp_path / "legacy.pt"
    torch.save(legacy_state_dict, old_file)
    result = CliRunner().invoke(
        upgrade_checkpoint,
        [str(old_file), str(old_file), "--new", str(COUNTER / "new"), "--model", "counter:Counter", "--args", "[7, 3]"],
    )
    assert result.exit_code == 1
    assert "NEW.pt is OLD.pt" in result.stderr


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--args", '{"n": 7}', "Error: Invalid value for --args: must be a JSON list, got {\"n\": 7}"),
        ("--kwargs", "[1]", "Error: Invalid value for --kwargs: must be a JSON object, got [1]"),
    ],
)
def test_constructor_arguments_of_the_wrong_json_kind_are_refused_under_their_own_option(
    tmp_path, legacy_state_dict, option, value, message
):
    old_file = tmp_path / "legacy.pt"
    torch.save(legacy_state_dict, old_file)
    result = CliRunner().invoke(
        upgrade_checkpoint,
        [str(old_file), str(tmp_path / "new.pt"), "--new", str(COUNTER / "new"), "--model", "counter:Counter", option, value],
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (tmp_path / "new.pt").exists()
