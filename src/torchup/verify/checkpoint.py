"""``torchup upgrade-checkpoint``: make a legacy checkpoint load strictly into the migrated model.

A migration that turns a plain tensor attribute into a persistent buffer (TU201) or a Parameter
(TU202) adds a state_dict key that old checkpoints never held, so ``load_state_dict(strict=True)``
fails with "Missing key(s)". The missing values are taken from a freshly constructed new model
(the same value the old code computed in ``__init__``, for constants); everything the checkpoint
does hold is kept. Keys the new model does not know, or shapes that no longer fit, cannot be
filled: they are reported and nothing is written.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List, Mapping, Optional, Sequence, Tuple

import torch

from torchup.writeback import replacing

# Where training scripts of 2017-2020 usually put the state_dict inside a checkpoint dict.
STATE_DICT_KEYS = ("state_dict", "model_state_dict", "model", "net", "state", "model_state")


class CheckpointError(Exception):
    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class CheckpointUpgrade:
    written: Path
    container_key: Optional[str]  # None: the checkpoint is the state_dict itself
    filled_buffers: Tuple[str, ...]
    filled_parameters: Tuple[str, ...]

    def summary_lines(self) -> List[str]:
        where = "the checkpoint" if self.container_key is None else f"checkpoint[{self.container_key!r}]"
        lines = []
        if self.filled_buffers:
            lines.append(f"filled buffers from a fresh model: {', '.join(self.filled_buffers)}")
        if self.filled_parameters:
            lines.append(
                f"filled parameters from a fresh model's initialisation (the old checkpoint never held them): "
                f"{', '.join(self.filled_parameters)}"
            )
        if not (self.filled_buffers or self.filled_parameters):
            lines.append(f"{where} already loads strictly; copied unchanged")
        lines.append(f"wrote {self.written}: the state_dict in {where} now loads with strict=True")
        return lines


def _is_state_dict(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and all(isinstance(item, torch.Tensor) for item in value.values())


def find_state_dict(checkpoint: Any, model_keys: Sequence[str]) -> Tuple[Optional[str], Mapping[str, torch.Tensor]]:
    """The state_dict itself, or the entry of a checkpoint dict that holds it."""
    if _is_state_dict(checkpoint):
        return None, checkpoint
    if not isinstance(checkpoint, Mapping):
        raise CheckpointError(
            f"the checkpoint is a {type(checkpoint).__name__}, not a state_dict or a dict holding one"
        )
    candidates = [key for key, value in checkpoint.items() if _is_state_dict(value)]
    if not candidates:
        raise CheckpointError(f"no state_dict found in the checkpoint (its keys: {sorted(map(str, checkpoint))})")
    for key in STATE_DICT_KEYS:
        if key in candidates:
            return key, checkpoint[key]
    best = max(candidates, key=lambda key: len(set(checkpoint[key]) & set(model_keys)))
    return best, checkpoint[best]


@contextmanager
def _imported_from(root: Path) -> Iterator[None]:
    """Import the user's modules with ``root`` first on sys.path, and forget them afterwards."""
    before = set(sys.modules)
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        for name in set(sys.modules) - before:
            del sys.modules[name]


def build_new_model(
    root: Path, reference: str, args: Sequence[Any], kwargs: Mapping[str, Any], seed: int
) -> torch.nn.Module:
    from torchup.verify.worker import resolve, traceback_tail

    with _imported_from(root.resolve()):
        try:
            factory = resolve(reference)
            torch.manual_seed(seed)
            model = factory(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the user's code: say which side and where
            raise CheckpointError(
                f"the NEW model {reference} could not be built: {type(error).__name__}: {error}\n"
                f"{traceback_tail(error)}",
                exit_code=123,
            ) from None
    if not isinstance(model, torch.nn.Module):
        raise CheckpointError(f"{reference} returned {type(model).__name__}, not an nn.Module", exit_code=123)
    return model


def _load(path: Path, unsafe_unpickle: bool) -> Any:
    try:
        return torch.load(path, map_location="cpu", weights_only=not unsafe_unpickle)
    except Exception as error:  # noqa: BLE001 - torch raises UnpicklingError, RuntimeError, EOFError...
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        hint = (
            "" if unsafe_unpickle else " (if it holds pickled objects and you trust it, re-run with --unsafe-unpickle)"
        )
        raise CheckpointError(f"cannot load {path}: {message}{hint}") from None


def _save_atomically(value: Any, path: Path) -> None:
    with replacing(path) as temporary:
        torch.save(value, temporary)


def upgrade(
    old_path: Path,
    new_path: Path,
    new_root: Path,
    reference: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    seed: int = 0,
    unsafe_unpickle: bool = False,
) -> CheckpointUpgrade:
    if new_path.resolve() == old_path.resolve():
        raise CheckpointError(f"NEW.pt is OLD.pt ({old_path}): write the upgraded checkpoint to another file")
    if not new_path.parent.is_dir():
        raise CheckpointError(f"the directory of {new_path} does not exist")
    checkpoint = _load(old_path, unsafe_unpickle)
    model = build_new_model(new_root, reference, args, kwargs, seed)
    fresh = model.state_dict()
    container_key, old_state = find_state_dict(checkpoint, list(fresh))
    unexpected = [key for key in old_state if key not in fresh]
    if unexpected:
        raise CheckpointError(
            f"cannot fill: the checkpoint holds keys the new model does not have: {', '.join(unexpected)} "
            "(renamed or removed by the change; torchup will not guess where they belong)"
        )
    missing = [key for key in fresh if key not in old_state]
    parameter_names = {name for name, _ in model.named_parameters()}
    upgraded: "OrderedDict[str, torch.Tensor]" = OrderedDict(
        (key, old_state[key] if key in old_state else fresh[key].detach().clone()) for key in fresh
    )
    metadata = getattr(old_state, "_metadata", None)
    if metadata is not None:
        upgraded._metadata = metadata  # type: ignore[attr-defined] # version info BatchNorm & co. read
    try:
        model.load_state_dict(upgraded, strict=True)
    except RuntimeError as error:
        raise CheckpointError(f"the upgraded state_dict still does not load strictly: {str(error).strip()}") from None
    if container_key is None:
        result: Any = upgraded
    else:
        result = dict(checkpoint)
        result[container_key] = upgraded
    _save_atomically(result, new_path)
    return CheckpointUpgrade(
        written=new_path,
        container_key=container_key,
        filled_buffers=tuple(key for key in missing if key not in parameter_names),
        filled_parameters=tuple(key for key in missing if key in parameter_names),
    )
