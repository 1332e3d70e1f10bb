"""Invariants of ``torchup verify``: whole behaviours pinned for every run, not one test per bug.

One pair of trees (``old/probe.py``, ``new/probe.py``, the same text: ``probe_model.py``) serves
every run here; a plan outside the trees tells each side how to differ or where to fail. Every
run, whatever it is for, is checked for what each side's code saw (``_assert_each_side_saw_its_own_world``),
for a report that agrees with itself (``_assert_the_report_agrees_with_itself``) and, through
``run_verify``, for trees left untouched. The tables then pin each verdict's fields exactly, for
pairs that differ in one way, for the two sides swapped, and for a side that raises or exits at
each phase. About 45 verify runs, 40 s on two cores.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from probe_model import PROBE_SOURCE
from verify_runs import Verified, run_verify

SEED = 3
EXIT_CODES = {"error": 123, "legacy does not run": 3, "not equivalent": 1, "equivalent": 0}


def _source_line(code: str) -> str:
    """How a report names the probe's line holding ``code``."""
    number = next(n for n, line in enumerate(PROBE_SOURCE.splitlines(), 1) if line.strip() == code)
    return f"probe.py:{number}: {code}"


LEAK_LINE = _source_line("out = out + torch.zeros(2)")
SEEDED_PHASES = ("build", "inputs", "forward (eval mode)", "forward (train mode)", "portability", "cuda")


@dataclass(frozen=True)
class Run:
    verified: Verified
    seen: List[Dict[str, Any]]  # what each side's code saw, phase by phase

    @property
    def model(self) -> Dict[str, Any]:
        return self.verified.report["models"][0]

    def checks(self) -> Dict[str, Dict[str, Any]]:
        return {check["name"]: check for check in self.model["checks"]}


class Lab:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.control = directory / "control"
        self.control.mkdir()
        self.roots = {side: directory / side for side in ("old", "new")}
        source = PROBE_SOURCE.replace("__CONTROL__", repr(str(self.control)))
        for root in self.roots.values():
            root.mkdir()
            (root / "probe.py").write_text(source)
        self.runs: Dict[str, Run] = {}

    def run(self, plan: Dict[str, Any], *options: str) -> Run:
        """Verify the probe under ``plan`` (once per plan and options in this module)."""
        key = json.dumps([plan, options], sort_keys=True)
        if key not in self.runs:
            (self.control / "plan.json").write_text(json.dumps({"seed": SEED, **plan}))
            (self.control / "seen.jsonl").write_text("")
            if not any(option in ("--inputs", "--input") for option in options):
                options = ("--inputs", "probe:inputs", *options)
            if "--device" not in options:
                options = ("--device", "cpu", *options)
            work = self.directory / f"run{len(self.runs)}"
            work.mkdir()
            arguments = ("--model", "probe:Probe", "--seed", str(SEED), *options)
            verified = run_verify(work, self.roots["old"], self.roots["new"], *arguments)
            seen = [json.loads(line) for line in (self.control / "seen.jsonl").read_text().splitlines()]
            _assert_each_side_saw_its_own_world(self, seen, os.environ.get("CUDA_VISIBLE_DEVICES"))
            _assert_the_report_agrees_with_itself(verified)
            self.runs[key] = Run(verified, seen)
        return self.runs[key]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Lab:
    return Lab(tmp_path_factory.mktemp("lab"))


def _assert_each_side_saw_its_own_world(lab: Lab, seen: List[Dict[str, Any]], gpus: Optional[str]) -> None:
    """What the README and the worker promise each side's code, in every phase it runs:
    its own process, its own root first on sys.path and as working directory, nothing of the
    other side's tree (path entry or module), one thread, deterministic algorithms, the run's
    seed freshly set before the model is built, its inputs are made and each forward, eval()
    unless the mode is train, and a CPU-only view unless it is a GPU side (which sees the GPUs the
    user's environment names: ``gpus``). The legacy loader and 0.3's defaults on OLD only, on the
    GPU too; the CUDA shim on OLD's CPU side only (the GPU sides run under it only in these tests)."""
    for entry in seen:
        side, phase, process = entry["side"], entry["phase"], entry["process"]
        where = f"{side} at {phase} in {process}"
        own, other = str(lab.roots[side]), str(lab.roots["new" if side == "old" else "old"])
        gpu = process == f"torchup-verify-{side}_gpu"
        assert gpu or process == f"torchup-verify-{side}", where  # a process runs its own side's code
        assert entry["sys_path"][0] == own, where
        assert not [p for p in entry["sys_path"] if p in ("", ".") or p == other or p.startswith(other + "/")], where
        assert entry["cwd"] == own, where
        assert entry["modules"] == [own + "/probe.py"], where
        assert entry["threads"] == 1 and entry["deterministic"] is True, where
        assert entry["loader"] == ("LegacySourceLoader" if side == "old" else "SourceFileLoader"), where
        assert entry["legacy_defaults"] is (side == "old"), where
        if not gpu:
            assert entry["cuda_shim"] is (side == "old"), where
        assert entry["environment"]["OMP_NUM_THREADS"] == "1", where
        assert entry["environment"]["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8", where
        assert entry["environment"]["CUDA_VISIBLE_DEVICES"] == (gpus if gpu else ""), where
        if phase in SEEDED_PHASES:
            assert entry["seeded"] == {"torch": True, "random": True, "numpy": True}, where
        if phase.startswith("forward"):
            assert entry["training"] is (phase == "forward (train mode)"), where
            assert entry["grad_enabled"] is True, where


def _assert_the_report_agrees_with_itself(verified: Verified) -> None:
    """The verdict follows from the checks and the errors (a legacy model's leaks inform, never
    fail), the exit status from the verdict, and the human report on stderr says what the JSON
    says: each check's line in order, its source line, the failed side and step, the verdict."""
    import torch

    [model] = verified.report["models"]
    checks = model["checks"]
    if model["error"] is not None:
        verdict = "error"
    elif any(check["status"] == "fail" and check["name"] != "old_device_leaks" for check in checks):
        verdict = "not equivalent"
    elif model["legacy_error"] is not None:
        verdict = "legacy does not run"
    else:
        verdict = "equivalent"
    assert model["verdict"] == verified.report["verdict"] == verdict
    assert verified.exit_code == EXIT_CODES[verdict], verified.stderr
    lines = verified.stderr.splitlines()
    start = lines.index(f"model {model['name']}")
    width = max((len(check["name"]) for check in checks), default=0)
    expected = []
    legacy = model["legacy_error"]
    if legacy is not None:
        at = f" at {legacy['source_line']}" if legacy["source_line"] else ""
        expected.append(
            f"  legacy side does not run on torch {torch.__version__} ({legacy['step']}): {legacy['message']}{at}; "
            "the new model is checked on its own"
        )
    for check in checks:
        status = "found" if check["name"] == "old_device_leaks" and check["status"] == "fail" else check["status"]
        expected.append(f"  {check['name']:<{width}}  {status:<11}  {check['detail']}")
        if check.get("source_line"):
            expected.append(f"  {'':<{width}}  {'':<11}  at {check['source_line']}")
    error = model["error"]
    if error is not None:
        assert error["kind"] != "internal", error  # nothing here is torchup's own failure
        expected.append(f"  the {error['side'].upper()} side failed at step {error['step']}: {error['message']}")
        if error["source_line"]:
            expected.append(f"  at {error['source_line']}")
    assert lines[start + 1 : start + 1 + len(expected)] == expected
    assert lines[-2:] == [f"{model['name']}: {verdict}", f"1 {verdict}"]


def _phases(run: Run, side: str) -> List[str]:
    return [entry["phase"] for entry in run.seen if entry["side"] == side and entry["process"] == f"torchup-verify-{side}"]


# -- every phase, in order, on both sides -------------------------------------------------------------


def test_each_side_runs_every_phase_in_order_in_its_own_process(lab):
    run = lab.run({}, "--mode", "both")
    assert run.verified.exit_code == 0, run.verified.stderr
    expected = ["build", "inputs", "forward (eval mode)", "forward (train mode)", "checkpoint", "portability"]
    assert _phases(run, "old") == expected
    assert _phases(run, "new") == expected
    # the meta run is in the first mode asked for
    portability = [entry for entry in run.seen if entry["phase"] == "portability"]
    assert [entry["training"] for entry in portability] == [False, False]


def test_the_inputs_function_of_a_side_that_carries_them_runs_on_new_only(lab):
    run = lab.run({}, "--inputs", "probe:batch")
    assert run.verified.exit_code == 0, run.verified.stderr
    assert _phases(run, "new") == ["build", "inputs", "forward (eval mode)", "checkpoint", "portability"]
    assert _phases(run, "old") == ["build", "forward (eval mode)", "checkpoint", "portability"]


# -- each verdict pinned whole, for pairs that differ in one way --------------------------------------

PASSING = {
    "state_dict": "3 keys identical",
    "inputs": "both sides built the same 2 input leaves",  # the argument list's type, then the tensor
    "outputs": "1 output(s) bit-identical",
    "gradients": "gradients of 2 parameter(s) equal after sum(outputs).backward()",
    "train_outputs": "train mode: 1 output(s) bit-identical",
    "train_gradients": "train mode: gradients of 2 parameter(s) equal after sum(outputs).backward()",
    "checkpoint": "the old state_dict loads strictly into the new model, and the new one into the old",
    "device_portability": "the new model runs on the meta device without mixing devices",
    "old_device_leaks": "the old model runs on the meta device without mixing devices",
}
CHECKS = ("state_dict", "inputs", "outputs", "gradients", "checkpoint", "cuda", "device_portability", "old_device_leaks")
TRAIN_CHECKS = CHECKS[:4] + ("train_outputs", "train_gradients") + CHECKS[4:]


def _expected(names: Tuple[str, ...] = CHECKS, **changed: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Every check of a run, in order: those in ``changed`` as given, the rest passing."""
    checks = []
    for name in names:
        if name in changed:
            checks.append({"name": name, **changed[name]})
        elif name == "cuda":
            checks.append({"name": "cuda", "status": "not checked", "detail": "not checked (--device cpu)"})
        else:
            checks.append({"name": name, "status": "pass", "detail": PASSING[name], **({"additions": []} if name == "state_dict" else {})})
    return checks


def _pinned(check: Dict[str, Any]) -> Dict[str, Any]:
    """A check as reported, but a strict load's result without torch's own wording."""
    pinned = dict(check)
    for way in ("old_into_new", "new_into_old"):
        if way in pinned:
            pinned[way] = {key: pinned[way][key] for key in ("loaded", "missing", "unexpected")}
    return pinned


def _loads(missing=(), unexpected=()) -> Dict[str, Any]:
    return {"loaded": not (missing or unexpected), "missing": list(missing), "unexpected": list(unexpected)}


OFFSET_LINE = _source_line("out = out + self.offset")
# An old plain attribute `offset` that NEW saves (a buffer or a Parameter): an expected addition.
OFFSET_ADDED = {
    "status": "pass",
    "detail": "3 keys identical; expected additions (old plain attributes now in the state_dict): offset",
    "additions": ["offset"],
}
OFFSET_NEEDS_UPGRADE = {
    "status": "pass",
    "detail": "old checkpoints lack the new state_dict keys ['offset'] (old plain attributes, now saved): "
    "convert them with `torchup upgrade-checkpoint`; everything else loads strictly both ways",
    "needs_upgrade": ["offset"],
}
OFFSET_LEAK = {
    "status": "fail",
    "detail": "tensors on cpu and meta meet in add; informational: the legacy model would fail on a GPU without its "
    ".cuda() calls (what the migration fixed)",
    "source_line": OFFSET_LINE,
    "leaks": [{"op": "add", "devices": ["cpu", "meta"], "source_line": OFFSET_LINE}],
}
_SIZE = "size mismatch for mean: copying a param with shape torch.Size([{}]) from checkpoint, the shape in current model is torch.Size([{}])"
PAIRS = [
    pytest.param({}, (), 0, _expected(), id="equal"),
    pytest.param(
        {"new": {"nudge": 0.25}}, ("--atol", "0.1"), 1,
        _expected(
            state_dict={"status": "pass", "detail": "3 keys equal within rtol=0.0, atol=0.1", "additions": []},
            outputs={
                "status": "fail",
                "detail": "output: max abs error 0.25 (rel 0.5) at index (1, 0): old -0.5, new -0.25",
                "key": "output", "index": [1, 0], "old": -0.5, "new": -0.25, "max_abs": 0.25, "max_rel": 0.5,
            },
        ),
        id="output-off-by-more-than-atol",
    ),
    pytest.param(
        {"new": {"nudge": 0.25}}, ("--atol", "0.25"), 0,
        _expected(
            state_dict={"status": "pass", "detail": "3 keys equal within rtol=0.0, atol=0.25", "additions": []},
            outputs={"status": "pass", "detail": "1 output(s) equal within rtol=0.0, atol=0.25"},
        ),
        id="output-off-by-exactly-atol",
    ),
    # rtol is relative to the OLD value: 0.25 off -0.5 is within half of it, 0.25 off -0.25 is not
    pytest.param(
        {"new": {"nudge": 0.25}}, ("--rtol", "0.5"), 0,
        _expected(
            state_dict={"status": "pass", "detail": "3 keys equal within rtol=0.5, atol=0.0", "additions": []},
            outputs={"status": "pass", "detail": "1 output(s) equal within rtol=0.5, atol=0.0"},
        ),
        id="output-off-within-rtol-of-the-old-value",
    ),
    pytest.param(
        {"old": {"nudge": 0.25}}, ("--rtol", "0.5"), 1,
        _expected(
            state_dict={"status": "pass", "detail": "3 keys equal within rtol=0.5, atol=0.0", "additions": []},
            outputs={
                "status": "fail",
                "detail": "output: max abs error 0.25 (rel 1) at index (1, 0): old -0.25, new -0.5",
                "key": "output", "index": [1, 0], "old": -0.25, "new": -0.5, "max_abs": 0.25, "max_rel": 1.0,
            },
        ),
        id="output-off-beyond-rtol-of-the-old-value",
    ),
    # the two tolerances add up: 0.25 <= 0.125 + 0.25 * |-0.5|, though each alone is too small
    pytest.param(
        {"new": {"nudge": 0.25}}, ("--rtol", "0.25", "--atol", "0.125"), 0,
        _expected(
            state_dict={"status": "pass", "detail": "3 keys equal within rtol=0.25, atol=0.125", "additions": []},
            outputs={"status": "pass", "detail": "1 output(s) equal within rtol=0.25, atol=0.125"},
        ),
        id="output-off-within-atol-plus-rtol",
    ),
    pytest.param(
        {"new": {"nudge": 0.25}}, ("--rtol", "0.25", "--atol", "0.0625"), 1,
        _expected(
            state_dict={"status": "pass", "detail": "3 keys equal within rtol=0.25, atol=0.0625", "additions": []},
            outputs={
                "status": "fail",
                "detail": "output: max abs error 0.25 (rel 0.5) at index (1, 0): old -0.5, new -0.25",
                "key": "output", "index": [1, 0], "old": -0.5, "new": -0.25, "max_abs": 0.25, "max_rel": 0.5,
            },
        ),
        id="output-off-beyond-atol-plus-rtol",
    ),
    pytest.param(
        {"new": {"grad_scale": 3}}, (), 1,
        _expected(
            gradients={
                "status": "fail",
                "detail": "parameter fc.weight: max abs error 3.5 (rel 2) at index (0, 2): old 1.75, new 5.25",
                "key": "fc.weight", "index": [0, 2], "old": 1.75, "new": 5.25, "max_abs": 3.5, "max_rel": 2.0,
            },
        ),
        id="gradient-differs",
    ),
    pytest.param(
        {"new": {"backward": "raise"}}, (), 1,
        _expected(gradients={"status": "fail", "detail": "old: backward ran; new: backward raised RuntimeError: new backward fault"}),
        id="backward-raises-in-new",
    ),
    pytest.param(
        {"old": {"backward": "detach"}}, (), 1,
        _expected(gradients={"status": "fail", "detail": "old: no output requires grad; new: backward ran"}),
        id="no-output-requires-grad-in-old",
    ),
    pytest.param(
        {"old": {"backward": "detach"}, "new": {"backward": "detach"}}, (), 0,
        _expected(gradients={"status": "not checked", "detail": "both sides: no output requires grad"}),
        id="no-output-requires-grad-on-both-sides",
    ),
    pytest.param(
        {"new": {"rename": True}}, (), 1,
        _expected(
            state_dict={
                "status": "fail",
                "detail": "key 'fc.weight' of the old state_dict is missing from the new model (and 1 more)",
                "key": "fc.weight",
            },
            gradients={
                "status": "fail",
                "detail": "parameter 'fc.weight' of the old model (or its requires_grad attribute) is missing from the new one",
                "key": "fc.weight",
            },
            checkpoint={
                "status": "fail",
                "detail": "the old state_dict into the new model does not load strictly (missing ['linear.bias', "
                "'linear.weight']; unexpected ['fc.bias', 'fc.weight']); the new state_dict into the old model does "
                "not load strictly (missing ['fc.bias', 'fc.weight']; unexpected ['linear.bias', 'linear.weight']); "
                "convert old checkpoints with `torchup upgrade-checkpoint`",
                "key": "linear.bias",
                "old_into_new": _loads(["linear.bias", "linear.weight"], ["fc.bias", "fc.weight"]),
                "new_into_old": _loads(["fc.bias", "fc.weight"], ["linear.bias", "linear.weight"]),
            },
        ),
        id="state-dict-key-renamed",
    ),
    pytest.param(
        {"new": {"mean_shape": [1, 3]}}, (), 1,
        _expected(
            state_dict={"status": "fail", "detail": "key mean: shape (3,) vs (1, 3)", "key": "mean", "old": [3], "new": [1, 3]},
            checkpoint={
                "status": "fail",
                "detail": f"the old state_dict into the new model does not load strictly ({_SIZE.format(3, '1, 3')}); "
                f"the new state_dict into the old model does not load strictly ({_SIZE.format('1, 3', 3)}); "
                "convert old checkpoints with `torchup upgrade-checkpoint`",
                "key": None,
                "old_into_new": {"loaded": False, "missing": [], "unexpected": []},
                "new_into_old": {"loaded": False, "missing": [], "unexpected": []},
            },
        ),
        id="buffer-shape-differs",
    ),
    pytest.param(
        {"new": {"no_mean": True}}, (), 1,
        _expected(
            state_dict={"status": "fail", "detail": "key 'mean' of the old state_dict is missing from the new model", "key": "mean"},
            checkpoint={
                "status": "fail",
                "detail": "the old state_dict into the new model does not load strictly (unexpected ['mean']); the new "
                "state_dict into the old model does not load strictly (missing ['mean']); convert old checkpoints "
                "with `torchup upgrade-checkpoint`",
                "key": "mean",
                "old_into_new": _loads(unexpected=["mean"]),
                "new_into_old": _loads(missing=["mean"]),
            },
        ),
        id="buffer-missing",
    ),
    pytest.param(
        {"new": {"mean_dtype": "float64"}}, (), 1,
        _expected(  # a load converts the dtype: only the state_dict check sees it
            state_dict={
                "status": "fail", "detail": "key mean: dtype torch.float32 vs torch.float64", "key": "mean",
                "old": "torch.float32", "new": "torch.float64",
            },
        ),
        id="buffer-dtype-differs",
    ),
    pytest.param(
        {"new": {"tuple_out": True}}, (), 1,
        _expected(
            outputs={
                "status": "fail",
                "detail": "the outputs have different structure: old only ['output'], new only ['output[0]', 'output[1]']",
                "old": ["output"], "new": ["output[0]", "output[1]"],
            },
            gradients={  # sum(outputs) counts the new model's output twice
                "status": "fail",
                "detail": "parameter fc.weight: max abs error 1.75 (rel 1) at index (0, 2): old 1.75, new 3.5",
                "key": "fc.weight", "index": [0, 2], "old": 1.75, "new": 3.5, "max_abs": 1.75, "max_rel": 1.0,
            },
        ),
        id="output-structure-differs",
    ),
    pytest.param(
        {"old": {"offset": "attribute"}, "new": {"offset": "buffer"}}, (), 0,
        _expected(
            state_dict=OFFSET_ADDED,
            checkpoint=OFFSET_NEEDS_UPGRADE,
            old_device_leaks=OFFSET_LEAK,
        ),
        id="plain-attribute-made-a-buffer",
    ),
    pytest.param(
        {"old": {"offset": "attribute"}, "new": {"offset": "parameter"}}, (), 0,
        _expected(
            state_dict=OFFSET_ADDED,
            checkpoint=OFFSET_NEEDS_UPGRADE,
            old_device_leaks=OFFSET_LEAK,
        ),
        id="plain-attribute-made-a-parameter",
    ),
    pytest.param(
        {"old": {"offset": "attribute"}, "new": {"offset": "non-persistent buffer"}}, (), 0,
        _expected(
            state_dict={
                "status": "pass",
                "detail": "3 keys identical; non-persistent buffers equal the old attributes: offset",
                "additions": [],
            },
            old_device_leaks=OFFSET_LEAK,
        ),
        id="plain-attribute-made-a-non-persistent-buffer",
    ),
    pytest.param(
        {"old": {"offset": "attribute"}, "new": {"offset": "non-persistent buffer", "offset_value": 0.5}}, (), 1,
        _expected(
            state_dict={
                "status": "fail",
                "detail": "new buffer/parameter vs old attribute offset: max abs error 0.5 (rel inf) at index (0,): old 0.0, new 0.5",
                "key": "offset", "index": [0], "old": 0.0, "new": 0.5, "max_abs": 0.5, "max_rel": "inf",
            },
            outputs={
                "status": "fail",
                "detail": "output: max abs error 0.5 (rel 1) at index (0, 0): old -0.5, new 0.0",
                "key": "output", "index": [0, 0], "old": -0.5, "new": 0.0, "max_abs": 0.5, "max_rel": 1.0,
            },
            old_device_leaks=OFFSET_LEAK,
        ),
        id="plain-attribute-made-a-buffer-of-another-value",
    ),
    pytest.param(
        {"new": {"offset": "buffer"}}, (), 1,
        _expected(
            state_dict={
                "status": "fail",
                "detail": "new buffer 'offset' has no counterpart (parameter, buffer or plain attribute) in the old model",
                "key": "offset",
            },
            checkpoint={
                "status": "fail",
                "detail": "the old state_dict into the new model does not load strictly (missing ['offset']); the new "
                "state_dict into the old model does not load strictly (unexpected ['offset']); convert old checkpoints "
                "with `torchup upgrade-checkpoint`",
                "key": "offset",
                "old_into_new": _loads(missing=["offset"]),
                "new_into_old": _loads(unexpected=["offset"]),
            },
        ),
        id="buffer-without-a-counterpart",
    ),
    pytest.param(
        {"new": {"leak": True}}, (), 1,
        _expected(
            device_portability={
                "status": "fail",
                "detail": "tensors on cpu and meta meet in add; this model would fail on a GPU",
                "source_line": LEAK_LINE,
                "leaks": [{"op": "add", "devices": ["cpu", "meta"], "source_line": LEAK_LINE}],
            },
        ),
        id="device-leak-in-new",
    ),
    pytest.param(
        {"new": {"leak": 2}}, (), 1,
        _expected(
            device_portability={
                "status": "fail",
                "detail": "tensors on cpu and meta meet in add (and 1 more); this model would fail on a GPU",
                "source_line": LEAK_LINE,
                "leaks": [
                    {"op": "add", "devices": ["cpu", "meta"], "source_line": LEAK_LINE},
                    {"op": "mul", "devices": ["cpu", "meta"], "source_line": _source_line("out = out * torch.ones(2)")},
                ],
            },
        ),
        id="two-device-leaks-in-new",
    ),
    pytest.param(
        {"old": {"leak": True}}, (), 0,
        _expected(
            old_device_leaks={
                "status": "fail",
                "detail": "tensors on cpu and meta meet in add; informational: the legacy model would fail on a GPU "
                "without its .cuda() calls (what the migration fixed)",
                "source_line": LEAK_LINE,
                "leaks": [{"op": "add", "devices": ["cpu", "meta"], "source_line": LEAK_LINE}],
            },
        ),
        id="device-leak-in-old-only-is-informational",
    ),
]


@pytest.mark.parametrize("plan, options, exit_code, checks", PAIRS)
def test_every_field_of_the_verdict(lab, plan, options, exit_code, checks):
    run = lab.run(plan, *options)
    assert run.verified.exit_code == exit_code, run.verified.stderr
    assert run.model["verdict"] == ("equivalent" if exit_code == 0 else "not equivalent")
    assert (run.model["error"], run.model["legacy_error"]) == (None, None)
    assert [_pinned(check) for check in run.model["checks"]] == checks


# -- a side that raises or exits: the verdict names that side and the phase ---------------------------

RAISED_AT = _source_line('raise RuntimeError(f"{SIDE} fault at {phase}")')
FORWARD_PHASES = ("forward (eval mode)", "forward (train mode)")


def _side_error(side: str, step: str, how: str, phase: str) -> Dict[str, Any]:
    if how == "raise":
        return {"side": side, "step": step, "kind": "user", "message": f"RuntimeError: {side} fault at {phase}", "source_line": RAISED_AT}
    return {"side": side, "step": step, "kind": "user", "message": "the worker exited with status 7", "source_line": ""}


# (how, side, phase) -> the verdict, and the step the error names. A dead worker is named by the
# command it was answering ("build" covers the inputs a side makes at its start, "run" the forward,
# "load" the checkpoint); the legacy model's own code failing to build or run is "legacy does not run".
FAULTS = {
    ("raise", "new", "build"): ("error", "build"),
    ("raise", "new", "inputs"): ("error", "inputs"),
    ("raise", "new", "forward (eval mode)"): ("error", "forward (eval mode)"),
    ("raise", "new", "forward (train mode)"): ("error", "forward (train mode)"),
    ("raise", "old", "build"): ("legacy does not run", "build"),
    ("raise", "old", "inputs"): ("error", "inputs"),  # the harness, not the legacy model
    ("raise", "old", "forward (eval mode)"): ("legacy does not run", "forward (eval mode)"),
    ("raise", "old", "forward (train mode)"): ("legacy does not run", "forward (train mode)"),
    ("exit", "new", "build"): ("error", "build"),
    ("exit", "new", "inputs"): ("error", "build"),
    ("exit", "new", "forward (eval mode)"): ("error", "run"),
    ("exit", "new", "forward (train mode)"): ("error", "run"),
    ("exit", "new", "checkpoint"): ("error", "load"),
    ("exit", "old", "build"): ("legacy does not run", "build"),
    ("exit", "old", "inputs"): ("legacy does not run", "build"),
    ("exit", "old", "forward (eval mode)"): ("error", "run"),
    ("exit", "old", "forward (train mode)"): ("error", "run"),
    ("exit", "old", "checkpoint"): ("error", "load"),
}


@pytest.mark.parametrize("how, side, phase", list(FAULTS), ids=[" ".join(key) for key in FAULTS])
def test_a_side_that_fails_is_named_with_its_step(lab, how, side, phase):
    run = lab.run({side: {"fault": {phase: how}}}, "--mode", "both")
    verdict, step = FAULTS[how, side, phase]
    assert run.model["verdict"] == verdict, run.verified.stderr
    field = "legacy_error" if verdict == "legacy does not run" else "error"
    failure = dict(run.model[field])
    traceback_tail = failure.pop("traceback_tail")
    assert failure == _side_error(side, step, how, phase)
    assert run.model["legacy_error" if field == "error" else "error"] is None
    if how == "raise":  # the tail ends in the user's frame that raised, then the error
        raised_in = f'File "{lab.roots[side] / "probe.py"}", line {RAISED_AT.split(":")[1]}, in _record'
        assert raised_in in traceback_tail.splitlines()[-3], traceback_tail
        assert traceback_tail.endswith(f"RuntimeError: {side} fault at {phase}\n")
    else:  # the last lines the dead side wrote
        assert traceback_tail.splitlines()[-2:] == [f"{side} output line 19", f"{side} exits at {phase}"]
    # the side that failed went no further than that phase
    phases = _phases(run, side)
    assert phases[-1] == phase and phases.count(phase) == 1, phases
    described = "legacy side does not run on torch" if field == "legacy_error" else f"the {side.upper()} side failed at step {step}: "
    assert described in run.verified.stderr


@pytest.mark.parametrize(
    "side, how, verdict, kind, message",
    [
        pytest.param("new", "missing package", "error", "setup", "ModuleNotFoundError: No module named 'no_such_package_of_the_users'", id="new-missing-package"),
        pytest.param("old", "missing package", "error", "setup", "ModuleNotFoundError: No module named 'no_such_package_of_the_users'", id="old-missing-package"),
        pytest.param("new", "removed torch module", "error", "user", "ModuleNotFoundError: No module named 'torch.legacy'", id="new-removed-torch-module"),
        pytest.param("old", "removed torch module", "legacy does not run", "user", "ModuleNotFoundError: No module named 'torch.legacy'", id="old-removed-torch-module"),
    ],
)
def test_a_missing_package_is_the_environment_and_a_removed_torch_module_the_code(lab, side, how, verdict, kind, message):
    run = lab.run({side: {"fault": {"build": how}}})
    assert run.model["verdict"] == verdict
    failure = run.model["legacy_error" if verdict == "legacy does not run" else "error"]
    assert (failure["side"], failure["step"], failure["kind"], failure["message"]) == (side, "build", kind, message)


def test_a_legacy_model_that_cannot_be_built_leaves_the_new_one_checked_alone(lab):
    run = lab.run({"old": {"fault": {"build": "raise"}}}, "--mode", "both")
    assert [_pinned(check) for check in run.model["checks"]] == [
        {"name": "new_runs", "status": "pass", "detail": "the new model runs forward in eval mode, with backward; train mode, with backward"},
        {"name": "checkpoint", "status": "not checked", "detail": "the legacy model could not be built: no state_dict to load"},
        {"name": "cuda", "status": "not checked", "detail": "not checked (--device cpu)"},
        {"name": "device_portability", "status": "pass", "detail": PASSING["device_portability"]},
    ]


def test_a_legacy_model_that_stops_in_train_mode_keeps_the_eval_comparison(lab):
    run = lab.run({"old": {"fault": {"forward (train mode)": "raise"}}}, "--mode", "both")
    assert [_pinned(check) for check in run.model["checks"]] == _expected(
        CHECKS[:4] + ("new_runs", "checkpoint", "cuda", "device_portability"),
        new_runs={"status": "pass", "detail": "the new model runs forward in eval mode, with backward; train mode, with backward"},
        checkpoint={"status": "pass", "detail": "the legacy state_dict loads strictly into the new model"},
    )


@pytest.mark.parametrize("side", ["old", "new"])
def test_a_load_that_raises_without_naming_a_key_fails_the_checkpoint_check(lab, side):
    run = lab.run({side: {"fault": {"checkpoint": "raise"}}}, "--mode", "both")
    assert run.verified.exit_code == 1, run.verified.stderr
    way = "the old state_dict into the new model" if side == "new" else "the new state_dict into the old model"
    failed = {"loaded": False, "missing": [], "unexpected": []}
    assert [_pinned(check) for check in run.model["checks"]] == _expected(
        TRAIN_CHECKS,
        checkpoint={
            "status": "fail",
            "detail": f"{way} does not load strictly ({side} fault at checkpoint); convert old checkpoints with `torchup upgrade-checkpoint`",
            "key": None,
            "old_into_new": failed if side == "new" else _loads(),
            "new_into_old": failed if side == "old" else _loads(),
        },
    )


@pytest.mark.parametrize("how", ["raise", "exit"])
@pytest.mark.parametrize("side", ["old", "new"])
def test_a_meta_run_that_fails_leaves_that_sides_portability_not_checked_and_the_verdict_alone(lab, side, how):
    run = lab.run({side: {"fault": {"portability": how}}}, "--mode", "both")
    assert run.verified.exit_code == 0, run.verified.stderr
    who, name = ("new", "device_portability") if side == "new" else ("old", "old_device_leaks")
    if how == "raise":
        detail = f"not checked for the {who} model: forward on the meta device stopped at {RAISED_AT}: RuntimeError: {side} fault at portability"
    else:
        detail = f"the {who} model's meta run failed: the worker exited with status 7"
    assert [_pinned(check) for check in run.model["checks"]] == _expected(
        TRAIN_CHECKS, **{name: {"status": "not checked", "detail": detail}}
    )


# -- symmetry: OLD and NEW swapped swap every side-specific field --------------------------------------

_WORST = re.compile(r"^(?P<head>.*?)(?: \(rel [^)]*\))?(?P<at> at index .*): old (?P<old>.*), new (?P<new>.*)$")


def _mirrored(check: Dict[str, Any]) -> Dict[str, Any]:
    """A failed comparison as the swapped run reports it: old and new values traded; the relative
    error, which is relative to the old value, left out."""
    mirrored = {key: value for key, value in check.items() if key != "max_rel"}
    mirrored["old"], mirrored["new"] = check["new"], check["old"]
    worst = _WORST.match(check["detail"])
    mirrored["detail"] = f"{worst['head']}{worst['at']}: old {worst['new']}, new {worst['old']}"
    return mirrored


def _without_rel(check: Dict[str, Any]) -> Dict[str, Any]:
    worst = _WORST.match(check["detail"])
    return {
        **{key: value for key, value in check.items() if key != "max_rel"},
        "detail": f"{worst['head']}{worst['at']}: old {worst['old']}, new {worst['new']}",
    }


@pytest.mark.parametrize(
    "behaviour, options",
    [
        pytest.param({"nudge": 0.25}, ("--atol", "0.1", "--mode", "both"), id="output"),
        pytest.param({"grad_scale": 3}, ("--mode", "both"), id="gradient"),
        pytest.param({"nudge": 0.25, "grad_scale": 0.5}, (), id="output-and-gradient"),
    ],
)
def test_swapping_the_sides_swaps_every_side_specific_field(lab, behaviour, options):
    on_new = lab.run({"new": behaviour}, *options)
    on_old = lab.run({"old": behaviour}, *options)
    assert on_new.verified.exit_code == on_old.verified.exit_code == 1
    assert on_new.model["verdict"] == on_old.model["verdict"] == "not equivalent"
    failed = 0
    for new_check, old_check in zip(on_new.model["checks"], on_old.model["checks"], strict=True):
        if new_check["status"] == "fail":
            failed += 1
            assert _without_rel(old_check) == _mirrored(new_check)
        else:
            assert old_check == new_check
    assert failed == 2  # both modes, or outputs and gradients


# -- the GPU check's sides ---------------------------------------------------------------------------


@pytest.fixture
def gpu_sides_on_the_cpu(monkeypatch):
    """A machine that reports a GPU, whose GPU sides run under the CUDA shim ("cuda" means the
    CPU): which side's code each GPU process runs, tested without a GPU (as in test_verify.py)."""
    import torch

    from torchup.verify import equivalence

    real_side = equivalence.SideProcess

    def side(name, root, job, workdir, *, legacy, shim, gpu=False, timeout=None):
        return real_side(name, root, job, workdir, legacy=legacy, shim=shim or gpu, gpu=gpu, timeout=timeout)

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(equivalence, "SideProcess", side)


def test_each_gpu_side_runs_its_own_sides_code(lab, gpu_sides_on_the_cpu, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "5")  # the GPU sides must see it, the CPU sides not
    run = lab.run({}, "--device", "cuda")
    assert run.checks()["cuda"] == {
        "name": "cuda",
        "status": "fail",  # the shim's "GPU" outputs are on the CPU
        "detail": "the new model on GPU returned outputs on ['cpu']; the old model also runs on GPU",
        "old_gpu": "ran",
    }
    gpu_phases = {
        side: [entry["phase"] for entry in run.seen if entry["process"] == f"torchup-verify-{side}_gpu"]
        for side in ("old", "new")
    }
    # NEW on the GPU, then on the CPU for its reference; OLD only has to run
    assert gpu_phases == {"new": ["build", "inputs", "cuda", "cuda"], "old": ["build", "inputs", "cuda"]}


def test_inputs_of_a_class_only_new_defines_stop_the_old_side_at_its_inputs(lab):
    run = lab.run({"new": {"batch": True}}, "--inputs", "probe:batch")
    assert (run.model["verdict"], run.verified.exit_code) == ("error", 123)
    error = {key: value for key, value in run.model["error"].items() if key != "traceback_tail"}
    assert error == {
        "side": "old",
        "step": "inputs",
        "kind": "setup",
        "message": "the inputs hold a probe:Batch dataclass, which this side's code does not define (AttributeError: "
        "module 'probe' has no attribute 'Batch'): define it on both sides, or build the inputs from tensors, lists and dicts",
        "source_line": "",
    }
    assert run.model["checks"] == [] and run.model["legacy_error"] is None
    assert _phases(run, "old") == ["build"]


@pytest.mark.parametrize("side", ["old", "new"])
def test_a_gpu_side_that_raises_is_told_apart_from_the_other(lab, gpu_sides_on_the_cpu, side):
    run = lab.run({side: {"fault": {"cuda": "raise"}}}, "--device", "cuda")
    cuda = run.checks()["cuda"]
    fault = f"RuntimeError: {side} fault at cuda"
    if side == "new":
        assert cuda == {
            "name": "cuda",
            "status": "fail",
            "detail": f"the new model fails on GPU: {fault}; the old model also runs on GPU",
            "source_line": RAISED_AT,
            "old_gpu": "ran",
        }
    else:
        assert cuda == {
            "name": "cuda",
            "status": "fail",
            "detail": f"the new model on GPU returned outputs on ['cpu']; the old model fails on GPU: {fault}",
            "old_gpu": fault,
        }


def test_a_new_model_checked_alone_that_fails_is_the_error_and_the_legacy_failure_stays_named(lab):
    run = lab.run({"old": {"fault": {"build": "raise"}}, "new": {"fault": {"forward (eval mode)": "raise"}}})
    assert run.model["verdict"] == "error"
    failures = {field: run.model[field] for field in ("error", "legacy_error")}
    for failure in failures.values():
        failure.pop("traceback_tail")
    assert failures == {
        "error": _side_error("new", "forward (eval mode)", "raise", "forward (eval mode)"),
        "legacy_error": _side_error("old", "build", "raise", "build"),
    }


@pytest.mark.parametrize("phase", ["build", "inputs", "forward (eval mode)"])
def test_when_both_sides_fail_at_the_same_phase_the_new_sides_error_is_reported(lab, phase):
    # the new model's failure is the one the user must fix; the legacy one's must not hide it
    run = lab.run({"old": {"fault": {phase: "raise"}}, "new": {"fault": {phase: "raise"}}})
    assert (run.model["verdict"], run.verified.exit_code) == ("error", 123)
    error = {key: value for key, value in run.model["error"].items() if key != "traceback_tail"}
    assert error == _side_error("new", phase, "raise", phase)
    assert run.model["legacy_error"] is None
