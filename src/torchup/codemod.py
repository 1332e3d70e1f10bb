"""The base class every codemod derives from (the records it produces: :mod:`torchup.records`).

A codemod is a libcst ``VisitorBasedCodemodCommand``: it can run inside torchup's pipeline or
under ``python -m libcst.tool codemod``. It never prints and never touches files; what it did
comes back as :class:`Edit` records (applied rewrites) and :class:`Finding` records (what a
person must look at, with a line and a reason).

Safety is decided per edit: a codemod offers each rewrite through :meth:`Codemod.fix` with its
:class:`Safety`; an unsafe rewrite is applied only under ``--unsafe-fixes`` and otherwise becomes
a finding that says a fix is available.
"""

from __future__ import annotations

import argparse
import ast
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable, ClassVar, Dict, Iterable, Iterator, List, Optional, Tuple, TypeVar

import libcst as cst
from libcst.codemod import Codemod as LibcstCodemod
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.matchers._decorators import (
    CONSTRUCTED_LEAVE_MATCHER_ATTR,
    CONSTRUCTED_VISIT_MATCHER_ATTR,
    VISIT_NEGATIVE_MATCHER_ATTR,
    VISIT_POSITIVE_MATCHER_ATTR,
)
from libcst.metadata import MetadataWrapper

from torchup.analysis.walk import ParentProvider
from torchup.codegen import StartPositions, StatementStarts, code_of_node
from torchup.import_removal import remove_unused_imports
from torchup.records import Edit, Finding, Record, Safety, Settings, position_key
from torchup.text_search import search

SETTINGS_KEY = "torchup.settings"
FACTS_KEY = "torchup.repo_facts"
SUPPRESSIONS_KEY = "torchup.suppressions"
# The file's tree as read, before any pass: what later passes' codemods can still ask about.
ORIGINAL_KEY = "torchup.original_module"

NodeT = TypeVar("NodeT", bound=cst.CSTNode)




class TreeMetadata(MetadataWrapper):
    """libcst's metadata wrapper, less one wasted traversal.

    libcst's resolver runs a batched traversal of the whole tree after resolving any provider
    that is not batchable (positions, parents), even when the batch is empty: 215 full
    traversals over 40 files in issue 7's profile, for nothing.
    """

    def visit_batched(self, visitors: Iterable[Any], before_visit: Any = None, after_leave: Any = None) -> cst.CSTNode:
        visitors = list(visitors)
        if not visitors and before_visit is None and after_leave is None:
            return self.module
        return super().visit_batched(visitors, before_visit, after_leave)

    def start_of(self, node: cst.CSTNode) -> Optional[Tuple[int, int]]:
        """Where an original node starts (line from 1, column from 0); None for a node made later.

        Only the statement that holds the node has its code generated
        (:class:`~torchup.codegen.StatementStarts`), not the whole module.
        """
        starts = getattr(self, "_statement_starts", None)
        if starts is None:
            from torchup.analysis.memo import code_of
            from torchup.parsing import stdlib_tree

            code = code_of(self.module)
            tree = stdlib_tree(code)
            starts = StatementStarts(self.module, code, tree if isinstance(tree, ast.Module) else None)
            self._statement_starts = starts
        return starts.start(node, self.resolve(ParentProvider).get)


_REGISTRY: Dict[str, type] = {}
# What libcst's matcher decorators (``@m.visit``, ``@m.leave``, ``@m.call_if_inside``,
# ``@m.call_if_not_inside``) set on the functions they decorate.
_MATCHER_MARKS = (
    VISIT_POSITIVE_MATCHER_ATTR,
    VISIT_NEGATIVE_MATCHER_ATTR,
    CONSTRUCTED_VISIT_MATCHER_ATTR,
    CONSTRUCTED_LEAVE_MATCHER_ATTR,
)


@lru_cache(maxsize=None)
def uses_matcher_decorators(cls: type) -> bool:
    """Whether a method of ``cls`` carries a libcst matcher decorator.

    libcst's constructor finds out by three ``dir()`` walks of every instance, calling
    ``getattr`` on each of a transformer's thousand attributes: 0.18 s for torchup's 27
    codemods, paid by every process that runs them (the whole start-up of a run but the
    imports). The decorators mark the functions in the class bodies, so reading those is
    enough; libcst's own classes decorate nothing and are not read.
    """
    return any(
        getattr(value, mark, None)
        for klass in cls.__mro__
        if not klass.__module__.startswith("libcst.")
        for value in vars(klass).values()
        for mark in _MATCHER_MARKS
    )


class Codemod(VisitorBasedCodemodCommand):
    """Base of every torchup codemod.

    Subclasses declare ``CODE`` (stable, e.g. ``"TU101"``), ``NAME`` (the module's name),
    ``SUMMARY`` (one line), ``SAFETY`` (``"safe"``, ``"unsafe"`` or ``"mixed"``: what its edits
    usually are) and ``MARKERS``: substrings of which at least one must occur in a file's text for
    the codemod to have anything to do there (the cheap prefilter). ``PATTERN``, when set, is a
    regular expression (a string) that must also match somewhere in the text: narrower than the markers
    (a word that modern code uses too, like ``init`` or ``softmax``, only counts in the legacy
    spelling the codemod rewrites), still a superset of what it acts on — a file it rejects is
    never parsed. ``TREE_SCREEN``, when set, is the prefilter's second stage: a function of the
    file's stdlib ``ast`` tree (a tenth of libcst's parse) that says False only when the codemod
    certainly has nothing to do (:mod:`torchup.analysis.tree_screen`). The docstring is the
    documentation, in the sections What it does / Why / Before / After / Fix safety / Limitations.
    """

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    SUMMARY: ClassVar[str] = ""
    SAFETY: ClassVar[str] = "safe"
    MARKERS: ClassVar[Tuple[str, ...]] = ()
    PATTERN: ClassVar[Optional[str]] = None
    TREE_SCREEN: ClassVar[Optional[Callable[[ast.Module], bool]]] = None

    @classmethod
    def may_apply(cls, text: str) -> bool:
        """The prefilter: whether this codemod can have anything to do in ``text``."""
        # `re` compiles the pattern on first use and keeps it: a run that the cache answers
        # entirely never compiles one.
        return any(marker in text for marker in cls.MARKERS) and (cls.PATTERN is None or search(cls.PATTERN, text))

    @classmethod
    def wanted_by(cls, facts: Any, filename: Optional[str]) -> bool:
        """Whether the run's cross-file facts give this codemod work in ``filename`` that its
        text may not show (a call of another file's helper): it then runs past the prefilter."""
        return False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.CODE:
            return  # an abstract intermediate class
        other = _REGISTRY.get(cls.CODE)
        if other is not None and other.__qualname__ != cls.__qualname__:
            raise TypeError(f"codemod code {cls.CODE} is used by {other.__name__} and {cls.__name__}")
        _REGISTRY[cls.CODE] = cls
        # libcst.tool shows DESCRIPTION in its listing.
        cls.DESCRIPTION = f"{cls.CODE} {cls.SUMMARY}"

    def __init__(self, context: CodemodContext, unsafe_fixes: bool = False) -> None:
        if uses_matcher_decorators(type(self)):
            super().__init__(context)
        else:
            LibcstCodemod.__init__(self, context)
            cst.CSTTransformer.__init__(self)
            # What MatcherDecoratableTransformer.__init__ would have found: nothing.
            self._matchers = {}
            self._extra_visit_funcs = {}
            self._extra_leave_funcs = {}
        settings = context.scratch.get(SETTINGS_KEY)
        self.settings: Settings = settings if settings is not None else Settings(unsafe_fixes=unsafe_fixes)
        self.records: List[Record] = []
        # What a `# noqa` comment kept out of ``records`` (for --show-unused-noqa).
        self.suppressed: List[Record] = []

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--unsafe-fixes",
            dest="unsafe_fixes",
            action="store_true",
            help="also apply the edits torchup marks unsafe",
        )

    # -- what subclasses call -------------------------------------------------------------

    @property
    def repo_facts(self) -> Any:
        """Cross-file facts from the run's first pass (the nn.Module index), or None."""
        return self.context.scratch.get(FACTS_KEY)

    def allows(self, safety: Safety) -> bool:
        return safety is Safety.SAFE or self.settings.unsafe_fixes

    def _suppressed_at(self, node: cst.CSTNode) -> Optional[Tuple[int, int]]:
        """The node's position when a ``# noqa`` for this codemod's code covers it, else None."""
        suppressions = self.context.scratch.get(SUPPRESSIONS_KEY)
        if suppressions is None or not suppressions.any:
            return None
        line, column = self.position_of(node)
        return (line, column) if suppressions.suppresses(self.CODE, line) else None

    def fix(
        self,
        original: cst.CSTNode,
        updated: Any,
        message: str,
        *,
        safety: Safety = Safety.SAFE,
        keep: Any = None,
    ) -> Any:
        """Offer the rewrite ``original -> updated``; return what goes into the tree.

        When the edit's safety is allowed, the edit is recorded and ``updated`` returned.
        Otherwise a finding saying an unsafe fix exists is recorded, and ``keep`` (by default
        ``original``) is returned, so the tree keeps the legacy code. Under a ``# noqa`` for this
        code, nothing is recorded and the tree keeps the legacy code too.
        """
        where = self._suppressed_at(original)
        if where is not None:
            self.suppressed.append(Edit(self.CODE, *where, message, safety))
            return original if keep is None else keep
        if self.allows(safety):
            self.record_edit(original, message, safety=safety)
            return updated
        self.report(original, f"{message} (unsafe fix: use --unsafe-fixes)", fix_available=True)
        return original if keep is None else keep

    def record_edit(self, node: cst.CSTNode, message: str, *, safety: Safety = Safety.SAFE) -> None:
        line, column = self.position_of(node)
        self.records.append(Edit(self.CODE, line, column, message, safety))

    def report(self, node: cst.CSTNode, message: str, *, fix_available: bool = False) -> None:
        """Record a finding: the node stays as it is and a person must look at it."""
        line, column = self.position_of(node)
        finding = Finding(self.CODE, line, column, message, fix_available)
        suppressions = self.context.scratch.get(SUPPRESSIONS_KEY)
        if suppressions is not None and suppressions.suppresses(self.CODE, line):
            self.suppressed.append(finding)
            return
        self.records.append(finding)
        self.warn(f"{self.CODE} line {line}: {message}")

    def position_of(self, node: cst.CSTNode) -> Tuple[int, int]:
        """1-based line, 0-based column of an original node; (0, 0) for nodes made this pass.

        Positions are computed lazily, for the top-level statement that holds the node, only when
        something is recorded there: most files record nothing and never pay for them.
        """
        wrapper = self.context.wrapper
        if wrapper is None:
            return (0, 0)
        start = wrapper.start_of(node) if isinstance(wrapper, TreeMetadata) else wrapper.resolve(StartPositions).get(node)
        return (0, 0) if start is None else start

    # -- how the pipeline runs a codemod ----------------------------------------------------

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Run the codemod alone (``python -m libcst.tool codemod``; torchup's pipeline runs
        several in one :class:`~torchup.shared_pass.SharedPass`, with a wrapper per pass)."""
        wrapper = TreeMetadata(tree)
        with self.resolve(wrapper), self.with_wrapper(wrapper):
            tree = self.transform_module_impl(wrapper.module)
        # A pass that edited nothing changes nothing: an import it scheduled (speculatively) would
        # be the only change.
        if not any(isinstance(record, Edit) for record in self.records):
            return tree
        return self.serve_import_requests(tree)

    @contextmanager
    def with_wrapper(self, wrapper: MetadataWrapper) -> Iterator[None]:
        """The context with ``wrapper`` as its metadata wrapper, as libcst's own run sets it."""
        outer = self.context
        self.context = replace(outer, wrapper=wrapper)
        try:
            yield
        finally:
            self.context = outer

    def serve_import_requests(self, tree: cst.Module) -> cst.Module:
        """Apply the imports scheduled through ``AddImportsVisitor`` / ``RemoveImportsVisitor``.

        Additions go through libcst. Removals go through torchup's own pass
        (:mod:`torchup.import_removal`): libcst's copies the tree and runs a scope analysis,
        which made it the costliest pass of a run (issue 7: 66% of a TU101-only run).
        """
        from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

        from torchup.import_addition import AddImports
        from torchup.shared_pass import run_alone

        if self.context.scratch.get(AddImportsVisitor.CONTEXT_KEY):
            tree = run_alone(AddImports(self.context), tree)
        return remove_unused_imports(tree, self.context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY, ()))


def registered() -> Dict[str, type]:
    """Every codemod class whose module has been imported, by code."""
    return dict(_REGISTRY)


def node_code(node: cst.CSTNode) -> str:
    """The source text of an expression node, as it would be written."""
    return code_of_node(node)




__all__ = [
    "Codemod",
    "Edit",
    "Finding",
    "Record",
    "Safety",
    "Settings",
    "SETTINGS_KEY",
    "FACTS_KEY",
    "SUPPRESSIONS_KEY",
    "ORIGINAL_KEY",
    "node_code",
    "position_key",
    "registered",
]
