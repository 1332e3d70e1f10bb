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
