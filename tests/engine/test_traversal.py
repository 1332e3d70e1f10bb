"""The fast paths of issue 7 against the libcst behaviour they replace.

Each test runs libcst's own traversal, matcher search, code generation or position provider and
torchup's cheaper version on the same trees (the corpus, torch's own nn sources, and snippets
written to hit the corner cases) and requires identical results.
"""

from __future__ import annotations

import ast
import importlib.util
import textwrap
from pathlib import Path
from typing import List, Tuple

import libcst as cst
import libcst.matchers as m
import pytest
from libcst.metadata import ExpressionContextProvider, ParentNodeProvider, PositionProvider

from torchup import pipeline
from torchup.analysis.expression_context import expression_context
from torchup.analysis.walk import TOKEN_TYPES, ParentProvider, find_all, index_of, indexed, nodes, walk
from torchup.codegen import StartPositions, StatementStarts, code_of_node
from torchup.codemod import Settings, TreeMetadata
from torchup.registry import select
from torchup.shared_pass import SharedPass

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# Corner cases: an f-string whose format spec appears only on its second occurrence (libcst
# visits `format_spec` only when set), decorators (visited before the name), comments, nesting.
SNIPPET = textwrap.dedent(
    '''
    import torch
    import torch.nn as nn
    from torch.autograd import Variable as V

    @decorator(1)
    class Net(nn.Module):  # a comment
        def __init__(self, n=3, *args, **kwargs):
            super(Net, self).__init__()
            self.w = torch.zeros(n).cuda()
            label = f"{n}" + f"{n:>{width}}" + f"{n!r:10}"
            lam = lambda x: [y for y in x if y] or {k: v for k, v in kwargs.items()}

        def forward(self, x):
            with torch.no_grad():
                return V(x, volatile=True).data[0] if x is not None else -x ** 2

    # Every way a name is stored, deleted or read (the expression contexts).
    import os.path as osp, sys
    from a.b import c as d, e
    (a, [b, *c]), f.g, h[i] = x = y[j:k], z = p
    m: int = n; o += q; del r, s.t, u[v]
    for (w, *x2) in [y2, {z2}]:
        pass
    with open(a) as (b2, c2), open(d) as e2:
        pass
    try:
        pass
    except E as err:
        global gg
    print([k2 for k2, *v2 in items if (w2 := k2)], key=lambda q2=dflt: q2)
    match cmd:
        case [x3, *rest] if x3:
            pass
    '''
)


def _sources() -> List[Tuple[str, str]]:
    sources = [("snippet", SNIPPET)]
    sources += [(str(p), p.read_text()) for p in sorted(CORPUS.glob("*/legacy/*.py"))]
    spec = importlib.util.find_spec("torch")
    if spec is not None and spec.origin is not None:
        nn = Path(spec.origin).parent / "nn"
        sources += [(str(p), p.read_text()) for p in sorted(nn.rglob("*.py"))[:12]]
    return sources


def _parsed() -> List[Tuple[str, cst.Module]]:
    trees = []
    for name, text in _sources():
        parsed = pipeline.parse(text)
        if isinstance(parsed, pipeline.Parsed):
            trees.append((name, parsed.module))
    return trees


TREES = _parsed()


class _Events(cst.CSTVisitor):
    """Records every visit and leave; skips the children of lambdas (to test skipping)."""

    def __init__(self) -> None:
        self.events: List[Tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not isinstance(node, cst.Lambda)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class _Typed(cst.CSTVisitor):
    """Typed hooks only, so an index may serve it; skips the insides of `with` blocks."""

    def __init__(self) -> None:
        self.events: List[Tuple[str, int]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.events.append(("call", id(node)))

    def leave_Call(self, original_node: cst.Call) -> None:
        self.events.append(("/call", id(original_node)))

    def visit_With(self, node: cst.With) -> bool:
        self.events.append(("with", id(node)))
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("name", id(node)))


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_walk_sees_what_libcsts_traversal_sees(name: str, tree: cst.Module) -> None:
    expected, got = _Events(), _Events()
    tree.visit(expected)
    walk(tree, got)
    assert got.events == expected.events


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_an_indexed_walk_sees_what_a_full_one_does(name: str, tree: cst.Module) -> None:
    expected = _Typed()
    tree.visit(expected)
    for start in [tree, *find_all(tree, m.ClassDef())[:1], *find_all(tree, m.FunctionDef())[:2]]:
        plain, fast = _Typed(), _Typed()
        start.visit(plain)
        with indexed(tree):
            walk(start, fast)
        assert fast.events == plain.events
    if name == "snippet":
        assert len(expected.events) > 20  # the comparison is not vacuous


MATCHERS = [
    m.Call(),
    m.Name("x"),
    m.Assign() | m.AugAssign() | m.AnnAssign(),
    m.Attribute(attr=m.Name("data")),
    m.Comment(),
    m.Return() | m.Yield(),
    m.MatchIfTrue(lambda node: isinstance(node, cst.Integer)),
]


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_find_all_finds_what_libcst_finds(name: str, tree: cst.Module) -> None:
    starts = [tree, *find_all(tree, m.FunctionDef())[:3]]
    for matcher in MATCHERS:
        for start in starts:
            expected = m.findall(start, matcher)
            assert find_all(start, matcher) == expected
            with indexed(tree):
                assert find_all(start, matcher) == expected


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_code_and_start_positions_match_libcst(name: str, tree: cst.Module) -> None:
    assert code_of_node(tree) == tree.code
    for node in find_all(tree, m.SimpleStatementLine())[:20]:
        assert code_of_node(node, tree) == tree.code_for_node(node)
    ranges = TreeMetadata(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    starts = TreeMetadata(tree, unsafe_skip_copy=True).resolve(StartPositions)
    assert {node: (r.start.line, r.start.column) for node, r in ranges.items()} == dict(starts)


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_expression_contexts_match_libcst(name: str, tree: cst.Module) -> None:
    wrapper = TreeMetadata(tree, unsafe_skip_copy=True)
    contexts = wrapper.resolve(ExpressionContextProvider)
    parents = wrapper.resolve(ParentNodeProvider)
    names = find_all(tree, m.Name())
    assert [expression_context(n, parents.get) for n in names] == [contexts.get(n) for n in names]


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_parents_match_libcst(name: str, tree: cst.Module) -> None:
    expected = dict(TreeMetadata(tree, unsafe_skip_copy=True).resolve(ParentNodeProvider))
    assert dict(TreeMetadata(tree, unsafe_skip_copy=True).resolve(ParentProvider)) == expected
    with indexed(tree):  # in a pass: the index's map, tokens left out
        in_pass = dict(TreeMetadata(tree, unsafe_skip_copy=True).resolve(ParentProvider))
    assert in_pass == {node: parent for node, parent in expected.items() if type(node) not in TOKEN_TYPES}


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_statement_starts_match_the_whole_modules(name: str, tree: cst.Module) -> None:
    full = TreeMetadata(tree, unsafe_skip_copy=True).resolve(StartPositions)
    parents = TreeMetadata(tree, unsafe_skip_copy=True).resolve(ParentProvider)
    starts = StatementStarts(tree, tree.code, ast.parse(tree.code))
    assert starts._places is not None  # the two parsers' statements line up
    for statement in tree.body:
        # Innermost first, so that a method is generated alone before its class is.
        for node in reversed(list(nodes(statement))):
            assert starts.start(node, parents.get) == full[node]
    assert id(tree) not in starts._done  # only statements were generated


@pytest.mark.parametrize(
    "code",
    [
        "@decorator\nclass A:\n    pass\n",
        "class A:\n  # two spaces\n  x = 1\n\n  @property\n  def f(self):\n      return [\n          1]\n  class B: pass\n",
        "# a comment\n\n@a\n# between\n@b(1)\ndef f():\n    x = 1; y = (\n        2)\n",
        "class A:\n    async def f(self):\n        '''doc'''\n        # lead\n        if x:\n            y = [\n                1]\n        def g():\n            z = 1\n",
        "def f():\n    @d\n    def g(): return 1\n    return (\n        g)\n",
        "@\\\ndecorator\ndef g():\n    pass\n",  # `@` and its expression on two lines: the whole module
        # The blocks of loops, conditions, `with` and `try`, their else-clauses, and a form feed
        # (a line break for str.splitlines, none for the tokenizer).
        "def f(xs):\n    for x in xs:\n        # lead\n        if x:\n            y = 1\n        elif z:\n            y = 2\n"
        "        else:\n            y = 3\n    else:\n        pass\n    while y:\n        y -= 1\n\x0c\n"
        "    with open(f) as h, g:\n        h.read()\n    try:\n        a = [\n            1]\n    except E:\n        b = 1\n"
        "    finally:\n        c = 1\n    return y\n",
    ],
)
def test_statement_starts_of_decorated_and_compound_statements(code: str) -> None:
    tree = cst.parse_module(code)
    full = TreeMetadata(tree, unsafe_skip_copy=True).resolve(StartPositions)
    parents = TreeMetadata(tree, unsafe_skip_copy=True).resolve(ParentProvider)
    starts = StatementStarts(tree, code, ast.parse(code))
    for statement in tree.body:
        # Innermost first, so that a method is generated alone before its class is.
        for node in reversed(list(nodes(statement))):
            assert starts.start(node, parents.get) == full[node]


def _migrate_all() -> List[object]:
    settings = Settings(unsafe_fixes=True)
    return [pipeline.migrate_source(text, select(), settings) for _, text in _sources()]


def test_the_shared_traversal_rewrites_as_libcsts_does(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _migrate_all()
    monkeypatch.setattr(SharedPass, "transform", lambda self, module: module.visit(self))
    assert _migrate_all() == fast
    assert any(getattr(result, "changed", False) for result in fast)


def test_one_pass_for_untouched_first_phase_equals_the_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    tried = _migrate_all()
    # A first boundary after every code: no file ever qualifies for the single pass.
    monkeypatch.setattr(pipeline, "PHASE_STARTS", ("TU999", *pipeline.PHASE_STARTS))
    assert _migrate_all() == tried


def test_a_leave_hook_that_changes_the_node_type_ends_the_chain() -> None:
    class ToName(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            return cst.Name("replaced")

    class SeesCalls(cst.CSTTransformer):
        def __init__(self) -> None:
            super().__init__()
            self.seen: List[str] = []

        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            self.seen.append(type(updated_node).__name__)
            return updated_node

    later = SeesCalls()
    tree = cst.parse_module("f(x)\n")
    result = SharedPass([ToName(), later]).transform(tree)  # type: ignore[list-item]
    assert result.code == "replaced\n"
    assert later.seen == []  # it would have received a Name where it expects a Call


def test_a_pass_reuses_the_index_of_a_recent_tree_and_indexes_two_trees() -> None:
    first = cst.parse_module("import torch\n\nclass A:\n    def f(self):\n        return torch.zeros(1)\n")
    second = cst.parse_module("def g(x):\n    return x + 1\n")
    with indexed(first):
        before = index_of(first)
    with indexed(second, first):  # a later pass: its own tree, and the file as read
        assert index_of(first) is before  # not walked again
        assert index_of(second) is not None
        calls = [n for n in find_all(first, m.Call())]
        assert calls == m.findall(first, m.Call())
        events, expected = _Typed(), _Typed()
        walk(second, events)
        second.visit(expected)
        assert events.events == expected.events
    third = cst.parse_module("y = 2\n")
    with indexed(third), indexed(cst.parse_module("z = 3\n")):
        pass
    with indexed(first):  # two newer trees since: its index is built anew
        assert index_of(first) is not before
    assert index_of(first) is None  # outside a pass, nothing is indexed


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_the_index_holds_every_node_but_the_tokens(name: str, tree: cst.Module) -> None:
    # The index reads only the fields that libcst's annotations say may hold more than tokens.
    with indexed(tree):
        index = index_of(tree)
        assert index is not None
        everything = [node for node in nodes(tree) if type(node) not in TOKEN_TYPES]
        assert index.of_types(tree, frozenset(map(type, everything))) == everything
    if name == "snippet":
        assert len(everything) > 20  # the comparison is not vacuous


class _StructureEvents(_Events):
    SKIPS_TOKENS = True


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_a_walk_that_skips_tokens_sees_the_rest_as_a_full_one(name: str, tree: cst.Module) -> None:
    full, structure = _Events(), _StructureEvents()
    walk(tree, full)
    walk(tree, structure)
    ids = {id(node): node for node in nodes(tree)}
    assert structure.events == [event for event in full.events if type(ids[event[1]]) not in TOKEN_TYPES]
    if name == "snippet":
        assert len(structure.events) > 20 and len(structure.events) < len(full.events)


class _NoIndex(_Typed):
    """Typed hooks, none for a token: walked without whitespace and punctuation."""


@pytest.mark.parametrize("name, tree", TREES, ids=[name.rsplit("/", 2)[-1] for name, _ in TREES])
def test_a_typed_walk_outside_an_index_sees_what_libcst_sees(name: str, tree: cst.Module) -> None:
    for start in [tree, *find_all(tree, m.FunctionDef())[:2]]:
        plain, fast = _NoIndex(), _NoIndex()
        start.visit(plain)
        walk(start, fast)  # no index: the structure-only walk
        assert fast.events == plain.events


@pytest.mark.parametrize(
    "code",
    [
        "import os\nfrom torch import nn\n\nx = 1\n",
        '"""Doc."""\nfrom torch import nn  # keep\nimport os\n\n\ndef f():\n    from torch import optim\n    return 1\n',
        "# only a comment\n",
        "from __future__ import annotations\n\nclass A:\n    pass\n",
    ],
)
def test_imports_are_added_as_libcsts_own_run_adds_them(code: str) -> None:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    from torchup.shared_pass import run_alone

    def scheduled() -> CodemodContext:
        context = CodemodContext()
        AddImportsVisitor.add_needed_import(context, "torch")
        AddImportsVisitor.add_needed_import(context, "torch", "nn")
        AddImportsVisitor.add_needed_import(context, "torch", "optim")
        AddImportsVisitor.add_needed_import(context, "__future__", "annotations")
        return context

    tree = cst.parse_module(code)
    expected = AddImportsVisitor(scheduled()).transform_module(tree).code
    added = run_alone(AddImportsVisitor(scheduled()), tree)
    assert added.code == expected != code
    kept = [s for s in added.body if any(s is t for t in tree.body)]
    assert len(kept) >= len(tree.body) - 1  # statements it did not touch are not copied


class _DeclinesCallArguments(cst.CSTVisitor):
    """Typed hooks only; declines the inside of every call, so a call right after a declined
    one (the right operand of `f(g(1)) + h(2)`) is the next node of its type in the index."""

    def __init__(self) -> None:
        self.calls: List[str] = []

    def visit_Call(self, node: cst.Call) -> bool:
        self.calls.append(code_of_node(node.func))
        return False


def test_an_indexed_walk_visits_the_node_right_after_a_declined_subtree() -> None:
    tree = cst.parse_module("y = f(g(1)) + h(2)\nz = [k(3), m(n(4))]\n")
    expected, got = _DeclinesCallArguments(), _DeclinesCallArguments()
    tree.visit(expected)
    with indexed(tree):
        walk(tree, got)
    assert expected.calls == ["f", "h", "k", "m"]
    assert got.calls == expected.calls


class _DeclinesCallArgumentsAndLeaves(_DeclinesCallArguments):
    """The same, with a leave hook: the index's walk then keeps the nodes it has entered (a
    visitor that only visits takes a shorter way through the same nodes)."""

    def leave_Call(self, original_node: cst.Call) -> None:
        self.calls.append("/" + code_of_node(original_node.func))


@pytest.mark.parametrize("visitor", [_DeclinesCallArguments, _DeclinesCallArgumentsAndLeaves])
def test_both_ways_of_an_indexed_walk_visit_the_node_right_after_a_declined_subtree(visitor) -> None:
    tree = cst.parse_module("y = f(g(1)) + h(2)\nz = [k(3), m(n(4))]\nw = p(q(5))(r(6))\n")
    expected, got = visitor(), visitor()
    tree.visit(expected)
    with indexed(tree):
        walk(tree, got)
    assert [c for c in expected.calls if not c.startswith("/")] == ["f", "h", "k", "m", "p(q(5))"]
    assert got.calls == expected.calls


class _Commas(cst.CSTVisitor):
    """A hook for a token type: the walk must show it the tokens."""

    def __init__(self) -> None:
        self.columns: List[int] = []

    def visit_Comma(self, node: cst.Comma) -> None:
        self.columns.append(len(self.columns))

    def visit_Name(self, node: cst.Name) -> None:
        self.columns.append(-1)


def test_a_visitor_of_a_token_type_is_shown_the_tokens() -> None:
    tree = cst.parse_module("f(a, b)\nx, y = 1, 2\n")
    expected, got, in_index = _Commas(), _Commas(), _Commas()
    tree.visit(expected)
    walk(tree, got)
    with indexed(tree):
        walk(tree, in_index)
    assert expected.columns.count(-1) == 5 and len(expected.columns) == 8  # five names, three commas
    assert got.columns == expected.columns and in_index.columns == expected.columns


class _SkipsFunctions(cst.CSTTransformer):
    """Declines the body of every function; records what it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.events: List[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.events.append(f"def {node.name.value}")
        return False

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.events.append(f"/def {original_node.name.value}")
        return updated_node

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(node.value)


class _RenamesX(cst.CSTTransformer):
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="y") if updated_node.value == "x" else updated_node


def test_a_codemod_that_declines_a_subtree_is_shown_what_it_would_be_shown_alone() -> None:
    # Only the codemod that declined skips: it gets its leave hook for the node it declined,
    # none of its hooks inside, and the others still rewrite the inside.
    tree = cst.parse_module("a = x\ndef f(p):\n    return x + q\nb = x\n")
    alone = _SkipsFunctions()
    tree.visit(alone)
    shared = _SkipsFunctions()
    result = SharedPass([shared, _RenamesX()]).transform(tree)  # type: ignore[list-item]
    assert alone.events == ["a", "x", "def f", "/def f", "b", "x"]
    assert shared.events == alone.events
    assert result.code == "a = y\ndef f(p):\n    return y + q\nb = y\n"


def test_an_item_no_codemod_visits_is_kept_once_beside_a_sibling_that_changed() -> None:
    # `pass` holds only tokens and no codemod has a hook for it: it is not walked, only kept
    class BumpsOnes(cst.CSTTransformer):
        def leave_Integer(self, original_node: cst.Integer, updated_node: cst.Integer) -> cst.Integer:
            return updated_node.with_changes(value="2")

    tree = cst.parse_module("pass; x = 1; pass\n")
    result = SharedPass([BumpsOnes()]).transform(tree)  # type: ignore[list-item]
    assert result.code == tree.visit(BumpsOnes()).code == "pass; x = 2; pass\n"


def test_a_codemod_with_matcher_decorators_keeps_them_in_a_shared_pass() -> None:
    from torchup.shared_pass import skip_matcher_dispatch

    class Decorated(m.MatcherDecoratableTransformer):
        @m.leave(m.Name("x"))
        def rename(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            return updated_node.with_changes(value="y")

    transformer = Decorated()
    skip_matcher_dispatch(transformer)
    result = SharedPass([transformer]).transform(cst.parse_module("z = x + w\n"))  # type: ignore[list-item]
    assert result.code == "z = y + w\n"


def test_a_codemod_may_remove_an_optional_child_as_in_libcsts_traversal() -> None:
    class DropsAnnotations(cst.CSTTransformer):
        def leave_Annotation(self, original_node: cst.Annotation, updated_node: cst.Annotation) -> cst.RemovalSentinel:
            return cst.RemoveFromParent()

    tree = cst.parse_module("def f(a: int, b) -> None:\n    return a\n")
    expected = tree.visit(DropsAnnotations())
    result = SharedPass([DropsAnnotations()]).transform(tree)  # type: ignore[list-item]
    assert result.code == expected.code == "def f(a, b):\n    return a\n"


def test_holds_answers_from_the_index_as_a_walk_would() -> None:
    from torchup.analysis.walk import holds

    tree = cst.parse_module("def f(x):\n    y = g(x)  # c\n    return y\n\nz = h(1)\n")
    other = cst.parse_module("y = g(x)\n")
    everything = list(nodes(tree))
    pairs = [(a, b) for a in everything[:40] for b in everything[:60]] + [(tree, other.body[0]), (tree.body[0], tree)]
    walked = [holds(a, b) for a, b in pairs]  # no index: every answer by walking
    assert walked == [a is not b and any(n is b for n in nodes(a)) for a, b in pairs]
    with indexed(tree):
        assert index_of(tree) is not None
        assert [holds(a, b) for a, b in pairs] == walked
    function = tree.body[0]
    call = find_all(function, m.Call())[0]
    assert holds(function, call) and not holds(call, function) and not holds(tree.body[1], call)


def test_a_torchup_codemod_with_matcher_decorators_is_made_with_libcsts_scan() -> None:
    from libcst.codemod import CodemodContext

    from torchup.codemod import Codemod, uses_matcher_decorators

    class Base(Codemod):
        @m.call_if_inside(m.FunctionDef())
        @m.leave(m.Name("x"))
        def rename(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            return updated_node.with_changes(value="y")

    class Inherits(Base):  # the decorated method is the base's
        pass

    class Plain(Codemod):
        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            return updated_node.with_changes(value="y")

    assert uses_matcher_decorators(Base) and uses_matcher_decorators(Inherits)
    assert not uses_matcher_decorators(Plain)
    tree = cst.parse_module("x = 1\ndef f():\n    return x\n")
    decorated = Inherits(CodemodContext())
    assert decorated._extra_leave_funcs and decorated._matchers  # libcst found both decorators
    assert tree.visit(decorated).code == "x = 1\ndef f():\n    return y\n"
    plain = Plain(CodemodContext())
    assert plain._extra_leave_funcs == plain._extra_visit_funcs == plain._matchers == {}
    assert tree.visit(plain).code == "y = 1\ndef y():\n    return y\n"  # every Name, the def's too


def test_children_held_in_lists_are_walked_as_in_a_tree_a_codemod_builds() -> None:
    # A parsed tree holds tuples; a tree built in code (`body=[...]`) holds lists.
    call = cst.Call(func=cst.Name("f"), args=[cst.Arg(cst.Name("x")), cst.Arg(cst.Name("y"))])
    module = cst.Module(body=[cst.SimpleStatementLine(body=[cst.Expr(call)])])
    assert [name.value for name in find_all(module, m.Name())] == ["f", "x", "y"]
    expected, got = _Events(), _Events()
    module.visit(expected)
    walk(module, got)
    assert got.events == expected.events


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: List[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def test_a_hook_set_on_the_visitor_object_is_the_one_called() -> None:
    # torchup sets hooks on instances (a codemod's matcher dispatch): they win over the class's,
    # outside an index as in libcst's traversal
    visitor = _Names()
    visitor.visit_Name = lambda node: visitor.names.append(node.value.upper())  # type: ignore[method-assign]
    walk(cst.parse_module("x = y\n"), visitor)
    assert visitor.names == ["X", "Y"]


class _LeavesEverything(_Names):
    """A typed hook, and an on_leave of its own that sees every node."""

    def __init__(self) -> None:
        super().__init__()
        self.left: List[str] = []

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.left.append(type(original_node).__name__)
        super().on_leave(original_node)


def test_a_visitor_overriding_on_leave_alone_is_walked_node_by_node() -> None:
    tree = cst.parse_module("x = f(y)\n")
    expected, got = _LeavesEverything(), _LeavesEverything()
    tree.visit(expected)
    walk(tree, got)
    assert "Call" in expected.left
    assert (got.left, got.names) == (expected.left, expected.names)


class _LeavesCalls(cst.CSTVisitor):
    """A leave hook and no visit hook."""

    def __init__(self) -> None:
        self.left: List[str] = []

    def leave_Call(self, original_node: cst.Call) -> None:
        self.left.append(code_of_node(original_node.func))


def test_a_visitor_with_only_a_leave_hook_is_shown_its_nodes() -> None:
    tree = cst.parse_module("x = f(g(y))\n")
    expected, got, got_indexed = _LeavesCalls(), _LeavesCalls(), _LeavesCalls()
    tree.visit(expected)
    walk(tree, got)
    with indexed(tree):
        walk(tree, got_indexed)
    assert expected.left == ["g", "f"]
    assert got.left == got_indexed.left == expected.left

class _CallsAttributes(cst.CSTTransformer):
    """Attribute hooks (libcst's `visit_<Node>_<field>`); declines function bodies when told to."""

    def __init__(self, declines: bool = False) -> None:
        super().__init__()
        self.declines = declines
        self.events: List[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return not self.declines

    def visit_Call_func(self, node: cst.Call) -> None:
        self.events.append(f"func of {code_of_node(node)}")

    def leave_Call_args(self, node: cst.Call) -> None:
        self.events.append(f"/args of {code_of_node(node)}")


@pytest.mark.parametrize("declines", [False, True], ids=["visits", "declines-functions"])
def test_attribute_hooks_are_called_as_in_libcsts_traversal(declines: bool) -> None:
    # A codemod with attribute hooks gets them at every field, but not inside what it declined.
    tree = cst.parse_module("a = f(x)\ndef g():\n    return h(x)\nb = k(x)\n")
    alone = _CallsAttributes(declines)
    tree.visit(alone)
    shared = _CallsAttributes(declines)
    result = SharedPass([shared, _RenamesX()]).transform(tree)  # type: ignore[list-item]
    assert shared.events == alone.events
    assert ("func of h(x)" in alone.events) is not declines and "/args of k(x)" in alone.events
    assert result.code == "a = f(y)\ndef g():\n    return h(y)\nb = k(y)\n"


class _LeavesOnItsOwn(cst.CSTTransformer):
    """Writes its own on_leave, not on_visit: libcst calls it for every node."""

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:
        if isinstance(updated_node, cst.Name) and updated_node.value == "x":
            return updated_node.with_changes(value="y")
        return updated_node


def test_a_codemod_with_its_own_on_leave_only_gets_every_node() -> None:
    tree = cst.parse_module("a = x\ndef f(p):\n    return x + q\n")
    result = SharedPass([_LeavesOnItsOwn()]).transform(tree)  # type: ignore[list-item]
    assert result.code == tree.visit(_LeavesOnItsOwn()).code == "a = y\ndef f(p):\n    return y + q\n"


class _SpacesCommas(cst.CSTTransformer):
    def leave_Comma(self, original_node: cst.Comma, updated_node: cst.Comma) -> cst.Comma:
        return updated_node.with_changes(whitespace_after=cst.SimpleWhitespace(" "))


def test_a_codemod_with_a_hook_for_a_token_type_rewrites_the_tokens() -> None:
    tree = cst.parse_module("f(a,b)\nx,y = 1,2\n")
    result = SharedPass([_SpacesCommas()]).transform(tree)  # type: ignore[list-item]
    assert result.code == tree.visit(_SpacesCommas()).code == "f(a, b)\nx, y = 1, 2\n"


def test_removing_or_flattening_a_required_child_says_which_field() -> None:
    class Removes(cst.CSTTransformer):
        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.RemovalSentinel:
            return cst.RemoveFromParent() if updated_node.value == "x" else updated_node  # type: ignore[return-value]

    class Flattens(cst.CSTTransformer):
        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> object:
            return cst.FlattenSentinel([updated_node, updated_node]) if updated_node.value == "x" else updated_node

    tree = cst.parse_module("y = x\n")
    with pytest.raises(TypeError) as removed:
        SharedPass([Removes()]).transform(tree)  # type: ignore[list-item]
    assert str(removed.value) == "Assign.value is required: its node cannot be removed"
    with pytest.raises(TypeError) as flattened:
        SharedPass([Flattens()]).transform(tree)  # type: ignore[list-item]
    assert str(flattened.value) == "Assign.value holds one node: it cannot be flattened"


def test_a_codemod_whose_only_matcher_decorator_is_a_leave_is_made_with_libcsts_scan() -> None:
    from libcst.codemod import CodemodContext

    from torchup.codemod import Codemod, uses_matcher_decorators

    class LeavesOnly(Codemod):
        @m.leave(m.Name("x"))
        def rename(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            return updated_node.with_changes(value="y")

    assert uses_matcher_decorators(LeavesOnly)
    assert cst.parse_module("z = x + w\n").visit(LeavesOnly(CodemodContext())).code == "z = y + w\n"


def test_a_codemod_that_removes_the_module_leaves_it_empty_as_libcst_does() -> None:
    class RemovesEverything(cst.CSTTransformer):
        def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.RemovalSentinel:
            return cst.RemoveFromParent()

    tree = cst.parse_module("# head\nx = 1\n# foot\n")
    result = SharedPass([RemovesEverything()]).transform(tree)  # type: ignore[list-item]
    assert result.code == tree.visit(RemovesEverything()).code == "\n"
