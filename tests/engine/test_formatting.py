from torchup.formatting import changed_line_ranges, format_changed_lines

BEFORE = "x = f( 1,2 )\ny = g( 3,4 )\nz = h( 5,6 )\n"


def test_only_changed_lines_are_formatted():
    after = "x = f( 1,2 )\ny = torch.g( 3,4 )\nz = h( 5,6 )\n"
    assert format_changed_lines(BEFORE, after) == "x = f( 1,2 )\ny = torch.g(3, 4)\nz = h( 5,6 )\n"


def test_inserted_lines_count_as_changed():
    after = "x = f( 1,2 )\nwith torch.no_grad( ):\n    y = g( 3,4 )\nz = h( 5,6 )\n"
    assert changed_line_ranges(BEFORE, after) == [(2, 3)]


def test_unchanged_text_is_returned_as_is():
    assert format_changed_lines(BEFORE, BEFORE) == BEFORE


def test_a_line_inserted_between_unchanged_lines_is_formatted_alone():
    # a pure insertion (an added line), not a replacement of the line below
    after = "x = f( 1,2 )\nd = torch.device( 'cpu' )\ny = g( 3,4 )\nz = h( 5,6 )\n"
    assert changed_line_ranges(BEFORE, after) == [(2, 2)]
    assert format_changed_lines(BEFORE, after) == "x = f( 1,2 )\nd = torch.device(\"cpu\")\ny = g( 3,4 )\nz = h( 5,6 )\n"


def test_a_rewrite_that_only_deletes_lines_formats_nothing():
    # No line of the new text is new: black is not run, not even on the whole file.
    after = "x = f( 1,2 )\nz = h( 5,6 )\n"
    assert changed_line_ranges(BEFORE, after) == []
    assert format_changed_lines(BEFORE, after) == after


def test_black_refusing_the_code_leaves_the_text_as_it_was(monkeypatch):
    import black

    after = "x = f( 1,2 )\ny = torch.g( 3,4 )\nz = h( 5,6 )\n"
    for error in (black.InvalidInput("cannot parse"), ValueError("a range black cannot format")):

        def refuse(*args, error=error, **kwargs):
            raise error

        monkeypatch.setattr(black, "format_str", refuse)
        assert format_changed_lines(BEFORE, after) == after
