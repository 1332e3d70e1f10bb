"""Which torch object a name in a file stands for: an import-alias table.

Codemods ask "is ``V(...)`` here ``torch.autograd.Variable``?" and "how is ``torch.nn`` spelled in
this file?". One cheap pass over the tree answers both; no scope analysis is needed because a name
that is bound by anything other than an import, anywhere in the file (an assignment, a def, a
parameter, a loop target), is treated as ambiguous and resolves to nothing. Codemods then decline
and, where it matters, report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterator, List, Mapping, Optional, Set, Tuple, Union

import libcst as cst

from torchup.analysis.memo import last_call
from torchup.analysis.walk import walk


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _module_name(node: Union[cst.Attribute, cst.Name]) -> str:
    name = dotted_name(node)
    assert name is not None
    return name


@dataclass(frozen=True)
class ImportTable:
    """Local names bound by imports, and the names bound by anything else."""

    aliases: Mapping[str, str]  # local name -> qualified name: "F" -> "torch.nn.functional"
    rebound: FrozenSet[str]  # names also bound by assignment, def, class, parameter, ...
    # The modules of the file's `from X import *` statements, as written (`utils`, `.layers`).
    star_imports: Tuple[str, ...] = ()

    def qualified_name(self, node: cst.CSTNode) -> Optional[str]:
        """The qualified name an expression refers to through the file's imports, if any."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.rebound:
            return None
        base = self.aliases.get(head)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def refers_to(self, node: cst.CSTNode, *qualified: str) -> bool:
        return self.qualified_name(node) in qualified

    def is_rebound(self, name: str) -> bool:
        return name in self.rebound

    def star_import_of(self, node: cst.CSTNode) -> Optional[str]:
        """``from utils import *`` when the first name of ``node`` is bound by nothing the file
        spells out but the file has star imports: the name may come from one of them, which the
        table does not follow (the codemod reports instead of guessing). Several are joined."""
        dotted = dotted_name(node)
        if dotted is None or not self.star_imports:
            return None
        head = dotted.partition(".")[0]
        if head in self.aliases or head in self.rebound:
            return None
        return " / ".join(f"from {module} import *" for module in self.star_imports)

    def spelling(self, qualified: str) -> Optional[str]:
        """The shortest way this file can write ``qualified`` with its current imports, or None."""
        best: Optional[str] = None
        for local, target in self.aliases.items():
            if local in self.rebound:
                continue
            if qualified == target:
                candidate = local
            elif qualified.startswith(target + "."):
                candidate = local + qualified[len(target) :]
            else:
                continue
            if best is None or len(candidate) < len(best):
                best = candidate
        return best


class TargetBindings(cst.CSTVisitor):
    """Hands ``bind_target`` the targets of the bindings every binding scan treats alike: ``for``
    loops, comprehensions, ``with``/``except ... as`` and ``:=``. Plain and annotated assignments,
    which scans treat differently, are left to the subclass."""

    def bind_target(self, target: cst.CSTNode) -> None:
        raise NotImplementedError

    def visit_For(self, node: cst.For) -> None:
        self.bind_target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.bind_target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self.bind_target(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_target(node.target)


class _ImportCollector(TargetBindings):
    def __init__(self) -> None:
        self.aliases: Dict[str, str] = {}
        self.bound: Set[str] = set()
        self.star_imports: List[str] = []

    # imports ---------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            module = _module_name(alias.name)
            if alias.asname is not None:
                local = dotted_name(alias.asname.name)
                if local is not None:
                    self.aliases[local] = module
            else:
                head = module.split(".", 1)[0]
                # `import torch.nn` binds `torch`; keep a more specific alias if one exists.
                self.aliases.setdefault(head, head)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar):
            module = "" if node.module is None else _module_name(node.module)
            self.star_imports.append("." * len(node.relative) + module)
            return False
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    local = dotted_name(alias.asname.name if alias.asname else alias.name)
                    if local is not None:
                        self.bound.add(local)  # a name from the user's own package
            return False
        module = _module_name(node.module)
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = dotted_name(alias.asname.name) if alias.asname else name
            if local is not None:
                self.aliases[local] = f"{module}.{name}"
        return False

    # other bindings --------------------------------------------------------------------

    def bind_target(self, target: cst.CSTNode) -> None:
        # `as` clauses of imports never get here: the import visitors return False.
        self.bound.update(bound_names(target))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bind_target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind_target(node.target)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bound.add(node.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bound.add(node.name.value)

    def visit_Param(self, node: cst.Param) -> None:
        self.bound.add(node.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.bound.add(item.name.value)


def bound_names(target: cst.CSTNode) -> Iterator[str]:
    """The names an assignment target binds: ``a`` and ``b`` in ``a, *b = ...``; none in
    ``self.x = ...`` or ``x[i] = ...``, which bind no name."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from bound_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from bound_names(target.value)


# Every codemod of a pass asks for the table of the same tree; each is a full traversal.
@last_call
def import_table(module: cst.Module) -> ImportTable:
    collector = _ImportCollector()
    walk(module, collector)
    aliases = dict(collector.aliases)
    if collector.star_imports:
        # The names of the last star import are the ones the file sees (an earlier star's may be
        # shadowed by a later one); torch's are known, the user's own modules' are not followed.
        for name in STAR_EXPORTS.get(collector.star_imports[-1], ()):
            if name not in collector.bound:
                aliases.setdefault(name, f"{collector.star_imports[-1]}.{name}")
    return ImportTable(aliases, frozenset(collector.bound), tuple(collector.star_imports))


# What `from torch.autograd import *` bound in every torch from 0.2 to 2.x (its `__all__`):
# 2017 code wrote it to get `Variable` (ImageCaptioning.pytorch's models, for one).
STAR_EXPORTS: Mapping[str, Tuple[str, ...]] = {
    "torch.autograd": ("Variable", "Function", "backward"),
}
