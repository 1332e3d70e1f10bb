"""One side of a verification, in its own process: ``serve`` is that process's body.

The parent (``sides.py``) sends small commands over a pipe and gets small replies; the user's own
prints go to a file the parent reads only to explain a crash. Tensors never travel through the
pipe: they are written with ``torch.save`` into the job's work directory and read back with
``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import os
import random
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import torch

from torchup.verify.nested import leaves, to_device


class UserCodeError(Exception):
    """The model's own code raised: the report names the side and shows the traceback's tail."""


def traceback_tail(error: BaseException, frames: int = 4) -> str:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    # The header, the last few frames and the message: enough to find the line without the noise.
    return "".join(lines[:1] + lines[1:-1][-frames:] + lines[-1:])


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy
    except ImportError:
        return
    numpy.random.seed(seed)


def set_up_determinism() -> None:
    torch.set_num_threads(1)
    # warn_only: a GPU op without a deterministic kernel should not abort the run; CPU kernels are.
    # The public torch.use_deterministic_algorithms also imports torch._inductor to set its config
    # (1.5 s per side); nothing here compiles, so set the flag itself where torch exposes it.
    set_flag = getattr(torch._C, "_set_deterministic_algorithms", None)
    if set_flag is not None:
        set_flag(True, warn_only=True)
    else:  # pragma: no cover - a torch without the private setter
        torch.use_deterministic_algorithms(True, warn_only=True)
    # TF32 convolutions would make GPU-vs-CPU differ by far more than float32 tolerance.
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    # Legacy code passes volatile=True; torch 2.x ignores it with a warning per call.
    warnings.filterwarnings("ignore", message=r".*volatile.*")
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def resolve(reference: str) -> Any:
    module_name, _, attribute = reference.partition(":")
    module = importlib.import_module(module_name)
    target: Any = module
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def build_model(spec: Dict[str, Any]):
    factory = resolve(spec["model"])
    seed_everything(spec["seed"])
    model = factory(*spec["args"], **spec["kwargs"])
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"{spec['model']} returned {type(model).__name__}, not an nn.Module")
    model.eval()
    return model


def make_inputs(spec: Dict[str, Any]) -> Tuple[Any, ...]:
    """The one set of inputs both sides use; built on the NEW side, loaded by both."""
    if spec["inputs_fn"]:
        seed_everything(spec["seed"])
        made = resolve(spec["inputs_fn"])()
        return tuple(made) if isinstance(made, (tuple, list)) else (made,)
    generator = torch.Generator().manual_seed(spec["seed"])
    inputs = []
    for item in spec["inputs"]:
        dtype = getattr(torch, item["dtype"])  # spec.py names dtypes as torch does
        shape = tuple(item["shape"])
        if item["high"] is None:
            inputs.append(torch.randn(shape, generator=generator, dtype=dtype))
        else:
            inputs.append(torch.randint(0, item["high"], shape, generator=generator).to(dtype))
    return tuple(inputs)


def plain_tensor_attributes(model) -> Dict[str, Any]:
    """Tensors held as plain attributes (not parameters or buffers), by dotted path."""
    found = {}
    for prefix, module in model.named_modules():
        for key, value in vars(module).items():
            if isinstance(value, torch.Tensor):
                found[f"{prefix}.{key}" if prefix else key] = value.detach().clone()
    return found


def trainable_tensors(model) -> Dict[str, Any]:
    """Parameters, and the leaf tensors that require grad held as plain attributes (legacy
    ``self.w = Variable(t, requires_grad=True)``, which TU202 turns into a Parameter of the
    same name), by dotted path: everything whose gradient an optimizer was given."""
    found = dict(model.named_parameters())
    for prefix, module in model.named_modules():
        for key, value in vars(module).items():
            if isinstance(value, torch.Tensor) and value.requires_grad and value.is_leaf:
                found.setdefault(f"{prefix}.{key}" if prefix else key, value)
    return found


def snapshot_state(model) -> Dict[str, Any]:
    state_dict = {key: value.detach().clone() for key, value in model.state_dict().items()}
    return {
        "state_dict": state_dict,
        "buffers": {name: buffer.detach().clone() for name, buffer in model.named_buffers()},
        "parameters": [name for name, _ in model.named_parameters()],
        "attributes": plain_tensor_attributes(model),
    }


class Worker:
    def __init__(self, job: Dict[str, Any]) -> None:
        self.side: str = job["side"]
        self.root = Path(job["root"]).resolve()
        self.spec: Dict[str, Any] = job["spec"]
        self.workdir = Path(job["workdir"])
        self.parent_cwd: str = job["parent_cwd"]
        self.legacy: bool = job["legacy"]
        self.shim: bool = job["shim"]
        self.model = None
        self.state: Optional[Dict[str, Any]] = None

    def path(self, name: str) -> str:
        return str(self.workdir / f"{self.side}_{name}.pt")

    def load_inputs(self, path: str) -> Tuple[Any, ...]:
        return tuple(torch.load(path, weights_only=True))

    def start(self, make_inputs_too: bool) -> Dict[str, Any]:
        set_up_determinism()
        if self.legacy:
            from torchup.verify import legacy_defaults, legacy_source

            legacy_source.install(self.root)
            legacy_defaults.install()
        if self.shim:
            from torchup.verify import cuda_shim

            cuda_shim.install()
        # The parent's working directory (often the NEW checkout) must not leak into the OLD side.
        sys.path[:] = [entry for entry in sys.path if entry not in ("", ".", self.parent_cwd)]
        sys.path.insert(0, str(self.root))
        with _user_code():
            self.model = build_model(self.spec)
            self.state = snapshot_state(self.model)
        torch.save(self.state, self.path("state"))
        reply: Dict[str, Any] = {"state": self.path("state")}
        if make_inputs_too:
            with _user_code():
                inputs = make_inputs(self.spec)
            torch.save(list(inputs), self.path("inputs"))
            reply["inputs"] = self.path("inputs")
        return reply

    def run(self, inputs_path: str) -> Dict[str, Any]:
        """Forward, then one backward pass; outputs and gradients go to files."""
        inputs = self.load_inputs(inputs_path)
        seed_everything(self.spec["seed"])
        with _user_code():
            outputs = self.model(*inputs)
        output_leaves = list(leaves(outputs))
        torch.save({path: _detached(leaf) for path, leaf in output_leaves}, self.path("outputs"))
        differentiable = [
            leaf
            for _, leaf in output_leaves
            if isinstance(leaf, torch.Tensor) and leaf.requires_grad and leaf.is_floating_point()
        ]
        gradients: Dict[str, Any] = {"error": None, "grads": {}}
        if not differentiable:
            gradients["error"] = "no output requires grad"
        else:
            try:
                sum(leaf.sum() for leaf in differentiable).backward()
            except Exception as error:  # noqa: BLE001 - compared with the other side's outcome
                gradients["error"] = f"backward raised {type(error).__name__}: {error}"
            else:
                gradients["grads"] = {
                    name: None if p.grad is None else p.grad.detach().clone()
                    for name, p in trainable_tensors(self.model).items()
                }
        torch.save(gradients, self.path("gradients"))
        return {"outputs": self.path("outputs"), "gradients": self.path("gradients")}

    def load(self, state_dict_path: str) -> Dict[str, Any]:
        """Strict-load the other side's state_dict into this side's model (a checkpoint round trip)."""
        other = torch.load(state_dict_path, weights_only=True)["state_dict"]
        target = copy.deepcopy(self.model)
        expected = set(target.state_dict())
        try:
            target.load_state_dict(other, strict=True)
        except Exception as error:  # noqa: BLE001 - the failure is the check's result
            message = str(error).strip()
            return {
                "loaded": False,
                "missing": sorted(expected - set(other)),
                "unexpected": sorted(set(other) - expected),
                "message": message.splitlines()[0] if message else type(error).__name__,
                "full_message": message,
            }
        return {"loaded": True, "missing": [], "unexpected": [], "message": ""}

    def cuda(self, inputs_path: str) -> Dict[str, Any]:
        """The model on GPU. NEW compares with its CPU outputs; OLD (unshimmed) only has to run."""
        inputs = self.load_inputs(inputs_path)
        try:
            gpu_model = copy.deepcopy(self.model).cuda()
            seed_everything(self.spec["seed"])
            with torch.no_grad():
                gpu_outputs = dict(leaves(gpu_model(*to_device(inputs, "cuda"))))
        except Exception as error:  # noqa: BLE001 - a GPU failure is the finding
            text = str(error).strip()
            return {
                "ran": False,
                "message": f"{type(error).__name__}: {text.splitlines()[0] if text else ''}",
                "source_line": _last_user_frame(error, self.root),
            }
        devices = sorted({str(v.device) for v in gpu_outputs.values() if isinstance(v, torch.Tensor)})
        if self.side != "new_gpu":
            return {"ran": True, "devices": devices}
        cpu_model = copy.deepcopy(self.model).cpu()
        seed_everything(self.spec["seed"])
        with torch.no_grad():
            cpu_outputs = dict(leaves(cpu_model(*inputs)))
        torch.save({p: _detached(v) for p, v in cpu_outputs.items()}, self.path("cuda_reference"))
        torch.save(
            {p: _detached(v).cpu() if isinstance(v, torch.Tensor) else v for p, v in gpu_outputs.items()},
            self.path("cuda_outputs"),
        )
        return {
            "ran": True,
            "reference": self.path("cuda_reference"),
            "outputs": self.path("cuda_outputs"),
            "devices": devices,
        }

    def leaks(self, inputs_path: str) -> Dict[str, Any]:
        from torchup.verify.device_leaks import find_device_leaks

        report = find_device_leaks(self.model, self.load_inputs(inputs_path), self.root)
        return {
            "checked": report.checked,
            "reason": report.reason,
            "leaks": [dataclasses.asdict(leak) for leak in report.leaks],
        }


def _detached(value: Any) -> Any:
    return value.detach().clone() if isinstance(value, torch.Tensor) else value


def _last_user_frame(error: BaseException, root: Path) -> str:
    from torchup.verify.device_leaks import user_source_line_from

    return user_source_line_from(error, root)


class _user_code:
    """Wraps calls into the model's code so that their exceptions become UserCodeError."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, tb) -> bool:
        if error is not None and isinstance(error, Exception) and not isinstance(error, UserCodeError):
            raise UserCodeError(f"{type(error).__name__}: {error}") from error
        return False


def _redirect_output(stderr_path: str) -> None:
    """Everything the user's code prints (Python or C level) goes to a file the parent reads on a crash."""
    handle = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(handle, 1)
    os.dup2(handle, 2)
    os.close(handle)


def _error_reply(error: BaseException) -> Dict[str, Any]:
    cause = error.__cause__ if isinstance(error, UserCodeError) and error.__cause__ is not None else error
    message = str(error) if isinstance(error, UserCodeError) else f"{type(error).__name__}: {error}"
    return {"ok": False, "error": {"message": message, "traceback_tail": traceback_tail(cause)}}


def serve(job: Dict[str, Any], connection, stderr_path: str) -> None:
    """The body of a side's process: build, then answer commands until "quit" or the pipe closes."""
    _redirect_output(stderr_path)
    os.environ.update(CUBLAS_WORKSPACE_CONFIG=":4096:8", OMP_NUM_THREADS="1")
    if not job["gpu"]:
        os.environ["CUDA_VISIBLE_DEVICES"] = ""  # before anything touches CUDA: CPU sides stay on the CPU
    os.chdir(job["root"])
    worker = Worker(job)
    try:
        connection.send({"ok": True, **worker.start(job["make_inputs"])})
    except Exception as error:  # noqa: BLE001 - reported to the parent, which names the side
        connection.send(_error_reply(error))
        return
    handlers = {"run": worker.run, "load": worker.load, "cuda": worker.cuda, "leaks": worker.leaks}
    while True:
        try:
            command = connection.recv()
        except EOFError:
            return
        if command["cmd"] == "quit":
            return
        try:
            connection.send({"ok": True, **handlers[command["cmd"]](command["path"])})
        except Exception as error:  # noqa: BLE001
            connection.send(_error_reply(error))
