"""libcst matchers turned into plain Python tests of a node.

``libcst.matchers.matches`` interprets its matcher afresh at every node: it walks the matcher's
dataclass fields, builds a dict of captures per field and dispatches on the matcher's kind, about
15 microseconds per node under the profiler. :func:`find_all` tries one matcher on hundreds of
candidates (every call of a file, for TU102's planning alone), and in the legacy-heavy bench's
profile those tries were a tenth of a run. :func:`node_test` reads the matcher once and returns a
function that answers the same question with attribute reads and comparisons.

Only the shapes the codemods use are turned into tests: node matchers whose fields are left
alone or hold strings, booleans, None, other such matchers, ``MatchIfTrue`` or ``OneOf``/``AllOf``
of node matchers. Anything else (sequences, wildcards, metadata, ``DoesNotMatch``, captures) gets
None, and the caller uses ``libcst.matchers.matches``, whose answer is the definition.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, List, Optional

import libcst as cst
import libcst.matchers as m

Test = Callable[[object], bool]


def node_test(matcher: object) -> Optional[Test]:
    """A function that says whether a node matches ``matcher`` as ``m.matches`` would; None for
    a matcher of a shape it does not cover."""
    if isinstance(matcher, m.MatchIfTrue):
        func = matcher.func
        return lambda node: bool(func(node))
    if isinstance(matcher, (m.OneOf, m.AllOf)) and not isinstance(matcher, m.TypeOf):
        options = [node_test(option) for option in matcher.options]
        if any(option is None for option in options):
            return None
        tests: List[Test] = options  # type: ignore[assignment]
        if isinstance(matcher, m.OneOf):
            return lambda node: any(test(node) for test in tests)
        return lambda node: all(test(node) for test in tests)
    if not _is_node_matcher(matcher):
        return None
    name = type(matcher).__name__
    checks: List[Test] = []
    for field in dataclasses.fields(matcher):
        if field.name == "_metadata":
            continue
        desired = getattr(matcher, field.name)
        if isinstance(desired, m.DoNotCareSentinel):
            continue
        if field.name == "metadata":
            return None
        check = _field_test(field.name, desired)
        if check is None:
            return None
        checks.append(check)
    if not checks:
        return lambda node: type(node).__name__ == name
    if len(checks) == 1:
        (only,) = checks
        return lambda node: type(node).__name__ == name and only(node)
    return lambda node: type(node).__name__ == name and all(check(node) for check in checks)


def _is_node_matcher(matcher: object) -> bool:
    # The generated classes of libcst.matchers, one per node type (m.Name, m.Call, ...).
    kind = type(matcher)
    return (
        isinstance(matcher, m.BaseMatcherNode)
        and kind.__module__ == m.Name.__module__
        and isinstance(getattr(cst, kind.__name__, None), type)
    )


def _field_test(name: str, desired: object) -> Optional[Test]:
    """The test of one field of a node, as libcst's ``_attribute_matches`` decides it."""
    if desired is None:
        return lambda node: getattr(node, name) is None
    if isinstance(desired, bool):
        return lambda node: getattr(node, name) is desired
    if isinstance(desired, str):
        return lambda node: getattr(node, name) == desired
    if isinstance(desired, m.MatchIfTrue):
        func = desired.func
        return lambda node: bool(func(getattr(node, name)))
    if isinstance(desired, (m.OneOf, m.AllOf)) and not isinstance(desired, m.TypeOf):
        if not all(_is_node_matcher(option) for option in desired.options):
            return None  # options that are sequences or functions follow other rules on a sequence
    elif not _is_node_matcher(desired):
        return None
    inner = node_test(desired)
    if inner is None:
        return None
    # A sequence, None or MaybeSentinel fails the node matcher's test of the type's name, as it
    # fails libcst's.
    return lambda node: inner(getattr(node, name))

