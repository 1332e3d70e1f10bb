import textwrap

import pytest
from codemod_harness import codes, dedent, rewrite, run, unchanged

from torchup.analysis.module_index import build_module_index
from torchup.codemod import Edit, Finding, Safety, Settings
from torchup.codemods.buffers import Buffers

HEADER = """
import torch
import torch.nn as nn
from torch.autograd import Variable
"""


def with_header(body: str, variable: bool = True) -> str:
    """The usual imports, then ``body`` (which the harness would otherwise dedent with them)."""
    header = HEADER if variable else HEADER.replace("from torch.autograd import Variable\n", "")
    return header + textwrap.dedent(body)


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            with_header("""

            class PositionalEncoding(nn.Module):
                def __init__(self, d_model, max_len=50):
                    super(PositionalEncoding, self).__init__()
                    pe = torch.zeros(max_len, d_model)
                    position = torch.arange(0, max_len).unsqueeze(1).float()
                    pe[:, 0::2] = torch.sin(position)
                    self.pe = pe.unsqueeze(0)  # the table
                    self.pe = self.pe.cuda()

                def forward(self, x):
                    return x + Variable(self.pe[:, : x.size(1)])
            """),
            with_header("""

            class PositionalEncoding(nn.Module):
                def __init__(self, d_model, max_len=50):
                    super(PositionalEncoding, self).__init__()
                    pe = torch.zeros(max_len, d_model)
                    position = torch.arange(0, max_len).unsqueeze(1).float()
                    pe[:, 0::2] = torch.sin(position)
                    self.register_buffer("pe", pe.unsqueeze(0), persistent=False)  # the table

                def forward(self, x):
                    return x + Variable(self.pe[:, : x.size(1)])
            """),
            id="positional-encoding-local-then-moved",
        ),
        pytest.param(
            with_header("""

            class PE(nn.Module):
                def __init__(self, n):
                    super().__init__()
                    pe = torch.zeros(n, 4)
                    self.pe = pe.cuda()
            """),
            with_header("""

            class PE(nn.Module):
                def __init__(self, n):
                    super().__init__()
                    pe = torch.zeros(n, 4)
                    self.register_buffer("pe", pe, persistent=False)
            """),
            id="pe-cuda",
        ),
        pytest.param(
            with_header("""

            class Detector(nn.Module):
                def __init__(self, cfg):
                    super(Detector, self).__init__()
                    self.priors = Variable(make_priors(cfg), volatile=True)


            def make_priors(cfg):
                return torch.Tensor(cfg.boxes).view(-1, 4)
            """),
            with_header(
                """

            class Detector(nn.Module):
                def __init__(self, cfg):
                    super(Detector, self).__init__()
                    self.register_buffer("priors", make_priors(cfg), persistent=False)


            def make_priors(cfg):
                return torch.Tensor(cfg.boxes).view(-1, 4)
            """,
                variable=False,
            ),
            id="prior-boxes-volatile-from-helper",
        ),
        pytest.param(
            with_header("""

            class Encoder(nn.Module):
                def __init__(self, n):
                    super(Encoder, self).__init__()
                    self.init_h = Variable(torch.FloatTensor(1, n).zero_()).cuda()
            """),
            with_header(
                """

            class Encoder(nn.Module):
                def __init__(self, n):
                    super(Encoder, self).__init__()
                    self.register_buffer("init_h", torch.FloatTensor(1, n).zero_(), persistent=False)
            """,
                variable=False,
            ),
            id="lstm-initial-state",
        ),
        pytest.param(
            """
            import numpy as np
            import torch
            from torch.nn import Module


            class Warp(Module):
                def __init__(self, h, w):
                    Module.__init__(self)
                    self.grid = torch.from_numpy(np.zeros((h, w, 2), dtype=np.float32))

                def forward(self, x):
                    return x + self.grid.cuda()
            """,
            """
            import numpy as np
            import torch
            from torch.nn import Module


            class Warp(Module):
                def __init__(self, h, w):
                    Module.__init__(self)
                    self.register_buffer("grid", torch.from_numpy(np.zeros((h, w, 2), dtype=np.float32)), persistent=False)

                def forward(self, x):
                    return x + self.grid.cuda()
            """,
            id="sampling-grid-from-numpy",
        ),
        pytest.param(
            with_header("""

            class Gate(nn.Module):
                def __init__(self, n, gpu):
                    super(Gate, self).__init__()
                    self.ones = torch.ones(n).cuda() if gpu else torch.ones(n)
                    if gpu:
                        self.ones = self.ones.cuda()
            """),
            with_header("""

            class Gate(nn.Module):
                def __init__(self, n, gpu):
                    super(Gate, self).__init__()
                    self.register_buffer("ones", torch.ones(n), persistent=False)
            """),
            id="conditional-constant-collapses",
        ),
        pytest.param(
            with_header("""

            class Mask(nn.Module):
                def __init__(self, n, gpu):
                    super(Mask, self).__init__()
                    # the mask
                    if gpu:
                        self.mask = torch.ones(n).cuda()
                    else:
                        self.mask = torch.ones(n)
            """),
            with_header("""

            class Mask(nn.Module):
                def __init__(self, n, gpu):
                    super(Mask, self).__init__()
                    # the mask
                    self.register_buffer("mask", torch.ones(n), persistent=False)
            """),
            id="conditional-statement-collapses",
        ),
        pytest.param(
            with_header("""

            class Scaled(nn.Module):
                def __init__(self, n):
                    super(Scaled, self).__init__()
                    self.scale = 2 * torch.ones(n)
                    self.scale = self.scale.unsqueeze(0)

                def forward(self, x):
                    return x * Variable(self.scale)
            """),
            with_header("""

            class Scaled(nn.Module):
                def __init__(self, n):
                    super(Scaled, self).__init__()
                    self.register_buffer("scale", 2 * torch.ones(n), persistent=False)
                    self.scale = self.scale.unsqueeze(0)

                def forward(self, x):
                    return x * Variable(self.scale)
            """),
            id="later-reassignment-updates-the-buffer",
        ),
        pytest.param(
            """
            import torch as T
            import torch.nn as nn


            class Base(nn.Module):
                pass


            class Child(Base):
                def __init__(self):
                    super(Child, self).__init__()
                    self.eye = T.eye(3)

                def forward(self, x):
                    return x.mm(self.eye.cuda())
            """,
            """
            import torch as T
            import torch.nn as nn


            class Base(nn.Module):
                pass


            class Child(Base):
                def __init__(self):
                    super(Child, self).__init__()
                    self.register_buffer("eye", T.eye(3), persistent=False)

                def forward(self, x):
                    return x.mm(self.eye.cuda())
            """,
            id="indirect-subclass-and-torch-alias",
        ),
    ],
)
def test_rewrites(before, after):
    declined = run(Buffers, before)  # every conversion is an unsafe fix
    assert declined.code == textwrap.dedent(before).lstrip("\n") and not declined.edits
    assert declined.findings and all(f.fix_available for f in declined.findings)
    rewrite(Buffers, before, after, unsafe=True)


def test_a_constant_marked_requires_grad_false_in_place_is_a_buffer():
    # `.requires_grad_(False)` asks for no gradient: a constant like any other, not TU202's.
    before = with_header("""

    class Scale(nn.Module):
        def __init__(self, n):
            super(Scale, self).__init__()
            self.v = torch.zeros(n).cuda().requires_grad_(False)

        def forward(self, x):
            return x * self.v
    """, variable=False)
    after = before.replace(
        "self.v = torch.zeros(n).cuda().requires_grad_(False)",
        'self.register_buffer("v", torch.zeros(n).requires_grad_(False), persistent=False)',
    )
    rewrite(Buffers, before, after, unsafe=True)
    trainable = before.replace("requires_grad_(False)", "requires_grad_()")
    assert not run(Buffers, trainable, unsafe=True).edits  # a parameter: TU202's


def test_a_move_guard_with_an_else_keeps_its_else():
    # `if gpu: self.x = self.x.cuda()` has nothing left to do once x moves with the module; its
    # `else` still has work: it stays, under the negated test (not `if gpu: pass`).
    before = with_header("""

    class Net(nn.Module):
        def __init__(self, gpu):
            super().__init__()
            self.scale = torch.ones(3)
            if gpu:
                self.scale = self.scale.cuda()
            else:
                print("on the cpu")

        def forward(self, x):
            return x * self.scale
    """, variable=False)
    after = before.replace(
        "self.scale = torch.ones(3)", 'self.register_buffer("scale", torch.ones(3), persistent=False)'
    ).replace("if gpu:\n            self.scale = self.scale.cuda()\n        else:\n", "if not gpu:\n")
    assert "if not gpu:" in after
    rewrite(Buffers, before, after, unsafe=True)


def test_branches_with_different_constants_are_not_collapsed():
    # `if gpu: self.x = A.cuda() else: self.x = B` is one constant only when A is B.
    source = with_header("""

    class Net(nn.Module):
        def __init__(self, gpu):
            super().__init__()
            if gpu:
                self.scale = torch.ones(3).cuda()
            else:
                self.scale = torch.zeros(3)

        def forward(self, x):
            return x * self.scale
    """, variable=False)
    result = unchanged(Buffers, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU201", 9)]
    assert "inside a block" in result.findings[0].message
    same = source.replace("torch.zeros(3)", "torch.ones(3)")
    collapsed = run(Buffers, same, unsafe=True)
    assert 'self.register_buffer("scale", torch.ones(3), persistent=False)' in collapsed.code
    assert "if gpu" not in collapsed.code


def test_an_in_place_update_through_data_is_persistent_state():
    # `self.count.data.add_(1)` in forward changes the state as `self.count.add_(1)` does.
    source = with_header("""

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.count = torch.zeros(1).cuda()

        def forward(self, x):
            self.count.data.add_(1)
            return x
    """, variable=False)
    result = run(Buffers, source, unsafe=True)
    assert 'self.register_buffer("count", torch.zeros(1), persistent=True)' in result.code
    assert [e.safety for e in result.edits] == [Safety.UNSAFE]


MUTATED = with_header("""

    class Counter(nn.Module):
        def __init__(self):
            super(Counter, self).__init__()
            self.running = torch.zeros(3)
            self.steps = torch.zeros(1)
            self.seen = torch.zeros(1)

        def forward(self, x):
            self.running.mul_(0.9)
            self.steps += 1
            self.seen[0] = x.size(0)
            return x * Variable(self.running).sum() + Variable(self.steps) + Variable(self.seen)
    """)


def test_mutated_state_is_a_persistent_buffer_and_an_unsafe_edit():
    declined = run(Buffers, MUTATED)
    assert declined.code == run(Buffers, MUTATED, unsafe=False).code
    assert "register_buffer" not in declined.code
    assert [(f.line, f.fix_available) for f in declined.findings] == [(9, True), (10, True), (11, True)]
    assert "state_dict gains the key `running`" in declined.findings[0].message

    applied = run(Buffers, MUTATED, unsafe=True)
    assert 'self.register_buffer("running", torch.zeros(3), persistent=True)' in applied.code
    assert 'self.register_buffer("steps", torch.zeros(1), persistent=True)' in applied.code
    assert 'self.register_buffer("seen", torch.zeros(1), persistent=True)' in applied.code
    assert all(e.safety.value == "unsafe" for e in applied.edits)


def test_reassigned_in_another_method_is_persistent():
    result = run(
        Buffers,
        with_header("""

        class Tracker(nn.Module):
            def __init__(self):
                super(Tracker, self).__init__()
                self.last = torch.zeros(2)

            def forward(self, x):
                self.last = x.detach() * 0 + torch.zeros(2)
                return x + Variable(self.last)
        """),
        unsafe=True,
    )
    assert 'self.register_buffer("last", torch.zeros(2), persistent=True)' in result.code


def test_an_attribute_of_another_object_named_alike_is_no_reassignment():
    # `state.w = 0` sets another object's `w`, not this module's
    result = run(
        Buffers,
        with_header("""

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.w = torch.zeros(3).cuda()

            def forward(self, x, state):
                state.w = 0
                return x + self.w
        """),
        unsafe=True,
    )
    assert 'self.register_buffer("w", torch.zeros(3), persistent=False)' in result.code
    assert not result.findings


@pytest.mark.parametrize(
    "setting, persistent",
    [("persistent", "True"), ("non-persistent", "False"), ("auto", "True")],
)
def test_buffers_setting_overrides_the_choice(setting, persistent):
    result = run(Buffers, MUTATED, settings=Settings(unsafe_fixes=True, buffers=setting))
    assert f'self.register_buffer("running", torch.zeros(3), persistent={persistent})' in result.code


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            with_header("""

            class NotAModule(object):
                def __init__(self):
                    self.x = torch.zeros(3)
            """),
            id="not-a-module",
        ),
        pytest.param(
            with_header("""

            class Registered(nn.Module):
                def __init__(self):
                    super(Registered, self).__init__()
                    self.register_buffer("x", torch.zeros(3))
                    self.x = self.x * 2
            """),
            id="already-registered",
        ),
        pytest.param(
            with_header("""

            class RegisteredThenMoved(nn.Module):
                def __init__(self):
                    super(RegisteredThenMoved, self).__init__()
                    self.register_buffer("pe", torch.zeros(3))
                    self.pe = Variable(torch.ones(3)).cuda()
            """),
            id="already-registered-then-assigned-the-legacy-way",
        ),
        pytest.param(
            with_header("""

            class Parameterised(nn.Module):
                def __init__(self):
                    super(Parameterised, self).__init__()
                    self.w = nn.Parameter(torch.zeros(3))
                    self.fc = nn.Linear(3, 3)
                    self.size = 3
            """),
            id="parameters-submodules-and-ints",
        ),
        pytest.param(
            with_header("""

            class Grad(nn.Module):
                def __init__(self):
                    super(Grad, self).__init__()
                    self.w = torch.zeros(3, requires_grad=True)
                    self.v = Variable(torch.zeros(3), requires_grad=True)
            """),
            id="requires-grad-is-tu202",
        ),
        pytest.param(
            """
            import torch
            import torch.nn as nn


            def zeros(n):
                return [0] * n


            class Lookalike(nn.Module):
                def __init__(self, n):
                    super(Lookalike, self).__init__()
                    self.a = zeros(n)
                    self.b = numpy.zeros(n)
                    self.c = torch.nn.functional.relu
            """,
            id="user-function-and-other-modules",
        ),
        pytest.param(
            """
            import torch
            import torch.nn as nn


            class Rebound(nn.Module):
                def __init__(self, n):
                    super(Rebound, self).__init__()
                    torch = object()
                    self.a = torch.zeros(n)
            """,
            id="rebound-torch",
        ),
        pytest.param(
            with_header("""

            class Scaled(nn.Module):
                def __init__(self):
                    super(Scaled, self).__init__()
                    self.scale = torch.ones(3)

                def forward(self, x):
                    x = x.cuda()
                    return x * self.scale
            """),
            id="cuda-move-of-another-tensor-in-forward",
        ),
        pytest.param(
            with_header("""

            class Unrolled(nn.Module):
                def __init__(self):
                    super(Unrolled, self).__init__()

                def forward(self, xs):
                    for self.h in xs:
                        pass
                    return torch.zeros(3).cuda() + self.h
            """),
            id="attribute-bound-by-a-loop-only",
        ),
        pytest.param(
            with_header("""

            class Pair(nn.Module):
                def __init__(self):
                    super(Pair, self).__init__()
                    self.a = self.b = torch.zeros(3).cuda(), 1
            """),
            id="chained-assignment-of-a-tuple",
        ),
    ],
)
def test_look_alikes_are_unchanged(source):
    unchanged(Buffers, source)


@pytest.mark.parametrize(
    "source, line, reason",
    [
        pytest.param(
            with_header("""

            class Hidden(nn.Module):
                def __init__(self):
                    super(Hidden, self).__init__()
                    self.h = torch.zeros(3).cuda()

                def forward(self, x):
                    self.h = self.rnn(x)
                    return x
            """),
            12,
            "`forward` assigns it a value not known to be a tensor",
            id="later-non-tensor",
        ),
        pytest.param(
            with_header("""

            class Late(nn.Module):
                def __init__(self):
                    super(Late, self).__init__()

                def reset(self, n):
                    self.state = Variable(torch.zeros(n))
            """),
            11,
            "first assigned outside `__init__`",
            id="first-assigned-outside-init",
        ),
        pytest.param(
            with_header("""

            class Blocky(nn.Module):
                def __init__(self, flag):
                    super(Blocky, self).__init__()
                    if flag:
                        self.x = torch.zeros(3).cuda()

                def reset(self):
                    self.x = torch.ones(3)
            """),
            10,
            "first assigned inside a block",
            id="assigned-in-a-block",
        ),
        pytest.param(
            with_header("""

            class Declared(nn.Module):
                table = None

                def __init__(self):
                    super(Declared, self).__init__()
                    self.table = torch.zeros(3).cuda()
            """),
            11,
            "tensor attribute `table` not converted to a buffer: the class body defines the name",
            id="class-attribute",
        ),
        pytest.param(
            with_header("""

            class Early(nn.Module):
                def __init__(self):
                    self.x = torch.zeros(3).cuda()
                    super(Early, self).__init__()
            """),
            8,
            "before the base class `__init__`",
            id="before-super-init",
        ),
        pytest.param(
            with_header("""

            class NoSuperInit(nn.Module):
                def __init__(self):
                    self.x = torch.zeros(3).cuda()
            """),
            8,
            "before the base class `__init__`",
            id="no-super-init-call",
        ),
        pytest.param(
            with_header("""

            class Recurrent(nn.Module):
                def __init__(self):
                    super(Recurrent, self).__init__()
                    self.h = torch.zeros(3).cuda()

                def forward(self, x):
                    out, self.h = self.rnn(x, self.h)
                    return out
            """),
            9,
            "also bound by a tuple assignment or loop",
            id="tuple-target-elsewhere",
        ),
        pytest.param(
            with_header("""

            class Unrolled(nn.Module):
                def __init__(self):
                    super(Unrolled, self).__init__()
                    self.h = torch.zeros(3).cuda()

                def forward(self, xs):
                    for self.h in xs:
                        pass
                    return self.h
            """),
            9,
            "also bound by a tuple assignment or loop",
            id="loop-target-elsewhere",
        ),
        pytest.param(
            with_header("""

            class Looped(nn.Module):
                def __init__(self):
                    super(Looped, self).__init__()
                    for i in range(3):
                        self.pe = torch.zeros(3).cuda()
            """),
            10,
            "first assigned inside a block",
            id="assigned-in-a-loop",
        ),
        pytest.param(
            with_header("""

            class Annotated(nn.Module):
                pe: torch.Tensor = None

                def __init__(self):
                    super(Annotated, self).__init__()
                    self.pe = torch.zeros(3).cuda()
            """),
            11,
            "the class body defines the name",
            id="annotated-class-attribute",
        ),
        pytest.param(
            with_header("""

            class Method(nn.Module):
                def __init__(self):
                    super(Method, self).__init__()
                    self.w = torch.zeros(3).cuda()

                def w(self):
                    return 1
            """),
            9,
            "the class body defines the name",
            id="method-of-the-same-name",
        ),
        pytest.param(
            with_header("""

            class Nested(nn.Module):
                def __init__(self):
                    super(Nested, self).__init__()
                    self.w = torch.zeros(3).cuda()

                class w(object):
                    pass
            """),
            9,
            "the class body defines the name",
            id="nested-class-of-the-same-name",
        ),
        pytest.param(
            with_header("""

            class Chained(nn.Module):
                def __init__(self):
                    super(Chained, self).__init__()
                    self.a = self.b = torch.zeros(3).cuda()
            """),
            9,
            "`self.a`, `self.b` in a chained assignment",
            id="chained-assignment",
        ),
        pytest.param(
            with_header("""

            class Cell(nn.Module):
                def __init__(self):
                    super(Cell, self).__init__()
                    self.h0, self.c0 = torch.zeros(2, 1, 3).cuda()
            """),
            9,
            "`self.h0`, `self.c0` unpacked in one assignment",
            id="one-tensor-unpacked",
        ),
        pytest.param(
            with_header("""

            class Cell(nn.Module):
                def __init__(self):
                    super(Cell, self).__init__()
                    self.h0, self.c0 = torch.zeros(1, 3).cuda(), torch.zeros(1, 3).cuda()
            """),
            9,
            "`self.h0`, `self.c0` unpacked in one assignment",
            id="tensors-unpacked-from-a-tuple",
        ),
        pytest.param(
            with_header("""

            class ChainedVariable(nn.Module):
                def __init__(self):
                    super(ChainedVariable, self).__init__()
                    self.h = self.c = Variable(torch.zeros(1, 3))
                    self.n = 1
            """),
            9,
            "chained assignment",
            id="chained-variable",
        ),
        pytest.param(
            with_header("""

            class ChainedLater(nn.Module):
                def reset(self):
                    self.h = self.c = torch.zeros(1, 3).cuda()

                def __init__(self):
                    super(ChainedLater, self).__init__()
                    self.reset()
            """),
            8,
            "chained assignment",
            id="chained-outside-init",
        ),
    ],
)
def test_findings(source, line, reason):
    result = unchanged(Buffers, source)
    assert codes(result.findings) == ("TU201",)
    assert result.findings[0].line == line
    assert reason in result.findings[0].message


def test_a_buffer_set_to_none_later_in_init_is_still_converted():
    # `register_buffer` accepts a later `self.mask = None` (the buffer becomes None), as the
    # plain attribute did.
    before = with_header("""

    class Masked(nn.Module):
        def __init__(self, use_mask):
            super(Masked, self).__init__()
            self.mask = torch.ones(3).cuda()
            if not use_mask:
                self.mask = None
    """)
    after = before.replace(
        "self.mask = torch.ones(3).cuda()", 'self.register_buffer("mask", torch.ones(3), persistent=False)'
    )
    rewrite(Buffers, before, after, unsafe=True)


def test_cross_file_subclass_through_the_repository_index():
    base = "import torch.nn as nn\n\nclass Base(nn.Module):\n    pass\n"
    child = textwrap.dedent("""
    import torch
    from models.base import Base


    class Child(Base):
        def __init__(self):
            super(Child, self).__init__()
            self.k = torch.ones(2)

        def forward(self, x):
            return x * self.k.cuda()
    """)
    # The harness names every file example.py.
    index = build_module_index({"repo/models/base.py": base, "example.py": child})
    assert "Child" not in build_module_index({"example.py": child}).module_classes("example.py")
    result = run(Buffers, child, facts=index, unsafe=True)
    assert 'self.register_buffer("k", torch.ones(2), persistent=False)' in result.code
    unchanged(Buffers, child)  # alone, the file cannot know Base is a Module


def test_edit_records_line_and_unsafe_message():
    source = (
        HEADER.lstrip()
        + "\n\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        + "        self.t = torch.ones(1).cuda()\n"
    )
    result = run(Buffers, source, unsafe=True)
    assert result.edits == (
        Edit(
            "TU201",
            9,
            8,
            "tensor attribute `t` registered as a non-persistent buffer: it now moves with the module, "
            "and also converts with `.half()`/`.to(dtype)`",
            Safety.UNSAFE,
        ),
    )
    assert not any(isinstance(r, Finding) for r in result.records)


def test_numpy_prelude_becomes_a_local_before_the_buffer():
    before = """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        class AffineGrid(nn.Module):
            def __init__(self, h, w):
                super(AffineGrid, self).__init__()
                self.h = h
                self.grid = np.zeros([h, w, 3], dtype=np.float32)
                self.grid[:, :, 2] = np.ones([h, w])
                self.grid = torch.from_numpy(self.grid.astype(np.float32))

            def forward(self, theta):
                return torch.bmm(Variable(self.grid.view(1, -1, 3)).expand(theta.size(0), -1, 3), theta)
        """
    after = """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        class AffineGrid(nn.Module):
            def __init__(self, h, w):
                super(AffineGrid, self).__init__()
                self.h = h
                grid = np.zeros([h, w, 3], dtype=np.float32)
                grid[:, :, 2] = np.ones([h, w])
                self.register_buffer("grid", torch.from_numpy(grid.astype(np.float32)), persistent=False)

            def forward(self, theta):
                return torch.bmm(Variable(self.grid.view(1, -1, 3)).expand(theta.size(0), -1, 3), theta)
        """
    rewrite(Buffers, before, after, unsafe=True)
    # a call of what a call returns (`np.vectorize(f)(...)`) does not reach `self`: still a rename
    rewrite(
        Buffers,
        before.replace("np.ones([h, w])", "np.vectorize(abs)(self.grid[:, :, 0])"),
        after.replace("np.ones([h, w])", "np.vectorize(abs)(grid[:, :, 0])"),
        unsafe=True,
    )
    # another object's attribute of the same name is not `self.grid`: it stays as it is
    rewrite(
        Buffers,
        before.replace("np.ones([h, w])", "np.ones([h, w]) * opts.grid"),
        after.replace("np.ones([h, w])", "np.ones([h, w]) * opts.grid"),
        unsafe=True,
    )


def test_numpy_prelude_stays_as_it_is_when_the_conversion_is_not_applied():
    # a safe run declines the (unsafe) conversion: the prelude must not become a local either,
    # even when a safe edit of the same pass (TU102 here) keeps that pass's tree
    from torchup.codemods.volatile import Volatile

    source = """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        class AffineGrid(nn.Module):
            def __init__(self, h, w):
                super(AffineGrid, self).__init__()
                self.grid = np.zeros([h, w, 3], dtype=np.float32)
                self.grid[:, :, 2] = np.ones([h, w])
                self.grid = torch.from_numpy(self.grid.astype(np.float32))

            def forward(self, theta):
                return torch.bmm(Variable(self.grid.view(1, -1, 3)).expand(theta.size(0), -1, 3), theta)


        def evaluate(model, x):
            out = model(Variable(x, volatile=True))
            return out
        """
    result = run([Volatile, Buffers], source)
    assert [e.code for e in result.edits] == ["TU102"]  # the pass has a safe edit
    init = dedent(source).split("    def forward")[0]
    assert result.code.startswith(init)
    assert [(f.code, f.fix_available) for f in result.findings if f.code == "TU201"] == [("TU201", True)]


@pytest.mark.parametrize(
    "between",
    [
        pytest.param("self.check()", id="a-method-may-read-it"),
        pytest.param("grid = 3", id="the-local-name-is-taken"),
        pytest.param("fill(self)", id="self-passed-to-a-function"),
    ],
)
def test_numpy_prelude_that_is_not_a_pure_rename_is_reported(between):
    source = f"""
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        class AffineGrid(nn.Module):
            def __init__(self, h, w):
                super(AffineGrid, self).__init__()
                self.grid = np.zeros([h, w, 3], dtype=np.float32)
                {between}
                self.grid = torch.from_numpy(self.grid)

            def forward(self, x):
                return Variable(self.grid) * x
        """
    result = unchanged(Buffers, source)
    assert [(f.line, "holds another value first" in f.message) for f in result.findings] == [(12, True)]


MODERN_MODULE = """
import torch
from torch import Tensor, nn


class Norm(nn.Module):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(F.pad(w, (1, 1)))
        self.register_buffer("running", w.new_zeros(n))

    def forward(self, x: Tensor) -> Tensor:
        '''
        >>> m = Norm(3)
        >>> m(torch.zeros(2, 3))
        '''
        return x * self.weight
"""


def test_prefilter_needs_a_tensor_made_in_the_file():
    assert not Buffers.may_apply(MODERN_MODULE)
    assert not Buffers.may_apply("import torch\n\ndef f(n):\n    return [torch.zeros(n) for _ in range(n)]\n")
    assert Buffers.may_apply(MODERN_MODULE.replace("F.pad(w, (1, 1))", "torch.empty(n)"))
    assert Buffers.may_apply("from torch import zeros as z\nclass M(nn.Module):\n    def __init__(self):\n        self.x = z(3)\n")
    assert Buffers.may_apply("from torch.autograd import Variable as V\nclass M(B):\n    def  __init__(self):\n        self.x = V(t)\n")
    assert Buffers.may_apply("import torch as th\nclass M(B):\n    def __init__(self):\n        self.x = (th.cuda.FloatTensor\n            )(3)\n")


def test_a_single_assignment_in_a_block_of_init_registers_there():
    before = with_header("""

    class Encoder(nn.Module):
        def __init__(self, dim, pos_enc=True):
            super(Encoder, self).__init__()
            if pos_enc:
                self.pe = make_positional_encodings(dim, 50).cuda()

        def forward(self, x):
            return x + self.pe[: x.size(0)]


    def make_positional_encodings(dim, n):
        return torch.zeros(n, dim)
    """)
    after = before.replace(
        "self.pe = make_positional_encodings(dim, 50).cuda()",
        'self.register_buffer("pe", make_positional_encodings(dim, 50), persistent=False)',
    )
    rewrite(Buffers, before, after, unsafe=True)  # every TU201 conversion is unsafe (issue 21)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            import numpy as np
            import torch
            from torch import nn


            def get_sinusoid_encoding_table(n_position, d_hid):
                table = np.array([[p / np.power(10000, 2 * (j // 2) / d_hid) for j in range(d_hid)] for p in range(n_position)])
                return torch.FloatTensor(table).unsqueeze(0)


            class VideoMAEEmbeddings(nn.Module):
                def __init__(self, config):
                    super().__init__()
                    self.position_embeddings = get_sinusoid_encoding_table(config.n, config.d)

                def forward(self, pixel_values):
                    embeddings = self.patch_embeddings(pixel_values)
                    return embeddings + self.position_embeddings.type_as(embeddings).to(embeddings.device).clone().detach()
            """,
            id="every-read-follows-the-input",
        ),
        pytest.param(
            """
            import torch
            from torch import nn
            from torch.autograd import Variable


            class Table(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.table = Variable(torch.ones(4))

                def forward(self, x):
                    return x + self.table[: x.size(0)].to(x)
            """,
            id="legacy-value-but-every-read-follows-the-input",
        ),
        pytest.param(
            """
            import torch
            from torch import nn
            from torch.autograd import Variable


            class Scale(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.scale = Variable(torch.ones(3))

                def forward(self, x):
                    return x * self.scale.type_as(x)
            """,
            id="legacy-value-read-through-type-as",
        ),
        pytest.param(
            """
            import torch
            from torch import nn
            from torch.autograd import Variable


            class Scale(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.scale = Variable(torch.ones(3))

                def forward(self, x, opt):
                    return x * self.scale.type_as(x) * opt.scale
            """,
            id="every-read-follows-the-input-beside-another-objects-attribute",
        ),
        pytest.param(
            """
            import math
            import torch
            from torch import nn


            class RandomResizedCrop(nn.Module):
                def __init__(self, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0)):
                    super().__init__()
                    self.ratio = ratio
                    self._log_ratio = torch.log(torch.tensor(self.ratio))

                def make_params(self, height, width):
                    log_ratio = self._log_ratio
                    aspect_ratio = torch.exp(torch.empty(1).uniform_(log_ratio[0], log_ratio[1])).item()
                    return {"aspect_ratio": aspect_ratio}
            """,
            id="torchvision-transform-constant",
        ),
        pytest.param(
            """
            import torch
            from torch import nn


            class Observer(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.scale = torch.ones(1)

                def set_scale(self, scale):
                    self.scale = scale

                def attach(self):
                    self._delay = torch.zeros(3)
            """,
            id="modern-state-set-elsewhere",
        ),
        pytest.param(
            """
            import torch
            from torch import nn


            class Scaled(nn.Module):
                def __init__(self, n):
                    super().__init__()
                    table = torch.zeros(n)
                    self.table = table * 2
            """,
            id="built-from-a-plain-local",
        ),
    ],
)
def test_modern_tensor_attributes_are_left_alone(source):
    result = unchanged(Buffers, source)
    assert not result.findings


def test_a_buffer_converts_with_half_where_the_attribute_did_not():
    """Why every conversion is unsafe: `.half()` rounds a floating buffer, not a plain attribute."""
    torch = pytest.importorskip("torch")

    class Plain(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.log_ratio = torch.log(torch.tensor([3.0 / 4.0, 4.0 / 3.0]))

    class Buffered(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("log_ratio", torch.log(torch.tensor([3.0 / 4.0, 4.0 / 3.0])), persistent=False)

    plain, buffered = Plain().half(), Buffered().half()
    assert plain.log_ratio.dtype == torch.float32 and buffered.log_ratio.dtype == torch.float16
    assert not torch.equal(plain.log_ratio, buffered.log_ratio.float())


def test_decisions_do_not_depend_on_how_much_of_the_tree_was_given(tmp_path):
    """The same edits on one subpackage as on the whole package (the base class lives above it)."""
    from click.testing import CliRunner

    from torchup.cli import main

    files = {
        "pkg/__init__.py": "",
        "pkg/modeling_utils.py": "from torch import nn\n\n\nclass PreTrainedModel(nn.Module):\n    pass\n",
        "pkg/models/__init__.py": "",
        "pkg/models/vid/__init__.py": "",
        "pkg/models/vid/modeling.py": textwrap.dedent("""
            import torch
            from ...modeling_utils import PreTrainedModel


            class VidModel(PreTrainedModel):
                def __init__(self, n):
                    super().__init__()
                    self.table = torch.ones(n).cuda()
                    self.follows = torch.ones(n).cuda()

                def forward(self, x):
                    return x * self.table + self.follows.to(x)
            """),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    def check(target):
        result = CliRunner().invoke(
            main, ["check", "--unsafe-fixes", "--select", "TU201", "--no-cache", str(target)], catch_exceptions=False
        )
        return [line.replace(str(tmp_path), "") for line in result.stdout.splitlines()]

    whole, subpackage = check(tmp_path / "pkg"), check(tmp_path / "pkg/models/vid")
    assert whole == subpackage
    assert len(whole) == 1 and "`table` registered as a non-persistent buffer" in whole[0]


def test_the_idiom_is_seen_in_the_file_as_read_after_tu101_unwrapped_it():
    from torchup.codemods.variable import UnwrapVariable

    source = with_header("""

        class Scaled(nn.Module):
            def __init__(self, n):
                super(Scaled, self).__init__()
                self.scale = Variable(torch.ones(n))
        """)
    safe = run([UnwrapVariable, Buffers], source)
    assert [(f.code, f.line, f.fix_available) for f in safe.findings] == [("TU201", 9, True)]
    applied = run([UnwrapVariable, Buffers], source, unsafe=True)
    assert 'self.register_buffer("scale", torch.ones(n), persistent=False)' in applied.code


def test_a_module_class_in_a_try_block_is_converted_after_tu101_rewrote_the_file():
    # the file as read is searched for the class by its class path: one under `try:` is not
    # found there, and the class as it is now decides
    from torchup.codemods.variable import UnwrapVariable

    source = """
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        try:
            class Net(nn.Module):
                def __init__(self):
                    super(Net, self).__init__()
                    self.pe = Variable(torch.zeros(3)).cuda()
        except ImportError:
            Net = None
        """
    applied = run([UnwrapVariable, Buffers], source, unsafe=True)
    assert 'self.register_buffer("pe", torch.zeros(3), persistent=False)' in applied.code


def test_a_plain_attribute_stays_plain_when_tu101_rewrote_something_else_in_the_file():
    from torchup.codemods.variable import UnwrapVariable

    source = with_header("""

        class Scaled(nn.Module):
            def __init__(self, n):
                super(Scaled, self).__init__()
                self.scale = torch.ones(n)

            def forward(self, x):
                return Variable(x) * self.scale
        """)
    applied = run([UnwrapVariable, Buffers], source, unsafe=True)
    assert "return x * self.scale" in applied.code  # TU101 did rewrite the file
    assert "self.scale = torch.ones(n)" in applied.code
    assert not [r for r in (*applied.edits, *applied.findings) if r.code == "TU201"]


@pytest.mark.parametrize("signature", ["*args", "*, key=None", "**options"])
def test_a_method_without_a_positional_parameter_is_no_method_of_self(signature):
    source = with_header(f"""

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.w = torch.zeros(3).cuda()

        def helper({signature}):
            return 1

        def forward(self, x):
            return x + self.w
    """)
    result = run(Buffers, source, unsafe=True)
    assert 'self.register_buffer("w", torch.zeros(3), persistent=False)' in result.code
    assert not result.findings


@pytest.mark.parametrize(
    "assignment",
    [
        "self.a = self.b = 0",
        "self.a = self.b = torch.zeros(3)",  # no device hard-wired: the modern kind, left silently
        "self.a = self.b = nn.Linear(3, 3).cuda()",  # a layer, not a tensor
        "a = b = torch.zeros(3).cuda()",  # locals
    ],
)
def test_chained_look_alikes_are_silent(assignment):
    source = with_header(f"""

    class Chain(nn.Module):
        def __init__(self):
            super(Chain, self).__init__()
            {assignment}
    """)
    result = unchanged(Buffers, source)
    assert not result.findings


_EMPTIED = """
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, gpu, other):
        super(M, self).__init__()
        self.w = torch.zeros(3)
        if {test}:
            self.w = self.w.cuda()
{rest}
"""


@pytest.mark.parametrize(
    "test, rest, after_if",
    [
        ("gpu", '        else:\n            print("cpu")', 'if not gpu:\n            print("cpu")'),
        ("not gpu", "        else:\n            other()", "if gpu:\n            other()"),
        ("gpu and other", "        else:\n            other()", "if not (gpu and other):\n            other()"),
        ("gpu", "        elif other:\n            other()", "if gpu:\n            pass\n        elif other:\n            other()"),
        ("gpu", "        # the CPU path\n        else:\n            other()",
         "if gpu:\n            pass\n        # the CPU path\n        else:\n            other()"),
    ],
    ids=["else", "negated-test", "compound-test", "elif-kept", "commented-else-kept"],
)
def test_an_if_whose_body_moved_away_keeps_its_else_under_the_negated_test(test, rest, after_if):
    before = _EMPTIED.format(test=test, rest=rest)
    after = before.replace("self.w = torch.zeros(3)", 'self.register_buffer("w", torch.zeros(3), persistent=False)')
    after = after.replace(f"if {test}:\n            self.w = self.w.cuda()\n{rest}", after_if)
    rewrite(Buffers, before, after, unsafe=True)


def test_a_conditional_constant_keeps_each_branch_its_own_value():
    result = run(
        Buffers,
        with_header("""

        class M(nn.Module):
            def __init__(self, small):
                super().__init__()
                self.c = torch.zeros(3) if small else torch.ones(3).cuda()

            def forward(self, x):
                return x + self.c
        """),
        unsafe=True,
    )
    assert 'self.register_buffer("c", torch.zeros(3) if small else torch.ones(3), persistent=False)' in result.code


def test_a_staticmethod_s_first_parameter_is_not_self():
    # `obj.mask = [...]` in a staticmethod is another object's attribute: the buffer is still made.
    body = """

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()
            self.mask = torch.ones(3).cuda()

        @staticmethod
        def make(obj):
            obj.mask = [1, 2, 3]

        def forward(self, x):
            return x * self.mask
    """
    before = with_header(body, variable=False)
    after = before.replace("self.mask = torch.ones(3).cuda()", 'self.register_buffer("mask", torch.ones(3), persistent=False)')
    result = rewrite(Buffers, before, after, unsafe=True)
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        (
            "TU201",
            8,
            8,
            "tensor attribute `mask` registered as a non-persistent buffer: it now moves with the module, and also "
            "converts with `.half()`/`.to(dtype)`",
        )
    ]


def test_a_tensor_between_other_values_in_init_is_declined_whole():
    body = """

    class Net(nn.Module):
        def __init__(self, values):
            super(Net, self).__init__()
            self.g = values
            self.g = torch.zeros(3)
            self.g = torch.tensor(self.g)
            self.g = self.g.cuda()

        def forward(self, x):
            return x * self.g
    """
    result = unchanged(Buffers, with_header(body, variable=False))
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        (
            "TU201",
            11,
            8,
            "tensor attribute `g` not converted to a buffer: `__init__` assigns it tensors and other values in turn",
        )
    ]
