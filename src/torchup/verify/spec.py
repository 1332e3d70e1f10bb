"""What to verify: model entries from flags, a ``--spec`` TOML file, or ``[tool.torchup.verify]``.

No torch here: the CLI parses and validates specs before any subprocess starts, so a typo in a
spec is reported in milliseconds with the file and key that are wrong.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib


class SpecError(ValueError):
    """A model entry or input spec that cannot be used, with where it came from."""


DTYPE_ALIASES = {
    "float32": "float32",
    "float": "float32",
    "f32": "float32",
    "float64": "float64",
    "double": "float64",
    "f64": "float64",
    "float16": "float16",
    "half": "float16",
    "f16": "float16",
    "bfloat16": "bfloat16",
    "bf16": "bfloat16",
    "int64": "int64",
    "long": "int64",
    "i64": "int64",
    "int32": "int32",
    "int": "int32",
    "i32": "int32",
    "int16": "int16",
    "short": "int16",
    "int8": "int8",
    "uint8": "uint8",
    "byte": "uint8",
    "bool": "bool",
}
FLOAT_DTYPES = frozenset({"float32", "float64", "float16", "bfloat16"})
DEFAULT_INT_HIGH = 10


@dataclass(frozen=True)
class InputSpec:
    """``SHAPE[:DTYPE[:[LOW-]HIGH]]``: ``3x4``, ``2x10:int64:100`` (integers in [0, HIGH)),
    ``2x10:int64:1-100`` (in [1, HIGH): token ids where 0 is padding)."""

    shape: Tuple[int, ...]
    dtype: str = "float32"
    high: Optional[int] = None
    low: int = 0

    @classmethod
    def parse(cls, text: str) -> "InputSpec":
        parts = text.strip().split(":")
        if len(parts) > 3:
            raise SpecError(f"input {text!r}: expected SHAPE[:DTYPE[:[LOW-]HIGH]], e.g. 3x4 or 2x10:int64:1-100")
        shape_text = parts[0].strip()
        if shape_text in ("", "scalar"):
            shape: Tuple[int, ...] = ()
        elif re.fullmatch(r"\d+(x\d+)*", shape_text):
            shape = tuple(int(size) for size in shape_text.split("x"))
        else:
            raise SpecError(f"input {text!r}: shape {shape_text!r} is not like 3x4")
        dtype = "float32"
        if len(parts) >= 2 and parts[1].strip():
            name = parts[1].strip().lower()
            if name not in DTYPE_ALIASES:
                raise SpecError(
                    f"input {text!r}: unknown dtype {name!r} (known: {', '.join(sorted(set(DTYPE_ALIASES.values())))})"
                )
            dtype = DTYPE_ALIASES[name]
        high: Optional[int] = None
        low = 0
        if len(parts) == 3:
            if dtype in FLOAT_DTYPES:
                raise SpecError(f"input {text!r}: [LOW-]HIGH only applies to integer dtypes")
            bounds = re.fullmatch(r"(?:(\d+)-)?(\d+)", parts[2].strip())
            if not bounds or int(bounds.group(2)) <= 0:
                raise SpecError(f"input {text!r}: HIGH must be a positive integer, or LOW-HIGH like 1-100")
            low, high = int(bounds.group(1) or 0), int(bounds.group(2))
            if low >= high:
                raise SpecError(f"input {text!r}: LOW must be below HIGH (integers are drawn from [LOW, HIGH))")
        elif dtype == "bool":
            high = 2
        elif dtype not in FLOAT_DTYPES:
            high = DEFAULT_INT_HIGH
        return cls(shape, dtype, high, low)

    def to_json(self) -> Dict[str, Any]:
        return {"shape": list(self.shape), "dtype": self.dtype, "high": self.high, "low": self.low}


@dataclass(frozen=True)
class ModelSpec:
    name: str
    model: str  # MODULE:NAME, a Module class or a factory
    args: Tuple[Any, ...] = ()
    kwargs: Tuple[Tuple[str, Any], ...] = ()
    inputs: Tuple[InputSpec, ...] = ()
    inputs_fn: Optional[str] = None  # MODULE:FUNC returning a tuple of inputs
    seed: int = 0
    rtol: float = 0.0
    atol: float = 0.0
    mode: str = "eval"  # eval, train (dropout on, same seed both sides) or both

    def to_json(self) -> Dict[str, Any]:
        """What a worker needs to build the model and its inputs."""
        return {
            "name": self.name,
            "model": self.model,
            "args": list(self.args),
            "kwargs": dict(self.kwargs),
            "inputs": [spec.to_json() for spec in self.inputs],
            "inputs_fn": self.inputs_fn,
            "seed": self.seed,
            "mode": self.mode,
        }


@dataclass(frozen=True)
class VerifySpec:
    """Model entries plus the ``old``/``new`` defaults a file may give (absolute, or None)."""

    models: Tuple[ModelSpec, ...]
    old: Optional[str] = None
    new: Optional[str] = None


_TOP_KEYS = {"old", "new", "codes", "xfail", "expect", "model"}  # codes/xfail/expect: the corpus test's
_MODEL_KEYS = {"name", "model", "args", "kwargs", "inputs", "inputs_fn", "seed", "rtol", "atol", "mode"}
MODES = ("eval", "train", "both")


def _check_reference(value: str, what: str) -> str:
    module, sep, name = value.partition(":")
    if not sep or not module.strip() or not name.strip():
        raise SpecError(f"{what} must be MODULE:NAME, got {value!r}")
    return value.strip()


def _number(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{where}: {key!r} must be a number, got {value!r}")
    if value < 0:
        raise SpecError(f"{where}: {key!r} must not be negative, got {value!r}")
    return float(value)


def build_model_spec(
    model: str,
    *,
    name: Optional[str] = None,
    args: Any = (),
    kwargs: Any = None,
    inputs: Any = (),
    inputs_fn: Optional[str] = None,
    seed: Any = 0,
    rtol: Any = 0.0,
    atol: Any = 0.0,
    mode: Any = "eval",
    where: str = "command line",
) -> ModelSpec:
    """Validate one model entry; ``where`` names the file or flag set in error messages."""
    if not isinstance(model, str):
        raise SpecError(f"{where}: 'model' must be a string MODULE:NAME, got {model!r}")
    model = _check_reference(model, f"{where}: 'model'")
    if name is not None and not isinstance(name, str):
        raise SpecError(f"{where}: 'name' must be a string, got {name!r}")
    if not isinstance(args, (list, tuple)):
        raise SpecError(f"{where}: 'args' must be a list, got {args!r}")
    kwargs = {} if kwargs is None else kwargs
    if not isinstance(kwargs, Mapping):
        raise SpecError(f"{where}: 'kwargs' must be a table/object, got {kwargs!r}")
    if not isinstance(inputs, (list, tuple)) or not all(isinstance(item, str) for item in inputs):
        raise SpecError(f"{where}: 'inputs' must be a list of strings like \"3x4\", got {inputs!r}")
    if inputs_fn is not None:
        if not isinstance(inputs_fn, str):
            raise SpecError(f"{where}: 'inputs_fn' must be a string MODULE:FUNC, got {inputs_fn!r}")
        inputs_fn = _check_reference(inputs_fn, f"{where}: 'inputs_fn'")
    if inputs and inputs_fn:
        raise SpecError(f"{where}: give either 'inputs' or 'inputs_fn', not both")
    if not inputs and not inputs_fn:
        raise SpecError(
            f"{where}: model {model!r} needs inputs: 'inputs' (--input 3x4) or 'inputs_fn' (--inputs MODULE:FUNC)"
        )
    if mode not in MODES:
        raise SpecError(f"{where}: 'mode' must be one of {', '.join(MODES)}, got {mode!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SpecError(f"{where}: 'seed' must be an integer, got {seed!r}")
    try:
        parsed_inputs = tuple(InputSpec.parse(text) for text in inputs)
    except SpecError as error:
        raise SpecError(f"{where}: {error}") from None
    return ModelSpec(
        name=name or model,
        model=model,
        args=tuple(args),
        kwargs=tuple(sorted(dict(kwargs).items())),
        inputs=parsed_inputs,
        inputs_fn=inputs_fn,
        seed=seed,
        rtol=_number(rtol, "rtol", where),
        atol=_number(atol, "atol", where),
        mode=mode,
    )


def parse_table(table: Mapping[str, Any], path: Path) -> VerifySpec:
    """Validate a verify table (a ``--spec`` file, or ``[tool.torchup.verify]``) read from ``path``."""
    where = str(path)
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    entries = table.get("model", [])
    if not isinstance(entries, list) or not all(isinstance(entry, Mapping) for entry in entries):
        raise SpecError(f"{where}: 'model' must be an array of tables ([[model]] entries)")
    if not entries:
        raise SpecError(f"{where}: no [[model]] entries to verify")
    models: List[ModelSpec] = []
    for index, entry in enumerate(entries):
        entry_where = f"{where} (model entry {index + 1})"
        unknown = sorted(set(entry) - _MODEL_KEYS)
        if unknown:
            raise SpecError(f"{entry_where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_MODEL_KEYS))})")
        if "model" not in entry:
            raise SpecError(f"{entry_where}: missing required key 'model' (MODULE:NAME)")
        models.append(build_model_spec(where=entry_where, **dict(entry)))
    names = [model.name for model in models]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SpecError(f"{where}: two model entries are named {duplicates[0]!r}; give each a distinct 'name'")
    base = path.parent
    roots: Dict[str, Optional[str]] = {}
    for key in ("old", "new"):
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise SpecError(f"{where}: {key!r} must be a string (a directory or git revision), got {value!r}")
        roots[key] = None if value is None else _relative_root(value, base)
    return VerifySpec(tuple(models), old=roots["old"], new=roots["new"])


def _relative_root(value: str, base: Path) -> str:
    """A directory relative to the spec file; anything that is not a directory is a git revision."""
    candidate = base / value
    return str(candidate.resolve()) if candidate.is_dir() else value


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise SpecError(f"{path}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{path}: not valid TOML: {error}") from None


def load_spec_file(path: Path) -> VerifySpec:
    return parse_table(_read_toml(path), path)


def find_pyproject(start: Path) -> Optional[Path]:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject(start: Path) -> VerifySpec:
    """``[tool.torchup.verify]`` from the nearest pyproject.toml at or above ``start``."""
    pyproject = find_pyproject(start.resolve())
    if pyproject is None:
        raise SpecError(f"no --model, no --spec, and no pyproject.toml above {start}")
    table = _read_toml(pyproject).get("tool", {}).get("torchup", {}).get("verify")
    if table is None:
        raise SpecError(f"{pyproject}: no [tool.torchup.verify] table (or give --model / --spec)")
    if not isinstance(table, Mapping):
        raise SpecError(f"{pyproject}: [tool.torchup.verify] must be a table")
    return parse_table(table, pyproject)
