"""TU423 module_names: submodule, buffer and parameter names that raise since PyTorch 0.4.

What it does
    Looks at the name given to `add_module`, `register_module`, `register_buffer` and
    `register_parameter`:

    - a literal name with a `.` (`add_module('block.1', m)`, `'conv%d.%d' % (i, j)`,
      `'layer{}.{}'.format(i, j)`, `f'up.{i}'`) -> the same name with `_` for each `.`;
    - an empty name (`register_buffer('', t)`) is reported.

Why
    PyTorch 0.3 accepted any string; since 0.4 a name containing `.` or an empty name raises
    KeyError ("module name can't contain \".\"") when the model is built, so the legacy model
    cannot even be constructed.

Before
    self.add_module('block.%d' % i, Block(c))

After
    self.add_module('block_%d' % i, Block(c))

Fix safety
    Unsafe: the model builds again, but its state_dict keys change (`block.1.conv.weight` becomes
    `block_1.conv.weight`): checkpoints saved by the 0.3 model need their keys renamed the same
    way before they load strictly, and code that looks the submodule up by its old name
    (`getattr(self, 'block.1')`) must follow.

Limitations
    A name computed elsewhere (a variable) is not looked at. An empty name has no mechanical
    replacement and is only reported.
"""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from torchup.codemod import Codemod, Safety, node_code

REGISTRARS = ("add_module", "register_module", "register_buffer", "register_parameter")


def _dotless(node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``node`` with `.` replaced in its literal text; None when no literal part has a dot."""
    if isinstance(node, cst.SimpleString):
        if "." not in node.evaluated_value:
            return None
        opening = node.value[: len(node.prefix) + len(node.quote)]
        return node.with_changes(value=opening + node.raw_value.replace(".", "_") + node.quote)
    if isinstance(node, cst.FormattedString):
        if not any(isinstance(p, cst.FormattedStringText) and "." in p.value for p in node.parts):
            return None
        parts = [
            p.with_changes(value=p.value.replace(".", "_")) if isinstance(p, cst.FormattedStringText) else p
            for p in node.parts
        ]
        return node.with_changes(parts=parts)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        if _dot_in_field(node.left, r"%[^a-zA-Z%]*\."):
            return None
        left = _dotless(node.left)
        return None if left is None else node.with_changes(left=left)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        if _dot_in_field(node.func.value, r"\{[^{}]*\."):
            return None
        base = _dotless(node.func.value)
        return None if base is None else node.with_changes(func=node.func.with_changes(value=base))
    return None


def _dot_in_field(node: cst.BaseExpression, field: str) -> bool:
    """Whether a `.` sits inside a replacement field (`%.2f`, `{:.2f}`, `{0.name}`): not ours to change."""
    return isinstance(node, cst.SimpleString) and re.search(field, node.raw_value) is not None


def _formats_a_dot(node: cst.BaseExpression) -> bool:
    """`'scale%.1f' % s`, `'scale{:.1f}'.format(s)`: a number formatted with a `.` in the name."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return _dot_in_field(node.left, r"%[^a-zA-Z%]*\.")
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        return _dot_in_field(node.func.value, r"\{[^{}]*\.")
    return False


def _empty(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == ""


class ModuleNames(Codemod):
    CODE = "TU423"
    NAME = "module_names"
    SUMMARY = "`add_module('block.1', m)` / `register_buffer('', t)` (KeyError since 0.4) -> `_` for `.`; empty names reported"
    SAFETY = "unsafe"
    MARKERS = REGISTRARS
    # A registrar called with a string literal that is empty or holds a `.` (`'block.1'`,
    # `'conv%d.%d' % ...`, `f'up.{i}'`, `'scale%.1f' % s`): `register_buffer("mean", t)` does not match.
    PATTERN = (
        r"\b(?:" + "|".join(REGISTRARS) + r")\s*\(\s*(?:name\s*=\s*)?[A-Za-z]{0,2}(['\"])(?:\1|[^'\"\n]*?\.)"
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in REGISTRARS) or not original_node.args:
            return updated_node
        first = original_node.args[0]
        if first.star or (first.keyword is not None and first.keyword.value != "name"):
            return updated_node
        method = func.attr.value
        if _empty(first.value):
            self.report(original_node, f"`{method}` with an empty name raises KeyError since PyTorch 0.4: give it a name")
            return updated_node
        new_name = _dotless(first.value)
        if new_name is None:
            if _formats_a_dot(first.value):
                self.report(
                    original_node,
                    f"`{method}({node_code(first.value)}, ...)`: the name may contain `.` (a formatted number?), which "
                    "raises KeyError since PyTorch 0.4",
                )
            return updated_node
        args = list(updated_node.args)
        args[0] = args[0].with_changes(value=new_name)
        new = updated_node.with_changes(args=args)
        message = (
            f"`{method}({node_code(first.value)}, ...)`: a name with `.` raises KeyError since PyTorch 0.4 -> "
            f"`{node_code(new_name)}`; state_dict keys change with it (rename old checkpoints' keys)"
        )
        return self.fix(original_node, new, message, safety=Safety.UNSAFE)
