"""TU101 on ``Variable(self.data)``: an object's field named ``data``, not a tensor's ``.data``.

A dataset or loader that keeps its tensor as ``self.data`` and hands out ``Variable(self.data)``
must not become ``self.detach()`` (the object has no such method); ``Variable(x.data)`` of any
other name is still the detached alias ``x.detach()``.
"""

from codemod_harness import rewrite, run

from torchup.codemods.variable import UnwrapVariable


def test_variable_of_a_field_named_data_keeps_the_field():
    result = rewrite(
        UnwrapVariable,
        """
        import torch
        from torch.autograd import Variable

        class Loader:
            def __init__(self, data):
                self.data = data

            def batch(self):
                return Variable(self.data)

            def pair(self, x):
                return Variable(self.data), Variable(x.data)
        """,
        """
        import torch

        class Loader:
            def __init__(self, data):
                self.data = data

            def batch(self):
                return self.data

            def pair(self, x):
                return self.data, x.detach()
        """,
    )
    assert [edit.message for edit in result.edits] == [
        "`Variable(x)` -> `x`",
        "`Variable(x)` -> `x`",
        "`Variable(x.data)` -> `x.detach()`",
    ]


def test_the_field_is_still_read_after_the_rewrite():
    code = run(UnwrapVariable, "from torch.autograd import Variable\nclass D:\n    def get(self):\n        return Variable(self.data)\n").code
    namespace: dict = {}
    exec(code, namespace)
    loader = namespace["D"]()
    loader.data = [1, 2]
    assert loader.get() == [1, 2]  # `self.detach()` would raise AttributeError
