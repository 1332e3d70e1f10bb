"""Bug-like mutations made by hand, as a reviewer makes them: does a test fail on each?

mutmut's mutants are mechanical (a flipped operator, a string made ``"XX...XX"``); a reviewer's
are the bugs a person writes: an off-by-one, a dropped guard, two arguments swapped, a wrong
default, a missing case. ``MUTATIONS`` lists such mutations, each as the file, an exact snippet of
its source, the snippet's replacement, why it is a bug, and the test files that cover the module.

For each mutation, one at a time, this copies the tree once into a temporary directory (its
``src/`` first on ``PYTHONPATH``, ``codemods/`` linked in as ``torchup.codemods``), replaces the
snippet, runs the mapped test files (``pytest -x``), and puts the file back. A mutation is
*killed* when pytest fails, *survived* when it passes. An entry whose snippet is no longer found
exactly once in its file is *stale* (its code was edited since it was written: update the entry)
and is left out of the rate. Before the mutations, the mapped test files run once on the clean
copy: a test that already fails would make every mutation look killed.

    python benchmarks/hand_mutations.py [--sweep first|second|...|all] [--package verify] [--only ID ...] [--list]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("verify", "engine", "codemods")
# What the temporary copy leaves out: at the top, the environment, mutmut's tree and build
# outputs (a test fixture may be named `mutants/`); anywhere, caches.
TOP_LEVEL_IGNORED = frozenset({".git", ".venv", "mutants", "build", "dist"})
CACHES = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis", ".torchup_cache", "*.egg-info")


def ignored(directory: str, names: List[str]) -> set:
    left_out = set(CACHES(directory, names))
    if Path(directory).resolve() == ROOT:
        left_out |= TOP_LEVEL_IGNORED & set(names)
    return left_out


@dataclass(frozen=True)
class Mutation:
    id: str
    package: str  # verify, engine or codemods
    path: str  # relative to the repository root
    original: str  # an exact snippet of the file, found exactly once
    replacement: str
    why: str  # the bug it is, in the user's terms
    tests: Tuple[str, ...]  # the test files that cover the module


V = "src/torchup/verify/"
E = "src/torchup/"
C = "codemods/"

MUTATIONS: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "compare-equal-nan", "verify", V + "compare.py",
        "equal_nan=True, check_device=False", "equal_nan=False, check_device=False",
        "NaN in the same place on both sides reported as a difference",
        ("tests/verify/test_compare.py",),
    ),
    Mutation(
        "compare-index-order", "verify", V + "compare.py",
        "return tuple(reversed(index))", "return tuple(index)",
        "the worst element's index given back to front for a 2-D output",
        ("tests/verify/test_compare.py",),
    ),
    Mutation(
        "compare-gradient-appears", "verify", V + "compare.py",
        "if (old_grad is None) != (new_grad is None):", "if old_grad is not None and new_grad is None:",
        "a gradient the new model has and the old had not (a parameter now trainable) passes",
        ("tests/verify/test_compare.py",),
    ),
    Mutation(
        "compare-gradient-error-one-side", "verify", V + "compare.py",
        'if old["error"] == new["error"]:', 'if old["error"]:',
        "backward failing on the old side only is 'not checked' instead of a failure",
        ("tests/verify/test_compare.py",),
    ),
    Mutation(
        "compare-cuda-exact", "verify", V + "compare.py",
        "reference[p], outputs[p]) for p in reference], None, None,",
        "reference[p], outputs[p]) for p in reference], 0.0, 0.0,",
        "GPU vs CPU compared bit for bit: every float model fails the GPU check",
        ("tests/verify/test_compare.py", "tests/verify/test_cuda_shim.py"),
    ),
    Mutation(
        "verdict-error-first", "verify", V + "verdict.py",
        "for verdict in (ERROR, NOT_EQUIVALENT, LEGACY_DOES_NOT_RUN):",
        "for verdict in (NOT_EQUIVALENT, ERROR, LEGACY_DOES_NOT_RUN):",
        "a run with an error and a difference exits 1 instead of 123",
        ("tests/verify/test_verdict.py",),
    ),
    Mutation(
        "verdict-json-tuples", "verify", V + "verdict.py",
        "if isinstance(value, (list, tuple)):", "if isinstance(value, list):",
        "an inf inside a tuple of a check's extra makes --report raise",
        ("tests/verify/test_verdict.py",),
    ),
    Mutation(
        "shim-to-device-alone", "verify", V + "cuda_shim.py",
        'if name in ("to", "type") and len(args) >= 2:', 'if name in ("to", "type") and len(args) > 2:',
        "off by one: x.to('cuda') with no other argument is not mapped to the CPU",
        ("tests/verify/test_cuda_shim.py",),
    ),
    Mutation(
        "leaks-cpu-index", "verify", V + "device_leaks.py",
        "    torch.ops.aten.index: (1,),\n", "",
        "gpu_tensor[cpu_indices] (legal on a GPU) reported as a device leak",
        ("tests/verify/test_device_leaks.py", "tests/verify/test_device_leak_lines.py"),
    ),
    Mutation(
        "spec-low-equals-high", "verify", V + "spec.py",
        "if low >= high:", "if low > high:",
        "--input 2x3:int64:5-5 accepted: torch.randint(5, 5) fails later in a worker",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "spec-half-alias", "verify", V + "spec.py",
        '"half": "float16",', '"half": "bfloat16",',
        "wrong key: --input 3x4:half builds bfloat16 inputs",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "inputs-low-ignored", "verify", V + "inputs.py",
        'low = item.get("low", 0)', "low = 0",
        "--input 2x10:int64:1-100 draws zeros (padding ids) again",
        ("tests/verify/test_inputs.py",),
    ),
    # -- the engine ----------------------------------------------------------------------------------
    Mutation(
        "source-encode-utf8", "engine", E + "source_file.py",
        "return text.encode(self.encoding)", 'return text.encode("utf-8")',
        "a latin-1 file (with its coding cookie) written back as UTF-8",
        ("tests/engine/test_writeback.py", "tests/engine/test_parsing.py"),
    ),
    Mutation(
        "writeback-mode-lost", "engine", E + "writeback.py",
        "            os.chmod(temporary, mode)\n", "            pass\n",
        "a rewritten file loses its permission bits (an executable script is 0600 after)",
        ("tests/engine/test_writeback.py", "tests/engine/test_writeback_temporary.py"),
    ),
    Mutation(
        "report-fix-exit-1", "engine", E + "report.py",
        "if self.write_back is WriteBack.CHECK and self.changed:", "if self.changed:",
        "`torchup fix` that rewrote files exits 1, as if changes were pending",
        ("tests/engine/test_report.py", "tests/cli/test_check_exit_code.py"),
    ),
    Mutation(
        "report-merge-min", "engine", E + "report.py",
        'max(document["exit_code"] for document in documents)', 'min(document["exit_code"] for document in documents)',
        "merged shards take the best exit code: a failed shard hides",
        ("tests/engine/test_report.py", "tests/engine/test_output_formats.py"),
    ),
    Mutation(
        "report-column-0", "engine", E + "report.py",
        "{record.line}:{record.column + 1}:", "{record.line}:{record.column}:",
        "off by one: path:line:col columns 0-based, editors jump one column left",
        ("tests/engine/test_report.py", "tests/engine/test_output_formats.py"),
    ),
    Mutation(
        "discovery-conda", "engine", E + "discovery.py",
        'return (directory / "pyvenv.cfg").is_file() or (directory / "conda-meta").is_dir()',
        'return (directory / "pyvenv.cfg").is_file()',
        "a missing case: a conda environment inside the tree is walked and rewritten",
        ("tests/engine/test_discovery.py",),
    ),
    Mutation(
        "discovery-hidden", "engine", E + "discovery.py",
        'if entry.name.startswith(".") or entry.name in SKIPPED_DIRS', "if entry.name in SKIPPED_DIRS",
        "a dropped guard: hidden directories (.git, .tox) are walked",
        ("tests/engine/test_discovery.py",),
    ),
    Mutation(
        "discovery-link-preferred", "engine", E + "discovery.py",
        "if real not in found or (found[real].is_symlink() and not candidate.is_symlink()):",
        "if real not in found:",
        "a file found through a symlink first is reported under the link, not its own path",
        ("tests/engine/test_discovery.py",),
    ),
    Mutation(
        "tensor-exprs-short", "engine", E + "analysis/tensor_exprs.py",
        '"ShortTensor": "short",', '"ShortTensor": "int",',
        "wrong key: torch.ShortTensor(...) rewritten to an int32 tensor",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_legacy_constructors.py", "tests/codemods/test_cuda_types.py"),
    ),
    Mutation(
        "writeback-readonly", "engine", E + "writeback.py",
        "if not mode & stat.S_IWUSR:", "if not mode & stat.S_IWUSR and False:",
        "a dropped guard: a read-only file is rewritten",
        ("tests/engine/test_writeback.py", "tests/engine/test_writeback_temporary.py"),
    ),
    # -- the codemods ----------------------------------------------------------------------------------
    Mutation(
        "softmax-3d-reshape", "codemods", C + "softmax_dim.py",
        "if dim is None and ndim is not None and ndim != 3:", "if dim is None and ndim is not None:",
        "a missing case: F.softmax(x.view(a, b, c)) gets dim=1, legacy took dim 0 for 3-D",
        ("tests/codemods/test_softmax_dim.py",),
    ),
    Mutation(
        "softmax-dim-none", "codemods", C + "softmax_dim.py",
        "if dim is not None and not _is_none(dim):", "if dim is not None:",
        "F.softmax(x, dim=None) (the implicit dim) no longer reported",
        ("tests/codemods/test_softmax_dim.py",),
    ),
    Mutation(
        "load-star-args", "codemods", C + "torch_load_weights_only.py",
        'arg.star == "**" or', "arg.star or",
        "torch.load(*args) taken as passing weights_only: not reported",
        ("tests/codemods/test_torch_load_weights_only.py",),
    ),
    Mutation(
        "loss-positional-off-by-one", "codemods", C + "loss_reduction.py",
        "elif arg.keyword is None and index > first_legacy:", "elif arg.keyword is None and index > first_legacy + 1:",
        "off by one: the positional argument right after a legacy flag is not named, and shifts",
        ("tests/codemods/test_loss_reduction.py",),
    ),
    Mutation(
        "loss-none-as-false", "codemods", C + "loss_reduction.py",
        "if size_average is False:", "if not size_average:",
        "size_average=None (torch's default: True) read as False: reduction='sum'",
        ("tests/codemods/test_loss_reduction.py",),
    ),
    Mutation(
        "division-floor", "codemods", C + "integer_division.py",
        'cst.SimpleString(\'"trunc"\')', 'cst.SimpleString(\'"floor"\')',
        "wrong constant: integer division rounds toward -inf, 0.3 truncated (negative quotients differ)",
        ("tests/codemods/test_integer_division.py",),
    ),
    Mutation(
        "cuda-types-cpu-first", "codemods", C + "cuda_types.py",
        "body, orelse = names if cuda_first else names[::-1]", "body, orelse = names",
        "`torch.FloatTensor if cpu else torch.cuda.FloatTensor` gets the devices swapped",
        ("tests/codemods/test_cuda_types.py",),
    ),
    Mutation(
        "require-grad-make-subclass", "codemods", C + "require_grad_typo.py",
        ' or qualified.rsplit(".", 1)[-1] in SPELLED_SO', "",
        "Tensor._make_subclass(..., require_grad=) renamed: TypeError there",
        ("tests/codemods/test_require_grad_typo.py",),
    ),
    Mutation(
        "require-grad-any-library", "codemods", C + "require_grad_typo.py",
        'if qualified is None or not qualified.startswith("torch.") or', "if qualified is None or",
        "another library's require_grad= keyword renamed",
        ("tests/codemods/test_require_grad_typo.py",),
    ),
    Mutation(
        "data-index-dot", "codemods", C + "data_index.py",
        'return name == "dot" or not dims', "return not dims",
        "a missing case: a.dot(b).data[0] is not known to be one number",
        ("tests/codemods/test_data_index.py",),
    ),
    Mutation(
        "variable-flag-dropped", "codemods", C + "variable.py",
        "flag_args = () if is_true(flag) else (flag,)", "flag_args = ()",
        "Variable(x, requires_grad=flag) -> x.detach().requires_grad_(): the flag is lost",
        ("tests/codemods/test_variable.py",),
    ),
    Mutation(
        "variable-positional-names", "codemods", C + "variable.py",
        'names = ("data", "requires_grad", "volatile")', 'names = ("data", "volatile", "requires_grad")',
        "two arguments swapped: Variable(x, True) read as volatile",
        ("tests/codemods/test_variable.py",),
    ),
)


# The second sweep: written after the first one's survivors had their tests, in other modules,
# without reading their tests first (the first sweep's figure was taken the same way).
SECOND_SWEEP: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "checkpoint-unpickles-by-default", "verify", V + "checkpoint.py",
        "weights_only=not unsafe_unpickle", "weights_only=unsafe_unpickle",
        "condition inverted: upgrade-checkpoint unpickles arbitrary objects unless asked not to",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "checkpoint-same-file", "verify", V + "checkpoint.py",
        "if new_path.resolve() == old_path.resolve():", "if new_path == old_path:",
        "./old.pt and old.pt not seen as one file: the legacy checkpoint is overwritten",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "checkpoint-container-dropped", "verify", V + "checkpoint.py",
        "result = dict(checkpoint)", "result = {}",
        "the checkpoint's other entries (optimizer, epoch) lost on upgrade",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "checkpoint-worst-candidate", "verify", V + "checkpoint.py",
        "best = max(candidates, key=", "best = min(candidates, key=",
        "of two state_dicts under unknown keys, the one sharing fewest keys with the model is upgraded",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "nested-namedtuple-paths", "verify", V + "nested.py",
        'elif isinstance(value, tuple) and hasattr(value, "_fields"):\n        for key', "elif False:\n        for key",
        "a missing case: a named tuple's outputs named output[0] instead of output.logits",
        ("tests/verify/test_nested.py", "tests/verify/test_compare.py"),
    ),
    Mutation(
        "nested-dict-not-moved", "verify", V + "nested.py",
        "return type(value)((key, to_device(item, device)) for key, item in value.items())", "return value",
        "a dict of input tensors is not moved to the meta device: false device leaks",
        ("tests/verify/test_nested.py", "tests/verify/test_device_leaks.py"),
    ),
    Mutation(
        "worker-eval-inverted", "verify", V + "worker.py",
        'self.model.train(mode == "train")\n        for tensor', 'self.model.train(mode == "eval")\n        for tensor',
        "condition inverted: eval mode runs with dropout on, train mode without",
        ("tests/verify/test_worker.py",),
    ),
    Mutation(
        "worker-python-random-unseeded", "verify", V + "worker.py",
        "    random.seed(seed)\n", "",
        "a dropped line: a model drawing from Python's random differs between the sides",
        ("tests/verify/test_worker.py",),
    ),
    Mutation(
        "worker-attribute-prefix", "verify", V + "worker.py",
        'found[f"{prefix}.{key}" if prefix else key] = value.detach().clone()', "found[key] = value.detach().clone()",
        "wrong key: submodules' plain tensor attributes collide under their bare names",
        ("tests/verify/test_worker.py",),
    ),
    Mutation(
        "equivalence-both-is-eval", "verify", V + "equivalence.py",
        'return ("eval", "train") if spec.mode == "both" else (spec.mode,)', 'return ("eval",) if spec.mode == "both" else (spec.mode,)',
        "a missing case: mode = \"both\" checks eval mode only",
        ("tests/verify/test_verify.py", "tests/verify/test_spec.py"),
    ),
    Mutation(
        "equivalence-setup-as-legacy", "verify", V + "equivalence.py",
        'return error.kind == "user" and (', "return (",
        "a dropped guard: a legacy side that does not resolve (setup) reads as 'legacy does not run' (exit 3, not 123)",
        ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py"),
    ),
    # -- the engine ----------------------------------------------------------------------------------
    Mutation(
        "noqa-multiline-anchor", "engine", E + "suppressions.py",
        "if anchor in own:", "if anchor in own and False:",
        "a dropped case: a multi-line string's # noqa no longer covers its other lines",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "noqa-file-directive-anywhere", "engine", E + "suppressions.py",
        "if whole is not None and alone:", "if whole is not None:",
        "a dropped guard: `x = 1  # torchup: noqa` at a line's end silences the whole file",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "noqa-lowercase-codes", "engine", E + "suppressions.py",
        "_CODE.findall(listed.upper())", "_CODE.findall(listed)",
        "`# noqa: tu201` (lower case, as flake8 allows) no longer suppresses",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "noqa-bare-without-opt-in", "engine", E + "suppressions.py",
        "return code in directive.codes or (directive.bare and self.bare_noqa)", "return code in directive.codes or directive.bare",
        "a flake8 bare `# noqa` silences torchup without bare-noqa = true",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "codegen-newline", "engine", E + "codegen.py",
        "default_newline=module.default_newline, indent_tokens", 'default_newline="\\n", indent_tokens',
        # (first written at StartPositions' state: equivalent there, positions count "\r\n" as one break)
        "wrong default: code generated for a CRLF file gets LF lines",
        ("tests/engine/test_codegen.py", "tests/engine/test_writeback.py", "tests/engine/test_incremental_parse.py"),
    ),
    Mutation(
        "cache-format-key", "engine", E + "cache.py",
        '        "format": format,\n', "",
        "a missing key: `fix` and `fix --format` share a cache and replay each other's results",
        ("tests/engine/test_cache.py",),
    ),
    Mutation(
        "cache-module-classes", "engine", E + "cache.py",
        "if entry is None or entry.module_classes != tuple(sorted(module_classes)):", "if entry is None:",
        "a dropped guard: a file replayed after the nn.Module classes it uses changed in another file",
        ("tests/engine/test_cache.py",),
    ),
    Mutation(
        "config-jobs-zero", "engine", E + "config.py",
        "or not isinstance(value, int) or value < 0:", "or not isinstance(value, int) or value < 1:",
        "off by one: jobs = 0 (all cores, the default) refused in pyproject.toml",
        ("tests/engine/test_config.py",),
    ),
    Mutation(
        "cli-kilobyte", "engine", E + "cli.py",
        '"K": 2**10', '"K": 1000',
        "wrong constant: --max-file-size 500K means 500,000 bytes",
        ("tests/cli/test_fix.py", "tests/cli/test_scale.py", "tests/cli/test_hostile_tree.py"),
    ),
    Mutation(
        "add-noqa-failure-exit-0", "engine", E + "cli.py",
        "failed = bool(report.error_lines())", "failed = False",
        "--add-noqa exits 0 when a file could not be parsed",
        ("tests/cli/test_fix.py", "tests/cli/test_check_exit_code.py", "tests/engine/test_suppressions.py"),
    ),
    # -- the codemods ----------------------------------------------------------------------------------
    Mutation(
        "default-type-cuda-safe", "codemods", C + "default_tensor_type.py",
        "safety=Safety.UNSAFE if cuda else Safety.SAFE", "safety=Safety.SAFE",
        "set_default_device('cuda') applied without --unsafe-fixes",
        ("tests/codemods/test_default_tensor_type.py",),
    ),
    Mutation(
        "default-type-half", "codemods", C + "default_tensor_type.py",
        '"HalfTensor": "float16",', '"HalfTensor": "bfloat16",',
        "wrong key: set_default_tensor_type(torch.HalfTensor) -> set_default_dtype(torch.bfloat16)",
        ("tests/codemods/test_default_tensor_type.py",),
    ),
    Mutation(
        "alpha-addcdiv-missing", "codemods", C + "alpha_overloads.py",
        'for name in ("addcmul", "addcdiv")', 'for name in ("addcmul",)',
        "a missing case: addcdiv_(value, a, b) left in its removed overload",
        ("tests/codemods/test_alpha_overloads.py",),
    ),
    Mutation(
        "buffers-in-place-update", "codemods", C + "buffers.py",
        'mutated = reassigned or any(method != "__init__" for method, _ in uses.mutations)', "mutated = reassigned",
        "a missing case: a tensor updated in place in forward (a running count) made a non-persistent buffer",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "buffers-class-attribute", "codemods", C + "buffers.py",
        "if name in state.class_attributes:", "if False:",
        "a dropped guard: register_buffer of a name the class body defines (raises KeyError)",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "volatile-with-requires-grad", "codemods", C + "volatile.py",
        "if args.requires_grad is not None and not is_false(args.requires_grad):\n            self.report(",
        "if False:\n            self.report(",
        "a dropped guard: Variable(x, volatile=True, requires_grad=True) rewritten without a word",
        ("tests/codemods/test_volatile.py",),
    ),
    Mutation(
        "volatile-flag-as-false", "codemods", C + "volatile.py",
        "if is_false(args.volatile):", "if not is_true(args.volatile):",
        "condition inverted: volatile=flag dropped as if it were False",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py"),
    ),
    Mutation(
        "uint8-cuda-string", "codemods", C + "uint8_mask.py",
        '                    "torch.cuda.ByteTensor",\n                ):', "                ):",
        "a missing case: mask.type('torch.cuda.ByteTensor') not known to be a uint8 mask",
        ("tests/codemods/test_uint8_mask.py",),
    ),
    Mutation(
        "uint8-always-safe", "codemods", C + "uint8_mask.py",
        "safety=Safety.UNSAFE if raises else Safety.SAFE)", "safety=Safety.SAFE)",
        "a masked_fill that raised on 0.4 now runs: applied as safe",
        ("tests/codemods/test_uint8_mask.py",),
    ),
)


# The third sweep: the modules neither sweep had touched, written the same way.
THIRD_SWEEP: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "legacy-bicubic", "verify", V + "legacy_defaults.py",
        '_LINEAR_MODES = ("linear", "bilinear", "bicubic", "trilinear")', '_LINEAR_MODES = ("linear", "bilinear", "trilinear")',
        "a missing case: the old side's F.upsample(mode='bicubic') no longer aligns corners as 0.3 did",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    Mutation(
        "legacy-grid-explicit-ignored", "verify", V + "legacy_defaults.py",
        "return grid_sample(input, grid, mode, padding_mode, True if align_corners is None else align_corners)",
        "return grid_sample(input, grid, mode, padding_mode, True)",
        "an explicit grid_sample(..., align_corners=False) on the old side overridden",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    Mutation(
        "legacy-volatile-setter", "verify", V + "legacy_defaults.py",
        "if not value:  # 0.3's", "if value:  # 0.3's",
        "condition inverted: x.volatile = False keeps x volatile on the old side",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    Mutation(
        "inputs-requires-grad-lost", "verify", V + "inputs.py",
        '.requires_grad_(tree["requires_grad"])', ".requires_grad_(False)",
        "an input that requires grad arrives without it: gradients to the input are never compared",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    Mutation(
        "inputs-default-parameter", "verify", V + "inputs.py",
        "and p.default is p.empty for p in parameters", "for p in parameters",
        "def inputs(batch=4): called with the model as its batch size",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    # -- the engine ----------------------------------------------------------------------------------
    Mutation(
        "runner-diff-writes", "engine", E + "runner.py",
        "    if job.write_back is WriteBack.YES:", "    if job.write_back is not WriteBack.CHECK:",
        "`fix --diff` writes the files it only had to show",
        ("tests/cli/test_fix.py", "tests/engine/test_writeback.py"),
    ),
    Mutation(
        "runner-size-limit-inclusive", "engine", E + "runner.py",
        "len(data) > job.max_file_size", "len(data) >= job.max_file_size",
        "off by one: a file of exactly --max-file-size bytes is skipped",
        ("tests/cli/test_hostile_tree.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "runner-shard-off-by-one", "engine", E + "runner.py",
        "if part(path) == index - 1)", "if part(path) == index)",
        "off by one: --shard K/N takes part K, so part 0's files are in no shard",
        ("tests/cli/test_scale.py",),
    ),
    Mutation(
        "imports-dotted-bound-name", "engine", E + "import_removal.py",
        'return alias.evaluated_name.split(".", 1)[0]', "return alias.evaluated_name",
        "wrong key: `import torch.autograd` bound as torch.autograd, so removed while `torch` is used",
        ("tests/engine/test_import_removal.py",),
    ),
    Mutation(
        "imports-dunder-all", "engine", E + "import_removal.py",
        "if self._in_all:", "if False:",
        "a dropped case: an import named in __all__ removed (its re-export lost)",
        ("tests/engine/test_import_removal.py",),
    ),
    Mutation(
        "notebook-help-line", "engine", E + "notebook.py",
        'if stripped.startswith(("%", "!", "?")):', 'if stripped.startswith(("%", "!")):',
        "a missing case: a `?torch.load` help line is not masked and the cell fails to parse",
        ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    Mutation(
        "notebook-cell-magic", "engine", E + "notebook.py",
        ' or cell_text.lstrip().startswith("%%")', "",
        "a dropped case: a %%time cell is parsed as Python",
        ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    Mutation(
        "notebook-language-case", "engine", E + "notebook.py",
        'language.lower() in ("python", "python3", "ipython")', 'language in ("python", "python3", "ipython")',
        "a notebook whose kernel language is 'Python' is skipped",
        ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    Mutation(
        "github-escape-order", "engine", E + "output_formats.py",
        'return text.replace("%", "%25").replace("\\r", "%0D").replace("\\n", "%0A")',
        'return text.replace("\\r", "%0D").replace("\\n", "%0A").replace("%", "%25")',
        "two steps swapped: a multi-line annotation's newlines double-encoded (%250A)",
        ("tests/engine/test_output_formats.py",),
    ),
    Mutation(
        "github-notebook-line", "engine", E + "output_formats.py",
        "if record.line and not notebook_cell(record):", "if record.line:",
        "a notebook cell's line annotated as a line of the .ipynb file",
        ("tests/engine/test_output_formats.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    # -- the codemods ----------------------------------------------------------------------------------
    Mutation(
        "type-check-not-in", "codemods", C + "legacy_type_check.py",
        "negated = isinstance(operator, cst.NotIn)", "negated = False",
        "type(x) not in (T1, T2) -> isinstance(x, (T1, T2)): the test's sign lost",
        ("tests/codemods/test_legacy_type_check.py",),
    ),
    Mutation(
        "type-check-rebound-type", "codemods", C + "legacy_type_check.py",
        '            and not self.table.is_rebound("type")\n', "",
        "a dropped guard: a file's own `type` function taken for the builtin",
        ("tests/codemods/test_legacy_type_check.py",),
    ),
    Mutation(
        "type-check-is-not", "codemods", C + "legacy_type_check.py",
        "elif isinstance(operator, (cst.NotEqual, cst.IsNot)):", "elif isinstance(operator, cst.NotEqual):",
        "a missing case: type(x) is not T left always True, silently",
        ("tests/codemods/test_legacy_type_check.py",),
    ),
    Mutation(
        "renamed-clip-grad-norm", "codemods", C + "renamed_functions.py",
        '    "torch.nn.utils.clip_grad_norm": "torch.nn.utils.clip_grad_norm_",\n', "",
        "a missing entry: torch.nn.utils.clip_grad_norm (removed) left in place",
        ("tests/codemods/test_renamed_functions.py",),
    ),
    Mutation(
        "embedding-three-arguments", "codemods", C + "embedding_backend.py",
        "if len(args) >= 3:", "if len(args) > 3:",
        "off by one: _backend.Embedding.apply(x, w, -1) -> F.embedding(x, w, -1): pads the last row",
        ("tests/codemods/test_embedding_backend.py",),
    ),
)


# The fourth sweep: the verifier's command line, the codemod base class, add-noqa, TU202 & co.
FOURTH_SWEEP: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "command-cli-rtol-zero", "verify", V + "command.py",
        "model_spec.rtol if rtol is None else rtol", "rtol or model_spec.rtol",
        "--rtol 0 on the command line loses to a spec file's rtol",
        ("tests/verify/test_verify.py", "tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "command-seed-zero", "verify", V + "command.py",
        "    if seed is not None:\n        spec = dataclasses.replace(spec, models=tuple(dataclasses.replace(m, seed=seed)",
        "    if seed:\n        spec = dataclasses.replace(spec, models=tuple(dataclasses.replace(m, seed=seed)",
        "--seed 0 on the command line loses to a spec file's seed",
        ("tests/verify/test_verify.py", "tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "command-cuda-unavailable", "verify", V + "command.py",
        'if device == "cuda" and not torch.cuda.is_available():', 'if device == "cuda" and False:',
        "a dropped guard: --device cuda without a GPU exits 0 with the GPU check 'not checked'",
        ("tests/verify/test_verify.py", "tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "verdict-informational-new-leaks", "verify", V + "verdict.py",
        'INFORMATIONAL_CHECKS = frozenset({"old_device_leaks"})', 'INFORMATIONAL_CHECKS = frozenset({"old_device_leaks", "device_portability"})',
        "a wrong set: the NEW model's device leaks no longer make it not equivalent",
        ("tests/verify/test_verdict.py", "tests/verify/test_compare.py"),
    ),
    Mutation(
        "spec-negative-tolerance", "verify", V + "spec.py",
        "    if value < 0:\n", "    if value < 0 and False:\n",
        "a dropped guard: rtol = -1 accepted (every comparison then fails, or raises in assert_close)",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "spec-duplicate-names", "verify", V + "spec.py",
        "if names.count(name) > 1})", "if names.count(name) > 2})",
        "off by one: two model entries of one name accepted, their reports indistinguishable",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    # -- the engine ----------------------------------------------------------------------------------
    Mutation(
        "codemod-unsafe-not-fixable", "engine", E + "codemod.py",
        '(unsafe fix: use --unsafe-fixes)", fix_available=True)', '(unsafe fix: use --unsafe-fixes)", fix_available=False)',
        "a declined unsafe edit reported as a finding with no fix available",
        ("tests/engine/test_pipeline.py", "tests/engine/test_report.py", "tests/engine/test_output_formats.py"),
    ),
    Mutation(
        "codemod-noqa-edit-applied", "engine", E + "codemod.py",
        "self.suppressed.append(Edit(self.CODE, *where, message, safety))\n            return original if keep is None else keep",
        "self.suppressed.append(Edit(self.CODE, *where, message, safety))\n            return updated",
        "an edit under its # noqa is applied anyway (and not recorded)",
        ("tests/engine/test_suppressions.py", "tests/engine/test_pipeline.py"),
    ),
    Mutation(
        "add-noqa-unused-code", "engine", E + "add_noqa.py",
        "if record.line <= 0 or record.code == UNUSED_NOQA_CODE:", "if record.line <= 0:",
        "a dropped case: --add-noqa writes `# noqa: TU900` (the unused-noqa report's own code)",
        ("tests/engine/test_suppressions.py",),
    ),
    Mutation(
        "add-noqa-line-zero", "engine", E + "add_noqa.py",
        "if record.line <= 0 or", "if record.line < 0 or",
        "off by one: a record with no line (0) puts its # noqa on the file's last line",
        ("tests/engine/test_suppressions.py",),
    ),
    Mutation(
        "report-findings-hidden", "engine", E + "report.py",
        "if include_edits or isinstance(record, Finding):", "if include_edits:",
        "a dropped case: `torchup fix` no longer lists the findings a person must look at",
        ("tests/engine/test_report.py", "tests/cli/test_fix.py", "tests/cli/test_review_and_output.py"),
    ),
    Mutation(
        "writeback-leftover-glob", "engine", E + "writeback.py",
        'f".{glob.escape(target.name)}.*{TEMPORARY_SUFFIX}"', 'f".{target.name}.*{TEMPORARY_SUFFIX}"',
        "leftovers of a file named like a glob (`model[1].py`) are never removed",
        ("tests/engine/test_writeback.py", "tests/engine/test_writeback_temporary.py", "tests/cli/test_interrupted_run.py"),
    ),
    # -- the codemods ----------------------------------------------------------------------------------
    Mutation(
        "parameters-reassigned-elsewhere", "codemods", C + "parameters.py",
        "again = [*rest, *state.outside_init(name)]", "again = list(rest)",
        "a dropped case: an attribute reassigned in another method made a Parameter (assigning a tensor then raises)",
        ("tests/codemods/test_parameters.py",),
    ),
    Mutation(
        # Was `parameters.py`'s `_leaf` test of `requires_grad_(True)`: since `requires_grad_(False)` is
        # no request for a gradient at all (TU202's false finding, fixed), the guard is here.
        "parameters-requires-grad-false", "codemods", C + "buffers.py",
        "if flag is None or not is_false(flag.value):", "if True:",
        "t.requires_grad_(False) taken for a request for a gradient (reported by TU202, not a TU201 constant)",
        ("tests/codemods/test_parameters.py", "tests/codemods/test_buffers.py"),
    ),
    Mutation(
        "loss-nll-positions", "codemods", C + "loss_reduction.py",
        '"NLLLoss": ("weight", "size_average", "ignore_index", "reduce", "reduction"),',
        '"NLLLoss": ("weight", "size_average", "reduce", "ignore_index", "reduction"),',
        "two names swapped: nn.NLLLoss(w, True, -100, False) reads -100 as reduce",
        ("tests/codemods/test_loss_reduction.py",),
    ),
    Mutation(
        "softmax-softmin-missing", "codemods", C + "softmax_dim.py",
        'for name in ("softmax", "log_softmax", "softmin")}', 'for name in ("softmax", "log_softmax")}',
        "a missing case: F.softmin(x) without dim not reported",
        ("tests/codemods/test_softmax_dim.py",),
    ),
    Mutation(
        "data-index-mean-missing", "codemods", C + "data_index.py",
        '{"sum", "mean", "prod",', '{"sum", "prod",',
        "a missing case: x.mean().data[0] not known to be one number",
        ("tests/codemods/test_data_index.py",),
    ),
    Mutation(
        "cpu-sum-subtract", "codemods", C + "cpu_sum_counter.py",
        "isinstance(node.operator, cst.AddAssign)", "isinstance(node.operator, cst.SubtractAssign)",
        "wrong operator: `correct += pred.eq(y).cpu().sum()` no longer reported",
        ("tests/codemods/test_cpu_sum_counter.py",),
    ),
)


# The sixth sweep: the codemods and the analysis they share, in the modules no sweep had touched
# (or one mutation at most), written the same way; each confirmed on a probe file with `torchup fix --diff`.
SIXTH_SWEEP: Tuple[Mutation, ...] = (
    # -- the codemods ----------------------------------------------------------------------------------
    Mutation(
        "module-names-empty-name", "codemods", C + "module_names.py",
        "if _empty(first.value):",
        "if False:",
        "a dropped guard: register_buffer('', t) (KeyError since 0.4) no longer reported",
        ("tests/codemods/test_module_names.py",),
    ),
    Mutation(
        "module-names-percent-field", "codemods", C + "module_names.py",
        '        if _dot_in_field(node.left, r"%[^a-zA-Z%]*\\."):\n            return None\n        left = _dotless(node.left)',
        "        left = _dotless(node.left)",
        "a dropped guard: add_module('scale%.1f' % s, m) rewritten to 'scale%_1f' (a broken format)",
        ("tests/codemods/test_module_names.py",),
    ),
    Mutation(
        "stride-pack-lengths-position", "codemods", C + "negative_stride_lengths.py",
        '"torch.nn.utils.rnn.pack_padded_sequence": (1, "lengths"),',
        '"torch.nn.utils.rnn.pack_padded_sequence": (0, "lengths"),',
        "wrong position: pack_padded_sequence(x, np.sort(lens)[::-1]) lengths not given .copy()",
        ("tests/codemods/test_negative_stride_lengths.py",),
    ),
    Mutation(
        "stride-no-numpy-in-file", "codemods", C + "negative_stride_lengths.py",
        "        if not (self.table.star_imports or any(",
        "        if False and not (self.table.star_imports or any(",
        "a dropped guard: image_size[::-1] in a file without numpy reported as a numpy array",
        ("tests/codemods/test_negative_stride_lengths.py",),
    ),
    Mutation(
        "sparse-cuda-device-lost", "codemods", C + "sparse_types.py",
        '_PREFIXES = {"torch.sparse.": False, "torch.cuda.sparse.": True}',
        '_PREFIXES = {"torch.sparse.": False, "torch.cuda.sparse.": False}',
        "wrong value: torch.cuda.sparse.FloatTensor(i, v, size) -> sparse_coo_tensor without device='cuda'",
        ("tests/codemods/test_sparse_types.py",),
    ),
    Mutation(
        "sparse-size-call-with-argument", "codemods", C + "sparse_types.py",
        'and size.func.attr.value == "size" and not size.args)',
        'and size.func.attr.value == "size")',
        "a dropped guard: torch.sparse.FloatTensor(a, b, x.size(0)) (maybe a 3-D size) rewritten as (indices, values, size)",
        ("tests/codemods/test_sparse_types.py",),
    ),
    Mutation(
        "removed-qr-one-argument", "codemods", C + "removed_api.py",
        'if positional > edit.get("positional", positional):',
        'if positional >= edit.get("positional", positional):',
        "off by one: torch.qr(a) (one argument) reported instead of -> torch.linalg.qr(a)",
        ("tests/codemods/test_removed_api.py",),
    ),
    Mutation(
        "removed-method-unknown-receiver", "codemods", C + "removed_api.py",
        "        if edit is None or not known_tensor:\n",
        "        if edit is None:\n",
        "a dropped guard: x.masked_copy_(m, y) on a receiver not known to be a tensor edited",
        ("tests/codemods/test_removed_api.py",),
    ),
    Mutation(
        "autograd-function-inplace-base", "codemods", C + "legacy_autograd_function.py",
        '    "torch.autograd.function.InplaceFunction",\n',
        "",
        "a missing case: an InplaceFunction subclass with a non-static forward not reported",
        ("tests/codemods/test_legacy_autograd_function.py",),
    ),
    Mutation(
        "autograd-function-static-reported", "codemods", C + "legacy_autograd_function.py",
        "                and not _is_static(statement)\n",
        "",
        "a dropped guard: a new-style Function (@staticmethod forward) reported as old-style",
        ("tests/codemods/test_legacy_autograd_function.py",),
    ),
    Mutation(
        "buffers-before-super-init", "codemods", C + "buffers.py",
        'if state.super_init_index is None or first.statement_index < state.super_init_index:\n            return self._decline(first, name, "it is assigned before',
        'if state.super_init_index is None:\n            return self._decline(first, name, "it is assigned before',
        "a dropped guard: register_buffer written before super().__init__() (raises AttributeError)",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "buffers-if-else-dropped", "codemods", C + "buffers.py",
        "if not body.body and updated_node.orelse is None:",
        "if not body.body:",
        "a dropped guard: `if gpu: self.x = self.x.cuda() else: ...` removed with its else branch",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "buffers-conditional-two-values", "codemods", C + "buffers.py",
        "if len(stripped) != 1 or not state.is_tensor(second):",
        "if not state.is_tensor(second):",
        "a dropped guard: `if gpu: self.x = A.cuda() else: self.x = B` collapsed to A",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "buffers-data-in-place-update", "codemods", C + "buffers.py",
        '        elif isinstance(node, cst.Attribute) and node.attr.value == "data":\n            node = node.value\n        else:\n            return None',
        "        else:\n            return None",
        "a missing case: self.count.data.add_(1) in forward not seen as an update: a non-persistent buffer",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "cuda-constants-random-on-device", "codemods", C + "cuda_constants.py",
        'if factory in DETERMINISTIC_FACTORIES and keyword(target, "device") is None:',
        'if factory is not None and keyword(target, "device") is None:',
        "wrong set: torch.randn(n).cuda() -> randn(n, device=x.device) (draws from the CUDA generator: other values)",
        ("tests/codemods/test_cuda_constants.py",),
    ),
    Mutation(
        "cuda-constants-parameter-position", "codemods", C + "cuda_constants.py",
        'position = 0 if func == "torch.nn.Parameter" else 1',
        "position = 1",
        "wrong position: nn.Parameter(torch.zeros(3).cuda()) keeps its .cuda()",
        ("tests/codemods/test_cuda_constants.py",),
    ),
    Mutation(
        "cuda-types-isinstance-parentheses", "codemods", C + "cuda_types.py",
        "if id(original) not in self.bare_conditions:",
        "if False:",
        "a dropped case: not isinstance(x, torch.cuda.FloatTensor) -> `not x.is_cuda and ...` (precedence)",
        ("tests/codemods/test_cuda_types.py",),
    ),
    Mutation(
        "cuda-types-twins-differ", "codemods", C + "cuda_types.py",
        "        if canonical[0] != canonical[1]:\n            return None\n",
        "",
        "a dropped guard: `torch.cuda.FloatTensor(n, 3) if c else torch.FloatTensor(n, 4)` collapsed to the first",
        ("tests/codemods/test_cuda_types.py",),
    ),
    Mutation(
        "cuda-types-isinstance-alias", "codemods", C + "cuda_types.py",
        "legacy = self._cuda_type(kind, aliases=False)  # an alias",
        "legacy = self._cuda_type(kind)  # an alias",
        "wrong default: isinstance(x, FloatTensor) with a CPU-or-CUDA alias rewritten as a CUDA test",
        ("tests/codemods/test_cuda_types.py",),
    ),
    Mutation(
        "constructors-typed-shape-dtype", "codemods", C + "legacy_constructors.py",
        '        if dtype is not None:\n            return f"torch.{dtype}"\n        if infers_from is None or',
        '        if infers_from is None:\n            return None\n        if dtype is not None:\n            return f"torch.{dtype}"\n        if infers_from is None or',
        "two steps swapped: torch.LongTensor(2, 3) -> torch.empty(2, 3) (float, the dtype lost)",
        ("tests/codemods/test_legacy_constructors.py",),
    ),
    Mutation(
        "constructors-shape-slice", "codemods", C + "legacy_constructors.py",
        "            and isinstance(node.slice[0].slice, cst.Index)\n",
        "",
        "a dropped guard: torch.FloatTensor(x.shape[1:]) (a tuple for numpy) read as a shape",
        ("tests/codemods/test_legacy_constructors.py",),
    ),
    Mutation(
        "constructors-size-parameter-alone", "codemods", C + "legacy_constructors.py",
        "if len(call.args) >= 2 and not any(arg.keyword is not None or arg.star for arg in call.args):",
        "if len(call.args) >= 1 and not any(arg.keyword is not None or arg.star for arg in call.args):",
        "off by one: a parameter passed alone (torch.FloatTensor(values)) taken for a size",
        ("tests/codemods/test_legacy_constructors.py",),
    ),
    Mutation(
        "constructors-unplaced-safe", "codemods", C + "legacy_constructors.py",
        "        if original_node in self.placed:\n",
        "        if True:\n",
        "a dropped condition: every legacy constructor rewrite applied as safe (meta-device contexts change)",
        ("tests/codemods/test_legacy_constructors.py",),
    ),
    Mutation(
        "script-device-cuda-true-hard-coded", "codemods", C + "script_device.py",
        '(isinstance(small.value, cst.Name) and small.value.value == "True")\n            or (',
        "(",
        "a missing case: `cuda = True` not seen as hard-coded: the device edit applied as safe",
        ("tests/codemods/test_script_device.py",),
    ),
    Mutation(
        "script-device-parameter-named-device", "codemods", C + "script_device.py",
        '        def visit_Param(self, node: cst.Param) -> None:\n            if node.name.value == "device":\n                found.append(node)\n',
        "",
        "a missing case: a parameter named `device` not seen: a module-level `device` shadows nothing, it is shadowed",
        ("tests/codemods/test_script_device.py",),
    ),
    Mutation(
        "script-device-numbered-two-gpus", "codemods", C + "script_device.py",
        "    if len(numbers) != 1:\n        return None\n",
        "    if not numbers:\n        return None\n",
        "a dropped guard: .cuda(ids[0]) and .cuda(ids[1]) under one guard made one device",
        ("tests/codemods/test_script_device.py",),
    ),
    Mutation(
        "volatile-flag-sign", "codemods", C + "volatile.py",
        "args = [] if region.flag is None else [cst.Arg(_negated(region.flag.deep_clone()))]",
        "args = [] if region.flag is None else [cst.Arg(region.flag.deep_clone())]",
        "a sign lost: volatile=flag -> torch.set_grad_enabled(flag) instead of (not flag)",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "volatile-self-flag-inherited", "codemods", C + "volatile.py",
        'if m.matches(args.volatile, m.Attribute(attr=m.Name("volatile"))) and not m.matches(\n            args.volatile.value, m.Name("self")  # type: ignore[union-attr]\n        ):',
        'if m.matches(args.volatile, m.Attribute(attr=m.Name("volatile"))):',
        "a dropped guard: volatile=self.volatile dropped as if inherited from an input",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "volatile-clear-comment-safe", "codemods", C + "volatile.py",
        "safety = Safety.UNSAFE if comments else Safety.SAFE",
        "safety = Safety.SAFE",
        "wrong safety: `x.volatile = False  # comment` deleted with its comment without --unsafe-fixes",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "variable-comment-count-off-by-one", "codemods", C + "variable.py",
        "if comment_count(call) > kept:",
        "if comment_count(call) >= kept:",
        "off by one: every Variable(x) unwrap (no comment inside) marked unsafe",
        ("tests/codemods/test_variable.py",),
    ),
    Mutation(
        "variable-self-assignment-comment", "codemods", C + "variable.py",
        "        and line.trailing_whitespace.comment is None\n",
        "",
        "a dropped guard: `x = Variable(x)  # comment` deleted with its comment",
        ("tests/codemods/test_variable.py",),
    ),
    Mutation(
        "parameters-before-super-init", "codemods", C + "parameters.py",
        'if state.super_init_index is None or first.statement_index < state.super_init_index:\n            return self.decline(first, why + "it is assigned before',
        'if state.super_init_index is None:\n            return self.decline(first, why + "it is assigned before',
        "a dropped guard: nn.Parameter assigned before super().__init__() (raises AttributeError)",
        ("tests/codemods/test_parameters.py",),
    ),
    Mutation(
        "parameters-own-list-reported", "codemods", C + "parameters.py",
        'if isinstance(value, cst.Attribute) and not m.matches(value.value, m.Name("self")):',
        "if isinstance(value, cst.Attribute):",
        "a dropped guard: [self.w] inside the class reported as an optimizer list naming w twice",
        ("tests/codemods/test_parameters.py",),
    ),
    # -- the analysis the codemods share (engine) ----------------------------------------------------
    Mutation(
        "expression-context-augassign", "engine", E + "analysis/expression_context.py",
        "_TARGETS = (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor)",
        "_TARGETS = (cst.AssignTarget, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor)",
        "a missing case: `self.x += 1` read as a load: a volatile value kept in self.x migrated though reassigned",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "gpu-switch-negated-off-switch", "engine", E + "analysis/gpu_switches.py",
        "pattern, tested = _OFF_SWITCH, test.expression",
        "tested = test.expression",
        "wrong pattern: `if not args.no_cuda:` not a GPU switch",
        ("tests/analysis/test_gpu_switches.py", "tests/codemods/test_script_device.py"),
    ),
    Mutation(
        "imports-from-import-as", "engine", E + "analysis/imports.py",
        "local = dotted_name(alias.asname.name) if alias.asname else name",
        "local = name",
        "wrong key: `from torch.autograd import Variable as V` binds Variable, not V",
        ("tests/analysis/test_imports.py", "tests/codemods/test_variable.py"),
    ),
    Mutation(
        "imports-last-star-import", "engine", E + "analysis/imports.py",
        "STAR_EXPORTS.get(collector.star_imports[-1], ())",
        "STAR_EXPORTS.get(collector.star_imports[0], ())",
        "wrong index: the first star import's names taken, where the last one shadows them",
        ("tests/analysis/test_imports.py", "tests/codemods/test_variable.py"),
    ),
    Mutation(
        "imports-spelling-rebound-alias", "engine", E + "analysis/imports.py",
        "            if local in self.rebound:\n                continue\n",
        "",
        "a dropped guard: a rebound import alias (`T = 5`) used to spell torch",
        ("tests/analysis/test_imports.py", "tests/codemods/test_legacy_constructors.py"),
    ),
    Mutation(
        "legacy-era-data-index", "engine", E + "analysis/legacy_era.py",
        '            r"\\.data\\s*\\[\\s*0\\s*\\]",\n',
        "",
        "a missing idiom: x.data[0] no longer shows a file to be legacy (idx / n then true division)",
        ("tests/analysis/test_legacy_era.py", "tests/codemods/test_integer_division.py"),
    ),
    Mutation(
        "module-index-parameter-subclass", "engine", E + "analysis/module_index.py",
        '_NOT_MODULES = frozenset({"Parameter", "UninitializedParameter", "UninitializedBuffer", "Buffer"})',
        '_NOT_MODULES = frozenset({"UninitializedParameter", "UninitializedBuffer", "Buffer"})',
        "a missing entry: a subclass of nn.Parameter taken for an nn.Module",
        ("tests/analysis/test_module_index.py", "tests/codemods/test_buffers.py"),
    ),
    Mutation(
        "module-index-relative-import-level", "engine", E + "analysis/module_index.py",
        "                        for _ in range(statement.level - 1):\n                            up = os.path.dirname(up)\n                        dotted",
        "                        for _ in range(statement.level):\n                            up = os.path.dirname(up)\n                        dotted",
        "off by one: `from .base import Base` resolved one directory too high: Net not a Module",
        ("tests/analysis/test_module_index.py", "tests/codemods/test_buffers.py"),
    ),
    Mutation(
        "module-index-star-with-all", "engine", E + "analysis/module_index.py",
        "if exported is None or exported.declares_all or exported.stars:",
        "if exported is None or exported.stars:",
        "a dropped guard: a star import of a file with __all__ taken to export its Variable",
        ("tests/analysis/test_module_index.py", "tests/analysis/test_function_index.py", "tests/codemods/test_variable.py"),
    ),
    Mutation(
        "tensor-exprs-conditional-one-branch", "engine", E + "analysis/tensor_exprs.py",
        "return self.is_tensor(node.body) and self.is_tensor(node.orelse)",
        "return self.is_tensor(node.body) or self.is_tensor(node.orelse)",
        "wrong operator: `torch.ones(3).cuda() if c else 1.0` taken for a tensor: registered as a buffer",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_buffers.py"),
    ),
    Mutation(
        "tensor-exprs-strip-requires-grad", "engine", E + "analysis/tensor_exprs.py",
        'if len(positional) == 1 and all(a.keyword.value == "volatile" for a in others):',
        "if len(positional) == 1:",
        "a dropped guard: Variable(t, requires_grad=True) stripped like a volatile wrapper: TU202 declines it",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_parameters.py"),
    ),
    Mutation(
        "tree-screen-imported-factory-alias", "engine", E + "analysis/tree_screen.py",
        "            makers.update(alias.asname for alias in node.names if alias.asname and alias.name in _MAKERS)\n",
        "            pass\n",
        "a missing case: `from torch import ones as o`; self.s = o(3).cuda() screened out",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_buffers.py"),
    ),
    Mutation(
        "tree-screen-cuda-type-import-alias", "engine", E + "analysis/tree_screen.py",
        "    return any(\n        isinstance(statement, ast.ImportFrom) and any(alias.name in LEGACY_TYPES",
        "    return False and any(\n        isinstance(statement, ast.ImportFrom) and any(alias.name in LEGACY_TYPES",
        "a missing case: `from torch.cuda import FloatTensor as FT` screened out of TU302",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_cuda_types.py"),
    ),
    Mutation(
        "variable-wrapper-cpu-branch-first", "engine", E + "analysis/variable_wrapper.py",
        '            first, second = \'"cpu"\', \'"cuda"\'',
        '            first, second = \'"cuda"\', \'"cpu"\'',
        "two values swapped: `V(...) if not USE_CUDA else V(...).cuda()` -> device 'cuda' if not USE_CUDA",
        ("tests/codemods/test_variable.py",),
    ),
    Mutation(
        "variable-wrapper-gpu-index", "engine", E + "analysis/variable_wrapper.py",
        'm.matches(expr, m.Call(func=m.Attribute(attr=m.Name("cuda")), args=[]))',
        'm.matches(expr, m.Call(func=m.Attribute(attr=m.Name("cuda"))))',
        "a dropped guard: a wrapper moving to .cuda(1) migrated as device 'cuda'",
        ("tests/codemods/test_variable.py",),
    ),
    Mutation(
        "volatile-helpers-staticmethod-position", "engine", E + "analysis/volatile_helpers.py",
        "return params[1:] if owner is not None and not is_static else params",
        "return params[1:] if owner is not None else params",
        "off by one: a @staticmethod helper's flag position counted past a `self` it has not",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "volatile-helpers-default-true", "engine", E + "analysis/volatile_helpers.py",
        "    if value is None:\n        value = helper.default\n",
        "",
        "a dropped case: var(x) of `def var(a, volatile=True)` taken as not volatile",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "tree-screen-negated-tensor", "engine", E + "analysis/tree_screen.py",
        "            return not isinstance(node.op, ast.Not) and self.may_be_tensor(node.operand)",
        "            return False",
        "a missing case: self.neg = -torch.ones(3).cuda() screened out of TU201",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_buffers.py"),
    ),
    Mutation(
        "function-index-volatile-parameter-read", "engine", E + "analysis/function_index.py",
        'ignores_volatile="volatile" in params and not volatile_read,',
        'ignores_volatile="volatile" in params,',
        "a dropped condition: an imported function that reads its `volatile` parameter taken to ignore it",
        ("tests/analysis/test_function_index.py", "tests/codemods/test_volatile.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    # -- added after the first 52 had their tests (their own figure: see the README) ---------------
    Mutation(
        "gpu-switch-gpu-mode", "engine", E + "analysis/gpu_switches.py",
        '_SWITCH = re.compile(r"(?i)^(?:use_?|with_?)?(?:cuda|gpu)(?:_mode|_enabled)?$")',
        '_SWITCH = re.compile(r"(?i)^(?:use_?|with_?)?(?:cuda|gpu)(?:_enabled)?$")',
        "a missing case: `self.gpu_mode` not a GPU switch (its guarded moves left)",
        ("tests/analysis/test_gpu_switches.py", "tests/codemods/test_script_device.py"),
    ),
    Mutation(
        "legacy-era-size-average", "engine", E + "analysis/legacy_era.py",
        '            r"\\bsize_average\\s*=",\n',
        "",
        "a missing idiom: size_average= no longer shows a file to be legacy (idx / n then not reported)",
        ("tests/analysis/test_legacy_era.py", "tests/codemods/test_integer_division.py"),
    ),
    Mutation(
        "volatile-clearing-true-deleted", "codemods", C + "volatile.py",
        "            and is_false(assign.value)\n",
        "",
        "a dropped guard: `x.volatile = True` deleted as if it cleared the flag",
        ("tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py", "tests/codemods/test_volatile_across_files.py"),
    ),
    Mutation(
        "variable-wrapper-device-name-taken", "codemods", C + "variable.py",
        '        for name in find_all(module, m.Name("device")):\n            parent = parent_of(self, name)',
        "        for name in ():\n            parent = parent_of(self, name)",
        "a dropped guard: the wrapper becomes `device = torch.device(...)` over the file's own `device`",
        ("tests/codemods/test_variable.py",),
    ),
    Mutation(
        "constructors-fill-non-literal", "codemods", C + "legacy_constructors.py",
        "            and _is_number_literal(outer.args[0].value)\n",
        "",
        "a dropped guard: torch.Tensor(3).fill_(v) -> torch.full((3,), v) for any v (a tensor v raises)",
        ("tests/codemods/test_legacy_constructors.py",),
    ),
    Mutation(
        "module-names-format-field", "codemods", C + "module_names.py",
        '        if _dot_in_field(node.func.value, r"\\{[^{}]*\\."):\n            return None\n        base = _dotless(node.func.value)',
        "        base = _dotless(node.func.value)",
        "a dropped guard: add_module('scale{:.1f}'.format(s), m) rewritten to 'scale{:_1f}' (a broken format)",
        ("tests/codemods/test_module_names.py",),
    ),
    Mutation(
        "stride-sorted-is-a-list", "codemods", C + "negative_stride_lengths.py",
        '_SEQUENCE_BUILDERS = frozenset({"list", "tuple", "range", "sorted", "str"})',
        '_SEQUENCE_BUILDERS = frozenset({"list", "tuple", "range", "str"})',
        "a missing entry: torch.tensor(sorted(lens)[::-1]) (a list) reported as a numpy array",
        ("tests/codemods/test_negative_stride_lengths.py",),
    ),
    Mutation(
        "sparse-two-args-one-tensor", "codemods", C + "sparse_types.py",
        "return all(self.tensors.is_tensor(arg.value) for arg in args)",
        "return any(self.tensors.is_tensor(arg.value) for arg in args)",
        "wrong quantifier: torch.sparse.FloatTensor(torch.LongTensor(i), n) (maybe a size) read as (indices, values)",
        ("tests/codemods/test_sparse_types.py",),
    ),
    Mutation(
        "removed-qr-some-keyword", "codemods", C + "removed_api.py",
        'return not (keywords & set(edit.get("add", {})) or "some" in keywords)',
        'return not (keywords & set(edit.get("add", {})))',
        "a dropped guard: torch.qr(A, some=False) -> torch.linalg.qr(A, some=False) (TypeError)",
        ("tests/codemods/test_removed_api.py",),
    ),
    Mutation(
        "parameters-nn-names-numpy", "codemods", C + "parameters.py",
        'if not self.imports.is_rebound("nn") and "nn" not in self.imports.aliases:',
        'if not self.imports.is_rebound("nn"):',
        "a dropped guard: `import torch.nn as nn` added where `nn` is numpy",
        ("tests/codemods/test_parameters.py",),
    ),
    Mutation(
        "cuda-types-conditional-other-cpu-type", "codemods", C + "cuda_types.py",
        'if legacy is not None and self.imports.qualified_name(cpu) == f"torch.{legacy}":',
        "if legacy is not None:",
        "a dropped guard: x.type(torch.cuda.FloatTensor if gpu else torch.DoubleTensor) -> float on both",
        ("tests/codemods/test_cuda_types.py",),
    ),
    Mutation(
        "script-device-guard-with-other-work", "codemods", C + "script_device.py",
        "and all(isinstance(s, (cst.Assign, cst.Expr)) and cuda_calls(s) for s in line.body)",
        "and all(isinstance(s, (cst.Assign, cst.Expr)) for s in line.body)",
        "a dropped condition: `if use_cuda: model.cuda(); print(...)` guard removed though it does more than moves",
        ("tests/codemods/test_script_device.py",),
    ),
    Mutation(
        "buffers-type-as-follows-input", "codemods", C + "buffers.py",
        'if read is not None and func.attr.value in ("to", "type_as") and node.args:',
        'if read is not None and func.attr.value in ("to",) and node.args:',
        "a missing case: a constant read only as self.x.type_as(x) made a buffer (modern code's own choice)",
        ("tests/codemods/test_buffers.py",),
    ),
    Mutation(
        "tensor-exprs-parameter-as-local", "engine", E + "analysis/tensor_exprs.py",
        "known = set(collector.values) - collector.other_bindings - parameters",
        "known = set(collector.values) - collector.other_bindings",
        "a dropped guard: a parameter rebound from itself (w = w * 2) taken for a tensor: self.w = w.cuda() made a buffer",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_buffers.py"),
    ),
)


# The eighth sweep: a second look at modules one earlier sweep touched once (the verifier's spec,
# verdict, checkpoint, command line and 0.3 defaults; nine codemods), written by the coordinator
# without reading their tests, while the helpers swept the untouched modules.
EIGHTH_SWEEP: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "spec-scalar-input", "verify", V + "spec.py",
        'if shape_text in ("", "scalar"):', 'if shape_text == "":',
        "a missing case: --input scalar (a 0-d tensor) refused as a shape that is not like 3x4",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "spec-bool-high", "verify", V + "spec.py",
        'elif dtype == "bool":\n            high = 2', 'elif dtype == "bool":\n            high = 1',
        "off by one: --input 4:bool draws only False (an all-False mask)",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "spec-root-from-cwd", "verify", V + "spec.py",
        "candidate = base / value", "candidate = Path(value)",
        "a spec file's old = \"legacy\" looked up in the current directory, not beside the spec file",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "spec-pyproject-here", "verify", V + "spec.py",
        "for directory in (start, *start.parents):", "for directory in start.parents:",
        "off by one: the pyproject.toml of the current directory itself is never found",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "spec-int-high-default", "verify", V + "spec.py",
        "DEFAULT_INT_HIGH = 10\n", "DEFAULT_INT_HIGH = 100\n",
        "wrong constant: int64 inputs without HIGH draw up to 99 (an Embedding(10, d) model fails)",
        ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "verdict-legacy-hides-failure", "verify", V + "verdict.py",
        "        if any(check.status == FAIL and check.name not in INFORMATIONAL_CHECKS for check in self.checks):\n"
        "            return NOT_EQUIVALENT\n"
        "        if self.legacy_error is not None:\n"
        "            return LEGACY_DOES_NOT_RUN\n",
        "        if self.legacy_error is not None:\n"
        "            return LEGACY_DOES_NOT_RUN\n"
        "        if any(check.status == FAIL and check.name not in INFORMATIONAL_CHECKS for check in self.checks):\n"
        "            return NOT_EQUIVALENT\n",
        "two steps swapped: a new model that fails a check reads 'legacy does not run' (exit 3) when the legacy side raised",
        ("tests/verify/test_compare.py", "tests/verify/test_verdict.py"),
    ),
    Mutation(
        "verdict-report-legacy-first", "verify", V + "verdict.py",
        "for verdict in (ERROR, NOT_EQUIVALENT, LEGACY_DOES_NOT_RUN):",
        "for verdict in (ERROR, LEGACY_DOES_NOT_RUN, NOT_EQUIVALENT):",
        "wrong order: one model not equivalent and another whose legacy does not run: the run exits 3, not 1",
        ("tests/verify/test_compare.py", "tests/verify/test_verdict.py"),
    ),
    Mutation(
        "checkpoint-seed-ignored", "verify", V + "checkpoint.py",
        "            torch.manual_seed(seed)\n            model = factory(*args, **kwargs)",
        "            model = factory(*args, **kwargs)",
        "a dropped line: upgrade-checkpoint fills new parameters with another draw on each run (--seed ignored)",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "checkpoint-buffers-as-parameters", "verify", V + "checkpoint.py",
        "filled_buffers=tuple(key for key in missing if key not in parameter_names)",
        "filled_buffers=tuple(key for key in missing if key in parameter_names)",
        "condition inverted: filled parameters also listed as filled buffers, and the buffers not at all",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "checkpoint-modules-kept", "verify", V + "checkpoint.py",
        "        for name in set(sys.modules) - before:\n            del sys.modules[name]", "        pass",
        "a dropped cleanup: the user's modules stay imported, so a model from another root gets the first root's module",
        ("tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py"),
    ),
    Mutation(
        "command-spec-old-wins", "verify", V + "command.py",
        "old = old or spec.old", "old = spec.old or old",
        "wrong precedence: a spec file's old = ... beats --old on the command line",
        ("tests/verify/test_verify.py", "tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "command-mode-ignored", "verify", V + "command.py",
        "    if mode is not None:\n        spec = dataclasses.replace(",
        "    if False:\n        spec = dataclasses.replace(",
        "a dropped case: --mode train on the command line ignored for a spec file's models",
        ("tests/verify/test_verify.py", "tests/verify/test_spec.py", "tests/verify/test_spec_messages.py"),
    ),
    Mutation(
        "legacy-nearest-aligned", "verify", V + "legacy_defaults.py",
        "if align_corners is None and mode in _LINEAR_MODES:", "if align_corners is None:",
        "a dropped guard: the old side's F.upsample(mode='nearest') gets align_corners=True, which torch rejects",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    Mutation(
        "legacy-affine-explicit-ignored", "verify", V + "legacy_defaults.py",
        "return affine_grid(theta, size, True if align_corners is None else align_corners)",
        "return affine_grid(theta, size, True)",
        "an explicit affine_grid(..., align_corners=False) on the old side overridden",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    Mutation(
        "legacy-volatile-not-contagious", "verify", V + "legacy_defaults.py",
        "        with torch.no_grad():\n            return super().__torch_function__(func, types, args, kwargs or {})",
        "        return super().__torch_function__(func, types, args, kwargs or {})",
        "a dropped line: a volatile Variable on the old side computes with autograd on (a DQN target gets gradients)",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    Mutation(
        "legacy-variable-requires-grad-lost", "verify", V + "legacy_defaults.py",
        "made = original(data, requires_grad, *args, **kwargs)", "made = original(data, *args, **kwargs)",
        "a dropped argument: Variable(x, requires_grad=True) on the old side has no gradient",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py"),
    ),
    # -- the codemods ------------------------------------------------------------------------------
    Mutation(
        "load-serialization-missed", "codemods", C + "torch_load_weights_only.py",
        'refers_to(node.func, "torch.load", "torch.serialization.load")', 'refers_to(node.func, "torch.load")',
        "a missing case: torch.serialization.load(f) without weights_only= not reported",
        ("tests/codemods/test_torch_load_weights_only.py",),
    ),
    Mutation(
        "uint8-reassigned-still-uint8", "codemods", C + "uint8_mask.py",
        "(self.scopes[-1].add if uint8 else self.scopes[-1].discard)(target.target.value)",
        "self.scopes[-1].add(target.target.value) if uint8 else None",
        "a dropped case: m = x.byte(); m = x > 0; y[m] still reported as a uint8 mask",
        ("tests/codemods/test_uint8_mask.py",),
    ),
    Mutation(
        "division-values-as-indices", "codemods", C + "integer_division.py",
        'and index.value.value == "1"', 'and index.value.value == "0"',
        "wrong index: x.max(1)[0] (float values) taken for the integer indices, and x.max(1)[1] not",
        ("tests/codemods/test_integer_division.py",),
    ),
    Mutation(
        "division-parameter-reassigned", "codemods", C + "integer_division.py",
        "known = set(bindings.values) - bindings.other - (set() if self.loose else params)",
        "known = set(bindings.values) - bindings.other",
        "a dropped guard: a parameter made an integer on one branch only (def f(n): if c: n = n.long()) taken for one",
        ("tests/codemods/test_integer_division.py",),
    ),
    Mutation(
        "alpha-any-receiver", "codemods", C + "alpha_overloads.py",
        'return spec[0], 0, method.endswith("_")', "return spec[0], 0, True",
        "a dropped guard: another library's obj.add(a, b) (a set's add, re.sub) rewritten as a tensor's",
        ("tests/codemods/test_alpha_overloads.py",),
    ),
    Mutation(
        "loss-sum-before-none", "codemods", C + "loss_reduction.py",
        '    if reduce is False:\n        return "none"\n    if size_average is False:\n        return "sum"',
        '    if size_average is False:\n        return "sum"\n    if reduce is False:\n        return "none"',
        "two steps swapped: size_average=False, reduce=False -> reduction='sum' (torch: 'none')",
        ("tests/codemods/test_loss_reduction.py",),
    ),
    Mutation(
        "renamed-grid-kwargs", "codemods", C + "renamed_functions.py",
        'if any(arg.star == "**" for arg in updated_node.args):\n            return updated_node  # `**kwargs`',
        'if False:\n            return updated_node  # `**kwargs`',
        "a dropped guard: F.grid_sample(x, g, **kw) gets align_corners=True though **kw may pass it (TypeError)",
        ("tests/codemods/test_renamed_functions.py",),
    ),
    Mutation(
        "renamed-upsample-default-mode", "codemods", C + "renamed_functions.py",
        'if mode is None or "align_corners" in filled:', 'if "align_corners" in filled:',
        "a dropped case: F.upsample(x, scale_factor=2) (the default mode) crashes the codemod: the file is not migrated",
        ("tests/codemods/test_renamed_functions.py",),
    ),
    Mutation(
        "cpu-sum-long-counter", "codemods", C + "cpu_sum_counter.py",
        '_PASS_THROUGH = frozenset({"long", "float", "int", "double", "detach"})',
        '_PASS_THROUGH = frozenset({"float", "int", "double", "detach"})',
        "a missing case: correct += pred.eq(y).cpu().long().sum() (the usual accuracy counter) not reported",
        ("tests/codemods/test_cpu_sum_counter.py",),
    ),
)


# The fifth sweep (helper A, 2026-12-06): the verifier's and the engine's modules the earlier sweeps
# touched least or not at all, written before reading their tests.
_WORKER_TESTS = ("tests/verify/test_worker.py", "tests/verify/test_copy_model.py", "tests/verify/test_verify.py")
_SIDE_TESTS = ("tests/verify/test_side_stderr.py", "tests/verify/test_verify.py", "tests/verify/test_legacy_side.py")
_LEAK_TESTS = ("tests/verify/test_device_leaks.py", "tests/verify/test_device_leak_lines.py")
_SHIM_TESTS = ("tests/verify/test_cuda_shim.py", "tests/verify/test_legacy_side.py")
_COMPARE_TESTS = ("tests/verify/test_compare.py", "tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py")
_EQUIVALENCE_TESTS = ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py", "tests/verify/test_verdict.py")
_CLI_TESTS = (
    "tests/cli/test_fix.py",
    "tests/cli/test_review_and_output.py",
    "tests/cli/test_check_exit_code.py",
    "tests/cli/test_scale.py",
    "tests/cli/test_hostile_tree.py",
    "tests/engine/test_config.py",
)

FIFTH_SWEEP: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "legacy-source-no-prepass", "verify", V + "legacy_source.py",
        'compile(replace_async_keyword(text).source, path, "exec"', 'compile(text, path, "exec"',
        "the OLD side's `x.cuda(async=True)` is compiled as it is: a legacy file that uses it does not import",
        ("tests/verify/test_legacy_side.py",),
    ),
    Mutation(
        "legacy-source-finder-last", "verify", V + "legacy_source.py",
        "sys.meta_path.insert(0, LegacySourceFinder(root))", "sys.meta_path.append(LegacySourceFinder(root))",
        "the legacy finder asked after the standard one, which always answers: the legacy loader is never used",
        ("tests/verify/test_legacy_side.py",),
    ),
    Mutation(
        "sides-revision-subdirectory", "verify", V + "sides.py",
        "yield Path(checkout).resolve() / new_root.relative_to(toplevel), new_root",
        "yield Path(checkout).resolve(), new_root",
        "--old HEAD~1 with --new a subdirectory of the repository: the OLD root is the repository's top",
        _SIDE_TESTS,
    ),
    Mutation(
        "sides-stderr-head", "verify", V + "sides.py",
        "return \"\\n\".join(lines[-STDERR_TAIL_LINES:])", "return \"\\n\".join(lines[:STDERR_TAIL_LINES])",
        "a crashed worker's report shows the first lines of its output, not the last (where the crash is)",
        _SIDE_TESTS,
    ),
    Mutation(
        "sides-crash-step", "verify", V + "sides.py",
        "step=self.last_command,", 'step="build",',
        "a worker that dies in forward is reported as dying while the model was built",
        _SIDE_TESTS,
    ),
    Mutation(
        "worker-forward-unseeded", "verify", V + "worker.py",
        '        seed_everything(self.spec["seed"])\n        with _user_code():\n            outputs = self.model(*arguments)',
        "        with _user_code():\n            outputs = self.model(*arguments)",
        "a dropped line: in train mode the two sides draw different dropout masks when only one built the inputs",
        _WORKER_TESTS,
    ),
    Mutation(
        "worker-load-missing-reversed", "verify", V + "worker.py",
        '"missing": sorted(expected - set(other)),', '"missing": sorted(set(other) - expected),',
        "a failed checkpoint load names the unexpected keys as the missing ones",
        _WORKER_TESTS,
    ),
    Mutation(
        "worker-missing-package-as-code", "verify", V + "worker.py",
        'isinstance(cause, ModuleNotFoundError) and not (cause.name or "").startswith("torch")',
        'isinstance(cause, ModuleNotFoundError) and (cause.name or "").startswith("torch")',
        "inverted: a missing third-party package reads as the legacy code failing, a removed torch module as set-up",
        _WORKER_TESTS,
    ),
    Mutation(
        "leaks-zero-dim-cpu-counted", "verify", V + "device_leaks.py",
        'counted = [t for t in tensors if not (t.dim() == 0 and t.device.type == "cpu")]', "counted = tensors",
        "a dropped guard: `x * torch.tensor(2.0)` (a 0-dim CPU scalar, legal on a GPU) reported as a device leak",
        _LEAK_TESTS,
    ),
    Mutation(
        "leaks-copy-flagged", "verify", V + "device_leaks.py",
        'if getattr(func, "overloadpacket", None) in _CROSS_DEVICE_OPS:', "if False:",
        "a dropped case: `buffer.copy_(cpu_tensor)` (a legal cross-device copy) reported as a device leak",
        _LEAK_TESTS,
    ),
    Mutation(
        "leaks-cpu-output-passes", "verify", V + "device_leaks.py",
        'if tensor.device.type != "meta":', 'if tensor.device.type == "cuda":',
        "wrong condition: a forward that returns a CPU tensor (detector prior boxes) is no leak",
        _LEAK_TESTS,
    ),
    Mutation(
        "leaks-outermost-line", "verify", V + "device_leaks.py",
        "if resolved is not None and root in resolved.parents:\n            found =",
        "if resolved is not None and root in resolved.parents and not found:\n            found =",
        "the stop of a meta run is placed at the outermost user frame (model.forward), not the line that raised",
        _LEAK_TESTS,
    ),
    Mutation(
        "shim-set-device", "verify", V + "cuda_shim.py",
        'for name in ("set_device", "synchronize", "empty_cache"):', 'for name in ("synchronize", "empty_cache"):',
        "a missing case: legacy `torch.cuda.set_device(0)` raises on the CPU-only OLD side",
        _SHIM_TESTS,
    ),
    Mutation(
        "shim-long-tensor", "verify", V + "cuda_shim.py",
        '    "LongTensor",\n', "",
        "a missing case: legacy `torch.cuda.LongTensor(labels)` raises on the CPU-only OLD side",
        _SHIM_TESTS,
    ),
    Mutation(
        "shim-device-keyword", "verify", V + "cuda_shim.py",
        'if _is_cuda_device(kwargs.get("device")):\n            kwargs["device"] = "cpu"',
        'if False:\n            kwargs["device"] = "cpu"',
        "a dropped case: legacy `torch.zeros(3, device=\"cuda\")` raises on the CPU-only OLD side",
        _SHIM_TESTS,
    ),
    Mutation(
        "nested-dataclass-non-init", "verify", V + "nested.py",
        "for f in dataclasses.fields(value) if f.init}", "for f in dataclasses.fields(value)}",
        "a dropped guard: a dataclass input with a field(init=False) cannot be moved to a device (ValueError)",
        ("tests/verify/test_nested.py", "tests/verify/test_device_leaks.py"),
    ),
    Mutation(
        "nested-namespace-not-moved", "verify", V + "nested.py",
        "return types.SimpleNamespace(**{key: to_device(item, device) for key, item in vars(value).items()})",
        "return value",
        "a namespace of inputs (a torchtext batch) is not moved to the meta device: false device leaks",
        ("tests/verify/test_nested.py", "tests/verify/test_device_leaks.py"),
    ),
    Mutation(
        "inputs-tuple-as-list", "verify", V + "inputs.py",
        'return items if kind == "list" else tuple(items)', "return items",
        "a tuple input (an LSTM's (h, c)) arrives as a list",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    Mutation(
        "inputs-namedtuple-splatted", "verify", V + "inputs.py",
        'if isinstance(made, (tuple, list)) and not hasattr(made, "_fields")', "if isinstance(made, (tuple, list))",
        "a dropped guard: an inputs function returning a named tuple (a Batch) has it split into its fields",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    Mutation(
        "equivalence-forward-failure", "verify", V + "equivalence.py",
        'return error.kind == "user" and (error.step == "build" or error.step.startswith("forward"))',
        'return error.kind == "user" and error.step == "build"',
        "a missing case: a legacy model whose forward raises on today's torch is an error, not 'legacy does not run'",
        _EQUIVALENCE_TESTS,
    ),
    Mutation(
        "equivalence-output-tolerances-swapped", "verify", V + "equivalence.py",
        'outputs = compare.compare_outputs(_load(old_run.fields["outputs"]), _load(new_run.fields["outputs"]), rtol, atol)',
        'outputs = compare.compare_outputs(_load(old_run.fields["outputs"]), _load(new_run.fields["outputs"]), atol, rtol)',
        "two arguments swapped: --rtol and --atol applied to the outputs the wrong way round",
        _EQUIVALENCE_TESTS,
    ),
    Mutation(
        "compare-new-buffer-unchecked", "verify", V + "compare.py",
        "for key in additions + new_only_buffers:", "for key in additions:",
        "a missing case: a new non-persistent buffer that differs from the old plain attribute passes",
        _COMPARE_TESTS,
    ),
    Mutation(
        "compare-inputs-tolerant", "verify", V + "compare.py",
        '[(path, old_leaves[path], new_leaves[path]) for path in old_leaves], 0.0, 0.0, "input"',
        '[(path, old_leaves[path], new_leaves[path]) for path in old_leaves], None, None, "input"',
        "wrong constant: inputs the two sides built are compared with float tolerance, not bit for bit",
        _COMPARE_TESTS,
    ),
    Mutation(
        "compare-meta-stop-passes", "verify", V + "compare.py",
        '    if not reply["checked"]:\n        return Check(name, NOT_CHECKED', "    if False:\n        return Check(name, NOT_CHECKED",
        "a dropped case: a meta run that stopped before the end (an op without a meta kernel) reads as a pass",
        _COMPARE_TESTS,
    ),
    Mutation(
        "compare-cuda-outputs-on-cpu", "verify", V + "compare.py",
        'if [d for d in new_reply["devices"] if not d.startswith("cuda")]:', "if False:",
        "a dropped guard: the new model on GPU returning CPU tensors passes the GPU check",
        _COMPARE_TESTS,
    ),
    # -- the engine ----------------------------------------------------------------------------------
    Mutation(
        "formatting-inserted-lines", "engine", E + "formatting.py",
        'if tag in ("replace", "insert") and end > start:', 'if tag == "replace" and end > start:',
        "a missing case: lines torchup inserted (a `with torch.no_grad():`) are not formatted by --format",
        ("tests/engine/test_formatting.py",),
    ),
    Mutation(
        "formatting-range-start", "engine", E + "formatting.py",
        "ranges.append((start + 1, end))", "ranges.append((start, end))",
        "off by one: --format also reformats the unchanged line above each change",
        ("tests/engine/test_formatting.py",),
    ),
    Mutation(
        "output-tree-not-empty", "engine", E + "output_tree.py",
        "if out.exists() and (not out.is_dir() or any(out.iterdir())):", "if out.exists() and not out.is_dir():",
        "a dropped guard: --output-dir into a non-empty directory mixes the migration with what was there",
        ("tests/cli/test_review_and_output.py",),
    ),
    Mutation(
        "output-tree-two-dirs-merged", "engine", E + "output_tree.py",
        "single_dir = len(sources) == 1 and source.is_dir()", "single_dir = source.is_dir()",
        "two input directories copied on top of each other into --output-dir",
        ("tests/cli/test_review_and_output.py",),
    ),
    Mutation(
        "text-search-quantified-name", "engine", E + "text_search.py",
        r'(?![?*+{A-Za-z0-9_])")', r'(?![A-Za-z0-9_])")',
        "a prefilter alternative `\\bab?c` split as the name `ab` then `?c`: files it matches are skipped",
        ("tests/engine/test_text_search.py",),
    ),
    Mutation(
        "text-search-split-in-group", "engine", E + "text_search.py",
        'elif char == "|" and depth == 0:', 'elif char == "|":',
        "a dropped guard: a prefilter pattern split at a `|` inside a group",
        ("tests/engine/test_text_search.py",),
    ),
    Mutation(
        "deep-stack-limit-kept", "engine", E + "deep_stack.py",
        "sys.setrecursionlimit(max(_saved_limit, RECURSION_LIMIT))", "sys.setrecursionlimit(_saved_limit)",
        "the recursion limit is not raised on the deep stack: a 5,000-term sum fails with RecursionError",
        ("tests/engine/test_deep_expressions.py",),
    ),
    Mutation(
        "catalogue-pipe-in-summary", "engine", E + "catalogue.py",
        "| {cls.SAFETY} | {_cell(cls.SUMMARY)} |", "| {cls.SAFETY} | {cls.SUMMARY} |",
        "a summary with `|` (`a | b`) breaks the README's codemod table into extra columns",
        ("tests/test_catalogue.py",),
    ),
    Mutation(
        "catalogue-section-substring", "engine", E + "catalogue.py",
        "return [section for section in SECTIONS if section not in lines]",
        "return [section for section in SECTIONS if section not in documentation(cls)]",
        "a codemod whose docstring says `Why` in a sentence but has no Why section passes as documented",
        ("tests/test_catalogue.py",),
    ),
    Mutation(
        "registry-explain-lowercase", "engine", E + "registry.py",
        "key = code.upper()", "key = code",
        "`torchup explain tu101` says unknown code",
        ("tests/test_catalogue.py", "tests/engine/test_pipeline.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "registry-ignore-unchecked", "engine", E + "registry.py",
        "for prefix in (*select, *ignore):", "for prefix in select:",
        "a missing case: `--ignore TU999` (a typo) accepted silently, ignoring nothing",
        ("tests/test_catalogue.py", "tests/engine/test_pipeline.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "registry-lowercase-config", "engine", E + "registry.py",
        "return any(code.startswith(prefix.upper()) for prefix in prefixes)",
        "return any(code.startswith(prefix) for prefix in prefixes)",
        "`select = [\"tu1\"]` in pyproject.toml is accepted and then selects nothing",
        ("tests/test_catalogue.py", "tests/engine/test_pipeline.py", "tests/engine/test_config.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "interactive-hunk-keeps-old", "engine", E + "interactive.py",
        "cursor = hunk.old_end", "cursor = hunk.old_start",
        "an accepted hunk is inserted before the old lines instead of replacing them",
        ("tests/engine/test_interactive.py", "tests/cli/test_review_and_output.py"),
    ),
    Mutation(
        "interactive-async-refused", "engine", E + "interactive.py",
        "ast.parse(replace_async_keyword(text).source)", "ast.parse(text)",
        "accepted hunks refused as not compiling when a declined TU303 hunk leaves `async=True`",
        ("tests/engine/test_interactive.py", "tests/cli/test_review_and_output.py"),
    ),
    Mutation(
        "cli-interactive-all-skips-current", "engine", E + "cli.py",
        "accepted.update(range(index, len(file_hunks)))", "accepted.update(range(index + 1, len(file_hunks)))",
        "off by one: answering `a` applies the remaining hunks but not the one asked about",
        _CLI_TESTS,
    ),
    Mutation(
        "cli-interactive-quit-one-file", "engine", E + "cli.py",
        '            elif answer == "q":\n                quit_now = True\n',
        '            elif answer == "q":\n                quit_now = False\n',
        "`q` stops only the current file: the next file's hunks are still asked about",
        _CLI_TESTS,
    ),
    Mutation(
        "cli-no-unsafe-fixes-ignored", "engine", E + "cli.py",
        "unsafe = settings_file.unsafe_fixes if options.unsafe_fixes is None else options.unsafe_fixes",
        "unsafe = options.unsafe_fixes or settings_file.unsafe_fixes",
        "`--no-unsafe-fixes` does not override `unsafe-fixes = true` in pyproject.toml",
        _CLI_TESTS,
    ),
    Mutation(
        "cli-extend-exclude-dropped", "engine", E + "cli.py",
        "exclude = (*settings_file.exclude, *settings_file.extend_exclude, *options.exclude)",
        "exclude = (*settings_file.exclude, *options.exclude)",
        "a dropped case: `extend-exclude` in pyproject.toml is ignored, those files are rewritten",
        _CLI_TESTS,
    ),
    Mutation(
        "cli-shard-zero", "engine", E + "cli.py",
        "not 1 <= int(index) <= int(count)", "not 0 <= int(index) <= int(count)",
        "off by one: --shard 0/2 accepted (K counts from 1)",
        _CLI_TESTS,
    ),
    Mutation(
        "cli-size-mib", "engine", E + "cli.py",
        '.upper().removesuffix("IB").removesuffix("B")', '.upper().removesuffix("B")',
        "a missing case: --max-file-size 1MiB refused",
        _CLI_TESTS,
    ),
    Mutation(
        "config-single-string", "engine", E + "config.py",
        "    if isinstance(value, str):\n        value = [value]\n", "",
        "a dropped case: `select = \"TU1\"` (one string, not a list) refused",
        ("tests/engine/test_config.py",),
    ),
    Mutation(
        "config-pyproject-in-directory", "engine", E + "config.py",
        "start = common if common.is_dir() else common.parent", "start = common.parent",
        "the pyproject.toml of the directory named on the command line is passed over for its parent's",
        ("tests/engine/test_config.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "config-jobs-true", "engine", E + "config.py",
        "if isinstance(value, bool) or not isinstance(value, int) or value < 0:",
        "if not isinstance(value, int) or value < 0:",
        "a dropped guard: `jobs = true` accepted as one job",
        ("tests/engine/test_config.py",),
    ),
    Mutation(
        "cache-same-size-edit", "engine", E + "cache.py",
        "        if digest_of(data) != entry.digest:\n            return None\n", "",
        "a dropped guard: a file edited to the same size is replayed from its stale entry",
        ("tests/engine/test_cache.py",),
    ),
    Mutation(
        "cache-settings-key", "engine", E + "cache.py",
        '        "settings": sorted(asdict(settings).items()),\n', "",
        "a missing key: `fix --unsafe-fixes` replays the results of a run without it",
        ("tests/engine/test_cache.py",),
    ),
    Mutation(
        "cache-save-forgets", "engine", E + "cache.py",
        "entries = {**on_disk, **self._added}", "entries = dict(self._added)",
        "each save keeps only this run's files: a run over one directory empties the cache of the others",
        ("tests/engine/test_cache.py",),
    ),
    Mutation(
        "discovery-root-gitignore", "engine", E + "discovery.py",
        "ignores = _ancestor_ignores(top)", "ignores = []",
        "`torchup fix sub/` ignores the repository root's .gitignore",
        ("tests/engine/test_discovery.py",),
    ),
    Mutation(
        "discovery-directory-pattern", "engine", E + "discovery.py",
        'relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")',
        "relative = path.relative_to(base).as_posix()",
        "a .gitignore line `data/` no longer matches the directory data",
        ("tests/engine/test_discovery.py",),
    ),
    Mutation(
        "noqa-continued-first-line", "engine", E + "suppressions.py",
        "for first, last in merged for line in range(first, last)}", "for first, last in merged for line in range(first + 1, last)}",
        "off by one: a backslash-continued statement's # noqa does not cover its first line",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "noqa-unused-unselected", "engine", E + "suppressions.py",
        "if code in selected and (directive.line, code) not in used)", "if (directive.line, code) not in used)",
        "a dropped guard: --show-unused-noqa with --select TU1 calls `# noqa: TU201` unused",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "report-merge-mixed-commands", "engine", E + "report.py",
        "if len(kinds) > 1:", "if len(kinds) > 2:",
        "off by one: a `fix` report and a `check` report merged as one run",
        ("tests/engine/test_report.py", "tests/engine/test_output_formats.py"),
    ),
    Mutation(
        "report-json-column-0", "engine", E + "report.py",
        '"column": record.column + 1,', '"column": record.column,',
        "off by one: --report JSON columns 0-based while the text output's are 1-based",
        ("tests/engine/test_report.py", "tests/engine/test_output_formats.py"),
    ),
    # -- the fifth sweep's second batch, written after the first batch's tests, in the same
    # modules' code that the first batch left alone (their tests not read)
    Mutation(
        "inputs-ndarray-negative-strides", "verify", V + "inputs.py",
        '"value": torch.from_numpy(numpy.array(value, copy=True))', '"value": torch.from_numpy(value)',
        "a reversed numpy array input (`lengths[::-1]`) cannot be carried: torch refuses negative strides",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    Mutation(
        "inputs-ndarray-shared", "verify", V + "inputs.py",
        'return tree["value"].numpy().copy()', 'return tree["value"].numpy()',
        "a numpy input shares memory with the carried encoding: a forward that edits it changes the next run's input",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    Mutation(
        "inputs-list-one-argument", "verify", V + "inputs.py",
        'return tuple(made) if isinstance(made, (tuple, list)) and not', 'return tuple(made) if isinstance(made, tuple) and not',
        "a missing case: an inputs function returning a list `[x, lengths]` passes the list as one argument",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    Mutation(
        "nested-namedtuple-to-device", "verify", V + "nested.py",
        "return type(value)(*(to_device(item, device) for item in value))",
        "return type(value)(to_device(item, device) for item in value)",
        "a named tuple input rebuilt from one generator argument: a TypeError instead of moving it",
        ("tests/verify/test_nested.py", "tests/verify/test_device_leaks.py"),
    ),
    Mutation(
        "equivalence-train-checks-unnamed", "verify", V + "equivalence.py",
        'return base if mode == "eval" else f"{mode}_{base}"', "return base",
        "train mode's outputs and gradients reported under eval mode's names: two checks called `outputs`",
        _EQUIVALENCE_TESTS,
    ),
    Mutation(
        "sides-gpu-forked", "verify", V + "sides.py",
        "    if not gpu:\n        forkserver = _forkserver()", "    if gpu:\n        forkserver = _forkserver()",
        "inverted: the GPU sides are forked from the server that hides the GPU, the CPU sides spawned",
        _SIDE_TESTS,
    ),
    Mutation(
        "source-decoded-as-utf8", "engine", E + "source_file.py",
        "return SourceText(data.decode(encoding), encoding)", 'return SourceText(data.decode(encoding), "utf-8")',
        "a latin-1 file (with its coding cookie) read right but written back as UTF-8",
        ("tests/engine/test_writeback.py", "tests/engine/test_parsing.py", "tests/cli/test_hostile_tree.py"),
    ),
    Mutation(
        "cache-env-dir-ignored", "engine", E + "cache.py",
        "    if explicit:\n        return Path(explicit)\n", "",
        "a dropped case: $TORCHUP_CACHE_DIR is ignored, the cache lands in ~/.cache",
        ("tests/engine/test_cache.py", "tests/cli/test_scale.py"),
    ),
    Mutation(
        "cache-index-size-only", "engine", E + "cache.py",
        'digest.update(f"{path}\\0{stamp.size}\\0{stamp.mtime_ns}\\n".encode())', 'digest.update(f"{path}\\0{stamp.size}\\n".encode())',
        "the first pass's index is replayed after a file changed without changing size",
        ("tests/engine/test_cache.py", "tests/cli/test_scale.py"),
    ),
    Mutation(
        "noqa-file-codes-as-all", "engine", E + "suppressions.py",
        '            elif whole.group("codes"):\n', "            elif False:\n",
        "`# torchup: noqa: TU201` on its own line silences every code in the file, not just TU201",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "noqa-bare-prefilter", "engine", E + "suppressions.py",
        '    if bare_noqa and ("noqa" in text or "NOQA" in text):\n        return True\n', "",
        "with bare-noqa = true, a file whose only directive is a bare `# noqa` is never read for it",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "report-check-failure-exit", "engine", E + "report.py",
        "        if self.failed:\n            return EXIT_ERROR", '        if self.failed and self.command != "check":\n            return EXIT_ERROR',
        "`torchup check` with a file that cannot be parsed exits 1 (or 0), not 123: CI reads a crash as findings",
        ("tests/engine/test_report.py", "tests/cli/test_check_exit_code.py"),
    ),
    Mutation(
        "text-search-flags-lost", "engine", E + "text_search.py",
        "return tuple(re.compile(flags + search) for search in searches)", "return tuple(re.compile(search) for search in searches)",
        "a prefilter pattern's leading `(?i)` is dropped: a file that differs in case is skipped",
        ("tests/engine/test_text_search.py",),
    ),
    Mutation(
        "text-search-bracket-first", "engine", E + "text_search.py",
        '            if pattern[index + 1 : index + 2] == "]":\n                index += 1\n', "",
        "a dropped case: `[]|]` (a class whose first member is `]`) split at the `|` inside it",
        ("tests/engine/test_text_search.py",),
    ),
    Mutation(
        "interactive-tail-dropped", "engine", E + "interactive.py",
        "    pieces.extend(old[cursor:])\n", "",
        "the lines after the last accepted hunk are lost from the file",
        ("tests/engine/test_interactive.py", "tests/cli/test_review_and_output.py"),
    ),
    Mutation(
        "deep-stack-limit-not-restored", "engine", E + "deep_stack.py",
        "        if _depth == 0:\n            sys.setrecursionlimit(_saved_limit)", "        if _depth == 0:\n            pass",
        "the caller's recursion limit stays raised after torchup returns (an API user's runaway recursion crashes the interpreter)",
        ("tests/engine/test_deep_expressions.py",),
    ),
    Mutation(
        "cli-check-hides-fixable", "engine", E + "cli.py",
        "for line in report.record_lines(include_edits=True):", "for line in report.record_lines(include_edits=False):",
        "`torchup check` lists only the findings that need a person, not the fixable ones",
        _CLI_TESTS,
    ),
    Mutation(
        "cli-diff-and-check", "engine", E + "cli.py",
        "if sum((show_diff, check_only, interactive, output_dir is not None)) > 1:",
        "if sum((show_diff, check_only, interactive, output_dir is not None)) > 2:",
        "off by one: `fix --diff --check` accepted (and runs as --diff, exiting 0 with changes pending)",
        _CLI_TESTS,
    ),
    Mutation(
        "output-tree-copies-git", "engine", E + "output_tree.py",
        'shutil.ignore_patterns(".git", "__pycache__", ".venv")', 'shutil.ignore_patterns("__pycache__", ".venv")',
        "a missing case: --output-dir copies the repository's .git (the output is a second clone of it)",
        ("tests/cli/test_review_and_output.py",),
    ),
    Mutation(
        "output-tree-follows-links", "engine", E + "output_tree.py",
        "shutil.copytree(source, target, symlinks=True,", "shutil.copytree(source, target, symlinks=False,",
        "--output-dir copies what links point to (a dataset outside the tree) instead of the links",
        ("tests/cli/test_review_and_output.py",),
    ),
    Mutation(
        "discovery-git-file", "engine", E + "discovery.py",
        'if (directory / ".git").exists():', 'if (directory / ".git").is_dir():',
        "in a git worktree or submodule (`.git` is a file) the repository root's .gitignore is not followed",
        ("tests/engine/test_discovery.py",),
    ),
    # -- the fifth sweep's third batch, written after the second batch's tests (their tests not read)
    Mutation(
        "noqa-two-line-string", "engine", E + "suppressions.py",
        "        if last > first:\n            joined.append((first, last))  # a multi-line string",
        "        if last > first + 1:\n            joined.append((first, last))  # a multi-line string",
        "off by one: a string over two lines takes no # noqa from its last line for its first",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "noqa-any-without-lines", "engine", E + "suppressions.py",
        "return self.skip_file or self.file_all or bool(self.file_codes) or bool(self.lines)",
        "return self.skip_file or self.file_all or bool(self.file_codes)",
        "a file whose only directives are line `# noqa: TU...` comments is taken as having none",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py"),
    ),
    Mutation(
        "report-notebook-cell-lost", "engine", E + "report.py",
        'place = f"{path}:cell {record.cell}" if record.cell else path', "place = path",
        "a notebook's findings lose their cell: `nb.ipynb:2:5` points nowhere",
        ("tests/engine/test_report.py", "tests/engine/test_output_formats.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    Mutation(
        "interactive-rejected-applied", "engine", E + "interactive.py",
        "        if index not in accepted:\n            continue", "        if index in accepted:\n            continue",
        "inverted: the hunks answered `n` are applied and the ones answered `y` left out",
        ("tests/engine/test_interactive.py", "tests/cli/test_review_and_output.py"),
    ),
    Mutation(
        "equivalence-leaks-eval-only", "verify", V + "equivalence.py",
        'old_leaks, new_leaks = _both(old, new, "leaks", "", "", mode=modes_of(self.spec)[0])',
        'old_leaks, new_leaks = _both(old, new, "leaks", "", "", mode="eval")',
        "wrong constant: mode = \"train\" runs the meta-device check in eval mode (a leak in a train-only branch is missed)",
        _EQUIVALENCE_TESTS,
    ),
    Mutation(
        "text-search-others-dropped", "engine", E + "text_search.py",
        'searches = literal_first + (["|".join(others)] if others else [])', "searches = literal_first + others[:1]",
        "only the first of the alternatives that start without a name is searched: files matching the others are skipped",
        ("tests/engine/test_text_search.py",),
    ),
    Mutation(
        "text-search-escaped-pipe", "engine", E + "text_search.py",
        '        if char == "\\\\":\n            index += 2', '        if char == "\\\\":\n            index += 1',
        "an escaped `\\|` read as an alternation: the pattern is split inside an escape",
        ("tests/engine/test_text_search.py",),
    ),
    Mutation(
        "cache-index-not-saved", "engine", E + "cache.py",
        "if not self._added and self._new_index is None:", "if not self._added:",
        "a run whose only news is the first pass's index does not save it: the next run indexes the tree again",
        ("tests/engine/test_cache.py", "tests/cli/test_scale.py"),
    ),
    Mutation(
        "cli-jobs-zero-flag", "engine", E + "cli.py",
        "jobs = options.jobs if options.jobs is not None else settings_file.jobs", "jobs = options.jobs or settings_file.jobs",
        "`--jobs 0` (every core) loses to `jobs = 2` in pyproject.toml",
        _CLI_TESTS,
    ),
)

# The ninth sweep: written by the coordinator before the merge of the fifth to seventh sweeps'
# tests and run after it, without reading any test: the closest stand-in for a reviewer's new set.
# Eight more were written and dropped before the run: the fifth or the seventh sweep had made them.
NINTH_SWEEP: Tuple[Mutation, ...] = (
    # -- the verifier ------------------------------------------------------------------------------
    Mutation(
        "compare-python-values-equal", "verify", V + "compare.py",
        'return None if old == new else {"detail": f"old {old!r}, new {new!r}", "old": old, "new": new}',
        "return None",
        "a dropped case: a forward returning a different Python number or string (a count, a label) passes",
        ("tests/verify/test_compare.py", "tests/verify/test_verdict.py"),
    ),
    Mutation(
        "compare-old-buffer-no-counterpart", "verify", V + "compare.py",
        '        elif key in old["buffers"]:\n            counterpart_pairs.append((key, old["buffers"][key], value))\n',
        "",
        "a dropped case: an old non-persistent buffer made persistent by the migration reads as a new key with no counterpart",
        ("tests/verify/test_compare.py", "tests/verify/test_verdict.py"),
    ),
    Mutation(
        "compare-state-exact", "verify", V + "compare.py",
        'failure = _first_difference("state_dict", pairs, rtol, atol, "key")',
        'failure = _first_difference("state_dict", pairs, 0.0, 0.0, "key")',
        "wrong constant: --rtol/--atol given, the state_dict is still compared bit for bit",
        ("tests/verify/test_compare.py", "tests/verify/test_verdict.py"),
    ),
    Mutation(
        "inputs-numpy-scalar-as-float", "verify", V + "inputs.py",
        'return _numpy().dtype(tree["dtype"]).type(tree["value"])', 'return tree["value"]',
        "a numpy scalar input (np.float32(0.5)) arrives as a Python float: its float32 arithmetic becomes float64",
        ("tests/verify/test_inputs.py", "tests/verify/test_worker.py"),
    ),
    # -- the engine --------------------------------------------------------------------------------
    Mutation(
        "pipeline-attempt-kept", "engine", E + "pipeline.py",
        "        if not attempt.edited:\n            return Migration(",
        "        if True:\n            return Migration(",
        "condition inverted: a file without Variable whose one-pass attempt edited is reported as edited and left as it was",
        ("tests/engine/test_pipeline.py", "tests/corpus/test_golden_outputs.py"),
    ),
    Mutation(
        "imports-as-name-ignored", "engine", E + "import_removal.py",
        "    if alias.asname is not None:\n        return alias.evaluated_alias or \"\"\n",
        "",
        "wrong key: `from torch.autograd import Variable as V` removed while V is still used",
        ("tests/engine/test_import_removal.py",),
    ),
    Mutation(
        "report-one-parse-failure-names-all", "engine", E + "report.py",
        'return all(o.error_kind == "parse" for o in self.failed)', 'return any(o.error_kind == "parse" for o in self.failed)',
        "wrong quantifier: one file that does not parse and one that failed otherwise read as '2 files could not be parsed'",
        ("tests/engine/test_report.py", "tests/cli/test_fix.py", "tests/cli/test_check_exit_code.py"),
    ),
    Mutation(
        "notebook-shell-line", "engine", E + "notebook.py",
        'if stripped.startswith(("%", "!", "?")):', 'if stripped.startswith(("%", "?")):',
        "a missing case: a `!pip install ...` line is not masked: the cell does not parse and the notebook is not migrated",
        ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    Mutation(
        "notebook-final-newline-added", "engine", E + "notebook.py",
        "if not cell.ends_with_newline and cell_text.endswith(\"\\n\"):", "if False:",
        "a dropped guard: a migrated cell whose source had no final newline gains one",
        ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    Mutation(
        "sarif-column-zero-based", "engine", E + "output_formats.py",
        'region["startColumn"] = column + 1', 'region["startColumn"] = column',
        "off by one: SARIF columns 0-based, so code scanning marks the character left of each finding",
        ("tests/engine/test_output_formats.py", "tests/cli/test_notebooks_and_formats.py"),
    ),
    # -- the codemods ------------------------------------------------------------------------------
    Mutation(
        "softmax-view-one-argument", "codemods", C + "softmax_dim.py",
        "if len(node.args) < 2 or any(arg.star", "if len(node.args) < 1 or any(arg.star",
        "off by one: F.softmax(x.view(sizes)) (one argument, a size tuple maybe 1-D) gets dim=1",
        ("tests/codemods/test_softmax_dim.py",),
    ),
    Mutation(
        "type-check-mixed-tuple", "codemods", C + "legacy_type_check.py",
        "if all(not isinstance(e, cst.StarredElement) and self._legacy(e.value) for e in node.elements):",
        "if any(not isinstance(e, cst.StarredElement) and self._legacy(e.value) for e in node.elements):",
        "wrong quantifier: type(x) in (torch.FloatTensor, Foo) rewritten to isinstance: Foo's subclasses now match too",
        ("tests/codemods/test_legacy_type_check.py",),
    ),
    Mutation(
        "data-index-assignment-target", "codemods", C + "data_index.py",
        "        if self._is_assigned(original_node):\n            return updated_node\n",
        "",
        "a dropped guard: x.data[0] = v (an assignment) rewritten to x.item() = v, which does not parse",
        ("tests/codemods/test_data_index.py",),
    ),
    Mutation(
        "data-index-dict-entry-augassign", "codemods", C + "data_index.py",
        "        if m.matches(node.target, m.Subscript(value=DATA)) and _indexed_by_key(node.target):\n            return\n",
        "",
        "a dropped guard: out.data['count'] += 1 (a dict's entry) reported as in-place arithmetic on a tensor",
        ("tests/codemods/test_data_index.py",),
    ),
    Mutation(
        "default-type-shared-line", "codemods", C + "default_tensor_type.py",
        "if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):",
        "if not isinstance(original_node.body[0], cst.Expr):",
        "a dropped guard: `torch.set_default_tensor_type(T); x = 1` replaced whole: `x = 1` is lost",
        ("tests/codemods/test_default_tensor_type.py",),
    ),
    Mutation(
        "cuda-constants-data-guard", "codemods", C + "cuda_constants.py",
        '        if isinstance(tensor, cst.Attribute) and tensor.attr.value == "data":\n            tensor = tensor.value\n        return (tensor.value, True)',
        "        return (tensor.value, True)",
        "a missing case: `if x.data.is_cuda: h = h.cuda()` no longer read as a device guard",
        ("tests/codemods/test_cuda_constants.py",),
    ),
)


# The thirteenth sweep, written by the coordinator without reading the modules' tests, in the
# engine and verifier modules the other sweeps of its round did not take: the runner, the command
# line, the pipeline, the cache, parsing, codegen and the verifier's comparisons.
_RUNNER_13 = ("tests/engine/test_process_pool.py", "tests/engine/test_cache.py", "tests/cli/test_fix.py", "tests/cli/test_review_and_output.py")
_PIPELINE_13 = ("tests/engine/test_pipeline.py",)
_NOQA_13 = ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py")
_NOTEBOOK_13 = ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py")
_CLI_RUN = ("tests/cli/test_fix.py", "tests/cli/test_scale.py", "tests/cli/test_review_and_output.py", "tests/engine/test_config.py")
THIRTEENTH_SWEEP: Tuple[Mutation, ...] = (
    # Written as the size check moved above the marker check; it survived, and its test showed that a
    # large file whose only marker is a look-alike (`qr` in `sqrt`) was refused as too large. The
    # guard that fixed it is what this entry now removes.
    Mutation("runner-size-before-prefilter", "engine", E + "runner.py",
        "        if not _may_be_parsed(codemods, source.text):\n            return _skipped(path, source, job)\n", "",
        "a large modern file that no codemod would parse fails as 'too large' instead of being skipped",
        (*_RUNNER_13, "tests/cli/test_hostile_tree.py")),
    Mutation("runner-unchanged-drops-findings", "engine", E + "runner.py",
        "return FileOutcome(path, Status.UNCHANGED, result.records)", "return FileOutcome(path, Status.UNCHANGED)",
        "a file with findings and no edit reports nothing", (*_RUNNER_13, "tests/cli/test_check_exit_code.py")),
    Mutation("runner-notebook-records-without-cell", "engine", E + "runner.py",
        "records = tuple(replace(item.record, cell=item.cell) for item in result.records)",
        "records = tuple(item.record for item in result.records)",
        "a notebook's records lose their cell number: the report points at the wrong place", (*_RUNNER_13, *_NOTEBOOK_13)),
    Mutation("runner-shard-absolute-path", "engine", E + "runner.py",
        "relative = Path(os.path.relpath(os.path.abspath(path), root)).as_posix()",
        "relative = Path(os.path.abspath(path)).as_posix()",
        "a file's shard depends on where the checkout lies: two CI machines split one repository differently",
        (*_RUNNER_13, "tests/cli/test_scale.py")),
    Mutation("runner-cache-ignores-classes", "engine", E + "runner.py",
        "entry = cache.lookup(name, stamp, classes) if stamp is not None else None",
        "entry = cache.lookup(name, stamp) if stamp is not None else None",
        "a file whose base class became an nn.Module in another file replays its old outcome from the cache",
        (*_RUNNER_13, "tests/cli/test_scale.py")),
    Mutation("runner-diff-absolute-prefixed", "engine", E + "runner.py",
        'old, new = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")',
        'old, new = (f"a/{path}", f"b/{path}")',
        "the diff of an absolute path names a/ + the path: `git apply` and `patch` cannot find the file", _RUNNER_13),
    Mutation("cli-shard-reports-every-problem", "engine", E + "cli.py",
        "        problems = tuple(problem for problem in problems if Path(problem.path) in chosen)\n", "",
        "every shard reports every unreadable file: N machines report each problem N times", _CLI_RUN),
    Mutation("cli-buffers-setting-ignored", "engine", E + "cli.py",
        "buffers=options.buffers or settings_file.buffers,", "buffers=options.buffers,",
        "`buffers = ...` in [tool.torchup] is ignored: only the command-line flag counts", (*_CLI_RUN, "tests/codemods/test_buffers.py")),
    Mutation("cli-first-pass-only-the-shard", "engine", E + "cli.py",
        "index_files=found.files)", "index_files=files)",
        "with --shard the first pass indexes only the shard's files: a model whose base class lies in another shard is not seen",
        (*_CLI_RUN, "tests/engine/test_process_pool.py")),
    Mutation("cli-size-fraction-dropped", "engine", E + "cli.py",
        "return int(size * _SIZE_UNITS[unit])", "return int(size) * _SIZE_UNITS[unit]",
        "--max-file-size 1.5M is read as 1 MiB", (*_CLI_RUN, "tests/cli/test_hostile_tree.py")),
    Mutation("pipeline-attempt-drops-async-records", "engine", E + "pipeline.py",
        "source, parsed.code, tuple(sorted((*records, *attempt.records), key=position_key)), attempt.suppressed",
        "source, parsed.code, tuple(sorted(attempt.records, key=position_key)), attempt.suppressed",
        "a modern file whose only change is TU303's async= rename is changed with no record of why",
        (*_PIPELINE_13, "tests/codemods/test_async_keyword.py")),
    Mutation("pipeline-suppressed-lines-unmapped", "engine", E + "pipeline.py",
        "suppressed.extend(to_source.apply(record) for record in done.suppressed)", "suppressed.extend(done.suppressed)",
        "a # noqa that silences a later pass's record below a removed import is reported unused (--show-unused-noqa)",
        (*_PIPELINE_13, *_NOQA_13)),
    Mutation("pipeline-async-parsed-when-not-selected", "engine", E + "pipeline.py",
        'or ("async" in text and any(cls.CODE == ASYNC_CODE for cls in codemods))', 'or ("async" in text)',
        "with TU303 ignored, a file whose only legacy text is `async=` fails to parse instead of being skipped",
        (*_PIPELINE_13, "tests/codemods/test_async_keyword.py", "tests/cli/test_fix.py")),
    Mutation("parsing-py2-hint-next-line", "engine", E + "parsing.py",
        "    text = lines[line - 1]\n    for pattern, description in _PY2_HINTS:", "    text = lines[line] if line < len(lines) else ''\n    for pattern, description in _PY2_HINTS:",
        "off by one: the Python 2 hint is read from the line after the error (a print statement gets no hint)",
        ("tests/engine/test_parsing.py", *_PIPELINE_13, "tests/cli/test_fix.py")),
    Mutation("cache-finding-cell-lost", "engine", E + "cache.py",
        "return Finding(code, line, column, message, bool(extra), cell)", "return Finding(code, line, column, message, bool(extra))",
        "a cached notebook finding is replayed without its cell", ("tests/engine/test_cache.py", "tests/cli/test_notebooks_and_formats.py")),
    Mutation("cache-key-ignores-selection", "engine", E + "cache.py",
        '        "codes": sorted(codes),\n', "",
        "a run with --select TU101 replays the outcomes of a run with every codemod", ("tests/engine/test_cache.py", "tests/cli/test_scale.py")),
    Mutation("codegen-kept-text-one-line-long", "engine", E + "codegen.py",
        "text = code[starts[line - 1] : starts[places[following][0] - 1]]", "text = code[starts[line - 1] : starts[places[following][0]]]",
        "off by one: a kept statement's text runs into the next statement's first line, which a pass's output then holds twice",
        ("tests/engine/test_codegen.py", *_PIPELINE_13)),
    Mutation("compare-relative-error-zero-over-zero", "verify", V + "compare.py",
        "        rel = torch.where(diff == 0, torch.zeros_like(rel), rel)\n", "",
        "an output that differs somewhere is reported with relative error nan (0/0 where both are zero)", _COMPARE_TESTS),
    Mutation("compare-upgrade-keys-wrong-side", "verify", V + "compare.py",
        'keys = sorted(set(old_into_new["missing"]) | set(new_into_old["unexpected"]))',
        'keys = sorted(set(old_into_new["unexpected"]) | set(new_into_old["missing"]))',
        "the checkpoint check names no key to upgrade: the new buffers are on the other side of the load", _COMPARE_TESTS),
    Mutation("compare-checkpoint-one-way-enough", "verify", V + "compare.py",
        "    only_additions = all(\n", "    only_additions = any(\n",
        "a checkpoint that loads one way and fails the other on an unrelated key passes", (*_COMPARE_TESTS, "tests/verify/test_verdict.py")),
)


# The fourteenth sweep, the coordinator's second, written (like the thirteenth) without reading the
# modules' tests: the verifier's specs, inputs, checkpoint upgrade and device leaks, and the
# engine's configuration and discovery.
_SPEC_14 = ("tests/verify/test_spec.py", "tests/verify/test_spec_messages.py")
_INPUTS_14 = ("tests/verify/test_inputs.py",)
_UPGRADE_14 = ("tests/verify/test_checkpoint_upgrade.py", "tests/verify/test_checkpoint.py")
_CONFIG_14 = ("tests/engine/test_config.py", "tests/cli/test_fix.py")
_DISCOVERY_14 = ("tests/engine/test_discovery.py", "tests/cli/test_hostile_tree.py")
_LEAKS_14 = ("tests/verify/test_device_leaks.py", "tests/verify/test_device_leak_lines.py")
FOURTEENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("spec-low-bound-dropped", "verify", V + "spec.py",
        "low, high = int(bounds.group(1) or 0), int(bounds.group(2))", "low, high = 0, int(bounds.group(2))",
        "`--input 2x10:int64:1-100` draws from [0, 100): token ids hit the padding index the user ruled out", _SPEC_14),
    Mutation("spec-rtol-from-atol", "verify", V + "spec.py",
        'rtol=_number(rtol, "rtol", where),', 'rtol=_number(atol, "rtol", where),',
        "a spec's rtol is taken from its atol: a tolerance the user set is lost", _SPEC_14),
    Mutation("spec-inputs-and-function-both", "verify", V + "spec.py",
        "    if inputs and inputs_fn:\n        raise SpecError(f\"{where}: give either 'inputs' or 'inputs_fn', not both\")\n", "",
        "an entry with both 'inputs' and 'inputs_fn' is accepted, and one of them silently ignored", _SPEC_14),
    Mutation("spec-dtype-case-sensitive", "verify", V + "spec.py",
        "name = parts[1].strip().lower()", "name = parts[1].strip()",
        "`--input 3x4:Float32` (or INT64) refused as an unknown dtype", _SPEC_14),
    Mutation("inputs-bool-array-refused", "verify", V + "inputs.py",
        'if value.dtype.kind not in "biufc":', 'if value.dtype.kind not in "iufc":',
        "a numpy bool mask in the inputs is refused as not carriable", _INPUTS_14),
    Mutation("inputs-list-subclass-tag", "verify", V + "inputs.py",
        'return {TAG: type(value).__name__ if type(value) in (list, tuple) else "list", "items": items}',
        'return {TAG: type(value).__name__, "items": items}',
        "an input that is a list subclass gets an encoding the other side cannot decode", _INPUTS_14),
    Mutation("inputs-dataclass-non-init-field-lost", "verify", V + "inputs.py",
        "                object.__setattr__(made, name, item)\n", "                pass\n",
        "a dataclass input's field(init=False) reaches the old side with its default, not the value built", _INPUTS_14),
    Mutation("inputs-generator-unseeded", "verify", V + "inputs.py",
        "generator = torch.Generator().manual_seed(seed)", "generator = torch.Generator()",
        "--input tensors ignore the seed: two runs verify different inputs and a failure cannot be reproduced",
        (*_INPUTS_14, "tests/verify/test_verify.py")),
    Mutation("upgrade-preferred-key-skipped", "verify", V + "checkpoint.py",
        "    for key in STATE_DICT_KEYS:\n        if key in candidates:\n            return key, checkpoint[key]\n", "",
        "a checkpoint holding 'ema' and 'state_dict' (same keys) has its first entry upgraded, not 'state_dict'", _UPGRADE_14),
    Mutation("upgrade-every-value-fresh", "verify", V + "checkpoint.py",
        "(key, old_state[key] if key in old_state else fresh[key].detach().clone()) for key in fresh",
        "(key, fresh[key].detach().clone()) for key in fresh",
        "the upgraded checkpoint holds a fresh model's weights, not the trained ones", _UPGRADE_14),
    Mutation("config-unknown-key-ignored", "engine", E + "config.py",
        "        if key not in _KEYS:\n", "        if key not in _KEYS:\n            continue\n",
        "a typo in [tool.torchup] (`selct = [...]`) is ignored: every codemod runs", _CONFIG_14),
    Mutation("config-extend-exclude-replaces", "engine", E + "config.py",
        '"extend-exclude": ("extend_exclude", _strings),', '"extend-exclude": ("exclude", _strings),',
        "extend-exclude replaces the exclude list instead of adding to it", (*_CONFIG_14, *_DISCOVERY_14)),
    Mutation("discovery-named-file-excluded", "engine", E + "discovery.py",
        "            candidates = iter([path])\n", "            candidates = iter([] if exclude_spec.match_file(path.as_posix()) else [path])\n",
        "a file named on the command line is dropped by --exclude (pre-commit passes files by name)", (*_DISCOVERY_14, "tests/cli/test_precommit.py")),
    Mutation("discovery-nested-gitignore-ignored", "engine", E + "discovery.py",
        "    if own is not None:\n        ignores = [*ignores, (directory, own)]\n", "",
        "a .gitignore below the top directory is not applied: its ignored files are migrated", _DISCOVERY_14),
    Mutation("leaks-lost-when-forward-stops", "verify", V + "device_leaks.py",
        "    if leaks:\n        # Leaks found before a stop are real; the stop only means there may be more.\n"
        "        return DeviceLeakReport(True, tuple(leaks), reason=failure or \"\")\n"
        "    if failure is not None:\n        return DeviceLeakReport(False, reason=failure)\n",
        "    if failure is not None:\n        return DeviceLeakReport(False, reason=failure)\n"
        "    if leaks:\n        # Leaks found before a stop are real; the stop only means there may be more.\n"
        "        return DeviceLeakReport(True, tuple(leaks), reason=failure or \"\")\n",
        "a leak found before the meta forward stopped (at .item()) is dropped: the check says 'not checked'", _LEAKS_14),
    Mutation("leaks-kernel-mismatch-not-a-leak", "verify", V + "device_leaks.py",
        "        if mismatch:\n", "        if False:\n",
        "an RNN kernel's own 'different devices' error is 'could not check' instead of a leak at the user's line", _LEAKS_14),
    Mutation("leaks-pack-padded-lengths", "verify", V + "device_leaks.py",
        "    torch.ops.aten._pack_padded_sequence: (1,),\n", "",
        "pack_padded_sequence's lengths, which must stay on the CPU, reported as a device leak", _LEAKS_14),
)


# The fifteenth sweep, the coordinator's third, blind like the two before it (one more mutation,
# codemod-noqa-edit-applied, was written and dropped: the fourth sweep had made it): the verdict and its
# JSON, the CUDA shim, the incremental parse between passes, reading source bytes, the codemod
# base class's fix/noqa contract, and the run report.
_VERDICT_15 = ("tests/verify/test_verdict.py", "tests/verify/test_verify.py")
_INCREMENTAL_15 = ("tests/engine/test_incremental_parse.py", "tests/engine/test_pipeline.py")
_CODEMOD_15 = ("tests/engine/test_pipeline.py", "tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py")
_REPORT_15 = ("tests/engine/test_report.py", "tests/cli/test_fix.py", "tests/cli/test_check_exit_code.py")
FIFTEENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("verdict-infinite-values-in-json", "verify", V + "verdict.py",
        "    if isinstance(value, float) and not math.isfinite(value):\n        return str(value)\n", "",
        "a failed check whose worst element is inf or nan makes --report crash instead of writing the report", _VERDICT_15),
    Mutation("verdict-legacy-exit-zero", "verify", V + "verdict.py",
        "LEGACY_DOES_NOT_RUN: 3,", "LEGACY_DOES_NOT_RUN: 0,",
        "a model whose legacy side does not run exits 0, as if proven equivalent", _VERDICT_15),
    Mutation("verdict-informational-shown-as-fail", "verify", V + "verdict.py",
        'status = "found" if check.name in INFORMATIONAL_CHECKS and check.status == FAIL else check.status',
        "status = check.status",
        "the legacy model's device leak (what the migration fixed) is printed as a failed check", _VERDICT_15),
    Mutation("shim-type-dtype-keyword", "verify", V + "cuda_shim.py",
        '        if name == "type" and "dtype" in kwargs:\n            kwargs["dtype"] = _cpu_type_name(kwargs["dtype"])\n', "",
        "legacy `x.type(dtype='torch.cuda.FloatTensor')` raises on the CPU-only old side", ("tests/verify/test_cuda_shim.py", "tests/verify/test_legacy_side.py")),
    Mutation("incremental-neighbour-moved", "engine", E + "incremental_parse.py",
        "place[id(statements[i + 1])] == place[id(statement)] + 1", "place[id(statements[i + 1])] >= place[id(statement)] + 1",
        "a comment after a compound statement whose next statement a pass removed is kept in the wrong block: the next pass's tree differs from a parse",
        _INCREMENTAL_15),
    Mutation("incremental-fragment-indent-one-deeper", "engine", E + "incremental_parse.py",
        'prefix = "".join("".join(indents[:depth]) + "if 1:" + newline for depth in range(len(indents)))',
        'prefix = "".join("".join(indents[: depth + 1]) + "if 1:" + newline for depth in range(len(indents)))',
        "a statement a pass made inside a block is parsed at the wrong indentation: the file fails", _INCREMENTAL_15),
    Mutation("source-utf32-read-as-utf16", "engine", E + "source_file.py",
        '    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),\n', "",
        "a UTF-32 file is refused as UTF-16: the message names the wrong encoding to convert from",
        ("tests/engine/test_writeback.py", "tests/cli/test_hostile_tree.py", "tests/engine/test_discovery.py")),
    Mutation("codemod-unsafe-keep-ignored", "engine", E + "codemod.py",
        '        self.report(original, f"{message} (unsafe fix: use --unsafe-fixes)", fix_available=True)\n        return original if keep is None else keep\n',
        '        self.report(original, f"{message} (unsafe fix: use --unsafe-fixes)", fix_available=True)\n        return original\n',
        "a codemod's safe part of an unsafe rewrite (`keep=`) is dropped without --unsafe-fixes", (*_CODEMOD_15, "tests/codemods/test_data_index.py", "tests/codemods/test_legacy_constructors.py")),
    Mutation("report-json-cell-dropped", "engine", E + "report.py",
        '    if record.cell:\n        base["cell"] = record.cell\n', "",
        "a notebook record in the --report JSON does not say which cell it is in", (*_REPORT_15, "tests/cli/test_notebooks_and_formats.py")),
    Mutation("report-check-says-rewritten", "engine", E + "report.py",
        'would = self.write_back is not WriteBack.YES or self.command == "check"', "would = self.write_back is WriteBack.DIFF",
        "`fix --check` says files were rewritten when nothing was written", _REPORT_15),
)


# The sixteenth sweep, the coordinator's fourth. Not blind for the command line and the pipeline:
# parts of tests/cli/test_fix.py and tests/engine/test_pipeline.py had been read for the thirteenth
# sweep's survivors. Interactive review, --quiet, --add-noqa on notebooks, colours, unused-noqa
# reporting, the phase boundaries, and the noqa directives' reading.
_REVIEW_16 = ("tests/cli/test_review_and_output.py", "tests/engine/test_interactive.py", "tests/cli/test_fix.py")
_NOQA_16 = ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py")
SIXTEENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("cli-review-writes-uncompilable", "engine", E + "cli.py",
        "            if interactive_review.compiles(text):\n", "            if True:\n",
        "fix -i writes accepted hunks that do not compile without the rejected ones", _REVIEW_16),
    Mutation("cli-review-quit-drops-accepted", "engine", E + "cli.py",
        '            elif answer == "q":\n                quit_now = True\n',
        '            elif answer == "q":\n                quit_now = True\n                accepted.clear()\n',
        "q in fix -i throws away the hunks already accepted in that file", _REVIEW_16),
    Mutation("cli-no-color-ignored-on-a-terminal", "engine", E + "cli.py",
        "colour = options.color if options.color is not None else sys.stdout.isatty()", "colour = options.color or sys.stdout.isatty()",
        "--no-color still colours the diff on a terminal", ("tests/cli/test_fix.py", "tests/cli/test_review_and_output.py")),
    Mutation("cli-add-noqa-edits-notebooks", "engine", E + "cli.py",
        '        if outcome.path.endswith(".ipynb"):\n            click.echo(f"warning: {outcome.path}: --add-noqa does not edit notebooks; {len(records)} left", err=True)\n            continue\n', "",
        "check --add-noqa writes comments into a notebook's JSON: the notebook no longer opens",
        ("tests/engine/test_suppressions.py", "tests/cli/test_notebooks_and_formats.py", "tests/cli/test_check_exit_code.py")),
    Mutation("cli-quiet-prints-findings", "engine", E + "cli.py",
        "    elif not options.quiet:\n        for line in report.record_lines(include_edits=False):", "    else:\n        for line in report.record_lines(include_edits=False):",
        "fix --quiet still lists every finding on stderr", ("tests/cli/test_fix.py", "tests/cli/test_review_and_output.py", "tests/cli/test_check_exit_code.py")),
    Mutation("pipeline-unused-noqa-always", "engine", E + "pipeline.py",
        "    if settings.show_unused_noqa:\n", "    if True:\n",
        "every run reports unused noqa directives (TU000), not only with --show-unused-noqa", (*_PIPELINE_13, *_NOQA_16)),
    Mutation("pipeline-tu3-boundary-dropped", "engine", E + "pipeline.py",
        'PHASE_STARTS: Tuple[str, ...] = ("TU102", "TU3", "TU304")', 'PHASE_STARTS: Tuple[str, ...] = ("TU102", "TU304")',
        "TU3xx shares TU2xx's pass: the constants TU201 just registered are not moved to the device", (*_PIPELINE_13, "tests/corpus/test_golden_outputs.py")),
    Mutation("runner-review-text-dropped", "engine", E + "runner.py",
        'return FileOutcome(path, Status.CHANGED, records, diff, code if job.keep_text else "")', 'return FileOutcome(path, Status.CHANGED, records, diff, "")',
        "fix -i is given no migrated text: every hunk it offers deletes the file's code", _REVIEW_16),
    Mutation("noqa-second-directive-in-a-comment", "engine", E + "suppressions.py",
        "    matches = list(_NOQA.finditer(comment))\n", "    matches = [m for m in [_NOQA.search(comment)] if m]\n",
        "`# noqa  # noqa: TU101` (a bare one for another tool first) no longer silences TU101", _NOQA_16),
    Mutation("noqa-multiline-string-not-joined", "engine", E + "suppressions.py",
        "        if last > first:\n            joined.append((first, last))  # a multi-line string\n", "",
        "a # noqa after a multi-line string does not cover the statement's first line", _NOQA_16),
)


# The seventeenth sweep, the coordinator's fifth, blind (one more, imports-spelling-rebound-alias, was
# written and dropped: the sixth sweep had made it): --add-noqa beside a coded noqa, how a
# file spells a torch name, the 0.3 volatile tensor saved by the old side, notebooks' raw cells
# and an unchanged notebook's findings.
_NOTEBOOK_17 = ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py")
SEVENTEENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("add-noqa-coded-directive-duplicated", "engine", E + "add_noqa.py",
        "coded = _CODED_NOQA.search(comment[0]) if comment is not None else None", "coded = None",
        "a line with `# noqa: TU101` gets a second `# noqa: TU404` comment instead of the code added to the first",
        ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py")),
    Mutation("imports-spelling-longest", "engine", E + "analysis/imports.py",
        "if best is None or len(candidate) < len(best):", "if best is None or len(candidate) > len(best):",
        "an inserted name is spelled the longest way the file can (`torch.nn.functional.relu` beside `import torch.nn.functional as F`)",
        ("tests/analysis/test_imports.py", "tests/codemods/test_renamed_functions.py", "tests/codemods/test_buffers.py")),
    Mutation("legacy-volatile-output-not-plain", "verify", V + "legacy_defaults.py",
        "    def __reduce_ex__(self, protocol):\n", "    def _reduce_ex_unused(self, protocol):\n",
        "an old-side output computed from a volatile Variable is saved as the 0.3 subclass: the parent's weights_only load fails",
        ("tests/verify/test_legacy_defaults.py", "tests/verify/test_legacy_side.py")),
    Mutation("notebook-raw-cells-migrated", "engine", E + "notebook.py",
        '        if cell.get("cell_type") != "code":\n', '        if cell.get("cell_type") == "markdown":\n',
        "a notebook's raw cells (text, not code) are migrated as Python", _NOTEBOOK_17),
    Mutation("notebook-unchanged-findings-lost", "engine", E + "notebook.py",
        "return NotebookMigration(text, text, records, ())", "return NotebookMigration(text, text, (), ())",
        "a notebook with findings but no edit reports nothing", _NOTEBOOK_17),
)


# The eighteenth sweep, the coordinator's sixth, blind: GitHub annotations and SARIF, the index
# walk's skipping, and where the configuration is looked for.
_FORMATS_18 = ("tests/engine/test_output_formats.py", "tests/cli/test_notebooks_and_formats.py")
EIGHTEENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("github-edit-as-warning", "engine", E + "output_formats.py",
        'return _command("notice", properties, _message(record))', 'return _command("warning", properties, _message(record))',
        "an edit torchup would make is annotated as a warning on the pull request, like a finding that needs a person", _FORMATS_18),
    Mutation("github-error-without-line", "engine", E + "output_formats.py",
        '        if line is not None:\n            properties.append(("line", line))\n', "",
        "a file that does not parse is annotated without the line of its syntax error", _FORMATS_18),
    Mutation("sarif-absolute-path-not-a-uri", "engine", E + "output_formats.py",
        "    if pure.is_absolute():\n        return pure.as_uri()\n", "",
        "SARIF names an absolute path as a relative URI: viewers cannot open the file", _FORMATS_18),
    Mutation("sarif-levels-swapped", "engine", E + "output_formats.py",
        '"level": "note" if fixable else "warning",', '"level": "warning" if fixable else "note",',
        "in SARIF the findings that need a person are notes and the automatic edits warnings", _FORMATS_18),
    Mutation("walk-skips-the-next-sibling", "engine", E + "analysis/walk.py",
        "            if here < skip_until:\n", "            if here <= skip_until:\n",
        "off by one: an analysis that declines a subtree also misses the node right after it",
        ("tests/engine/test_traversal.py", "tests/engine/test_pipeline.py", "tests/corpus/test_golden_outputs.py")),
    Mutation("config-found-from-the-working-directory", "engine", E + "config.py",
        "absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]", "absolute = [os.getcwd()]",
        "the pyproject.toml is looked for above the working directory, not above the paths: another project's settings apply",
        ("tests/engine/test_config.py", "tests/cli/test_fix.py")),
)


# The nineteenth sweep, the coordinator's seventh: a small blind sample in three codemods (TU101,
# TU411, TU423), written after every other sweep's tests were merged and run once against them (a
# seventh, strides through an assigned name, was dropped before the run: the twelfth had made it).
NINETEENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("variable-requires-grad-false-kept", "codemods", C + "variable.py",
        "    if flag is None or is_false(flag):\n        replacement = plain\n", "    if flag is None:\n        replacement = plain\n",
        "`Variable(x, requires_grad=False)` becomes `x.detach().requires_grad_(False)` instead of `x`",
        ("tests/codemods/test_variable.py",)),
    Mutation("variable-data-not-detached", "codemods", C + "variable.py",
        'plain, message = detached, "`Variable(x.data)` -> `x.detach()`"', 'plain, message = data.value, "`Variable(x.data)` -> `x.detach()`"',
        "`Variable(x.data)` becomes `x`: gradients now flow where the legacy code cut them", ("tests/codemods/test_variable.py",)),
    Mutation("variable-third-positional-unknown", "codemods", C + "variable.py",
        "(names[position] if position < 3 else None)", "(names[position] if position < 2 else None)",
        "`Variable(x, False, True)` (volatile given by position) is refused as an unknown argument",
        ("tests/codemods/test_variable.py", "tests/codemods/test_volatile.py")),
    Mutation("strides-keyword-lengths-missed", "codemods", C + "negative_stride_lengths.py",
        "            if (arg.keyword is None and not arg.star and index == position) or (\n                arg.keyword is not None and arg.keyword.value == keyword\n            ):",
        "            if arg.keyword is None and not arg.star and index == position:",
        "`pack_padded_sequence(x, lengths=np.sort(l)[::-1])` is left to fail on its negative strides",
        ("tests/codemods/test_negative_stride_lengths.py",)),
    Mutation("strides-nested-function-scope", "codemods", C + "negative_stride_lengths.py",
        "        return False  # a nested function is a scope of its own, scanned when the codemod enters it",
        "        return True  # a nested function is a scope of its own, scanned when the codemod enters it",
        "a reversed slice assigned in a nested function is copied for a same-named use outside it",
        ("tests/codemods/test_negative_stride_lengths.py",)),
    Mutation("names-percent-name-kept", "codemods", C + "module_names.py",
        "return None if left is None else node.with_changes(left=left)", "return None if left is None else node",
        "`add_module('conv%d.%d' % (i, j), m)` is recorded as fixed but keeps its `.`",
        ("tests/codemods/test_module_names.py",)),
)


SWEEPS = {
    "first": MUTATIONS,
    "second": SECOND_SWEEP,
    "third": THIRD_SWEEP,
    "fourth": FOURTH_SWEEP,
    "fifth": FIFTH_SWEEP,
    "sixth": SIXTH_SWEEP,
    "eighth": EIGHTH_SWEEP,
    "ninth": NINTH_SWEEP,
    "thirteenth": THIRTEENTH_SWEEP,
    "fourteenth": FOURTEENTH_SWEEP,
    "fifteenth": FIFTEENTH_SWEEP,
    "sixteenth": SIXTEENTH_SWEEP,
    "seventeenth": SEVENTEENTH_SWEEP,
    "eighteenth": EIGHTEENTH_SWEEP,
    "nineteenth": NINETEENTH_SWEEP,
    "all": (*MUTATIONS, *SECOND_SWEEP, *THIRD_SWEEP, *FOURTH_SWEEP, *FIFTH_SWEEP, *SIXTH_SWEEP, *EIGHTH_SWEEP, *NINTH_SWEEP, *THIRTEENTH_SWEEP, *FOURTEENTH_SWEEP, *FIFTEENTH_SWEEP, *SIXTEENTH_SWEEP, *SEVENTEENTH_SWEEP, *EIGHTEENTH_SWEEP, *NINETEENTH_SWEEP),
}


def copy_tree(destination: Path) -> Path:
    """The working tree without environments and caches; its ``src/torchup/codemods`` is the
    link ``make mutate`` makes, so ``torchup.codemods`` is the copy's ``codemods/``."""
    tree = destination / "tree"
    shutil.copytree(ROOT, tree, ignore=ignored, symlinks=True)
    link = tree / "src" / "torchup" / "codemods"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("..") / ".." / "codemods")
    return tree


def check_imports_from(tree: Path) -> None:
    """Every mutation would survive if the tests imported the working tree's torchup instead."""
    probe = "import torchup.codemods.variable as module; print(module.__file__)"
    environment = dict(os.environ, PYTHONPATH=str(tree / "src"))
    found = subprocess.run([sys.executable, "-c", probe], cwd=tree, env=environment, capture_output=True, text=True)
    if not found.stdout.strip().startswith(str(tree)):
        raise SystemExit(f"torchup.codemods is not imported from the copy {tree}: {found.stdout or found.stderr}")


def run_tests(tree: Path, tests: Sequence[str], timeout: float) -> Tuple[int, float, str]:
    """pytest's exit code on ``tests`` in ``tree`` (124 on a timeout), its seconds and last line."""
    environment = dict(os.environ, PYTHONPATH=str(tree / "src"), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=tree, env=environment, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, time.monotonic() - started, "timed out"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, time.monotonic() - started, lines[-1] if lines else done.stderr.strip()[-200:]


def stale_reason(source: str, mutation: Mutation) -> Optional[str]:
    count = source.count(mutation.original)
    if count == 1:
        return None
    return "snippet not found" if count == 0 else f"snippet found {count} times"


def run(mutations: Iterable[Mutation], timeout: float, baseline: bool) -> Dict[str, Counter]:
    counts: Dict[str, Counter] = {package: Counter() for package in PACKAGES}
    mutations = list(mutations)
    with tempfile.TemporaryDirectory(prefix="torchup-hand-mutations-") as scratch:
        tree = copy_tree(Path(scratch))
        check_imports_from(tree)
        if baseline:
            tests = sorted({test for mutation in mutations for test in mutation.tests})
            code, seconds, last = run_tests(tree, tests, timeout * 3)
            print(f"clean copy: {len(tests)} test files, exit {code} in {seconds:.0f} s: {last}", flush=True)
            if code != 0:
                print("the mapped tests fail without any mutation: fix them first", file=sys.stderr)
                raise SystemExit(2)
        for mutation in mutations:
            path = tree / mutation.path
            source = path.read_text(encoding="utf-8")
            stale = stale_reason(source, mutation)
            if stale is not None:
                counts[mutation.package]["stale"] += 1
                print(f"STALE     {mutation.package:<8} {mutation.id}: {mutation.path}: {stale}", flush=True)
                continue
            path.write_text(source.replace(mutation.original, mutation.replacement), encoding="utf-8")
            try:
                code, seconds, last = run_tests(tree, mutation.tests, timeout)
            finally:
                path.write_text(source, encoding="utf-8")
            outcome = "survived" if code == 0 else "killed"
            counts[mutation.package][outcome] += 1
            print(f"{outcome.upper():<9} {mutation.package:<8} {mutation.id} ({seconds:.0f} s): {mutation.why}; {last}", flush=True)
    return counts


def print_summary(counts: Dict[str, Counter]) -> None:
    print("\npackage   killed/run  rate    stale")
    for package in PACKAGES:
        killed, survived = counts[package]["killed"], counts[package]["survived"]
        run_count = killed + survived
        rate = f"{100 * killed / run_count:.0f}%" if run_count else "-"
        print(f"{package:<9} {killed:>3}/{run_count:<7} {rate:<7} {counts[package]['stale']}")
    killed = sum(counts[package]["killed"] for package in PACKAGES)
    run_count = killed + sum(counts[package]["survived"] for package in PACKAGES)
    print(f"{'all':<9} {killed:>3}/{run_count:<7} {100 * killed / max(run_count, 1):.0f}%")


# The seventh sweep: the engine's core (pipeline, runner, the shared pass, code generation and
# parsing, incremental parse, imports, notebooks, add-noqa, write-back, output formats, the walk).
_PIPELINE = ("tests/engine/test_pipeline.py",)
_TRAVERSAL = ("tests/engine/test_traversal.py",)
_NOQA = ("tests/engine/test_suppressions.py", "tests/engine/test_suppression_directives.py")
_RUNNER = ("tests/engine/test_process_pool.py", "tests/engine/test_cache.py", "tests/cli/test_fix.py", "tests/cli/test_review_and_output.py")
_NOTEBOOK = ("tests/engine/test_notebook.py", "tests/cli/test_notebooks_and_formats.py")
_FORMATS = ("tests/engine/test_output_formats.py", "tests/cli/test_notebooks_and_formats.py")
SEVENTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation(
        "records-order-by-code", "engine", E + "records.py",
        "return (record.line, record.column, record.code)", "return (record.line, record.code, record.column)",
        "two records on one line listed by code instead of by column",
        (*_PIPELINE, "tests/engine/test_report.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "records-bare-noqa-default", "engine", E + "records.py",
        "    bare_noqa: bool = False\n", "    bare_noqa: bool = True\n",
        "wrong default: outside the command line (migrate_source, libcst.tool) another tool's bare # noqa silences torchup",
        (*_PIPELINE, *_NOQA, "tests/cli/test_libcst_interop.py"),
    ),
    Mutation(
        "memo-first-argument-only", "engine", E + "analysis/memo.py",
        "all(a is b for a, b in zip(last[0][0], args))", "all(a is b for a, b in zip(last[0][0][:1], args[:1]))",
        "a cache key of the first argument only: migrate_source(text2, codemods) answered with text1's prefilter",
        (*_PIPELINE, "tests/engine/test_parsing.py", "tests/engine/test_codegen.py"),
    ),
    Mutation(
        "matcher-tests-metadata-ignored", "engine", E + "analysis/matcher_tests.py",
        '        if field.name == "metadata":\n            return None', '        if field.name == "metadata":\n            continue',
        "a dropped case: a matcher's metadata condition ignored, so it matches nodes libcst's would not",
        ("tests/analysis/test_matcher_tests.py", *_TRAVERSAL),
    ),
    Mutation(
        "matcher-tests-allof-any", "engine", E + "analysis/matcher_tests.py",
        "return lambda node: all(test(node) for test in tests)", "return lambda node: any(test(node) for test in tests)",
        "wrong operator: m.AllOf(a, b) matches a node that matches either",
        ("tests/analysis/test_matcher_tests.py", *_TRAVERSAL),
    ),
    Mutation(
        "walk-skip-next-sibling", "engine", E + "analysis/walk.py",
        "if here < skip_until:", "if here <= skip_until:",
        "off by one: after a visit_* returned False, the next node of its type (past the subtree) is skipped too",
        _TRAVERSAL,
    ),
    Mutation(
        "walk-oneof-first-type", "engine", E + "analysis/walk.py",
        "else frozenset().union(*parts)", "else parts[0]",
        "find_all(m.OneOf(m.Name(), m.Attribute())) finds only the first option's type",
        _TRAVERSAL,
    ),
    Mutation(
        "walk-token-visitor", "engine", E + "analysis/walk.py",
        "return cls(field_hooks, frozenset(types), types.isdisjoint(TOKEN_TYPES))", "return cls(field_hooks, frozenset(types), True)",
        "a visitor with visit_Comma (a token hook) is walked without tokens and sees no comma",
        _TRAVERSAL,
    ),
    Mutation(
        "codemod-markers-all", "engine", E + "codemod.py",
        "return any(marker in text for marker in cls.MARKERS)", "return all(marker in text for marker in cls.MARKERS)",
        "the prefilter asks for every marker: a codemod with several markers skips files that hold one",
        (*_PIPELINE, "tests/test_catalogue.py", "tests/engine/test_discovery.py"),
    ),
    Mutation(
        "codemod-suppressed-finding-unrecorded", "engine", E + "codemod.py",
        "            self.suppressed.append(finding)\n            return\n", "            return\n",
        "a # noqa that silences a finding is reported unused (TU900) under --show-unused-noqa",
        (*_PIPELINE, *_NOQA),
    ),
    Mutation(
        "codemod-duplicate-code", "engine", E + "codemod.py",
        "if other is not None and other.__qualname__ != cls.__qualname__:", "if False:",
        "a dropped guard: a second codemod class with a taken code silently replaces the first",
        (*_PIPELINE, "tests/test_catalogue.py"),
    ),
    Mutation(
        "pipeline-phase-start-exclusive", "engine", E + "pipeline.py",
        "any(cls.CODE >= start > groups[-1][-1].CODE for start in PHASE_STARTS)", "any(cls.CODE > start > groups[-1][-1].CODE for start in PHASE_STARTS)",
        "off by one: TU102 shares TU101's pass (and TU304 TU303's): TU102 plans on the code before TU101's edits",
        (*_PIPELINE, "tests/engine/test_incremental_parse.py"),
    ),
    Mutation(
        "pipeline-line-map-clip", "engine", E + "pipeline.py",
        "i = i1 + min(offset, max(i2 - i1 - 1, 0))", "i = i1 + offset",
        "a record on a line a previous pass inserted maps to a later original line, not the region's",
        _PIPELINE,
    ),
    Mutation(
        "pipeline-line-zero", "engine", E + "pipeline.py",
        "if self.lines is None or line <= 0:", "if self.lines is None or line < 0:",
        "off by one: a record of a node made this pass (line 0) is put on the file's last line after an earlier pass edited",
        _PIPELINE,
    ),
    Mutation(
        "pipeline-async-unselected", "engine", E + "pipeline.py",
        "if parsed.async_renames and not any(cls.CODE == ASYNC_CODE for cls in codemods):", "if False:",
        "a dropped guard: --select TU101 renames async= anyway (a rewrite the user did not select)",
        (*_PIPELINE, "tests/engine/test_parsing.py", "tests/cli/test_fix.py"),
    ),
    Mutation(
        "pipeline-reparse-off-by-one", "engine", E + "pipeline.py",
        "            if number < len(groups):\n", "            if number < len(groups) - 1:\n",
        "off by one: the last pass runs on the tree before the previous pass, whose edits are lost",
        (*_PIPELINE, "tests/engine/test_incremental_parse.py"),
    ),
    Mutation(
        "runner-async-marker", "engine", E + "runner.py",
        '        found.add("async")\n', "        pass\n",
        "a dropped case: a file whose only legacy is .cuda(async=True) is skipped by the prefilter",
        _RUNNER,
    ),
    Mutation(
        "runner-replay-changed-in-fix", "engine", E + "runner.py",
        "return status == Status.CHANGED.value and job.write_back is WriteBack.CHECK and not job.keep_text",
        "return status == Status.CHANGED.value and not job.keep_text",
        "a cached `check` outcome replayed by `fix`: the file is reported changed and never written",
        _RUNNER,
    ),
    Mutation(
        "runner-no-newline-marker", "engine", E + "runner.py",
        'line + "\\n\\\\ No newline at end of file\\n"', 'line + "\\n"',
        "a missing case: a diff of a file without a final newline lacks the marker (git apply adds one)",
        _RUNNER,
    ),
    Mutation(
        "runner-diff-unformatted", "engine", E + "runner.py",
        "diff = unified_diff(path, result.source, code) if", "diff = unified_diff(path, result.source, result.code) if",
        "wrong variable: `fix --diff --format` shows the code before black, not what would be written",
        (*_RUNNER, "tests/engine/test_formatting.py"),
    ),
    Mutation(
        "shared-pass-visit-while-skipping", "engine", E + "shared_pass.py",
        "if skipping[index] is None and hook(node) is False:", "if hook(node) is False and skipping[index] is None:",
        "a codemod that declined a subtree (visit_* returned False) still has its visit_* called inside it",
        (*_TRAVERSAL, *_PIPELINE),
    ),
    Mutation(
        "shared-pass-leave-of-skipped", "engine", E + "shared_pass.py",
        "if mark is not None and mark is not original_node:", "if mark is not None:",
        "a codemod that declined a node's children never gets its leave_* for that node",
        (*_TRAVERSAL, *_PIPELINE),
    ),
    Mutation(
        "shared-pass-type-change", "engine", E + "shared_pass.py",
        "if not isinstance(result, cst.CSTNode) or type(result) is not type(original_node):", "if not isinstance(result, cst.CSTNode):",
        "a dropped case: after one codemod turns a Call into a Name, the next one's leave_Call gets the Name",
        (*_TRAVERSAL, *_PIPELINE),
    ),
    Mutation(
        "shared-pass-matcher-hooks", "engine", E + "shared_pass.py",
        "if any(value is None or len(value) > 0 for value in state):", "if all(value is None or len(value) > 0 for value in state):",
        "a codemod with @m.leave(...) decorators gets the plain hooks: its decorated hook never runs",
        (*_TRAVERSAL, *_PIPELINE, "tests/cli/test_libcst_interop.py"),
    ),
    Mutation(
        "parsing-async-outside-call", "engine", E + "parsing.py",
        'if token.type != tokenize.NAME or token.string != "async" or depth == 0:', 'if token.type != tokenize.NAME or token.string != "async":',
        "a dropped guard: a Python 2 statement `async = True` renamed `non_blocking = True` and migrated",
        ("tests/engine/test_parsing.py", "tests/codemods/test_async_keyword.py"),
    ),
    Mutation(
        "parsing-error-column", "engine", E + "parsing.py",
        "column = max((error.offset or 1) - 1, 0)", "column = error.offset or 1",
        "off by one: a syntax error's column reported one to the right",
        ("tests/engine/test_parsing.py", *_PIPELINE, "tests/cli/test_fix.py"),
    ),
    Mutation(
        "incremental-first-statement", "engine", E + "incremental_parse.py",
        "            or new.body[0] is not old.body[0]  # the header takes the first statement's comments\n", "",
        "a dropped guard: with the first import removed, the comments above the new first statement are its own, not the module header as parsed",
        ("tests/engine/test_incremental_parse.py",),
    ),
    Mutation(
        "incremental-node-twice", "engine", E + "incremental_parse.py",
        "            raise _Fallback  # a node twice in the tree: the next pass needs each once\n", "            pass\n",
        "a dropped guard: a statement a pass placed twice is one node twice in the next pass's tree (one position for both)",
        ("tests/engine/test_incremental_parse.py",),
    ),
    Mutation(
        "codegen-leading-lines", "engine", E + "codegen.py",
        "places[statement] = (line - len(statement.leading_lines), indents)", "places[statement] = (line, indents)",
        "a statement's comment lines above it counted as the previous statement's: records and reused text shift",
        ("tests/engine/test_codegen.py", *_PIPELINE),
    ),
    Mutation(
        "codegen-column-after-newline", "engine", E + "codegen.py",
        "            self.column = len(segments[-1])\n", "            self.column += len(segments[-1])\n",
        "a node after a line break inside a statement gets the column of the line before added to its own",
        ("tests/engine/test_codegen.py", *_PIPELINE),
    ),
    Mutation(
        "codegen-last-decorator", "engine", E + "codegen.py",
        "line = first.decorator_list[0].lineno", "line = first.decorator_list[-1].lineno",
        "a function with two decorators placed one line low: its records, and its first decorator given to the statement before",
        ("tests/engine/test_codegen.py", *_PIPELINE),
    ),
    Mutation(
        "imports-string-annotation", "engine", E + "import_removal.py",
        "            self.names.update(_IDENTIFIER.findall(node.value))\n", "            pass\n",
        "a dropped case: an import used only in a string annotation (x: \"Variable\") is removed",
        ("tests/engine/test_import_removal.py",),
    ),
    Mutation(
        "imports-trailing-comma", "engine", E + "import_removal.py",
        "kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)", "pass",
        "a dropped step: `from m import a, Variable` becomes `from m import a,` (a SyntaxError)",
        ("tests/engine/test_import_removal.py",),
    ),
    Mutation(
        "imports-all-augmented", "engine", E + "import_removal.py",
        "    def visit_AugAssign(self, node: cst.AugAssign) -> None:\n        self._in_all += _assigns_all([node.target])\n",
        "    def visit_AugAssign(self, node: cst.AugAssign) -> None:\n        pass\n",
        "a missing case: an import exported with `__all__ += [\"Variable\"]` is removed",
        ("tests/engine/test_import_removal.py",),
    ),
    Mutation(
        "add-noqa-no-anchor", "engine", E + "add_noqa.py",
        "anchor = found.anchors.get(record.line, record.line)", "anchor = record.line",
        "the # noqa of a record in a multi-line statement goes on its first line, where it suppresses nothing",
        _NOQA,
    ),
    Mutation(
        "add-noqa-codes-again", "engine", E + "add_noqa.py",
        "missing = sorted(codes - (directive.codes if directive is not None else frozenset()))", "missing = sorted(codes)",
        "a code already in the line's # noqa added again: --add-noqa twice writes `# noqa: TU101, TU101`",
        _NOQA,
    ),
    Mutation(
        "add-noqa-crlf", "engine", E + "add_noqa.py",
        '_LINE_END = re.compile(r"(\\r\\n|\\r|\\n)?\\Z")', '_LINE_END = re.compile(r"(\\n)?\\Z")',
        "a missing case: a CRLF line given a # noqa comes back with an LF ending",
        _NOQA,
    ),
    Mutation(
        "notebook-final-newline", "engine", E + "notebook.py",
        "            cell_text = cell_text[:-1]\n", "            pass\n",
        "a dropped step: every code cell without a final newline (Jupyter's norm) is rewritten with one",
        _NOTEBOOK,
    ),
    Mutation(
        "notebook-cell-line-off-by-one", "engine", E + "notebook.py",
        "max(line - cell.first_line + 1, 0) if line else 0", "max(line - cell.first_line, 0) if line else 0",
        "off by one: a record's line within its cell one too low",
        _NOTEBOOK,
    ),
    Mutation(
        "notebook-continued-magic", "engine", E + "notebook.py",
        'continued_indent = indent if body.endswith("\\\\") else None', "continued_indent = None",
        "a dropped case: the second line of `!pip install \\` is parsed as Python and the notebook fails",
        _NOTEBOOK,
    ),
    Mutation(
        "notebook-removed-import-swapped", "engine", E + "notebook.py",
        "removed = _imported_names(before) - _imported_names(after)", "removed = _imported_names(after) - _imported_names(before)",
        "two arguments swapped: a magic line left using an import the rewrite removed is not declined",
        _NOTEBOOK,
    ),
    Mutation(
        "writeback-symlink-replaced", "engine", E + "writeback.py",
        "    target = Path(os.path.realpath(path))\n    mode =", "    target = Path(path)\n    mode =",
        "a symlink is replaced by a regular file (its target left old) instead of written through",
        ("tests/engine/test_writeback.py", "tests/engine/test_writeback_temporary.py"),
    ),
    Mutation(
        "writeback-interrupt-leftover", "engine", E + "writeback.py",
        "    except BaseException:\n        temporary.unlink", "    except Exception:\n        temporary.unlink",
        "a narrowed guard: Ctrl-C while writing leaves the temporary file beside the target",
        ("tests/engine/test_writeback.py", "tests/engine/test_writeback_temporary.py", "tests/cli/test_interrupted_run.py"),
    ),
    Mutation(
        "github-property-comma", "engine", E + "output_formats.py",
        '.replace(":", "%3A").replace(",", "%2C")', '.replace(":", "%3A")',
        "a missing case: a path with a comma cuts the annotation's properties",
        _FORMATS,
    ),
    Mutation(
        "github-column-zero-based", "engine", E + "output_formats.py",
        '("col", record.column + 1)', '("col", record.column)',
        "off by one: GitHub annotations point one column left",
        _FORMATS,
    ),
    Mutation(
        "github-error-line-zero", "engine", E + "output_formats.py",
        "if match and int(match.group(1)) > 0:", "if match:",
        "a dropped guard: an error with no line (line 0) annotated at line=0",
        _FORMATS,
    ),
    Mutation(
        "sarif-unsafe-fix-not-fixable", "engine", E + "output_formats.py",
        '"fixable": fixable or bool(getattr(record, "fix_available", False)),', '"fixable": fixable,',
        "a dropped case: a finding --unsafe-fixes would fix is marked not fixable in SARIF",
        _FORMATS,
    ),
    # A second batch, written after the first batch's tests: 11 of these 17 were killed before their own tests.
    Mutation("notebook-crlf-style", "engine", E + "notebook.py",
        'newline = "\\r\\n" if "\\r\\n" in text else "\\n"', 'newline = "\\n"',
        "a missing case: a CRLF notebook's rewritten sources get LF line breaks", _NOTEBOOK),
    Mutation("notebook-magic-in-brackets", "engine", E + "notebook.py",
        "        return False  # EOF inside brackets", "        return True  # EOF inside brackets",
        "a line starting with % inside brackets (a continued modulo) masked as a magic: the cell breaks", _NOTEBOOK),
    Mutation("notebook-magic-assignment", "engine", E + "notebook.py",
        "return bool(_MAGIC_ASSIGNMENT.match(stripped) or _HELP_SUFFIX.fullmatch(stripped))", "return bool(_HELP_SUFFIX.fullmatch(stripped))",
        "a dropped case: `files = !ls` is parsed as Python and the notebook fails", _NOTEBOOK),
    Mutation("imports-comment-of-dropped-alias", "engine", E + "import_removal.py",
        "                    kept[-1] = _take_comments(kept[-1], alias.comma)\n", "                    pass\n",
        "a dropped step: the comment after a removed name in a parenthesised import is lost", ("tests/engine/test_import_removal.py",)),
    Mutation("sarif-description-first-paragraph", "engine", E + "output_formats.py",
        "if line and not line[0].isspace():", "if not line or not line[0].isspace():",
        "a rule's fullDescription cut at its first blank line", _FORMATS),
    Mutation("sarif-uri-unquoted", "engine", E + "output_formats.py",
        "return quote(pure.as_posix())", "return pure.as_posix()",
        "a path with a space or # written into SARIF as an invalid URI", _FORMATS),
    Mutation("sarif-region-line-zero", "engine", E + "output_formats.py",
        "    if line > 0:\n        region", "    if line >= 0:\n        region",
        "off by one: a notebook record (no file line) gets a SARIF region at startLine 0", _FORMATS),
    Mutation("writeback-leftovers-beside-link", "engine", E + "writeback.py",
        "    target = Path(os.path.realpath(path))\n    try:", "    target = Path(path)\n    try:",
        "leftovers beside a symlink's target are never removed", ("tests/engine/test_writeback.py", "tests/engine/test_writeback_temporary.py", "tests/cli/test_interrupted_run.py")),
    Mutation("codemod-settings-ignored", "engine", E + "codemod.py",
        "self.settings: Settings = settings if settings is not None else Settings(unsafe_fixes=unsafe_fixes)", "self.settings: Settings = Settings(unsafe_fixes=unsafe_fixes)",
        "the run's settings ignored: --unsafe-fixes and --buffers never reach the codemods", (*_PIPELINE, *_NOQA)),
    Mutation("walk-nodes-reversed", "engine", E + "analysis/walk.py",
        "stack.extend(reversed(children(current)))", "stack.extend(children(current))",
        "find_all's nodes not in source order: the first match is the last one in the file", _TRAVERSAL),
    Mutation("walk-subtree-end-inclusive", "engine", E + "analysis/walk.py",
        "bisect_left(positions, end)]", "bisect_left(positions, end) + 1]",
        "off by one: find_all under a node also finds the next node of its type after it", _TRAVERSAL),
    Mutation("matcher-tests-string-prefix", "engine", E + "analysis/matcher_tests.py",
        "return lambda node: getattr(node, name) == desired", "return lambda node: getattr(node, name).startswith(desired)",
        "m.Name('Variable') matches `VariableX` too", ("tests/analysis/test_matcher_tests.py", *_TRAVERSAL)),
    Mutation("parsing-py2-except-hint", "engine", E + "parsing.py",
        "    (re.compile(r\"^\\s*except\\s+[^:]+,\\s*\\w+\\s*:\"), \"Python 2 'except E, e:' clause\"),\n", "",
        "a missing case: `except E, e:` not recognised as Python 2 in the parse error", ("tests/engine/test_parsing.py", *_PIPELINE, "tests/cli/test_fix.py")),
    Mutation("pipeline-skip-file", "engine", E + "pipeline.py",
        "    if suppressions_of(source).skip_file:\n        return Migration(source, source, ())\n", "",
        "a dropped guard: `# torchup: skip-file` ignored", (*_PIPELINE, *_NOQA)),
    Mutation("pipeline-unused-noqa-order", "engine", E + "pipeline.py",
        "records=tuple(sorted((*migration.records, *idle), key=position_key))", "records=(*migration.records, *idle)",
        "an unused # noqa (TU900) listed after every other record instead of at its line", (*_PIPELINE, *_NOQA)),
    Mutation("codegen-known-any-indent", "engine", E + "codegen.py",
        "if tuple(state.indent_tokens) == self.indents:", "if True:",
        "a kept statement moved into a new block (TU102's with) keeps its old indentation", ("tests/engine/test_codegen.py", *_PIPELINE)),
    Mutation("add-noqa-upper-case", "engine", E + "add_noqa.py",
        "(?:[,\\s]+[A-Z]+[0-9]+)*)\", re.IGNORECASE)", "(?:[,\\s]+[A-Z]+[0-9]+)*)\")",
        "a `# NOQA: TU101` line gets a second comment instead of the code added", _NOQA),
    # A third batch, written after the second's tests: 4 of these 8 were killed before their tests; one more
    # (runner-shard-by-cwd) once its mapping named tests/cli/test_scale.py, where its test already was.
    Mutation("runner-declined-notebook-internal", "engine", E + "runner.py",
        'else "internal" if result.kind == "internal" else "declined"', 'else "internal"',
        "a notebook torchup declines (a magic would lose its import) reported as an internal error", (*_RUNNER, *_NOTEBOOK)),
    Mutation("runner-shard-by-cwd", "engine", E + "runner.py",
        "    root = os.path.commonpath(directories)\n", "    root = os.getcwd()\n",
        "a file's shard depends on the directory torchup runs from: two machines split one repository differently", (*_RUNNER, "tests/cli/test_scale.py")),
    Mutation("runner-outcomes-in-completion-order", "engine", E + "runner.py",
        "return tuple(by_task[i] for i in range(len(tasks)))", "return tuple(by_task.values())",
        "with a process pool the outcomes (and the report) come in the order the workers finished, not the files'", _RUNNER),
    Mutation("codemod-alone-imports-on-findings", "engine", E + "codemod.py",
        "        if not any(isinstance(record, Edit) for record in self.records):\n            return tree",
        "        if not any(isinstance(record, Finding) for record in self.records):\n            return tree",
        "under libcst.tool, a codemod's edits without a finding skip its import requests (the unused Variable import stays, a needed one is not added)",
        ("tests/cli/test_libcst_interop.py", "tests/engine/test_pipeline.py")),
    Mutation("notebook-string-source-as-list", "engine", E + "notebook.py",
        "return cell_text if isinstance(original, str) else _lines(cell_text)", "return _lines(cell_text)",
        "a cell whose source is one string is rewritten as a list of lines (the notebook's format changed)", _NOTEBOOK),
    Mutation("notebook-preamble-lost", "engine", E + "notebook.py",
        "current = texts[number] = preamble if not order else []", "current = texts[number] = []",
        "an import a codemod adds above the first cell is lost: the notebook then raises NameError", _NOTEBOOK),
    Mutation("shared-pass-optional-child-removal", "engine", E + "shared_pass.py",
        "        if default is None or default is MaybeSentinel.DEFAULT:\n            return default  # an optional field is emptied\n", "",
        "a codemod that removes an optional child (a parameter's annotation) makes the pass raise", (*_TRAVERSAL, *_PIPELINE)),
    Mutation("sarif-always-successful", "engine", E + "output_formats.py",
        '"executionSuccessful": not report.failed,', '"executionSuccessful": True,',
        "a run with files that failed says it succeeded in SARIF", _FORMATS),
)

SWEEPS["seventh"] = SEVENTH_SWEEP
SWEEPS["all"] = (*SWEEPS["all"], *SEVENTH_SWEEP)


# The eleventh sweep: the device family (TU301, TU302, TU304, TU305, TU401, TU201, TU202) and the
# analyses under it (module index, tensor test, GPU switches, tree screen, legacy era).
_CC = ("tests/codemods/test_cuda_constants.py",)
_CC_TYPES = ("tests/codemods/test_cuda_constants.py", "tests/codemods/test_cuda_types.py")
_SD = ("tests/codemods/test_script_device.py",)
_CT = ("tests/codemods/test_cuda_types.py",)
_LC = ("tests/codemods/test_legacy_constructors.py",)
_BUF = ("tests/codemods/test_buffers.py", "tests/codemods/test_parameters.py")
ELEVENTH_SWEEP: Tuple[Mutation, ...] = (
    # -- TU301 cuda_constants
    Mutation("cuda-constants-own-layer-class", "codemods", C + "cuda_constants.py",
        '            and (self.imports.qualified_name(call.func) or "").startswith("torch.nn.")\n', "",
        "a dropped guard: a user's own `Linear(...)` class in `__init__` makes `next(self.parameters())` the device of a module that may have no parameter",
        _CC_TYPES),
    Mutation("cuda-constants-first-parameter-skipped", "codemods", C + "cuda_constants.py",
        "for param in method.params.params[1:]:", "for param in method.params.params[2:]:",
        "off by one: `forward(self, x)`'s x is never the reference; constants go to a buffer's device or are reported",
        _CC_TYPES),
    Mutation("cuda-constants-numpy-data-as-constant", "codemods", C + "cuda_constants.py",
        'return factory not in _DATA_FACTORIES and not factory.startswith("cuda.")', 'return not factory.startswith("cuda.")',
        "a dropped guard: `torch.from_numpy(a).cuda()` in forward (data, the user's device choice) rewritten to `.to(x.device)`",
        _CC),
    Mutation("cuda-constants-scaled-constant", "codemods", C + "cuda_constants.py",
        "self.is_constant(s, constant_locals) or isinstance(s, (cst.Integer, cst.Float)) for s in sides",
        "self.is_constant(s, constant_locals) for s in sides",
        "a missing case: `(torch.ones(n) * 0.5).cuda()` is no longer a constant: left to fail on a CPU-only machine",
        _CC),
    Mutation("cuda-constants-conditional-branches-differ", "codemods", C + "cuda_constants.py",
        "        if stripped[0] != stripped[1]:\n            return None\n        guard = _is_cuda_test(node.test)",
        "        guard = _is_cuda_test(node.test)",
        "a dropped guard: `torch.zeros(n).cuda() if gpu else torch.ones(n)` collapsed to the zeros: the CPU branch's ones lost",
        _CC),
    Mutation("cuda-constants-guard-else-dropped", "codemods", C + "cuda_constants.py",
        "if plan is None or guard is None or updated.orelse is not None or self.in_module_init():",
        "if plan is None or guard is None or self.in_module_init():",
        "a dropped guard: `if x.is_cuda: h = h.cuda()` with an `else:` rewritten and the else branch lost",
        _CC),
    Mutation("cuda-constants-like-built-on-cpu", "codemods", C + "cuda_constants.py",
        'on_cpu = not factory.startswith("cuda.") and not factory.endswith("_like")', 'on_cpu = not factory.startswith("cuda.")',
        "a missing case: a moved `torch.zeros_like(y)` (on y's device) counted as built on the CPU: the guarded move is called safe",
        _CC),
    Mutation("cuda-constants-register-none", "codemods", C + "cuda_constants.py",
        '                and not (isinstance(call.args[1].value, cst.Name) and call.args[1].value.value == "None")\n', "",
        "a dropped guard: `self.register_buffer(\"mask\", None)` makes `self.mask.device` the reference (None has no device)",
        _CC_TYPES),
    Mutation("cuda-constants-parameter-local-kept", "codemods", C + "cuda_constants.py",
        '    _STATE_CALLS = ("register_buffer", "Parameter")', '    _STATE_CALLS = ("register_buffer",)',
        "a missing case: `w = torch.randn(n).cuda()` read only by `nn.Parameter(w)` keeps its `.cuda()` (fails on a CPU-only machine)",
        _CC),
    # -- TU304 script_device
    Mutation("script-device-guard-with-else", "codemods", C + "script_device.py",
        "        if why is None and isinstance(node, cst.If) and node.orelse is not None:\n            why = f\"`if {switch}:` has an `else`\"\n", "",
        "a dropped guard: `if use_cuda: x = x.cuda()` with an `else:` rewritten and its else branch lost",
        _SD),
    Mutation("script-device-main-block-decided-above", "codemods", C + "script_device.py",
        "    if len(blocks) > 1:  # in `if __name__ == \"__main__\":`, decided in the module before it\n",
        "    if False:  # in `if __name__ == \"__main__\":`, decided in the module before it\n",
        "a missing case: moves in `if __name__ == \"__main__\":` under a switch decided above it are reported, not rewritten",
        _SD),
    Mutation("script-device-first-decision", "codemods", C + "script_device.py",
        "    for statement in reversed(body[:index]):\n        if _assigned(statement) & {switch, root}:",
        "    for statement in body[:index]:\n        if _assigned(statement) & {switch, root}:",
        "the first assignment of the switch taken instead of the last: `device` defined from `use_cuda = False` before `use_cuda = torch.cuda.is_available()`",
        _SD),
    Mutation("script-device-conditional-other-value", "codemods", C + "script_device.py",
        "        if stripped != node_code(original_node.orelse):\n            return self.fix(",
        "        if False:\n            return self.fix(",
        "a dropped guard: `x.cuda() if use_cuda else y` becomes `x.to(device)`: y lost",
        _SD),
    Mutation("script-device-before-docstring", "codemods", C + "script_device.py",
        "first = 1 if body and _is_docstring(body[0]) else 0", "first = 0",
        "a function's `device = ...` inserted above its docstring: the docstring is no longer one",
        _SD),
    Mutation("script-device-unguarded-before-device", "codemods", C + "script_device.py",
        "        if function is None and (_top_statement(module, call) or 0) <= after:\n            continue\n        plan.unguarded",
        "        plan.unguarded",
        "a dropped guard: a module-level `.cuda()` above the statement that defines `device` becomes `.to(device)` (NameError)",
        _SD),
    Mutation("script-device-factory-function-not-class", "codemods", C + "script_device.py",
        "if not name[:1].isupper() or (self.imports.qualified_name(cst.Name(name)) or \"\").startswith(\"torch.\"):",
        "if (self.imports.qualified_name(cst.Name(name)) or \"\").startswith(\"torch.\"):",
        "a dropped guard: `model = build_model()` (a function, not a class) read as an unknown class: `if use_cuda: model.cuda()` reported, not rewritten",
        _SD),
    # -- TU302 cuda_types
    Mutation("cuda-types-reference-itself-arms-swapped", "codemods", C + "cuda_types.py",
        "if node_code(receiver) == node_code(reference):", "if node_code(receiver) != node_code(reference):",
        "two arms swapped: `t.type(torch.cuda.LongTensor)` loses its device (`t.to(torch.long)`), the reference gets a redundant one",
        _CT),
    Mutation("cuda-types-tuple-data", "codemods", C + "cuda_types.py",
        "            isinstance(first, (cst.List, cst.Tuple, cst.ListComp))\n", "            isinstance(first, (cst.List, cst.ListComp))\n",
        "a missing case: `torch.cuda.FloatTensor((1, 2))` (data) no longer rewritten to `torch.tensor(...)`",
        _CT),
    Mutation("cuda-types-isinstance-dtype-dropped", "codemods", C + "cuda_types.py",
        'f"{node_code(subject)}.is_cuda and {node_code(subject)}.dtype == {node_code(self._dtype(legacy))}"',
        'f"{node_code(subject)}.is_cuda"',
        "a dropped step: `isinstance(x, torch.cuda.LongTensor)` becomes `x.is_cuda`: a CUDA float tensor passes the test",
        _CT),
    Mutation("cuda-types-local-alias-other-reads", "codemods", C + "cuda_types.py",
        "            if not uses or len(find_all(function.body, m.Name(name))) != len(uses) + 1:\n",
        "            if not uses:\n",
        "a dropped guard: a local alias also passed on (`f(dtype)`) is renamed `device`: the other read raises NameError",
        _CT),
    # -- TU401 legacy_constructors
    Mutation("constructors-hex-literal-float", "codemods", C + "legacy_constructors.py",
        'if isinstance(node, cst.Integer) and node.value.replace("_", "").isdigit():', "if isinstance(node, cst.Integer):",
        "a dropped guard: `torch.Tensor([0x10])` rewritten to `torch.tensor([0x10.0])`, which does not parse",
        _LC),
    Mutation("constructors-float-data-default-dtype", "codemods", C + "legacy_constructors.py",
        "if infers_from is None or _all_float_literals(infers_from):", "if infers_from is None:",
        "a missing case: `torch.Tensor([0.5, 1.5])` gets a needless `dtype=torch.get_default_dtype()`",
        _LC),
    Mutation("constructors-fill-int-value", "codemods", C + "legacy_constructors.py",
        "        if dtype is None:  # `torch.Tensor(4).fill_(1)` -> `torch.full((4,), 1.0)`\n            value = _as_float_literals(value) or value\n",
        "",
        "a dropped step: `torch.Tensor(4).fill_(1)` becomes `torch.full((4,), 1)`, an int64 tensor where it was float",
        _LC),
    Mutation("constructors-true-division-int", "codemods", C + "legacy_constructors.py",
        "            return isinstance(binding.operator, _INT_AUG_OPERATORS) and self._is_int(binding.value)",
        "            return self._is_int(binding.value)",
        "a dropped guard: `n /= 2` leaves n an int: `torch.Tensor(n)` (a float, a TypeError) rewritten as a shape",
        _LC),
    # -- TU201 buffers
    Mutation("buffers-registered-again", "codemods", C + "buffers.py",
        "        if uses.registered:\n            return None  # already a buffer, parameter or submodule: never convert twice\n",
        "",
        "a dropped guard: an attribute already registered with `register_buffer` is registered again (KeyError at construction)",
        _BUF),
    Mutation("buffers-setting-persistent-inverted", "codemods", C + "buffers.py",
        'persistent = mutated if setting == "auto" else setting == "persistent"',
        'persistent = mutated if setting == "auto" else setting != "persistent"',
        "an inverted condition: `--buffers persistent` registers non-persistent buffers (and the reverse)",
        _BUF),
    Mutation("buffers-augmented-update-unseen", "codemods", C + "buffers.py",
        "    def visit_AugAssign(self, node: cst.AugAssign) -> None:\n        name = _under_self_attribute(node.target, self.self_name)\n        if name is not None:\n            self.uses(name).mutations.append((self.method, node))\n",
        "    def visit_AugAssign(self, node: cst.AugAssign) -> None:\n        pass\n",
        "a missing case: `self.steps += 1` in forward is not an update: the state is registered non-persistent and never saved",
        _BUF),
    Mutation("buffers-any-method-mutates", "codemods", C + "buffers.py",
        'if method.endswith("_") and not method.startswith("_"):', 'if not method.startswith("_"):',
        "a dropped condition: a read such as `self.pe.view(...)` in forward counts as an in-place update: the constant becomes a persistent buffer",
        _BUF),
    # -- TU202 parameters
    Mutation("parameters-variable-flag-dropped", "codemods", C + "parameters.py",
        'return tensor, _flag(keyword(value, "requires_grad"))', "return tensor, None",
        "a dropped step: `Variable(t, requires_grad=learn)` becomes `nn.Parameter(t)`: trainable even when learn is False",
        ("tests/codemods/test_parameters.py",)),
    Mutation("parameters-method-flag-dropped", "codemods", C + "parameters.py",
        "return strip_device_moves(self.imports, inner), _flag(value.args[0] if value.args else None)",
        "return strip_device_moves(self.imports, inner), None",
        "a dropped step: `t.requires_grad_(learn)` becomes `nn.Parameter(t)`: trainable even when learn is False",
        ("tests/codemods/test_parameters.py",)),
    # -- TU305 default_tensor_type
    Mutation("default-type-cuda-device-inverted", "codemods", C + "default_tensor_type.py",
        "        if cuda:\n            lines.append(", "        if not cuda:\n            lines.append(",
        "an inverted condition: `torch.cuda.FloatTensor` loses its `set_default_device(\"cuda\")`, `torch.FloatTensor` gains one",
        ("tests/codemods/test_default_tensor_type.py",)),
    # -- analysis: module index, tensor test, GPU switches, tree screen, legacy era
    Mutation("module-index-farthest-file", "engine", E + "analysis/module_index.py",
        "return max(candidates, key=shared)", "return min(candidates, key=shared)",
        "of two files answering to one module name, the farthest from the importer is taken: a class's base resolved in the wrong package",
        ("tests/analysis/test_module_index.py", "tests/codemods/test_buffers.py")),
    Mutation("module-index-guarded-import", "engine", E + "analysis/module_index.py",
        "            elif isinstance(statement, (ast.If, ast.Try)):\n                for block in _blocks(statement):\n                    module_level(block)\n",
        "",
        "a missing case: `try: from torch.nn import Module` leaves `class Net(Module)` not a Module",
        ("tests/analysis/test_module_index.py", "tests/codemods/test_buffers.py")),
    Mutation("module-index-dotted-import-head", "engine", E + "analysis/module_index.py",
        "facts.imports.setdefault(head, _Absolute(head))", "facts.imports.setdefault(head, _Absolute(alias.name))",
        "`import models.base` binds models as models.base: `class Net(models.base.Base)`, Base an nn.Module, is not a Module",
        ("tests/analysis/test_module_index.py", "tests/codemods/test_buffers.py")),
    Mutation("tensor-exprs-conditional-not-collapsed", "engine", E + "analysis/tensor_exprs.py",
        "        if node_code(body) == node_code(orelse):\n            return _unparenthesised(body)\n", "",
        "a dropped step: `t.cuda() if gpu else t` stripped to `t if gpu else t`, not one `t`",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_buffers.py", "tests/codemods/test_cuda_constants.py")),
    Mutation("tensor-exprs-arithmetic-both-sides", "engine", E + "analysis/tensor_exprs.py",
        "return self.is_tensor(node.left) or self.is_tensor(node.right)", "return self.is_tensor(node.left) and self.is_tensor(node.right)",
        "`torch.ones(n).cuda() * 0.5` is not a tensor: the attribute is not made a buffer",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_buffers.py", "tests/codemods/test_cuda_constants.py")),
    Mutation("tensor-exprs-cuda-legacy-type", "engine", E + "analysis/tensor_exprs.py",
        '    if name.startswith("cuda.") and name[len("cuda.") :] in LEGACY_TYPES:\n        return name\n', "",
        "a missing case: `torch.cuda.FloatTensor(n)` is not a tensor factory: `self.x = torch.cuda.FloatTensor(n).zero_()` not made a buffer",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_buffers.py", "tests/codemods/test_cuda_constants.py")),
    Mutation("gpu-switch-indexed-move-plain", "engine", E + "analysis/gpu_switches.py",
        'return all(a.keyword is not None and a.keyword.value in ("non_blocking", "async") for a in call.args)',
        'return all(a.keyword is None or a.keyword.value in ("non_blocking", "async") for a in call.args)',
        "`.cuda(1)` counted as a plain move: under a switch it becomes `.to(device)` and loses its GPU number",
        ("tests/analysis/test_gpu_switches.py", "tests/codemods/test_script_device.py")),
    Mutation("gpu-switch-volatile-keyword-sign", "engine", E + "analysis/gpu_switches.py",
        "        if node.keyword is not None and node.keyword.value == \"volatile\":\n            self._saw(\"`volatile=`\")\n",
        "        pass\n",
        "a missing case: a file whose only legacy sign is `volatile=` reads as modern: its `.cuda()` calls neither migrated nor reported",
        ("tests/analysis/test_gpu_switches.py", "tests/codemods/test_script_device.py")),
    Mutation("tree-screen-arithmetic-both-sides", "engine", E + "analysis/tree_screen.py",
        "return self.may_be_tensor(node.left) or self.may_be_tensor(node.right)", "return self.may_be_tensor(node.left) and self.may_be_tensor(node.right)",
        "the screen says no for `self.w = torch.ones(n).cuda() * 0.5`: TU201 never sees the file",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_buffers.py")),
    Mutation("tree-screen-module-alias-conditional", "engine", E + "analysis/tree_screen.py",
        '    if any(q == "cuda" or q.endswith(".cuda") for name in mentions.conditional for q in _resolved(tree, name)):\n        return True\n', "",
        "a missing case: a file whose only TU302 matter is `tt = torch.cuda if use_cuda else torch` skipped: the alias is not reported",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_cuda_types.py")),
    Mutation("tree-screen-locals-forgotten", "engine", E + "analysis/tree_screen.py",
        "        known = set(values) - parameters\n        while True:\n            test = replace(self, locals=frozenset(known))\n            keep = {name for name in known if all(test.may_be_tensor(v)",
        "        known = set()\n        while True:\n            test = replace(self, locals=frozenset(known))\n            keep = {name for name in known if all(test.may_be_tensor(v)",
        "the screen forgets locals: `pe = torch.zeros(n)` ... `self.pe = pe.cuda()` alone in a file is skipped by TU201",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_buffers.py")),
    Mutation("legacy-era-cuda-type", "engine", E + "analysis/legacy_era.py",
        '            rf"\\bcuda\\.{_TYPES}\\b",\n', "",
        "a missing case: a file whose only pre-1.0 sign is `torch.cuda.LongTensor` reads as modern: `best / 7` on topk indices there is no longer reported (TU421)",
        ("tests/analysis/test_legacy_era.py", "tests/codemods/test_integer_division.py")),
    # A second batch, written after the first batch's tests (and after reading the tests of
    # cuda_constants, script_device, cuda_types, legacy_constructors, buffers and module_index).
    Mutation("script-device-dead-alias-kept", "codemods", C + "script_device.py",
        "    return len(found) - 1\n", "    return len(found)\n",
        "off by one: a function's type alias whose every read was rewritten counts its own binding as a read: the dead alias is kept",
        _SD),
    Mutation("script-device-numbered-guard-safe", "codemods", C + "script_device.py",
        "        unsafe = on or index is not None\n", "        unsafe = on\n",
        "a dropped case: `if len(opt.gpu_ids) > 0: net.cuda(opt.gpu_ids[0])` rewritten as a safe fix, though `torch.device(\"cuda\", n)` needs an int",
        _SD),
    Mutation("script-device-imported-device", "codemods", C + "script_device.py",
        "            if isinstance(name, cst.Name) and name.value == \"device\":\n                found.append(node)\n",
        "            pass\n",
        "a missing case: a file that imports a name `device` gets `device = torch.device(...)` over it",
        _SD),
    Mutation("cuda-types-cpu-first-conditional", "codemods", C + "cuda_types.py",
        "for cuda, cpu in ((node.body, node.orelse), (node.orelse, node.body)):", "for cuda, cpu in ((node.body, node.orelse),):",
        "a missing case: `t.type(torch.FloatTensor if cpu_only else torch.cuda.FloatTensor)` (CPU type first) is reported, not rewritten",
        _CT),
    Mutation("cuda-types-module-alias-rebound", "codemods", C + "cuda_types.py",
        "if len(kinds) == 1 and any(cuda) and bindings.counts.get(name) == 1:", "if len(kinds) == 1 and any(cuda):",
        "a dropped guard: a module-level type alias that a function rebinds is still read as the CUDA type there",
        _CT),
    Mutation("constructors-rebound-size-parameter", "codemods", C + "legacy_constructors.py",
        "    return frozenset((names & sizes) - set(inner.bindings))", "    return frozenset(names & sizes)",
        "a dropped guard: a parameter passed as a size and then rebound to a list still counts as an int: `torch.Tensor(n)` becomes `torch.empty(n)`",
        _LC),
    Mutation("constructors-torch-size-shape", "codemods", C + "legacy_constructors.py",
        '            return self.table.refers_to(node.func, "torch.Size")', "            return False",
        "a missing case: `torch.Tensor(torch.Size([2, 3]))` (a shape) reported as a shape-or-data question instead of rewritten",
        _LC),
    Mutation("buffers-prelude-self-escapes", "codemods", C + "buffers.py",
        "        if finder.escapes or name in names_in(state.init.params) | names_in(state.init.body):",
        "        if name in names_in(state.init.params) | names_in(state.init.body):",
        "a dropped guard: `self.grid = np.zeros(...)`, a method call on self, `self.grid = torch.from_numpy(self.grid)`: renamed to a local though the method may read self.grid",
        _BUF),
    Mutation("buffers-collapsed-if-comment-lost", "codemods", C + "buffers.py",
        "            return line.with_changes(leading_lines=[*updated_node.leading_lines, *line.leading_lines])",
        "            return line.with_changes(leading_lines=line.leading_lines)",
        "a dropped step: the comment above `if gpu: self.x = A.cuda() else: self.x = A` is lost when it becomes one buffer",
        _BUF),
    Mutation("tensor-exprs-nested-function-locals", "engine", E + "analysis/tensor_exprs.py",
        "    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:\n        self.other_bindings.add(node.name.value)\n        return False\n",
        "    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:\n        self.other_bindings.add(node.name.value)\n        return True\n",
        "a nested function's assignments counted as the method's: a local `pe` the nested function also assigns a list is no tensor, its buffer not made",
        ("tests/analysis/test_tensor_exprs.py", "tests/codemods/test_buffers.py", "tests/codemods/test_cuda_constants.py")),
    Mutation("gpu-switch-gpu-ids-flag", "engine", E + "analysis/gpu_switches.py",
        '_FLAG = re.compile(r"(?i)^--?(?:no[-_]?)?(?:use[-_]?)?(?:cuda|gpus?|gpu[-_]ids?)$")',
        '_FLAG = re.compile(r"(?i)^--?(?:no[-_]?)?(?:use[-_]?)?(?:cuda|gpus?)$")',
        "a missing case: a script whose only legacy sign is a `--gpu_ids` flag reads as modern: its numbered moves neither migrated nor reported",
        ("tests/analysis/test_gpu_switches.py", "tests/codemods/test_script_device.py")),
    Mutation("tree-screen-else-branch", "engine", E + "analysis/tree_screen.py",
        '_BLOCKS = ("body", "orelse", "finalbody")', '_BLOCKS = ("body", "finalbody")',
        "a missing case: the screen does not look into `else:` blocks: `self.pe = Variable(...).cuda()` set only there is never registered",
        ("tests/analysis/test_tree_screen.py", "tests/codemods/test_buffers.py")),
    # A third batch, written after the second batch's tests.
    Mutation("cuda-types-init-conditional-outside-state", "codemods", C + "cuda_types.py",
        "if self.in_module_init() and self.buffer_values:", "if self.in_module_init():",
        "a dropped guard: `.type(torch.cuda.X if gpu else torch.X)` in `__init__` outside any parameter or buffer is built on the CPU, where nothing moves it",
        _CT),
    Mutation("buffers-never-read-outside-init", "codemods", C + "buffers.py",
        "if reads.outside and reads.outside <= reads.following:", "if reads.outside <= reads.following:",
        "a dropped guard: a `.cuda()` constant no method of the class reads (a subclass or caller does) is never made a buffer",
        _BUF),
    Mutation("constructors-concatenated-list-data", "codemods", C + "legacy_constructors.py",
        "if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Multiply, cst.Add)):",
        "if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):",
        "a missing case: `torch.LongTensor([[1, 2]] + rows)` (data) reported as a shape-or-data question",
        _LC),
    Mutation("cuda-constants-int-size", "codemods", C + "cuda_constants.py",
        'return isinstance(func, cst.Name) and func.value in ("len", "int")', 'return isinstance(func, cst.Name) and func.value == "len"',
        "a missing case: `torch.cuda.FloatTensor(int(n))` no longer read as a shape: reported instead of rewritten",
        ("tests/codemods/test_cuda_constants.py", "tests/codemods/test_cuda_types.py")),
    Mutation("default-type-bfloat16", "codemods", C + "default_tensor_type.py",
        '    "BFloat16Tensor": "bfloat16",\n', "",
        "a missing case: `set_default_tensor_type(torch.BFloat16Tensor)` reported instead of rewritten to `set_default_dtype(torch.bfloat16)`",
        ("tests/codemods/test_default_tensor_type.py",)),
    Mutation("legacy-era-reduce-flag", "engine", E + "analysis/legacy_era.py",
        '            r"\\breduce\\s*=\\s*(?:True|False)\\b",\n', "",
        "a missing case: a file whose only pre-1.0 sign is a loss's `reduce=False` reads as modern: its `best / 7` on topk indices is no longer reported (TU421)",
        ("tests/analysis/test_legacy_era.py", "tests/codemods/test_integer_division.py")),
)

SWEEPS["eleventh"] = ELEVENTH_SWEEP
SWEEPS["all"] = (*SWEEPS["all"], *ELEVENTH_SWEEP)


# The tenth sweep: the no-grad family (TU102 volatile above all, TU101 variable, TU407, and the
# analyses they rest on: volatile helpers, the function index, names, star names, the wrapper).
_VOLATILE = (
    "tests/codemods/test_volatile.py", "tests/codemods/test_volatile_flag_region.py",
    "tests/codemods/test_volatile_across_files.py", "tests/codemods/test_volatile_loop_carried.py",
    "tests/codemods/test_volatile_flag_data_second_pass.py",
)
_VARIABLE = ("tests/codemods/test_variable.py",)
_FUNCTION_INDEX = ("tests/analysis/test_function_index.py", "tests/codemods/test_volatile_across_files.py")
TENTH_SWEEP: Tuple[Mutation, ...] = (
    # The first batch, written before reading any of these modules' tests: 26 of 43 killed before their tests.
    Mutation("volatile-negative-constant", "codemods", C + "volatile.py",
        "        return _constant(node.expression)", "        return False",
        "a missing case: `pred = out.data.max(-1)[1]` right after the last read is left out of the `with`", _VOLATILE),
    Mutation("volatile-detach-as-data", "codemods", C + "volatile.py",
        'return "variable"  # `netG(noise).detach()`', 'return "data"  # `netG(noise).detach()`',
        "wrong kind: `fake = netG(noise).detach()` taken as a plain tensor, the discriminator's step on it pulled into the `with`", _VOLATILE),
    Mutation("volatile-inert-tail-one-line", "codemods", C + "volatile.py",
        "    while last + 1 in inert:", "    if last + 1 in inert:",
        "a loop that stops early: of two `.data` lines after the last read only the first stays in the `with`", _VOLATILE),
    Mutation("volatile-negated-boolean-unparenthesised", "codemods", C + "volatile.py",
        "if isinstance(flag, (cst.BooleanOperation, cst.IfExp, cst.Lambda)) and not flag.lpar:",
        "if isinstance(flag, (cst.IfExp, cst.Lambda)) and not flag.lpar:",
        "a missing case: `volatile=a or b` -> `set_grad_enabled(not a or b)`, grad on when b is true", _VOLATILE),
    Mutation("volatile-flag-class-every-instance", "codemods", C + "volatile.py",
        "if any(flag_passed(helper, c) is not False for c in constructed):",
        "if all(flag_passed(helper, c) is not False for c in constructed):",
        "any -> all: a dataset class whose train instance passes no flag and valid instance passes True is reported, not migrated", _VOLATILE),
    Mutation("volatile-param-references-off-by-one", "codemods", C + "volatile.py",
        "references = len(find_all(module, m.Name(helper.name))) - 1  # less the def's own name",
        "references = len(find_all(module, m.Name(helper.name)))  # less the def's own name",
        "off by one: the def's own name counted as a reference, so a script's helper never loses its dead flag parameter", _VOLATILE),
    Mutation("volatile-dropped-argument-comma", "codemods", C + "volatile.py",
        "        if args:\n            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)\n", "",
        "a dropped step: `to_var(x, True)` loses its flag argument as `to_var(x, )`", _VOLATILE),
    Mutation("volatile-ignoring-class-reads-flag", "codemods", C + "volatile.py",
        "return len(inits) == 1 and not loads", "return len(inits) == 1",
        "a dropped condition: `Loader(x, volatile=True)` of a class that still reads `self.volatile` passes without a finding", _VOLATILE),
    Mutation("volatile-helper-call-inside-no-grad", "codemods", C + "volatile.py",
        "        if passed is True:\n            if self._inside_no_grad(call):\n                return None\n",
        "        if passed is True:\n",
        "a dropped guard: `to_var(x, volatile=True)` already under `with torch.no_grad():` gets a second, nested `with`", _VOLATILE),
    Mutation("volatile-attribute-assigned-elsewhere", "codemods", C + "volatile.py",
        "        if len(reads) != len(uses):\n            problem", "        if False:\n            problem",
        "a dropped guard: `self.z = Variable(..., volatile=True)` migrated though another method assigns `self.z` a trainable value", _VOLATILE),
    Mutation("volatile-decorated-no-grad-ignored", "codemods", C + "volatile.py",
        "                return any(self._is_no_grad(decorator.decorator) for decorator in node.decorators)",
        "                return False",
        "a missing case: a volatile value in a function decorated `@torch.no_grad()` gets a redundant `with`", _VOLATILE),
    Mutation("volatile-grown-flag-guard", "codemods", C + "volatile.py",
        "                if grown and flag is not None:\n", "                if False:\n",
        "a dropped guard: a `volatile=flag` region grown to an enclosing loop reads the flag before the loop assigns it", _VOLATILE),
    Mutation("volatile-binds-only-lost", "codemods", C + "volatile.py",
        'binds_only = bool(names) and _as_is(getattr(statement, "value", None), set(), call)', "binds_only = False",
        "a dropped case: `x = Variable(t, volatile=True)` followed by a training step gets a `with` of its own around `x = t`", _VOLATILE),
    Mutation("volatile-loop-one-pass", "codemods", C + "volatile.py",
        "for _ in range(2 if loop else 1):", "for _ in range(1):",
        "a loop that stops early: a name made volatile late in a loop body and read early in the next iteration is left with its graph", _VOLATILE),
    Mutation("volatile-else-body-skipped", "codemods", C + "volatile.py",
        "        if isinstance(orelse, cst.Else):\n            bodies.append(orelse.body)\n", "",
        "a missing case: the `else:` body of a split `if` that uses the value gets no region: its inference builds a graph", _VOLATILE),
    Mutation("volatile-container-insert", "codemods", C + "volatile.py",
        'attr=m.Name("append") | m.Name("extend") | m.Name("insert") | m.Name("add") | m.Name("update"),',
        'attr=m.Name("append") | m.Name("extend") | m.Name("add") | m.Name("update"),',
        "a missing case: `outs.insert(0, Variable(x, volatile=True))`: the reads of `outs` stay outside the region", _VOLATILE),
    Mutation("volatile-clear-does-not-end", "codemods", C + "volatile.py",
        "                tainted.discard(self.cleared[statement])  # 0.3: the value is an ordinary one again\n",
        "                pass\n",
        "a dropped step: `x.volatile = False` no longer ends the spread: the training code after it lands under no_grad", _VOLATILE),
    Mutation("volatile-global-name", "codemods", C + "volatile.py",
        '            if find_all(\n                scope,\n                m.Global(', '            if False and find_all(\n                scope,\n                m.Global(',
        "a dropped guard: a volatile value in a `global` name (read by other functions) migrated as if local", _VOLATILE),
    Mutation("volatile-loop-target-any-name", "codemods", C + "volatile.py",
        "return isinstance(innermost, cst.For) and name in _target_names(innermost.target)",
        "return isinstance(innermost, cst.For)",
        "a dropped condition: a read at the top of a `for` loop that sees last iteration's volatile value taken as unreachable", _VOLATILE),
    Mutation("volatile-neighbours-not-merged", "codemods", C + "volatile.py",
        "touching = last is not None and region.start <= last.end + 1",
        "touching = last is not None and region.start <= last.end",
        "off by one: two back-to-back regions become two `with` blocks instead of one", _VOLATILE),
    Mutation("volatile-rebound-torch", "codemods", C + "volatile.py",
        '            if self.table.is_rebound("torch"):\n                return None\n', "",
        "a dropped guard: `torch.no_grad()` written in a file where `torch` names something else", _VOLATILE),
    Mutation("volatile-self-volatile-reported", "codemods", C + "volatile.py",
        "            return  # the class's own field, as in `self.volatile = volatile`\n", "            pass\n",
        "a dropped guard: a class's own `self.volatile` field reported as a torch `.volatile` read", _VOLATILE),
    Mutation("volatile-blank-lines-into-with", "codemods", C + "volatile.py",
        "                while lines and lines[0].comment is None:\n                    lines.pop(0)\n", "",
        "a dropped step: the blank lines above a dropped `x = x` end up as the first lines inside the `with`", _VOLATILE),
    Mutation("volatile-run-of-names-wrapped", "codemods", C + "volatile.py",
        "if run and not set(run) <= idle and any(find_all(self.block.body[i], _COMPUTES) for i in run)",
        "if run and not set(run) <= idle",
        "a dropped condition: after a training step, `return out, h` alone gets a `with torch.no_grad():`", _VOLATILE),
    # -- TU101 ------------------------------------------------------------------------------------
    Mutation("variable-factory-randn", "codemods", C + "variable.py",
        '"randn", "randn_like",', '"randn_like",',
        "a missing case: `Variable(torch.randn(3), requires_grad=True)` -> `.detach().requires_grad_()` for a fresh tensor", _VARIABLE),
    Mutation("variable-argument-twice", "codemods", C + "variable.py",
        "        if name in found:\n            return f\"`Variable` called with `{name}` twice\"\n", "",
        "a dropped guard: `Variable(x, True, requires_grad=False)` (a TypeError in 0.3) rewritten with the last value", _VARIABLE),
    Mutation("variable-kept-flag-comment", "codemods", C + "variable.py",
        "kept = comment_count(data) + comment_count(flag if flag is not None and not is_true(flag) else None)",
        "kept = comment_count(data)",
        "wrong count: a comment inside a kept `requires_grad=flag` argument makes the edit unsafe", _VARIABLE),
    Mutation("variable-integer-method", "codemods", C + "variable.py",
        "if isinstance(replacement, (cst.Integer, cst.Float, cst.Imaginary)) and not isinstance(\n        parent, cst.Attribute\n    ):",
        "if isinstance(replacement, (cst.Integer, cst.Float, cst.Imaginary)):",
        "a dropped guard: `Variable(1).item()` -> `1.item()`, a SyntaxError", _VARIABLE),
    Mutation("variable-class-body-self-assignment", "codemods", C + "variable.py",
        "    return not isinstance(parent_of(codemod, block), cst.ClassDef)", "    return True",
        "a dropped guard: `x = Variable(x)` in a class body deleted: the class loses its attribute", _VARIABLE),
    Mutation("variable-type-is-not", "codemods", C + "variable.py",
        "(cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)", "(cst.Equal, cst.NotEqual, cst.Is)",
        "a missing case: `type(h) is not Variable` (always true today) left as it is without a word", _VARIABLE),
    Mutation("variable-wrapper-volatile-false", "codemods", C + "variable.py",
        "        if args.volatile is not None and not is_false(args.volatile):\n            # The flag is TU102's",
        "        if args.volatile is not None:\n            # The flag is TU102's",
        "a dropped condition: the wrapper's `Variable(x, volatile=False)` left as torch's Variable instead of `x.to(device)`", _VARIABLE),
    # -- TU407 -------------------------------------------------------------------------------------
    Mutation("autograd-function-first-base-only", "codemods", C + "legacy_autograd_function.py",
        "for base in node.bases)", "for base in node.bases[:1])",
        "a loop that stops early: `class F(Mixin, Function)` with a non-static forward not reported", ("tests/codemods/test_legacy_autograd_function.py",)),
    # -- the analyses --------------------------------------------------------------------------------
    Mutation("volatile-helpers-positional-requires-grad", "engine", E + "analysis/volatile_helpers.py",
        "(arg.keyword is None and index == 2 and not arg.star)", "(arg.keyword is None and index == 1 and not arg.star)",
        "off by one: `def f(x, g): return Variable(x, g)` (requires_grad) taken as a volatile helper", _VOLATILE),
    Mutation("volatile-helpers-some-return", "engine", E + "analysis/volatile_helpers.py",
        "    return all(gives_back) if every else any(gives_back)", "    return any(gives_back)",
        "any for all: a function returning `Variable(x, volatile=True)` on one path only taken as always volatile", _VOLATILE),
    Mutation("volatile-helpers-cuda-move", "engine", E + "analysis/volatile_helpers.py",
        'return expr.func.attr.value in ("cuda", "cpu", "float", "long", "contiguous")',
        'return expr.func.attr.value in ("cpu", "float", "long", "contiguous")',
        "a missing case: `return Variable(x, volatile=volatile).cuda()` is no helper: its callers' `volatile=True` reported", _VOLATILE),
    Mutation("volatile-helpers-param-other-use", "engine", E + "analysis/volatile_helpers.py",
        "        if uses:\n            return None  # the parameter means more than volatile\n", "",
        "a dropped guard: a flag parameter also used for something else (`if evaluation: model.eval()`) taken as a pure flag", _VOLATILE),
    Mutation("function-index-positional-requires-grad", "engine", E + "analysis/function_index.py",
        "if len(call.args) > 2 and not any(", "if len(call.args) > 1 and not any(",
        "off by one: another file's `Variable(x, g)` (requires_grad) read as forwarding a volatile flag", _FUNCTION_INDEX),
    Mutation("function-index-defaults-misaligned", "engine", E + "analysis/function_index.py",
        "zip(every[len(every) - len(arguments.defaults):], arguments.defaults)", "zip(every, arguments.defaults)",
        "wrong alignment: `def get_batch(source, i, evaluation=False)` in another file: the default taken as `source`'s", _FUNCTION_INDEX),
    Mutation("function-index-star-import-unseen", "engine", E + "analysis/function_index.py",
        '        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):\n            star = True\n', "",
        "a dropped case: a run with `from utils import *` still removes a helper's flag parameter that the star import may pass", _FUNCTION_INDEX),
    Mutation("names-pack-sequence", "engine", E + "analysis/names.py",
        'PACKED_SEQUENCE = frozenset({"pack_padded_sequence", "pack_sequence", "PackedSequence"})',
        'PACKED_SEQUENCE = frozenset({"pack_padded_sequence", "PackedSequence"})',
        "a missing case: in a file using `pack_sequence`, `x.data` (a volatile Variable then) no longer counts as a use", _VOLATILE),
    Mutation("names-detach-of-call", "engine", E + "analysis/names.py",
        "        if node.attr.value in DETACHING and isinstance(node.value, cst.Name):",
        "        if node.attr.value in DETACHING:",
        "a dropped condition: `y = model(x).detach()` not seen reading x (the model's call on it is inference)", _VOLATILE),
    Mutation("star-names-rebound", "engine", E + "analysis/star_names.py",
        "if name not in table.aliases and not table.is_rebound(name)", "if name not in table.aliases",
        "a dropped condition: a file that defines its own `Variable` after `from utils import *` has it taken for torch's", (*_VARIABLE, *_VOLATILE)),
    Mutation("variable-wrapper-test-with-call", "engine", E + "analysis/variable_wrapper.py",
        "if isinstance(body, cst.IfExp) and not m.findall(body.test, _SIDE_EFFECTS):", "if isinstance(body, cst.IfExp):",
        "a dropped guard: a wrapper whose condition calls something (`if use_cuda() else`) migrated: the call runs once, not per use", _VARIABLE),
    # A second batch, written after the first batch's tests (without reading the tests again):
    # 9 of these 23 were killed before their own tests.
    Mutation("volatile-returned-tuple-all", "codemods", C + "volatile.py",
        "return any(_as_is(element.value, raw, call) for element in expr.elements)",
        "return all(_as_is(element.value, raw, call) for element in expr.elements)",
        "any -> all: `return x, loss` of a volatile x taken as computed, not handed to the caller as it is", _VOLATILE),
    Mutation("volatile-clear-only-statement", "codemods", C + "volatile.py",
        "and len(block.body) > 1 else None", "and len(block.body) >= 1 else None",
        "off by one: `x.volatile = False` alone in its block reported deleted while it stays", _VOLATILE),
    Mutation("volatile-clear-comment-above-safe", "codemods", C + "volatile.py",
        "comments = any(line.comment is not None for line in original.leading_lines) or (",
        "comments = (",
        "a missing case: the comment above `x.volatile = False` deleted with it without --unsafe-fixes", _VOLATILE),
    Mutation("volatile-with-loses-leading-comment", "codemods", C + "volatile.py",
        "                    leading_lines=statements[start].leading_lines,\n", "",
        "a dropped step: the comment above the region's first statement is lost", _VOLATILE),
    Mutation("volatile-assigned-target-read", "codemods", C + "volatile.py",
        "read |= self._graph_reads(target) - _target_names(target)", "read |= self._graph_reads(target)",
        "wrong set: `out = other(y)` rebinding a volatile name read as a use: the region grows over it", _VOLATILE),
    Mutation("volatile-pure-loop-calls-in-iter", "codemods", C + "volatile.py",
        "        if isinstance(statement, cst.For) and find_all(statement.iter, m.Call()):\n            return False\n", "",
        "a dropped guard: a loop over `loader()` (a call) taken as only filling the value: the grown region marked safe", _VOLATILE),
    Mutation("volatile-gap-changes-flag", "codemods", C + "volatile.py",
        "return not (assigned & (tainted | flag_names))", "return not (assigned & tainted)",
        "a dropped condition: a gap that reassigns the `volatile=flag` flag split out: the second `with` reads the new flag", _VOLATILE),
    Mutation("volatile-merge-across-flag-change", "codemods", C + "volatile.py",
        "return not (names_in(second.flag) & assigned)", "return True",
        "a dropped guard: two `volatile=flag` regions merged across a reassignment of the flag", _VOLATILE),
    Mutation("volatile-packed-data-outside", "codemods", C + "volatile.py",
        'parent.attr.value in DETACHING or (self.detach_data and parent.attr.value == "data")',
        'parent.attr.value in DETACHING or parent.attr.value == "data"',
        "a dropped condition: in a packed-sequence file a later `x.data` read outside the region is not seen", _VOLATILE),
    Mutation("volatile-tuple-both-volatile", "codemods", C + "volatile.py",
        "                and len(target.elements) == len(value.elements)\n", "                and False\n",
        "a dropped case: `a, b = Variable(x, volatile=True), Variable(y)`: b taken as volatile, its training uses pulled into the region", _VOLATILE),
    Mutation("volatile-attribute-safety-all", "codemods", C + "volatile.py",
        "unsafe = any(plan.safety is Safety.UNSAFE for plan in plans)", "unsafe = all(plan.safety is Safety.UNSAFE for plan in plans)",
        "any -> all: `self.z`'s flag dropped safely though one of its reads' regions is unsafe", _VOLATILE),
    Mutation("volatile-two-statements-line", "codemods", C + "volatile.py",
        "        if len(line.body) != 1:\n", "        if len(line.body) > 2:\n",
        "off by one: `x = Variable(t, volatile=True); y = model(x)` wrapped though the line holds two statements", _VOLATILE),
    Mutation("volatile-grown-pure-unsafe", "codemods", C + "volatile.py",
        "if grown and self._pure(block.body[start], names, line):", "if False:",
        "a dropped case: a loop that only fills a list with volatile values made unsafe: not applied by default", _VOLATILE),
    Mutation("volatile-loop-target-not-tainted", "codemods", C + "volatile.py",
        "            if self._graph_reads(statement.iter) & names:\n                names |= _target_names(statement.target)\n", "",
        "a dropped step: `for o in outs:` over volatile values: the body's reads of `o` get no region", _VOLATILE),
    Mutation("volatile-augmented-not-derived", "codemods", C + "volatile.py",
        "        if isinstance(node, cst.AugAssign):\n            return True\n", "",
        "a missing case: `x += 1` in the region reported as a reassignment instead of kept volatile", _VOLATILE),
    Mutation("variable-return-parenthesised", "codemods", C + "variable.py",
        "    cst.Arg, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr,",
        "    cst.Arg, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Expr,",
        "a missing case: `return Variable(a + b)` -> `return (a + b)`", _VARIABLE),
    Mutation("variable-cuda-factory-not-fresh", "codemods", C + "variable.py",
        'return head in ("torch", "torch.cuda") and last in FACTORIES', 'return head == "torch" and last in FACTORIES',
        "a missing case: `Variable(torch.cuda.FloatTensor(3), requires_grad=True)` gets a needless `.detach()`", _VARIABLE),
    Mutation("variable-imports-torch-submodule-only", "codemods", C + "variable.py",
        'return any(target == "torch" or target.startswith("torch.") for target in table.aliases.values())',
        'return any(target.startswith("torch.") for target in table.aliases.values())',
        "a missing case: a file with `import torch` alone and its own `Variable` gets no finding", _VARIABLE),
    Mutation("variable-type-rebound", "codemods", C + "variable.py",
        '        if self.table.is_rebound("type"):\n            return None\n', "",
        "a dropped guard: `type(h) == Variable` with the file's own `type` rewritten", _VARIABLE),
    Mutation("volatile-helpers-method-other-class", "engine", E + "analysis/volatile_helpers.py",
        "            and owner_of(call) == helper.owner\n", "",
        "a dropped condition: `self.wrap(x, True)` in another class taken for this class's volatile helper", _VOLATILE),
    Mutation("function-index-no-default-dropped", "engine", E + "analysis/function_index.py",
        "        or helper.default is None\n", "",
        "a dropped guard: a required flag parameter (no default) removed across files with the arguments of every call", _FUNCTION_INDEX),
    Mutation("function-index-else-functions", "engine", E + "analysis/function_index.py",
        "            yield from _module_level(statement.body)\n            yield from _module_level(statement.orelse)\n        elif",
        "            yield from _module_level(statement.body)\n        elif",
        "a missing case: a helper defined in the `else:` of a module-level `if` is not followed across files", _FUNCTION_INDEX),
    Mutation("names-keyword-is-a-read", "engine", E + "analysis/names.py",
        "    def visit_Arg(self, node: cst.Arg) -> bool:\n        walk(node.value, self)\n        return False\n",
        "    def visit_Arg(self, node: cst.Arg) -> bool:\n        return True\n",
        "a dropped case: `save(h=h0)` read as using the volatile `h`: the region grows over the call", _VOLATILE),
    # A third batch, written after the second batch's tests: 6 of these 11 were killed before their own tests
    # (a twelfth, `_target_names`' StarredElement case dropped, was equivalent: a tuple's elements hand over their value).
    Mutation("volatile-attribute-read-under-no-grad", "codemods", C + "volatile.py",
        "            if self._inside_no_grad(read):\n                continue\n", "",
        "a dropped guard: a read of a volatile `self.z` already under `with torch.no_grad():` gets a nested `with`", _VOLATILE),
    Mutation("volatile-lambda-not-deferred", "codemods", C + "volatile.py",
        "_DEFERRED = (cst.Lambda, cst.GeneratorExp, cst.FunctionDef, cst.ClassDef)",
        "_DEFERRED = (cst.GeneratorExp, cst.FunctionDef, cst.ClassDef)",
        "a missing case: `f = lambda: model(Variable(x, volatile=True))` wrapped where the lambda is made, not where it runs", _VOLATILE),
    Mutation("volatile-inert-run-wrapped", "codemods", C + "volatile.py",
        "        idle = self.inert | ({self.start} if self.binds_only else set())",
        "        idle = {self.start} if self.binds_only else set()",
        "a dropped case: after a training step, `print(out.data)` alone gets a `with torch.no_grad():` of its own", _VOLATILE),
    Mutation("volatile-elif-chain-split", "codemods", C + "volatile.py",
        '            return "mixed" if unread else None', "            return None",
        "a dropped guard: an `elif` chain whose other branch trains kept whole in a safe region", _VOLATILE),
    Mutation("volatile-yield-as-is", "codemods", C + "volatile.py",
        "for exit in find_all(statement, m.Return() | m.Yield())", "for exit in find_all(statement, m.Return())",
        "a missing case: `yield Variable(x, volatile=True)` (a batch generator) wrapped, not reported: the caller's inference loses its no_grad", _VOLATILE),
    Mutation("volatile-variable-of-data-outside", "codemods", C + "volatile.py",
        "                if self._in_variable_of_data(parent):\n                    continue\n", "",
        "a dropped case: `Variable(x.data)` after the region (an ordinary Variable in 0.3) counted as a use: the region grows or is reported", _VOLATILE),
    Mutation("volatile-cleared-line-itself", "codemods", C + "volatile.py",
        "index >= cleared_at:", "index > cleared_at:",
        "off by one: the `x.volatile = False` line itself counted as a use of x outside the region", _VOLATILE),
    Mutation("volatile-overlap-not-a-conflict", "codemods", C + "volatile.py",
        "            elif touching and region.start <= last.end:\n                self._conflict(last, region)\n                merged.pop()\n", "",
        "a dropped guard: overlapping regions with different flags both written: a `with` inside another's statements, or broken code", _VOLATILE),
    Mutation("volatile-torch-import-not-added", "codemods", C + "volatile.py",
        '            AddImportsVisitor.add_needed_import(self.context, "torch")\n', "",
        "a dropped step: a file that imports only `from torch.autograd import Variable` gets `torch.no_grad()` without `import torch`", _VOLATILE),
    Mutation("volatile-helpers-star-argument", "engine", E + "analysis/volatile_helpers.py",
        '            return "a `*`/`**` argument may carry the flag"\n', "            continue\n",
        "a dropped guard: `to_var(*batch)` taken as passing no flag: its volatile value silently loses its region", _VOLATILE),
    Mutation("function-index-package-root-unseen", "engine", E + "analysis/function_index.py",
        "for directory in {os.path.dirname(path), package_root}:", "for directory in {os.path.dirname(path)}:",
        "a missing case: a script at the package's root that may import the helper is not seen: run on the helper alone, its flag is dropped", _FUNCTION_INDEX),
)

SWEEPS["tenth"] = TENTH_SWEEP
SWEEPS["all"] = (*SWEEPS["all"], *TENTH_SWEEP)


# The twelfth sweep: the remaining codemods (integer division, renamed functions, uint8 masks, alpha
# overloads, .data[0], removed API, loss reduction, negative strides, sparse types, module names,
# softmax, type checks, cpu sums, require_grad, the embedding backend) and the verifier's worker,
# command, sides and equivalence driver.
def _codemod_tests(name: str) -> Tuple[str, ...]:
    return (f"tests/codemods/test_{name}.py",)


_VERIFY_RUN = ("tests/verify/test_worker.py", "tests/verify/test_copy_model.py", "tests/verify/test_verify.py", "tests/verify/test_legacy_side.py")
_VERIFY_COMMAND = ("tests/verify/test_verify.py", "tests/verify/test_spec.py", "tests/verify/test_spec_messages.py")
TWELFTH_SWEEP: Tuple[Mutation, ...] = (
    Mutation("division-arithmetic-both-sides", "codemods", C + "integer_division.py",
        "            return any(self._is_int(s, names) for s in sides) and all(",
        "            return all(self._is_int(s, names) for s in sides) and all(",
        "integer arithmetic with a literal (`(idx + 1) / 2`) no longer seen as an integer tensor: its division is left silent",
        _codemod_tests("integer_division")),
    Mutation("division-size-divisor", "codemods", C + "integer_division.py",
        '(func.attr.value == "size" and len(node.args) == 1)', '(func.attr.value == "size" and not node.args)',
        "a wrong case: `idx / x.size(1)` reported as a maybe-float divisor instead of rewritten",
        _codemod_tests("integer_division")),
    Mutation("division-unpacked-halves-swapped", "codemods", C + "integer_division.py",
        "cst.Index(cst.Integer(str(index)))", "cst.Index(cst.Integer(str(1 - index)))",
        "`vals, idx = torch.max(x, 1)`: the values are taken for the indices (`vals / 2` truncated, `idx / 2` left)",
        _codemod_tests("integer_division")),
    Mutation("division-inplace-method", "codemods", C + "integer_division.py",
        'func.attr.value in ("div", "div_")', 'func.attr.value == "div"',
        "a missing case: `idx.div_(2)` on an integer tensor (raises now) left silent",
        _codemod_tests("integer_division")),
    Mutation("division-integer-divisor-report", "codemods", C + "integer_division.py",
        "            elif self.is_int_tensor(right):\n                self.report(", "            elif False:\n                self.report(",
        "a dropped finding: `n / idx` (an integer tensor divided into) no longer reported",
        _codemod_tests("integer_division")),
    Mutation("renamed-range-negative-step", "codemods", C + "renamed_functions.py",
        "offset = 1 if step > 0 else -1", "offset = 1",
        "`torch.range(10, 0, -1)` -> `torch.arange(10, 1, -1)`: the 0 at the end is lost",
        _codemod_tests("renamed_functions")),
    Mutation("renamed-range-out-dtype", "codemods", C + "renamed_functions.py",
        'if "dtype" not in filled and "out" not in filled:', 'if "dtype" not in filled:',
        "a dropped guard: `torch.range(0, 3, out=buf)` gets a `dtype=` that can differ from `out`'s and raise",
        _codemod_tests("renamed_functions")),
    Mutation("renamed-upsample-bilinear-corners", "codemods", C + "renamed_functions.py",
        '"torch.nn.functional.upsample_bilinear": (("mode", \'"bilinear"\'), ("align_corners", "True")),',
        '"torch.nn.functional.upsample_bilinear": (("mode", \'"bilinear"\'),),',
        "`F.upsample_bilinear` -> `F.interpolate(mode=\"bilinear\")` without its align_corners=True: other values",
        _codemod_tests("renamed_functions")),
    Mutation("renamed-upsample-mode-quoted", "codemods", C + "renamed_functions.py",
        "if mode.value.evaluated_value not in _LINEAR_MODES:", "if mode.value.value not in _LINEAR_MODES:",
        "the mode read with its quotes: `F.upsample(x, mode=\"bilinear\")` renamed as safe without align_corners=True",
        _codemod_tests("renamed_functions")),
    Mutation("uint8-mixed-uses-safe", "codemods", C + "uint8_mask.py",
        "found[name] = any(masks)", "found[name] = all(masks)",
        "a mask used both to index and in `masked_fill_` (raises today) converted as a safe edit",
        _codemod_tests("uint8_mask")),
    Mutation("uint8-unsqueezed-mask", "codemods", C + "uint8_mask.py",
        '        "unsqueeze",\n', "",
        "a missing case: `x.masked_fill(mask.byte().unsqueeze(1), 0)` (raises today) left silent",
        _codemod_tests("uint8_mask")),
    Mutation("uint8-index-receiver-parentheses", "codemods", C + "uint8_mask.py",
        "                self.receivers.add(id(index))\n        elif self.is_uint8(index):",
        "                pass\n        elif self.is_uint8(index):",
        "`x[(a > 0).byte().unsqueeze(1)]` loses the comparison's parentheses: `x[a > 0.unsqueeze(1)]`",
        _codemod_tests("uint8_mask")),
    Mutation("uint8-where-raises", "codemods", C + "uint8_mask.py",
        'return name, mask_root(arg.value), name != "torch.where"', "return name, mask_root(arg.value), True",
        "`torch.where(m.byte(), x, y)` (deprecated, runs today) offered only as an unsafe edit",
        _codemod_tests("uint8_mask")),
    Mutation("alpha-function-moves-input", "codemods", C + "alpha_overloads.py",
        "scalar = positional.pop(scalar_at)", "scalar = positional.pop(0)",
        "`torch.add(x, 2, y)` -> `torch.add(2, y, alpha=x)`: the input moved instead of the scalar",
        _codemod_tests("alpha_overloads")),
    Mutation("alpha-function-count-off-by-one", "codemods", C + "alpha_overloads.py",
        "if spec is None or positional != 2 + spec[1]:", "if spec is None or positional != 1 + spec[1]:",
        "off by one: modern `torch.add(x, y)` rewritten to `torch.add(x, alpha=y)`, `torch.add(x, 2, y)` left",
        _codemod_tests("alpha_overloads")),
    Mutation("data-index-one-scalar-operand", "codemods", C + "data_index.py",
        "        return is_evidently_scalar(expr.left, table, scalars) and is_evidently_scalar(",
        "        return is_evidently_scalar(expr.left, table, scalars) or is_evidently_scalar(",
        "`(loss * weights).data[0]` taken for a scalar: `.item()` applied as a safe edit on a tensor",
        _codemod_tests("data_index")),
    Mutation("data-index-row-method", "codemods", C + "data_index.py",
        "        if isinstance(parent, (cst.Subscript, cst.Attribute)) and parent.value is original_node:\n            # `out",
        "        if isinstance(parent, cst.Subscript) and parent.value is original_node:\n            # `out",
        "`x.data[0].numpy()` rewritten to `x.item().numpy()` (raises) instead of reported",
        _codemod_tests("data_index")),
    Mutation("data-index-sliced-inplace", "codemods", C + "data_index.py",
        "            target = target.value  # x.data[:, 0].fill_(0)", "            pass  # x.data[:, 0].fill_(0)",
        "a missing finding: `w.data[:, 0].fill_(0)` (an in-place edit through .data) not reported",
        _codemod_tests("data_index")),
    Mutation("removed-keyword-entry-all", "codemods", C + "removed_api.py",
        'if not any(keyword in entry["keywords"] for keyword in used):',
        'if not all(keyword in entry["keywords"] for keyword in used):',
        "`resnet18()` reported as changed, and `resnet18(pretrained=True, progress=False)` left unrewritten",
        _codemod_tests("removed_api")),
    Mutation("removed-positional-count-boundary", "codemods", C + "removed_api.py",
        'if len(original_node.args) <= entry["positional_count"]', 'if len(original_node.args) < entry["positional_count"]',
        "off by one: `transforms.LinearTransformation(m)` (its one positional now means something else) not reported",
        _codemod_tests("removed_api")),
    Mutation("loss-integer-flag-truthy", "codemods", C + "loss_reduction.py",
        "return True, bool(int(node.value, 0))", "return True, True",
        "`nn.MSELoss(size_average=0)` -> `reduction=\"mean\"` instead of \"sum\"",
        _codemod_tests("loss_reduction")),
    Mutation("loss-both-flags-two-reductions", "codemods", C + "loss_reduction.py",
        "                    placed = True\n", "",
        "`MSELoss(size_average=False, reduce=True)` -> two `reduction=` keywords (a SyntaxError)",
        _codemod_tests("loss_reduction")),
    Mutation("stride-through-a-name", "codemods", C + "negative_stride_lengths.py",
        "candidates = uses.assigned.get(value.value, []) if isinstance(value, cst.Name) else [value]",
        "candidates = [value]",
        "a missing case: `lens = np.sort(l)[::-1]` then `pack_padded_sequence(x, lens)` (raises) left as it is",
        _codemod_tests("negative_stride_lengths")),
    Mutation("stride-any-call-copied", "codemods", C + "negative_stride_lengths.py",
        'numpy_call = isinstance(base, cst.Call) and (self.table.qualified_name(base.func) or "").startswith("numpy.")',
        "numpy_call = isinstance(base, cst.Call)",
        "`get_lengths()[::-1]` (maybe a tuple, which has no .copy()) given `.copy()` instead of reported",
        _codemod_tests("negative_stride_lengths")),
    Mutation("sparse-tuple-size", "codemods", C + "sparse_types.py",
        "isinstance(size, (cst.Tuple, cst.List))\n", "isinstance(size, cst.List)\n",
        "a missing case: `torch.sparse.FloatTensor(i, v, (2, 3))` reported instead of rewritten",
        _codemod_tests("sparse_types")),
    Mutation("module-names-string-prefix", "codemods", C + "module_names.py",
        "opening = node.value[: len(node.prefix) + len(node.quote)]", "opening = node.value[: len(node.quote)]",
        "`add_module(u'block.1', m)` rewritten to `ublock_1'`: the string's prefix breaks the code",
        _codemod_tests("module_names")),
    Mutation("softmax-class-dim-position", "codemods", C + "softmax_dim.py",
        'f"{module}.{name}": 0', 'f"{module}.{name}": 1',
        "`nn.Softmax(1)` (dim given positionally) reported as missing its dim",
        _codemod_tests("softmax_dim")),
    Mutation("type-check-cuda-types", "codemods", C + "legacy_type_check.py",
        '_PREFIXES = ("torch.", "torch.cuda.")', '_PREFIXES = ("torch.",)',
        "a missing case: `type(x) == torch.cuda.FloatTensor` (always False now) left as it is",
        _codemod_tests("legacy_type_check")),
    Mutation("cpu-sum-through-data", "codemods", C + "cpu_sum_counter.py",
        '        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "data":\n            receiver = receiver.value\n            continue\n',
        "",
        "a missing finding: `correct += pred.eq(t).cpu().data.sum()` not reported",
        _codemod_tests("cpu_sum_counter")),
    Mutation("require-grad-renames-every-keyword", "codemods", C + "require_grad_typo.py",
        "if arg.keyword is not None and arg.keyword.value == TYPO else arg", "if arg.keyword is not None else arg",
        "`torch.zeros(3, dtype=..., require_grad=True)`: `dtype=` renamed to `requires_grad=` too",
        _codemod_tests("require_grad_typo")),
    Mutation("embedding-padding-arms-swapped", "codemods", C + "embedding_backend.py",
        'f"None if {cst.Module([]).code_for_node(value)} == -1 else {cst.Module([]).code_for_node(value)}"',
        'f"{cst.Module([]).code_for_node(value)} if {cst.Module([]).code_for_node(value)} == -1 else None"',
        "a padding index held in a name: the two arms swapped, every real padding index dropped",
        _codemod_tests("embedding_backend")),
    # -- the verifier ------------------------------------------------------------------------------
    Mutation("worker-trainable-attribute-prefix", "verify", V + "worker.py",
        "found.setdefault(f\"{prefix}.{key}\" if prefix else key, value)", "found.setdefault(key, value)",
        "a submodule's legacy `self.w = Variable(t, requires_grad=True)` gradient named `w`, not `sub.w`: equivalent models differ",
        _VERIFY_RUN),
    Mutation("worker-parent-cwd-on-old-path", "verify", V + "worker.py",
        'if entry not in ("", ".", self.parent_cwd)]', 'if entry not in ("", ".")]',
        "the directory torchup verify runs from (often NEW) stays on the OLD side's import path",
        _VERIFY_RUN),
    Mutation("worker-nested-buffers", "verify", V + "worker.py",
        '"buffers": {name: buffer.detach().clone() for name, buffer in model.named_buffers()},',
        '"buffers": {name: buffer.detach().clone() for name, buffer in model.named_buffers(recurse=False)},',
        "a submodule's buffers left out of the snapshot: a new buffer there is not compared with the old attribute",
        _VERIFY_RUN),
    Mutation("command-cli-atol-ignored", "verify", V + "command.py",
        "model_spec.atol if atol is None else atol", "model_spec.atol",
        "--atol on the command line ignored: a model within the asked tolerance is not equivalent",
        _VERIFY_COMMAND),
    Mutation("command-args-without-model", "verify", V + "command.py",
        "        if args or kwargs or inputs or inputs_fn:\n", "        if False:\n",
        "a dropped guard: `--args`/`--input` without `--model` silently ignored for the pyproject's models",
        _VERIFY_COMMAND),
    Mutation("command-upgrade-always-unpickles", "verify", V + "command.py",
        "            seed,\n            unsafe_unpickle,\n", "            seed,\n            True,\n",
        "upgrade-checkpoint loads OLD.pt with weights_only=False without --unsafe-unpickle: runs pickled code",
        (*_VERIFY_COMMAND, "tests/verify/test_checkpoint.py", "tests/verify/test_checkpoint_errors.py", "tests/verify/test_checkpoint_upgrade.py")),
    Mutation("sides-error-kind-lost", "verify", V + "sides.py",
        '                    kind=error["kind"],\n', "",
        "every side error is the user's: a model reference that does not resolve reads as legacy code that does not run",
        ("tests/verify/test_side_stderr.py", *_VERIFY_RUN)),
    Mutation("sides-source-line-lost", "verify", V + "sides.py",
        '                    source_line=error["source_line"],\n', "",
        "the report loses the line of the user's code that raised",
        ("tests/verify/test_side_stderr.py", *_VERIFY_RUN)),
    Mutation("equivalence-checkpoint-own-state", "verify", V + "equivalence.py",
        '_both(old, new, "load", new_start.fields["state"], old_start.fields["state"])',
        '_both(old, new, "load", old_start.fields["state"], new_start.fields["state"])',
        "two arguments swapped: each side loads its own state_dict, so a renamed key passes the checkpoint check",
        ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py", "tests/verify/test_verdict.py")),
    Mutation("equivalence-legacy-forward-no-checkpoint", "verify", V + "equivalence.py",
        "old_run.error, old_start, workdir,", "old_run.error, None, workdir,",
        "legacy forward raising: the legacy state_dict (built fine) is no longer loaded into the new model",
        ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py", "tests/verify/test_verdict.py")),
    Mutation("equivalence-old-leaks-alone", "verify", V + "equivalence.py",
        '_leak_check("old_device_leaks", old_leaks, "old", new_leaks)', '_leak_check("old_device_leaks", old_leaks, "old")',
        "the old model's leaks said to be fixed by the migration when the new model leaks at the same line",
        ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py", "tests/verify/test_verdict.py")),
    # A second batch, written after the first batch's tests, in the same modules (their tests
    # still unread, but for the few files the first batch's tests went into).
    Mutation("renamed-grid-align-given", "codemods", C + "renamed_functions.py",
        '        if "align_corners" in filled:\n            return updated_node\n        new_call',
        "        new_call",
        "a dropped guard: `F.grid_sample(x, g, align_corners=False)` gets a second align_corners (a SyntaxError)",
        _codemod_tests("renamed_functions")),
    Mutation("renamed-range-literal-bounds-unsafe", "codemods", C + "renamed_functions.py",
        "cst.parse_expression(str(end_value + offset))\n            safety = Safety.SAFE",
        "cst.parse_expression(str(end_value + offset))\n            safety = Safety.UNSAFE",
        "a wrong constant: `torch.range(0, 3)` -> `torch.arange(0, 4)` (exact) held back without --unsafe-fixes",
        _codemod_tests("renamed_functions")),
    Mutation("alpha-parameter-loop-variable", "codemods", C + "alpha_overloads.py",
        "        if isinstance(node, cst.Name) and node.value in self.parameter_loops:\n            return True\n", "",
        "a missing case: `for p in model.parameters(): p.add(-lr, g)` (scalar-first) no longer reported",
        _codemod_tests("alpha_overloads")),
    Mutation("removed-common-method-any-receiver", "codemods", C + "removed_api.py",
        "        if method in COMMON_METHODS and not known_tensor:\n            return updated_node\n", "",
        "a dropped guard: `A.solve(b)` of a sympy/numpy-like object reported as a removed torch method",
        _codemod_tests("removed_api")),
    Mutation("removed-keyword-value-kept", "codemods", C + "removed_api.py",
        'args[index] = arg.with_changes(keyword=cst.Name(edit["to"]), value=cst.parse_expression(value))',
        'args[index] = arg.with_changes(keyword=cst.Name(edit["to"]))',
        "`resnet18(pretrained=True)` -> `resnet18(weights=True)`: the keyword renamed, its value not mapped",
        _codemod_tests("removed_api")),
    Mutation("removed-keyword-edit-safe", "codemods", C + "removed_api.py",
        'safety=Safety(entry["keyword_edit"]["safety"])', "safety=Safety.SAFE",
        "a wrong constant: `pretrained=True` -> `weights=...` (other weights may be downloaded) applied without --unsafe-fixes",
        _codemod_tests("removed_api")),
    Mutation("loss-starred-rewritten", "codemods", C + "loss_reduction.py",
        "        if starred:\n            self.report(", "        if False:\n            self.report(",
        "a dropped guard: `F.nll_loss(x, t, *rest, size_average=False)` rewritten though `*rest` may hold the flags",
        _codemod_tests("loss_reduction")),
    Mutation("stride-literal-sequence", "codemods", C + "negative_stride_lengths.py",
        "isinstance(base, (cst.List, cst.Tuple, cst.ListComp, cst.SimpleString, cst.ConcatenatedString))",
        "isinstance(base, (cst.SimpleString, cst.ConcatenatedString))",
        "a missing case: `torch.tensor([3, 2, 1][::-1])` (a list, copied by torch) reported as maybe numpy",
        _codemod_tests("negative_stride_lengths")),
    Mutation("sparse-shape-size", "codemods", C + "sparse_types.py",
        '                or (isinstance(size, cst.Attribute) and size.attr.value == "shape")\n', "",
        "a missing case: `torch.sparse.FloatTensor(i, v, x.shape)` reported instead of rewritten",
        _codemod_tests("sparse_types")),
    Mutation("cpu-sum-with-dim", "codemods", C + "cpu_sum_counter.py",
        "if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute):",
        "if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):",
        "a false finding: `total += x.cpu().sum(0)` (a tensor in 0.3 too) reported",
        _codemod_tests("cpu_sum_counter")),
    Mutation("load-weights-only-any-argument", "codemods", C + "torch_load_weights_only.py",
        "        if any(\n            arg.star", "        if all(\n            arg.star",
        "`torch.load(f, weights_only=True)` reported as missing weights_only",
        _codemod_tests("torch_load_weights_only")),
    Mutation("embedding-two-arguments", "codemods", C + "embedding_backend.py",
        "or not 2 <= len(args) <= len(_POSITIONS)", "or not 3 <= len(args) <= len(_POSITIONS)",
        "off by one: `_backend.Embedding.apply(words, weight)` reported instead of rewritten",
        _codemod_tests("embedding_backend")),
    Mutation("worker-missing-class-is-user-code", "verify", V + "worker.py",
        '        if not hasattr(target, part):\n            raise ModelNotFound(f"{module_name} has no {attribute!r}")\n', "",
        "a class the OLD tree lacks (a --model typo) reads as legacy code that does not run (exit 3), not a set-up error",
        _VERIFY_RUN),
    Mutation("worker-numpy-unseeded", "verify", V + "worker.py",
        "    numpy.random.seed(seed)\n\n\ndef set_up_determinism", "    pass\n\n\ndef set_up_determinism",
        "numpy's generator left unseeded: --seed never reaches a model drawing its init from numpy (`--seed 2` verifies the draw of seed 0)",
        _VERIFY_RUN),
    Mutation("worker-old-never-builds-inputs", "verify", V + "worker.py",
        "        return forward_inputs.takes_model(function)", "        return False",
        "an inputs function that takes the model (`model.init_hidden`) never run on the OLD side: its own hidden state not compared",
        _VERIFY_RUN),
    Mutation("command-spec-new-ignored", "verify", V + "command.py",
        '    new = new or spec.new or "."', '    new = new or "."',
        "the spec file's `new` ignored: the current directory verified as the migrated tree",
        _VERIFY_COMMAND),
    Mutation("equivalence-state-sides-swapped", "verify", V + "equivalence.py",
        "compare.compare_state(old_state, new_state, self.tolerance.rtol, self.tolerance.atol)",
        "compare.compare_state(new_state, old_state, self.tolerance.rtol, self.tolerance.atol)",
        "two arguments swapped: a new persistent buffer (TU201) read as a key the new model lost",
        ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py", "tests/verify/test_verdict.py")),
    # A third batch, written after the second batch's tests (ten more, in the functions the first
    # two left alone).
    Mutation("division-type-constructor", "codemods", C + "integer_division.py",
        "return target is not None and (target in INT_CONSTRUCTORS or target in INT_DTYPES)",
        "return target is not None and target in INT_DTYPES",
        "a missing case: `x.type(torch.LongTensor) / 2` no longer seen as an integer division",
        _codemod_tests("integer_division")),
    Mutation("division-through-data", "codemods", C + "integer_division.py",
        'return node.attr.value == "data" and self._is_int(node.value, names)', "return False",
        "a missing case: `idx.data / 2` (the 0.3 spelling) left silent",
        _codemod_tests("integer_division")),
    Mutation("data-index-sum-from-a-tensor", "codemods", C + "data_index.py",
        "        and all(isinstance(start, (cst.Integer, cst.Float)) for start in starts[name])\n", "",
        "a dropped guard: a sum started from `torch.zeros(3)` read with `total.item()` (raises: 3 elements)",
        _codemod_tests("data_index")),
    Mutation("uint8-to-uint8-reported", "codemods", C + "uint8_mask.py",
        'if func.attr.value in ("type", "to") and len(node.args) == 1:', 'if func.attr.value == "type" and len(node.args) == 1:',
        "a missing finding: `m = t.to(torch.uint8)` used as a mask and as numbers not reported",
        _codemod_tests("uint8_mask")),
    Mutation("uint8-converted-name-reported", "codemods", C + "uint8_mask.py",
        "uint8 = self.is_uint8(original_node.value) and not converted", "uint8 = self.is_uint8(original_node.value)",
        "a false finding: every use of a mask just rewritten to `.bool()` reported as a uint8 mask",
        _codemod_tests("uint8_mask")),
    Mutation("renamed-from-import-alias", "codemods", C + "renamed_functions.py",
        "asname = func.value if func.value != old_leaf else None\n            RemoveImportsVisitor.remove_unused_import(self.context, old_parent, old_leaf, asname)\n            if old_parent",
        "asname = None\n            RemoveImportsVisitor.remove_unused_import(self.context, old_parent, old_leaf, asname)\n            if old_parent",
        "`from torch.nn.init import xavier_uniform as xu`: the now unused aliased import is left behind",
        _codemod_tests("renamed_functions")),
    Mutation("alpha-keyword-before-positional", "codemods", C + "alpha_overloads.py",
        "ordered = [*positional, moved, *keywords]", "ordered = [moved, *positional, *keywords]",
        "the moved scalar put first: `p.add_(alpha=-lr, g)` (a SyntaxError)",
        _codemod_tests("alpha_overloads")),
    Mutation("equivalence-inputs-compared-when-one-built", "verify", V + "equivalence.py",
        'if old_start.fields["inputs"] and new_start.fields["inputs"]:', 'if old_start.fields["inputs"] or new_start.fields["inputs"]:',
        "and for or: with only NEW building the inputs (the usual case) an `inputs` check compares them with themselves and says both sides built them",
        ("tests/verify/test_verify.py", "tests/verify/test_legacy_side.py", "tests/verify/test_verdict.py")),
    Mutation("command-model-and-spec", "verify", V + "command.py",
        "    if model and spec_file:\n        raise", "    if False:\n        raise",
        "a dropped guard: `--model` and `--spec` together silently verify the --model alone",
        _VERIFY_COMMAND),
    Mutation("worker-input-error-internal", "verify", V + "worker.py",
        "elif isinstance(error, (UserCodeError, forward_inputs.InputError)):", "elif isinstance(error, UserCodeError):",
        "inputs an --inputs function returns that cannot be carried reported as an internal error of torchup",
        _VERIFY_RUN),
)

SWEEPS["twelfth"] = TWELFTH_SWEEP
SWEEPS["all"] = (*SWEEPS["all"], *TWELFTH_SWEEP)


# The twenty-second sweep (the coordinator, 2026-12-06, third session): blind, on the speed
# changes of that session to the shared pass, the tree index's typed walk and the memo, measured
# before any test was written for them.
_SPEED_22 = ("tests/engine/test_traversal.py", "tests/engine/test_pipeline.py", "tests/engine/test_incremental_parse.py",
             "tests/analysis/test_matcher_tests.py", "tests/corpus/test_golden_outputs.py")
TWENTY_SECOND_SWEEP: Tuple[Mutation, ...] = (
    Mutation("walk-fast-path-skip-ignored", "engine", "src/torchup/analysis/walk.py",
        "                    if visit is not None and visit(visitor, current) is False:\n                        skip_until = ends[here]",
        "                    if visit is not None:\n                        visit(visitor, current)",
        "an analysis whose `visit_X` returns False still sees the nodes inside (a nested function's calls counted as the outer one's)",
        _SPEED_22),
    Mutation("walk-fast-path-skips-past-end", "engine", "src/torchup/analysis/walk.py",
        "                        skip_until = ends[here]\n                return True",
        "                        skip_until = len(nodes)\n                return True",
        "after one `visit_X` returns False, an analysis sees nothing more of the subtree (the calls after a nested function)",
        _SPEED_22),
    Mutation("walk-positions-unsorted", "engine", "src/torchup/analysis/walk.py",
        "        if len(types) > 1:\n            found.sort()", "        if len(types) > 2:\n            found.sort()",
        "an analysis with hooks for two node types sees them out of source order (all of one type, then the other)",
        _SPEED_22),
    Mutation("walk-leaves-never-called", "engine", "src/torchup/analysis/walk.py",
        "            if not any(shape.leaves.values()):", "            if True:",
        "an analysis's `leave_X` hooks are never called under the index (a scope stack that only grows)",
        _SPEED_22),
    Mutation("shared-skip-mark-kept", "engine", "src/torchup/shared_pass.py",
        "        if self._skips:\n            for index, mark in enumerate(skipping):",
        "        if self._skips > 1:\n            for index, mark in enumerate(skipping):",
        "a codemod that declined one node's children (alone) never visits again in that pass: its later edits are lost",
        _SPEED_22),
    Mutation("memo-first-argument-only", "engine", "src/torchup/analysis/memo.py",
        "                for a, b in zip(known, args):", "                for a, b in zip(known[:1], args[:1]):",
        "an analysis of (tree, table) answers with the result for another table on the same tree",
        _SPEED_22),
    Mutation("shared-unhooked-types-ignore-hooks", "engine", "src/torchup/shared_pass.py",
        "    return frozenset(t for t in TOKEN_TYPES | leaf_types() if t.__name__ not in hooked)",
        "    return frozenset(TOKEN_TYPES | leaf_types())",
        "a codemod's `leave_Name`/`visit_SimpleString` hooks are never called: names and strings are skipped",
        _SPEED_22),
)
SWEEPS["twenty_second"] = TWENTY_SECOND_SWEEP
SWEEPS["all"] = (*SWEEPS["all"], *TWENTY_SECOND_SWEEP)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", choices=SWEEPS, default="all", help="one of the lists, or all of them")
    parser.add_argument("--package", choices=PACKAGES, action="append", help="only these packages")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these mutations")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per mutation's test run")
    parser.add_argument("--no-baseline", action="store_true", help="skip the clean run of the mapped tests")
    options = parser.parse_args(argv)
    chosen = [
        mutation
        for mutation in SWEEPS[options.sweep]
        if (not options.package or mutation.package in options.package) and (not options.only or mutation.id in options.only)
    ]
    unknown = set(options.only or ()) - {mutation.id for mutation in SWEEPS["all"]}
    if unknown:
        parser.error(f"unknown mutation ids: {', '.join(sorted(unknown))}")
    if options.list:
        for mutation in chosen:
            print(f"{mutation.package:<8} {mutation.id}: {mutation.path}: {mutation.why}")
        return 0
    counts = run(chosen, options.timeout, not options.no_baseline)
    print_summary(counts)
    survived = sum(counts[package]["survived"] for package in PACKAGES)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
