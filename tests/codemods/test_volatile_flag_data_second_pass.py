"""TU102 on its own output: a class whose volatile flag is kept as data (``self.volatile =
volatile``, never read) takes ``volatile=`` as data, so a call passing it is no finding.

Beside tests/codemods/test_volatile.py's flag-as-data tests; a file of its own to keep clear of
that file's ongoing changes.
"""

from textwrap import dedent

from codemod_harness import run

from torchup.codemods.volatile import Volatile

MIGRATED = dedent(
    """
    import torch


    class Dataset(object):
        def __init__(self, src, batch_size, volatile=False):
            self.src = src
            self.batch_size = batch_size
            self.volatile = volatile

        def __getitem__(self, index):
            return self.src[index]


    def main(model, valid):
        valid_data = Dataset(valid, 2, volatile=True)
        print(model(valid_data[0]).sum())
    """
).lstrip("\n")


def test_a_call_of_a_class_that_only_stores_its_flag_is_no_finding():
    result = run(Volatile, MIGRATED, unsafe=True)
    assert not result.edits
    call_line = MIGRATED.splitlines().index("    valid_data = Dataset(valid, 2, volatile=True)") + 1
    assert [f.line for f in result.findings if f.line == call_line] == []
    # the parameter itself is still reported: the flag does nothing since 0.4
    assert any(f.line == 5 and "parameter `volatile=`" in f.message for f in result.findings)


def test_a_class_that_reads_its_flag_makes_the_call_a_finding():
    reading = MIGRATED.replace(
        "        return self.src[index]\n", "        return self.src[index] if self.volatile else None\n"
    )
    assert reading != MIGRATED
    result = run(Volatile, reading, unsafe=True)
    call_line = reading.splitlines().index("    valid_data = Dataset(valid, 2, volatile=True)") + 1
    assert any(f.line == call_line for f in result.findings)


def test_a_class_without_a_volatile_parameter_makes_the_call_a_finding():
    # `**options` swallows the flag: nothing shows it is kept as data, so the call is not excused
    forwarding = MIGRATED.replace(
        "    def __init__(self, src, batch_size, volatile=False):\n", "    def __init__(self, src, batch_size, **options):\n"
    ).replace("        self.volatile = volatile\n", "        self.options = options\n")
    assert "volatile" not in forwarding.split("def main")[0]
    result = run(Volatile, forwarding, unsafe=True)
    call_line = forwarding.splitlines().index("    valid_data = Dataset(valid, 2, volatile=True)") + 1
    assert [f.code for f in result.findings if f.line == call_line] == ["TU102"]
