"""The next pass's tree, parsed again only where a pass edited, is the tree a full parse gives.

Each case edits a parsed module in one shared traversal (as a pass does: kept statements stay the
same objects, rebuilt compound statements are recorded with their origins) and compares
:func:`parse_again` with ``parse_module`` of the new code, node for node. Then the same on
generated programs (hypothesmith's), edited everywhere, and on every corpus file as migrated.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import torchup.incremental_parse as incremental_parse
import torchup.pipeline as pipeline
from torchup import registry
from torchup.codegen import code_of_node
from torchup.deep_stack import call_with_deep_stack
from torchup.incremental_parse import parse_again
from torchup.records import Settings
from torchup.shared_pass import SharedPass

ROOT = Path(__file__).resolve().parents[2]


class _Edits(cst.CSTTransformer):
    """Renames ``x`` to ``renamed``; wraps statements that call ``wrap()`` in ``with torch.no_grad():``
    (their comments go with them); removes ``drop()``; adds ``added = 1`` after ``add()``;
    hoists the body of ``if flatten:``; spells out the indentation of ``def reindent()``'s body. ``every``: an edit of each kind also on each n-th statement."""

    def __init__(self, every: int = 0) -> None:
        super().__init__()
        self.every = every
        self.seen = 0

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="renamed") if updated_node.value == "x" else updated_node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine):
        code = code_of_node(original_node.with_changes(leading_lines=()))
        self.seen += 1
        turn = self.seen % self.every if self.every else -1
        if "drop()" in code or turn == 1:
            return cst.RemovalSentinel.REMOVE if "drop()" in code else updated_node
        if "wrap()" in code or turn == 2:
            body = cst.IndentedBlock(body=[updated_node.with_changes(leading_lines=())])
            item = cst.WithItem(cst.parse_expression("torch.no_grad()"))
            return cst.With(items=[item], body=body, leading_lines=updated_node.leading_lines)
        if "add()" in code or turn == 3:
            return cst.FlattenSentinel([updated_node, cst.parse_statement("added = 1\n")])
        if turn == 4:
            return updated_node.with_changes(body=[cst.parse_statement("edited = 2\n").body[0]])
        return updated_node

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        if updated_node.name.value == "reindent" and isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node.with_changes(body=updated_node.body.with_changes(indent="    "))
        return updated_node

    def leave_If(self, original_node: cst.If, updated_node: cst.If):
        if isinstance(updated_node.test, cst.Name) and updated_node.test.value == "flatten":
            if isinstance(updated_node.body, cst.IndentedBlock) and updated_node.orelse is None:
                return cst.FlattenSentinel(updated_node.body.body)
        return updated_node


def _check(source: str, every: int = 0) -> Tuple[bool, bool]:
    """(whether the pass changed anything, whether parse_again kept any statement)."""
    old = cst.parse_module(source)
    shared = SharedPass([_Edits(every)])  # type: ignore[list-item]
    new = shared.transform(old)
    code = code_of_node(new)
    patched = parse_again(code, new, old, shared.origins)
    expected = cst.parse_module(code)
    assert patched.deep_equals(expected), code
    assert code_of_node(patched) == code
    kept = any(a is b for a, b in zip(patched.body, old.body))
    return code != source, kept


CASES = [
    pytest.param(
        """
        import torch
        # a comment
        class Net:
            def forward(self, x):
                # before
                y = f(x)  # trailing
                return y
        """,
        id="an edit inside a method",
    ),
    pytest.param(
        """
        import torch
        def f():
            a = 1
            # lead
            y = wrap()
            z = 2
        """,
        id="a statement wrapped in a new block, its comment with it",
    ),
    pytest.param(
        """
        import torch
        def f():
            if a:
                b = 1
                    # indented further: the if-block's footer
            drop()
            c = 2
        """,
        id="a removal brings a footer comment next to another statement",
    ),
    pytest.param(
        """
        import torch
        def f():
            if a:
                b = 1
            # at the def's level
            add()
        def g():
            pass
        """,
        id="an insertion after a compound statement",
    ),
    pytest.param(
        """
        import torch
        def f():
            for i in r:
                if a:
                    b = 1
                    # inner footer
            y = wrap()
        """,
        id="a new block after a compound statement whose footer holds a comment",
    ),
    pytest.param(
        """
        import torch
        def f():
            y = x
            if flatten:
                # hoisted
                z = x
            # after
            return z
        """,
        id="a body hoisted out of its if",
    ),
    pytest.param(
        """
        import torch
        def f():
            try:
                y = x
            except E as e:
                z = x
            else:
                w = x
            finally:
                v = x
            if a:
                p = x
            elif b:
                q = x
            else:
                r = x
            for i in x:
                s = x
            else:
                t = x
            while x:
                u = x
            with a as x:
                pass
        """,
        id="every kind of clause",
    ),
    pytest.param(
        """
        import torch
        class A:
            @decorator(x)
            async def f(self):
                async with a:
                    y = x
        """,
        id="decorators, async",
    ),
    pytest.param("x = 1\ny = 2\n", id="the first statement edited (its comments are the header)"),
    pytest.param("# header\n\nx = 1\ny = x\n", id="the first statement edited under a header"),
    pytest.param("drop()\n# becomes the header\ny = x\n", id="the first statement removed"),
    pytest.param(
        "import torch\ndef reindent():\n    y = 1\n    z = x\n", id="a block given the default indentation explicitly"
    ),
    pytest.param("import torch\ny = x", id="no final newline"),
    pytest.param("import torch\r\ndef f():\r\n    y = x\r\n    z = 1\r\n", id="CRLF"),
    pytest.param("import torch\ndef f():\n\tif a:\n\t\ty = x\n\t# c\n\tz = 1\n", id="tabs"),
    pytest.param("import torch\ndef f():\n  if a:\n      y = x\n  z = wrap()\n", id="blocks of different indentation"),
    pytest.param("import torch\nif a: y = x\nelse: z = x\n", id="one-line bodies"),
    pytest.param(
        "import torch\ndef f():\n  pass\ndef g():\n    y = x\n    z = wrap()\n",
        id="a block indented otherwise than the module's first",
    ),
    pytest.param(
        """
        import torch
        def f():
            if a:
                b = 1
            drop()
                # indented further: the next statement's, after a simple statement
            c = x
        """,
        id="a removal puts a compound statement before a comment indented further",
    ),
    pytest.param(
        """
        import torch
        class A:
            def f(self):
                y = x
        # a comment at column 0 inside the class
            def g(self):
                z = wrap()
        """,
        id="a comment less indented than its block",
    ),
    pytest.param(
        """
        import torch
        def f():
            if a:
                y = 1
            drop()
                # indented as the if's block: once drop() is gone, the parser gives it to that block
            z = 2
        """,
        id="a statement removed between a block and a comment indented into it",
    ),
    pytest.param(
        """
        import torch
        def f():
            if a:
                y = 1
            drop()
        """,
        id="a compound statement left last in its block",
    ),
    pytest.param(
        """
        import torch
        for a in b:
            y = 1
            # indented as the loop's block
        drop()
        # at the module's
        """,
        id="a compound statement left last in the module",
    ),
    pytest.param(
        """
        import torch
        for a in b:
            y = 1
        drop()
            # the module's trailing line, indented: once drop() is gone, the loop's block's
        """,
        id="a compound statement left last before an indented trailing comment",
    ),
    pytest.param(
        """
        import torch
        def f():
            if a:
                y = 1
            drop()
                    # deeper than the if's block: the parser gives it to that block
            z = 2
        """,
        id="a statement removed between a block and a comment indented past it",
    ),
]


@pytest.mark.parametrize("source", CASES)
def test_the_patched_tree_is_the_parsed_tree(source):
    changed, _ = _check(textwrap.dedent(source).lstrip("\n"))
    assert changed


def test_statements_the_pass_kept_are_not_parsed_again():
    source = "import torch\n\n\ndef f():\n    return 1\n\n\ndef g():\n    y = x\n"
    changed, kept = _check(source)
    assert changed and kept


def test_a_node_twice_in_the_new_tree_parses_all_again():
    old = cst.parse_module("a = 1\nb = 2\nc = 3\n")
    new = old.with_changes(body=(old.body[0], old.body[1], old.body[1]))
    code = code_of_node(new)
    patched = parse_again(code, new, old, {})
    assert patched.deep_equals(cst.parse_module(code))
    assert patched.body[1] is not patched.body[2]


class _CommentOut(cst.CSTTransformer):
    """Gives each ``if`` block a footer comment at column 0: code a parser reads as the next
    statement's leading line, not as the block's."""

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        comment = cst.EmptyLine(indent=False, comment=cst.Comment("# out of the block"))
        return updated_node.with_changes(body=updated_node.body.with_changes(footer=[comment]))


def test_a_block_whose_trailing_lines_changed_is_parsed_again():
    old = cst.parse_module("import torch\nif a:\n    b = 1\nc = 2\n")
    shared = SharedPass([_CommentOut()])  # type: ignore[list-item]
    new = shared.transform(old)
    code = code_of_node(new)
    assert code == "import torch\nif a:\n    b = 1\n# out of the block\nc = 2\n"
    patched = parse_again(code, new, old, shared.origins)
    assert patched.deep_equals(cst.parse_module(code))
    assert patched.body[2].leading_lines[0].comment.value == "# out of the block"


FUZZ = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@FUZZ
@given(source=hypothesmith.from_grammar(), every=st.integers(min_value=2, max_value=7))
def test_generated_programs_edited_everywhere(source, every):
    try:
        cst.parse_module(source)
    except Exception:  # hypothesmith's grammar is wider than libcst's parser
        return
    call_with_deep_stack(_check, source, every)


def _corpus_files() -> List[Path]:
    return sorted(p for p in (ROOT / "corpus").rglob("legacy/**/*.py"))


def test_every_corpus_file_as_migrated(monkeypatch):
    """Every tree the pipeline patched on the corpus is the tree a full parse gives."""
    checked: List[int] = []
    real = incremental_parse.parse_again

    def compared(code: str, new: cst.Module, old: cst.Module, origins) -> cst.Module:
        patched = real(code, new, old, origins)
        assert patched.deep_equals(cst.parse_module(code))
        checked.append(1)
        return patched

    monkeypatch.setattr(pipeline, "parse_again", compared)
    codemods = [registry.get(code) for code in registry.select_codes()]
    for path in _corpus_files():
        text = path.read_text(encoding="utf-8")
        pipeline.migrate_source(text, codemods, Settings(unsafe_fixes=True), filename=str(path))
    assert len(checked) > 50


class _RenamesAndIndentsTheFooter(cst.CSTTransformer):
    """Renames ``x``; gives the module a trailing comment indented as a block's statements: code
    the parser reads as the last compound statement's block footer, not the module's."""

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="renamed") if updated_node.value == "x" else updated_node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        comment = cst.EmptyLine(indent=False, whitespace=cst.SimpleWhitespace("    "), comment=cst.Comment("# the end"))
        return updated_node.with_changes(footer=[*updated_node.footer, comment])


def test_a_module_whose_trailing_lines_changed_is_parsed_again():
    # The `if` is kept and still last: only the footer's change says its lines move into its block.
    old = cst.parse_module("import torch\ny = x\nif a:\n    b = 1\n")
    shared = SharedPass([_RenamesAndIndentsTheFooter()])  # type: ignore[list-item]
    new = shared.transform(old)
    code = code_of_node(new)
    assert code == "import torch\ny = renamed\nif a:\n    b = 1\n    # the end\n"
    patched = parse_again(code, new, old, shared.origins)
    assert patched.deep_equals(cst.parse_module(code))
    assert patched.body[2].body.footer[0].comment.value == "# the end"


@pytest.mark.parametrize(
    "source, kept",
    [
        pytest.param(
            "import torch\nclass Net:\n    def f(self):\n        return 1\n    def g(self):\n        y = x\n",
            lambda module: module.body[1].body.body[0],
            id="a method beside an edited one",
        ),
        pytest.param(
            "import torch\nif a:\n    p = 1\nelif b:\n    q = x\nelse:\n    r = 2\n",
            lambda module: module.body[1].body.body[0],
            id="the if's block beside an edited elif",
        ),
        pytest.param(
            "import torch\nif a:\n    p = 1\nelif b:\n    q = x\nelse:\n    r = 2\n",
            lambda module: module.body[1].orelse.orelse.body.body[0],
            id="the else's block after an edited elif",
        ),
    ],
)
def test_a_compound_statement_rebuilt_around_an_edit_keeps_its_other_statements(source, kept):
    # The pass rebuilt the class (the if) only to hold its edited statement: the others are the
    # parser's nodes still, not parsed again.
    old = cst.parse_module(source)
    shared = SharedPass([_Edits()])  # type: ignore[list-item]
    new = shared.transform(old)
    code = code_of_node(new)
    assert "renamed" in code
    patched = parse_again(code, new, old, shared.origins)
    assert patched.deep_equals(cst.parse_module(code))
    assert kept(patched) is kept(old)
