"""Drops the imports a codemod asked to remove, when nothing in the file uses them any more.

Codemods ask through libcst's ``RemoveImportsVisitor.remove_unused_import(context, module, obj,
asname)``, which only records the request in the context. libcst would serve it with a deep copy
of the tree and a full scope analysis: two thirds of the time of a file that needs TU101. This
pass is cheaper and more conservative: one traversal collects every name the file mentions
outside its import statements, and an import is dropped only when its bound name is not among
them. A name used anywhere (another scope, a rebinding, a module-level ``__all__``, a string
annotation) keeps the import: an unused import left behind is harmless, a needed one removed
breaks the file.

Only absolute imports are touched; relative imports and star imports stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node

from torchup.analysis.names import NameReads
from torchup.analysis.walk import structural_children, walk

# (module, obj, asname) as RemoveImportsVisitor records it: obj None means `import module`.
Request = Tuple[str, Optional[str], Optional[str]]
ImportNode = Union[cst.Import, cst.ImportFrom]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class NamesInUse:
    """What one traversal of a module found: the names it uses and the imports asked about."""

    names: FrozenSet[str]
    # The import statements a request names, each with the path of nodes from the module down to it.
    imports: Tuple[Tuple[ImportNode, Tuple[cst.CSTNode, ...]], ...]


def remove_unused_imports(tree: cst.Module, requests: Iterable[Request]) -> cst.Module:
    """``tree`` without the requested import aliases whose bound name the file no longer uses."""
    wanted = frozenset(requests)
    if not wanted:
        return tree
    found = names_in_use(tree, wanted)
    plan: Dict[int, FrozenSet[int]] = {}
    path: Set[int] = set()
    for statement, ancestors in found.imports:
        dropped = frozenset(
            id(alias) for alias in _aliases(statement) if _removable(statement, alias, wanted, found.names)
        )
        if dropped:
            plan[id(statement)] = dropped
            path.update(id(node) for node in ancestors)
    if not plan:
        return tree
    return tree.visit(_DropAliases(plan, path))


def names_in_use(tree: cst.Module, wanted: FrozenSet[Request]) -> NamesInUse:
    collector = _NameCollector({module for module, _, _ in wanted})
    walk(tree, collector)
    paths = _paths_to(tree, collector.imports)
    return NamesInUse(frozenset(collector.names), tuple((statement, paths[id(statement)]) for statement in collector.imports))


def _paths_to(tree: cst.Module, statements: List[ImportNode]) -> Dict[int, Tuple[cst.CSTNode, ...]]:
    """For each of ``statements``, the nodes from the module down to it (itself included).

    Found after the names, by a search that enters no expression (no statement is inside one):
    tracking every node's ancestors during the walk of the names cost more than the walk.
    """
    wanted = {id(statement) for statement in statements}
    found: Dict[int, Tuple[cst.CSTNode, ...]] = {}

    def search(node: cst.CSTNode, path: Tuple[cst.CSTNode, ...]) -> None:
        path = (*path, node)
        if id(node) in wanted:
            found[id(node)] = path
            return
        for child in structural_children(node):
            if not isinstance(child, cst.BaseExpression):
                search(child, path)

    if wanted:
        search(tree, ())
    return found


def bound_name(alias: cst.ImportAlias, statement: ImportNode) -> str:
    """The name an import alias binds: ``c`` for ``import a.b as c``, ``a`` for ``import a.b``."""
    if alias.asname is not None:
        return alias.evaluated_alias or ""
    if isinstance(statement, cst.Import):
        return alias.evaluated_name.split(".", 1)[0]
    return alias.evaluated_name


def _aliases(statement: ImportNode) -> Tuple[cst.ImportAlias, ...]:
    names = statement.names
    return () if isinstance(names, cst.ImportStar) else tuple(names)


def _removable(
    statement: ImportNode, alias: cst.ImportAlias, wanted: FrozenSet[Request], used: FrozenSet[str]
) -> bool:
    request = _request_for(statement, alias)
    return request is not None and request in wanted and bound_name(alias, statement) not in used


def _request_for(statement: ImportNode, alias: cst.ImportAlias) -> Optional[Request]:
    """The request that names this alias, in RemoveImportsVisitor's spelling."""
    if isinstance(statement, cst.Import):
        return (alias.evaluated_name, None, alias.evaluated_alias)
    module = _absolute_module(statement)
    if module is None:
        return None
    return (module, alias.evaluated_name, alias.evaluated_alias)


def _absolute_module(statement: cst.ImportFrom) -> Optional[str]:
    if statement.relative or statement.module is None:
        return None  # which package `.x` means depends on where the file lives: leave it alone
    return get_full_name_for_node(statement.module)


class _NameCollector(NameReads):
    """Collects every name read, bound or exported outside import statements.

    Attribute names (``x.Variable``) and keyword names (``f(Variable=1)``) never refer to an
    imported binding, so they do not count; every other ``Name`` does, in any scope.
    """

    # No name, string or import is a token (whitespace, punctuation): the walk leaves them out.
    SKIPS_TOKENS = True

    def __init__(self, modules: Set[str]) -> None:
        super().__init__()
        self.modules = modules
        self.imports: List[ImportNode] = []
        self._in_annotation = 0
        self._in_all = 0

    def visit_Import(self, node: cst.Import) -> bool:
        if any(alias.evaluated_name in self.modules for alias in node.names):
            self.imports.append(node)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if _absolute_module(node) in self.modules:
            self.imports.append(node)
        return False

    # A string annotation ("Variable") and an `__all__` entry use a name without a Name node.

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._in_annotation += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._in_annotation -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        self._in_all += _assigns_all(target.target for target in node.targets)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._in_all -= _assigns_all(target.target for target in original_node.targets)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._in_all += _assigns_all([node.target])

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        self._in_all -= _assigns_all([original_node.target])

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._in_all += _assigns_all([node.target])

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        self._in_all -= _assigns_all([original_node.target])

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._in_all:
            value = node.evaluated_value
            self.names.add(value if isinstance(value, str) else value.decode("latin-1"))
        if self._in_annotation:
            self.names.update(_IDENTIFIER.findall(node.value))


def _assigns_all(targets: Iterable[cst.BaseExpression]) -> int:
    return int(any(isinstance(target, cst.Name) and target.value == "__all__" for target in targets))


class _DropAliases(cst.CSTTransformer):
    """Removes planned aliases; descends only into the nodes on the way to a planned import."""

    def __init__(self, plan: Dict[int, FrozenSet[int]], path: Set[int]) -> None:
        super().__init__()
        self.plan = plan
        self.path = path

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) in self.path

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> Union[cst.Import, cst.RemovalSentinel]:
        return self._drop(original_node, updated_node)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> Union[cst.ImportFrom, cst.RemovalSentinel]:
        return self._drop(original_node, updated_node)

    def _drop(self, original: ImportNode, updated: ImportNode) -> Union[ImportNode, cst.RemovalSentinel]:
        dropped = self.plan.get(id(original))
        if not dropped:
            return updated
        kept: List[cst.ImportAlias] = []
        lpar = updated.lpar if isinstance(updated, cst.ImportFrom) else None
        for alias in _aliases(original):
            if id(alias) not in dropped:
                kept.append(alias)
            elif isinstance(updated, cst.ImportFrom) and isinstance(alias.comma, cst.Comma):
                # Comments on the lines after a dropped alias move to what precedes it.
                if kept:
                    kept[-1] = _take_comments(kept[-1], alias.comma)
                elif isinstance(lpar, cst.LeftParen):
                    lpar = lpar.with_changes(
                        whitespace_after=_merged(lpar.whitespace_after, alias.comma.whitespace_after)
                    )
        if not kept:
            return cst.RemoveFromParent()
        if kept[-1] is not _aliases(original)[-1]:
            # The last alias is gone: the new last one must not keep a trailing comma.
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        if isinstance(updated, cst.ImportFrom):
            return updated.with_changes(names=kept, lpar=lpar)
        return updated.with_changes(names=kept)


def _take_comments(alias: cst.ImportAlias, comma: cst.Comma) -> cst.ImportAlias:
    if not isinstance(alias.comma, cst.Comma):
        return alias.with_changes(comma=comma)  # a made alias, without a comma of its own
    return alias.with_changes(
        comma=alias.comma.with_changes(
            whitespace_after=_merged(alias.comma.whitespace_after, comma.whitespace_after)
        )
    )


def _merged(
    left: cst.BaseParenthesizableWhitespace, right: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """libcst's rule, kept so that the output stays what RemoveImportsVisitor made: the comment
    lines after the dropped alias replace the blank lines after the kept one."""
    if not isinstance(right, cst.ParenthesizedWhitespace):
        return left
    if not isinstance(left, cst.ParenthesizedWhitespace):
        return right
    return left.with_changes(
        empty_lines=tuple(line for line in right.empty_lines if line.comment is not None)
    )
