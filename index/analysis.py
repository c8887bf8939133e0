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
from collections.abc import Iterator

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
_CITED = re.compile(
    rf"\d{{1,6}}(?:\s*/\s*(?:\d{{4}}\s*/\s*)?{_SYMBOL_PART}(?:\s*-\s*{_SYMBOL_PART})*|-{_SYMBOL_PART}/{_SYMBOL_PART})")


def _starting_fresh(pattern: re.Pattern, text: str, continues) -> Iterator[re.Match]:
    """The matches of `pattern` whose first character does not continue what stands before it
    (`continues(previous character)`): a look-behind, checked by hand because a pattern that
    begins with one is tried at every position of the text, one that begins with a digit is
    scanned for quickly."""
    position = 0
    while match := pattern.search(text, position):
        if match.start() and continues(text[match.start() - 1]):
            position = match.start() + 1
            continue
        yield match
        position = match.end()


def _in_word_or_path(ch: str) -> bool:
    return ch.isalnum() or ch in "_/"


def _in_number_or_path(ch: str) -> bool:
    return ch.isdecimal() or ch == "/"


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
    for match in _starting_fresh(_CITED, text, _in_word_or_path):
        found = match.group()
        if any(ch.isalpha() for ch in found):
            key = symbol_key(found)
            if key not in keys:
                keys.append(key)
    return keys


# -- dates --------------------------------------------------------------------------------

# Matched on NFC text, the words with their marks or without, in any case (folding the whole
# text first would cost more than the match). Two patterns, each beginning with a character
# class, which the regex engine scans for quickly; the numeric form must not continue a number
# or a path (`1140/12/9/2017`).
_WRITTEN_DATE = re.compile(r"[Nn][Gg][AaÀà][Yy]\s+(\d{1,2})\s+[Tt][Hh][AaÁá][Nn][Gg]\s+(\d{1,2})"
                           r"\s+[Nn][AaĂă][Mm]\s+(\d{4})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")


def date_key(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


def dates_in(text: str) -> list[tuple[dt.date, int, int]]:
    """Dates written in any of the usual forms, with or without marks, and where they are."""
    text = nfc(text)
    matches = [*_WRITTEN_DATE.finditer(text), *_starting_fresh(_NUMERIC_DATE, text, _in_number_or_path)]
    found = []
    for match in sorted(matches, key=lambda m: m.start()):
        day, month, year = (int(part) for part in match.groups())
        try:
            found.append((dt.date(year, month, day), match.start(), match.end()))
        except ValueError:
            continue
    return found


def date_keys(text: str) -> list[str]:
    return list(dict.fromkeys(date_key(date) for date, _, _ in dates_in(text)))
