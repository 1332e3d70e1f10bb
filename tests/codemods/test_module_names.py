import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemods.module_names import ModuleNames


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("self.add_module('block.1', m)\n", "self.add_module('block_1', m)\n", id="literal"),
        pytest.param('self.add_module("a.b.c", m)\n', 'self.add_module("a_b_c", m)\n', id="two-dots"),
        pytest.param(
            "self.add_module('conv%d.%d' % (i, j), m)\n", "self.add_module('conv%d_%d' % (i, j), m)\n", id="percent"
        ),
        pytest.param(
            "self.add_module('layer{}.{}'.format(i, j), m)\n",
            "self.add_module('layer{}_{}'.format(i, j), m)\n",
            id="format",
        ),
        pytest.param("self.register_buffer(f'mask.{i}', t)\n", "self.register_buffer(f'mask_{i}', t)\n", id="f-string"),
        pytest.param(
            "self.register_parameter(name='w.0', param=p)\n",
            "self.register_parameter(name='w_0', param=p)\n",
            id="keyword",
        ),
        # Python 2 era code wrote u'' names; the prefix stays where it was.
        pytest.param("self.add_module(u'block.1', m)\n", "self.add_module(u'block_1', m)\n", id="unicode-prefix"),
        pytest.param(
            "self.add_module(r'conv.%d' % i, m)\n", "self.add_module(r'conv_%d' % i, m)\n", id="raw-prefix-percent"
        ),
    ],
)
def test_unsafe_rewrites(before, after):
    result = rewrite(ModuleNames, before, after, unsafe=True)
    assert [edit.code for edit in result.edits] == ["TU423"]
    assert "state_dict" in result.edits[0].message
    assert run(ModuleNames, before).code == before


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("self.add_module('block_1', m)\n", id="valid"),
        pytest.param("self.add_module(name, m)\n", id="variable"),
        pytest.param("self.add_module('conv%d' % i, m)\n", id="percent-no-dot"),
        pytest.param("logger.info('done.')\n", id="other-call"),
    ],
)
def test_lookalikes_unchanged(source):
    result = unchanged(ModuleNames, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, fragment",
    [
        pytest.param("self.register_buffer('', t)\n", "empty name", id="empty"),
        pytest.param("self.add_module('scale%.1f' % s, m)\n", "may contain", id="float-format"),
        pytest.param("self.add_module('scale{:.1f}'.format(s), m)\n", "may contain", id="format-spec"),
    ],
)
def test_findings(source, fragment):
    result = unchanged(ModuleNames, source)
    [finding] = result.findings
    assert finding.code == "TU423" and fragment in finding.message


def test_migrated_module_builds_on_this_torch():
    torch = pytest.importorskip("torch")
    source = (
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        for i in range(2):\n"
        "            self.add_module('block.%d' % i, nn.Linear(2, 2))\n"
    )
    with pytest.raises(KeyError):
        exec(source + "Net()\n", {})
    result = run(ModuleNames, source, unsafe=True)
    namespace: dict = {}
    exec(result.code, namespace)
    assert sorted(namespace["Net"]().state_dict()) == [
        "block_0.bias", "block_0.weight", "block_1.bias", "block_1.weight"
    ]


@pytest.mark.parametrize(
    "source", ["self.register_buffer('mean', t)\n", "self.add_module(name, m)\n", "self.add_module('l{}'.format(x.y), m)\n"]
)
def test_prefilter_rejects_valid_names(source):
    assert not ModuleNames.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        "self.add_module('block.1', m)\n",
        'self.register_buffer("", t)\n',
        "self.add_module(f'up.{i}', m)\n",
        "self.register_parameter(name='w.0', param=p)\n",
        "self.add_module(\n    'conv%d.%d' % (i, j), m)\n",
    ],
)
def test_prefilter_accepts_invalid_names(source):
    assert ModuleNames.may_apply(source)


def test_a_registrar_called_without_arguments_is_left_alone():
    # `self.add_module()` raises TypeError at run time; the codemod must not crash on it, and the
    # empty name beside it is still reported, whole.
    source = "self.add_module()\nself.register_buffer('', t)\n"
    result = unchanged(ModuleNames, source)
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        ("TU423", 2, 0, "`register_buffer` with an empty name raises KeyError since PyTorch 0.4: give it a name", False)
    ]
