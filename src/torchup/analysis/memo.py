"""Memoising the analyses that several codemods of one pass run on the same nodes.

The codemods of a pass see the same tree, and several ask the same questions of it (the import
table, which expressions are tensors, every use of ``self.<attr>`` in a class). Trees and the
objects built from them compare by identity and are not all hashable, so the cache compares its
arguments by identity; it keeps the last call, which holds its tree alive (and the ids of its
nodes from being reused) until the next pass replaces it.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, List, Tuple, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def last_call(function: F) -> F:
    """Cache a function of positional arguments for its last call, compared by identity."""
    last: List[Tuple[Tuple[Any, ...], Any]] = []

    @functools.wraps(function)
    def cached(*args: Any) -> Any:
        if last:
            known, result = last[0]
            if len(known) == len(args):
                # A loop, not all() over a generator: the hot analyses ask thousands of times a run.
                for a, b in zip(known, args):
                    if a is not b:
                        break
                else:
                    return result
        result = function(*args)
        last[:] = [(args, result)]
        return result

    return cached  # type: ignore[return-value]


# Modules whose code is known without generating it: the pipeline parsed them from that code.
_CODES: List[Tuple[Any, str]] = []


def remember_code(module: Any, code: str) -> None:
    """``module`` was parsed from ``code`` (the last few are kept)."""
    _CODES.insert(0, (module, code))
    del _CODES[2:]  # the file as read and the current pass's tree


def code_of(module: Any) -> str:
    """``module.code``, without the codegen when the module's text is remembered."""
    from torchup.codegen import code_of_node  # codegen memoises with last_call

    for known, code in _CODES:
        if known is module:
            return code
    return code_of_node(module)
