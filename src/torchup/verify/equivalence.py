"""Verify one model: drive both sides through the same steps, then compare what they produced.

Steps, each sent to both workers before waiting on either, so the two sides run in parallel:
build (NEW also builds the inputs; OLD builds its own only from an inputs function that takes the model) -> forward + backward in each mode (eval, train) ->
strict checkpoint loads both ways -> GPU (when wanted and present) -> device leaks on meta
(last: it moves the models to meta).

When the legacy model's own code raises on today's torch (while building or in forward) and the
new one runs, nothing can be compared: the new model is then checked on its own (it runs forward
and backward, loads the legacy state_dict when the legacy model could be built, runs on meta and
on GPU) and the verdict says the legacy side does not run. A failure of the verifier itself
is reported as internal, with the step it was in, never as the fault of a side.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import torch

from torchup.verify import compare
from torchup.verify.sides import Reply, SideProcess
from torchup.verify.spec import ModelSpec
from torchup.verify.verdict import PASS, Check, ModelResult, SideError


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float


def _load(path: str) -> Any:
    return torch.load(path, weights_only=True)


def _both(old: SideProcess, new: SideProcess, command: str, old_path: str, new_path: str, **options) -> Tuple[Reply, Reply]:
    old.send(command, old_path, **options)
    new.send(command, new_path, **options)
    return old.receive(), new.receive()


def modes_of(spec: ModelSpec) -> Tuple[str, ...]:
    return ("eval", "train") if spec.mode == "both" else (spec.mode,)


def check_name(base: str, mode: str) -> str:
    """``outputs``/``gradients`` in eval mode (the names reports always had), ``train_outputs`` in train."""
    return base if mode == "eval" else f"{mode}_{base}"


class _Stopped(Exception):
    """A side failed: the result so far, with its error."""

    def __init__(self, result: ModelResult) -> None:
        super().__init__(result.name)
        self.result = result


class _Verification:
    def __init__(
        self,
        spec: ModelSpec,
        old_root: Path,
        new_root: Path,
        tolerance: Tolerance,
        device: str,
        timeout: Optional[float] = None,
    ) -> None:
        self.spec = spec
        self.timeout = timeout
        self.old_root, self.new_root = old_root, new_root
        self.tolerance = tolerance
        self.device = device
        self.job = spec.to_json()
        self.checks: List[Check] = []
        self.step = "start"

    def result(self, error: Optional[SideError] = None, legacy_error: Optional[SideError] = None) -> ModelResult:
        return ModelResult(self.spec.name, tuple(self.checks), error, legacy_error, torch.__version__)

    def stop(self, error: SideError) -> _Stopped:
        return _Stopped(self.result(error))

    def run(self, workdir: Path) -> ModelResult:
        new = SideProcess("new", self.new_root, self.job, workdir, legacy=False, shim=False, timeout=self.timeout)
        old = SideProcess("old", self.old_root, self.job, workdir, legacy=True, shim=True, timeout=self.timeout)
        try:
            return self._run(old, new, workdir)
        except _Stopped as stopped:
            return stopped.result
        finally:
            new.close()
            old.close()

    def _run(self, old: SideProcess, new: SideProcess, workdir: Path) -> ModelResult:
        self.step = "build"
        new_start, old_start = new.receive(), old.receive()
        if new_start.error is not None:
            return self.result(new_start.error)
        if old_start.error is not None:
            if _legacy_does_not_run(old_start.error):
                return self._new_alone(new, new_start, old_start.error, None, workdir, ran=())
            return self.result(old_start.error)
        self.step = "inputs"
        new_inputs = self._inputs(new, new_start, old_start)
        old_inputs = self._inputs(old, old_start, new_start)
        self.step = "state_dict"
        old_state, new_state = _load(old_start.fields["state"]), _load(new_start.fields["state"])
        self.checks.append(
            compare.compare_state(old_state, new_state, self.tolerance.rtol, self.tolerance.atol)
        )
        if old_start.fields["inputs"] and new_start.fields["inputs"]:
            self.checks.append(compare.compare_inputs(_load(old_inputs), _load(new_inputs)))

        ran: List[str] = []
        for mode in modes_of(self.spec):
            self.step = f"forward ({mode} mode)"
            old_run, new_run = _both(old, new, "run", "", "", mode=mode)
            if new_run.error is not None:
                return self.result(new_run.error)
            if old_run.error is not None:
                if _legacy_does_not_run(old_run.error):
                    return self._new_alone(new, new_start, old_run.error, old_start, workdir, ran=tuple(ran) + (mode,))
                return self.result(old_run.error)
            ran.append(mode)
            self.step = f"compare ({mode} mode)"
            rtol, atol = self.tolerance.rtol, self.tolerance.atol
            outputs = compare.compare_outputs(_load(old_run.fields["outputs"]), _load(new_run.fields["outputs"]), rtol, atol)
            gradients = compare.compare_gradients(
                _load(old_run.fields["gradients"]), _load(new_run.fields["gradients"]), rtol, atol
            )
            for check in (outputs, gradients):
                self.checks.append(_renamed(check, check_name(check.name, mode), mode))

        self.step = "checkpoint"
        new_into_old, old_into_new = _both(old, new, "load", new_start.fields["state"], old_start.fields["state"])
        for reply in (new_into_old, old_into_new):
            if reply.error is not None:
                return self.result(reply.error)
        state_check = self.checks[0]
        verified_additions = dict(state_check.extra).get("additions", []) if state_check.status == "pass" else []
        self.checks.append(compare.checkpoint_check(old_into_new.fields, new_into_old.fields, verified_additions))

        self.step = "cuda"
        self.checks.append(self._cuda(workdir, new_inputs, legacy_runs=True))

        self.step = "portability"
        old_leaks, new_leaks = _both(old, new, "leaks", "", "", mode=modes_of(self.spec)[0])
        self.checks.append(_leak_check("device_portability", new_leaks, "new"))
        self.checks.append(_leak_check("old_device_leaks", old_leaks, "old", new_leaks))
        return self.result()

    def _inputs(self, side: SideProcess, start: Reply, other: Reply) -> str:
        """The path of the inputs this side runs on: its own, or the other side's when it lacks the function."""
        if start.fields["inputs"]:
            return start.fields["inputs"]
        if not other.fields.get("inputs"):
            raise self.stop(SideError(side.side, "neither side built the inputs", step="inputs", kind="internal"))
        reply = side.ask("adopt", other.fields["inputs"])
        if reply.error is not None:
            raise self.stop(reply.error)
        return other.fields["inputs"]

    def _new_alone(
        self,
        new: SideProcess,
        new_start: Reply,
        legacy_error: SideError,
        old_start: Optional[Reply],
        workdir: Path,
        ran: Tuple[str, ...],
    ) -> ModelResult:
        """The legacy side raised on today's torch: check what can be checked of the new model alone."""
        modes_run = []
        for mode in modes_of(self.spec):
            self.step = f"forward ({mode} mode)"
            reply = new.ask("run", mode=mode)  # again where it already ran: cheap, and the same path
            if reply.error is not None:
                return self.result(reply.error, legacy_error)
            gradients = _load(reply.fields["gradients"])
            modes_run.append(f"{mode} mode" + (f" ({gradients['error']})" if gradients["error"] else ", with backward"))
        self.checks.append(Check("new_runs", PASS, f"the new model runs forward in {'; '.join(modes_run)}"))
        self.step = "checkpoint"
        if old_start is None:
            self.checks.append(Check("checkpoint", "not checked", "the legacy model could not be built: no state_dict to load"))
        else:
            reply = new.ask("load", old_start.fields["state"])
            if reply.error is not None:
                return self.result(reply.error, legacy_error)
            self.checks.append(compare.legacy_checkpoint_check(reply.fields))
        self.step = "cuda"
        self.checks.append(self._cuda(workdir, new_start.fields["inputs"], legacy_runs=False))
        self.step = "portability"
        self.checks.append(_leak_check("device_portability", new.ask("leaks", mode=modes_of(self.spec)[0]), "new"))
        return self.result(legacy_error=legacy_error)

    def _cuda(self, workdir: Path, inputs: str, legacy_runs: bool) -> Check:
        if self.device == "cpu":
            return compare.cuda_check(None, None, "not checked (--device cpu)")
        if not torch.cuda.is_available():
            return compare.cuda_check(None, None, "not checked: no CUDA device on this machine")
        # Fresh processes that see the GPU; the OLD one runs without the CPU shim, as on a real GPU box.
        new_reply = _gpu_side("new_gpu", self.new_root, self.job, workdir, inputs, legacy=False, timeout=self.timeout)
        old_reply = (
            _gpu_side("old_gpu", self.old_root, self.job, workdir, inputs, legacy=True, timeout=self.timeout)
            if legacy_runs
            else None
        )
        if "error" in new_reply:
            return Check("cuda", "fail", f"the new model cannot be built or run for the GPU check: {new_reply['error']}")
        return compare.cuda_check(new_reply, old_reply)


def _legacy_does_not_run(error: SideError) -> bool:
    """The legacy model's own code raised while building or in forward (not a set-up mistake)."""
    return error.kind == "user" and (error.step == "build" or error.step.startswith("forward"))


def _renamed(check: Check, name: str, mode: str) -> Check:
    if name == check.name:
        return check
    return Check(name, check.status, f"{mode} mode: {check.detail}", check.extra)


def verify_model(
    spec: ModelSpec,
    old_root: Path,
    new_root: Path,
    tolerance: Tolerance,
    device: str = "all",
    timeout: Optional[float] = None,
) -> ModelResult:
    """``timeout``: the seconds a side may take over one step before it is stopped; None: no limit."""
    verification = _Verification(spec, old_root, new_root, tolerance, device, timeout)
    try:
        with tempfile.TemporaryDirectory(prefix="torchup-verify-") as scratch:
            return verification.run(Path(scratch))
    except Exception as error:  # noqa: BLE001 - a bug of ours must not read as the model's failure
        from torchup.verify.worker import traceback_tail

        return verification.result(
            SideError(
                "verifier",
                f"{type(error).__name__}: {error}",
                traceback_tail(error),
                step=verification.step,
                kind="internal",
            )
        )


def _leak_check(name: str, reply: Reply, who: str, new_reply: Optional[Reply] = None) -> Check:
    if reply.error is not None:
        return Check(name, "not checked", f"the {who} model's meta run failed: {reply.error.message}")
    new_leaks = None if new_reply is None or new_reply.error is not None else new_reply.fields["leaks"]
    return compare.leak_check(name, reply.fields, who, new_leaks)


def _gpu_side(
    side: str, root: Path, job: Dict[str, Any], workdir: Path, inputs: str, *, legacy: bool, timeout: Optional[float]
) -> Dict[str, Any]:
    process = SideProcess(side, root, job, workdir, legacy=legacy, shim=False, gpu=True, timeout=timeout)
    try:
        start = process.receive()
        reply = start
        if start.error is None and not start.fields["inputs"]:
            reply = process.ask("adopt", inputs)
        if reply.error is None:
            reply = process.ask("cuda")
    finally:
        process.close()
    if reply.error is not None:
        return {"ran": False, "message": reply.error.message, "error": reply.error.message}
    return reply.fields
