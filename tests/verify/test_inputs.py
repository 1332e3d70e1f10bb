"""Inputs carried between the sides: every allowed type round-trips, anything else is refused,
and the file is read with ``weights_only=True`` (no code runs when it loads)."""

from __future__ import annotations

import collections
import dataclasses
import types

import numpy as np
import pytest
import torch

from torchup.verify.inputs import InputError, call_inputs_function, decode, encode, from_specs, leaves, takes_model

Pair = collections.namedtuple("Pair", "left right")


@dataclasses.dataclass
class Batch:
    premise: torch.Tensor
    size: int


class Opaque:
    pass


def test_every_allowed_type_round_trips_through_a_weights_only_file(tmp_path):
    value = [
        torch.arange(6.0).reshape(2, 3).requires_grad_(),
        None,
        3,
        2.5,
        "text",
        (1, [2, {"k": torch.ones(2)}]),
        Pair(torch.zeros(1), 7),
        np.sort(np.array([3, 1, 2]))[::-1],  # negative strides, as `np.sort(lens)[::-1]` gives
        np.int64(4),
        types.SimpleNamespace(premise=torch.ones(2, dtype=torch.long)),
        Batch(torch.zeros(3), 3),
    ]
    path = tmp_path / "inputs.pt"
    torch.save(encode(value), path)
    back = decode(torch.load(path, weights_only=True))
    assert back[1:5] == [None, 3, 2.5, "text"]
    torch.testing.assert_close(back[0], value[0])
    assert back[0].requires_grad and back[0] is not value[0]
    assert back[5][0] == 1 and isinstance(back[5], tuple)
    torch.testing.assert_close(back[5][1][1]["k"], torch.ones(2))
    assert isinstance(back[6], Pair) and back[6].right == 7
    assert back[7].tolist() == [3, 2, 1] and back[7].dtype == value[7].dtype
    assert type(back[8]) is np.int64 and back[8] == 4
    assert isinstance(back[9], types.SimpleNamespace) and back[9].premise.dtype == torch.long
    assert isinstance(back[10], Batch) and back[10].size == 3


@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param(Opaque(), "test_inputs.Opaque cannot be an input", id="arbitrary-object"),
        pytest.param([1, {"x": object()}], "input[1]['x']: a builtins.object", id="nested-object"),
        pytest.param(np.array(["a"]), "numbers only", id="string-array"),
    ],
)
def test_anything_else_is_refused_with_its_path(value, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        encode(value)


def test_a_class_name_that_is_not_a_dataclass_or_named_tuple_is_not_rebuilt():
    forged = {"__torchup_input__": "dataclass", "class": "subprocess:Popen", "fields": {}}
    with pytest.raises(InputError, match="is not a dataclass: refused"):
        decode(forged)


def test_leaves_tell_types_and_values_apart():
    assert dict(leaves(encode((1, [2])))) != dict(leaves(encode((1, (2,)))))
    assert dict(leaves(encode(types.SimpleNamespace(a=1)))) != dict(leaves(encode({"a": 1})))


def test_an_inputs_function_with_a_parameter_is_given_the_model():
    class Model:
        def init_hidden(self, bsz):
            return torch.zeros(bsz)

    def with_model(model):
        return torch.ones(2), model.init_hidden(3)

    def single():
        return types.SimpleNamespace(x=1)

    made = call_inputs_function(with_model, Model())
    assert len(made) == 2 and made[1].shape == (3,)
    assert isinstance(call_inputs_function(single, None)[0], types.SimpleNamespace)  # one argument


def test_a_named_tuple_returned_is_one_argument_a_plain_tuple_the_argument_list():
    # forward(batch) of a model that takes a namedtuple batch: not forward(left, right)
    assert call_inputs_function(lambda: Pair(torch.ones(1), 2), None) == (Pair(torch.ones(1), 2),)
    assert call_inputs_function(lambda: (1, 2), None) == (1, 2)
    assert call_inputs_function(lambda: [1, 2], None) == (1, 2)


def test_low_high_integer_inputs():
    (tokens,) = from_specs([{"shape": [50], "dtype": "int64", "high": 4, "low": 1}], seed=0)
    assert tokens.min() >= 1 and tokens.max() <= 3


def _model_and_batch(model, batch=4):
    return model, batch


def _batch_only(batch=4, *, seed=0):
    return batch, seed


@pytest.mark.parametrize(
    "function, given_the_model, arguments",
    [
        pytest.param(lambda model: model, True, ("the model",), id="model"),
        pytest.param(_model_and_batch, True, ("the model", 4), id="model-and-a-default"),
        pytest.param(_batch_only, False, (4, 0), id="defaults-only"),
        pytest.param(lambda *args: args, False, (), id="star-args"),
        pytest.param(lambda: 3, False, (3,), id="no-arguments"),
    ],
)
def test_only_a_required_positional_parameter_is_given_the_model(function, given_the_model, arguments):
    assert takes_model(function) is given_the_model
    assert call_inputs_function(function, "the model") == arguments


def test_each_decoding_is_a_fresh_copy_a_forward_may_edit_in_place():
    # The worker decodes the same encoding before every forward: an in-place edit of one run's
    # input (a numpy array of lengths sorted in place, a tensor normalised in place) must not
    # reach the next run's.
    tree = encode([np.array([3, 1, 2]), torch.tensor([1.0, 2.0])])
    lengths, tensor = decode(tree)
    lengths.sort()
    tensor.mul_(10)
    again_lengths, again_tensor = decode(tree)
    assert again_lengths.tolist() == [3, 1, 2]
    assert again_tensor.tolist() == [1.0, 2.0]


def test_float_inputs_are_drawn_in_the_dtype_asked_for():
    # A float64 model fed float32 inputs would fail (or round) on both sides alike: no difference
    # found where the user asked to compare double precision.
    specs = [{"shape": [2, 3], "dtype": dtype, "high": None, "low": 0} for dtype in ("float64", "float16", "float32")]
    assert [tensor.dtype for tensor in from_specs(specs, seed=0)] == [torch.float64, torch.float16, torch.float32]


class Lengths(list):
    """A list subclass, as some data loaders hand a batch's lengths."""


@dataclasses.dataclass
class Packed:
    data: torch.Tensor
    total: int = dataclasses.field(init=False, default=0)


def test_a_bool_array_a_list_subclass_and_a_non_init_field_round_trip(tmp_path):
    packed = Packed(torch.ones(2))
    packed.total = 5  # set after construction, as `__post_init__` or the loader would
    value = [np.array([True, False, True]), Lengths([3, 2]), packed]
    path = tmp_path / "inputs.pt"
    torch.save(encode(value), path)
    mask, lengths, back = decode(torch.load(path, weights_only=True))
    assert mask.dtype == np.bool_ and mask.tolist() == [True, False, True]
    assert lengths == [3, 2]  # carried as a plain list: the classes of lists are not rebuilt
    assert isinstance(back, Packed) and back.total == 5


def test_spec_inputs_are_the_same_for_the_same_seed_and_differ_for_another():
    specs = [{"shape": [4, 3], "dtype": "float32", "high": None, "low": 0}, {"shape": [6], "dtype": "int64", "high": 50, "low": 0}]
    first, second, other = from_specs(specs, seed=3), from_specs(specs, seed=3), from_specs(specs, seed=4)
    for a, b in zip(first, second):
        assert torch.equal(a, b)
    assert not torch.equal(first[0], other[0]) and not torch.equal(first[1], other[1])


def test_without_numpy_installed_every_other_type_still_round_trips(monkeypatch):
    # torch does not require numpy: a side without it must still carry tensors and containers
    from torchup.verify import inputs

    monkeypatch.setattr(inputs, "_numpy", lambda: None)
    value = [torch.arange(3.0), (1, "a"), {"k": None}, Pair(torch.ones(1), 2.5), types.SimpleNamespace(n=3)]
    decoded = decode(encode(value))
    assert type(decoded[1]) is tuple and decoded[1:3] == [(1, "a"), {"k": None}]
    assert torch.equal(decoded[0], value[0]) and type(decoded[3]) is Pair and decoded[4].n == 3
    with pytest.raises(InputError, match=r"input\[0\]: a .*Opaque cannot be an input"):
        encode([Opaque()])


def test_a_class_this_side_lacks_is_a_set_up_error_that_names_it_and_says_why():
    # the other side's inputs hold a class the migration added (or renamed): not an internal error
    from torchup.verify.inputs import MissingInputClass

    absent = {"__torchup_input__": "dataclass", "class": "test_inputs:AddedByTheMigration", "fields": {}}
    with pytest.raises(MissingInputClass) as refused:
        decode(absent)
    assert str(refused.value) == (
        "the inputs hold a test_inputs:AddedByTheMigration dataclass, which this side's code does not define "
        "(AttributeError: module 'test_inputs' has no attribute 'AddedByTheMigration'): define it on both "
        "sides, or build the inputs from tensors, lists and dicts"
    )
    no_module = {"__torchup_input__": "namedtuple", "class": "no_such_module_here:Pair", "fields": {}}
    with pytest.raises(MissingInputClass, match=r"\(ModuleNotFoundError: No module named 'no_such_module_here'\)"):
        decode(no_module)


def test_a_class_named_as_a_named_tuple_must_be_a_tuple():
    forged = {"__torchup_input__": "namedtuple", "class": "subprocess:Popen", "fields": {"args": "true"}}
    with pytest.raises(InputError, match="^subprocess:Popen is not a namedtuple: refused$"):
        decode(forged)


def test_an_encoding_of_an_unknown_kind_is_refused():
    with pytest.raises(InputError, match="^unknown input encoding 'set'$"):
        decode({"__torchup_input__": "set", "items": [1]})


def test_leaves_name_a_numpy_scalars_dtype_dict_keys_by_repr_and_classes_by_name():
    assert list(leaves(encode(np.float32(1.5)))) == [("input", 1.5), ("input dtype", "float32")]
    assert dict(leaves(encode(np.float32(1.5)))) != dict(leaves(encode(np.float64(1.5))))
    assert [path for path, _ in leaves(encode({"1": 2, 1: 3}))] == ["input type", "input['1']", "input[1]"]
    batch = list(leaves(encode(Batch(torch.ones(1), 2))))
    assert batch[0] == ("input type", "dataclass test_inputs:Batch")
    assert list(leaves(encode(Pair(1, 2))))[0] == ("input type", "namedtuple test_inputs:Pair")
    assert list(leaves(encode(types.SimpleNamespace(n=1)))) == [("input type", "namespace"), ("input.n", 1)]


def _positional_only(model, /):
    return model


class _NoSignature:
    """A callable whose signature inspect cannot read (as some C functions)."""

    __signature__ = "not a Signature"

    def __call__(self, *args):
        return args or "called without the model"


def test_a_positional_only_parameter_is_given_the_model_and_no_signature_is_none():
    assert takes_model(_positional_only) is True
    assert call_inputs_function(_positional_only, "the model") == ("the model",)
    assert takes_model(_NoSignature()) is False
    assert call_inputs_function(_NoSignature(), "the model") == ("called without the model",)
