"""The ``torchup`` command line: parses options, calls the engine, sets the exit code.

Data (diffs, findings) goes to stdout; the human summary, errors and progress go to stderr.
"""

from __future__ import annotations

import math
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional, Sequence, TextIO, Tuple

import click

from torchup import __version__, config, output_formats, output_tree, registry
from torchup.cache import Cache, options_key
from torchup.discovery import discover
from torchup.records import Settings
from torchup.report import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_TERMINATED, Report, write_json
from torchup.runner import DEFAULT_MAX_FILE_SIZE, FileOutcome, Job, Status, WriteBack, run, shard
from torchup.source_file import DecodeError, decode
from torchup.suppressions import UNUSED_NOQA_CODE

# The verifier's commands import torch only when they run: `fix` and `check` never load it.
from torchup.verify.command import upgrade_checkpoint, verify
from torchup.writeback import write_atomic


def _codes(values: Sequence[str]) -> Tuple[str, ...]:
    """``--select TU1,TU201 --select TU3`` -> ("TU1", "TU201", "TU3")."""
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


@dataclass(frozen=True)
class RunOptions:
    paths: Tuple[str, ...]
    select: Tuple[str, ...]
    ignore: Tuple[str, ...]
    exclude: Tuple[str, ...]
    unsafe_fixes: Optional[bool]
    jobs: Optional[int]
    buffers: Optional[str]
    quiet: bool
    verbose: bool
    report: Optional[str]
    color: Optional[bool]
    no_cache: bool = False
    shard: Optional[Tuple[int, int]] = None
    files_from: Optional[TextIO] = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


def _run_options(function: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        # Not `exists=True`: a path that does not exist is reported and skipped, as one listed by
        # --files-from is, and the run exits 123 (one rule for both).
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option("--select", multiple=True, metavar="CODES", help="Only these codes (prefixes, comma-separated)."),
        click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes (prefixes)."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching this gitignore-style pattern."),
        click.option(
            "--unsafe-fixes/--no-unsafe-fixes",
            default=None,
            help="Also apply edits marked unsafe (they change behaviour a person should review).",
        ),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, help="Worker processes (default: all cores)."),
        click.option(
            "--buffers",
            type=click.Choice(config.BUFFER_MODES),
            default=None,
            help="TU201: decide buffer persistence per attribute (auto), or force it.",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Only errors on stderr."),
        click.option("--verbose", "-v", is_flag=True, help="One line per file on stderr."),
        click.option("--report", type=click.Path(dir_okay=False, writable=True), help="Write a JSON report here."),
        click.option("--color/--no-color", default=None, help="Colour the diff (default: when stdout is a terminal)."),
        click.option("--no-cache", is_flag=True, help="Process every file; neither read nor write the cache."),
        click.option(
            "--shard",
            callback=_parse_shard,
            metavar="K/N",
            help="Process only the K-th of N stable parts of the files (for N machines or CI jobs).",
        ),
        click.option(
            "--files-from",
            type=click.File("r"),
            metavar="FILE",
            help="Also process the paths listed in FILE, one per line ('-': standard input).",
        ),
        click.option(
            "--max-file-size",
            callback=_parse_size,
            default="2M",
            show_default=True,
            metavar="SIZE",
            help="Report and skip a file to migrate that is larger (bytes, or K/M/G; 0: no limit).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


_output_format_option = click.option(
    "--output-format",
    type=click.Choice(output_formats.FORMATS),
    default="text",
    show_default=True,
    help="How findings are printed on stdout (with check, and fix --check).",
)


def _parse_shard(context: click.Context, parameter: click.Parameter, value: Optional[str]) -> Optional[Tuple[int, int]]:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise click.BadParameter(f"expected K/N with 1 <= K <= N, got {value!r}")
    return int(index), int(count)


_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def _parse_size(context: click.Context, parameter: click.Parameter, value: str) -> int:
    """``2M``, ``500k``, ``1.5MB``, ``3000000`` -> bytes (K, M, G are powers of 1024)."""
    text = value.strip().upper().removesuffix("IB").removesuffix("B")
    number, unit = (text[:-1], text[-1]) if text and text[-1] in _SIZE_UNITS else (text, "")
    try:
        size = float(number)
    except ValueError:
        size = -1.0
    # NaN and infinity are no number of bytes (int() of infinity raises OverflowError).
    if not 0 <= size < math.inf:
        raise click.BadParameter(f"expected a size such as 2M, 500K or 3000000, got {value!r}")
    return int(size * _SIZE_UNITS[unit])


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _execute(
    command: str,
    write_back: WriteBack,
    options: RunOptions,
    *,
    format: bool = False,
    keep_text: bool = False,
    show_unused_noqa: bool = False,
) -> Report:
    try:
        settings_file = config.load(config.find_pyproject(options.paths))
    except config.ConfigError as error:
        _fail(str(error))
    select = _codes(options.select) or settings_file.select
    ignore = _codes(options.ignore) or settings_file.ignore
    try:
        codes = registry.select_codes(select, ignore)
    except registry.UnknownCodeError as error:
        _fail(str(error))
    unsafe = settings_file.unsafe_fixes if options.unsafe_fixes is None else options.unsafe_fixes
    settings = Settings(
        unsafe_fixes=unsafe,
        buffers=options.buffers or settings_file.buffers,
        bare_noqa=settings_file.bare_noqa,
        show_unused_noqa=show_unused_noqa,
    )
    exclude = (*settings_file.exclude, *settings_file.extend_exclude, *options.exclude)
    listed = tuple(line.strip() for line in options.files_from or () if line.strip())
    found = discover((*options.paths, *listed), exclude=exclude)
    files = found.files
    problems = found.problems
    if options.shard is not None:
        # One draw for files and problems alike, so that each problem is reported by one shard.
        chosen = set(shard((*files, *(Path(problem.path) for problem in problems)), *options.shard))
        files = tuple(path for path in files if path in chosen)
        problems = tuple(problem for problem in problems if Path(problem.path) in chosen)
    unusable = tuple(FileOutcome(p.path, Status.FAILED, error=p.reason, error_kind="io") for p in problems)
    job = Job(codes, settings, write_back, format=format, keep_text=keep_text, max_file_size=options.max_file_size)
    jobs = options.jobs if options.jobs is not None else settings_file.jobs
    cache = None if options.no_cache else Cache.load(options_key(job.codes, settings, format=format))
    outcomes = _run_with_progress(files, job, jobs, options, cache=cache, index_files=found.files)
    return Report((*unusable, *outcomes), write_back, command)


def _run_with_progress(
    files: Sequence[Any], job: Job, jobs: int, options: RunOptions, **run_options: Any
) -> Tuple[FileOutcome, ...]:
    def describe(outcome: FileOutcome) -> None:
        if options.verbose and outcome.status is not Status.FAILED:
            click.echo(f"{outcome.status.value}: {outcome.path}", err=True)

    show_bar = not options.quiet and not options.verbose and sys.stderr.isatty() and len(files) > 20
    with _interruptible():
        if not show_bar:
            return run(files, job, jobs, on_done=describe, **run_options)
        with click.progressbar(length=len(files), label="torchup", file=sys.stderr) as bar:
            return run(files, job, jobs, on_done=lambda outcome: bar.update(1), **run_options)


class _Terminated(Exception):
    pass


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C or SIGTERM: the files being written are finished (each whole or not at all), the
    rest are left as they are, and the run exits 130 or 143 with a line saying so."""

    def terminate(signum: int, frame: Any) -> None:
        raise _Terminated()

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except (KeyboardInterrupt, _Terminated) as interruption:
        name, code = ("SIGTERM", EXIT_TERMINATED) if isinstance(interruption, _Terminated) else ("SIGINT", EXIT_INTERRUPTED)
        click.echo(
            f"torchup: interrupted ({name}); every file is either as it was or fully migrated", err=True
        )
        sys.exit(code)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _colour_diff(diff: str) -> str:
    lines: List[str] = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            lines.append(click.style(line, bold=True))
        elif line.startswith("@@"):
            lines.append(click.style(line, fg="cyan"))
        elif line.startswith("+"):
            lines.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            lines.append(click.style(line, fg="red"))
        else:
            lines.append(line)
    return "".join(lines)


def _finish(report: Report, options: RunOptions, *, findings_to_stdout: bool, summary: bool = True) -> None:
    if options.report:
        write_json(report, options.report)
    for line in report.error_lines():
        click.echo(line, err=True)
    if findings_to_stdout:
        for line in report.record_lines(include_edits=True):
            click.echo(line)
    elif not options.quiet:
        for line in report.record_lines(include_edits=False):
            click.echo(line, err=True)
    if summary and not options.quiet:
        click.echo(report.summary(), err=True)
    sys.exit(report.exit_code)


class _Commands(click.Group):
    """Every command: Ctrl-C is 130, and a bug is 123 with its traceback, never Python's 1 (which
    CI would read as "changes pending")."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("torchup: interrupted (SIGINT)", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception:
            click.echo(traceback.format_exc(), err=True, nl=False)
            click.echo("torchup: internal error (a bug in torchup: please report it with the traceback above)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="torchup")
def main() -> None:
    """Migrate legacy PyTorch (0.2-0.4) code to modern PyTorch, then prove it equivalent."""


@main.command()
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--interactive", "-i", is_flag=True, help="Ask y/n/a/q for each hunk; apply the accepted ones.")
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False),
    help="Write the migrated tree here (untouched files copied too); leave PATHS unchanged.",
)
@click.option("--format", "format_", is_flag=True, help="Run black on the changed lines only.")
@_output_format_option
@_run_options
def fix(
    show_diff: bool,
    check_only: bool,
    interactive: bool,
    output_dir: Optional[str],
    format_: bool,
    output_format: str,
    **kwargs: Any,
) -> None:
    """Rewrite legacy PyTorch code in place (atomically).

    PATHS are files or directories. Findings that need a person are listed on stderr with their
    line.
    """
    options = RunOptions(**kwargs)
    if sum((show_diff, check_only, interactive, output_dir is not None)) > 1:
        raise click.UsageError("--diff, --check, --interactive and --output-dir exclude each other")
    if output_dir is not None and options.files_from is not None:
        raise click.UsageError("--output-dir copies PATHS; it cannot be combined with --files-from")
    if output_dir is not None:
        try:
            copies = output_tree.copy_tree(options.paths, output_dir)
        except (output_tree.OutputTreeError, OSError) as error:
            _fail(str(error))
        options = replace(options, paths=tuple(copies))
    if interactive:
        report = _execute("fix", WriteBack.DIFF, options, format=format_, keep_text=True)
        _review(report)
        _finish(report, options, findings_to_stdout=False, summary=False)
    write_back = WriteBack.DIFF if show_diff else WriteBack.CHECK if check_only else WriteBack.YES
    report = _execute("fix", write_back, options, format=format_)
    if write_back is WriteBack.DIFF:
        colour = options.color if options.color is not None else sys.stdout.isatty()
        for outcome in report.changed:
            click.echo(_colour_diff(outcome.diff) if colour else outcome.diff, nl=False, color=colour)
    elif write_back is WriteBack.CHECK and output_format != "text":
        click.echo(output_formats.render(report, output_format), nl=False)
    elif write_back is WriteBack.CHECK and not options.quiet:
        for outcome in report.changed:
            click.echo(f"would rewrite {outcome.path}", err=True)
    _finish(report, options, findings_to_stdout=False)


def _review(report: Report) -> None:
    """Ask about every hunk of every changed file; write each file with its accepted hunks."""
    from torchup import interactive as interactive_review

    choices = click.Choice(["y", "n", "a", "q"], case_sensitive=False)
    colour = sys.stdout.isatty()
    for outcome in report.changed:
        path = Path(outcome.path)
        source = decode(path.read_bytes())
        if isinstance(source, DecodeError):
            continue
        file_hunks = interactive_review.hunks(source.text, outcome.new_text)
        accepted: set = set()
        quit_now = False
        click.echo(click.style(f"--- {outcome.path}", bold=True), color=colour)
        for index, hunk in enumerate(file_hunks):
            click.echo(_colour_diff(hunk.display) if colour else hunk.display, nl=False, color=colour)
            try:
                answer = click.prompt(f"Apply hunk {index + 1}/{len(file_hunks)} [y,n,a,q]", type=choices, show_choices=False)
            except click.Abort:  # end of piped input
                answer = "q"
            if answer == "y":
                accepted.add(index)
            elif answer == "a":
                accepted.update(range(index, len(file_hunks)))
                break
            elif answer == "q":
                quit_now = True
                break
        if accepted:
            text = interactive_review.apply(source.text, file_hunks, accepted)
            if interactive_review.compiles(text):
                write_atomic(path, source.encode(text))
                click.echo(f"applied {len(accepted)} of {len(file_hunks)} hunks to {outcome.path}", err=True)
            else:
                click.echo(f"{outcome.path}: the accepted hunks do not compile without the others; file left unchanged", err=True)
        if quit_now:
            break


@main.command()
@_output_format_option
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add a `# noqa: CODE` comment for every current finding (fixable ones too); exit 0.",
)
@click.option(
    "--show-unused-noqa",
    is_flag=True,
    help=f"Also report `# noqa: TU...` comments that suppress nothing ({UNUSED_NOQA_CODE}).",
)
@_run_options
def check(output_format: str, add_noqa: bool, show_unused_noqa: bool, **kwargs: Any) -> None:
    """List legacy code as findings (path:line:col: CODE message); change nothing.

    Fixable findings end in [*] (``torchup fix`` rewrites them); the others need a person.
    Exits 1 when there is any finding. `# noqa: TU201` at the end of a line suppresses that
    code there; `# torchup: skip-file` leaves a file alone.
    """
    options = RunOptions(**kwargs)
    if add_noqa and show_unused_noqa:
        raise click.UsageError("--add-noqa and --show-unused-noqa exclude each other")
    report = _execute("check", WriteBack.CHECK, options, show_unused_noqa=show_unused_noqa)
    if add_noqa:
        _add_noqa(report, options)
    if output_format != "text":
        click.echo(output_formats.render(report, output_format), nl=False)
    _finish(report, options, findings_to_stdout=output_format == "text")


def _add_noqa(report: Report, options: RunOptions) -> None:
    """Write a `# noqa` for every record of the report into its file; exit like ruff: 0, or 123
    when a file could not be processed or written."""
    from torchup.add_noqa import add_noqa

    added = files = 0
    failed = bool(report.error_lines())
    for line in report.error_lines():
        click.echo(line, err=True)
    for outcome in report.outcomes:
        records = [record for record in outcome.records if record.line > 0]
        if not records:
            continue
        if outcome.path.endswith(".ipynb"):
            click.echo(f"warning: {outcome.path}: --add-noqa does not edit notebooks; {len(records)} left", err=True)
            continue
        path = Path(outcome.path)
        source = decode(path.read_bytes())
        if isinstance(source, DecodeError):
            continue
        marked = add_noqa(source.text, records)
        if marked is None or marked.added == 0:
            continue
        try:
            write_atomic(path, source.encode(marked.text))
        except (OSError, UnicodeEncodeError) as error:
            click.echo(f"error: {outcome.path}: cannot write: {error}", err=True)
            failed = True
            continue
        added += marked.added
        files += 1
    if not options.quiet:
        click.echo(f"Added {added} noqa directive{'s' if added != 1 else ''} to {files} file{'s' if files != 1 else ''}.", err=True)
    sys.exit(EXIT_ERROR if failed else 0)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text")
def rules(output_format: str) -> None:
    """List every codemod: code, name, fix safety, summary."""
    from torchup import catalogue

    click.echo(catalogue.rules_markdown() if output_format == "markdown" else catalogue.rules_text())


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show one codemod's full documentation."""
    from torchup import catalogue

    try:
        cls = registry.get(code)
    except registry.UnknownCodeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"{cls.CODE} {cls.NAME} ({cls.SAFETY})\n")
    click.echo(catalogue.documentation(cls))


@main.group("report")
def report_group() -> None:
    """Work with --report JSON files."""


@report_group.command("merge")
@click.argument("reports", nargs=-1, required=True, type=click.File("r"))
@click.option("--output", "-o", type=click.File("w"), default="-", help="Write the merged report here (default: stdout).")
def report_merge(reports: Sequence[TextIO], output: TextIO) -> None:
    """Merge the --report files of shards (--shard K/N) into one; exit with the worst exit code."""
    import json

    from torchup.report import MergeError, merge_json

    documents = []
    for handle in reports:
        try:
            documents.append(json.load(handle))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            _fail(f"{handle.name}: not JSON: {error}")
    try:
        merged = merge_json(documents)
    except MergeError as error:
        _fail(str(error))
    json.dump(merged, output, indent=2)
    output.write("\n")
    summary = merged["summary"]
    click.echo(
        f"merged {len(documents)} reports: {summary['files']} files, {summary['changed']} changed, "
        f"{summary['failed']} failed, {summary['findings']} findings",
        err=True,
    )
    sys.exit(merged["exit_code"])


main.add_command(verify)
main.add_command(upgrade_checkpoint)
