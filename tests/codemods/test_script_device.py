import pytest
from codemod_harness import Edit, Finding, codes, dedent, rewrite, run, unchanged

from torchup.analysis.module_index import ModuleIndex
from torchup.codemods.script_device import ScriptDevice
from torchup.codemods.variable import UnwrapVariable
from torchup.records import Safety

# The run's nn.Module classes, as the runner indexes them: `Net` is a model of the repository.
RUN = ModuleIndex({"models.py": frozenset({"Net", "CNNPolicy"})})


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()


            def run(model, x):
                if use_cuda:
                    model.cuda()
                    x = x.cuda(non_blocking=True)
                return model(x)
            """,
            """
            import torch

            use_cuda = torch.cuda.is_available()
            device = torch.device("cuda" if use_cuda else "cpu")


            def run(model, x):
                model.to(device)
                x = x.to(device, non_blocking=True)
                return model(x)
            """,
            id="module-switch-from-is-available",
        ),
        pytest.param(
            """
            import torch


            def batchify(data, bsz, cuda=False):
                \"\"\"Columns of bsz.\"\"\"
                data = data.view(bsz, -1).t().contiguous()
                if cuda: data = data.cuda()
                return data
            """,
            """
            import torch


            def batchify(data, bsz, cuda=False):
                \"\"\"Columns of bsz.\"\"\"
                device = torch.device("cuda" if cuda else "cpu")
                data = data.view(bsz, -1).t().contiguous()
                data = data.to(device)
                return data
            """,
            id="parameter-switch",
        ),
        pytest.param(
            """
            import torch

            if __name__ == "__main__":
                args = parser.parse_args()
                args.cuda = not args.no_cuda and torch.cuda.is_available()
                torch.manual_seed(args.seed)
                model = Net()
                if args.cuda:
                    torch.cuda.manual_seed(args.seed)
                    model.cuda()
            """,
            """
            import torch

            if __name__ == "__main__":
                args = parser.parse_args()
                args.cuda = not args.no_cuda and torch.cuda.is_available()
                device = torch.device("cuda" if args.cuda else "cpu")
                torch.manual_seed(args.seed)
                model = Net()
                if args.cuda:
                    torch.cuda.manual_seed(args.seed)
                    model.to(device)
            """,
            id="flag-decided-in-main-other-statements-keep-the-guard",
        ),
        pytest.param(
            """
            import torch


            class Trainer(object):
                def step(self, x):
                    return x.cuda() if self.gpu_mode else x

                def other(self, x):
                    return (x * 2).cuda() if not self.opt.no_cuda else x + 1
            """,
            """
            import torch


            class Trainer(object):
                def step(self, x):
                    device = torch.device("cuda" if self.gpu_mode else "cpu")
                    return x.to(device)

                def other(self, x):
                    device = torch.device("cuda" if not self.opt.no_cuda else "cpu")
                    return (x * 2).to(device) if not self.opt.no_cuda else x + 1
            """,
            id="conditional-expressions-switches-of-self",
        ),
    ],
)
def test_rewrites(before, after):
    rewrite(ScriptDevice, before, after, facts=RUN)


def test_functions_share_the_device_of_a_global_switch():
    before = """
        import torch

        args = parser.parse_args()
        args.cuda = not args.no_cuda and torch.cuda.is_available()


        def train(loader):
            for data, target in loader:
                if args.cuda:
                    data, target = data.cuda(), target.cuda()
                step(data, target)

        model = Net()
        if args.cuda:
            model.cuda()
        """
    after = """
        import torch

        args = parser.parse_args()
        args.cuda = not args.no_cuda and torch.cuda.is_available()
        device = torch.device("cuda" if args.cuda else "cpu")


        def train(loader):
            for data, target in loader:
                data, target = data.to(device), target.to(device)
                step(data, target)

        model = Net()
        model.to(device)
        """
    rewrite(ScriptDevice, before, after, facts=RUN)


def test_a_script_function_after_a_model_class_is_script_code_again():
    # `Net` is the file's own nn.Module: the moves of its methods are the class's business, but
    # leaving the class ends that: `train`'s unguarded move is script code, an unsafe fix.
    before = """
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        class Net(nn.Module):
            def forward(self, x):
                return x


        def train(loader):
            for x, y in loader:
                x = Variable(x.cuda())
        """
    after = """
        import torch
        import torch.nn as nn
        from torch.autograd import Variable
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


        class Net(nn.Module):
            def forward(self, x):
                return x


        def train(loader):
            for x, y in loader:
                x = Variable(x.to(device))
        """
    rewrite(ScriptDevice, before, after, unsafe=True, facts=ModuleIndex({"example.py": frozenset({"Net"})}))

def test_an_annotated_switch_is_decided_where_it_is_assigned():
    before = """
        import torch

        use_cuda: bool = torch.cuda.is_available()
        if use_cuda:
            model.cuda()
        """
    after = """
        import torch

        use_cuda: bool = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")
        model.to(device)
        """
    rewrite(ScriptDevice, before, after, facts=RUN)


def test_a_parameter_named_like_a_global_switch_is_the_functions_own_switch():
    # `batchify(data, cuda=False)` is called with its own flag: the module's `cuda` is not its.
    before = """
        import torch

        cuda = torch.cuda.is_available()


        def batchify(data, cuda=False):
            if cuda:
                data = data.cuda()
            return data
        """
    after = """
        import torch

        cuda = torch.cuda.is_available()


        def batchify(data, cuda=False):
            device = torch.device("cuda" if cuda else "cpu")
            data = data.to(device)
            return data
        """
    rewrite(ScriptDevice, before, after, facts=RUN)


HARD_CODED = """
    import torch

    cuda = True


    def make_noise():
        noise = torch.randn(2, 8)
        if cuda:
            noise = noise.cuda()
        return noise
    """


def test_a_switch_hard_coded_on_is_an_unsafe_fix():
    result = run(ScriptDevice, HARD_CODED)
    assert result.code == dedent(HARD_CODED)
    assert [(f.line, f.fix_available) for f in result.findings] == [(3, True), (8, True)]
    rewrite(
        ScriptDevice,
        HARD_CODED,
        dedent(HARD_CODED).replace(
            "cuda = True\n", 'cuda = True\ndevice = torch.device("cuda" if cuda and torch.cuda.is_available() else "cpu")\n'
        ).replace("    if cuda:\n        noise = noise.cuda()\n", "    noise = noise.to(device)\n"),
        unsafe=True,
    )


@pytest.mark.parametrize(
    "source, reason",
    [
        pytest.param(
            """
            import torch
            import torch.nn as nn
            from torch.autograd import Variable


            class Net(nn.Module):
                def forward(self, x):
                    return self.fc(Variable(x.cuda()))
            """,
            "unguarded",
            id="unguarded-in-a-module-method",
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str, default="0")
            opt = parser.parse_args()
            net.cuda(opt.gpu_ids[0])
            """,
            "names a GPU by index",
            id="unguarded-device-index",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda(args.gpu)
            """,
            "device index",
            id="device-index",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda()
            else:
                model = model.cpu()
            """,
            "has an `else`",
            id="with-else",
        ),
        pytest.param(
            """
            import torch

            device = "cuda:0"
            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda()
            """,
            "already binds the name `device`",
            id="device-name-taken",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda()


            def run(model, x, device):
                return model(x.to(device))
            """,
            "already binds the name `device`",
            id="device-a-parameter-name",
        ),
        pytest.param(
            """
            import torch
            from config import device

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda()
            """,
            "already binds the name `device`",
            id="device-imported",
        ),
        pytest.param(
            """
            import torch
            from config import gpu as device

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda()
            """,
            "`.cuda()` under `use_cuda` left as is: the file already binds the name `device`",
            id="device-imported-under-another-name",
        ),
        pytest.param(
            """
            import argparse
            import torch

            parser = argparse.ArgumentParser()
            parser.add_argument("--gpu_ids", type=int, nargs="+", default=[])
            opt = parser.parse_args()
            if len(opt.gpu_ids) > 0:
                net.cuda(opt.gpu_ids[0])
                crit.cuda(opt.gpu_ids[1])
            """,
            "names a GPU by index",
            id="two-gpu-numbers-under-one-guard",
        ),
        pytest.param(
            """
            import torch

            if big:
                use_cuda = torch.cuda.is_available()
            if use_cuda:
                model = model.cuda()
            """,
            "where `use_cuda` is decided",
            id="decided-in-a-block",
        ),
        pytest.param(
            """
            import torch.optim as optim
            from utils import *

            if args.cuda:
                model = model.cuda()
            """,
            "`torch` may come from `from utils import *`",
            id="torch-from-a-star-import",
        ),
        pytest.param(
            """
            import torch


            def f(x, use_cuda, use_gpu):
                if use_cuda:
                    x = x.cuda()
                if use_gpu:
                    x = x.cuda()
                return x
            """,
            "several GPU switches",
            id="two-switches",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model.cuda()
            for device in ("cuda:0", "cuda:1"):
                print(device)
            """,
            "already binds the name `device`",
            id="device-a-loop-variable",
        ),
        # The loop binds the function's own `use_cuda`: the module's decision is not its value.
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()


            def run(x):
                for use_cuda in (False, True):
                    if use_cuda:
                        x = x.cuda()
                return x
            """,
            "where `use_cuda` is decided is not a statement before the move in this scope",
            id="switch-a-loop-variable-of-the-function",
        ),
        pytest.param(
            """
            import torch as th

            use_cuda = th.cuda.is_available()
            if use_cuda:
                model.cuda()
            """,
            "torch is not imported as `torch`",
            id="torch-imported-under-another-name",
        ),
    ],
)
def test_what_is_left_is_reported_with_its_reason(source, reason):
    result = unchanged(ScriptDevice, source)
    assert codes(result.findings) and set(codes(result.findings)) == {"TU304"}
    assert all(reason in f.message for f in result.findings), result.findings


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\n\nok = torch.cuda.is_available()\n", id="is-available-is-no-move"),
        pytest.param("import torch\n\nif x.is_cuda:\n    y = 1\n", id="tensor-test-no-move"),
        pytest.param("import torch\n\nmodel.to(device)\n", id="modern"),
    ],
)
def test_look_alikes_are_unchanged_and_not_reported(source):
    assert not unchanged(ScriptDevice, source).findings


# Shapes of torch 2.13's own sources (`make modern`): legal modern `.cuda()` calls in files that
# show no legacy GPU idiom. Each got a TU304 finding, the fuzzers an unsafe edit.
@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            import torch
            from torch import nn


            class Fuzzer:
                def __init__(self, dtype=torch.float32, cuda=False):
                    self._dtype = dtype
                    self._cuda = cuda

                def take(self, size):
                    raw_tensor = torch.rand(size, dtype=self._dtype)
                    if self._cuda:
                        raw_tensor = raw_tensor.cuda()
                    return raw_tensor
            """,
            id="benchmark-fuzzer",
        ),
        pytest.param(
            """
            import torch


            def _build_tensor(size, value, device_id=None):
                if device_id is None:
                    return torch.empty(size, size).fill_(value)
                return torch.empty(size, size).fill_(value).cuda(device_id)


            def _test_broadcast_helper(group, rank, cuda=False, rank_to_GPU=None):
                for src in group:
                    expected_tensor = _build_tensor(src + 1, -1.0)
                    if cuda:
                        expected_tensor = expected_tensor.cuda(rank_to_GPU[rank][0])
                    model = torch.nn.Linear(1, 5, bias=False).cuda(rank)
                    run(lambda t: t.clone().cuda(), model, expected_tensor)
            """,
            id="distributed-test",
        ),
        pytest.param(
            """
            import torch
            import torch.nn as nn


            class Module(nn.Module):
                def cuda(self, device=None):
                    return self._apply(lambda t: t.cuda(device))

                def forward(self, x):
                    return self.fc(x.cuda())


            class TestCase:
                @classmethod
                def setUpClass(cls):
                    t = torch.ones(1).cuda()
                    cls.no_magma = not torch.cuda.has_magma
            """,
            id="module-override-and-test-setup",
        ),
        pytest.param(
            """
            import torch

            device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
            model = Net().cuda()
            for x, y in loader:
                x, y = x.cuda(non_blocking=True), y.cuda()
            """,
            id="unguarded-moves-beside-a-torch-device",
        ),
    ],
)
def test_modern_cuda_calls_are_neither_edited_nor_reported(source):
    result = unchanged(ScriptDevice, source, unsafe=True)
    assert not result.findings, result.findings


def test_a_legacy_idiom_migrated_by_an_earlier_pass_still_counts():
    # TU101 unwraps `Variable` and drops its import in the first pass; TU304, in its own pass,
    # asks the file as read whether it is legacy code.
    source = """
        import torch
        from torch.autograd import Variable

        model = Net().cuda(0)
        x = Variable(x)
        """
    result = run([UnwrapVariable, ScriptDevice], source, unsafe=True)
    assert "Variable" not in result.code and "Net().cuda(0)" in result.code
    assert [(f.code, f.line) for f in result.findings] == [("TU304", 4)]


def test_prefilter_needs_a_cuda_call():
    assert not ScriptDevice.may_apply("import torch\nuse_cuda = torch.cuda.is_available()\n")
    assert ScriptDevice.may_apply("x = x.cuda ()\n")


UNGUARDED = """
    import torch
    import torch.nn as nn
    from torch.autograd import Variable

    model = Net().cuda()


    def train(loader):
        for x, y in loader:
            x, y = Variable(x.cuda(non_blocking=True)), Variable(y.cuda())
            loss = model(x).sum()
    """


def test_unguarded_moves_in_a_script_are_an_unsafe_fix():
    result = run(ScriptDevice, UNGUARDED)
    assert result.code == dedent(UNGUARDED)
    assert [(f.line, f.fix_available) for f in result.findings] == [(3, True), (5, True), (10, True), (10, True)]
    rewrite(
        ScriptDevice,
        UNGUARDED,
        dedent(UNGUARDED)
        .replace(
            "import Variable\n",
            'import Variable\ndevice = torch.device("cuda" if torch.cuda.is_available() else "cpu")\n',
        )
        .replace("Net().cuda()", "Net().to(device)")
        .replace("x.cuda(non_blocking=True)), Variable(y.cuda()", "x.to(device, non_blocking=True)), Variable(y.to(device)"),
        unsafe=True,
    )


def test_unguarded_moves_follow_a_module_level_switch():
    before = """
        import torch

        use_cuda = torch.cuda.is_available()
        if use_cuda:
            model.cuda()
        target = target.cuda()
        """
    after = """
        import torch

        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")
        model.to(device)
        target = target.to(device)
        """
    result = rewrite(ScriptDevice, before, after, unsafe=True)
    assert [e.safety.value for e in result.edits] == ["safe", "safe", "unsafe"]


def test_a_conditional_expression_moving_in_both_branches_is_no_switch_guard():
    # `a.cuda() if use_cuda else b.cuda()` moves to the GPU either way: the switch does not
    # decide its device, so both moves are unguarded (unsafe), unlike `c.cuda() if use_cuda else c`
    source = """
        import torch

        use_cuda = torch.cuda.is_available()
        x = a.cuda() if use_cuda else b.cuda()
        y = c.cuda() if use_cuda else c
        """
    result = run(ScriptDevice, source)
    assert "x = a.cuda() if use_cuda else b.cuda()\n" in result.code
    assert "y = c.to(device)\n" in result.code
    assert [(f.line, f.column, f.fix_available) for f in result.findings] == [(4, 4, True), (4, 30, True)]
    assert all("unguarded" in f.message for f in result.findings)


def test_a_conditional_expression_moving_nothing_is_no_second_switch():
    # `64 if args.cuda else 8` picks a size, not a device: the one switch that moves is `use_cuda`
    before = """
        import torch

        use_cuda = torch.cuda.is_available()
        batch = 64 if args.cuda else 8
        if use_cuda:
            x = x.cuda()
        """
    after = """
        import torch

        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")
        batch = 64 if args.cuda else 8
        x = x.to(device)
        """
    rewrite(ScriptDevice, before, after, unsafe=True)


def test_unguarded_moves_in_a_function_with_its_own_switch_are_reported():
    source = """
        import torch


        def batchify(data, cuda=False):
            data = data.cuda()
            if cuda:
                data = data.cuda()
            return data
        """
    result = run(ScriptDevice, source, unsafe=True)
    assert "    data = data.cuda()\n    data = data.to(device)" in result.code
    assert [(f.line, f.fix_available) for f in result.findings] == [(5, False)]


@pytest.mark.parametrize(
    "value, safety",
    [("True", "unsafe"), ("1", "unsafe"), ("False", "safe"), ("0", "safe"), ("torch.cuda.is_available()", "safe")],
)
def test_only_a_switch_hard_coded_on_falls_back_to_the_cpu(value, safety):
    source = f"import torch\n\nUSE_GPU = {value}\nif USE_GPU:\n    model.cuda()\n"
    result = run(ScriptDevice, source, unsafe=True)
    assert [e.safety.value for e in result.edits] == [safety, safety]
    assert ("USE_GPU and torch.cuda.is_available()" in result.code) == (safety == "unsafe")


def test_type_aliases_picked_by_the_switch_follow_its_device():
    before = """
        import torch

        use_cuda = torch.cuda.is_available()
        FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
        LongTensor = torch.cuda.LongTensor if use_cuda else torch.LongTensor


        def select(model, state, n):
            x = state.type(FloatTensor)
            idx = LongTensor([[1, 2], [3, 4]])
            empty = LongTensor(n)
            return model(x), FloatTensor((1.0, 2.0)), idx, empty


        if use_cuda:
            model.cuda()
        """
    after = """
        import torch

        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")
        FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
        LongTensor = torch.cuda.LongTensor if use_cuda else torch.LongTensor


        def select(model, state, n):
            x = state.to(device, torch.float)
            idx = torch.tensor([[1, 2], [3, 4]], dtype=torch.long, device=device)
            empty = LongTensor(n)
            return model(x), torch.tensor((1.0, 2.0), dtype=torch.float, device=device), idx, empty


        model.to(device)
        """
    result = rewrite(ScriptDevice, before, after)
    assert {e.safety.value for e in result.edits} == {"safe"}


def test_a_type_alias_under_a_switch_hard_coded_on_is_an_unsafe_fix():
    source = """
        import torch

        USE_CUDA = True
        FloatTensor = torch.cuda.FloatTensor if USE_CUDA else torch.FloatTensor
        x = torch.zeros(3).cuda()
        y = x.type(FloatTensor)
        """
    assert unchanged(ScriptDevice, source, unsafe=False).findings
    result = run(ScriptDevice, source, unsafe=True)
    assert "y = x.to(device, torch.float)\n" in result.code
    assert 'device = torch.device("cuda" if USE_CUDA and torch.cuda.is_available() else "cpu")' in result.code
    assert {e.safety.value for e in result.edits} == {"unsafe"}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
            if big:
                FloatTensor = torch.cuda.DoubleTensor if use_cuda else torch.DoubleTensor
            y = x.type(FloatTensor).cuda()
            """,
            id="alias-bound-twice",
        ),
        pytest.param(
            """
            import torch

            FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor
            use_cuda = torch.cuda.is_available()
            y = x.type(FloatTensor).cuda()
            """,
            id="switch-decided-after-the-alias",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor


            def f(x, cuda=False):
                if cuda:
                    x = x.cuda()
                return x.type(FloatTensor)
            """,
            id="use-in-a-function-with-its-own-switch",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            FloatTensor = torch.cuda.DoubleTensor if use_cuda else torch.FloatTensor
            y = x.type(FloatTensor).cuda()
            """,
            id="two-different-types",
        ),
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            FloatTensor = torch.cuda.FloatTensor if fast else torch.FloatTensor
            if use_cuda:
                model.cuda()
            x = torch.zeros(3).type(FloatTensor)
            """,
            id="picked-by-a-test-that-is-no-gpu-switch",
        ),
    ],
)
def test_type_aliases_left_alone(source):
    result = run(ScriptDevice, source, unsafe=True)
    assert ".type(FloatTensor)" in result.code


def test_a_functions_own_type_alias_follows_the_device_of_its_switch():
    before = """
        import torch


        def train(model, x, labels, gpu=False):
            dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor
            if gpu:
                model.cuda()
            return model(x.type(dtype)), labels.type(dtype)


        use_cuda = torch.cuda.is_available()


        def evaluate(model, x):
            ltype = torch.cuda.LongTensor if use_cuda else torch.LongTensor
            return model(x.type(ltype)), ltype([1, 2])


        if use_cuda:
            model = model.cuda()
        """
    after = """
        import torch


        def train(model, x, labels, gpu=False):
            device = torch.device("cuda" if gpu else "cpu")
            model.to(device)
            return model(x.to(device, torch.float)), labels.to(device, torch.float)


        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")


        def evaluate(model, x):
            return model(x.to(device, torch.long)), torch.tensor([1, 2], dtype=torch.long, device=device)


        model = model.to(device)
        """
    rewrite(ScriptDevice, before, after)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            import torch


            def f(x, gpu, use_cuda):
                dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor
                if use_cuda:
                    x = x.cuda()
                return x.type(dtype)
            """,
            id="another-switch-in-the-function",
        ),
        pytest.param(
            """
            import torch


            def f(x, gpu):
                y = x.type(dtype)
                dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor
                return y.cuda()
            """,
            id="use-before-the-alias",
        ),
        pytest.param(
            """
            import torch


            def f(x, gpu, dtype):
                if big:
                    dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor
                return x.type(dtype).cuda()
            """,
            id="alias-in-a-block-and-a-parameter",
        ),
        pytest.param(
            """
            import torch
            import torch.nn as nn


            class Net(nn.Module):
                def forward(self, x, gpu=False):
                    dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor
                    return x.type(dtype).cuda()
            """,
            id="in-a-module-method",
        ),
    ],
)
def test_function_type_aliases_left_alone(source):
    result = run(ScriptDevice, source, unsafe=True)
    assert ".type(dtype)" in result.code


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str, default="0")
            opt = parser.parse_args()
            opt.gpu_ids = [int(i) for i in opt.gpu_ids.split(",") if int(i) >= 0]
            net = Net()
            if len(opt.gpu_ids) > 0:
                net.cuda(opt.gpu_ids[0])
                x = x.cuda(opt.gpu_ids[0], non_blocking=True)
            """,
            """
            import torch

            parser.add_argument("--gpu_ids", type=str, default="0")
            opt = parser.parse_args()
            opt.gpu_ids = [int(i) for i in opt.gpu_ids.split(",") if int(i) >= 0]
            device = torch.device("cuda", opt.gpu_ids[0]) if len(opt.gpu_ids) > 0 else torch.device("cpu")
            net = Net()
            net.to(device)
            x = x.to(device, non_blocking=True)
            """,
            id="gpu-ids-option",
        ),
        pytest.param(
            """
            import torch
            from torch.autograd import Variable


            def init_net(net, gpu_ids=[]):
                if len(gpu_ids) > 0:
                    assert torch.cuda.is_available()
                    net.cuda(gpu_ids[0])
                return net
            """,
            """
            import torch
            from torch.autograd import Variable


            def init_net(net, gpu_ids=[]):
                device = torch.device("cuda", gpu_ids[0]) if len(gpu_ids) > 0 else torch.device("cpu")
                if len(gpu_ids) > 0:
                    assert torch.cuda.is_available()
                    net.to(device)
                return net
            """,
            id="gpu-ids-parameter",
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu", default=None, type=int)
            args = parser.parse_args()
            model = Net()
            if args.gpu is not None:
                model = model.cuda(args.gpu)
            """,
            """
            import torch

            parser.add_argument("--gpu", default=None, type=int)
            args = parser.parse_args()
            device = torch.device("cuda", args.gpu) if args.gpu is not None else torch.device("cpu")
            model = Net()
            model = model.to(device)
            """,
            id="gpu-option-not-none",
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu", default=None, type=int)
            args = parser.parse_args()

            if __name__ == "__main__":
                model = Net()
                if args.gpu is not None:
                    model = model.cuda(args.gpu)
            """,
            """
            import torch

            parser.add_argument("--gpu", default=None, type=int)
            args = parser.parse_args()
            device = torch.device("cuda", args.gpu) if args.gpu is not None else torch.device("cpu")

            if __name__ == "__main__":
                model = Net()
                model = model.to(device)
            """,
            id="gpu-option-not-none-in-the-main-block",
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str, default="0")
            opt = parser.parse_args()
            opt.gpu_ids = [int(i) for i in opt.gpu_ids.split(",") if int(i) >= 0]


            def build():
                net = Net()
                if len(opt.gpu_ids) > 0:
                    net.cuda(opt.gpu_ids[0])
                return net
            """,
            """
            import torch

            parser.add_argument("--gpu_ids", type=str, default="0")
            opt = parser.parse_args()
            opt.gpu_ids = [int(i) for i in opt.gpu_ids.split(",") if int(i) >= 0]
            device = torch.device("cuda", opt.gpu_ids[0]) if len(opt.gpu_ids) > 0 else torch.device("cpu")


            def build():
                net = Net()
                net.to(device)
                return net
            """,
            id="gpu-ids-option-read-in-a-function",
        ),
    ],
)
def test_moves_to_a_gpu_by_number_follow_one_device_built_from_it(before, after):
    assert not run(ScriptDevice, before, facts=RUN).edits  # unsafe: `torch.device("cuda", n)` needs an int
    result = rewrite(ScriptDevice, before, after, unsafe=True, facts=RUN)
    assert {e.safety.value for e in result.edits} == {"unsafe"}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str)
            if len(opt.gpu_ids) > 0:
                net.cuda(opt.gpu_ids[0])
                x = x.cuda(opt.gpu_ids[1])
            """,
            id="two-numbers",
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str)
            args = parser.parse_args()
            if big_model:
                net.cuda(args.gpu)
            """,
            id="test-does-not-read-the-number",
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str)
            if len(opt.gpu_ids) > 0:
                net.cuda(opt.gpu_ids[0])
            """,
            id="number-set-nowhere",
        ),
    ],
)
def test_moves_to_a_gpu_by_number_that_stay_reported(source):
    result = unchanged(ScriptDevice, source, unsafe=True)
    assert result.findings and all("TU304" == f.code for f in result.findings)


def test_a_function_with_its_own_alias_keeps_the_modules_alias_uses():
    source = """
        import torch

        use_cuda = torch.cuda.is_available()
        FloatTensor = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor


        def f(x, y, gpu):
            dtype = torch.cuda.DoubleTensor if gpu else torch.DoubleTensor
            return x.type(dtype), y.type(FloatTensor), y.cuda()


        z = z.type(FloatTensor)
        if use_cuda:
            model.cuda()
        """
    result = run(ScriptDevice, source, unsafe=True)
    assert "return x.to(device, torch.double), y.type(FloatTensor), y.cuda()" in result.code
    assert "z = z.to(device, torch.float)" in result.code
    assert [f.line for f in result.findings] == [9]  # `y.cuda()`: which device is not this one's to say


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("", "    return x.type(dtype).cuda(), dtype\n", id="read-otherwise"),
        pytest.param("    # the type for this run\n", "    return x.type(dtype).cuda()\n", id="comment"),
        pytest.param("", "    return x.type(dtype).cuda(), [dtype(n) for n in ns]\n", id="a-size-call"),
    ],
)
def test_an_alias_still_read_or_commented_is_kept(before, after):
    alias = "    dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor\n"
    source = "import torch\n\n\ndef f(x, ns, gpu=False):\n" + before + alias + after
    result = run(ScriptDevice, source, unsafe=True)
    assert "x.to(device, torch.float)" in result.code
    assert alias in result.code


A2C_MAIN = """
    import torch
    from model import CNNPolicy
    from storage import RolloutStorage

    args = parser.parse_args()
    args.cuda = not args.no_cuda and torch.cuda.is_available()
    actor_critic = CNNPolicy(obs_shape[0], envs.action_space)
    if args.cuda:
        actor_critic.cuda()
    rollouts = RolloutStorage(args.num_steps, args.num_processes, obs_shape)
    if args.cuda:
        current_obs = current_obs.cuda()
        rollouts.cuda()
    """


def test_a_moved_object_of_a_class_that_is_no_module_keeps_its_cuda():
    # a2c's `RolloutStorage` has its own `cuda()` and no `to()`: `rollouts.to(device)` raised.
    result = run(ScriptDevice, A2C_MAIN, unsafe=True, facts=RUN)
    assert "\nactor_critic.to(device)\n" in result.code
    assert "if args.cuda:\n    current_obs = current_obs.cuda()\n    rollouts.cuda()\n" in result.code
    assert [f.line for f in result.findings] == [12, 13]
    assert all("`rollouts` is made by `RolloutStorage`" in f.message for f in result.findings)
    # Alone, without the run's index, `CNNPolicy` is no known Module either: declined, reported.
    alone = unchanged(ScriptDevice, A2C_MAIN, unsafe=True)
    assert "`actor_critic` is made by `CNNPolicy`" in alone.findings[0].message


def test_an_unguarded_move_of_an_object_that_is_no_module_is_reported():
    source = """
        import torch
        from torch.autograd import Variable
        from storage import RolloutStorage

        rollouts = RolloutStorage(5)
        rollouts.cuda()
        model = Net().cuda()
        """
    result = run(ScriptDevice, source, unsafe=True, facts=RUN)
    assert "rollouts.cuda()\nmodel = Net().to(device)\n" in result.code
    assert [(f.line, "`rollouts` is made by `RolloutStorage`" in f.message) for f in result.findings] == [(6, True)]


def test_a_move_in_the_statement_that_binds_the_switch_is_reported_not_moved_before_device():
    # `device` is bound on the next line: `.to(device)` here would raise NameError.
    before = """
        import torch

        use_cuda = torch.cuda.is_available(); target = target.cuda()
        if use_cuda:
            model.cuda()
        """
    result = run(ScriptDevice, before, unsafe=True)
    assert "target = target.cuda()\ndevice = torch.device(" in result.code and "model.to(device)" in result.code
    assert [(f.line, f.fix_available) for f in result.findings] == [(3, False)]


def test_a_functions_own_switch_is_not_the_module_level_device_of_a_script_move():
    before = """
        import torch


        def train(model):
            use_cuda = torch.cuda.is_available()
            if use_cuda:
                model.cuda()


        target = target.cuda()
        """
    after = """
        import torch
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


        def train(model):
            use_cuda = torch.cuda.is_available()
            device = torch.device("cuda" if use_cuda else "cpu")
            model.to(device)


        target = target.to(device)
        """
    rewrite(ScriptDevice, before, after, unsafe=True)


def test_a_guard_after_the_main_block_is_module_code_again():
    before = """
        import torch

        if __name__ == "__main__":
            main()

        use_cuda = torch.cuda.is_available()
        if use_cuda:
            model.cuda()
        """
    after = """
        import torch

        if __name__ == "__main__":
            main()

        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")
        model.to(device)
        """
    rewrite(ScriptDevice, before, after)


def test_moves_in_the_main_block_use_the_switch_decided_above_it():
    before = """
        import torch

        use_cuda = torch.cuda.is_available()

        if __name__ == "__main__":
            x = torch.zeros(3)
            if use_cuda:
                x = x.cuda()
        """
    after = """
        import torch

        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")

        if __name__ == "__main__":
            x = torch.zeros(3)
            x = x.to(device)
        """
    result = rewrite(ScriptDevice, before, after)
    assert not result.findings and [e.safety.value for e in result.edits] == ["safe", "safe"]


def test_an_object_made_by_a_function_is_moved_not_reported():
    # Only a class of the user's may lack `.to`: what a factory function returns is not judged by its name.
    before = """
        import torch
        from models import Net

        use_cuda = torch.cuda.is_available()


        def build_model():
            return Net()


        model = build_model()
        if use_cuda:
            model.cuda()
        """
    after = """
        import torch
        from models import Net

        use_cuda = torch.cuda.is_available()
        device = torch.device("cuda" if use_cuda else "cpu")


        def build_model():
            return Net()


        model = build_model()
        model.to(device)
        """
    assert not rewrite(ScriptDevice, before, after, facts=RUN).findings


@pytest.mark.parametrize("signature", ["data, cuda=False", "data, *, cuda=False", "data, cuda, /"])
def test_a_parameter_of_any_kind_named_like_a_global_switch_is_the_functions_own(signature):
    before = f"""
        import torch

        cuda = True


        def batchify({signature}):
            if cuda:
                data = data.cuda()
            return data
        """
    after = f"""
        import torch

        cuda = True


        def batchify({signature}):
            device = torch.device("cuda" if cuda else "cpu")
            data = data.to(device)
            return data
        """
    result = rewrite(ScriptDevice, before, after, facts=RUN)
    assert {edit.safety.name for edit in result.edits} == {"SAFE"}  # not the module's hard-coded switch


@pytest.mark.parametrize(
    "line, migrated",
    [
        pytest.param(
            'if args.cuda: model = model.cuda(); print("on the GPU")',
            'if args.cuda: model = model.to(device); print("on the GPU")',
            id="other-work-keeps-its-if",
        ),
        pytest.param(
            "if args.cuda: model = model.cuda(); x = x.cuda()",
            "model = model.to(device); x = x.to(device)",
            id="moves-only-lose-their-if",
        ),
    ],
)
def test_a_one_line_guard_loses_its_if_only_when_it_holds_moves_alone(line, migrated):
    source = (
        "import torch\nimport argparse\np = argparse.ArgumentParser()\n"
        'p.add_argument("--cuda", action="store_true")\nargs = p.parse_args()\nmodel = make()\n'
    )
    result = rewrite(
        ScriptDevice,
        source + line + "\n",
        source.replace("model = make()\n", 'device = torch.device("cuda" if args.cuda else "cpu")\nmodel = make()\n')
        + migrated
        + "\n",
        facts=RUN,
    )
    assert not result.findings


@pytest.mark.parametrize(
    "docstring",
    [
        pytest.param('"""Train the model."""', id="one-string"),
        pytest.param('"Train " "the model."', id="two-strings"),
        pytest.param('("Train "\n     "the model.")', id="parenthesised-strings"),
    ],
)
def test_the_device_of_a_function_goes_below_its_docstring(docstring):
    source = f"import torch\n\n\ndef train(model, cuda):\n    {docstring}\n    if cuda:\n        model = model.cuda()\n    return model\n"
    result = run(ScriptDevice, source, facts=RUN)
    lines = result.code.splitlines()
    body = lines[lines.index("def train(model, cuda):") + 1 :]
    assert body[0] == f"    {docstring.splitlines()[0]}"
    assert '    device = torch.device("cuda" if cuda else "cpu")' in body
    assert body.index('    device = torch.device("cuda" if cuda else "cpu")') == len(docstring.splitlines())
    compile(result.code, "example.py", "exec")


def test_an_alias_sharing_its_line_with_another_statement_is_kept():
    source = (
        "import torch\n\n\ndef f(x, gpu=False):\n"
        "    dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor; n = 3\n"
        "    return x.type(dtype).cuda() * n\n"
    )
    result = run(ScriptDevice, source, unsafe=True)
    assert "x.to(device, torch.float)" in result.code
    assert "    dtype = torch.cuda.FloatTensor if gpu else torch.FloatTensor; n = 3\n" in result.code


def test_a_function_defined_under_the_guard_keeps_its_own_moves():
    # The guard's `.to(device)` rewrite stops at a nested `def`: its body runs when it is called,
    # and its `.cuda(1)` (a GPU by number) is its own to report.
    source = (
        "import torch\n\nuse_cuda = torch.cuda.is_available()\nmodel = make()\nif use_cuda:\n"
        "    model.cuda()\n\n    def to_gpu(t):\n        return t.cuda(1)\n"
    )
    result = run(ScriptDevice, source, unsafe=True, facts=RUN)
    assert "    model.to(device)\n" in result.code
    assert "        return t.cuda(1)\n" in result.code
    assert any("`.cuda(i)` left as is" in finding.message for finding in result.findings)


# The ninth round's inputs for lines no test reached: a lambda in a guard's body (its move is
# left to the unguarded moves' pass), a script with no import to put `device` after, a GPU number
# computed by a call (no name it is read from): the whole outcome.
@pytest.mark.parametrize(
    "before, after, records",
    [
        pytest.param(
            """
            import torch

            use_cuda = torch.cuda.is_available()
            if use_cuda:
                x = x.cuda()
                f = lambda t: t.cuda()
            """,
            """
            import torch

            use_cuda = torch.cuda.is_available()
            device = torch.device("cuda" if use_cuda else "cpu")
            if use_cuda:
                x = x.to(device)
                f = lambda t: t.to(device)
            """,
            [
                Edit('TU304', 3, 0, 'one `device` from the switch `use_cuda`', Safety.SAFE),
                Edit('TU304', 4, 0, '`.cuda()` under `if use_cuda:` -> `.to(device)`', Safety.SAFE),
                Edit('TU304', 6, 18, 'unguarded `.cuda()` -> `.to(device)`: CUDA when the switch or machine has it, else CPU', Safety.UNSAFE),
            ],
            id='a-lambda-under-the-guard-moves-as-unguarded-code',
        ),
        pytest.param(
            """
            parser.add_argument("--cuda", action="store_true")
            model.cuda()
            """,
            """
            parser.add_argument("--cuda", action="store_true")
            model.cuda()
            """,
            [
                Finding('TU304', 2, 0, "`.cuda()` left as is: unguarded, or under a test no GPU switch of torchup's decides; choose one `device` and use `.to(device)`", False),
            ],
            id='unguarded-moves-in-a-file-without-imports-are-reported',
        ),
        pytest.param(
            """
            import torch

            parser.add_argument("--gpu_ids", type=str)
            if len(opt.gpu_ids) > 0:
                net.cuda(ids()[0])
            """,
            """
            import torch

            parser.add_argument("--gpu_ids", type=str)
            if len(opt.gpu_ids) > 0:
                net.cuda(ids()[0])
            """,
            [
                Finding('TU304', 5, 4, '`.cuda(i)` left as is: it names a GPU by index (`opt.gpu_ids[0]`, `args.gpu`); use `.to(torch.device("cuda", i))` or one `device` chosen where the index is', False),
            ],
            id='a-gpu-number-not-read-from-a-name-is-no-numbered-guard',
        ),
    ],
)
def test_the_whole_outcome_of_rarer_guards_and_moves(before, after, records):
    result = rewrite(ScriptDevice, before, after, unsafe=True)
    assert [*result.edits, *result.findings] == records
