"""TCVN3 (ABC), the 8-bit Vietnamese encoding of the `.Vn` fonts, to Unicode.

The table is the VN3 subset of TCVN 5712:1993, the one the ABC input method and the
`.VnTime`/`.VnArial` fonts use: lower-case letters with marks and the seven base letters
Ă Â Ê Ô Ơ Ư Đ (upper and lower) in 0xA1-0xFE. VN3 has no upper-case letters with tone
marks: offices wrote capitals with the `.VnTimeH`-style fonts, which draw the lower-case
codes as capitals, so such text is converted and then upper-cased by its font's name.

Text in this encoding reaches us as characters U+00A1-U+00FE (Word and LibreOffice keep
the font's code as a Latin-1 character; a .txt file is read byte for byte).
"""

from __future__ import annotations

import re

# byte: Unicode letter (TCVN 5712:1993, table VN3)
VN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TO_UNICODE = {code: letter for code, letter in VN3.items()}
_TO_TCVN3 = {ord(letter): code for code, letter in VN3.items()}

# Codes that stand for a Vietnamese letter in TCVN3 but are not Vietnamese letters in
# Unicode (µ ¸ ¶ · ¹ » ...): the letters à á â ã è é ê ì í ò ó ô õ ù ú ý are shared by both.
_TELLTALE = frozenset(chr(code) for code, letter in VN3.items() if chr(code) not in "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Letters only Unicode Vietnamese has: their presence means the text is already Unicode.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")


def to_unicode(text: str) -> str:
    """TCVN3 text (as Latin-1 characters) in Unicode."""
    return text.translate(_TO_UNICODE)


def from_unicode(text: str) -> bytes:
    """The TCVN3 bytes of Unicode Vietnamese (lower-case marked letters only have codes),
    for producing test files as an old `.Vn` font document would hold them."""
    out = bytearray()
    for ch in text:
        code = _TO_TCVN3.get(ord(ch))
        if code is not None:
            out.append(code)
        elif ord(ch) < 0x80:
            out.append(ord(ch))
        else:
            raise ValueError(f"{ch!r} has no code in TCVN3 (VN3 has no capitals with tone marks)")
    return bytes(out)


def looks_like_tcvn3(text: str) -> bool:
    """True when `text` is TCVN3 read as Latin-1: many telltale codes, no Unicode-only letters."""
    if _UNICODE_ONLY.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    telltales = sum(ch in _TELLTALE for ch in text)
    return telltales >= 3 and telltales >= 0.02 * max(letters, 1)


def is_legacy_font(name: str | None) -> bool:
    """The `.Vn` fonts (`.VnTime`, `.VnArial`, `.VnTimeH`) that hold TCVN3 text."""
    return bool(name) and name.lower().startswith(".vn")


def is_capitals_font(name: str | None) -> bool:
    """`.VnTimeH`, `.VnArialH`: the capitals variants (lower-case codes drawn as capitals)."""
    return is_legacy_font(name) and name.rstrip().endswith("H")
