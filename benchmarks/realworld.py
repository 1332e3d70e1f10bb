"""``make realworld``: torchup on real legacy code, against its maintainers' own migrations.

It copies the legacy files of ``corpus/real/`` (listed in ``corpus/real/SOURCES.toml``) into a
scratch directory, runs ``torchup fix --unsafe-fixes`` there, then ``torchup check --unsafe-fixes``
on the result, and counts the legacy idioms with ``legacy_idioms.py`` (its own patterns, not
torchup's) in three places: the legacy files, the maintainers' migrations of the files that have
one, and torchup's migration. A leftover counts as *reported* when ``torchup check`` gives a
finding on one of its statement's lines, else as *silent*.

Then it runs ``torchup verify`` on every ``corpus/real/<repository>/verify.toml``: the legacy
tree and the migrated tree each get the repository's ``harness/`` modules (inputs and factories
written for this corpus, never part of the real files) and are compared model by model.

It prints the markdown that goes into the README between ``<!-- realworld:begin -->`` and
``<!-- realworld:end -->`` (``--write-readme`` puts it there), then, after it, every silent
leftover and every leftover the maintainers did not leave, by file and line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import legacy_idioms  # noqa: E402 - the sibling module, whatever the current directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "corpus" / "real"
README = REPO / "README.md"
BEGIN = "<!-- realworld:begin -->\n"
END = "<!-- realworld:end -->"
# Fails on the legacy side by design: it lists the leaks that the migration removed.
INFORMATIONAL_CHECKS = frozenset({"old_device_leaks"})
ACCEPTED_STATUSES = frozenset({"pass", "not checked"})
CLI_TIMEOUT_S = 900


@dataclass(frozen=True)
class RealFile:
    repository: str
    legacy: str  # relative to corpus/real/: <slug>/legacy/<path>
    reference: Optional[str]  # <slug>/reference/<path>, when the maintainers migrated it

    @property
    def slug(self) -> str:
        return self.legacy.split("/", 1)[0]

    @property
    def inner(self) -> str:
        """The path inside the repository (and inside the scratch copy of its legacy tree)."""
        return self.legacy.split("/", 2)[2]


@dataclass(frozen=True)
class FileCounts:
    real: RealFile
    legacy: Tuple[legacy_idioms.Occurrence, ...]
    reference: Optional[Tuple[legacy_idioms.Occurrence, ...]]
    migrated: Tuple[legacy_idioms.Occurrence, ...]
    reported: Tuple[bool, ...]  # per migrated occurrence: a finding on its lines


def load_manifest(real: Path = REAL) -> Dict[str, object]:
    with (real / "SOURCES.toml").open("rb") as handle:
        return tomllib.load(handle)


def real_files(manifest: Mapping[str, object]) -> List[RealFile]:
    return [
        RealFile(repository=entry["repository"], legacy=entry["legacy"], reference=entry.get("reference"))
        for entry in manifest["file"]
    ]


def _torchup(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "torchup", *args], cwd=cwd, capture_output=True, text=True, timeout=CLI_TIMEOUT_S
    )


def migrate(files: Sequence[RealFile], scratch: Path, real: Path = REAL) -> Path:
    """Copies every legacy tree to ``scratch/migrated/<slug>/`` and runs ``torchup fix --unsafe-fixes``."""
    migrated = scratch / "migrated"
    for slug in sorted({real_file.slug for real_file in files}):
        shutil.copytree(real / slug / "legacy", migrated / slug, ignore=shutil.ignore_patterns("__pycache__"))
    fixed = _torchup("fix", "--unsafe-fixes", "--no-color", "--no-cache", "--quiet", str(migrated), cwd=scratch)
    if fixed.returncode not in (0, 1):
        raise SystemExit(f"torchup fix failed (exit {fixed.returncode}):\n{fixed.stderr}")
    return migrated


def findings_by_file(migrated: Path, scratch: Path) -> Dict[str, Set[int]]:
    """``torchup check --unsafe-fixes`` on the migration: the lines with a finding, per relative path."""
    checked = _torchup(
        "check", "--unsafe-fixes", "--no-color", "--no-cache", "--quiet", "--output-format", "json",
        str(migrated), cwd=scratch,
    )
    if checked.returncode not in (0, 1):
        raise SystemExit(f"torchup check failed (exit {checked.returncode}):\n{checked.stderr}")
    report = json.loads(checked.stdout)
    lines: Dict[str, Set[int]] = {}
    for entry in report["files"]:
        relative = Path(entry["path"]).resolve().relative_to(migrated.resolve()).as_posix()
        lines[relative] = {record["line"] for record in entry["records"] if record["kind"] == "finding"}
    return lines


def _is_reported(occurrence: legacy_idioms.Occurrence, finding_lines: Set[int]) -> bool:
    return any(occurrence.first_line <= line <= occurrence.last_line for line in finding_lines)


def count_files(files: Sequence[RealFile], migrated: Path, findings: Mapping[str, Set[int]], real: Path = REAL) -> List[FileCounts]:
    results = []
    for real_file in files:
        legacy = tuple(legacy_idioms.count((real / real_file.legacy).read_text(encoding="utf-8")))
        reference = None
        if real_file.reference:
            reference = tuple(legacy_idioms.count((real / real_file.reference).read_text(encoding="utf-8")))
        relative = f"{real_file.slug}/{real_file.inner}"
        after = tuple(legacy_idioms.count((migrated / relative).read_text(encoding="utf-8")))
        lines = findings.get(relative, set())
        results.append(
            FileCounts(
                real=real_file,
                legacy=legacy,
                reference=reference,
                migrated=after,
                reported=tuple(_is_reported(occurrence, lines) for occurrence in after),
            )
        )
    return results


@dataclass(frozen=True)
class Row:
    kind: str
    legacy: int
    torchup_leaves: int
    reported: int
    silent: int
    legacy_with_reference: int
    maintainers_leave: int
    torchup_leaves_with_reference: int


def table_rows(counts: Sequence[FileCounts]) -> List[Row]:
    rows = []
    for kind in legacy_idioms.KINDS:
        def of(occurrences):
            return sum(1 for occurrence in occurrences if occurrence.kind == kind)

        left = [(o, r) for c in counts for o, r in zip(c.migrated, c.reported) if o.kind == kind]
        with_reference = [c for c in counts if c.reference is not None]
        rows.append(
            Row(
                kind=kind,
                legacy=sum(of(c.legacy) for c in counts),
                torchup_leaves=len(left),
                reported=sum(1 for _, reported in left if reported),
                silent=sum(1 for _, reported in left if not reported),
                legacy_with_reference=sum(of(c.legacy) for c in with_reference),
                maintainers_leave=sum(of(c.reference) for c in with_reference),
                torchup_leaves_with_reference=sum(of(c.migrated) for c in with_reference),
            )
        )
    return rows


def render_table(counts: Sequence[FileCounts]) -> str:
    rows = table_rows(counts)
    repositories = {c.real.repository for c in counts}
    with_reference = [c for c in counts if c.reference is not None]
    lines = [
        f"{len(counts)} legacy files from {len(repositories)} repositories; {len(with_reference)} of them "
        f"with their maintainers' own migration (the *reference* columns count those files only).",
        "",
        "| legacy idiom | legacy | torchup leaves | reported | silent | legacy (ref. files) | maintainers leave | torchup leaves (ref. files) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    totals = [0] * 7
    for row in rows:
        values = [row.legacy, row.torchup_leaves, row.reported, row.silent,
                  row.legacy_with_reference, row.maintainers_leave, row.torchup_leaves_with_reference]
        totals = [t + v for t, v in zip(totals, values)]
        lines.append(f"| {legacy_idioms.KINDS[row.kind]} | " + " | ".join(str(v) for v in values) + " |")
    lines.append("| **all** | " + " | ".join(f"**{v}**" for v in totals) + " |")
    return "\n".join(lines) + "\n"


def gap_details(counts: Sequence[FileCounts]) -> str:
    """Every silent leftover, and per kind the files where torchup leaves more than the maintainers."""
    lines = ["Silent leftovers in the migration (migrated <repository>/<path>:line, no finding on the statement):"]
    for c in counts:
        for occurrence, reported in zip(c.migrated, c.reported):
            if not reported:
                lines.append(f"  {c.real.slug}/{c.real.inner}:{occurrence.line}: {occurrence.kind}")
    lines.append("Files where torchup leaves more of a kind than the maintainers did:")
    for c in counts:
        if c.reference is None:
            continue
        ours = legacy_idioms.tally(c.migrated)
        theirs = legacy_idioms.tally(c.reference)
        for kind in legacy_idioms.KINDS:
            if ours[kind] > theirs[kind]:
                where = ", ".join(str(o.line) for o in c.migrated if o.kind == kind)
                lines.append(f"  {c.real.slug}/{c.real.inner}: {kind}: torchup {ours[kind]} (lines {where}), maintainers {theirs[kind]}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ModelVerdict:
    repository: str
    model: str
    verdict: str
    failing: Tuple[str, ...]


def verify_models(migrated: Path, scratch: Path, real: Path = REAL) -> List[ModelVerdict]:
    verdicts = []
    for spec in sorted(real.glob("*/verify.toml")):
        slug = spec.parent.name
        old = scratch / "old" / slug
        new = scratch / "new" / slug
        shutil.copytree(real / slug / "legacy", old, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(migrated / slug, new, ignore=shutil.ignore_patterns("__pycache__"))
        harness = real / slug / "harness"
        for root in (old, new):
            for module in sorted(harness.glob("*.py")):
                shutil.copy2(module, root / module.name)
        report_path = scratch / f"{slug}.verify.json"
        ran = _torchup("verify", "--old", str(old), "--new", str(new), "--spec", str(spec),
                       "--device", "cpu", "--report", str(report_path), cwd=scratch)
        repository = slug.replace("__", "/")
        if not report_path.exists():
            tail = (ran.stderr.strip().splitlines() or ["no output"])[-1]
            verdicts.append(ModelVerdict(repository, "(all)", "error", (tail,)))
            continue
        report = json.loads(report_path.read_text(encoding="utf-8"))
        for model in report["models"]:
            failing = [
                check["name"] for check in model["checks"]
                if check["name"] not in INFORMATIONAL_CHECKS and check["status"] not in ACCEPTED_STATUSES
            ]
            if model.get("error"):
                message = (model["error"].get("message") or "").splitlines()
                failing.append(f"{model['error'].get('side')} side: {message[0] if message else 'error'}")
            verdicts.append(ModelVerdict(repository, model["name"], model["verdict"], tuple(failing)))
    return verdicts


def render_verdicts(verdicts: Sequence[ModelVerdict]) -> str:
    proven = sum(1 for v in verdicts if v.verdict == "equivalent")
    lines = [
        f"`torchup verify` on the real models (CPU): {proven} of {len(verdicts)} proven equivalent.",
        "",
        "| repository | model | verdict | failing checks |",
        "|---|---|---|---|",
    ]
    for v in verdicts:
        failing = "; ".join(item.replace("|", "\\|") for item in v.failing) or "-"
        lines.append(f"| {v.repository} | {v.model} | {v.verdict} | {failing} |")
    return "\n".join(lines) + "\n"


def write_readme(block: str, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    start = text.index(BEGIN) + len(BEGIN)
    readme.write_text(text[:start] + block + text[text.index(END):], encoding="utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-verify", action="store_true", help="count idioms only; skip torchup verify")
    parser.add_argument("--write-readme", action="store_true", help="put the table into README.md")
    options = parser.parse_args(argv)
    files = real_files(load_manifest())
    with tempfile.TemporaryDirectory(prefix="torchup-realworld-") as directory:
        scratch = Path(directory)
        migrated = migrate(files, scratch)
        counts = count_files(files, migrated, findings_by_file(migrated, scratch))
        block = render_table(counts)
        if not options.no_verify:
            block += "\n" + render_verdicts(verify_models(migrated, scratch))
    print(BEGIN + block + END)
    print()
    print(gap_details(counts), end="")
    if options.write_readme:
        write_readme(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
