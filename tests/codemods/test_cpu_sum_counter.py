import pytest
from codemod_harness import run, unchanged

from torchup.codemods.cpu_sum_counter import CpuSumCounter


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("correct += pred.eq(target.data).cpu().sum()", id="classic"),
        pytest.param("correct += pred.eq(target).cpu().long().sum()", id="through-long"),
        pytest.param("correct += (pred == target).cpu().data.sum()", id="through-data"),
    ],
)
def test_reported(statement):
    source = f"correct = 0\nfor pred, target in batches:\n    {statement}\n"
    [finding] = unchanged(CpuSumCounter, source).findings
    assert (finding.code, finding.line, finding.fix_available) == ("TU408", 3, False)
    assert "`correct`" in finding.message and ".item()" in finding.message


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("correct += pred.eq(target).cpu().sum().item()", id="item"),
        pytest.param("correct += pred.eq(target).sum()", id="no-cpu"),
        pytest.param("total = pred.cpu().sum()", id="plain-assign"),
        pytest.param("correct += pred.cpu().sum(0)", id="sum-over-a-dim"),
        pytest.param("correct -= pred.cpu().sum()", id="not-a-counter"),
        pytest.param("correct += hits().sum()", id="sum-of-a-function-result"),
    ],
)
def test_not_reported(statement):
    assert not unchanged(CpuSumCounter, f"{statement}\n").findings


def test_a_sum_over_a_dim_beside_a_counter_is_not_reported():
    # `.sum(0)` was a tensor in 0.3 too: nothing changed for it, in a file the prefilter lets through.
    source = "for pred in batches:\n    correct += pred.cpu().sum()\n    per_class += pred.cpu().sum(0)\n"
    [finding] = unchanged(CpuSumCounter, source).findings
    assert finding.line == 2 and "`correct`" in finding.message


def test_sum_is_a_tensor_on_current_torch():
    torch = pytest.importorskip("torch")
    correct = 0
    correct += torch.tensor([1, 0, 1]).eq(torch.tensor([1, 1, 1])).cpu().sum()
    assert isinstance(correct, torch.Tensor) and correct.dim() == 0


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'y = model(x.cpu())\nprobs = out.cpu().numpy()\n',
        'correct += pred.eq(target).sum().item()\nt = x.cpu()\n',
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not CpuSumCounter.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'correct += pred.eq(target.data).cpu().sum()\n',
        'correct += (pred == t).cpu() .data.long().sum()\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert CpuSumCounter.may_apply(source)
    assert run(CpuSumCounter, source, unsafe=True).records  # and the codemod acts on it


def test_a_detach_between_cpu_and_sum_is_passed_through():
    source = "correct = 0\nfor pred in batches:\n    correct += pred.cpu().detach().sum()\n"
    [finding] = unchanged(CpuSumCounter, source).findings
    assert (finding.code, finding.line, finding.column, finding.fix_available) == ("TU408", 3, 4, False)
    assert finding.message == (
        "`correct` accumulates `.cpu().sum()`, a 0-dim tensor since PyTorch 0.4 (a Python number before): "
        "`correct` becomes a tensor; add `.item()` if it is read as a number"
    )


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("correct += pred.cpu().numpy().sum()", id="numpy-between"),
        pytest.param("correct += pred.cpu().tolist().sum()", id="list-between"),
    ],
)
def test_a_method_that_leaves_torch_between_cpu_and_sum_is_not_reported(statement):
    # `.numpy().sum()` is a numpy number, as it was in 0.3: nothing changed for it.
    assert not unchanged(CpuSumCounter, f"{statement}\n").findings
