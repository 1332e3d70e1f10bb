"""The prefilter's second stage: modern look-alikes are screened out, every legacy shape stays in."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from torchup import pipeline, registry
from torchup.analysis.tree_screen import (
    assigns_tensor_to_self,
    calls_any_of,
    edits_through_data,
    moves_constants,
    names_cuda_type,
    names_variable,
    names_volatile,
)
from torchup.codemod import Codemod, Settings
from torchup.codemods.buffers import Buffers
from torchup.codemods.cuda_constants import CudaConstants
from torchup.codemods.cuda_types import CudaTypes
from torchup.codemods.parameters import Parameters

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

HEADER = "import torch\nimport torch.nn as nn\nfrom torch.autograd import Variable\n\n"


def screened(body: str) -> bool:
    return assigns_tensor_to_self(ast.parse(HEADER + textwrap.dedent(body)))


# Modern code that says `def __init__` and makes tensors, but never assigns one to `self.x`.
MODERN = [
    """
    class Linear(nn.Module):
        def __init__(self, n, padding_idx=None):
            super().__init__()
            self.n = n
            self.weight = nn.Parameter(torch.empty(n, n))
            if padding_idx is not None:
                padding_idx = n + padding_idx  # a parameter is never a tensor, reassigned or not
            self.padding_idx = padding_idx
            self.register_buffer("running", torch.zeros(n))
            self.act = torch.nn.functional.relu
            self.layers = _clones(n)
    """,
    """
    def _clones(n):
        return [nn.Linear(n, n) for _ in range(n)]

    class Stack(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.layers = _clones(n)
            size = n * 2
            self.size = size

        @staticmethod
        def make(n):
            return torch.zeros(n)
    """,
    """
    class Config:
        def __init__(self, n):
            self.n = n
            self.names = ["a", "b"]
            self.w = self.n + 1  # `n` is no tensor in __init__, so neither is `self.n`

    def f(x):
        x.w = torch.zeros(3)  # not in a method: no `self`
        return torch.ones(2)
    """,
    """
    class Picker(nn.Module):
        def __init__(self, kind, n):
            super().__init__()
            self.layer = LAYERS[kind](n)  # a callee that is neither a name nor an attribute
            self.value = (lambda: 0)()
    """,
]

# Every shape the tensor test calls a tensor, each alone in a method.
LEGACY = [
    "class M(nn.Module):\n    def __init__(self):\n        self.x = torch.zeros(3)\n",
    "class M(nn.Module):\n    def __init__(self):\n        self.x = 2 * torch.ones(3)\n",  # the tensor on the right
    "class M(nn.Module):\n    def __init__(self):\n        self.x = torch.ones(3) * 2\n",
    "from torch import zeros as z\nclass M(nn.Module):\n    def __init__(self):\n        self.x = z(3)\n",
    "from torch.autograd import Variable as V\nclass M(B):\n    def __init__(self, t):\n        self.x = V(t)\n",
    "import torch as th\nclass M(B):\n    def __init__(self):\n        self.x = (th.cuda.FloatTensor)(3)\n",
    "class M(B):\n    def __init__(self):\n        pe = torch.zeros(3)\n        pe = pe.unsqueeze(0)\n        self.pe = pe\n",
    "class M(B):\n    def __init__(self, n):\n        self.pe = -make(n).data[0] if n else make(1).T\n\n"
    "def make(n):\n    t = torch.ones(n)\n    return t * 2\n",
    "class M(B):\n    def __init__(self):\n        self.x = torch.ones(3)\n    def reset(self):\n        self.y = self.x.clone()\n",
    "class Outer:\n    class M(B):\n        async def start(me):\n            for i in range(3):\n"
    "                with ctx:\n                    try:\n                        me.x = torch.zeros(i)\n"
    "                    except E:\n                        pass\n",
    "class M(B):\n    def __init__(self):\n        def inner():\n            self.x = torch.zeros(3)\n",
    "class M(B):\n    def __init__(self, flag):\n        if flag:\n            pass\n        else:\n"
    "            self.x = torch.zeros(3)\n",  # only in an `else:` block
    "class M(B):\n    def __init__(self):\n        try:\n            import apex\n        except ImportError:\n"
    "            self.x = torch.zeros(3).cuda()\n",  # only in an `except` block
    "class M(B):\n    def __init__(self):\n        h: torch.Tensor = torch.zeros(3)\n        self.h = h\n",  # annotated
    "class M(B):\n    def __init__(self):\n        self.h, self.c = torch.zeros(1), torch.zeros(1)\n",  # unpacked
    # a method without parameters before the one that assigns
    "class M(B):\n    @staticmethod\n    def make():\n        return 1\n    def __init__(self):\n        self.x = torch.zeros(3)\n",
]


@pytest.mark.parametrize("body", MODERN)
def test_modern_look_alikes_are_screened_out(body: str) -> None:
    assert not screened(body)


@pytest.mark.parametrize("body", LEGACY)
def test_every_tensor_shape_passes(body: str) -> None:
    assert screened(body)


def test_the_pipeline_asks_the_screen_after_the_text_prefilter() -> None:
    modern = HEADER + textwrap.dedent(MODERN[0])
    assert Buffers.may_apply(modern) and Parameters.may_apply(modern.replace("n, n)", "n, requires_grad=True)"))
    assert pipeline.applicable([Buffers, Parameters], modern) == []
    legacy = HEADER + LEGACY[0]
    assert pipeline.applicable([Buffers, Parameters], legacy) == [Buffers]


def test_a_file_ast_cannot_parse_keeps_its_codemods() -> None:
    # `async=` is a SyntaxError for `ast`; libcst's parse renames it, so the codemods must run.
    text = HEADER + "class M(nn.Module):\n    def __init__(self):\n        self.x = torch.zeros(3).cuda(async=True)\n"
    assert pipeline.applicable([Buffers, CudaConstants], text) == [Buffers, CudaConstants]


def test_cuda_constants_needs_a_call_of_cuda() -> None:
    constant = "import torch\nclass M(nn.Module):\n    def f(self, x):\n        return torch.zeros(3){}\n"
    for call in (".cuda()", ".cuda ()", ".cuda  \\\n ()", ".cuda # why\n ()"):
        assert CudaConstants.may_apply(constant.format(call)), call
    assert CudaConstants.may_apply("import torch\nh = (torch.zeros(3).cuda)()\n")
    assert not CudaConstants.may_apply(constant.format(" if torch.cuda.is_available() else None"))
    assert not CudaConstants.may_apply(constant.format(".cuda"))


@pytest.mark.parametrize("codemod", [c for c in registry.select() if c.TREE_SCREEN], ids=lambda c: c.CODE)
def test_the_screen_keeps_every_corpus_file_the_codemod_acts_on(
    codemod: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    acted = []
    monkeypatch.setattr(Codemod, "may_apply", classmethod(lambda cls, text: True))
    monkeypatch.setattr(codemod, "TREE_SCREEN", None)
    for path in sorted(CORPUS.glob("*/legacy/**/*.py")):
        text = path.read_text()
        result = pipeline.migrate_source(text, [codemod], Settings(unsafe_fixes=True))
        if isinstance(result, pipeline.Migration) and result.records:
            acted.append(text)
    monkeypatch.undo()
    assert acted  # the corpus has a case for each codemod
    assert all(pipeline.applicable([codemod], text) == [codemod] for text in acted)


SIGMOID = frozenset({"torch.nn.functional.sigmoid"})


@pytest.mark.parametrize(
    "text",
    [
        "import torch.nn.functional as F\ny = F.sigmoid(x)\n",
        "import torch\ny = torch.nn.functional.sigmoid(x)\n",
        "from torch.nn import functional\ny = (functional.sigmoid)(x)\n",
        "def f(x):\n    from torch.nn.functional import sigmoid as s\n    return s(x)\n",
    ],
)
def test_a_call_that_resolves_to_the_name_passes(text: str) -> None:
    assert calls_any_of(SIGMOID)(ast.parse(text))


@pytest.mark.parametrize(
    "text",
    [
        '"""Use F.sigmoid(x) no more."""\n# F.sigmoid(x)\nimport torch.nn.functional as F\ny = F.relu(x)\n',
        "import torch\ny = x.sigmoid()\n",  # a method of a value: not resolved through imports
        "import torch\n\ndef sigmoid(x):\n    return torch.sigmoid(x)\n",  # a definition
        "import torch.nn.functional as F\nf = F.sigmoid\n",  # named, not called
    ],
)
def test_strings_definitions_and_method_calls_do_not(text: str) -> None:
    assert not calls_any_of(SIGMOID)(ast.parse(text))


@pytest.mark.parametrize(
    "text",
    [
        "import torch\nx = torch.cuda.FloatTensor(3)\n",
        "from torch.cuda import FloatTensor as FT\nx = FT(3)\n",
        "import torch\ny = x.type('torch.cuda.LongTensor')\n",
        "import torch.cuda as tc\nT = tc if gpu else torch\n",
        "import torch\nT = torch if cpu else torch.cuda\n",
        "import torch as th\nx = th.cuda.FloatTensor(3)\n",
        "from torch import cuda\nx = cuda.LongTensor([1])\n",
        "import torch.cuda as tc\nok = isinstance(x, tc.ByteTensor)\n",
        "import torch\nFloatTensor = torch.cuda.FloatTensor if gpu else torch.FloatTensor\n",
        "from utils import FloatTensor\nx = FloatTensor(3)\n",  # an alias made elsewhere: kept
    ],
)
def test_code_that_names_a_cuda_type_passes(text: str) -> None:
    assert names_cuda_type(ast.parse(text))


@pytest.mark.parametrize(
    "text",
    [
        "import torch\nx = torch.LongTensor([1, 2])\ny = x.type(torch.FloatTensor)\n",  # TU401's
        "import torch\nok = isinstance(x, torch.FloatTensor)\n",
        "import torch\nif torch.cuda.is_available():\n    x = x.cuda()\n",
        "import numpy as np\nx = np.cuda.FloatTensor\n",  # not torch's
    ],
)
def test_cpu_types_and_other_modules_do_not_name_a_cuda_type(text: str) -> None:
    assert not names_cuda_type(ast.parse(text))


def test_a_docstring_that_names_a_tensor_type_does_not() -> None:
    text = 'import torch\n\ndef f(x):\n    """x (LongTensor): indices; a torch.cuda.FloatTensor works too."""\n    return x\n'
    assert CudaTypes.may_apply(text)
    assert not names_cuda_type(ast.parse(text))
    assert pipeline.applicable([CudaTypes], text) == []


@pytest.mark.parametrize(
    "screen, text, expected",
    [
        (names_variable, "from torch.autograd import Variable as V\nx = V(t)\n", True),
        (names_variable, "import torch\nok = isinstance(x, torch.autograd.Variable)\n", True),
        (names_variable, '"""Variable-length sequences; a SavedVariable keeps them."""\nimport torch\n', False),
        (names_volatile, "def f(x, volatile=False):\n    return x\n", True),
        (names_volatile, "x.volatile = False\n", True),
        (names_volatile, "y = g(x, volatile=True)\n", True),
        (names_volatile, "from torch.autograd import Variable\nv = Variable(x, False, True)\n", True),  # by position
        (names_volatile, "# volatile: a word from the past\nx = 1\n", False),
        (edits_through_data, "total += loss.data[0]\n", True),
        (edits_through_data, "w.data[0] = 1\n", True),
        (edits_through_data, "x.data = y\n", True),
        (edits_through_data, "x.data += y\n", True),
        (edits_through_data, "w.data.mul_(0.9)\n", True),
        (edits_through_data, "x.data[:, 0].fill_(0)\n", True),
        (edits_through_data, "total += loss.data\n", True),
        (edits_through_data, "return loss.data.cpu()[0]\n", True),  # TU103 reads [0] through moves
        (edits_through_data, "v = loss.data.cuda(0).detach().float()[0]\n", True),
        (edits_through_data, "v = value_loss.data.double().numpy()[0]\n", True),
        (edits_through_data, "v = p.data.view(-1)[0]\nn = p.data.cpu().numel()\n", False),  # no move, no index
        (edits_through_data, "w = p.data.clone()\nn = p.data.numel()\n", False),  # reads
        (edits_through_data, "self.data[0] = 1\nself.data.append(x)\n", False),  # a Dataset's field
        (edits_through_data, '"""loss.data[0] was the 0.3 idiom."""\n', False),
    ],
)
def test_name_and_data_screens(screen, text: str, expected: bool) -> None:
    assert screen(ast.parse(text)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("from utils import *\nnn.init.uniform(w)\n", True),  # `nn` may be torch.nn, taken from utils
        ("nn.init.uniform(w)\n", False),  # no star import: `nn` is bound by nothing torch's
        ("from utils import *\nnn.init.uniform_(w)\n", False),  # not a callee it acts on
        ("from utils import *\nmy.init.uniform(w)\n", False),  # a head it does not stand for
    ],
)
def test_a_call_screen_reads_module_aliases_through_star_imports(text: str, expected: bool) -> None:
    screen = calls_any_of(frozenset({"torch.nn.init.uniform"}), {"nn": "torch.nn"})
    assert screen(ast.parse(text)) is expected


MODULE = "import torch\nimport torch.nn as nn\nfrom torch.autograd import Variable\n\nclass Net(nn.Module):\n"


def _in_method(body: str, signature: str = "def forward(self, x):") -> str:
    return MODULE + textwrap.indent(signature + "\n" + textwrap.indent(textwrap.dedent(body), "    "), "    ")


# What TU301 acts on, in each of its shapes (through the other codemods' passes before it): the
# screen must pass every one.
MOVES_CONSTANTS = [
    _in_method("return x + torch.zeros(3).cuda()\n"),
    _in_method("return x + Variable(torch.zeros(3)).cuda()\n"),
    _in_method("h = Variable(torch.zeros(1, x.size(0)))\nif self.use_cuda:\n    h = h.cuda()\nreturn h\n"),
    _in_method("a = torch.ones(3)\nb = a * 2\nreturn x + b.cuda()\n"),
    _in_method("def inner():\n    return torch.randn(3).cuda()\nreturn x + inner()\n"),  # the method's plan
    MODULE + "    def __init__(self):\n        super().__init__()\n        self.register_buffer('eps', torch.ones(1))\n\n"
    "    def forward(self, x):\n        return x + (self.eps.cuda() if USE_CUDA else self.eps)\n",
    _in_method("pe = torch.zeros(3).cuda()\nself.register_buffer('pe', pe)\n", "def __init__(self):"),
    _in_method("self.register_buffer('pe', pe.cuda())\n", "def __init__(self, pe):"),
    _in_method("self.w = nn.Parameter(w.cuda())\n", "def __init__(self, w):"),
    _in_method("pe = w.cuda()\nself.register_buffer('pe', pe)\n", "def __init__(self, w):"),  # not a factory
    "import torch\ndef pad(lengths):\n    r = torch.zeros(3)\n    if lengths.is_cuda:\n        r = r.cuda()\n    return r\n",
    "import torch\ndef pad(x):\n    c = torch.zeros(3)\n    return c.cuda() if x.is_cuda else c\n",
    "import torch\ndef f(out):\n    pads = torch.zeros(3)\n    if isinstance(out.data, torch.cuda.FloatTensor):\n"
    "        pads = pads.cuda()\n    return pads\n",
    "import torch\ndef f(out):\n    pads = torch.zeros(3)\n    if isinstance(out.data, torch.cuda.LongTensor):\n"
    "        pads = pads.cuda()\n    return pads\n",
    "import torch.nn as nn\nfrom torch import zeros as z\nclass M(nn.Module):\n    def f(self, x):\n"
    "        return x + z(3).cuda()\n",
    # A constant reached through `.data`, an index, either side of arithmetic is still a constant.
    _in_method("return x + torch.ones(3).data.cuda()\n"),
    _in_method("return x + torch.ones(3, 3)[0].cuda()\n"),
    _in_method("return x + (torch.ones(3) * 2).cuda()\n"),
    _in_method("return x + (2 * torch.ones(3)).cuda()\n"),
    _in_method("h = torch.zeros(3) if self.training else torch.zeros(3)\nreturn x + h.cuda()\n"),  # one constant either way
]
# Legacy scripts and methods that move only their inputs, models and flagged constants.
MOVES_NO_CONSTANT = [
    "import torch\nfrom torch.autograd import Variable\nmodel.cuda()\nfor x, y in loader:\n"
    "    x, y = Variable(x.cuda()), Variable(y).cuda()\n    loss = model(x).cuda()\n",
    "import torch\ndef sample(use_cuda):\n    noise = torch.randn(3)\n    if use_cuda:\n        noise = noise.cuda()\n"
    "    return noise\n",  # a plain function: no tensor to follow
    _in_method("x = x.cuda()\nreturn self.fc(x)\n"),  # a parameter: data entering the model
    _in_method("h = self.h.cuda()\nreturn h\n"),
    _in_method("for h in self.hidden:\n    h = torch.zeros(3)\n    y = h.cuda()\n"),  # bound by a loop too
    _in_method("h = h.cuda()\nreturn h\n"),  # only a move of itself
    # What an input gives: its gradient, its size, arithmetic on it.
    _in_method("return self.fc(x.grad.cuda())\n"),
    _in_method("return self.fc(x.size().cuda())\n"),
    _in_method("return self.fc((x * 2).cuda())\n"),
]


@pytest.mark.parametrize("text", MOVES_CONSTANTS)
def test_every_constant_tu301_moves_passes_its_screen(text: str) -> None:
    assert moves_constants(ast.parse(text))
    result = pipeline.migrate_source(text, registry.select(), Settings(unsafe_fixes=True))
    assert isinstance(result, pipeline.Migration)
    assert any(record.code == "TU301" for record in result.records)


@pytest.mark.parametrize("text", MOVES_NO_CONSTANT)
def test_moves_of_inputs_and_models_do_not(text: str) -> None:
    assert not moves_constants(ast.parse(text))
    # And TU301 itself has nothing to do there: the screen drops only what it would not touch.
    result = pipeline.migrate_source(text, [CudaConstants], Settings(unsafe_fixes=True))
    assert isinstance(result, pipeline.Migration) and not result.records


def test_a_file_with_async_is_screened_on_its_renamed_code() -> None:
    # `async=` keeps `ast` from parsing the file as read; the codemods see it renamed, and so
    # do the screens: a script moving its inputs needs no TU301 pass.
    script = "import torch\nh = torch.zeros(3)\nfor x in loader:\n    x = x.cuda(async=True)\n"
    renamed = script.replace("async=", "non_blocking=")
    assert pipeline.applicable([CudaConstants], script) == [CudaConstants]  # no tree: no screen
    assert pipeline.applicable([CudaConstants], script, None, None, renamed) == []
    constant = MOVES_CONSTANTS[0].replace(".cuda()", ".cuda(async=True)")
    assert pipeline.applicable([CudaConstants], constant, None, None, constant.replace("async=", "non_blocking=")) == [
        CudaConstants
    ]
