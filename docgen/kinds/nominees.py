"""Nominees of a commendation and the attached list (danh sách kèm theo) that names them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from ..agency import Strict
from ..datafile import Date, one_of
from ..layout import PARTS, text_width_mm, twips
from ..metrics import break_name
from ..vietnamese import legal_date, roman
from .base import Document

NomineeType = one_of(("collective", "individual"), {"tập thể": "collective", "cá nhân": "individual"})


class Nominee(Strict):
    type: NomineeType = Field(title="Loại (tập thể / cá nhân)", examples=["individual"])
    name: str = Field(title="Tên tập thể / Họ và tên", examples=["Hoàng Thị Thu Hà"])
    position: str = Field("", title="Chức vụ", examples=["Giáo viên"])
    unit: str = Field("", title="Đơn vị", examples=["Trường THPT Chuyên Cao Bằng"])
    birth_date: Date | None = Field(None, title="Ngày sinh")
    sex: str = Field("", title="Giới tính", examples=["Nữ"])
    summary: str = Field("", title="Thành tích tóm tắt")
    votes: int | None = Field(None, ge=0, title="Số phiếu đồng ý")

    @property
    def position_and_unit(self) -> str:
        return ", ".join(p for p in (self.position, self.unit) if p)


def split_nominees(nominees: list[Nominee]) -> tuple[list[Nominee], list[Nominee]]:
    collectives = [n for n in nominees if n.type == "collective"]
    individuals = [n for n in nominees if n.type == "individual"]
    return collectives, individuals


def annex_note(doc: Document, document_label: str, issuer: str) -> str:
    """`(Kèm theo Quyết định số 05/QĐ-SGDĐT ngày 05 tháng 01 năm 2025 của ...)`; blanks in a draft."""
    number = doc.number_symbol or ""
    when = legal_date(doc.date) if doc.date else f"ngày      tháng      năm {dt.date.today().year}"
    return f"(Kèm theo {document_label} số {number} {when} của {issuer})"


def annex_context(doc: Document, nominees: list[Nominee], *, title: str, note: str) -> dict[str, Any]:
    """The attached list: I. Tập thể / II. Cá nhân, each a table with STT."""
    collectives, individuals = split_nominees(nominees)
    sections = []
    if collectives:
        sections.append("collectives")
    if individuals:
        sections.append("individuals")
    headings = {name: f"{roman(i + 1)}. {'TẬP THỂ' if name == 'collectives' else 'CÁ NHÂN'}"
                for i, name in enumerate(sections)}
    return {
        "title_lines": ["DANH SÁCH", "\n".join(break_name(title, 0.98 * twips(mm=text_width_mm()) / 20,
                                                         PARTS["subject"].size, bold=True))],
        "note": note,
        "collectives_heading": headings.get("collectives", ""),
        "individuals_heading": headings.get("individuals", ""),
        "collectives": [{"no": str(i), "name": n.name, "unit": n.unit} for i, n in enumerate(collectives, 1)],
        "individuals": [{"no": str(i), "name": n.name, "position_unit": n.position_and_unit}
                        for i, n in enumerate(individuals, 1)],
    }


def count_by_type(nominees: list[Nominee]) -> tuple[int, int]:
    collectives, individuals = split_nominees(nominees)
    return len(collectives), len(individuals)


def awardees(collectives: int, individuals: int) -> str:
    """Who an attached list names: `Tập thể, cá nhân` only when it holds both."""
    if collectives and individuals:
        return "Tập thể, cá nhân"
    return "Tập thể" if collectives else "Cá nhân"
