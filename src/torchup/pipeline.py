"""One file's migration: parse, run the selected codemods in order, return the code.

Text in, text out: no files, no printing. The codemods whose prefilter accepts the text run in a
few passes (:data:`PHASE_STARTS`); the codemods of one pass share one traversal of one tree
(:class:`~torchup.shared_pass.SharedPass`) and one metadata wrapper, so positions and parents are
computed once per pass. A pass that edited something hands the next one its tree as the parser
would make it of the new code: the statements the pass made are parsed again, the rest kept
(:mod:`torchup.incremental_parse`); the new code itself is generated for those statements only
(:class:`~torchup.codegen.ModuleCode`).
"""

from __future__ import annotations

import ast
import difflib
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any, List, Mapping, Optional, Sequence, Set, Tuple, Type, Union

from libcst import CSTNode, Module
from libcst.codemod import CodemodContext
from libcst.metadata import MetadataWrapper

from torchup.analysis.memo import last_call, remember_code
from torchup.analysis.walk import indexed
from torchup.codegen import ModuleCode
from torchup.codemod import (
    FACTS_KEY,
    ORIGINAL_KEY,
    SETTINGS_KEY,
    SUPPRESSIONS_KEY,
    Codemod,
    Edit,
    Finding,
    Record,
    Settings,
    TreeMetadata,
    position_key,
)
from torchup.incremental_parse import parse_again
from torchup.parsing import ASYNC_CODE, ParseError, Parsed, parse, stdlib_tree
from torchup.shared_pass import SharedPass, skip_matcher_dispatch
from torchup.suppressions import Suppressions, suppressions_of, unused_noqa


@dataclass(frozen=True)
class Migration:
    """The migrated text of one file and what was done to it."""

    source: str
    code: str
    records: Tuple[Record, ...]
    suppressed: Tuple[Record, ...] = ()  # kept out of ``records`` by a `# noqa` comment

    @property
    def changed(self) -> bool:
        return self.code != self.source

    @property
    def edits(self) -> Tuple[Edit, ...]:
        return tuple(r for r in self.records if isinstance(r, Edit))

    @property
    def findings(self) -> Tuple[Finding, ...]:
        return tuple(r for r in self.records if isinstance(r, Finding))


@dataclass(frozen=True)
class Failure:
    """The file could not be migrated; it must be left exactly as it was."""

    kind: str  # "parse" or "internal"
    line: int
    column: int
    message: str


@last_call
def applicable(
    codemods: Sequence[Type[Codemod]],
    text: str,
    facts: Any = None,
    filename: Optional[str] = None,
    renamed: Optional[str] = None,
) -> Sequence[Type[Codemod]]:
    """The codemods that may have work in ``text``: their text prefilter accepts it, and then
    their tree screen, if they have one, the file's stdlib ``ast`` (parsed once, for all); and
    those the run's cross-file ``facts`` give work in ``filename`` whatever its text says.
    ``renamed``: the code after the ``async=`` rename, when it differs (``text`` does not parse):
    the screens read its tree, which is the code the codemods see."""
    wanted, selected = _prefiltered(codemods, text, facts, filename)
    if any(cls.TREE_SCREEN is not None for cls in selected):
        tree = _stdlib_tree(text if renamed is None else renamed)
        if tree is not None:
            selected = [cls for cls in selected if cls in wanted or cls.TREE_SCREEN is None or cls.TREE_SCREEN(tree)]
    return selected


@last_call
def _prefiltered(
    codemods: Sequence[Type[Codemod]], text: str, facts: Any, filename: Optional[str]
) -> Tuple[Set[Type[Codemod]], List[Type[Codemod]]]:
    """The codemods the run's facts want in the file, and those with them that the text
    prefilter accepts (remembered: a file with `async=` asks again with its renamed code)."""
    wanted = {cls for cls in codemods if facts is not None and cls.wanted_by(facts, filename)}
    return wanted, [cls for cls in codemods if cls in wanted or cls.may_apply(text)]


def _stdlib_tree(text: str) -> Optional[ast.Module]:
    """``text`` parsed by ``ast``, or None where only libcst can say what is wrong (or renames
    ``async=``): the screens are then skipped, not the codemods."""
    tree = stdlib_tree(text)
    return tree if isinstance(tree, ast.Module) else None


def needs_parsing(
    codemods: Sequence[Type[Codemod]], text: str, facts: Any = None, filename: Optional[str] = None
) -> bool:
    """Whether a file is worth parsing: a codemod may apply, or TU303's pre-pass may rename."""
    # The same arguments as the pipeline's call for a file without `async=`: it is remembered.
    return bool(applicable(codemods, text, facts, filename, None)) or (
        "async" in text and any(cls.CODE == ASYNC_CODE for cls in codemods)
    )


def migrate_source(
    source: str,
    codemods: Sequence[Type[Codemod]],
    settings: Settings = Settings(),
    *,
    facts: Any = None,
    filename: Optional[str] = None,
    full_module_name: Optional[str] = None,
) -> Union[Migration, Failure]:
    """Migrate one file's text with ``codemods`` (in the order given)."""
    if suppressions_of(source).skip_file:
        return Migration(source, source, ())
    parsed = parse(source)
    if isinstance(parsed, ParseError):
        return Failure("parse", parsed.line, parsed.column, parsed.reason)
    try:
        migration = _run(source, parsed, codemods, settings, facts, filename, full_module_name)
    except Exception as error:  # a codemod bug must not take the run (or the file) down
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        return Failure("internal", 0, 0, f"internal error ({type(error).__name__}: {error} at {where})")
    if settings.show_unused_noqa:
        idle = unused_noqa(source, {cls.CODE for cls in codemods}, migration.suppressed)
        migration = replace(migration, records=tuple(sorted((*migration.records, *idle), key=position_key)))
    return migration


def _run(
    source: str,
    parsed: Parsed,
    codemods: Sequence[Type[Codemod]],
    settings: Settings,
    facts: Any,
    filename: Optional[str],
    full_module_name: Optional[str],
) -> Union[Migration, Failure]:
    if parsed.async_renames and not any(cls.CODE == ASYNC_CODE for cls in codemods):
        # The file only parses with the rename, so it cannot be migrated without it.
        line, column = parsed.async_renames[0]
        return Failure(
            "parse",
            line,
            column,
            "`async=` keyword argument is a SyntaxError since Python 3.7 "
            f"({ASYNC_CODE} renames it to `non_blocking=`, but it is not selected)",
        )
    records: List[Record] = [
        Edit(ASYNC_CODE, line, column, "`async=` keyword argument renamed `non_blocking=`")
        for line, column in parsed.async_renames
    ]
    remember_code(parsed.module, parsed.code)
    selected = applicable(codemods, source, facts, filename, parsed.code if parsed.async_renames else None)
    groups = phases(selected)
    if len(groups) > 1 and groups[0][0].CODE >= PHASE_STARTS[0]:
        # Nothing for the first phase (no `Variable`): most such files are modern code, which no
        # codemod edits. One pass of all of them gives, when it edits nothing, exactly what the
        # phases would (each phase would see the tree as parsed); otherwise the phases run.
        attempt = _pass(selected, parsed.module, parsed.code, None, settings, facts, filename, full_module_name)
        if not attempt.edited:
            return Migration(
                source, parsed.code, tuple(sorted((*records, *attempt.records), key=position_key)), attempt.suppressed
            )
    tree = parsed.module
    code = parsed.code
    # Each pass reports lines of the text it received; this maps them back to the source's.
    to_source = LineMap.identity()
    wrapper: Optional[TreeMetadata] = None
    suppressed: List[Record] = []
    module_code = ModuleCode((parsed.module, parsed.code, _stdlib_tree(parsed.code)))
    for number, phase in enumerate(groups, 1):
        done = _pass(
            phase, tree, code, wrapper, settings, facts, filename, full_module_name, original=parsed.module, module_code=module_code
        )
        records.extend(to_source.apply(record) for record in done.records)
        suppressed.extend(to_source.apply(record) for record in done.suppressed)
        wrapper = done.wrapper
        # A pass that made no edit leaves the code as it was (the line map relies on it too), so
        # the tree it rebuilt is dropped and the next pass keeps the metadata of this one.
        if done.edited:
            to_source = to_source.after(code, done.code)
            code = done.code
            if number < len(groups):
                # The next pass needs the tree the parser makes of the code, each node once:
                # the statements this pass made are parsed again, the rest kept.
                tree = parse_again(code, done.tree, tree, done.origins)
                remember_code(tree, code)
    return Migration(source, code, tuple(sorted(records, key=position_key)), tuple(suppressed))


@dataclass(frozen=True)
class _Pass:
    records: Tuple[Record, ...]
    edited: bool
    code: str  # the new code when edited, else ""
    wrapper: TreeMetadata
    suppressed: Tuple[Record, ...] = ()
    tree: Optional[Module] = None  # the new tree when edited
    origins: Mapping[CSTNode, CSTNode] = field(default_factory=dict)  # see SharedPass.origins


def _pass(
    codemods: Sequence[Type[Codemod]],
    tree: Module,
    code: str,
    wrapper: Optional[TreeMetadata],
    settings: Settings,
    facts: Any,
    filename: Optional[str],
    full_module_name: Optional[str],
    original: Optional[Module] = None,
    module_code: Optional[ModuleCode] = None,
) -> _Pass:
    """One traversal of ``tree`` (parsed from ``code``) by ``codemods``; ``wrapper``, when it
    wraps ``tree``, is reused."""
    # Every pass starts from a parsed tree, which holds no node twice: no defensive copy.
    if wrapper is None or wrapper.module is not tree:
        wrapper = TreeMetadata(tree, unsafe_skip_copy=True)
    context = CodemodContext(
        filename=filename,
        full_module_name=full_module_name,
        scratch={
            SETTINGS_KEY: settings,
            FACTS_KEY: facts,
            SUPPRESSIONS_KEY: _suppressions(code, settings),
            ORIGINAL_KEY: original,
        },
    )
    instances = [cls(context) for cls in codemods]
    for codemod in instances:
        skip_matcher_dispatch(codemod)
    shared = SharedPass(instances)
    transformed = _run_shared(shared, wrapper, original)
    records = tuple(record for codemod in instances for record in codemod.records)
    suppressed = tuple(record for codemod in instances for record in codemod.suppressed)
    if not any(isinstance(record, Edit) for record in records):
        return _Pass(records, False, "", wrapper, suppressed)
    tree = instances[0].serve_import_requests(transformed)
    new_code = (module_code or ModuleCode()).of(tree)
    return _Pass(records, True, new_code, wrapper, suppressed, tree, shared.origins)


def _suppressions(code: str, settings: Settings) -> Suppressions:
    # Each pass reads the comments of the code it is given: its lines are the ones its codemods
    # record, and comments survive every rewrite.
    return suppressions_of(code, bare_noqa=settings.bare_noqa)


# Where a new pass starts: the codemods from one of these codes on read the code the codemods
# before them wrote, not the code as read (each found by the corpus and the equivalence tests,
# which fail when the boundary is removed):
# - TU102 folds a `Variable(x, volatile=True)` region into `with torch.no_grad():` and drops the
#   statements TU101's unwrapping left as `x = x`;
# - TU3xx moves the constants TU2xx has just registered as buffers (and the locals that feed them).
# TU4xx shares TU3xx's pass: TU301 builds its `device=` from the call TU401 has already rewritten.
PHASE_STARTS: Tuple[str, ...] = ("TU102", "TU3", "TU304")


def phases(codemods: Sequence[Type[Codemod]]) -> List[List[Type[Codemod]]]:
    """``codemods`` (in code order) cut before each code of :data:`PHASE_STARTS`."""
    groups: List[List[Type[Codemod]]] = []
    for cls in codemods:
        if not groups or any(cls.CODE >= start > groups[-1][-1].CODE for start in PHASE_STARTS):
            groups.append([])
        groups[-1].append(cls)
    return groups


def _run_shared(shared: SharedPass, wrapper: MetadataWrapper, original: Optional[Module] = None) -> Module:
    """Run the pass's codemods in one traversal of the wrapper's module, each with its metadata;
    the analyses they run on the file as read (``original``) use its index too."""
    with ExitStack() as stack:
        trees = (wrapper.module,) if original is None or original is wrapper.module else (wrapper.module, original)
        stack.enter_context(indexed(*trees))
        for codemod in shared.codemods:
            stack.enter_context(codemod.resolve(wrapper))
            stack.enter_context(codemod.with_wrapper(wrapper))
        return shared.transform(wrapper.module)


_EXACT_LINE_MAP = 2000  # lines


@dataclass(frozen=True)
class LineMap:
    """Maps 1-based lines of a rewritten text to the lines of the original source.

    A line inside a changed region maps to the original line at the same offset in the region
    (a one-for-one replacement keeps every line), clipped to the region's last line; an inserted
    line maps to the original line it was inserted before: the place a person would look. In a
    region that grew or shrank, a line that resembles one of the region's original lines maps to
    it instead (the line below an import TU101 dropped, a line TU102 indented under a `with`).
    """

    lines: Optional[Tuple[int, ...]]  # index: rewritten line - 1; None: identity

    @classmethod
    def identity(cls) -> "LineMap":
        return cls(None)

    def __call__(self, line: int) -> int:
        if self.lines is None or line <= 0:
            return line
        return self.lines[min(line, len(self.lines)) - 1] if self.lines else line

    def after(self, before: str, after: str) -> "LineMap":
        """The map for ``after``, a rewrite of ``before`` (whose lines this map already maps)."""
        old, new = before.splitlines(), after.splitlines()
        mapped = [0] * max(len(new), 1)
        # Exact matching is quadratic in the copies of a repeated line (a 20,000-line file of
        # small functions: minutes); past a few thousand lines, difflib's heuristic treats the
        # most frequent lines as junk, which keeps records of unique lines exact.
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=max(len(old), len(new)) > _EXACT_LINE_MAP)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            resized = tag == "replace" and i2 - i1 != j2 - j1 and (i2 - i1) * (j2 - j1) <= _MATCHED_REGION
            for offset, j in enumerate(range(j1, j2)):
                i = i1 + min(offset, max(i2 - i1 - 1, 0))
                if resized:
                    i = _likeliest_origin(new[j], old, i1, i2, i)
                mapped[j] = self(min(i, max(len(old) - 1, 0)) + 1)
        return LineMap(tuple(mapped))

    def apply(self, record: Record) -> Record:
        return record if self.lines is None else replace(record, line=self(record.line))


# A region that grew or shrank (an import dropped above a rewritten line, a `with` inserted) maps
# each new line to the old line it most resembles, when one does: by position from the region's
# top, the line below a dropped import would be the import's. Past this many pairs, by position.
_MATCHED_REGION = 400  # old lines x new lines
_RESEMBLES = 0.5  # difflib ratio


def _likeliest_origin(line: str, old: Sequence[str], start: int, end: int, default: int) -> int:
    text = line.strip()
    if not text:
        return default
    best, best_ratio = default, _RESEMBLES
    for index in range(start, end):
        matcher = difflib.SequenceMatcher(None, old[index].strip(), text)
        if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = index, ratio
    return best
