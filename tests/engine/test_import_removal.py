"""The engine's own removal of imports that codemods asked to drop (torchup.import_removal)."""

from __future__ import annotations

import libcst as cst
import pytest
from codemod_harness import dedent, run
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor

from torchup import registry
from torchup.import_removal import remove_unused_imports

VARIABLE = ("torch.autograd", "Variable", None)


def removed(source: str, *requests) -> str:
    return remove_unused_imports(cst.parse_module(dedent(source)), requests).code


def by_libcst(source: str, *requests) -> str:
    context = CodemodContext()
    for module, obj, asname in requests:
        RemoveImportsVisitor.remove_unused_import(context, module, obj, asname)
    return RemoveImportsVisitor(context).transform_module(cst.parse_module(dedent(source))).code


DROPPED = [
    # A string names a binding only inside an annotation or an `__all__`: after either one has
    # ended, a string that happens to spell the name keeps nothing.
    pytest.param(
        """
        from torch.autograd import Variable
        def f(x: int) -> int:
            print("Variable")
            return x
        """,
        """
        def f(x: int) -> int:
            print("Variable")
            return x
        """,
        (VARIABLE,),
        id="string-after-an-annotation",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        __all__: list = ["f"]
        names = ["Variable"]
        """,
        """
        __all__: list = ["f"]
        names = ["Variable"]
        """,
        (VARIABLE,),
        id="string-after-an-annotated-__all__",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        __all__ = ["f"]
        __all__ += ["g"]
        message = "Variable"
        """,
        """
        __all__ = ["f"]
        __all__ += ["g"]
        message = "Variable"
        """,
        (VARIABLE,),
        id="string-after-__all__",
    ),
    pytest.param(
        """
        import torch
        from torch.autograd import Variable
        x = torch.zeros(3)
        """,
        """
        import torch
        x = torch.zeros(3)
        """,
        (VARIABLE,),
        id="unused",
    ),
    pytest.param(
        """
        from torch.autograd import Variable, Function
        class F(Function):
            pass
        """,
        """
        from torch.autograd import Function
        class F(Function):
            pass
        """,
        (VARIABLE,),
        id="first-of-two",
    ),
    pytest.param(
        """
        from torch.autograd import Function, Variable
        class F(Function):
            pass
        """,
        """
        from torch.autograd import Function
        class F(Function):
            pass
        """,
        (VARIABLE,),
        id="last-of-two",
    ),
    pytest.param(
        """
        from torch.autograd import (
            Variable,
            Function,
        )
        class F(Function):
            pass
        """,
        """
        from torch.autograd import (
            Function,
        )
        class F(Function):
            pass
        """,
        (VARIABLE,),
        id="parenthesized",
    ),
    pytest.param(
        """
        from torch.autograd import Variable as V
        y = x.V + f(V=1)
        """,
        """
        y = x.V + f(V=1)
        """,
        (("torch.autograd", "Variable", "V"),),
        id="alias-only-as-attribute-and-keyword",
    ),
    pytest.param(
        """
        import torch.autograd as ag
        import torch
        y = torch.ones(1)
        """,
        """
        import torch
        y = torch.ones(1)
        """,
        (("torch.autograd", None, "ag"),),
        id="import-a.b-as-c",
    ),
    pytest.param(
        """
        import torch
        def f(x):
            from torch.autograd import Variable
            return x
        """,
        """
        import torch
        def f(x):
            return x
        """,
        (VARIABLE,),
        id="inside-a-function",
    ),
    pytest.param(
        """
        from torch import FloatTensor, LongTensor
        x = 1
        """,
        """
        x = 1
        """,
        (("torch", "FloatTensor", None), ("torch", "LongTensor", None)),
        id="whole-statement",
    ),
]


@pytest.mark.parametrize("before, after, requests", DROPPED)
def test_drops_an_import_nothing_uses(before, after, requests):
    result = removed(before, *requests)
    assert result == dedent(after)
    compile(result, "example.py", "exec")
    assert removed(result, *requests) == result  # idempotent


COMMENTED = """
    from torch.autograd import (  # autograd
        Variable,  # wraps tensors
        # the base class:
        Function,  # subclassed below
        Variable as V,
    )
    class F(Function):
        pass
    """


# The comment line after a dropped name between two kept ones stays, above the name it introduces.
COMMENT_AFTER_A_MIDDLE_NAME = """
    from torch.autograd import (
        Function,
        Variable,
        # the gradient helpers:
        grad,  # for the penalty
    )
    class F(Function):
        pass
    y = grad
    """


def test_a_comment_after_a_dropped_name_between_kept_ones_is_kept():
    result = removed(COMMENT_AFTER_A_MIDDLE_NAME, VARIABLE)
    assert "Variable" not in result
    assert "    Function,\n    # the gradient helpers:\n    grad,  # for the penalty\n)\n" in result
    compile(result, "example.py", "exec")


# With two kept names before the dropped one, the comment goes to the nearer: above `backward`,
# not after `Function`.
COMMENT_AFTER_A_LATER_NAME = """
    from torch.autograd import (
        Function,
        grad,
        Variable,
        # the hooks:
        backward,
    )
    class F(Function):
        pass
    y = grad, backward
    """


def test_a_comment_after_a_dropped_name_goes_to_the_kept_name_just_before_it():
    result = removed(COMMENT_AFTER_A_LATER_NAME, VARIABLE)
    assert "(\n    Function,\n    grad,\n    # the hooks:\n    backward,\n)\n" in result
    compile(result, "example.py", "exec")


@pytest.mark.parametrize(
    "before, requests",
    [pytest.param(before, requests, id=case.id) for case in DROPPED for before, _, requests in [case.values]]
    + [pytest.param(COMMENTED, (VARIABLE, ("torch.autograd", "Variable", "V")), id="comments")]
    + [pytest.param(COMMENT_AFTER_A_MIDDLE_NAME, (VARIABLE,), id="comment-after-a-middle-name")]
    + [pytest.param(COMMENT_AFTER_A_LATER_NAME, (VARIABLE,), id="comment-after-a-later-name")],
)
def test_output_is_what_libcst_would_make(before, requests):
    # where the name is plainly unused, the cheap pass and libcst's scope analysis agree, down to
    # where the comments of a dropped alias go
    assert removed(before, *requests) == by_libcst(before, *requests)


KEPT = [
    pytest.param(
        """
        from torch.autograd import Variable
        y = Variable(x)
        """,
        (VARIABLE,),
        id="still-called",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        def f(Variable):
            return Variable
        """,
        (VARIABLE,),
        id="name-in-another-scope",  # conservative: any Name keeps it
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        __all__ = ["Variable"]
        """,
        (VARIABLE,),
        id="exported-in-__all__",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        __all__ = []
        __all__ += ["Variable"]
        """,
        (VARIABLE,),
        id="added-to-__all__",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        __all__: list = ["Variable"]
        """,
        (VARIABLE,),
        id="exported-in-an-annotated-__all__",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        def f(x: int) -> "Variable":
            return x
        """,
        (VARIABLE,),
        id="string-annotation-after-another-annotation",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        def f(x: "Variable") -> "Optional[Variable]":
            return x
        """,
        (VARIABLE,),
        id="string-annotation",
    ),
    pytest.param(
        """
        from torch.autograd import Variable as V
        x = 1
        """,
        (VARIABLE,),
        id="alias-does-not-match-the-request",
    ),
    pytest.param(
        """
        from .autograd import Variable
        x = 1
        """,
        (("autograd", "Variable", None), (".autograd", "Variable", None)),
        id="relative-import",
    ),
    pytest.param(
        """
        import torch.autograd
        y = torch.zeros(1)
        """,
        (("torch.autograd", None, None),),
        id="import-a.b-binds-a",
    ),
    pytest.param(
        """
        from torch.autograd import *
        x = 1
        """,
        (VARIABLE,),
        id="star-import",
    ),
    pytest.param(
        """
        from torch.autograd import Variable
        x = 1
        """,
        (),
        id="no-request",
    ),
]


@pytest.mark.parametrize("source, requests", KEPT)
def test_keeps_an_import_that_may_be_needed(source, requests):
    assert removed(source, *requests) == dedent(source)


def test_partial_removal_keeps_the_used_alias():
    source = """
        from torch import FloatTensor, LongTensor
        x = LongTensor([1])
        """
    result = removed(source, ("torch", "FloatTensor", None), ("torch", "LongTensor", None))
    assert result == "from torch import LongTensor\nx = LongTensor([1])\n"


def test_pipeline_drops_the_variable_import_after_tu101():
    result = run(
        [registry.get("TU101")],
        """
        import torch
        from torch.autograd import Variable, Function
        x = Variable(torch.zeros(3))
        """,
    )
    assert result.code == "import torch\nfrom torch.autograd import Function\nx = torch.zeros(3)\n"


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "try:\n    from torch.autograd import Variable\nexcept ImportError:\n    pass\nx = 1\n",
            "try:\n    pass\nexcept ImportError:\n    pass\nx = 1\n",
            id="in-try",
        ),
        pytest.param(
            "import torch\ntry:\n    import numpy\nexcept ImportError:\n    from torch.autograd import Variable\nx = 1\n",
            "import torch\ntry:\n    import numpy\nexcept ImportError:\n    pass\nx = 1\n",
            id="in-except",
        ),
        pytest.param(
            "def f():\n    if True:\n        from torch.autograd import Variable, Function\n    return Function\n",
            "def f():\n    if True:\n        from torch.autograd import Function\n    return Function\n",
            id="in-function-if",
        ),
        pytest.param(
            "class A:\n    from torch.autograd import Variable\n    with open('x') as f:\n        from torch.autograd import Variable\n",
            "class A:\n    with open('x') as f:\n        pass\n",
            id="in-class-and-with",
        ),
    ],
)
def test_an_import_inside_blocks_is_found_and_dropped(before, after):
    """The path down to an import (which the removal follows) is found through every kind of
    block, as libcst's own removal finds it."""
    assert removed(before, VARIABLE) == after
    assert by_libcst(before, VARIABLE) == after


# Comments after a dropped alias, where it is the first of its parentheses, or follows a kept one
# on the same line, or has blank lines after it: they stay, as libcst keeps them.
COMMENT_AFTER_THE_FIRST_NAME = """
    from torch.autograd import (
        Variable,  # wraps tensors
        # the base class:
        Function,
    )
    class F(Function):
        pass
    """
COMMENT_AFTER_A_NAME_ON_THE_KEPT_ONES_LINE = """
    from torch.autograd import (Function, Variable,
        # the helpers:
        grad)
    class F(Function):
        pass
    y = grad
    """
BLANK_LINE_AFTER_A_DROPPED_NAME = """
    from torch.autograd import (
        Function,
        Variable,

        # the helpers:
        grad,
    )
    class F(Function):
        pass
    y = grad
    """


@pytest.mark.parametrize(
    "before, expected_import",
    [
        pytest.param(COMMENT_AFTER_THE_FIRST_NAME, "from torch.autograd import (\n    # the base class:\n    Function,\n)\n", id="first"),
        pytest.param(
            COMMENT_AFTER_A_NAME_ON_THE_KEPT_ONES_LINE,
            "from torch.autograd import (Function,\n    # the helpers:\n    grad)\n",
            id="same-line",
        ),
        pytest.param(
            BLANK_LINE_AFTER_A_DROPPED_NAME,
            "from torch.autograd import (\n    Function,\n    # the helpers:\n    grad,\n)\n",
            id="blank-line",
        ),
    ],
)
def test_the_comments_after_a_dropped_name_stay_where_libcst_puts_them(before, expected_import):
    result = removed(before, VARIABLE)
    assert result.startswith(expected_import)
    assert result == by_libcst(before, VARIABLE)
    compile(result, "example.py", "exec")


def test_a_request_without_an_alias_keeps_the_import_under_one():
    # `import torch.autograd as ag` binds `ag`: a request for `import torch.autograd` is not for it.
    source = "import torch.autograd as ag\nimport torch.autograd\nx = 1\n"
    assert removed(source, ("torch.autograd", None, None)) == "import torch.autograd as ag\nx = 1\n"
    assert removed(source, ("torch.autograd", None, "ag")) == "import torch.autograd\nx = 1\n"
