"""Decisions no test tells apart: every clause of every condition, dropped one at a time.

The bugs a reviewer writes by hand that survive this suite are mostly changed decisions: a dropped
clause of a condition, a guard left out, a branch never taken, a negation lost. mutmut's operators
flip operators and constants; these are the person's. This script makes them mechanically, from
the stdlib ``ast`` of ``src/torchup/`` and ``codemods/``, so that a seeded sample of them measures
the suite the way a reviewer's sweep does, without anyone choosing where to look:

- ``drop-clause``: one operand of an ``and`` / ``or`` left out (``a and b and c`` -> ``a and c``);
- ``never-taken``: an ``if`` / ``elif`` test made ``False`` (the guard or the case is gone);
- ``else-always``: a conditional expression's test made ``False`` (``x if c else y`` -> ``y``);
- ``not-dropped``: a ``not`` left out (the guard inverted).

Each mutant is run as ``hand_mutations.py`` runs its entries (one tree copy, the mutated file
written in, the module's test files run with ``pytest -x``, the file put back); a module's test
files are those the hand-made entries for that file name. A surviving mutant is a decision the
module's tests do not pin down: either a test is missing, or the mutant changes no behaviour (a
speed screen whose absence only costs time, a redundant clause). The latter are listed, each with
its reason, in ``benchmarks/equivalent_clause_mutants.txt`` and left out of the rate.

    python benchmarks/clause_mutations.py --count                    # how many, per package
    python benchmarks/clause_mutations.py --sample 40 [--seed 2026] [--package engine] [-j 2]
    python benchmarks/clause_mutations.py --only ID ...              # rerun some by id
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import random
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hand_mutations  # noqa: E402  (a sibling script: its tree copy and test runner)

ROOT = hand_mutations.ROOT
# Survivors read and found to change no behaviour, each ``<id>  <reason>``: left out of the rate.
EQUIVALENT = ROOT / "benchmarks" / "equivalent_clause_mutants.txt"


@dataclass(frozen=True)
class ClauseMutant:
    id: str  # path::scope::kind[:operand]::digest (see mutants_of)
    package: str
    path: str
    start: int  # character offsets of the replaced span in the file's text
    end: int
    replacement: str
    line: int
    before: str  # the original span, for the report

    def applied_to(self, source: str) -> str:
        return source[: self.start] + self.replacement + source[self.end :]


def package_of(path: str) -> str:
    if path.startswith("codemods/"):
        return "codemods"
    return "verify" if path.startswith("src/torchup/verify/") else "engine"


def sources() -> List[str]:
    return hand_mutations.source_files()  # the files a drawn hand-made sweep goes into too


class _Offsets:
    """ast positions (line, UTF-8 byte column) as offsets into the text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def __call__(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8")
        return self.starts[line - 1] + len(text)

    def span(self, node: ast.AST) -> Tuple[int, int]:
        return self(node.lineno, node.col_offset), self(node.end_lineno, node.end_col_offset)


def mutants_of(path: str, text: Optional[str] = None) -> Iterator[ClauseMutant]:
    """The mutants of the file at ``path`` (relative to the root), or of ``text`` as that file.

    A mutant's id names its file, the function or class holding it, its kind and a digest of the
    decision's text, not its line: an edit elsewhere in the file leaves the ids (and the list of
    equivalent mutants) as they were. The same decision twice in one function gets ``#2``, ...
    """
    text = (ROOT / path).read_text(encoding="utf-8") if text is None else text
    offsets = _Offsets(text)
    package = package_of(path)
    tree = ast.parse(text)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    seen: Counter = Counter()

    def made(node: ast.AST, kind: str, span: Tuple[int, int], replacement: str, operand: Optional[int] = None) -> ClauseMutant:
        before = text[span[0] : span[1]]
        digest = hashlib.sha1(" ".join(before.split()).encode("utf-8")).hexdigest()[:6]
        name = f"{path}::{_scope(node, parents)}::{kind}{'' if operand is None else f':{operand}'}::{digest}"
        seen[name] += 1
        if seen[name] > 1:
            name += f"#{seen[name]}"
        return ClauseMutant(name, package, path, span[0], span[1], replacement, node.lineno, before)

    for node in ast.walk(tree):
        if isinstance(node, ast.BoolOp):
            joiner = " and " if isinstance(node.op, ast.And) else " or "
            spans = [offsets.span(value) for value in node.values]
            for dropped in range(len(node.values)):
                kept = [text[start:end] for index, (start, end) in enumerate(spans) if index != dropped]
                yield made(node, "drop-clause", offsets.span(node), "(" + joiner.join(kept) + ")", dropped)
        elif isinstance(node, ast.If) and not _is_type_checking(node.test):
            yield made(node, "never-taken", offsets.span(node.test), "False")
        elif isinstance(node, ast.IfExp):
            yield made(node, "else-always", offsets.span(node.test), "False")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            start, end = offsets.span(node)
            yield made(node, "not-dropped", (start, end), "(" + text[slice(*offsets.span(node.operand))] + ")")


def _scope(node: ast.AST, parents: Dict[ast.AST, ast.AST]) -> str:
    """The dotted names of the classes and functions around ``node`` (``<module>`` at the top)."""
    names = []
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
    return ".".join(reversed(names)) or "<module>"


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def all_mutants() -> List[ClauseMutant]:
    return [mutant for path in sources() for mutant in mutants_of(path)]


def equivalent(text: Optional[str] = None) -> Dict[str, str]:
    """The listed equivalent mutants' ids and reasons (a line without a reason is refused)."""
    if text is None:
        text = EQUIVALENT.read_text(encoding="utf-8") if EQUIVALENT.exists() else ""
    listed = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, reason = line.strip().partition(" ")
        if not reason.strip():
            raise SystemExit(f"{EQUIVALENT.name}:{number}: {name} has no reason")
        listed[name] = reason.strip()
    return listed


def test_files() -> Dict[str, Tuple[str, ...]]:
    """The test files of each module: those its hand-made entries name, else ``test_<stem>.py``."""
    named: Dict[str, set] = defaultdict(set)
    for mutation in hand_mutations.SWEEPS["all"]:
        named[mutation.path].update(mutation.tests)
    mapped = {}
    for path in sources():
        tests = named.get(path) or {test.relative_to(ROOT).as_posix() for test in ROOT.glob(f"tests/**/test_{Path(path).stem}*.py")}
        mapped[path] = tuple(sorted(test for test in tests if (ROOT / test).exists()))
    return mapped


def sample(mutants: Sequence[ClauseMutant], per_package: int, seed: int) -> List[ClauseMutant]:
    chosen = []
    for package in hand_mutations.PACKAGES:
        population = [mutant for mutant in mutants if mutant.package == package]
        chosen += random.Random(f"{seed}:{package}").sample(population, min(per_package, len(population)))
    return chosen


def _run_one(tree: Path, mutant: ClauseMutant, tests: Tuple[str, ...], timeout: float) -> Tuple[str, float, str]:
    if not tests:
        return "no tests", 0.0, ""
    path = tree / mutant.path
    source = path.read_text(encoding="utf-8")
    mutated = mutant.applied_to(source)
    try:
        compile(mutated, mutant.path, "exec")
    except SyntaxError as error:
        return "invalid", 0.0, str(error)
    path.write_text(mutated, encoding="utf-8")
    try:
        code, seconds, last = hand_mutations.run_tests(tree, tests, timeout)
    finally:
        path.write_text(source, encoding="utf-8")
    return ("survived" if code == 0 else "killed"), seconds, last


def run(mutants: Sequence[ClauseMutant], jobs: int, timeout: float) -> Dict[str, Counter]:
    """Each worker has a tree copy of its own, so two mutants never share a file."""
    counts: Dict[str, Counter] = {package: Counter() for package in hand_mutations.PACKAGES}
    mapped = test_files()
    left_out = equivalent()
    for mutant in mutants:
        if mutant.id in left_out:
            counts[mutant.package]["equivalent"] += 1
            print(f"EQUIVALENT {mutant.id}: {left_out[mutant.id]}", flush=True)
    mutants = [mutant for mutant in mutants if mutant.id not in left_out]
    queues = [list(mutants[index::jobs]) for index in range(jobs)]

    def work(queue: List[ClauseMutant]) -> None:
        with tempfile.TemporaryDirectory(prefix="torchup-clause-mutations-") as scratch:
            tree = hand_mutations.copy_tree(Path(scratch))
            hand_mutations.check_imports_from(tree)
            for mutant in queue:
                outcome, seconds, last = _run_one(tree, mutant, mapped[mutant.path], timeout)
                counts[mutant.package][outcome] += 1
                before = " ".join(mutant.before.split())[:90]
                print(f"{outcome.upper():<9} {mutant.id} (line {mutant.line}, {seconds:.0f} s): `{before}` -> `{mutant.replacement[:60]}`; {last}", flush=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in [pool.submit(work, queue) for queue in queues]:
            done.result()
    return counts


def print_summary(counts: Dict[str, Counter]) -> None:
    print("\npackage   killed/run  rate   equivalent  no tests  invalid")
    for package in hand_mutations.PACKAGES:
        count = counts[package]
        killed, survived = count["killed"], count["survived"]
        rate = f"{100 * killed / (killed + survived):.0f}%" if killed + survived else "-"
        print(f"{package:<9} {killed:>3}/{killed + survived:<7} {rate:<6} {count['equivalent']:<11} {count['no tests']:<9} {count['invalid']}")


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", action="store_true", help="count the mutants per package and kind, and stop")
    parser.add_argument("--sample", type=int, metavar="N", help="a seeded sample of N mutants per package")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--package", choices=hand_mutations.PACKAGES, action="append", help="only these packages")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these mutants (ids as printed)")
    parser.add_argument("--list", action="store_true", help="list the chosen mutants and stop")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per mutant's test run")
    options = parser.parse_args(argv)
    mutants = [mutant for mutant in all_mutants() if not options.package or mutant.package in options.package]
    if options.count:
        kinds = Counter((mutant.package, mutant.id.split("::")[2].split(":")[0]) for mutant in mutants)
        for (package, kind), number in sorted(kinds.items()):
            print(f"{package:<9} {kind:<12} {number}")
        print(f"all       {len(mutants)}")
        return 0
    if options.only:
        by_id = {mutant.id: mutant for mutant in mutants}
        unknown = [name for name in options.only if name not in by_id]
        if unknown:
            parser.error(f"unknown mutant ids: {', '.join(unknown)}")
        mutants = [by_id[name] for name in options.only]
    elif options.sample:
        mutants = sample(mutants, options.sample, options.seed)
    if options.list:
        for mutant in mutants:
            print(f"{mutant.id} (line {mutant.line}): `{' '.join(mutant.before.split())[:90]}` -> `{mutant.replacement[:60]}`")
        return 0
    counts = run(mutants, options.jobs, options.timeout)
    print_summary(counts)
    return 1 if any(counts[package]["survived"] for package in hand_mutations.PACKAGES) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
