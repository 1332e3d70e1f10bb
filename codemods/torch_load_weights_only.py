"""TU405 torch_load_weights_only: report `torch.load` calls without `weights_only=`.

What it does
    Reports every call of `torch.load` that does not pass `weights_only=`.

Why
    Since PyTorch 2.6 `torch.load` defaults to `weights_only=True`: it unpickles only tensors,
    containers and a list of safe types. Legacy checkpoints often pickle more: a whole model
    (`torch.save(model)`), an optimizer with custom classes, numpy scalars, `argparse.Namespace`
    arguments. Loading them fails with an `UnpicklingError` that names the offending global.

Before
    checkpoint = torch.load(path)

After
    checkpoint = torch.load(path, weights_only=True)  # tensors and plain containers only
    model = torch.load(path, weights_only=False)      # a trusted file that pickles objects

Fix safety
    No fix: which value is right depends on what the checkpoint holds and on whether the file
    is trusted (`weights_only=False` runs arbitrary pickled code).

Limitations
    Calls that pass `**kwargs` are not reported (the flag may be in them). `torch.hub` and
    `torch.jit.load` are not checked.
"""

from __future__ import annotations

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod


class TorchLoadWeightsOnly(Codemod):
    CODE = "TU405"
    NAME = "torch_load_weights_only"
    SUMMARY = "report `torch.load(...)` without `weights_only=` (PyTorch 2.6+ rejects checkpoints that pickle objects)"
    SAFETY = "safe"
    # Only calls are reported: `load` is called, or imported under another name.
    MARKERS = ("load(", "load (", "load as")
    # Superset of the calls reported: the callee resolves to `torch.load` or
    # `torch.serialization.load`, so the text holds `torch.load(` / `serialization.load(`, or
    # `X.load(` with `torch as X` / `serialization as X` bound (either order), or `load` in an
    # import statement (`from torch import load as L`, also parenthesised or continued). A bare
    # `load(...)` (a local function), `state.load(...)`, `json.load(f)` do not match.
    _CALL = r"[\s\\)]*\.[\s\\]*load\b[\s\\)]*\("
    PATTERN = (
        rf"\b(?:torch|serialization){_CALL}"
        + rf"|\b(?:torch|serialization)[\s\\]+as[\s\\]+(?P<a>\w+)\b[\s\S]*\b(?P=a){_CALL}"
        + rf"|\b(?P<b>\w+){_CALL}[\s\S]*\b(?:torch|serialization)[\s\\]+as[\s\\]+(?P=b)\b"
        + r"|\bimport\b(?:[^\S\n]|\\\r?\n|[\w.,])*?\bload\b"
        + r"|\bimport(?:[^\S\n]|\\\r?\n)*\((?:[\w\s.,\\]|#[^\n]*)*?\bload\b"
    )
    del _CALL

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.table.refers_to(node.func, "torch.load", "torch.serialization.load"):
            return
        if any(
            arg.star == "**" or (arg.keyword is not None and arg.keyword.value == "weights_only") for arg in node.args
        ):
            return
        self.report(
            node,
            "`torch.load` without `weights_only=`: since PyTorch 2.6 it loads only tensors and plain "
            "containers, and a legacy checkpoint that pickles a model or other objects fails to load; "
            "pass `weights_only=True` for a state_dict, `weights_only=False` only for a trusted file",
        )
