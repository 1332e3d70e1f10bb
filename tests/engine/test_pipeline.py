from codemod_harness import dedent

from torchup import registry
from torchup.pipeline import Failure, LineMap, migrate_source


def test_line_map_follows_inserted_and_deleted_lines():
    before = "a\nb\nc\nd\n"
    after = "a\nc\nX\nY\nd\n"  # b deleted, X and Y inserted
    mapped = LineMap.identity().after(before, after)
    assert [mapped(line) for line in range(1, 6)] == [1, 3, 4, 4, 4]
    again = mapped.after(after, "a\nc\nX\nY\nd\nZ\n")
    assert again(5) == 4 and again(2) == 3


def test_line_map_keeps_each_line_of_a_replaced_block():
    # two consecutive lines both rewritten (TU101 in crf): the second must not map to the first
    before = "a\nV(b)\nV(c)\nd\n"
    after = "a\nb\nc\nd\n"
    mapped = LineMap.identity().after(before, after)
    assert [mapped(line) for line in range(1, 5)] == [1, 2, 3, 4]
    shorter = LineMap.identity().after("a\nb\nc\nd\ne\n", "a\nX\ne\n")  # 3 lines -> 1
    assert [shorter(line) for line in range(1, 4)] == [1, 2, 5]
    longer = LineMap.identity().after("a\nb\nc\n", "a\nX\nY\nc\n")  # 1 line -> 2: both are line 2's
    assert [longer(line) for line in range(1, 5)] == [1, 2, 2, 3]


def test_line_map_of_a_region_that_grew_or_shrank_follows_the_lines_themselves():
    # An import dropped right above a rewritten line: the line is still its own, not the import's.
    dropped = LineMap.identity().after("a\nfrom x import V\ny = f(V(z))\nb\n", "a\ny = f(z)\nb\n")
    assert [dropped(line) for line in range(1, 4)] == [1, 3, 4]
    # A `with` inserted above indented lines (TU102): each keeps its line, the new one is the first's.
    wrapped = LineMap.identity().after(
        "def f():\n    x = V(z, volatile=True).view(1)\n    if g:\n        x = x.cuda()\n",
        "def f():\n    with torch.no_grad():\n        x = z.view(1)\n        if g:\n            x = x.cuda()\n",
    )
    assert [wrapped(line) for line in range(1, 6)] == [1, 2, 2, 3, 4]
    # Nothing alike: by position from the region's top, as before.
    unlike = LineMap.identity().after("a\nb\nc\nd\ne\n", "a\nX\ne\n")
    assert [unlike(line) for line in range(1, 4)] == [1, 2, 5]


def test_records_of_later_codemods_point_at_the_original_lines():
    # TU101 drops line 2 (the Variable import) before TU404 looks at the softmax on line 6
    source = dedent(
        """
        import torch
        from torch.autograd import Variable
        import torch.nn.functional as F

        x = Variable(torch.zeros(3))
        y = F.softmax(x)
        """
    )
    result = migrate_source(source, list(registry.all_codemods().values()))
    assert not isinstance(result, Failure)
    lines = {record.code: record.line for record in result.records}
    assert lines["TU101"] == 5 and lines["TU404"] == 6


def test_a_crashing_codemod_is_an_internal_failure_not_a_crash():
    from torchup.codemod import Codemod

    class Broken(Codemod):
        CODE = "TU999"
        NAME = "broken"
        MARKERS = ("x",)

        def leave_Name(self, original, updated):
            raise RuntimeError("boom")

    try:
        result = migrate_source("x = 1\n", [Broken])
    finally:
        from torchup.codemod import _REGISTRY

        _REGISTRY.pop("TU999", None)
    assert isinstance(result, Failure) and result.kind == "internal" and "boom" in result.message


def test_an_unsafe_edit_without_unsafe_fixes_is_a_finding_that_says_a_fix_exists():
    from torchup.records import Edit, Finding, Settings

    source = "import torch\nok = type(x) == torch.DoubleTensor\n"
    codemods = [registry.get("TU422")]
    declined = migrate_source(source, codemods, Settings(unsafe_fixes=False))
    assert not isinstance(declined, Failure) and declined.code == source
    [finding] = declined.records
    assert isinstance(finding, Finding) and finding.fix_available and (finding.line, finding.column) == (2, 5)
    assert finding.message.endswith("(unsafe fix: use --unsafe-fixes)")
    applied = migrate_source(source, codemods, Settings(unsafe_fixes=True))
    assert [type(record) for record in applied.records] == [Edit] and "isinstance(x, torch.DoubleTensor)" in applied.code
