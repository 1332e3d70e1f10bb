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


# Every way a file binds a name other than an import makes the name ambiguous: it then refers to
# no torch object, and codemods leave what it calls alone.
@pytest.mark.parametrize(
    "code",
    [
        pytest.param("def up(F, x):\n    return F\n", id="parameter"),
        pytest.param("g = lambda F: F\n", id="lambda-parameter"),
        pytest.param("def up(x, *, F=None):\n    return F\n", id="keyword-only-parameter"),
        pytest.param("for i, F in enumerate(fs):\n    pass\n", id="tuple-loop-target"),
        pytest.param("ys = [F for F in fs]\n", id="comprehension"),
        pytest.param("ys = {k: F for k, F in fs}\n", id="comprehension-tuple-target"),
        pytest.param("with open(p) as F:\n    pass\n", id="with-as"),
        pytest.param("try:\n    pass\nexcept ImportError as F:\n    pass\n", id="except-as"),
        pytest.param("if (F := make()):\n    pass\n", id="walrus"),
        pytest.param("F, G = a, b\n", id="tuple-assignment"),
        pytest.param("a, *F = xs\n", id="starred-assignment"),
        pytest.param("F: int = 1\n", id="annotated"),
        pytest.param("def F():\n    pass\n", id="def"),
        pytest.param("class F:\n    pass\n", id="class"),
        pytest.param("def f():\n    global F\n    F = 1\n", id="global"),
        # A name imported again from the user's own package (a fallback for torch's).
        pytest.param("try:\n    pass\nexcept ImportError:\n    from .compat import F\n", id="relative-import"),
        pytest.param("from . import F\n", id="relative-import-of-a-module"),
        pytest.param("from .compat import G as F\n", id="relative-import-as"),
    ],
)
def test_a_name_bound_otherwise_than_by_import_refers_to_nothing(code):
    table = import_table(cst.parse_module("import torch.nn.functional as F\n" + code))
    assert table.is_rebound("F")
    assert table.qualified_name(cst.parse_expression("F.upsample")) is None
    assert table.spelling("torch.nn.functional.interpolate") is None


def test_a_name_bound_only_by_its_import_refers_to_the_import():
    table = import_table(cst.parse_module("import torch.nn.functional as F\nfrom .compat import G\ny = F.upsample(x)\n"))
    assert not table.is_rebound("F") and table.is_rebound("G")
    assert table.qualified_name(cst.parse_expression("F.upsample")) == "torch.nn.functional.upsample"
    assert table.spelling("torch.nn.functional.interpolate") == "F.interpolate"


def test_star_import_of_names_what_a_star_may_bind_and_nothing_the_file_binds():
    table = import_table(cst.parse_module("from utils import *\nfrom .layers import *\nimport torch\ndef helper():\n    pass\n"))
    assert table.star_import_of(cst.parse_expression("Variable")) == "from utils import * / from .layers import *"
    assert table.star_import_of(cst.parse_expression("helper")) is None  # the file's own def
    assert table.star_import_of(cst.parse_expression("torch.zeros")) is None  # imported
    assert import_table(cst.parse_module("import torch\n")).star_import_of(cst.parse_expression("Variable")) is None


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import torch.nn\n", id="import-a.b"),
        pytest.param("import torch.nn.functional\n", id="import-a.b.c"),
        pytest.param("import torch.nn, os.path\n", id="two-on-one-line"),
        pytest.param("import torch.nn as nn\nimport torch.optim\n", id="beside-an-alias"),
    ],
)
def test_a_dotted_import_binds_its_first_name(code):
    table = import_table(cst.parse_module(code))
    assert table.qualified_name(cst.parse_expression("torch.FloatTensor")) == "torch.FloatTensor"
    assert table.qualified_name(cst.parse_expression("torch.nn.functional.upsample")) == "torch.nn.functional.upsample"
    assert table.spelling("torch.float") == "torch.float"
    assert "torch.nn" not in table.aliases and "torch.nn.functional" not in table.aliases


def test_a_star_import_of_torch_autograd_binds_what_its_all_lists():
    # 2017 code wrote `from torch.autograd import *` for Variable and Function alike
    table = import_table(cst.parse_module("from torch.autograd import *\n\nclass Fn(Function):\n    pass\n"))
    assert table.qualified_name(cst.parse_expression("Function")) == "torch.autograd.Function"
    assert table.qualified_name(cst.parse_expression("Variable")) == "torch.autograd.Variable"
    assert table.qualified_name(cst.parse_expression("backward")) == "torch.autograd.backward"
    assert table.qualified_name(cst.parse_expression("grad")) is None  # not in every torch's __all__


def test_spelling_keeps_the_shorter_of_two_imports_whichever_comes_first():
    table = import_table(cst.parse_module("import torch.nn as nn\nimport torch\n"))
    assert table.spelling("torch.nn.Linear") == "nn.Linear"
    assert table.spelling("torch.zeros") == "torch.zeros"


def test_a_name_of_a_torch_star_import_that_the_file_binds_is_not_torch_s():
    table = import_table(cst.parse_module("from torch.autograd import *\n\ndef Variable(x):\n    return x\n"))
    assert table.qualified_name(cst.parse_expression("Variable")) is None
    assert table.qualified_name(cst.parse_expression("Function")) == "torch.autograd.Function"
