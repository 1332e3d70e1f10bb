"""Inline suppressions: ``# noqa: TU...``, ``# torchup: skip-file``, ``check --add-noqa`` and
``--show-unused-noqa``, read as ruff reads them."""

from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner
from codemod_harness import dedent

from torchup import registry
from torchup.add_noqa import add_noqa
from torchup.cli import main
from torchup.pipeline import Failure, Migration, migrate_source
from torchup.records import Edit, Finding, Settings
from torchup.suppressions import UNUSED_NOQA_CODE, suppressions_of, unused_noqa

CODEMODS = list(registry.all_codemods().values())


def migrate(source: str, **settings: bool) -> Migration:
    result = migrate_source(source, CODEMODS, Settings(unsafe_fixes=True, **settings))
    assert not isinstance(result, Failure), result
    cst.parse_module(result.code)
    return result


def codes_by_line(result: Migration) -> dict:
    found: dict = {}
    for record in result.records:
        found.setdefault(record.line, set()).add(record.code)
    return found


LEGACY = dedent(
    """
    import torch
    from torch.autograd import Variable

    a = Variable(torch.ones(3))
    b = Variable(torch.ones(3))
    """
)


@pytest.mark.parametrize(
    "comment, suppressed",
    [
        pytest.param("  # noqa: TU101", True, id="its-code"),
        pytest.param("  # NOQA:TU101", True, id="upper-case-no-space"),
        pytest.param("  # noqa: E501, TU101", True, id="beside-another-tools-code"),
        pytest.param("  # noqa: E501,TU101,W291", True, id="comma-list"),
        pytest.param("  # noqa: TU201", False, id="another-code"),
        pytest.param("  # noqa: TU10", False, id="a-prefix-is-not-a-code"),
        pytest.param("  # noqa", False, id="bare-is-off-by-default"),
        pytest.param("  # noqa: E501", False, id="only-another-tools-code"),
        pytest.param("  # a comment about noqa: TU101", False, id="not-a-directive"),
    ],
)
def test_a_noqa_comment_keeps_its_codes_edits_and_findings_off_its_line(comment, suppressed):
    source = LEGACY.replace("a = Variable(torch.ones(3))", "a = Variable(torch.ones(3))" + comment)
    result = migrate(source)
    line_a = source.splitlines()[3]
    assert (line_a in result.code.splitlines()) is suppressed
    assert ("TU101" in codes_by_line(result).get(4, set())) is not suppressed
    assert "b = torch.ones(3)" in result.code  # the next line is migrated either way
    assert migrate(result.code).code == result.code


def test_bare_noqa_is_off_by_default_also_in_a_file_with_directives_of_ours():
    # The file is tokenized for its `# noqa: TU404`: flake8's bare `# noqa` must still not count.
    source = LEGACY.replace("a = Variable(torch.ones(3))", "a = Variable(torch.ones(3))  # noqa")
    source = source.replace("b = Variable(torch.ones(3))", "b = Variable(torch.ones(3))  # noqa: TU404")
    assert 4 in codes_by_line(migrate(source)) and 5 in codes_by_line(migrate(source))
    assert 4 not in codes_by_line(migrate(source, bare_noqa=True))


def test_add_noqa_exits_123_when_a_file_cannot_be_parsed(tmp_path: Path):
    (tmp_path / "model.py").write_text(LEGACY)
    (tmp_path / "broken.py").write_text("from torch.autograd import Variable\ndef f(:\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--add-noqa", str(tmp_path)])
    assert result.exit_code == 123, result.output
    assert "broken.py" in result.output and "# noqa: TU101" in (tmp_path / "model.py").read_text()


def test_add_noqa_reports_the_files_it_cannot_parse_on_stderr(tmp_path: Path):
    # stdout stays empty: `check --add-noqa` prints no findings, and its errors are errors.
    (tmp_path / "model.py").write_text(LEGACY)
    (tmp_path / "broken.py").write_text("from torch.autograd import Variable\ndef f(:\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--add-noqa", str(tmp_path)])
    assert result.exit_code == 123
    assert "broken.py" in result.stderr and result.stdout == ""


def test_bare_noqa_suppresses_everything_when_the_project_asks_for_it():
    source = LEGACY.replace("a = Variable(torch.ones(3))", "a = Variable(torch.ones(3))  # noqa")
    assert 4 in codes_by_line(migrate(source))
    result = migrate(source, bare_noqa=True)
    assert 4 not in codes_by_line(result)
    assert "a = Variable(torch.ones(3))  # noqa" in result.code
    # the import stays: the suppressed line still uses it
    assert "from torch.autograd import Variable" in result.code


def test_a_suppressed_finding_is_not_reported():
    source = "import torch\nmodel = torch.load('m.pt')  # noqa: TU405\nother = torch.load('n.pt')\n"
    result = migrate(source)
    assert [(r.code, r.line) for r in result.findings] == [("TU405", 3)]
    assert [(r.code, r.line) for r in result.suppressed] == [("TU405", 2)]


def test_noqa_inside_a_string_is_not_a_directive():
    source = LEGACY.replace("a = Variable(torch.ones(3))", "a = Variable(torch.ones(3)); s = '# noqa: TU101'")
    assert 4 in codes_by_line(migrate(source))


def test_skip_file_leaves_the_file_alone():
    source = "# torchup: skip-file\n" + LEGACY
    result = migrate(source)
    assert result.code == source and result.records == ()
    # only on a line of its own: in a code line's comment it is nothing
    assert migrate("x = 1  # torchup: skip-file\n" + LEGACY).changed


def test_file_level_noqa_names_codes_for_the_whole_file():
    source = "# torchup: noqa: TU101\n" + LEGACY.replace("b = Variable(torch.ones(3))", "b = Variable(torch.ones(3)).data[0]")
    result = migrate(source)
    assert {record.code for record in result.records} == {"TU103"}
    assert "a = Variable(torch.ones(3))" in result.code


def test_a_continued_statement_takes_its_noqa_on_its_last_line():
    source = dedent(
        '''
        import torch
        from torch.autograd import Variable

        a = Variable(torch.ones(3)) + \\
            torch.ones(3)  # noqa: TU101
        s = """
        text""" + str(Variable(torch.ones(1)))  # noqa: TU101
        b = Variable(torch.ones(3))
        '''
    )
    result = migrate(source)
    assert codes_by_line(result) == {8: {"TU101"}}
    assert suppressions_of(source).lines[4].line == 5
    assert suppressions_of(source).lines[6].line == 7


def test_directives_apply_in_every_pass():
    # TU102 runs in a later pass than TU101, on code TU101 has rewritten: lines have moved
    source = dedent(
        """
        import torch
        from torch.autograd import Variable

        def evaluate(model, data):
            x = Variable(data, volatile=True)  # noqa: TU102
            return model(x)
        """
    )
    result = migrate(source)
    assert "volatile=True" in result.code
    assert "TU102" not in {record.code for record in result.records}
    assert any(record.code == "TU102" for record in result.suppressed)


def test_unused_noqa_is_reported_only_when_asked():
    source = LEGACY.replace("b = Variable(torch.ones(3))", "b = Variable(torch.ones(3))  # noqa: TU101, TU201, TU303") + "c = 1  # noqa: TU404\n"
    assert all(record.code != UNUSED_NOQA_CODE for record in migrate(source).records)
    result = migrate(source, show_unused_noqa=True)
    unused = [(r.line, r.message) for r in result.records if r.code == UNUSED_NOQA_CODE]
    assert unused == [
        (5, "unused `noqa` directive: no TU201, TU303 edit or finding on this line"),
        (6, "unused `noqa` directive: no TU404 edit or finding on this line"),
    ]


def test_an_unused_noqa_takes_its_place_among_the_records_in_line_order():
    source = dedent(
        """
        import torch
        x = 1  # noqa: TU101
        from torch.autograd import Variable
        y = Variable(torch.ones(3))
        """
    )
    result = migrate(source, show_unused_noqa=True)
    assert [(record.line, record.code) for record in result.records] == [(2, UNUSED_NOQA_CODE), (4, "TU101")]


def test_unused_noqa_judges_only_the_selected_codes():
    source = "x = 1  # noqa: TU101, TU404\ny = 2  # noqa\n"
    assert [finding.message for finding in unused_noqa(source, {"TU101"})] == [
        "unused `noqa` directive: no TU101 edit or finding on this line"
    ]
    assert unused_noqa(source, set()) == ()


@pytest.mark.parametrize(
    "line, records, expected",
    [
        pytest.param("x = f(a)\n", ["TU101"], "x = f(a)  # noqa: TU101\n", id="plain"),
        pytest.param("x = f(a)\n", ["TU201", "TU101", "TU101"], "x = f(a)  # noqa: TU101, TU201\n", id="sorted-unique"),
        pytest.param("x = f(a)  # keep me\n", ["TU101"], "x = f(a)  # keep me  # noqa: TU101\n", id="after-a-comment"),
        pytest.param("x = f(a)  # noqa: E501\n", ["TU101"], "x = f(a)  # noqa: E501, TU101\n", id="into-a-coded-noqa"),
        pytest.param("x = f(a)  # noqa: TU101\n", ["TU101"], "x = f(a)  # noqa: TU101\n", id="already-there"),
        pytest.param("x = f(a)  # noqa\n", ["TU101"], "x = f(a)  # noqa  # noqa: TU101\n", id="bare-kept-for-flake8"),
        pytest.param("x = f(a)\r\n", ["TU101"], "x = f(a)  # noqa: TU101\r\n", id="crlf"),
        pytest.param("x = f(a)  # NOQA: TU404\n", ["TU101"], "x = f(a)  # NOQA: TU404, TU101\n", id="upper-case-coded"),
        pytest.param("x = f(a)", ["TU101"], "x = f(a)  # noqa: TU101", id="no-final-newline"),
    ],
)
def test_add_noqa_marks_each_line(line, records, expected):
    marked = add_noqa(line, [Finding(code, 1, 0, "m") for code in records])
    assert marked is not None and marked.text == expected
    again = add_noqa(marked.text, [Finding(code, 1, 0, "m") for code in records])
    assert again.text == expected and again.added == 0


def test_add_noqa_skips_records_without_a_line_and_the_unused_noqa_code():
    text = "x = f(a)\ny = g(b)\n"
    records = [Finding("TU101", 0, 0, "made by the pass"), Finding(UNUSED_NOQA_CODE, 2, 0, "unused"), Finding("TU404", 2, 0, "m")]
    marked = add_noqa(text, records)
    assert marked.text == "x = f(a)\ny = g(b)  # noqa: TU404\n" and marked.added == 1


def test_add_noqa_puts_a_continued_statements_comment_on_its_last_line():
    text = "x = f(a) + \\\n    g(b)\ns = '''\n''' + h(c)\n"
    marked = add_noqa(text, [Edit("TU101", 1, 4, "m"), Finding("TU404", 3, 0, "m")])
    assert marked.text == "x = f(a) + \\\n    g(b)  # noqa: TU101\ns = '''\n''' + h(c)  # noqa: TU404\n"
    assert suppressions_of(marked.text).suppresses("TU101", 1)
    assert suppressions_of(marked.text).suppresses("TU404", 3)


def test_check_add_noqa_silences_every_current_record(tmp_path: Path):
    target = tmp_path / "model.py"
    source = LEGACY + "y = torch.load('m.pt')\nz = b.data[0]\n"
    target.write_bytes(source.replace("\n", "\r\n").encode())
    runner = CliRunner()
    first = runner.invoke(main, ["check", "--no-cache", str(tmp_path)])
    assert first.exit_code == 1 and "TU405" in first.output
    added = runner.invoke(main, ["check", "--no-cache", "--add-noqa", str(tmp_path)])
    assert added.exit_code == 0, added.output
    assert "Added 4 noqa directives to 1 file." in added.output
    data = target.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    after = runner.invoke(main, ["check", "--no-cache", str(tmp_path)])
    assert after.exit_code == 0, after.output
    unused = runner.invoke(main, ["check", "--no-cache", "--show-unused-noqa", str(tmp_path)])
    assert unused.exit_code == 0, unused.output
    fix = runner.invoke(main, ["fix", "--no-cache", "--unsafe-fixes", str(tmp_path)])
    assert fix.exit_code == 0 and target.read_bytes() == data


def test_show_unused_noqa_on_a_file_the_prefilter_skips(tmp_path: Path):
    (tmp_path / "modern.py").write_text("import torch\nx = torch.zeros(3)  # noqa: TU101\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--show-unused-noqa", str(tmp_path)])
    assert result.exit_code == 1
    assert f"modern.py:2:21: {UNUSED_NOQA_CODE} unused `noqa` directive: no TU101" in result.output


def test_bare_noqa_from_the_project_configuration(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.torchup]\nbare-noqa = true\n")
    (tmp_path / "model.py").write_text(LEGACY.replace("b = Variable(torch.ones(3))", "b = Variable(torch.ones(3))  # noqa"))
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path)])
    assert result.exit_code == 1
    assert "model.py:4:" in result.output and "model.py:5:" not in result.output


def _corpus_edits() -> list:
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    params = []
    seen = set()  # one edit of each code: every codemod's way of declining, at a bounded cost
    for path in sorted(corpus.glob("*/legacy/**/*.py")):
        source = path.read_text()
        result = migrate_source(source, CODEMODS, Settings(unsafe_fixes=True))
        if isinstance(result, Failure):
            continue
        for record in result.edits:
            if record.code in seen or record.line <= 0 or record.code == "TU303":
                continue
            seen.add(record.code)
            params.append(pytest.param(path, record.code, record.line, id=f"{path.parent.parent.name}-{record.code}-{record.line}"))
    return params


@pytest.mark.parametrize("path, code, line", _corpus_edits())
def test_every_codemod_declines_a_suppressed_edit_and_keeps_the_file_consistent(path: Path, code: str, line: int):
    """The first edit of each code in the corpus, suppressed: that edit goes, the code
    still parses and compiles, and a second run changes nothing."""
    marked = add_noqa(path.read_text(), [Edit(code, line, 0, "m")])
    result = migrate(marked.text)
    assert not any(r.code == code and suppressions_of(marked.text).suppresses(code, r.line) for r in result.records)
    assert any(r.code == code for r in result.suppressed)
    compile(result.code, str(path), "exec")
    assert migrate(result.code).code == result.code


def test_a_file_with_only_other_tools_noqa_is_not_tokenized(monkeypatch):
    import torchup.suppressions as suppressions

    def fail(text):
        raise AssertionError("tokenized")

    monkeypatch.setattr(suppressions, "layout", fail)
    assert suppressions.suppressions_of("import os  # noqa: F401\nx = 1  # noqa\n") is suppressions.NONE
    with pytest.raises(AssertionError):
        suppressions.suppressions_of("x = 1  # noqa: E501,TU101\n")
    with pytest.raises(AssertionError):
        suppressions.suppressions_of("x = 1  # noqa\n", bare_noqa=True)


def test_add_noqa_counts_codes_and_drops_trailing_spaces_before_its_comment():
    marked = add_noqa("x = f(a)   \ny = g(b)\n", [Finding("TU101", 1, 0, "m"), Finding("TU201", 1, 0, "m"), Finding("TU404", 2, 0, "m")])
    assert marked.text == "x = f(a)  # noqa: TU101, TU201\ny = g(b)  # noqa: TU404\n"
    assert marked.added == 3


def test_add_noqa_leaves_text_that_does_not_tokenize_and_lines_past_its_end():
    assert add_noqa("x = (\n", [Finding("TU101", 1, 0, "m")]) is None
    marked = add_noqa("x = f(a)\n", [Finding("TU101", 1, 0, "m"), Finding("TU404", 9, 0, "m")])
    assert marked.text == "x = f(a)  # noqa: TU101\n" and marked.added == 1


def test_check_add_noqa_reports_a_file_it_cannot_write_and_exits_123(tmp_path: Path, monkeypatch):
    from torchup import cli

    (tmp_path / "a.py").write_text("import torch\nstate = torch.load(path)\n")

    def refuse(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli, "write_atomic", refuse)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--add-noqa", str(tmp_path)])
    assert result.exit_code == 123
    assert result.stderr == f"error: {tmp_path / 'a.py'}: cannot write: [Errno 13] Permission denied\nAdded 0 noqa directives to 0 files.\n"
    quiet = CliRunner().invoke(main, ["check", "--no-cache", "--add-noqa", "--quiet", str(tmp_path)])
    assert quiet.exit_code == 123 and quiet.stderr == f"error: {tmp_path / 'a.py'}: cannot write: [Errno 13] Permission denied\n"
