import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.require_grad_typo import RequireGradTypo


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "for p in model.parameters():\n    p.require_grad = False\n",
            "for p in model.parameters():\n    p.requires_grad = False\n",
            id="attribute",
        ),
        pytest.param("self.w.require_grad = True\n", "self.w.requires_grad = True\n", id="self-attribute"),
        pytest.param(
            "import torch\nx = torch.zeros(3, require_grad=True)\n",
            "import torch\nx = torch.zeros(3, requires_grad=True)\n",
            id="factory-keyword",
        ),
        pytest.param(
            "from torch.autograd import Variable\nv = Variable(t, require_grad=True)\n",
            "from torch.autograd import Variable\nv = Variable(t, requires_grad=True)\n",
            id="variable-keyword",
        ),
        pytest.param(
            "import torch\nx = torch.zeros(3, dtype=torch.float, require_grad=True)\n",
            "import torch\nx = torch.zeros(3, dtype=torch.float, requires_grad=True)\n",
            id="other-keywords-kept",
        ),
    ],
)
def test_unsafe_rewrites(before, after):
    result = rewrite(RequireGradTypo, before, after, unsafe=True)
    assert [edit.code for edit in result.edits] == ["TU424"]
    assert run(RequireGradTypo, before).code == before


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("p.requires_grad = False\n", id="correct"),
        pytest.param("options = dict(require_grad=True)\n", id="not-torch"),
        pytest.param("import numpy as np\nx = np.zeros(3, require_grad=True)\n", id="another-library"),
        pytest.param("require_grad = True\n", id="plain-name"),
        pytest.param(
            "import torch\nt = torch.Tensor._make_subclass(cls, elem, require_grad=True)\n",
            id="make-subclass-spells-it-so",  # torch's own keyword (make modern: torch's tests)
        ),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(RequireGradTypo, source)
    assert not result.findings


def test_rewrite_freezes_the_parameters_on_this_torch():
    torch = pytest.importorskip("torch")
    source = "for p in model.parameters():\n    p.require_grad = False\n"
    result = run(RequireGradTypo, source, unsafe=True)
    for code, frozen in ((source, False), (result.code, True)):
        model = torch.nn.Linear(2, 2)
        exec(code, {"model": model})
        assert all(p.requires_grad is not frozen for p in model.parameters())
