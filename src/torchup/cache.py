"""The content-hash cache: a file seen before, with the same bytes and options, is not processed again.

Like black's cache, one file per set of options, under ``$TORCHUP_CACHE_DIR`` or the user cache
directory (``$XDG_CACHE_HOME/torchup``, else ``~/.cache/torchup``). Its name is a hash of what can
change a file's outcome: torchup's version, a fingerprint of torchup's own sources (an editable
install changes without a version bump), the selected codes, the :class:`Settings` and the
``--format`` flag. Inside, each file has an entry by absolute path: its size and ``mtime_ns``
(the fast path: nothing is read when both match), the SHA-256 of its bytes (a touched but
unchanged file is read and hashed, never parsed), the outcome to replay (status and records) and
the nn.Module classes the first pass found in it, because TU2xx results depend on other files
through them. The first pass's index is stored too, with a digest of every indexed file's stamp,
so an unchanged tree skips that pass as well.

Only outcomes that can be replayed are stored: files that needed no change or were skipped by the
prefilter, and, for ``--check`` and ``check``, files that would change (status and records are all
those modes show). Failures are never stored, so an error is always reported afresh.

The cache is written atomically (a temporary file, then ``os.replace``) after merging entries
another run wrote meanwhile; a missing, unreadable or corrupt cache is an empty one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple

from torchup import __version__
from torchup.records import Edit, Finding, Record, Safety, Settings
from torchup.writeback import replacing

CACHE_DIR_ENV = "TORCHUP_CACHE_DIR"
# Bump when the layout of the stored data changes: an old file is then simply not found.
LAYOUT = 1

# What a cached entry remembers of a file's outcome (the runner's Status values).
REPLAYABLE = frozenset({"unchanged", "skipped", "changed"})


def cache_dir() -> Path:
    """``$TORCHUP_CACHE_DIR``, else ``$XDG_CACHE_HOME/torchup``, else ``~/.cache/torchup``."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "torchup"


def _engine_fingerprint() -> str:
    """Size and mtime of every source file of torchup and its codemods.

    A released version never changes under its number, but an editable install does; without
    this, editing a codemod would keep replaying the old codemod's results.
    """
    import torchup

    roots = [Path(torchup.__file__).parent]
    try:
        import importlib.util

        spec = importlib.util.find_spec("torchup.codemods")
        if spec is not None and spec.submodule_search_locations:
            roots.extend(Path(location) for location in spec.submodule_search_locations)
    except ImportError:  # pragma: no cover - the codemods package is part of every install
        pass
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def options_key(
    codes: Sequence[str], settings: Settings, *, format: bool, version: str = __version__, engine: Optional[str] = None
) -> str:
    """The hash naming the cache file for a run with these options."""
    parts = {
        "layout": LAYOUT,
        "version": version,
        "engine": _engine_fingerprint() if engine is None else engine,
        "codes": sorted(codes),
        "settings": sorted(asdict(settings).items()),
        "format": format,
    }
    return hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()


@dataclass(frozen=True)
class Stamp:
    """What ``stat`` says of a file: when both match, the file is taken as unchanged."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> "Stamp":
        stat = os.stat(path)
        return cls(stat.st_size, stat.st_mtime_ns)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Entry:
    stamp: Stamp
    digest: str
    status: str  # one of REPLAYABLE
    records: Tuple[Record, ...]
    module_classes: Tuple[str, ...]  # the first pass's nn.Module classes of this file, sorted


@dataclass(frozen=True)
class StoredIndex:
    """The first pass's result (path -> Module class names) and the stamps it was built from."""

    tree_digest: str
    classes: Mapping[str, Tuple[str, ...]]
    helpers: Optional[Mapping[str, Any]] = None  # the function index (volatile helpers), if stored


def tree_digest(stamps: Mapping[str, Stamp]) -> str:
    digest = hashlib.sha256()
    for path in sorted(stamps):
        stamp = stamps[path]
        digest.update(f"{path}\0{stamp.size}\0{stamp.mtime_ns}\n".encode())
    return digest.hexdigest()


# -- records as plain data (so the cache file holds builtins only) -------------------------


def _record_data(record: Record) -> Tuple[Any, ...]:
    if isinstance(record, Edit):
        return ("edit", record.code, record.line, record.column, record.message, record.safety.value, record.cell)
    return ("finding", record.code, record.line, record.column, record.message, record.fix_available, record.cell)


def _record(data: Sequence[Any]) -> Record:
    kind, code, line, column, message, extra, cell = data
    if kind == "edit":
        return Edit(code, line, column, message, Safety(extra), cell)
    return Finding(code, line, column, message, bool(extra), cell)


def _entry_data(entry: Entry) -> Tuple[Any, ...]:
    return (
        entry.stamp.size,
        entry.stamp.mtime_ns,
        entry.digest,
        entry.status,
        tuple(_record_data(r) for r in entry.records),
        entry.module_classes,
    )


def _entry(data: Sequence[Any]) -> Entry:
    size, mtime_ns, digest, status, records, module_classes = data
    if status not in REPLAYABLE:
        raise ValueError(f"unknown status {status!r}")
    return Entry(Stamp(size, mtime_ns), digest, status, tuple(_record(r) for r in records), tuple(module_classes))


# -- the cache file --------------------------------------------------------------------------


class Cache:
    """The entries of one cache file, plus those this run adds; :meth:`save` writes them back."""

    def __init__(self, path: Path, entries: Dict[str, Entry], index: Optional[StoredIndex] = None) -> None:
        self.path = path
        self._entries = entries
        self._index = index
        self._added: Dict[str, Entry] = {}
        self._new_index: Optional[StoredIndex] = None

    @classmethod
    def load(cls, key: str, directory: Optional[Path] = None) -> "Cache":
        path = (directory or cache_dir()) / f"cache.{key[:32]}.pickle"
        entries, index = _read(path)
        return cls(path, entries, index)

    def __len__(self) -> int:
        return len(self._entries)

    # -- files ------------------------------------------------------------------------------

    def lookup(self, path: str, stamp: Stamp, module_classes: Iterable[str] = ()) -> Optional[Entry]:
        """The entry to replay for ``path``, or None when it must be processed.

        A matching stamp is trusted without reading the file; otherwise the file is read and its
        hash compared. The entry must also have seen the same nn.Module classes in the file.
        """
        key = os.path.abspath(path)
        entry = self._added.get(key) or self._entries.get(key)
        if entry is None or entry.module_classes != tuple(sorted(module_classes)):
            return None
        if entry.stamp == stamp:
            return entry
        if entry.stamp.size != stamp.size:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        if digest_of(data) != entry.digest:
            return None
        # Touched but unchanged (a checkout, a copy): remember the new stamp.
        refreshed = Entry(stamp, entry.digest, entry.status, entry.records, entry.module_classes)
        self._added[key] = refreshed
        return refreshed

    def store(self, path: str, entry: Entry) -> None:
        if entry.status not in REPLAYABLE:
            raise ValueError(f"cannot cache a {entry.status!r} outcome")
        self._added[os.path.abspath(path)] = entry

    # -- the first pass ---------------------------------------------------------------------

    def module_index(self, digest: str) -> Optional[Mapping[str, Tuple[str, ...]]]:
        """The stored first-pass result when it was built from exactly these file stamps."""
        if self._index is not None and self._index.tree_digest == digest:
            return self._index.classes
        return None

    def function_index(self, digest: str) -> Optional[Mapping[str, Any]]:
        """The stored function index (volatile helpers) of the same first pass, if any."""
        if self._index is not None and self._index.tree_digest == digest:
            return self._index.helpers
        return None

    def store_module_index(
        self, digest: str, classes: Mapping[str, Iterable[str]], helpers: Optional[Mapping[str, Any]] = None
    ) -> None:
        self._new_index = StoredIndex(
            digest, {path: tuple(sorted(names)) for path, names in classes.items()}, dict(helpers or {})
        )

    # -- writing ----------------------------------------------------------------------------

    def save(self) -> None:
        """Write this run's additions, merged over what is on disk now; atomic; never raises."""
        if not self._added and self._new_index is None:
            return
        on_disk, index = _read(self.path)
        entries = {**on_disk, **self._added}
        index = self._new_index or index
        payload = {
            "layout": LAYOUT,
            "entries": {path: _entry_data(entry) for path, entry in entries.items()},
            "index": None if index is None else (index.tree_digest, dict(index.classes)),
            "helpers": None if index is None or index.helpers is None else dict(index.helpers),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with replacing(self.path) as temporary, open(temporary, "wb") as handle:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return  # a cache that cannot be written only costs speed next time
        self._entries, self._index = entries, index
        self._added, self._new_index = {}, None


def _read(path: Path) -> Tuple[Dict[str, Entry], Optional[StoredIndex]]:
    """The entries and index in ``path``; anything unreadable or malformed reads as empty."""
    try:
        with open(path, "rb") as handle:
            payload = pickle.load(handle)
        if payload.get("layout") != LAYOUT:
            return {}, None
        entries = {str(key): _entry(value) for key, value in payload["entries"].items()}
        stored = payload.get("index")
        helpers = payload.get("helpers")
        index = (
            None
            if stored is None
            else StoredIndex(str(stored[0]), {str(k): tuple(v) for k, v in stored[1].items()}, helpers)
        )
        return entries, index
    except Exception:  # noqa: BLE001 - a corrupt cache of any shape must never stop a run
        return {}, None
