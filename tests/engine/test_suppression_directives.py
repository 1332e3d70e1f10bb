"""How suppression comments are read, directly: which comments are directives, which lines they
cover, and what ``--show-unused-noqa`` says of them."""

from __future__ import annotations

import pytest

from torchup.records import Edit, Finding
from torchup.suppressions import (
    NONE,
    Directive,
    Suppressions,
    directive_of,
    layout,
    may_have_directives,
    suppressions_of,
    unused_noqa,
)


@pytest.mark.parametrize(
    "comment, codes, bare, column",
    [
        ("# noqa: TU101", {"TU101"}, False, 10),
        ("#noqa:TU101,TU202", {"TU101", "TU202"}, False, 10),
        ("# NOQA: tu101 TU202", {"TU101", "TU202"}, False, 10),
        ("# noqa: E501, TU201", {"TU201"}, False, 10),  # other tools' codes are allowed and ignored
        ("# noqa: E501", set(), False, 10),
        ("# noqa", set(), True, 10),
        ("# noqa  # noqa: TU101", {"TU101"}, True, 10),
        ("# type: ignore  # noqa: TU303", {"TU303"}, False, 26),  # where the noqa itself starts
    ],
)
def test_a_noqa_comment_names_its_codes(comment, codes, bare, column):
    assert directive_of(comment, 4, 10) == Directive(4, column, frozenset(codes), bare)


def test_a_comment_without_noqa_is_no_directive():
    assert directive_of("# just a note about TU101", 1, 0) is None
    assert directive_of("# torchup: skip-file", 1, 0) is None


@pytest.mark.parametrize(
    "text, bare, worth",
    [
        ("x = 1\n", False, False),
        ("x = 1  # noqa: F401\n", False, False),  # another tool's code only
        ("x = 1  # noqa: F401\n", True, True),
        ("x = 1  # noqa\n", False, False),
        ("x = 1  # NOQA\n", True, True),
        ("x = 1  # noqa: TU101\n", False, True),
        ("x = 1  # NOQA: E1, TU101\n", False, True),
        ("# torchup: skip-file\n", False, True),
        ("import torchup\n", False, False),
    ],
)
def test_only_texts_that_may_hold_our_directives_are_tokenized(text, bare, worth):
    assert may_have_directives(text, bare_noqa=bare) is worth


def test_file_directives_stand_on_a_line_of_their_own():
    text = "# torchup: noqa: TU101, TU202\nx = 1  # torchup: noqa: TU303\n# TORCHUP: NOQA:tu404\n"
    found = suppressions_of(text)
    assert found.file_codes == {"TU101", "TU202", "TU404"}
    assert not found.file_all and not found.skip_file
    assert found.suppresses("TU101", 99) and found.suppresses("TU404", 1)
    assert not found.suppresses("TU303", 2)  # after code it is no file directive
    everything = suppressions_of("# torchup: noqa\nx = 1\n")
    assert everything.file_all and everything.suppresses("TU999", 5) and everything.any
    assert suppressions_of("x = 1\n# torchup: skip-file\n").skip_file
    assert not suppressions_of("x = 1  # torchup: skip-file\n").skip_file


def test_a_line_directive_covers_its_own_line_and_the_statement_it_ends():
    text = 'x = f(a,\n      b)  # noqa: TU101\ny = """\nline\n"""  # noqa: TU202\nz = 1 + \\\n    2  # noqa: TU303\nw = 0\n'
    found = suppressions_of(text)
    assert found.suppresses("TU101", 2) and not found.suppresses("TU202", 2)
    assert found.suppresses("TU202", 3) and found.suppresses("TU202", 4) and found.suppresses("TU202", 5)
    assert found.suppresses("TU303", 6) and found.suppresses("TU303", 7)
    assert not found.suppresses("TU303", 8) and not found.suppresses("TU101", 8)
    # a bracketed continuation is no backslash or string: its first line keeps no comment of the last
    assert not found.suppresses("TU101", 1)


def test_a_bare_noqa_counts_only_when_asked():
    text = "x = 1  # noqa\n"
    assert not suppressions_of(text).suppresses("TU101", 1)
    assert suppressions_of(text, bare_noqa=True).suppresses("TU101", 1)
    assert Suppressions().any is False and NONE == Suppressions()
    assert Suppressions(lines={1: Directive(1, 0, frozenset(), True)}).any


def test_text_that_does_not_tokenize_has_no_directives():
    assert layout("x = (\n# noqa: TU101\n") is None
    assert suppressions_of("x = (  # noqa: TU101\n") is NONE


def test_layout_lists_comments_and_whether_they_stand_alone():
    found = layout("# head\nx = 1  # tail\n    # indented\n")
    assert found.comments == (("# head", 1, 0, True), ("# tail", 2, 7, False), ("# indented", 3, 4, True))
    assert found.anchors == {}


def test_unused_noqa_names_the_codes_that_kept_nothing_out():
    text = "x = 1  # noqa: TU101, TU202\ny = 2  # noqa: TU303\nz = 3  # noqa\n"
    kept_out = [Edit("TU101", 1, 0, "rewritten"), Finding("TU303", 2, 0, "found")]
    [finding] = unused_noqa(text, {"TU101", "TU202", "TU303"}, kept_out)
    assert finding == Finding("TU000", 1, 7, "unused `noqa` directive: no TU202 edit or finding on this line")
    findings = unused_noqa(text, {"TU101", "TU202", "TU303"})
    assert [(f.line, f.message) for f in findings] == [
        (1, "unused `noqa` directive: no TU101, TU202 edit or finding on this line"),
        (2, "unused `noqa` directive: no TU303 edit or finding on this line"),
    ]
    assert unused_noqa(text, {"TU404"}) == ()  # codes not selected are not judged
    assert unused_noqa("x = 1\n", {"TU101"}) == ()


def test_codes_after_more_than_one_space_make_a_bare_noqa_as_in_flake8():
    # flake8's pattern allows one optional space after the colon; ruff reads it the same way.
    assert directive_of("# noqa:  TU101", 3, 0) == Directive(3, 0, frozenset(), True)
    assert directive_of("# noqa:TU101", 3, 0) == Directive(3, 0, frozenset({"TU101"}), False)
    assert not suppressions_of("x = 1  # noqa:  TU101\n").suppresses("TU101", 1)


def test_a_file_directive_is_the_whole_comment():
    assert suppressions_of("# torchup: skip-file  \nx = 1\n").skip_file
    assert not suppressions_of("# torchup: skip-files-later\nx = 1\n").skip_file
    # a file directive followed by words is none: its `noqa: TU101` is a line directive at most
    found = suppressions_of("# torchup: noqa: TU101 for now\nx = 1\n")
    assert found.file_codes == frozenset() and not found.file_all and not found.suppresses("TU101", 2)
    assert not suppressions_of("# torchup: noqa for now\nx = 1\n").file_all


def test_a_string_ending_where_a_backslash_continues_is_one_statement_with_it():
    text = 'x = """a\nb""" + \\\n    c  # noqa: TU101\ny = 2\n'
    found = suppressions_of(text)
    assert [found.suppresses("TU101", line) for line in (1, 2, 3, 4)] == [True, True, True, False]


def test_a_noqa_ending_a_continued_statement_is_used_by_a_record_on_its_first_line():
    text = "z = 1 + \\\n    2  # noqa: TU303\n"
    assert unused_noqa(text, {"TU303"}, [Finding("TU303", 1, 4, "found")]) == ()
    [idle] = unused_noqa(text, {"TU303"})
    assert idle == Finding("TU000", 2, 7, "unused `noqa` directive: no TU303 edit or finding on this line")
