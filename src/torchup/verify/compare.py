"""Compare what the two sides computed, and say where they differ in the user's words.

Every comparison goes through ``torch.testing.assert_close`` (bit-identical by default: rtol =
atol = 0); when it fails we also locate the worst element so the report can show its index and
both values.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import torch

from torchup.verify.verdict import FAIL, NOT_CHECKED, PASS, Check

Difference = Dict[str, Any]  # detail, index, old, new, max_abs, max_rel


def _format_index(flat_index: int, shape: Tuple[int, ...]) -> Tuple[int, ...]:
    index = []
    for size in reversed(shape):
        index.append(flat_index % size)
        flat_index //= size
    return tuple(reversed(index))


def worst_element(old: torch.Tensor, new: torch.Tensor) -> Difference:
    """Where two same-shaped tensors differ most: index, both values, max abs and rel error."""
    if old.is_floating_point() or old.is_complex():
        # complex128 for complex tensors: .double() would drop the imaginary part, and with it the difference
        wide = torch.complex128 if old.is_complex() else torch.float64
        old64, new64 = old.detach().to(wide), new.detach().to(wide)
        diff = (new64 - old64).abs()
        # Equal infinities differ by inf - inf = nan: like NaN on both sides, no difference at all.
        same = (old64 == new64) | (old64.isnan() & new64.isnan())
        diff = torch.where(same, torch.zeros_like(diff), diff)
        diff = torch.where(diff.isnan(), torch.full_like(diff, float("inf")), diff)
        rel = diff / old64.abs()
        rel = torch.where(diff == 0, torch.zeros_like(rel), rel)
        rel = torch.where(rel.isnan(), torch.full_like(rel, float("inf")), rel)  # inf / inf: opposite infinities
        max_rel = float(rel.max()) if rel.numel() else 0.0
    else:
        diff = (new.detach().long() - old.detach().long()).abs()
        max_rel = None
    if diff.numel() == 0:
        return {"index": (), "old": None, "new": None, "max_abs": 0.0, "max_rel": 0.0}
    flat = int(diff.reshape(-1).argmax())
    index = _format_index(flat, tuple(old.shape))
    return {
        "index": list(index),
        "old": old.reshape(-1)[flat].item(),
        "new": new.reshape(-1)[flat].item(),
        "max_abs": float(diff.max()),
        "max_rel": max_rel,
    }


def tensor_difference(old: Any, new: Any, rtol: Optional[float], atol: Optional[float]) -> Optional[Difference]:
    """None when equal within tolerance; else what differs. ``None`` tolerances: dtype defaults."""
    if not isinstance(old, torch.Tensor) or not isinstance(new, torch.Tensor):
        if isinstance(old, torch.Tensor) or isinstance(new, torch.Tensor):
            return {"detail": f"old is {_kind(old)}, new is {_kind(new)}"}
        return None if old == new else {"detail": f"old {old!r}, new {new!r}", "old": old, "new": new}
    if old.shape != new.shape:
        return {
            "detail": f"shape {tuple(old.shape)} vs {tuple(new.shape)}",
            "old": list(old.shape),
            "new": list(new.shape),
        }
    if old.dtype != new.dtype:
        return {"detail": f"dtype {old.dtype} vs {new.dtype}", "old": str(old.dtype), "new": str(new.dtype)}
    try:
        torch.testing.assert_close(new, old, rtol=rtol, atol=atol, equal_nan=True, check_device=False)
    except AssertionError:
        worst = worst_element(old, new)
        rel = "" if worst["max_rel"] is None else f" (rel {worst['max_rel']:.3g})"
        detail = f"max abs error {worst['max_abs']:.3g}{rel} at index {tuple(worst['index'])}: old {worst['old']!r}, new {worst['new']!r}"
        return {"detail": detail, **worst}
    return None


def _kind(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    return f"{type(value).__name__} {value!r}"


def _first_difference(
    name: str, pairs: List[Tuple[str, Any, Any]], rtol: Optional[float], atol: Optional[float], what: str
) -> Optional[Check]:
    for key, old, new in pairs:
        difference = tensor_difference(old, new, rtol, atol)
        if difference is not None:
            detail = f"{what} {key}: {difference.pop('detail')}"
            extra = tuple({"key": key, **difference}.items())
            return Check(name, FAIL, detail, extra)
    return None


def compare_state(old: Mapping[str, Any], new: Mapping[str, Any], rtol: float, atol: float) -> Check:
    """state_dict keys, shapes, dtypes and values; new buffers against the old plain attributes."""
    old_sd, new_sd = old["state_dict"], new["state_dict"]
    old_attributes = old["attributes"]
    missing = [key for key in old_sd if key not in new_sd]
    if missing:
        return Check(
            "state_dict",
            FAIL,
            f"key {missing[0]!r} of the old state_dict is missing from the new model"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            (("key", missing[0]),),
        )
    pairs = [(key, old_sd[key], new_sd[key]) for key in old_sd]
    failure = _first_difference("state_dict", pairs, rtol, atol, "key")
    if failure is not None:
        return failure
    # Keys and buffers the new model has and the old state_dict had not: each must be what the
    # old model kept as a plain attribute of the same name (a TU201/TU202 conversion), nothing new.
    additions = [key for key in new_sd if key not in old_sd]
    new_only_buffers = [name for name in new["buffers"] if name not in old_sd and name not in additions]
    counterpart_pairs = []
    for key in additions + new_only_buffers:
        value = new_sd[key] if key in new_sd else new["buffers"][key]
        if key in old_attributes:
            counterpart_pairs.append((key, old_attributes[key], value))
        elif key in old["buffers"]:
            counterpart_pairs.append((key, old["buffers"][key], value))
        else:
            kind = "buffer" if key in new["buffers"] else "parameter"
            return Check(
                "state_dict",
                FAIL,
                f"new {kind} {key!r} has no counterpart (parameter, buffer or plain attribute) in the old model",
                (("key", key),),
            )
    failure = _first_difference("state_dict", counterpart_pairs, rtol, atol, "new buffer/parameter vs old attribute")
    if failure is not None:
        return failure
    detail = (
        f"{len(old_sd)} keys identical"
        if rtol == atol == 0
        else f"{len(old_sd)} keys equal within rtol={rtol}, atol={atol}"
    )
    if additions:
        detail += f"; expected additions (old plain attributes now in the state_dict): {', '.join(additions)}"
    non_persistent = [name for name in new_only_buffers]
    if non_persistent:
        detail += f"; non-persistent buffers equal the old attributes: {', '.join(non_persistent)}"
    return Check("state_dict", PASS, detail, (("additions", additions),))


def compare_inputs(old: Any, new: Any) -> Check:
    """Each side built its own inputs (the same seeded function or specs): they must be identical,
    or the outputs are compared on different data."""
    from torchup.verify.inputs import leaves

    old_leaves, new_leaves = dict(leaves(old)), dict(leaves(new))
    if list(old_leaves) != list(new_leaves):
        only_old = [path for path in old_leaves if path not in new_leaves]
        only_new = [path for path in new_leaves if path not in old_leaves]
        return Check(
            "inputs",
            FAIL,
            f"the two sides built inputs of different structure: old only {only_old[:3]}, new only {only_new[:3]}",
        )
    failure = _first_difference(
        "inputs", [(path, old_leaves[path], new_leaves[path]) for path in old_leaves], 0.0, 0.0, "input"
    )
    if failure is not None:
        return Check("inputs", FAIL, f"the two sides built different inputs: {failure.detail}", failure.extra)
    return Check("inputs", PASS, f"both sides built the same {len(old_leaves)} input leaves")


def compare_outputs(old: Mapping[str, Any], new: Mapping[str, Any], rtol: float, atol: float) -> Check:
    if list(old) != list(new):
        only_old = [path for path in old if path not in new]
        only_new = [path for path in new if path not in old]
        detail = "the outputs have different structure"
        if only_old or only_new:
            detail += f": old only {only_old[:3]}, new only {only_new[:3]}"
        return Check("outputs", FAIL, detail, (("old", list(old)), ("new", list(new))))
    failure = _first_difference("outputs", [(path, old[path], new[path]) for path in old], rtol, atol, "")
    if failure is not None:
        return Check(failure.name, failure.status, failure.detail.strip(), failure.extra)
    exact = "bit-identical" if rtol == atol == 0 else f"equal within rtol={rtol}, atol={atol}"
    return Check("outputs", PASS, f"{len(old)} output(s) {exact}")


def compare_gradients(old: Mapping[str, Any], new: Mapping[str, Any], rtol: float, atol: float) -> Check:
    if old["error"] or new["error"]:
        if old["error"] == new["error"]:
            return Check("gradients", NOT_CHECKED, f"both sides: {old['error']}")
        return Check("gradients", FAIL, f"old: {old['error'] or 'backward ran'}; new: {new['error'] or 'backward ran'}")
    old_grads, new_grads = old["grads"], new["grads"]
    missing = [name for name in old_grads if name not in new_grads]
    if missing:
        return Check(
            "gradients",
            FAIL,
            f"parameter {missing[0]!r} of the old model (or its requires_grad attribute) is missing "
            "from the new one",
            (("key", missing[0]),),
        )
    pairs = []
    for name, old_grad in old_grads.items():
        new_grad = new_grads[name]
        if (old_grad is None) != (new_grad is None):
            return Check(
                "gradients",
                FAIL,
                f"parameter {name!r}: old gradient is {'None' if old_grad is None else 'a tensor'}, new is "
                f"{'None' if new_grad is None else 'a tensor'}",
                (("key", name),),
            )
        if old_grad is not None:
            pairs.append((name, old_grad, new_grad))
    failure = _first_difference("gradients", pairs, rtol, atol, "parameter")
    if failure is not None:
        return failure
    return Check("gradients", PASS, f"gradients of {len(pairs)} parameter(s) equal after sum(outputs).backward()")


def checkpoint_check(
    old_into_new: Mapping[str, Any], new_into_old: Mapping[str, Any], expected_additions: Sequence[str] = ()
) -> Check:
    """Strict loading both ways. Keys that are verified expected additions (old plain attributes
    the migration made persistent buffers or Parameters, equal to the old values) are a deliberate
    state_dict change: reported with the upgrade path, not failed. Anything else fails."""
    if old_into_new["loaded"] and new_into_old["loaded"]:
        return Check(
            "checkpoint", PASS, "the old state_dict loads strictly into the new model, and the new one into the old"
        )
    expected = set(expected_additions)
    only_additions = all(
        result["loaded"] or _fails_only_on(result, expected) for result in (old_into_new, new_into_old)
    )
    if only_additions:
        keys = sorted(set(old_into_new["missing"]) | set(new_into_old["unexpected"]))
        return Check(
            "checkpoint",
            PASS,
            f"old checkpoints lack the new state_dict keys {keys} (old plain attributes, now saved): "
            "convert them with `torchup upgrade-checkpoint`; everything else loads strictly both ways",
            (("needs_upgrade", keys),),
        )
    parts = []
    extra: Dict[str, Any] = {}
    for label, result in (
        ("the old state_dict into the new model", old_into_new),
        ("the new state_dict into the old model", new_into_old),
    ):
        if result["loaded"]:
            continue
        keys = []
        if result["missing"]:
            keys.append(f"missing {result['missing']}")
        if result["unexpected"]:
            keys.append(f"unexpected {result['unexpected']}")
        # A changed shape leaves the keys alone: its size is only in load_state_dict's full message.
        keys.extend(
            line.strip().rstrip(".")
            for line in result.get("full_message", "").splitlines()
            if line.strip().startswith("size mismatch")
        )
        parts.append(f"{label} does not load strictly ({'; '.join(keys) or result['message']})")
        extra.setdefault("key", (result["missing"] or result["unexpected"] or [None])[0])
    detail = "; ".join(parts) + "; convert old checkpoints with `torchup upgrade-checkpoint`"
    extra["old_into_new"] = dict(old_into_new)
    extra["new_into_old"] = dict(new_into_old)
    return Check("checkpoint", FAIL, detail, tuple(extra.items()))


def _fails_only_on(result: Mapping[str, Any], expected: set) -> bool:
    """A failed load whose only fault is keys among ``expected``; one that names no key at all
    failed for another reason (a size mismatch, the model's own loader refusing)."""
    keys = set(result["missing"]) | set(result["unexpected"])
    return bool(keys) and keys <= expected and "size mismatch" not in result.get("full_message", "")


def legacy_checkpoint_check(old_into_new: Mapping[str, Any]) -> Check:
    """The legacy model could be built but not run: its state_dict must still load into the new one."""
    if old_into_new["loaded"]:
        return Check("checkpoint", PASS, "the legacy state_dict loads strictly into the new model")
    keys = []
    if old_into_new["missing"]:
        keys.append(f"missing {old_into_new['missing']}")
    if old_into_new["unexpected"]:
        keys.append(f"unexpected {old_into_new['unexpected']}")
    return Check(
        "checkpoint",
        FAIL,
        f"the legacy state_dict does not load strictly into the new model ({'; '.join(keys) or old_into_new['message']})",
        (("key", (old_into_new["missing"] or old_into_new["unexpected"] or [None])[0]),),
    )


def _old_leak_consequence(leaks: Sequence[Mapping[str, Any]], new_leaks: Optional[Sequence[Mapping[str, Any]]]) -> str:
    """What the legacy model's leaks mean, told apart from what the new model still does."""
    if new_leaks:
        new_lines = {leak["source_line"] for leak in new_leaks if leak["source_line"]}
        if any(leak["source_line"] in new_lines for leak in leaks if leak["source_line"]):
            return "informational: the new model leaks at the same line (see device_portability): not fixed by the migration"
        return "informational: the new model leaks too (see device_portability)"
    return "informational: the legacy model would fail on a GPU without its .cuda() calls (what the migration fixed)"


def leak_check(
    name: str, reply: Mapping[str, Any], who: str, new_leaks: Optional[Sequence[Mapping[str, Any]]] = None
) -> Check:
    leaks = reply["leaks"]
    if leaks:
        first = leaks[0]
        consequence = _old_leak_consequence(leaks, new_leaks) if who == "old" else "this model would fail on a GPU"
        more = f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""
        if " " in first["op"]:  # a kernel's own device error, not an aten op name
            detail = f"a kernel refused mixed devices: {first['op']}{more}; {consequence}"
        elif len(first["devices"]) == 1:
            detail = (
                f"{first['op']} is returned on {first['devices'][0]} while the model runs on meta{more}; {consequence}"
            )
        else:
            detail = f"tensors on {' and '.join(first['devices'])} meet in {first['op']}{more}; {consequence}"
        if reply["reason"]:
            detail += f"; the meta run then stopped: {reply['reason']}"
        return Check(name, FAIL, detail, (("source_line", first["source_line"]), ("leaks", leaks)))
    if not reply["checked"]:
        return Check(name, NOT_CHECKED, f"not checked for the {who} model: {reply['reason']}")
    return Check(name, PASS, f"the {who} model runs on the meta device without mixing devices")


def cuda_check(
    new_reply: Optional[Mapping[str, Any]], old_reply: Optional[Mapping[str, Any]], reason: str = ""
) -> Check:
    """NEW on GPU vs CPU within the dtype's default tolerances; OLD's GPU failure is informational."""
    if new_reply is None:
        return Check("cuda", NOT_CHECKED, reason)
    extra: Dict[str, Any] = {}
    if old_reply is not None:
        extra["old_gpu"] = "ran" if old_reply["ran"] else old_reply["message"]
        old_note = (
            "; the old model also runs on GPU"
            if old_reply["ran"]
            else f"; the old model fails on GPU: {old_reply['message']}"
        )
    else:
        old_note = ""
    if not new_reply["ran"]:
        return Check(
            "cuda",
            FAIL,
            f"the new model fails on GPU: {new_reply['message']}{old_note}",
            (("source_line", new_reply.get("source_line", "")), *extra.items()),
        )
    reference = torch.load(new_reply["reference"], weights_only=True)
    outputs = torch.load(new_reply["outputs"], weights_only=True)
    if [d for d in new_reply["devices"] if not d.startswith("cuda")]:
        return Check(
            "cuda",
            FAIL,
            f"the new model on GPU returned outputs on {new_reply['devices']}{old_note}",
            tuple(extra.items()),
        )
    if list(reference) != list(outputs):
        return Check(
            "cuda",
            FAIL,
            f"the new model's outputs on GPU have a different structure than on CPU{old_note}",
            tuple(extra.items()),
        )
    failure = _first_difference("cuda", [(p, reference[p], outputs[p]) for p in reference], None, None, "GPU vs CPU")
    if failure is not None:
        return Check("cuda", FAIL, failure.detail + old_note, failure.extra + tuple(extra.items()))
    return Check(
        "cuda",
        PASS,
        f"the new model on GPU matches its CPU outputs within float tolerance{old_note}",
        tuple(extra.items()),
    )
