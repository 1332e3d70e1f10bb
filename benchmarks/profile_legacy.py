"""In-process CPU time of migrating the legacy-heavy tree, and where it goes.

``make bench`` measures whole processes on a shared machine, whose wall times move with the load;
this measures the CPU time of the migration alone (no start-up, no process pool, no first pass),
best of a few rounds, to compare two versions of the engine, and can write a profile::

    .venv/bin/python benchmarks/profile_legacy.py [--rounds 3] [--cprofile OUT | --pyinstrument OUT]

``PYTHONPATH=<copy of torchup>`` measures another version (a copy laid out as ``torchup/`` with
``torchup/codemods/``, as ``make bench``'s snapshot is).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402 - the sibling module, whatever the current directory


def migrate_all(files: Sequence[Path]) -> Callable[[], None]:
    """A function that migrates every file once (``fix --check`` settings), as a worker does."""
    from torchup import registry, runner
    from torchup.pipeline import migrate_source, needs_parsing
    from torchup.records import Settings
    from torchup.source_file import decode

    codes = registry.select_codes()
    codemods = [registry.get(code) for code in codes]
    facts = runner.module_index_for(list(files), codes, 1)
    texts = [decode(path.read_bytes()).text for path in files]  # type: ignore[union-attr]

    def run() -> None:
        for path, text in zip(files, texts):
            gc.disable()  # as the runner does around each file
            # The same arguments as the runner's two calls: the prefilter's answer is remembered.
            filename = str(path)
            if needs_parsing(codemods, text, facts, filename):
                migrate_source(text, codemods, Settings(), facts=facts, filename=filename)
            gc.collect(0)

    return run


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--legacy-modules", type=int, default=synthetic.LEGACY_TREE_MODULES)
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of one more round here")
    parser.add_argument("--pyinstrument", type=Path, help="write a pyinstrument text profile here")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(20_000)
    with tempfile.TemporaryDirectory() as directory:
        tree = synthetic.build_legacy(Path(directory) / "legacy", args.legacy_modules)
        run = migrate_all(tree.files)
        run()  # warm: imports, compiled patterns
        times: List[float] = []
        for _ in range(args.rounds):
            started = time.process_time()
            run()
            times.append(time.process_time() - started)
        print(f"{len(tree.files)} files, {tree.lines} lines: CPU best {min(times):.3f} s of {args.rounds} "
              f"({', '.join(f'{t:.2f}' for t in times)})")
        if args.cprofile:
            import cProfile

            cProfile.runctx("run()", globals(), {"run": run}, str(args.cprofile))
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            profiler.start()
            run()
            profiler.stop()
            args.pyinstrument.write_text(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
