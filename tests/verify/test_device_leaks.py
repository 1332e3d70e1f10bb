"""The meta-device check in-process: what counts as a leak, and what degrades to "not checked"."""

from __future__ import annotations

import collections
import inspect
from pathlib import Path

import torch
from torch import nn

from torchup.verify.compare import tensor_difference, worst_element
from torchup.verify.device_leaks import find_device_leaks
from torchup.verify.nested import to_device

HERE = Path(__file__).parent
Pair = collections.namedtuple("Pair", "left right")


def body_line(module_class) -> int:
    """The line of the first statement of ``forward``: where the report must point."""
    return inspect.getsourcelines(module_class.forward)[1] + 1


class AddsCpuConstant(nn.Module):
    def forward(self, x):
        return x + torch.ones(3)


class ScalarsAndBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("bias", torch.ones(3))

    def forward(self, batch):
        return batch["x"].left * torch.tensor(2.0) + self.bias + batch["x"].right


class ReturnsCpuPrior(nn.Module):
    def __init__(self):
        super().__init__()
        self.prior = torch.zeros(3)  # a plain attribute: stays on the CPU

    def forward(self, x):
        return x * 2, self.prior


class DataDependent(nn.Module):
    def forward(self, x):
        return x[x > 0]


def test_cpu_constant_in_forward_is_a_leak_with_its_line():
    report = find_device_leaks(AddsCpuConstant(), (torch.zeros(3),), HERE)
    assert report.checked
    [leak] = report.leaks
    assert leak.op == "add" and leak.devices == ("cpu", "meta")
    assert leak.source_line == f"test_device_leaks.py:{body_line(AddsCpuConstant)}: return x + torch.ones(3)"


def test_zero_dim_cpu_scalars_buffers_and_nested_inputs_are_fine():
    inputs = ({"x": Pair(torch.ones(3), torch.ones(3))},)
    report = find_device_leaks(ScalarsAndBuffers(), inputs, HERE)
    assert report.checked and report.leaks == ()


def test_output_left_on_the_cpu_is_a_leak():
    report = find_device_leaks(ReturnsCpuPrior(), (torch.ones(3),), HERE)
    assert [(leak.op, leak.devices) for leak in report.leaks] == [("output[1]", ("cpu",))]


def test_ops_without_meta_kernels_are_not_checked_rather_than_passed():
    report = find_device_leaks(DataDependent(), (torch.ones(3),), HERE)
    assert not report.checked and report.leaks == ()
    assert f"test_device_leaks.py:{body_line(DataDependent)}: return x[x > 0]" in report.reason


def test_to_device_walks_containers():
    moved = to_device([{"a": Pair(torch.ones(1), 3)}, (torch.ones(2),)], "meta")
    assert moved[0]["a"].left.is_meta and moved[0]["a"].right == 3 and moved[1][0].is_meta


def test_worst_element_locates_the_largest_difference():
    old = torch.zeros(2, 3)
    new = old.clone()
    new[1, 2] = 0.5
    new[0, 0] = 0.25
    worst = worst_element(old, new)
    assert worst["index"] == [1, 2] and worst["old"] == 0.0 and worst["new"] == 0.5 and worst["max_abs"] == 0.5


def test_tensor_difference_is_bit_exact_by_default_and_nan_aware():
    old = torch.tensor([1.0, float("nan")])
    assert tensor_difference(old, old.clone(), 0.0, 0.0) is None
    assert tensor_difference(old, old + 1e-7, 0.0, 0.0)["index"] == [0]
    assert tensor_difference(old, old + 1e-7, 0.0, 1e-6) is None
    assert "dtype" in tensor_difference(torch.ones(2), torch.ones(2, dtype=torch.float64), 0.0, 0.0)["detail"]
    assert "shape" in tensor_difference(torch.ones(2), torch.ones(3), 0.0, 0.0)["detail"]
    assert tensor_difference(torch.tensor([1, 2]), torch.tensor([1, 5]), 0.0, 0.0)["max_abs"] == 3.0


class CpuHiddenState(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, batch_first=True)

    def forward(self, x):
        return self.gru(x, torch.zeros(1, x.size(0), 4))[0]


def test_kernels_that_check_devices_themselves_still_report_a_leak():
    # nn.GRU compares input and hidden devices in C++ and raises before any op reaches the mode.
    report = find_device_leaks(CpuHiddenState(), (torch.ones(2, 5, 3),), HERE)
    assert report.checked
    [leak] = report.leaks
    assert leak.devices == ("cpu", "meta") and "same device" in leak.op
    assert leak.source_line.startswith(f"test_device_leaks.py:{body_line(CpuHiddenState)}: return self.gru(")


class CopiesIntoBuffer(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("state", torch.zeros(3))

    def forward(self, x):
        self.state.copy_(torch.ones(3))  # a copy across devices: legal on a GPU
        return x + self.state


class AddsIntoBuffer(CopiesIntoBuffer):
    def forward(self, x):
        return x + self.state.add_(torch.ones(3))  # not a copy: a real leak


def test_a_copy_across_devices_is_not_a_leak_but_an_in_place_add_is():
    assert find_device_leaks(CopiesIntoBuffer(), (torch.ones(3),), HERE).leaks == ()
    leaks = find_device_leaks(AddsIntoBuffer(), (torch.ones(3),), HERE).leaks
    assert [leak.op for leak in leaks] == ["add_"]


class SortsByLength(nn.Module):
    """CPU index tensors and CPU lengths are what a GPU model is given, legally."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(2, 2, batch_first=True)
        self.register_buffer("scale", torch.ones(2))

    def forward(self, x):
        order = torch.tensor([2, 0, 1])
        lengths = torch.tensor([4, 3, 2])
        packed = nn.utils.rnn.pack_padded_sequence(x[order] * self.scale, lengths, batch_first=True)
        return self.rnn(packed)[0].data


class IndexesACpuTable(nn.Module):
    def __init__(self):
        super().__init__()
        self.table = torch.arange(5.0)  # a plain attribute: stays on the CPU

    def forward(self, x):
        return x + self.table[torch.tensor([0, 1, 2])]


class WritesThroughCpuIndices(nn.Module):
    def forward(self, x):
        out = x * 2
        out[torch.tensor([0, 2])] = 0.0  # `gpu_tensor[cpu_indices] = v` works on a GPU too
        return out


def test_cpu_indices_and_lengths_are_no_leak_but_a_cpu_table_indexed_is():
    report = find_device_leaks(SortsByLength(), (torch.ones(3, 4, 2),), HERE)
    assert report.checked and report.leaks == ()
    written = find_device_leaks(WritesThroughCpuIndices(), (torch.ones(3, 2),), HERE)
    assert written.checked and written.leaks == ()
    leaks = find_device_leaks(IndexesACpuTable(), (torch.ones(3),), HERE).leaks
    assert [leak.op for leak in leaks] == ["add"]
