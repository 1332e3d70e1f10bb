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

    python benchmarks/hand_mutations.py [--sweep first|second|third|fourth|all] [--package verify] [--only ID ...] [--list]
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
        "parameters-requires-grad-false", "codemods", C + "parameters.py",
        'value.args[0].value.value == "True"', 'value.args[0].value.value in ("True", "False")',
        "t.requires_grad_(False) made a trainable Parameter",
        ("tests/codemods/test_parameters.py",),
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

SWEEPS = {
    "first": MUTATIONS,
    "second": SECOND_SWEEP,
    "third": THIRD_SWEEP,
    "fourth": FOURTH_SWEEP,
    "fifth": FIFTH_SWEEP,
    "all": (*MUTATIONS, *SECOND_SWEEP, *THIRD_SWEEP, *FOURTH_SWEEP, *FIFTH_SWEEP),
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
