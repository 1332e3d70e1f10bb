import pytest
from codemod_harness import rewrite, run, unchanged

from torchup.codemod import Safety
from torchup.codemods.embedding_backend import EmbeddingBackend

EMBEDDED_DROPOUT = """
    import torch
    import torch.nn.functional as F

    def drop_rows(table, tokens, p=0.1):
        keep = table.weight.new_empty((table.weight.size(0), 1)).bernoulli_(1 - p) / (1 - p)
        weight = keep * table.weight
        pad = table.padding_idx
        if pad is None:
            pad = -1
        rows = table._backend.Embedding.apply(tokens, weight,
            pad, table.max_norm, table.norm_type,
            table.scale_grad_by_freq, table.sparse
        )
        return rows
    """


def test_embedded_dropout_calls_the_public_function():
    after = EMBEDDED_DROPOUT.replace("table._backend.Embedding.apply(", "F.embedding(").replace(
        "            pad, table.max_norm", "            None if pad == -1 else pad, table.max_norm"
    )
    result = rewrite(EmbeddingBackend, EMBEDDED_DROPOUT, after, unsafe=True)
    [edit] = result.edits
    assert (edit.line, edit.safety) == (10, Safety.UNSAFE)


@pytest.mark.parametrize(
    "padding, written",
    [
        pytest.param("-1", "None", id="literal-minus-one"),
        pytest.param("0", "0", id="row-zero"),
        pytest.param("None", "None", id="none"),
        pytest.param("self.pad", "None if self.pad == -1 else self.pad", id="attribute"),
    ],
)
def test_padding_index_keeps_the_backend_meaning(padding, written):
    rewrite(
        EmbeddingBackend,
        f"import torch\ny = e._backend.Embedding.apply(w, e.weight, {padding}, None, 2, False, False)\n",
        f"import torch\ny = torch.nn.functional.embedding(w, e.weight, {written}, None, 2, False, False)\n",
        unsafe=True,
    )


def test_input_and_weight_alone_are_rewritten():
    # The rest of F.embedding's arguments keep their defaults (padding_idx=None: no -1 to map).
    rewrite(
        EmbeddingBackend,
        "import torch\ny = e._backend.Embedding.apply(w, e.weight)\n",
        "import torch\ny = torch.nn.functional.embedding(w, e.weight)\n",
        unsafe=True,
    )


def test_without_unsafe_fixes_it_is_offered():
    [finding] = unchanged(EmbeddingBackend, EMBEDDED_DROPOUT, unsafe=False).findings
    assert finding.fix_available and finding.line == 10


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch\ny = e._backend.Embedding.apply(w, e.weight, pad_for(e))\n", id="unknown-padding"),
        pytest.param("import torch\ny = e._backend.Embedding.apply(w, weight=e.weight)\n", id="keyword"),
        pytest.param("import torch\ny = e._backend.Embedding.apply(w, e.weight, -2)\n", id="other-negative-padding"),
        pytest.param("import torch\ny = e._backend.Embedding.apply(w, e.weight, -pad)\n", id="negated-name-padding"),
        pytest.param("import torch\ny = e._backend.Embedding.apply(w, e.weight, -pad_of(e))\n", id="negated-call-padding"),
        pytest.param("import torch\ny = e._backend.Embedding.apply(w, e.weight, pads[0])\n", id="subscript-padding"),
        pytest.param("y = e._backend.Embedding.apply(w, e.weight)\n", id="no-torch-import"),
    ],
)
def test_what_cannot_be_rewritten_is_reported(source):
    [finding] = unchanged(EmbeddingBackend, source).findings
    assert not finding.fix_available and "_backend.Embedding.apply" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import torch.nn.functional as F\ny = F.embedding(w, weight)\n", id="modern"),
        pytest.param("y = self._backend.Linear.apply(x)\n", id="other-backend-function"),
        pytest.param("y = Embedding.apply(x, w)\n", id="autograd-function-named-embedding"),
    ],
)
def test_look_alikes_are_left_alone(source):
    assert not unchanged(EmbeddingBackend, source).findings


def test_the_rewrite_runs_and_matches_the_old_gradient():
    torch = pytest.importorskip("torch")
    embed = torch.nn.Embedding(5, 3)
    words = torch.tensor([[0, 4], [4, 1]])
    namespace = {}
    code = run(EmbeddingBackend, EMBEDDED_DROPOUT, unsafe=True).code
    exec(compile(code, "embedded.py", "exec"), namespace)
    torch.manual_seed(0)
    namespace["drop_rows"](embed, words).sum().backward()
    # The backend's -1 meant "no padding row": the last row (index 4) gets its gradient.
    assert embed.weight.grad[4].abs().sum() > 0
