"""Forward inputs as real code has them, built in each side's process and carried without pickle.

A model's forward takes what its training script gives it: tensors, Python numbers and strings,
lists, tuples (named too) and dicts of them, numpy arrays (a batch's lengths), and simple objects
with fields (``types.SimpleNamespace``, dataclasses: a torchtext batch's ``premise``/``hypothesis``).

Inputs are built in the NEW side's process: from ``--input SHAPE:DTYPE:LOW-HIGH`` specs with a
seeded generator, or by the user's ``--inputs MODULE:FUNC`` called after the seed, and carried to
the OLD side. A function that takes an argument is given the side's built model (``def
inputs(model): ... model.init_hidden(3)``) and then runs on each side with its own model, when
the OLD tree has it; the parent compares the two. What a side built is written as an *encoding*: a tree of tagged dicts,
lists, strings, numbers and tensors, which ``torch.load(weights_only=True)`` reads back without
running any code. A class (a dataclass, a named tuple) travels as its ``module:qualname`` and is
rebuilt only in a side's own process, and only when it is a dataclass or a named tuple. Anything
else (an arbitrary object) is refused with its type named: never unpickled.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import types
from typing import Any, Dict, Iterator, List, Tuple

import torch

TAG = "__torchup_input__"
ALLOWED = (
    "tensors, None, bool/int/float/complex/str, lists, tuples, named tuples, dicts, numpy arrays and "
    "numpy scalars, types.SimpleNamespace, dataclasses"
)


class InputError(TypeError):
    """An input of a type the verifier cannot carry between the two sides."""


def _class_name(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}:{cls.__qualname__}"


def _numpy():
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy comes with torch's usual installs
        return None
    return numpy


def encode(value: Any, path: str = "input") -> Any:
    """The safe tree for ``value``; raises InputError naming the path of a value it cannot carry."""
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        return value
    if isinstance(value, torch.Tensor):
        return {TAG: "tensor", "value": value.detach().clone(), "requires_grad": value.requires_grad}
    numpy = _numpy()
    if numpy is not None and isinstance(value, numpy.ndarray):
        if value.dtype.kind not in "biufc":
            raise InputError(f"{path}: a numpy array of dtype {value.dtype} cannot be carried (numbers only)")
        # A copy: torch cannot hold negative strides, and the decoded array is a fresh one anyway.
        return {TAG: "ndarray", "value": torch.from_numpy(numpy.array(value, copy=True)), "dtype": str(value.dtype)}
    if numpy is not None and isinstance(value, numpy.generic):
        return {TAG: "numpy_scalar", "value": value.item(), "dtype": str(value.dtype)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        fields = {name: encode(getattr(value, name), f"{path}.{name}") for name in value._fields}
        return {TAG: "namedtuple", "class": _class_name(value), "fields": fields}
    if isinstance(value, (list, tuple)):
        items = [encode(item, f"{path}[{index}]") for index, item in enumerate(value)]
        return {TAG: type(value).__name__ if type(value) in (list, tuple) else "list", "items": items}
    if isinstance(value, dict):
        items = [[encode(key, f"{path} key"), encode(item, f"{path}[{key!r}]")] for key, item in value.items()]
        return {TAG: "dict", "items": items}
    if isinstance(value, types.SimpleNamespace):
        fields = {name: encode(item, f"{path}.{name}") for name, item in vars(value).items()}
        return {TAG: "namespace", "fields": fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name), f"{path}.{f.name}") for f in dataclasses.fields(value)}
        return {TAG: "dataclass", "class": _class_name(value), "fields": fields}
    raise InputError(f"{path}: a {type(value).__module__}.{type(value).__qualname__} cannot be an input; allowed: {ALLOWED}")


class MissingInputClass(LookupError):
    """An input's class (a dataclass, a named tuple) that this side's code does not define."""


def _import_class(reference: str, kind: str) -> type:
    module_name, _, qualname = reference.partition(":")
    try:
        target: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as error:
        # the other side's inputs name a class this side lacks (one the migration added): the
        # set-up of the run, not a fault of either model nor of the verifier
        raise MissingInputClass(
            f"the inputs hold a {reference} {kind}, which this side's code does not define "
            f"({type(error).__name__}: {error}): define it on both sides, or build the inputs from "
            "tensors, lists and dicts"
        ) from None
    is_kind = dataclasses.is_dataclass(target) if kind == "dataclass" else issubclass(target, tuple)
    if not isinstance(target, type) or not is_kind:
        raise InputError(f"{reference} is not a {kind}: refused")
    return target


def decode(tree: Any) -> Any:
    """Fresh objects (tensors cloned) from an encoding; classes are imported in this process only."""
    if not isinstance(tree, dict) or TAG not in tree:
        return tree
    kind = tree[TAG]
    if kind == "tensor":
        return tree["value"].clone().requires_grad_(tree["requires_grad"])
    if kind == "ndarray":
        return tree["value"].numpy().copy()
    if kind == "numpy_scalar":
        return _numpy().dtype(tree["dtype"]).type(tree["value"])
    if kind in ("list", "tuple"):
        items = [decode(item) for item in tree["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {decode(key): decode(item) for key, item in tree["items"]}
    if kind == "namespace":
        return types.SimpleNamespace(**{name: decode(item) for name, item in tree["fields"].items()})
    if kind in ("namedtuple", "dataclass"):
        cls = _import_class(tree["class"], kind)
        fields = {name: decode(item) for name, item in tree["fields"].items()}
        if kind == "namedtuple":
            return cls(**fields)
        init = {f.name: fields[f.name] for f in dataclasses.fields(cls) if f.init}
        made = cls(**init)
        for name, item in fields.items():
            if name not in init:
                object.__setattr__(made, name, item)
        return made
    raise InputError(f"unknown input encoding {kind!r}")


def leaves(tree: Any, path: str = "input") -> Iterator[Tuple[str, Any]]:
    """Every leaf of an encoding with its path, the class names included: what the parent compares."""
    if not isinstance(tree, dict) or TAG not in tree:
        yield path, tree
        return
    kind = tree[TAG]
    if kind in ("tensor", "ndarray"):
        yield path, tree["value"]
        if kind == "ndarray":
            yield f"{path} dtype", tree["dtype"]
    elif kind == "numpy_scalar":
        yield path, tree["value"]
        yield f"{path} dtype", tree["dtype"]
    elif kind in ("list", "tuple"):
        yield f"{path} type", f"{kind} of {len(tree['items'])}"
        for index, item in enumerate(tree["items"]):
            yield from leaves(item, f"{path}[{index}]")
    elif kind == "dict":
        yield f"{path} type", f"dict of {len(tree['items'])}"
        for key, item in tree["items"]:
            yield from leaves(item, f"{path}[{key!r}]")
    else:
        yield f"{path} type", f"{kind} {tree.get('class', '')}".strip()
        for name, item in tree["fields"].items():
            yield from leaves(item, f"{path}.{name}")


def takes_model(function: Any) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty for p in parameters
    )


def call_inputs_function(function: Any, model: Any) -> Tuple[Any, ...]:
    """The forward arguments: a tuple or list returned is the argument list, anything else one argument."""
    made = function(model) if takes_model(function) else function()
    return tuple(made) if isinstance(made, (tuple, list)) and not hasattr(made, "_fields") else (made,)


def from_specs(specs: List[Dict[str, Any]], seed: int) -> Tuple[Any, ...]:
    """``--input`` specs: normal floats, or integers in [low, high), from one seeded generator."""
    generator = torch.Generator().manual_seed(seed)
    inputs = []
    for item in specs:
        dtype = getattr(torch, item["dtype"])  # spec.py names dtypes as torch does
        shape = tuple(item["shape"])
        if item["high"] is None:
            inputs.append(torch.randn(shape, generator=generator, dtype=dtype))
        else:
            low = item.get("low", 0)
            inputs.append(torch.randint(low, item["high"], shape, generator=generator).to(dtype))
    return tuple(inputs)
