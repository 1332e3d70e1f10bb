"""``torchup verify`` and ``torchup upgrade-checkpoint``: click commands only.

Imported by ``torchup.cli`` at start-up, so nothing here imports torch at module level:
``torchup fix`` must run where torch is not installed. The work happens in ``equivalence.py``
and ``checkpoint.py``, imported once torch is known to be there.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Optional

import click

from torchup.verify.spec import SpecError, VerifySpec, build_model_spec, load_pyproject, load_spec_file
from torchup.writeback import replacing

NEEDS_TORCH = "torchup verify needs torch: pip install 'torchup[verify]'"
EXIT_ERROR = 123


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        click.echo(NEEDS_TORCH, err=True)
        raise SystemExit(EXIT_ERROR) from None


def _json_option(value: Optional[str], option: str, kind: type) -> Any:
    if value is None:
        return kind()
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not valid JSON: {error}", param_hint=option) from None
    if not isinstance(parsed, kind):
        raise click.BadParameter(
            f"must be a JSON {'list' if kind is list else 'object'}, got {value}", param_hint=option
        )
    return parsed


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        temporary.write_text(text)


def _collect_spec(model, args, kwargs, inputs, inputs_fn, seed, mode, spec_file) -> VerifySpec:
    if model and spec_file:
        raise click.UsageError("give either --model or --spec, not both")
    try:
        if model:
            return VerifySpec(
                (
                    build_model_spec(
                        model,
                        args=_json_option(args, "--args", list),
                        kwargs=_json_option(kwargs, "--kwargs", dict),
                        inputs=list(inputs),
                        inputs_fn=inputs_fn,
                        seed=0 if seed is None else seed,
                        mode=mode or "eval",
                        where="command line",
                    ),
                )
            )
        if args or kwargs or inputs or inputs_fn:
            raise click.UsageError("--args, --kwargs, --input and --inputs describe a --model; give --model too")
        if spec_file:
            return load_spec_file(Path(spec_file))
        return load_pyproject(Path.cwd())
    except SpecError as error:
        raise click.UsageError(str(error)) from None


@click.command("verify")
@click.option(
    "--old", help="The legacy source root: a directory, or a git revision of the repository --new is in (e.g. HEAD)."
)
@click.option("--new", help="The migrated source root (a directory). Default: the pyproject's value, else '.'.")
@click.option("--model", "model", metavar="MODULE:NAME", help="A Module class or factory, e.g. model:RNNModel.")
@click.option("--args", metavar="JSON_LIST", help="Positional arguments for the constructor, e.g. '[10, 8]'.")
@click.option("--kwargs", metavar="JSON_OBJECT", help="Keyword arguments for the constructor.")
@click.option(
    "--input",
    "inputs",
    multiple=True,
    metavar="SHAPE[:DTYPE[:[LOW-]HIGH]]",
    help="One forward input tensor, e.g. 3x4 (normal floats), 2x10:int64:100 (integers in [0, 100)), "
    "2x10:int64:1-100 (in [1, 100)).",
)
@click.option(
    "--inputs",
    "inputs_fn",
    metavar="MODULE:FUNC",
    help="A function returning the forward arguments (a tuple or list of them; anything else is one "
    "argument). An argument may be a tensor, None, a number, a string, a list/tuple/named tuple/dict of "
    "these, a numpy array or scalar, a types.SimpleNamespace or a dataclass. NEW calls it after the seed "
    "and its inputs are carried to OLD; a function with a parameter is given the built model (def "
    "inputs(model): return x, model.init_hidden(3)) and each side calls its own with its own model.",
)
@click.option("--seed", type=int, default=None, help="Seed before construction and forward (default 0).")
@click.option(
    "--mode",
    type=click.Choice(["eval", "train", "both"]),
    default=None,
    help="Run forward in eval() (default), in train() (dropout on: both sides seeded alike, so their "
    "masks match), or both.",
)
@click.option(
    "--rtol", type=click.FloatRange(min=0), default=None, help="Relative tolerance (default 0: bit-identical)."
)
@click.option(
    "--atol", type=click.FloatRange(min=0), default=None, help="Absolute tolerance (default 0: bit-identical)."
)
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda", "all"]),
    default="all",
    show_default=True,
    help="cpu: skip the GPU check; cuda: require it; all: run it when a GPU is present.",
)
@click.option("--spec", "spec_file", type=click.Path(dir_okay=False), help="A TOML file of [[model]] entries.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Write the results as JSON here.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Models verified at once (each pair in its own processes).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=600,
    show_default=True,
    help="Seconds a side may take over one step (building the model, a forward, the GPU run) before it "
    "is stopped and reported as an error; 0: no limit.",
)
def verify(
    old, new, model, args, kwargs, inputs, inputs_fn, seed, mode, rtol, atol, device, spec_file, report_path, jobs, timeout
) -> None:
    """Prove that the migrated model (NEW) computes what the legacy one (OLD) did.

    Each side runs in its own subprocess; state_dicts, inputs, outputs, gradients, checkpoint
    loading and device portability are compared. Exit 0: equivalent; 1: not equivalent (or the new
    model fails a check); 3: the legacy model raises on this torch, and the new model alone passed
    every check it could get; 123: a side could not be set up or run (or ran past --timeout), or
    torchup verify failed internally (the report names the side and the step).
    """
    spec = _collect_spec(model, args, kwargs, inputs, inputs_fn, seed, mode, spec_file)
    old = old or spec.old
    new = new or spec.new or "."
    if old is None:
        raise click.UsageError("--old is required (a directory, or a git revision such as HEAD)")
    _require_torch()

    import dataclasses

    import torch

    from torchup.verify.equivalence import Tolerance, verify_model
    from torchup.verify.sides import RootError, _process_context, resolve_roots
    from torchup.verify.verdict import VERDICTS, ModelResult, SideError, VerifyReport, render_model

    if device == "cuda" and not torch.cuda.is_available():
        click.echo("--device cuda: no CUDA device is available on this machine", err=True)
        raise SystemExit(EXIT_ERROR)
    if seed is not None:
        spec = dataclasses.replace(spec, models=tuple(dataclasses.replace(m, seed=seed) for m in spec.models))
    if mode is not None:
        spec = dataclasses.replace(spec, models=tuple(dataclasses.replace(m, mode=mode) for m in spec.models))
    results = []
    try:
        with resolve_roots(old, new) as (old_root, new_root):

            def verify_one(model_spec):
                tolerance = Tolerance(
                    model_spec.rtol if rtol is None else rtol, model_spec.atol if atol is None else atol
                )
                return verify_model(model_spec, old_root, new_root, tolerance, device, timeout or None)

            # Threads only wait: each model's two sides are processes of their own. The fork
            # server starts once, here, not raced by the first models.
            _process_context(gpu=False)
            with ThreadPoolExecutor(max_workers=min(jobs, len(spec.models))) as pool:
                for result in pool.map(verify_one, spec.models):
                    click.echo(render_model(result), err=True)
                    results.append(result)
    except RootError as error:
        click.echo(f"torchup verify: {error}", err=True)
        results = [ModelResult(m.name, (), SideError("old", str(error), kind="setup")) for m in spec.models]
    report = VerifyReport(tuple(results))
    if report_path:
        _write_atomically(Path(report_path), report.dumps())
    counts = {verdict: sum(r.verdict == verdict for r in results) for verdict in VERDICTS}
    click.echo(
        ", ".join(f"{count} {verdict}" for verdict, count in counts.items() if count) or "nothing verified", err=True
    )
    raise SystemExit(report.exit_code)


@click.command("upgrade-checkpoint")
@click.argument("old_checkpoint", metavar="OLD.pt", type=click.Path(exists=True, dir_okay=False))
@click.argument("new_checkpoint", metavar="NEW.pt", type=click.Path(dir_okay=False))
@click.option(
    "--new", "new_root", required=True, type=click.Path(exists=True, file_okay=False), help="The migrated source root."
)
@click.option("--model", "model", required=True, metavar="MODULE:NAME", help="The migrated Module class or factory.")
@click.option("--args", metavar="JSON_LIST", help="Positional arguments for the constructor.")
@click.option("--kwargs", metavar="JSON_OBJECT", help="Keyword arguments for the constructor.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed before constructing the model.")
@click.option(
    "--unsafe-unpickle",
    is_flag=True,
    help="Load with weights_only=False: runs pickled code; only for checkpoints you trust.",
)
def upgrade_checkpoint(old_checkpoint, new_checkpoint, new_root, model, args, kwargs, seed, unsafe_unpickle) -> None:
    """Make a legacy checkpoint load strictly into the migrated model.

    Keys the migration added (persistent buffers, parameters) are filled from a freshly
    constructed new model; OLD.pt is never overwritten; NEW.pt is written atomically.
    """
    try:
        build_model_spec(
            model,
            args=_json_option(args, "--args", list),
            kwargs=_json_option(kwargs, "--kwargs", dict),
            inputs=["1"],
            where="command line",
        )
    except SpecError as error:
        raise click.UsageError(str(error)) from None
    _require_torch()
    from torchup.verify.checkpoint import CheckpointError, upgrade

    if unsafe_unpickle:
        click.echo(
            "warning: --unsafe-unpickle loads OLD.pt with weights_only=False, which executes any code pickled in it",
            err=True,
        )
    try:
        result = upgrade(
            Path(old_checkpoint),
            Path(new_checkpoint),
            Path(new_root),
            model,
            _json_option(args, "--args", list),
            _json_option(kwargs, "--kwargs", dict),
            seed,
            unsafe_unpickle,
        )
    except CheckpointError as error:
        click.echo(f"torchup upgrade-checkpoint: {error}", err=True)
        raise SystemExit(error.exit_code) from None
    for line in result.summary_lines():
        click.echo(line, err=True)
