"""Executable equivalence: legacy modules and their TU201/TU202/TU301/TU302 migrations compute the same.

Each case is executed twice, in separate namespaces: the legacy source with ``.cuda()`` and the
``torch.cuda`` tensor types shimmed to the CPU (so it runs here), and the migrated source as is.
With identical seeds, the old model's state_dict entries, plain tensor attributes and outputs
must equal the new model's bit for bit; then the new model, moved to the ``meta`` device, must
run forward without any op mixing devices (the legacy model is checked to fail that, so the
check can fail).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Callable, Dict, Sequence, Tuple, Type

import pytest

torch = pytest.importorskip("torch")
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402
from torch.utils._pytree import tree_flatten, tree_map  # noqa: E402

from torchup.codemod import Codemod, Settings  # noqa: E402
from torchup.codemods.buffers import Buffers  # noqa: E402
from torchup.codemods.cuda_constants import CudaConstants  # noqa: E402
from torchup.codemods.cuda_types import CudaTypes  # noqa: E402
from torchup.codemods.parameters import Parameters  # noqa: E402
from torchup.codemods.legacy_constructors import LegacyConstructors  # noqa: E402
from torchup.codemods.variable import UnwrapVariable  # noqa: E402
from torchup.pipeline import Migration, migrate_source  # noqa: E402

MODULE_STATE = (Buffers, Parameters, CudaConstants, CudaTypes)
# The run order of a real run: TU101 before, TU401 after (it rewrites `torch.FloatTensor(2, 3)`).
WITH_NEIGHBOURS = (UnwrapVariable, *MODULE_STATE, LegacyConstructors)

HEADER = """\
import math
import torch
import torch.nn as nn
from torch.autograd import Variable
"""


class DeviceMixing(TorchDispatchMode):
    """Fails on any op whose tensor arguments sit on different devices (0-dim CPU scalars allowed)."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        devices = {
            t.device
            for t in tree_flatten((args, kwargs))[0]
            if isinstance(t, torch.Tensor) and not (t.device.type == "cpu" and t.dim() == 0)
        }
        if len(devices) > 1:
            raise AssertionError(f"{func} mixes devices {sorted(map(str, devices))}")
        return func(*args, **kwargs)


@dataclass(frozen=True)
class Case:
    source: str
    build: Callable[[Dict[str, Any]], Any]  # namespace -> model
    inputs: Callable[[], Tuple[Any, ...]]
    expect: Tuple[str, ...]  # text the migration must contain (the rewrite kinds under test)


CASES = {
    "buffers-constant-tables": Case(
        """
        class PositionalEncoding(nn.Module):
            def __init__(self, d_model, max_len=8):
                super(PositionalEncoding, self).__init__()
                pe = torch.zeros(max_len, d_model)
                position = torch.arange(0, max_len).unsqueeze(1).float()
                div_term = torch.exp(torch.arange(0, d_model, 2).float() * -(math.log(10000.0) / d_model))
                pe[:, 0::2] = torch.sin(position * div_term)
                pe[:, 1::2] = torch.cos(position * div_term)
                self.pe = pe.unsqueeze(0)
                self.pe = self.pe.cuda()
                self.proj = nn.Linear(d_model, d_model)
                self.noise = torch.randn(1, max_len, d_model).cuda()
                self.init_h = Variable(torch.FloatTensor(1, d_model).zero_()).cuda()
                self.priors = Variable(torch.rand(max_len, d_model), volatile=True)

            def forward(self, x):
                y = x + Variable(self.pe[:, : x.size(1)]) + self.noise[:, : x.size(1)]
                return self.proj(y) + self.init_h + self.priors[: x.size(1)]
        """,
        lambda ns: ns["PositionalEncoding"](4),
        lambda: (torch.randn(2, 5, 4),),
        ('self.register_buffer("pe"', 'self.register_buffer("noise"', 'self.register_buffer("priors"'),
    ),
    "init-locals-feeding-state": Case(
        """
        class Table(nn.Module):
            def __init__(self, n, d):
                super(Table, self).__init__()
                pe = torch.zeros(n, d).cuda()
                position = torch.arange(0, n).unsqueeze(1).float()
                pe[:, 0::2] = torch.sin(position * 0.5)
                self.pe = pe.unsqueeze(0)
                w = torch.randn(d).cuda()
                self.w = nn.Parameter(w)
                if True:
                    self.mask = torch.ones(d).cuda()
                else:
                    self.mask = torch.ones(d)

            def forward(self, x):
                return (x + self.pe[:, : x.size(1)]) * self.w * self.mask
        """,
        lambda ns: ns["Table"](6, 4),
        lambda: (torch.randn(2, 5, 4),),
        ("pe = torch.zeros(n, d)\n", "w = torch.randn(d)\n", 'self.register_buffer("mask"'),
    ),
    "sampling-grid-from-numpy": Case(
        """
        import numpy as np


        class AffineGrid(nn.Module):
            def __init__(self, h, w):
                super(AffineGrid, self).__init__()
                self.grid = np.zeros([h, w, 3], dtype=np.float32)
                self.grid[:, :, 0] = np.linspace(-1, 1, w)[None, :]
                self.grid[:, :, 1] = np.linspace(-1, 1, h)[:, None]
                self.grid[:, :, 2] = 1
                self.grid = torch.from_numpy(self.grid.astype(np.float32))

            def forward(self, theta):
                batch = Variable(self.grid.view(1, -1, 3)).expand(theta.size(0), -1, 3)
                return torch.bmm(batch, torch.transpose(theta, 1, 2))
        """,
        lambda ns: ns["AffineGrid"](3, 4),
        lambda: (torch.randn(2, 2, 3),),
        ('self.register_buffer("grid", torch.from_numpy(grid.astype(np.float32)), persistent=False)',),
    ),
    "buffers-mutated-state": Case(
        """
        class RunningNorm(nn.Module):
            def __init__(self, n):
                super(RunningNorm, self).__init__()
                self.fc = nn.Linear(n, n)
                self.running = torch.zeros(n).cuda()

            def forward(self, x):
                self.running.mul_(0.9).add_(0.1 * x.detach().mean(0))
                return self.fc(x - self.running)
        """,
        lambda ns: ns["RunningNorm"](3),
        lambda: (torch.randn(4, 3),),
        ('self.register_buffer("running", torch.zeros(n), persistent=True)',),
    ),
    "parameters": Case(
        """
        class Scale(nn.Module):
            def __init__(self, n):
                super(Scale, self).__init__()
                self.gamma = Variable(torch.ones(n), requires_grad=True).cuda()
                self.beta = torch.randn(n, requires_grad=True)
                self.w = nn.Parameter(torch.randn(n).cuda())

            def forward(self, x):
                return x * self.gamma + self.beta * self.w
        """,
        lambda ns: ns["Scale"](3),
        lambda: (torch.randn(2, 3),),
        ("self.gamma = nn.Parameter(torch.ones(n))", "self.beta = nn.Parameter(torch.randn(n))"),
    ),
    "cuda-constants-in-forward": Case(
        """
        class Encoder(nn.Module):
            def __init__(self, n, use_cuda=True):
                super(Encoder, self).__init__()
                self.use_cuda = use_cuda
                self.n = n
                self.fc = nn.Linear(n, n)

            def init_hidden(self, batch):
                h = Variable(torch.zeros(batch, self.n))
                if self.use_cuda:
                    h = h.cuda()
                return h

            def forward(self, x):
                mask = torch.ones(x.size(0), 1).cuda() if self.use_cuda else torch.ones(x.size(0), 1)
                noise = Variable(torch.randn(x.size(0), self.n)).cuda()
                steps = torch.arange(0, x.size(1)).float().cuda()
                return self.fc(x * mask + noise + steps) + self.init_hidden(x.size(0))
        """,
        lambda ns: ns["Encoder"](3),
        lambda: (torch.randn(2, 3),),
        ("device=x.device", ".to(x.device)", "device=next(self.parameters()).device"),
    ),
    "cuda-types": Case(
        """
        class Masker(nn.Module):
            def __init__(self, n):
                super(Masker, self).__init__()
                self.fc = nn.Linear(n, n)

            def forward(self, x, lengths):
                x = x.view(x.size(0), -1)
                mask = torch.cuda.FloatTensor(x.size(0), x.size(1)).fill_(0.5)
                idx = lengths.type(torch.cuda.LongTensor)
                bias = torch.cuda.FloatTensor([1.0, 2.0, 3.0])
                return self.fc(x * mask + bias).index_select(1, idx)
        """,
        lambda ns: ns["Masker"](3),
        lambda: (torch.randn(2, 3), torch.tensor([2, 0], dtype=torch.int32)),
        ("torch.empty(", "lengths.to(x.device, torch.long)", "torch.tensor([1.0, 2.0, 3.0]"),
    ),
}


def migrate(source: str, codemods: Sequence[Type[Codemod]] = MODULE_STATE) -> Migration:
    result = migrate_source(source, codemods, Settings(unsafe_fixes=True), filename="legacy.py")
    assert isinstance(result, Migration), result
    return result


def execute(source: str) -> Dict[str, Any]:
    namespace: Dict[str, Any] = {"__name__": "equivalence_case"}
    exec(compile(source, "case.py", "exec"), namespace)
    return namespace


@pytest.fixture
def legacy_cuda_shim(monkeypatch):
    """Run legacy code on the CPU: `.cuda()` is the identity, torch.cuda types are the CPU ones."""
    monkeypatch.setattr(torch.Tensor, "cuda", lambda self, *args, **kwargs: self)
    for name in ("FloatTensor", "DoubleTensor", "LongTensor", "ByteTensor", "IntTensor"):
        monkeypatch.setattr(torch.cuda, name, getattr(torch, name))
    return monkeypatch


def build(case: Case, source: str) -> Any:
    torch.manual_seed(0)
    model = case.build(execute(source))
    return model.eval()


def forward(model: Any, inputs: Tuple[Any, ...]) -> Any:
    torch.manual_seed(1)
    with torch.no_grad():
        return model(*inputs)


@pytest.mark.parametrize("chain", ["alone", "with-tu101-tu401"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_old_and_new_modules_are_equivalent(name, chain, legacy_cuda_shim):
    case = CASES[name]
    source = HEADER + textwrap.dedent(case.source)
    new_source = migrate(source, MODULE_STATE if chain == "alone" else WITH_NEIGHBOURS).code
    if chain == "alone":
        for fragment in case.expect:
            assert fragment in new_source
    assert ".cuda()" not in new_source and "torch.cuda." not in new_source

    old = build(case, source)
    inputs = case.inputs()
    old_out = forward(old, inputs)
    old_state = {k: v.clone() for k, v in old.state_dict().items()}
    old_attributes = {k: v for k, v in vars(old).items() if isinstance(v, torch.Tensor)}
    legacy_cuda_shim.undo()  # the migrated side runs on plain torch

    new = build(case, new_source)
    new_out = forward(new, inputs)
    new_state = new.state_dict()
    for key, value in old_state.items():
        assert torch.equal(new_state[key], value), key
    for key, value in old_attributes.items():  # plain attributes became buffers or parameters
        assert torch.equal(getattr(new, key).detach(), value.detach()), key
    assert torch.equal(new_out, old_out)

    # Checkpoints: the old state_dict loads strictly unless a persistent buffer/parameter was added.
    added = set(new_state) - set(old_state)
    missing, unexpected = new.load_state_dict(old_state, strict=False)
    assert set(missing) == added and not unexpected

    meta_inputs = tree_map(lambda t: t.to("meta") if isinstance(t, torch.Tensor) else t, inputs)
    with DeviceMixing():
        out = forward(new.to("meta"), meta_inputs)
    assert out.device.type == "meta"


@pytest.mark.parametrize("name", ["buffers-constant-tables", "cuda-constants-in-forward"])
def test_the_device_check_catches_the_legacy_constants(name, legacy_cuda_shim):
    case = CASES[name]
    old = build(case, HEADER + textwrap.dedent(case.source))
    meta_inputs = tree_map(lambda t: t.to("meta"), case.inputs())
    with pytest.raises(Exception, match="mixes devices|device"):
        with DeviceMixing():
            forward(old.to("meta"), meta_inputs)


def test_parameters_reach_the_optimizer():
    case = CASES["parameters"]
    new = build(case, migrate(HEADER + textwrap.dedent(case.source)).code)
    assert {name for name, _ in new.named_parameters()} == {"gamma", "beta", "w"}
