"""The two references torchup is measured against, as a command of their own.

``read``: read every file's bytes (the physical reference: no tool can do less).
``floor``: ``libcst.parse_module`` and code generation of every file (the floor of any libcst tool).

    python benchmarks/reference.py {read,floor} --files-from LIST [-j N]

Prints one JSON line: the files done and the ones libcst could not parse.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
from pathlib import Path
from typing import List, Sequence


def _read(path: str) -> int:
    return len(Path(path).read_bytes())


# `x.cuda(async=True)` does not parse since Python 3.7; torchup renames the keyword before parsing
# (TU303), and so does the floor, or it would be measured on files it cannot read (a superset of
# the keyword argument: the floor needs a file that parses, not a faithful rename).
_ASYNC_KEYWORD = re.compile(rb"\basync(\s*=)(?!=)")


def _floor(path: str) -> int:
    import libcst

    data = Path(path).read_bytes()
    if b"async" in data:
        data = _ASYNC_KEYWORD.sub(rb"non_blocking\1", data)
    try:
        module = libcst.parse_module(data)
    except Exception:  # noqa: BLE001 - a file the parser rejects counts as done, and is counted
        return -1
    return len(module.bytes)


def main(argv: Sequence[str] = ()) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("read", "floor"))
    parser.add_argument("--files-from", required=True)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    args = parser.parse_args(list(argv) or None)
    files: List[str] = [line.strip() for line in Path(args.files_from).read_text().splitlines() if line.strip()]
    work = _read if args.mode == "read" else _floor
    if args.jobs > 1 and len(files) > 1:
        with multiprocessing.Pool(args.jobs) as pool:
            sizes = pool.map(work, files, chunksize=max(1, min(32, len(files) // (args.jobs * 4))))
    else:
        sizes = [work(path) for path in files]
    print(json.dumps({"files": len(files), "unparsed": sum(1 for size in sizes if size < 0)}))


if __name__ == "__main__":
    main()
