"""``make bench``: torchup against TorchFix, the libcst floor and reading the bytes, on one tree.

For each size (about 500, 2,000 and 8,000 files; ``--sizes`` picks fewer) it builds the synthetic
repository of ``synthetic.py`` and measures, in this one run and on that one tree, each command as
a separate process (start-up and imports included, as a user or CI pays them):

* ``torchup fix --check -j2`` with an empty cache, then again with the cache it wrote;
* ``torchup fix -j2`` on a copy of the tree (it rewrites files);
* ``torchfix -j 2`` (TorchFix's spelling of the jobs option), from its own virtual environment:
  it pins ``libcst<1.6`` and torchup needs 1.9, so it cannot share torchup's;
* the libcst floor (parse + codegen) and reading the bytes, with ``benchmarks/reference.py``;
* on the files that need changes only, ``torchup fix --check -j1`` against the floor ``-j1``;
* on the files the text prefilter skips (no codemod's markers and pattern match), ``torchup fix
  --check -j1`` against reading them ``-j1``; and on the files only the second stage (the stdlib
  ``ast`` screens) keeps from libcst, the same.

Then, on the legacy-heavy tree (``corpus/real/`` and generated legacy modules, no modern filler:
what a user runs torchup on, nearly every file needing work), in the same run: ``torchup fix
--check --no-cache`` ``-j1`` and ``-j2`` against TorchFix ``-j 1`` and ``-j 2`` and against the
libcst floor (parse + codegen, one process), per legacy file; the floor with two workers, whose
ratio to TorchFix ``-j 2`` bounds what any tool that parses every file whole with libcst can reach
(``torchfix_over_floor_j2``); and the peak memory of one torchup
worker on the tree's largest file, and on torch's largest source (``--memory-file``), against
libcst's own parse of it (``--legacy-only`` runs this part alone).

Wall time comes from the clock around each process; CPU time (user + system) and peak RSS from
``os.wait4``, which reports the
largest resident set of the process and of every process it waited for, i.e. the peak of any one
process (a pool worker included). Ratios are the result; absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402 - the sibling module, whatever the current directory

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Outside the repository: its .gitignore (build/) would hide the tree from discovery.
DEFAULT_WORK = Path(tempfile.gettempdir()) / "torchup-bench"
DEFAULT_SIZES = (500, 2000, 8000)
JOBS = 2

# The targets of issue 7, each as (ratio name, comparison, bound).
TARGETS = (
    ("torchfix_over_torchup", ">=", 10.0),
    ("torchup_over_floor_changed", "<=", 1.5),
    ("torchup_over_read_prefiltered", "<=", 2.0),
    ("first_over_second_run", ">=", 20.0),
)


@dataclass(frozen=True)
class Measurement:
    name: str
    command: str
    files: int
    lines: int
    wall_s: float
    peak_rss_mb: float
    exit_code: int
    cpu_s: float = 0.0  # user + system of the process and the children it waited for

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall_s if self.wall_s else 0.0

    @property
    def lines_per_s(self) -> float:
        return self.lines / self.wall_s if self.wall_s else 0.0


def measure(
    name: str, command: Sequence[str], files: Sequence[Path], *, env: Optional[Mapping[str, str]] = None, lines: int = -1
) -> Measurement:
    """Run ``command`` once; its output is discarded (diffs to a terminal would be measured too)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    # wait4, not communicate(): its rusage is this process tree's, not every child's of the bench.
    stderr = b""
    if process.stderr is not None:
        stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        print(f"  ! {name} exited {process.returncode}: {' | '.join(tail)}", file=sys.stderr)
    count = lines if lines >= 0 else synthetic.count_lines(files)
    shown = " ".join(Path(part).name if os.sep in part and len(part) > 40 else part for part in command)
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(name, shown, len(files), count, wall, usage.ru_maxrss / 1024, process.returncode, cpu)


def _write_list(path: Path, files: Sequence[Path]) -> Path:
    path.write_text("".join(f"{file}\n" for file in files))
    return path


def _statuses(report: Path) -> Dict[str, str]:
    """Path -> status from a ``--report`` file (skipped files without findings are not listed)."""
    document = json.loads(report.read_text())
    return {entry["path"]: entry["status"] for entry in document["files"]}


def _cache_files(directory: Path) -> List[Path]:
    return sorted(directory.glob("cache.*.pickle")) if directory.exists() else []


def snapshot_torchup(work: Path) -> Path:
    """A copy of torchup's sources as they are now, to import instead of the checkout.

    Every torchup run of the bench then measures the same code even while the checkout is being
    edited, and the cache key (which fingerprints those sources) stays the same between runs.
    """
    root = work / "torchup-snapshot"
    shutil.rmtree(root, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "src" / "torchup", root / "torchup", ignore=ignore)
    shutil.copytree(REPO / "codemods", root / "torchup" / "codemods", ignore=ignore)
    return root


def _text_stage(snapshot: Path):  # -> Callable[[Path], bool]
    """Whether a file passes the first stage of the measured torchup's prefilter (a codemod's
    markers and pattern, or TU303's `async`): the files it rejects are those with no legacy
    marker, which the target compares with reading them."""
    sys.path.insert(0, str(snapshot))
    from torchup.registry import select

    codemods = select()

    def passes(path: Path) -> bool:
        text = path.read_text(encoding="utf-8", errors="replace")
        return "async" in text or any(cls.may_apply(text) for cls in codemods)

    return passes


def bench_size(size: int, work: Path, torchfix: Optional[str], seed: int, snapshot: Path) -> Dict[str, object]:
    python = sys.executable
    torchup = _torchup_command(snapshot)
    reference = [python, str(HERE / "reference.py")]
    tree = synthetic.build(work / f"tree-{size}", size, seed)
    files = list(tree.files)
    all_list = _write_list(work / f"files-{size}.txt", files)
    print(f"size {size}: {len(files)} files ({tree.legacy_files} legacy, {tree.modern_files} modern), "
          f"{tree.lines} lines", file=sys.stderr)
    rows: List[Measurement] = []

    def add(measurement: Measurement) -> Measurement:
        rows.append(measurement)
        print(f"  {measurement.name:<34} {measurement.wall_s:8.2f} s  {measurement.peak_rss_mb:6.0f} MB", file=sys.stderr)
        return measurement

    add(measure("read bytes -j1", [*reference, "read", "--files-from", str(all_list)], files, lines=tree.lines))
    add(measure("libcst floor -j2", [*reference, "floor", "--files-from", str(all_list), "-j", str(JOBS)], files, lines=tree.lines))

    cache_dir = work / f"cache-{size}"
    report = work / f"report-{size}.json"
    first: Optional[Measurement] = None
    second: Optional[Measurement] = None
    # Another engineer's edit to a codemod between the two runs changes the cache key (the key
    # fingerprints torchup's sources): then the pair is measured again.
    for _attempt in range(2):
        shutil.rmtree(cache_dir, ignore_errors=True)
        env = {"TORCHUP_CACHE_DIR": str(cache_dir)}
        check = [*torchup, "fix", "--check", "-q", f"-j{JOBS}", str(tree.root)]
        first = measure("torchup fix --check -j2", [*check, "--report", str(report)], files, env=env, lines=tree.lines)
        second = measure("torchup fix --check -j2 (cached)", check, files, env=env, lines=tree.lines)
        if len(_cache_files(cache_dir)) == 1:
            break
        print("  (torchup's sources changed between the runs; measuring the pair again)", file=sys.stderr)
    assert first is not None and second is not None
    add(first)
    add(second)

    copy = synthetic.copy_tree(tree, work / f"tree-{size}-fix")
    add(measure("torchup fix -j2 (a copy)", [*torchup, "fix", "-q", "--no-cache", f"-j{JOBS}", str(copy.root)],
                files, lines=tree.lines))
    shutil.rmtree(copy.root)

    if torchfix:
        add(measure("torchfix -j 2", [torchfix, "-j", str(JOBS), str(tree.root)], files, lines=tree.lines))

    statuses = _statuses(report)
    changed = [f for f in files if statuses.get(str(f)) == "changed"]
    skipped = [f for f in files if str(f) not in statuses or statuses[str(f)] == "skipped"]
    text_stage = _text_stage(snapshot)
    prefiltered = [f for f in skipped if not text_stage(f)]
    screened = [f for f in skipped if text_stage(f)]
    changed_list = _write_list(work / f"changed-{size}.txt", changed)
    prefiltered_list = _write_list(work / f"prefiltered-{size}.txt", prefiltered)
    screened_list = _write_list(work / f"screened-{size}.txt", screened)
    empty_list = _write_list(work / "empty.txt", [])
    one_job = [*torchup, "fix", "--check", "-q", "--no-cache", "-j1", "--files-from"]

    floor_changed = add(measure("floor -j1, changed files", [*reference, "floor", "--files-from", str(changed_list)], changed))
    torchup_changed = add(measure("torchup -j1, changed files", [*one_job, str(changed_list)], changed))
    read_prefiltered = add(measure("read -j1, prefiltered files", [*reference, "read", "--files-from", str(prefiltered_list)], prefiltered))
    torchup_prefiltered = add(measure("torchup -j1, prefiltered files", [*one_job, str(prefiltered_list)], prefiltered))
    read_screened = add(measure("read -j1, screened files", [*reference, "read", "--files-from", str(screened_list)], screened))
    torchup_screened = add(measure("torchup -j1, screened files", [*one_job, str(screened_list)], screened))
    # Start-up alone (imports, the codemod registry): the marginal per-file cost is what is left.
    read_empty = add(measure("read -j1, no files", [*reference, "read", "--files-from", str(empty_list)], []))
    torchup_empty = add(measure("torchup -j1, no files", [*one_job, str(empty_list)], []))

    def ratio(numerator: float, denominator: float) -> Optional[float]:
        return round(numerator / denominator, 2) if denominator > 0 else None

    by_name = {row.name: row for row in rows}
    ratios = {
        "torchfix_over_torchup": ratio(by_name["torchfix -j 2"].wall_s, first.wall_s) if torchfix else None,
        "torchup_over_floor_changed": ratio(torchup_changed.wall_s, floor_changed.wall_s),
        "torchup_over_floor_changed_marginal": ratio(
            torchup_changed.wall_s - torchup_empty.wall_s, floor_changed.wall_s - read_empty.wall_s
        ),
        "torchup_over_read_prefiltered": ratio(torchup_prefiltered.wall_s, read_prefiltered.wall_s),
        "torchup_over_read_prefiltered_marginal": ratio(
            torchup_prefiltered.wall_s - torchup_empty.wall_s, read_prefiltered.wall_s - read_empty.wall_s
        ),
        "torchup_over_read_screened": ratio(torchup_screened.wall_s, read_screened.wall_s),
        "first_over_second_run": ratio(first.wall_s, second.wall_s),
        "torchup_over_floor_all": ratio(first.wall_s, by_name["libcst floor -j2"].wall_s),
    }
    return {
        "size": size,
        "files": len(files),
        "legacy_files": tree.legacy_files,
        "modern_files": tree.modern_files,
        "lines": tree.lines,
        "changed_files": len(changed),
        "skipped_files": len(skipped),
        "prefiltered_files": len(prefiltered),
        "screened_files": len(screened),
        "rows": [dict(asdict(row), files_per_s=round(row.files_per_s, 2), lines_per_s=round(row.lines_per_s))
                 for row in rows],
        "ratios": ratios,
    }


# The goals of issue 18 on the legacy-heavy tree, as (ratio name, comparison, bound).
LEGACY_TARGETS = (
    ("torchfix_over_torchup_j2", ">=", 10.0),
    ("torchup_over_floor_j1", "<=", 2.0),
    # As the issue checks it: `fix --check -j2` against parsing and regenerating in one process.
    ("torchup_j2_over_floor_j1", "<=", 2.0),
    ("peak_rss_over_libcst_parse", "<=", 4.0),
)


def _torchup_command(snapshot: Path) -> List[str]:
    # -c rather than -m: the snapshot goes first on sys.path, before the editable install's finder.
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(snapshot)!r}); from torchup.cli import main; main()"]


def bench_legacy(work: Path, torchfix: Optional[str], seed: int, snapshot: Path, modules: int) -> Dict[str, object]:
    """torchup against TorchFix and the libcst floor on the legacy-heavy tree, and peak memory."""
    torchup = _torchup_command(snapshot)
    reference = [sys.executable, str(HERE / "reference.py")]
    tree = synthetic.build_legacy(work / "tree-legacy", modules, seed)
    files = list(tree.files)
    listed = _write_list(work / "files-legacy.txt", files)
    largest = max(files, key=lambda path: path.stat().st_size)
    largest_list = _write_list(work / "largest-legacy.txt", [largest])
    empty_list = _write_list(work / "empty.txt", [])
    print(f"legacy-heavy tree: {len(files)} files ({len(synthetic.real_files())} from corpus/real, {modules} generated), "
          f"{tree.lines} lines; largest {largest.name}, {largest.stat().st_size} bytes", file=sys.stderr)
    rows: List[Measurement] = []

    def add(measurement: Measurement) -> Measurement:
        rows.append(measurement)
        print(f"  {measurement.name:<34} {measurement.wall_s:8.2f} s  {measurement.cpu_s:8.2f} s CPU  "
              f"{measurement.peak_rss_mb:6.0f} MB", file=sys.stderr)
        return measurement

    check = [*torchup, "fix", "--check", "-q", "--no-cache"]
    floor = add(measure("libcst floor -j1", [*reference, "floor", "--files-from", str(listed)], files, lines=tree.lines))
    floor_empty = add(measure("libcst floor -j1, no files", [*reference, "floor", "--files-from", str(empty_list)], []))
    # What a tool that parses and regenerates every file whole with libcst, and does nothing else,
    # takes with two workers: the most any such tool can be faster than TorchFix at -j2.
    floor_two = add(measure("libcst floor -j2", [*reference, "floor", "--files-from", str(listed), "-j", "2"], files, lines=tree.lines))
    one = add(measure("torchup fix --check -j1", [*check, "-j1", str(tree.root)], files, lines=tree.lines))
    two = add(measure("torchup fix --check -j2", [*check, "-j2", str(tree.root)], files, lines=tree.lines))
    empty = add(measure("torchup -j1, no files", [*check, "-j1", "--files-from", str(empty_list)], []))
    torchfix_one = torchfix_two = None
    if torchfix:
        torchfix_one = add(measure("torchfix -j 1", [torchfix, "-j", "1", str(tree.root)], files, lines=tree.lines))
        torchfix_two = add(measure("torchfix -j 2", [torchfix, "-j", "2", str(tree.root)], files, lines=tree.lines))
    # Memory: one worker on the largest file, against libcst parsing (and generating) it alone.
    parse_largest = add(measure("libcst floor, largest file", [*reference, "floor", "--files-from", str(largest_list)], [largest]))
    torchup_largest = add(measure("torchup -j1, largest file", [*check, "-j1", "--files-from", str(largest_list)], [largest]))

    def ratio(numerator: float, denominator: float) -> Optional[float]:
        return round(numerator / denominator, 2) if denominator > 0 else None

    count = len(files)
    per_file = {
        row.name: round(1000 * (row.wall_s - (empty.wall_s if row.name.startswith("torchup") else floor_empty.wall_s)) / count, 2)
        for row in (floor, one, two)
    }
    ratios = {
        "torchfix_over_torchup_j1": ratio(torchfix_one.wall_s, one.wall_s) if torchfix_one else None,
        "torchfix_over_torchup_j2": ratio(torchfix_two.wall_s, two.wall_s) if torchfix_two else None,
        "torchup_over_floor_j1": ratio(one.wall_s, floor.wall_s),
        "torchup_over_floor_j1_marginal": ratio(one.wall_s - empty.wall_s, floor.wall_s - floor_empty.wall_s),
        "torchup_over_floor_j1_cpu": ratio(one.cpu_s, floor.cpu_s),
        "torchup_j2_over_floor_j1": ratio(two.wall_s, floor.wall_s),
        "torchfix_over_floor_j2": ratio(torchfix_two.wall_s, floor_two.wall_s) if torchfix_two else None,
        # Whole processes: on a small largest file, start-up (libcst imported) is most of both.
        "peak_rss_over_libcst_parse": ratio(torchup_largest.peak_rss_mb, parse_largest.peak_rss_mb),
    }
    return {
        "files": count,
        "real_files": len(synthetic.real_files()),
        "generated_files": modules,
        "lines": tree.lines,
        "largest_file": {"name": largest.relative_to(tree.root).as_posix(), "bytes": largest.stat().st_size},
        "rows": [dict(asdict(row), files_per_s=round(row.files_per_s, 2), lines_per_s=round(row.lines_per_s))
                 for row in rows],
        "ms_per_file_marginal": per_file,
        "peak_rss_mb_per_worker_j2": two.peak_rss_mb,
        "ratios": ratios,
    }


def largest_torch_file() -> Path:
    """The largest source file of the installed torch (found without importing torch)."""
    nn, _ = synthetic.torch_nn_files()
    return max(nn.parent.rglob("*.py"), key=lambda path: path.stat().st_size)


def bench_memory(work: Path, snapshot: Path, path: Path) -> Dict[str, object]:
    """One worker's peak memory on one big file (torch's largest source by default), against
    libcst's own parse and code generation of it."""
    torchup = _torchup_command(snapshot)
    listed = _write_list(work / "memory-file.txt", [path])
    print(f"memory: {path} ({path.stat().st_size} bytes)", file=sys.stderr)
    rows = []
    for name, command in (
        ("libcst floor", [sys.executable, str(HERE / "reference.py"), "floor", "--files-from", str(listed)]),
        ("torchup fix --check -j1", [*torchup, "fix", "--check", "-q", "--no-cache", "-j1", "--files-from", str(listed)]),
    ):
        row = measure(name, command, [path])
        print(f"  {name:<34} {row.wall_s:8.2f} s  {row.peak_rss_mb:6.0f} MB", file=sys.stderr)
        rows.append(row)
    floor, torchup_row = rows
    return {
        "file": str(path),
        "bytes": path.stat().st_size,
        "libcst_floor_peak_rss_mb": round(floor.peak_rss_mb),
        "torchup_peak_rss_mb": round(torchup_row.peak_rss_mb),
        "torchup_exit_code": torchup_row.exit_code,
        "ratio": round(torchup_row.peak_rss_mb / floor.peak_rss_mb, 2) if floor.peak_rss_mb else None,
    }


def legacy_table(result: Mapping[str, object]) -> str:
    largest: Mapping[str, object] = result["largest_file"]  # type: ignore[assignment]
    lines = [
        f"## Legacy-heavy tree: {result['files']} files ({result['real_files']} from corpus/real, "
        f"{result['generated_files']} generated legacy modules; {result['lines']} lines; largest file "
        f"{largest['name']}, {largest['bytes']} bytes)",
        "",
        "| measurement | files | wall s | CPU s | ms/file | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:  # type: ignore[union-attr]
        per_file = f"{1000 * row['wall_s'] / row['files']:.1f}" if row["files"] else ""
        lines.append(
            f"| {row['name']} | {row['files']} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {per_file} | {row['peak_rss_mb']:.0f} |"
        )
    marginal: Mapping[str, float] = result["ms_per_file_marginal"]  # type: ignore[assignment]
    lines += ["", "Per legacy file, start-up taken off: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in marginal.items())]
    lines += [f"Peak RSS of one worker (-j2, whole tree): {result['peak_rss_mb_per_worker_j2']:.0f} MB"]
    memory: Optional[Mapping[str, object]] = result.get("memory")  # type: ignore[assignment]
    if memory is not None:
        lines += [f"Peak RSS on {memory['file']} ({memory['bytes']} bytes): torchup -j1 {memory['torchup_peak_rss_mb']} MB, "
                  f"libcst parse + codegen {memory['libcst_floor_peak_rss_mb']} MB ({memory['ratio']}x)"]
    lines += ["", "| ratio | value | target | met |", "|---|---:|---:|---|"]
    lines += _ratio_lines(result["ratios"], LEGACY_TARGETS)  # type: ignore[arg-type]
    return "\n".join(lines)


def _ratio_lines(ratios: Mapping[str, Optional[float]], bounds: Sequence[Tuple[str, str, float]]) -> List[str]:
    targets = {name: (op, bound) for name, op, bound in bounds}
    lines = []
    for name, value in ratios.items():
        op, bound = targets.get(name, ("", None))
        met = "" if bound is None or value is None else ("yes" if (value >= bound if op == ">=" else value <= bound) else "no")
        target = "" if bound is None else f"{op} {bound:g}"
        lines.append(f"| {name} | {'n/a' if value is None else value} | {target} | {met} |")
    return lines


def table(result: Mapping[str, object]) -> str:
    lines = [
        f"## {result['files']} files ({result['legacy_files']} legacy, {result['modern_files']} modern; "
        f"{result['lines']} lines; {result['changed_files']} need changes; not parsed by libcst: "
        f"{result['prefiltered_files']} by their text, {result['screened_files']} by their syntax tree)",
        "",
        "| measurement | files | wall s | files/s | lines/s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:  # type: ignore[union-attr]
        lines.append(
            f"| {row['name']} | {row['files']} | {row['wall_s']:.2f} | {row['files_per_s']:.1f} | "
            f"{row['lines_per_s']:.0f} | {row['peak_rss_mb']:.0f} |"
        )
    lines += ["", "| ratio | value | target | met |", "|---|---:|---:|---|"]
    lines += _ratio_lines(result["ratios"], TARGETS)  # type: ignore[arg-type]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated file counts")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where trees, lists and caches go")
    parser.add_argument("--torchfix", default=shutil.which("torchfix"), help="the torchfix executable (its own venv)")
    parser.add_argument("--output", type=Path, default=None, help="the JSON results (default: WORK/results.json)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--legacy-modules", type=int, default=synthetic.LEGACY_TREE_MODULES,
                        help="generated legacy modules in the legacy-heavy tree (beside corpus/real/)")
    parser.add_argument("--legacy-only", action="store_true", help="measure the legacy-heavy tree only")
    parser.add_argument("--memory-file", default="torch",
                        help="the big file of the memory row: a path, 'torch' (its largest source) or 'none'")
    args = parser.parse_args(argv)
    sizes = [] if args.legacy_only else [int(size) for size in args.sizes.split(",") if size.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    if not args.torchfix:
        print("torchfix not found (--torchfix PATH): its rows are left out", file=sys.stderr)
    snapshot = snapshot_torchup(args.work)
    results = [bench_size(size, args.work, args.torchfix, args.seed, snapshot) for size in sizes]
    legacy = bench_legacy(args.work, args.torchfix, args.seed, snapshot, args.legacy_modules)
    if args.memory_file != "none":
        big = largest_torch_file() if args.memory_file == "torch" else Path(args.memory_file)
        legacy["memory"] = bench_memory(args.work, snapshot, big)
    document = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "jobs": JOBS,
        "seed": args.seed,
        "results": results,
        "legacy": legacy,
    }
    output = args.output or args.work / "results.json"
    output.write_text(json.dumps(document, indent=2) + "\n")
    for result in results:
        print(table(result) + "\n")
    print(legacy_table(legacy) + "\n")
    if len(results) > 1:
        print("Linearity (torchup fix --check, seconds per 1,000 files): " + ", ".join(
            f"{r['files']}: {1000 * _row(r, 'torchup fix --check -j2')['wall_s'] / r['files']:.1f}" for r in results
        ))
    print(f"results: {output}")
    return 0


def _row(result: Mapping[str, object], name: str) -> Mapping[str, float]:
    return next(row for row in result["rows"] if row["name"] == name)  # type: ignore[union-attr]


if __name__ == "__main__":
    sys.exit(main())
