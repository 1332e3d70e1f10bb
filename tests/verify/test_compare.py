"""The comparisons in-process: unequal tolerances, and a checkpoint whose shapes changed."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from torchup.verify.compare import (
    checkpoint_check,
    legacy_checkpoint_check,
    compare_gradients,
    compare_inputs,
    compare_outputs,
    compare_state,
    cuda_check,
    leak_check,
    tensor_difference,
)
from torchup.verify.worker import Worker

# |new - old| must be <= atol + rtol * |old| (torch.testing.assert_close).
LARGE = (torch.tensor([100.0]), torch.tensor([100.5]))  # off by 0.5 = 0.5% of the value
NEAR_ZERO = (torch.tensor([0.0]), torch.tensor([0.5]))  # off by 0.5 where the value is 0


@pytest.mark.parametrize(
    "pair, rtol, atol, equal",
    [
        pytest.param(LARGE, 0.01, 0.0, True, id="relative-error-within-rtol"),
        pytest.param(LARGE, 0.0, 0.01, False, id="absolute-error-beyond-atol"),
        pytest.param(NEAR_ZERO, 0.0, 1.0, True, id="absolute-error-within-atol"),
        pytest.param(NEAR_ZERO, 1.0, 0.0, False, id="rtol-means-nothing-at-zero"),
    ],
)
def test_rtol_is_relative_and_atol_absolute(pair, rtol, atol, equal):
    old, new = pair
    assert (tensor_difference(old, new, rtol, atol) is None) is equal
    outputs = compare_outputs({"output": old}, {"output": new}, rtol, atol)
    assert outputs.status == ("pass" if equal else "fail"), outputs.detail
    if equal:
        assert f"equal within rtol={rtol}, atol={atol}" in outputs.detail
    else:
        assert "max abs error 0.5" in outputs.detail
    gradients = compare_gradients(
        {"error": "", "grads": {"w": old}}, {"error": "", "grads": {"w": new}}, rtol, atol
    )
    assert gradients.status == ("pass" if equal else "fail"), gradients.detail
    state = compare_state(
        {"state_dict": {"w": old}, "attributes": {}, "buffers": {}},
        {"state_dict": {"w": new}, "attributes": {}, "buffers": {}},
        rtol,
        atol,
    )
    assert state.status == ("pass" if equal else "fail"), state.detail
    if equal:
        assert f"1 keys equal within rtol={rtol}, atol={atol}" in state.detail


def test_new_buffers_are_compared_with_the_old_attributes_within_the_tolerances():
    old = {"state_dict": {}, "attributes": {"prior": LARGE[0]}, "buffers": {}}
    new = {"state_dict": {"prior": LARGE[1]}, "attributes": {}, "buffers": {"prior": LARGE[1]}}
    assert compare_state(old, new, 0.01, 0.0).status == "pass"
    failed = compare_state(old, new, 0.0, 0.01)
    assert failed.status == "fail" and "new buffer/parameter vs old attribute prior" in failed.detail


def loaded_into(model: nn.Module, other: nn.Module, tmp_path) -> dict:
    """What the verifier's worker answers for strict-loading ``other``'s state_dict into ``model``."""
    path = tmp_path / f"state_{id(other)}.pt"
    torch.save({"state_dict": other.state_dict()}, path)
    worker = Worker(
        {"side": "new", "root": str(tmp_path), "spec": {}, "workdir": str(tmp_path), "parent_cwd": "", "legacy": False, "shim": False}
    )
    worker.model = model
    return worker.load({"path": str(path)})


def test_a_changed_shape_fails_the_checkpoint_check_with_its_size(tmp_path):
    torch.manual_seed(0)
    old, new = nn.Linear(3, 4), nn.Linear(3, 5)
    old_into_new, new_into_old = loaded_into(new, old, tmp_path), loaded_into(old, new, tmp_path)
    assert not old_into_new["loaded"] and old_into_new["missing"] == old_into_new["unexpected"] == []
    check = checkpoint_check(old_into_new, new_into_old)
    assert check.status == "fail", check.detail
    assert "size mismatch for weight" in check.detail
    assert "torch.Size([4, 3])" in check.detail and "torch.Size([5, 3])" in check.detail


def test_a_changed_shape_fails_even_when_the_keys_are_expected_additions(tmp_path):
    class Old(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 4)

    class New(Old):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 5)
            self.register_buffer("calls", torch.zeros(1))

    old_into_new = loaded_into(New(), Old(), tmp_path)
    new_into_old = loaded_into(Old(), New(), tmp_path)
    assert old_into_new["missing"] == ["calls"] and new_into_old["unexpected"] == ["calls"]
    check = checkpoint_check(old_into_new, new_into_old, ["calls"])
    assert check.status == "fail", check.detail
    assert "size mismatch for fc.weight" in check.detail


class _Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)


class _WithCalls(_Plain):
    def __init__(self):
        super().__init__()
        self.register_buffer("calls", torch.zeros(1))


def test_only_expected_additions_pass_with_the_upgrade_path(tmp_path):
    old_into_new = loaded_into(_WithCalls(), _Plain(), tmp_path)
    new_into_old = loaded_into(_Plain(), _WithCalls(), tmp_path)
    assert checkpoint_check(old_into_new, new_into_old, ["calls"]).status == "pass"
    unexpected = checkpoint_check(old_into_new, new_into_old, [])
    assert unexpected.status == "fail" and "missing ['calls']" in unexpected.detail


def test_loading_leaves_the_sides_own_model_untouched(tmp_path):
    model, other = nn.Linear(3, 4), nn.Linear(3, 4)
    before = {key: value.clone() for key, value in model.state_dict().items()}
    assert loaded_into(model, other, tmp_path) == {"loaded": True, "missing": [], "unexpected": [], "message": ""}
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key  # a copy was loaded, not the model the other checks use


def test_a_failed_load_reports_its_keys_and_the_first_line(tmp_path):
    class Wider(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 4)
            self.extra = nn.Linear(1, 1)

    result = loaded_into(nn.Sequential(nn.Linear(3, 4)), Wider(), tmp_path)
    assert result["loaded"] is False
    assert result["missing"] == ["0.bias", "0.weight"]
    assert result["unexpected"] == ["extra.bias", "extra.weight", "fc.bias", "fc.weight"]
    assert result["message"] == "Error(s) in loading state_dict for Sequential:"
    assert result["full_message"].startswith(result["message"] + "\n") and "Missing key(s)" in result["full_message"]


def test_outputs_of_another_structure_fail_with_both_sides_paths():
    check = compare_outputs({"output.0": torch.ones(1)}, {"output.logits": torch.ones(1)}, 1e-5, 1e-8)
    assert check.status == "fail"
    assert "old only ['output.0'], new only ['output.logits']" in check.detail
    assert check.extra == (("old", ["output.0"]), ("new", ["output.logits"]))


def _gpu_reply(tmp_path, devices):
    outputs = {"output": torch.arange(3.0)}
    torch.save(outputs, tmp_path / "reference.pt")
    torch.save(outputs, tmp_path / "outputs.pt")
    return {"ran": True, "reference": str(tmp_path / "reference.pt"), "outputs": str(tmp_path / "outputs.pt"), "devices": devices}


def test_the_gpu_check_passes_outputs_on_any_cuda_device_and_fails_one_left_on_the_cpu(tmp_path):
    assert cuda_check(_gpu_reply(tmp_path, ["cuda:0", "cuda:1"]), None).status == "pass"
    left = cuda_check(_gpu_reply(tmp_path, ["cuda:0", "cpu"]), None)
    assert left.status == "fail" and "returned outputs on ['cuda:0', 'cpu']" in left.detail


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            torch.ones(2),
            torch.ones(2, dtype=torch.float64),
            {"detail": "dtype torch.float32 vs torch.float64", "old": "torch.float32", "new": "torch.float64"},
            id="dtype",
        ),
        pytest.param(torch.ones(2), torch.ones(3), {"detail": "shape (2,) vs (3,)", "old": [2], "new": [3]}, id="shape"),
        pytest.param(1, 2, {"detail": "old 1, new 2", "old": 1, "new": 2}, id="python-values"),
        pytest.param(torch.ones(1), 1.0, {"detail": "old is a tensor of shape (1,), new is float 1.0"}, id="tensor-and-not"),
        pytest.param(1.0, torch.ones(1), {"detail": "old is float 1.0, new is a tensor of shape (1,)"}, id="not-and-tensor"),
        pytest.param(2, torch.ones(2), {"detail": "old is int 2, new is a tensor of shape (2,)"}, id="number-and-vector"),
    ],
)
def test_a_difference_names_both_sides(old, new, expected):
    assert tensor_difference(old, new, None, None) == expected


def test_nan_in_the_same_place_on_both_sides_is_equal_and_on_one_side_a_difference():
    old = torch.tensor([1.0, float("nan"), 3.0])
    assert tensor_difference(old, old.clone(), 0.0, 0.0) is None
    assert compare_outputs({"output": old}, {"output": old.clone()}, 0.0, 0.0).status == "pass"
    one_side = tensor_difference(old, torch.tensor([1.0, 2.0, 3.0]), 0.0, 0.0)
    assert one_side is not None and one_side["index"] == [1] and one_side["max_abs"] == float("inf")


def test_the_worst_element_of_a_matrix_is_named_row_first():
    old = torch.zeros(2, 3)
    new = old.clone()
    new[0, 2] = 5.0  # flat index 2: (0, 2), never (2, 0)
    difference = tensor_difference(old, new, 0.0, 0.0)
    assert difference["index"] == [0, 2] and (difference["old"], difference["new"]) == (0.0, 5.0)
    assert "at index (0, 2): old 0.0, new 5.0" in difference["detail"]
    new = torch.zeros(3, 2, 4)
    new[2, 1, 3] = -1.0
    assert tensor_difference(torch.zeros(3, 2, 4), new, 0.0, 0.0)["index"] == [2, 1, 3]


def test_every_element_of_a_3d_output_is_named_by_its_own_index():
    # (2, 1, 3) above reads the same whether or not the flat index is divided as it goes
    old = torch.zeros(2, 3, 4)
    for position in [(1, 2, 0), (0, 1, 3), (1, 0, 2), (1, 2, 3)]:
        new = old.clone()
        new[position] = 1.0
        assert tensor_difference(old, new, 0.0, 0.0)["index"] == list(position)


@pytest.mark.parametrize(
    "old_grad, new_grad", [pytest.param(None, torch.ones(2), id="new-has-one"), pytest.param(torch.ones(2), None, id="new-has-none")]
)
def test_a_gradient_on_one_side_only_fails(old_grad, new_grad):
    check = compare_gradients({"error": "", "grads": {"w": old_grad}}, {"error": "", "grads": {"w": new_grad}}, 0.0, 0.0)
    assert check.status == "fail", check.detail
    old_kind, new_kind = ("None" if g is None else "a tensor" for g in (old_grad, new_grad))
    assert f"parameter 'w': old gradient is {old_kind}, new is {new_kind}" == check.detail


def test_backward_failing_on_one_side_only_fails_and_on_both_is_not_checked():
    error = "RuntimeError: element 0 of tensors does not require grad"
    for old_error, new_error in ((error, ""), ("", error)):
        check = compare_gradients({"error": old_error, "grads": {}}, {"error": new_error, "grads": {}}, 0.0, 0.0)
        assert check.status == "fail", (old_error, new_error)
        assert check.detail == f"old: {old_error or 'backward ran'}; new: {new_error or 'backward ran'}"
    both = compare_gradients({"error": error, "grads": {}}, {"error": error, "grads": {}}, 0.0, 0.0)
    assert both.status == "not checked" and both.detail == f"both sides: {error}"


def test_the_gpu_check_allows_float_rounding_and_fails_a_real_difference(tmp_path):
    reference = torch.tensor([1.0, 2.0, 3.0])
    torch.save({"output": reference}, tmp_path / "reference.pt")
    reply = {"ran": True, "reference": str(tmp_path / "reference.pt"), "outputs": str(tmp_path / "outputs.pt"), "devices": ["cuda:0"]}
    # A GPU kernel's rounding (a few ulps) is within float32's default tolerance (rtol 1.3e-6).
    rounded = reference * (1 + 3e-7)
    assert not torch.equal(rounded, reference)
    torch.save({"output": rounded}, tmp_path / "outputs.pt")
    assert cuda_check(reply, None).status == "pass"
    torch.save({"output": reference + 0.01}, tmp_path / "outputs.pt")
    failed = cuda_check(reply, None)
    assert failed.status == "fail" and failed.detail.startswith("GPU vs CPU output: max abs error 0.01")


def test_a_parameter_the_new_model_lost_fails_the_gradient_check_by_name():
    grad = torch.ones(2)
    check = compare_gradients(
        {"error": "", "grads": {"fc.weight": grad, "fc.bias": grad}}, {"error": "", "grads": {"fc.weight": grad}}, 0.0, 0.0
    )
    assert check.status == "fail" and check.extra == (("key", "fc.bias"),)
    assert check.detail.startswith("parameter 'fc.bias' of the old model (or its requires_grad attribute) is missing")


def test_a_gradient_difference_names_the_parameter():
    check = compare_gradients(
        {"error": "", "grads": {"fc.weight": torch.zeros(2)}}, {"error": "", "grads": {"fc.weight": torch.ones(2)}}, 0.0, 0.0
    )
    assert check.status == "fail" and check.detail == "parameter fc.weight: max abs error 1 (rel inf) at index (0,): old 0.0, new 1.0"


def test_a_legacy_state_dict_that_does_not_load_names_its_keys():
    assert legacy_checkpoint_check({"loaded": True, "missing": [], "unexpected": [], "message": ""}).status == "pass"
    check = legacy_checkpoint_check({"loaded": False, "missing": ["calls"], "unexpected": ["old_scale"], "message": "Error(s)"})
    assert check.status == "fail" and check.extra == (("key", "calls"),)
    assert "(missing ['calls']; unexpected ['old_scale'])" in check.detail
    shape = legacy_checkpoint_check({"loaded": False, "missing": [], "unexpected": [], "message": "size mismatch"})
    assert shape.detail.endswith("(size mismatch)") and shape.extra == (("key", None),)


def test_a_new_non_persistent_buffer_must_equal_the_old_attribute():
    # A non-persistent buffer is in neither state_dict: only its value tells a wrong conversion.
    old = {"state_dict": {"w": torch.ones(2)}, "attributes": {"prior": torch.arange(3.0)}, "buffers": {}}
    same = {"state_dict": {"w": torch.ones(2)}, "attributes": {}, "buffers": {"prior": torch.arange(3.0)}}
    passed = compare_state(old, same, 0.0, 0.0)
    assert passed.status == "pass" and "non-persistent buffers equal the old attributes: prior" in passed.detail
    changed = {"state_dict": {"w": torch.ones(2)}, "attributes": {}, "buffers": {"prior": torch.arange(3.0) * 2}}
    failed = compare_state(old, changed, 0.0, 0.0)
    assert failed.status == "fail" and "new buffer/parameter vs old attribute prior" in failed.detail
    invented = {"state_dict": {"w": torch.ones(2)}, "attributes": {}, "buffers": {"mask": torch.ones(3)}}
    assert compare_state(old, invented, 0.0, 0.0).detail == (
        "new buffer 'mask' has no counterpart (parameter, buffer or plain attribute) in the old model"
    )


def test_an_old_non_persistent_buffer_made_persistent_is_compared_with_itself():
    # register_buffer(..., persistent=False) on the old side, a plain register_buffer on the new:
    # the key the new state_dict gains has the old buffer as its counterpart.
    old = {"state_dict": {"w": torch.ones(2)}, "attributes": {}, "buffers": {"mean": torch.arange(3.0)}}
    new = {"state_dict": {"w": torch.ones(2), "mean": torch.arange(3.0)}, "attributes": {}, "buffers": {"mean": torch.arange(3.0)}}
    passed = compare_state(old, new, 0.0, 0.0)
    assert passed.status == "pass" and dict(passed.extra)["additions"] == ["mean"], passed.detail
    moved = {"state_dict": {"w": torch.ones(2), "mean": torch.zeros(3)}, "attributes": {}, "buffers": {"mean": torch.zeros(3)}}
    failed = compare_state(old, moved, 0.0, 0.0)
    assert failed.status == "fail" and "new buffer/parameter vs old attribute mean" in failed.detail


def test_the_inputs_of_both_sides_are_compared_bit_for_bit():
    from torchup.verify.inputs import encode

    built = torch.tensor([1.0, 2.0])
    assert compare_inputs(encode([built]), encode([built.clone()])).status == "pass"
    # one ulp apart: within float tolerance, yet the outputs would be compared on other data
    nudged = torch.nextafter(built, torch.tensor(3.0))
    check = compare_inputs(encode([built]), encode([nudged]))
    assert check.status == "fail" and check.detail.startswith("the two sides built different inputs: input input[0]")


def test_numpy_array_inputs_are_compared_by_their_values_and_their_dtypes():
    import numpy as np

    from torchup.verify.inputs import encode

    built = np.array([1.0, 2.0])
    assert compare_inputs(encode([built]), encode([built.copy()])).status == "pass"
    other = compare_inputs(encode([built]), encode([np.array([1.0, 3.0])]))
    assert other.status == "fail" and other.detail.startswith("the two sides built different inputs: input input[0]")
    narrower = compare_inputs(encode([built]), encode([built.astype(np.float32)]))
    assert narrower.status == "fail"


def test_a_meta_run_that_stopped_without_a_leak_is_not_checked_never_passed():
    stopped = {"checked": False, "reason": "forward on the meta device stopped at an op: NotImplementedError", "leaks": []}
    check = leak_check("device_portability", stopped, "new")
    assert check.status == "not checked"
    assert check.detail == f"not checked for the new model: {stopped['reason']}"
    clean = leak_check("device_portability", {"checked": True, "reason": "", "leaks": []}, "new")
    assert clean.status == "pass"
    for who in ("old", "new"):  # each model's clean meta run named as its own
        clean = leak_check("device_portability", {"checked": True, "reason": "", "leaks": []}, who)
        assert clean.detail == f"the {who} model runs on the meta device without mixing devices"


def test_the_relative_error_ignores_elements_equal_on_both_sides_even_at_zero():
    # 0/0 where both sides hold 0 is no error: the report gives the relative error of the real difference.
    old = torch.tensor([0.0, 2.0, 0.0])
    new = torch.tensor([0.0, 3.0, 0.0])
    difference = tensor_difference(old, new, 0.0, 0.0)
    assert difference is not None and difference["max_rel"] == pytest.approx(0.5)
    assert "(rel 0.5)" in difference["detail"] and "nan" not in difference["detail"]


def test_the_upgrade_path_names_the_keys_old_checkpoints_lack(tmp_path):
    old_into_new = loaded_into(_WithCalls(), _Plain(), tmp_path)
    new_into_old = loaded_into(_Plain(), _WithCalls(), tmp_path)
    check = checkpoint_check(old_into_new, new_into_old, ["calls"])
    assert check.status == "pass", check.detail
    assert dict(check.extra)["needs_upgrade"] == ["calls"]
    assert "lack the new state_dict keys ['calls']" in check.detail


def test_a_checkpoint_that_loads_one_way_only_fails_on_a_key_that_is_no_verified_addition(tmp_path):
    class Renamed(nn.Module):
        """The new model has a head the old one lacks: keys no migration adds."""

        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 4)
            self.head = nn.Linear(4, 1)

    # The old state_dict does not load into the new model (head.* missing); the new one into the
    # old does not either (head.* unexpected): neither is a verified addition.
    old_into_new = loaded_into(Renamed(), _Plain(), tmp_path)
    new_into_old = loaded_into(_Plain(), Renamed(), tmp_path)
    assert not old_into_new["loaded"] and not new_into_old["loaded"]
    assert checkpoint_check(old_into_new, new_into_old, []).status == "fail"
    # One direction loading is not enough: the other still fails on keys nobody verified.
    loads = {"loaded": True, "missing": [], "unexpected": [], "message": ""}
    assert checkpoint_check(loads, new_into_old, []).status == "fail"
    assert checkpoint_check(old_into_new, loads, []).status == "fail"
    # ... while the same keys, verified as additions, pass.
    assert checkpoint_check(old_into_new, loads, ["head.weight", "head.bias"]).status == "pass"


@pytest.mark.parametrize(
    "lost, more",
    [
        pytest.param(["a"], "", id="one-key"),
        pytest.param(["a", "b"], " (and 1 more)", id="two-keys"),
        pytest.param(["a", "b", "c"], " (and 2 more)", id="three-keys"),
    ],
)
def test_keys_missing_from_the_new_state_dict_are_counted(lost, more):
    old = {"state_dict": {key: torch.ones(1) for key in lost}, "attributes": {}, "buffers": {}}
    new = {"state_dict": {}, "attributes": {}, "buffers": {}}
    check = compare_state(old, new, 0.0, 0.0)
    assert check.status == "fail"
    assert check.detail == f"key 'a' of the old state_dict is missing from the new model{more}"


def test_a_checkpoint_that_loads_one_way_only_names_only_the_way_that_fails():
    loads = {"loaded": True, "missing": [], "unexpected": [], "message": ""}
    refused = {
        "loaded": False,
        "missing": ["head.weight"],
        "unexpected": [],
        "message": 'Error(s) in loading state_dict for Net:',
        "full_message": 'Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "head.weight".',
    }
    upgrade = "; convert old checkpoints with `torchup upgrade-checkpoint`"
    check = checkpoint_check(refused, loads, [])
    assert check.detail == f"the old state_dict into the new model does not load strictly (missing ['head.weight']){upgrade}"
    assert dict(check.extra)["key"] == "head.weight"
    check = checkpoint_check(loads, {**refused, "missing": [], "unexpected": ["head.weight"]}, [])
    assert check.detail == f"the new state_dict into the old model does not load strictly (unexpected ['head.weight']){upgrade}"
    assert dict(check.extra)["key"] == "head.weight"


def test_inputs_of_another_structure_fail_with_the_paths_only_one_side_built():
    from torchup.verify.inputs import encode

    one = torch.ones(2)
    check = compare_inputs(encode([one]), encode([one, one.clone()]))
    assert check.status == "fail"
    assert check.detail == (
        "the two sides built inputs of different structure: old only [], new only ['input[1]']"
    )
    check = compare_inputs(encode([{"x": one}]), encode([{"y": one}]))
    assert check.detail == (
        "the two sides built inputs of different structure: old only [\"input[0]['x']\"], new only [\"input[0]['y']\"]"
    )


@pytest.mark.parametrize(
    "old_reply, note, old_gpu",
    [
        ({"ran": False, "message": "AssertionError: Torch not compiled with CUDA"}, "; the old model fails on GPU: AssertionError: Torch not compiled with CUDA", "AssertionError: Torch not compiled with CUDA"),
        ({"ran": True}, "; the old model also runs on GPU", "ran"),
        (None, "", None),
    ],
)
def test_a_passed_gpu_check_says_how_the_old_model_fared_on_the_gpu(tmp_path, old_reply, note, old_gpu):
    # where the new model passes, that the old one failed on the GPU is what the migration fixed
    check = cuda_check(_gpu_reply(tmp_path, ["cuda:0"]), old_reply)
    assert check.status == "pass"
    assert check.detail == "the new model on GPU matches its CPU outputs within float tolerance" + note
    assert dict(check.extra).get("old_gpu") == old_gpu


def test_the_gpu_check_fails_outputs_of_another_structure_than_on_the_cpu(tmp_path):
    reply = _gpu_reply(tmp_path, ["cuda:0"])
    torch.save({"output[0]": torch.arange(3.0), "output[1]": torch.arange(3.0)}, reply["outputs"])
    check = cuda_check(reply, {"ran": True})
    assert check.status == "fail"
    assert check.detail == (
        "the new model's outputs on GPU have a different structure than on CPU; the old model also runs on GPU"
    )
    assert dict(check.extra) == {"old_gpu": "ran"}


@pytest.mark.parametrize(
    "leak, said",
    [
        pytest.param(
            {"op": "add", "devices": ["cpu", "meta"], "source_line": "net.py:5: return x + c"},
            "tensors on cpu and meta meet in add",
            id="an-op-mixing-devices",
        ),
        pytest.param(
            {"op": "output[1]", "devices": ["cpu"], "source_line": ""},
            "output[1] is returned on cpu while the model runs on meta",
            id="an-output-left-on-the-cpu",
        ),
        pytest.param(
            {"op": "Input and hidden tensors are not at the same device", "devices": ["cpu", "meta"], "source_line": ""},
            "a kernel refused mixed devices: Input and hidden tensors are not at the same device",
            id="a-kernels-own-error",
        ),
    ],
)
@pytest.mark.parametrize("reason", ["", "forward on the meta device stopped at net.py:9: NotImplementedError: item"])
def test_a_leak_is_told_in_words_with_the_stop_that_followed_it(leak, said, reason):
    check = leak_check("device_portability", {"checked": True, "reason": reason, "leaks": [leak, leak]}, "new")
    stopped = f"; the meta run then stopped: {reason}" if reason else ""
    assert check.status == "fail"
    assert check.detail == f"{said} (and 1 more); this model would fail on a GPU{stopped}"
    assert dict(check.extra)["source_line"] == leak["source_line"]


def test_complex_outputs_that_differ_in_the_imaginary_part_name_that_element():
    old = torch.tensor([1 + 1j, 2 + 2j])
    new = torch.tensor([1 + 1j, 2 + 5j])
    difference = tensor_difference(old, new, 0.0, 0.0)
    assert difference["index"] == [1] and (difference["old"], difference["new"]) == (2 + 2j, 2 + 5j)
    assert difference["max_abs"] == pytest.approx(3.0)
    assert difference["max_rel"] == pytest.approx(3.0 / abs(2 + 2j))
    assert difference["detail"] == "max abs error 3 (rel 1.06) at index (1,): old (2+2j), new (2+5j)"


def test_the_state_dict_check_names_additions_and_non_persistent_buffers_apart():
    mean, scale, prior = torch.zeros(2), torch.full((2,), 2.0), torch.arange(2.0)
    old = {"state_dict": {"mean": mean}, "attributes": {"scale": scale, "prior": prior}, "buffers": {"mean": mean}}
    new = {
        "state_dict": {"mean": mean, "prior": prior},  # prior: now a persistent buffer
        "attributes": {},
        "buffers": {"mean": mean, "scale": scale, "prior": prior},  # scale: a non-persistent one
    }
    check = compare_state(old, new, 0.0, 0.0)
    assert check.status == "pass"
    assert check.detail == (
        "1 keys identical; expected additions (old plain attributes now in the state_dict): prior; "
        "non-persistent buffers equal the old attributes: scale"
    )
    assert check.extra == (("additions", ["prior"]),)


@pytest.mark.parametrize(
    "new, kind",
    [
        pytest.param({"state_dict": {"w": torch.ones(1)}, "buffers": {}}, "parameter", id="a-new-parameter"),
        pytest.param({"state_dict": {"w": torch.ones(1)}, "buffers": {"w": torch.ones(1)}}, "buffer", id="a-new-buffer"),
        pytest.param({"state_dict": {}, "buffers": {"w": torch.ones(1)}}, "buffer", id="a-new-non-persistent-buffer"),
    ],
)
def test_a_new_key_without_a_counterpart_in_the_old_model_is_named_by_kind(new, kind):
    old = {"state_dict": {}, "attributes": {}, "buffers": {}}
    check = compare_state(old, {"attributes": {}, **new}, 0.0, 0.0)
    assert check.status == "fail"
    assert check.detail == f"new {kind} 'w' has no counterpart (parameter, buffer or plain attribute) in the old model"


class _RefusesOldVersions(_Plain):
    """A model whose own loader refuses a state_dict (a version check): no key is wrong."""

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        raise RuntimeError("custom loader refused")


def test_a_load_that_fails_without_naming_keys_fails_with_its_message(tmp_path):
    failed = loaded_into(_RefusesOldVersions(), _Plain(), tmp_path)
    assert not failed["loaded"] and failed["missing"] == failed["unexpected"] == []
    loads = loaded_into(_Plain(), _RefusesOldVersions(), tmp_path)
    assert loads["loaded"]
    check = checkpoint_check(failed, loads, [])
    assert check.status == "fail", check.detail  # not "old checkpoints lack the new state_dict keys []"
    assert check.detail.startswith(
        f"the old state_dict into the new model does not load strictly ({failed['message']});"
    )
    assert "custom loader refused" in failed["full_message"]
    legacy = legacy_checkpoint_check(failed)
    assert legacy.status == "fail"
    assert legacy.detail == f"the legacy state_dict does not load strictly into the new model ({failed['message']})"
    assert legacy.extra == (("key", None),)


@pytest.mark.parametrize("infinity", [float("inf"), float("-inf"), complex(float("inf"), 0.0)], ids=["inf", "-inf", "complex-inf"])
def test_an_infinity_equal_on_both_sides_is_not_the_worst_element(infinity):
    # inf - inf is nan: the equal infinities at index 0 read as an infinite difference and hid
    # the real one at index 1 ("max abs error inf at index (0,): old inf, new inf").
    old = torch.tensor([infinity, 1.0])
    new = torch.tensor([infinity, 3.0])
    difference = tensor_difference(old, new, 0.0, 0.0)
    assert difference["index"] == [1]
    assert (difference["max_abs"], difference["max_rel"]) == (2.0, 2.0)


def test_infinities_of_opposite_signs_differ_infinitely_not_by_nan():
    difference = tensor_difference(torch.tensor([float("-inf"), 1.0]), torch.tensor([float("inf"), 1.0]), 0.0, 0.0)
    assert difference["index"] == [0]
    assert (difference["max_abs"], difference["max_rel"]) == (float("inf"), float("inf"))
    assert difference["detail"] == "max abs error inf (rel inf) at index (0,): old -inf, new inf"


# Pairs of one kind each, with where (index) and by how much (max_abs) they differ at rtol = atol = 0.
_NAN, _INF = float("nan"), float("inf")
_TENSOR_PAIRS = [
    pytest.param(torch.tensor([1.0, _NAN]), torch.tensor([1.0, _NAN]), None, id="nan-in-the-same-place"),
    pytest.param(torch.tensor([1.0, _NAN]), torch.tensor([1.0, 2.0]), ([1], _INF), id="nan-on-one-side"),
    pytest.param(torch.tensor([_INF, 1.0, 2.0]), torch.tensor([_INF, 1.0, 2.5]), ([2], 0.5), id="inf-on-both-sides"),
    pytest.param(torch.tensor([-_INF, 1.0]), torch.tensor([_INF, 1.0]), ([0], _INF), id="opposite-infinities"),
    pytest.param(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5], dtype=torch.float16).float(), ([1], 0.5), id="float32"),
    pytest.param(torch.tensor([1.0, 2.0], dtype=torch.float16), torch.tensor([1.0, 2.5], dtype=torch.float16), ([1], 0.5), id="float16"),
    pytest.param(torch.tensor([4.0, 2.0], dtype=torch.bfloat16), torch.tensor([3.0, 2.0], dtype=torch.bfloat16), ([0], 1.0), id="bfloat16"),
    pytest.param(torch.tensor(3.0, dtype=torch.float64), torch.tensor(4.0, dtype=torch.float64), ([], 1.0), id="0-dim"),
    pytest.param(torch.tensor([[1 + 1j, 2 + 2j]]), torch.tensor([[1 + 1j, 2 + 5j]]), ([0, 1], 3.0), id="complex-imaginary"),
    pytest.param(torch.tensor([complex(_NAN, 0), 1]), torch.tensor([complex(_NAN, 0), 1]), None, id="complex-nan-on-both-sides"),
    pytest.param(torch.tensor([1, 5, 7]), torch.tensor([1, 2, 7]), ([1], 3.0), id="int64"),
    pytest.param(torch.tensor([0, 250], dtype=torch.uint8), torch.tensor([3, 5], dtype=torch.uint8), ([1], 245.0), id="uint8-no-wrap-around"),
    pytest.param(torch.tensor([True, False]), torch.tensor([True, True]), ([1], 1.0), id="bool"),
    pytest.param(torch.zeros(2, 3), torch.zeros(2, 3).index_put_((torch.tensor([1]), torch.tensor([2])), torch.tensor(-2.0)), ([1, 2], 2.0), id="matrix"),
]


def _same(a, b) -> bool:
    return a == b or (a != a and b != b)  # NaN is NaN


@pytest.mark.parametrize("old, new, where", _TENSOR_PAIRS)
def test_a_difference_is_found_at_the_same_place_whichever_side_holds_which_value(old, new, where):
    forth, back = tensor_difference(old, new, 0.0, 0.0), tensor_difference(new, old, 0.0, 0.0)
    if where is None:
        assert forth is None and back is None
        return
    index, max_abs = where
    for difference, (first, second) in ((forth, (old, new)), (back, (new, old))):
        assert (difference["index"], difference["max_abs"]) == (index, max_abs)
        element = tuple(index)
        assert _same(difference["old"], first[element].item()) and _same(difference["new"], second[element].item())
        assert difference["detail"].endswith(f" at index {element}: old {difference['old']!r}, new {difference['new']!r}")
    assert _same(forth["old"], back["new"]) and _same(forth["new"], back["old"])
    for difference in (forth, back):  # a number (inf where the old value is 0), never 0/0's nan
        assert difference["max_rel"] is None or difference["max_rel"] == difference["max_rel"], difference


def _within(old: torch.Tensor, new: torch.Tensor, rtol: float, atol: float) -> bool:
    """The rule, element by element: |new - old| <= atol + rtol * |old| where both are finite;
    an infinity only equals itself, NaN equals NaN."""
    wide = torch.complex128 if old.is_complex() else torch.float64
    old64, new64 = old.to(wide), new.to(wide)
    finite = old64.isfinite() & new64.isfinite()
    near = finite & ((new64 - old64).abs() <= atol + rtol * old64.abs())
    close = near | (old64 == new64) | (old64.isnan() & new64.isnan())
    return bool(close.all())


@pytest.mark.parametrize("rtol, atol", [(0.0, 0.0), (0.0, 0.5), (0.0, 1.0), (0.25, 0.0), (0.5, 0.0), (0.25, 0.5), (0.125, 0.25)])
@pytest.mark.parametrize("old, new, where", [p for p in _TENSOR_PAIRS if p.values[0].is_floating_point() or p.values[0].is_complex()])
def test_tolerances_follow_the_documented_rule_in_both_directions(old, new, where, rtol, atol):
    for first, second in ((old, new), (new, old)):
        assert (tensor_difference(first, second, rtol, atol) is None) is _within(first, second, rtol, atol)


# -- Whole messages and JSON fields (the ninth round's self-sweep of verify_results) ---------------


def _state(state_dict, attributes=None, buffers=None):
    return {"state_dict": state_dict, "attributes": attributes or {}, "buffers": buffers or {}}


def test_of_several_differing_keys_the_first_is_reported_with_its_key_and_worst_element():
    old = _state({"a": torch.zeros(2), "b": torch.zeros(2)})
    new = _state({"a": torch.tensor([0.0, 1.0]), "b": torch.tensor([5.0, 0.0])})
    check = compare_state(old, new, 0.0, 0.0)
    assert check.detail == "key a: max abs error 1 (rel inf) at index (1,): old 0.0, new 1.0"
    assert check.extra == (
        ("key", "a"), ("index", [1]), ("old", 0.0), ("new", 1.0), ("max_abs", 1.0), ("max_rel", float("inf"))
    )


def test_keys_missing_from_the_new_state_dict_name_the_first_in_the_report_too():
    check = compare_state(_state({key: torch.ones(1) for key in "abc"}), _state({}), 0.0, 0.0)
    assert check.extra == (("key", "a"),)


def test_every_expected_addition_and_non_persistent_buffer_is_named():
    one, two = torch.ones(1), torch.full((1,), 2.0)
    old = _state({"w": one}, attributes={"p": one, "q": two, "s": one, "t": two})
    new = _state({"w": one, "p": one, "q": two}, buffers={"p": one, "q": two, "s": one, "t": two})
    check = compare_state(old, new, 0.0, 0.0)
    assert check.detail == (
        "1 keys identical; expected additions (old plain attributes now in the state_dict): p, q; "
        "non-persistent buffers equal the old attributes: s, t"
    )


def test_inputs_name_up_to_three_paths_one_side_built_and_count_the_leaves_that_matched():
    from torchup.verify.inputs import encode

    one = torch.ones(2)
    check = compare_inputs(encode([one]), encode([one, one, one, one, one]))
    assert check.detail == (
        "the two sides built inputs of different structure: old only [], new only ['input[1]', 'input[2]', 'input[3]']"
    )
    check = compare_inputs(encode([one, one, one, one, one]), encode([one]))
    assert check.detail == (
        "the two sides built inputs of different structure: old only ['input[1]', 'input[2]', 'input[3]'], new only []"
    )
    passed = compare_inputs(encode([one, {"mask": one}]), encode([one.clone(), {"mask": one.clone()}]))
    # the leaves are the values and the containers' types: two tensors, a list and a dict
    assert passed.detail == "both sides built the same 4 input leaves"


def test_different_inputs_are_reported_with_the_input_and_its_worst_element():
    from torchup.verify.inputs import encode

    check = compare_inputs(encode([torch.zeros(2)]), encode([torch.tensor([0.0, 3.0])]))
    assert check.detail == (
        "the two sides built different inputs: input input[0]: max abs error 3 (rel inf) at index (1,): old 0.0, new 3.0"
    )
    assert dict(check.extra) == {
        "key": "input[0]", "index": [1], "old": 0.0, "new": 3.0, "max_abs": 3.0, "max_rel": float("inf")
    }


def test_outputs_of_the_same_paths_in_another_order_say_so_without_empty_lists():
    one = torch.ones(1)
    check = compare_outputs({"output[0]": one, "output[1]": one}, {"output[1]": one, "output[0]": one}, 0.0, 0.0)
    assert check.status == "fail"
    assert check.detail == "the outputs have different structure"
    assert check.extra == (("old", ["output[0]", "output[1]"]), ("new", ["output[1]", "output[0]"]))


def test_outputs_of_another_structure_name_up_to_three_paths_of_each_side():
    one = torch.ones(1)
    old = {f"output[{i}]": one for i in range(5)}
    check = compare_outputs(old, {"output": one}, 0.0, 0.0)
    assert check.detail == (
        "the outputs have different structure: old only ['output[0]', 'output[1]', 'output[2]'], new only ['output']"
    )


def test_an_output_difference_and_a_pass_read_word_for_word():
    check = compare_outputs({"output": torch.zeros(2)}, {"output": torch.tensor([0.0, 2.0])}, 0.0, 0.0)
    assert check.detail == "output: max abs error 2 (rel inf) at index (1,): old 0.0, new 2.0"
    assert dict(check.extra)["key"] == "output"
    two = {"output[0]": torch.ones(1), "output[1]": torch.ones(1)}
    assert compare_outputs(two, dict(two), 0.0, 0.0).detail == "2 output(s) bit-identical"
    assert compare_outputs(two, dict(two), 0.5, 0.25).detail == "2 output(s) equal within rtol=0.5, atol=0.25"


def test_of_several_parameters_without_a_new_gradient_the_first_is_named_with_its_key():
    grad = torch.ones(1)
    check = compare_gradients(
        {"error": "", "grads": {"a": grad, "b": grad, "c": grad}}, {"error": "", "grads": {"b": grad}}, 0.0, 0.0
    )
    assert check.detail == "parameter 'a' of the old model (or its requires_grad attribute) is missing from the new one"
    assert check.extra == (("key", "a"),)


def test_a_gradient_on_one_side_only_names_its_parameter_in_the_report():
    check = compare_gradients(
        {"error": "", "grads": {"a": torch.ones(1), "b": None}}, {"error": "", "grads": {"a": torch.ones(1), "b": torch.ones(1)}}, 0.0, 0.0
    )
    assert check.extra == (("key", "b"),)


def test_frozen_parameters_are_not_counted_as_compared_gradients():
    grad = torch.ones(1)
    check = compare_gradients(
        {"error": "", "grads": {"frozen": None, "w": grad, "b": grad}},
        {"error": "", "grads": {"frozen": None, "w": grad, "b": grad}},
        0.0,
        0.0,
    )
    assert check.status == "pass"
    assert check.detail == "gradients of 2 parameter(s) equal after sum(outputs).backward()"


def test_a_checkpoint_failing_both_ways_is_told_whole_with_the_first_ways_key(tmp_path):
    class Renamed(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Linear(3, 4)

    old_into_new = loaded_into(Renamed(), _Plain(), tmp_path)
    new_into_old = loaded_into(_Plain(), Renamed(), tmp_path)
    check = checkpoint_check(old_into_new, new_into_old, [])
    assert check.detail == (
        "the old state_dict into the new model does not load strictly "
        "(missing ['head.bias', 'head.weight']; unexpected ['fc.bias', 'fc.weight']); "
        "the new state_dict into the old model does not load strictly "
        "(missing ['fc.bias', 'fc.weight']; unexpected ['head.bias', 'head.weight']); "
        "convert old checkpoints with `torchup upgrade-checkpoint`"
    )
    assert check.extra == (
        ("key", "head.bias"), ("old_into_new", old_into_new), ("new_into_old", new_into_old)
    )


def test_a_changed_shape_is_told_by_its_sizes_without_the_closing_period(tmp_path):
    old, new = nn.Linear(3, 4, bias=False), nn.Linear(3, 5, bias=False)
    check = checkpoint_check(loaded_into(new, old, tmp_path), loaded_into(old, new, tmp_path))
    assert check.detail == (
        "the old state_dict into the new model does not load strictly (size mismatch for weight: copying a param "
        "with shape torch.Size([4, 3]) from checkpoint, the shape in current model is torch.Size([5, 3])); "
        "the new state_dict into the old model does not load strictly (size mismatch for weight: copying a param "
        "with shape torch.Size([5, 3]) from checkpoint, the shape in current model is torch.Size([4, 3])); "
        "convert old checkpoints with `torchup upgrade-checkpoint`"
    )


def test_a_load_failing_on_a_verified_addition_and_on_another_key_fails(tmp_path):
    class TwoNew(_Plain):
        def __init__(self):
            super().__init__()
            self.register_buffer("calls", torch.zeros(1))
            self.register_buffer("invented", torch.zeros(1))

    old_into_new = loaded_into(TwoNew(), _Plain(), tmp_path)
    new_into_old = loaded_into(_Plain(), TwoNew(), tmp_path)
    check = checkpoint_check(old_into_new, new_into_old, ["calls"])
    assert check.status == "fail", check.detail
    assert checkpoint_check(old_into_new, new_into_old, ["calls", "invented"]).status == "pass"


def test_the_upgrade_path_names_each_key_once():
    old_into_new = {"loaded": False, "missing": ["calls", "steps"], "unexpected": [], "message": "Error(s)"}
    new_into_old = {"loaded": False, "missing": [], "unexpected": ["steps", "calls"], "message": "Error(s)"}
    check = checkpoint_check(old_into_new, new_into_old, ["calls", "steps"])
    assert check.detail == (
        "old checkpoints lack the new state_dict keys ['calls', 'steps'] (old plain attributes, now saved): "
        "convert them with `torchup upgrade-checkpoint`; everything else loads strictly both ways"
    )
    assert check.extra == (("needs_upgrade", ["calls", "steps"]),)


def test_a_legacy_state_dict_missing_and_adding_keys_reports_the_missing_key():
    check = legacy_checkpoint_check({"loaded": False, "missing": ["b"], "unexpected": ["a"], "message": "Error(s)"})
    assert check.detail == "the legacy state_dict does not load strictly into the new model (missing ['b']; unexpected ['a'])"
    assert check.extra == (("key", "b"),)


def test_leaks_without_a_source_line_on_both_sides_are_not_the_same_line():
    output = {"op": "output[1]", "devices": ["cpu"], "source_line": ""}
    check = leak_check("old_device_leaks", {"leaks": [output], "checked": True, "reason": ""}, "old", [dict(output)])
    assert check.detail == (
        "output[1] is returned on cpu while the model runs on meta; "
        "informational: the new model leaks too (see device_portability)"
    )


def test_a_leak_check_reports_the_first_leaks_line_and_every_leak():
    first = {"op": "add", "devices": ["cpu", "meta"], "source_line": "net.py:5: return x + c"}
    second = {"op": "mul", "devices": ["cpu", "cuda:0", "meta"], "source_line": "net.py:9: return y * d"}
    check = leak_check("device_portability", {"leaks": [first, second], "checked": True, "reason": ""}, "new")
    assert check.extra == (("source_line", "net.py:5: return x + c"), ("leaks", [first, second]))
    check = leak_check("device_portability", {"leaks": [second], "checked": True, "reason": ""}, "new")
    assert check.detail == "tensors on cpu and cuda:0 and meta meet in mul; this model would fail on a GPU"


@pytest.mark.parametrize(
    "old_reply, note, old_gpu",
    [
        pytest.param({"ran": False, "message": "AssertionError: no CUDA"}, "; the old model fails on GPU: AssertionError: no CUDA", {"old_gpu": "AssertionError: no CUDA"}, id="old-fails"),
        pytest.param({"ran": True}, "; the old model also runs on GPU", {"old_gpu": "ran"}, id="old-runs"),
        pytest.param(None, "", {}, id="old-not-run"),
    ],
)
def test_each_failed_gpu_check_says_how_the_old_model_fared_on_the_gpu(tmp_path, old_reply, note, old_gpu):
    crashed = {"ran": False, "message": "RuntimeError: CUDA error", "source_line": "net.py:3: x = x.cuda()"}
    check = cuda_check(crashed, old_reply)
    assert check.detail == "the new model fails on GPU: RuntimeError: CUDA error" + note
    assert check.extra == (("source_line", "net.py:3: x = x.cuda()"), *old_gpu.items())
    check = cuda_check(_gpu_reply(tmp_path, ["cpu"]), old_reply)
    assert check.detail == "the new model on GPU returned outputs on ['cpu']" + note
    assert check.extra == tuple(old_gpu.items())
    reply = _gpu_reply(tmp_path, ["cuda:0"])
    torch.save({"output": torch.arange(3.0) + 1}, reply["outputs"])
    check = cuda_check(reply, old_reply)
    assert check.detail == "GPU vs CPU output: max abs error 1 (rel inf) at index (0,): old 0.0, new 1.0" + note
    assert check.extra == (
        ("key", "output"), ("index", [0]), ("old", 0.0), ("new", 1.0), ("max_abs", 1.0), ("max_rel", float("inf")),
        *old_gpu.items(),
    )


def test_the_worst_element_of_empty_tensors_is_no_element():
    from torchup.verify.compare import worst_element

    # tensor_difference never asks (empty tensors of one shape are equal), but the function is public
    for empty in (torch.zeros(0), torch.zeros(2, 0, dtype=torch.int64)):
        assert worst_element(empty, empty.clone()) == {"index": (), "old": None, "new": None, "max_abs": 0.0, "max_rel": 0.0}
