"""One side's worker, in this process: what it builds, runs, saves and answers.

The end-to-end tests (test_verify.py) run the same code in real worker subprocesses; here each
step is driven directly, so a wrong answer points at the step that gave it. A worker changes its
process for good (threads, determinism, sys.path, the imported model modules): the ``side``
fixture undoes all of that after each test.
"""

from __future__ import annotations

import os
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import torch

from torchup.verify import worker as worker_module
from torchup.verify.worker import (
    ModelNotFound,
    UserCodeError,
    Worker,
    build_model,
    plain_tensor_attributes,
    resolve,
    serve,
    snapshot_state,
    traceback_tail,
    trainable_tensors,
)

MODEL = '''
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, features, scale=1.0):
        super().__init__()
        self.fc = nn.Linear(features, 2)
        self.drop = nn.Dropout(0.5)
        self.register_buffer("mean", torch.full((features,), 0.25))
        self.prior = torch.arange(float(features))  # a plain tensor attribute
        self.gate = torch.ones(2, requires_grad=True)  # a legacy Variable(..., requires_grad=True)
        self.scale = scale

    def forward(self, x):
        return self.drop(self.fc(x - self.mean)) * self.gate * self.scale


class Frozen(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        with torch.no_grad():
            return self.fc(x)


class BackwardFails(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return _Refuses.apply(self.fc(x))


class _Refuses(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("no gradient here")


class ForwardFails(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        raise IndexError("forward broke")


class UnusedLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.spare = nn.Linear(3, 2)  # never called: no gradient reaches it

    def forward(self, x):
        return self.fc(x)


class Raises(nn.Module):
    def __init__(self):
        super().__init__()
        raise ValueError("broken constructor")


class WithExtras(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return {"logits": self.fc(x), "steps": 3, "name": "extras"}


def not_a_module():
    return 42


def make_inputs(model):
    return torch.ones(2, model.fc.in_features), 


def plain_inputs():
    return [torch.zeros(2, 3)]
'''


@pytest.fixture
def side(tmp_path, monkeypatch):
    """A model tree in ``tmp_path`` and a factory of Workers for it; this process restored after."""
    root = tmp_path / "root"
    root.mkdir()
    module = f"wmodel_{os.getpid()}_{abs(hash(str(tmp_path))) % 10**8}"
    (root / f"{module}.py").write_text(MODEL)
    workdir = tmp_path / "work"
    workdir.mkdir()
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    threads, deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    tf32 = (torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32)

    def make(side_name="new", model="Net", args=(3,), kwargs=None, inputs=None, inputs_fn=None, seed=0):
        spec = {
            "model": f"{module}:{model}",
            "args": list(args),
            "kwargs": dict(kwargs or {}),
            "inputs": [{"shape": [2, 3], "dtype": "float32", "high": None, "low": 0}] if inputs is None else inputs,
            "inputs_fn": f"{module}:{inputs_fn}" if inputs_fn else None,
            "seed": seed,
            "mode": "eval",
        }
        job = {
            "side": side_name,
            "root": str(root),
            "spec": spec,
            "workdir": str(workdir),
            "parent_cwd": str(tmp_path),
            "legacy": False,
            "shim": False,
        }
        return Worker(job)

    make.module = module
    make.root = root
    with warnings.catch_warnings():
        yield make
    sys.path[:] = saved_path
    for name in set(sys.modules) - saved_modules:
        if name.startswith("wmodel_"):
            del sys.modules[name]
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = tf32


def test_start_builds_the_model_from_its_seed_and_saves_its_state(side):
    first, second = side(), side()
    reply = first.start({})
    assert reply["state"] == first.path("state") == str(Path(first.workdir) / "new_state.pt")
    assert reply["inputs"] == first.path("inputs")
    second.start({})
    state = torch.load(reply["state"], weights_only=True)
    assert set(state["state_dict"]) == {"fc.weight", "fc.bias", "mean"}
    assert state["parameters"] == ["fc.weight", "fc.bias"]
    assert set(state["buffers"]) == {"mean"}
    torch.testing.assert_close(state["attributes"]["prior"], torch.arange(3.0))
    torch.testing.assert_close(state["attributes"]["gate"], torch.ones(2))
    # the same seed builds the same weights and the same inputs on both sides
    torch.testing.assert_close(first.model.fc.weight, second.model.fc.weight)
    torch.testing.assert_close(first.fresh_inputs(), second.fresh_inputs())
    assert not first.model.training  # built in eval mode
    # the root comes first on sys.path, the parent's working directory is gone from it
    assert sys.path[0] == str(side.root.resolve()) and str(Path(first.parent_cwd)) not in sys.path
    assert first.step == "inputs"


def test_another_seed_builds_other_weights(side):
    zero, one = side(seed=0), side(seed=1)
    zero.start({})
    one.start({})
    assert not torch.equal(zero.model.fc.weight, one.model.fc.weight)
    assert not torch.equal(zero.fresh_inputs()[0], one.fresh_inputs()[0])


def test_args_and_kwargs_reach_the_constructor(side):
    worker = side(args=(4,), kwargs={"scale": 3.0}, inputs=[{"shape": [1, 4], "dtype": "float32", "high": None}])
    worker.start({})
    assert worker.model.fc.in_features == 4 and worker.model.scale == 3.0
    assert worker.fresh_inputs()[0].shape == (1, 4)


def test_the_old_side_waits_for_the_new_sides_inputs_unless_they_come_from_its_model(side, tmp_path):
    old = side("old")
    assert old.start({})["inputs"] is None and old.inputs_tree is None
    old_with_model_inputs = side("old", inputs=[], inputs_fn="make_inputs")
    reply = old_with_model_inputs.start({})
    assert reply["inputs"] == old_with_model_inputs.path("inputs")
    torch.testing.assert_close(old_with_model_inputs.fresh_inputs(), (torch.ones(2, 3),))
    # an inputs function that takes no model is the NEW side's to call
    assert side("old", inputs=[], inputs_fn="plain_inputs").start({})["inputs"] is None
    assert side("old", inputs=[], inputs_fn="missing_function").start({})["inputs"] is None
    new = side("new", inputs=[], inputs_fn="plain_inputs")
    new.start({})
    torch.testing.assert_close(new.fresh_inputs(), (torch.zeros(2, 3),))


def test_adopt_takes_the_other_sides_inputs(side):
    new, old = side("new"), side("old")
    new_reply = new.start({})
    old.start({})
    assert old.adopt({"path": new_reply["inputs"]}) == {} and old.step == "inputs"
    torch.testing.assert_close(old.fresh_inputs(), new.fresh_inputs())
    # each use gets its own copy: a forward that edits its input in place changes no later run
    old.fresh_inputs()[0].add_(100)
    torch.testing.assert_close(old.fresh_inputs(), new.fresh_inputs())


def test_run_saves_outputs_and_the_gradients_of_every_trainable_tensor(side):
    worker = side()
    worker.start({})
    reply = worker.run({"mode": "eval"})
    assert reply == {"outputs": worker.path("outputs_eval"), "gradients": worker.path("gradients_eval")}
    assert worker.step == "backward (eval mode)"
    outputs = torch.load(reply["outputs"], weights_only=True)
    with torch.no_grad():
        expected = worker.model(*worker.fresh_inputs())
    torch.testing.assert_close(outputs["output"], expected)
    assert not outputs["output"].requires_grad
    gradients = torch.load(reply["gradients"], weights_only=True)
    assert gradients["error"] is None
    assert set(gradients["grads"]) == {"fc.weight", "fc.bias", "gate"}
    # d(sum(fc(x - mean) * gate))/d(bias) is gate, per row of the batch of 2
    torch.testing.assert_close(gradients["grads"]["fc.bias"], torch.full((2,), 2.0))
    # a second run starts from no gradients: they are not summed with the first run's
    again = torch.load(worker.run({"mode": "eval"})["gradients"], weights_only=True)
    torch.testing.assert_close(again["grads"], gradients["grads"])


def test_train_mode_draws_the_same_dropout_on_both_sides(side):
    first, second = side(), side()
    first.start({})
    second.start({})
    train = torch.load(first.run({"mode": "train"})["outputs"], weights_only=True)["output"]
    assert first.model.training and first.step == "backward (train mode)"
    eval_ = torch.load(first.run({"mode": "eval"})["outputs"], weights_only=True)["output"]
    assert not first.model.training
    torch.testing.assert_close(train, torch.load(second.run({"mode": "train"})["outputs"], weights_only=True)["output"])
    assert not torch.equal(train, eval_)  # dropout was on: zeros and doubled values
    assert (train == 0).any()


def test_gradients_that_cannot_be_taken_are_reported(side):
    frozen = side(model="Frozen", args=())
    frozen.start({})
    gradients = torch.load(frozen.run({"mode": "eval"})["gradients"], weights_only=True)
    assert gradients == {"error": "no output requires grad", "grads": {}}
    refuses = side(model="BackwardFails", args=())
    refuses.start({})
    gradients = torch.load(refuses.run({"mode": "eval"})["gradients"], weights_only=True)
    assert gradients["error"] == "backward raised RuntimeError: no gradient here"
    assert gradients["grads"] == {}


def test_load_reports_missing_and_unexpected_keys(side, tmp_path):
    worker = side()
    worker.start({})
    state = torch.load(worker.path("state"), weights_only=True)
    assert worker.load({"path": worker.path("state")}) == {"loaded": True, "missing": [], "unexpected": [], "message": ""}
    assert worker.step == "checkpoint"
    renamed = dict(state["state_dict"])
    renamed["average"] = renamed.pop("mean")
    path = tmp_path / "renamed.pt"
    torch.save({"state_dict": renamed}, path)
    reply = worker.load({"path": str(path)})
    assert reply["loaded"] is False
    assert reply["missing"] == ["mean"] and reply["unexpected"] == ["average"]
    assert reply["message"].startswith("Error(s) in loading state_dict for Net")
    assert "\n" not in reply["message"] and "average" in reply["full_message"]
    # loading happens on a copy: the model itself keeps its weights
    assert "mean" in worker.model.state_dict()


def test_leaks_checks_the_model_in_the_requested_mode(side):
    worker = side()
    worker.start({})
    reply = worker.leaks({"mode": "train"})
    assert worker.step == "portability" and worker.model.training
    assert reply["checked"] is True and reply["reason"] == ""
    # self.gate, a plain tensor attribute, stays behind when the model moves to another device
    [leak] = reply["leaks"]
    assert leak["op"] == "mul" and leak["source_line"].endswith("* self.gate * self.scale")
    assert leak["source_line"].startswith(f"{side.module}.py:17: ")
    worker.leaks({})
    assert not worker.model.training


def test_resolve_tells_a_missing_model_from_a_broken_one(side, tmp_path):
    worker = side()
    worker.start({})
    module = side.module
    assert resolve(f"{module}:Net").__name__ == "Net"
    assert resolve("torch.nn:Linear") is torch.nn.Linear
    assert resolve("torch:nn.Linear") is torch.nn.Linear
    with pytest.raises(ModelNotFound, match=r"no module 'nowhere_at_all' under "):
        resolve("nowhere_at_all:Net")
    with pytest.raises(ModelNotFound, match=r"no module 'nowhere_at_all.deeper'"):
        resolve("nowhere_at_all.deeper:Net")
    with pytest.raises(ModelNotFound, match=rf"{module} has no 'Missing'"):
        resolve(f"{module}:Missing")
    with pytest.raises(ModelNotFound, match=r"torch has no 'nn.Missing'"):
        resolve("torch:nn.Missing")
    with pytest.raises(ModelNotFound, match=r"torch has no 'nn:Linear'"):  # the module is before the first colon
        resolve("torch:nn:Linear")
    # an import the model's own module makes is the model's problem, not a missing model
    (side.root / "imports_missing.py").write_text("import a_package_nobody_has\n")
    with pytest.raises(ModuleNotFoundError) as raised:
        resolve("imports_missing:Net")
    assert not isinstance(raised.value, ModelNotFound) and raised.value.name == "a_package_nobody_has"
    # ... also when the module raises one itself, naming no module (a hand-written "needs cupy")
    (side.root / "raises_its_own.py").write_text('raise ModuleNotFoundError("this model needs cupy")\n')
    with pytest.raises(ModuleNotFoundError, match="^this model needs cupy$") as raised:
        resolve("raises_its_own:Net")
    assert not isinstance(raised.value, ModelNotFound) and raised.value.name is None


def test_build_model_refuses_a_factory_that_returns_no_module(side):
    worker = side()
    worker.start({})
    with pytest.raises(TypeError, match=rf"{side.module}:not_a_module returned int, not an nn.Module"):
        build_model({**worker.spec, "model": f"{side.module}:not_a_module", "args": []})


def test_errors_say_whose_fault_they_are(side, monkeypatch):
    raises = side(model="Raises", args=())
    with pytest.raises(UserCodeError, match="ValueError: broken constructor") as raised:
        raises.start({})
    reply = worker_module._error_reply(raised.value, raises)
    assert reply["ok"] is False
    error = reply["error"]
    assert error["kind"] == "user" and error["step"] == "build"
    assert error["message"] == "ValueError: broken constructor"
    assert error["traceback_tail"].startswith("Traceback") and "raise ValueError" in error["traceback_tail"]
    assert "broken constructor" in error["traceback_tail"]
    assert error["source_line"]  # the model's own line

    missing = side(model="Nothing")
    with pytest.raises(UserCodeError) as raised:
        missing.start({})
    error = worker_module._error_reply(raised.value, missing)["error"]
    assert error["kind"] == "setup" and error["message"] == f"{side.module} has no 'Nothing'"
    assert error["source_line"] == ""

    (side.root / "needs_package.py").write_text("import a_package_nobody_has\n")
    needs = side()
    needs.spec["model"] = "needs_package:Net"
    with pytest.raises(UserCodeError) as raised:
        needs.start({})
    error = worker_module._error_reply(raised.value, needs)["error"]
    assert error["kind"] == "setup" and "a_package_nobody_has" in error["message"]

    # a torch module that no longer exists is the legacy code on today's torch: the user's
    legacy = ModuleNotFoundError("No module named 'torch.utils.serialization'", name="torch.utils.serialization")
    try:
        with worker_module._user_code():
            raise legacy
    except UserCodeError as error:
        assert worker_module._error_reply(error, needs)["error"]["kind"] == "user"

    internal = worker_module._error_reply(KeyError("cmd"), needs)["error"]
    assert internal["kind"] == "internal" and internal["message"] == "KeyError: 'cmd'"
    from torchup.verify.inputs import InputError

    bad_inputs = worker_module._error_reply(InputError("no such class"), needs)["error"]
    assert bad_inputs["kind"] == "user" and bad_inputs["message"] == "InputError: no such class"


@pytest.mark.parametrize(
    "name, kind",
    [
        ("torch.utils.serialization", "user"),  # removed from torch
        ("torchvision.models.utils", "user"),  # removed from torchvision
        ("torchvision", "setup"),  # not installed on this side
        ("torch_geometric", "setup"),  # a third-party package whose name only starts like torch's
        ("torchnet.meter", "setup"),
    ],
)
def test_a_missing_module_is_the_legacy_codes_only_where_torch_or_its_libraries_lost_it(side, name, kind):
    try:
        with worker_module._user_code():
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    except UserCodeError as error:
        assert worker_module._error_reply(error, side())["error"]["kind"] == kind
    else:
        pytest.fail("_user_code did not wrap the error")


def test_user_code_wraps_only_the_models_exceptions():
    with pytest.raises(UserCodeError, match="^KeyError: 'x'$") as raised:
        with worker_module._user_code():
            raise KeyError("x")
    assert isinstance(raised.value.__cause__, KeyError)
    inner = UserCodeError("already wrapped")
    with pytest.raises(UserCodeError) as raised:
        with worker_module._user_code():
            raise inner
    assert raised.value is inner
    with pytest.raises(KeyboardInterrupt):
        with worker_module._user_code():
            raise KeyboardInterrupt
    with worker_module._user_code():
        pass


def test_traceback_tail_keeps_the_header_the_last_frames_and_the_message():
    def five():
        raise ValueError("deep down")

    def four():
        five()

    def three():
        four()

    def two():
        three()

    def one():
        two()

    try:
        one()
    except ValueError as error:
        tail = traceback_tail(error)
        short = traceback_tail(error, frames=1)
    lines = tail.splitlines()
    assert lines[0] == "Traceback (most recent call last):" and lines[-1] == "ValueError: deep down"
    assert tail.count('File "') == 4 and short.count('File "') == 1
    assert 'raise ValueError("deep down")' in short and "in five" in short and "in four" not in short
    assert "in two" in tail and "in one" not in tail


def test_trainable_tensors_and_attributes_by_dotted_path():
    outer = torch.nn.Sequential(torch.nn.Linear(2, 2))
    outer[0].prior = torch.ones(2)
    outer[0].gate = torch.ones(2, requires_grad=True)
    outer[0].derived = outer[0].gate * 2  # requires grad, not a leaf: no optimizer was given it
    outer.top = torch.zeros(1)
    attributes = plain_tensor_attributes(outer)
    assert set(attributes) == {"0.prior", "0.gate", "0.derived", "top"}
    assert attributes["0.gate"] is not outer[0].gate and not attributes["0.gate"].requires_grad
    trainable = trainable_tensors(outer)
    assert set(trainable) == {"0.weight", "0.bias", "0.gate"}
    assert trainable["0.gate"] is outer[0].gate
    state = snapshot_state(outer)
    assert state["parameters"] == ["0.weight", "0.bias"] and state["buffers"] == {}
    assert state["state_dict"]["0.weight"] is not outer[0].weight


class Payload:
    """Stands for any object an inputs file should not be able to make this process build."""


class FakeConnection:
    """The worker's end of the pipe: the commands to answer, and what it sent back."""

    def __init__(self, *commands):
        self.commands = list(commands)
        self.sent = []

    def send(self, document):
        self.sent.append(document)

    def recv(self):
        if not self.commands:
            raise EOFError
        return self.commands.pop(0)


@pytest.fixture
def served(side, monkeypatch, tmp_path):
    """``serve`` in this process: its output redirection, environment and directory undone after."""
    redirected = []
    monkeypatch.setattr(worker_module, "_redirect_output", redirected.append)
    for name in ("CUBLAS_WORKSPACE_CONFIG", "OMP_NUM_THREADS", "CUDA_VISIBLE_DEVICES"):
        monkeypatch.setenv(name, "unset-by-test")
    monkeypatch.chdir(tmp_path)

    def run(worker: Worker, *commands, gpu=False):
        job = {**{k: getattr(worker, k) for k in ("side", "spec", "parent_cwd", "legacy", "shim")}}
        job.update(root=str(worker.root), workdir=str(worker.workdir), gpu=gpu)
        connection = FakeConnection(*commands)
        serve(job, connection, str(tmp_path / "stderr.txt"))
        return connection.sent

    run.redirected = redirected
    return run


def test_serve_answers_each_command_until_quit(side, served):
    sent = served(
        side(),
        {"cmd": "run", "mode": "eval"},
        {"cmd": "nonsense"},
        {"cmd": "quit"},
        {"cmd": "run", "mode": "train"},
    )
    assert served.redirected and served.redirected[0].endswith("stderr.txt")
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "" and os.environ["OMP_NUM_THREADS"] == "1"
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
    assert Path.cwd() == side.root
    assert [reply["ok"] for reply in sent] == [True, True, False]  # nothing answered after quit
    assert sent[0]["state"].endswith("new_state.pt")
    assert sent[1]["outputs"].endswith("new_outputs_eval.pt")
    assert sent[2]["error"]["kind"] == "internal" and "nonsense" in sent[2]["error"]["message"]


def test_serve_dispatches_every_command(side, served, tmp_path):
    new = side()
    state = new.start({})
    commands = [
        {"cmd": "adopt", "path": state["inputs"]},
        {"cmd": "load", "path": state["state"]},
        {"cmd": "run", "mode": "train"},
        {"cmd": "leaks", "mode": "eval"},  # last: it leaves the model on the meta device
    ]
    sent = served(side("old"), *commands)  # then the pipe closes: EOF ends the loop
    assert all(reply["ok"] for reply in sent), sent
    assert sent[1] == {"ok": True}
    assert sent[2]["loaded"] is True and sent[3]["outputs"].endswith("old_outputs_train.pt")
    assert sent[4]["checked"] is True and [leak["op"] for leak in sent[4]["leaks"]] == ["mul"]


def test_serve_leaves_a_gpu_side_its_devices(side, served):
    served(side(), {"cmd": "quit"}, gpu=True)
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "unset-by-test"


def test_serve_reports_a_failed_build_and_stops(side, served):
    sent = served(side(model="Raises", args=()), {"cmd": "run", "mode": "eval"})
    assert len(sent) == 1 and sent[0]["ok"] is False
    assert sent[0]["error"]["kind"] == "user" and sent[0]["error"]["step"] == "build"


def test_output_redirection_sends_both_streams_to_the_file(tmp_path):
    saved = os.dup(1), os.dup(2)
    target = tmp_path / "stderr.txt"
    target.write_text("before\n")
    try:
        worker_module._redirect_output(str(target))
        os.write(1, b"out\n")
        os.write(2, b"err\n")
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
    assert target.read_text() == "before\nout\nerr\n"  # appended, not truncated


def test_outputs_keep_their_plain_values_beside_tensors(side):
    worker = side(model="WithExtras", args=())
    worker.start({})
    outputs = torch.load(worker.run({"mode": "eval"})["outputs"], weights_only=True)
    assert outputs["output['steps']"] == 3 and outputs["output['name']"] == "extras"
    assert outputs["output['logits']"].shape == (2, 2)


def test_start_makes_the_side_deterministic_and_quiet_about_volatile(side):
    import random

    worker = side()
    torch.set_num_threads(2)
    with warnings.catch_warnings(record=True) as caught:
        worker.start({})
        warnings.warn("Variable(volatile=True) has no effect", UserWarning)
        warnings.warn("an old API", DeprecationWarning)
        warnings.warn("something else", UserWarning)
    assert torch.get_num_threads() == 1
    assert torch.are_deterministic_algorithms_enabled() and torch.is_deterministic_algorithms_warn_only_enabled()
    assert not torch.backends.cudnn.allow_tf32 and not torch.backends.cuda.matmul.allow_tf32
    assert [str(w.message) for w in caught] == ["something else"]
    # the seed is the spec's, for Python's and numpy's generators too
    numpy = pytest.importorskip("numpy")
    worker_module.seed_everything(7)
    drawn = random.random(), numpy.random.rand()
    worker_module.seed_everything(7)
    assert (random.random(), numpy.random.rand()) == drawn
    random.seed(7)
    numpy.random.seed(7)
    assert (random.random(), numpy.random.rand()) == drawn


def test_adopt_refuses_inputs_that_would_run_code(side, tmp_path):
    worker = side("old")
    worker.start({})
    path = tmp_path / "pickled.pt"
    torch.save([Payload()], path)  # a pickled class: loading it could run any code
    with pytest.raises(Exception, match="Weights only load failed"):
        worker.adopt({"path": str(path)})


def test_serve_answers_the_cuda_command(side, served):
    # on a CPU build the GPU check cannot run: its failure is the answer, not a crash
    sent = served(side(), {"cmd": "cuda"})
    assert sent[1]["ok"] is True and sent[1]["ran"] is (torch.cuda.is_available())


def test_a_failure_before_the_build_is_reported_as_setup_step(side, served, monkeypatch):
    def broken():
        raise RuntimeError("no determinism here")

    monkeypatch.setattr(worker_module, "set_up_determinism", broken)
    [reply] = served(side(), {"cmd": "run", "mode": "eval"})
    assert reply["ok"] is False
    assert reply["error"]["step"] == "setup" and reply["error"]["kind"] == "internal"
    assert reply["error"]["message"] == "RuntimeError: no determinism here"


def test_an_internal_error_is_named_by_itself_not_by_its_cause(side):
    worker = side()
    try:
        try:
            raise ValueError("underneath")
        except ValueError as inner:
            raise KeyError("on top") from inner
    except KeyError as error:
        reply = worker_module._error_reply(error, worker)["error"]
    assert reply["kind"] == "internal" and reply["message"] == "KeyError: 'on top'"
    assert reply["traceback_tail"].rstrip().endswith("KeyError: 'on top'")


def test_a_setup_error_points_at_no_line_of_the_model(side):
    (side.root / "needs_package.py").write_text("import a_package_nobody_has\n")
    needs = side()
    needs.spec["model"] = "needs_package:Net"
    with pytest.raises(UserCodeError) as raised:
        needs.start({})
    error = worker_module._error_reply(raised.value, needs)["error"]
    assert error["kind"] == "setup" and error["source_line"] == ""


def test_the_stderr_file_is_created_readable(tmp_path):
    saved = os.dup(1), os.dup(2)
    target = tmp_path / "new_stderr.txt"
    umask = os.umask(0o022)
    try:
        worker_module._redirect_output(str(target))
    finally:
        os.umask(umask)
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.fixture
def patched_torch(monkeypatch):
    """What the OLD side's start installs (the import hook, 0.3's defaults, the CUDA shim),
    undone after the test; the shim's mode is left."""
    import torch.nn.functional as F

    from torchup.verify import cuda_shim

    variable_module = sys.modules["torch.autograd.variable"]
    for owner, name in [
        (F, "upsample"),
        (F, "grid_sample"),
        (F, "affine_grid"),
        (variable_module, "Variable"),
        (torch.autograd, "Variable"),
        (torch.Tensor, "cuda"),
        (torch.nn.Module, "cuda"),
    ]:
        monkeypatch.setattr(owner, name, getattr(owner, name))
    for name in (*cuda_shim._LEGACY_TYPES, "set_device", "synchronize", "empty_cache"):
        if hasattr(torch.cuda, name):
            monkeypatch.setattr(torch.cuda, name, getattr(torch.cuda, name))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", sys.dont_write_bytecode)
    modes = []
    install = cuda_shim.install
    monkeypatch.setattr(cuda_shim, "install", lambda: modes.append(install()) or modes[-1])
    yield modes
    for mode in reversed(modes):
        mode.__exit__(None, None, None)
    sys.modules.pop("scaler", None)


def legacy_scaler(side_name: str, tmp_path, *, legacy=True, shim=True) -> Worker:
    """The 2017 Scaler fixture (``.cuda(async=True)``, ``torch.cuda.FloatTensor``) as a side."""
    from verify_runs import SCALER

    workdir = tmp_path / f"work_{side_name}"
    workdir.mkdir()
    spec = {
        "model": "scaler:Scaler",
        "args": [4],
        "kwargs": {},
        "inputs": [{"shape": [3, 4], "dtype": "float32", "high": None, "low": 0}],
        "inputs_fn": None,
        "seed": 0,
        "mode": "eval",
    }
    job = {"side": side_name, "root": str(SCALER / "old"), "spec": spec, "workdir": str(workdir),
           "parent_cwd": str(tmp_path), "legacy": legacy, "shim": shim}
    return Worker(job)


def test_the_old_side_builds_legacy_cuda_code_on_the_cpu(side, patched_torch, tmp_path):
    worker = legacy_scaler("new", tmp_path)
    worker.start({})
    assert patched_torch, "the CUDA shim was installed"
    assert type(sys.meta_path[0]).__name__ == "LegacySourceFinder"
    assert torch.autograd.Variable.__module__ == "torchup.verify.legacy_defaults"
    outputs = torch.load(worker.run({"mode": "eval"})["outputs"], weights_only=True)
    assert outputs["output"].shape == (3, 4) and outputs["output"].device.type == "cpu"


def test_without_the_shim_and_hook_legacy_code_does_not_even_import(side, patched_torch, tmp_path):
    worker = legacy_scaler("old", tmp_path, legacy=False, shim=False)
    with pytest.raises(UserCodeError, match="SyntaxError"):
        worker.start({})  # `async=True` is a keyword since Python 3.7
    assert not patched_torch


def test_the_gpu_check_compares_the_new_sides_gpu_outputs_with_its_cpu_outputs(side, patched_torch, tmp_path):
    # Under the shim "cuda" means the CPU: the check's own bookkeeping runs on any machine.
    new_gpu = legacy_scaler("new_gpu", tmp_path)
    started = new_gpu.start({})
    reply = new_gpu.cuda({})
    assert new_gpu.step == "cuda"
    assert reply["ran"] is True and reply["devices"] == ["cpu"]
    assert reply["reference"] == new_gpu.path("cuda_reference") and reply["outputs"] == new_gpu.path("cuda_outputs")
    reference = torch.load(reply["reference"], weights_only=True)
    outputs = torch.load(reply["outputs"], weights_only=True)
    assert set(reference) == set(outputs) == {"output"}
    torch.testing.assert_close(outputs["output"], reference["output"])
    with torch.no_grad():
        torch.testing.assert_close(reference["output"], new_gpu.model(*new_gpu.fresh_inputs()))
    assert not reference["output"].requires_grad  # no graph kept for a check without backward
    # the OLD side only has to run on the GPU: nothing to compare, nothing saved
    old = legacy_scaler("old", tmp_path)
    old.start({})
    old.adopt({"path": started["inputs"]})
    assert old.cuda({}) == {"ran": True, "devices": ["cpu"]}
    assert not (tmp_path / "work_old" / "old_cuda_outputs.pt").exists()


def test_a_gpu_failure_is_the_checks_answer_with_the_models_line(side, tmp_path):
    if torch.cuda.is_available():
        pytest.skip("needs a machine without a GPU")
    worker = side()
    worker.start({})
    reply = worker.cuda({})
    assert reply["ran"] is False
    assert reply["message"].startswith(("AssertionError: Torch not compiled with CUDA", "RuntimeError: "))
    assert "\n" not in reply["message"]
    assert "source_line" in reply


def test_a_forward_that_raises_names_its_step_and_mode(side):
    worker = side(model="ForwardFails", args=())
    worker.start({})
    for mode in ("eval", "train"):
        with pytest.raises(UserCodeError, match="IndexError: forward broke"):
            worker.run({"mode": mode})
        assert worker.step == f"forward ({mode} mode)"


def test_a_parameter_no_gradient_reaches_is_reported_as_none(side):
    worker = side(model="UnusedLayer", args=())
    worker.start({})
    grads = torch.load(worker.run({"mode": "eval"})["gradients"], weights_only=True)["grads"]
    assert grads["spare.weight"] is None and grads["spare.bias"] is None
    assert grads["fc.weight"] is not None


def test_load_refuses_a_state_that_would_run_code(side, tmp_path):
    worker = side()
    worker.start({})
    path = tmp_path / "pickled_state.pt"
    torch.save({"state_dict": {"fc.weight": torch.ones(2, 3)}, "extra": Payload()}, path)
    with pytest.raises(Exception, match="Weights only load failed"):
        worker.load({"path": str(path)})


def test_start_drops_the_working_directory_entries_and_keeps_the_rest(side):
    worker = side()
    kept = [entry for entry in sys.path if entry not in ("", ".", worker.parent_cwd)]
    sys.path[:0] = ["", ".", worker.parent_cwd]
    worker.start({})
    assert sys.path == [str(worker.root), *kept]


def test_a_module_whose_name_only_starts_with_the_missing_one_is_the_models_own_import(side):
    # `net_v2` importing a missing `net` is the model's import failing, not `net_v2` missing
    worker = side()
    worker.start({})
    missing, module = f"{side.module}_gone", f"{side.module}_gone_v2"
    (side.root / f"{module}.py").write_text(f"import {missing}\n")
    with pytest.raises(ModuleNotFoundError) as raised:
        resolve(f"{module}:Net")
    assert not isinstance(raised.value, ModelNotFound) and raised.value.name == missing


def test_seeding_repeats_pythons_numpys_and_torchs_draws():
    import random

    import numpy

    def draw():
        return random.random(), float(numpy.random.rand()), torch.rand(1).item()

    worker_module.seed_everything(5)
    first = draw()
    assert draw() != first
    worker_module.seed_everything(5)
    assert draw() == first


def test_an_inputs_function_draws_after_the_seed_not_after_the_build(side):
    (side.root / f"{side.module}_draws.py").write_text("import torch\n\n\ndef draw():\n    return torch.rand(3)\n")
    worker = side(inputs=[])
    worker.spec["inputs_fn"] = f"{side.module}_draws:draw"
    worker.start({})
    torch.manual_seed(0)
    torch.testing.assert_close(worker.fresh_inputs(), (torch.rand(3),))


def test_the_new_gpu_side_builds_its_own_inputs(side):
    new_gpu = side("new_gpu")
    reply = new_gpu.start({})
    assert reply["inputs"] == new_gpu.path("inputs") == str(Path(new_gpu.workdir) / "new_gpu_inputs.pt")
    new = side("new")
    new.start({})
    torch.testing.assert_close(new_gpu.fresh_inputs(), new.fresh_inputs())


def test_a_load_error_without_a_message_is_named_by_its_type(side, monkeypatch):
    worker = side()
    worker.start({})

    def refuses(self, state_dict, strict=True):
        raise RuntimeError()

    monkeypatch.setattr(type(worker.model), "load_state_dict", refuses)
    reply = worker.load({"path": worker.path("state")})
    assert reply == {"loaded": False, "missing": [], "unexpected": [], "message": "RuntimeError", "full_message": ""}


def test_seeding_without_numpy_seeds_the_rest(monkeypatch):
    import random

    monkeypatch.setitem(sys.modules, "numpy", None)  # `import numpy` raises ImportError
    worker_module.seed_everything(7)
    drawn = random.random(), torch.rand(1).item()
    worker_module.seed_everything(7)
    assert (random.random(), torch.rand(1).item()) == drawn
