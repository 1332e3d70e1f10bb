"""``torchup upgrade-checkpoint``'s choices and refusals, in-process: which entry holds the
state_dict, and the message and exit code of each refusal."""

from __future__ import annotations

import sys

import pytest
import torch

from torchup.verify.checkpoint import CheckpointError, build_new_model, find_state_dict, upgrade

WEIGHTS = {"fc.weight": torch.ones(2, 2), "fc.bias": torch.zeros(2)}
MODEL_KEYS = ["fc.weight", "fc.bias"]


def test_a_bare_state_dict_is_its_own_entry():
    key, found = find_state_dict(WEIGHTS, MODEL_KEYS)
    assert key is None and found is WEIGHTS


def test_a_known_entry_name_wins_over_a_better_match():
    checkpoint = {"ema": WEIGHTS, "model_state_dict": {"other": torch.ones(1)}, "epoch": 3}
    key, found = find_state_dict(checkpoint, MODEL_KEYS)
    assert key == "model_state_dict" and found is checkpoint["model_state_dict"]


def test_otherwise_the_entry_sharing_most_keys_with_the_model():
    checkpoint = {"optimizer_like": {"step": torch.ones(1)}, "ema": WEIGHTS, "teacher": {"fc.bias": torch.ones(2)}}
    key, found = find_state_dict(checkpoint, MODEL_KEYS)
    assert key == "ema" and found is WEIGHTS


@pytest.mark.parametrize(
    "checkpoint, message",
    [
        pytest.param([torch.ones(1)], "the checkpoint is a list, not a state_dict or a dict holding one", id="a-list"),
        pytest.param({"epoch": 3, 7: "x", "empty": {}}, "no state_dict found in the checkpoint (its keys: ['7', 'empty', 'epoch'])", id="no-tensors"),
    ],
)
def test_a_checkpoint_without_a_state_dict_is_refused(checkpoint, message):
    with pytest.raises(CheckpointError) as refused:
        find_state_dict(checkpoint, MODEL_KEYS)
    assert str(refused.value) == message and refused.value.exit_code == 1


MODEL = "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self, width=2, *, bias=True):\n        super().__init__()\n        self.fc = torch.nn.Linear(width, width, bias=bias)\n\ndef broken():\n    raise ValueError('no GPU')\n\ndef not_a_module():\n    return 3\n"


@pytest.fixture
def new_root(tmp_path):
    root = tmp_path / "new"
    root.mkdir()
    (root / "net.py").write_text(MODEL)
    return root


def test_the_new_model_is_built_with_its_args_kwargs_and_seed(new_root):
    model = build_new_model(new_root, "net:Net", [3], {"bias": False}, seed=5)
    assert model.fc.weight.shape == (3, 3) and model.fc.bias is None
    again = build_new_model(new_root, "net:Net", [3], {"bias": False}, seed=5)
    assert torch.equal(model.fc.weight, again.fc.weight)


def test_each_root_builds_its_own_module_of_a_shared_name(tmp_path, new_root):
    # The user's modules are imported for one build and forgotten after it: another root's
    # `net.py` (another project, or the same one after an edit) must not get this one's class.
    other = tmp_path / "other"
    other.mkdir()
    (other / "net.py").write_text(MODEL.replace("torch.nn.Linear(width, width,", "torch.nn.Linear(width, 2 * width,"))
    first = build_new_model(new_root, "net:Net", [3], {}, seed=0)
    second = build_new_model(other, "net:Net", [3], {}, seed=0)
    assert first.fc.weight.shape == (3, 3) and second.fc.weight.shape == (6, 3)
    assert "net" not in sys.modules


@pytest.mark.parametrize(
    "reference, message",
    [
        pytest.param("net:broken", "the NEW model net:broken could not be built: ValueError: no GPU\n", id="raises"),
        pytest.param("net:not_a_module", "net:not_a_module returned int, not an nn.Module", id="not-a-module"),
    ],
)
def test_a_new_model_that_cannot_be_built_exits_123(new_root, reference, message):
    with pytest.raises(CheckpointError) as refused:
        build_new_model(new_root, reference, [], {}, seed=0)
    assert str(refused.value).startswith(message) and refused.value.exit_code == 123
    if reference == "net:broken":
        assert "raise ValueError('no GPU')" in str(refused.value)  # the traceback's tail, at the user's line


def test_an_unreadable_checkpoint_names_the_file_and_the_way_out(tmp_path, new_root):
    old = tmp_path / "old.pt"
    old.write_bytes(b"not a checkpoint\nsecond line")
    with pytest.raises(CheckpointError) as refused:
        upgrade(old, tmp_path / "new.pt", new_root, "net:Net", [], {})
    message = str(refused.value)
    assert message.startswith(f"cannot load {old}: ") and "\n" not in message
    assert message.endswith(" (if it holds pickled objects and you trust it, re-run with --unsafe-unpickle)")
    with pytest.raises(CheckpointError) as unsafe:
        upgrade(old, tmp_path / "new.pt", new_root, "net:Net", [], {}, unsafe_unpickle=True)
    assert "--unsafe-unpickle" not in str(unsafe.value)


def test_a_cuda_checkpoint_is_loaded_onto_the_cpu(tmp_path, new_root, monkeypatch):
    seen = {}
    real_load = torch.load

    def load(*args, **kwargs):
        seen.update(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", load)
    torch.save({"fc.weight": torch.ones(2, 2), "fc.bias": torch.ones(2)}, tmp_path / "old.pt")
    upgrade(tmp_path / "old.pt", tmp_path / "new.pt", new_root, "net:Net", [], {})
    assert seen == {"map_location": "cpu", "weights_only": True}
