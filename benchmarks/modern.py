"""``make modern``: torchup on modern code that needs no migration, every edit listed for review.

A migrated repository keeps torchup in pre-commit and CI, so torchup runs over modern code every
day. This installs pinned releases of torchvision, timm, transformers, lightning and torchaudio
(``pip install --no-deps --target build/modern/<name>``: their sources only, nothing imported),
adds the sources of the torch in this environment, and runs, as a user would:

* ``torchup check --unsafe-fixes --report``: files, edits and findings per code and per package;
* ``torchup fix --diff --unsafe-fixes``: the diff, written to ``build/modern/modern.diff`` (a
  cache of the run's own, emptied first, spares it the files ``check`` found nothing to change in).

It prints the figures, then every edit (``path:line:col CODE message``) and every finding, so a
person can review each one; the same listing goes to ``build/modern/review.txt``. The goal:
no edit that changes behaviour, no churn (a rewrite of an API torch does not deprecate), and
findings a reviewer agrees with at least 95% of the time.

``--jobs N`` (default 2) is passed on; ``--skip-install`` uses what ``build/modern`` holds;
``--packages torch,timm`` runs a subset; ``--no-diff`` skips the diff.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "modern"
CACHE = BUILD / "cache"
# Releases current when the list was made (torchvision 0.29.1 is the newest the index allows
# beside torch 2.13 here); the package directory to check inside each target.
PINS: Dict[str, Tuple[str, str]] = {
    "torchvision": ("0.29.1", "torchvision"),
    "timm": ("1.0.31", "timm"),
    "transformers": ("5.25.0", "transformers"),
    "lightning": ("2.6.6", "lightning"),
    "torchaudio": ("2.11.1", "torchaudio"),
}


def install(jobs: int) -> None:
    for name, (version, _) in PINS.items():
        target = BUILD / name
        if (target / f"{name}-{version}.dist-info").is_dir():
            continue
        print(f"installing {name}=={version} into {target.relative_to(ROOT)}", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary", ":all:",
             "--upgrade", "--target", str(target), f"{name}=={version}"],
            check=True,
        )


def sources() -> Dict[str, Path]:
    """Each package's source directory, torch's from this environment (found, not imported)."""
    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:
        raise SystemExit("torch is not installed in this environment")
    found = {"torch": Path(spec.origin).parent}
    for name, (_, package) in PINS.items():
        found[name] = BUILD / name / package
    return found


def torchup(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # Run beside the package: discovery skips `build/`, `site-packages` and virtual environments
    # on the way to a path, as it should in a repository. A cache of this run's own (emptied
    # first): `fix --diff` then replays every file `check` found nothing to change in.
    environment = {**os.environ, "TORCHUP_CACHE_DIR": str(CACHE)}
    return subprocess.run(
        [sys.executable, "-m", "torchup", *args], capture_output=True, text=True, cwd=cwd, check=False, env=environment
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--packages", help="comma-separated subset (default: all, torch included)")
    parser.add_argument("--no-diff", action="store_true", help="skip `fix --diff` (the listing has every edit)")
    options = parser.parse_args()
    BUILD.mkdir(parents=True, exist_ok=True)
    if not options.skip_install:
        install(options.jobs)
    packages = sources()
    if options.packages:
        packages = {name: packages[name] for name in options.packages.split(",")}
    jobs = ["-j", str(options.jobs)]
    shutil.rmtree(CACHE, ignore_errors=True)  # every figure from a full run

    files: Counter = Counter()
    edits: Dict[str, Counter] = {name: Counter() for name in packages}
    findings: Dict[str, Counter] = {name: Counter() for name in packages}
    listing: List[str] = []
    diffs: List[str] = []
    check_s = diff_s = 0.0
    for name, directory in packages.items():
        files[name] = sum(1 for _ in directory.rglob("*.py"))
        report_path = BUILD / f"check-{name}.json"
        started = time.perf_counter()
        check = torchup(directory.parent, "check", "--unsafe-fixes", *jobs, "--report", str(report_path), directory.name)
        check_s += time.perf_counter() - started
        if check.returncode not in (0, 1):
            raise SystemExit(f"torchup check failed on {name} ({check.returncode}):\n{check.stderr[-4000:]}")
        if not options.no_diff:
            started = time.perf_counter()
            diff = torchup(directory.parent, "fix", "--diff", "--unsafe-fixes", "--no-color", *jobs, directory.name)
            diff_s += time.perf_counter() - started
            diffs.append(diff.stdout)
        report = json.loads(report_path.read_text())
        for file in report["files"]:
            for record in file.get("records", []):
                where = f"{file['path']}:{record['line']}:{record['column']}"
                if record["kind"] == "edit":
                    edits[name][record["code"]] += 1
                    listing.append(f"EDIT    {where}: {record['code']} [{record['safety']}] {record['message']}")
                else:
                    findings[name][record["code"]] += 1
                    listing.append(f"FINDING {where}: {record['code']} {record['message']}")
    (BUILD / "modern.diff").write_text("".join(diffs))

    lines = [
        f"torchup on modern packages (check --unsafe-fixes {check_s:.0f} s, fix --diff {diff_s:.0f} s, -j{options.jobs})",
        f"{'package':<14}{'version':<12}{'files':>7}{'edits':>7}{'findings':>10}  per code (edits/findings)",
    ]
    for name in packages:
        version = PINS[name][0] if name in PINS else _torch_version()
        per_code = ", ".join(
            f"{code} {edits[name][code]}/{findings[name][code]}"
            for code in sorted(edits[name].keys() | findings[name].keys())
        )
        lines.append(
            f"{name:<14}{version:<12}{files[name]:>7}{sum(edits[name].values()):>7}"
            f"{sum(findings[name].values()):>10}  {per_code or '-'}"
        )
    total_edits = sum(sum(c.values()) for c in edits.values())
    total_findings = sum(sum(c.values()) for c in findings.values())
    lines.append(f"{'total':<26}{sum(files.values()):>7}{total_edits:>7}{total_findings:>10}")
    summary = "\n".join(lines)
    (BUILD / "review.txt").write_text(summary + "\n\n" + "\n".join(listing) + "\n")
    print(summary)
    print()
    print("\n".join(listing))
    print(f"\ndiff: {(BUILD / 'modern.diff').relative_to(ROOT)}; listing: {(BUILD / 'review.txt').relative_to(ROOT)}", file=sys.stderr)


def _torch_version() -> str:
    from importlib.metadata import version

    return version("torch")


if __name__ == "__main__":
    main()
