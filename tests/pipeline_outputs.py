"""Every pipeline run of the test suite gives the result it gave when recorded.

Most tests assert what they are about (the rewritten line, that a finding exists) and leave the
rest of the result alone: the other records, their messages, columns and safety. A bug that
changes only the rest (a message that names the wrong variable, a column one off, a finding that
turns into another) passes them. So every ``migrate_source`` that a test runs in the pytest
process (about all of the codemod and engine tests) is also compared, whole, with what that same
input gave when the file below was recorded: the migrated code, every record and every suppressed
one, or the failure. An input is its text, the codemods (by code), the settings, the file's name
(not its directory: a test's ``tmp_path`` differs from run to run), the module name and, for a
run given the first pass's module index, what the file depends on in other files (the index's
``cache_key``, as the cache keys an outcome; test directories left out of it and of the results).
Not compared: runs given other facts, inputs no recording saw (a property test's random ones), and
inputs that gave two results while recording (a test that patches a codemod to fail).

``tests/pipeline_outputs.json`` maps the sha256 of each input to the sha256 of its result.
Regenerate it after a deliberate change of what torchup produces (all of ``tests/``, about as long
as ``make test``)::

    .venv/bin/python tests/pipeline_outputs.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

RECORDED = Path(__file__).resolve().parent / "pipeline_outputs.json"
# Where a recording run appends each (input, result) pair, one JSON line each (set by main()).
RECORD_TO = "TORCHUP_RECORD_PIPELINE_OUTPUTS"


def input_key(
    source: str,
    codemods: Sequence[Any],
    settings: Any,
    filename: Optional[str],
    full_module_name: Optional[str],
    facts: Any = None,
) -> Optional[str]:
    """The input's digest; None for facts other than the run's module index (not compared)."""
    name = os.path.basename(filename) if filename else ""
    parts = [source, ",".join(cls.CODE for cls in codemods), repr(settings), name, full_module_name or ""]
    if facts is not None:
        if not hasattr(facts, "cache_key") or not filename:
            return None
        # What the file's migration depends on in other files, as the cache keys it.
        parts.append(without_temporary_paths("\0".join(facts.cache_key(filename))))
    return _sha("\0".join(parts))


def result_digest(result: Any) -> str:
    """The sha256 of everything a migration (or a failure) says."""
    if hasattr(result, "records"):
        parts = [result.code, *map(repr, result.records), "suppressed", *map(repr, result.suppressed)]
    else:
        parts = ["failure", repr(result)]
    return _sha(without_temporary_paths("\0".join(parts)))


# A test's directory under pytest's base temporary directory, or any directory made in the
# system's temporary one: another on every run.
_TEMPORARY = re.compile(
    r"[^\s'\"()\[\]]*pytest-of-[^/\s]+/pytest-\d+/[^/\s'\"]+"
    + "|" + re.escape(tempfile.gettempdir()) + r"/[^/\s'\"]+"
)


def without_temporary_paths(text: str) -> str:
    return _TEMPORARY.sub("<tmp>", text)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load() -> Dict[str, str]:
    return json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.is_file() else {}


class Checker:
    """Compares (or, while recording, writes) each run; the differences of the current test."""

    def __init__(self, recorded: Dict[str, str], record_to: Optional[str]) -> None:
        self.recorded = recorded
        self.record_to = record_to
        self.differences: List[str] = []

    def seen(self, key: str, result: Any, source: str, codes: str) -> None:
        digest = result_digest(result)
        if self.record_to:
            with open(self.record_to, "a", encoding="utf-8") as out:
                out.write(json.dumps([key, digest]) + "\n")
            return
        expected = self.recorded.get(key)
        if expected is not None and expected != digest:
            first_line = source.strip().splitlines()[0] if source.strip() else ""
            self.differences.append(f"[{codes}] input starting {first_line[:60]!r}: {_describe(result)}")


def _describe(result: Any) -> str:
    if hasattr(result, "records"):
        return f"now {len(result.records)} records, code {'changed' if result.changed else 'unchanged'}"
    return f"now a failure: {result!r}"


def merge(lines: Sequence[str]) -> Tuple[Dict[str, str], int]:
    """The recorded map from a recording run's lines, less the inputs that gave two results."""
    results: Dict[str, set] = {}
    for line in lines:
        key, digest = json.loads(line)
        results.setdefault(key, set()).add(digest)
    stable = {key: digests.pop() for key, digests in results.items() if len(digests) == 1}
    return dict(sorted(stable.items())), len(results) - len(stable)


def main() -> int:
    root = RECORDED.parents[1]
    with tempfile.TemporaryDirectory() as scratch:
        record_to = Path(scratch) / "runs.jsonl"
        environment = dict(os.environ, **{RECORD_TO: str(record_to)})
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
        done = subprocess.run(command, cwd=root, env=environment)
        if done.returncode != 0:
            print("the tests fail: fix them before recording", file=sys.stderr)
            return done.returncode
        stable, unstable = merge(record_to.read_text(encoding="utf-8").splitlines())
    RECORDED.write_text(json.dumps(stable, indent=0) + "\n", encoding="utf-8")
    print(f"{len(stable)} inputs recorded in {RECORDED.relative_to(root)} ({unstable} left out: two results)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
