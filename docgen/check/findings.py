"""Findings: what a check reports, the report that collects them, and how values are written."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from docgen import layout


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "page.margin", "date.month_padding"
    part: str  # Vietnamese name of the part
    where: str  # e.g. 'paragraph 12 "Số: 5/QĐ-SGDĐT"', 'section 1'
    found: str
    expected: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.where}: [{self.rule}] {self.part}: {self.found} (expected {self.expected})"


_OTHER_LABELS = {
    "page": "Trang",
    "font": "Phông chữ",
    "numbering": "Đánh số đề mục",
    "basis": "Căn cứ ban hành",
    "decision_heading": "Dòng QUYẾT ĐỊNH:",
    "article": "Điều",
    "chapter": "Chương",
    "content": "Nội dung",
    "annex": "Văn bản kèm theo",
    "table": "Bảng",
    "telegram": "Công điện",
    "invitation": "Giấy mời",
    "introduction": "Giấy giới thiệu",
    "leave": "Giấy nghỉ phép",
}


def _part_label(rule: str) -> str:
    key = rule.split(".")[0]
    return layout.PARTS[key].label if key in layout.PARTS else _OTHER_LABELS[key]


class _Report:
    def __init__(self) -> None:
        self._findings: dict[tuple, Finding] = {}

    def add(self, rule: str, where: str, found: str, expected: str) -> None:
        finding = Finding(rule, _part_label(rule), where, found, expected)
        self._findings.setdefault((rule, where, found), finding)

    def findings(self) -> list[Finding]:
        return list(self._findings.values())


def _pt(value: float) -> str:
    return f"{round(value, 1):g} pt"


def _range(low: float, high: float, unit: str = "pt") -> str:
    return f"{low:g} {unit}" if low == high else f"{low:g}–{high:g} {unit}"


def _snippet(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
