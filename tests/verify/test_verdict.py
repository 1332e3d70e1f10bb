"""Verdicts and the JSON report shape that `make demo` and the corpus test read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from torchup.verify.equivalence import Tolerance, _Stopped, _Verification
from torchup.verify.sides import Reply
from torchup.verify.spec import build_model_spec
from torchup.verify.verdict import Check, ModelResult, SideError, VerifyReport, render_model


def test_old_device_leaks_are_informational():
    result = ModelResult("m", (Check("outputs", "pass", "ok"), Check("old_device_leaks", "fail", "leak")))
    assert result.verdict == "equivalent"
    assert VerifyReport((result,)).exit_code == 0
    text = render_model(result)
    assert "old_device_leaks  found" in text and "fail" not in text  # a finding, not a failed check


def test_any_other_failure_is_not_equivalent_and_an_error_wins():
    failing = ModelResult("a", (Check("device_portability", "fail", "leak"), Check("cuda", "not checked", "no GPU")))
    broken = ModelResult("b", (), SideError("old", "ImportError: x", "tail"))
    assert VerifyReport((failing,)).exit_code == 1
    report = VerifyReport((failing, broken))
    assert (report.verdict, report.exit_code) == ("error", 123)
    assert "the OLD side failed: ImportError: x" in render_model(broken)


def test_report_is_strict_json_even_with_inf_and_nan():
    check = Check("outputs", "fail", "differs", (("key", "output"), ("max_rel", float("inf")), ("old", float("nan"))))
    document = json.loads(VerifyReport((ModelResult("m", (check,)),)).dumps())
    assert document["models"][0]["checks"][0] == {
        "name": "outputs",
        "status": "fail",
        "detail": "differs",
        "key": "output",
        "max_rel": "inf",
        "old": "nan",
    }
    assert document["models"][0]["error"] is None and document["verdict"] == "not equivalent"


def _leak(line):
    return {"op": "add", "devices": ["cpu", "meta"], "source_line": line}


def test_old_leaks_credit_the_migration_only_when_the_new_model_does_not_leak():
    from torchup.verify.compare import leak_check

    reply = {"leaks": [_leak("m.py:3: x + c")], "checked": True, "reason": ""}
    fixed = leak_check("old_device_leaks", reply, "old", [])
    assert "what the migration fixed" in fixed.detail
    same = leak_check("old_device_leaks", reply, "old", [_leak("m.py:3: x + c")])
    assert "what the migration fixed" not in same.detail and "at the same line" in same.detail
    elsewhere = leak_check("old_device_leaks", reply, "old", [_leak("m.py:9: y + d")])
    assert "what the migration fixed" not in elsewhere.detail
    assert elsewhere.detail.endswith("; informational: the new model leaks too (see device_portability)")


def test_legacy_that_does_not_run_has_its_own_verdict_and_exit_status():
    legacy = SideError("old", "RuntimeError: expected BoolTensor", step="forward (eval mode)", source_line="m.py:4: x")
    alone = ModelResult("m", (Check("new_runs", "pass", "runs"),), legacy_error=legacy, torch_version="2.13.0")
    assert (alone.verdict, VerifyReport((alone,)).exit_code) == ("legacy does not run", 3)
    assert "legacy side does not run on torch 2.13.0 (forward (eval mode))" in render_model(alone)
    failing = ModelResult("n", (Check("device_portability", "fail", "leak"),), legacy_error=legacy)
    assert VerifyReport((alone, failing)).exit_code == 1


def test_inf_and_nan_inside_tuples_and_dicts_are_written_as_strings():
    extra = (("worst", (1.0, float("inf"))), ("per_key", {"w": float("-inf")}), ("nested", [(float("nan"),)]))
    document = json.loads(VerifyReport((ModelResult("m", (Check("outputs", "fail", "differs", extra),)),)).dumps())
    check = document["models"][0]["checks"][0]
    assert (check["worst"], check["per_key"], check["nested"]) == ([1.0, "inf"], {"w": "-inf"}, [["nan"]])


def test_a_kernels_own_device_error_is_reported_as_such_and_an_op_by_its_devices():
    from torchup.verify.compare import leak_check

    message = "Expected all tensors to be on the same device, but found at least two devices, meta and cpu!"
    kernel = {"op": message, "devices": ["cpu", "meta"], "source_line": "m.py:7: out, h = self.rnn(x, h0)"}
    reply = {"leaks": [kernel, _leak("m.py:9: y + d")], "checked": True, "reason": ""}
    check = leak_check("device_portability", reply, "new")
    assert check.status == "fail"
    assert check.detail == f"a kernel refused mixed devices: {message} (and 1 more); this model would fail on a GPU"
    op = leak_check("device_portability", {"leaks": [_leak("m.py:9: y + d")], "checked": True, "reason": ""}, "new")
    assert op.detail == "tensors on cpu and meta meet in add; this model would fail on a GPU"


def test_neither_side_building_inputs_is_the_verifiers_own_failure(tmp_path):
    # Every entry has inputs or an inputs function, so one side always builds them: if neither did,
    # torchup verify itself went wrong, and the report must say so (kind "internal"), not blame a model.
    spec = build_model_spec("net:Net", inputs=["3"])
    verification = _Verification(spec, Path(tmp_path), Path(tmp_path), Tolerance(0.0, 0.0), "cpu")

    class Side:
        side = "old"

    with pytest.raises(_Stopped) as stopped:
        verification._inputs(Side(), Reply({"inputs": None}), Reply({"inputs": None}))
    error = stopped.value.result.error
    assert (error.side, error.step, error.kind) == ("old", "inputs", "internal")
    assert stopped.value.result.verdict == "error"
    assert error.describe().startswith("torchup verify failed internally at step inputs")


def test_a_failure_before_any_side_starts_is_reported_as_the_verifiers_own_at_step_start(tmp_path, monkeypatch):
    # The sides' processes cannot even be made (no memory, no fork): the report says so, as an
    # internal error at the first step, rather than raising out of verify_model.
    from torchup.verify import equivalence

    def cannot_start(*args, **kwargs):
        raise OSError("[Errno 12] Cannot allocate memory")

    monkeypatch.setattr(equivalence, "SideProcess", cannot_start)
    spec = build_model_spec("net:Net", inputs=["3"])
    result = equivalence.verify_model(spec, Path(tmp_path), Path(tmp_path), Tolerance(0.0, 0.0), "cpu")
    error = result.error
    assert (error.side, error.step, error.kind) == ("verifier", "start", "internal")
    assert error.message == "OSError: [Errno 12] Cannot allocate memory"
    assert result.verdict == "error"


def test_a_legacy_leak_the_new_model_keeps_is_not_fixed_even_when_the_legacy_model_leaked_elsewhere_too():
    from torchup.verify.compare import leak_check

    reply = {"leaks": [_leak("m.py:3: x + c"), _leak("m.py:5: y + d")], "checked": True, "reason": ""}
    check = leak_check("old_device_leaks", reply, "old", [_leak("m.py:5: y + d")])
    assert check.detail.endswith(
        "(and 1 more); informational: the new model leaks at the same line (see device_portability): "
        "not fixed by the migration"
    )


@pytest.mark.parametrize(
    "kind, described",
    [
        pytest.param("user", "the OLD side failed at step build: NameError: x", id="user"),
        pytest.param("setup", "the OLD side failed at step build: NameError: x", id="setup"),
        pytest.param(
            "internal",
            "torchup verify failed internally at step build (on the OLD side's run; not the model's fault): NameError: x",
            id="internal",
        ),
    ],
)
def test_only_an_internal_error_is_described_as_torchups_own_failure(kind, described):
    assert SideError("old", "NameError: x", step="build", kind=kind).describe() == described


def test_the_report_shows_every_line_of_a_failed_sides_traceback_tail():
    tail = 'File "m.py", line 4, in forward\n    return self.fc(x)\nRuntimeError: mat1 and mat2 shapes\n'
    text = render_model(ModelResult("m", (), SideError("new", "RuntimeError: mat1 and mat2 shapes", tail)))
    assert text.splitlines()[2:5] == [
        '    File "m.py", line 4, in forward',
        "        return self.fc(x)",
        "    RuntimeError: mat1 and mat2 shapes",
    ]


def test_legacy_that_does_not_run_names_the_users_line_that_raised():
    legacy = SideError("old", "TypeError: volatile", step="build", source_line="m.py:4: x = Variable(t, volatile=True)")
    text = render_model(ModelResult("m", (), legacy_error=legacy, torch_version="2.13.0"))
    assert text.splitlines()[1] == (
        "  legacy side does not run on torch 2.13.0 (build): TypeError: volatile at m.py:4: x = Variable(t, volatile=True); "
        "the new model is checked on its own"
    )
    without = render_model(ModelResult("m", (), legacy_error=SideError("old", "TypeError: volatile", step="build")))
    assert "TypeError: volatile; the new model" in without


def test_the_human_report_word_for_word():
    leak = Check("device_portability", "fail", "tensors on cpu and meta meet in add", (("source_line", "net.py:9: return x + c"),))
    found = Check("old_device_leaks", "fail", "leak", (("source_line", ""),))
    error = SideError(
        "new",
        "RuntimeError: boom",
        'Traceback (most recent call last):\n  File "net.py", line 12\nRuntimeError: boom\n',
        step="checkpoint",
        source_line='net.py:12: raise RuntimeError("boom")',
    )
    result = ModelResult("net:Net", (Check("outputs", "pass", "1 output(s) bit-identical"), leak, found), error)
    assert render_model(result).splitlines() == [
        "model net:Net",
        "  outputs             pass         1 output(s) bit-identical",
        "  device_portability  fail         tensors on cpu and meta meet in add",
        "                                   at net.py:9: return x + c",
        "  old_device_leaks    found        leak",
        "  the NEW side failed at step checkpoint: RuntimeError: boom",
        '  at net.py:12: raise RuntimeError("boom")',
        "    Traceback (most recent call last):",
        '      File "net.py", line 12',
        "    RuntimeError: boom",
        "net:Net: error",
    ]
    without_a_line = ModelResult("m", (), SideError("old", "ImportError: x"))
    assert render_model(without_a_line).splitlines() == ["model m", "  the OLD side failed: ImportError: x", "m: error"]


def test_the_human_report_of_a_legacy_model_that_does_not_run_names_its_line():
    legacy = SideError("old", "RuntimeError: expected BoolTensor", step="forward (eval mode)", source_line="m.py:4: x[mask]")
    checks = (Check("new_runs", "pass", "runs"), Check("old_device_leaks", "pass", "no leak"))
    text = render_model(ModelResult("m", checks, legacy_error=legacy, torch_version="2.13.0")).splitlines()
    assert text == [
        "model m",
        "  legacy side does not run on torch 2.13.0 (forward (eval mode)): RuntimeError: expected BoolTensor at "
        "m.py:4: x[mask]; the new model is checked on its own",
        "  new_runs          pass         runs",
        "  old_device_leaks  pass         no leak",  # informational, and nothing found: a plain pass
        "m: legacy does not run",
    ]
    no_line = render_model(ModelResult("m", (), legacy_error=SideError("old", "E", step="build"), torch_version="2.13.0"))
    assert "(build): E; the new model is checked on its own" in no_line


# -- The JSON report and the text, field by field (the ninth round's self-sweep of verify_results) --


def test_a_failed_side_and_a_legacy_error_are_in_the_json_report_field_by_field():
    error = SideError(
        "new", "RuntimeError: boom", "tail\n", step="checkpoint", kind="setup", source_line='net.py:12: raise RuntimeError("boom")'
    )
    legacy = SideError("old", "TypeError: volatile", step="build", source_line="m.py:4: x = Variable(t, volatile=True)")
    document = json.loads(VerifyReport((ModelResult("m", (), error, legacy),)).dumps())["models"][0]
    assert document["error"] == {
        "side": "new",
        "step": "checkpoint",
        "kind": "setup",
        "message": "RuntimeError: boom",
        "source_line": 'net.py:12: raise RuntimeError("boom")',
        "traceback_tail": "tail\n",
    }
    assert document["legacy_error"] == {
        "side": "old",
        "step": "build",
        "kind": "user",
        "message": "TypeError: volatile",
        "source_line": "m.py:4: x = Variable(t, volatile=True)",
        "traceback_tail": "",
    }


def test_the_json_report_ends_with_a_newline():
    text = VerifyReport((ModelResult("m", (Check("outputs", "pass", "ok"),)),)).dumps()
    assert text.endswith("}\n") and not text.endswith("\n\n")


def test_the_check_names_column_is_as_wide_as_the_longest_name():
    result = ModelResult("m", (Check("inputs", "pass", "same"), Check("outputs", "not checked", "none")))
    assert render_model(result).splitlines() == [
        "model m",
        "  inputs   pass         same",
        "  outputs  not checked  none",
        "m: equivalent",
    ]


def test_a_train_mode_check_says_its_mode_and_a_failed_meta_run_names_its_model():
    from torchup.verify.equivalence import _leak_check, _renamed

    check = Check("outputs", "pass", "1 output(s) bit-identical", (("additions", []),))
    assert _renamed(check, "train_outputs", "train") == Check(
        "train_outputs", "pass", "train mode: 1 output(s) bit-identical", (("additions", []),)
    )
    assert _renamed(check, "outputs", "eval") is check
    for who in ("old", "new"):
        died = Reply({}, SideError(who, "the worker exited with status 3"))
        assert _leak_check("device_portability", died, who) == Check(
            "device_portability", "not checked", f"the {who} model's meta run failed: the worker exited with status 3"
        )
    # the new model's meta run failed: the old model's leaks are told without the new model's
    died = Reply({}, SideError("new", "the worker exited with status 3"))
    leaks = Reply({"leaks": [_leak("m.py:3: x + c")], "checked": True, "reason": ""})
    assert _leak_check("old_device_leaks", leaks, "old", died).detail == (
        "tensors on cpu and meta meet in add; informational: the legacy model would fail on a GPU without its "
        ".cuda() calls (what the migration fixed)"
    )


def test_the_gpu_check_says_why_it_was_not_run(tmp_path, monkeypatch):
    import torch

    spec = build_model_spec("net:Net", inputs=["3"])
    on_cpu = _Verification(spec, Path(tmp_path), Path(tmp_path), Tolerance(0.0, 0.0), "cpu")
    assert on_cpu._cuda(tmp_path, "", legacy_runs=True) == Check("cuda", "not checked", "not checked (--device cpu)")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    without_gpu = _Verification(spec, Path(tmp_path), Path(tmp_path), Tolerance(0.0, 0.0), "all")
    assert without_gpu._cuda(tmp_path, "", legacy_runs=True) == Check(
        "cuda", "not checked", "not checked: no CUDA device on this machine"
    )
