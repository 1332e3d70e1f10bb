"""The OLD side's CUDA shim, directly: every spelling of a CUDA device or type means the CPU."""

from __future__ import annotations

import pytest
import torch

from torchup.verify import cuda_shim
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


@pytest.fixture
def installed(monkeypatch):
    """``install()`` in this process, undone afterwards: it patches torch for the worker's lifetime."""
    monkeypatch.setattr(torch.Tensor, "cuda", torch.Tensor.cuda)
    monkeypatch.setattr(torch.nn.Module, "cuda", torch.nn.Module.cuda)
    for name in (*cuda_shim._LEGACY_TYPES, "set_device", "synchronize", "empty_cache"):
        if hasattr(torch.cuda, name):
            monkeypatch.setattr(torch.cuda, name, getattr(torch.cuda, name))
    mode = cuda_shim.install()
    yield mode
    mode.__exit__(None, None, None)


def test_install_makes_legacy_cuda_code_run_on_the_cpu(installed):
    assert isinstance(installed, CudaToCpu)
    net = torch.nn.Linear(2, 2)
    assert net.cuda() is net and net.cuda(1) is net
    x = torch.ones(2)
    assert x.cuda() is x and x.cuda(0, non_blocking=True) is x and x.cuda(device=1) is x
    for name, dtype in [
        ("FloatTensor", torch.float32),
        ("DoubleTensor", torch.float64),
        ("HalfTensor", torch.float16),
        ("BFloat16Tensor", torch.bfloat16),
        ("ByteTensor", torch.uint8),
        ("CharTensor", torch.int8),
        ("ShortTensor", torch.int16),
        ("IntTensor", torch.int32),
        ("LongTensor", torch.int64),
        ("BoolTensor", torch.bool),
    ]:
        made = getattr(torch.cuda, name)(2, 3)
        assert made.dtype == dtype and made.device.type == "cpu" and made.shape == (2, 3), name
    assert torch.cuda.FloatTensor([1, 2]).tolist() == [1.0, 2.0]
    for name in ("set_device", "synchronize", "empty_cache"):
        call = getattr(torch.cuda, name)
        assert call.__name__ == name and call(1) is None
    for device in ("cuda", "cuda:0", "cuda:1", torch.device("cuda:0")):
        assert torch.zeros(1, device=device).device.type == "cpu"
        assert x.to(device).device.type == "cpu"
    assert x.type(torch.cuda.LongTensor).dtype == torch.int64
    assert x.type("torch.cuda.LongTensor").dtype == torch.int64


def test_cuda_means_the_cpu_even_under_another_default_device():
    # "cuda" must become "cpu", not "no device": that would follow `with torch.device("meta")`.
    with torch.device("meta"), CudaToCpu():
        assert torch.zeros(2, device="cuda:0").device.type == "cpu"
        assert torch.zeros(2).device.type == "meta"
