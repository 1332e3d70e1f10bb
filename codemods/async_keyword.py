"""TU303 async_keyword: rename the ``async=`` keyword argument to ``non_blocking=``.

What it does
    Renames the keyword argument ``async=`` in calls such as ``x.cuda(async=True)`` and
    ``x.to(device, async=True)`` to ``non_blocking=``.

Why
    ``async`` became a reserved keyword in Python 3.7, so ``x.cuda(async=True)`` is a
    SyntaxError: the whole file fails to import. PyTorch 0.4 renamed the argument
    ``non_blocking``, which means the same thing (copy without synchronising when the source is
    in pinned memory).

Before
    inputs = inputs.cuda(async=True)
    target = target.cuda(async=True)

After
    inputs = inputs.cuda(non_blocking=True)
    target = target.cuda(non_blocking=True)

Fix safety
    Safe: the argument's meaning is unchanged.

Limitations
    The rename is done on tokens before parsing (the file cannot be parsed otherwise), so it
    applies to any call's ``async=`` keyword argument, whichever function is called: in code
    that runs on Python 3.7+ no call can take an argument named ``async`` anyway. When TU303
    is not selected, a file that uses ``async=`` is reported as unparseable and left untouched.
    For the same reason a ``# noqa: TU303`` comment (or a bare ``# noqa``) does not keep the
    rename from happening: the comment is read from the parsed file, which only exists after it.
    ``--ignore TU303`` (or ``ignore`` in ``pyproject.toml``) leaves such a file untouched, reported
    as unparseable.
"""

from __future__ import annotations

import libcst as cst

from torchup.codemod import Codemod


class AsyncKeyword(Codemod):
    CODE = "TU303"
    NAME = "async_keyword"
    SUMMARY = "`x.cuda(async=True)` -> `x.cuda(non_blocking=True)` (a SyntaxError since Python 3.7)"
    SAFETY = "safe"
    # The rename happens in the token pre-pass (torchup.parsing); there is nothing left to visit.
    MARKERS = ()

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return tree
