import textwrap

import pytest
from codemod_harness import codes, dedent, rewrite, run, unchanged

from torchup.codemod import Safety
from torchup.codemods.cuda_constants import CudaConstants

HEADER = "import torch\nimport torch.nn as nn\nfrom torch.autograd import Variable\n"
NO_VARIABLE = "import torch\nimport torch.nn as nn\n"


def module(methods: str, init: str = "self.fc = nn.Linear(3, 3)", header: str = HEADER) -> str:
    """A Module class with ``init`` in its ``__init__`` and ``methods`` after it."""
    init_body = textwrap.indent(textwrap.dedent(init).strip("\n"), " " * 8)
    body = textwrap.indent(textwrap.dedent(methods).strip("\n"), " " * 4)
    return (
        f"{header}\n\nclass Net(nn.Module):\n    def __init__(self, use_cuda=True):\n"
        f"        super(Net, self).__init__()\n{init_body}\n\n{body}\n"
    )


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            def forward(self, x):
                mask = torch.zeros(x.size(0), 3).cuda()
                return x + mask
            """,
            """
            def forward(self, x):
                mask = torch.zeros(x.size(0), 3, device=x.device)
                return x + mask
            """,
            id="factory-gets-device",
        ),
        pytest.param(
            """
            def forward(self, x):
                return x + Variable(torch.ones(x.size(0), 3)).cuda()
            """,
            """
            def forward(self, x):
                return x + torch.ones(x.size(0), 3, device=x.device)
            """,
            id="variable-wrapped-constant",
        ),
        pytest.param(
            """
            def forward(self, x):
                return x + torch.randn(x.size(0), 3).cuda()
            """,
            """
            def forward(self, x):
                return x + torch.randn(x.size(0), 3).to(x.device)
            """,
            id="random-keeps-the-cpu-generator",
        ),
        pytest.param(
            """
            def forward(self, x):
                return x + torch.arange(0, x.size(1)).long().cuda()
            """,
            """
            def forward(self, x):
                return x + torch.arange(0, x.size(1)).long().to(x.device)
            """,
            id="method-chain-keeps-dtype",
        ),
        pytest.param(
            """
            def forward(self, x):
                m = torch.ones(x.size(1)).cuda() if self.use_cuda else torch.ones(x.size(1))
                return x * m
            """,
            """
            def forward(self, x):
                m = torch.ones(x.size(1), device=x.device)
                return x * m
            """,
            id="conditional-constant",
        ),
        pytest.param(
            """
            def init_hidden(self, batch):
                h = Variable(torch.zeros(1, batch, 3))
                if self.use_cuda:
                    h = h.cuda()
                return h
            """,
            """
            def init_hidden(self, batch):
                h = Variable(torch.zeros(1, batch, 3, device=next(self.parameters()).device))
                return h
            """,
            id="guarded-move-of-a-local-init-hidden",
        ),
        pytest.param(
            """
            def forward(self, tokens):
                n = tokens.size(0)
                pos = torch.arange(0, n).cuda()
                return tokens + pos
            """,
            """
            def forward(self, tokens):
                n = tokens.size(0)
                pos = torch.arange(0, n, device=tokens.device)
                return tokens + pos
            """,
            id="first-tensor-parameter",
        ),
        pytest.param(
            """
            def forward(self, x):
                return x.view(-1) + torch.eye(3)[0].cuda()
            """,
            """
            def forward(self, x):
                return x.view(-1) + torch.eye(3)[0].to(x.device)
            """,
            id="row-of-a-constant",
        ),
        pytest.param(
            """
            def forward(self, x):
                return x.view(-1) + torch.zeros(3, device="cpu").cuda()
            """,
            """
            def forward(self, x):
                return x.view(-1) + torch.zeros(3, device="cpu").to(x.device)
            """,
            id="factory-with-its-own-device-is-moved",
        ),
    ],
)
def test_rewrites(before, after):
    # Rewriting the last `Variable(...)` away drops its import.
    header = HEADER if "Variable(" in after or "Variable(" not in before else NO_VARIABLE
    rewrite(CudaConstants, module(before), module(after, header=header))


def test_buffer_is_the_reference_without_tensor_parameters():
    before = module(
        """
        def sample(self, n):
            return torch.zeros(n).cuda()
        """,
        init='self.register_buffer("pe", torch.zeros(3))',
    )
    result = run(CudaConstants, before)
    assert "return torch.zeros(n, device=self.pe.device)" in result.code


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "self.w = nn.Parameter(torch.zeros(3).cuda())",
            "self.w = nn.Parameter(torch.zeros(3))",
            id="parameter",
        ),
        pytest.param(
            'self.register_buffer("m", Variable(torch.ones(3)).cuda(), persistent=False)',
            'self.register_buffer("m", torch.ones(3), persistent=False)',
            id="register-buffer",
        ),
    ],
)
def test_init_drops_cuda_inside_parameters_and_buffers(before, after):
    header = HEADER if "Variable(" in after or "Variable(" not in before else NO_VARIABLE
    rewrite(CudaConstants, module("", init=before), module("", init=after, header=header))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(module("def forward(self, x):\n    return x.cuda()"), id="input-data"),
        pytest.param(
            module("def forward(self, x):\n    return torch.from_numpy(x).cuda()"), id="data-from-numpy"
        ),
        pytest.param(
            HEADER + "\n\ndef train(x):\n    return torch.zeros(3).cuda() + x\n", id="outside-a-module"
        ),
        pytest.param(
            HEADER
            + "\n\nclass Plain(object):\n    def f(self, x):\n        return torch.zeros(3).cuda() + x.view(-1)\n",
            id="not-a-module",
        ),
        pytest.param(module("def forward(self, x):\n    return x + zeros(3).cuda()"), id="user-function"),
        pytest.param(module("def forward(self, x):\n    return x + self.table.cuda()"), id="attribute"),
        pytest.param(module("def forward(self, x):\n    return x.to(torch.zeros(3))"), id="no-cuda"),
    ],
)
def test_look_alikes_are_unchanged(source):
    result = unchanged(CudaConstants, source)
    assert not result.findings


def test_no_reference_is_a_finding():
    source = module("def make(self, n):\n    return torch.zeros(n).cuda()", init="self.k = 3")
    result = unchanged(CudaConstants, source)
    assert codes(result.findings) == ("TU301",)
    assert result.findings[0].line == 12
    assert "no tensor in scope" in result.findings[0].message


def test_parameter_used_as_a_list_is_not_a_reference():
    source = module(
        """
        def forward(self, xs):
            n = len(xs)
            return torch.zeros(n).cuda()
        """,
        init="self.k = 3",
    )
    assert codes(unchanged(CudaConstants, source).findings) == ("TU301",)


def test_functions_outside_modules_follow_an_is_cuda_guard():
    before = """
        import torch
        from torch.autograd import Variable


        def sequence_mask(lengths, max_len):
            seq_range = torch.arange(0, max_len).long()
            expanded = seq_range.unsqueeze(0).expand(lengths.size(0), max_len)
            expanded = Variable(expanded)
            if lengths.is_cuda:
                expanded = expanded.cuda()
            return expanded < lengths.unsqueeze(1)


        def positions(src_seq, n):
            src_pos = torch.arange(1, n + 1).long()
            return Variable(src_pos.cuda() if src_seq.is_cuda else src_pos)
        """
    after = """
        import torch
        from torch.autograd import Variable


        def sequence_mask(lengths, max_len):
            seq_range = torch.arange(0, max_len).long()
            expanded = seq_range.unsqueeze(0).expand(lengths.size(0), max_len).to(lengths.device)
            expanded = Variable(expanded)
            return expanded < lengths.unsqueeze(1)


        def positions(src_seq, n):
            src_pos = torch.arange(1, n + 1).long()
            return Variable(src_pos.to(src_seq.device))
        """
    rewrite(CudaConstants, before, after)


def test_training_code_keeps_its_device_choices():
    source = """
        import torch


        def train(x, use_cuda):
            y = torch.zeros(3)
            if use_cuda:
                y = y.cuda()
            return torch.ones(3).cuda() + x.cuda() + y
        """
    assert not unchanged(CudaConstants, source).findings


def test_init_locals_that_only_feed_module_state_lose_their_cuda():
    before = module(
        "",
        init="""
        pe = torch.zeros(4, 3).cuda()
        pe[:, 0::2] = torch.ones(4, 2)
        pe = pe.unsqueeze(0)
        self.register_buffer("pe", pe, persistent=False)
        w = torch.randn(3).cuda()
        self.w = nn.Parameter(w)
        other = torch.ones(3).cuda()
        self.width = other.size(0)
        """,
    )
    result = run(CudaConstants, before)
    assert "pe = torch.zeros(4, 3)\n" in result.code
    assert "w = torch.randn(3)\n" in result.code
    assert "other = torch.ones(3).cuda()" in result.code  # read by something that is not module state
    assert [e.line for e in result.edits] == [9, 13]


def test_a_keyword_named_like_the_local_is_no_read_of_it():
    # `weight=None` names CrossEntropyLoss's parameter: the local `weight` still only feeds a buffer
    init = """
    weight = torch.ones(4).cuda()
    self.register_buffer("w", weight)
    self.loss = nn.CrossEntropyLoss(weight=None)
    """
    rewrite(CudaConstants, module("", init=init), module("", init=init.replace(".cuda()", "")))


def test_an_init_local_changed_in_place_still_only_feeds_a_buffer():
    init = """
    pe = torch.zeros(4, 3).cuda()
    pe.mul_(2)
    self.register_buffer("pe", pe)
    """
    rewrite(CudaConstants, module("", init=init), module("", init=init.replace(".cuda()", "")))


def test_a_parameter_registered_by_name_is_the_reference():
    source = module(
        "def sample(self, n):\n    return torch.zeros(n).cuda()",
        init='self.register_parameter("w", make_weight())',
    )
    assert "return torch.zeros(n, device=self.w.device)" in run(CudaConstants, source).code


def test_layers_nested_in_containers_give_the_module_a_parameter_to_ask():
    source = module(
        "def forward(self, inputs):\n    return self.net(inputs) + torch.zeros(2).cuda()",
        init="self.net = nn.Sequential(nn.Conv2d(3, 3, 1), nn.ReLU())",
    )
    result = run(CudaConstants, source)
    assert "torch.zeros(2, device=next(self.parameters()).device)" in result.code


def test_prefilter_needs_a_constant_or_module_state():
    script = "import torch\n\nmodel = Net().cuda()\nfor x, y in loader:\n    loss = criterion(model(x.cuda()), y.cuda())\n"
    assert not CudaConstants.may_apply(script)
    assert not CudaConstants.may_apply('"""\n>>> model.cuda()\n>>> model(torch.randn(2))\n"""\nimport torch\n')
    assert CudaConstants.may_apply(script + "h = torch.zeros(3).cuda()\n")
    assert CudaConstants.may_apply("from torch import randn as r\nh = r(3).cuda()\n")
    assert CudaConstants.may_apply("class M(B):\n    def __init__(self, w):\n        self.w = P.Parameter(w.cuda())\n")


GUARDED = """
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class STN3d(nn.Module):
        def __init__(self):
            super(STN3d, self).__init__()
            self.fc3 = nn.Linear(16, 9)

        def forward(self, x):
            x = self.fc3(x)
            iden = torch.from_numpy(np.eye(3).flatten().astype(np.float32)).view(1, 9).repeat(x.size(0), 1)
            if x.is_cuda:
                iden = iden.cuda()
            return x + iden


    class Grid(nn.Module):
        def forward(self, input):
            self.batchgrid = torch.zeros(input.size(0), 3)
            if input.is_cuda: self.batchgrid = self.batchgrid.cuda()
            return input + self.batchgrid


    def downsample(x, planes):
        out = F.avg_pool3d(x, kernel_size=1, stride=2)
        zero_pads = torch.zeros(out.size(0), planes - out.size(1), out.size(2), out.size(3), out.size(4))
        if isinstance(out.data, torch.cuda.FloatTensor):
            zero_pads = zero_pads.cuda()
        return torch.cat([out, zero_pads], dim=1)


    def grid(input, h, w):
        base = torch.from_numpy(np.ones((h, w, 3), dtype=np.float32))
        if input.is_cuda:
            base = base.cuda(input.get_device())
        return base
    """


def test_a_move_guarded_on_a_tensor_follows_that_tensor():
    result = rewrite(
        CudaConstants,
        GUARDED,
        GUARDED.replace(
            "            if x.is_cuda:\n                iden = iden.cuda()\n", "            iden = iden.to(x.device)\n"
        )
        .replace(
            "            if input.is_cuda: self.batchgrid = self.batchgrid.cuda()\n",
            "            self.batchgrid = self.batchgrid.to(input.device)\n",
        )
        .replace(
            "        if isinstance(out.data, torch.cuda.FloatTensor):\n            zero_pads = zero_pads.cuda()\n",
            "        zero_pads = zero_pads.to(out.device)\n",
        )
        .replace(
            "        if input.is_cuda:\n            base = base.cuda(input.get_device())\n",
            "        base = base.to(input.device)\n",
        ),
        unsafe=True,
    )
    assert [e.safety.value for e in result.edits] == ["safe", "safe", "unsafe", "safe"]


def test_a_guarded_move_keeps_its_other_keywords_and_drops_its_device_keyword():
    rewrite(
        CudaConstants,
        """
        import numpy as np
        import torch


        def grid(input, h, w):
            base = torch.from_numpy(np.ones((h, w), dtype=np.float32))
            if input.is_cuda:
                base = base.cuda(device=input.get_device(), non_blocking=True)
            return base
        """,
        """
        import numpy as np
        import torch


        def grid(input, h, w):
            base = torch.from_numpy(np.ones((h, w), dtype=np.float32))
            base = base.to(input.device, non_blocking=True)
            return base
        """,
    )


def test_a_type_test_guard_is_an_unsafe_fix_reported_when_not_applied():
    # isinstance(..., torch.cuda.FloatTensor) also tested the dtype: dropping it is unsafe.
    result = run(CudaConstants, GUARDED)
    assert "zero_pads = zero_pads.cuda()" in result.code
    assert [(f.code, f.line, f.fix_available) for f in result.findings] == [("TU301", 30, True)]


def test_guarded_moves_are_safe_only_when_every_moved_value_was_built_on_the_cpu():
    # `a` is built here on the CPU; `b` comes from the caller and may be on another GPU
    source = """
        import torch

        def f(x, b, arr):
            a = torch.from_numpy(arr)
            if x.is_cuda:
                a = a.cuda()
                b = b.cuda()
            return x + a + b
        """
    result = unchanged(CudaConstants, source, unsafe=False)
    assert [(f.code, f.line, f.fix_available) for f in result.findings] == [("TU301", 5, True)]
    both_built_here = source.replace("(x, b, arr)", "(x, arr)").replace(
        "a = torch.from_numpy(arr)\n", "a = torch.from_numpy(arr)\n            b = torch.from_numpy(arr)\n"
    )
    moved = run(CudaConstants, both_built_here)
    assert "a = a.to(x.device)\n    b = b.to(x.device)\n" in moved.code
    assert [edit.safety for edit in moved.edits] == [Safety.SAFE]


def test_a_guarded_move_of_what_may_be_elsewhere_is_unsafe():
    # h comes from the caller: on a CPU input it may be a CUDA tensor the old code left there.
    source = """
        import torch


        def f(x, h):
            h = h * torch.ones(3)
            if x.is_cuda:
                h = h.cuda()
            return x + h
        """
    result = run(CudaConstants, source)
    assert "h = h.cuda()" in result.code
    assert [(f.line, f.fix_available) for f in result.findings] == [(6, True)]
    assert "    h = h.to(x.device)\n    return" in run(CudaConstants, source, unsafe=True).code


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            def f(x, h):
                if x.is_cuda:
                    h = h.cuda()
                else:
                    h = h.double()
                return x + h
            """,
            id="with-else",
        ),
        pytest.param(
            """
            def f(x, h):
                if x.is_cuda:
                    h = h.cuda()
                    print(h)
                return x + h
            """,
            id="other-statements",
        ),
        pytest.param(
            """
            def f(x, h, use_cuda):
                if use_cuda and x.is_cuda:
                    h = h.cuda()
                return x + h
            """,
            id="compound-test",
        ),
        pytest.param(
            """
            def f(x, h):
                if x.is_cuda:
                    h = h.cuda(1)
                return x + h
            """,
            id="explicit-device",
        ),
        pytest.param(
            """
            def f(x, h, y):
                if x.is_cuda:
                    h = h.cuda(device=y.get_device())
                return x + h
            """,
            id="another-tensors-device",
        ),
        pytest.param(
            """
            def f(x, h):
                if isinstance(x, (list, tuple)):
                    h = h.cuda()
                return x + h
            """,
            id="isinstance-of-a-tuple-of-types",
        ),
        pytest.param(
            """
            def f(x, h):
                if isinstance(x, torch.cuda.Event):
                    h = h.cuda()
                return x + h
            """,
            id="isinstance-of-a-cuda-class-that-is-no-tensor-type",
        ),
        pytest.param(
            """
            def f(xs, h):
                if isinstance(xs[0].data, torch.cuda.FloatTensor):
                    h = h.cuda()
                return xs[0] + h
            """,
            id="isinstance-of-no-plain-name",  # the fix names the guard's tensor: `xs[0]` it cannot
        ),
        pytest.param(
            """
            def f(x, h):
                if isinstance(g(x), torch.cuda.FloatTensor):
                    h = h.cuda()
                return x + h
            """,
            id="isinstance-of-a-call",
        ),
        pytest.param(
            """
            def f(x, h):
                if x.is_cuda:
                    h = h.cuda()
                    for i in range(3):
                        print(i)
                return x + h
            """,
            id="a-loop-in-the-block",
        ),
    ],
)
def test_guarded_move_look_alikes_are_unchanged(source):
    unchanged(CudaConstants, "import torch\n\n\n" + dedent(source))


def test_module_state_moved_under_a_flag_is_already_on_the_module_device():
    before = module(
        """
        def forward(self, x):
            eps = self.weight_epsilon.cuda() if USE_CUDA else self.weight_epsilon
            other = self.scale.cuda() if USE_CUDA else self.scale
            return F.linear(x, self.weight_mu * eps) * other
        """,
        init="""
        self.weight_mu = nn.Parameter(torch.zeros(3, 3))
        self.register_buffer("weight_epsilon", torch.zeros(3, 3))
        self.scale = 2.0
        """,
    )
    result = rewrite(CudaConstants, before, before.replace(
        "self.weight_epsilon.cuda() if USE_CUDA else self.weight_epsilon", "self.weight_epsilon"
    ))
    assert len(result.edits) == 1


def test_a_flag_choosing_between_two_buffers_is_left():
    # `self.bias.cuda() if USE_CUDA else self.eps`: the branches are different tensors, so the
    # conditional still chooses one; only a buffer against its own move collapses.
    source = module(
        """
        def forward(self, x):
            return x + (self.bias.cuda() if USE_CUDA else self.eps)
        """,
        init="""
        self.register_buffer("eps", torch.zeros(3))
        self.register_buffer("bias", torch.ones(3))
        """,
    )
    unchanged(CudaConstants, source)


def test_a_parameter_rebound_by_unpacking_is_not_a_reference():
    # `x, y = y`: x is used as a tensor first, then may hold anything; no device to take from it.
    source = module(
        """
        def forward(self, x, y):
            n = x.size(0)
            x, y = y
            return torch.zeros(n).cuda()
        """,
        init="self.k = 3",
    )
    result = unchanged(CudaConstants, source)
    assert codes(result.findings) == ("TU301",)
    assert "no tensor in scope" in result.findings[0].message


@pytest.mark.parametrize("name", ["zeros", "ones", "randn", "x_zeros"])
def test_a_guarded_local_named_like_its_factory_is_created_on_the_guards_device(name):
    # a2c's `zeros = torch.zeros(...)`: `torch.zeros` is no use of the local `zeros`, so the
    # creation gets the device, not only the move its removal
    factory = name if name != "x_zeros" else "zeros"
    # a random draw stays on the CPU generator: it is moved, not created on the device
    created = f"torch.{factory}(size).to(x.device)" if factory == "randn" else f"torch.{factory}(size, device=x.device)"
    before = f"""
        import torch


        def pad(x, size):
            {name} = torch.{factory}(size)
            if x.is_cuda:
                {name} = {name}.cuda()
            return {name}
        """
    after = f"""
        import torch


        def pad(x, size):
            {name} = {created}
            return {name}
        """
    rewrite(CudaConstants, before, after)


def test_a_tuple_of_moves_under_a_guard_follows_the_guard():
    # NRI's set_diag_to_one: two locals moved in one statement under `if x.is_cuda:`
    before = """
        import torch


        def set_diag_to_one(x):
            mask = torch.diag(torch.ones(x.size(1))).unsqueeze(0).expand_as(x)
            inverse_mask = torch.ones(x.size(1), x.size(1)) - mask
            if x.is_cuda:
                mask, inverse_mask = mask.cuda(), inverse_mask.cuda()
            return mask + inverse_mask * x
        """
    after = """
        import torch


        def set_diag_to_one(x):
            mask = torch.diag(torch.ones(x.size(1))).unsqueeze(0).expand_as(x)
            inverse_mask = torch.ones(x.size(1), x.size(1)) - mask
            mask, inverse_mask = mask.to(x.device), inverse_mask.to(x.device)
            return mask + inverse_mask * x
        """
    rewrite(CudaConstants, before, after, unsafe=True)


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("a, b = b.cuda(), a.cuda()", id="swapped"),
        pytest.param("a, b = a.cuda(), b", id="one-not-moved"),
        pytest.param("a, b = a.cuda(), b.cuda(), 1", id="lengths-differ"),
        pytest.param("a, *b = a.cuda(), b.cuda()", id="starred"),
    ],
)
def test_tuple_moves_that_are_not_each_onto_itself_are_left(statement):
    source = f"""
        import torch


        def f(x):
            a = torch.zeros(3)
            b = torch.ones(3)
            if x.is_cuda:
                {statement}
            return a, b
        """
    result = run(CudaConstants, source, unsafe=True)
    assert f"if x.is_cuda:\n        {statement}" in result.code


def test_a_guard_read_through_data_is_the_same_guard():
    # 0.3 code often tested `x.data.is_cuda` (a Variable's tensor): the same device as `x`.
    source = """
        import numpy as np
        import torch
        import torch.nn as nn


        class STN3d(nn.Module):
            def forward(self, x):
                iden = torch.from_numpy(np.eye(3).flatten().astype(np.float32)).view(1, 9)
                if x.data.is_cuda:
                    iden = iden.cuda()
                return x + iden
        """
    expected = source.replace(
        "                if x.data.is_cuda:\n                    iden = iden.cuda()\n",
        "                iden = iden.to(x.device)\n",
    )
    assert rewrite(CudaConstants, source, expected).edits[0].safety.value == "safe"


def test_a_layer_class_not_from_torch_gives_no_parameter_to_ask():
    # `Linear` of the user's own library may own no parameter: `next(self.parameters())` could raise.
    source = module(
        "def init_hidden(self, n):\n    return torch.zeros(n, 3).cuda()",
        init="self.fc = Linear(3, 3)",
        header="import torch\nimport torch.nn as nn\nfrom mylayers import Linear\n",
    )
    result = unchanged(CudaConstants, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU301", 12)]
    assert "no tensor in scope" in result.findings[0].message


def test_a_buffer_registered_as_none_is_no_reference():
    # `register_buffer("mask", None)` holds no tensor: `self.mask.device` would raise.
    source = module(
        "def init_hidden(self, n):\n    return torch.zeros(n, 3).cuda()", init='self.register_buffer("mask", None)'
    )
    result = unchanged(CudaConstants, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU301", 12)]


def test_a_constant_scaled_by_a_number_is_still_a_constant():
    before = module("def forward(self, x):\n    h = (torch.ones(x.size(0), 3) * 0.5).cuda()\n    return x + h")
    after = module("def forward(self, x):\n    h = (torch.ones(x.size(0), 3) * 0.5).to(x.device)\n    return x + h")
    assert rewrite(CudaConstants, before, after).edits[0].safety.value == "safe"


def test_a_conditional_with_another_constant_on_the_cpu_keeps_both_branches():
    # `zeros(...).cuda() if flag else ones(...)`: not one constant moved, two different values.
    before = module(
        "def forward(self, x):\n"
        "    h = torch.zeros(x.size(0), 3).cuda() if self.use_cuda else torch.ones(x.size(0), 3)\n"
        "    return x + h"
    )
    after = module(
        "def forward(self, x):\n"
        "    h = torch.zeros(x.size(0), 3, device=x.device) if self.use_cuda else torch.ones(x.size(0), 3)\n"
        "    return x + h"
    )
    rewrite(CudaConstants, before, after)


@pytest.mark.parametrize(
    "made",
    [
        pytest.param("h = torch.as_tensor(a, device=d)", id="made-on-a-given-device"),
        pytest.param("z = torch.zeros(1)", id="a-parameter-never-made-here"),
    ],
)
def test_a_guarded_move_of_what_may_not_be_on_the_cpu_is_unsafe(made):
    # `.to(x.device)` would move h where `if x.is_cuda:` left it (on the CPU input, a tensor
    # already on a GPU stays there in the legacy code): only safe for a tensor built on the CPU.
    source = f"""
        import torch


        def f(x, h, a, d):
            {made}
            if x.is_cuda:
                h = h.cuda()
            return x + h
        """
    result = run(CudaConstants, source)
    assert "h = h.cuda()" in result.code
    assert [(f.code, f.line, f.fix_available) for f in result.findings] == [("TU301", 6, True)]


def test_a_guarded_move_of_a_constant_with_an_else_is_left():
    # The guard's `else` does something too: rewriting the move alone would drop it.
    source = """
        import torch


        def f(x, n):
            out = x * 2
            r = torch.zeros(n)
            if out.is_cuda:
                r = r.cuda()
            else:
                r = r.double()
            return out + r
        """
    unchanged(CudaConstants, source)


def test_a_guarded_move_of_a_like_factory_is_unsafe():
    # `zeros_like(y)` is made on y's device, which may differ from the guard's: not surely on the CPU.
    source = """
        import torch


        def f(x, y):
            out = x * 2
            r = torch.zeros_like(y)
            if out.is_cuda:
                r = r.cuda()
            return out + r
        """
    result = run(CudaConstants, source)
    assert "r = r.cuda()" in result.code
    assert [(f.code, f.line, f.fix_available) for f in result.findings] == [("TU301", 7, True)]
    fixed = run(CudaConstants, source, unsafe=True)
    assert "    r = torch.zeros_like(y)\n    r = r.to(out.device)\n" in fixed.code
    assert [e.safety.value for e in fixed.edits] == ["unsafe"]


def test_a_guarded_move_with_an_else_keeps_the_else_under_the_negated_test():
    rewrite(
        CudaConstants,
        """
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def init_hidden(self, x):
                h = torch.zeros(1, x.size(0), 3)
                if self.use_cuda:
                    h = h.cuda()
                else:
                    print("on the CPU")
                return h
        """,
        """
        import torch
        import torch.nn as nn

        class M(nn.Module):
            def init_hidden(self, x):
                h = torch.zeros(1, x.size(0), 3, device=x.device)
                if not self.use_cuda:
                    print("on the CPU")
                return h
        """,
    )


def test_a_wrapped_constant_is_created_on_the_device_beside_an_empty_parameter():
    # `Variable(torch.zeros(3))` is the constant itself, and so is one kept for its `requires_grad=`;
    # `nn.Parameter()` (no data) has nothing to move.
    before = (
        "def forward(self, x):\n    mask = Variable(torch.zeros(3)).cuda()\n"
        "    keep = Variable(torch.ones(3), requires_grad=False).cuda()\n    return x.view(-1) + mask + keep"
    )
    after = (
        "def forward(self, x):\n    mask = torch.zeros(3, device=x.device)\n"
        "    keep = Variable(torch.ones(3, device=x.device), requires_grad=False)\n    return x.view(-1) + mask + keep"
    )
    init = "self.w = nn.Parameter()"
    result = rewrite(CudaConstants, module(before, init=init), module(after, init=init))
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU301", 12, 15, "constant created on `x.device` instead of moved with `.cuda()`"),
        ("TU301", 13, 15, "constant created on `x.device` instead of moved with `.cuda()`"),
    ]
