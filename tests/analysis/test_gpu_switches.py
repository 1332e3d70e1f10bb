import textwrap

import libcst as cst
import pytest

from torchup.analysis.gpu_switches import legacy_gpu_idiom, switch_of


def idiom(source: str):
    return legacy_gpu_idiom(cst.parse_module(textwrap.dedent(source).lstrip("\n")))


@pytest.mark.parametrize(
    "test, switch",
    [
        ("use_cuda", "use_cuda"),
        ("args.cuda", "args.cuda"),
        ("USE_CUDA", "USE_CUDA"),
        ("self.gpu_mode", "self.gpu_mode"),
        ("not args.no_cuda", "not args.no_cuda"),
        ("not args.nocuda", "not args.nocuda"),
        ("x.is_cuda", None),
        ("self._cuda", None),
        ("not use_cuda", None),
        ("torch.cuda.is_available()", None),
    ],
)
def test_switch_of(test, switch):
    assert switch_of(cst.parse_expression(test)) == switch


@pytest.mark.parametrize(
    "source, sign",
    [
        ("import torch\nuse_cuda = torch.cuda.is_available()\n", "the GPU switch `use_cuda = torch.cuda.is_available()`"),
        ("cuda = True\n", "the GPU switch `cuda = True`"),
        ("use_cuda = False\n", "the GPU switch `use_cuda = False`"),  # a CPU run of the same script
        ("USE_GPU = 1\n", "the GPU switch `USE_GPU = 1`"),
        ("args.cuda = not args.no_cuda and torch.cuda.is_available()\n", "the GPU switch `args.cuda = "),
        ("self.use_gpu = len(opt.gpu_ids) > 0\n", "the GPU switch `self.use_gpu = "),
        ("use_cuda: bool = args.cuda\n", "the GPU switch `use_cuda = args.cuda`"),
        ("self.use_cuda = use_cuda\n", "the GPU switch `self.use_cuda = use_cuda`"),
        ("parser.add_argument('--no-cuda', action='store_true')\n", "the command-line flag `--no-cuda`"),
        ("parser.add_argument('--gpu_ids', type=str)\n", "the command-line flag `--gpu_ids`"),
        ("parser.add_argument('--gpus', type=int)\n", "the command-line flag `--gpus`"),
        ("from torch import cuda\nuse_cuda = cuda.is_available()\n", "the GPU switch `use_cuda = cuda.is_available()`"),
        ("def f(x, cuda=False):\n    if cuda:\n        x = x.cuda()\n", "`.cuda()` under the GPU switch `cuda`"),
        ("y = x.cuda() if self.use_cuda else x\n", "`.cuda()` under the GPU switch `self.use_cuda`"),
        ("from torch.autograd import Variable\n", "`Variable`"),
        ("from torch.autograd import *\n", "`from torch.autograd import *`"),
        ("import torch\nx = torch.autograd.Variable(y)\n", "`Variable`"),
        ("x = Variable(y, volatile=True)\n", "`volatile=`"),
        ("if input.volatile:\n    pass\n", "`.volatile`"),
        (
            "class RolloutStorage(object):\n    def cuda(self):\n        self.masks = self.masks.cuda()\n",
            "a `cuda(self)` method that moves its tensors in place",
        ),
        ("x = torch.cuda.FloatTensor(3)\n", "`torch.cuda.FloatTensor`"),
        ("dtype = th.cuda.LongTensor\n", "`th.cuda.LongTensor`"),
    ],
)
def test_legacy_signs(source, sign):
    found = idiom(source)
    assert found is not None and found.startswith(sign), found


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("if use_cuda:\n    move = lambda t: t.cuda()\n", id="a lambda's move under a switch runs later"),
        pytest.param(
            "class Holder:\n    def cuda(self):\n        self.t = other.cuda()\n",
            id="a cuda(self) method storing another object's move",
        ),
        pytest.param(
            "class Holder:\n    def cuda(self, *devices):\n        self.t = self.t.cuda()\n",
            id="a cuda method that takes more than self",
        ),
        pytest.param("use_cuda = get_flag()\n", id="a switch set by a call other than is_available"),
    ],
)
def test_not_legacy_signs(source):
    assert idiom(source) is None


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            import torch

            def helper(group, rank, cuda=False, rank_to_GPU=None):
                for src in group:
                    tensor = torch.empty(src + 1).fill_(1.0)
                    if cuda:
                        tensor = tensor.cuda(rank_to_GPU[rank][0])
                    model = torch.nn.Linear(1, 5, bias=False).cuda(rank)
            """,
            id="torch-distributed-test: a switch parameter guarding moves to a named GPU",
        ),
        pytest.param(
            """
            class Fuzzer:
                def __init__(self, cuda=False):
                    self._cuda = cuda

                def take(self, tensor):
                    if self._cuda:
                        tensor = tensor.cuda()
                    return tensor
            """,
            id="benchmark-fuzzer: a private flag",
        ),
        pytest.param(
            """
            import torch

            def cuda(self, device=None):
                return self._apply(lambda t: t.cuda(device))

            gpu = torch.device("cuda:0")
            t = torch.ones(1).cuda()
            with torch.autograd.profiler.profile(use_cuda=True):
                pass
            if device.type == "cuda":
                x = x.cuda()
            """,
            id="module-override, device named gpu, profiler keyword, device test",
        ),
        pytest.param(
            """
            class Rigid:
                def cuda(self):
                    return Rigid(self._rots.cuda(), self._trans.cuda())

            class Holder:
                def cuda(self, device=None):
                    self.t = self.t.cuda(device)
            """,
            id="cuda methods that return a new object or take a device",
        ),
        pytest.param(
            """
            from torch.autograd import Function, grad
            from torch.cuda import is_available
            # Variable(x, volatile=True), torch.cuda.FloatTensor, use_cuda = True
            '''cuda = True'''
            parser.add_argument("--device", default="cuda")
            """,
            id="comments, strings and other names",
        ),
        pytest.param("self.use_cuda = device\n", id="a switch set to a name that is no switch"),
        pytest.param(
            "from .torch.autograd import Variable\nfrom ..torch.autograd import *\n",
            id="a package of the project's own named torch (relative imports)",
        ),
    ],
)
def test_modern_code_shows_no_legacy_sign(source):
    assert idiom(source) is None
