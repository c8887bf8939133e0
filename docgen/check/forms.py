"""What the forms of Decree 30, Appendix III ask of a telegram, an invitation, a letter of
introduction and a leave paper, beyond the parts every document has."""

from __future__ import annotations

import datetime as dt
import re

from docgen import layout
from docgen.vietnamese import fold

from .anatomy import _Anatomy
from .findings import _Report, _snippet
from .recognize import DATE_RE, _is_rule_text
from .text import _Para

_SENDER_LINE = re.compile(r"^(?P<sender>.+?)\s+điện\s*:$")
_SHORT_DATE = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
_PERIOD = re.compile(r"từ\s+(?P<start>ngày.+?)\s+đến(?:\s+hết)?\s+(?P<end>ngày.+?)(?:[,.;]|$)", re.IGNORECASE)


def _check_forms(a: _Anatomy, report: _Report) -> None:
    if a.type_name is None:
        return
    check = _FORMS.get(a.type_name.folded)
    if check is not None:
        skip = {id(line.para) for line in [a.type_name, *a.subject, *a.marks, *a.circulation]}
        check(a, [p for p in a.content if p.visible() and id(p) not in skip and not _is_rule_text(p.text)], report)


def _telegram(a: _Anatomy, paras: list[_Para], report: _Report) -> None:
    """Form 1.6: `<SENDER> điện:` (the sender in capitals) opens the content; a telegram is urgent."""
    first = paras[0] if paras else None
    match = _SENDER_LINE.match(" ".join(first.text.split())) if first is not None else None
    if match is None or not _is_upper_text(match.group("sender")):
        report.add("telegram.sender_line", first.where_text() if first is not None else "document",
                   f'"{_snippet(first.text)}"' if first is not None else "no content",
                   'the line "<SENDER IN CAPITALS> điện:" first under the subject (Decree 30, Appendix III, form 1.6)')
    if not any(" ".join(m.shown.split()).upper() in layout.URGENCY_MARKS for m in a.marks):
        report.add("telegram.urgency", a.type_name.where(), "no urgency mark",
                   "KHẨN, THƯỢNG KHẨN or HỎA TỐC under the number: a telegram is always urgent")


def _invitation(a: _Anatomy, paras: list[_Para], report: _Report) -> None:
    """Form 1.7: what to attend, when and where; the meeting not before the invitation's date."""
    starts = {fold(p.text.strip()).split(":")[0]: p for p in paras if ":" in p.text}
    missing = [label for label in ("Tới dự", "Thời gian", "Địa điểm") if fold(label) not in starts]
    if missing:
        report.add("invitation.details", a.type_name.where(), f"no line {', '.join(repr(m + ':') for m in missing)}",
                   'the lines "Tới dự:", "Thời gian:" and "Địa điểm:" (Decree 30, Appendix III, form 1.7)')
    time = starts.get(fold("Thời gian"))
    held = _date_in(time.text) if time is not None else None
    issued = _date_in(a.date.text) if a.date is not None else None
    if held is not None and issued is not None and held < issued:
        report.add("invitation.time", time.where_text(), f"held {held:%d/%m/%Y}, invited {issued:%d/%m/%Y}",
                   "a meeting on or after the date of the invitation")


def _introduction(a: _Anatomy, paras: list[_Para], report: _Report) -> None:
    """Form 1.8: the paper ends `Giấy này có giá trị đến hết ngày ...` with a readable date, not
    before the paper's own (an issue dated later than the data's date is checked here)."""
    last = paras[-1] if paras else None
    text = " ".join(last.text.split()) if last is not None else ""
    valid_until = _date_in(text) if fold(text).startswith(fold("Giấy này có giá trị đến hết")) else None
    issued = _date_in(a.date.text) if a.date is not None else None
    if valid_until is not None and issued is not None and valid_until < issued:
        report.add("introduction.validity", last.where_text(), f"valid until {valid_until:%d/%m/%Y}, "
                   f"dated {issued:%d/%m/%Y}", "a validity date not before the date of the paper")
    elif valid_until is None:
        report.add("introduction.validity", last.where_text() if last is not None else "document",
                   f'ends "{_snippet(text)}"' if last is not None else "no content",
                   'the last line "Giấy này có giá trị đến hết ngày DD tháng MM năm YYYY./." '
                   "(Decree 30, Appendix III, form 1.8)")


def _leave(a: _Anatomy, paras: list[_Para], report: _Report) -> None:
    """Form 1.10: the period granted, `từ ngày ... đến hết ngày ...`, its end not before its start."""
    for para in paras:
        match = _PERIOD.search(" ".join(para.text.split()))
        if match is None:
            continue
        start, end = _date_in(match.group("start")), _date_in(match.group("end"))
        if start is not None and end is not None and start <= end:
            return
        report.add("leave.period", para.where_text(), f'"{_snippet(match.group(), 60)}"',
                   "two readable dates, the end not before the start")
        return
    report.add("leave.period", a.type_name.where(), "no period of leave",
               'the period "kể từ ngày ... đến hết ngày ..." (Decree 30, Appendix III, form 1.10)')


def _date_in(text: str) -> dt.date | None:
    match = DATE_RE.search(text) or _SHORT_DATE.search(text)
    try:
        return dt.date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    except (AttributeError, TypeError, ValueError):
        return None


def _is_upper_text(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text == text.upper()


_FORMS = {fold("Công điện"): _telegram, fold("Giấy mời"): _invitation,
          fold("Giấy giới thiệu"): _introduction, fold("Giấy nghỉ phép"): _leave}
