"""Compiled matcher tests against ``libcst.matchers.matches``, node by node."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import List

import libcst as cst
import libcst.matchers as m
import pytest

from torchup.analysis.matcher_tests import node_test
from torchup.analysis.walk import nodes

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

SNIPPET = textwrap.dedent(
    """
    import torch
    from torch.autograd import Variable

    def f(x, volatile=False, *args, key=None, **kw):
        y = Variable(x, volatile=True).data[0]
        z = x.cuda(non_blocking=True) if volatile else x.volatile
        a, b = b, a
        a = a
        q = lambda: None
        w = not x and x.data is None
        print(*args, key=key, **kw)
        return torch.FloatTensor(3).cuda(0), y.data, z[1:2]
    """
)


def _nodes() -> List[cst.CSTNode]:
    texts = [SNIPPET] + [p.read_text() for p in sorted(CORPUS.glob("*/legacy/*.py"))[:6]]
    return [node for text in texts for node in nodes(cst.parse_module(text))]


NODES = _nodes()

COVERED = [
    m.Call(),
    m.Name("x"),
    m.Name(value="volatile"),
    m.Attribute(attr=m.Name("data")),
    m.Attribute(value=m.Name("x"), attr=m.Name("cuda")),
    m.Call(func=m.Attribute(attr=m.Name("cuda"))),
    m.Call(func=m.Name("Variable") | m.Attribute(attr=m.Name("Variable"))),
    m.Arg(keyword=m.Name("volatile")),  # keyword is None on a positional argument
    m.Arg(keyword=None),
    m.Arg(star="*"),
    m.Arg(star=""),
    m.Param(default=m.Name("False")),
    m.Param(default=None),
    m.Name(m.MatchIfTrue(lambda value: value.startswith("v"))),
    m.Subscript(value=m.Attribute(attr=m.Name("data"))),
    m.Assign() | m.AugAssign(),
    m.AllOf(m.Name(), m.Name(m.MatchIfTrue(lambda value: len(value) == 1))),
    m.UnaryOperation(operator=m.Not()),
    m.Comparison(left=m.Attribute()),
    m.Lambda(params=m.Parameters()),
    m.IfExp(test=m.Name("volatile"), body=m.Call(), orelse=m.Attribute(attr=m.Name("volatile"))),
    m.Integer(m.MatchIfTrue(lambda value: value == "0")),
]

NOT_COVERED = [
    m.SimpleStatementLine(body=[m.Assign()]),  # a sequence
    m.Call(args=[m.ZeroOrMore(), m.Arg(keyword=m.Name("volatile")), m.ZeroOrMore()]),
    m.Name(metadata=m.MatchMetadata(cst.metadata.ParentNodeProvider, None)),
    m.DoesNotMatch(m.Name("x")),
    m.Call(func=m.SaveMatchedNode(m.Name(), "func")),
    m.TypeOf(m.Name, m.Attribute)(),
    m.Call(args=m.OneOf([m.Arg()], [m.Arg(), m.Arg()])),
    m.OneOf(m.Name(), m.DoesNotMatch(m.Name("x"))),  # one option of a shape left to libcst
    m.Name(value=m.OneOf("x", "y")),  # options that are strings, not node matchers
]


def _id(matcher: object) -> str:
    # Stable across processes (mutmut reruns a test by its id): a lambda's repr holds its address.
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(matcher))[:60]


@pytest.mark.parametrize("matcher", COVERED, ids=[_id(x) for x in COVERED])
def test_compiled_test_answers_as_libcst_does(matcher: object) -> None:
    test = node_test(matcher)
    assert test is not None
    expected = [m.matches(node, matcher) for node in NODES]  # type: ignore[arg-type]
    assert [test(node) for node in NODES] == expected
    assert any(expected), "the matcher should match something here, or the test proves little"


@pytest.mark.parametrize("matcher", NOT_COVERED, ids=[_id(x) for x in NOT_COVERED])
def test_other_shapes_are_left_to_libcst(matcher: object) -> None:
    assert node_test(matcher) is None


def test_a_predicate_given_alone_is_called_on_the_node() -> None:
    # what walk's find_all gets for `m.MatchIfTrue(...)`: the predicate decides, node by node
    test = node_test(m.MatchIfTrue(lambda node: isinstance(node, cst.Name) and node.value == "x"))
    assert test is not None
    assert test(cst.Name("x")) and not test(cst.Name("y"))
