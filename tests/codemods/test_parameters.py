import textwrap

import pytest
from codemod_harness import codes, rewrite, run, unchanged

from torchup.codemods.parameters import Parameters
from torchup.codemods.variable import UnwrapVariable


def module(imports: str, init_body: str) -> str:
    body = textwrap.indent(textwrap.dedent(init_body).strip("\n"), " " * 8)
    return f"{imports}\n\n\nclass Scale(nn.Module):\n    def __init__(self, n):\n        super(Scale, self).__init__()\n{body}\n"


TORCH = "import torch\nimport torch.nn as nn\nfrom torch.autograd import Variable"
# What is left of TORCH once the last Variable(...) is rewritten away.
NO_VARIABLE = "import torch\nimport torch.nn as nn"


@pytest.mark.parametrize(
    "imports, before, after",
    [
        pytest.param(
            TORCH,
            "self.w = torch.randn(n, requires_grad=True)",
            "self.w = nn.Parameter(torch.randn(n))",
            id="factory-requires-grad",
        ),
        pytest.param(
            TORCH,
            "self.gamma = Variable(torch.ones(n), requires_grad=True).cuda()",
            "self.gamma = nn.Parameter(torch.ones(n))",
            id="variable-requires-grad-then-cuda",
        ),
        pytest.param(
            TORCH,
            "self.w = Variable(torch.zeros(n).cuda(), requires_grad=True)",
            "self.w = nn.Parameter(torch.zeros(n))",
            id="cuda-inside-variable",
        ),
        pytest.param(
            TORCH,
            "self.w = torch.randn(n, n).detach().requires_grad_()\nself.w = self.w.cuda()",
            "self.w = nn.Parameter(torch.randn(n, n))",
            id="tu101-form-and-later-move-removed",
        ),
        pytest.param(
            TORCH,
            "self.w = torch.zeros(n).requires_grad_(True)  # learnt",
            "self.w = nn.Parameter(torch.zeros(n))  # learnt",
            id="requires-grad-underscore-keeps-comment",
        ),
        pytest.param(
            "import torch\nfrom torch import nn\nfrom torch.nn import Parameter",
            "self.w = torch.zeros(n, requires_grad=True)",
            "self.w = Parameter(torch.zeros(n))",
            id="existing-parameter-import",
        ),
        pytest.param(
            "import torch\nimport torch.nn\nfrom torch.nn import Module as nnModule\nnn = torch.nn",
            "self.w = torch.zeros(n, requires_grad=True)",
            "self.w = torch.nn.Parameter(torch.zeros(n))",
            id="qualified-spelling",
        ),
    ],
)
def test_rewrites(imports, before, after):
    after_imports = NO_VARIABLE if "Variable(" in before else imports
    rewrite(Parameters, module(imports, before), module(after_imports, after), unsafe=True)


def test_adds_torch_nn_import_when_the_file_cannot_name_it():
    before = textwrap.dedent("""
        from torch import zeros
        from torch.nn import Module


        class Scale(Module):
            def __init__(self):
                super(Scale, self).__init__()
                self.w = zeros(3, requires_grad=True)
        """)
    after = textwrap.dedent("""
        from torch import zeros
        from torch.nn import Module
        import torch.nn as nn


        class Scale(Module):
            def __init__(self):
                super(Scale, self).__init__()
                self.w = nn.Parameter(zeros(3))
        """)
    rewrite(Parameters, before, after, unsafe=True)


def test_adds_import_torch_when_nn_names_something_else():
    before = textwrap.dedent("""
        from torch import zeros
        from torch.nn import Module
        import numpy as nn


        class Scale(Module):
            def __init__(self):
                super(Scale, self).__init__()
                self.w = zeros(3, requires_grad=True)
                self.table = nn.zeros(3)
        """)
    after = before.replace("import numpy as nn\n", "import numpy as nn\nimport torch\n").replace(
        "self.w = zeros(3, requires_grad=True)", "self.w = torch.nn.Parameter(zeros(3))"
    )
    rewrite(Parameters, before, after, unsafe=True)


def test_unsafe_edit_is_declined_without_unsafe_fixes():
    source = module(TORCH, "self.w = torch.randn(n, requires_grad=True)")
    result = unchanged(Parameters, source, unsafe=False)
    assert [(f.code, f.line, f.fix_available) for f in result.findings] == [("TU202", 9, True)]
    assert "parameters() includes it" in result.findings[0].message
    applied = run(Parameters, source, unsafe=True)
    assert [(e.line, e.safety.value) for e in applied.edits] == [(9, "unsafe")]


@pytest.mark.parametrize(
    "body, reason",
    [
        pytest.param("self.w = torch.randn(n, requires_grad=True) * 0.1", "not a leaf", id="not-a-leaf"),
        pytest.param("self.w = Variable(*data, requires_grad=True)", "not a leaf", id="starred-variable"),
        pytest.param("self.w = Variable(a, b, requires_grad=True)", "not a leaf", id="two-positional-variable"),
        pytest.param("self.w = torch.randn(n).requires_grad_(True, False)", "not a leaf", id="two-flags"),
        pytest.param("self.w = torch.randn(n).requires_grad_(*flags)", "not a leaf", id="starred-flag"),
        pytest.param("self.w = torch.randn(n).requires_grad_(grad=True)", "not a leaf", id="other-keyword"),
        pytest.param(
            "self.w = torch.randn(n, requires_grad=True)\nself.w = self.w * 2",
            "assigned again",
            id="reassigned",
        ),
        pytest.param(
            "if n:\n    self.w = torch.randn(n, requires_grad=True)", "not assigned once, directly", id="in-a-block"
        ),
        pytest.param(
            "for i in range(2):\n    self.w = torch.randn(n, requires_grad=True)", "not assigned once, directly", id="in-a-loop"
        ),
    ],
)
def test_findings(body, reason):
    result = unchanged(Parameters, module(TORCH, body))
    assert codes(result.findings) == ("TU202",)
    assert result.findings[0].line == (10 if "again" in reason or "\n " in body else 9)
    assert reason in result.findings[0].message


def test_an_attribute_reassigned_in_another_method_is_reported_not_converted():
    # As a Parameter, `self.w = torch.zeros(3)` in reset() would raise TypeError.
    source = module(TORCH, "self.w = torch.zeros(n, requires_grad=True)") + "\n    def reset(self):\n        self.w = torch.zeros(3)\n"
    result = unchanged(Parameters, source, unsafe=True)
    assert codes(result.findings) == ("TU202",) and result.findings[0].line == 12
    assert "assigned again in `reset`" in result.findings[0].message


def test_requires_grad_false_is_never_made_a_parameter():
    source = module(TORCH, "self.w = torch.zeros(n).requires_grad_(False)")
    result = run(Parameters, source, unsafe=True)
    assert result.code == source and not result.edits


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("torch.zeros(n).requires_grad_(False)", id="positional"),
        pytest.param("torch.zeros(n).requires_grad_(requires_grad=False)", id="keyword"),
        pytest.param("Variable(torch.zeros(n)).cuda().requires_grad_(False)", id="moved-first"),
    ],
)
def test_requires_grad_false_in_place_is_no_finding(value):
    # `t.requires_grad_(False)` asks for no gradient: nothing for TU202 to convert or to report
    # (it was reported as "requires grad ... not a leaf tensor").
    result = unchanged(Parameters, module(TORCH, f"self.w = {value}"))
    assert not result.findings


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("torch.zeros(n, requires_grad=learn)", id="factory-keyword"),
        pytest.param("torch.zeros(n).requires_grad_(learn)", id="in-place"),
        pytest.param("torch.zeros(n).requires_grad_(requires_grad=learn)", id="in-place-keyword"),
        pytest.param("torch.zeros(n).detach().requires_grad_(learn)", id="tu101-form"),
        pytest.param("Variable(torch.zeros(n), requires_grad=learn)", id="variable"),
    ],
)
def test_a_requires_grad_flag_is_kept_on_the_parameter(value):
    # `requires_grad=learn` trained the tensor only when `learn` was true: a plain
    # `nn.Parameter(t)` would train it always.
    after_imports = NO_VARIABLE if "Variable(" in value else TORCH
    rewrite(
        Parameters,
        module(TORCH, f"self.w = {value}"),
        module(after_imports, "self.w = nn.Parameter(torch.zeros(n), requires_grad=learn)"),
        unsafe=True,
    )


def test_a_requires_grad_flag_parameter_keeps_the_flag_s_meaning():
    torch = pytest.importorskip("torch")
    namespace = {}
    code = run(Parameters, module(TORCH, "self.w = torch.zeros(n, requires_grad=learn)").replace(
        "def __init__(self, n)", "def __init__(self, n, learn)"), unsafe=True).code
    exec(compile(code, "example.py", "exec"), namespace)
    frozen, trained = namespace["Scale"](3, False), namespace["Scale"](3, True)
    assert not frozen.w.requires_grad and trained.w.requires_grad
    assert [name for name, _ in frozen.named_parameters()] == ["w"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "import torch\n\nclass Plain(object):\n    def __init__(self):\n        self.w = torch.zeros(3, requires_grad=True)\n",
            id="not-a-module",
        ),
        pytest.param(module(TORCH, "self.w = nn.Parameter(torch.zeros(n))"), id="already-a-parameter"),
        pytest.param(
            module(TORCH, 'self.register_parameter("w", None)\nself.w = torch.zeros(n, requires_grad=True)'),
            id="already-registered",
        ),
        pytest.param(module(TORCH, "self.w = torch.zeros(n, requires_grad=False)"), id="requires-grad-false"),
        pytest.param(module(TORCH, "self.w = torch.zeros(n)"), id="a-constant-is-tu201"),
        pytest.param(module(TORCH, "self.w = my_tensor(n, requires_grad=True)"), id="user-function"),
    ],
)
def test_look_alikes_are_unchanged(source):
    result = unchanged(Parameters, source)
    assert not result.findings


def test_after_tu101_has_run():
    source = module(TORCH, "self.w = Variable(torch.randn(n, n), requires_grad=True)")
    result = run([UnwrapVariable, Parameters], source, unsafe=True)
    assert "self.w = nn.Parameter(torch.randn(n, n))" in result.code


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param(
            "self.w = Variable(torch.randn(n, n) * 0.1, requires_grad=True)",
            "self.w = nn.Parameter(torch.randn(n, n) * 0.1)",
            id="scaled-factory",
        ),
        pytest.param(
            "self.w = Variable((torch.randn(n) + 1) / 2, requires_grad=True)",
            "self.w = nn.Parameter((torch.randn(n) + 1) / 2)",
            id="inner-parentheses-kept",
        ),
    ],
)
def test_parentheses_tu101_needed_are_dropped(body, expected):
    # TU101 writes `(t * 0.1).detach().requires_grad_()`; inside nn.Parameter(...) they are noise.
    source = module(TORCH, body)
    result = run([UnwrapVariable, Parameters], source, unsafe=True)
    assert module(NO_VARIABLE, expected) == result.code
    again = run([UnwrapVariable, Parameters], result.code, unsafe=True)
    assert again.code == result.code and not again.edits


def test_requires_grad_attribute_outside_init_is_reported():
    source = module(TORCH, "self.k = n") + (
        "\n    def reset(self, n):\n        self.w = torch.zeros(n, requires_grad=True)\n"
    )
    result = unchanged(Parameters, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU202", 12)]
    assert "first assigned in `reset`" in result.findings[0].message


OPTIMIZER_BY_HAND = module(
    TORCH, "self.proj = nn.Linear(n, n)\nself.w = Variable(torch.randn(n), requires_grad=True)"
) + textwrap.dedent(
    """

    def get_optimizer(model, lr=0.01):
        params = list(model.parameters()) + [model.w, model.proj.weight]
        return torch.optim.SGD(params, lr=lr)
    """
)


def test_attribute_listed_for_the_optimizer_by_hand_is_reported_once_converted():
    result = run([UnwrapVariable, Parameters], OPTIMIZER_BY_HAND, unsafe=True)
    assert "self.w = nn.Parameter(torch.randn(n))" in result.code
    listed = [f for f in result.findings if "twice per step" in f.message]
    # `model.proj.weight` was always a parameter: the author's own duplicate, not the migration's.
    assert [(f.code, f.line) for f in listed] == [("TU202", 14)]
    assert "`model.w`" in listed[0].message


def test_attribute_listed_by_hand_is_not_reported_while_it_stays_a_plain_tensor():
    declined = run([UnwrapVariable, Parameters], OPTIMIZER_BY_HAND, unsafe=False)
    assert not [f for f in declined.findings if "twice per step" in f.message]
    assert [f.line for f in declined.findings if f.code == "TU202"] == [10]


def test_prefilter_needs_a_requires_grad_request_and_an_init():
    modern = "import torch\nfrom torch import nn\n\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = nn.Parameter(torch.empty(3), requires_grad=False)\n"
    assert not Parameters.may_apply(modern)
    assert not Parameters.may_apply(modern + "\n    def forward(self, x):\n        return x if x.requires_grad else x * 2\n")
    assert not Parameters.may_apply("def f(x):\n    return x.requires_grad_()\n")
    assert Parameters.may_apply(modern.replace("requires_grad=False", "requires_grad = flag"))
    assert Parameters.may_apply(modern.replace("nn.Parameter(torch.empty(3), requires_grad=False)", "torch.zeros(3).requires_grad_()"))
    assert Parameters.may_apply("from torch.autograd import Variable as V\nclass M(B):\n    def __init__(self):\n        self.w = V(t, requires_grad\n=True)\n")


def test_an_attribute_set_before_the_base_init_is_reported_not_converted():
    # nn.Module.__setattr__ needs the base __init__ first: a Parameter set before it raises.
    source = TORCH + textwrap.dedent("""


        class Scale(nn.Module):
            def __init__(self, n):
                self.w = torch.randn(n, requires_grad=True)
                super(Scale, self).__init__()
        """)
    result = unchanged(Parameters, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU202", 8)]
    assert "before the base class `__init__`" in result.findings[0].message
    # an __init__ that never calls the base one is reported the same, not a crash
    never = unchanged(Parameters, source.replace("        super(Scale, self).__init__()\n", ""))
    assert [(f.code, f.line) for f in never.findings] == [("TU202", 8)]
    assert "before the base class `__init__`" in never.findings[0].message


def test_the_class_listing_its_own_attribute_is_not_an_optimizer_list():
    # `[self.w, x]` in the module's own method is a computation, not a list handed to an optimizer.
    source = module(TORCH, "self.w = torch.randn(n, requires_grad=True)") + (
        "\n    def forward(self, x):\n        return torch.cat([self.w, x])\n"
    )
    result = run(Parameters, source, unsafe=True)
    assert "self.w = nn.Parameter(torch.randn(n))" in result.code
    assert not result.findings


def test_a_file_that_binds_nn_itself_gets_torch_nn_parameter_spelled_out():
    # importing `torch.nn as nn` would shadow the file's own `nn`
    before = """
        from torch import zeros
        from torch.nn import Module

        nn = 4


        class Scale(Module):
            def __init__(self):
                super(Scale, self).__init__()
                self.w = zeros(3, requires_grad=True)
        """
    rewrite(
        Parameters,
        before,
        before.replace("from torch.nn import Module\n", "from torch.nn import Module\n        import torch\n").replace(
            "zeros(3, requires_grad=True)", "torch.nn.Parameter(zeros(3))"
        ),
        unsafe=True,
    )


def test_requires_grad_by_keyword_in_place_is_converted():
    # `requires_grad_(requires_grad=True)` is `requires_grad_()` spelled out: the same leaf.
    before = module(NO_VARIABLE, "self.w = torch.zeros(n).requires_grad_(requires_grad=True)")
    result = rewrite(Parameters, before, module(NO_VARIABLE, "self.w = nn.Parameter(torch.zeros(n))"), unsafe=True)
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        (
            "TU202",
            8,
            8,
            "`w` requires grad but was not a Parameter: now an nn.Parameter, so parameters() includes it (the "
            "optimizer trains it; its param order and a saved optimizer state change) and state_dict gains the key `w`",
        )
    ]
