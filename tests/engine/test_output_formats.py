"""``--output-format``: text, json, GitHub workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from torchup import __version__, registry
from torchup.codemod import Edit, Finding, Settings
from torchup.output_formats import (
    FORMATS,
    _section,
    artifact_uri,
    escape_data,
    escape_property,
    render,
    sarif_rules,
    to_sarif,
)
from torchup.report import Report
from torchup.runner import FileOutcome, Job, Status, WriteBack, run

EDIT = Edit("TU303", 2, 18, "`async=` keyword argument renamed `non_blocking=`")
FINDING = Finding("TU101", 7, 4, "`Variable(*args)`: cannot tell what it wraps, 100% manual")
UNSAFE = Finding("TU101", 9, 0, "`type(h) == Variable` (unsafe fix: use --unsafe-fixes)", fix_available=True)


def sample_report(command: str = "check") -> Report:
    return Report(
        (
            FileOutcome("models/net.py", Status.CHANGED, (EDIT, FINDING, UNSAFE)),
            FileOutcome("models/clean.py", Status.UNCHANGED),
            FileOutcome(
                "old/py2.py", Status.FAILED, error="line 3: invalid syntax (looks like Python 2)", error_kind="parse"
            ),
            FileOutcome("unreadable.py", Status.FAILED, error="cannot read: Permission denied", error_kind="io"),
        ),
        WriteBack.CHECK,
        command,
    )


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render(sample_report(), "xml")


def test_text_is_todays_check_output():
    assert render(sample_report(), "text").splitlines() == sample_report().record_lines(include_edits=True)
    assert render(Report((), WriteBack.CHECK, "check"), "text") == ""


def test_json_is_one_document_with_every_record():
    document = json.loads(render(sample_report(), "json"))
    assert document["tool"] == "torchup" and document["exit_code"] == 123
    records = [(f["path"], r["code"], r["line"], r["kind"]) for f in document["files"] for r in f["records"]]
    assert records == [
        ("models/net.py", "TU303", 2, "edit"),
        ("models/net.py", "TU101", 7, "finding"),
        ("models/net.py", "TU101", 9, "finding"),
    ]


# -- GitHub ---------------------------------------------------------------------------------


def test_github_escaping_follows_the_actions_toolkit():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir:a,b%\n") == "dir%3Aa%2Cb%25%0A"


def test_github_annotations_one_per_record_and_failed_file():
    lines = render(sample_report(), "github").splitlines()
    assert lines == [
        "::notice file=models/net.py,line=2,col=19,title=TU303 (fixable%3A torchup fix rewrites this)"
        "::`async=` keyword argument renamed `non_blocking=`",
        "::warning file=models/net.py,line=7,col=5,title=TU101::`Variable(*args)`: cannot tell what it wraps, 100%25 manual",
        "::warning file=models/net.py,line=9,col=1,title=TU101 (fixable with --unsafe-fixes)"
        "::`type(h) == Variable` (unsafe fix: use --unsafe-fixes)",
        "::error file=old/py2.py,line=3,title=torchup could not process this file::invalid syntax (looks like Python 2)",
        "::error file=unreadable.py,title=torchup could not process this file::cannot read: Permission denied",
    ]


def test_github_properties_with_commas_and_colons_cannot_break_the_command():
    report = Report(
        (FileOutcome("C:/a,b/x.py", Status.UNCHANGED, (Finding("TU404", 1, 0, "multi\nline"),)),),
        WriteBack.CHECK,
        "check",
    )
    (line,) = render(report, "github").splitlines()
    assert line == "::warning file=C%3A/a%2Cb/x.py,line=1,col=1,title=TU404::multi%0Aline"


# -- SARIF ----------------------------------------------------------------------------------

# The rules of the SARIF 2.1.0 schema (docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/
# sarif-schema-2.1.0.json) for every object torchup writes, trimmed to those objects: their
# required properties, their enumerations, and the full list of properties each allows
# (the schema forbids any other). Copied here so the test needs no network.
# fmt: off
_BAG = {"type": "object"}
_MESSAGE = {"anyOf": [{"required": ["text"]}, {"required": ["id"]}], "type": "object",
            "properties": {n: {} for n in ("text", "markdown", "id", "arguments", "properties")},
            "additionalProperties": False}
_MULTIFORMAT = {"type": "object", "required": ["text"], "additionalProperties": False,
                "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}, "properties": _BAG}}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_REGION = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1},
        **{n: {} for n in ("endLine", "endColumn", "charOffset", "charLength", "byteOffset", "byteLength",
                           "snippet", "message", "sourceLanguage", "properties")},
    },
}
_LOCATION = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "physicalLocation": {
            "type": "object", "additionalProperties": False,
            "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
            "properties": {
                "artifactLocation": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"uri": {"type": "string", "format": "uri-reference"},
                                   **{n: {} for n in ("uriBaseId", "index", "description", "properties")}},
                },
                "region": _REGION,
                **{n: {} for n in ("address", "contextRegion", "properties")},
            },
        },
        **{n: {} for n in ("id", "logicalLocations", "message", "annotations", "relationships", "properties")},
    },
}
SARIF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object", "required": ["version", "runs"], "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "inlineExternalProperties": {}, "properties": _BAG,
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool"], "additionalProperties": False,
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "additionalProperties": False, "properties": {
                    "driver": {
                        "type": "object", "required": ["name"], "additionalProperties": False,
                        "properties": {
                            "name": {"type": "string"}, "version": {"type": "string"},
                            "informationUri": {"type": "string", "format": "uri"},
                            "rules": {"type": "array", "uniqueItems": True, "items": {
                                "type": "object", "required": ["id"], "additionalProperties": False,
                                "properties": {
                                    "id": {"type": "string"}, "name": {"type": "string"},
                                    "shortDescription": _MULTIFORMAT, "fullDescription": _MULTIFORMAT,
                                    "help": _MULTIFORMAT, "helpUri": {"type": "string", "format": "uri"},
                                    "defaultConfiguration": {"type": "object", "additionalProperties": False, "properties": {
                                        "level": _LEVEL, **{n: {} for n in ("enabled", "rank", "parameters", "properties")}}},
                                    **{n: {} for n in ("deprecatedIds", "guid", "deprecatedGuids", "deprecatedNames",
                                                       "messageStrings", "relationships", "properties")},
                                },
                            }},
                            **{n: {} for n in (
                                "guid", "organization", "product", "productSuite", "shortDescription", "fullDescription",
                                "fullName", "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri",
                                "globalMessageStrings", "notifications", "taxa", "locations", "language", "contents",
                                "isComprehensive", "localizedDataSemanticVersion",
                                "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
                                "translationMetadata", "supportedTaxonomies", "properties")},
                        },
                    },
                    "extensions": {}, "properties": _BAG}},
                "invocations": {"type": "array", "items": {
                    "type": "object", "required": ["executionSuccessful"], "additionalProperties": False,
                    "properties": {
                        "executionSuccessful": {"type": "boolean"}, "exitCode": {"type": "integer"},
                        "toolExecutionNotifications": {"type": "array", "items": {
                            "type": "object", "required": ["message"], "additionalProperties": False,
                            "properties": {"message": _MESSAGE, "level": _LEVEL,
                                           "locations": {"type": "array", "items": _LOCATION},
                                           **{n: {} for n in ("threadId", "timeUtc", "exception", "descriptor",
                                                              "associatedRule", "properties")}}}},
                        **{n: {} for n in (
                            "commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc",
                            "ruleConfigurationOverrides", "notificationConfigurationOverrides",
                            "toolConfigurationNotifications", "exitCodeDescription", "exitSignalName",
                            "exitSignalNumber", "processStartFailureMessage", "machine", "account", "processId",
                            "executableLocation", "workingDirectory", "environmentVariables", "stdin", "stdout",
                            "stderr", "stdoutStderr", "properties")},
                    }}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "results": {"type": ["array", "null"], "items": {
                    "type": "object", "required": ["message"], "additionalProperties": False,
                    "properties": {
                        "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
                        "level": _LEVEL, "message": _MESSAGE,
                        "locations": {"type": "array", "items": _LOCATION},
                        "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
                        "properties": _BAG,
                        **{n: {} for n in (
                            "rule", "analysisTarget", "guid", "correlationGuid", "occurrenceCount",
                            "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
                            "relatedLocations", "suppressions", "baselineState", "rank", "attachments",
                            "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
                            "webResponse")},
                    }}},
                **{n: {} for n in (
                    "conversion", "language", "versionControlProvenance", "originalUriBaseIds", "artifacts",
                    "logicalLocations", "graphs", "automationDetails", "runAggregates", "baselineGuid",
                    "redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
                    "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
                    "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties")},
            },
        }},
    },
}
# fmt: on


def validate_sarif(document: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(document, SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_the_trimmed_schema_rejects_what_sarif_forbids():
    jsonschema = pytest.importorskip("jsonschema")
    good = to_sarif(sample_report())
    broken = [
        lambda d: d.pop("version"),
        lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
        lambda d: d["runs"][0]["results"][0].pop("message"),
        lambda d: d["runs"][0]["results"][0].update(level="info"),
        lambda d: d["runs"][0]["results"][0].update(rule_id="TU101"),
        lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startColumn=0),
        lambda d: d["runs"][0]["invocations"][0].pop("executionSuccessful"),
    ]
    for breaker in broken:
        document = json.loads(json.dumps(good))
        breaker(document)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(document, SARIF_SCHEMA)


def test_sarif_validates_and_holds_every_record():
    document = json.loads(render(sample_report(), "sarif"))
    validate_sarif(document)
    assert document["version"] == "2.1.0" and "sarif-schema-2.1.0" in document["$schema"]
    (sarif_run,) = document["runs"]
    driver = sarif_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("torchup", __version__)
    assert driver["informationUri"].startswith("https://")
    results = sarif_run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("TU303", "note"),
        ("TU101", "warning"),
        ("TU101", "warning"),
    ]
    first = results[0]
    assert first["message"]["text"] == EDIT.message
    location = first["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "models/net.py"}, "region": {"startLine": 2, "startColumn": 19}}
    assert driver["rules"][first["ruleIndex"]]["id"] == "TU303"
    assert results[2]["properties"] == {"kind": "finding", "fixable": True}
    # every result names its rule by index, the catalogue's first (TU101, index 0) too
    assert [driver["rules"][r["ruleIndex"]]["id"] for r in results] == ["TU303", "TU101", "TU101"]
    assert driver["rules"][0]["id"] == "TU101" and results[1]["ruleIndex"] == 0


def test_sarif_rules_are_the_whole_catalogue_documented_from_docstrings():
    rules = to_sarif(sample_report())["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(registry.all_codemods())
    tu303 = next(rule for rule in rules if rule["id"] == "TU303")
    assert tu303["name"] == "async_keyword"
    assert tu303["shortDescription"]["text"] == registry.get("TU303").SUMMARY
    assert tu303["fullDescription"]["text"].startswith("Renames the keyword argument ``async=``")
    assert "Fix safety" in tu303["help"]["text"] and "Limitations" in tu303["help"]["text"]
    for rule in rules:
        assert rule["properties"] == {"fixSafety": registry.get(rule["id"]).SAFETY}


def test_a_docstring_section_is_its_indented_text_and_a_missing_one_is_empty():
    doc = "Intro.\n\nWhat it does\n    Renames things.\n      Indented more.\n\nWhy\n    Because.\n"
    assert _section(doc, "What it does") == "Renames things.\n  Indented more."
    assert _section(doc, "Why") == "Because."
    assert _section(doc, "Limitations") == ""


def test_failed_files_make_the_sarif_invocation_unsuccessful():
    (invocation,) = to_sarif(sample_report())["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 123
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"].get("region") for n in notes] == [{"startLine": 3}, None]
    clean = to_sarif(Report((FileOutcome("a.py", Status.UNCHANGED),), WriteBack.CHECK, "check"))
    assert clean["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]
    assert clean["runs"][0]["results"] == []


def test_artifact_uris_are_relative_or_file_uris():
    assert artifact_uri("./models/my net.py") == "models/my%20net.py"
    assert artifact_uri("/repo/a.py") == "file:///repo/a.py"


def test_every_format_renders_a_real_run(tmp_path: Path):
    source = tmp_path / "train.py"
    source.write_text("import torch\nx = torch.zeros(3).cuda(async=True)\n")
    outcomes = run([source], Job(("TU303",), Settings(), WriteBack.CHECK), jobs=1)
    report = Report(outcomes, WriteBack.CHECK, "check")
    for fmt in FORMATS:
        assert str(source) in render(report, fmt), fmt
    document = to_sarif(report)
    validate_sarif(document)
    (result,) = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 25}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == source.as_uri()
    assert (
        render(report, "github")
        == f"::notice file={source},line=2,col=25,title=TU303 (fixable%3A torchup fix rewrites this)::`async=` keyword argument renamed `non_blocking=`\n"
    )


@dataclass(frozen=True)
class CellEdit(Edit):
    """An edit in a notebook cell, as :mod:`torchup.notebook` maps them (``line`` within the cell)."""

    cell: int = 0


def test_notebook_records_name_their_cell_instead_of_a_file_line():
    record = CellEdit("TU303", 3, 18, "`async=` renamed", cell=4)
    report = Report((FileOutcome("nb.ipynb", Status.CHANGED, (record,)),), WriteBack.CHECK, "check")
    (line,) = render(report, "github").splitlines()
    assert (
        line
        == "::notice file=nb.ipynb,title=TU303 (fixable%3A torchup fix rewrites this)::cell 4, line 3: `async=` renamed"
    )
    document = to_sarif(report)
    validate_sarif(document)
    (result,) = document["runs"][0]["results"]
    assert result["message"]["text"] == "cell 4, line 3: `async=` renamed"
    assert result["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "nb.ipynb"}}}]
    assert result["properties"]["cell"] == 4 and result["properties"]["cellLine"] == 3


def test_a_failure_without_a_line_is_annotated_on_the_file_not_on_line_zero():
    # An internal error has no place in the file: the runner writes it as "line 0: ...".
    error = "line 0: internal error (RuntimeError: boom at volatile.py:12)"
    report = Report(
        (FileOutcome("models/broken.py", Status.FAILED, error=error, error_kind="internal"),), WriteBack.CHECK, "check"
    )
    [annotation] = render(report, "github").splitlines()
    assert annotation.startswith("::error file=models/broken.py,title=torchup could not process this file::")
    assert "line=" not in annotation
    assert annotation.endswith("internal error (RuntimeError: boom at volatile.py:12)")
    sarif = to_sarif(report)
    [notification] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "region" not in notification["locations"][0]["physicalLocation"]


def test_a_sarif_rule_describes_the_whole_what_it_does_section_across_its_paragraphs():
    rules = {rule["id"]: rule for rule in sarif_rules()}
    text = rules["TU102"]["fullDescription"]["text"]
    assert text.startswith("Unwraps every ``Variable(...)`` call that carries a volatile flag")
    assert "- ``volatile=True`` -> ``with torch.no_grad():``;" in text  # after the first blank line
    assert text.count("\n\n") >= 2  # every paragraph, not the first alone
    assert "Why" not in text.splitlines()  # the next section is not part of it


def test_unknown_format_message_lists_the_formats():
    with pytest.raises(ValueError) as raised:
        render(sample_report(), "xml")
    assert str(raised.value) == "unknown output format 'xml'; choose one of text, json, github, sarif"


def test_sarif_notifications_name_the_failed_file_and_columns_are_code_points():
    (sarif_run,) = to_sarif(sample_report())["runs"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notes] == [
        ("error", "old/py2.py: invalid syntax (looks like Python 2)"),
        ("error", "unreadable.py: cannot read: Permission denied"),
    ]


def test_a_notebook_result_gives_its_cell_line_and_one_based_column():
    record = CellEdit("TU303", 3, 18, "`async=` renamed", cell=4)
    report = Report((FileOutcome("nb.ipynb", Status.CHANGED, (record,)),), WriteBack.CHECK, "check")
    (result,) = to_sarif(report)["runs"][0]["results"]
    assert result["properties"] == {"kind": "edit", "fixable": True, "cell": 4, "cellLine": 3, "cellColumn": 19}


def test_a_parse_error_over_several_lines_keeps_its_line_and_whole_reason():
    error = "line 4: unexpected indent\n    x = 1"
    report = Report((FileOutcome("a.py", Status.FAILED, error=error, error_kind="parse"),), WriteBack.CHECK, "check")
    assert render(report, "github") == (
        "::error file=a.py,line=4,title=torchup could not process this file::unexpected indent%0A    x = 1\n"
    )
    [notification] = to_sarif(report)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"] == "a.py: unexpected indent\n    x = 1"
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}


def test_an_unused_noqa_result_names_no_rule_index_for_it_is_no_codemod():
    idle = Finding("TU000", 2, 7, "unused `noqa` directive: no TU101 edit or finding on this line")
    report = Report((FileOutcome("a.py", Status.UNCHANGED, (idle,)),), WriteBack.CHECK, "check")
    document = to_sarif(report)
    validate_sarif(document)
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "TU000" and "ruleIndex" not in result
