import textwrap

import pytest
from codemod_harness import codes, rewrite, run, unchanged

from torchup.codemods.cuda_types import CudaTypes

HEADER = "import torch\nimport torch.nn as nn\n"


def module(methods: str, init: str = "self.k = 3", header: str = HEADER) -> str:
    init_body = textwrap.indent(textwrap.dedent(init).strip("\n"), " " * 8)
    body = textwrap.indent(textwrap.dedent(methods).strip("\n"), " " * 4)
    return (
        f"{header}\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        f"        super(Net, self).__init__()\n{init_body}\n\n{body}\n"
    )


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "mask = torch.cuda.FloatTensor(x.size(0), 1).fill_(1)",
            "mask = torch.empty(x.size(0), 1, dtype=torch.float, device=x.device).fill_(1)",
            id="shape-constructor",
        ),
        pytest.param(
            "idx = torch.cuda.LongTensor([1, 2])",
            "idx = torch.tensor([1, 2], dtype=torch.long, device=x.device)",
            id="data-constructor",
        ),
        pytest.param(
            "buf = torch.cuda.FloatTensor(int(lengths.max()))",
            "buf = torch.empty(int(lengths.max()), dtype=torch.float, device=x.device)",
            id="int-is-a-size",
        ),
        pytest.param(
            "w = torch.cuda.FloatTensor((0.5, 1.5))",
            "w = torch.tensor((0.5, 1.5), dtype=torch.float, device=x.device)",
            id="tuple-is-data",
        ),
        pytest.param(
            "m = torch.cuda.ByteTensor(3).zero_()",
            "m = torch.empty(3, dtype=torch.uint8, device=x.device).zero_()",
            id="byte-shape",
        ),
        pytest.param(
            "n = x.size(0) * 2\nbuf = torch.cuda.FloatTensor(n)",
            "n = x.size(0) * 2\nbuf = torch.empty(n, dtype=torch.float, device=x.device)",
            id="size-local",
        ),
        pytest.param(
            "ids = [1, 2]\nt = torch.cuda.LongTensor(ids)",
            "ids = [1, 2]\nt = torch.tensor(ids, dtype=torch.long, device=x.device)",
            id="data-local",
        ),
        pytest.param(
            "eps = torch.cuda.FloatTensor(x.size()).normal_()",
            "eps = torch.empty(x.size(), dtype=torch.float, device=x.device).normal_()",
            id="torch-size",
        ),
        pytest.param(
            "idx = lengths.type(torch.cuda.LongTensor)",
            "idx = lengths.to(x.device, torch.long)",
            id="type-call",
        ),
        pytest.param(
            "y = x.type('torch.cuda.HalfTensor')", "y = x.to(torch.half)", id="type-string-on-reference"
        ),
        pytest.param(
            "if isinstance(x, torch.cuda.FloatTensor):\n    pass",
            "if x.is_cuda and x.dtype == torch.float:\n    pass",
            id="isinstance-condition",
        ),
        pytest.param(
            "ok = isinstance(x, torch.cuda.DoubleTensor) or flag",
            "ok = (x.is_cuda and x.dtype == torch.double) or flag",
            id="isinstance-parenthesised",
        ),
        pytest.param(
            "m = torch.cuda.FloatTensor(x.size(0), 1).fill_(1) if self.k else torch.FloatTensor(x.size(0), 1).fill_(1)",
            "m = torch.empty(x.size(0), 1, dtype=torch.float, device=x.device).fill_(1)",
            id="conditional-type-collapses",
        ),
        pytest.param(
            "m = torch.LongTensor([1]) if not self.k else torch.cuda.LongTensor([1])",
            "m = torch.tensor([1], dtype=torch.long, device=x.device)",
            id="conditional-type-cpu-first",
        ),
        pytest.param(
            "m = torch.cuda.FloatTensor(3) if self.k else torch.FloatTensor(4)",
            "m = torch.empty(3, dtype=torch.float, device=x.device) if self.k else torch.FloatTensor(4)",
            id="conditional-different-branches-kept",
        ),
        pytest.param(
            "if self.k:\n    e = torch.cuda.FloatTensor(x.size()).normal_()\nelse:\n    e = torch.FloatTensor(x.size()).normal_()",
            "e = torch.empty(x.size(), dtype=torch.float, device=x.device).normal_()",
            id="if-else-statement-collapses",
        ),
        pytest.param(
            "# noise\nif self.k:\n    e = torch.cuda.FloatTensor(3)\nelse:\n    e = torch.FloatTensor(3)",
            "# noise\ne = torch.empty(3, dtype=torch.float, device=x.device)",
            id="if-else-collapses-keeping-its-comment",
        ),
        pytest.param(
            "if self.k:\n    e = torch.cuda.FloatTensor(3)\nelse:\n    e = torch.FloatTensor(3)\n    print(e)",
            "if self.k:\n    e = torch.empty(3, dtype=torch.float, device=x.device)\nelse:\n    e = torch.FloatTensor(3)\n    print(e)",
            id="if-else-with-more-statements-kept",
        ),
        pytest.param(
            "if self.k:\n    e = torch.cuda.FloatTensor(3)\nelse:\n    e = torch.FloatTensor(4)",
            "if self.k:\n    e = torch.empty(3, dtype=torch.float, device=x.device)\nelse:\n    e = torch.FloatTensor(4)",
            id="if-else-with-different-branches-kept",
        ),
    ],
)
def test_rewrites(before, after):
    method = "def forward(self, x, lengths):\n    x = x.view(-1)\n{}\n    return x"
    rewrite(
        CudaTypes,
        module(method.format(textwrap.indent(before, "    "))),
        module(method.format(textwrap.indent(after, "    "))),
    )


def test_init_buffer_is_built_on_the_cpu():
    rewrite(
        CudaTypes,
        module("", init='self.register_buffer("m", torch.cuda.FloatTensor(2, 3).zero_())'),
        module("", init='self.register_buffer("m", torch.empty(2, 3, dtype=torch.float).zero_())'),
    )


def test_several_arguments_are_a_shape_whatever_they_are():
    rewrite(
        CudaTypes,
        module("def forward(self, x, n):\n    return x.view(-1) + torch.cuda.FloatTensor(n, 4)"),
        module("def forward(self, x, n):\n    return x.view(-1) + torch.empty(n, 4, dtype=torch.float, device=x.device)"),
    )


def test_torch_alias_is_kept():
    header = "import torch as T\nimport torch.nn as nn\n"
    rewrite(
        CudaTypes,
        module("def forward(self, x):\n    return x.view(-1) + T.cuda.FloatTensor(2)", header=header),
        module(
            "def forward(self, x):\n    return x.view(-1) + T.empty(2, dtype=T.float, device=x.device)",
            header=header,
        ),
    )


@pytest.mark.parametrize(
    "source, line, reason",
    [
        pytest.param(
            HEADER
            + "\nFloatTensor = torch.cuda.FloatTensor if torch.cuda.is_available() else torch.FloatTensor\n",
            4,
            "alias",
            id="module-level-type-alias",
        ),
        pytest.param(
            HEADER + "\ncuda = True\ntt = torch.cuda if cuda else torch\n", 5, "alias", id="module-alias"
        ),
        pytest.param(
            module("def forward(self, x, n):\n    return x.view(-1) + torch.cuda.FloatTensor(n)"),
            11,
            "a size or data?",
            id="ambiguous-argument",
        ),
        pytest.param(
            module("def forward(self, x, n):\n    return x.view(-1) + torch.cuda.FloatTensor(n * 2)"),
            11,
            "a size or data?",
            id="ambiguous-product",
        ),
        pytest.param(
            module("def forward(self, x, n):\n    return x.view(-1) + torch.cuda.FloatTensor(2 * n)"),
            11,
            "a size or data?",
            id="ambiguous-product-constant-first",
        ),
        pytest.param(
            module("def make(self, n):\n    return torch.cuda.FloatTensor(n, 2)"),
            11,
            "no tensor in scope",
            id="no-reference",
        ),
        pytest.param(
            module(
                "def forward(self, x):\n    return isinstance(x.data, (torch.cuda.FloatTensor, torch.FloatTensor))"
            ),
            11,
            "several",
            id="isinstance-tuple",
        ),
        pytest.param(
            module("def forward(self, x):\n    t = torch.cuda.FloatTensor\n    return x.view(-1)"),
            11,
            "no rewrite for this use",
            id="bare-type",
        ),
        pytest.param(
            module("def forward(self, x):\n    return x.view(-1).type(torch.cuda.FloatTensor, True)"),
            11,
            "`.type(torch.cuda.FloatTensor, non_blocking)` left: move it with `.to(device, torch.float, non_blocking=...)`",
            id="type-with-a-second-argument",
        ),
        pytest.param(
            # outside a Module's methods too (a plain type left there is TU304's or the script's)
            "import torch\n\ndef to_gpu(x):\n    return x.type(torch.cuda.LongTensor, True)\n",
            4,
            "`.type(torch.cuda.LongTensor, non_blocking)` left: move it with `.to(device, torch.long, non_blocking=...)`",
            id="type-with-a-second-argument-in-a-function",
        ),
        pytest.param(
            "import torch\n\ny = x.type(torch.cuda.FloatTensor, non_blocking=True)\n",
            3,
            "non_blocking",
            id="type-with-non-blocking-in-a-script",
        ),
        pytest.param(
            module("def forward(self, x):\n    return isinstance(self.rnn(x), torch.cuda.FloatTensor)"),
            11,
            "on an expression",
            id="isinstance-of-a-call",
        ),
        pytest.param(
            module("", init="self.mask = torch.cuda.FloatTensor(3, 4)"),
            8,
            "no tensor in scope",
            id="init-attribute-is-no-buffer",
        ),
    ],
)
def test_findings(source, line, reason):
    result = unchanged(CudaTypes, source)
    assert codes(result.findings) == ("TU302",)
    assert result.findings[0].line == line
    assert reason in result.findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            module("def forward(self, x):\n    return torch.FloatTensor(2)"), id="cpu-type-is-tu401"
        ),
        pytest.param(
            module("def forward(self, x):\n    return x if torch.cuda.is_available() else x"),
            id="is-available",
        ),
        pytest.param(
            "import mylib as torch\n\ndef f(x):\n    return torch.cuda.FloatTensor(2)\n", id="not-torch"
        ),
        pytest.param(
            "import torch\n\nlo, hi = (0, 1) if flip else (1, 0)\nx = torch.zeros(2)\n", id="module-level-tuple-from-a-conditional"
        ),
        pytest.param("import torch\n\ny = x.type(torch.FloatTensor, True)\n", id="cpu-type-with-a-second-argument"),
    ],
)
def test_look_alikes_are_unchanged(source):
    assert not unchanged(CudaTypes, source).findings


ALIASED = """
import torch
import torch.nn as nn

use_cuda = torch.cuda.is_available()
FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
Mixed = torch.cuda.LongTensor if use_cuda else torch.FloatTensor


class Net(nn.Module):
    def forward(self, x, lengths):
        mask = FloatTensor(x.size(0), 3).fill_(1)
        idx = lengths.type(FloatTensor)
        same = isinstance(x, FloatTensor)
        return x.view(-1) * mask, Mixed(2)


def make(state):
    return FloatTensor(state)
"""


def test_alias_uses_in_module_methods_are_rewritten_and_the_alias_reported():
    result = run(CudaTypes, ALIASED)
    assert "mask = torch.empty(x.size(0), 3, dtype=torch.float, device=x.device).fill_(1)" in result.code
    assert "idx = lengths.to(x.device, torch.float)" in result.code
    assert "same = isinstance(x, FloatTensor)" in result.code  # the alias may be the CPU type
    assert "Mixed(2)" in result.code  # not one dtype: not an alias
    assert "return FloatTensor(state)" in result.code  # a plain function: the user's choice
    assert [(f.line, "alias" in f.message) for f in result.findings] == [(5, True), (6, True)]


def test_prefilter_needs_a_legacy_type_or_a_cuda_alias():
    assert not CudaTypes.may_apply("import torch\nif torch.cuda.is_available():\n    torch.cuda.synchronize()\n")
    assert not CudaTypes.may_apply("import torch\ndevice = 'cuda' if torch.cuda.is_available() else 'cpu'\n")
    assert CudaTypes.may_apply("import torch\nx = torch.cuda.FloatTensor(3)\n")
    assert CudaTypes.may_apply("from torch.cuda import (\n    LongTensor as LT,\n)\nx = LT(3)\n")
    assert CudaTypes.may_apply("import torch\nT = torch.cuda if gpu else torch\n")
    assert CudaTypes.may_apply("import torch\nT = torch if cpu else (torch.cuda)\n")
    assert CudaTypes.may_apply("import torch.cuda as tc\nT = tc if gpu else torch\n")


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "h = h.type(torch.cuda.FloatTensor if x.is_cuda else torch.FloatTensor)",
            "h = h.to(x.device, torch.float)",
            id="cuda-first",
        ),
        pytest.param(
            "h = h.type(torch.LongTensor if not gpu else torch.cuda.LongTensor)",
            "h = h.to(x.device, torch.long)",
            id="cpu-first",
        ),
    ],
)
def test_conditional_type_goes_to_the_reference_device(before, after):
    method = "def forward(self, x, h):\n    x = x.view(-1)\n{}\n    return x"
    result = rewrite(
        CudaTypes,
        module(method.format(textwrap.indent(before, "    "))),
        module(method.format(textwrap.indent(after, "    "))),
    )
    assert not result.findings


def test_conditional_type_of_an_init_parameter_is_built_on_the_cpu_unsafely():
    # pyGAT's layers.py: the parameter followed `torch.cuda.is_available()`; the module moves it now.
    legacy = (
        "self.W = nn.Parameter(nn.init.xavier_uniform_(torch.Tensor(2, 3)"
        ".type(torch.cuda.FloatTensor if torch.cuda.is_available() else torch.FloatTensor)))"
    )
    migrated = "self.W = nn.Parameter(nn.init.xavier_uniform_(torch.Tensor(2, 3).to(torch.float)))"
    rewrite(CudaTypes, module("", init=legacy), module("", init=migrated), unsafe=True)
    declined = unchanged(CudaTypes, module("", init=legacy), unsafe=False)
    assert [(f.code, f.fix_available) for f in declined.findings] == [("TU302", True)]
    assert "CPU generator" in declined.findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            module("", init="self.W = torch.Tensor(2).type(torch.cuda.FloatTensor if gpu else torch.FloatTensor)"),
            id="init-outside-a-parameter",
        ),
        pytest.param(
            "import torch\nw = torch.Tensor(2).type(torch.cuda.FloatTensor if gpu else torch.FloatTensor)\n",
            id="script-level",
        ),
    ],
)
def test_conditional_type_without_a_device_is_a_finding(source):
    result = unchanged(CudaTypes, source)
    assert [f.code for f in result.findings] == ["TU302"]
    assert "no tensor in scope" in result.findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            module("def forward(self, x):\n    return x.type(torch.cuda.FloatTensor if c else torch.LongTensor)"),
            id="different-types",
        ),
        pytest.param(module("def forward(self, x):\n    return x.type(A if c else torch.FloatTensor)"), id="not-cuda"),
    ],
)
def test_conditional_type_look_alikes_are_not_rewritten(source):
    result = run(CudaTypes, source, unsafe=True)
    assert not result.edits


LOCAL_ALIAS = """
import torch


class Trainer:
    def reset(self):
        dtype = (
            torch.cuda.FloatTensor if self.use_gpu else torch.FloatTensor
        )
        h = torch.zeros(2, 3)
        h = h.type(dtype)
        return h, torch.empty(2).type(dtype)
"""


def test_local_alias_becomes_a_device_unsafely():
    # recurrent-visual-attention's trainer.py: the alias only ever feeds `.type(...)`.
    after = """
import torch


class Trainer:
    def reset(self):
        device = torch.device("cuda" if self.use_gpu else "cpu")
        h = torch.zeros(2, 3)
        h = h.to(device, torch.float)
        return h, torch.empty(2).to(device, torch.float)
"""
    result = rewrite(CudaTypes, LOCAL_ALIAS, after, unsafe=True)
    assert not result.findings
    declined = unchanged(CudaTypes, LOCAL_ALIAS, unsafe=False)
    assert {(f.code, f.fix_available) for f in declined.findings} == {("TU302", True)}
    # Why it is unsafe, in the edit's own words.
    aliases = [edit for edit in result.edits if edit.message.startswith("local alias")]
    assert aliases and all(
        "on a machine with several GPUs, a tensor already on a GPU other than the current one may now move" in edit.message
        for edit in aliases
    )


def test_local_alias_beside_a_tuple_assignment_still_becomes_a_device():
    source = LOCAL_ALIAS.replace("        h = torch.zeros(2, 3)\n", "        n, m = 2, 3\n        h = torch.zeros(n, m)\n")
    result = run(CudaTypes, source, unsafe=True)
    assert 'device = torch.device("cuda" if self.use_gpu else "cpu")' in result.code
    assert "        n, m = 2, 3\n        h = torch.zeros(n, m)\n        h = h.to(device, torch.float)\n" in result.code


def test_local_alias_with_the_cpu_type_first_keeps_the_test_s_meaning():
    source = "import torch\n\ndef f(x, cpu):\n    t = torch.LongTensor if cpu else torch.cuda.LongTensor\n    return x.type(t)\n"
    after = "import torch\n\ndef f(x, cpu):\n    device = torch.device(\"cpu\" if cpu else \"cuda\")\n    return x.to(device, torch.long)\n"
    rewrite(CudaTypes, source, after, unsafe=True)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(LOCAL_ALIAS.replace("return h, torch.empty(2).type(dtype)", "return h, dtype"), id="alias-passed-on"),
        pytest.param(LOCAL_ALIAS.replace("h = torch.zeros(2, 3)", "h = torch.zeros(2, 3, device=device)"), id="device-taken"),
        pytest.param(LOCAL_ALIAS.replace("h = torch.zeros(2, 3)", "dtype = torch.FloatTensor"), id="bound-twice"),
        pytest.param(LOCAL_ALIAS + "\n\ndef go(m):\n    return m.cuda()\n", id="file-with-cuda-moves-is-tu304s"),
        pytest.param(LOCAL_ALIAS + "\n\ndevice = 'cpu'\n", id="device-bound-in-the-file"),
        pytest.param(
            LOCAL_ALIAS.replace("h = h.type(dtype)", "h = h.type(dtype)  # noqa: TU302"), id="one-use-suppressed"
        ),
        pytest.param(
            LOCAL_ALIAS.replace("torch.cuda.FloatTensor if", "torch.cuda.LongTensor if"), id="two-different-types"
        ),
        pytest.param(LOCAL_ALIAS.replace("h = h.type(dtype)", "h = h.type(dtype, True)"), id="use-with-non-blocking"),
        pytest.param(LOCAL_ALIAS.replace("h = h.type(dtype)", "h = h.type(*dtype)"), id="use-unpacking-the-name"),
    ],
)
def test_local_alias_look_alikes_are_left_to_the_alias_finding(source):
    result = run(CudaTypes, source, unsafe=True)
    assert "torch.device(" not in result.code
    assert "TU302" in codes(result.findings)


@pytest.mark.parametrize("statement", ["assert {}", "if {}:\n        pass", "while {}:\n        break", "ok = {}", "return {}"])
def test_a_type_test_standing_alone_gets_no_parentheses(statement):
    # Where the test is the whole condition or value, `a and b` needs none; inside `not (...)` it does.
    before = "import torch\n\ndef f(x):\n    " + statement.format("isinstance(x, torch.cuda.FloatTensor)") + "\n"
    after = "import torch\n\ndef f(x):\n    " + statement.format("x.is_cuda and x.dtype == torch.float") + "\n"
    rewrite(CudaTypes, before, after, unsafe=True)


def test_a_module_alias_that_a_function_rebinds_is_not_rewritten():
    # After `cpu_only()`, `FloatTensor` is the CPU type: its uses are not surely the CUDA one.
    source = """
        import torch
        import torch.nn as nn

        use_cuda = torch.cuda.is_available()
        FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor


        def cpu_only():
            global FloatTensor
            FloatTensor = torch.FloatTensor


        class Net(nn.Module):
            def __init__(self):
                super(Net, self).__init__()
                self.fc = nn.Linear(3, 4)

            def forward(self, x):
                y = x.view(-1, 3).type(FloatTensor)
                return self.fc(y)
        """
    result = unchanged(CudaTypes, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU302", 5)]
    assert "alias that picks `torch.cuda` tensor types" in result.findings[0].message


@pytest.mark.parametrize(
    "alias",
    [
        "torch.cuda.FloatTensor if use_cuda else torch.FloatTensor",
        "torch.FloatTensor if not use_cuda else torch.cuda.FloatTensor",
    ],
)
def test_an_alias_is_reported_whichever_branch_holds_the_cuda_type(alias):
    source = f"import torch\n\nuse_cuda = torch.cuda.is_available()\nFloatTensor = {alias}\n"
    result = unchanged(CudaTypes, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU302", 4)]
    assert "alias that picks `torch.cuda` tensor types by a flag" in result.findings[0].message


def test_constructors_it_cannot_read_are_reported_whole_beside_one_it_rewrites():
    method = (
        "def forward(self, x):\n    x = x.view(-1)\n    a = torch.cuda.FloatTensor(*x.shape)\n"
        "    b = torch.cuda.FloatTensor()\n    c = torch.cuda.LongTensor({})\n    return a, b, c"
    )
    result = rewrite(
        CudaTypes,
        module(method.format("[1, 2]")),
        module(method.format("[1, 2]").replace("torch.cuda.LongTensor([1, 2])", "torch.tensor([1, 2], dtype=torch.long, device=x.device)")),
    )
    assert [(type(r).__name__, r.code, r.line, r.column, r.message) for r in result.records] == [
        ("Finding", "TU302", 12, 12, "`torch.cuda.FloatTensor(...)` with keyword or starred arguments: rewrite by hand"),
        ("Finding", "TU302", 13, 12, "`torch.cuda.FloatTensor()` with no arguments: rewrite by hand"),
        ("Edit", "TU302", 14, 12, "`torch.cuda.LongTensor` -> `torch.tensor` with its dtype, on `x.device`"),
    ]
