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
