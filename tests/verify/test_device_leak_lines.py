"""Every leak is reported once per (op, line): the same op leaking on two lines is two leaks."""

from __future__ import annotations

import inspect
from pathlib import Path

import torch
from torch import nn

from torchup.verify.device_leaks import find_device_leaks

HERE = Path(__file__).parent


class TwoAdds(nn.Module):
    def forward(self, x):
        x = x + torch.ones(3)
        return x + torch.zeros(3)


class OneAddTwice(nn.Module):
    def forward(self, x):
        for _ in range(2):
            x = x + torch.ones(3)
        return x


def test_one_op_leaking_on_two_lines_is_two_leaks():
    first = inspect.getsourcelines(TwoAdds.forward)[1] + 1
    report = find_device_leaks(TwoAdds(), (torch.zeros(3),), HERE)
    assert [(leak.op, leak.source_line) for leak in report.leaks] == [
        ("add", f"test_device_leak_lines.py:{first}: x = x + torch.ones(3)"),
        ("add", f"test_device_leak_lines.py:{first + 1}: return x + torch.zeros(3)"),
    ]


def test_one_line_leaking_twice_is_one_leak():
    report = find_device_leaks(OneAddTwice(), (torch.zeros(3),), HERE)
    assert [leak.op for leak in report.leaks] == ["add"]


def test_a_device_error_that_names_no_device_is_still_a_cpu_meta_leak():
    from torchup.verify.device_leaks import _device_mismatch

    assert _device_mismatch("Expected all tensors to be on the same device, but found at least two devices") == (
        "cpu",
        "meta",
    )
    assert _device_mismatch("Expected all tensors to be on the same device, but got cuda:0 and cpu") == ("cpu", "cuda:0")
    assert _device_mismatch("shape '[2]' is invalid for input of size 3") == ()


def test_an_error_outside_the_models_root_has_no_source_line(tmp_path):
    from torchup.verify.device_leaks import user_source_line_from

    try:
        torch.ones(2).view(3)
    except RuntimeError as error:
        assert user_source_line_from(error, tmp_path) == ""
        here = user_source_line_from(error, HERE)
    assert here.startswith("test_device_leak_lines.py:") and here.endswith("torch.ones(2).view(3)")


class Immovable(nn.Module):
    def to(self, *args, **kwargs):
        raise RuntimeError("pinned to the host")


class RaisesBare(nn.Module):
    def forward(self, x):
        raise NotImplementedError


class LeaksThenStops(nn.Module):
    def forward(self, x):
        y = x + torch.ones(3)
        return y[y > 0]


def test_a_model_that_cannot_move_is_not_checked():
    report = find_device_leaks(Immovable(), (torch.zeros(3),), HERE)
    assert report.checked is False and report.leaks == ()
    assert report.reason == "the model could not be moved to the meta device: pinned to the host"


def test_an_error_without_a_message_is_named_by_its_type():
    report = find_device_leaks(RaisesBare(), (torch.zeros(3),), HERE)
    line = inspect.getsourcelines(RaisesBare.forward)[1] + 1
    assert report.checked is False
    assert report.reason == (
        f"forward on the meta device stopped at test_device_leak_lines.py:{line}: raise NotImplementedError: "
        "NotImplementedError: NotImplementedError"
    )


def test_leaks_found_before_a_stop_are_kept_with_the_reason():
    report = find_device_leaks(LeaksThenStops(), (torch.zeros(3),), HERE)
    assert report.checked is True and [leak.op for leak in report.leaks] == ["add"]
    assert report.reason.startswith("forward on the meta device stopped at test_device_leak_lines.py:")


def test_a_leaked_output_has_no_source_line_and_a_clean_run_no_reason():
    class ReturnsCpu(nn.Module):
        def forward(self, x):
            return x, torch.ones(1)

    report = find_device_leaks(ReturnsCpu(), (torch.zeros(3),), HERE)
    assert report.leaks[0].op == "output[1]" and report.leaks[0].source_line == "" and report.reason == ""
    clean = find_device_leaks(nn.Linear(3, 3), (torch.zeros(3),), HERE)
    assert clean.checked is True and clean.leaks == () and clean.reason == ""


class ReadsANumber(nn.Module):
    def forward(self, x):
        return x * x.sum().item()


class CallsASubmodule(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = ReadsANumber()

    def forward(self, x):
        return self.head(x + 1)


def test_a_stop_inside_a_submodule_names_the_line_that_stopped_not_its_caller():
    report = find_device_leaks(CallsASubmodule(), (torch.zeros(3),), HERE)
    line = inspect.getsourcelines(ReadsANumber.forward)[1] + 1
    assert report.checked is False
    assert report.reason.startswith(
        f"forward on the meta device stopped at test_device_leak_lines.py:{line}: return x * x.sum().item(): "
    )


def _add_ones(x):
    return x + torch.ones(3)


def _read_item(x):
    return x.sum().item()


# Code whose file name is no path at all (generated, or from an extension): passed over.
for _generated in (_add_ones, _read_item):
    _generated.__code__ = _generated.__code__.replace(co_filename="<generated\0code>")


class CallsGeneratedCode(nn.Module):
    def __init__(self, leak: bool):
        super().__init__()
        self.leak = leak

    def forward(self, x):
        if self.leak:
            return _add_ones(x)
        return _read_item(x)


def test_a_frame_whose_file_name_is_no_path_is_passed_over_for_the_models_line():
    line = inspect.getsourcelines(CallsGeneratedCode.forward)[1]
    report = find_device_leaks(CallsGeneratedCode(leak=True), (torch.zeros(3),), HERE)
    assert [(leak.op, leak.source_line) for leak in report.leaks] == [
        ("add", f"test_device_leak_lines.py:{line + 2}: return _add_ones(x)")
    ]
    stopped = find_device_leaks(CallsGeneratedCode(leak=False), (torch.zeros(3),), HERE)
    assert not stopped.checked
    assert stopped.reason.startswith(f"forward on the meta device stopped at test_device_leak_lines.py:{line + 3}: return _read_item(x):")


def test_a_stop_outside_the_models_root_is_at_an_op(tmp_path):
    stopped = find_device_leaks(CallsGeneratedCode(leak=False), (torch.zeros(3),), tmp_path)
    assert (stopped.checked, stopped.leaks) == (False, ())
    assert stopped.reason == (
        "forward on the meta device stopped at an op: RuntimeError: Tensor.item() cannot be called on meta tensors"
    )


class ConcatenatesAConstant(nn.Module):
    def forward(self, x):
        y = torch.cat([x, torch.zeros(2, 1)], 1)  # an op whose arguments are not all tensors (dim=1)
        return y * torch.ones(4)


def test_the_run_goes_on_past_a_leak_in_an_op_with_non_tensor_arguments():
    first = inspect.getsourcelines(ConcatenatesAConstant.forward)[1] + 1
    report = find_device_leaks(ConcatenatesAConstant(), (torch.zeros(2, 3),), HERE)
    assert (report.checked, report.reason) == (True, "")
    assert [(leak.op, leak.devices, leak.source_line.split(":")[1]) for leak in report.leaks] == [
        ("cat", ("cpu", "meta"), str(first)),
        ("mul", ("cpu", "meta"), str(first + 1)),
    ]


def test_every_wording_of_a_device_error_is_a_leak_whatever_its_case():
    from torchup.verify.device_leaks import _device_mismatch

    assert _device_mismatch("Tensor for argument #2 'mat1' is not on the expected device cpu") == ("cpu",)
    assert _device_mismatch("Input and hidden tensors are not on the Same Device: meta and cpu") == ("cpu", "meta")
    assert _device_mismatch("TENSORS ON TWO DEVICES") == ("cpu", "meta")


_LONG_DEVICE_ERROR = "Expected all tensors to be on the same device, but found at least two devices, meta and cpu! " + "x" * 200


class RaisesALongDeviceError(nn.Module):
    def forward(self, x):
        raise RuntimeError(_LONG_DEVICE_ERROR)


def test_a_kernels_long_device_error_is_cut_to_160_characters():
    [leak] = find_device_leaks(RaisesALongDeviceError(), (torch.zeros(3),), HERE).leaks
    assert leak.op == _LONG_DEVICE_ERROR[:160] and leak.devices == ("cpu", "meta")


def test_a_leak_in_code_outside_the_models_root_has_no_source_line(tmp_path):
    # both adds are one leak: without a line, (op, line) is the same for each
    [leak] = find_device_leaks(TwoAdds(), (torch.zeros(3),), tmp_path).leaks
    assert (leak.op, leak.devices, leak.source_line) == ("add", ("cpu", "meta"), "")
