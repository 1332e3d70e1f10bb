import pytest
from codemod_harness import codes, dedent, rewrite, run, unchanged

from torchup.codemods.data_index import DataIndex


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            total_loss += loss.data[0]
            print('loss %.3f' % self.test_loss.data[0])
            """,
            """
            total_loss += loss.item()
            print('loss %.3f' % self.test_loss.item())
            """,
            id="names-ending-in-loss",
        ),
        pytest.param(
            """
            import torch as th

            a = criterion(out, y).data[0]
            b = F.nll_loss(out, y).data[0]
            c = (out - y).pow(2).sum().data[0]
            d = th.mean(x).data[0]
            e = u.dot(v).data[0] * 2
            """,
            """
            import torch as th

            a = criterion(out, y).item()
            b = F.nll_loss(out, y).item()
            c = (out - y).pow(2).sum().item()
            d = th.mean(x).item()
            e = u.dot(v).item() * 2
            """,
            id="loss-calls-and-full-reductions",
        ),
        pytest.param(
            """
            def step(output, label):
                errD_real = criterion(output, label)
                errD = errD_real + 0.5 * criterion(output, label)
                y = (output ** 2).sum()
                print(errD.data[0], y.data[0])
            """,
            """
            def step(output, label):
                errD_real = criterion(output, label)
                errD = errD_real + 0.5 * criterion(output, label)
                y = (output ** 2).sum()
                print(errD.item(), y.item())
            """,
            id="names-assigned-only-scalars",
        ),
        pytest.param(
            "val = (loss.data[0])\n",
            "val = (loss.item())\n",
            id="parenthesised",
        ),
        pytest.param(
            "def step():\n    return loss.data.cpu()[0]\n",
            "def step():\n    return loss.cpu().item()\n",
            id="moved-after-data-ignite",
        ),
        pytest.param(
            "a = loss.data.cuda(0).detach()[0]\nb = criterion(o, y).data.clone().double()[0]\nc = loss.cpu().data[0]\n",
            "a = loss.cuda(0).detach().item()\nb = criterion(o, y).clone().double().item()\nc = loss.cpu().item()\n",
            id="moves-copies-and-casts-keep-a-loss-one-number",
        ),
    ],
)
def test_safe_rewrites(before, after):
    result = rewrite(DataIndex, before, after)
    assert result.edits and set(codes(result.edits)) == {"TU103"}
    assert not result.findings


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("d = out.data[0]\n", "d = out.item()\n", id="unknown-tensor"),
        pytest.param("m = x.sum(1).data[0]\n", "m = x.sum(1).item()\n", id="reduction-with-dim"),
        pytest.param("h = loss_history.data[0]\n", "h = loss_history.item()\n", id="name-starting-with-loss"),
        pytest.param("h = self.losses.data[0]\n", "h = self.losses.item()\n", id="attribute-losses"),
        pytest.param("f = np.sum(x).data[0]\n", "f = np.sum(x).item()\n", id="numpy-sum"),
        pytest.param("d = out.data.cpu()[0]\n", "d = out.cpu().item()\n", id="unknown-tensor-moved"),
        pytest.param("d = (a + b).data.cpu()[0]\n", "d = (a + b).cpu().item()\n", id="parenthesised-moved"),
        pytest.param(
            "y = x.sum()\nfor y in ys:\n    v = y.data[0]\n",
            "y = x.sum()\nfor y in ys:\n    v = y.item()\n",
            id="name-also-a-loop-target",
        ),
        pytest.param(
            "y = x.sum()\ny = x * 2\nv = y.data[0]\n",
            "y = x.sum()\ny = x * 2\nv = y.item()\n",
            id="name-also-a-vector",
        ),
    ],
)
def test_other_tensors_need_unsafe_fixes(before, after):
    declined = unchanged(DataIndex, before, unsafe=False)
    assert [f.fix_available for f in declined.findings] == [True]
    assert "x[0].item()" in declined.findings[0].message
    rewrite(DataIndex, before, after, unsafe=True)


def test_a_safe_rewrite_inside_a_declined_one_is_kept():
    # The outer `.data[0]` is of a call's result (unsafe: maybe a vector); without --unsafe-fixes
    # it stays, but the loss inside it, read safely, is still rewritten.
    declined = rewrite(DataIndex, "w = f(loss.data[0]).data[0]\n", "w = f(loss.item()).data[0]\n")
    assert [(type(r).__name__, r.column) for r in declined.records] == [("Finding", 4), ("Edit", 6)]
    assert declined.findings[0].fix_available


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("h = loss.data.item()\nv = loss.item()\n", id="already-modern"),
        pytest.param("h = loss.data.cpu().sum()\nv = loss.data.cpu().item()\n", id="moved-then-no-index"),
        pytest.param("first = p.data.view(-1)[0]\nsecond = p.data.cpu()[1]\n", id="not-a-move-or-not-zero"),
        pytest.param(
            "class Dataset:\n    def first(self):\n        return self.data.cpu()[0]\n", id="own-field-moved"
        ),
        pytest.param("w = p.data\nn = p.data.norm()\nfirst = p.data[1]\n", id="plain-data-reads"),
        pytest.param(
            """
            class Dataset:
                def __getitem__(self, i):
                    return self.data[0]
            """,
            id="own-field-named-data",
        ),
        pytest.param("s = 'loss.data[0]'  # loss.data[0]\n", id="string-and-comment"),
        pytest.param(
            'out.data["pixel_values"] = pixels\nout.data["mask"] += 1\nout.data["ids"].fill_(0)\n',
            id="mapping-keyed-by-string",
        ),
        pytest.param(
            "w.data = w.data.half()\nv.data = v.data.to(device)\nu.data = u.data.type_as(x)\n",
            id="new-dtype-or-device",
        ),
    ],
)
def test_look_alikes_unchanged(source):
    result = unchanged(DataIndex, source)
    assert not result.findings


def test_in_place_edits_are_reported():
    source = """
        for p in model.parameters():
            p.data.add_(-lr, p.grad.data)
        w.data.mul_(0.9)
        x.data.zero_()
        mask.data[:, 0].fill_(0)
        x.data[0] = 1
        x.data += 1
        e = out.data[0][1]
        """
    result = run(DataIndex, source, unsafe=True)
    assert result.code == dedent(source)
    assert [f.line for f in result.findings] == [2, 3, 4, 5, 6, 7, 8]
    assert all("torch.no_grad()" in f.message or "detach()[0]" in f.message for f in result.findings)
    assert "version check" in result.findings[0].message


def test_an_in_place_edit_s_finding_names_the_edit_first_then_what_to_do_instead():
    result = run(DataIndex, "w.data.mul_(0.9)\nx.data[0] = 1\nx.data += 1\n")
    bypasses = "through `.data` bypasses autograd's version check"
    assert [f.message for f in result.findings] == [
        f"in-place `.mul_()` {bypasses}; call it on the tensor itself under `with torch.no_grad():`",
        f"item assignment {bypasses}; assign to the tensor itself under `with torch.no_grad():`",
        f"in-place arithmetic {bypasses}; do it on the tensor itself under `with torch.no_grad():`",
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("a = x.data[0].numpy()\n", id="method-of-the-row"),
        pytest.param("n = out.data[0].shape\n", id="attribute-of-the-row"),
        pytest.param("v = out.data[0][1]\n", id="index-into-the-row"),
    ],
)
def test_a_row_used_as_a_tensor_is_reported_not_read_with_item(source):
    # `x.item().numpy()` would raise: `x.data[0]` here is a row of x, not the 0.3 scalar idiom.
    result = unchanged(DataIndex, source)
    [finding] = result.findings
    assert (finding.line, finding.fix_available) == (1, False)
    assert "`x.detach()[0]`" in finding.message


def test_a_moved_row_used_as_a_tensor_is_reported_with_the_moves():
    [finding] = unchanged(DataIndex, "v = out.data.cuda(dev)[0][1]\n").findings
    assert (finding.line, finding.column, finding.fix_available) == (1, 4, False)
    assert finding.message == (
        "`x.data.cuda(...)[0]` is used as a tensor here: on torch >= 0.4 write `x.detach().cuda(...)[0]`; "
        "in 0.3 indexing on down to one element gave a Python number, now a 0-dim tensor"
    )


def test_a_moved_reading_names_its_moves():
    safe = run(DataIndex, "v = loss.data.cpu()[0]\n")
    assert [(e.line, e.column, e.message, e.safety.name) for e in safe.edits] == [
        (1, 4, "`x.data.cpu()[0]` -> `x.cpu().item()` (a loss is 0-dim since PyTorch 0.4)", "SAFE")
    ]
    declined = run(DataIndex, "v = out.data.cpu()[0]\n")
    assert [f.message for f in declined.findings] == [
        "`x.data.cpu()[0]` -> `x.cpu().item()` if x holds one number (the 0.3 scalar idiom); for a tensor "
        "with more elements use `x[0].item()` (1-dim) or `x.detach()[0]` (a row) (unsafe fix: use --unsafe-fixes)"
    ]


def test_a_moved_reading_matches_the_legacy_one_in_torch():
    torch = pytest.importorskip("torch")
    loss = torch.nn.functional.mse_loss(torch.ones(3), torch.zeros(3))
    with pytest.raises(IndexError):
        loss.data.cpu()[0]  # what ignite's 0.3 trainer returns: silent before, raises now
    assert loss.cpu().item() == 1.0
    legacy = torch.tensor([2.5])  # a 0.3 loss: one element, 1-dim
    assert legacy.data.cpu()[0] == legacy.cpu().item() == 2.5
    assert legacy.data.clone().double()[0] == legacy.clone().double().item()


@pytest.mark.parametrize(
    "assignment",
    [
        pytest.param("w.data = w.data.T\n", id="transposed"),
        pytest.param("self.conv.weight.data = kernel\n", id="re-parametrised"),
        pytest.param("old.weight.data = new.weight.data\n", id="shared-storage"),
        pytest.param("w.data = w.data.half()\n", id="new-dtype"),
    ],
)
def test_data_assignment_is_not_reported(assignment):
    # Supported API with no equivalent edit (see the test below), used on purpose by modern code.
    result = unchanged(DataIndex, assignment)
    assert not result.findings


def test_data_assignment_does_what_copy_and_set_cannot():
    torch = pytest.importorskip("torch")
    w = torch.nn.Parameter(torch.arange(6.0).view(2, 3))
    held = w  # what an optimizer holds
    with pytest.raises(RuntimeError):
        with torch.no_grad():
            w.copy_(w.T)  # copy_ cannot change the shape
    with torch.no_grad():
        w.set_(w.T.contiguous())
    assert held is w and w.shape == (3, 2) and w.requires_grad
    with pytest.raises(RuntimeError):
        with torch.no_grad():
            w.set_(w.half())  # a new dtype: only `w.data = ...` does it
    w.data = w.data.half()
    assert held.dtype == torch.float16


def test_item_matches_the_legacy_reading_in_torch():
    torch = pytest.importorskip("torch")
    one_element = torch.tensor([2.5])
    # a 1-element tensor: .data[0] is a 0-dim tensor equal to the number .item() returns
    assert one_element.data[0].dim() == 0 and one_element.data[0] == one_element.item() == 2.5
    assert isinstance(one_element.item(), float)
    # a modern loss is 0-dim: the legacy idiom raises, .item() is the only working reading
    loss = torch.nn.functional.mse_loss(torch.ones(3), torch.zeros(3))
    assert loss.dim() == 0 and loss.item() == 1.0
    with pytest.raises(IndexError):
        loss.data[0]
    # several elements: .item() refuses, which is why those rewrites are unsafe
    with pytest.raises(RuntimeError):
        torch.ones(2).item()


def test_in_place_through_data_escapes_the_version_check():
    torch = pytest.importorskip("torch")
    w = torch.ones(3, requires_grad=True)
    y = (w * w).sum()  # saves w for backward
    w.data.mul_(2)  # not seen by autograd
    y.backward()
    assert torch.equal(w.grad, torch.full((3,), 4.0))  # silently computed from the edited w

    w = torch.ones(3, requires_grad=True)
    y = (w * w).sum()
    with torch.no_grad():
        w.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_documented_example_is_what_the_codemod_does():
    from torchup import catalogue

    lines = catalogue.documentation(DataIndex).splitlines()

    def section(name):
        start = lines.index(name) + 1
        end = next(i for i in range(start, len(lines)) if lines[i] in catalogue.SECTIONS)
        return "\n".join(lines[start:end]).strip("\n") + "\n"

    rewrite(DataIndex, section("Before"), section("After"))


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            def evaluate(data_source):
                total_loss = 0
                for data, targets in batches(data_source):
                    total_loss += len(data) * criterion(model(data), targets).data
                return total_loss[0] / len(data_source)
            """,
            """
            def evaluate(data_source):
                total_loss = 0
                for data, targets in batches(data_source):
                    total_loss += len(data) * criterion(model(data), targets).data
                return total_loss.item() / len(data_source)
            """,
            id="weighted-sum-of-criterion-data",
        ),
        pytest.param(
            """
            total = 0.
            for x, y in loader:
                loss = criterion(net(x), y)
                total += loss.data
                total += x.size(0) * loss.data
            print(total[0])
            """,
            """
            total = 0.
            for x, y in loader:
                loss = criterion(net(x), y)
                total += loss.data
                total += x.size(0) * loss.data
            print(total.item())
            """,
            id="module-level-sum",
        ),
    ],
)
def test_sums_of_loss_data_are_read_with_item(before, after):
    result = rewrite(DataIndex, before, after)
    assert codes(result.edits) == ("TU103",)
    assert "sum of `loss.data`" in result.edits[0].message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "total = 0\nfor b in batches:\n    total += out(b).data\nprint(total[0])\n", id="adds-a-tensor-not-a-loss"
        ),
        pytest.param("total = []\ntotal += loss.data\nprint(total[0])\n", id="starts-as-a-list"),
        pytest.param("total = 0\ntotal += loss.data\ntotal *= 2\nprint(total[0])\n", id="other-operator"),
        pytest.param("total = 0\ntotal += n * loss.data\nprint(total[0])\n", id="unknown-factor"),
        pytest.param("def f(total):\n    total += loss.data\n    return total[0]\n", id="a-parameter"),
        pytest.param(
            "def f():\n    total = 0\n    total += loss.data\n\ndef g(total):\n    return total[0]\n",
            id="sum-in-another-function",
        ),
        pytest.param("total = 0\ntotal += loss.data\ntotal[0] = 1\n", id="assigned-not-read"),
        pytest.param("total = 0\ntotal += loss.data\nprint(total[1])\n", id="other-index"),
        pytest.param("total = 0\ntotal += loss.data\nprint(total[0].cpu())\n", id="element-used-as-a-tensor"),
        pytest.param("total = 0\ntotal += loss.data\nprint(total[0][0])\n", id="element-indexed-again"),
    ],
)
def test_look_alike_sums_unchanged(source):
    unchanged(DataIndex, source)


def test_sum_of_loss_data_reads_like_legacy_in_torch():
    torch = pytest.importorskip("torch")
    total = 0
    for value in (1.5, 2.0):
        loss = torch.nn.functional.l1_loss(torch.tensor([value]), torch.zeros(1))
        total += 2 * loss.data
    assert total.dim() == 0 and total.item() == 7.0
    with pytest.raises(IndexError):
        total[0]


def test_prefilter_rejects_a_datasets_own_field():
    assert not DataIndex.may_apply("class D:\n    def __getitem__(self, i):\n        return self.data[i]\n")
    assert not DataIndex.may_apply("class D:\n    def reset(self):\n        self.data = []\n")
    assert DataIndex.may_apply("total += loss.data[0]\n")
    assert DataIndex.may_apply("self.w.data[0] = 1\n")
    assert DataIndex.may_apply("w.data.fill_(0)\n")


@pytest.mark.parametrize(
    "reduction",
    ["x.sum()", "x.mean()", "x.prod()", "x.norm()", "x.std()", "x.var()", "x.max()", "x.min()", "x.median()",
     "a.dot(b)", "torch.norm(x)", "torch.sum(x)", "torch.dot(a, b)"],
)
def test_a_whole_reduction_is_one_number_a_safe_item(reduction):
    source = f"import torch\nv = {reduction}.data[0]\n"
    result = rewrite(DataIndex, source, source.replace(".data[0]", ".item()"))
    assert [e.safety.name for e in result.edits] == ["SAFE"]


_UNSAFE_ITEM = (
    "`x.data[0]` -> `x.item()` if x holds one number (the 0.3 scalar idiom); for a tensor with more elements "
    "use `x[0].item()` (1-dim) or `x.detach()[0]` (a row) (unsafe fix: use --unsafe-fixes)"
)


@pytest.mark.parametrize(
    "source, line",
    [
        # `err` is a criterion's value once, but `:=` binds it to a model's output too.
        pytest.param("err = criterion(o, y)\nif (err := model(x)) is not None:\n    pass\nv = err.data[0]\n", 4, id="walrus"),
        # a reduction over a dim is a vector: its first element is not the whole.
        pytest.param("v = x.sum(1).data[0]\n", 1, id="reduction-over-a-dim"),
    ],
)
def test_a_value_that_may_hold_more_than_one_number_needs_unsafe_fixes(source, line):
    result = run(DataIndex, source)
    assert result.code == source
    assert [(f.code, f.line, f.column, f.message, f.fix_available) for f in result.findings] == [
        ("TU103", line, 4, _UNSAFE_ITEM, True)
    ]


def test_a_name_declared_global_is_no_sum_of_this_function():
    unchanged(DataIndex, "def f():\n    global total\n    total = 0\n    total += loss.data\n    return total[0]\n")


def test_a_float_started_sum_is_read_with_item():
    result = rewrite(
        DataIndex,
        "total = 0.0\nfor b in batches:\n    total += loss.data\nprint(total[0])\n",
        "total = 0.0\nfor b in batches:\n    total += loss.data\nprint(total.item())\n",
    )
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU103", 4, 6, "`total[0]` -> `total.item()`: a sum of `loss.data` is 0-dim since PyTorch 0.4")
    ]


def test_an_f_string_key_and_a_dunder_are_no_in_place_tensor_edits():
    assert not unchanged(DataIndex, 'out.data[f"k{i}"] = v\nw.data.__len__()\n').findings


def test_a_negated_loss_grows_a_sum_too():
    result = rewrite(
        DataIndex,
        "total = 0\nfor b in batches:\n    total += -loss.data\nprint(total[0])\n",
        "total = 0\nfor b in batches:\n    total += -loss.data\nprint(total.item())\n",
    )
    assert [(e.code, e.line, e.column, e.message) for e in result.edits] == [
        ("TU103", 4, 6, "`total[0]` -> `total.item()`: a sum of `loss.data` is 0-dim since PyTorch 0.4")
    ]


@pytest.mark.parametrize(
    "source, moves",
    [
        pytest.param("v = value_loss.data.double().numpy()[0]\n", ".double()", id="trpo-value-loss"),
        pytest.param("v = criterion(o, y).data.cpu().numpy()[0]\n", ".cpu()", id="criterion-moved"),
        pytest.param("v = loss.data.numpy()[0]\n", "", id="no-move"),
    ],
)
def test_a_loss_read_through_numpy_is_reported_not_rewritten(source, moves):
    result = unchanged(DataIndex, source)
    assert [(f.code, f.line, f.column, f.fix_available, f.message) for f in result.findings] == [
        (
            "TU103",
            1,
            4,
            False,
            f"`x.data{moves}.numpy()[0]` raises IndexError on a 0-dim loss (PyTorch >= 0.4): "
            "write `x.item()` (a Python float where 0.3 gave a numpy scalar)",
        )
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("first = im_as_var.data.numpy()[0]\n", id="a-batch-s-first-image"),
        pytest.param("v = loss.data.numpy()\nw = loss.data.numpy(force)[0]\n", id="no-index-or-numpy-arguments"),
        pytest.param("v = loss.cpu().numpy()[0]\n", id="no-data"),
        pytest.param("v = loss.data.view(-1).numpy()[0]\n", id="not-a-move"),
    ],
)
def test_numpy_readings_of_values_not_evidently_one_number_are_left_alone(source):
    assert not unchanged(DataIndex, source).findings


def test_a_loss_read_through_numpy_raises_on_a_0_dim_loss():
    torch = pytest.importorskip("torch")
    loss = torch.nn.functional.mse_loss(torch.ones(3), torch.zeros(3))
    with pytest.raises(IndexError):
        loss.data.double().numpy()[0]
    legacy = torch.tensor([2.5])  # a 0.3 loss: one element
    assert legacy.data.double().numpy()[0] == legacy.item() == 2.5
    assert type(legacy.item()) is float and type(legacy.data.double().numpy()[0]) is not float
