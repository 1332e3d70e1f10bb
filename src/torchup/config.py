"""``[tool.torchup]`` in the nearest pyproject.toml, merged under the command-line flags.

An unknown key or a value of the wrong type is an error that names the key and the file: a typo
in configuration must not silently run every codemod.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUFFER_MODES = ("auto", "persistent", "non-persistent")
DEFAULT_EXCLUDE: Tuple[str, ...] = ()


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    path: Optional[Path] = None  # the pyproject.toml it came from
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    unsafe_fixes: bool = False
    jobs: int = 0
    buffers: str = "auto"
    bare_noqa: bool = False
    verify: Mapping[str, Any] = field(default_factory=dict)


def _strings(key: str, value: Any, where: Path) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: [tool.torchup] {key} must be a list of strings, got {value!r}")
    return tuple(value)


def _bool(key: str, value: Any, where: Path) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: [tool.torchup] {key} must be true or false, got {value!r}")
    return value


def _jobs(key: str, value: Any, where: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: [tool.torchup] {key} must be a whole number >= 0, got {value!r}")
    return value


def _buffers(key: str, value: Any, where: Path) -> str:
    if value not in BUFFER_MODES:
        raise ConfigError(f"{where}: [tool.torchup] {key} must be one of {', '.join(BUFFER_MODES)}, got {value!r}")
    return value


def _table(key: str, value: Any, where: Path) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [tool.torchup] {key} must be a table, got {value!r}")
    return value


_KEYS = {
    "select": ("select", _strings),
    "ignore": ("ignore", _strings),
    "exclude": ("exclude", _strings),
    "extend-exclude": ("extend_exclude", _strings),
    "unsafe-fixes": ("unsafe_fixes", _bool),
    "jobs": ("jobs", _jobs),
    "buffers": ("buffers", _buffers),
    "bare-noqa": ("bare_noqa", _bool),
    "verify": ("verify", _table),
}


def find_pyproject(paths: Sequence[str]) -> Optional[Path]:
    """The pyproject.toml nearest above the paths' common directory (or the current directory)."""
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    common = Path(os.path.commonpath(absolute))
    start = common if common.is_dir() else common.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(path: Optional[Path]) -> Config:
    if path is None:
        return Config()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    table = document.get("tool", {}).get("torchup", {})
    return from_mapping(table, path)


def from_mapping(table: Mapping[str, Any], path: Path) -> Config:
    values: Dict[str, Any] = {"path": path}
    for key, value in table.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{path}: unknown key {key!r} in [tool.torchup] (known keys: {known})")
        name, convert = _KEYS[key]
        values[name] = convert(key, value, path)
    return Config(**values)
