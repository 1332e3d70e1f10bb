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

from torchup.verify import inputs as forward_inputs
from torchup.verify.nested import leaves, to_device

# torch and the libraries released with it: a submodule of theirs that legacy code imports and
# today's release lacks is a removed API, not a missing install.
TORCH_LIBRARIES = frozenset({"torch", "torchvision", "torchaudio", "torchtext"})


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
    """``MODULE:NAME`` from this side's root; ModelNotFound when the module or name is not there
    (a set-up mistake), any other error as the user's code raised it (legacy code may not import)."""
    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            raise ModelNotFound(f"no module {module_name!r} under {os.getcwd()}") from None
        raise
    target: Any = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise ModelNotFound(f"{module_name} has no {attribute!r}")
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


def make_inputs(spec: Dict[str, Any], model) -> Tuple[Any, ...]:
    """This side's forward inputs: the ``--inputs`` function (given the model when it takes an
    argument) or the ``--input`` specs, after the same seed on both sides."""
    if spec["inputs_fn"]:
        function = resolve(spec["inputs_fn"])
        seed_everything(spec["seed"])
        return forward_inputs.call_inputs_function(function, model)
    return forward_inputs.from_specs(spec["inputs"], spec["seed"])


def copy_model(model, spec: Dict[str, Any]):
    """A copy of ``model`` that shares nothing with it, even after a forward pass.

    ``copy.deepcopy`` refuses a non-leaf tensor (one that a forward cached on the module, like
    the annotated Transformer's ``self.attn``): such attributes are copied detached. Should the
    copy still fail, the model is rebuilt from its constructor and given the state_dict.
    """
    memo: Dict[int, Any] = {}
    for module in model.modules():
        for value in vars(module).values():
            if isinstance(value, torch.Tensor) and not value.is_leaf:
                memo[id(value)] = value.detach().clone()
    try:
        return copy.deepcopy(model, memo)
    except Exception:  # noqa: BLE001 - any object deepcopy refuses: rebuild instead
        rebuilt = build_model(spec)
        rebuilt.load_state_dict(model.state_dict(), strict=True)
        rebuilt.train(model.training)
        return rebuilt


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


class ModelNotFound(LookupError):
    """The model (or inputs) reference names a module or attribute this side's root does not have."""


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
        self.inputs_tree: Any = None  # this side's forward inputs, encoded (inputs.py)
        self.step = "setup"  # what the side was doing, for the report when something raises

    def path(self, name: str) -> str:
        return str(self.workdir / f"{self.side}_{name}.pt")

    def fresh_inputs(self) -> Tuple[Any, ...]:
        """A new copy of the inputs for each use: a forward may edit its inputs in place."""
        return tuple(forward_inputs.decode(self.inputs_tree))

    def start(self, request: Dict[str, Any]) -> Dict[str, Any]:
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
        self.step = "build"
        with _user_code():
            self.model = build_model(self.spec)
            self.state = snapshot_state(self.model)
        torch.save(self.state, self.path("state"))
        reply: Dict[str, Any] = {"state": self.path("state")}
        self.step = "inputs"
        if not self._builds_own_inputs():
            # The NEW side's inputs are carried here (as an encoding, see inputs.py): a legacy
            # harness function would build them the legacy way (0.3's volatile=True: no graph).
            return {**reply, "inputs": None}
        with _user_code():
            made = make_inputs(self.spec, self.model)
        self.inputs_tree = forward_inputs.encode(list(made))
        torch.save(self.inputs_tree, self.path("inputs"))
        return {**reply, "inputs": self.path("inputs")}

    def _builds_own_inputs(self) -> bool:
        """NEW always; OLD only when the inputs function takes the model (``model.init_hidden``)
        and this side has it: inputs that depend on the model come from each side's own model."""
        if self.side.startswith("new"):
            return True
        reference = self.spec["inputs_fn"]
        if not reference:
            return False
        with _user_code():
            try:
                function = resolve(reference)
            except ModelNotFound:
                return False
        return forward_inputs.takes_model(function)

    def adopt(self, request: Dict[str, Any]) -> Dict[str, Any]:
        """Use the other side's inputs (carried as an encoding, read without unpickling code)."""
        self.step = "inputs"
        self.inputs_tree = torch.load(request["path"], weights_only=True)
        self.fresh_inputs()  # a class the encoding names must exist on this side too
        return {}

    def run(self, request: Dict[str, Any]) -> Dict[str, Any]:
        """Forward in the requested mode, then one backward pass; outputs and gradients go to files."""
        mode = request["mode"]
        self.step = f"forward ({mode} mode)"
        self.model.train(mode == "train")
        for tensor in trainable_tensors(self.model).values():
            tensor.grad = None
        arguments = self.fresh_inputs()
        # The same seed right before the forward: in train mode both sides draw the same dropout masks.
        seed_everything(self.spec["seed"])
        with _user_code():
            outputs = self.model(*arguments)
        self.step = f"outputs ({mode} mode)"
        output_leaves = list(leaves(outputs))
        torch.save({path: _detached(leaf) for path, leaf in output_leaves}, self.path(f"outputs_{mode}"))
        differentiable = [
            leaf
            for _, leaf in output_leaves
            if isinstance(leaf, torch.Tensor) and leaf.requires_grad and leaf.is_floating_point()
        ]
        self.step = f"backward ({mode} mode)"
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
        torch.save(gradients, self.path(f"gradients_{mode}"))
        return {"outputs": self.path(f"outputs_{mode}"), "gradients": self.path(f"gradients_{mode}")}

    def load(self, request: Dict[str, Any]) -> Dict[str, Any]:
        """Strict-load the other side's state_dict into this side's model (a checkpoint round trip)."""
        self.step = "checkpoint"
        other = torch.load(request["path"], weights_only=True)["state_dict"]
        target = copy_model(self.model, self.spec)
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

    def cuda(self, request: Dict[str, Any]) -> Dict[str, Any]:
        """The model on GPU. NEW compares with its CPU outputs; OLD (unshimmed) only has to run."""
        self.step = "cuda"
        arguments = self.fresh_inputs()
        try:
            gpu_model = copy_model(self.model, self.spec).cuda()
            seed_everything(self.spec["seed"])
            with torch.no_grad():
                gpu_outputs = dict(leaves(gpu_model(*to_device(arguments, "cuda"))))
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
        cpu_model = copy_model(self.model, self.spec).cpu()
        seed_everything(self.spec["seed"])
        with torch.no_grad():
            cpu_outputs = dict(leaves(cpu_model(*self.fresh_inputs())))
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

    def leaks(self, request: Dict[str, Any]) -> Dict[str, Any]:
        from torchup.verify.device_leaks import find_device_leaks

        self.step = "portability"
        self.model.train(request.get("mode") == "train")
        seed_everything(self.spec["seed"])
        report = find_device_leaks(self.model, self.fresh_inputs(), self.root)
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


def _gone_from_torch(name: str) -> bool:
    """Whether a missing module is one that torch or one of its own libraries no longer has
    (`torch.utils.serialization`, `torchvision.models.utils`): the legacy code on today's torch.
    A package missing whole (`torchvision` itself, or `torch_geometric`, which only starts alike)
    is the environment's."""
    package, dot, _ = name.partition(".")
    return bool(dot) and package in TORCH_LIBRARIES


def _error_reply(error: BaseException, worker: Worker) -> Dict[str, Any]:
    """What went wrong, at which step, and whose fault: the model's code ("user"), a model or
    inputs reference that does not resolve ("setup"), or the verifier itself ("internal")."""
    cause = error.__cause__ if isinstance(error, UserCodeError) and error.__cause__ is not None else error
    if isinstance(cause, (ModelNotFound, forward_inputs.MissingInputClass)):
        kind, message = "setup", str(cause)
    elif isinstance(cause, ModuleNotFoundError) and not _gone_from_torch(cause.name or ""):
        # A module of the user's tree or a third-party package is missing on this side: the
        # environment, not the legacy code on today's torch.
        kind, message = "setup", str(error)
    elif isinstance(error, (UserCodeError, forward_inputs.InputError)):
        kind, message = "user", str(error) if isinstance(error, UserCodeError) else f"{type(error).__name__}: {error}"
    else:
        kind, message = "internal", f"{type(error).__name__}: {error}"
    source_line = _last_user_frame(cause, worker.root) if kind == "user" else ""
    return {
        "ok": False,
        "error": {
            "message": message,
            "traceback_tail": traceback_tail(cause),
            "step": worker.step,
            "kind": kind,
            "source_line": source_line,
        },
    }


def serve(job: Dict[str, Any], connection, stderr_path: str) -> None:
    """The body of a side's process: build, then answer commands until "quit" or the pipe closes."""
    _redirect_output(stderr_path)
    os.environ.update(CUBLAS_WORKSPACE_CONFIG=":4096:8", OMP_NUM_THREADS="1")
    if not job["gpu"]:
        os.environ["CUDA_VISIBLE_DEVICES"] = ""  # before anything touches CUDA: CPU sides stay on the CPU
    os.chdir(job["root"])
    worker = Worker(job)
    try:
        connection.send({"ok": True, **worker.start({})})
    except Exception as error:  # noqa: BLE001 - reported to the parent, which names the side
        connection.send(_error_reply(error, worker))
        return
    handlers = {
        "adopt": worker.adopt,
        "run": worker.run,
        "load": worker.load,
        "cuda": worker.cuda,
        "leaks": worker.leaks,
    }
    while True:
        try:
            command = connection.recv()
        except EOFError:
            return
        if command["cmd"] == "quit":
            return
        try:
            connection.send({"ok": True, **handlers[command["cmd"]](command)})
        except Exception as error:  # noqa: BLE001
            connection.send(_error_reply(error, worker))
