"""``torchup verify --timeout``: a side that gives no answer within the limit is stopped and
reported, so that a model that loops (or legacy code that waits on ``input()``) cannot hang the run."""

from __future__ import annotations

from pathlib import Path

from verify_runs import run_verify

MODEL = """
import time
import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        {build}
        self.linear = torch.nn.Linear(4, 2)

    def forward(self, x):
        {forward}
        return self.linear(x)
"""


def _tree(root: Path, build: str = "pass", forward: str = "pass") -> Path:
    root.mkdir()
    (root / "net.py").write_text(MODEL.format(build=build, forward=forward))
    return root


def _verify(tmp_path: Path, old: Path, new: Path, *options: str):
    return run_verify(tmp_path, old, new, "--model", "net:Net", "--input", "3x4", "--device", "cpu", *options)


def test_a_forward_that_never_returns_is_stopped_and_reported_as_an_error(tmp_path):
    old = _tree(tmp_path / "old")
    # Waited for, the forward would return after 30 s and the pair verify as equivalent.
    new = _tree(tmp_path / "new", forward="time.sleep(30)")
    verified = _verify(tmp_path, old, new, "--timeout", "2")
    assert verified.exit_code == 123
    model = verified.report["models"][0]
    assert model["verdict"] == "error"
    error = model["error"]
    assert (error["side"], error["kind"]) == ("new", "timeout")
    assert error["message"].startswith("no answer within 2 s: the worker was stopped")
    assert error["step"] not in ("", "build")  # the forward, not the build, ran past the limit
    assert "the NEW side failed at step" in verified.stderr and "no answer within 2 s" in verified.stderr


def test_a_legacy_side_that_hangs_while_built_is_an_error_not_legacy_code_that_does_not_run(tmp_path):
    # A legacy model that raises on today's torch lets NEW be checked alone (exit 3); one that
    # hangs proves nothing about today's torch.
    old = _tree(tmp_path / "old", build="time.sleep(30)")
    new = _tree(tmp_path / "new")
    verified = _verify(tmp_path, old, new, "--timeout", "2")
    assert verified.exit_code == 123
    model = verified.report["models"][0]
    assert model["verdict"] == "error" and model["legacy_error"] is None
    assert (model["error"]["side"], model["error"]["kind"], model["error"]["step"]) == ("old", "timeout", "build")


def test_a_step_within_the_limit_and_no_limit_at_all_verify_as_before(tmp_path):
    old = _tree(tmp_path / "old", forward="time.sleep(1.5)")
    new = _tree(tmp_path / "new", forward="time.sleep(1.5)")
    for index, limit in enumerate(("60", "0")):  # 0: no limit
        work = tmp_path / f"run{index}"
        work.mkdir()
        verified = _verify(work, old, new, "--timeout", limit)
        assert verified.exit_code == 0, verified.stderr
        assert verified.report["models"][0]["verdict"] == "equivalent"
