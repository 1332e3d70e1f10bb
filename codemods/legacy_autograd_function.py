"""TU407 legacy_autograd_function: report old-style `autograd.Function` subclasses.

What it does
    Reports each subclass of `torch.autograd.Function` whose `forward` is not a `@staticmethod`:
    the legacy style, instantiated and called (`MyFn()(x)`), with state on `self`.

Why
    Static-method autograd functions replaced the instance style in PyTorch 0.2; since PyTorch 1.5
    calling a legacy one raises "Legacy autograd function with non-static forward method is
    deprecated".

Before
    class Clamp(torch.autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x.clamp(min=0)

        def backward(self, grad):
            x, = self.saved_tensors
            return grad * (x > 0).float()

    y = Clamp()(x)

After
    class Clamp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * (x > 0).float()

    y = Clamp.apply(x)

Fix safety
    No fix: the conversion moves constructor arguments into `forward`'s arguments, returns
    `None` gradients for them from `backward`, and changes every call site, possibly in other
    files.

Limitations
    Only direct subclasses of `torch.autograd.Function` (`Function`, `InplaceFunction`, however
    imported) are checked, and only the class is reported, not its call sites.
"""

from __future__ import annotations

import libcst as cst

from torchup.analysis.imports import ImportTable, import_table
from torchup.codemod import Codemod

_FUNCTION_BASES = (
    "torch.autograd.Function",
    "torch.autograd.function.Function",
    "torch.autograd.function.InplaceFunction",
)


def _is_static(method: cst.FunctionDef) -> bool:
    return any(
        isinstance(decorator.decorator, cst.Name) and decorator.decorator.value == "staticmethod"
        for decorator in method.decorators
    )


class LegacyAutogradFunction(Codemod):
    CODE = "TU407"
    NAME = "legacy_autograd_function"
    SUMMARY = "report old-style `autograd.Function` subclasses with a non-static `forward` (an error since PyTorch 1.5)"
    SAFETY = "safe"
    # `Function` as a class base (followed by `)` or `,`), or imported under another name.
    MARKERS = ("Function",)  # `class F(Function  )` too; PATTERN narrows
    # Superset of the reports (the markers see the `Function` base): each is a `def forward`
    # without a `@staticmethod` decorator. Here: a `def forward` line (also `async def`) whose run
    # of lines right above it (decorators, comments and blank lines, up to the first other line)
    # holds no line that is exactly `@staticmethod` (a trailing comment allowed). Files whose
    # every `forward` is a `@staticmethod` (new-style Functions only, no modules) do not match.
    # And `Function` (`InplaceFunction` too) as a base or in an import (`Function)`, `as`, the end
    # of a line): the marker alone is any `Function`.
    PATTERN = (
        r"(?ms)\A(?=.*?Function[^\S\n\\]*(?:[),\\\n]|as\b|$))(?=.*?"
        + r"(?:\A|^(?![^\S\n]*(?:@|#|$))[^\n]*\n)"
        + r"(?:[^\S\n]*(?:@(?!staticmethod[^\S\n]*(?:#[^\n]*)?$)[^\n]*|#[^\n]*|)\n)*"
        + r"[^\S\n]*(?:async[\s\\]+)?def[\s\\]+forward\b)"
    )

    def visit_Module(self, node: cst.Module) -> None:
        self.table: ImportTable = import_table(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not any(self.table.refers_to(base.value, *_FUNCTION_BASES) for base in node.bases):
            return
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        for statement in body:
            if (
                isinstance(statement, cst.FunctionDef)
                and statement.name.value == "forward"
                and not _is_static(statement)
            ):
                self.report(
                    statement,
                    f"`{node.name.value}` is an old-style autograd.Function (non-static `forward`): "
                    "calling it raises RuntimeError since PyTorch 1.5; make `forward`/`backward` "
                    "`@staticmethod`s taking `ctx` and call it as "
                    f"`{node.name.value}.apply(...)`",
                )
