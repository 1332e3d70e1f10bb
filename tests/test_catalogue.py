"""Meta-tests that keep the catalogue honest: every codemod is documented, tested and announced."""

import re
from pathlib import Path

import pytest

from torchup import catalogue, registry

ROOT = Path(__file__).resolve().parents[1]
CODEMODS = list(registry.all_codemods().values())


def test_codes_are_unique_and_well_formed():
    codes = [cls.CODE for cls in CODEMODS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"TU[1-9]\d\d", code) for code in codes)


def test_every_module_in_codemods_registers_one_codemod():
    modules = {p.stem for p in (ROOT / "codemods").glob("*.py") if not p.stem.startswith("_")}
    assert modules == {cls.NAME for cls in CODEMODS}
    assert all(cls.__module__ == f"torchup.codemods.{cls.NAME}" for cls in CODEMODS)


def test_the_codes_read_from_the_sources_are_the_classes_codes():
    assert registry.all_codes() == tuple(cls.CODE for cls in CODEMODS)
    for select, ignore in [((), ()), (("TU2",), ()), (("TU1", "TU4"), ("TU102", "TU40"))]:
        assert registry.select_codes(select, ignore) == tuple(cls.CODE for cls in registry.select(select, ignore))
    with pytest.raises(registry.UnknownCodeError):
        registry.select_codes(("TU9",))


@pytest.mark.parametrize("cls", CODEMODS, ids=lambda cls: cls.CODE)
def test_documented_tested_and_in_changelog(cls):
    assert catalogue.missing_sections(cls) == []
    assert cls.SUMMARY and cls.SAFETY in ("safe", "unsafe", "mixed")
    assert cls.MARKERS or cls.CODE == "TU303"  # TU303 works in the token pre-pass
    assert (ROOT / "tests" / "codemods" / f"test_{cls.NAME}.py").is_file() or cls.CODE == "TU303"
    assert cls.CODE in (ROOT / "CHANGELOG.md").read_text()


def test_readme_table_is_generated_from_the_docstrings():
    readme = (ROOT / "README.md").read_text()
    begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
    table = readme[readme.index(begin) + len(begin) : readme.index(end)].strip()
    assert table == catalogue.rules_markdown(), "run `torchup rules --format markdown` into README.md"


def test_without_the_sources_the_codes_come_from_the_classes(monkeypatch):
    import re as regex

    monkeypatch.setattr(registry, "_CODE", regex.compile(r"(?!)"))  # finds nothing, as with no .py files
    registry.all_codes.cache_clear()
    try:
        assert registry.all_codes() == tuple(cls.CODE for cls in CODEMODS)
    finally:
        monkeypatch.undo()
        registry.all_codes.cache_clear()


def test_a_second_codemod_class_with_a_taken_code_is_refused():
    from torchup.codemod import Codemod

    original = registry.get("TU101")
    try:
        with pytest.raises(TypeError, match="TU101 is used by") as refused:

            class Impostor(Codemod):
                CODE = "TU101"
                NAME = "impostor"
    finally:
        from torchup.codemod import _REGISTRY

        _REGISTRY["TU101"] = original
    assert registry.get("TU101") is original
    assert str(refused.value) == f"codemod code TU101 is used by {original.__name__} and Impostor"


def test_an_ignore_prefix_that_matches_nothing_is_an_error_like_a_select_prefix():
    # `--ignore TU999` is a typo: accepting it would run the codemod the user meant to skip.
    with pytest.raises(registry.UnknownCodeError, match="no codemod code starts with 'TU999'"):
        registry.select_codes((), ("TU999",))
    with pytest.raises(registry.UnknownCodeError, match="'TU999'"):
        registry.select_codes(("TU1",), ("TU999",))


def test_prefixes_are_matched_whatever_their_case():
    # pyproject.toml's `select = ["tu3"]` reaches the registry as written, not upper-cased.
    upper = registry.select_codes(("TU3",), ("TU303",))
    assert upper and all(code.startswith("TU3") and code != "TU303" for code in upper)
    assert registry.select_codes(("tu3",), ("tu303",)) == upper
    assert [cls.CODE for cls in registry.select(("tu3",), ("tu303",))] == list(upper)


class _FakeCodemod:
    CODE = "TU999"
    NAME = "fake_codemod"
    SAFETY = "safe"
    SUMMARY = "`a | b` -> `torch.logical_or(a, b)`"


def _documented_as(monkeypatch, docstring):
    import sys
    import types

    module = types.ModuleType("fake_codemod_module", docstring)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(_FakeCodemod, "__module__", module.__name__)
    monkeypatch.setattr(registry, "all_codemods", lambda: {"TU999": _FakeCodemod})
    return _FakeCodemod


def test_a_pipe_in_a_summary_stays_in_its_markdown_cell(monkeypatch):
    _documented_as(monkeypatch, "What it does\n\nx\n")
    header, rule, row = catalogue.rules_markdown().splitlines()
    assert row == "| TU999 | `fake_codemod` | safe | `a \\| b` -> `torch.logical_or(a, b)` |"
    # as many unescaped cell borders as the header has
    assert len(re.findall(r"(?<!\\)\|", row)) == header.count("|") == 5


def test_a_section_counts_only_as_a_line_of_its_own(monkeypatch):
    sections = "\n\n".join(f"{section}\n\ntext" for section in catalogue.SECTIONS)
    assert catalogue.missing_sections(_documented_as(monkeypatch, sections)) == []
    # "Why" and "After" only inside sentences: those two sections are missing
    prose = sections.replace("Why\n", "").replace("After\n", "") + "\nWhy it runs After the others: no reason.\n"
    assert catalogue.missing_sections(_documented_as(monkeypatch, prose)) == ["Why", "After"]


def test_torchup_rules_lists_each_codemod_with_its_fix_safety(monkeypatch):
    # `torchup rules` is where a user reads which fixes need `--unsafe-fixes`.
    _documented_as(monkeypatch, "What it does\n\nx\n")
    assert catalogue.rules_text() == "TU999  fake_codemod  safe    `a | b` -> `torch.logical_or(a, b)`"


def test_refusals_of_an_unknown_code_or_prefix_say_where_the_codes_are_listed():
    with pytest.raises(registry.UnknownCodeError) as unknown:
        registry.get("tu999")
    assert str(unknown.value) == "unknown code 'tu999'; `torchup rules` lists them"
    with pytest.raises(registry.UnknownCodeError) as prefix:
        registry.select_codes(("TU9",))
    assert str(prefix.value) == "no codemod code starts with 'TU9'; `torchup rules` lists them"


def test_loading_the_codemods_imports_none_of_the_packages_private_modules():
    # `_build_legacy_api.py` is a maintainer's script, run with torch installed: not a codemod.
    import subprocess
    import sys

    code = (
        "import sys\nfrom torchup import registry\nregistry.all_codemods()\n"
        "print(sorted(name for name in sys.modules if name.startswith('torchup.codemods._')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"

def test_torchup_rules_puts_names_safeties_and_summaries_in_columns():
    # Names differ in length: each column starts where the longest name (and `unsafe`) leaves room.
    rows = catalogue.rules_text().splitlines()
    assert len(rows) == len(CODEMODS)
    width = max(len(cls.NAME) for cls in CODEMODS)
    for row, cls in zip(rows, CODEMODS):
        assert row[: 5 + 2 + width + 2] == f"{cls.CODE}  {cls.NAME.ljust(width)}  "
        assert row[5 + 2 + width + 2 :] == f"{cls.SAFETY.ljust(6)}  {cls.SUMMARY}"


def test_explain_shows_the_docstring_without_its_trailing_newline():
    cls = registry.get("TU303")
    doc = catalogue.documentation(cls)
    assert doc.startswith("TU303 async_keyword: ") and not doc.endswith("\n")
