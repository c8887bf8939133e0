"""Annex notes and data tables."""

from __future__ import annotations

from .anatomy import _Anatomy
from .findings import _Report, _snippet
from .ooxml import TR, _on, _q
from .recognize import _is_upper


def _check_annexes(a: _Anatomy, report: _Report) -> None:
    for line in a.flow:
        if line.text.strip().startswith("(Kèm theo") and not all(look.italic for look in line.looks()):
            report.add("annex.italic", line.where(), "upright", "italic")
    skip = {a.header_table, *a.signature_tables}
    for tbl, number in a.reader.tables:
        if tbl not in skip:
            _check_data_table(a, tbl, number, report)


def _check_data_table(a: _Anatomy, tbl, number: int, report: _Report) -> None:
    rows = tbl.findall(TR)
    header = [p for p in a.reader.paras if p.table is tbl and p.row == 1 and p.cell.getparent() is rows[0]] if rows else []
    if len(rows) < 2 or not header or not header[0].in_bordered_cell:
        return  # a borderless table only lays text out
    lines = [line for para in header for line in para.lines if line.text.strip()]
    text = " | ".join(line.text.strip() for line in lines)
    where = f'table {number} row 1 "{_snippet(text)}"'
    if not all(look.bold for line in lines for look in line.looks()):
        report.add("table.header_bold", where, "not bold", "a bold header row")
    if not all(_is_upper(line) for line in lines):
        report.add("table.header_upper", where, "not all in capitals", "an UPPER CASE header row")
    if not _on(rows[0].find(f"{_q('w:trPr')}/{_q('w:tblHeader')}")):
        report.add("table.header_repeat", where, "the header row does not repeat",
                   "repeat as header row on each page (w:tblHeader)")
