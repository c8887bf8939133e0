"""The nominee list the units send in (.xlsx or .csv), read the way offices make it.

Title rows above the header; headers with or without marks, in any order and case, on one
row or two (`Số phiếu` over `Đồng ý | Tổng số`); collectives and individuals told apart by
a `Loại` column, by `I. Tập thể` / `II. Cá nhân` rows, or by separate sheets; dates as
Excel dates or text; votes as `10/11` or in two columns; totals, signatures and empty rows
below the table. Nothing is guessed: every value that cannot be read is a Fault naming
its sheet, row and column, and all of them are reported together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..kinds.nominees import Nominee
from . import cells
from .cells import CellError
from .columns import Column, column_letter, label, match_header
from .faults import Fault, SheetError
from .folding import match_key
from .grid import Grid, read_grids
from .rules import Rules

Purpose = Literal["dossier", "decision"]
HEADER_SEARCH_ROWS = 30
TYPE_WORDS = {"collective": "Tập thể", "individual": "Cá nhân"}


@dataclass(frozen=True)
class CouncilSize:
    present: int
    total: int


@dataclass
class Initiative:
    title: str
    level: str  # a key of the rules' initiative_levels


@dataclass
class Entry:
    """One nominee as the list gives it, with where it was found."""

    file: str
    sheet: str | None
    row: int
    type: str
    name: str
    birth_date: dt.date | None = None
    sex: str = ""
    position: str = ""
    unit: str = ""
    award: str | None = None  # a key of the rules' awards; None: the campaign's award
    award_text: str = ""
    summary: str = ""
    votes: int | None = None
    votes_counted: int | None = None  # the `11` of `10/11`, when the list gives it
    titles: dict[str, list[int]] = field(default_factory=dict)  # title key -> years
    title_cells: dict[str, str] = field(default_factory=dict)  # title key -> the cell as typed (`2022-2023, 2023-2024`)
    initiatives: list[Initiative] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"sheet '{self.sheet}', dòng {self.row}" if self.sheet else f"dòng {self.row}"

    @property
    def type_word(self) -> str:
        return TYPE_WORDS[self.type]

    def nominee(self) -> Nominee:
        return Nominee(type=self.type, name=self.name, position=self.position, unit=self.unit,
                       birth_date=self.birth_date, sex=self.sex, summary=self.summary, votes=self.votes)


@dataclass
class NomineeList:
    file: str
    entries: list[Entry]
    notes: list[str] = field(default_factory=list)  # what was skipped, for the report

    def counts(self) -> tuple[int, int]:
        return (sum(e.type == "collective" for e in self.entries),
                sum(e.type == "individual" for e in self.entries))


def read_nominee_list(path: str | Path, *, rules: Rules, council: CouncilSize | None = None,
                      purpose: Purpose = "dossier", today: dt.date | None = None) -> NomineeList:
    """Read and check every row; raise SheetError listing every fault, or return the entries."""
    path = Path(path)
    reader = _Reader(str(path), rules, council, purpose, today or dt.date.today())
    grids = read_grids(path)
    for grid in grids:
        reader.read_grid(grid)
    if not reader.found_table:
        names = ", ".join(f"'{g.name}'" for g in grids if g.name) or "tệp"
        reader.faults.append(Fault(str(path), None, None, None, None,
                                   f"không tìm thấy dòng tiêu đề của danh sách ({names}): cần một dòng có cột "
                                   f"'Họ và tên' (hoặc 'Tên tập thể') và các cột như STT, Đơn vị, Số phiếu đồng ý "
                                   f"trong {HEADER_SEARCH_ROWS} dòng đầu"))
    reader.check_duplicates()
    if not reader.faults and not reader.entries:
        reader.faults.append(Fault(str(path), None, None, None, None, "danh sách không có tập thể, cá nhân nào"))
    if reader.faults:
        raise SheetError(str(path), reader.faults)
    return NomineeList(str(path), reader.entries, reader.notes)


class _Reader:
    def __init__(self, file: str, rules: Rules, council: CouncilSize | None, purpose: Purpose, today: dt.date):
        self.file, self.rules, self.council, self.purpose, self.today = file, rules, council, purpose, today
        self.entries: list[Entry] = []
        self.faults: list[Fault] = []
        self.notes: list[str] = []
        self.found_table = False

    # --- one sheet ------------------------------------------------------------------

    def read_grid(self, grid: Grid) -> None:
        found = self._find_header(grid.rows)
        if found is None:
            if grid.name:
                self.notes.append(f"sheet '{grid.name}': không có bảng danh sách, bỏ qua")
            return
        self.found_table = True
        header_row, columns, data_start = found
        grid.spread_merged_down(data_start)
        sheet = _Sheet(self, grid, header_row, columns)
        sheet.read(data_start)

    def _find_header(self, rows: list[list[Any]]) -> tuple[int, dict[str, Column], int] | None:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            fields = [match_header(cells.text(v), self.rules) if cells.text(v) else None for v in row]
            if "name" not in fields or len({f for f in fields if f and f != "ignored"}) < 2:
                continue
            headers = [cells.text(v) for v in row]
            data_start = index + 1
            below = rows[index + 1] if index + 1 < len(rows) else []
            name_at = fields.index("name")
            if below and _is_subheader(below, name_at):
                headers, fields = self._join_subheader(headers, fields, below)
                data_start += 1
            return index, self._columns(headers, fields, index), data_start
        return None

    def _join_subheader(self, headers: list[str], fields: list[str | None], below: list[Any]):
        parent = ""
        joined_headers, joined_fields = [], []
        for i in range(max(len(headers), len(below))):
            top = headers[i] if i < len(headers) else ""
            sub = cells.text(below[i]) if i < len(below) else ""
            parent = top or parent  # a merged parent cell spans the empty cells to its right
            if not sub:
                joined_headers.append(top)
                joined_fields.append(fields[i] if i < len(fields) else None)
                continue
            text = f"{parent} {sub}".strip()
            found = match_header(text, self.rules) or match_header(sub, self.rules)
            joined_headers.append(text)
            joined_fields.append(found)
        return joined_headers, joined_fields

    def _columns(self, headers: list[str], fields: list[str | None], header_row: int) -> dict[str, Column]:
        columns: dict[str, Column] = {}
        for index, (header, name) in enumerate(zip(headers, fields)):
            if not header:
                continue
            if name is None:
                self.notes.append(f"cột {column_letter(index)} ({header}): không dùng đến")
                continue
            if name == "ignored":
                continue
            if name in columns:
                self.notes.append(f"cột {column_letter(index)} ({header}): trùng với cột "
                                  f"{column_letter(columns[name].index)}, chỉ dùng cột đầu")
                continue
            columns[name] = Column(index, header, name)
        return columns

    # --- after all sheets --------------------------------------------------------------

    def check_duplicates(self) -> None:
        seen: dict[tuple, Entry] = {}
        for entry in self.entries:
            if entry.type == "individual":
                if entry.birth_date is None:
                    continue
                key = ("individual", match_key(entry.name), entry.birth_date)
                who = f"{entry.name}, sinh ngày {entry.birth_date:%d/%m/%Y}"
            else:
                key = ("collective", match_key(entry.name), match_key(entry.unit))
                who = entry.name + (f" ({entry.unit})" if entry.unit else "")
            first = seen.setdefault(key, entry)
            if first is not entry:
                self.faults.append(Fault(self.file, entry.sheet, entry.row, None, None,
                                         f"trùng với {first.where}: {who} có tên hai lần trong danh sách"))


def _is_subheader(row: list[Any], name_at: int) -> bool:
    """A second header row: text only, nothing in the name column, no row number."""
    values = [cells.text(v) for v in row]
    if name_at < len(values) and values[name_at]:
        return False
    filled = [v for v in values if v]
    return bool(filled) and not cells.is_numbering(row) and not any(cells.is_serial(v) for v in filled)


class _Sheet:
    def __init__(self, reader: _Reader, grid: Grid, header_row: int, columns: dict[str, Column]):
        self.reader, self.grid, self.header_row, self.columns = reader, grid, header_row, columns
        self.rules = reader.rules
        self.sheet_type = self._sheet_type()
        self.section_type: str | None = None
        self.missing_reported: set[str] = set()

    def _sheet_type(self) -> str | None:
        """Collectives or individuals for the whole sheet: its name, its title rows, its name header."""
        candidates = [self.grid.name or ""]
        candidates += [cells.text(v) for row in self.grid.rows[:self.header_row] for v in row if cells.text(v)]
        for text in candidates:
            folded = f" {match_key(text)} "
            has_collective, has_individual = " tap the " in folded, " ca nhan " in folded
            if has_collective != has_individual:
                return "collective" if has_collective else "individual"
        name_header = match_key(self.columns["name"].header)
        if "tap the" in name_header and "ca nhan" not in name_header and "ho" not in name_header.split():
            return "collective"
        return None

    def fault(self, row: int, column: Column | None, message: str) -> None:
        self.reader.faults.append(Fault(self.reader.file, self.grid.name, row,
                                        column_letter(column.index) if column else None,
                                        column.header if column else None, message))

    def missing_column(self, name: str, why: str) -> None:
        if name in self.missing_reported:
            return
        self.missing_reported.add(name)
        self.reader.faults.append(Fault(self.reader.file, self.grid.name, self.header_row + 1, None, None,
                                        f"thiếu cột '{label(name)}' ({why})"))

    def value(self, values: list[Any], name: str) -> Any:
        column = self.columns.get(name)
        if column is None or column.index >= len(values):
            return None
        return values[column.index]

    def read(self, start: int) -> None:
        if self.reader.purpose == "dossier" and "votes" not in self.columns:
            self.missing_column("votes", "kết quả bỏ phiếu của Hội đồng cho từng tập thể, cá nhân")
        has_numbers = "no" in self.columns
        name_header = match_key(self.columns["name"].header)
        started = blank_before = False
        for index in range(start, len(self.grid.rows)):
            values = self.grid.rows[index]
            row = index + 1
            filled = [v for v in values if cells.text(v)]
            serial = has_numbers and cells.is_serial(self.value(values, "no"))
            if not filled or (len(filled) == 1 and serial):
                blank_before = started  # pre-numbered empty rows count as empty
                continue
            lead = [self.value(values, "no"), self.value(values, "name"), filled[0]]
            if any(cells.is_total(v) for v in lead if cells.text(v)):
                return
            if match_key(cells.text(self.value(values, "name"))) == name_header or cells.is_numbering(values):
                continue  # the header repeated on a later page, or the (1) (2) (3) row
            section = None if serial else self._section(values, filled)
            if section:
                self.section_type = section
                continue
            data_like = any(cells.text(self.value(values, f)) for f in ("birth_date", "votes"))
            if started and not serial and not data_like and (cells.is_footer(filled) or (blank_before and has_numbers)):
                return  # signatures and notes under the table
            if len(filled) == 1 and len(self.columns) >= 3:
                where = next(i for i, v in enumerate(values) if cells.text(v))
                self.reader.faults.append(Fault(
                    self.reader.file, self.grid.name, row, column_letter(where), None,
                    f"dòng này không phải là một tập thể, cá nhân được đề nghị (chỉ có {cells.shown(filled[0])}): "
                    "xóa dòng hoặc chuyển xuống dưới bảng"))
                continue
            entry = self._entry(values, row)
            started = True
            blank_before = False
            if entry is not None:
                self.reader.entries.append(entry)

    def _section(self, values: list[Any], filled: list[Any]) -> str | None:
        if len(filled) > 2 or any(cells.text(self.value(values, f)) for f in ("birth_date", "votes", "unit")):
            return None
        return cells.section_type(" ".join(cells.text(v) for v in filled))

    # --- one row ---------------------------------------------------------------------

    def _entry(self, values: list[Any], row: int) -> Entry | None:
        faults_before = len(self.reader.faults)
        col = self.columns.get
        dossier = self.reader.purpose == "dossier"

        name = cells.text(self.value(values, "name"))
        if not name:
            self.fault(row, col("name"), "thiếu tên tập thể hoặc họ và tên")

        kind = None
        raw_type = self.value(values, "type")
        if cells.text(raw_type):
            try:
                kind = cells.parse_type(raw_type)
            except CellError as exc:
                self.fault(row, col("type"), str(exc))
        else:
            kind = self.section_type or self.sheet_type
            if kind is None:
                self.fault(row, col("type"), "không biết là tập thể hay cá nhân: ghi “Tập thể” hoặc “Cá nhân” ở cột "
                                             "'Loại', hoặc tách thành hai sheet 'Tập thể' và 'Cá nhân', hoặc thêm dòng "
                                             "“I. Tập thể” / “II. Cá nhân” phía trên các dòng")

        entry = Entry(self.reader.file, self.grid.name, row, kind or "individual", name)
        entry.position = cells.text(self.value(values, "position"))
        entry.unit = cells.text(self.value(values, "unit"))
        combined = cells.text(self.value(values, "position_unit"))
        if combined and not (entry.position or entry.unit):
            if kind == "individual" and ", " in combined:
                entry.position, entry.unit = (part.strip() for part in combined.split(", ", 1))
            else:
                entry.unit = combined
        entry.summary = cells.text(self.value(values, "summary"))

        raw = self.value(values, "birth_date")
        if cells.text(raw):
            try:
                entry.birth_date = cells.parse_date(raw, today=self.reader.today)
            except CellError as exc:
                self.fault(row, col("birth_date"), str(exc))
        elif dossier and kind == "individual":
            if col("birth_date"):
                self.fault(row, col("birth_date"), "thiếu ngày sinh (bắt buộc với cá nhân)")
            else:
                self.missing_column("birth_date", "bắt buộc với cá nhân")

        raw = self.value(values, "sex")
        if cells.text(raw):
            try:
                entry.sex = cells.parse_sex(raw)
            except CellError as exc:
                self.fault(row, col("sex"), str(exc))

        if dossier and kind == "individual" and not entry.unit:
            if col("unit") or col("position_unit"):
                self.fault(row, col("unit") or col("position_unit"), "thiếu đơn vị công tác (bắt buộc với cá nhân)")
            else:
                self.missing_column("unit", "bắt buộc với cá nhân")

        raw = self.value(values, "award")
        if cells.text(raw):
            entry.award_text = cells.text(raw)
            entry.award = self.rules.award_key(entry.award_text)
            if entry.award is None:
                known = "; ".join(f"“{n}”" for n in self.rules.award_names())
                self.fault(row, col("award"), f"hình thức khen thưởng {cells.shown(raw)} không có trong tệp quy tắc "
                                              f"({Path(self.rules.source).name}); các hình thức đã biết: {known}")

        self._votes(values, row, entry, dossier)
        self._titles(values, row, entry)
        self._initiatives(values, row, entry)
        return entry if len(self.reader.faults) == faults_before and name and kind else None

    def _votes(self, values: list[Any], row: int, entry: Entry, dossier: bool) -> None:
        col = self.columns.get
        raw = self.value(values, "votes")
        if not cells.text(raw):
            if dossier and col("votes"):
                self.fault(row, col("votes"), "thiếu số phiếu đồng ý của Hội đồng")
            return
        if isinstance(raw, (dt.date, dt.datetime)):
            self.fault(row, col("votes"), f"Excel đã đổi số phiếu thành ngày {raw:%d/%m}: định dạng cột là Text rồi "
                                          "nhập lại (ví dụ 10/11), hoặc ghi số phiếu đồng ý và tổng số ở hai cột")
            return
        try:
            agreed, counted = cells.parse_votes(raw)
        except CellError as exc:
            self.fault(row, col("votes"), str(exc))
            return
        raw_total = self.value(values, "votes_total")
        if cells.text(raw_total):
            try:
                total = cells.parse_count(raw_total, "tổng số phiếu")
            except CellError as exc:
                self.fault(row, col("votes_total"), str(exc))
                return
            if counted is not None and counted != total:
                self.fault(row, col("votes_total"), f"tổng số {total} khác với {cells.shown(raw)} ở cột {column_letter(col('votes').index)}")
                return
            counted = total
        if counted is not None and agreed > counted:
            self.fault(row, col("votes"), f"{agreed} phiếu đồng ý nhiều hơn tổng số {counted}")
            return
        council = self.reader.council
        if council is not None:
            if agreed > council.present:
                self.fault(row, col("votes"), f"{agreed} phiếu đồng ý nhiều hơn số thành viên Hội đồng có mặt "
                                              f"({council.present}/{council.total})")
                return
            if counted is not None and counted not in (council.present, council.total):
                self.fault(row, col("votes_total") if cells.text(raw_total) else col("votes"),
                           f"tổng số {counted} không khớp với Hội đồng: {council.total} thành viên, "
                           f"{council.present} có mặt (tệp chiến dịch)")
                return
        entry.votes, entry.votes_counted = agreed, counted

    def _titles(self, values: list[Any], row: int, entry: Entry) -> None:
        for name, column in self.columns.items():
            if not name.startswith("title:"):
                continue
            raw = self.value(values, name)
            if not cells.text(raw):
                continue
            try:
                key = name.split(":", 1)[1]
                entry.titles[key] = cells.parse_years(raw)
                entry.title_cells[key] = cells.text(raw)
            except CellError as exc:
                self.fault(row, column, str(exc))

    def _initiatives(self, values: list[Any], row: int, entry: Entry) -> None:
        raw = self.value(values, "initiatives")
        if not cells.text(raw):
            return
        level_text = cells.text(self.value(values, "initiative_level"))
        if isinstance(raw, (int, float)) or cells.text(raw).split()[0].isdigit():
            try:
                count = cells.parse_count(cells.text(raw).split()[0], "số sáng kiến được công nhận")
            except CellError as exc:
                self.fault(row, self.columns["initiatives"], str(exc))
                return
            level = self.rules.level_of(f"{cells.text(raw)} {level_text}")
            entry.initiatives += [Initiative("", level) for _ in range(count)]
            return
        for item in _split_items(cells.text(raw)):
            entry.initiatives.append(Initiative(item, self.rules.level_of(f"{item} {level_text}")))


def _split_items(text: str) -> list[str]:
    parts = [p.strip(" -+•\t") for chunk in text.split("\n") for p in chunk.split(";")]
    return [p for p in parts if p]
