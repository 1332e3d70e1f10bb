"""The OLD side's 0.3 behaviours (``legacy_defaults``): what a volatile Variable does to what it
touches, each case in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import List

PRELUDE = """
import warnings
warnings.simplefilter("ignore")
from torchup.verify import legacy_defaults
legacy_defaults.install()
"""


def _run_legacy(code: str) -> List[str]:
    """What ``code`` prints, word by word, run after ``legacy_defaults.install()``."""
    # A subprocess: install() patches torch for good, as it does in the verifier's old-side worker.
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_volatile_spreads_and_records_no_graph():
    out = _run_legacy(
        """
        import torch
        from torch.autograd import Variable
        net = torch.nn.Linear(3, 2)
        volatile = net(Variable(torch.randn(4, 3), volatile=True))
        plain = net(Variable(torch.randn(4, 3)))
        mixed = plain + volatile
        print(volatile.requires_grad, volatile.volatile, mixed.requires_grad, plain.requires_grad)
        print(isinstance(volatile, Variable), isinstance(3, Variable))
        """
    )
    assert out == ["False", "True", "False", "True", "True", "False"]


def test_clearing_volatile_ends_the_spread_and_saves_as_a_plain_tensor():
    out = _run_legacy(
        """
        import io
        import torch
        from torch.autograd import Variable
        weight = torch.nn.Parameter(torch.ones(3))
        value = Variable(torch.ones(3), volatile=True) * 2
        value.volatile = False
        print(type(value).__name__, (value * weight).requires_grad)
        buffer = io.BytesIO()
        torch.save(Variable(torch.ones(2), volatile=True), buffer)
        buffer.seek(0)
        print(type(torch.load(buffer, weights_only=True)).__name__)
        """
    )
    assert out == ["Tensor", "True", "Tensor"]


def test_requires_grad_variables_are_unchanged():
    out = _run_legacy(
        """
        import torch
        from torch.autograd import Variable
        w = Variable(torch.zeros(2), requires_grad=True)
        print(w.requires_grad, w.is_leaf, type(w).__name__)
        """
    )
    assert out == ["True", "True", "Tensor"]


def test_a_module_holding_a_volatile_attribute_deep_copies():
    out = _run_legacy(
        """
        import copy
        import torch
        from torch.autograd import Variable
        net = torch.nn.Linear(2, 2)
        net.priors = Variable(torch.arange(4.0), volatile=True)
        clone = copy.deepcopy(net)
        print(type(clone.priors).__name__, clone.priors is not net.priors, torch.equal(clone.priors, net.priors))
        """
    )
    assert out == ["VolatileTensor", "True", "True"]
