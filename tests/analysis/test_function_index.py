"""The function index of the first pass: which volatile helpers each file imports or exports."""

import pickle
import textwrap
from pathlib import Path

import pytest

from torchup.analysis.module_index import ModuleIndex, build_module_index

TO_VAR = """
    import torch
    from torch.autograd import Variable

    def to_var(x, volatile=False):
        if torch.cuda.is_available():
            x = x.cuda()
        return Variable(x, volatile=volatile)
    """


def tree(root: Path, files: dict) -> ModuleIndex:
    texts = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        texts[str(path)] = path.read_text()
    return build_module_index(texts)


def imported(index: ModuleIndex, root: Path, name: str) -> dict:
    return {
        spelling: (Path(h.path).name, h.name, h.param, h.position, h.default)
        for spelling, h in index.file_helpers(str(root / name)).imported_helpers().items()
    }


@pytest.mark.parametrize(
    "caller, spelling",
    [
        pytest.param("from utils import to_var\nto_var(1, volatile=True)\n", "to_var", id="from-import"),
        pytest.param("from utils import to_var as tv\ntv(1, volatile=True)\n", "tv", id="alias"),
        pytest.param("import utils\nutils.to_var(1, volatile=True)\n", "utils.to_var", id="module-import"),
        pytest.param("import utils as u\nu.to_var(1, True)  # Variable\n", "u.to_var", id="module-alias"),
    ],
)
def test_a_helper_of_another_file_is_known_by_the_name_its_caller_writes(tmp_path, caller, spelling):
    index = tree(tmp_path, {"utils.py": TO_VAR, "train.py": caller})
    assert imported(index, tmp_path, "train.py") == {spelling: ("utils.py", "to_var", "volatile", 1, "False")}
    exported = index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var")
    assert exported.importers == (str(tmp_path / "train.py"),)
    assert exported.unseen == ()


def test_relative_imports_reexports_and_chains_through_files(tmp_path):
    index = tree(
        tmp_path,
        {
            "pkg/__init__.py": "from .utils import to_var\n",
            "pkg/utils.py": TO_VAR,
            "pkg/data.py": """
                from . import to_var  # Variable

                def get_batch(source, i, evaluation=False):
                    return to_var(source[i:i + 2], volatile=evaluation)
            """,
            "pkg/main.py": """
                from .data import get_batch  # volatile

                def evaluate(model, source):
                    return model(get_batch(source, 0, evaluation=True))
            """,
        },
    )
    assert imported(index, tmp_path, "pkg/data.py") == {"to_var": ("utils.py", "to_var", "volatile", 1, "False")}
    assert imported(index, tmp_path, "pkg/main.py") == {"get_batch": ("data.py", "get_batch", "evaluation", 2, "False")}
    # a package's public functions keep their parameter
    assert not index.file_helpers(str(tmp_path / "pkg/utils.py")).exported_helper("to_var").drop_param


@pytest.mark.parametrize(
    "helper",
    [
        pytest.param(
            "from torch.autograd import Variable\ndef to_var(x, volatile=False):\n    print(volatile)\n"
            "    return Variable(x, volatile=volatile)\n",
            id="flag-used-otherwise",
        ),
        pytest.param(
            "from torch.autograd import Variable\ndef to_var(x, volatile=False):\n"
            "    y = model(Variable(x, volatile=volatile))\n    return y\n",
            id="value-used-inside",
        ),
        pytest.param(
            "from torch.autograd import Variable\ndef to_var(x, volatile=False):\n"
            "    v = Variable(x, volatile=volatile)\n    v = v * 2\n    return v\n",
            id="value-rebound-before-the-return",
        ),
        pytest.param(
            "from torch.autograd import Variable\ndef to_var(x):\n    return Variable(x, volatile=True), x\n",
            id="always-volatile-but-in-a-tuple",  # only a flag parameter's Variable may leave in one
        ),
        pytest.param(
            "from torch.autograd import Variable\ndef to_var(x, volatile=False):\n"
            "    pair = Variable(x, volatile=volatile), x\n    return pair\n",
            id="in-a-tuple-bound-to-a-name",
        ),
        pytest.param(
            "from mylib import Variable\ndef to_var(x, volatile=False):\n    return Variable(x, volatile=volatile)\n",
            id="not-torch-variable",
        ),
        pytest.param(
            "from torch.autograd import Variable\ndef to_var(x, volatile=False):\n    return other(x, volatile)\n",
            id="forwards-to-an-unknown-function",
        ),
        pytest.param(
            "from torch.autograd import Variable\nclass Helper:\n    def to_var(self, x, volatile=False):\n"
            "        return Variable(x, volatile=volatile)\n",
            id="a-method",
        ),
    ],
)
def test_look_alikes_are_no_helpers(tmp_path, helper):
    index = tree(tmp_path, {"utils.py": helper, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {}


def test_a_helper_forwarding_its_flag_by_position_to_another_is_a_helper(tmp_path):
    # `to_var(x, evaluation)`: the flag reaches to_var's `volatile` as its second positional argument
    forwarding = TO_VAR + "\n    def make(x, evaluation=False):\n        return to_var(x, evaluation)\n"
    index = tree(tmp_path, {"utils.py": forwarding, "train.py": "from utils import make\nmake(1, evaluation=True)  # volatile\n"})
    assert imported(index, tmp_path, "train.py") == {"make": ("utils.py", "make", "evaluation", 1, "False")}


def test_a_helper_handing_its_variable_out_in_a_tuple_is_a_helper(tmp_path):
    pair = "from torch.autograd import Variable\n\ndef to_var(x, y, volatile=False):\n    return Variable(x, volatile=volatile), y\n"
    index = tree(tmp_path, {"utils.py": pair, "train.py": "from utils import to_var\nto_var(1, 2, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", "volatile", 2, "False")}


def test_an_always_volatile_helper_and_a_migrated_helper(tmp_path):
    index = tree(
        tmp_path,
        {
            "utils.py": """
                from torch.autograd import Variable

                def var(a):
                    return Variable(a, volatile=True)

                def to_var(x, volatile=False):
                    return x
            """,
            "train.py": "from utils import var, to_var\nvar(1)\nto_var(1, volatile=True)\n",
        },
    )
    assert imported(index, tmp_path, "train.py") == {"var": ("utils.py", "var", None, None, None)}
    assert index.file_helpers(str(tmp_path / "train.py")).ignoring == ("to_var",)


def test_a_function_that_reads_its_volatile_parameter_does_not_ignore_it(tmp_path):
    # `if volatile: x = x.detach()` is a use: TU102 must report the callers' flags, not drop them.
    index = tree(
        tmp_path,
        {
            "utils.py": """
                def prepare(x, volatile=False):
                    if volatile:
                        x = x.detach()
                    return x

                def passthrough(x, volatile=False):
                    return x
            """,
            "train.py": "from utils import prepare, passthrough\nprepare(1, volatile=True)\npassthrough(1, volatile=True)\n",
        },
    )
    assert index.file_helpers(str(tmp_path / "train.py")).ignoring == ("passthrough",)


def test_a_function_passing_requires_grad_positionally_is_no_helper(tmp_path):
    # `Variable(x, trainable)`: the second positional argument is requires_grad; volatile is the third
    utils = "from torch.autograd import Variable\n\ndef param(x, trainable):\n    return Variable(x, trainable)\n"
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import param\nparam(1, True)  # Variable\n"})
    assert imported(index, tmp_path, "train.py") == {}
    assert index.file_helpers(str(tmp_path / "utils.py")).exported_helper("param") is None
    positional = "from torch.autograd import Variable\n\ndef var(x, v=False):\n    return Variable(x, False, v)\n"
    index = tree(tmp_path, {"utils.py": positional, "train.py": "from utils import var\nvar(1, True)  # Variable\n"})
    assert imported(index, tmp_path, "train.py") == {"var": ("utils.py", "var", "v", 1, "False")}


def test_a_helper_defined_in_the_else_of_a_module_level_if_is_found(tmp_path):
    utils = """
        import torch
        from torch.autograd import Variable

        if hasattr(torch, "no_grad"):
            pass
        else:
            def to_var(x, volatile=False):
                return Variable(x, volatile=volatile)
        """
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", "volatile", 1, "False")}


def test_of_a_function_defined_twice_the_last_definition_is_indexed(tmp_path):
    # Python keeps the second `def`: the helper is the one redefined lower in the file
    utils = """
        from torch.autograd import Variable

        def to_var(x):
            return x

        def to_var(x, volatile=False):
            return Variable(x, volatile=volatile)
        """
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", "volatile", 1, "False")}


def test_a_flag_parameter_without_a_default_stays(tmp_path):
    # Nothing says what a call that omits it would mean: the parameter is kept (reported), not removed
    utils = "from torch.autograd import Variable\n\ndef to_var(x, volatile):\n    return Variable(x, volatile=volatile)\n"
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import to_var\nto_var(1, True)  # Variable\n"})
    assert index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var").drop_param is False
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", "volatile", 1, None)}


@pytest.mark.parametrize(
    "extra, droppable",
    [
        pytest.param({}, True, id="every-call-can-lose-it"),
        pytest.param({"other.py": "from utils import to_var\nfns = [to_var]  # volatile\n"}, False, id="passed-as-a-value"),
        pytest.param({"other.py": "from utils import *\nto_var(1, True)  # volatile\n"}, False, id="star-import"),
        pytest.param({"other.py": "from utils import to_var\nto_var(1, **kw)  # volatile\n"}, False, id="star-argument"),
        pytest.param({"other.py": "from utils import to_var\nto_var(1, f())  # volatile\n"}, False, id="flag-computed-by-a-call"),
        # Read although it names neither `volatile` nor `Variable`: it names the helper.
        pytest.param({"plain.py": "import utils\nutils.to_var(1, True)\n"}, True, id="a-file-naming-only-the-helper"),
        # A file no parser reads (Python 2) may call it in ways nobody sees.
        pytest.param({"plain.py": "import utils\nprint 'x'\nutils.to_var(1, True)\n"}, False, id="a-file-the-first-pass-cannot-read"),
        pytest.param({"__init__.py": ""}, False, id="public-api-of-a-package"),
        # A file the first pass does not read is searched for the helper's name as a whole word.
        pytest.param({"plain.py": "to_var_list = []\n"}, True, id="a-longer-name-in-a-file-not-read"),
    ],
)
def test_when_the_flag_parameter_can_go(tmp_path, extra, droppable):
    files = {"utils.py": TO_VAR, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n", **extra}
    index = tree(tmp_path, files)
    assert index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var").drop_param is droppable
    assert [h.drop_param for h in index.file_helpers(str(tmp_path / "train.py")).imported_helpers().values()] == [droppable]


def test_files_on_disk_beyond_the_run_are_named(tmp_path):
    (tmp_path / "utils.py").write_text(textwrap.dedent(TO_VAR))
    (tmp_path / "train.py").write_text("from utils import to_var\n")
    index = build_module_index({str(tmp_path / "utils.py"): (tmp_path / "utils.py").read_text()})
    exported = index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var")
    assert exported.unseen == (str(tmp_path / "train.py"),)
    assert not exported.drop_param


def test_files_at_the_package_root_beyond_the_run_are_named(tmp_path):
    # `python train.py` at the root of `pkg/` imports `pkg.models.utils` by its absolute name
    (tmp_path / "pkg" / "models").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "models" / "__init__.py").write_text("")
    helper = tmp_path / "pkg" / "models" / "utils.py"
    helper.write_text(textwrap.dedent(TO_VAR))
    (tmp_path / "train.py").write_text("from pkg.models.utils import to_var\n")
    index = build_module_index({str(helper): helper.read_text()})
    exported = index.file_helpers(str(helper)).exported_helper("to_var")
    assert str(tmp_path / "train.py") in exported.unseen
    assert not exported.drop_param


def test_the_index_pickles_and_keys_the_cache(tmp_path):
    index = tree(tmp_path, {"utils.py": TO_VAR, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert pickle.loads(pickle.dumps(index)).helpers == index.helpers
    key = index.cache_key(str(tmp_path / "train.py"))
    assert key and all("to_var" in item for item in key)
    assert index.cache_key(str(tmp_path / "elsewhere.py")) == ()


@pytest.mark.parametrize(
    "files, bound",
    [
        pytest.param({"utils.py": "from torch.autograd import Variable\n"}, "torch.autograd.Variable", id="re-exported"),
        pytest.param(
            {"utils.py": "from torch.autograd import Variable\n", "more.py": "import numpy\nclass A:\n    pass\n"},
            "torch.autograd.Variable",
            id="a-later-star-without-the-name",
        ),
        pytest.param(
            {"utils.py": "from torch.autograd import Variable\n", "more.py": "from numpy import *\n"},
            None,
            id="a-later-star-the-first-pass-does-not-read",
        ),
        pytest.param(
            {"utils.py": "from torch.autograd import Variable\n", "more.py": "Variable = lambda *a: a  # volatile\n"},
            None,
            id="a-later-star-rebinds-it",
        ),
        pytest.param(
            {"utils.py": "from torch.autograd import Variable\n__all__ = ['f']\n", "more.py": "x = 1\n"},
            None,
            id="all-declared",
        ),
        pytest.param(
            {"utils.py": "from torch.autograd import Variable\n__all__ = ['f']\n"},
            None,
            id="all-declared-alone",  # `__all__` decides what the star takes, whatever the file imports
        ),
        pytest.param({"utils.py": "from torch.autograd import Variable\n"}, None, id="a-library-star-import"),
    ],
)
def test_variable_taken_from_star_imports_of_the_run(tmp_path, request, files, bound):
    stars = "from utils import *\n" + ("from more import *\n" if "more.py" in files else "")
    if request.node.callspec.id == "a-library-star-import":
        stars += "from mylib import *\n"
    index = tree(tmp_path, {**files, "train.py": stars + "x = Variable(t, volatile=True)\n"})
    names = dict(index.file_helpers(str(tmp_path / "train.py")).star_names)
    assert names.get("Variable") == bound


@pytest.mark.parametrize(
    "caller, spelling",
    [
        pytest.param("from utils import to_var\nout = to_var(1, True)\n", "to_var", id="flag-by-position"),
        pytest.param("import utils as u\nout = u.to_var(1)\n", "u.to_var", id="module-alias"),
        pytest.param("from utils import to_var\n\nclass Net:\n    def f(self, x):\n        return to_var(x)\n", "to_var", id="read-for-its-class"),
    ],
)
def test_a_caller_naming_neither_volatile_nor_variable_is_indexed(tmp_path, caller, spelling):
    # The first pass reads calls only where `volatile` or `Variable` is written; a file that names a
    # helper of the run is read too, or its calls would get no region.
    index = tree(tmp_path, {"utils.py": TO_VAR, "train.py": caller})
    assert imported(index, tmp_path, "train.py") == {spelling: ("utils.py", "to_var", "volatile", 1, "False")}
    exported = index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var")
    assert exported.importers == (str(tmp_path / "train.py"),)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param("# to_var is the helper of utils.py\nx = 1\n", id="comment"),
        pytest.param("def to_var(x):\n    return x\ny = to_var(1)\n", id="its-own-function"),
        pytest.param("from other import to_var\ny = to_var(1)\n", id="another-module"),
    ],
)
def test_a_file_that_only_names_a_helper_imports_none(tmp_path, other):
    index = tree(tmp_path, {"utils.py": TO_VAR, "notes.py": other})
    assert imported(index, tmp_path, "notes.py") == {}
    assert index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var").importers == ()


def test_the_texts_given_are_read_not_the_disk():
    texts = {"/nowhere/utils.py": textwrap.dedent(TO_VAR), "/nowhere/train.py": "from utils import to_var\nto_var(1, True)\n"}
    index = build_module_index(texts)
    assert set(index.file_helpers("/nowhere/train.py").imported_helpers()) == {"to_var"}


@pytest.mark.parametrize(
    "text, calls",
    [
        pytest.param("from utils import var\ny = var(x)\n", True, id="from-import"),
        pytest.param("from .utils import (\n    load,\n    var,\n)\n", True, id="parenthesized"),
        pytest.param("import utils as u\ny = u.var(x)\n", True, id="module-alias"),
        pytest.param("from pkg import utils\ny = utils.var(x)\n", True, id="module-from-package"),
        pytest.param("from utils import *\ny = var(x)\n", True, id="star-import"),
        pytest.param("import torch\ny = x.var(1) + torch.var(x)\n", False, id="tensor-variance"),
        pytest.param("from torch.nn.utils import clip_grad_norm_\ny = x.var()\n", False, id="another-utils"),
        pytest.param("import utils\n# var(x) is the helper\n", False, id="comment-only"),
        pytest.param("variance = 1\n", False, id="longer-word"),
    ],
)
def test_which_texts_may_call_a_helper(text, calls):
    from torchup.analysis.module_index import may_call

    assert may_call(text, "utils", "var") is calls


def test_the_first_passes_walk_visits_what_ast_walk_visits_in_its_order() -> None:
    import ast

    from torchup.analysis.function_index import nodes_of, usage_of

    source = textwrap.dedent(
        """
        from utils import *
        import helpers as h

        @h.deco(k=1)
        class A(h.Base, metaclass=h.Meta):
            def f(self, x, *a, y=h.default(), **k):
                return [h.to_var(i, True) for i in x if i] or {k: v for k, v in y}, lambda z=1: h.f(z)

        try:
            h.g(h.value, key=h.make())
        except (ValueError, h.Error) as e:
            print(f"{e!r:>{h.width}}")
        """
    )
    module = ast.parse(source)
    walked = list(ast.walk(module))
    assert len(walked) > 100
    assert [id(node) for node in nodes_of(module)] == [id(node) for node in walked]
    # Its one loop still tells a called name (a call) from one only read (a value), at any depth.
    usage = usage_of(module, lambda dotted: dotted.startswith("h."), package=False)
    assert sorted(call.callee for call in usage.calls) == ["h.deco", "h.default", "h.f", "h.g", "h.make", "h.to_var"]
    assert usage.values == ("h.Base", "h.Error", "h.Meta", "h.value", "h.width")
    assert usage.star_import
    assert [call.side_effects for call in usage.calls if call.callee == "h.g"] == [("key",)]


@pytest.mark.parametrize(
    "source, script",
    [
        ('if __name__ == "__main__":\n    main()\n', True),
        ("import sys\nif __name__ != '__main__':\n    sys.exit()\n", True),
        ("DEBUG = 0\nif DEBUG == 1:\n    print('debug')\n", False),
        ("if sys.version_info >= (3,):\n    import pickle\n", False),
    ],
)
def test_only_a_main_guard_on_name_makes_a_file_a_script(source, script):
    # a script's helpers are called by nobody else, so their flags may go; a module's may not
    import ast

    from torchup.analysis.function_index import is_script

    assert is_script(ast.parse(source)) is script


def test_an_attribute_of_an_imported_helper_is_no_call_of_it(tmp_path):
    # `utils.to_var.cache(...)` names something of the function, not the function: no helper call.
    index = tree(tmp_path, {"utils.py": TO_VAR, "train.py": "import utils\nutils.to_var.cache(1, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {}
    exported = index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var")
    assert exported.importers == ()


def test_a_package_s_usage_names_its_public_functions_and_every_argument_that_runs_code():
    # A walrus in an argument runs code like a call: dropping the argument would drop its binding.
    import ast

    from torchup.analysis.function_index import usage_of

    source = "def to_var(x, volatile=False):\n    pass\n\ndef _batch():\n    pass\n\nh.f(x, (y := 1), key=(z := 2))\n"
    usage = usage_of(ast.parse(source), lambda dotted: dotted.startswith("h."), package=True)
    assert [(call.callee, call.side_effects) for call in usage.calls] == [("h.f", ("1", "key"))]
    assert usage.public == ("to_var",)


@pytest.mark.parametrize(
    "utils, expected",
    [
        pytest.param(
            "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass BasicNet:\n    pass\n",
            {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional"},
            id="deeprl-network-utils",
        ),
        pytest.param("from torch.nn import init\nclass B:\n    pass\n", {"init": "torch.nn.init"}, id="init"),
        pytest.param("import mylib.nn as nn\nclass B:\n    pass\n", {}, id="another-library-s-nn"),
    ],
)
def test_torch_modules_taken_from_star_imports_of_the_run(tmp_path, utils, expected):
    # ShangtongZhang/DeepRL's network_bodies.py: `from .network_utils import *`, then `nn.init.uniform(...)`.
    index = tree(tmp_path, {"utils.py": utils, "bodies.py": "from utils import *\nclass Body(nn.Module):\n    pass\n"})
    assert dict(index.file_helpers(str(tmp_path / "bodies.py")).star_names) == expected


@pytest.mark.parametrize(
    "files, train, bound",
    [
        pytest.param(
            {"pkg/__init__.py": "", "pkg/utils.py": "from torch.autograd import Variable\n"},
            "from .utils import *\n",
            "torch.autograd.Variable",
            id="a-relative-star-import",  # `.utils` is the file beside train.py, not one directory up
        ),
        pytest.param(
            {
                "pkg/__init__.py": "",
                "pkg/autograd.py": "class Variable(object):\n    pass\n",
                "pkg/utils.py": "from .autograd import Variable\n",
            },
            "from .utils import *\n",
            None,
            id="the-user-s-own-variable-re-exported",
        ),
        pytest.param(
            {"pkg/utils.py": "from torch.autograd import Variable\n__all__ = ['f']\nVERSION = 1\n"},
            "from utils import *\n",
            None,
            id="all-declared-before-another-assignment",
        ),
        pytest.param(
            {"pkg/utils.py": "from torch.autograd import Variable\nfrom mylib import *\n"},
            "from utils import *\n",
            None,
            id="a-star-import-of-its-own",  # mylib may bind Variable too: what utils exports is unknown
        ),
        pytest.param(
            {"pkg/utils.py": "from torch.autograd import Variable\n"},
            "from utils import *\nVariable = make_variable\n",
            None,
            id="the-file-assigns-it",
        ),
    ],
)
def test_variable_taken_from_relative_and_unknown_star_imports(tmp_path, files, train, bound):
    index = tree(tmp_path, {**files, "pkg/train.py": train + "x = Variable(t, volatile=True)\n"})
    names = dict(index.file_helpers(str(tmp_path / "pkg" / "train.py")).star_names)
    assert names.get("Variable") == bound


def test_a_helper_calling_variable_through_the_autograd_module_is_a_helper(tmp_path):
    # `from torch import autograd` then `autograd.Variable(...)`: the name after the module counts
    utils = "from torch import autograd\n\ndef to_var(x, volatile=False):\n    return autograd.Variable(x, volatile=volatile)\n"
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", "volatile", 1, "False")}


def test_a_helper_of_a_package_s_init_called_by_a_file_naming_neither_word_is_indexed(tmp_path):
    # `import utils; utils.to_var(...)` where utils is a package: its __init__.py is module `utils`
    index = tree(tmp_path, {"utils/__init__.py": TO_VAR, "train.py": "import utils\nout = utils.to_var(1, True)\n"})
    assert imported(index, tmp_path, "train.py") == {"utils.to_var": ("__init__.py", "to_var", "volatile", 1, "False")}


def test_a_script_s_helper_is_importable_by_no_file_beside_it(tmp_path):
    # nothing imports a script: the files beside it on disk cannot call its helper, whose flag can go
    (tmp_path / "other.py").write_text("print('other')\n")
    script = TO_VAR + '\n    if __name__ == "__main__":\n        to_var(1, volatile=True)\n'
    index = tree(tmp_path, {"train.py": script})
    exported = index.file_helpers(str(tmp_path / "train.py")).exported_helper("to_var")
    assert exported.unseen == ()
    assert exported.drop_param


@pytest.mark.parametrize(
    "helper",
    [
        pytest.param(
            "from torch.autograd import Variable\n\ndef set_input(x, volatile=False):\n    global inp\n"
            "    inp = Variable(x, volatile=volatile)\n",
            id="no-return-at-all",
        ),
        pytest.param(
            "from torch.autograd import Variable\n\ndef to_var(x, cuda=False):\n    if cuda:\n"
            "        return Variable(x.cuda(), volatile=True)\n    return x\n",
            id="always-volatile-on-one-return-only",
        ),
    ],
)
def test_functions_whose_every_return_does_not_give_the_variable_back_are_no_helpers(tmp_path, helper):
    name = "set_input" if "set_input" in helper else "to_var"
    index = tree(tmp_path, {"utils.py": helper, "train.py": f"from utils import {name}\n{name}(1, True)  # volatile\n"})
    assert imported(index, tmp_path, "train.py") == {}
    assert index.file_helpers(str(tmp_path / "utils.py")).exported_helper(name) is None


def test_a_volatile_parameter_read_by_a_nested_function_is_not_ignored(tmp_path):
    # The closure reads the flag: the callers' `volatile=True` is no leftover to pass over silently
    # (TU102 in one file reads nested functions too, and reports the call).
    utils = """
        from torch.autograd import Variable

        def to_var(x, volatile=False):
            def wrap(y):
                return Variable(y, volatile=volatile)
            return wrap(x)
        """
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert index.file_helpers(str(tmp_path / "train.py")).ignoring == ()


def test_a_return_of_a_nested_function_is_not_the_helper_s(tmp_path):
    utils = """
        from torch.autograd import Variable

        def var(x):
            def fallback():
                return x
            return Variable(x, volatile=True)
        """
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import var\nvar(1)  # volatile\n"})
    assert imported(index, tmp_path, "train.py") == {"var": ("utils.py", "var", None, None, None)}


@pytest.mark.parametrize(
    "utils, flag",
    [
        pytest.param(
            "from torch.autograd import Variable\n\ndef to_var(x, *, volatile=False):\n    return Variable(x, volatile=volatile)\n",
            ("volatile", None, "False"),
            id="keyword-only-flag",
        ),
        pytest.param(
            "from torch.autograd.variable import Variable\n\ndef to_var(x, volatile=False):\n    return Variable(x, volatile=volatile)\n",
            ("volatile", 1, "False"),
            id="variable-from-its-0.2-module",
        ),
    ],
)
def test_helpers_of_other_spellings(tmp_path, utils, flag):
    index = tree(tmp_path, {"utils.py": utils, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", *flag)}


def test_a_file_of_the_run_that_cannot_be_read_may_call_the_helper(tmp_path):
    # gone.py was given to the run but is no longer on disk when its words are searched
    (tmp_path / "utils.py").write_text(textwrap.dedent(TO_VAR))
    (tmp_path / "train.py").write_text("from utils import to_var\nto_var(1, volatile=True)\n")
    texts = {str(tmp_path / name): (tmp_path / name).read_text() for name in ("utils.py", "train.py")}
    index = build_module_index({**texts, str(tmp_path / "gone.py"): "x = 1\n"})
    assert index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var").drop_param is False


def test_only_python_files_beyond_the_run_could_import_a_helper(tmp_path):
    (tmp_path / "README.md").write_text("call to_var(x, volatile=True)\n")
    (tmp_path / "data.txt").write_text("1 2 3\n")
    index = tree(tmp_path, {"utils.py": TO_VAR, "train.py": "from utils import to_var\nto_var(1, volatile=True)\n"})
    exported = index.file_helpers(str(tmp_path / "utils.py")).exported_helper("to_var")
    assert exported.unseen == ()
    assert exported.drop_param


def test_the_cache_key_holds_the_variable_a_star_import_gives(tmp_path):
    files = {"utils.py": "from torch.autograd import Variable\n", "train.py": "from utils import *\nx = Variable(t)\n"}
    index = tree(tmp_path, files)
    assert index.cache_key(str(tmp_path / "train.py")) == (repr(("Variable", "torch.autograd.Variable")),)


def test_functions_of_a_main_block_or_an_except_handler(tmp_path):
    # A function defined under the main guard is no module-level function (importing the file does
    # not define it); one defined in `except ImportError:` is.
    utils = """
        from torch.autograd import Variable

        try:
            from fast import to_var
        except ImportError:
            def to_var(x, volatile=False):
                return Variable(x, volatile=volatile)

        if __name__ == "__main__":
            def var(x, volatile=False):
                return Variable(x, volatile=volatile)
        """
    caller = "from utils import to_var, var\nto_var(1, volatile=True)\nvar(1, volatile=True)\n"
    index = tree(tmp_path, {"utils.py": utils, "train.py": caller})
    assert imported(index, tmp_path, "train.py") == {"to_var": ("utils.py", "to_var", "volatile", 1, "False")}


def test_a_script_of_a_package_has_no_public_functions():
    import ast

    from torchup.analysis.function_index import usage_of

    source = 'def to_var(x, volatile=False):\n    pass\n\nif __name__ == "__main__":\n    to_var(1)\n'
    assert usage_of(ast.parse(source), lambda dotted: False, package=True).public == ()
