"""Whether a file was written for PyTorch before 1.0: the idioms of that era, found in its text.

Some code means one thing under the torch it was written for and another today, with nothing in
the expression itself to tell which: ``idx / n`` on an integer tensor truncated up to PyTorch 1.5
and divides truly since. A model written for torch 2.x (a transformers rotary embedding's
``torch.arange(0, dim, 2, dtype=torch.int64) / dim``) wants the true division; a 2017 beam search
(``best / vocab_size``) wanted the truncation. Only the rest of the file tells them apart, so the
codemods for such expressions ask this module, of the file as it was read (the earlier passes may
have migrated the evidence away), whether it shows an idiom that no code written for torch >= 1.0
has: ``Variable(...)``, ``volatile=``, ``x.data[0]``, ``torch.cuda.FloatTensor``,
``size_average=``/``reduce=`` on a loss, ``.cuda(async=True)``. A legacy type constructor is no
evidence: modern code still writes ``Parameter(torch.FloatTensor(n))`` (torchaudio's wav2vec2,
whose ``lens / l_sum`` means probabilities).

The test reads text (comments and strings included), which is enough for a decision made per
file: a modern file that only mentions ``Variable(`` in a comment is read as legacy, which gives
back a finding, never an edit the user did not ask for (those codemods' edits are unsafe).
"""

from __future__ import annotations

import re
from typing import Any, Optional

from torchup.analysis.memo import code_of, last_call

_TYPES = r"(?:Float|Double|Half|Long|Int|Short|Char|Byte)Tensor"
LEGACY_ERA = re.compile(
    "|".join(
        [
            r"\bVariable\s*\(",
            r"\bautograd\b[^\n]*\bVariable\b",
            r"\bvolatile\s*=",
            r"\.data\s*\[\s*0\s*\]",
            rf"\bcuda\.{_TYPES}\b",
            r"\bsize_average\s*=",
            r"\breduce\s*=\s*(?:True|False)\b",
            r"\basync\s*=",
        ]
    )
)


def shows_legacy_era(text: str) -> bool:
    """Whether ``text`` holds an idiom only code written for torch < 1.0 has."""
    return LEGACY_ERA.search(text) is not None


@last_call
def module_shows_legacy_era(module: Any) -> bool:
    """:func:`shows_legacy_era` of a parsed module (its remembered text, without codegen)."""
    return shows_legacy_era(code_of(module))


def file_as_read_shows_legacy_era(current: Any, original: Optional[Any]) -> bool:
    """Asked of the file as it was read when the pipeline kept it (``ORIGINAL_KEY``), else of
    ``current``: TU101 and TU102 unwrap the ``Variable``s that showed the era before the later
    passes ask."""
    return module_shows_legacy_era(original if original is not None else current)
