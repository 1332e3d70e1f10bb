"""The main job, end to end, on the bundled corpus: `make demo`.

Copies every case's legacy/ sources to a scratch directory (the tracked files are never touched),
shows the dry-run diff of two cases, applies `torchup fix --unsafe-fixes` to each case, proves each
migration with `torchup verify`, and ends with one table: case, edits by code, findings left for a
person, and the verdict of every verifier check.

Exit status: 0 when every case not marked xfail in its verify.toml gets its expected verdict:
equivalent, or `expect = "legacy does not run"` for legacy code that raises on torch 2.x.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib
from pathlib import Path
from typing import Dict, List

CORPUS = Path(__file__).resolve().parent
PREVIEW = ("transformer", "batch_norm")
CHECKS = ("state_dict", "outputs", "gradients", "checkpoint", "device_portability", "cuda")
SHORT = {"pass": "ok", "fail": "FAIL", "not checked": "-"}


def torchup(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "torchup", *args], capture_output=True, text=True)


def banner(text: str) -> None:
    print(f"\n=== {text} ===", flush=True)


EXIT_FOR_VERDICT = {"equivalent": 0, "legacy does not run": 3}


def cases() -> List[Path]:
    return sorted(path.parent for path in CORPUS.glob("*/verify.toml"))


def edits_and_findings(report_path: Path) -> tuple:
    document = json.loads(report_path.read_text())
    edits: Dict[str, int] = document["summary"]["edits"]
    return ", ".join(f"{code} x{n}" for code, n in edits.items()) or "-", document["summary"]["findings"]


def check_cells(report_path: Path) -> tuple:
    if not report_path.exists():
        return ["?"] * len(CHECKS), "error"
    document = json.loads(report_path.read_text())
    cells = {check: "-" for check in CHECKS}
    for model in document["models"]:
        for check in model["checks"]:
            name, status = check["name"], SHORT.get(check["status"], check["status"])
            if name in cells and (cells[name] in ("-", "ok") or status == "FAIL"):
                cells[name] = status if cells[name] != "FAIL" else "FAIL"
    return [cells[c] for c in CHECKS], document["verdict"]


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="torchup-demo-"))
    started = time.monotonic()
    all_cases = cases()
    print(f"torchup demo: {len(all_cases)} legacy models from corpus/, copied to {scratch}")
    for case in all_cases:
        shutil.copytree(case / "legacy", scratch / case.name)

    for name in PREVIEW:
        if (scratch / name).is_dir():
            banner(f"dry run: torchup fix --diff --unsafe-fixes {name}/")
            print(torchup("fix", "--diff", "--unsafe-fixes", "--no-color", str(scratch / name)).stdout, end="")

    banner("torchup fix --unsafe-fixes, then torchup verify, per case")
    rows = []
    failures = []
    for case in all_cases:
        spec = tomllib.loads((case / "verify.toml").read_text())
        migrated = scratch / case.name
        fix_report = scratch / f"{case.name}.fix.json"
        verify_report = scratch / f"{case.name}.verify.json"
        torchup("fix", "--unsafe-fixes", "--quiet", "--report", str(fix_report), str(migrated))
        verified = torchup(
            "verify",
            "--old", str(case / "legacy"),
            "--new", str(migrated),
            "--spec", str(case / "verify.toml"),
            "--report", str(verify_report),
        )
        edits, findings = edits_and_findings(fix_report)
        cells, verdict = check_cells(verify_report)
        expected_failure = spec.get("xfail")
        # A case whose legacy code raises on torch 2.x expects that verdict (exit 3), its migrated
        # side checked alone.
        expected_verdict = spec.get("expect", "equivalent")
        if expected_failure:
            verdict = f"xfail ({verdict})"
        elif verdict != expected_verdict or verified.returncode != EXIT_FOR_VERDICT.get(expected_verdict, 0):
            failures.append(case.name)
            print(verified.stderr[-2000:], file=sys.stderr)
        rows.append([case.name, edits, str(findings), *cells, verdict])
        print(f"  {case.name}: {verdict}", flush=True)

    banner("results")
    header = ["case", "edits", "findings", *CHECKS, "verdict"]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"\n{len(rows) - len(failures)} of {len(rows)} cases as expected; scratch copy in {scratch}; "
          f"{time.monotonic() - started:.0f} s")
    if failures:
        print(f"NOT as expected: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
