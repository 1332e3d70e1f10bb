import pickle
import textwrap
import warnings

import pytest

from torchup.analysis.module_index import ModuleIndex, build_module_index, index_for, is_torch_module_class


def index(files: dict) -> ModuleIndex:
    return build_module_index({path: textwrap.dedent(text) for path, text in files.items()})


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("import torch.nn as nn\nclass A(nn.Module): pass\n", {"A"}, id="nn-alias"),
        pytest.param("import torch\nclass A(torch.nn.Module): pass\n", {"A"}, id="qualified"),
        pytest.param("from torch.nn import Module\nclass A(Module): pass\n", {"A"}, id="from-import"),
        pytest.param("from torch.nn import Module as M\nclass A(M): pass\n", {"A"}, id="from-import-alias"),
        pytest.param("import torch.nn as nn\nclass A(nn.LSTM): pass\n", {"A"}, id="torch-layer"),
        pytest.param("import torch\nclass A(torch.jit.ScriptModule): pass\n", {"A"}, id="script-module"),
        pytest.param("from torch.jit import ScriptModule\nclass A(ScriptModule): pass\n", {"A"}, id="script-module-imported"),
        pytest.param("import torch\nclass A(torch.jit.ScriptFunction): pass\n", set(), id="other-jit-class"),
        pytest.param(
            "import torch.nn as nn\nclass A(nn.Parameter): pass\n", set(), id="parameter-is-not-a-module"
        ),
        pytest.param("class Module: pass\nclass A(Module): pass\n", set(), id="own-class-named-module"),
        pytest.param("import mylib.nn as nn\nclass A(nn.Module): pass\n", set(), id="other-library-nn"),
        pytest.param(
            "import torch.nn as nn\nclass A(nn.Module):\n    class Inner(nn.Module): pass\nclass B(A): pass\n",
            {"A", "A.Inner", "B"},
            id="nested-and-same-file-subclass",
        ),
        pytest.param(
            "import torch.nn as nn\nBase = nn.Module\nclass A(Base): pass\n", {"A"}, id="module-level-alias"
        ),
        pytest.param(
            "import torch.nn as nn\nlayers = nn\nclass A(layers.Module): pass\n", {"A"}, id="attribute-of-a-module-level-alias"
        ),
        pytest.param("import torch.nn as nn\nclass A(B): pass\nclass B(A): pass\n", set(), id="cycle"),
        pytest.param(
            "try:\n    from torch.nn import Module\nexcept ImportError:\n    Module = object\nclass A(Module): pass\n",
            {"A"},
            id="import-guarded-by-try",
        ),
        pytest.param(
            "import torch.nn as nn\ntry:\n    import foo\nexcept ImportError:\n    class A(nn.Module): pass\n",
            {"A"},
            id="class-in-an-except-handler",
        ),
        pytest.param(
            "try:\n    import foo\nexcept ImportError:\n    import torch.nn as nn\nclass A(nn.Module): pass\n",
            {"A"},
            id="import-in-an-except-handler",
        ),
        pytest.param(
            "import torch.nn as nn\ntry:\n    pass\nfinally:\n    class A(nn.Module): pass\n", {"A"}, id="class-in-finally"
        ),
        pytest.param(
            "import torch.nn as nn\ntry:\n    import foo\nexcept ImportError:\n    pass\nelse:\n    class A(nn.Module): pass\n",
            {"A"},
            id="class-in-try-else",
        ),
        pytest.param(
            "import torch.nn as nn\nx.cuda(async=True)\nclass A(nn.Module): pass\n", {"A"}, id="async-keyword"
        ),
        pytest.param(
            "import torch\nimport torch.nn as nn\nif torch.__version__ < '0.4':\n    class A(nn.Module): pass\n"
            "else:\n    class B(nn.Module): pass\n",
            {"A", "B"},
            id="classes-under-a-version-guard",
        ),
        pytest.param(
            "import torch.nn as nn\nclass Mixin(object): pass\nclass A(Mixin, nn.Module): pass\n", {"A"}, id="module-as-a-later-base"
        ),
        pytest.param(
            "import torch.nn as nn\nBase = object\nBase = nn.Module\nclass A(Base): pass\n", {"A"}, id="alias-rebound-later"
        ),
        pytest.param(
            "import torch.nn as nn\nBase = nn.Module\nBase = object\nclass A(Base): pass\n", set(), id="alias-rebound-later-to-a-plain-class"
        ),
    ],
)
def test_one_file(source, expected):
    assert index({"m.py": source}).module_classes("m.py") == expected


def test_across_files_absolute_relative_and_reexported():
    result = index(
        {
            "pkg/models/base.py": """
            import torch.nn as tnn
            class Base(tnn.Module):
                pass
        """,
            "pkg/models/__init__.py": "from .base import Base as Exported\n",
            "pkg/models/net.py": """
            from .base import Base
            class Net(Base):
                pass
        """,
            "pkg/train.py": """
            from models.base import Base
            import models.base as mb
            from . import models
            from .models import Exported
            class A(Base): pass
            class B(mb.Base): pass
            class C(models.base.Base): pass
            class D(Exported): pass
            class E(object): pass
        """,
            "pkg/deep/deeper/x.py": """
            from ...models.net import Net
            class F(Net): pass
        """,
        }
    )
    assert result.module_classes("pkg/models/base.py") == {"Base"}
    assert result.module_classes("pkg/models/net.py") == {"Net"}
    assert result.module_classes("pkg/train.py") == {"A", "B", "C", "D"}
    assert result.module_classes("pkg/deep/deeper/x.py") == {"F"}
    assert result.module_classes("./pkg/train.py") == {"A", "B", "C", "D"}  # paths are normalised
    assert result.module_classes("unknown.py") == frozenset()


def test_a_dotted_import_binds_its_first_name_to_the_package():
    # `import models.base` binds `models`; `models.base.Base` is then the class of models/base.py.
    found = index(
        {
            "models/base.py": "import torch.nn as nn\nclass Base(nn.Module): pass\n",
            "net.py": "import models.base\nclass Net(models.base.Base): pass\n",
        }
    )
    assert found.module_classes("net.py") == {"Net"}


def test_closest_file_wins_when_two_share_a_module_name():
    result = index(
        {
            "a/base.py": "import torch.nn as nn\nclass Base(nn.Module): pass\n",
            "b/base.py": "class Base(object): pass\n",
            "b/user.py": "from base import Base\nclass U(Base): pass\n",
            "a/user.py": "from base import Base\nclass U(Base): pass\n",
        }
    )
    assert result.module_classes("a/user.py") == {"U"}
    assert result.module_classes("b/user.py") == frozenset()


def test_a_dotted_import_names_its_whole_module_not_any_file_of_its_last_name():
    # `from a.base import Base` is a/base.py's class even beside b/base.py, nearer the importer
    result = index(
        {
            "a/base.py": "import torch.nn as nn\nclass Base(nn.Module): pass\n",
            "b/base.py": "class Base(object): pass\n",
            "b/net.py": "from a.base import Base\nclass Net(Base): pass\n",
            "b/other.py": "from b.base import Base\nclass Other(Base): pass\n",
        }
    )
    assert result.module_classes("b/net.py") == {"Net"}
    assert result.module_classes("b/other.py") == frozenset()


def test_a_torch_py_of_the_repository_does_not_shadow_torch():
    # `import torch` in a repository with its own torch.py (a script named after the library)
    result = index(
        {
            "torch.py": "class Helper(object): pass\n",
            "net.py": "import torch\nclass Net(torch.nn.Module): pass\n",
        }
    )
    assert result.module_classes("net.py") == {"Net"}


def test_a_package_is_known_by_its_directory_s_name_from_another_directory():
    # `tools/train.py` imports `models` (lib/ on sys.path): the package's __init__.py answers to
    # `models`, not `models.__init__`, whatever directory the importer is in
    result = index(
        {
            "lib/models/__init__.py": "import torch.nn as nn\nclass Base(nn.Module): pass\n",
            "tools/train.py": "from models import Base\nclass Net(Base): pass\n",
        }
    )
    assert result.module_classes("tools/train.py") == {"Net"}


def test_a_re_exporting_file_screened_out_is_read_from_the_run_s_text_not_the_disk():
    # models/all.py has no `class`: the first pass skips it, and reads it when an import leads
    # there: from the text the run was given (these paths are not on disk)
    result = index(
        {
            "models/net.py": "import torch.nn as nn\nclass Net(nn.Module): pass\n",
            "models/all.py": "from .net import Net\n",
            "train.py": "from models.all import Net\nclass Big(Net): pass\n",
        }
    )
    assert result.module_classes("train.py") == {"Big"}


def test_a_base_in_a_file_no_parser_reads_is_unknown():
    result = index(
        {
            "legacy.py": "print 'python 2'\nclass Base(object): pass\n",
            "net.py": "import torch.nn as nn\nfrom legacy import Base\nclass Net(Base): pass\nclass Own(nn.Module): pass\n",
        }
    )
    assert result.module_classes("net.py") == {"Own"}
    assert result.is_module_class("net.py", "Own") and not result.is_module_class("net.py", "Net")


def test_files_without_classes_are_not_parsed_and_broken_files_are_skipped():
    result = build_module_index({"a.py": "this is not python", "b.py": "class (", "c.py": "x = 1\n"})
    assert result.classes == {}


def test_index_is_frozen_and_picklable():
    result = index({"m.py": "import torch.nn as nn\nclass A(nn.Module): pass\n"})
    assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(AttributeError):
        result.classes = {}  # type: ignore[misc]


def test_torch_module_names():
    assert is_torch_module_class("torch.nn.Module")
    assert is_torch_module_class("torch.nn.modules.module.Module")
    assert is_torch_module_class("torch.nn.Conv2d")
    assert not is_torch_module_class("torch.nn.functional")
    assert not is_torch_module_class("torch.Tensor")
    assert is_torch_module_class("torch.jit.ScriptModule")
    assert not is_torch_module_class("torch.jit.ScriptFunction")
    assert not is_torch_module_class("torch.nn.modules.module")


def test_index_for_uses_the_run_index_and_builds_one_file_only_without_it():
    run_index = index({"a.py": "import torch.nn as nn\nclass A(nn.Module): pass\n"})

    def never() -> str:
        raise AssertionError("the file's code is not needed when the run built an index")

    assert index_for(run_index, "a.py", never) == (run_index, "a.py")
    alone, key = index_for(None, None, lambda: "import torch.nn as nn\nclass B(nn.Module): pass\n")
    assert alone.module_classes(key) == {"B"}


def _package(root):
    """transformers' shape: a model subpackage whose classes derive from the package's base."""
    files = {
        "pkg/__init__.py": "",
        "pkg/modeling_utils.py": "from torch import nn\n\nclass PreTrainedModel(nn.Module):\n    pass\n",
        "pkg/models/__init__.py": "",
        "pkg/models/vid/__init__.py": "",
        "pkg/models/vid/modeling.py": (
            "import torch\nfrom ...modeling_utils import PreTrainedModel\nfrom pkg.modeling_utils import PreTrainedModel as P\n\n"
            "class VidModel(PreTrainedModel):\n    pass\n\nclass VidHead(P):\n    pass\n"
        ),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return files


def test_bases_outside_the_run_are_read_from_disk(tmp_path):
    files = _package(tmp_path)
    model = str(tmp_path / "pkg/models/vid/modeling.py")
    subpackage_only = build_module_index({model: files["pkg/models/vid/modeling.py"]})
    whole = build_module_index({str(tmp_path / name): text for name, text in files.items()})
    assert subpackage_only.module_classes(model) == whole.module_classes(model) == {"VidModel", "VidHead"}


def test_a_missing_base_stays_unknown(tmp_path):
    files = _package(tmp_path)
    (tmp_path / "pkg/modeling_utils.py").unlink()
    model = str(tmp_path / "pkg/models/vid/modeling.py")
    assert build_module_index({model: files["pkg/models/vid/modeling.py"]}).module_classes(model) == frozenset()



def test_the_user_s_invalid_escapes_raise_no_warning_of_torchup_s():
    # `"\d"` in a user's string: Python 3.12 prints a SyntaxWarning for it when torchup parses
    source = 'import re\nimport torch.nn as nn\nP = re.compile("\\d+")\nclass A(nn.Module): pass\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert index({"m.py": source}).module_classes("m.py") == {"A"}


def test_a_base_re_exported_by_a_plain_module_is_found_in_the_run_and_on_disk(tmp_path):
    # `models.py` holds no class and names no helper word: only an import leads to it.
    files = {
        "pkg/__init__.py": "",
        "pkg/net.py": "import torch.nn as nn\n\nclass Net(nn.Module):\n    pass\n",
        "pkg/models.py": "from .net import Net\nfrom .missing import Other\n",
        "pkg/train.py": "from .models import Net, Other\nfrom pkg import models\n\nclass Big(Net): pass\n"
        "class Dotted(models.Net): pass\nclass Unknown(Other): pass\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    train = str(tmp_path / "pkg/train.py")
    whole = build_module_index({str(tmp_path / name): text for name, text in files.items()})
    alone = build_module_index({train: files["pkg/train.py"]})
    assert whole.module_classes(train) == alone.module_classes(train) == {"Big", "Dotted"}
