"""TU202 parameters: tensor attributes that require grad -> ``nn.Parameter``.

What it does
    In the ``__init__`` of an nn.Module subclass, rewrites an attribute assigned a tensor that
    requires grad to an ``nn.Parameter``:
    ``self.w = torch.randn(3, requires_grad=True)`` -> ``self.w = nn.Parameter(torch.randn(3))``,
    ``self.w = Variable(t, requires_grad=True)`` -> ``self.w = nn.Parameter(t)``, and the forms
    TU101 leaves (``t.requires_grad_()``, ``t.detach().requires_grad_()``). A flag other than
    ``True`` is kept: ``torch.zeros(3, requires_grad=learn)`` and ``t.requires_grad_(learn)`` ->
    ``nn.Parameter(..., requires_grad=learn)``; ``requires_grad_(False)`` asks for no gradient and
    is left alone, as ``requires_grad=False`` is. ``.cuda()`` calls and
    ``Variable`` wrappers inside the value are dropped (the parameter moves with the module), and
    a later ``self.w = self.w.cuda()`` in ``__init__`` is removed. ``nn.Parameter`` is spelled
    the way the file already imports ``torch.nn`` (``import torch.nn as nn`` is added if the
    file has no way to name it).

Why
    A tensor stored as a plain attribute is invisible to ``parameters()``: the optimizer never
    updates it, ``state_dict`` never saves it, ``.to(device)`` never moves it. In legacy code
    ``Variable(..., requires_grad=True).cuda()`` is not even a leaf. The author meant a
    parameter.

Before
    class Scale(nn.Module):
        def __init__(self, n):
            super(Scale, self).__init__()
            self.gamma = Variable(torch.ones(n), requires_grad=True).cuda()

After
    class Scale(nn.Module):
        def __init__(self, n):
            super(Scale, self).__init__()
            self.gamma = nn.Parameter(torch.ones(n))

Fix safety
    Unsafe: ``parameters()`` gains the tensor, so the optimizer now trains it and its parameter
    order changes (an optimizer state saved before no longer lines up), and ``state_dict``
    gains its key. Values are unchanged: the tensor is still built on the CPU.

Limitations
    Only the first assignment in ``__init__`` (directly in its body, after the base
    ``__init__`` call) is converted. An attribute assigned again elsewhere (assigning a plain
    tensor to a Parameter's name raises), already registered, or whose ``requires_grad`` tensor
    is the result of arithmetic (``torch.randn(3, requires_grad=True) * 0.1``, not a leaf) is
    reported, not converted, as is a ``requires_grad`` attribute first assigned outside
    ``__init__``. Legacy code handed such attributes to the optimizer by hand
    (``list(model.parameters()) + [model.w]``); now that ``parameters()`` yields them, that list
    names them twice and the optimizer updates them twice per step. A converted attribute read
    from another object inside a list or tuple in the same file (``[model.w]``) is reported;
    lists built elsewhere are not seen.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor

from torchup.analysis.tensor_exprs import is_variable_call, keyword, keyword_argument, strip_device_moves, torch_factory
from torchup.analysis.tree_screen import assigns_tensor_to_self
from torchup.codemod import Safety, node_code
from torchup.codemods.buffers import AttributeCodemod, AttributePlan, ClassState, mentions_requires_grad
from torchup.codemods.variable import is_true


def _flag(arg: Optional[cst.Arg]) -> Optional[cst.BaseExpression]:
    """A `requires_grad` argument's value, None when it is absent or `True` (the Parameter default)."""
    if arg is None or is_true(arg.value):
        return None
    return arg.value


def _unparenthesized(value: cst.BaseExpression) -> cst.BaseExpression:
    """``value`` as the sole argument of a call: the parentheses that ``(t * 0.1).detach()``
    needed are noise in ``nn.Parameter(t * 0.1)``; a tuple or a yield keeps them."""
    if isinstance(value, (cst.Tuple, cst.Yield)):
        return value
    return value.with_changes(lpar=[], rpar=[])


class Parameters(AttributeCodemod):
    CODE = "TU202"
    NAME = "parameters"
    SUMMARY = "tensor attributes with `requires_grad=True` in an nn.Module -> `nn.Parameter(...)`"
    SAFETY = "unsafe"
    MARKERS = ("requires_grad",)
    # It needs a class with `def __init__` and, in a `self.x = ...` value, a call with a
    # `requires_grad=` keyword that is not the literal `False` (any spacing, `\` continuations)
    # or a `.requires_grad_` call. Not: `requires_grad=False`, `x.requires_grad` reads.
    PATTERN = (
        r"(?s)\A(?=.*?\bdef[\s\\]+__init__\b)"
        r"(?=.*?(?:\brequires_grad_\b|\brequires_grad[\s\\]*=(?!=)(?![\s\\]*False\b)))"
    )
    # Both rewrites and findings start from a `self.x = <tensor>` in a method.
    TREE_SCREEN = staticmethod(assigns_tensor_to_self)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        # `[model.w]` elements, judged once every class is planned (a function may precede its class).
        self.listed: List[cst.Attribute] = []

    def visit_Element(self, node: cst.Element) -> None:
        value = node.value
        if isinstance(value, cst.Attribute) and not m.matches(value.value, m.Name("self")):
            self.listed.append(value)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        converted = {plan.name for key, plan in self.plans.items() if key in self.converted}
        for attribute in self.listed:
            name = attribute.attr.value
            if name in converted:
                self.report(
                    attribute,
                    f"`{node_code(attribute)}` is an nn.Parameter now, so `parameters()` yields it: "
                    "if this list goes to an optimizer beside `parameters()`, the optimizer updates "
                    "it twice per step (or raises for two parameter groups); drop it from the list",
                )
        return super().leave_Module(original_node, updated_node)

    def plan(self, name: str, state: ClassState) -> Optional[AttributePlan]:
        uses = state.attributes[name]
        in_init = state.in_init(name)
        if uses.registered:
            return None
        if not in_init:
            for assignment in state.outside_init(name):
                if state.is_tensor(assignment) and mentions_requires_grad(self.imports, assignment.value):
                    return self.decline(
                        assignment,
                        f"attribute `{name}` requires grad but is first assigned in `{assignment.method}`, "
                        "not `__init__`: the optimizer never sees it; create it in `__init__` as an nn.Parameter",
                    )
            return None
        first = in_init[0]
        if not (state.is_tensor(first) and mentions_requires_grad(self.imports, first.value)):
            return None
        why = f"attribute `{name}` requires grad but is not an nn.Parameter; not converted: "
        leaf = self._leaf(strip_device_moves(self.imports, first.value))
        if leaf is None:
            return self.decline(
                first, why + "it is not a leaf tensor (arithmetic on a requires_grad tensor?)"
            )
        if uses.other_bindings or not first.top_level or first.in_loop:
            return self.decline(first, why + "it is not assigned once, directly in `__init__`")
        if state.super_init_index is None or first.statement_index < state.super_init_index:
            return self.decline(first, why + "it is assigned before the base class `__init__` is called")
        removals, rest = self.redundant_moves(name, state, in_init[1:])
        again = [*rest, *state.outside_init(name)]
        if again:
            return self.decline(again[0], why + f"it is assigned again in `{again[0].method}`")
        tensor, flag = leaf
        return AttributePlan(name, first, tensor, frozenset(removals), requires_grad=flag)

    def _leaf(self, value: cst.BaseExpression) -> Optional[Tuple[cst.BaseExpression, Optional[cst.BaseExpression]]]:
        """The tensor the parameter is made of and its `requires_grad` flag (None when it is
        True), or None when the value is not a leaf."""
        if not isinstance(value, cst.Call):
            return None
        if is_variable_call(self.imports, value):
            positional = [a for a in value.args if a.keyword is None]
            if len(positional) != 1 or any(a.star for a in value.args):
                return None
            tensor = strip_device_moves(self.imports, positional[0].value.with_changes(lpar=[], rpar=[]))
            return tensor, _flag(keyword(value, "requires_grad"))
        func = value.func
        if isinstance(func, cst.Attribute) and func.attr.value == "requires_grad_":
            if len(value.args) > 1 or any(a.star or (a.keyword is not None and a.keyword.value != "requires_grad") for a in value.args):
                return None
            inner = func.value
            if (
                isinstance(inner, cst.Call)
                and isinstance(inner.func, cst.Attribute)
                and inner.func.attr.value == "detach"
                and not inner.args
            ):
                inner = inner.func.value  # TU101's `t.detach().requires_grad_()`
            return strip_device_moves(self.imports, inner), _flag(value.args[0] if value.args else None)
        requires_grad = keyword(value, "requires_grad")
        if torch_factory(self.imports, value) is not None and requires_grad is not None:
            args = [a for a in value.args if a is not requires_grad]
            if args:
                args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return value.with_changes(args=args), _flag(requires_grad)
        return None

    def _parameter_spelling(self) -> str:
        spelled = self.imports.spelling("torch.nn.Parameter")
        if spelled is not None:
            return spelled
        if not self.imports.is_rebound("nn") and "nn" not in self.imports.aliases:
            AddImportsVisitor.add_needed_import(self.context, "torch.nn", asname="nn")
            return "nn.Parameter"
        AddImportsVisitor.add_needed_import(self.context, "torch")
        return "torch.nn.Parameter"

    def convert(
        self, plan: AttributePlan, original: cst.Assign, updated: cst.Assign
    ) -> cst.BaseSmallStatement:
        message = (
            f"`{plan.name}` requires grad but was not a Parameter: now an nn.Parameter, so "
            "parameters() includes it (the optimizer trains it; its param order and a saved "
            f"optimizer state change) and state_dict gains the key `{plan.name}`"
        )
        if not self.allows(Safety.UNSAFE):
            return self.fix(original, updated, message, safety=Safety.UNSAFE)
        args = [cst.Arg(_unparenthesized(plan.value))]
        if plan.requires_grad is not None:  # `requires_grad=learn`: trainable only when it was
            args.append(keyword_argument("requires_grad", plan.requires_grad))
        parameter = cst.Call(func=cst.parse_expression(self._parameter_spelling()), args=args)
        return self.fix(original, updated.with_changes(value=parameter), message, safety=Safety.UNSAFE)
