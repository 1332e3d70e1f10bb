"""Invariants of ``torchup verify``: whole behaviours pinned for every run, not one test per bug.

One pair of trees (``old/probe.py``, ``new/probe.py``, the same text: ``probe_model.py``) serves
every run here; a plan outside the trees tells each side how to differ or where to fail. Every
run, whatever it is for, is checked for what each side's code saw (``_assert_each_side_saw_its_own_world``)
and, through ``run_verify``, for trees left untouched. The tables then pin each verdict's fields
exactly, for pairs that differ in one way, for the two sides swapped, and for a side that raises
or exits at each phase.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from probe_model import PROBE_SOURCE
from verify_runs import Verified, run_verify

SEED = 3
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
            _assert_each_side_saw_its_own_world(self, seen)
            self.runs[key] = Run(verified, seen)
        return self.runs[key]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Lab:
    return Lab(tmp_path_factory.mktemp("lab"))


def _assert_each_side_saw_its_own_world(lab: Lab, seen: List[Dict[str, Any]]) -> None:
    """What the README and the worker promise each side's code, in every phase it runs:
    its own process, its own root first on sys.path and as working directory, nothing of the
    other side's tree (path entry or module), one thread, deterministic algorithms, the run's
    seed freshly set before the model is built, its inputs are made and each forward, eval()
    unless the mode is train, and a CPU-only view unless it is a GPU side."""
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
        assert entry["environment"]["OMP_NUM_THREADS"] == "1", where
        assert entry["environment"]["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8", where
        if not gpu:
            assert entry["environment"]["CUDA_VISIBLE_DEVICES"] == "", where
        if phase in SEEDED_PHASES:
            assert entry["seeded"] == {"torch": True, "random": True, "numpy": True}, where
        if phase.startswith("forward"):
            assert entry["training"] is (phase == "forward (train mode)"), where
            assert entry["grad_enabled"] is True, where


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
        {"new": {"leak": True}}, (), 1,
        _expected(
            device_portability={
                "status": "fail",
                "detail": "tensors on cpu and meta meet in add; this model would fail on a GPU",
                "source_line": "probe.py:97: out = out + torch.zeros(2)",
                "leaks": [{"op": "add", "devices": ["cpu", "meta"], "source_line": "probe.py:97: out = out + torch.zeros(2)"}],
            },
        ),
        id="device-leak-in-new",
    ),
    pytest.param(
        {"old": {"leak": True}}, (), 0,
        _expected(
            old_device_leaks={
                "status": "fail",
                "detail": "tensors on cpu and meta meet in add; informational: the legacy model would fail on a GPU "
                "without its .cuda() calls (what the migration fixed)",
                "source_line": "probe.py:97: out = out + torch.zeros(2)",
                "leaks": [{"op": "add", "devices": ["cpu", "meta"], "source_line": "probe.py:97: out = out + torch.zeros(2)"}],
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
