"""What a line is, by its text: national title, motto, number, date, marks, type name, notes."""

from __future__ import annotations

import re

from docgen import layout

from docgen.vietnamese import fold

from .text import _Line


NATIONAL_TITLE_RE = re.compile(r"\s+".join(map(re.escape, fold(layout.NATIONAL_TITLE).split())))
MOTTO_RE = re.compile(r"\s*[-–—]?\s*".join(
    r"\s+".join(map(re.escape, phrase.split())) for phrase in fold(layout.MOTTO).split(" - ")))
_NUMBER_START = re.compile(r"^so\s*(:|[\s\d]*/)")
DATE_RE = re.compile(r"(?P<ngay>ngày)\s*(?P<day>\d*)\s*(?P<thang>tháng)\s*(?P<month>\d*)\s*"
                      r"(?P<nam>năm)\s*(?P<year>\d*)", re.IGNORECASE)
SIGNING_RE = re.compile(r"^(T\.?M|K\.?T|Q|T\.?L|T\.?U\.?Q)(?![\w])\.?", re.IGNORECASE)
_RULE_TEXT = re.compile(r"^[\s_\-–—=.·]+$")
TYPE_NAMES = {fold(name) for name in layout.TYPE_CODES}
# Decree 30, Appendix III, forms 1.8 and 1.10: the content follows the type name, with no subject.
NO_SUBJECT = {fold("Giấy giới thiệu"), fold("Giấy nghỉ phép")}


def _is_rule_text(text: str) -> bool:
    return bool(text.strip()) and bool(_RULE_TEXT.match(text)) and text.count("_") + text.count("-") >= 5


def _is_number_line(line: _Line) -> bool:
    return bool(_NUMBER_START.match(line.folded))


def _is_date_line(line: _Line) -> bool:
    return bool(DATE_RE.search(line.text))


def _is_mark(line: _Line) -> bool:
    text = " ".join(line.shown.split()).upper()
    return text in layout.SECRECY_MARKS or text in layout.URGENCY_MARKS


def _is_circulation(line: _Line) -> bool:
    return " ".join(line.shown.split()).upper() in layout.CIRCULATION_NOTES


def _is_note(text: str) -> bool:
    """A parenthesised note: "(Trong văn bản gọi chung là các đơn vị)", "(Ký, ghi rõ họ tên)"."""
    text = text.strip()
    return text.startswith("(") and text.endswith(")")


def _is_type_name(line: _Line) -> bool:
    """`QUYẾT ĐỊNH`, or a type name with its complement in capitals: `BÁO CÁO THÀNH TÍCH`."""
    folded = line.folded
    if folded in TYPE_NAMES:
        return True
    return _is_upper(line) and any(folded.startswith(name + " ") for name in TYPE_NAMES)


def _is_upper(line: _Line) -> bool:
    shown = line.shown
    return any(ch.isalpha() for ch in shown) and shown == shown.upper()
