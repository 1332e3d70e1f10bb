"""Nested inputs and outputs: lists, tuples (named too), dicts, namespaces and dataclasses of tensors.

Models take and return such structures; the verifier moves them between devices and compares
them leaf by leaf, naming each leaf by its path (``output[0]['logits']``).
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any, Iterator, Tuple

import torch


def to_device(value: Any, device: str) -> Any:
    """Move tensors through nested lists, tuples (named too), dicts, namespaces and dataclasses."""
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, dict):
        return type(value)((key, to_device(item, device)) for key, item in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(to_device(item, device) for item in value))
    if isinstance(value, (list, tuple)):
        return type(value)(to_device(item, device) for item in value)
    if isinstance(value, types.SimpleNamespace):
        return types.SimpleNamespace(**{key: to_device(item, device) for key, item in vars(value).items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: to_device(getattr(value, f.name), device) for f in dataclasses.fields(value) if f.init}
        )
    return value


def leaves(value: Any, path: str = "output") -> Iterator[Tuple[str, Any]]:
    """Every leaf of a nested output with its path; non-tensor leaves kept if plain, else repr'd."""
    if isinstance(value, torch.Tensor):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}[{key!r}]")
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        for key in value._fields:
            yield from leaves(getattr(value, key), f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    elif isinstance(value, types.SimpleNamespace):
        for key, item in vars(value).items():
            yield from leaves(item, f"{path}.{key}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from leaves(getattr(value, field.name), f"{path}.{field.name}")
    elif value is None or isinstance(value, (bool, int, float, str)):
        yield path, value
    else:
        yield path, repr(value)


def tensor_leaves(value: Any, path: str = "output") -> Iterator[Tuple[str, torch.Tensor]]:
    return ((leaf_path, leaf) for leaf_path, leaf in leaves(value, path) if isinstance(leaf, torch.Tensor))
