"""The ``torchup`` command line: parses options, calls the engine, sets the exit code.

Data (diffs, findings) goes to stdout; the human summary, errors and progress go to stderr.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Sequence, Tuple

import click

from torchup import __version__, catalogue, config, registry
from torchup.codemod import Settings
from torchup.discovery import discover
from torchup.report import EXIT_ERROR, Report, write_json
from torchup.runner import FileOutcome, Job, Status, WriteBack, run


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


def _run_options(function: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.argument("paths", nargs=-1, type=click.Path(exists=True)),
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
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _execute(command: str, write_back: WriteBack, options: RunOptions) -> Report:
    try:
        settings_file = config.load(config.find_pyproject(options.paths))
    except config.ConfigError as error:
        _fail(str(error))
    select = _codes(options.select) or settings_file.select
    ignore = _codes(options.ignore) or settings_file.ignore
    try:
        codemods = registry.select(select, ignore)
    except registry.UnknownCodeError as error:
        _fail(str(error))
    unsafe = settings_file.unsafe_fixes if options.unsafe_fixes is None else options.unsafe_fixes
    settings = Settings(unsafe_fixes=unsafe, buffers=options.buffers or settings_file.buffers)
    exclude = (*settings_file.exclude, *settings_file.extend_exclude, *options.exclude)
    found = discover(options.paths, exclude=exclude)
    job = Job(tuple(cls.CODE for cls in codemods), settings, write_back)
    jobs = options.jobs if options.jobs is not None else settings_file.jobs
    outcomes = _run_with_progress(found.files, job, jobs, options)
    return Report(outcomes, write_back, command)


def _run_with_progress(files: Sequence[Any], job: Job, jobs: int, options: RunOptions) -> Tuple[FileOutcome, ...]:
    def describe(outcome: FileOutcome) -> None:
        if options.verbose and outcome.status is not Status.FAILED:
            click.echo(f"{outcome.status.value}: {outcome.path}", err=True)

    show_bar = not options.quiet and not options.verbose and sys.stderr.isatty() and len(files) > 20
    if not show_bar:
        return run(files, job, jobs, on_done=describe)
    with click.progressbar(length=len(files), label="torchup", file=sys.stderr) as bar:
        return run(files, job, jobs, on_done=lambda outcome: bar.update(1))


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


def _finish(report: Report, options: RunOptions, *, findings_to_stdout: bool) -> None:
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
    if not options.quiet:
        click.echo(report.summary(), err=True)
    sys.exit(report.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="torchup")
def main() -> None:
    """Migrate legacy PyTorch (0.2-0.4) code to modern PyTorch, then prove it equivalent."""


@main.command()
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@_run_options
def fix(show_diff: bool, check_only: bool, **kwargs: Any) -> None:
    """Rewrite legacy PyTorch code in place (atomically).

    PATHS are files or directories (default: nothing). Findings that need a person are listed
    on stderr with their line.
    """
    options = RunOptions(**kwargs)
    write_back = WriteBack.DIFF if show_diff else WriteBack.CHECK if check_only else WriteBack.YES
    report = _execute("fix", write_back, options)
    if write_back is WriteBack.DIFF:
        colour = options.color if options.color is not None else sys.stdout.isatty()
        for outcome in report.changed:
            click.echo(_colour_diff(outcome.diff) if colour else outcome.diff, nl=False, color=colour)
    elif write_back is WriteBack.CHECK and not options.quiet:
        for outcome in report.changed:
            click.echo(f"would rewrite {outcome.path}", err=True)
    _finish(report, options, findings_to_stdout=False)


@main.command()
@_run_options
def check(**kwargs: Any) -> None:
    """List legacy code as findings (``path:line:col: CODE message``); change nothing.

    Fixable findings end in [*] (``torchup fix`` rewrites them); the others need a person.
    Exits 1 when there is any finding.
    """
    options = RunOptions(**kwargs)
    report = _execute("check", WriteBack.CHECK, options)
    _finish(report, options, findings_to_stdout=True)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text")
def rules(output_format: str) -> None:
    """List every codemod: code, name, fix safety, summary."""
    click.echo(catalogue.rules_markdown() if output_format == "markdown" else catalogue.rules_text())


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show one codemod's full documentation."""
    try:
        cls = registry.get(code)
    except registry.UnknownCodeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"{cls.CODE} {cls.NAME} ({cls.SAFETY})\n")
    click.echo(catalogue.documentation(cls))
