"""Vietnamese text folded for matching: no marks, `đ` as `d`, lower case, single spaces.

Offices type headers and names with or without diacritics; matching a header, an award
name or a nominee's unit goes through `fold`, never through the text as typed.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """`Ngày, tháng, năm SINH` -> `ngay thang nam sinh`; `Đơn vị` -> `don vi`."""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").lower()
    return _NOT_WORD.sub(" ", bare).strip()


def slug(text: str, limit: int = 60) -> str:
    """A file name part: `Trường PTDTNT tỉnh Cao Bằng` -> `truong-ptdtnt-tinh-cao-bang`."""
    return fold(text).replace(" ", "-")[:limit].rstrip("-") or "x"
