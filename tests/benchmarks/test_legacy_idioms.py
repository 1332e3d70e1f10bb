"""The idiom counter of ``make realworld`` (benchmarks/legacy_idioms.py): each kind on its own
snippet, look-alikes that must not count, and the reported/silent split of benchmarks/realworld.py."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import legacy_idioms  # noqa: E402
import realworld  # noqa: E402


def kinds(source: str):
    return [(o.kind, o.line) for o in legacy_idioms.count(textwrap.dedent(source))]


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("x = Variable(torch.ones(2))\n", [("variable", 1)], id="variable"),
        pytest.param("x = autograd.Variable(t, requires_grad=True)\n", [("variable", 1)], id="variable-dotted"),
        pytest.param("x = Variable(t, volatile=True)\n", [("variable", 1), ("volatile", 1)], id="volatile-keyword"),
        pytest.param("if x.volatile:\n    pass\n", [("volatile", 1)], id="volatile-read"),
        pytest.param("loss = l.data[0]\n", [("data_index", 1)], id="data-index"),
        pytest.param("w.data.normal_(0, 1)\n", [("data_inplace", 1)], id="data-inplace-call"),
        pytest.param("w.data = other\n", [], id="data-assign-is-supported-api"),
        pytest.param("w.data[i] = 1\nw.data += 1\n", [("data_inplace", 1), ("data_inplace", 2)], id="data-item-and-augmented"),
        pytest.param("m = torch.zeros(3).cuda()\n", [("cuda_constant", 1)], id="cuda-constant"),
        pytest.param("m = Variable(torch.ones(3)).cuda()\n", [("cuda_constant", 1), ("variable", 1)], id="cuda-constant-wrapped"),
        pytest.param("x = x.cuda()\n", [("cuda_other", 1)], id="cuda-data"),
        pytest.param("x = x.cuda(async=True)\n", [("async_keyword", 1), ("cuda_other", 1)], id="async"),
        pytest.param("if args.cuda:\n    x = x.cuda()\nelse:\n    y = y.cuda()\n", [("cuda_switched", 2), ("cuda_other", 4)], id="cuda-under-switch"),
        pytest.param("x = x.cuda() if use_gpu else x\n", [("cuda_switched", 1)], id="cuda-conditional-expression"),
        pytest.param("if epoch > 3:\n    model.cuda()\n", [("cuda_other", 2)], id="cuda-under-other-condition"),
        pytest.param("t = torch.cuda.FloatTensor(2)\n", [("cuda_tensor_type", 1)], id="cuda-type-call"),
        pytest.param("x = y.type(torch.cuda.LongTensor)\n", [("cuda_tensor_type", 1)], id="cuda-type-attr"),
        pytest.param("t = torch.FloatTensor(2, 3)\n", [("legacy_constructor", 1)], id="legacy-constructor"),
        pytest.param("t = torch.Tensor([1.0])\n", [("legacy_constructor", 1)], id="tensor-constructor"),
        pytest.param("y = F.upsample(x, scale_factor=2)\n", [("removed_api", 1)], id="upsample"),
        pytest.param("nn.init.xavier_uniform(w)\n", [("removed_api", 1)], id="init-without-underscore"),
        pytest.param("clip_grad_norm = 1\ntorch.nn.utils.clip_grad_norm(p, 1)\n", [("removed_api", 2)], id="clip-grad-norm"),
        pytest.param("p = F.softmax(x)\n", [("implicit_softmax_dim", 1)], id="softmax-no-dim"),
        pytest.param("s = nn.LogSoftmax()\n", [("implicit_softmax_dim", 1)], id="softmax-module-no-dim"),
        pytest.param("c = nn.MSELoss(size_average=False)\n", [("loss_reduction", 1)], id="size-average"),
        pytest.param(
            """\
            def xent(input, target, size_average=True):
                return F.nll_loss(input, target, size_average=False)
            loss = xent(x, y, size_average=size_average)
            other = lib.xent(x, y, reduce=False)
            """,
            [("loss_reduction", 2), ("loss_reduction", 4)],
            id="size-average-forwarded-to-the-file-own-function-is-not-torch-s",
        ),
        pytest.param(
            """\
            class F(torch.autograd.Function):
                def forward(self, x):
                    return x
            """,
            [("legacy_function", 2)],
            id="legacy-function",
        ),
        pytest.param(
            """\
            class Net(nn.Module):
                def __init__(self):
                    self.mask = Variable(torch.tril(torch.ones(3, 3)))
                    self.w = nn.Parameter(torch.zeros(3))
                    self.fc = nn.Linear(3, 3)
            """,
            [("module_tensor_attr", 3), ("variable", 3)],
            id="module-tensor-attribute",
        ),
        pytest.param(
            """\
            class Base(nn.Module):
                pass
            class Child(Base):
                def __init__(self):
                    self.eye = torch.eye(3)
            """,
            [("module_tensor_attr", 5)],
            id="module-tensor-attribute-indirect-subclass",
        ),
    ],
)
def test_counts_each_legacy_idiom(source, expected):
    assert sorted(kinds(source)) == sorted(expected)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("x = t.detach()\ny = torch.tensor([1.0])\nz = torch.empty(2, 3)\n", id="modern-factories"),
        pytest.param("with torch.no_grad():\n    y = m(x)\n", id="no-grad"),
        pytest.param("v = loss.item()\nw = x.data\nz = x.data[1]\n", id="item-and-other-data"),
        pytest.param("nn.init.xavier_uniform_(w)\nF.interpolate(x)\nF.softmax(x, dim=1)\n", id="modern-apis"),
        pytest.param("c = nn.MSELoss(reduction='sum')\n", id="reduction"),
        pytest.param("x = x.to(device, non_blocking=True)\n", id="non-blocking"),
        pytest.param("self.data = [None] * size\n", id="own-data-attribute"),
        pytest.param("class Plain:\n    def __init__(self):\n        self.t = torch.zeros(3)\n", id="not-a-module"),
        pytest.param(
            "class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x\n",
            id="new-style-function",
        ),
        pytest.param("upsample(x)\nsoftmax(x)\n", id="bare-names"),
    ],
)
def test_look_alikes_do_not_count(source):
    assert kinds(source) == []


def test_a_leftover_is_reported_only_by_a_finding_on_its_statement():
    source = "y = foo(\n    Variable(x),\n)\nz = 1\n"
    (occurrence,) = legacy_idioms.count(source)
    assert (occurrence.first_line, occurrence.last_line) == (1, 3)
    assert realworld._is_reported(occurrence, {1})
    assert realworld._is_reported(occurrence, {3})
    assert not realworld._is_reported(occurrence, {4})
    assert not realworld._is_reported(occurrence, set())


def test_a_compound_statement_spans_its_header_only():
    source = "with ctx(Variable(x)):\n    y = 1\n    z = 2\n"
    (occurrence,) = legacy_idioms.count(source)
    assert (occurrence.first_line, occurrence.last_line) == (1, 1)


def test_table_rows_add_up_per_kind():
    legacy = tuple(legacy_idioms.count("a = Variable(x)\nb = Variable(y, volatile=True)\n"))
    after = tuple(legacy_idioms.count("b = Variable(y, volatile=True)\n"))
    reference = tuple(legacy_idioms.count("b = y\n"))
    counts = [
        realworld.FileCounts(
            real=realworld.RealFile("o/r", "o__r/legacy/a.py", "o__r/reference/a.py"),
            legacy=legacy,
            reference=reference,
            migrated=after,
            reported=(True, False),
        )
    ]
    rows = {row.kind: row for row in realworld.table_rows(counts)}
    assert (rows["variable"].legacy, rows["variable"].torchup_leaves, rows["variable"].maintainers_leave) == (2, 1, 0)
    assert (rows["volatile"].legacy, rows["volatile"].torchup_leaves) == (1, 1)
    assert sum(row.reported for row in rows.values()) == 1
    assert sum(row.silent for row in rows.values()) == 1
    table = realworld.render_table(counts)
    assert "| `Variable(...)` wrappers | 2 | 1 |" in table
