"""Reading one cell of a nominee list: dates, votes, years, kinds of nominee, sex.

Each parser returns the value or raises CellError with what was expected, in the words
a clerk understands; the sheet reader adds the sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .folding import match_key


class CellError(ValueError):
    pass


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def shown(value: Any) -> str:
    """A cell's value as the clerk sees it, for messages."""
    return f"“{text(value)}”"


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Excel's serial day numbers for 1 January 1900 .. 31 December 2099.
_SERIAL = (1, 73050)


def parse_date(value: Any, *, today: dt.date) -> dt.date:
    """An Excel date, an Excel serial number, `dd/mm/yyyy` (also with `.` or `-`) or `yyyy-mm-dd`."""
    if isinstance(value, dt.datetime):
        found = value.date()
    elif isinstance(value, dt.date):
        found = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and float(value).is_integer():
            raise CellError(f"chỉ có năm ({int(value)}); cần ngày, tháng, năm dạng dd/mm/yyyy")
        if not (_SERIAL[0] <= value <= _SERIAL[1]):
            raise CellError(f"{shown(value)} không phải là ngày; cần dd/mm/yyyy")
        from openpyxl.utils.datetime import from_excel

        found = from_excel(value).date()
    else:
        raw = text(value)
        match = _DMY.match(raw)
        iso = _ISO.match(raw)
        if match:
            day, month, year = (int(g) for g in match.groups())
        elif iso:
            year, month, day = (int(g) for g in iso.groups())
        elif re.fullmatch(r"\d{4}", raw):
            raise CellError(f"chỉ có năm ({raw}); cần ngày, tháng, năm dạng dd/mm/yyyy")
        else:
            raise CellError(f"{shown(value)} không phải là ngày; cần dd/mm/yyyy (ví dụ 12/04/1983)")
        try:
            found = dt.date(year, month, day)
        except ValueError:
            raise CellError(f"{shown(value)} không phải là ngày có thật (tháng {month:02d} năm {year} "
                            f"không có ngày {day:02d}); cần dd/mm/yyyy") from None
    if found > today or found.year < 1900:
        raise CellError(f"{shown(value)}: ngày sinh không hợp lý (sau ngày hôm nay hoặc trước năm 1900)")
    return found


def parse_count(value: Any, what: str) -> int:
    """A whole number (`10`, `10.0`, `10 phiếu`)."""
    if isinstance(value, bool):
        raise CellError(f"{shown(value)}: cần một số nguyên ({what})")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise CellError(f"{shown(value)}: cần một số nguyên không âm ({what})")
    match = re.fullmatch(r"(\d+)(?:\s*[^\d\s/].*)?", text(value))
    if not match:
        raise CellError(f"{shown(value)}: cần một số nguyên ({what})")
    return int(match.group(1))


def parse_votes(value: Any) -> tuple[int, int | None]:
    """`10`, or `10/11` (agreed / counted), as (agreed, counted or None)."""
    raw = text(value)
    match = re.fullmatch(r"(\d+)\s*/\s*(\d+)(?:\s*[^\d\s/].*)?", raw)  # `10/11`, `10/11 phiếu (90,91%)`
    if match:
        return int(match.group(1)), int(match.group(2))
    return parse_count(value, "số phiếu đồng ý, ví dụ 10 hoặc 10/11"), None


_TYPES = {"tap the": "collective", "tt": "collective", "collective": "collective", "to chuc": "collective",
          "ca nhan": "individual", "cn": "individual", "individual": "individual"}


def parse_type(value: Any) -> str:
    folded = match_key(text(value))
    if folded in _TYPES:
        return _TYPES[folded]
    raise CellError(f"{shown(value)}: cần “Tập thể” hoặc “Cá nhân”")


_SECTION = re.compile(r"^(?:(?:[ivx]+|[a-d]|\d+)\s+)?(?:danh sach\s+)?(?:cac\s+)?(tap the|ca nhan)(?:\s|$)")


def section_type(value: Any) -> str | None:
    """`I. TẬP THỂ`, `II. Cá nhân (09)`, `B. CÁ NHÂN` -> the kind of the rows below it."""
    match = _SECTION.match(match_key(text(value)))
    return _TYPES[match.group(1)] if match else None


_SEX = {"nam": "Nam", "nu": "Nữ", "male": "Nam", "female": "Nữ", "m": "Nam", "f": "Nữ"}


def parse_sex(value: Any) -> str:
    folded = match_key(text(value))
    if folded in _SEX:
        return _SEX[folded]
    raise CellError(f"{shown(value)}: cần “Nam” hoặc “Nữ”")


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-–/]\s*((?:19|20)\d{2}))?(?!\d)")


def parse_years(value: Any) -> list[int]:
    """`2023`, `2022, 2023`, `2021-2022; 2022-2023` -> the years (a school year counts as its end)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    raw = text(value)
    years = []
    for match in _YEAR.finditer(raw):
        start, end = match.group(1), match.group(2)
        if end and int(end) != int(start) + 1:
            raise CellError(f"{shown(value)}: năm học {start}-{end} không liền nhau")
        years.append(int(end or start))
    if not years:
        raise CellError(f"{shown(value)}: cần các năm đạt danh hiệu, ví dụ “2023” hoặc “2022-2023, 2023-2024”")
    return sorted(set(years))


def is_numbering(values: list[Any]) -> bool:
    """The `(1) (2) (3) ...` row printed under a form's header."""
    cells = [text(v) for v in values if text(v)]
    return len(cells) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in cells)


def is_serial(value: Any) -> bool:
    """An STT cell holding a row number (`1`, `2.`, `12`)."""
    return bool(re.fullmatch(r"\d{1,5}\.?", text(value)))


def is_total(value: Any) -> bool:
    """`Tổng cộng`, `Tổng số: 12`, `Cộng` and the like: the line closing a table."""
    folded = match_key(text(value))
    return (folded in ("tong", "cong", "tong cong", "tong so", "cong tong")
            or folded.startswith(("tong cong ", "tong so ", "tong cong", "cong tong "))
            or bool(re.match(r"^(tong|cong) \d", folded)))


_FOOTER_WORDS = ("nguoi lap", "thu truong", "xac nhan", "ky ten", "ky ghi ro", "hieu truong", "giam doc", "ngay thang nam",
                 "ghi chu", "luu y")


def is_footer(values: list[Any]) -> bool:
    """Signature and note lines under a table (`Người lập biểu`, `Cao Bằng, ngày ...`)."""
    joined = " ".join(match_key(text(v)) for v in values if text(v))
    return any(word in joined for word in _FOOTER_WORDS) or bool(re.search(r"\bngay \d+ thang \d+", joined))
