import ast

import pytest
from codemod_harness import Edit, codes, dedent, rewrite, run, unchanged

from torchup.codemods.variable import UnwrapVariable
from torchup.records import Safety

@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            x = Variable(torch.ones(3))
            y = Variable(images.cuda())
            """,
            """
            import torch

            x = torch.ones(3)
            y = images.cuda()
            """,
            id="plain-unwrap-drops-import",
        ),
        pytest.param(
            """
            import torch
            import torch.autograd as autograd

            x = autograd.Variable(t)
            y = torch.autograd.Variable(t)
            """,
            """
            import torch
            import torch.autograd as autograd

            x = t
            y = t
            """,
            id="module-spellings",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable as V
            from torch.autograd.variable import Variable

            x = V(a)
            y = Variable(b)
            """,
            """
            import torch

            x = a
            y = b
            """,
            id="aliases",
        ),
        pytest.param(
            """
            from torch.autograd import Variable, grad

            loss = Variable(a + b).sum()
            total = Variable(a + b)
            scaled = 2 * Variable(a - b)
            neg = Variable(-a).abs()
            kept = (Variable(a + b))
            call = f(Variable(a + b), k=Variable(c or d))
            """,
            """
            from torch.autograd import grad

            loss = (a + b).sum()
            total = a + b
            scaled = 2 * (a - b)
            neg = (-a).abs()
            kept = (a + b)
            call = f(a + b, k=c or d)
            """,
            id="precedence",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            h = Variable(torch.zeros(2, 8), requires_grad=True)
            c = Variable(torch.randn(2, 8).cuda(), requires_grad=True)
            w = Variable(weights, requires_grad=True)
            s = Variable(a + b, requires_grad=True)
            f = Variable(weights, requires_grad=trainable)
            n = Variable(weights, requires_grad=False)
            p = Variable(weights, True)
            """,
            """
            import torch

            h = torch.zeros(2, 8).requires_grad_()
            c = torch.randn(2, 8).cuda().requires_grad_()
            w = weights.detach().requires_grad_()
            s = (a + b).detach().requires_grad_()
            f = weights.detach().requires_grad_(trainable)
            n = weights
            p = weights.detach().requires_grad_()
            """,
            id="requires-grad",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            target = Variable(labels.data)
            leaf = Variable(out.data, requires_grad=True)
            """,
            """
            import torch

            target = labels.detach()
            leaf = out.detach().requires_grad_()
            """,
            id="dot-data",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            x = Variable(Variable(t).cuda())
            """,
            """
            import torch

            x = t.cuda()
            """,
            id="nested",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            x = Variable(t for t in ts)
            y = Variable(a if c else b).sum()
            z = Variable((a, b))
            """,
            """
            import torch

            x = (t for t in ts)
            y = (a if c else b).sum()
            z = (a, b)
            """,
            id="generator-conditional-tuple",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            def check(h):
                if isinstance(h, Variable):
                    return h
                return isinstance(h, (Variable, list))
            """,
            """
            import torch

            def check(h):
                if isinstance(h, torch.Tensor):
                    return h
                return isinstance(h, (torch.Tensor, list))
            """,
            id="isinstance",
        ),
        pytest.param(
            """
            from torch.autograd import Variable

            ok = isinstance(h, Variable)
            """,
            """
            import torch

            ok = isinstance(h, torch.Tensor)
            """,
            id="isinstance-adds-torch-import",
        ),
        pytest.param(
            """
            import torch as th
            from torch.autograd import Variable

            ok = isinstance(h, Variable)
            """,
            """
            import torch as th

            ok = isinstance(h, th.Tensor)
            """,
            id="isinstance-torch-alias",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            x = Variable(t)  # the input
            y = Variable(
                t
            )
            """,
            """
            import torch

            x = t  # the input
            y = t
            """,
            id="comments-outside-the-call-kept",
        ),
    ],
)
def test_rewrites(before, after):
    result = rewrite(UnwrapVariable, before, after)
    assert result.edits and set(codes(result.edits)) == {"TU101"}
    assert not result.findings


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            def train(data, target, hidden):
                data, target = Variable(data), Variable(target)
                hidden = Variable(hidden)
                return model(data, hidden), target
            """,
            """
            import torch

            def train(data, target, hidden):
                return model(data, hidden), target
            """,
            id="dropped",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            def only(x):
                x = Variable(x)

            def commented(x):
                x = Variable(x)  # wrap
                return x

            def commented_above(x):
                # the input, as a Variable
                x = Variable(x)
                return x

            class Config:
                scale = Variable(scale)
            """,
            """
            import torch

            def only(x):
                x = x

            def commented(x):
                x = x  # wrap
                return x

            def commented_above(x):
                # the input, as a Variable
                x = x
                return x

            class Config:
                scale = scale
            """,
            id="kept-when-alone-commented-or-in-a-class",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            def f(x, a, b):
                (x) = Variable(x)
                (a, b) = Variable(a), Variable(b)
                return x, a, b
            """,
            """
            import torch

            def f(x, a, b):
                (x) = x
                return x, a, b
            """,
            id="parenthesised-name-kept-parenthesised-tuple-dropped",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            def f(x):
                x = Variable(x); y = 2
                return x, y
            """,
            """
            import torch

            def f(x):
                x = x; y = 2
                return x, y
            """,
            id="kept-with-another-statement-on-its-line",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            def f(x, y):
                y = y
                x = Variable(x)
                return x + y
            """,
            """
            import torch

            def f(x, y):
                y = y
                return x + y
            """,
            id="the-user-s-own-self-assignment-kept",
        ),
    ],
)
def test_self_assignments(before, after):
    rewrite(UnwrapVariable, before, after)


def test_type_comparison_is_unsafe():
    before = """
        import torch
        from torch.autograd import Variable

        if type(h) == Variable or Variable is not type(g):
            pass
        """
    declined = unchanged(UnwrapVariable, before, unsafe=False)
    assert [(f.line, f.fix_available) for f in declined.findings] == [(4, True), (4, True)]
    rewrite(
        UnwrapVariable,
        before,
        """
        import torch

        if type(h) == torch.Tensor or torch.Tensor is not type(g):
            pass
        """,
        unsafe=True,
    )


def test_comment_inside_call_makes_the_edit_unsafe():
    before = """
        from torch.autograd import Variable

        x = Variable(t,  # keep me
                     requires_grad=True)
        """
    declined = unchanged(UnwrapVariable, before, unsafe=False)
    assert [(f.line, f.fix_available) for f in declined.findings] == [(3, True)]
    applied = run(UnwrapVariable, before, unsafe=True)
    assert applied.code.endswith("x = t.detach().requires_grad_()\n")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            def Variable(x):
                return x

            y = Variable(3)
            """,
            id="user-function-no-torch",
        ),
        pytest.param(
            """
            import mylib

            y = mylib.Variable(3)
            z = mylib.autograd.Variable(3)
            """,
            id="non-torch-module",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            x = Variable(t, volatile=True)
            """,
            id="volatile-is-tu102s",
        ),
        pytest.param("x = t.detach().requires_grad_()\n", id="already-modern"),
        pytest.param("s = 'Variable(x)'  # Variable(x)\n", id="string-and-comment"),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            Variable._execution_engine.run_backward(tensors, grads, keep_graph)
            engine = torch.autograd.Variable._execution_engine
            """,
            id="private-attributes",
        ),
    ],
)
def test_look_alikes_unchanged(source):
    result = unchanged(UnwrapVariable, source)
    assert not result.findings


@pytest.mark.parametrize(
    "source, lines",
    [
        pytest.param(
            """
            import torch
            from torch.autograd import Variable

            Variable = lambda t: t.cuda()
            x = Variable(a)
            """,
            [5],
            id="rebound-by-lambda",
        ),
        pytest.param(
            """
            import torch

            def Variable(t):
                return torch.autograd.Variable(t).cuda()

            x = Variable(a)
            """,
            [6],
            id="rebound-by-def",
        ),
        pytest.param(
            """
            from torch.autograd import Variable

            xs = list(map(Variable, tensors))
            y = Variable()
            z = Variable(*args)
            w = Variable(t, grad_fn=None)
            v = Variable.__name__
            """,
            [3, 4, 5, 6, 7],
            id="unreadable-calls-and-value-use",
        ),
    ],
)
def test_findings(source, lines):
    result = run(UnwrapVariable, source, unsafe=True)
    assert [f.line for f in result.findings] == lines
    assert set(codes(result.findings)) == {"TU101"}


def test_rebound_def_inner_call_is_still_rewritten():
    result = run(
        UnwrapVariable,
        """
        import torch

        def Variable(t):
            return torch.autograd.Variable(t).cuda()
        """,
    )
    assert "return t.cuda()" in result.code


def test_import_kept_while_still_used():
    result = run(
        UnwrapVariable,
        """
        from torch.autograd import Variable

        x = Variable(a)
        y = Variable(b, volatile=True)
        """,
    )
    assert result.code.startswith("from torch.autograd import Variable\n")
    assert "x = a\n" in result.code


def test_unwrap_is_equivalent_in_torch():
    torch = pytest.importorskip("torch")
    from torch.autograd import Variable

    t = torch.randn(4)
    wrapped = Variable(t)
    assert torch.equal(wrapped, t) and wrapped.data_ptr() == t.data_ptr()
    assert not wrapped.requires_grad and not t.requires_grad

    leaf = Variable(t, requires_grad=True)
    modern = t.detach().requires_grad_()
    assert leaf.is_leaf and modern.is_leaf and leaf.requires_grad and modern.requires_grad
    assert torch.equal(leaf, modern) and not t.requires_grad

    fresh = Variable(torch.zeros(2), requires_grad=True)
    assert torch.equal(fresh, torch.zeros(2).requires_grad_())

    x = torch.randn(3, requires_grad=True)
    assert torch.equal(Variable(x.data), x.detach()) and not x.detach().requires_grad
    assert isinstance(t, Variable) == isinstance(t, torch.Tensor)
    # why the type comparison is unsafe: on modern torch it is always false.
    assert (type(t) == Variable) is False and type(t) == torch.Tensor


def test_documented_example_is_what_the_codemod_does():
    from torchup import catalogue

    lines = catalogue.documentation(UnwrapVariable).splitlines()

    def section(name):
        start = lines.index(name) + 1
        end = next(i for i in range(start, len(lines)) if lines[i] in catalogue.SECTIONS)
        return "\n".join(lines[start:end]).strip("\n") + "\n"

    rewrite(UnwrapVariable, section("Before"), section("After"))


def test_prefilter_rejects_prose_and_accepts_every_spelling():
    assert not UnwrapVariable.may_apply('"""Variable-length attention."""\nimport torch\n')
    assert not UnwrapVariable.may_apply("# its SavedVariable retains the base\nx = y\n")
    assert not UnwrapVariable.may_apply("import torch\n\ndef f(x):\n    '''A Variable number of args.'''\n")
    assert UnwrapVariable.may_apply("from torch.autograd import Variable as V\nh = V(x)\n")
    assert UnwrapVariable.may_apply("from torch.autograd import (\n    Function,  # (old)\n    Variable,\n)\n")
    assert UnwrapVariable.may_apply("import torch.autograd as ag\nh = ag.Variable(x)\n")
    assert UnwrapVariable.may_apply("import torch\nh = torch.autograd.Variable(x)\n")
    assert UnwrapVariable.may_apply("import torch\ndef Variable(t):\n    return t\nh = Variable (x)\n")


# -- arguments that span lines on the call's parentheses alone -------------------------------

# Each argument breaks its line outside any bracket of its own: only `Variable(...)`'s
# parentheses make it legal, so the unwrapped expression must bring parentheses of its own.
MULTILINE_ARGUMENTS = {
    "binary": "a +\n        b",
    "boolean": "a or\n        b",
    "comparison": "a <\n        b",
    "unary": "-\n        a",
    "not": "not\n        a",
    "if-else": "a if b\n        else c",
    "attribute-chain": "self.pe[:n, :1, :d]\n        .expand_as(emb)",
    "attribute": "self.pe\n        .weight",
    "subscript": "a\n        [0]",
    "call-chain": "torch.zeros(3)\n        .cuda()",
    "lambda": "lambda:\n        a",
    "walrus": "y :=\n        a",
    "generator": "t for t in\n        xs",
    "power": "a **\n        2",
    "comment": "a +  # the offset\n        b",
    "string-concat": "'a'\n        'b'",
    "matmul": "a @\n        b",
}
# Where the call stands: `{}` is replaced by the call.
MULTILINE_CONTEXTS = {
    "assignment": "out = {}",
    "operand": "emb = emb + {}",
    "attribute-base": "out = {}.sum()",
    "argument": "out = f({}, k=1)",
    "return": "return {}",
    "subscript-base": "out = {}[0]",
    "list-element": "out = [{}, c]",
    "augmented": "out += {}",
    "expression": "{}",
}


class _Unwrap(ast.NodeTransformer):
    """The oracle: ``Variable(x)`` -> ``x`` on the stdlib ``ast``, where precedence and line
    breaks cannot be got wrong."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "Variable" and len(node.args) == 1:
            return node.args[0]
        return node


def _without_locations(source: str) -> str:
    return ast.dump(_Unwrap().visit(ast.parse(source)), include_attributes=False)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # `(lambda: a)[0]` is legal, if silly
@pytest.mark.parametrize("context", MULTILINE_CONTEXTS.values(), ids=list(MULTILINE_CONTEXTS))
@pytest.mark.parametrize("argument", MULTILINE_ARGUMENTS.values(), ids=list(MULTILINE_ARGUMENTS))
def test_multiline_argument_keeps_its_parentheses(argument, context):
    line = context.format(f"Variable({argument})")
    source = (
        "import torch\nfrom torch.autograd import Variable\n\n\ndef f(a, b, c, emb, self, xs, n, d, out=0):\n"
        f"    {line}\n    return out\n"
    )
    if context == "{}" and argument.startswith("y :="):
        pytest.skip("a walrus cannot stand alone as a statement")
    compile(source, "legacy.py", "exec")  # the generated case is valid legacy code
    result = run(UnwrapVariable, source)
    assert "Variable" not in result.code
    compile(result.code, "example.py", "exec")
    assert _without_locations(result.code) == _without_locations(
        source.replace("from torch.autograd import Variable\n", "")
    )
    assert run(UnwrapVariable, result.code).code == result.code


@pytest.mark.parametrize(
    "argument",
    [MULTILINE_ARGUMENTS[k] for k in ("binary", "attribute-chain", "if-else")],
    ids=["binary", "attribute-chain", "if-else"],
)
def test_multiline_argument_with_requires_grad_or_data_parses(argument):
    source = dedent(
        f"""
        import torch
        from torch.autograd import Variable

        def f(a, b, c, emb, self, n, d):
            w = Variable({argument}, requires_grad=True)
            v = Variable(({argument}).data)
            return w, v
        """
    )
    result = run(UnwrapVariable, source)
    assert "Variable" not in result.code
    compile(result.code, "example.py", "exec")
    assert run(UnwrapVariable, result.code).code == result.code


def test_single_line_and_bracketed_arguments_get_no_extra_parentheses():
    rewrite(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        x = Variable(torch.zeros(
            3))
        y = Variable(a + \\
            b)
        z = Variable([a,
            b])
        """,
        """
        import torch

        x = torch.zeros(
            3)
        y = a + \\
            b
        z = [a,
            b]
        """,
    )


# -- the file's own `Variable = lambda *args, **kwargs: autograd.Variable(...)...` ------------

RL_WRAPPER = (
    "Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs).cuda() "
    "if USE_CUDA else autograd.Variable(*args, **kwargs)"
)


def test_conditional_wrapper_becomes_a_device_and_moves():
    result = rewrite(
        UnwrapVariable,
        f"""
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        {RL_WRAPPER}

        def td_loss(model, state, action, target):
            state = Variable(torch.FloatTensor(state))
            action = Variable(torch.LongTensor(action) + 1).long()
            weights = Variable(torch.ones(3), requires_grad=True)
            loss = (model(state) - Variable(target.data)).pow(2).mean()
            best = Variable(torch.FloatTensor(state), volatile=True)
            return loss, action, weights, best
        """,
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        device = torch.device("cuda" if USE_CUDA else "cpu")

        def td_loss(model, state, action, target):
            state = torch.FloatTensor(state).to(device)
            action = (torch.LongTensor(action) + 1).to(device).long()
            weights = torch.ones(3).requires_grad_().to(device)
            loss = (model(state) - target.detach().to(device)).pow(2).mean()
            best = autograd.Variable(torch.FloatTensor(state), volatile=True).to(device)
            return loss, action, weights, best
        """,
        unsafe=True,
    )
    assert {edit.safety.name for edit in result.edits} == {"UNSAFE"}


def test_a_wrapper_after_another_lambda_gets_its_condition_without_parentheses():
    # The first module-level lambda is no wrapper: the search goes on to the next.
    result = rewrite(
        UnwrapVariable,
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        scale = lambda x: 2 * x
        Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs).cuda() if (USE_CUDA) else autograd.Variable(*args, **kwargs)
        x = Variable(t)
        """,
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        scale = lambda x: 2 * x
        device = torch.device("cuda" if USE_CUDA else "cpu")
        x = t.to(device)
        """,
        unsafe=True,
    )
    moved_elsewhere = (
        "(on a CPU run `.to(device)` also moves a tensor that is already on another device (the GPU, "
        "`meta`), which the wrapper left where it was)"
    )
    assert list(result.edits) == [
        Edit(
            "TU101", 6, 0,
            '`Variable = lambda ...` (torch\'s Variable moved to "cuda" if USE_CUDA else "cpu") -> '
            '`device = torch.device("cuda" if USE_CUDA else "cpu")`, its calls -> `x.to(device)` ' + moved_elsewhere,
            Safety.UNSAFE,
        ),
        Edit(
            "TU101", 7, 4, "`Variable(...)`, the file's wrapper: `Variable(x)` -> `x`, then `.to(device)` " + moved_elsewhere,
            Safety.UNSAFE,
        ),
    ]
    assert not result.findings


def test_conditional_wrapper_is_unsafe_so_only_reported_by_default():
    source = f"""
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        {RL_WRAPPER}

        x = Variable(torch.zeros(2))
        y = Variable(x, volatile=True)
        """
    result = unchanged(UnwrapVariable, source, unsafe=False)
    assert [(f.line, f.fix_available) for f in result.findings] == [(5, True), (7, True), (8, True)]
    assert "moves a tensor that is already on another device" in result.findings[0].message


def test_always_cuda_wrapper_is_safe():
    rewrite(
        UnwrapVariable,
        """
        import torch
        from torch import autograd

        V = lambda *a, **k: autograd.Variable(*a, **k).cuda()  # every tensor to the GPU
        x = V(torch.zeros(2))
        """,
        """
        import torch
        from torch import autograd

        device = torch.device("cuda")  # every tensor to the GPU
        x = torch.zeros(2).to(device)
        """,
    )


def test_always_cuda_wrapper_with_a_comment_inside_a_call_is_unsafe():
    source = """
        import torch
        from torch import autograd

        V = lambda *a, **k: autograd.Variable(*a, **k).cuda()
        x = V(torch.zeros(2),  # the state
              volatile=False)
        """
    declined = unchanged(UnwrapVariable, source, unsafe=False)
    assert [(f.line, f.fix_available) for f in declined.findings] == [(4, True), (5, True)]
    assert "a comment inside a call is lost" in declined.findings[0].message
    applied = run(UnwrapVariable, source, unsafe=True)
    assert "x = torch.zeros(2).to(device)" in applied.code
    assert {e.safety.name for e in applied.edits} == {"UNSAFE"}


def test_wrapper_without_a_move_is_deleted_and_torch_is_imported_when_needed():
    rewrite(
        UnwrapVariable,
        """
        import torch.autograd as autograd

        Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs)
        x = Variable(a + b).sum()
        y = Variable(c, volatile=flag)
        """,
        """
        import torch.autograd as autograd
        x = (a + b).sum()
        y = autograd.Variable(c, volatile=flag)
        """,
    )


def test_inverted_condition_and_torch_import_added():
    rewrite(
        UnwrapVariable,
        """
        from torch import autograd

        Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs) if not gpu else autograd.Variable(*args, **kwargs).cuda()
        x = Variable(t)
        """,
        """
        from torch import autograd
        import torch

        device = torch.device("cpu" if not gpu else "cuda")
        x = t.to(device)
        """,
        unsafe=True,
    )


@pytest.mark.parametrize(
    "use, reason",
    [
        pytest.param("xs = list(map(Variable, batch))", "line 6 uses `Variable` otherwise", id="value-use"),
        pytest.param("x = Variable(*batch)", "line 6: `Variable` called with `*`", id="star-call"),
        pytest.param("device = 'cpu'", "the name `device` is already used (line 6)", id="device-taken"),
        pytest.param("def f(Variable):\n    return Variable(1)", "line 6 uses `Variable`", id="rebound"),
    ],
)
def test_wrapper_that_cannot_migrate_is_reported_with_why(use, reason):
    source = f"import torch\nimport torch.autograd as autograd\n\nUSE_CUDA = True\n{RL_WRAPPER}\n{use}\ny = Variable(x)\n"
    result = run(UnwrapVariable, source, unsafe=True)
    assert result.code == source
    definition = [f for f in result.findings if (f.line, f.column) == (5, 0)]
    assert len(definition) == 1 and reason in definition[0].message, result.findings
    # each call is still reported on its own line, as a `Variable` the file binds
    assert any(f.line == 7 and "bound in this file" in f.message for f in result.findings)


@pytest.mark.parametrize(
    "definition",
    [
        pytest.param("Variable = lambda x: autograd.Variable(x).cuda()", id="named-parameter"),
        pytest.param("Variable = lambda *a, **k: autograd.Variable(*a, **k).float()", id="other-method"),
        pytest.param("Variable = lambda *a, **k: autograd.Variable(*a).cuda()", id="drops-kwargs"),
        pytest.param("Variable = lambda *a, **k: autograd.Variable(*b, **k).cuda()", id="forwards-another-star"),
        pytest.param("Variable = lambda x, *a, **k: autograd.Variable(*a, **k).cuda()", id="a-named-parameter-too"),
        pytest.param("Variable = lambda *a: autograd.Variable(*a).cuda()", id="no-keyword-arguments"),
        pytest.param(
            "Variable = lambda *a, **k: autograd.Variable(*a, **k).cuda() if c else autograd.Variable(*a, **k).cuda()",
            id="moves-in-both-branches",
        ),
        # `.cuda(1)` names a GPU: `torch.device("cuda")` would be another one.
        pytest.param("Variable = lambda *a, **k: autograd.Variable(*a, **k).cuda(1)", id="moves-to-a-gpu-by-number"),
        pytest.param("Variable = lambda *a, **k: mylib.Variable(*a, **k)", id="not-torch"),
        pytest.param(
            "Variable = lambda *a, **k: autograd.Variable(*a, **k).cuda() if use() else autograd.Variable(*a, **k)",
            id="condition-calls",
        ),
    ],
)
def test_lambdas_that_are_not_the_device_wrapper_are_left_and_reported(definition):
    source = f"import torch\nimport torch.autograd as autograd\n\n{definition}\nx = Variable(t)\n"
    result = run(UnwrapVariable, source, unsafe=True)
    assert "x = Variable(t)" in result.code
    assert any(f.line == 5 and "bound in this file" in f.message for f in result.findings)


def test_variable_that_may_come_from_a_star_import_is_a_finding_naming_it():
    source = """
    from utils import *
    from .modules import *

    x = Variable(a)
    y = Variable(b, volatile=True)
    """
    result = unchanged(UnwrapVariable, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU101", 4)]  # line 5 is TU102's
    assert "`from utils import * / from .modules import *`" in result.findings[0].message


def test_parenthesised_data_keeps_its_parentheses_and_the_comment_in_them():
    rewrite(
        UnwrapVariable,
        "from torch.autograd import Variable\ny = Variable((x.data  # the input\n              ))\nz = Variable(x.data)\n",
        "y = (x.data  # the input\n              )\nz = x.detach()\n",
    )


def test_isinstance_without_two_arguments_leaves_variable_a_value_to_report():
    source = """
        from torch.autograd import Variable

        x = Variable(t)
        ok = isinstance(*pair)
        odd = isinstance(x, Variable, strict)
        """
    result = run(UnwrapVariable, source, unsafe=True)
    assert "x = t\n" in result.code and "ok = isinstance(*pair)\n" in result.code
    assert [(f.line, "used as a value" in f.message) for f in result.findings] == [(5, True)]


@pytest.mark.parametrize(
    "header, reason",
    [
        pytest.param("from torch.autograd import Variable\n", "called without data", id="torchs"),
        pytest.param("from utils import *\n", "may come from `from utils import *`", id="star-import"),
        pytest.param("import torch\n\ndef Variable(*a):\n    return a\n", "is bound in this file", id="bound-here"),
    ],
)
def test_a_variable_called_without_arguments_is_a_finding_wherever_it_comes_from(header, reason):
    # `Variable()` made an empty Variable in 0.3 (an empty tensor today): never rewritten, never silent
    source = header + "\nh = Variable()\n"
    result = unchanged(UnwrapVariable, source)
    assert [f.line for f in result.findings if f.code == "TU101"] == [source.count("\n")]
    assert reason in result.findings[0].message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from utils import *\nfrom torch.autograd import Variable\nx = Variable(a)\n", id="imported-by-name"
        ),
        pytest.param("from utils import *\n\ndef Variable(t):\n    return t\n\nx = Variable(a)\n", id="defined-here"),
    ],
)
def test_variable_bound_in_the_file_is_not_blamed_on_a_star_import(source):
    result = run(UnwrapVariable, source, unsafe=True)
    assert not any("star" in f.message or "import *" in f.message for f in result.findings)


def test_variable_from_torch_autograd_star_import_is_unwrapped():
    # ImageCaptioning.pytorch's models (2017) got Variable this way; torch.autograd's `__all__` has
    # always held it.
    source = """
    import torch
    from torch.autograd import *

    h = Variable(torch.zeros(2, 3))
    """
    result = run(UnwrapVariable, source, unsafe=True)
    assert "h = torch.zeros(2, 3)" in result.code and "Variable" not in result.code.replace("import *", "")
    assert not result.findings


def test_variable_star_imported_from_a_run_file_that_imports_torch_s_is_unwrapped():
    from torchup.analysis.module_index import build_module_index

    source = "import torch\nfrom utils import *\n\nh = Variable(torch.zeros(2, 3))\n"
    # The harness names every file example.py; utils.py is the run's file its star import reads.
    index = build_module_index({"utils.py": "from torch.autograd import Variable\n", "example.py": source})
    result = rewrite(UnwrapVariable, source, "import torch\nfrom utils import *\n\nh = torch.zeros(2, 3)\n", facts=index)
    assert not result.findings


def test_a_later_star_import_may_shadow_torch_s():
    source = """
    from torch.autograd import *
    from utils import *

    x = Variable(a)
    """
    result = unchanged(UnwrapVariable, source)
    assert [(f.code, f.line) for f in result.findings] == [("TU101", 4)]
    assert "from utils import *" in result.findings[0].message


def test_an_argument_given_twice_is_a_finding_not_a_guess():
    # `Variable(x, True, requires_grad=False)` raised TypeError in 0.3: which flag was meant is unknown
    result = unchanged(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        def f(x):
            return Variable(x, True, requires_grad=False)
        """,
    )
    assert [f.message for f in result.findings] == ["`Variable` called with `requires_grad` twice: not rewritten"]


def test_a_comment_inside_a_kept_requires_grad_flag_keeps_the_edit_safe():
    result = rewrite(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        def f(learn):
            w = Variable(torch.zeros(3), requires_grad=(
                learn  # trained only when asked
            ))
            return w
        """,
        """
        import torch

        def f(learn):
            w = torch.zeros(3).requires_grad_((
                learn  # trained only when asked
            ))
            return w
        """,
    )
    assert [edit.safety.name for edit in result.edits] == ["SAFE"]


def test_an_integer_that_takes_a_method_is_parenthesised():
    rewrite(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        def f():
            return Variable(1).item()
        """,
        """
        import torch

        def f():
            return (1).item()
        """,
    )


def test_a_class_body_keeps_the_attribute_a_self_assignment_copies_from_the_module():
    # In a class body `scale = scale` binds the class attribute from the global: it stays.
    rewrite(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        scale = torch.ones(3)


        class Config:
            name = "cfg"
            scale = Variable(scale)
        """,
        """
        import torch

        scale = torch.ones(3)


        class Config:
            name = "cfg"
            scale = scale
        """,
    )


def test_the_wrapper_call_with_volatile_false_becomes_a_plain_move():
    rewrite(
        UnwrapVariable,
        f"""
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        {RL_WRAPPER}

        def f(x):
            return Variable(x, volatile=False)
        """,
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        device = torch.device("cuda" if USE_CUDA else "cpu")

        def f(x):
            return x.to(device)
        """,
        unsafe=True,
    )


def test_a_returned_expression_needs_no_parentheses_and_a_cuda_factory_is_fresh():
    rewrite(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        def f(a, b):
            return Variable(a + b)

        def g(a):
            return Variable(torch.cuda.FloatTensor(a), requires_grad=True)
        """,
        """
        import torch

        def f(a, b):
            return a + b

        def g(a):
            return torch.cuda.FloatTensor(a).requires_grad_()
        """,
    )


def test_a_type_check_with_the_file_s_own_type_function_is_not_rewritten():
    result = unchanged(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        def type(x):
            return x.kind

        def f(h):
            return type(h) == Variable
        """,
    )
    assert [f.line for f in result.findings] == [8]


@pytest.mark.parametrize(
    "check, migrated",
    [
        pytest.param("issubclass(T, Variable)", "issubclass(T, torch.Tensor)", id="issubclass"),
        pytest.param("issubclass(T, (Variable, int))", "issubclass(T, (torch.Tensor, int))", id="issubclass-tuple"),
        pytest.param("isinstance(h, (int, Variable))", "isinstance(h, (int, torch.Tensor))", id="isinstance-tuple-second"),
    ],
)
def test_class_checks_against_variable_name_torch_tensor(check, migrated):
    result = rewrite(
        UnwrapVariable,
        f"import torch\nfrom torch.autograd import Variable\nok = {check}\n",
        f"import torch\nok = {migrated}\n",
    )
    assert not result.findings


def test_an_isinstance_of_other_types_is_not_an_edit():
    # only the `Variable` call is rewritten: `(int, float)` holds no Variable to make a Tensor
    result = run(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        def f(x):
            if isinstance(x, (int, float)):
                return x
            return Variable(x)
        """,
    )
    assert "isinstance(x, (int, float))" in result.code
    assert [edit.line for edit in result.edits] == [7]


def test_a_fourth_positional_argument_is_named_in_a_finding_not_a_crash():
    # 0.3's Variable took data, requires_grad, volatile: a fourth is none of them
    result = unchanged(UnwrapVariable, "import torch\nfrom torch.autograd import Variable\n\nv = Variable(torch.ones(1), False, True, 1)\n")
    [finding] = result.findings
    assert (finding.code, finding.line) == ("TU101", 4)
    assert "`Variable` called with an unknown argument `positional`: not rewritten" in finding.message


def test_a_cpu_first_wrapper_keeps_the_plain_variable_for_a_volatile_call():
    # the CPU branch comes first: TU102's call goes to that branch's `autograd.Variable`, never to
    # the `.cuda()` of the other branch
    rewrite(
        UnwrapVariable,
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs) if not USE_CUDA else autograd.Variable(*args, **kwargs).cuda()

        def act(model, t):
            return model(Variable(t, volatile=True)), model(Variable(t))
        """,
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        device = torch.device("cpu" if not USE_CUDA else "cuda")

        def act(model, t):
            return model(autograd.Variable(t, volatile=True).to(device)), model(t.to(device))
        """,
        unsafe=True,
    )


def test_a_variable_inside_one_left_as_it_is_is_still_unwrapped():
    # the outer call has a fourth argument, so it stays (a finding); its data is migrated all the same
    result = run(UnwrapVariable, "import torch\nfrom torch.autograd import Variable\n\nv = Variable(Variable(torch.ones(1)), False, True, 1)\n")
    assert result.code.endswith("\nv = Variable(torch.ones(1), False, True, 1)\n")


def test_a_type_check_with_variable_on_the_left_is_rewritten_a_chained_one_is_not():
    source = "import torch\nfrom torch.autograd import Variable\nok = type(h) == Variable == t\nyes = Variable == type(h)\n"
    result = run(UnwrapVariable, source, unsafe=True)
    assert result.code == source.replace("yes = Variable ==", "yes = torch.Tensor ==")
    assert [(type(r).__name__, r.code, r.line, r.column, r.message) for r in result.records] == [
        (
            "Finding",
            "TU101",
            3,
            16,
            "`Variable` used as a value: replace it by hand (tensors are Variables since PyTorch 0.4)",
        ),
        (
            "Edit",
            "TU101",
            4,
            6,
            "`type(h) == Variable` -> `type(h) == torch.Tensor` (always false on torch >= 0.4; the rewrite restores "
            "the 0.3 meaning)",
        ),
    ]


def test_isinstance_of_variable_where_torch_is_rebound_is_reported():
    source = "from torch.autograd import Variable\ntorch = None\nok = isinstance(h, Variable)\n"
    result = unchanged(UnwrapVariable, source)
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        ("TU101", 3, 5, "`torch` is rebound in this file: replace `Variable` by `torch.Tensor` by hand", False)
    ]
