import pytest
from codemod_harness import codes, rewrite, run, unchanged

from torchup.codemods.default_tensor_type import DefaultTensorType


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "import torch\n\ntorch.set_default_tensor_type('torch.DoubleTensor')\n",
            "import torch\n\ntorch.set_default_dtype(torch.float64)\n",
            id="cpu-string",
        ),
        pytest.param(
            "import torch\n\nif half:\n    torch.set_default_tensor_type(torch.HalfTensor)  # fp16\n",
            "import torch\n\nif half:\n    torch.set_default_dtype(torch.float16)  # fp16\n",
            id="cpu-class-comment-kept",
        ),
        pytest.param(
            "import torch as th\n\nth.set_default_tensor_type(th.FloatTensor)\n",
            "import torch as th\n\nth.set_default_dtype(th.float32)\n",
            id="alias",
        ),
        pytest.param(
            "import torch\n\ntorch.set_default_tensor_type(torch.BFloat16Tensor)\n",
            "import torch\n\ntorch.set_default_dtype(torch.bfloat16)\n",
            id="bfloat16",
        ),
    ],
)
def test_cpu_types_are_safe(before, after):
    result = rewrite(DefaultTensorType, before, after)
    assert [e.safety.value for e in result.edits] == ["safe"]


def test_a_cuda_type_also_sets_the_default_device_as_an_unsafe_fix():
    before = "import torch\n\n\ndef main():\n    torch.set_default_tensor_type('torch.cuda.FloatTensor')\n    run()\n"
    after = (
        "import torch\n\n\ndef main():\n    torch.set_default_dtype(torch.float32)\n"
        '    torch.set_default_device("cuda")\n    run()\n'
    )
    result = run(DefaultTensorType, before)
    assert result.code == before
    assert [(f.code, f.line, f.fix_available) for f in result.findings] == [("TU305", 5, True)]
    rewrite(DefaultTensorType, before, after, unsafe=True)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\n\ntorch.set_default_tensor_type(kind)\n", id="variable"),
        pytest.param(
            "import torch\n\ntorch.set_default_tensor_type(torch.cuda.FloatTensor if gpu else torch.FloatTensor)\n",
            id="conditional",
        ),
        pytest.param("import torch\n\nf(torch.set_default_tensor_type('torch.FloatTensor'))\n", id="as-a-value"),
        pytest.param("import torch\n\ntorch.set_default_tensor_type('torch.LongTensor')\n", id="not-floating"),
        # Replacing the line would take the other statement with it.
        pytest.param("import torch\n\ntorch.set_default_tensor_type('torch.DoubleTensor'); x = 1\n", id="shares-its-line"),
        # `torch.set_default_dtype` cannot be spelled without `import torch` (it was `None.set_...`)
        pytest.param("from torch import set_default_tensor_type, DoubleTensor\n\nset_default_tensor_type(DoubleTensor)\n", id="no-torch-to-spell"),
        pytest.param("from torch import set_default_tensor_type\n\nset_default_tensor_type('torch.DoubleTensor')\n", id="no-torch-string"),
    ],
)
def test_what_cannot_be_rewritten_is_reported(source):
    assert codes(unchanged(DefaultTensorType, source).findings) == ("TU305",)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\n\ntorch.set_default_dtype(torch.float64)\n", id="modern"),
        pytest.param("import mylib\n\nmylib.set_default_tensor_type('torch.FloatTensor')\n", id="other-library"),
    ],
)
def test_look_alikes_are_unchanged(source):
    assert not unchanged(DefaultTensorType, source).findings
