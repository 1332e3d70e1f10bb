"""Run legacy CUDA-bound code on a CPU-only machine, for the OLD side only.

2017 code calls ``.cuda()`` unconditionally, builds ``torch.cuda.FloatTensor(...)``, casts with
``.type(torch.cuda.LongTensor)`` and passes ``device="cuda"``; all of these raise on a CPU build.
The shim makes each of them mean "CPU": ``Tensor.cuda``/``Module.cuda`` return the object
unchanged, the ``torch.cuda.*Tensor`` types become their CPU counterparts, and a
``TorchFunctionMode`` rewrites CUDA device arguments of every torch call to ``cpu``.

Never installed on the NEW side: there a hard-coded CUDA device is a bug the verifier must see.
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

import torch
from torch.overrides import TorchFunctionMode

_LEGACY_TYPES = (
    "FloatTensor",
    "DoubleTensor",
    "HalfTensor",
    "BFloat16Tensor",
    "ByteTensor",
    "CharTensor",
    "ShortTensor",
    "IntTensor",
    "LongTensor",
    "BoolTensor",
)


def _is_cuda_device(value: Any) -> bool:
    if isinstance(value, torch.device):
        return value.type == "cuda"
    if isinstance(value, str):
        return value == "cuda" or value.startswith("cuda:")
    return False


def _cpu_type_name(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("torch.cuda."):
        return "torch." + value[len("torch.cuda.") :]
    return value


class CudaToCpu(TorchFunctionMode):
    """Rewrites CUDA device and type arguments of torch calls to their CPU meaning."""

    def __torch_function__(self, func, types, args: Tuple[Any, ...] = (), kwargs: Dict[str, Any] = None):
        kwargs = dict(kwargs or {})
        if _is_cuda_device(kwargs.get("device")):
            kwargs["device"] = "cpu"
        name = getattr(func, "__name__", "")
        if name in ("to", "type") and len(args) >= 2:
            # Tensor.to(device, ...) / Tensor.type("torch.cuda.FloatTensor"): the first argument after self.
            first = args[1]
            if _is_cuda_device(first):
                args = (args[0], "cpu", *args[2:])
            elif name == "type":
                args = (args[0], _cpu_type_name(first), *args[2:])
        if name == "type" and "dtype" in kwargs:
            kwargs["dtype"] = _cpu_type_name(kwargs["dtype"])
        return func(*args, **kwargs)


def _tensor_cuda(self, device=None, non_blocking=False, **_ignored):
    return self


def _module_cuda(self, device=None):
    return self


def _noop(name: str):
    # One function per name: torch._dynamo's trace rules reject one object under two names.
    def noop(*_args, **_kwargs):
        return None

    noop.__name__ = noop.__qualname__ = name
    return noop


def install() -> CudaToCpu:
    """Patch torch for this process and enter the mode; the worker never leaves it."""
    torch.Tensor.cuda = _tensor_cuda
    torch.nn.Module.cuda = _module_cuda
    for type_name in _LEGACY_TYPES:
        cpu_type = getattr(torch, type_name, None)
        if cpu_type is not None:
            setattr(torch.cuda, type_name, cpu_type)
    # Calls that raise on a CPU build and only manage devices.
    for name in ("set_device", "synchronize", "empty_cache"):
        setattr(torch.cuda, name, _noop(name))
    mode = CudaToCpu()
    mode.__enter__()
    return mode
