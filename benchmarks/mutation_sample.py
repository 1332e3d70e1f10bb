"""``make mutate MUTATE_SAMPLE=N``'s first step: a seeded random sample of N mutants per package.

Running every mutant takes hours on a small machine (26,604 of them on 2026-12-05: 4,160 in the
verifier, 9,633 in the engine, 12,811 in the codemods). A simple random sample of each package
measures its kill rate within a known margin instead: ``mutation_report.py --sample`` prints the
rate of the sampled mutants with its 95% confidence interval.

This writes mutmut's mutants (its own first step: copy the tree into ``mutants/`` and write every
mutant, no test run), lists every mutant name from ``mutants/**/*.py.meta``, sorts the names of each
package and draws ``--size`` of them with ``random.Random(seed)``: the same tree, size and seed
give the same sample. The sample goes to ``mutants/sample.txt`` (a ``#`` header with the seed and
each package's population, then one name a line), which ``make mutate`` hands to ``mutmut run``.

    python benchmarks/mutation_sample.py --size 120 --seed 2026 [--package codemods] [--no-generate]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path
from typing import Dict, List, Sequence

from mutation_report import MUTANTS, PACKAGES, ROOT, SAMPLE, package_of, results


def generate(jobs: int) -> None:
    """mutmut's generation step alone (``mutmut run`` redoes it, skipping files already mutated)."""
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, setup_source_paths
    from mutmut.mutation.trampoline import set_mutant_under_test

    os.chdir(ROOT)
    set_mutant_under_test("mutant_generation")
    MUTANTS.mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(jobs)


def population() -> Dict[str, List[str]]:
    """Every mutant name, by package, sorted: the order a seed draws from."""
    names: Dict[str, List[str]] = {package: [] for package in PACKAGES}
    for name in results():
        names[package_of(name)].append(name)
    return {package: sorted(found) for package, found in names.items()}


def draw(names: Dict[str, List[str]], size: int, seed: int, packages: Sequence[str]) -> Dict[str, List[str]]:
    """``size`` names of each package (all of them when it has fewer), one generator for all."""
    chooser = random.Random(seed)
    return {package: sorted(chooser.sample(names[package], min(size, len(names[package])))) for package in packages}


def write_sample(path: Path, sample: Dict[str, List[str]], names: Dict[str, List[str]], size: int, seed: int) -> None:
    header = [f"# mutation_sample.py --size {size} --seed {seed}"]
    header += [f"# {package}: {len(chosen)} of {len(names[package])}" for package, chosen in sample.items()]
    lines = header + [name for chosen in sample.values() for name in chosen]
    path.write_text("\n".join(lines) + "\n")


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="mutants drawn per package")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--package", choices=PACKAGES, action="append", help="only these packages")
    parser.add_argument("--jobs", type=int, default=2, help="processes writing the mutants")
    parser.add_argument("--no-generate", action="store_true", help="sample the mutants/ already written")
    options = parser.parse_args(argv)
    if not options.no_generate:
        generate(options.jobs)
    names = population()
    if not any(names.values()):
        print("no mutants under mutants/: run without --no-generate", file=sys.stderr)
        return 2
    sample = draw(names, options.size, options.seed, options.package or PACKAGES)
    write_sample(SAMPLE, sample, names, options.size, options.seed)
    for package, chosen in sample.items():
        print(f"{package}: {len(chosen)} of {len(names[package])} mutants drawn", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
