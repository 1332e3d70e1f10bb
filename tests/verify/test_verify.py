"""``torchup verify`` end to end, judged by what it rejects.

Each case runs two real worker subprocesses, so the cases are few and each asserts on the part of
the JSON report that must change: the failing check, its key or source line, the exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from verify_runs import COUNTER, FIXTURES, SCALER, run_verify, verify_scaler

MUTANTS = SCALER / "mutants"


def test_correct_migration_is_equivalent(scaler_migrated):
    assert scaler_migrated.exit_code == 0, scaler_migrated.stderr
    assert scaler_migrated.report["verdict"] == "equivalent"
    statuses = {check["name"]: check["status"] for check in scaler_migrated.report["models"][0]["checks"]}
    assert statuses == {
        "state_dict": "pass",
        "outputs": "pass",
        "gradients": "pass",
        "checkpoint": "pass",
        "cuda": "not checked",
        "device_portability": "pass",
        "old_device_leaks": "fail",
    }
    assert "scale, offset" in scaler_migrated.check("state_dict")["detail"]


def test_legacy_device_leak_is_reported_with_its_source_line(scaler_migrated):
    # The legacy model keeps `self.scale = (...).cuda()` as a plain attribute: on meta it stays on
    # the CPU and meets the meta activations in the return line. That is what the migration fixed.
    leak = scaler_migrated.check("old_device_leaks")
    assert leak["source_line"].startswith("scaler.py:20: return hidden * Variable(self.scale)")
    assert "scaler.py:20" in scaler_migrated.stderr
    assert scaler_migrated.stderr.rstrip().splitlines()[-2] == "scaler:Scaler: equivalent"


@pytest.mark.parametrize(
    "mutant, failing_check, key",
    [
        pytest.param("changed_constant", "state_dict", "scale", id="changed-constant"),
        pytest.param("dropped_buffer", "state_dict", "mean", id="dropped-buffer"),
        pytest.param("renamed_buffer", "state_dict", "factor", id="renamed-buffer"),
        pytest.param("changed_init", "state_dict", "fc.bias", id="changed-init"),
        pytest.param("gelu", "outputs", "output", id="relu-to-gelu"),
        pytest.param("perturbed", "outputs", "output", id="perturbed-1e-6"),
    ],
)
def test_mutants_are_not_equivalent(mutant_verified, mutant, failing_check, key):
    verified = mutant_verified(mutant)
    assert verified.exit_code == 1, verified.stderr
    assert verified.report["verdict"] == "not equivalent"
    check = verified.check(failing_check)
    assert check["status"] == "fail"
    assert check["key"] == key
    assert f"{'scaler:Scaler'}: not equivalent" in verified.stderr


def test_changed_op_reports_worst_element(mutant_verified):
    verified = mutant_verified("gelu")
    outputs = verified.check("outputs")
    assert outputs["max_abs"] > 0 and len(outputs["index"]) == 2
    assert outputs["old"] != outputs["new"]
    assert verified.check("state_dict")["status"] == "pass"  # only the op changed


def test_cpu_constant_left_in_forward_is_a_device_leak(tmp_path):
    verified = verify_scaler(tmp_path, MUTANTS / "cpu_constant")
    assert verified.exit_code == 1
    # Same numbers on the CPU: only the meta-device run can see this bug without a GPU.
    assert verified.check("outputs")["status"] == "pass"
    leak = verified.check("device_portability")
    assert leak["status"] == "fail"
    # `shift` is built on the CPU at line 17 and meets the meta activations at line 19.
    assert leak["source_line"] == "scaler.py:19: return hidden * self.scale + self.offset + shift * 0.1"
    # The legacy model's own leak is then not credited to the migration.
    assert verified.check("old_device_leaks")["detail"].endswith("informational: the new model leaks too (see device_portability)")


def test_perturbation_within_atol_is_equivalent(tmp_path):
    verified = verify_scaler(tmp_path, MUTANTS / "perturbed", "--atol", "1e-5")
    assert verified.exit_code == 0, verified.stderr
    assert "within rtol=0.0, atol=1e-05" in verified.check("outputs")["detail"]


def test_a_new_side_that_raises_exits_123_and_is_named_with_its_step(tmp_path):
    verified = verify_scaler(tmp_path, MUTANTS / "raises")
    assert verified.exit_code == 123
    error = verified.report["models"][0]["error"]
    assert (error["side"], error["step"], error["kind"]) == ("new", "forward (eval mode)", "user")
    assert "boom in the new forward" in error["message"]
    assert "scaler.py" in error["traceback_tail"]
    assert error["source_line"] == 'scaler.py:18: raise RuntimeError("boom in the new forward")'
    assert "the NEW side failed at step forward (eval mode)" in verified.stderr


def test_a_legacy_side_that_raises_is_reported_and_the_new_model_checked_alone(tmp_path):
    verified = verify_scaler(tmp_path, SCALER / "new", old=MUTANTS / "raises")
    assert verified.exit_code == 3, verified.stderr
    model = verified.report["models"][0]
    assert model["verdict"] == "legacy does not run" and model["error"] is None
    legacy = model["legacy_error"]
    assert (legacy["side"], legacy["step"]) == ("old", "forward (eval mode)")
    assert legacy["source_line"].startswith("scaler.py:18: raise RuntimeError")
    statuses = {check["name"]: check["status"] for check in model["checks"]}
    # Built, so its state_dict was compared and loads; the new model runs on CPU and on meta.
    assert statuses == {
        "state_dict": "pass",
        "new_runs": "pass",
        "checkpoint": "pass",
        "cuda": "not checked",
        "device_portability": "pass",
    }
    assert "legacy side does not run on torch" in verified.stderr
    assert "the new model is checked on its own" in verified.stderr
    assert verified.check("new_runs")["detail"] == "the new model runs forward in eval mode, with backward"


def test_a_legacy_side_that_raises_does_not_excuse_a_leaking_new_model(tmp_path):
    verified = verify_scaler(tmp_path, MUTANTS / "cpu_constant", old=MUTANTS / "raises")
    assert verified.exit_code == 1
    assert verified.report["models"][0]["legacy_error"]["side"] == "old"
    assert verified.check("device_portability")["status"] == "fail"


def test_a_failure_of_the_verifier_itself_is_internal_not_a_side(tmp_path, monkeypatch):
    from torchup.verify import compare

    def broken(*args, **kwargs):
        raise KeyError("a bug in torchup")

    monkeypatch.setattr(compare, "compare_state", broken)
    verified = verify_scaler(tmp_path, SCALER / "new")
    assert verified.exit_code == 123
    error = verified.report["models"][0]["error"]
    assert (error["side"], error["kind"], error["step"]) == ("verifier", "internal", "state_dict")
    assert "torchup verify failed internally at step state_dict" in verified.stderr
    assert "OLD side" not in verified.stderr and "NEW side" not in verified.stderr


@pytest.mark.parametrize("old", [pytest.param(SCALER / "old", id="both-run"), pytest.param(MUTANTS / "raises", id="legacy-does-not-run")])
def test_a_failure_of_the_verifier_in_the_last_check_names_that_step(tmp_path, monkeypatch, old):
    from torchup.verify import compare

    def broken(*args, **kwargs):
        raise KeyError("a bug in torchup")

    monkeypatch.setattr(compare, "leak_check", broken)
    verified = verify_scaler(tmp_path, SCALER / "new", old=old)
    assert verified.exit_code == 123
    error = verified.report["models"][0]["error"]
    assert (error["side"], error["kind"], error["step"]) == ("verifier", "internal", "portability")


def test_nested_outputs_and_a_new_persistent_buffer(tmp_path):
    """Counter: dict/tuple outputs with an int leaf, inputs_fn, and state that becomes a buffer."""
    verified = run_verify(
        tmp_path,
        COUNTER / "old",
        COUNTER / "new",
        "--model",
        "counter:Counter",
        "--args",
        "[7, 3]",
        "--inputs",
        "counter:make_inputs",
    )
    assert verified.check("outputs")["status"] == "pass", verified.stderr
    assert "3 output(s)" in verified.check("outputs")["detail"]
    assert verified.check("state_dict")["additions"] == ["calls"]
    # A persistent buffer is a deliberate state_dict change: old checkpoints need an upgrade, and
    # the report says so without calling the models different.
    checkpoint = verified.check("checkpoint")
    assert checkpoint["status"] == "pass" and checkpoint["needs_upgrade"] == ["calls"]
    assert "upgrade-checkpoint" in checkpoint["detail"]
    assert verified.exit_code == 0, verified.stderr


def test_a_key_lost_from_the_state_dict_breaks_checkpoints(mutant_verified):
    checkpoint = mutant_verified("dropped_buffer").check("checkpoint")
    assert checkpoint["status"] == "fail" and checkpoint["key"] == "mean"
    assert "upgrade-checkpoint" in checkpoint["detail"]


@pytest.mark.parametrize("link", [None, "/mnt/datasets", "../../outside"], ids=["no-link", "absolute-link", "link-out-of-the-tree"])
def test_old_as_a_git_revision(tmp_path, link):
    """`torchup verify --old HEAD --new .` after migrating in place, in a throwaway repository;
    a committed symlink out of the tree (``data -> /mnt/datasets``) stays the link it is."""
    repo = tmp_path / "repo"
    shutil.copytree(SCALER / "old", repo / "pkg")
    if link is not None:
        (repo / "pkg" / "data").symlink_to(link)
    env = dict(
        os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"
    )
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "legacy"]):
        subprocess.run(["git", *command], cwd=repo, check=True, env=env)
    shutil.copy(SCALER / "new" / "scaler.py", repo / "pkg" / "scaler.py")  # the migration, uncommitted
    verified = verify_scaler(tmp_path, repo / "pkg", old=Path("HEAD"))
    assert verified.exit_code == 0, verified.stderr
    assert verified.check("old_device_leaks")["status"] == "fail"  # HEAD really is the legacy code
    if link is not None:
        from torchup.verify.sides import resolve_roots

        with resolve_roots("HEAD", str(repo / "pkg")) as (old_root, _):
            assert os.readlink(old_root / "data") == link


def test_unknown_revision_is_an_error(tmp_path):
    verified = verify_scaler(tmp_path, SCALER / "new", old=Path("no-such-revision"))
    assert verified.exit_code == 123
    assert (
        "neither a directory nor a git revision" in verified.stderr or "not inside a git repository" in verified.stderr
    )


def test_a_new_tree_that_is_not_a_directory_is_an_error(tmp_path):
    verified = verify_scaler(tmp_path, tmp_path / "no-such-directory")
    assert verified.exit_code == 123
    assert "--new" in verified.stderr and "is not a directory" in verified.stderr


def test_pyproject_entries_through_the_real_cli(tmp_path):
    """`torchup verify` alone, in a repository configured in pyproject.toml, as a subprocess."""
    shutil.copytree(SCALER / "old", tmp_path / "legacy")
    shutil.copytree(SCALER / "new", tmp_path / "src")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.torchup.verify]\nold = "legacy"\nnew = "src"\n'
        '[[tool.torchup.verify.model]]\nname = "scaler"\nmodel = "scaler:Scaler"\nargs = [4]\ninputs = ["2x4"]\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "torchup", "verify", "--device", "cpu", "--report", "out.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["models"][0]["name"] == "scaler"
    assert "scaler: equivalent" in result.stderr
    cuda = next(check for check in report["models"][0]["checks"] if check["name"] == "cuda")
    assert cuda == {"name": "cuda", "status": "not checked", "detail": "not checked (--device cpu)"}


def test_device_cpu_leaves_the_gpu_check_out_and_says_why(tmp_path):
    # in-process (the subprocess above runs the installed torchup, out of mutmut's sight)
    verified = verify_scaler(tmp_path, SCALER / "new", "--device", "cpu")
    assert verified.exit_code == 0, verified.stderr
    assert verified.check("cuda") == {"name": "cuda", "status": "not checked", "detail": "not checked (--device cpu)"}


def test_command_module_does_not_import_torch():
    code = "import sys, torchup.verify.command; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.cuda
@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_check_runs_new_model_on_cuda(tmp_path):
    verified = verify_scaler(tmp_path, SCALER / "new", "--device", "cuda")
    assert verified.exit_code == 0, verified.stderr
    cuda = verified.check("cuda")
    assert cuda["status"] == "pass", cuda
    assert cuda["old_gpu"] == "ran"  # the legacy model's .cuda() calls work on a real GPU
    leaky = verify_scaler(tmp_path, MUTANTS / "cpu_constant", "--device", "cuda")
    assert leaky.check("cuda")["status"] == "fail"  # the leak the meta run predicted, for real


def test_old_side_never_imports_from_the_new_checkout(tmp_path, monkeypatch):
    """Run from inside NEW (the usual place): a module only NEW has must not satisfy OLD's import."""
    model = "import torch\nfrom helper import WIDTH\n\nclass Net(torch.nn.Module):\n    def forward(self, x):\n        return x * WIDTH\n"
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model)
    (tmp_path / "new" / "helper.py").write_text("WIDTH = 2\n")
    monkeypatch.chdir(tmp_path / "new")
    verified = run_verify(tmp_path, tmp_path / "old", tmp_path / "new", "--model", "net:Net", "--input", "3")
    assert verified.exit_code == 123
    assert verified.report["models"][0]["error"]["side"] == "old"
    assert verified.report["models"][0]["error"]["kind"] == "setup"  # not "the legacy code does not run"
    assert "No module named 'helper'" in verified.report["models"][0]["error"]["message"]


def test_without_torch_verify_exits_123_with_the_install_hint(tmp_path):
    code = (
        "import sys; sys.modules['torch'] = None\n"  # makes `import torch` raise ImportError
        "from torchup.verify.command import verify\n"
        f"verify(['--old', {str(tmp_path)!r}, '--new', {str(tmp_path)!r}, '--model', 'm:N', '--input', '3'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 123
    assert "torchup verify needs torch: pip install 'torchup[verify]'" in result.stderr


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the no-GPU answer")
def test_device_cuda_without_a_gpu_is_an_error(tmp_path):
    verified = verify_scaler(tmp_path, SCALER / "new", "--device", "cuda")
    assert verified.exit_code == 123
    assert "no CUDA device" in verified.stderr


def test_old_side_keeps_the_0_3_upsample_default(tmp_path):
    # TU403's migration restores align_corners=True, what F.upsample did before 0.4: equivalent.
    upsample = FIXTURES / "upsample"
    args = ("--model", "up:Up", "--input", "1x2x4x4")
    assert run_verify(tmp_path / "a", upsample / "old", upsample / "new", *args).exit_code == 0
    # Today's default (align_corners=False) is not what the legacy model computed.
    modern = run_verify(tmp_path / "b", upsample / "old", upsample / "modern_default", *args)
    assert modern.exit_code == 1 and modern.check("outputs")["status"] == "fail"


def test_old_side_keeps_the_0_3_volatile_semantics(tmp_path):
    # A target computed from a volatile Variable carried no gradient in 0.3: TU102's no_grad
    # region is what the legacy model trained with, so the two train to the same weights.
    volatile = FIXTURES / "volatile"
    args = ("--model", "target:make_trained", "--input", "2x3")
    assert run_verify(tmp_path / "a", volatile / "old", volatile / "new", *args).exit_code == 0
    # Dropping the flag without a region backpropagates through the target: different weights.
    modern = run_verify(tmp_path / "b", volatile / "old", volatile / "modern_default", *args)
    assert modern.exit_code == 1 and modern.check("state_dict")["status"] == "fail"
    assert modern.check("state_dict")["key"] == "fc.weight"


def test_old_side_keeps_the_pre_1_3_grid_sample_default(tmp_path):
    grid = FIXTURES / "grid_sample"
    args = ("--model", "stn:Warp", "--input", "1x1x5x5", "--input", "1x2x3")
    assert run_verify(tmp_path / "a", grid / "old", grid / "new", *args).exit_code == 0
    # The legacy source unchanged on today's torch samples between pixels: not what it computed.
    modern = run_verify(tmp_path / "b", grid / "old", grid / "old", *args)
    assert modern.exit_code == 1 and modern.check("outputs")["status"] == "fail"


def test_gradient_of_a_requires_grad_attribute_is_compared_with_its_parameter(tmp_path):
    # TU202 turns `self.w = Variable(..., requires_grad=True)` into a Parameter: its gradient is
    # compared with the legacy attribute's, so a migration that cut it off (same outputs) fails.
    grad_attribute = FIXTURES / "grad_attribute"
    args = ("--model", "scorer:Scorer", "--input", "4x3")
    migrated = run_verify(tmp_path / "a", grad_attribute / "old", grad_attribute / "new", *args)
    assert migrated.exit_code == 0, migrated.stderr
    assert "gradients of 3 parameter(s)" in migrated.check("gradients")["detail"]
    detached = run_verify(tmp_path / "b", grad_attribute / "old", grad_attribute / "detached", *args)
    assert detached.check("outputs")["status"] == "pass"
    assert detached.check("gradients")["status"] == "fail" and detached.check("gradients")["key"] == "w"


def test_an_inputs_function_only_the_new_tree_has_serves_both_and_bad_inputs_are_named(tmp_path):
    model = "import torch\n\nclass Net(torch.nn.Module):\n    def forward(self, x, n):\n        return x * n\n"
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model)
    (tmp_path / "new" / "feed.py").write_text(
        "import torch\n\nclass Opaque:\n    pass\n\n"
        "def good():\n    return torch.ones(2), 3\n\ndef bad():\n    return torch.ones(2), {'n': Opaque()}\n"
    )
    args = ("--model", "net:Net", "--device", "cpu")
    good = run_verify(tmp_path / "a", tmp_path / "old", tmp_path / "new", *args, "--inputs", "feed:good")
    assert good.exit_code == 0, good.stderr  # OLD has no feed.py: NEW's inputs were carried to it
    bad = run_verify(tmp_path / "b", tmp_path / "old", tmp_path / "new", *args, "--inputs", "feed:bad")
    assert bad.exit_code == 123
    error = bad.report["models"][0]["error"]
    assert (error["side"], error["step"], error["kind"]) == ("new", "inputs", "user")
    assert "input[1]['n']: a feed.Opaque cannot be an input" in error["message"]


def test_mode_both_compares_train_mode_too(tmp_path):
    """A changed dropout rate: eval mode cannot see it, train mode must."""
    from click.testing import CliRunner

    from torchup.verify.command import verify

    model = "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(8, 8)\n        self.drop = torch.nn.Dropout({p})\n\n    def forward(self, x):\n        return self.fc(self.drop(x))\n"
    for side, p in (("old", 0.5), ("new", 0.2)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(p=p))
    runs = {}
    for mode in ("eval", "both"):
        spec = tmp_path / f"{mode}.toml"
        spec.write_text(f'old = "old"\nnew = "new"\n\n[[model]]\nmodel = "net:Net"\ninputs = ["4x8"]\nmode = "{mode}"\n')
        result = CliRunner().invoke(verify, ["--spec", str(spec), "--report", str(tmp_path / f"{mode}.json")])
        runs[mode] = (result.exit_code, json.loads((tmp_path / f"{mode}.json").read_text()))
    assert runs["eval"][0] == 0, runs["eval"][1]
    exit_code, report = runs["both"]
    statuses = {check["name"]: check["status"] for check in report["models"][0]["checks"]}
    assert exit_code == 1 and statuses["outputs"] == "pass" and statuses["train_outputs"] == "fail", statuses
    details = {check["name"]: check["detail"] for check in report["models"][0]["checks"]}
    # eval mode keeps the names and words reports always had; train mode says which mode it is
    assert details["outputs"] == "1 output(s) bit-identical"
    assert details["gradients"].startswith("gradients of 2 parameter(s) equal")
    assert details["train_outputs"].startswith("train mode: output: max abs error")
    assert details["train_gradients"].startswith("train mode: parameter ")


def test_seed_and_tolerances_given_on_the_command_line_win_over_the_spec_file_even_when_zero(tmp_path):
    """Old and new agree exactly when the model's one weight is positive: seed 0 draws 1.54, seed 4 -1.61."""
    from click.testing import CliRunner

    from torchup.verify.command import verify

    model = "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = torch.nn.Parameter(torch.randn(1))\n\n    def forward(self, x):\n        return x * {weight}\n"
    for side, weight in (("old", "self.w.abs()"), ("new", "self.w")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(weight=weight))

    def exit_code(spec_lines: str, *options: str) -> int:
        spec = tmp_path / "spec.toml"
        spec.write_text(f'old = "old"\nnew = "new"\n\n[[model]]\nmodel = "net:Net"\ninputs = ["4"]\n{spec_lines}')
        return CliRunner().invoke(verify, ["--spec", str(spec), *options]).exit_code

    assert exit_code("seed = 4\n") == 1
    assert exit_code("seed = 4\n", "--seed", "0") == 0
    # |x*w - x*|w|| = 2|x*w| <= 3 * |x*|w||: within rtol = 3, and not within --rtol 0.
    assert exit_code("seed = 4\nrtol = 3\n") == 0
    assert exit_code("seed = 4\nrtol = 3\n", "--rtol", "0") == 1


def test_old_and_mode_given_on_the_command_line_win_over_the_spec_file(tmp_path):
    """The spec file gives defaults; a flag given for one run overrides them for every entry."""
    from click.testing import CliRunner

    from torchup.verify.command import verify

    model = "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(8, 8)\n        self.drop = torch.nn.Dropout({p})\n\n    def forward(self, x):\n        return self.fc(self.drop(x))\n"
    for side, p in (("old", 0.5), ("new", 0.2)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(p=p))

    def exit_code(old: str, *options: str) -> int:
        spec = tmp_path / "spec.toml"
        spec.write_text(f'old = "{old}"\nnew = "new"\n\n[[model]]\nmodel = "net:Net"\ninputs = ["4x8"]\nmode = "train"\n')
        result = CliRunner().invoke(verify, ["--spec", str(spec), "--device", "cpu", *options])
        return result.exit_code

    # Only train mode sees the changed dropout rate.
    assert exit_code("old") == 1
    assert exit_code("old", "--mode", "eval") == 0
    # The spec compares `new` with itself; --old names the legacy tree.
    assert exit_code("new") == 0
    assert exit_code("new", "--old", str(tmp_path / "old")) == 1


def test_the_meta_device_check_runs_in_the_first_mode_asked_for(tmp_path):
    """A CPU constant used only in train mode: `mode = "train"` must find it, eval mode cannot."""
    from click.testing import CliRunner

    from torchup.verify.command import verify

    model = (
        "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = torch.nn.Linear(3, 3)\n\n    def forward(self, x):\n        if self.training:\n"
        "            x = x + torch.ones(3)  # noise only while training, built on the CPU\n"
        "        return self.fc(x)\n"
    )
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model)
    portability = {}
    for mode in ("eval", "train"):
        spec = tmp_path / f"{mode}.toml"
        spec.write_text(f'old = "old"\nnew = "new"\n\n[[model]]\nmodel = "net:Net"\ninputs = ["2x3"]\nmode = "{mode}"\n')
        CliRunner().invoke(verify, ["--spec", str(spec), "--device", "cpu", "--report", str(tmp_path / f"{mode}.json")])
        checks = json.loads((tmp_path / f"{mode}.json").read_text())["models"][0]["checks"]
        portability[mode] = next(check for check in checks if check["name"] == "device_portability")
    assert portability["eval"]["status"] == "pass"
    assert portability["train"]["status"] == "fail"
    assert portability["train"]["source_line"].startswith("net.py:10: x = x + torch.ones(3)")


def test_a_new_buffer_in_a_submodule_is_compared_with_the_old_plain_attribute(tmp_path):
    """TU201 turns a submodule's `self.scale = tensor` into a non-persistent buffer: not in the
    state_dict and not read by forward here, so only the buffer-vs-attribute comparison sees a
    changed value."""
    from click.testing import CliRunner

    from torchup.verify.command import verify

    model = (
        "import torch\n\nclass Sub(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        {scale}\n\n    def forward(self, x):\n        return x\n\n"
        "class Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.sub = Sub()\n\n    def forward(self, x):\n        return self.sub(x)\n"
    )
    sides = {
        "old": "self.scale = torch.full((3,), 2.0)",
        "same": 'self.register_buffer("scale", torch.full((3,), 2.0), persistent=False)',
        "changed": 'self.register_buffer("scale", torch.full((3,), 3.0), persistent=False)',
    }
    for side, scale in sides.items():
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(scale=scale))
    states = {}
    for new in ("same", "changed"):
        report = tmp_path / f"{new}.json"
        options = ["--old", str(tmp_path / "old"), "--new", str(tmp_path / new), "--model", "net:Net"]
        result = CliRunner().invoke(verify, [*options, "--input", "2x3", "--device", "cpu", "--report", str(report)])
        checks = json.loads(report.read_text())["models"][0]["checks"]
        states[new] = (result.exit_code, next(check for check in checks if check["name"] == "state_dict"))
    assert states["same"][0] == 0 and states["same"][1]["status"] == "pass", states["same"]
    exit_code, state = states["changed"]
    assert exit_code == 1 and state["status"] == "fail" and state["key"] == "sub.scale", state
    assert (state["old"], state["new"]) == (2.0, 3.0)


def test_an_old_tree_that_is_a_file_is_an_error(tmp_path):
    # `--old scaler.py` (the legacy file, not its directory) is no tree to import from, and not a
    # revision: it must be reported as such, not taken for the OLD root.
    verified = verify_scaler(tmp_path, SCALER / "new", old=SCALER / "old" / "scaler.py")
    assert verified.exit_code == 123
    assert (
        "neither a directory nor a git revision" in verified.stderr or "not inside a git repository" in verified.stderr
    ), verified.stderr


@pytest.fixture
def gpu_sides_on_the_cpu(monkeypatch):
    """A machine that reports a GPU, whose GPU sides run under the CUDA shim ("cuda" means the CPU):
    the GPU check's choice of sides and its wording, tested without a GPU. Its outputs then come
    back on the CPU, so the check itself fails with that reason."""
    import torch

    from torchup.verify import equivalence

    real_side = equivalence.SideProcess

    def side(name, root, job, workdir, *, legacy, shim, gpu=False, timeout=None):
        return real_side(name, root, job, workdir, legacy=legacy, shim=shim or gpu, gpu=gpu, timeout=timeout)

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(equivalence, "SideProcess", side)


@pytest.mark.parametrize(
    "old, old_note",
    [
        pytest.param(SCALER / "old", "; the old model also runs on GPU", id="legacy-runs-on-the-gpu-too"),
        pytest.param(MUTANTS / "raises", "", id="legacy-does-not-run-so-only-the-new-model"),
    ],
)
def test_device_cuda_with_a_gpu_runs_the_gpu_check_on_the_new_model_and_the_legacy_one_when_it_runs(
    tmp_path, gpu_sides_on_the_cpu, old, old_note
):
    verified = verify_scaler(tmp_path, SCALER / "new", "--device", "cuda", old=old)
    assert "no CUDA device" not in verified.stderr
    cuda = verified.check("cuda")
    assert cuda["status"] == "fail"
    assert cuda["detail"] == f"the new model on GPU returned outputs on ['cpu']{old_note}"
    assert ("old_gpu" in cuda) is bool(old_note)
    if old_note:
        assert cuda["old_gpu"] == "ran"


@pytest.mark.parametrize("crashing", [pytest.param(("old", "new"), id="both-sides"), pytest.param(("new",), id="new-side-only")])
def test_a_meta_run_that_kills_the_worker_leaves_portability_not_checked_and_the_verdict_alone(tmp_path, crashing):
    """A C-level crash on meta (here os._exit) ends that side's process, not the verification."""
    model = (
        "import os\nimport torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = torch.nn.Linear(3, 2)\n\n"
        "    def forward(self, x):\n        if x.is_meta and {crash}:\n            os._exit(3)\n        return self.fc(x)\n"
    )
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(crash=side in crashing))
    verified = run_verify(tmp_path, tmp_path / "old", tmp_path / "new", "--model", "net:Net", "--input", "2x3")
    assert verified.exit_code == 0, verified.stderr
    assert verified.report["models"][0]["verdict"] == "equivalent"
    for name, who in (("device_portability", "new"), ("old_device_leaks", "old")):
        check = verified.check(name)
        if who in crashing:
            assert check["status"] == "not checked"
            assert check["detail"] == f"the {who} model's meta run failed: the worker exited with status 3"
        else:
            assert check["status"] == "pass"
            assert check["detail"] == f"the {who} model runs on the meta device without mixing devices"


def test_a_gpu_side_that_cannot_be_set_up_fails_the_gpu_check_with_its_reason(tmp_path, gpu_sides_on_the_cpu, monkeypatch):
    from torchup.verify import equivalence

    shimmed_side = equivalence.SideProcess
    elsewhere = tmp_path / "no_model_here"
    elsewhere.mkdir()

    def side(name, root, job, workdir, *, legacy, shim, gpu=False, timeout=None):
        # the GPU processes look for the model where it is not: their start fails
        return shimmed_side(name, elsewhere if gpu else root, job, workdir, legacy=legacy, shim=shim, gpu=gpu, timeout=timeout)

    monkeypatch.setattr(equivalence, "SideProcess", side)
    verified = verify_scaler(tmp_path, SCALER / "new", "--device", "cuda")
    assert verified.exit_code == 1, verified.stderr
    cuda = verified.check("cuda")
    assert cuda["status"] == "fail"
    assert cuda["detail"] == (
        f"the new model cannot be built or run for the GPU check: no module 'scaler' under {elsewhere.resolve()}"
    )


def test_a_new_model_checked_alone_says_when_its_backward_could_not_run(tmp_path):
    model = "import torch\n\nclass Net(torch.nn.Module):\n    def forward(self, x):\n        {body}\n"
    bodies = {"old": 'raise RuntimeError("removed API")', "new": "return x * 2  # nothing to train"}
    for side, body in bodies.items():
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(body=body))
    verified = run_verify(
        tmp_path, tmp_path / "old", tmp_path / "new", "--model", "net:Net", "--input", "2x3", "--mode", "both"
    )
    assert verified.exit_code == 3, verified.stderr
    assert verified.check("new_runs")["detail"] == (
        "the new model runs forward in eval mode (no output requires grad); train mode (no output requires grad)"
    )


def test_without_new_the_current_directory_is_the_migrated_tree_and_the_summary_counts_verdicts(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from torchup.verify.command import verify

    monkeypatch.chdir(SCALER / "new")
    report = tmp_path / "report.json"
    options = ["--old", str(SCALER / "old"), "--model", "scaler:Scaler", "--args", "[4]", "--input", "3x4"]
    result = CliRunner().invoke(verify, [*options, "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == "1 equivalent"
    assert json.loads(report.read_text())["verdict"] == "equivalent"


def test_a_side_that_dies_while_loading_the_other_state_dict_is_named_with_its_step(tmp_path):
    """A crash in loading (here os._exit in the model's own loader) is that side's error, not torchup's."""
    model = (
        "import os\nimport torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc = torch.nn.Linear(3, 2)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n{loader}"
    )
    loader = "\n    def _load_from_state_dict(self, *args, **kwargs):\n        os._exit(5)\n"
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model.format(loader=loader if side == "new" else ""))
    verified = run_verify(tmp_path, tmp_path / "old", tmp_path / "new", "--model", "net:Net", "--input", "2x3")
    assert verified.exit_code == 123, verified.stderr
    error = verified.report["models"][0]["error"]
    assert (error["side"], error["step"], error["message"]) == ("new", "load", "the worker exited with status 5")
    assert "the NEW side failed at step load: the worker exited with status 5" in verified.stderr


def test_a_legacy_inputs_function_that_raises_is_an_error_of_that_side_not_a_legacy_model_that_does_not_run(tmp_path):
    model = "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(3, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n"
    harness = {
        "old": 'def inputs(model):\n    raise RuntimeError("the old harness broke")\n',
        "new": "import torch\n\ndef inputs(model):\n    return torch.ones(2, 3)\n",
    }
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model)
        (tmp_path / side / "harness.py").write_text(harness[side])
    verified = run_verify(tmp_path, tmp_path / "old", tmp_path / "new", "--model", "net:Net", "--inputs", "harness:inputs")
    assert verified.exit_code == 123, verified.stderr
    model_report = verified.report["models"][0]
    assert model_report["legacy_error"] is None
    error = model_report["error"]
    assert (error["side"], error["step"], error["kind"]) == ("old", "inputs", "user")
    assert error["message"] == "RuntimeError: the old harness broke"


def test_verify_writes_nothing_into_the_users_model_directories(tmp_path):
    # the sides exchange state_dicts and outputs through the run's own work directory
    old, new = tmp_path / "old", tmp_path / "new"
    sources_only = shutil.ignore_patterns("*.pt", "__pycache__")  # a run of another test may have left some
    shutil.copytree(SCALER / "old", old, ignore=sources_only)
    shutil.copytree(SCALER / "new", new, ignore=sources_only)

    def files():
        return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if "__pycache__" not in p.parts)

    before = files()
    verified = verify_scaler(tmp_path / "run", new, old=old)
    assert verified.report["verdict"] == "equivalent", verified.stderr
    assert [f for f in files() if not f.startswith("run")] == before


def test_a_side_that_cannot_adopt_the_other_sides_inputs_is_reported_with_its_step(tmp_path):
    # the inputs are a dataclass only the NEW code defines: OLD stops at step `inputs`, and the
    # report says so (it is not torchup's own failure)
    model = "import torch\nfrom torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(3, 2)\n\n    def forward(self, batch):\n        return self.fc(batch.x)\n"
    new_only = "\n\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass Batch:\n    x: torch.Tensor\n\n\ndef inputs():\n    return (Batch(torch.ones(2, 3)),)\n"
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "net.py").write_text(model)
    (new / "net.py").write_text(model + new_only)
    verified = run_verify(tmp_path / "run", old, new, "--model", "net:Net", "--inputs", "net:inputs")
    assert verified.report["verdict"] == "error", verified.stderr
    error = verified.report["models"][0]["error"]
    assert (error["side"], error["step"]) == ("old", "inputs"), error
    assert error["kind"] == "setup", error
    assert "the inputs hold a net:Batch dataclass, which this side's code does not define" in error["message"]


def test_inputs_each_side_builds_from_its_model_are_compared_old_against_new(tmp_path):
    # each side's inputs function takes the model: the `inputs` check compares what OLD built
    # with what NEW built, so a harness that drifted between the two is named, not hidden
    model = "import torch\n\nclass Net(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = torch.nn.Linear(3, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n"
    harness = {
        "old": "import torch\n\ndef inputs(model):\n    return torch.zeros(2, 3)\n",
        "new": "import torch\n\ndef inputs(model):\n    return torch.ones(2, 3)\n",
    }
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "net.py").write_text(model)
        (tmp_path / side / "harness.py").write_text(harness[side])
    verified = run_verify(tmp_path / "run", tmp_path / "old", tmp_path / "new", "--model", "net:Net", "--inputs", "harness:inputs")
    checks = {check["name"]: check for check in verified.report["models"][0]["checks"]}
    assert (checks["inputs"]["status"], checks["inputs"]["detail"]) == (
        "fail",
        "the two sides built different inputs: input input[0]: max abs error 1 (rel inf) at index (0, 0): old 0.0, new 1.0",
    ), verified.stderr
