"""Many files: the first pass for cross-file facts, a process pool, and writing results back.

Each file is read as bytes, decoded with its own encoding, skipped by the text prefilter when it
mentions no marker of a selected codemod, migrated by the pipeline, and, in write mode, written
back atomically in the same encoding only when its text changed. Every file gets a frozen
:class:`FileOutcome`; a file that fails never stops the others.
"""

from __future__ import annotations

import difflib
import enum
import gc
import hashlib
import importlib
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Type, Union

from torchup.cache import Cache, Entry, Stamp, digest_of, tree_digest
from torchup.deep_stack import call_with_deep_stack
from torchup.discovery import mentions_any
from torchup.records import Record, Settings
from torchup.source_file import DecodeError, SourceText, decode
from torchup.writeback import remove_leftovers, write_atomic

if TYPE_CHECKING:
    from torchup.codemod import Codemod
    from torchup.pipeline import Failure, Migration

# The codemods, the pipeline and libcst are imported when a file has to be processed, not before:
# a run that the cache answers entirely starts in a tenth of the time without them.


class WriteBack(enum.Enum):
    """What happens to a file whose migration changes it; decided once per run."""

    YES = "yes"  # rewrite it
    DIFF = "diff"  # show a unified diff, write nothing
    CHECK = "check"  # write nothing; say whether it would change


class Status(enum.Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # rewritten, or would be
    SKIPPED = "skipped"  # no legacy marker: never parsed
    FAILED = "failed"


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to process one file (picklable)."""

    codes: Tuple[str, ...]
    settings: Settings
    write_back: WriteBack
    format: bool = False  # black on the changed lines
    keep_text: bool = False  # return the migrated text (interactive review)
    max_file_size: int = 0  # bytes; a larger file that would be parsed is reported instead (0: no limit)


@dataclass(frozen=True)
class FileOutcome:
    path: str
    status: Status
    records: Tuple[Record, ...] = ()
    diff: str = ""
    new_text: str = ""  # only when the job asks to keep it
    error: str = ""  # for FAILED: "line N: reason" or the I/O problem
    error_kind: str = ""  # "parse", "internal", "io", "size", "declined"


# Set once per worker process by the pool's initializer, so the cross-file facts are pickled once
# per process rather than once per file.
_FACTS: Any = None


def _set_facts(facts: Any) -> None:
    global _FACTS
    _FACTS = facts


def unified_diff(path: str, before: str, after: str) -> str:
    # git's a/ b/ prefixes make a relative diff applicable with `git apply`; they would mangle
    # an absolute path.
    old, new = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=old, tofile=new
    )
    # A last line without a newline would run into the next diff line.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _codemods(codes: Sequence[str]) -> Sequence[Type[Codemod]]:
    from torchup import registry

    return [registry.get(code) for code in codes]


def markers(codemods: Iterable[Type[Codemod]]) -> Tuple[str, ...]:
    """Every substring that can make a file worth parsing (``async`` for the TU303 pre-pass)."""
    found = {marker for cls in codemods for marker in cls.MARKERS}
    if _renames_async(codemods):
        found.add("async")
    return tuple(sorted(found))


def process_file(path: str, job: Job, facts: Any = None) -> FileOutcome:
    """Migrate one file and, per the write-back mode, write it or describe the change.

    Never raises for what the file holds: the parse and the codemods run on a deep stack
    (:mod:`torchup.deep_stack`), and anything they raise becomes a FAILED outcome.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return FileOutcome(path, Status.FAILED, error=f"cannot read: {error.strerror or error}", error_kind="io")
    source = decode(data)
    if isinstance(source, DecodeError):
        return FileOutcome(path, Status.FAILED, error=source.message, error_kind="parse")
    codemods = _codemods(job.codes)
    facts = facts if facts is not None else _FACTS  # the worker's, when the caller gives none
    if not mentions_any(source.text, markers(codemods)) and not any(cls.wanted_by(facts, path) for cls in codemods):
        return _skipped(path, source, job)  # the common case: no thread, no parse
    if job.max_file_size and len(data) > job.max_file_size:
        # The limit guards the parse: a file whose markers are only look-alikes (`qr` in `sqrt`)
        # is skipped by the prefilter's patterns, as it would be under the limit.
        if not _may_be_parsed(codemods, source.text):
            return _skipped(path, source, job)
        return FileOutcome(path, Status.FAILED, error=too_large(len(data), job.max_file_size), error_kind="size")
    return call_with_deep_stack(_process_source, path, source, job, facts)


def _may_be_parsed(codemods: Sequence[Type[Codemod]], text: str) -> bool:
    """The prefilter's text stages (markers and patterns; no syntax tree, which a file over the
    size limit is not given), and the `async=` pre-pass."""
    return any(cls.may_apply(text) for cls in codemods) or ("async" in text and _renames_async(codemods))


def _renames_async(codemods: Iterable[Type[Codemod]]) -> bool:
    """Whether TU303 is selected: its rename of `async=` runs in the parser, before any codemod."""
    return any(cls.CODE == "TU303" for cls in codemods)


def _skipped(path: str, source: SourceText, job: Job) -> FileOutcome:
    """A file no codemod has work in: skipped, or, with --show-unused-noqa, its every
    `# noqa: TU...` reported (none can be in use)."""
    if job.settings.show_unused_noqa and not path.endswith(".ipynb"):
        from torchup.suppressions import unused_noqa

        idle = unused_noqa(source.text, set(job.codes))
        if idle:
            return FileOutcome(path, Status.UNCHANGED, idle)
    return FileOutcome(path, Status.SKIPPED)


def too_large(size: int, limit: int) -> str:
    return (
        f"{size / 2**20:.1f} MiB is over --max-file-size ({limit / 2**20:.1f} MiB): parsing it could take "
        f"{size * _PARSE_BYTES_PER_BYTE / 2**30:.1f} GiB of memory; skipped (raise the limit to migrate it)"
    )


# What a run holds per byte of source: libcst's parse alone, 486 MiB for a 0.82 MB legacy file
# (about 600 per byte); whole runs, 886 MB for a 1.4 MB file and 4 GB for 5 MB (issue 17).
_PARSE_BYTES_PER_BYTE = 800
DEFAULT_MAX_FILE_SIZE = 2 * 2**20


def _process_source(path: str, source: SourceText, job: Job, facts: Any) -> FileOutcome:
    from torchup.pipeline import Failure, migrate_source, needs_parsing

    codemods = _codemods(job.codes)
    notebook = path.endswith(".ipynb")
    # A notebook's text is JSON: its cells are checked one by one, once decoded.
    if not notebook and not needs_parsing(codemods, source.text, facts, path):
        return _skipped(path, source, job)

    def migrate(text: str) -> Union[Migration, Failure]:
        return migrate_source(
            text, codemods, job.settings, facts=facts, filename=path
        )

    try:
        if notebook:
            return _process_notebook(path, source, job, migrate)
        return _process_python(path, source, job, migrate)
    except (RecursionError, MemoryError) as error:
        # Outside the codemods' own guard: the prefilter's tree screens, the diff, black.
        return FileOutcome(path, Status.FAILED, error=f"{type(error).__name__}: {error}", error_kind="internal")


def _process_python(
    path: str, source: SourceText, job: Job, migrate: Callable[[str], Union[Migration, Failure]]
) -> FileOutcome:
    from torchup.pipeline import Failure

    result = migrate(source.text)
    if isinstance(result, Failure):
        return FileOutcome(
            path, Status.FAILED, error=f"line {result.line}: {result.message}", error_kind=result.kind
        )
    if not result.changed:
        return FileOutcome(path, Status.UNCHANGED, result.records)
    code = result.code
    if job.format:
        from torchup.formatting import format_changed_lines  # black is slow to import: only on demand

        code = format_changed_lines(result.source, result.code)
    diff = unified_diff(path, result.source, code) if job.write_back is WriteBack.DIFF else ""
    return _write_back(path, source, job, result.records, code, diff)


def _write_back(
    path: str, source: SourceText, job: Job, records: Tuple[Record, ...], code: str, diff: str
) -> FileOutcome:
    if job.write_back is WriteBack.YES:
        try:
            write_atomic(Path(path), source.encode(code))
        except (OSError, UnicodeEncodeError) as error:
            return FileOutcome(path, Status.FAILED, records, error=f"cannot write: {error}", error_kind="io")
    return FileOutcome(path, Status.CHANGED, records, diff, code if job.keep_text else "")


def _process_notebook(
    path: str, source: SourceText, job: Job, migrate: Callable[[str], Union[Migration, Failure]]
) -> FileOutcome:
    """A notebook's code cells, migrated together; records name their cell."""
    from torchup.notebook import NotebookFailure, migrate_notebook, notebook_diff

    result = migrate_notebook(source.text, migrate)
    if isinstance(result, NotebookFailure):
        kind = "parse" if result.kind == "parse" else "internal" if result.kind == "internal" else "declined"
        return FileOutcome(path, Status.FAILED, error=str(result), error_kind=kind)
    records = tuple(replace(item.record, cell=item.cell) for item in result.records)
    if not result.changed:
        return FileOutcome(path, Status.UNCHANGED, records)
    diff = notebook_diff(path, result.source, result.code) if job.write_back is WriteBack.DIFF else ""
    return _write_back(path, source, job, records, result.code, diff)


def _process(args: Tuple[str, Job]) -> FileOutcome:
    # A migration builds and drops libcst trees of up to a million objects. The collector, set off
    # by allocations, would scan them (and everything older) over and over for the few cycles
    # they form: a fifth of a run's time. Off while the file is migrated, and one collection of
    # the young generation after it, which holds every object the file left (nothing was
    # promoted meanwhile), frees those cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return process_file(*args)
    except Exception as error:  # a bug outside the pipeline's own guard: this file fails, not the run
        return FileOutcome(args[0], Status.FAILED, error=f"internal error ({type(error).__name__}: {error})", error_kind="internal")
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()


def module_index_for(files: Sequence[Path], codes: Sequence[str], jobs: int = 1) -> Any:
    """The first pass: the nn.Module subclass index of every file, if a selected codemod uses it.

    Each file is read, parsed (stdlib ``ast``) and dropped in turn, by ``jobs`` processes when
    there are enough files to pay for them (0: one per core); only its facts are kept. Meanwhile
    this process imports the codemods (libcst with them), which tell whether the index is needed
    at all: the two overlap instead of adding up.
    """
    from torchup.analysis.module_index import index_from_facts

    paths = [str(path) for path in files]
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(paths) < _PARALLEL_INDEX_FILES:
        if not _uses_module_index(codes):
            return None
        return index_from_facts(paths, map(_facts_of, paths))
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        facts = pool.map(_facts_of, paths, chunksize=max(1, len(paths) // (workers * 4)))
        if not _uses_module_index(codes):
            return None
        return index_from_facts(paths, list(facts))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _uses_module_index(codes: Sequence[str]) -> bool:
    _import_engine(codes)
    return any(getattr(cls, "USES_MODULE_INDEX", False) for cls in _codemods(codes))


def _import_engine(codes: Sequence[str]) -> None:
    """Import the codemods and the pipeline (and libcst), and make each codemod once: workers
    forked after this start with them, where each would otherwise import them on its own (half
    a second a worker) and learn on its first file which codemod classes use libcst's matcher
    decorators."""
    from libcst.codemod import CodemodContext

    importlib.import_module("torchup.pipeline")
    context = CodemodContext()
    for cls in _codemods(codes):
        cls(context)


# Below this many files the first pass (a few ms a file) costs less than starting processes.
_PARALLEL_INDEX_FILES = 100


def _facts_of(path: str) -> Any:
    from torchup.analysis.module_index import file_facts

    try:
        source = decode(Path(path).read_bytes())
    except OSError:
        return None  # unreadable: the file's own run reports it
    if isinstance(source, DecodeError):
        return None
    try:
        return call_with_deep_stack(file_facts, path, source.text)
    except (RecursionError, MemoryError):
        return None  # the file's own run reports it


def run(
    files: Sequence[Path],
    job: Job,
    jobs: int = 0,
    on_done: Optional[Callable[[FileOutcome], None]] = None,
    *,
    cache: Optional[Cache] = None,
    index_files: Optional[Sequence[Path]] = None,
) -> Tuple[FileOutcome, ...]:
    """Process every file; ``jobs`` processes (0: one per core; few files: this process).

    ``index_files`` are the files the first pass indexes (default: ``files``): a shard processes
    its part of a repository but must see the nn.Module classes of all of it. With a ``cache``,
    a file whose entry matches is replayed instead of processed, and new outcomes are stored.
    """
    if not files:
        return ()
    context = files if index_files is None else index_files
    if cache is None:
        if _in_this_process(jobs, len(files)):
            # Built when a file first asks for it: a run whose files the prefilter skips needs none.
            facts: Any = _lazy_module_index(context, job.codes)
        else:
            facts = module_index_for(context, job.codes, jobs)
        return _process_all(files, job, jobs, facts, on_done)
    return _run_cached(files, context, job, jobs, cache, on_done)


def _in_this_process(jobs: int, files: int) -> bool:
    """Whether :func:`_process_all` runs ``files`` files here rather than in a pool."""
    workers = jobs or os.cpu_count() or 1
    return workers == 1 or files < 2 * workers


class _LazyClasses(Mapping[str, FrozenSet[str]]):
    """The classes of a :class:`ModuleIndex` (or, with ``field="helpers"``, its function
    index), found by the first pass when first read."""

    def __init__(self, context: Sequence[Path], codes: Sequence[str], field: str = "classes", built: Any = None) -> None:
        self._context = context
        self._codes = codes
        self._field = field
        self._index: List[Any] = built if built is not None else []  # shared by the index's fields
        self._helper_words: Optional[bool] = None

    def _may_hold_helpers(self) -> bool:
        if self._helper_words is None:
            from torchup.analysis.module_index import HELPER_WORDS

            self._helper_words = _any_mentions(self._context, HELPER_WORDS)
        return self._helper_words

    def _built(self) -> Mapping[str, Any]:
        if not self._index:
            if self._field == "helpers" and not self._may_hold_helpers():
                # Every file's prefilter asks whether it calls another's volatile helper; where
                # no file names `volatile` or `Variable` there is none, and no first pass to run.
                return {}
            self._index.append(module_index_for(self._context, self._codes, 1))
        index = self._index[0]
        return {} if index is None else getattr(index, self._field)

    def __getitem__(self, path: str) -> FrozenSet[str]:
        return self._built()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def _any_mentions(files: Sequence[Path], words: Sequence[str]) -> bool:
    for path in files:
        try:
            source = decode(Path(path).read_bytes())
        except OSError:
            continue  # the file's own run reports it
        if not isinstance(source, DecodeError) and mentions_any(source.text, words):
            return True
    return False


def _lazy_module_index(context: Sequence[Path], codes: Sequence[str]) -> Any:
    from torchup.analysis.module_index import ModuleIndex

    built: List[Any] = []
    return ModuleIndex(_LazyClasses(context, codes, built=built), _LazyClasses(context, codes, "helpers", built))


def shard(files: Sequence[Path], index: int, count: int) -> Tuple[Path, ...]:
    """The ``index``-th (from 1) of ``count`` parts of ``files``, the same on every machine.

    A file's part is a hash of its path relative to the files' common directory, so it depends
    neither on where the checkout lies nor on the other files: adding a file moves no other.
    """
    if not files:
        return ()
    directories = [os.path.dirname(os.path.abspath(path)) for path in files]
    root = os.path.commonpath(directories)

    def part(path: Path) -> int:
        relative = Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
        return int.from_bytes(hashlib.sha256(relative.encode()).digest()[:8], "big") % count

    return tuple(path for path in files if part(path) == index - 1)


def _process_all(
    files: Sequence[Path], job: Job, jobs: int, facts: Any, on_done: Optional[Callable[[FileOutcome], None]]
) -> Tuple[FileOutcome, ...]:
    workers = jobs or os.cpu_count() or 1
    tasks = [(str(path), job) for path in files]
    if _in_this_process(jobs, len(tasks)):
        _set_facts(facts)
        results: Iterator[FileOutcome] = map(_process, tasks)
        return tuple(_report_each(results, on_done))
    _import_engine(job.codes)

    # Small chunks: a legacy file costs a hundred times a prefiltered one, and a worker left with
    # a big chunk of them at the end holds the whole run up (seen in the bench profile). For the
    # same reason the largest files go first (the pool hands tasks out in order): a worker that
    # took a 7,000-line file last would finish long after the other.
    order = sorted(range(len(tasks)), key=lambda i: -_size(tasks[i][0]))
    chunksize = max(1, min(4, len(tasks) // (workers * 8)))
    chunks = [order[start : start + chunksize] for start in range(0, len(order), chunksize)]
    by_task: Dict[int, FileOutcome] = {}
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(facts,))
    try:
        futures = {pool.submit(_process_chunk, [tasks[i] for i in chunk]): chunk for chunk in chunks}
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                # A worker was killed (by the OOM killer, by a person): which of the files it held
                # was being written is unknown, but each is old or new, never half of each.
                outcomes = [_lost(tasks[i][0]) for i in chunk]
            for i, outcome in zip(chunk, outcomes):
                by_task[i] = outcome
                if on_done is not None:
                    on_done(outcome)
    finally:
        # On an interruption, the files the workers hold are finished (each one written whole or
        # not at all) and the rest never started: no waiting for the whole queue.
        pool.shutdown(wait=True, cancel_futures=True)
    return tuple(by_task[i] for i in range(len(tasks)))


def _start_worker(facts: Any) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent decides what stops, and a
    # worker finishes the file it holds.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The command line's SIGTERM handler (inherited through fork) would raise inside the pool's
    # worker loop, which swallows it: the pool could then never terminate a worker.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_facts(facts)


def _process_chunk(tasks: Sequence[Tuple[str, Job]]) -> List[FileOutcome]:
    return [_process(task) for task in tasks]


def _lost(path: str) -> FileOutcome:
    remove_leftovers(Path(path))
    return FileOutcome(
        path,
        Status.FAILED,
        error="the worker process died (killed, or out of memory); the file is as it was or fully migrated",
        error_kind="internal",
    )


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # the worker reports why


def _replayable(status: str, job: Job) -> bool:
    """Whether an outcome with this status is all the job needs (no diff, no text, no write)."""
    if status in (Status.UNCHANGED.value, Status.SKIPPED.value):
        return True
    return status == Status.CHANGED.value and job.write_back is WriteBack.CHECK and not job.keep_text


def _run_cached(
    files: Sequence[Path],
    context: Sequence[Path],
    job: Job,
    jobs: int,
    cache: Cache,
    on_done: Optional[Callable[[FileOutcome], None]],
) -> Tuple[FileOutcome, ...]:
    stamps: Dict[str, Stamp] = {}
    for name in {*map(str, context), *map(str, files)}:
        try:
            stamps[name] = Stamp.of(name)
        except OSError:
            pass  # processed anyway: the worker reports why it cannot be read
    facts = _cached_module_index(context, job.codes, cache, stamps, jobs)
    outcomes: Dict[str, FileOutcome] = {}
    pending: List[Path] = []
    # Stamp and hash are taken before a worker reads the file: an entry never pairs an outcome
    # with bytes newer than the ones it came from.
    seen: Dict[str, Tuple[Stamp, str, Tuple[str, ...]]] = {}
    for path in files:
        name = str(path)
        classes = facts.cache_key(name) if facts is not None else ()
        stamp = stamps.get(name)
        entry = cache.lookup(name, stamp, classes) if stamp is not None else None
        if entry is not None and _replayable(entry.status, job):
            outcomes[name] = FileOutcome(name, Status(entry.status), entry.records)
            if on_done is not None:
                on_done(outcomes[name])
            continue
        pending.append(path)
        if stamp is not None:
            try:
                seen[name] = (stamp, digest_of(Path(name).read_bytes()), classes)
            except OSError:
                pass
    for outcome in _process_all(pending, job, jobs, facts, on_done):
        outcomes[outcome.path] = outcome
        known = seen.get(outcome.path)
        if known is not None and _replayable(outcome.status.value, job):
            stamp, digest, classes = known
            # Sorted, as `lookup` compares it: a helper's key may sort before the class names.
            cache.store(outcome.path, Entry(stamp, digest, outcome.status.value, outcome.records, tuple(sorted(classes))))
    cache.save()
    return tuple(outcomes[str(path)] for path in files)


def _cached_module_index(
    context: Sequence[Path], codes: Sequence[str], cache: Cache, stamps: Dict[str, Stamp], jobs: int
) -> Any:
    """The first pass, reused from the cache when no indexed file's stamp changed (the cache
    holds one only for codemods that use it: its file is named after the selected codes)."""
    from torchup.analysis.module_index import ModuleIndex

    digest = tree_digest({str(path): stamps[str(path)] for path in context if str(path) in stamps})
    stored = cache.module_index(digest)
    helpers = cache.function_index(digest)
    if stored is not None and helpers is not None:
        return ModuleIndex({path: frozenset(names) for path, names in stored.items()}, helpers)
    index = module_index_for(context, codes, jobs)
    if index is None:
        return None
    cache.store_module_index(digest, index.classes, index.helpers)
    return index


def _report_each(
    results: Iterable[FileOutcome], on_done: Optional[Callable[[FileOutcome], None]]
) -> Iterator[FileOutcome]:
    for outcome in results:
        if on_done is not None:
            on_done(outcome)
        yield outcome
