"""Device portability without a GPU: run forward on the ``meta`` device and watch every op.

The model is moved with ``.to("meta")``; parameters and buffers follow, anything else (a plain
tensor attribute, a ``torch.ones(3)`` built in forward) stays on the CPU. A dispatch mode sees every
aten op with its arguments: an op whose tensors sit on different devices is exactly what would
raise "Expected all tensors to be on the same device" on a GPU. 0-dim CPU tensors are allowed, as
torch allows them. The offending tensors are then moved to meta so the run continues and reports
every leak, not just the first. Outputs left off meta are leaks too. Ops without meta kernels
(data-dependent shapes, ``.item()``) end the run as "not checked", never as a pass.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional, Tuple

import torch
from torch.utils import _pytree as pytree
from torch.utils._python_dispatch import TorchDispatchMode

from torchup.verify.nested import tensor_leaves, to_device


@dataclass(frozen=True)
class DeviceLeak:
    op: str  # the aten op that mixed devices, or the path of an output left off meta
    devices: Tuple[str, ...]  # the devices that met; a single one for an output
    source_line: str  # "path:line: code" of the user's call, or "" when none is under the root


@dataclass(frozen=True)
class DeviceLeakReport:
    checked: bool
    leaks: Tuple[DeviceLeak, ...] = ()
    reason: str = ""  # why the check could not finish (with checked=False)


def user_source_line(root: Path) -> str:
    """The innermost Python frame whose file lies under the model's root, as ``path:line: code``."""
    import linecache

    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        try:
            resolved = Path(filename).resolve()
        except (OSError, ValueError):
            resolved = None
        if resolved is not None and root in resolved.parents:
            code = linecache.getline(filename, frame.f_lineno).strip()
            return f"{resolved.relative_to(root)}:{frame.f_lineno}: {code}"
        frame = frame.f_back
    return ""


def _device_name(tensor: torch.Tensor) -> str:
    return str(tensor.device)


# Copies between devices are what these ops are for: `gpu_buffer.copy_(cpu_tensor)` is legal on
# any hardware, so their tensors on two devices are no leak.
_CROSS_DEVICE_OPS = frozenset(
    {torch.ops.aten.copy_, torch.ops.aten.copy, torch.ops.aten._copy_from, torch.ops.aten._copy_from_and_resize}
)


# Arguments that may legally stay on the CPU while the rest of the op runs on the GPU: index
# tensors (`gpu_tensor[cpu_indices]` works), and the lengths of `pack_padded_sequence`, which
# must be on the CPU. By position in the aten op's arguments.
_CPU_ALLOWED_ARGUMENTS = {
    torch.ops.aten.index: (1,),
    torch.ops.aten.index_put: (1,),
    torch.ops.aten.index_put_: (1,),
    torch.ops.aten._index_put_impl_: (1,),
    torch.ops.aten._pack_padded_sequence: (1,),
}


class MixedDeviceDetector(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # Otherwise torch wraps __torch_dispatch__ in a dynamo guard whose first call imports
        # torch._dynamo (1.5 s per side). The verifier never compiles, so there is nothing to skip.
        # torch calls this while the class is being built, before mutmut's trampoline can exist.
        return False  # pragma: no mutate

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.leaks: List[DeviceLeak] = []
        self._seen = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if getattr(func, "overloadpacket", None) in _CROSS_DEVICE_OPS:
            return func(*args, **kwargs)
        flat, spec = pytree.tree_flatten((args, kwargs))
        allowed = _CPU_ALLOWED_ARGUMENTS.get(getattr(func, "overloadpacket", None), ())
        checked = [arg for position, arg in enumerate(args) if position not in allowed]
        tensors = [item for item in pytree.tree_leaves((checked, kwargs)) if isinstance(item, torch.Tensor)]
        counted = [t for t in tensors if not (t.dim() == 0 and t.device.type == "cpu")]
        devices = sorted({_device_name(t) for t in counted})
        if len(devices) > 1:
            source_line = user_source_line(self.root)
            op = str(func.overloadpacket.__name__) if hasattr(func, "overloadpacket") else str(func)
            key = (op, source_line)
            if key not in self._seen:
                self._seen.add(key)
                self.leaks.append(DeviceLeak(op, tuple(devices), source_line))
            # Carry on as if the leaked tensor had moved with the model, to find the next leak.
            flat = [
                (
                    item.to("meta")
                    if isinstance(item, torch.Tensor)
                    and item.device.type != "meta"
                    and not (item.dim() == 0 and item.device.type == "cpu")
                    else item
                )
                for item in flat
            ]
            args, kwargs = pytree.tree_unflatten(flat, spec)
        return func(*args, **kwargs)


def find_device_leaks(model: torch.nn.Module, inputs: Tuple[Any, ...], root: Path) -> DeviceLeakReport:
    """Run ``model`` on meta; the model is left on meta afterwards (call this last)."""
    root = root.resolve()
    try:
        model.to("meta")
    except Exception as error:  # noqa: BLE001 - any failure means we cannot check, not a leak
        return DeviceLeakReport(False, reason=f"the model could not be moved to the meta device: {error}")
    meta_inputs = to_device(inputs, "meta")
    detector = MixedDeviceDetector(root)
    failure: Optional[str] = None
    outputs: Any = None
    try:
        with torch.no_grad(), detector:
            outputs = model(*meta_inputs)
    except Exception as error:  # noqa: BLE001 - ops without meta kernels, .item(), data-dependent shapes
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        source_line = user_source_line_from(error, root)
        mismatch = _device_mismatch(message)
        if mismatch:
            # Some kernels (cuDNN-style RNNs) check devices in C++ before any op reaches the mode:
            # their own error is the leak, at the user's line.
            detector.leaks.append(DeviceLeak(f"{message[:160]}", mismatch, source_line))
        else:
            failure = (
                f"forward on the meta device stopped at {source_line or 'an op'}: {type(error).__name__}: {message}"
            )
    leaks = list(detector.leaks)
    if failure is None:
        for path, tensor in tensor_leaves(outputs):
            if tensor.device.type != "meta":
                leaks.append(DeviceLeak(path, (str(tensor.device),), ""))
    if leaks:
        # Leaks found before a stop are real; the stop only means there may be more.
        return DeviceLeakReport(True, tuple(leaks), reason=failure or "")
    if failure is not None:
        return DeviceLeakReport(False, reason=failure)
    return DeviceLeakReport(True)


_MISMATCH = re.compile(r"same device|two devices|different devices|is not on the expected device", re.IGNORECASE)
_DEVICE_NAMES = re.compile(r"\b(cpu|meta|cuda(?::\d+)?)\b")


def _device_mismatch(message: str) -> Tuple[str, ...]:
    """The devices named by a "tensors on different devices" error; () for any other error."""
    if not _MISMATCH.search(message):
        return ()
    return tuple(sorted(set(_DEVICE_NAMES.findall(message)))) or ("cpu", "meta")


def user_source_line_from(error: BaseException, root: Path) -> str:
    """The last traceback frame under ``root``: where the user's code hit the unsupported op."""
    import linecache

    found = ""
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        try:
            resolved = Path(filename).resolve()
        except (OSError, ValueError):
            resolved = None
        if resolved is not None and root in resolved.parents:
            found = f"{resolved.relative_to(root)}:{tb.tb_lineno}: {linecache.getline(filename, tb.tb_lineno).strip()}"
        tb = tb.tb_next
    return found
