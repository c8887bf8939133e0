"""The register of outgoing documents (sổ đăng ký văn bản đi) of a year: one sheet or
section per register, rows in number order, with the columns the layout spec lists.

As a workbook (bold header, widths, dates as dates) or printed as an A4 landscape .docx /
PDF. The book is a table, not a Decree 30 document, so it is laid out here with
python-docx; the documents themselves are only ever rendered by docgen.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.pdf import convert_to_pdf
from docgen.vietnamese import short_date, type_label
from docgen.workfolder import WorkFolder

from . import audit
from .errors import ArchiveError
from .home import Archive
from .records import NOT_SECRET, DocumentRecord, list_documents
from .store import fsync_dir

TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
# (heading, width in Excel characters, width in cm on the printed page)
COLUMNS = [  # the printed widths fill A4 landscape less 20 + 15 mm margins: 26.2 cm
    ("Số, ký hiệu văn bản", 18, 2.8),
    ("Ngày tháng văn bản", 12, 2.2),
    ("Tên loại và trích yếu nội dung văn bản", 60, 7.2),
    ("Người ký", 20, 3.0),
    ("Nơi nhận văn bản", 36, 4.4),
    ("Đơn vị, người nhận bản lưu", 16, 2.4),
    ("Số lượng bản", 8, 1.4),
    ("Ghi chú", 30, 2.8),
]
FORMATS = ("xlsx", "docx", "pdf")
_FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class BookRow:
    number_symbol: str
    date: dt.date
    type_and_subject: str
    signer: str
    recipients: str
    file_copy: str
    copies: int | None
    notes: str

    @classmethod
    def of(cls, record: DocumentRecord) -> "BookRow":
        type_name = type_label(record.type_name)
        subject = f"V/v {record.subject}" if record.type_code is None else record.subject
        notes = [m for m in (record.secrecy, record.urgency) if m]
        if record.superseded_by:
            verb = "Bị thu hồi bởi" if record.superseded_by.relation == "revoked" else "Bị thay thế bởi"
            notes.append(f"{verb} {record.superseded_by.number_symbol}")
        for relation in record.supersedes:
            verb = "Thu hồi" if relation.relation == "revoked" else "Thay thế"
            notes.append(f"{verb} {relation.number_symbol}")
        if record.copy_of:
            pages = f" (trang {record.copy_of.pages})" if record.copy_of.pages else ""
            notes.append(f"Sao từ {record.copy_of.number_symbol}{pages}")
        return cls(record.number_symbol, dt.date.fromisoformat(record.date), f"{type_name}\n{subject}",
                   record.signer_name or "", "\n".join(record.recipients), record.file_copy or "",
                   record.copies, "; ".join(notes))

    def cells(self) -> list[Any]:
        return [self.number_symbol, self.date, self.type_and_subject, self.signer, self.recipients,
                self.file_copy, self.copies, self.notes]


@dataclass
class Book:
    year: int
    agency: str
    registers: dict[str, list[BookRow]]

    @property
    def documents(self) -> int:
        return sum(len(rows) for rows in self.registers.values())


def known_registers(archive: Archive, *, include_secret: bool = False) -> list[str]:
    """Every register a document may be numbered in: the settings', the councils', the copies', and any
    register a document was numbered in (the secret ones only with `include_secret`)."""
    from .copies import REGISTER, SECRET_REGISTER

    settings = archive.config.registers
    names = [settings.default, *settings.by_type.values(), *(c.code for c in archive.agency.councils.values()),
             REGISTER]
    if include_secret:
        names += [settings.secret, SECRET_REGISTER]
    visible = "" if include_secret else f" WHERE {NOT_SECRET}"
    with archive.reading() as db:
        names += [row[0] for row in db.execute(f"SELECT DISTINCT register FROM documents{visible} ORDER BY register")]
    return list(dict.fromkeys(names))


def check_register(archive: Archive, register: str, *, include_secret: bool = False) -> str:
    """`register` if it is one of the archive's registers; an ArchiveError naming them otherwise (the secret
    registers are unknown to those who may not see them)."""
    register = unicodedata.normalize("NFC", register.strip())
    known = known_registers(archive, include_secret=include_secret)
    if register not in known:
        raise ArchiveError(f"register {register!r}: not a register of this archive (registers: {', '.join(known)})")
    return register


def read_book(archive: Archive, year: int, *, register: str | None = None, include_secret: bool = False) -> Book:
    """The book of `year` (only `register`'s sheet when given); the secret register (and any secret
    document) only with `include_secret`."""
    if register is not None:
        register = check_register(archive, register, include_secret=include_secret)
    with archive.reading() as db:
        records = list_documents(db, year=year, register=register, include_secret=include_secret)
    settings = archive.config.registers
    # The office's own registers first, in the order of its settings; councils' after.
    order = list(dict.fromkeys([settings.default, *settings.by_type.values(), settings.secret]))
    registers: dict[str, list[BookRow]] = {register or settings.default: []}
    for record in records:
        registers.setdefault(record.register, []).append(BookRow.of(record))
    ranked = sorted(registers, key=lambda name: (order.index(name) if name in order else len(order), name))
    return Book(year, archive.agency.name, {name: registers[name] for name in ranked})


class EmptyRegister(ArchiveError):
    """No document was issued in the year asked for: nothing is written (exit 1)."""

    def __init__(self, year: int, years: list[int], register: str | None = None):
        where = f"register {register!r}" if register else "the archive"
        held = (f"{where} holds documents of {', '.join(map(str, years))}: give --year" if years
                else f"{where} holds no documents yet")
        super().__init__(f"no documents in {year}{f' in register {register!r}' if register else ''}; {held}")
        self.year, self.years = year, years


def years_with_documents(archive: Archive, *, register: str | None = None, include_secret: bool = False) -> list[int]:
    conditions = ([] if include_secret else [NOT_SECRET]) + (["register = ?"] if register else [])
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    with archive.reading() as db:
        return [row[0] for row in db.execute(f"SELECT DISTINCT year FROM documents{where} ORDER BY year",
                                             [register] if register else [])]


def export_register(archive: Archive, year: int, output: str | os.PathLike, *, fmt: str | None = None,
                    register: str | None = None, actor: str | None = None,
                    include_secret: bool = False) -> dict[str, Any]:
    """Write the register book of `year` to `output` (format from `fmt`, else the suffix), or only
    `register`'s sheet; the secret register only with `include_secret`. EmptyRegister when no document
    was issued that year (in that register)."""
    output = Path(output)
    fmt = (fmt or output.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ArchiveError(f"{output}: cannot tell the format: name a .xlsx, .docx or .pdf file "
                           "(or give --docx / --pdf)")
    book = read_book(archive, year, register=register, include_secret=include_secret)
    register = register and next(iter(book.registers))
    if not book.documents:
        raise EmptyRegister(year, years_with_documents(archive, register=register, include_secret=include_secret),
                            register)
    output.parent.mkdir(parents=True, exist_ok=True)
    with WorkFolder(output.parent, ".docgen-register-") as tmp:
        staged = tmp / f"so-van-ban-di.{'docx' if fmt == 'pdf' else fmt}"
        if fmt == "xlsx":
            write_workbook(book, staged)
        else:
            write_docx(book, staged)
        if fmt == "pdf":
            staged = convert_to_pdf([staged])[0]
        os.replace(staged, output)
    fsync_dir(output.parent)
    with archive.writing() as db:
        audit.record(db, "export", actor, year=year, format=fmt, path=str(output.resolve()),
                     documents=book.documents, include_secret=include_secret,
                     **({"register": register} if register else {}))
    return {"path": str(output), "format": fmt, "year": year, "documents": book.documents,
            "registers": {name: len(rows) for name, rows in book.registers.items()}}


def write_workbook(book: Book, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"{TITLE} - {book.year}"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for register, rows in book.registers.items():
        sheet = workbook.create_sheet(register)
        sheet.append([heading for heading, _, _ in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(name="Times New Roman", bold=True, size=12)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = border
        for row in rows:
            sheet.append(row.cells())
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    # Text stays text: openpyxl would write "=..." as a live formula, and Excel
                    # re-reads "=", "+", "-", "@" as one when the cell is edited (quotePrefix).
                    cell.data_type = "s"
                    cell.quotePrefix = cell.value[:1] in _FORMULA_STARTS
                cell.font = Font(name="Times New Roman", size=12)
                cell.alignment = wrap
                cell.border = border
            cells[1].number_format = "DD/MM/YYYY"
        for index, (_, width, _) in enumerate(COLUMNS):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6)
        sheet.oddHeader.center.text = f"{TITLE} - {book.agency} - Sổ: {register} - Năm {book.year}"
        sheet.oddFooter.center.text = "Trang &P/&N"
    workbook.save(path)


def write_docx(book: Book, path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(11)
    # python-docx sets only the ASCII font slot; Vietnamese letters use the others too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), "Times New Roman")
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)

    def line(text: str, *, bold: bool = False, size: int = 13, after: int = 0, new_page: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.page_break_before = new_page
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(after)
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)

    for index, (register, rows) in enumerate(book.registers.items()):
        line(book.agency, bold=True, size=12, new_page=index > 0)
        line(TITLE, bold=True, size=16, after=0)
        line(f"Năm {book.year} - Sổ: {register}", size=13, after=8)
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        # The header row repeats on every printed page (python-docx has no API for it).
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, (heading, _, _) in zip(header.cells, COLUMNS):
            cell.text = ""
            run = cell.paragraphs[0].add_run(heading)
            run.bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for row in rows:
            values = row.cells()
            values[1] = short_date(row.date)
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                cell.text = "" if value is None else str(value)
        table.autofit = False
        for column, (_, _, width) in zip(table.columns, COLUMNS):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
        if not rows:
            line("(Chưa có văn bản nào trong sổ này)", size=12)
    document.save(path)
