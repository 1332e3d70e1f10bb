"""Running a function where deep syntax trees do not overflow the stack.

A 5,000-term sum (``y = a + b + ...``, which CPython compiles) is a left-nested tree 5,000
levels deep; libcst's traversal and code generation, and the stdlib ``ast`` visitors of the
analyses, recurse once or more per level. Python's default recursion limit (1,000) stops them at
about 400 terms, and the 8 MiB main-thread stack could not hold much more. Rewriting libcst's
traversal without recursion is not ours to do, so each file is processed on a thread with a
large stack (reserved address space, only touched pages cost memory) and a recursion limit that
fits it: the limit still turns a runaway recursion into a ``RecursionError`` long before the
stack is exhausted.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")

STACK_BYTES = 512 * 1024 * 1024
# Measured: libcst's traversal of a nested call uses under 1 KiB of C stack per Python frame on
# CPython 3.11; 4 KiB per frame leaves a wide margin.
RECURSION_LIMIT = STACK_BYTES // 4096

_lock = threading.Lock()  # the recursion limit is per interpreter: one deep call at a time raises it
_depth = 0
_saved_limit = 0


def _raise_limit() -> None:
    global _depth, _saved_limit
    with _lock:
        if _depth == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, RECURSION_LIMIT))
        _depth += 1


def _restore_limit() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0:
            sys.setrecursionlimit(_saved_limit)


def call_with_deep_stack(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` on a thread with a deep stack; its result, or its exception raised here.

    One such thread serves every call of a process (starting a thread per file cost about 3 ms,
    a tenth of a small file's migration). It is not a daemon: when the waiting thread is
    interrupted (Ctrl-C raises there), the call still runs to its end before the interpreter
    exits, so a file being written is written whole or not at all.
    """
    if getattr(_local, "inside", False):
        return function(*args)  # already on the deep stack
    _raise_limit()
    future = _deep_thread().submit(function, *args)
    try:
        return future.result()
    finally:
        if future.done():  # when interrupted, the limit stays raised for the call still running
            _restore_limit()


def _deep_thread() -> ThreadPoolExecutor:
    """This process's deep-stack thread; a forked worker process starts its own (a fork keeps
    the executor object but not its thread)."""
    global _executor, _executor_pid
    with _lock:
        if _executor is None or _executor_pid != os.getpid():
            # The stack size applies to the threads started while it is set: the executor starts
            # its one thread on the first submit, so a task is submitted before it is reset.
            previous = threading.stack_size(STACK_BYTES)
            try:
                _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="torchup-deep-stack", initializer=_mark_inside)
                _executor.submit(int).result()
            finally:
                threading.stack_size(previous)
            _executor_pid = os.getpid()
        return _executor


def _mark_inside() -> None:
    _local.inside = True


_local = threading.local()
_executor: Optional[ThreadPoolExecutor] = None
_executor_pid = 0
