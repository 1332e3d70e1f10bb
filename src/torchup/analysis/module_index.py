"""Which classes of a repository are ``nn.Module`` subclasses, directly or through other classes.

The index is built in an explicit first pass over every file of a run, with the stdlib ``ast``
parser (much cheaper than libcst). A class
is a Module when one of its bases is ``torch.nn.Module`` (however it is imported or aliased),
another ``torch.nn`` module class (``nn.Linear``, ``nn.Sequential``, ...), ``torch.jit.ScriptModule``,
or, transitively, a class of the repository that is a Module, wherever that class lives: bases
are followed through absolute imports, relative imports, ``import ... as`` aliases, package
``__init__`` re-exports and module-level ``Alias = Base`` assignments. A base imported from a
file that is not part of the run but lies on disk in the same package (a run over
``transformers/models/videomae`` whose classes derive from ``transformers/modeling_utils.py``) is
read from disk, so a class's verdict does not depend on how much of the tree was given.

Absolute imports are resolved without knowing the repository's root: each file is known by the
dotted names of every suffix of its path (``src/models/base.py`` is ``base``, ``models.base`` and
``src.models.base``), so ``from models.base import Base`` resolves whichever directory the run
started from. Files without the text ``class`` are skipped, except package ``__init__.py``
files (they re-export classes). When several files answer to the same dotted name, the one closest to the
importing file (longest common directory) wins.

A :class:`ModuleIndex` is a frozen, picklable value: the runner sends it to worker processes.
"""

from __future__ import annotations

import ast
import os
import re
import warnings
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Union

from torchup.analysis.function_index import (
    FileHelpers,
    FunctionFacts,
    Usage,
    collect_functions,
    is_script,
    mentioned_in,
    nodes_of,
    resolve_helpers,
    unseen_python_files,
    usage_of,
)


# torch.nn names that are not Module classes although they are capitalised.
_NOT_MODULES = frozenset({"Parameter", "UninitializedParameter", "UninitializedBuffer", "Buffer"})
_MODULE_ROOTS = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module", "torch.jit.ScriptModule"})


def is_torch_module_class(qualified: str) -> bool:
    """``torch.nn.Module`` itself or a module class that torch.nn provides (``torch.nn.LSTM``)."""
    if qualified in _MODULE_ROOTS:
        return True
    if not qualified.startswith("torch.nn."):
        return False
    last = qualified.rsplit(".", 1)[-1]
    return last[:1].isupper() and last not in _NOT_MODULES


def _normalise(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


@dataclass(frozen=True)
class ModuleIndex:
    """The nn.Module subclasses of each file of a run.

    ``classes`` maps a normalised file path to the names of the Module classes defined in it:
    top-level classes by name, classes nested in classes by dotted name (``Outer.Inner``).
    Classes defined inside functions are not indexed.
    """

    classes: Mapping[str, FrozenSet[str]] = field(default_factory=dict, hash=False)
    # The function index: the volatile helpers each file imports or defines (see function_index).
    helpers: Mapping[str, FileHelpers] = field(default_factory=dict, hash=False)

    def module_classes(self, filename: str) -> FrozenSet[str]:
        """The Module classes of ``filename`` (a path as the run discovered it); empty if unknown."""
        return self.classes.get(_normalise(filename), frozenset())

    def file_helpers(self, filename: str) -> FileHelpers:
        """The volatile helpers ``filename`` imports from, or defines for, other files."""
        return self.helpers.get(_normalise(filename), FileHelpers())

    def cache_key(self, filename: str) -> Tuple[str, ...]:
        """What a cached outcome of ``filename`` depends on in other files: its Module classes and
        the volatile helpers it shares with them."""
        return (*sorted(self.module_classes(filename)), *self.file_helpers(filename).key())

    def is_module_class(self, filename: str, class_name: str) -> bool:
        return class_name in self.module_classes(filename)


# -- one file's facts ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Absolute:
    """A name imported with an absolute dotted path: ``torch.nn.Module``, ``models.base.Base``."""

    dotted: str


@dataclass(frozen=True)
class _Relative:
    """A name imported relatively: a dotted path below ``directory`` (``from ..x import Y``)."""

    directory: str
    dotted: str


_Target = Union[_Absolute, _Relative]


@dataclass
class _FileFacts:
    path: str
    classes: Dict[str, List[str]]  # dotted class name -> its bases, as dotted expressions
    imports: Dict[str, _Target]  # local name -> what it was imported as
    aliases: Dict[str, str]  # module-level `Name = dotted.expr`
    # The function index's facts, for files that mention volatile or Variable only.
    functions: Dict[str, FunctionFacts] = field(default_factory=dict)
    callees: Tuple[str, ...] = ()  # dotted names called whose head is imported or a function here
    script: bool = False
    usage: Optional[Usage] = None  # its calls of functions, to tell when a flag parameter can go
    stars: List["_Target"] = field(default_factory=list)  # `from X import *`, in order
    assigned: Set[str] = field(default_factory=set)  # names a module-level assignment binds
    declares_all: bool = False  # `__all__ = ...`: what a star import takes is its list


def dotted_name(node: ast.AST) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain of the stdlib ``ast``, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _parse(text: str) -> Optional[ast.Module]:
    # `"\d"` in the user's strings: their business, not a warning of torchup's run (Python 3.12
    # prints it as a SyntaxWarning by default).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except SyntaxError:
            pass
        from torchup.parsing import replace_async_keyword, stdlib_tree  # libcst comes with them: only here

        # Legacy `x.cuda(async=True)` is a SyntaxError only because of the keyword; the rename
        # has usually parsed its result already (`stdlib_tree` remembers it).
        tree = stdlib_tree(replace_async_keyword(text).source)
        return tree if isinstance(tree, ast.Module) else None  # Python 2 or broken: the pipeline reports it


def _collect(path: str, tree: ast.Module, volatile: bool = False) -> _FileFacts:
    directory = os.path.dirname(path)
    facts = _FileFacts(path, {}, {}, {})

    def classes_in(body: List[ast.stmt], prefix: str) -> None:
        for statement in body:
            if isinstance(statement, ast.ClassDef):
                name = prefix + statement.name
                facts.classes[name] = [d for d in map(dotted_name, statement.bases) if d is not None]
                classes_in(statement.body, name + ".")
            elif isinstance(statement, (ast.If, ast.Try)):
                # `try: from torch.nn import Module except ImportError: ...` and version guards
                for block in _blocks(statement):
                    classes_in(block, prefix)

    def module_level(body: List[ast.stmt]) -> None:
        for statement in body:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        facts.imports[alias.asname] = _Absolute(alias.name)
                    else:
                        head = alias.name.split(".", 1)[0]
                        facts.imports.setdefault(head, _Absolute(head))
            elif isinstance(statement, ast.ImportFrom):
                for alias in statement.names:
                    if alias.name == "*":
                        if statement.level:
                            up = directory
                            for _ in range(statement.level - 1):
                                up = os.path.dirname(up)
                            facts.stars.append(_Relative(up, statement.module or ""))
                        elif statement.module:
                            facts.stars.append(_Absolute(statement.module))
                        continue
                    local = alias.asname or alias.name
                    if statement.level:
                        up = directory
                        for _ in range(statement.level - 1):
                            up = os.path.dirname(up)
                        dotted = f"{statement.module}.{alias.name}" if statement.module else alias.name
                        facts.imports[local] = _Relative(up, dotted)
                    else:
                        facts.imports[local] = _Absolute(f"{statement.module}.{alias.name}")
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], dotted_name(statement.value)
                if isinstance(target, ast.Name):
                    facts.assigned.add(target.id)
                    facts.declares_all = facts.declares_all or target.id == "__all__"
                if isinstance(target, ast.Name) and value is not None:
                    facts.aliases[target.id] = value
            elif isinstance(statement, (ast.If, ast.Try)):
                for block in _blocks(statement):
                    module_level(block)

    module_level(tree.body)
    classes_in(tree.body, "")
    if volatile:
        _collect_functions(facts, tree)
    return facts


def _collect_functions(facts: _FileFacts, tree: ast.Module) -> None:
    def qualified(dotted: str) -> Optional[str]:
        head, _, rest = dotted.partition(".")
        target = facts.imports.get(head)
        if not isinstance(target, _Absolute):
            return None
        return f"{target.dotted}.{rest}" if rest else target.dotted

    facts.functions = collect_functions(tree, qualified)
    nodes = nodes_of(tree)
    callees = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            dotted = dotted_name(node.func)
            head = dotted.split(".", 1)[0] if dotted else None
            if head is not None and (head in facts.imports or head in facts.functions):
                callees.add(dotted)
    facts.callees = tuple(sorted(callees))
    facts.script = is_script(tree)

    def relevant(dotted: str) -> bool:
        head = dotted.split(".", 1)[0]
        return head in facts.imports or head in facts.functions

    package = os.path.isfile(os.path.join(os.path.dirname(facts.path), "__init__.py"))
    facts.usage = usage_of(tree, relevant, package or facts.path.endswith("__init__.py"), nodes)


def _blocks(statement: Union[ast.If, ast.Try]) -> Iterator[List[ast.stmt]]:
    yield statement.body
    yield statement.orelse
    if isinstance(statement, ast.Try):
        for handler in statement.handlers:
            yield handler.body
        yield statement.finalbody


def _module_names(path: str) -> Iterator[str]:
    """Every dotted module name the file may be imported as (one per path suffix)."""
    stem, _ = os.path.splitext(path)
    parts = [p for p in stem.split("/") if p not in ("", ".", "..")]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    for start in range(len(parts)):
        yield ".".join(parts[start:])


def _package_root(path: str) -> str:
    """The directory above the outermost package (a directory with ``__init__.py``) holding
    ``path``: where its absolute imports start."""
    directory = os.path.dirname(path)
    while directory and os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


# -- the whole run ---------------------------------------------------------------------------


_Symbol = Tuple[str, str]  # ("torch", qualified name) | (file path, dotted class name)


class _Resolver:
    def __init__(self, files: Dict[str, _FileFacts], all_paths: Set[str], text_of: Callable[[str], Optional[str]]) -> None:
        self.files = files
        self.paths = all_paths
        self.text_of = text_of  # a file of the run's text (the disk's for others)
        self.read_whole: Set[str] = set()
        self.by_module_name: Dict[str, List[str]] = {}
        for path in sorted(all_paths):
            for name in _module_names(path):
                self.by_module_name.setdefault(name, []).append(path)
        self.verdicts: Dict[_Symbol, bool] = {}
        self.outside: Dict[str, bool] = {}  # files beyond the run looked up on disk

    def _closest(self, candidates: List[str], near: str) -> str:
        def shared(path: str) -> int:
            return len(
                os.path.commonprefix([os.path.dirname(path).split("/"), os.path.dirname(near).split("/")])
            )

        return max(candidates, key=shared)

    def _module_file(self, dotted: str, near: str) -> Optional[str]:
        if dotted == "torch" or dotted.startswith("torch."):
            return None  # a stray torch.py in the repository must not shadow torch
        candidates = self.by_module_name.get(dotted)
        if candidates:
            return self._closest(candidates, near)
        # Not a file of the run: the package that holds `near` may still have it on disk
        # (`transformers.modeling_utils` when only `transformers/models/videomae` was given).
        return self._file_under(_package_root(near), dotted.split("."))

    def _file_under(self, directory: str, parts: List[str]) -> Optional[str]:
        stem = "/".join([directory, *parts]) if directory else "/".join(parts)
        for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
            if _normalise(candidate) in self.paths or self._outside_the_run(_normalise(candidate)):
                return _normalise(candidate)
        return None

    def _outside_the_run(self, path: str) -> bool:
        """Whether ``path``, not a file of the run, is a readable file on disk; its facts are
        then read, so that a class of the run is a Module whatever part of the tree was given."""
        known = self.outside.get(path)
        if known is None:
            known = self.outside[path] = os.path.isfile(path)
            if known:
                try:
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        facts = file_facts(path, handle.read())
                except OSError:
                    facts = None
                if facts is not None:
                    self.files[path] = facts
        return known

    def resolve_target(self, target: _Target, near: str, depth: int) -> Optional[_Symbol]:
        parts = target.dotted.split(".")
        # The longest prefix that is a file of the run; the rest is looked up inside it.
        for cut in range(len(parts), 0, -1):
            if isinstance(target, _Absolute):
                path = self._module_file(".".join(parts[:cut]), near)
            else:
                path = self._file_under(target.directory, parts[:cut])
            if path is not None:
                if cut == len(parts):
                    return None  # a module, not a class
                return self.lookup(path, parts[cut:], depth + 1)
        if isinstance(target, _Absolute):
            return ("torch", target.dotted)
        return None

    def lookup(self, path: str, parts: List[str], depth: int) -> Optional[_Symbol]:
        """What ``a.b.c`` written in ``path`` refers to: a torch name or a class of the run."""
        if depth > 50 or not parts:
            return None  # an import cycle
        facts = self._facts(path)
        if facts is None:
            return None
        dotted = ".".join(parts)
        if dotted in facts.classes:
            return (path, dotted)
        head, rest = parts[0], parts[1:]
        if head in facts.classes:
            return None  # an attribute of a class that is not a nested class
        if head in facts.imports:
            target = facts.imports[head]
            more = ".".join([target.dotted, *rest])
            if isinstance(target, _Absolute):
                return self.resolve_target(_Absolute(more), path, depth)
            return self.resolve_target(_Relative(target.directory, more), path, depth)
        if head in facts.aliases and facts.aliases[head] != head:
            return self.lookup(path, facts.aliases[head].split(".") + rest, depth + 1)
        return None

    def _facts(self, path: str) -> Optional[_FileFacts]:
        """The facts of ``path``; a file the first pass screened out (no class, no helper word)
        is read now that an import leads to it: it may re-export a class (``from .net import Net``)."""
        facts = self.files.get(path)
        if facts is None and path not in self.read_whole:
            self.read_whole.add(path)
            text = self.text_of(path) if path in self.paths else _text_on_disk(path)
            try:
                tree = None if text is None else _parse(text)
            except (RecursionError, MemoryError):
                tree = None  # the file's own run reports it
            if tree is not None:
                facts = self.files[path] = _collect(path, tree)
        return facts

    def star_binding(self, path: str, name: str) -> Optional[str]:
        """What ``name``, bound in ``path`` by nothing but its star imports, refers to: the
        qualified torch name when the last star-imported file of the run that binds it imports
        it from torch; None when unknown (a library's star import, ``__all__``, nested stars)."""
        facts = self.files.get(path)
        if facts is None or name in facts.imports or name in facts.assigned or name in facts.functions:
            return None
        bound: Optional[str] = None
        for target in facts.stars:
            if isinstance(target, _Absolute):
                module = self._module_file(target.dotted, path)
            else:
                module = self._file_under(target.directory, target.dotted.split(".") if target.dotted else [])
            exported = self.files.get(module) if module is not None else None
            if exported is None or exported.declares_all or exported.stars:
                return None  # what it exports is not known here
            if name in exported.imports:
                imported = exported.imports[name]
                bound = imported.dotted if isinstance(imported, _Absolute) else ""
            elif name in exported.assigned or name in exported.functions or name in exported.classes:
                bound = ""
        return bound or None

    def function(self, path: str, dotted: str) -> Optional[Tuple[str, str]]:
        """The module-level function of the run that ``dotted``, written in ``path``, names."""
        facts = self.files.get(path)
        parts = dotted.split(".")
        if facts is None:
            return None
        if len(parts) == 1 and parts[0] in facts.functions:
            return (path, parts[0])
        return self._imported_function(path, parts, 0)

    def _imported_function(self, path: str, parts: List[str], depth: int) -> Optional[Tuple[str, str]]:
        facts = self.files.get(path)
        if facts is None or depth > 20 or not parts:
            return None
        if len(parts) == 1 and parts[0] in facts.functions:
            return (path, parts[0])
        target = facts.imports.get(parts[0])
        if target is None:
            return None
        whole = [*target.dotted.split("."), *parts[1:]]
        lowest = 1 if isinstance(target, _Absolute) else 0  # `from . import f`: the package's __init__
        for cut in range(len(whole) - 1, lowest - 1, -1):  # the module's file, then the name in it
            if isinstance(target, _Absolute):
                found = self._module_file(".".join(whole[:cut]), path)
            else:
                found = self._file_under(target.directory, whole[:cut])
            if found is not None:
                return self._imported_function(found, whole[cut:], depth + 1) if found != path else None
        return None

    def is_module(self, symbol: _Symbol) -> bool:
        if symbol[0] == "torch":
            return is_torch_module_class(symbol[1])
        if symbol in self.verdicts:
            return self.verdicts[symbol]
        self.verdicts[symbol] = False  # a class cycle is not a Module
        path, name = symbol
        verdict = False
        for base in self.files[path].classes.get(name, []):
            # A nested class sees the names of its file, not of its enclosing class.
            resolved = self.lookup(path, base.split("."), 0)
            if resolved is not None and self.is_module(resolved):
                verdict = True
                break
        self.verdicts[symbol] = verdict
        return verdict


# The function index reads a file's functions and calls only where it names one of these.
HELPER_WORDS = ("volatile", "Variable")


def file_facts(path: str, text: str) -> Optional[_FileFacts]:
    """What the index needs of one file: its classes' bases and its module-level imports and
    aliases (picklable, so workers can collect them); None when it has nothing to say."""
    # A file without a class can only matter as a package re-exporting one, or to the function
    # index (a volatile helper or its caller).
    volatile = any(word in text for word in HELPER_WORDS)
    if "class" not in text and not path.endswith("__init__.py") and not volatile:
        return None
    tree = _parse(text)
    return None if tree is None else _collect(_normalise(path), tree, volatile)


def index_from_facts(
    paths: Iterable[str],
    facts: Iterable[Optional[_FileFacts]],
    text_of: Optional[Callable[[str], Optional[str]]] = None,
) -> ModuleIndex:
    """The index of a run: ``paths`` are all of its files, ``facts`` what :func:`file_facts`
    found in them (in any order); ``text_of`` gives a file's text (by default, from disk)."""
    text_of = text_of or _text_on_disk
    paths = list(paths)
    facts = [file for file in facts if file is not None]
    index = _index(paths, facts, text_of)
    # The first pass reads a file's calls only where it names `volatile` or `Variable`; a file
    # that calls another's volatile helper by its name alone (`model(var(a))`) must be read too,
    # or its calls get no region while the helper is migrated. Such files are few: read now.
    exported = {(_module_name(path), helper.name) for path, helpers in index.helpers.items() for helper in helpers.exported}
    read = {file.path for file in facts if file.usage is not None}
    unread = sorted(p for p in {_normalise(path) for path in paths} if p not in read)
    if not exported or not unread:
        return index
    widened = {file.path: file for file in facts}
    callers = 0
    for path in unread:
        text = text_of(path)
        if text is None or not any(may_call(text, module, name) for module, name in exported):
            continue
        try:
            tree = _parse(text)
        except (RecursionError, MemoryError):
            continue  # the file's own run reports it
        if tree is not None:
            widened[path] = _collect(path, tree, volatile=True)
            callers += 1
    return _index(paths, list(widened.values()), text_of) if callers else index


def _module_name(path: str) -> str:
    """The name a file is imported by: ``utils`` for ``utils.py``, the package for ``__init__.py``."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.basename(os.path.dirname(path)) if stem == "__init__" else stem


def may_call(text: str, module: str, name: str) -> bool:
    """Whether ``text`` may call function ``name`` of module ``module``: it imports the name
    (``from utils import var``, in parentheses too), or imports the module under its name or an
    alias and calls ``<that>.var(...)``, or star-imports the module and calls ``var(...)``.
    Only a mention of the word is not enough: ``var`` is also a tensor method of modern code."""
    if name not in text:
        return False
    called = re.escape(name)
    if re.search(rf"\bimport\b[^\n]*\b{called}\b|\bimport\s*\([^)]*\b{called}\b", text):
        return True
    imported = rf"(?m)^[ \t]*(?:from\s+[\w.]+\s+)?import\s+[^\n]*?\b{re.escape(module)}\b(?:\s+as\s+(\w+))?"
    for found in re.finditer(imported, text):
        spelled = re.escape(found.group(1) or module)
        if re.search(rf"\b{spelled}\s*\.\s*{called}\s*\(", text):
            return True
    return bool(
        re.search(rf"\bfrom\s+[\w.]*\b{re.escape(module)}\s+import\s+\*", text)
        and re.search(rf"(?<![\w.]){called}\s*\(", text)
    )


def _text_on_disk(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None  # unreadable: the file's own run reports it


# Module names legacy files take from `from utils import *` (`nn.init.uniform(...)` with
# `import torch.nn as nn` in utils.py): resolved when they come from torch.
_STAR_MODULES = ("torch", "nn", "F", "init")


def _star_names(resolver: "_Resolver", path: str, file: _FileFacts) -> Tuple[Tuple[str, str], ...]:
    """The torch names ``file`` takes from star imports of the run's files: ``Variable`` (asked
    only of a file that mentions it) and the usual module aliases."""
    if not file.stars:
        return ()
    names = []
    if file.usage is not None:  # a file that mentions Variable
        bound = resolver.star_binding(path, "Variable")
        if bound is not None:
            names.append(("Variable", bound))
    for name in _STAR_MODULES:
        bound = resolver.star_binding(path, name)
        if bound is not None and (bound == "torch" or bound.startswith("torch.")):
            names.append((name, bound))
    return tuple(names)


def _index(paths: Sequence[str], facts: Sequence[_FileFacts], text_of: Callable[[str], Optional[str]] = _text_on_disk) -> ModuleIndex:
    all_paths = {_normalise(path) for path in paths}
    by_path = {file.path: file for file in facts}
    resolver = _Resolver(dict(by_path), all_paths, text_of)  # its copy grows with files read beyond the run
    classes = {
        path: frozenset(name for name in file.classes if resolver.is_module((path, name)))
        for path, file in by_path.items()
        if file.classes
    }
    for path, file in by_path.items():
        for callee in file.callees:  # reads the files beyond the run that define what is called
            resolver.function(path, callee)
    helpers = resolve_helpers(
        {path: file.functions for path, file in resolver.files.items() if file.functions},
        {path: file.callees for path, file in by_path.items() if file.callees},
        resolver.function,
        lambda path: () if resolver.files[path].script else unseen_python_files(path, all_paths, _package_root(path)),
        {path: file.usage for path, file in by_path.items() if file.usage is not None},
        mentioned_in(sorted(p for p in all_paths if p not in by_path or by_path[p].usage is None)),
    )
    for path, file in by_path.items():
        star_names = _star_names(resolver, path, file)
        if star_names:
            helpers[path] = replace(helpers.get(path, FileHelpers()), star_names=star_names)
    return ModuleIndex({path: names for path, names in classes.items() if names}, helpers)


def build_module_index(files: Mapping[str, str]) -> ModuleIndex:
    """Index the nn.Module subclasses of a run: ``files`` maps each path to its source text."""
    texts = {_normalise(path): text for path, text in files.items()}
    return index_from_facts(files, (file_facts(path, text) for path, text in files.items()), texts.get)


def index_for(facts: object, filename: Optional[str], code: Callable[[], str]) -> Tuple[ModuleIndex, str]:
    """The run's index when the runner built one, else an index of this one file.

    Returns the index and the key to ask it with. Codemods call this: under the runner ``facts``
    is the run's :class:`ModuleIndex`; alone (tests, ``python -m libcst.tool``) it is None and
    only the file's own classes can be Modules. ``code`` gives the file's text, and is called
    only in that second case (generating it from a tree is not free).
    """
    key = filename or "<module>"
    if isinstance(facts, ModuleIndex):
        return facts, key
    return build_module_index({key: code()}), key


__all__ = ["ModuleIndex", "build_module_index", "dotted_name", "file_facts", "index_for", "index_from_facts", "is_torch_module_class"]
