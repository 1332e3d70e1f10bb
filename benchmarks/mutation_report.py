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

With ``--sample FILE`` (``mutants/sample.txt``, written by ``mutation_sample.py``) only the sampled
mutants count, and each package's rate comes with the size of its sample, the population it was
drawn from and a 95% confidence interval (Wilson's score interval: it stays inside 0-100% and
holds for rates near 100%, where the normal approximation does not). The interval counts only
the sampling error: a mutant that the run left unchecked, or listed as equivalent, leaves the
sample smaller.

    python benchmarks/mutation_report.py [--diff] [--package verify] [--sample mutants/sample.txt]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("equivalent_mutants.txt")
SAMPLE = MUTANTS / "sample.txt"

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


@dataclass(frozen=True)
class Sample:
    """A sample file: the names drawn, each package's population, and the line that drew them."""

    names: FrozenSet[str]
    populations: Dict[str, int]
    drawn_by: str


def read_sample(path: Path) -> Sample:
    populations: Dict[str, int] = {}
    names = set()
    drawn_by = ""
    for line in path.read_text().splitlines():
        if line.startswith("# ") and " of " in line:
            package, _, counts = line[2:].partition(": ")
            populations[package] = int(counts.split(" of ")[1])
        elif line.startswith("# "):
            drawn_by = line[2:]
        elif line.strip():
            names.add(line.strip())
    return Sample(frozenset(names), populations, drawn_by)


def wilson_interval(killed: int, run: int, z: float = 1.96) -> Tuple[float, float]:
    """The 95% score interval of a proportion ``killed / run`` (Wilson 1927)."""
    p = killed / run
    centre = (p + z * z / (2 * run)) / (1 + z * z / run)
    half = z * math.sqrt(p * (1 - p) / run + z * z / (4 * run * run)) / (1 + z * z / run)
    # exact at the ends, where rounding would leave 1.0 (all killed) just outside its own interval
    return (0.0 if killed == 0 else centre - half), (1.0 if killed == run else centre + half)


def status_of(code: object) -> str:
    for table in (KILLED, NOT_RUN, NOT_KILLED):
        if code in table:
            return table[code]
    return "suspicious"  # a crash of the run itself (segfault, an unknown code): not a kill


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="show each survivor's diff (mutmut show)")
    parser.add_argument("--package", choices=PACKAGES, action="append", help="only these packages")
    parser.add_argument("--sample", type=Path, help="count only the mutants of this sample file")
    options = parser.parse_args(argv)
    if not MUTANTS.is_dir():
        print("no mutants/ here: run `make mutate` first", file=sys.stderr)
        return 2
    sample: Optional[Sample] = read_sample(options.sample) if options.sample else None
    equivalent = equivalent_mutants()
    counts: Dict[str, Counter] = defaultdict(Counter)
    survivors: Dict[str, List[Tuple[str, str]]] = defaultdict(list)
    for name, code in results().items():
        if sample is not None and name not in sample.names:
            continue
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
    if sample is not None:
        print_sample(sample, counts, packages)
    else:
        print_table(counts, packages)
    survivors_listed(survivors, packages, options.diff)
    listed = [name for name in equivalent if package_of(name) in packages]
    if sample is not None:
        listed = [name for name in listed if name in sample.names]
    if listed:
        print(f"\nequivalent mutants, left out of the rate ({len(listed)}): see {EQUIVALENT.relative_to(ROOT)}")
    return 0


def print_sample(sample: Sample, counts: Dict[str, Counter], packages: Tuple[str, ...]) -> None:
    print(f"A RANDOM SAMPLE of the mutants, not all of them ({sample.drawn_by}); 95% Wilson interval:")
    print(
        f"{'package':<10} {'drawn':>6} {'of':>7} {'killed':>7} {'run':>5} {'rate':>7} {'95% interval':>15} "
        f"{'survived':>9} {'no tests':>9} {'equivalent':>11} {'not run':>8}"
    )
    for package in packages:
        c = counts[package]
        run = c["killed"] + c["not killed"]
        drawn = run + c["equivalent"] + c["not run"]
        if run:
            low, high = wilson_interval(c["killed"], run)
            rate, interval = f"{100 * c['killed'] / run:.1f}%", f"{100 * low:.1f}-{100 * high:.1f}%"
        else:
            rate, interval = "-", "-"
        print(
            f"{package:<10} {drawn:>6} {sample.populations.get(package, 0):>7} {c['killed']:>7} {run:>5} {rate:>7} "
            f"{interval:>15} {c['survived']:>9} {c['no tests']:>9} {c['equivalent']:>11} {c['not run']:>8}"
        )


def print_table(counts: Dict[str, Counter], packages: Tuple[str, ...]) -> None:
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


def survivors_listed(survivors: Dict[str, List[Tuple[str, str]]], packages: Tuple[str, ...], diff: bool) -> None:
    for package in packages:
        if not survivors[package]:
            continue
        print(f"\nsurvivors in {package} ({len(survivors[package])}):")
        for name, status in sorted(survivors[package]):
            print(f"  {status:<10} {name}")
            if diff:
                shown = subprocess.run(
                    [sys.executable, "-m", "mutmut", "show", name], cwd=ROOT, capture_output=True, text=True
                ).stdout
                print("\n".join("      " + line for line in shown.splitlines()[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
