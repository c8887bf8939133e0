"""Vietnamese text as the index sees it (domain.md, "Vietnamese text: what search must cope with").

Two parallel token streams are indexed for every text: the *marked* stream (NFC, lower
case, marks kept) and the *folded* stream (marks removed, `đ` -> `d`). A query without
marks meets the folded stream; a query with marks meets both, so exact marks score twice.

Number-symbols and dates are identifiers, not words: they get keys of their own that do
not depend on how they were typed (`1140/SGD&ĐT-VP`, `1140/sgd&dt-vp`, `1140 sgddt vp` all
give `1140sgddtvp`; `ngày 18 tháng 9 năm 2017`, `18/9/2017`, `18/09/2017` all give `20170918`).
"""

from __future__ import annotations

import datetime as dt
import re

from docgen.vietnamese import fold, nfc

# A token is a run of letters and digits: Vietnamese letters are all \w, `_` is not a letter.
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The marked tokens of `text`: NFC, lower case."""
    return [m.group().lower() for m in WORD.finditer(nfc(text))]


# -- number-symbols -----------------------------------------------------------------------

# A number-symbol as written inside text: `1374/KH-BGD&ĐT`, `3282/BGDĐT-TĐKT`,
# `98/2023/NĐ-CP`, `29-NQ/TW` (Party documents put the type before the slash).
_SYMBOL_PART = r"[^\W_][\w&.]*"
CITED = re.compile(
    rf"(?<![\w/])(?:\d{{1,6}}\s*/\s*(?:\d{{4}}\s*/\s*)?{_SYMBOL_PART}(?:\s*-\s*{_SYMBOL_PART})*"
    rf"|\d{{1,6}}-{_SYMBOL_PART}/{_SYMBOL_PART})")


def symbol_key(text: str) -> str:
    """One spelling for every way of typing a number-symbol: folded, only letters and digits,
    the number without its leading zeros. `05/QĐ-SGD&ĐT` -> `5qdsgddt`."""
    tokens = [fold(t) for t in WORD.findall(nfc(text))]
    if not tokens:
        return ""
    if tokens[0].isdigit():
        tokens[0] = tokens[0].lstrip("0") or "0"
    return "".join(tokens)


def cited_symbols(text: str) -> list[str]:
    """Keys of the number-symbols a text mentions (a symbol has a letter: dates are not symbols)."""
    keys = []
    for match in CITED.finditer(text):
        found = match.group()
        if any(ch.isalpha() for ch in found):
            key = symbol_key(found)
            if key not in keys:
                keys.append(key)
    return keys


# -- dates --------------------------------------------------------------------------------

# Matched on NFC text, the words with their marks or without (folding the whole text first
# would cost more than the match).
_DATE_FORMS = re.compile(
    r"ng[aà]y\s+(?P<d1>\d{1,2})\s+th[aá]ng\s+(?P<m1>\d{1,2})\s+n[aă]m\s+(?P<y1>\d{4})"
    r"|(?<![\d/])(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4})(?![\d/])", re.IGNORECASE)


def date_key(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


def dates_in(text: str) -> list[tuple[dt.date, int, int]]:
    """Dates written in any of the usual forms, with or without marks, and where they are."""
    found = []
    for match in _DATE_FORMS.finditer(nfc(text)):
        day = match.group("d1") or match.group("d2")
        month = match.group("m1") or match.group("m2")
        year = match.group("y1") or match.group("y2")
        try:
            found.append((dt.date(int(year), int(month), int(day)), match.start(), match.end()))
        except ValueError:
            continue
    return found


def date_keys(text: str) -> list[str]:
    return list(dict.fromkeys(date_key(date) for date, _, _ in dates_in(text)))
