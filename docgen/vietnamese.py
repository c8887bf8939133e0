"""Vietnamese text as official documents write it.

NFC normalisation of every input, upper-casing, the legal date line and zero-padding
(Decree 30, Appendix I, items 3 and 4), number-symbols (Article 15 and Appendix III),
Roman numerals, counts (`05 tập thể`) and amounts in words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import Any

# Control characters would become Word structure inside docxtpl (\a a paragraph, \f a page
# break, \t a tab), so they never survive input; \n is kept for multi-line values. Unicode's own
# line and paragraph separators (U+0085, U+2028, U+2029) would split a subject or a heading into
# lines Word shows but the text does not have: they become spaces, like a tab. The noncharacters
# U+FFFE and U+FFFF are not text at all.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SPACES = re.compile("[\t\x85\u2028\u2029]")


def nfc(text: str) -> str:
    """Text as it enters the system: NFC, no control characters, \\r\\n as \\n, line separators as spaces."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SPACES.search(text):
        text = _SPACES.sub(" ", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def normalize_data(value: Any) -> Any:
    """NFC-normalise every string in a loaded YAML/JSON tree (keys too)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {normalize_data(k): normalize_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize_data(v) for v in value]
    return value


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0x00C0, 0x1EFA):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[code] = base
    # Đ has no decomposition in Unicode; Ð (U+00D0) stands in for it in text from legacy encodings.
    table.update({ord("đ"): "d", ord("Đ"): "D", ord("Ð"): "D"})
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without marks, one character for one (offsets still point into `text`):
    `Quyết định` -> `quyet dinh`, `Đào` -> `dao`. How search, the checker and sheet headers
    compare Vietnamese typed with or without marks."""
    return text.translate(_FOLD).lower()


def upper(text: str) -> str:
    """Upper case that keeps Vietnamese marks on their letters (ư -> Ư, đ -> Đ)."""
    return unicodedata.normalize("NFC", text.upper())


def type_label(type_name: str) -> str:
    """A document type in one case style for tables and listings: `QUYẾT ĐỊNH` -> `Quyết định`."""
    text = " ".join(type_name.split())
    return text[:1].upper() + text[1:].lower()


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def padded(n: int) -> str:
    """Numbers below 10 get a leading zero: 5 -> '05' (number of a document, a day, a count)."""
    return f"{n:02d}" if 0 <= n < 10 else str(n)


def month_text(month: int) -> str:
    """Months 1 and 2 get a leading zero, the others do not (`tháng 01`, `tháng 9`)."""
    return f"{month:02d}" if month in (1, 2) else str(month)


def legal_date(date: dt.date) -> str:
    """`ngày 05 tháng 01 năm 2025`."""
    return f"ngày {padded(date.day)} tháng {month_text(date.month)} năm {date.year}"


def date_line(place: str, date: dt.date | None) -> str:
    """`Cao Bằng, ngày 05 tháng 01 năm 2025`; with no date, the blanks a clerk fills by hand."""
    if date is None:
        year = dt.date.today().year
        return f"{place}, ngày      tháng      năm {year}"
    return f"{place}, {legal_date(date)}"


def short_date(date: dt.date | str | None) -> str:
    """`dd/mm/yyyy`, as tables show a date (an ISO string is read first); "" for none."""
    if not date:
        return ""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return date.strftime("%d/%m/%Y")


_DATE_FORMS = (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"))


def parse_date(text: str) -> dt.date:
    """`YYYY-MM-DD` or `dd/mm/yyyy`; ValueError naming the forms, or saying the date does not exist."""
    text = text.strip()
    for form in _DATE_FORMS:
        found = form.fullmatch(text)
        if found:
            year, month, day = (int(found[k]) for k in "ymd")
            if not 1 <= month <= 12:
                raise ValueError(f"the date {text} does not exist: there is no month {month}")
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"the date {text} does not exist: month {month} of {year} has {last} days")
            return dt.date(year, month, day)
    raise ValueError(f"expected a date as YYYY-MM-DD or dd/mm/yyyy, got {text!r}")


def symbol_for(type_code: str | None, agency_code: str, unit_code: str | None = None) -> str:
    """Symbol of a document: `QĐ-SGDĐT` for a typed one, `SGDĐT-VP` for a công văn."""
    if type_code:
        return f"{type_code}-{agency_code}"
    if not unit_code:
        raise ValueError("a công văn's symbol needs the drafting unit's code")
    return f"{agency_code}-{unit_code}"


def number_symbol(number: int | None, symbol: str) -> str:
    """`05/QĐ-SGDĐT`; a draft leaves the number blank for the clerk, as offices do."""
    if number is None:
        return f"     /{symbol}"
    return f"{padded(number)}/{symbol}"


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    if n <= 0:
        raise ValueError("Roman numerals start at 1")
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def count_phrase(n: int, noun: str) -> str:
    """`05 tập thể`, `12 cá nhân`."""
    return f"{padded(n)} {noun}"


def collectives_and_individuals(collectives: int, individuals: int) -> str:
    """`03 tập thể và 09 cá nhân`, leaving out a zero side."""
    parts = []
    if collectives:
        parts.append(count_phrase(collectives, "tập thể"))
    if individuals:
        parts.append(count_phrase(individuals, "cá nhân"))
    return " và ".join(parts)


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three_digits(n: int, full: bool) -> list[str]:
    """Read 0..999; `full` reads the hundreds even when zero (inside a larger number)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if full or hundreds:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_in_words(n: int) -> str:
    """`2340000` -> `hai triệu ba trăm bốn mươi nghìn`."""
    if n < 0:
        return "âm " + number_in_words(-n)
    if n == 0:
        return "không"
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    # Past a billion the groups start over: 1,000,000,000,000 is "một nghìn tỷ".
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if index % 3 == 0 and index > 0 and any(groups[index:index + 3]):
                words.append("tỷ")
            continue
        words += _three_digits(group, full=bool(words))
        unit = _GROUPS[index % 3] if index % 3 else ("tỷ" if index else "")
        if unit:
            words.append(unit)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """`Hai triệu ba trăm bốn mươi nghìn đồng`."""
    return capitalize_first(number_in_words(amount)) + " đồng"


def amount_in_figures(amount: int) -> str:
    """`2.340.000` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")
