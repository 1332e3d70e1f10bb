"""Reading a Python file's bytes as text and turning text back into the same kind of bytes.

The encoding comes from the BOM or the PEP 263 cookie (``tokenize.detect_encoding``); newlines are
not translated, so a CRLF file stays CRLF and a file with mixed endings keeps each one.
"""

from __future__ import annotations

import io
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


def decode(data: bytes) -> Union[SourceText, DecodeError]:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown or contradictory coding cookie
        return DecodeError(str(error))
    try:
        return SourceText(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError) as error:
        return DecodeError(f"cannot decode as {encoding}: {error}")
