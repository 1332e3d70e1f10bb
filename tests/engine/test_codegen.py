"""Code generation keeps the file's own newline, also in the lines a codemod builds."""

from __future__ import annotations

import libcst as cst
from codemod_harness import dedent

from torchup.codegen import code_of_node
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
