"""TU402 loss_reduction: `size_average=` / `reduce=` -> `reduction=`.

What it does
    Replaces the legacy `size_average` and `reduce` arguments of every loss class in `torch.nn`
    and every loss function in `torch.nn.functional` that had them (`nn.MSELoss`,
    `nn.CrossEntropyLoss`, `F.nll_loss`, `F.binary_cross_entropy`, ...) with the one `reduction=`
    argument they mean, by torch's own legacy table:

    - `reduce=False` -> `reduction="none"` (`size_average` is then ignored);
    - otherwise `size_average=False` -> `reduction="sum"`;
    - otherwise -> `reduction="mean"`.

    A missing argument or `None` means `True`. Positional arguments are mapped through the loss's
    signature (`nn.MSELoss(False)` -> `nn.MSELoss(reduction="sum")`); positional arguments after
    the legacy ones become keywords, since removing the legacy ones shifts them.

Why
    `size_average` and `reduce` are deprecated since PyTorch 0.4.1: every call warns, and the pair
    of flags hides a three-valued choice that `reduction=` states directly.

Before
    criterion = nn.MSELoss(size_average=False)
    per_item = nn.CrossEntropyLoss(reduce=False)
    loss = F.nll_loss(output, target, size_average=False)

After
    criterion = nn.MSELoss(reduction="sum")
    per_item = nn.CrossEntropyLoss(reduction="none")
    loss = F.nll_loss(output, target, reduction="sum")

Fix safety
    Safe: torch turns the legacy flags into exactly this `reduction` (`_Reduction.legacy_get_string`).

Limitations
    A flag that is not a literal (`size_average=avg`) is reported: the reduction depends on its
    value at run time. A call that passes both a legacy flag and `reduction=` is reported (torch
    lets the legacy flags win, silently ignoring `reduction=`). Calls with `*args`/`**kwargs` that
    may hold the flags, and subclasses of the loss classes, are left alone.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.analysis.tree_screen import calls_any_of
from torchup.codemod import Codemod, node_code

# Positional parameters up to `reduction`, as in torch 2.x (unchanged since 0.4 for the legacy ones).
_WEIGHTED = ("weight", "size_average", "reduce", "reduction")
_PLAIN = ("size_average", "reduce", "reduction")
LOSS_CLASSES: Dict[str, Tuple[str, ...]] = {
    "L1Loss": _PLAIN,
    "MSELoss": _PLAIN,
    "KLDivLoss": _PLAIN,
    "SmoothL1Loss": _PLAIN,
    "SoftMarginLoss": _PLAIN,
    "MultiLabelMarginLoss": _PLAIN,
    "BCELoss": _WEIGHTED,
    "BCEWithLogitsLoss": _WEIGHTED,
    "MultiLabelSoftMarginLoss": _WEIGHTED,
    "NLLLoss": ("weight", "size_average", "ignore_index", "reduce", "reduction"),
    "NLLLoss2d": ("weight", "size_average", "ignore_index", "reduce", "reduction"),
    "CrossEntropyLoss": ("weight", "size_average", "ignore_index", "reduce", "reduction"),
    "PoissonNLLLoss": ("log_input", "full", "size_average", "eps", "reduce", "reduction"),
    "HingeEmbeddingLoss": ("margin", "size_average", "reduce", "reduction"),
    "CosineEmbeddingLoss": ("margin", "size_average", "reduce", "reduction"),
    "MarginRankingLoss": ("margin", "size_average", "reduce", "reduction"),
    "MultiMarginLoss": ("p", "margin", "weight", "size_average", "reduce", "reduction"),
    "TripletMarginLoss": ("margin", "p", "eps", "swap", "size_average", "reduce", "reduction"),
}
LOSS_FUNCTIONS: Dict[str, Tuple[str, ...]] = {
    "l1_loss": ("input", "target", *_PLAIN),
    "mse_loss": ("input", "target", *_PLAIN),
    "kl_div": ("input", "target", *_PLAIN),
    "smooth_l1_loss": ("input", "target", *_PLAIN),
    "soft_margin_loss": ("input", "target", *_PLAIN),
    "multilabel_margin_loss": ("input", "target", *_PLAIN),
    "binary_cross_entropy": ("input", "target", *_WEIGHTED),
    "binary_cross_entropy_with_logits": ("input", "target", *_WEIGHTED),
    "multilabel_soft_margin_loss": ("input", "target", *_WEIGHTED),
    "nll_loss": ("input", "target", "weight", "size_average", "ignore_index", "reduce", "reduction"),
    "cross_entropy": ("input", "target", "weight", "size_average", "ignore_index", "reduce", "reduction"),
    "poisson_nll_loss": ("input", "target", "log_input", "full", "size_average", "eps", "reduce", "reduction"),
    "hinge_embedding_loss": ("input", "target", "margin", "size_average", "reduce", "reduction"),
    "cosine_embedding_loss": ("input1", "input2", "target", "margin", "size_average", "reduce", "reduction"),
    "margin_ranking_loss": ("input1", "input2", "target", "margin", "size_average", "reduce", "reduction"),
    "multi_margin_loss": ("input", "target", "p", "margin", "weight", "size_average", "reduce", "reduction"),
    "triplet_margin_loss": (
        "anchor",
        "positive",
        "negative",
        "margin",
        "p",
        "eps",
        "swap",
        "size_average",
        "reduce",
        "reduction",
    ),
}
_SIGNATURES: Dict[str, Tuple[str, ...]] = {
    **{
        f"{module}.{name}": params
        for name, params in LOSS_CLASSES.items()
        for module in ("torch.nn", "torch.nn.modules", "torch.nn.modules.loss")
    },
    **{f"torch.nn.functional.{name}": params for name, params in LOSS_FUNCTIONS.items()},
}
LEGACY = ("size_average", "reduce")


def legacy_reduction(size_average: Optional[bool], reduce: Optional[bool]) -> str:
    """torch's `_Reduction.legacy_get_string`: None means True."""
    if reduce is False:
        return "none"
    if size_average is False:
        return "sum"
    return "mean"


def _literal_flag(node: cst.BaseExpression) -> "Tuple[bool, Optional[bool]]":
    """(is a literal, its truth value or None)."""
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True, {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.Integer):
        return True, bool(int(node.value, 0))
    return False, None


class LossReduction(Codemod):
    CODE = "TU402"
    NAME = "loss_reduction"
    SUMMARY = (
        '`nn.MSELoss(size_average=False)` -> `nn.MSELoss(reduction="sum")`, for every loss with `size_average`/`reduce`'
    )
    SAFETY = "safe"
    MARKERS = ("size_average", "reduce", "Loss", "_loss", "entropy", "kl_div")
    # Superset of the calls rewritten or reported: a legacy flag is passed by keyword
    # (`size_average` anywhere, `reduce=`), or positionally, which needs a call of the loss by its
    # own name (`nn.MSELoss(False)`, `F.nll_loss(x, t, None, False)`, any receiver) or an import
    # renaming it (`from torch.nn import MSELoss as M`). Only a call whose argument list (read
    # where it has no strings, comments and nests at most one level of brackets) surely holds no
    # legacy positional is left out: a class with keyword arguments only, a function with at
    # most two positional arguments (every legacy flag comes third or later). Modern
    # `nn.CrossEntropyLoss(weight=w)`, `F.cross_entropy(x, y)`, `functools.reduce(f, xs)` do not match.
    _ONE = r"""(?:[^,()\[\]{}'"#\\]|\([^()\[\]{}'"#\\]*\)|\[[^()\[\]{}'"#\\]*\]|\{[^()\[\]{}'"#\\]*\})*"""
    # Keyword arguments only, up to the call's `)`, each after a comma.
    _TAIL = rf"(?:,[\s\\]*\w+[\s\\]*=(?!=){_ONE})*,?[\s\\]*\)"
    PATTERN = (
        r"size_average|\breduce[\s\\]*=(?!=)"
        + r"|\b(?:%s)[\s\\]+as\b" % "|".join((*LOSS_CLASSES, *LOSS_FUNCTIONS))
        + r"|\b(?:%s)[\s\\)]*\((?![\s\\]*\)|[\s\\]*\w+[\s\\]*=(?!=)%s%s)" % ("|".join(LOSS_CLASSES), _ONE, _TAIL)
        + r"|\b(?:%s)[\s\\)]*\((?!%s(?:,%s)?%s)" % ("|".join(LOSS_FUNCTIONS), _ONE, _ONE, _TAIL)
    )
    del _ONE, _TAIL
    # Every call it rewrites or reports has one of these callees (resolved through the imports).
    TREE_SCREEN = staticmethod(calls_any_of(frozenset(_SIGNATURES)))

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        params = _SIGNATURES.get(self.table.qualified_name(original_node.func) or "")
        if params is None:
            return updated_node
        args = list(updated_node.args)
        starred = any(arg.star for arg in args)
        # Which parameter each argument fills; None from a `*args` on.
        names: List[Optional[str]] = []
        after_star = False
        position = 0
        for arg in args:
            after_star = after_star or arg.star == "*"
            if arg.keyword is not None:
                names.append(arg.keyword.value)
            elif after_star or arg.star or position >= len(params):
                names.append(None)
            else:
                names.append(params[position])
                position += 1
        if not any(name in LEGACY for name in names):
            # Nothing legacy in sight (a `*args`/`**kwargs` may hide a flag: nothing to tell then).
            return updated_node
        if starred:
            self.report(original_node, "`size_average`/`reduce` next to `*args`/`**kwargs`: set `reduction=` by hand")
            return updated_node
        if "reduction" in names:
            self.report(
                original_node,
                "both `size_average`/`reduce` and `reduction=` given: torch uses the legacy flags and "
                "ignores `reduction=`; keep the one that is meant",
            )
            return updated_node
        flags: Dict[str, Optional[bool]] = {}
        for name, arg in zip(names, args):
            if name in LEGACY:
                literal, value = _literal_flag(arg.value)
                if not literal:
                    self.report(
                        original_node,
                        f'`{name}={node_code(arg.value)}` is not a literal: the reduction is "none" when '
                        'reduce is false, else "sum" when size_average is false, else "mean"; '
                        "write `reduction=` by hand",
                    )
                    return updated_node
                flags[name] = value
        reduction = legacy_reduction(flags.get("size_average"), flags.get("reduce"))
        new_args = self._rewritten_args(args, names, reduction)
        new = updated_node.with_changes(args=new_args)
        legacy_text = ", ".join(f"{name}={flags[name]}" for name in LEGACY if name in flags)
        return self.fix(original_node, new, f'`{legacy_text}` -> `reduction="{reduction}"`')

    @staticmethod
    def _rewritten_args(args: List[cst.Arg], names: List[Optional[str]], reduction: str) -> List[cst.Arg]:
        no_space = cst.SimpleWhitespace("")
        new_args: List[cst.Arg] = []
        placed = False
        first_legacy = min(i for i, name in enumerate(names) if name in LEGACY)
        for index, (name, arg) in enumerate(zip(names, args)):
            if name in LEGACY:
                if not placed:
                    new_args.append(
                        arg.with_changes(
                            keyword=cst.Name("reduction"),
                            equal=cst.AssignEqual(no_space, no_space) if arg.keyword is None else arg.equal,
                            value=cst.SimpleString(f'"{reduction}"'),
                        )
                    )
                    placed = True
            elif arg.keyword is None and index > first_legacy:
                # Removing the legacy positional before it shifts it: name it.
                assert name is not None
                new_args.append(arg.with_changes(keyword=cst.Name(name), equal=cst.AssignEqual(no_space, no_space)))
            else:
                new_args.append(arg)
        # Keep the call's trailing comma (or its absence) as it was.
        new_args[-1] = new_args[-1].with_changes(comma=args[-1].comma)
        return new_args
