"""What torchup produces today on every corpus file, recorded compactly, to hold speed work to it.

For each tree (every ``corpus/<case>/legacy``, every ``corpus/real/<repository>/legacy`` and the
first generated legacy modules of ``make bench``, each run as its own repository, as a user would),
two runs through the runner (the CLI's engine, one process, no cache):

* ``fix --unsafe-fixes``: the sha256 of each file's migrated text and its records;
* ``check``: each file's records (default settings: unsafe fixes are findings).

A record is kept as ``"E|F line:column CODE"`` (edit or finding) and the sha256 of all of a file's
records with their messages, so a failure shows which line moved and the file stays small (one
line per file).

Regenerate after a deliberate change of what a codemod does (it rewrites
``tests/corpus/golden_outputs.json``)::

    .venv/bin/python tests/corpus/golden_outputs.py
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden_outputs.json"
GENERATED = "generated"  # the key of the bench's generated legacy modules
GENERATED_MODULES = 20


def trees() -> List[Tuple[str, Path]]:
    """Every legacy tree of the corpus by its key, in a stable order."""
    cases = sorted(p for p in CORPUS.glob("*/legacy") if p.is_dir())
    real = sorted(p for p in (CORPUS / "real").glob("*/legacy") if p.is_dir())
    return [(p.relative_to(CORPUS).as_posix(), p) for p in (*cases, *real)]


def generated_tree(root: Path) -> Path:
    """The first generated legacy modules of ``make bench`` (seed 0), written under ``root``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synthetic
    finally:
        sys.path.pop(0)
    rng = random.Random(0)
    for index in range(GENERATED_MODULES):
        (root / f"model_{index:05d}.py").write_text(synthetic.legacy_module(index, rng), encoding="utf-8")
    return root


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _records(records: Sequence[object], tree: Path) -> Dict[str, object]:
    from torchup.records import Edit

    short = [f"{'E' if isinstance(r, Edit) else 'F'} {r.line}:{r.column} {r.code}" for r in records]  # type: ignore[attr-defined]
    # Messages may name other files of the run by their path: where the checkout lies is no output.
    full = json.dumps(
        [[type(r).__name__, *(str(v).replace(str(tree), "<tree>") for v in vars(r).values())] for r in records]
    )
    return {"records": short, "records_sha256": _sha(full)}


def _run(tree: Path, unsafe: bool) -> Dict[str, Dict[str, object]]:
    from torchup import registry, runner
    from torchup.discovery import discover
    from torchup.records import Settings

    files = discover([str(tree)]).files
    job = runner.Job(registry.select_codes(), Settings(unsafe_fixes=unsafe), runner.WriteBack.CHECK, keep_text=True)
    result: Dict[str, Dict[str, object]] = {}
    for outcome in runner.run(files, job, jobs=1):
        entry: Dict[str, object] = {"status": outcome.status.value, **_records(outcome.records, tree)}
        if outcome.error:
            entry["error"] = outcome.error
        if unsafe and outcome.status is runner.Status.CHANGED:
            entry["output_sha256"] = _sha(outcome.new_text)
        result[Path(outcome.path).relative_to(tree).as_posix()] = entry
    return result


def snapshot(tree: Path) -> Dict[str, Dict[str, object]]:
    """File -> what ``fix --unsafe-fixes`` and ``check`` make of it, for every file of ``tree``.

    The tree runs from a copy of its own, outside any repository: where the checkout lies must not
    matter, and a copy of the project inside an ignored directory (``make mutate``'s ``mutants/``)
    would otherwise see every corpus file ignored by the enclosing repository's ``.gitignore``.
    """
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / tree.name
        shutil.copytree(tree, copy, ignore=shutil.ignore_patterns("__pycache__"))
        fixed, checked = _run(copy, unsafe=True), _run(copy, unsafe=False)
    return {name: {"fix --unsafe-fixes": fixed[name], "check": checked[name]} for name in sorted(fixed)}


def record_all() -> Dict[str, Dict[str, object]]:
    """``<tree key>/<file>`` -> its snapshot, for every tree (the golden data, as recorded now)."""
    document: Dict[str, Dict[str, object]] = {}
    for name, tree in trees():
        for file, entry in snapshot(tree).items():
            document[f"{name}/{file}"] = entry
    with tempfile.TemporaryDirectory() as directory:
        for file, entry in snapshot(generated_tree(Path(directory))).items():
            document[f"{GENERATED}/{file}"] = entry
    return document


def dumps(document: Dict[str, Dict[str, object]]) -> str:
    """One line per file: a change to one file's outputs is one line of the diff."""
    lines = [f"{json.dumps(name)}: {json.dumps(entry, sort_keys=True)}" for name, entry in sorted(document.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def load() -> Dict[str, Dict[str, object]]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def main() -> int:
    document = record_all()
    GOLDEN.write_text(dumps(document), encoding="utf-8")
    print(f"{GOLDEN.relative_to(ROOT)}: {len(document)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
