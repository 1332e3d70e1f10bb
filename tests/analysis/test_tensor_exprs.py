import textwrap

import libcst as cst
import libcst.matchers as m
import pytest

from torchup.analysis.imports import import_table
from torchup.analysis.tensor_exprs import LEGACY_TYPES, strip_device_moves, tensor_exprs
from torchup.analysis.walk import find_all
from torchup.codemod import node_code

HEADER = """\
import numpy as np
import torch
import torch as T
from torch.autograd import Variable
from torch import FloatTensor


def table(n):
    t = torch.zeros(n, 2)
    return t.unsqueeze(0)


def maybe(n):
    if n:
        return torch.ones(n)
    return None


def f(x, n):
    n = n * 2
    pe = torch.zeros(n, 4)
    pe = pe.unsqueeze(0)
    k = 3
    y = x
    z = torch.ones(2)
    z = len(x)
    u = torch.ones(2)
    u, v = x
"""


def is_tensor_in_f(text: str) -> bool:
    """The tensor test inside `f` of HEADER."""
    module = cst.parse_module(HEADER)
    imports = import_table(module)
    function = next(s for s in module.body if isinstance(s, cst.FunctionDef) and s.name.value == "f")
    return tensor_exprs(module, imports).in_function(function).is_tensor(cst.parse_expression(text))


@pytest.mark.parametrize(
    "expression",
    [
        "torch.zeros(2, 3)",
        "T.randn(4)",
        "torch.FloatTensor(2, 3)",  # the legacy spelling ...
        "torch.empty(2, 3)",  # ... and what TU401 makes of it
        "FloatTensor(2, 3)",
        "torch.cuda.LongTensor(2)",
        "torch.from_numpy(np.zeros(3))",
        "torch.Tensor([1, 2])",
        "Variable(x)",
        "Variable(torch.FloatTensor(1, 4).zero_()).cuda()",
        "torch.arange(0, 10).float().unsqueeze(1).view(-1).t().to(x)",
        "torch.ones(3).fill_(2).cuda(0)",
        "torch.ones(3).data",
        "torch.ones(3)[0]",
        "2 * torch.ones(3) + 1",
        "-torch.ones(3)",
        "torch.ones(3).cuda() if gpu else torch.ones(3)",
        "pe",
        "pe * 2",
        "table(4)",
        "table(4).cuda()",
        "torch.eye(3).T",
        "pe.T.cuda()",
    ],
)
def test_tensors(expression):
    assert is_tensor_in_f(expression)


@pytest.mark.parametrize(
    "expression",
    [
        "x",  # a parameter: unknown
        "n",  # a parameter rebound from itself (`n = n * 2`): still unknown
        "y",
        "z",  # later assigned a non-tensor
        "u",  # later rebound by unpacking (`u, v = x`)
        "k",
        "np.zeros(3)",
        "maybe(3)",  # may return None
        "torch.ones(3).max(0)",  # a tuple
        "torch.ones(3) if gpu else None",
        "len(torch.ones(3))",
        "torch.nn.functional.relu",
        "zeros(3)",
        "not torch.ones(3)",
        "3 * 4",
    ],
)
def test_not_known_tensors(expression):
    assert not is_tensor_in_f(expression)


@pytest.mark.parametrize(
    "before, after",
    [
        ("Variable(t)", "t"),
        ("Variable(t, volatile=True)", "t"),
        ("Variable((t), volatile=True)", "t"),  # the argument's own parentheses go with the call's
        ("Variable(t, requires_grad=True)", "Variable(t, requires_grad=True)"),
        ("Variable(torch.FloatTensor(1, 4).zero_()).cuda()", "torch.FloatTensor(1, 4).zero_()"),
        ("pe.cuda()", "pe"),
        ("x.cuda(0).float()", "x.float()"),
        ("x.cuda(non_blocking=True)", "x"),
        ("x.cuda().data[0]", "x.data[0]"),
        ("torch.ones(n).cuda() if gpu else torch.ones(n)", "torch.ones(n)"),
        ("Variable(a + b) * c", "(a + b) * c"),
        ("x.to(device)", "x.to(device)"),
        ("x.cuda(device, 1)", "x.cuda(device, 1)"),
        ("x.cuda(*devices)", "x.cuda(*devices)"),  # the arguments may hold anything
        # a branch of a conditional that changed is parenthesised only where `.attr` after it needs it
        ("x[0].cuda() if gpu else y", "x[0] if gpu else y"),
        ("m.h.cuda() if gpu else y", "m.h if gpu else y"),
        ("f(x).cuda() if gpu else y", "f(x) if gpu else y"),
        ("Variable(a + b) if gpu else y", "(a + b) if gpu else y"),
    ],
)
def test_strip_device_moves(before, after):
    imports = import_table(cst.parse_module(HEADER))
    assert node_code(strip_device_moves(imports, cst.parse_expression(before))) == after


def test_helpers_are_found_through_other_helpers():
    module = cst.parse_module(textwrap.dedent("""
            import torch

            def base(n):
                return torch.zeros(n)

            def derived(n):
                return base(n) * 2

            def broken(n):
                return derived(n), 1
            """))
    assert tensor_exprs(module, import_table(module)).helpers == {"base", "derived"}


@pytest.mark.parametrize("legacy", sorted(LEGACY_TYPES))
def test_each_legacy_type_is_spelled_as_the_dtype_it_always_had(legacy):
    torch = pytest.importorskip("torch")
    assert getattr(torch, LEGACY_TYPES[legacy]) is getattr(torch, legacy).dtype


def test_a_nested_function_s_assignments_are_its_own():
    # `pe = [0] * n` inside `table` binds table's `pe`, not the method's tensor.
    source = textwrap.dedent(
        """\
        import torch


        def f(n):
            pe = torch.zeros(n)

            def table():
                pe = [0] * n
                return pe

            return pe
        """
    )
    module = cst.parse_module(source)
    function = next(s for s in module.body if isinstance(s, cst.FunctionDef))
    inside = tensor_exprs(module, import_table(module)).in_function(function)
    assert inside.is_tensor(cst.parse_expression("pe"))
    assert not inside.is_tensor(cst.parse_expression("table()"))


BINDINGS = """\
import torch


def twice(n):
    return [n]


def twice(n):
    return torch.zeros(n)


def nothing(n):
    pass


def f(x, *args, **kwargs):
    global g
    g = torch.zeros(2)
    x = torch.zeros(2)
    args = torch.zeros(2)
    kwargs = torch.zeros(2)
    a: torch.Tensor = torch.zeros(2)
    b = torch.zeros(2)


def outer():
    c = 1

    def inner():
        nonlocal c
        c = torch.zeros(2)
        d = torch.zeros(2)
"""


@pytest.mark.parametrize(
    "function, name, tensor",
    [
        # A name is a tensor local only when the function binds it, and only ever to tensors.
        ("f", "b", True),
        ("f", "a", True),  # annotated
        ("f", "g", False),  # `global g`: the module's, bound by other code too
        ("f", "x", False),  # a parameter: what it holds before the assignment is unknown
        ("f", "args", False),  # `*args`
        ("f", "kwargs", False),  # `**kwargs`
        ("inner", "c", False),  # `nonlocal c`: outer's, an integer until `inner` runs
        ("inner", "d", True),
    ],
)
def test_which_bindings_make_a_tensor_local(function, name, tensor):
    module = cst.parse_module(BINDINGS)
    (found,) = find_all(module, m.FunctionDef(name=m.Name(function)))
    inside = tensor_exprs(module, import_table(module)).in_function(found)
    assert inside.is_tensor(cst.parse_expression(name)) is tensor


def test_a_helper_is_defined_once_and_returns_a_tensor_from_every_return():
    # `twice` is defined twice (its first definition returns a list); `nothing`, `f` and `outer`
    # return None.
    module = cst.parse_module(BINDINGS)
    assert tensor_exprs(module, import_table(module)).helpers == frozenset()
