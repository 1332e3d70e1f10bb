"""torchup's AddImports shows libcst's AddImportsVisitor only the module's leading statements:
what it adds, merges and where must be exactly what libcst's own run does."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from torchup.import_addition import AddImports, leading_statements
from torchup.shared_pass import run_alone

MODULES = [
    "",
    "# only a comment\n",
    "import os\nfrom torch import nn\n\nx = 1\n",
    '"""Doc."""\nfrom torch import nn  # keep\nimport os\n\n\ndef f():\n    from torch import optim\n    return 1\n',
    "__strict__ = True\nimport torch\nx = 1\n",
    # An import below the first other statement is not "at the top": libcst adds a new one.
    "x = 1\nfrom torch import nn\n",
    '"""Doc."""\nx = 1\nimport torch\nfrom torch import optim\n',
    # Two imports on one line, and a from-import that is merged into.
    "import os; import sys\nfrom torch import nn, cuda\n\ny = nn.Linear(1, 1)\n",
    "from torch import *\nimport numpy as np\n",
    "from __future__ import annotations\n\nclass A:\n    pass\n",
    "if True:\n    import torch\nimport os\n",
]


def _scheduled() -> CodemodContext:
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, "torch")
    AddImportsVisitor.add_needed_import(context, "torch", "nn")
    AddImportsVisitor.add_needed_import(context, "torch", "optim")
    AddImportsVisitor.add_needed_import(context, "os")
    AddImportsVisitor.add_needed_import(context, "__future__", "annotations")
    return context


@pytest.mark.parametrize("code", MODULES)
def test_imports_are_added_exactly_as_libcsts_own_visitor_adds_them(code: str) -> None:
    tree = cst.parse_module(code)
    expected = AddImportsVisitor(_scheduled()).transform_module(tree).code
    assert run_alone(AddImports(_scheduled()), tree).code == expected
    assert AddImports(_scheduled()).transform_module(tree).code == expected


def test_only_the_leading_statements_up_to_the_first_other_one_are_shown() -> None:
    tree = cst.parse_module('"""Doc."""\nimport os\nfrom torch import nn\nx = 1\nimport sys\ny = 2\n')
    shown = leading_statements(tree)
    assert [cst.Module(body=[s]).code for s in shown] == ['"""Doc."""\n', "import os\n", "from torch import nn\n", "x = 1\n"]
    assert all(any(s is t for t in tree.body) for s in shown)  # the module's own statements


def test_a_module_of_imports_only_is_shown_whole() -> None:
    tree = cst.parse_module("import os\nimport sys\n")
    assert list(leading_statements(tree)) == list(tree.body)


def test_a_first_statement_that_is_not_an_import_is_shown_with_the_next() -> None:
    # libcst skips a docstring or `__strict__` in first place; anything else ends its search.
    tree = cst.parse_module("x = 1\ny = 2\nimport os\n")
    assert len(leading_statements(tree)) == 2
