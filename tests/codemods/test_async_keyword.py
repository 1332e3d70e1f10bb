import pytest
from codemod_harness import dedent, rewrite, run, unchanged

from torchup.codemods.async_keyword import AsyncKeyword
from torchup.pipeline import Failure, migrate_source


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            """
            for i, (x, y) in enumerate(loader):
                x = x.cuda(async=True)
                y = y.cuda(device=0, async=True)
            """,
            """
            for i, (x, y) in enumerate(loader):
                x = x.cuda(non_blocking=True)
                y = y.cuda(device=0, non_blocking=True)
            """,
            id="training-loop",
        ),
        pytest.param(
            "h = h.to(device, async = True)  # pinned\n",
            "h = h.to(device, non_blocking = True)  # pinned\n",
            id="to-with-comment",
        ),
    ],
)
def test_rewrites(before, after):
    result = rewrite(AsyncKeyword, before, after)
    assert {edit.code for edit in result.edits} == {"TU303"}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("x = x.cuda(non_blocking=True)\n", id="already-modern"),
        pytest.param("msg = 'call .cuda(async=True)'\n", id="in-a-string"),
        pytest.param("async def load():\n    return 1\n", id="async-def"),
    ],
)
def test_lookalikes_unchanged(source):
    unchanged(AsyncKeyword, source)


def test_edit_reports_the_line():
    result = run(AsyncKeyword, "a = 1\nb = a.cuda(async=True)\n")
    assert [(edit.line, edit.column) for edit in result.edits] == [(2, 11)]


def test_not_selected_means_unparseable_not_half_migrated():
    result = migrate_source(dedent("x = x.cuda(async=True)\n"), [])
    assert isinstance(result, Failure)
    assert result.kind == "parse" and "TU303" in result.message and result.line == 1


# The rename's two ways: the parser confirms the pattern's finds when it can, the tokenizer
# decides otherwise; both must rename exactly the same places.
PARSER_CONFIRMS = [
    "x.cuda(async=True)\n",
    "a, b = x.cuda(async=True), y.cuda(async=False)\n",  # two on one line: the second shifts
    "é = f('é', async=True)\n",  # columns in characters, `ast` counts bytes
    "f(\n    x,\n    async  # why\n    =True,\n)\n",
    "def move(x, async=False):\n    return x.cuda(async=True)\n",
    "x.cuda(async=True)\r\ny.cuda(async=True)\r\n",
]
TOKENIZER_DECIDES = [
    "s = 'async=True'\nx.cuda(async=True)\n",  # a string the pattern finds too
    "def move(x, async=False):\n    return x.cuda(async=async)\n",  # the value stays: no parse
    "s = 'x.cuda(async=True)'\n",  # only in a string: renamed, it parses, but no keyword is there
    "# x.cuda(async=True)\nx = 1\n",
    "f = lambda x, async=1: x\n",  # no brackets: the tokenizer leaves it, so must the parser
    "async = 3\n",
    "print 'x'\nx.cuda(async=True)\n",  # Python 2: nothing parses
    "x.cuda(async=True)\ry.cuda(async=True)\r",  # lone carriage returns
    "x.cuda(async=True)\n\x0c\ny.cuda(async=True)\n",  # a form feed
]


def _tokenizer_only(source, monkeypatch):
    from torchup import parsing

    with monkeypatch.context() as patched:
        patched.setattr(parsing, "_confirmed_by_the_parser", lambda source, offsets: None)
        return parsing.replace_async_keyword(source)


@pytest.mark.parametrize("source", PARSER_CONFIRMS + TOKENIZER_DECIDES)
def test_the_parser_renames_what_the_tokenizer_renames(source, monkeypatch):
    from torchup import parsing

    offsets = [found.start() for found in parsing._ASYNC_KEYWORD.finditer(source)]
    confirmed = parsing._confirmed_by_the_parser(source, offsets)
    expected = _tokenizer_only(source, monkeypatch)
    if source in PARSER_CONFIRMS:
        assert confirmed == expected and expected.positions
    else:
        assert confirmed is None
    assert parsing.replace_async_keyword(source) == expected
