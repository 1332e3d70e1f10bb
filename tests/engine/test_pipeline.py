from dataclasses import replace

from codemod_harness import dedent

from torchup import registry
from torchup.pipeline import Failure, LineMap, migrate_source
from torchup.records import Finding, Safety, Settings


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


def _migrate_with_a_crashing_codemod(code: str):
    """``x = 1`` migrated by a codemod (registered as ``code`` for the run) that raises on a name."""
    from torchup.codemod import _REGISTRY, Codemod

    class Broken(Codemod):
        CODE = code
        NAME = "broken"
        MARKERS = ("x",)

        def leave_Name(self, original, updated):
            raise RuntimeError("boom")

    try:
        return migrate_source("x = 1\n", [Broken])
    finally:
        _REGISTRY.pop(code, None)


def test_a_crashing_codemod_is_an_internal_failure_not_a_crash():
    result = _migrate_with_a_crashing_codemod("TU999")
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
    assert [record.safety for record in applied.records] == [Safety.UNSAFE]  # applied, still unsafe


def test_each_applied_edit_keeps_its_own_safety():
    source = "import torch\nfrom torch.autograd import Variable\nx = torch.FloatTensor(2, 3)\ny = Variable(x)\n"
    applied = migrate_source(source, [registry.get("TU101"), registry.get("TU401")], Settings(unsafe_fixes=True))
    assert not isinstance(applied, Failure)
    assert [(r.code, r.safety) for r in applied.records] == [("TU401", Safety.UNSAFE), ("TU101", Safety.SAFE)]


def test_an_unsafe_edit_left_out_keeps_the_safe_edits_made_inside_it():
    # TU401 and TU403 run in one pass: TU403's `F.interpolate` is made inside the call that
    # TU401 may only rewrite unsafely; without --unsafe-fixes the call stays, with the inner edit.
    source = "import torch\nimport torch.nn.functional as F\ny = torch.FloatTensor(2, int(F.upsample(x, scale_factor=2).sum()))\n"
    codemods = [registry.get("TU401"), registry.get("TU403")]
    declined = migrate_source(source, codemods, Settings(unsafe_fixes=False))
    assert not isinstance(declined, Failure)
    assert declined.code == source.replace("F.upsample", "F.interpolate")
    assert [(type(r).__name__, r.code) for r in declined.records] == [("Finding", "TU401"), ("Edit", "TU403")]
    applied = migrate_source(source, codemods, Settings(unsafe_fixes=True))
    assert "torch.empty(2, int(F.interpolate(x, scale_factor=2).sum())" in applied.code


def test_records_on_one_line_are_listed_by_column_not_by_code():
    # TU404's softmax starts at column 4, TU101's Variable at column 14 of the same line.
    source = dedent(
        """
        import torch.nn.functional as F
        from torch.autograd import Variable

        y = F.softmax(Variable(x))
        """
    )
    result = migrate_source(source, list(registry.all_codemods().values()))
    assert not isinstance(result, Failure)
    assert [(record.code, record.line, record.column) for record in result.records] == [
        ("TU404", 4, 4),
        ("TU101", 4, 14),
    ]


def test_one_list_of_codemods_serves_files_with_different_legacy():
    # A caller migrating file after file with the same codemod list: the second file's prefilter
    # must look at the second file's text, not at the first's.
    codemods = [registry.get("TU101"), registry.get("TU404")]
    first = migrate_source("from torch.autograd import Variable\ny = Variable(x)\n", codemods)
    second = migrate_source("import torch.nn.functional as F\ny = F.softmax(x)\n", codemods)
    assert not isinstance(first, Failure) and not isinstance(second, Failure)
    assert [record.code for record in first.records] == ["TU101"]
    assert [record.code for record in second.records] == ["TU404"]


def test_a_later_pass_record_on_a_rewritten_line_below_a_dropped_import_keeps_its_line():
    source = dedent(
        """
        import torch.nn.functional as F
        from torch.autograd import Variable
        y = F.softmax(Variable(x))
        """
    )
    result = migrate_source(source, list(registry.all_codemods().values()))
    assert not isinstance(result, Failure)
    assert {record.code: record.line for record in result.records} == {"TU101": 3, "TU404": 3}


def test_volatile_through_a_variable_wrapper_is_folded_after_the_wrapper_is_inlined():
    # TU101 inlines the file's own `Variable` wrapper; TU102 must plan on that code, in the next
    # pass: planned on the code as read, the `volatile=True` stays, silently ignored by torch 2.
    source = dedent(
        """
        import torch
        import torch.autograd as autograd

        USE_CUDA = torch.cuda.is_available()
        Variable = lambda *args, **kwargs: autograd.Variable(*args, **kwargs).cuda() if USE_CUDA else autograd.Variable(*args, **kwargs)


        def act(model, state):
            state = Variable(torch.from_numpy(state), volatile=True)
            return model(state)
        """
    )
    result = migrate_source(source, list(registry.all_codemods().values()), Settings(unsafe_fixes=True))
    assert not isinstance(result, Failure)
    assert "volatile" not in result.code and "Variable" not in result.code
    assert "    with torch.no_grad():\n        state = torch.from_numpy(state).to(device)\n" in result.code
    again = migrate_source(result.code, list(registry.all_codemods().values()), Settings(unsafe_fixes=True))
    assert not isinstance(again, Failure) and again.code == result.code


def test_the_edits_of_every_pass_reach_the_code():
    # One edit per pass: TU101, then TU102, then TU301, then TU403 (the last pass).
    source = dedent(
        """
        import torch
        import torch.nn as nn
        from torch.autograd import Variable


        def predict(model, x):
            x = Variable(x, volatile=True)
            return model(x)


        class Net(nn.Module):
            def init_hidden(self, x):
                nn.init.xavier_uniform(self.w)
                h = Variable(torch.zeros(1, x.size(0), self.hidden_size))
                if self.use_cuda:
                    h = h.cuda()
                return h
        """
    )
    codemods = list(registry.all_codemods().values())
    result = migrate_source(source, codemods, Settings(unsafe_fixes=True))
    assert not isinstance(result, Failure)
    assert {"TU101", "TU102", "TU301", "TU403"} <= {record.code for record in result.edits}
    assert "Variable" not in result.code and "volatile" not in result.code and ".cuda()" not in result.code
    assert "    with torch.no_grad():\n        return model(x)\n" in result.code
    assert "nn.init.xavier_uniform_(self.w)\n        h = torch.zeros(1, x.size(0), self.hidden_size, device=x.device)\n        return h\n" in result.code
    again = migrate_source(result.code, codemods, Settings(unsafe_fixes=True))
    assert not isinstance(again, Failure) and again.code == result.code


def test_a_record_without_a_line_keeps_none_after_an_earlier_pass_edited():
    # Line 0 is a node a codemod made (no place in the file): the reports leave its line out.
    mapped = LineMap.identity().after("a\nb\nc\n", "a\nX\nY\nc\n")
    finding = Finding("TU404", 0, 0, "made here")
    assert mapped(0) == 0 and mapped.apply(finding).line == 0
    assert mapped.apply(replace(finding, line=4)).line == 3


def test_async_keyword_without_tu303_selected_is_a_parse_failure_not_a_silent_rename():
    source = "import torch\nfrom torch.autograd import Variable\ny = Variable(x).cuda(async=True)\n"
    result = migrate_source(source, [registry.get("TU101")])
    assert isinstance(result, Failure) and result.kind == "parse"
    assert (result.line, result.column) == (3, 21) and "TU303" in result.message
    both = migrate_source(source, [registry.get("TU101"), registry.get("TU303")])
    assert not isinstance(both, Failure) and "y = x.cuda(non_blocking=True)" in both.code


def test_a_file_whose_only_edit_is_the_async_rename_records_it_in_the_single_pass():
    # No `Variable`: the codemods run in one pass first, which edits nothing here. The rename
    # the parser's pre-pass made is still the file's one change, and must be recorded.
    source = dedent(
        """
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def forward(self, x):
                return x.data[0]

        model = torch.load(path)
        x = y.cuda(async=True)
        """
    )
    result = migrate_source(source, list(registry.all_codemods().values()))
    assert not isinstance(result, Failure)
    assert result.code == source.replace("async=", "non_blocking=")
    assert [(record.code, record.line) for record in result.edits] == [("TU303", 9)]
    assert {record.code for record in result.findings} == {"TU103", "TU405"}


def test_a_noqa_that_silences_a_later_pass_below_a_dropped_import_is_in_use():
    # TU101 drops the import on line 2, so the later pass reads TU404's call on line 3; the
    # `# noqa` on line 4 of the file silenced it, and --show-unused-noqa must not call it unused.
    source = dedent(
        """
        import torch.nn.functional as F
        from torch.autograd import Variable
        x = Variable(t)
        y = F.softmax(x)  # noqa: TU404
        """
    )
    result = migrate_source(source, list(registry.all_codemods().values()), Settings(show_unused_noqa=True))
    assert not isinstance(result, Failure)
    assert [record.code for record in result.records] == ["TU101"], result.records
    assert [(record.code, record.line) for record in result.suppressed] == [("TU404", 4)]


def test_async_alone_is_worth_parsing_only_for_tu303():
    from torchup.pipeline import needs_parsing

    # `qr` (a TU420 marker) in `sqrt` is a look-alike its pattern rejects: with TU303 ignored,
    # nothing here is for the selected codemods, and the file is skipped rather than reported
    # unparsable (`async=` is a SyntaxError only TU303 would mend).
    source = "import math\ny = math.sqrt(f(async=True))\n"
    others = [cls for code, cls in registry.all_codemods().items() if code != "TU303"]
    assert not needs_parsing(others, source)
    assert needs_parsing([*others, registry.get("TU303")], source)


def test_line_map_clips_lines_past_the_rewritten_texts_end():
    # A line appended after the last maps to the last line of the source, and so does a record
    # past the end of the text it was made on.
    appended = LineMap.identity().after("a\nb\n", "a\nb\nc\n")
    assert [appended(line) for line in range(1, 4)] == [1, 2, 2]
    assert appended(7) == 2
    assert LineMap.identity().after("", "a\n")(1) == 1


def test_line_map_of_a_one_for_one_replacement_goes_by_position_not_likeness():
    # Two lines rewritten into each other's look: each new line is still its own old line's.
    mapped = LineMap.identity().after("a\np = V(a)\nq = V(b)\nz\n", "a\nq = b\np = a\nz\n")
    assert [mapped(line) for line in range(1, 5)] == [1, 2, 3, 4]


def test_line_map_of_a_shrunk_region_takes_the_first_of_two_like_lines():
    # `y = z.V()` is as like each of the two old lines (and its characters, out of order, more
    # like them than the order shows): the first of them is its line.
    for new in ("y = z", "y = z.V()"):
        mapped = LineMap.identity().after("a\ny = V(z)\ny = V(z)\nb\n", f"a\n{new}\nb\n")
        assert [mapped(line) for line in range(1, 4)] == [1, 2, 4]


def test_a_finding_is_also_a_libcst_warning_naming_its_code_and_line():
    # Under `python -m libcst.tool codemod` the warnings are what a person sees of a finding.
    import libcst as cst
    from libcst.codemod import CodemodContext

    context = CodemodContext()
    registry.get("TU405")(context).transform_module(cst.parse_module("import torch\nmodel = torch.load(path)\n"))
    assert len(context.warnings) == 1
    assert context.warnings[0].startswith("TU405 line 2: `torch.load` without `weights_only=`: since PyTorch 2.6")


def test_an_internal_error_says_where_it_was_raised():
    import re

    result = _migrate_with_a_crashing_codemod("TU998")
    assert isinstance(result, Failure) and (result.line, result.column) == (0, 0)
    assert re.fullmatch(r"internal error \(RuntimeError: boom at test_pipeline\.py:\d+\)", result.message), result.message


def test_async_keyword_without_tu303_points_at_the_first_one():
    source = "import torch\nx = y.cuda(async=True)\nz = w.cuda(async=True)\n"
    result = migrate_source(source, [registry.get("TU405")])
    assert result == Failure(
        "parse",
        2,
        11,
        "`async=` keyword argument is a SyntaxError since Python 3.7 (TU303 renames it to `non_blocking=`, but it is not selected)",
    )


def test_a_noqa_in_a_file_the_single_pass_serves_is_in_use():
    # No `Variable`: one pass of every codemod first, which edits nothing (the `async=` rename is
    # the parser's). The `# noqa` it honoured is in use, not reported unused.
    source = "import torch\nmodel = torch.load(path)  # noqa: TU405\nx = y.cuda(async=True)\n"
    result = migrate_source(source, list(registry.all_codemods().values()), Settings(show_unused_noqa=True))
    assert not isinstance(result, Failure)
    assert [(record.code, record.line) for record in result.records] == [("TU303", 3)]
    assert [(record.code, record.line) for record in result.suppressed] == [("TU405", 2)]
