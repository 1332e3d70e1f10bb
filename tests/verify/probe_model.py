'''The source of a model that watches the process it runs in, for the verifier's invariant tests.

``test_verify_invariants.py`` writes this text, unchanged, as ``probe.py`` into an ``old`` and a
``new`` tree. The model knows its side from its own file's directory, and reads what to do from
``plan.json`` in a control directory outside both trees (``CONTROL`` is filled in): how its side
should differ from the other (an output nudged, a gradient scaled, a key renamed, a buffer of
another shape or dropped, a CPU constant), and at which phase it should raise or exit. At every
phase it appends what it sees to ``seen.jsonl`` there: its process, ``sys.path``, working
directory, environment, threads, determinism, random state, mode, and whether it runs under the
legacy loader, the 0.3 defaults and the CUDA shim. So one pair of trees serves
every run, and every run's observations are checked against the same invariants.

Its numbers are exact in float32: W = [[1, 0, -1], [0.5, 0.25, 0]], b = [0, 1], and the inputs
``arange(6).reshape(2, 3) / 4`` give the outputs [[-0.5, 1.0625], [-0.5, 1.625]], and the
gradient of W (each row [0.75, 1.25, 1.75]) and of b ([2, 2]) after sum(outputs).backward().
'''

PROBE_SOURCE = r'''
import dataclasses
import importlib
import json
import multiprocessing
import os
import random
import sys
from pathlib import Path

import numpy
import torch

HERE = Path(__file__).resolve().parent
SIDE = HERE.name
CONTROL = Path(__CONTROL__)


def _plan():
    return json.loads((CONTROL / "plan.json").read_text()).get(SIDE, {})


def _seeded():
    """Whether the random generators are where the run's seed puts them (nothing drawn since)."""
    seed = json.loads((CONTROL / "plan.json").read_text())["seed"]
    fresh = torch.Generator().manual_seed(seed)
    return {
        "torch": torch.equal(torch.get_rng_state(), fresh.get_state()),
        "random": random.getstate() == random.Random(seed).getstate(),
        "numpy": numpy.random.get_state()[1].tolist() == numpy.random.RandomState(seed).get_state()[1].tolist(),
    }


def _record(phase, **seen):
    entry = {
        "phase": phase,
        "side": SIDE,
        "process": multiprocessing.current_process().name,
        "sys_path": list(sys.path),
        "cwd": os.getcwd(),
        "environment": {name: os.environ.get(name) for name in ("CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS", "CUBLAS_WORKSPACE_CONFIG")},
        "threads": torch.get_num_threads(),
        "deterministic": torch.are_deterministic_algorithms_enabled(),
        "seeded": _seeded(),
        "grad_enabled": torch.is_grad_enabled(),
        "loader": type(__loader__).__name__,
        "legacy_defaults": hasattr(torch.nn.functional.upsample, "__wrapped__"),
        "cuda_shim": getattr(torch.Tensor.cuda, "__module__", None) == "torchup.verify.cuda_shim",
        "modules": sorted(  # the modules loaded from either tree
            module.__file__ for module in list(sys.modules.values())
            if str(HERE.parent) in (getattr(module, "__file__", None) or "")
        ),
        **seen,
    }
    with open(CONTROL / "seen.jsonl", "a") as seen_file:
        seen_file.write(json.dumps(entry) + "\n")
    how = _plan().get("fault", {}).get(phase)
    if how == "raise":
        raise RuntimeError(f"{SIDE} fault at {phase}")
    if how == "exit":
        for line in range(20):  # more than the report keeps: it must keep the last lines
            print(f"{SIDE} output line {line}", file=sys.stderr)
        print(f"{SIDE} exits at {phase}", file=sys.stderr, flush=True)
        os._exit(7)
    if how == "missing package":
        importlib.import_module("no_such_package_of_the_users")
    if how == "removed torch module":
        importlib.import_module("torch.legacy")  # removed in torch 1.0


if SIDE == "new":

    @dataclasses.dataclass
    class Batch:
        x: torch.Tensor


class _FailingBackward(torch.autograd.Function):
    @staticmethod
    def forward(context, value):
        return value.clone()

    @staticmethod
    def backward(context, gradient):
        raise RuntimeError(f"{SIDE} backward fault")


class Probe(torch.nn.Module):
    def __init__(self):
        _record("build")
        super().__init__()
        plan = _plan()
        layer = torch.nn.Linear(3, 2)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.25, 0.0]]))
            layer.bias.copy_(torch.tensor([0.0, 1.0]))
        setattr(self, "linear" if plan.get("rename") else "fc", layer)
        if not plan.get("no_mean"):
            dtype = getattr(torch, plan.get("mean_dtype", "float32"))
            self.register_buffer("mean", torch.zeros(plan.get("mean_shape", [3]), dtype=dtype))
        offset = torch.full((2,), plan.get("offset_value", 0.0))
        if plan.get("offset") == "attribute":  # legacy: a plain tensor attribute, not in the state_dict
            self.offset = offset
        elif plan.get("offset") in ("buffer", "non-persistent buffer"):
            self.register_buffer("offset", offset, persistent=plan["offset"] == "buffer")
        elif plan.get("offset") == "parameter":
            self.offset = torch.nn.Parameter(offset)

    def forward(self, x):
        x = getattr(x, "x", x)  # the Batch only NEW defines
        if x.is_meta:
            phase = "portability"
        elif multiprocessing.current_process().name.endswith("_gpu"):
            phase = "cuda"
        else:
            phase = f"forward ({'train' if self.training else 'eval'} mode)"
        _record(phase, training=self.training)
        plan = _plan()
        layer = self.linear if plan.get("rename") else self.fc
        weight = layer.weight
        if "grad_scale" in plan:  # the same value, a gradient scaled: (w - w.detach()) is exactly 0
            weight = weight + (weight - weight.detach()) * (plan["grad_scale"] - 1)
        if hasattr(self, "mean"):
            x = x - self.mean.to(x.dtype)
        out = torch.nn.functional.linear(x, weight, layer.bias)
        if hasattr(self, "offset"):
            out = out + self.offset
        if "nudge" in plan:
            out = out + out.new_tensor([[0.0, 0.0], [plan["nudge"], 0.0]])
        if plan.get("leak"):
            out = out + torch.zeros(2)
        if plan.get("leak") == 2:
            out = out * torch.ones(2)
        if plan.get("backward") == "raise":
            out = _FailingBackward.apply(out)
        if plan.get("backward") == "detach":
            out = out.detach()
        if plan.get("tuple_out"):
            return out, out.sum()
        return out

    def _load_from_state_dict(self, *args, **kwargs):
        _record("checkpoint")
        super()._load_from_state_dict(*args, **kwargs)


def inputs(model):
    _record("inputs")
    return torch.arange(6.0).reshape(2, 3) / 4


def batch():
    _record("inputs")
    x = torch.arange(6.0).reshape(2, 3) / 4
    return Batch(x) if _plan().get("batch") else x
'''
