"""TU102 through helpers of other files: the run's function index, end to end through the CLI."""

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from torchup.cli import main

UTILS = """
    import torch
    from torch.autograd import Variable

    def to_var(x, volatile=False):
        return Variable(x, volatile=volatile)
    """

DATA = """
    from utils import to_var as tv

    def get_batch(source, i, evaluation=False):
        return tv(source[i:i + 2], volatile=evaluation)
    """

TRAIN = """
    import torch
    import utils
    from data import get_batch
    from utils import to_var

    def evaluate(model, x):
        x = to_var(x, volatile=True)
        return model(x)

    def evaluate_batch(model, source):
        data = get_batch(source, 0, evaluation=True)
        out = model(data)
        return out

    def score(model, x):
        return model(utils.to_var(x, True))

    def train(model, source):
        loss = model(get_batch(source, 0)).sum()
        loss.backward()
    """


def write(root: Path, files: dict) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


def torchup(*args):
    return CliRunner().invoke(main, [*map(str, args), "--no-cache", "--select", "TU102"], catch_exceptions=False)


def read(root: Path, name: str) -> str:
    return (root / name).read_text()


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    write(root, {"utils.py": UTILS, "data.py": DATA, "train.py": TRAIN})
    return root


def test_helpers_of_other_files_drop_the_flag_and_their_callers_get_regions(repo):
    result = torchup("fix", "--unsafe-fixes", repo)
    assert result.exit_code == 0, result.output
    assert read(repo, "utils.py") == textwrap.dedent(
        """\
        import torch

        def to_var(x):
            return x
        """
    )
    assert read(repo, "data.py") == textwrap.dedent(
        """\
        from utils import to_var as tv

        def get_batch(source, i):
            return tv(source[i:i + 2])
        """
    )
    assert read(repo, "train.py") == textwrap.dedent(
        """\
        import torch
        import utils
        from data import get_batch
        from utils import to_var

        def evaluate(model, x):
            with torch.no_grad():
                x = to_var(x)
                return model(x)

        def evaluate_batch(model, source):
            with torch.no_grad():
                data = get_batch(source, 0)
                out = model(data)
                return out

        def score(model, x):
            with torch.no_grad():
                return model(utils.to_var(x))

        def train(model, source):
            loss = model(get_batch(source, 0)).sum()
            loss.backward()
        """
    )
    for name in ("utils.py", "data.py", "train.py"):
        compile(read(repo, name), name, "exec")
    again = torchup("fix", "--check", "--unsafe-fixes", repo)
    assert again.exit_code == 0, again.output


def test_without_unsafe_fixes_the_regions_apply_and_the_helper_flags_are_findings(repo):
    torchup("fix", repo)
    assert "with torch.no_grad():\n        x = to_var(x, volatile=True)" in read(repo, "train.py")
    assert "return Variable(x, volatile=volatile)" in read(repo, "utils.py")
    check = torchup("check", repo)
    assert "`volatile=volatile` dropped from `to_var`" in check.output
    assert "its calls in " in check.output and "train.py get their regions there" in check.output
    assert torchup("fix", "--check", repo).exit_code == 0  # the regions are in place: nothing more


def test_a_helper_file_alone_is_reported_not_half_migrated(repo):
    before = read(repo, "utils.py")
    result = torchup("fix", "--unsafe-fixes", repo / "utils.py")
    assert read(repo, "utils.py") == before
    check = torchup("check", repo / "utils.py")
    assert "may be called from files this run does not include" in check.output
    assert str(repo / "train.py") in check.output
    assert "is ignored once" not in check.output  # the parameter still means the flag there
    assert result.exit_code == 0


def test_the_finding_on_a_helper_called_from_outside_the_run_names_the_helper(repo):
    check = torchup("check", repo / "utils.py")
    assert "`to_var` forwards a volatile flag and may be called from files" in check.output
    assert "`volatile` forwards" not in check.output  # the helper, not its parameter


def test_a_caller_alone_reads_the_helper_from_disk_and_leaves_it(repo):
    utils, data = read(repo, "utils.py"), read(repo, "data.py")
    torchup("fix", "--unsafe-fixes", repo / "train.py")
    assert read(repo, "utils.py") == utils and read(repo, "data.py") == data
    train = read(repo, "train.py")
    # the helpers' parameters stay (their files were not migrated): the calls keep their flags
    assert "with torch.no_grad():\n        x = to_var(x, volatile=True)" in train
    assert "with torch.no_grad():\n        data = get_batch(source, 0, evaluation=True)" in train


def test_public_api_of_a_package_keeps_its_parameter_documented_as_ignored(tmp_path):
    root = tmp_path / "repo"
    write(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/utils.py": UTILS,
            "pkg/train.py": "import torch\nfrom .utils import to_var\n\ndef sample(G, z):\n    z = to_var(z, volatile=True)\n    return G(z)\n",
        },
    )
    torchup("fix", "--unsafe-fixes", root)
    assert "def to_var(x, volatile=False):\n    return x\n" in read(root, "pkg/utils.py")
    assert "with torch.no_grad():\n        z = to_var(z, volatile=True)" in read(root, "pkg/train.py")
    check = torchup("check", root)
    assert "parameter `volatile` is ignored" in check.output
    assert "volatile= passed to a function" not in check.output  # the migrated helper ignores it


@pytest.mark.parametrize(
    "caller",
    [
        pytest.param("from utils import to_var\n\ndef f(x):\n    return to_var(x)\n", id="no-flag-passed"),
        pytest.param("from utils import to_var\n\ndef f(x):\n    return to_var(x, volatile=False)\n", id="false-flag"),
        pytest.param(
            "from other import to_var\n\ndef f(x):\n    return to_var(x, volatile=True)\n", id="same-name-other-module"
        ),
        pytest.param(
            "from utils import to_var\n\ndef to_var(x, volatile=False):\n    return x\n\n"
            "def f(x):\n    return to_var(x, volatile=True)\n",
            id="shadowed-by-a-local-function",
        ),
    ],
)
def test_calls_that_make_no_volatile_value_get_no_region(tmp_path, caller):
    root = tmp_path / "repo"
    write(root, {"utils.py": UTILS, "other.py": "def to_var(x, volatile=False):\n    print(volatile)\n    return x\n"})
    (root / "train.py").write_text(caller)
    torchup("fix", "--unsafe-fixes", root)
    assert "no_grad" not in read(root, "train.py")


# How a helper may hold its Variable before returning it: whether its callers' code gets a region.
HELPER_BODIES = [
    pytest.param("v = Variable(x, volatile=volatile)\nreturn v\n", True, id="bound-then-returned"),
    pytest.param("v = Variable(x, volatile=volatile).cuda()\nreturn v\n", True, id="moved"),
    pytest.param("v = w = Variable(x, volatile=volatile)\nreturn v\n", False, id="chained-assignment"),
    pytest.param("v = Variable(x, volatile=volatile)\nv += 1\nreturn v\n", False, id="augmented"),
    pytest.param("v = Variable(x, volatile=volatile)\nv: object = v\nreturn v\n", False, id="annotated"),
    pytest.param("v, w = Variable(x, volatile=volatile), x\nreturn v\n", False, id="unpacked"),
    pytest.param("v = Variable(x, volatile=volatile)\nv = x\nreturn v\n", False, id="rebound"),
    pytest.param("if volatile:\n    x = x * 1\nreturn Variable(x, volatile=volatile)\n", False, id="flag-also-tested"),
    pytest.param("flag = volatile\nreturn Variable(x, volatile=volatile)\n", False, id="flag-also-read"),
]


@pytest.mark.parametrize("body, region", HELPER_BODIES)
def test_a_helper_is_one_whether_its_caller_is_in_its_file_or_another(tmp_path, body, region):
    # The first pass (stdlib ast) decides for callers in other files what TU102 decides in the
    # helper's own file (libcst): the two must agree, or the same call migrates in one layout only.
    helper = "import torch\nfrom torch.autograd import Variable\n\n\ndef to_var(x, volatile=False):\n" + textwrap.indent(body, "    ")
    caller = "def evaluate(model, x):\n    x = to_var(x, volatile=True)\n    return model(x)\n"
    write(tmp_path / "one", {"one.py": helper + "\n\n" + caller})
    write(tmp_path / "two", {"utils.py": helper, "train.py": "from utils import to_var\n\n\n" + caller})
    for root in (tmp_path / "one", tmp_path / "two"):
        diff = torchup("fix", "--diff", root).stdout
        assert ("+    with torch.no_grad():" in diff) is region, (root.name, diff)


def test_a_helper_named_by_a_run_file_that_calls_it_unseen_keeps_its_parameter(tmp_path):
    # loader.py names neither `volatile` nor `Variable` and never calls `utils.to_var(...)`: the
    # first pass reads no call of it there, yet `self.convert(x, True)` passes the flag.
    loader = "import utils\n\n\nclass Loader:\n    convert = utils.to_var\n\n    def get(self, x):\n        return self.convert(x, True)\n"
    write(tmp_path, {"utils.py": UTILS, "train.py": "from utils import to_var\n\ndef evaluate(model, x):\n    return model(to_var(x, volatile=True))\n"})
    (tmp_path / "loader.py").write_text(loader)
    torchup("fix", "--unsafe-fixes", tmp_path)
    assert "def to_var(x, volatile=False):" in read(tmp_path, "utils.py")
    assert "to_var(x, volatile=True)" in read(tmp_path, "train.py") and "no_grad" in read(tmp_path, "train.py")
    assert read(tmp_path, "loader.py") == loader


def test_the_cache_sees_a_helper_change_in_another_file(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCHUP_CACHE_DIR", str(tmp_path / "cache"))
    cached = lambda *args: CliRunner().invoke(main, [*map(str, args), "--select", "TU102"], catch_exceptions=False)
    assert "train.py" in cached("check", repo).output
    # the helper is migrated by hand: its callers' calls make no volatile value any more
    (repo / "utils.py").write_text("def to_var(x, volatile=False):\n    return x\n")
    (repo / "data.py").write_text("from utils import to_var as tv\n\ndef get_batch(source, i, evaluation=False):\n    return tv(source[i:i + 2])\n")
    os.utime(repo / "utils.py", ns=(1, 1))
    assert "train.py" not in cached("check", repo).output


def notebook(path: Path, cells: list) -> None:
    import json

    path.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
                    for source in cells
                ],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 2,
            },
            indent=1,
        )
    )


def cells_of(path: Path) -> list:
    import json

    return ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]


def test_in_a_notebook_each_cell_using_the_value_gets_its_own_region(tmp_path):
    path = tmp_path / "nb.ipynb"
    notebook(
        path,
        [
            "import torch\nfrom torch.autograd import Variable\nmodel = torch.nn.Linear(2, 2)\nt = torch.ones(1, 2)",
            "x = Variable(t, volatile=True)\nout = model(x)",
            "loss = model(t).sum()\nloss.backward()",
            "print(out.sum())",
        ],
    )
    result = torchup("fix", "--unsafe-fixes", path)
    assert result.exit_code == 0, result.output
    assert cells_of(path) == [
        "import torch\nmodel = torch.nn.Linear(2, 2)\nt = torch.ones(1, 2)",
        "with torch.no_grad():\n    x = t\n    out = model(x)",
        "loss = model(t).sum()\nloss.backward()",
        "with torch.no_grad():\n    print(out.sum())",
    ]
    assert torchup("fix", "--check", "--unsafe-fixes", path).exit_code == 0


def test_in_a_notebook_a_region_that_cannot_be_split_by_cell_is_a_finding(tmp_path):
    path = tmp_path / "nb.ipynb"
    cells = [
        "import torch\nfrom torch.autograd import Variable\nmodel = torch.nn.Linear(2, 2)\nt = torch.ones(1, 2)",
        "x = Variable(t, volatile=True)",
        "for i in range(2):\n    opt.step(); print(model(x))",
    ]
    notebook(path, cells)
    result = torchup("fix", "--unsafe-fixes", path)
    assert result.exit_code == 0, result.output  # no internal error: the notebook is left as it was
    assert cells_of(path) == cells
    assert "cannot span cells" in torchup("check", path).output


def test_variable_from_a_star_import_of_a_run_file_is_migrated(tmp_path):
    root = tmp_path / "repo"
    write(
        root,
        {
            "utils.py": "import torch\nfrom torch.autograd import Variable\n\ndef helper(x):\n    return x\n",
            "train.py": "import torch\nfrom utils import *\n\ndef evaluate(model, x):\n    x = Variable(x, volatile=True)\n    return model(x).sum().item()\n",
        },
    )
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "--no-cache", "--select", "TU101,TU102", str(root)])
    assert result.exit_code == 0, result.output
    assert read(root, "train.py") == (
        "import torch\nfrom utils import *\n\ndef evaluate(model, x):\n    with torch.no_grad():\n"
        "        return model(x).sum().item()\n"
    )
    # a star import of a library the run does not hold: the name may come from it
    write(root, {"train.py": "import torch\nfrom utils import *\nfrom mylib import *\n\nx = Variable(t, volatile=True)\n"})
    check = CliRunner().invoke(main, ["check", "--no-cache", "--select", "TU101,TU102", str(root)])
    assert "may come from" in check.output


def test_an_imported_helper_is_followed_in_a_file_with_helpers_of_its_own(tmp_path):
    # The file's own `wrap` must not hide the `to_var` it imports (only a local `to_var` would).
    root = tmp_path / "repo"
    own = """
        import torch
        from torch.autograd import Variable
        from utils import to_var

        def wrap(x, volatile=False):
            return Variable(x, volatile=volatile)

        def evaluate(model, x):
            x = to_var(x, volatile=True)
            return model(x)
        """
    write(root, {"utils.py": UTILS, "train.py": own})
    assert torchup("fix", "--unsafe-fixes", root).exit_code == 0
    assert "    with torch.no_grad():\n        x = to_var(x)\n        return model(x)\n" in read(root, "train.py")


def test_a_class_named_variable_in_the_file_is_not_taken_from_a_star_import(tmp_path):
    # The file binds `Variable` itself (a class of its own): what `from utils import *` would give
    # is shadowed, and a file that imports nothing of torch gets no finding about it.
    root = tmp_path / "repo"
    write(
        root,
        {
            "utils.py": "import torch\nfrom torch.autograd import Variable\n\ndef helper(x):\n    return x\n",
            "train.py": (
                "from utils import *\n\n\nclass Variable:\n    def __init__(self, t):\n        self.t = t\n\n\n"
                "def evaluate(model, x):\n    y = Variable(x)\n    return model(y)\n"
            ),
        },
    )
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "TU101,TU102", str(root)])
    assert result.exit_code == 0, result.output
    assert "Variable" not in result.output


def test_a_caller_naming_neither_volatile_nor_variable_still_gets_its_region(tmp_path):
    # It was skipped before TU102 ran (its text names neither word), so its call got no region
    # while the helper was migrated: the inference silently built a graph. The run's first pass
    # now reads the files that name a helper, and TU102 runs where they call one.
    write(
        tmp_path,
        {
            "utils.py": "from torch.autograd import Variable\n\ndef var(a):\n    return Variable(a, volatile=True)\n",
            "translate.py": "from utils import var\n\ndef translate(model, a):\n    out = model(var(a))\n    return out.max(1)[1]\n",
            "notes.py": "# var(a) is the helper of utils.py\nvar = 1\n",
        },
    )
    result = torchup("fix", "--unsafe-fixes", tmp_path)
    assert result.exit_code == 0, result.output
    assert "return a\n" in read(tmp_path, "utils.py")  # the helper is migrated ...
    assert "with torch.no_grad():" in read(tmp_path, "translate.py")  # ... so its caller needs its region
    assert read(tmp_path, "notes.py") == "# var(a) is the helper of utils.py\nvar = 1\n"  # names it, calls nothing
    again = torchup("fix", "--unsafe-fixes", "--diff", tmp_path)
    assert again.exit_code == 0 and "+++" not in again.output, again.output


def test_a_helper_whose_flag_defaults_to_true_makes_calls_in_other_files_volatile(tmp_path):
    write(
        tmp_path,
        {
            "utils.py": "from torch.autograd import Variable\n\ndef var(x, volatile=True):\n    return Variable(x, volatile=volatile)\n",
            "translate.py": """
                from utils import var

                def translate(model, a):
                    out = model(var(a))
                    return out.max(1)[1]

                def train(model, a):
                    return model(var(a, volatile=False)).sum()
                """,
        },
    )
    result = torchup("fix", "--unsafe-fixes", tmp_path)
    assert result.exit_code == 0, result.output
    assert read(tmp_path, "utils.py") == "\ndef var(x):\n    return x\n"
    assert read(tmp_path, "translate.py") == textwrap.dedent(
        """\
        from utils import var
        import torch

        def translate(model, a):
            with torch.no_grad():
                out = model(var(a))
                return out.max(1)[1]

        def train(model, a):
            return model(var(a)).sum()
        """
    )


@pytest.mark.parametrize(
    "flag, dropped",
    [
        ("settings.evaluating", True),
        ("settings().evaluating", False),  # a call inside: dropping the argument moves it
        ("flags[next(order)]", False),
        ("options.mode.evaluating", True),
    ],
)
def test_a_flag_argument_that_holds_a_call_keeps_the_helpers_parameter(tmp_path, flag, dropped):
    root = tmp_path / "repo"
    caller = f"from utils import to_var\n\ndef evaluate(model, x, settings, flags, order, options):\n    return model(to_var(x, {flag}))\n"
    write(root, {"utils.py": UTILS})
    (root / "run.py").write_text(caller)
    result = torchup("fix", "--unsafe-fixes", root)
    assert result.exit_code in (0, 1), result.output
    assert ("def to_var(x):" in read(root, "utils.py")) is dropped
    assert (read(root, "run.py") == caller) is not dropped


def test_the_finding_on_a_helper_called_from_outside_the_run_names_three_of_its_callers(tmp_path):
    caller = "from utils import to_var\n\ndef evaluate(model, x):\n    return model(to_var(x, volatile=True))\n"
    write(tmp_path, {"utils.py": UTILS, "a.py": caller, "b.py": caller, "c.py": caller})

    def finding(shown: str) -> str:
        return (
            f"{tmp_path / 'utils.py'}:5:12: TU102 `to_var` forwards a volatile flag and may be called from "
            f"files this run does not include ({shown}): run torchup on them together, so that their calls "
            "get their `torch.no_grad()` regions and the flag is dropped here\n"
            "0 fixable issues in 0 files, 1 finding needs a person.\n"
        )

    three = ", ".join(str(tmp_path / name) for name in ("a.py", "b.py", "c.py"))
    assert torchup("check", tmp_path / "utils.py").output == finding(three)
    write(tmp_path, {"d.py": caller})
    assert torchup("check", tmp_path / "utils.py").output == finding(three + ", ...")


def test_a_helper_of_the_file_hides_an_imported_helper_of_the_same_name(tmp_path):
    # The file's own `to_var` (defined after the import) is the one its calls reach: its flag is
    # `evaluation`, which the imported helper's `volatile` would not see.
    own = """
        import torch
        from torch.autograd import Variable
        from utils import to_var

        def to_var(x, evaluation=False):
            return Variable(x, volatile=evaluation)

        def evaluate(model, x):
            x = to_var(x, evaluation=True)
            return model(x)
        """
    write(tmp_path, {"utils.py": UTILS, "train.py": own})
    assert torchup("fix", "--unsafe-fixes", tmp_path).exit_code == 0
    assert read(tmp_path, "train.py") == textwrap.dedent(
        """\
        import torch
        from utils import to_var

        def to_var(x, evaluation=False):
            return x

        def evaluate(model, x):
            with torch.no_grad():
                x = to_var(x, evaluation=True)
                return model(x)
        """
    )
    assert read(tmp_path, "utils.py") == "import torch\n\ndef to_var(x):\n    return x\n"  # called by no file of the run


def test_a_helper_whose_nested_function_reads_the_flag_does_not_ignore_its_callers_flag(tmp_path):
    # `volatile` reaches the Variable through a closure: the caller in another file is reported,
    # as it is when it sits in the helper's file, not passed over as a flag the helper ignores.
    utils = (
        "from torch.autograd import Variable\n\n\ndef to_var(x, volatile=False):\n    def wrap(y):\n"
        "        return Variable(y, volatile=volatile)\n    return wrap(x)\n"
    )
    write(tmp_path, {"utils.py": utils, "train.py": "import torch\nfrom utils import to_var\n\nout = model(to_var(b, volatile=True))\n"})
    result = torchup("check", tmp_path)
    assert (
        f"{tmp_path / 'train.py'}:4:13: TU102 `volatile=` passed to a function that is not torch.autograd.Variable: "
        "volatile has no effect since PyTorch 0.4; migrate that function's use of the flag by hand"
    ) in result.output, result.output
