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
        with pytest.raises(TypeError, match="TU101 is used by"):

            class Impostor(Codemod):
                CODE = "TU101"
                NAME = "impostor"
    finally:
        from torchup.codemod import _REGISTRY

        _REGISTRY["TU101"] = original
    assert registry.get("TU101") is original
