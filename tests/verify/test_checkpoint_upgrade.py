"""``upgrade()`` itself: what it fills, what it keeps, what it says, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from torchup.verify.checkpoint import CheckpointError, CheckpointUpgrade, upgrade

NEW_MODEL = """
import torch
import torch.nn as nn


class Net(nn.Module):
    # the migration made `self.scale` (a plain tensor) a Parameter and `self.mean` a buffer
    def __init__(self, width=3):
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width)
        self.scale = nn.Parameter(torch.full((width,), 2.0))
        self.register_buffer("mean", torch.full((width,), 0.5))
"""


@pytest.fixture
def new_root(tmp_path) -> Path:
    root = tmp_path / "new"
    root.mkdir()
    (root / "upgrade_net.py").write_text(NEW_MODEL)
    return root


def legacy_state(width=3):
    """The legacy model's state_dict: no `scale`, no `mean`; trained weights; BatchNorm's version."""
    torch.manual_seed(5)
    fc, norm = torch.nn.Linear(width, width), torch.nn.BatchNorm1d(width)
    state = {**{f"fc.{k}": v for k, v in fc.state_dict().items()}, **{f"norm.{k}": v for k, v in norm.state_dict().items()}}
    state["fc.bias"] = state["fc.bias"] + 1
    return state


def run(tmp_path, new_root, checkpoint, **options) -> CheckpointUpgrade:
    old = tmp_path / "old.pt"
    torch.save(checkpoint, old)
    return upgrade(old, tmp_path / "upgraded.pt", new_root, "upgrade_net:Net", [], {}, **options)


def test_missing_buffers_and_parameters_are_filled_and_said_apart(tmp_path, new_root):
    state = legacy_state()
    result = run(tmp_path, new_root, state)
    assert result.filled_buffers == ("mean",) and result.filled_parameters == ("scale",)
    assert result.container_key is None and result.written == tmp_path / "upgraded.pt"
    assert result.summary_lines() == [
        "filled buffers from a fresh model: mean",
        "filled parameters from a fresh model's initialisation (the old checkpoint never held them): scale",
        f"wrote {tmp_path / 'upgraded.pt'}: the state_dict in the checkpoint now loads with strict=True",
    ]
    upgraded = torch.load(result.written, weights_only=True)
    # in the new model's order: its own parameter and buffer first, then its children's
    assert list(upgraded)[:4] == ["scale", "mean", "fc.weight", "fc.bias"]
    assert len(upgraded) == len(state) + 2
    for key, value in state.items():
        torch.testing.assert_close(upgraded[key], value)  # what the checkpoint held is kept
    torch.testing.assert_close(upgraded["scale"], torch.full((3,), 2.0))
    torch.testing.assert_close(upgraded["mean"], torch.full((3,), 0.5))


def test_the_state_dicts_metadata_survives(tmp_path, new_root):
    # BatchNorm reads its version from _metadata when loading; a state_dict from a module has it
    module = torch.nn.Module()
    module.fc, module.norm = torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3)
    state = module.state_dict()
    assert state._metadata["norm"]["version"] == 2
    result = run(tmp_path, new_root, {"model": state, "epoch": 9})
    upgraded = torch.load(result.written, weights_only=True)
    assert upgraded["epoch"] == 9
    assert upgraded["model"]._metadata["norm"]["version"] == 2
    assert result.summary_lines()[-1].endswith("the state_dict in checkpoint['model'] now loads with strict=True")


def test_a_checkpoint_that_already_loads_is_copied_unchanged(tmp_path, new_root):
    complete = legacy_state()
    complete.update(scale=torch.ones(3), mean=torch.zeros(3))
    result = run(tmp_path, new_root, {"net": complete})
    assert result.filled_buffers == result.filled_parameters == ()
    assert result.summary_lines() == [
        "checkpoint['net'] already loads strictly; copied unchanged",
        f"wrote {result.written}: the state_dict in checkpoint['net'] now loads with strict=True",
    ]
    torch.testing.assert_close(torch.load(result.written, weights_only=True)["net"]["scale"], torch.ones(3))


def test_a_shape_that_no_longer_fits_is_refused_and_nothing_written(tmp_path, new_root):
    wider = legacy_state(width=4)
    with pytest.raises(CheckpointError, match="(?s)the upgraded state_dict still does not load strictly: .*size mismatch for fc.weight"):
        run(tmp_path, new_root, wider)
    assert not (tmp_path / "upgraded.pt").exists()


def test_keys_the_new_model_lacks_are_named(tmp_path, new_root):
    state = legacy_state()
    state["decoder.weight"], state["decoder.bias"] = torch.ones(2), torch.ones(2)
    with pytest.raises(CheckpointError) as raised:
        run(tmp_path, new_root, state)
    assert str(raised.value).startswith(
        "cannot fill: the checkpoint holds keys the new model does not have: decoder.weight, decoder.bias "
    )
    assert raised.value.exit_code == 1


def test_the_new_checkpoints_directory_must_exist(tmp_path, new_root):
    old = tmp_path / "old.pt"
    torch.save(legacy_state(), old)
    with pytest.raises(CheckpointError, match=r"the directory of .*missing/upgraded.pt does not exist"):
        upgrade(old, tmp_path / "missing" / "upgraded.pt", new_root, "upgrade_net:Net", [], {})


def test_the_same_file_by_another_name_is_refused(tmp_path, new_root):
    old = tmp_path / "old.pt"
    torch.save(legacy_state(), old)
    before = old.read_bytes()
    with pytest.raises(CheckpointError, match="NEW.pt is OLD.pt"):
        upgrade(old, tmp_path / "." / "old.pt", new_root, "upgrade_net:Net", [], {})
    assert old.read_bytes() == before


def test_the_conventional_key_is_chosen_over_another_state_dict_with_the_same_keys():
    from torchup.verify.checkpoint import find_state_dict

    weights = {"fc.weight": torch.zeros(2, 2), "fc.bias": torch.zeros(2)}
    averaged = {key: value + 1 for key, value in weights.items()}
    # An exponential moving average saved first, with the same keys: `state_dict` is the model.
    checkpoint = {"ema": averaged, "state_dict": weights, "epoch": 3}
    key, found = find_state_dict(checkpoint, list(weights))
    assert key == "state_dict" and found is weights
    # With no conventional name, the entry that shares the most keys with the model.
    key, found = find_state_dict({"other": {"x": torch.ones(1)}, "weights": weights}, list(weights))
    assert key == "weights"


def test_the_models_own_module_wins_over_an_installed_package_of_its_name(tmp_path):
    # `iniconfig` is installed (pytest needs it) and torchup never imports it: a fresh process,
    # as a user runs it, must import the model's iniconfig.py from --new, not the package
    import subprocess
    import sys

    root = tmp_path / "new"
    root.mkdir()
    (root / "iniconfig.py").write_text(NEW_MODEL)
    old = tmp_path / "old.pt"
    torch.save(legacy_state(), old)
    command = [sys.executable, "-m", "torchup", "upgrade-checkpoint", str(old), str(tmp_path / "up.pt")]
    done = subprocess.run([*command, "--new", str(root), "--model", "iniconfig:Net"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert set(torch.load(tmp_path / "up.pt", weights_only=True)) >= {"scale", "mean", "fc.weight"}


def test_the_summary_names_every_filled_key_and_calls_no_filled_checkpoint_unchanged(tmp_path):
    written = tmp_path / "upgraded.pt"
    only_parameters = CheckpointUpgrade(written, "model", (), ("scale", "shift"))
    assert only_parameters.summary_lines() == [
        "filled parameters from a fresh model's initialisation (the old checkpoint never held them): scale, shift",
        f"wrote {written}: the state_dict in checkpoint['model'] now loads with strict=True",
    ]
    only_buffers = CheckpointUpgrade(written, None, ("mean", "steps"), ())
    assert only_buffers.summary_lines() == [
        "filled buffers from a fresh model: mean, steps",
        f"wrote {written}: the state_dict in the checkpoint now loads with strict=True",
    ]
