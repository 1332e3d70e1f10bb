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
