"""A spreadsheet as plain grids of cell values: .xlsx through openpyxl, .csv as offices save it."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import limits
from ..errors import DataError
from .columns import column_letter
from ..vietnamese import nfc


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass
class Grid:
    name: str | None  # the sheet's name; None for a .csv
    rows: list[list[Any]]  # row 1 of the file is rows[0]; strings NFC, empty cells None
    # Merged cells as (first row, first column, last row, last column), counted from 0; the
    # value stands in the first cell only, as the file has it.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def spread_merged_down(self, start: int) -> None:
        """Give every cell of a range merged over several rows, from row `start` on, the range's value:
        a unit or a vote merged down over three nominees belongs to each of them. Ranges within
        one row (a section title, a header over two columns) keep their value in the first cell."""
        for top, left, bottom, right in self.merged:
            if top < start or bottom == top or top >= len(self.rows):
                continue
            value = self.rows[top][left] if left < len(self.rows[top]) else None
            for row in self.rows[top:bottom + 1]:
                row.extend([None] * (right + 1 - len(row)))
                row[left:right + 1] = [value] * (right + 1 - left)


def read_grids(path: str | Path) -> list[Grid]:
    path = Path(path)
    if not path.is_file():
        raise DataError(str(path), ["không tìm thấy tệp"])
    size = path.stat().st_size
    if size > limits.SHEET_FILE_BYTES:
        raise DataError(str(path), [f"tệp nặng {limits.size_text(size)}; một danh sách được tối đa "
                                    f"{limits.size_text(limits.SHEET_FILE_BYTES)}"])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return within_limits(path, _read_xlsx(path))
    if suffix in (".csv", ".txt"):
        return within_limits(path, [Grid(None, _read_csv(path))])
    if suffix == ".xls":
        raise DataError(str(path), ["tệp .xls (Excel 97-2003) không đọc được: mở bằng Excel và lưu lại dưới dạng .xlsx"])
    raise DataError(str(path), [f"cần tệp .xlsx hoặc .csv, nhận được {suffix or 'tệp không có phần mở rộng'}"])


def within_limits(path: Path, grids: list[Grid]) -> list[Grid]:
    """The grids, unless they hold more rows, or a longer cell, than docgen.limits allows."""
    rows = sum(len(grid.rows) for grid in grids)
    if rows > limits.SHEET_ROWS:
        raise DataError(str(path), [f"tệp có {rows:,} dòng; một danh sách được tối đa {limits.SHEET_ROWS:,} dòng"])
    for grid in grids:
        for number, row in enumerate(grid.rows, 1):
            for column, value in enumerate(row):
                if isinstance(value, str) and len(value) > limits.SHEET_CELL_CHARS:
                    sheet = f"sheet '{grid.name}', " if grid.name else ""
                    raise DataError(str(path), [f"{sheet}dòng {number}, cột {column_letter(column)}: ô có {len(value):,} ký tự; "
                                                f"một ô được tối đa {limits.SHEET_CELL_CHARS:,} ký tự"])
    return grids


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = nfc(value).strip()
        return value or None
    return value


def _read_xlsx(path: Path) -> list[Grid]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(str(path), [f"không đọc được tệp Excel ({type(exc).__name__}): tệp hỏng hoặc không phải .xlsx"]) from None
    try:
        grids = []
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            # Some programs write a wrong size into the file; read every row there is instead.
            sheet.reset_dimensions()
            rows = [[_clean(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            grids.append(Grid(sheet.title, rows, _merged_ranges(sheet)))
        return grids
    finally:
        workbook.close()


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, read from its XML: openpyxl's read-only sheets do not give them."""
    from openpyxl.utils.cell import range_boundaries

    merged = []
    tags = (f"{{{SHEET_NS}}}row", f"{{{SHEET_NS}}}mergeCell")
    with sheet._get_source() as source:
        for _, element in etree.iterparse(source, tag=tags, resolve_entities=False, no_network=True):
            if element.tag == tags[1]:
                left, top, right, bottom = range_boundaries(element.get("ref"))
                merged.append((top - 1, left - 1, bottom - 1, right - 1))
            element.clear(keep_tail=False)
    return merged


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Vietnamese Windows writes the ANSI code page 1258.
        text = raw.decode("cp1258", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return [[_clean(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
