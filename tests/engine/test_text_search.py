"""The prefilter's search gives what ``re.search`` gives, for every codemod's pattern."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from torchup import registry
from torchup.text_search import _alternatives, _plan, search

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TEXTS = [p.read_text() for p in sorted(CORPUS.glob("*/legacy/**/*.py"))] + [
    "import torch.nn.functional as F\ny = F.sigmoid(x)\n",
    "x = torch.range(0, 3)\nclip_grad_norm(p, 1)\n",
    '"""functional.softmax(x) in prose"""\nsoftmax_dim = 1\n',
    "from torch.nn import init as I\nI.normal(w)\n",
    "w = x.byte()\nm = torch.ByteTensor(3)\n",
    "",
]


def test_names_are_searched_as_literals_and_the_rest_together() -> None:
    plan = [compiled.pattern for compiled in _plan(r"(?s)\bfoo\(|x+|\bbar|\b(?:a|b)")]
    assert plan == [r"(?s)foo(?<=\bfoo)\(", r"(?s)bar(?<=\bbar)", r"(?s)x+|\b(?:a|b)"]


def test_top_level_alternatives_only_are_split() -> None:
    assert _alternatives(r"a|(b|c)|[|]|\||[]|]d|[^]|]e") == ["a", "(b|c)", "[|]", r"\|", "[]|]d", "[^]|]e"]


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        (r"\bnormal\(", "x.normal(1)", True),
        (r"\bnormal\(", "abnormal(1)", False),  # the boundary still holds
        (r"\bnormals?\(", "normal(1)", True),  # a quantified last letter is left as it was
        (r"(?m)^\bx\b|\by\b", "a\nx = 1", True),  # flags go to every part
        (r"\bfoo\d|\bbar", "foo", False),
    ],
)
def test_search_agrees_with_re(pattern: str, text: str, expected: bool) -> None:
    assert search(pattern, text) is expected
    assert (re.search(pattern, text) is not None) is expected


@pytest.mark.parametrize("cls", [c for c in registry.select() if c.PATTERN], ids=lambda c: c.CODE)
def test_every_pattern_searches_as_re_does(cls: type) -> None:
    compiled = re.compile(cls.PATTERN)
    for text in TEXTS:
        assert search(cls.PATTERN, text) == (compiled.search(text) is not None)
