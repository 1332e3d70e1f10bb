import pytest

from torchup.parsing import ParseError, Parsed, parse, replace_async_keyword


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param("x.cuda(async=True)\n", "x.cuda(non_blocking=True)\n", id="cuda"),
        pytest.param("x.to(d, async=True)\n", "x.to(d, non_blocking=True)\n", id="to"),
        pytest.param("f(a,\n  async = True)\n", "f(a,\n  non_blocking = True)\n", id="multiline-spaced"),
        pytest.param("x.cuda(async=True)\r\ny.cuda(async=True)\r\n", "x.cuda(non_blocking=True)\r\ny.cuda(non_blocking=True)\r\n", id="crlf"),
        # What the quick check before the tokenizer must let through: a comment or a `\`
        # continuation between the keyword and its `=`.
        pytest.param("f(async  # why\n  = True)\n", "f(non_blocking  # why\n  = True)\n", id="comment-between"),
        pytest.param("f(async \\\n= True)\n", "f(non_blocking \\\n= True)\n", id="continuation"),
        # Brackets of every kind opened and closed inside the call before the keyword: the call's
        # own parenthesis is still open when `async` comes.
        pytest.param("f(x, {1: 2}[1], async=True)\n", "f(x, {1: 2}[1], non_blocking=True)\n", id="after-a-dict"),
        pytest.param("f({a, b}, async=True)\n", "f({a, b}, non_blocking=True)\n", id="after-a-set"),
        pytest.param("f([a, b], async=True)\n", "f([a, b], non_blocking=True)\n", id="after-a-list"),
        pytest.param("f(g(a)[0], async=True)\n", "f(g(a)[0], non_blocking=True)\n", id="after-a-call-and-subscript"),
        pytest.param("f({k: [v]}, async=True)\n", "f({k: [v]}, non_blocking=True)\n", id="after-nested-brackets"),
    ],
)
@pytest.mark.parametrize("way", ["parser", "tokenizer"])
def test_async_keyword_renamed(before, after, way, monkeypatch):
    # Both ways of renaming: the parser's confirmation of the pattern's finds, and the tokenizer
    # it falls back on (a file where `async=` also stands in a string, say).
    if way == "tokenizer":
        from torchup import parsing

        monkeypatch.setattr(parsing, "_confirmed_by_the_parser", lambda source, offsets: None)
    rewrite = replace_async_keyword(before)
    assert rewrite.source == after
    assert rewrite.positions


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('s = "x.cuda(async=True)"\n', id="string"),
        pytest.param("# x.cuda(async=True)\n", id="comment"),
        pytest.param("async def f():\n    async with a as b:\n        pass\n", id="async-def"),
        pytest.param("d = dict(asynchronous=True)\n", id="longer-name"),
        pytest.param("f(x == async_)\n", id="comparison"),
        # Python 2's `async = True` is no keyword argument: renaming it would make it parse.
        pytest.param("async = True\nx.cuda()\n", id="assignment-outside-a-call"),
    ],
)
def test_async_lookalikes_untouched(source):
    rewrite = replace_async_keyword(source)
    assert rewrite.source == source
    assert rewrite.positions == ()


def test_async_positions_are_line_and_column():
    assert replace_async_keyword("a = 1\nb = x.cuda(async=True)\n").positions == ((2, 11),)


@pytest.mark.parametrize(
    "source, line, hint",
    [
        pytest.param('import torch\nprint "loss", 3\n', 2, "print statement", id="print"),
        pytest.param("try:\n    pass\nexcept Exception, e:\n    pass\n", 3, "except E, e", id="except"),
        pytest.param("x = 0777\n", 1, "octal", id="octal"),
        pytest.param("import torch\nraise ValueError, 'bad'\n", 2, "raise E, msg", id="raise"),
        pytest.param("exec 'x = 1'\n", 1, "exec statement", id="exec"),
        pytest.param("x = `y`\n", 1, "backtick", id="backtick"),
        pytest.param("if a <> b:\n    pass\n", 1, "'<>' operator", id="not-equal"),
        pytest.param("x = 10L\n", 1, "long literal", id="long"),
        pytest.param("s = ur'x'\n", 1, "ur'' string prefix", id="ur-prefix"),
        # The file's last line, without a newline after it, is a line like the others.
        pytest.param('import torch\nprint "loss", 3', 2, "print statement", id="last-line-without-newline"),
        pytest.param("x = 1\ny = 0777", 2, "octal", id="octal-on-the-last-line"),
    ],
)
def test_python2_is_recognised(source, line, hint):
    result = parse(source)
    assert isinstance(result, ParseError)
    assert result.line == line
    assert "Python 2" in result.reason and hint in result.reason


def test_syntax_error_has_line():
    result = parse("def f(:\n    pass\n")
    assert isinstance(result, ParseError)
    assert result.line == 1 and "Python 2" not in result.reason


def test_parse_keeps_text_exactly():
    source = "x = 1  # comment\r\n\r\ny = (  2 )\r\n"
    result = parse(source)
    assert isinstance(result, Parsed)
    assert result.module.code == source


def test_the_syntax_check_and_the_prefilter_parse_a_file_once(monkeypatch):
    import ast

    from torchup import pipeline
    from torchup.registry import select

    calls = []
    real = ast.parse
    monkeypatch.setattr(ast, "parse", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    text = "import torch\nfrom torch.autograd import Variable\nx = Variable(torch.zeros(3))\n"
    codemods = select()
    assert pipeline.applicable(codemods, text)  # TU101's tree screen needs the tree
    assert isinstance(parse(text), Parsed)  # the syntax check needs it too
    assert len(calls) == 1


@pytest.mark.parametrize(
    "source, line, column",
    [
        pytest.param("x = )\n", 1, 4, id="at-the-token"),
        pytest.param("import torch\ny = torch.zeros(3))\n", 2, 18, id="second-line"),
    ],
)
def test_a_syntax_error_is_placed_at_its_token_with_a_zero_based_column(source, line, column):
    error = parse(source)
    assert isinstance(error, ParseError)
    assert (error.line, error.column) == (line, column)
    assert source.splitlines()[line - 1][column] == ")"


def test_a_python2_assignment_to_async_is_a_parse_error_not_a_rename():
    error = parse("async = True\nx.cuda(async=async)\n")
    assert isinstance(error, ParseError) and error.line == 1


DEEP_SOURCE = "import torch\ny = a[0][0][0][0]\nz = b[0][0][0]\nw = c[0][0][0][0]\n"


def test_an_expression_exactly_at_the_nesting_limit_is_parsed(monkeypatch):
    import ast

    from torchup import parsing

    depth, _ = parsing.nesting(ast.parse(DEEP_SOURCE))
    monkeypatch.setattr(parsing, "MAX_NESTING", depth)
    assert isinstance(parse(DEEP_SOURCE), Parsed)


def test_past_the_nesting_limit_the_first_deepest_line_is_named(monkeypatch):
    # The deepest node is a `Load` context, which has no line: its subscript's line is the one
    # (line 2 here, whose expression is as deep as line 4's, one deeper than line 3's).
    import ast

    from torchup import parsing

    assert parsing.nesting(ast.parse("import torch\ny = a[0][0][0][0]\nz = b[0][0][0]\n")) == (8, 2)  # not line 3
    assert parsing.nesting(ast.parse(DEEP_SOURCE)) == (8, 2)  # the first of lines 2 and 4
    monkeypatch.setattr(parsing, "MAX_NESTING", 7)
    assert parse(DEEP_SOURCE) == ParseError(
        2, 0, "an expression nested 8 levels deep: torchup parses at most 7 (the parser's time grows with the square of it)"
    )
    assert str(parse(DEEP_SOURCE)).startswith("line 2: an expression nested 8 levels deep")


def test_a_python2_file_is_told_torchup_migrates_python3():
    error = parse("import torch\nprint 'loss'\n")
    assert isinstance(error, ParseError) and error.line == 2
    assert error.reason.endswith(" (looks like Python 2: Python 2 print statement; torchup migrates Python 3 code)")
