"""``make mutate``'s summary: the kill rate per package and the mutants that survived.

mutmut 3 keeps each mutated file's results in ``mutants/<path>.meta`` (JSON: mutant name -> the
exit code of its test run). The codemods are mutated as ``torchup.codemods.X``, the module they run
in (see the Makefile). This reads them all, sorts each mutant into the package the issue
measures (``verify`` = ``src/torchup/verify/``, ``codemods`` = ``codemods/``, ``engine`` = the rest
of ``src/torchup/``), and prints, per package, how many of the mutants that were run a test killed.

Mutants that were never run (``not checked``: outside the ``make mutate`` selection, or the run
was stopped) are counted apart and left out of the rate. ``no tests`` (no test reached the
mutated function) and ``survived`` are both failures of the tests. Mutants listed in
``benchmarks/equivalent_mutants.txt`` (one name, then ``#`` and the reason, per line) change no
behaviour; they are left out of the rate and shown with their reason.

    python benchmarks/mutation_report.py [--diff] [--package verify]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("equivalent_mutants.txt")

# mutmut 3.8's exit codes (mutmut.stats.status_by_exit_code), in the words its `results` uses.
KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout", 37: "killed"}
NOT_RUN = {None: "not checked", 2: "interrupted", 34: "skipped"}
NOT_KILLED = {0: "survived", 5: "no tests", 33: "no tests"}
PACKAGES = ("verify", "engine", "codemods")


def package_of(mutant: str) -> str:
    if mutant.startswith("torchup.codemods."):
        return "codemods"
    if mutant.startswith("torchup.verify."):
        return "verify"
    return "engine"


def equivalent_mutants() -> Dict[str, str]:
    reasons: Dict[str, str] = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text().splitlines():
            name, _, reason = line.partition("#")
            if name.strip():
                reasons[name.strip()] = reason.strip()
    return reasons


def results() -> Dict[str, object]:
    """Every mutant name and its exit code, from all the .meta files under mutants/."""
    codes: Dict[str, object] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


def status_of(code: object) -> str:
    for table in (KILLED, NOT_RUN, NOT_KILLED):
        if code in table:
            return table[code]
    return "suspicious"  # a crash of the run itself (segfault, an unknown code): not a kill


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="show each survivor's diff (mutmut show)")
    parser.add_argument("--package", choices=PACKAGES, action="append", help="only these packages")
    options = parser.parse_args(argv)
    if not MUTANTS.is_dir():
        print("no mutants/ here: run `make mutate` first", file=sys.stderr)
        return 2
    equivalent = equivalent_mutants()
    counts: Dict[str, Counter] = defaultdict(Counter)
    survivors: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
    for name, code in results().items():
        package = package_of(name)
        status = status_of(code)
        if status in NOT_RUN.values():
            counts[package]["not run"] += 1
        elif name in equivalent:
            counts[package]["equivalent"] += 1
        elif code in KILLED:
            counts[package]["killed"] += 1
        else:
            counts[package]["not killed"] += 1
            counts[package][status] += 1
            survivors[package].append((name, status))
    packages = options.package or PACKAGES
    # "no tests": no test reached the function in pytest's own process. mutmut maps tests to
    # functions there only, so code that runs only in the verifier's worker subprocesses lands here.
    print(
        f"{'package':<10} {'killed':>7} {'run':>6} {'rate':>7} {'survived':>9} {'no tests':>9} "
        f"{'rate when reached':>18} {'equivalent':>11} {'not run':>8}"
    )
    for package in packages:
        c = counts[package]
        run = c["killed"] + c["not killed"]
        reached = run - c["no tests"]
        rate = f"{100 * c['killed'] / run:.1f}%" if run else "-"
        reached_rate = f"{100 * c['killed'] / reached:.1f}%" if reached else "-"
        print(
            f"{package:<10} {c['killed']:>7} {run:>6} {rate:>7} {c['survived']:>9} {c['no tests']:>9} "
            f"{reached_rate:>18} {c['equivalent']:>11} {c['not run']:>8}"
        )
    for package in packages:
        if not survivors[package]:
            continue
        print(f"\nsurvivors in {package} ({len(survivors[package])}):")
        for name, status in sorted(survivors[package]):
            print(f"  {status:<10} {name}")
            if options.diff:
                diff = subprocess.run(
                    [sys.executable, "-m", "mutmut", "show", name], cwd=ROOT, capture_output=True, text=True
                ).stdout
                print("\n".join("      " + line for line in diff.splitlines()[1:]))
    listed = [name for name in equivalent if package_of(name) in packages]
    if listed:
        print(f"\nequivalent mutants, left out of the rate ({len(listed)}): see {EQUIVALENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
