import warnings

import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.sparse_types import SparseTypes
from torchup.records import Safety


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "import torch\na = torch.sparse.FloatTensor(i, v, torch.Size([2, 3]))\n",
            "import torch\na = torch.sparse_coo_tensor(i, v, torch.Size([2, 3]))\n",
            id="cpu",
        ),
        pytest.param(
            "import torch\na = torch.sparse.LongTensor(torch.LongTensor(i), torch.ones(3))\n",
            "import torch\na = torch.sparse_coo_tensor(torch.LongTensor(i), torch.ones(3))\n",
            id="no-size-tensors",
        ),
        pytest.param(
            "import torch\na = torch.cuda.sparse.DoubleTensor(i, v, x.size())\n",
            'import torch\na = torch.sparse_coo_tensor(i, v, x.size(), device="cuda")\n',
            id="cuda",
        ),
        pytest.param(
            "import torch\na = torch.sparse.FloatTensor(i, v, dense.shape)\n",
            "import torch\na = torch.sparse_coo_tensor(i, v, dense.shape)\n",
            id="size-of-a-shape",
        ),
        pytest.param(
            "from torch import sparse\na = sparse.FloatTensor(i, v, (n, n))\n",
            "from torch import sparse\nimport torch\n\na = torch.sparse_coo_tensor(i, v, (n, n))\n",
            id="from-import",
        ),
    ],
)
def test_unsafe_rewrites(before, after):
    result = rewrite(SparseTypes, before, after, unsafe=True)
    assert [(edit.code, edit.safety) for edit in result.edits] == [("TU425", Safety.UNSAFE)]
    declined = run(SparseTypes, before)
    assert declined.code == before and [(f.code, f.fix_available) for f in declined.findings] == [("TU425", True)]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\na = torch.sparse_coo_tensor(i, v, (2, 3))\n", id="modern"),
        pytest.param("import torch\nb = torch.sparse.mm(a, x)\n", id="sparse-function"),
        pytest.param("import scipy.sparse\nm = scipy.sparse.FloatTensor(i, v, s)\n", id="other-library"),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(SparseTypes, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\na = torch.sparse.FloatTensor(2, 3)\n", id="size-only"),
        pytest.param("import torch\na = torch.sparse.FloatTensor()\n", id="empty"),
        pytest.param("import torch\na = torch.cuda.sparse.FloatTensor(*parts)\n", id="starred"),
        pytest.param("import torch\na = torch.sparse.FloatTensor(a, b)\n", id="ambiguous-two"),
        pytest.param("import torch\na = torch.sparse.FloatTensor(i, v, n)\n", id="ambiguous-three"),
        # `x.size(0)` is one int: three ints are the size form, an empty 3-D tensor (`x.size()` is a size).
        pytest.param("import torch\na = torch.sparse.FloatTensor(a, b, x.size(0))\n", id="three-ints-one-from-size"),
        pytest.param("import torch\na = torch.sparse.FloatTensor(torch.LongTensor(i), n)\n", id="two-one-a-tensor"),
    ],
)
def test_findings(source):
    result = unchanged(SparseTypes, source)
    [finding] = result.findings
    assert finding.code == "TU425" and "sparse_coo_tensor" in finding.message


@pytest.mark.parametrize("legacy_type", ["FloatTensor", "DoubleTensor", "LongTensor"])
@pytest.mark.parametrize("with_size", [True, False])
def test_old_and_new_agree(legacy_type, with_size):
    torch = pytest.importorskip("torch")
    size = ", torch.Size([3, 4])" if with_size else ""
    call = f"torch.sparse.{legacy_type}(torch.as_tensor(i), torch.as_tensor(v){size})"
    result = run(SparseTypes, f"import torch\na = {call}\n", unsafe=True)
    assert result.edits
    new_call = result.code.splitlines()[-1].removeprefix("a = ")
    dtype = getattr(torch, legacy_type)([0]).dtype
    names = {"torch": torch, "i": torch.tensor([[0, 1, 1], [2, 0, 2]]), "v": torch.tensor([3, 4, 5], dtype=dtype)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = eval(call, names)
    new = eval(new_call, names)
    assert (new.dtype, new.shape, new.is_coalesced()) == (old.dtype, old.shape, old.is_coalesced())
    assert torch.equal(new.to_dense(), old.to_dense())


@pytest.mark.parametrize(
    "source",
    ["emb = nn.Embedding(10, 3, sparse=True)\n", "y = torch.sparse.mm(a, b)\n", "from .sparse import Embedding\n"],
)
def test_prefilter_rejects_modern_sparse_code(source):
    assert not SparseTypes.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        "a = torch.sparse.FloatTensor(i, v, s)\n",
        "a = torch.cuda.sparse.LongTensor(i, v, s)\n",
        "from torch import sparse as S\na = S.FloatTensor(i, v, s)\n",
        "from torch.sparse import DoubleTensor\na = DoubleTensor(i, v, s)\n",
        "import torch.cuda.sparse as cs\na = cs.FloatTensor(i, v, s)\n",
    ],
)
def test_prefilter_accepts_legacy_sparse_constructors(source):
    assert SparseTypes.may_apply(source)


def test_a_list_size_is_a_size():
    before = "import torch\na = torch.sparse.FloatTensor(i, v, [2, 3])\n"
    result = rewrite(SparseTypes, before, "import torch\na = torch.sparse_coo_tensor(i, v, [2, 3])\n", unsafe=True)
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        (
            "TU425",
            2,
            4,
            "`torch.sparse.FloatTensor(...)` -> `torch.sparse_coo_tensor(...)`: the typed sparse constructors are "
            "deprecated (the new call follows default-device contexts, the legacy one did not)",
        )
    ]


def test_torch_naming_another_module_is_reported_not_imported_over():
    # `torch` is numpy's alias here: `torch.sparse_coo_tensor` cannot be written, nor `import torch` added.
    source = "import numpy as torch\nfrom torch import sparse\na = sparse.FloatTensor(i, v, (2, 3))\n"
    result = unchanged(SparseTypes, source)
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        ("TU425", 3, 4, "`sparse.FloatTensor(...)` is deprecated: use `torch.sparse_coo_tensor`", False)
    ]
