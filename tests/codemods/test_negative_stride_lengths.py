import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemod import Safety
from torchup.codemods.negative_stride_lengths import NegativeStrideLengths

SORTED_BATCH = """
    import numpy as np
    from torch.nn.utils.rnn import pack_padded_sequence

    def encode(rnn, embedded, lens):
        lengths = np.sort(lens)[::-1]
        packed = pack_padded_sequence(embedded, lengths)
        return rnn(packed)
    """


def test_sorted_lengths_are_copied():
    result = rewrite(NegativeStrideLengths, SORTED_BATCH, SORTED_BATCH.replace("[::-1]", "[::-1].copy()"), unsafe=True)
    assert [(edit.line, edit.safety) for edit in result.edits] == [(5, Safety.UNSAFE)]


@pytest.mark.parametrize(
    "call",
    [
        pytest.param("torch.nn.utils.rnn.pack_padded_sequence(x, lengths=np.sort(l)[::-1])", id="keyword"),
        pytest.param("torch.from_numpy(np.argsort(l)[::-1])", id="from-numpy"),
        pytest.param("torch.tensor(numpy.sort(l)[::-1])", id="tensor"),
    ],
)
def test_inline_reversed_numpy_calls_are_copied(call):
    before = f"import numpy\nimport numpy as np\nimport torch\ny = {call}\n"
    rewrite(NegativeStrideLengths, before, before.replace("[::-1]", "[::-1].copy()"), unsafe=True)


def test_a_reversed_name_is_reported_not_copied():
    source = "import numpy as np\nimport torch\ndef f(lens):\n    return torch.from_numpy(lens[::-1])\n"
    [finding] = unchanged(NegativeStrideLengths, source).findings
    assert finding.line == 4 and "add `.copy()`" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        # transformers' and torchvision's modern shapes (make modern): files without numpy
        pytest.param("import torch\nt = torch.tensor(canvas_size[::-1], device=d)\n", id="name-without-numpy"),
        pytest.param("import torch\nh = torch.tensor(prime_factors(p)[::-1])\n", id="call-without-numpy"),
        pytest.param("import numpy as np\nimport torch\nt = torch.tensor(list(range(n))[::-1])\n", id="list-call"),
        pytest.param("import numpy as np\nimport torch\nt = torch.tensor([a, b][::-1])\n", id="list-literal"),
        pytest.param("import numpy as np\nimport torch\nt = torch.tensor(sorted(xs)[::-1])\n", id="sorted"),
    ],
)
def test_a_reversed_python_sequence_is_not_reported(source):
    result = unchanged(NegativeStrideLengths, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from utils import *\nimport torch\nt = torch.from_numpy(lens[::-1])\n", id="star-import"),
        pytest.param(
            "import numpy as np\nimport torch\ndef list(x):\n    return np.asarray(x)\nt = torch.tensor(list(l)[::-1])\n",
            id="list-rebound",
        ),
    ],
)
def test_a_reversed_value_that_may_be_numpy_is_reported(source):
    [finding] = unchanged(NegativeStrideLengths, source).findings
    assert "add `.copy()`" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import numpy as np\nimport torch\ny = torch.from_numpy(np.sort(l)[::-1].copy())\n", id="copied"),
        pytest.param("import numpy as np\nr = np.sort(l)[::-1]\nprint(r)\n", id="not-given-to-torch"),
        pytest.param("import numpy as np\nimport torch\ny = torch.from_numpy(np.sort(l)[::2])\n", id="step-2"),
        pytest.param("s = text[::-1]\n", id="string"),
        pytest.param("import numpy as np\nimport torch\ny = torch.from_numpy(np.sort(l)[0])\n", id="index-not-slice"),
        pytest.param(
            "import numpy as np\nimport torch\ndef f(l):\n    lengths = np.sort(l)[::-1]\n    return lengths\n"
            "def g(lengths):\n    return torch.from_numpy(lengths)\n",
            id="other-function",
        ),
    ],
)
def test_look_alikes_are_left_alone(source):
    result = unchanged(NegativeStrideLengths, source)
    assert not result.findings


def test_the_copy_makes_it_run():
    torch = pytest.importorskip("torch")
    code = run(NegativeStrideLengths, SORTED_BATCH, unsafe=True).code
    namespace = {}
    exec(compile(code, "encode.py", "exec"), namespace)
    import numpy as np

    rnn = torch.nn.GRU(2, 2)
    output, _ = namespace["encode"](rnn, torch.zeros(3, 3, 2), np.array([1, 3, 2]))
    assert output.batch_sizes.tolist() == [3, 2, 1]
