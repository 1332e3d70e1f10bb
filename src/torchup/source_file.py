"""Reading a Python file's bytes as text and turning text back into the same kind of bytes.

The encoding comes from the BOM or the PEP 263 cookie (``tokenize.detect_encoding``); newlines are
not translated, so a CRLF file stays CRLF and a file with mixed endings keeps each one.

What Python itself would not read as source is refused with a message that says what was found:
a UTF-16 or UTF-32 byte order mark, NUL bytes (a binary file, or UTF-16 without a BOM), bytes
that are not UTF-8 in a file that declares no encoding.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # "utf-8-sig" when the file starts with a BOM

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


@dataclass(frozen=True)
class DecodeError:
    message: str


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")
READS = "torchup reads UTF-8 and PEP 263 encodings, as Python does"

# Longest first: a UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)"),
)


def _refusal(data: bytes) -> Union[DecodeError, None]:
    """Why ``data`` is not source text Python could read, said in terms of what it is; or None."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return DecodeError(f"{name} byte order mark: {READS}; convert the file to UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        head = data[:4096]
        # ASCII text in UTF-16 has a NUL in every other byte.
        if head.count(b"\0") * 3 >= len(head) and (head[1::2].count(0) * 2 >= len(head[1::2]) or head[0::2].count(0) * 2 >= len(head[0::2])):
            return DecodeError(f"looks like UTF-16 or UTF-32 without a byte order mark (NUL bytes): {READS}")
        return DecodeError(f"binary file (a NUL byte at offset {nul}): not Python source")
    return None


def decode(data: bytes) -> Union[SourceText, DecodeError]:
    refusal = _refusal(data)
    if refusal is not None:
        return refusal
    try:
        encoding, first_lines = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # An unknown or contradictory coding cookie, or a first line that is not UTF-8 (which
        # the tokenizer calls an "invalid or missing encoding declaration").
        if "invalid or missing encoding declaration" not in str(error):
            return DecodeError(f"{error}; {READS}")
        return _not_valid(data, "utf-8", any(_COOKIE.match(line) for line in data.splitlines()[:2]))
    try:
        return SourceText(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        return _not_valid(data, encoding, any(_COOKIE.match(line) for line in first_lines))
    except LookupError as error:
        return DecodeError(f"cannot decode as {encoding}: {error}; {READS}")


def _not_valid(data: bytes, encoding: str, declared: bool) -> DecodeError:
    try:
        data.decode(encoding)
        start = 0
    except UnicodeDecodeError as error:
        start = error.start
    why = "as declared" if declared else "no PEP 263 encoding declaration"
    return DecodeError(f"byte {start} is not valid {encoding} ({why}): {READS}")
