"""Vietnamese text as a key for matching: no marks, `đ` as `d`, lower case, words only.

Offices type headers and names with or without diacritics and with any punctuation;
matching a header, an award name or a nominee's unit goes through `match_key`, never
through the text as typed.
"""

from __future__ import annotations

import re
import unicodedata

from ..vietnamese import fold

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def match_key(text: str) -> str:
    """`Ngày, tháng, năm SINH` -> `ngay thang nam sinh`; `Đơn vị` -> `don vi`."""
    return _NOT_WORD.sub(" ", fold(unicodedata.normalize("NFC", str(text)))).strip()


def slug(text: str, limit: int = 60) -> str:
    """A file name part: `Trường PTDTNT tỉnh Cao Bằng` -> `truong-ptdtnt-tinh-cao-bang`."""
    return match_key(text).replace(" ", "-")[:limit].rstrip("-") or "x"
