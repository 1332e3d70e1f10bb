"""The OLD side's CUDA shim, directly: every spelling of a CUDA device or type means the CPU."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import torch

from torchup.verify.cuda_shim import CudaToCpu

CUDA_DEVICES = [
    pytest.param("cuda", id="cuda"),
    pytest.param("cuda:0", id="cuda:0"),
    pytest.param("cuda:1", id="cuda:1"),
    pytest.param(torch.device("cuda"), id="device-cuda"),
    pytest.param(torch.device("cuda:0"), id="device-cuda:0"),
    pytest.param(torch.device("cuda", 1), id="device-cuda-1"),
]


@pytest.mark.parametrize("device", CUDA_DEVICES)
def test_factories_and_moves_to_a_cuda_device_stay_on_the_cpu(device):
    x = torch.arange(3.0)
    with CudaToCpu():
        made = torch.zeros(2, device=device)
        moved = x.to(device)
        moved_by_keyword = x.to(device=device, dtype=torch.float64)
        moved_with_dtype = x.to(device, torch.float16)
    assert made.device.type == moved.device.type == moved_by_keyword.device.type == "cpu"
    assert torch.equal(moved, x) and moved_by_keyword.dtype == torch.float64 and moved_with_dtype.dtype == torch.float16


@pytest.mark.parametrize("device", ["cpu", "meta", torch.device("meta")])
def test_other_devices_are_left_alone(device):
    with CudaToCpu():
        made = torch.zeros(2, device=device)
        moved = torch.ones(2).to(device)
    assert made.device == moved.device == torch.device(device)


@pytest.mark.parametrize(
    "name, dtype",
    [("torch.cuda.FloatTensor", torch.float32), ("torch.cuda.LongTensor", torch.int64), ("torch.DoubleTensor", torch.float64)],
)
def test_type_casts_to_cuda_types_become_their_cpu_types(name, dtype):
    x = torch.tensor([1.5, 2.5])
    with CudaToCpu():
        positional = x.type(name)
        keyword = x.type(dtype=name)
    for cast in (positional, keyword):
        assert cast.dtype == dtype and cast.device.type == "cpu"


def test_the_mode_is_gone_once_left():
    with CudaToCpu():
        pass
    with pytest.raises((RuntimeError, AssertionError)):
        torch.zeros(1, device="cuda:0")


def test_install_makes_legacy_cuda_code_run_on_the_cpu():
    # install() patches torch for the rest of the process: the worker's, so here a process of its own.
    code = textwrap.dedent(
        """
        import torch
        from torchup.verify import cuda_shim

        cuda_shim.install()
        net = torch.nn.Linear(2, 2)
        assert net.cuda() is net and net.cuda(1) is net
        x = torch.ones(2)
        assert x.cuda() is x and x.cuda(0, non_blocking=True) is x and x.cuda(device=1) is x
        for name, dtype in [("FloatTensor", torch.float32), ("LongTensor", torch.int64), ("ByteTensor", torch.uint8),
                            ("DoubleTensor", torch.float64), ("HalfTensor", torch.float16)]:
            made = getattr(torch.cuda, name)(2, 3)
            assert made.dtype == dtype and made.device.type == "cpu" and made.shape == (2, 3), name
        assert torch.cuda.FloatTensor([1, 2]).tolist() == [1.0, 2.0]
        torch.cuda.set_device(1)
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        for device in ("cuda", "cuda:0", "cuda:1", torch.device("cuda:0")):
            assert torch.zeros(1, device=device).device.type == "cpu"
            assert x.to(device).device.type == "cpu"
        assert x.type(torch.cuda.LongTensor).dtype == torch.int64
        assert x.type("torch.cuda.LongTensor").dtype == torch.int64
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
