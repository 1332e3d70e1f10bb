"""Nested outputs, leaf by leaf: every container kind, each leaf named by its exact path."""

from __future__ import annotations

import collections
import dataclasses
import types

import torch

from torchup.verify.nested import leaves, tensor_leaves, to_device

Pair = collections.namedtuple("Pair", "left right")


@dataclasses.dataclass
class Boxes:
    coords: torch.Tensor
    label: str
    derived: int = dataclasses.field(default=0, init=False)


class Opaque:
    def __repr__(self) -> str:
        return "Opaque()"


def nested():
    a, b, c, d, e = (torch.full((1,), float(i)) for i in range(5))
    return (
        {"logits": a, 3: None},
        Pair(b, 1.5),
        [c, True],
        types.SimpleNamespace(hidden=d, name="h"),
        Boxes(e, "cat"),
        Opaque(),
        7,
    )


def test_every_leaf_is_named_by_its_path():
    found = list(leaves(nested()))
    assert [path for path, _ in found] == [
        "output[0]['logits']",
        "output[0][3]",
        "output[1].left",
        "output[1].right",
        "output[2][0]",
        "output[2][1]",
        "output[3].hidden",
        "output[3].name",
        "output[4].coords",
        "output[4].label",
        "output[4].derived",
        "output[5]",
        "output[6]",
    ]
    values = [value if not isinstance(value, torch.Tensor) else float(value) for _, value in found]
    assert values == [0.0, None, 1.0, 1.5, 2.0, True, 3.0, "h", 4.0, "cat", 0, "Opaque()", 7]


def test_a_bare_tensor_and_a_path_of_ones_own():
    tensor = torch.ones(2)
    [(path, value)] = list(leaves(tensor))
    assert path == "output" and value is tensor
    assert [path for path, _ in leaves([tensor], "grads")] == ["grads[0]"]


def test_tensor_leaves_keeps_only_tensors():
    assert [path for path, _ in tensor_leaves(nested())] == [
        "output[0]['logits']",
        "output[1].left",
        "output[2][0]",
        "output[3].hidden",
        "output[4].coords",
    ]
    assert [path for path, _ in tensor_leaves((torch.ones(1),), "out")] == ["out[0]"]


def test_to_device_keeps_every_container_type():
    moved = to_device(nested(), "meta")
    assert isinstance(moved, tuple) and len(moved) == 7
    assert moved[0]["logits"].is_meta and moved[0][3] is None
    assert type(moved[1]) is Pair and moved[1].left.is_meta and moved[1].right == 1.5
    assert type(moved[2]) is list and moved[2][0].is_meta and moved[2][1] is True
    assert type(moved[3]) is types.SimpleNamespace and moved[3].hidden.is_meta and moved[3].name == "h"
    assert type(moved[4]) is Boxes and moved[4].coords.is_meta and moved[4].label == "cat"
    assert isinstance(moved[5], Opaque) and moved[6] == 7
    ordered = to_device(collections.OrderedDict(b=torch.ones(1), a=torch.ones(1)), "meta")
    assert type(ordered) is collections.OrderedDict and list(ordered) == ["b", "a"]


class LooksLikeANamedTuple:
    """Not a tuple, yet with the ``_fields`` a named tuple has (an ``ast`` node, a record class)."""

    _fields = ("tensor",)

    def __init__(self) -> None:
        self.tensor = torch.ones(1)

    def __repr__(self) -> str:
        return "LooksLikeANamedTuple()"


def test_only_a_tuple_with_fields_is_walked_as_a_named_tuple():
    lookalike = LooksLikeANamedTuple()
    assert list(leaves((lookalike, Pair(torch.ones(1), 2)))) == [
        ("output[0]", "LooksLikeANamedTuple()"),
        ("output[1].left", torch.ones(1)),
        ("output[1].right", 2),
    ]
    moved = to_device([lookalike, Pair(torch.ones(1), 2)], "meta")
    assert moved[0] is lookalike and not lookalike.tensor.is_meta
    assert type(moved[1]) is Pair and moved[1].left.is_meta
