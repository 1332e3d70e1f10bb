import pytest
from codemod_harness import codes, dedent, rewrite, run, unchanged

from torchup.codemods.alpha_overloads import AlphaOverloads


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            for p in model.parameters():
                p.data.add_(-lr, p.grad.data)
                p.data.sub_(lr * wd, p.data)
            """,
            """
            for p in model.parameters():
                p.data.add_(p.grad.data, alpha=-lr)
                p.data.sub_(p.data, alpha=lr * wd)
            """,
            id="sgd-step",
        ),
        pytest.param(
            "exp_avg_sq.mul_(beta2).addcmul_(1 - beta2, grad, grad)\np.addcdiv_(-step, exp_avg, denom)\n",
            "exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)\np.addcdiv_(exp_avg, denom, value=-step)\n",
            id="adam-step",
        ),
        pytest.param(
            "import torch\ny = torch.add(x, 2, z, out=buf)\nw = torch.addcmul(x, 0.5, a, b)\n",
            "import torch\ny = torch.add(x, z, alpha=2, out=buf)\nw = torch.addcmul(x, a, b, value=0.5)\n",
            id="torch-functions",
        ),
        pytest.param(
            "p.data.add_(\n    -lr,\n    g,\n)\n",
            "p.data.add_(\n    g, alpha=-lr,\n)\n",
            id="multi-line-trailing-comma",
        ),
    ],
)
def test_scalar_first_overloads_are_rewritten(before, after):
    result = rewrite(AlphaOverloads, before, after)
    assert set(codes(result.edits)) == {"TU409"} and not result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("p.add_(g)\np.add_(g, alpha=-lr)\nq.addcmul_(a, b, value=0.5)\n", id="modern"),
        pytest.param("import torch\ny = torch.add(x, z)\ny = torch.add(x, z, alpha=2)\n", id="modern-function"),
        pytest.param("import numpy as np\ny = np.add(a, b)\n", id="numpy-add"),
        pytest.param("seen.add(x)\np.add_(*args)\n", id="one-argument-or-starred"),
        pytest.param("p.add_(-lr, g, alpha=2)\n", id="alpha-already-given"),
        pytest.param("x.__add__(a)\n", id="dunder"),
    ],
)
def test_look_alikes_unchanged(source):
    result = unchanged(AlphaOverloads, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, keyword",
    [
        pytest.param(
            "import torch\ndef f(a, b):\n    x = torch.randn(3)\n    return x.addcmul(0.5, a, b)\n",
            "value=",
            id="torch-local",
        ),
        pytest.param("z = w.data.add(-lr, g)\n", "alpha=", id="data"),
        pytest.param("z = w.grad.sub(group['lr'] * 2, g)\n", "alpha=", id="grad"),
        pytest.param(
            "def step(model, lr):\n    for p in model.parameters():\n        q = p.sub(lr, p.grad)\n",
            "alpha=",
            id="parameter-loop",
        ),
        pytest.param(
            "def scale(model, x):\n    for b in model.buffers():\n        b.add(2, x)\n",
            "alpha=",
            id="buffer-loop",
        ),
        pytest.param(
            "def step(model, lr):\n    for p in model.parameters():\n        q = p.grad.add(lr, p)\n",
            "alpha=",
            id="grad-of-a-parameter-loop",
        ),
        pytest.param("import torch\nz = torch.ones(2).add(2, y)\n", "alpha=", id="torch-call"),
    ],
)
def test_out_of_place_methods_on_tensors_are_reported_not_rewritten(source, keyword):
    result = unchanged(AlphaOverloads, source)
    [finding] = result.findings
    assert finding.code == "TU409" and finding.line == len(dedent(source).splitlines())
    assert keyword in finding.message and not finding.fix_available


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import re\nkey = re.sub('*', key)\n", id="re-sub"),
        pytest.param("set.add(obj, fqn)\n", id="unbound-set-add"),
        pytest.param("z = ops.sub(a, b)\nw = ops.add(x, 1)\n", id="inductor-ops"),
        pytest.param("meter.add(loss, n)\n", id="torchnet-meter"),
        pytest.param("self.data.add(1, x)\n", id="own-data-field"),
        pytest.param("import torch\nx = torch.randn(3)\nz = x.sub('a', b)\ny = x.add(torch.ones(3), b)\n", id="not-a-number-first"),
        pytest.param("def f(x, lr):\n    return x.add(lr, g)\n", id="unknown-receiver"),
        # a call first (on a tensor known as one): the tensor-tensor overload, no scalar in sight
        pytest.param(
            "import torch\ndef f(scale):\n    x = torch.zeros(3)\n    w = torch.ones(3)\n    return x.add(scale(w), w)\n",
            id="a-call-first-on-a-local-tensor",
        ),
    ],
)
def test_out_of_place_methods_on_other_objects_are_silent(source):
    result = unchanged(AlphaOverloads, source)
    assert not result.findings


def test_a_parameter_loop_that_unpacks_each_parameter_names_no_parameter():
    # `for a, b in model.parameters()` binds rows, not the loop's parameter name: no crash, no edit
    source = "def f(model, g):\n    for a, b in model.parameters():\n        q = a.add(2, g)\n"
    result = run(AlphaOverloads, source, unsafe=True)
    assert result.code == source and not result.edits


def test_the_keyword_form_computes_what_the_overload_did():
    torch = pytest.importorskip("torch")
    gen = torch.Generator().manual_seed(0)
    x, a, b = (torch.randn(4, generator=gen) for _ in range(3))
    # torch warns of the overload once per process: whichever test called it first saw the warning
    warn_always = torch.is_warn_always_enabled()
    torch.set_warn_always(True)
    try:
        with pytest.warns(UserWarning, match="deprecated"):
            legacy = [x.add(-0.5, a), x.sub(2, a), x.addcmul(0.3, a, b), x.addcdiv(0.3, a, b), torch.add(x, 2, a)]
    finally:
        torch.set_warn_always(warn_always)
    modern = [x.add(a, alpha=-0.5), x.sub(a, alpha=2), x.addcmul(a, b, value=0.3), x.addcdiv(a, b, value=0.3)]
    modern.append(torch.add(x, a, alpha=2))
    assert all(torch.equal(old, new) for old, new in zip(legacy, modern))
    with pytest.raises(TypeError):
        x.add(a, -0.5)  # alpha is keyword-only: two positionals can only be the old overload


# The prefilter (PATTERN): modern look-alikes are never parsed; every legacy spelling is.
@pytest.mark.parametrize(
    "source",
    [
        'seen.add(x)\nnum_batches.add_(1)\n',
        "import torch\np.add_(grad, alpha=-group['lr'])\ny = torch.add(a, b, alpha=2)\n",
    ],
)
def test_prefilter_rejects_modern_lookalikes(source):
    assert not AlphaOverloads.may_apply(source)


@pytest.mark.parametrize(
    "source",
    [
        'p.data.add_(-lr, p.grad.data)\n',
        'exp_avg_sq.mul_(beta2).addcmul_(1 - beta2, grad, grad)\n',
        'import torch as T\ny = T.add(x, 2, t)\n',
    ],
)
def test_prefilter_accepts_legacy_spellings(source):
    assert AlphaOverloads.may_apply(source)
    assert run(AlphaOverloads, source, unsafe=True).records  # and the codemod acts on it


def test_only_a_number_first_is_a_scalar_first_call():
    # Arithmetic with a tensor in it, or `~mask`, is a tensor first: the tensor-tensor overload.
    source = dedent(
        """
        import torch
        def f(b, mask, lr):
            x = torch.randn(3)
            z = x.add(torch.ones(3) * 2, b)
            y = x.add(~mask, b)
            w = x.add(-lr, b)
        """
    )
    result = unchanged(AlphaOverloads, source)
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        (
            "TU409",
            6,
            8,
            "if this is a tensor, the scalar-first overload (deprecated since PyTorch 1.5): pass the first "
            "argument as `alpha=` after the tensors",
            False,
        )
    ]
