import libcst as cst
import pytest

from torchup.analysis.imports import bound_names, import_table


@pytest.mark.parametrize(
    "statement, names",
    [
        ("a = 1", ["a"]),
        ("a, (b, *c) = x", ["a", "b", "c"]),
        ("[a, b] = x", ["a", "b"]),
        ("self.x = 1", []),
        ("x[i] = 1", []),
    ],
)
def test_bound_names(statement, names):
    (assign,) = cst.parse_statement(statement).body
    assert [name for target in assign.targets for name in bound_names(target.target)] == names


def test_import_table_knows_aliases_and_rebindings():
    table = import_table(
        cst.parse_module(
            "import torch.nn as nn\nfrom torch.autograd import Variable as V\n"
            "for F, G in pairs:\n    pass\n"
        )
    )
    assert table.qualified_name(cst.parse_expression("nn.Linear")) == "torch.nn.Linear"
    assert table.qualified_name(cst.parse_expression("V")) == "torch.autograd.Variable"
    assert table.is_rebound("F") and table.is_rebound("G") and not table.is_rebound("nn")


def test_spelling_is_the_shortest_name_the_file_can_still_use():
    table = import_table(cst.parse_module("import torch\nimport torch.nn as nn\nimport torch as T\nT = 5\n"))
    # `T` is bound to 5 after the import: spelling torch with it would call `5.long`.
    assert table.spelling("torch.long") == "torch.long"
    assert table.spelling("torch.nn.Parameter") == "nn.Parameter"
    assert table.spelling("numpy.array") is None
