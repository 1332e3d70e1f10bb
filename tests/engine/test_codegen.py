"""Code generation keeps the file's own newline, also in the lines a codemod builds."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import libcst as cst
import pytest
from codemod_harness import dedent
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from torchup import registry
from torchup.codegen import ModuleCode, StartPositions, StatementStarts, code_of_node, statement_places
from torchup.codemods.volatile import Volatile
from torchup.pipeline import Failure, migrate_source

LEGACY = dedent(
    """
    import torch
    from torch.autograd import Variable

    def evaluate(model, data):
        data = Variable(data, volatile=True)
        output = model(data)
        return output.sum()
    """
)


def test_a_crlf_file_gets_crlf_in_the_lines_a_codemod_builds():
    # TU102 builds a new `with torch.no_grad():` statement and re-indents the region under it:
    # the newlines of those nodes come from code generation, not from the file's tokens.
    source = LEGACY.replace("\n", "\r\n")
    result = migrate_source(source, [Volatile])
    assert not isinstance(result, Failure), result
    assert "with torch.no_grad():\r\n" in result.code
    assert result.code.count("\r\n") == result.code.count("\n")  # no bare LF anywhere
    assert result.code.replace("\r\n", "\n") == migrate_source(LEGACY, [Volatile]).code


def test_code_of_a_node_uses_its_modules_newline():
    module = cst.parse_module("if x:\r\n    y = 1\r\n")
    assert module.default_newline == "\r\n"
    statement = module.body[0]
    added = statement.with_changes(body=statement.body.with_changes(body=[*statement.body.body, cst.parse_statement("z = 2")]))
    assert code_of_node(module.with_changes(body=[added])) == "if x:\r\n    y = 1\r\n    z = 2\r\n"
    assert code_of_node(added, module) == "if x:\r\n    y = 1\r\n    z = 2\r\n"


# -- the code of a module across passes (ModuleCode) ----------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TRICKY = dedent(
    """
    import torch  # a comment

    @decorator(
        1)
    class Net(object):
        x = 1 ; y = 2

        # a comment at the class's indentation
        def forward(self, x):
            if x:  # inline
                return x
            # a comment in the block
    # a comment at the module's indentation
        def backward(self):
            return \\
                2
    \f
    def f(): return 1
    z = [1,
      2]
    """
)


def _parsed_files():
    texts = {"tricky": TRICKY, "tricky-crlf": TRICKY.replace("\n", "\r\n"), "no-final-newline": TRICKY.rstrip("\n")}
    for path in sorted(CORPUS.glob("**/*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "async=" not in text:  # the rest only parses after TU303's rename
            texts[str(path.relative_to(CORPUS))] = text
    return sorted(texts.items())


@pytest.mark.parametrize("name, text", _parsed_files(), ids=lambda value: str(value)[:40])
def test_known_statement_texts_are_what_libcst_generates(name, text):
    try:
        module = cst.parse_module(text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "\d" in the corpus's strings
            tree = ast.parse(text)
    except (cst.ParserSyntaxError, SyntaxError):
        pytest.skip("not Python 3")
    known = ModuleCode((module, text, tree))
    assert known.of(module) == text
    places = statement_places(module, tree, text)
    for statement, _, tokens in known._memo.values():
        if places is not None and statement in places:
            assert "".join(tokens) == code_of_node(statement, module, indents=places[statement][1])


def test_a_later_pass_reuses_the_statements_it_kept_and_generates_the_rest():
    module = cst.parse_module(TRICKY)
    known = ModuleCode((module, TRICKY, ast.parse(TRICKY)))
    net = module.body[1]
    forward, backward = net.body.body[1], net.body.body[2]
    # One method of the class rewritten, as a pass would: the class and its body rebuilt.
    rewritten = backward.with_changes(body=cst.parse_module("def g():\n    return 3\n").body[0].body)
    edited = module.with_changes(
        body=[module.body[0], net.with_changes(body=net.body.with_changes(body=[net.body.body[0], forward, rewritten])), *module.body[2:]]
    )
    assert known.of(edited) == edited.code
    tokens = {id(statement): tokens for statement, _, tokens in known._memo.values()}
    assert len(tokens[id(forward)]) == 1  # the text the parser read, not generated again
    assert len(tokens[id(rewritten)]) > 1  # generated
    # The next pass keeps the rewritten method, and reuses its tokens.
    assert known.of(edited) == edited.code
    assert {id(statement): tokens for statement, _, tokens in known._memo.values()}[id(rewritten)] == tokens[id(rewritten)]


@pytest.mark.parametrize(
    "text",
    [
        "x = 1\n\\\ny = 2\nz = 3\n",  # a line of nothing but a backslash: libcst drops it
        "def f():\n    x = 1\n    \\\n    y = 2\n    z = 3\n",
        "x = 1\r\ny = 2\nz = 3\r",  # a carriage return alone: libcst drops the last one
        "x = 1\ry = 2\rz = 3\r",
    ],
)
def test_a_file_libcst_does_not_give_back_as_read_gets_libcsts_code(text):
    module = cst.parse_module(text)
    assert module.code != text  # what makes the case
    assert ModuleCode((module, text, ast.parse(text))).of(module) == module.code


def test_a_record_after_a_line_break_inside_a_statement_has_its_own_column():
    source = dedent(
        """
        from torch.autograd import Variable
        y = f(a,
              Variable(b))
        """
    )
    result = migrate_source(source, [registry.get("TU101")])
    assert not isinstance(result, Failure)
    assert [(record.line, record.column) for record in result.records] == [(3, 6)]
    assert result.code == "y = f(a,\n      b)\n"


def test_a_module_this_interpreters_parser_rejects_is_placed_and_written_by_libcst():
    # `except A, B:` is Python 3.14 grammar: libcst reads it, the stdlib parser of 3.11 does not,
    # so there are no statement places to take the text or the positions from.
    code = "x = 1\ntry:\n    y = g(a,\n          b)\nexcept A, B:\n    pass\n"
    with pytest.raises(SyntaxError):
        ast.parse(code)
    module = cst.parse_module(code)
    assert ModuleCode((module, code, None)).of(module) == code
    wrapper = MetadataWrapper(module)
    expected = {node: (where.start.line, where.start.column) for node, where in wrapper.resolve(PositionProvider).items()}
    starts = StatementStarts(wrapper.module, code, None)
    parents = wrapper.resolve(ParentNodeProvider)
    assert {node: starts.start(node, parents.get) for node in expected} == expected
    assert expected[wrapper.module.body[1].body.body[0].body[0].value.args[1].value] == (4, 10)  # `b`


def test_start_positions_inside_a_multi_line_statement_are_libcsts():
    code = "y = f(a,\n      g(b))\nz = [\n    c, d]\n"
    module = cst.parse_module(code)
    wrapper = MetadataWrapper(module)
    expected = {node: (where.start.line, where.start.column) for node, where in wrapper.resolve(PositionProvider).items()}
    starts = wrapper.resolve(StartPositions)
    assert {node: starts[node] for node in expected} == expected
    assert expected[wrapper.module.body[1].body[0].value.elements[1].value] == (4, 7)  # `d`


def test_a_function_with_two_decorators_keeps_them_once_and_its_records_lines():
    source = dedent(
        """
        from torch.autograd import Variable
        x = 1
        @first
        @second
        def f(t):
            return Variable(t)
        """
    )
    result = migrate_source(source, [registry.get("TU101")])
    assert not isinstance(result, Failure)
    assert result.code == "x = 1\n@first\n@second\ndef f(t):\n    return t\n"
    assert [(record.line, record.column) for record in result.records] == [(6, 11)]


def test_statements_kept_by_a_pass_but_moved_into_its_new_block_take_the_blocks_indentation():
    # TU102 puts the statements after the volatile value under `with torch.no_grad():`; they are
    # the same nodes as before, whose text (one level less indented) is known from the parse.
    source = dedent(
        """
        import torch
        from torch.autograd import Variable


        def predict(model, x):
            print(x)
            v = Variable(x, volatile=True)
            y = model(v)
            z = y.max(1)[1]
            return z
        """
    )
    result = migrate_source(source, [registry.get("TU101"), registry.get("TU102")])
    assert not isinstance(result, Failure)
    assert result.code.endswith(
        "    print(x)\n    with torch.no_grad():\n        v = x\n        y = model(v)\n        z = y.max(1)[1]\n        return z\n"
    )
    compile(result.code, "predict.py", "exec")


def test_a_decorator_continued_past_its_at_sign_keeps_its_records_lines():
    # `@` and its expression on two lines: the stdlib places the decorator on the second, where
    # the text does not start with `@`, so the function is not placed from that line.
    source = "from torch.autograd import Variable\nx = 1\n@\\\nfirst\ndef f(t):\n    return Variable(t)\n"
    result = migrate_source(source, [registry.get("TU101")])
    assert not isinstance(result, Failure)
    assert result.code == "x = 1\n@\\\nfirst\ndef f(t):\n    return t\n"
    assert [(record.line, record.column) for record in result.records] == [(6, 11)]
