"""Verify one model: drive both sides through the same steps, then compare what they produced.

Steps, each sent to both workers before waiting on either, so the two sides run in parallel:
build (NEW also builds the inputs) -> forward + backward -> strict checkpoint loads both ways ->
GPU (when wanted and present) -> device leaks on meta (last: it moves the models to meta).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

import torch

from torchup.verify import compare
from torchup.verify.sides import Reply, SideProcess
from torchup.verify.spec import ModelSpec
from torchup.verify.verdict import Check, ModelResult


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float


def _load(path: str) -> Any:
    return torch.load(path, weights_only=True)


def _both(old: SideProcess, new: SideProcess, command: str, old_path: str, new_path: str) -> Tuple[Reply, Reply]:
    old.send(command, old_path)
    new.send(command, new_path)
    return old.receive(), new.receive()


def verify_model(
    spec: ModelSpec, old_root: Path, new_root: Path, tolerance: Tolerance, device: str = "all"
) -> ModelResult:
    checks: List[Check] = []
    job = spec.to_json()
    with tempfile.TemporaryDirectory(prefix="torchup-verify-") as scratch:
        workdir = Path(scratch)
        new = SideProcess("new", new_root, job, workdir, legacy=False, shim=False, make_inputs=True)
        old = SideProcess("old", old_root, job, workdir, legacy=True, shim=True, make_inputs=False)
        try:
            new_start, old_start = new.receive(), old.receive()
            for reply in (old_start, new_start):
                if reply.error is not None:
                    return ModelResult(spec.name, (), reply.error)
            inputs = new_start.fields["inputs"]
            old_state, new_state = _load(old_start.fields["state"]), _load(new_start.fields["state"])
            checks.append(compare.compare_state(old_state, new_state, tolerance.rtol, tolerance.atol))

            old_run, new_run = _both(old, new, "run", inputs, inputs)
            for reply in (old_run, new_run):
                if reply.error is not None:
                    return ModelResult(spec.name, tuple(checks), reply.error)
            checks.append(
                compare.compare_outputs(
                    _load(old_run.fields["outputs"]), _load(new_run.fields["outputs"]), tolerance.rtol, tolerance.atol
                )
            )
            checks.append(
                compare.compare_gradients(
                    _load(old_run.fields["gradients"]),
                    _load(new_run.fields["gradients"]),
                    tolerance.rtol,
                    tolerance.atol,
                )
            )

            new_into_old, old_into_new = _both(old, new, "load", new_start.fields["state"], old_start.fields["state"])
            for reply in (new_into_old, old_into_new):
                if reply.error is not None:
                    return ModelResult(spec.name, tuple(checks), reply.error)
            state_check = checks[0]
            verified_additions = dict(state_check.extra).get("additions", []) if state_check.status == "pass" else []
            checks.append(compare.checkpoint_check(old_into_new.fields, new_into_old.fields, verified_additions))

            checks.append(_cuda(spec, old_root, new_root, job, workdir, inputs, device))

            old_leaks, new_leaks = _both(old, new, "leaks", inputs, inputs)
            checks.append(_leak_check("device_portability", new_leaks, "new"))
            checks.append(_leak_check("old_device_leaks", old_leaks, "old"))
        finally:
            new.close()
            old.close()
    return ModelResult(spec.name, tuple(checks))


def _leak_check(name: str, reply: Reply, who: str) -> Check:
    if reply.error is not None:
        return Check(name, "not checked", f"the {who} model's meta run failed: {reply.error.message}")
    return compare.leak_check(name, reply.fields, who)


def _cuda(
    spec: ModelSpec, old_root: Path, new_root: Path, job: Dict[str, Any], workdir: Path, inputs: str, device: str
) -> Check:
    if device == "cpu":
        return compare.cuda_check(None, None, "not checked (--device cpu)")
    if not torch.cuda.is_available():
        return compare.cuda_check(None, None, "not checked: no CUDA device on this machine")
    # Fresh processes that see the GPU; the OLD one runs without the CPU shim, as on a real GPU box.
    new_reply = _gpu_side("new_gpu", new_root, job, workdir, inputs, legacy=False)
    old_reply = _gpu_side("old_gpu", old_root, job, workdir, inputs, legacy=True)
    if "error" in new_reply:
        return Check("cuda", "fail", f"the new model cannot be built or run for the GPU check: {new_reply['error']}")
    return compare.cuda_check(new_reply, old_reply)


def _gpu_side(
    side: str, root: Path, job: Dict[str, Any], workdir: Path, inputs: str, *, legacy: bool
) -> Dict[str, Any]:
    process = SideProcess(side, root, job, workdir, legacy=legacy, shim=False, make_inputs=False, gpu=True)
    try:
        start = process.receive()
        reply = start if start.error is not None else process.ask("cuda", inputs)
    finally:
        process.close()
    if reply.error is not None:
        return {"ran": False, "message": reply.error.message, "error": reply.error.message}
    return reply.fields
