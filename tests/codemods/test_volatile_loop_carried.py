"""TU102's regions inside a loop follow the names a loop carries to its next iteration: a line
that reads, before it is assigned, a name the rest of the body computes from the volatile value
reads a volatile value from the second iteration on, and gets its region too.

A file of its own beside tests/codemods/test_volatile.py, to keep clear of that file's ongoing
changes.
"""

from codemod_harness import rewrite

from torchup.codemods.volatile import Volatile


def test_a_line_reading_the_previous_iterations_value_gets_a_region():
    result = rewrite(
        Volatile,
        """
        import torch
        from torch.autograd import Variable

        def main(model, t, opt):
            x = Variable(t, volatile=True)
            prev = None
            for epoch in range(3):
                print(prev.sum())
                opt.step()
                prev = model(x)
        """,
        """
        import torch

        def main(model, t, opt):
            x = t
            prev = None
            for epoch in range(3):
                with torch.no_grad():
                    print(prev.sum())
                opt.step()
                with torch.no_grad():
                    prev = model(x)
        """,
    )
    assert [e.safety.name for e in result.edits if e.code == "TU102"] == ["SAFE"]


def test_a_line_reading_only_what_the_loop_never_computes_from_the_value_stays_outside():
    rewrite(
        Volatile,
        """
        import torch
        from torch.autograd import Variable

        def main(model, t, opt, other):
            x = Variable(t, volatile=True)
            for epoch in range(3):
                print(other.sum())
                opt.step()
                prev = model(x)
        """,
        """
        import torch

        def main(model, t, opt, other):
            x = t
            for epoch in range(3):
                print(other.sum())
                opt.step()
                with torch.no_grad():
                    prev = model(x)
        """,
    )
