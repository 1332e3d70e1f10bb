from torchup.interactive import apply, compiles, hunks

BEFORE = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 8\n"
AFTER = "a = 1\nb = 20\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 80\ni = 9\n"


def test_each_subset_of_hunks_applies():
    found = hunks(BEFORE, AFTER)
    assert len(found) == 2
    assert apply(BEFORE, found, set()) == BEFORE
    assert apply(BEFORE, found, {0, 1}) == AFTER
    assert apply(BEFORE, found, {1}) == BEFORE.replace("h = 8\n", "h = 80\ni = 9\n")
    assert found[0].display.startswith("@@ -2,1 +2,1 @@\n a = 1\n-b = 2\n+b = 20\n c = 3\n")


def test_a_subset_that_breaks_the_program_is_detected():
    # a `with` line accepted without the re-indented body under it
    assert compiles("for x in y:\n    with torch.no_grad():\n        f(x)\n")
    assert not compiles("for x in y:\n    with torch.no_grad():\n    f(x)\n")
    # a declined TU303 hunk leaves `async=`, which the file had before: still acceptable
    assert compiles("x = y.cuda(async=True)\n")


def test_a_hunk_shows_three_lines_of_context_on_each_side_and_git_s_header():
    before = "".join(f"line{n}\n" for n in range(1, 11))
    after = before.replace("line5\n", "LINE5\n")
    (hunk,) = hunks(before, after)
    assert hunk.display == (
        "@@ -5,1 +5,1 @@\n line2\n line3\n line4\n-line5\n+LINE5\n line6\n line7\n line8\n"
    )


def test_a_hunk_at_a_last_line_without_newline_ends_its_display_with_one():
    (hunk,) = hunks("a = 1\nb = 2", "a = 1\nb = 20")
    assert hunk.display == "@@ -2,1 +2,1 @@\n a = 1\n-b = 2\n+b = 20\n"
