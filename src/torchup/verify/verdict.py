"""Results of a verification, and how they read as text (stderr) and JSON (``--report``).

Plain data, no torch: the JSON shape is a contract that ``make demo`` and the corpus test read.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

PASS = "pass"
FAIL = "fail"
NOT_CHECKED = "not checked"

EQUIVALENT = "equivalent"
NOT_EQUIVALENT = "not equivalent"
ERROR = "error"
# The legacy code raises on today's torch (a removed API, a uint8 mask), so nothing can be
# compared: the new model was checked on its own (it runs, on CPU and meta, and loads the legacy
# state_dict when the legacy model could at least be built) and passed.
LEGACY_DOES_NOT_RUN = "legacy does not run"

# A failure of these checks describes the legacy model (what the migration fixed), not a
# difference between the two versions, so it never makes a model "not equivalent".
INFORMATIONAL_CHECKS = frozenset({"old_device_leaks"})

VERDICTS = (EQUIVALENT, NOT_EQUIVALENT, LEGACY_DOES_NOT_RUN, ERROR)
EXIT_CODES = {EQUIVALENT: 0, NOT_EQUIVALENT: 1, LEGACY_DOES_NOT_RUN: 3, ERROR: 123}


def _json_safe(value: Any) -> Any:
    """JSON has no inf/nan (a worst element may hold them): write those as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    extra: Tuple[Tuple[str, Any], ...] = ()

    def to_json(self) -> Dict[str, Any]:
        document: Dict[str, Any] = {"name": self.name, "status": self.status, "detail": self.detail}
        document.update({key: _json_safe(value) for key, value in self.extra})
        return document


@dataclass(frozen=True)
class SideError:
    """A side that could not be loaded or run: which one, at which step, and whose fault.

    ``kind``: "user" (the model's own code raised), "setup" (the model or inputs reference does
    not resolve under that side's root, or a root is wrong), "timeout" (the side gave no answer
    within ``--timeout`` and was stopped), "internal" (torchup verify itself failed: a bug to
    report, not a property of the model).
    """

    side: str
    message: str
    traceback_tail: str = ""
    step: str = ""
    kind: str = "user"
    source_line: str = ""

    def to_json(self) -> Dict[str, Any]:
        return {
            "side": self.side,
            "step": self.step,
            "kind": self.kind,
            "message": self.message,
            "source_line": self.source_line,
            "traceback_tail": self.traceback_tail,
        }

    def describe(self) -> str:
        where = f" at step {self.step}" if self.step else ""
        if self.kind == "internal":
            return f"torchup verify failed internally{where} (on the {self.side.upper()} side's run; not the model's fault): {self.message}"
        return f"the {self.side.upper()} side failed{where}: {self.message}"


@dataclass(frozen=True)
class ModelResult:
    name: str
    checks: Tuple[Check, ...] = ()
    error: Optional[SideError] = None
    legacy_error: Optional[SideError] = None  # the legacy model raised on today's torch
    torch_version: str = ""

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return ERROR
        if any(check.status == FAIL and check.name not in INFORMATIONAL_CHECKS for check in self.checks):
            return NOT_EQUIVALENT
        if self.legacy_error is not None:
            return LEGACY_DOES_NOT_RUN
        return EQUIVALENT

    def to_json(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "verdict": self.verdict,
            "error": None if self.error is None else self.error.to_json(),
            "legacy_error": None if self.legacy_error is None else self.legacy_error.to_json(),
            "checks": [check.to_json() for check in self.checks],
        }


@dataclass(frozen=True)
class VerifyReport:
    models: Tuple[ModelResult, ...] = field(default_factory=tuple)

    @property
    def verdict(self) -> str:
        verdicts = {model.verdict for model in self.models}
        for verdict in (ERROR, NOT_EQUIVALENT, LEGACY_DOES_NOT_RUN):
            if verdict in verdicts:
                return verdict
        return EQUIVALENT

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def to_json(self) -> Dict[str, Any]:
        return {"verdict": self.verdict, "models": [model.to_json() for model in self.models]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, default=str, allow_nan=False) + "\n"


def render_model(result: ModelResult) -> str:
    """The human report of one model: one line per check, then a one-line verdict."""
    lines = [f"model {result.name}"]
    if result.legacy_error is not None:
        legacy = result.legacy_error
        at = f" at {legacy.source_line}" if legacy.source_line else ""
        lines.append(
            f"  legacy side does not run on torch {result.torch_version} ({legacy.step}): {legacy.message}{at}; "
            "the new model is checked on its own"
        )
    width = max((len(check.name) for check in result.checks), default=0)
    for check in result.checks:
        # An informational check that "fails" found something in the legacy model, not a regression.
        status = "found" if check.name in INFORMATIONAL_CHECKS and check.status == FAIL else check.status
        lines.append(f"  {check.name:<{width}}  {status:<11}  {check.detail}")
        source_line = dict(check.extra).get("source_line")
        if source_line:
            lines.append(f"  {'':<{width}}  {'':<11}  at {source_line}")
    if result.error is not None:
        lines.append(f"  {result.error.describe()}")
        if result.error.source_line:
            lines.append(f"  at {result.error.source_line}")
        for tail_line in result.error.traceback_tail.rstrip().splitlines():
            lines.append(f"    {tail_line}")
    lines.append(f"{result.name}: {result.verdict}")
    return "\n".join(lines)
