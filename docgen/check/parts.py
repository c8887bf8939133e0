"""Each part's look; the national title and motto; number and date formats; lists and signatures."""

from __future__ import annotations

import re
from typing import Iterable

from docgen import layout
from docgen.metrics import wrap
from docgen.vietnamese import fold

from .anatomy import _Anatomy
from .findings import _Report, _pt, _range, _snippet
from .recognize import DATE_RE, SIGNING_RE, _is_upper
from .rule_lines import _check_rule
from .text import _Line


def _check_look(report: _Report, key: str, lines: Iterable[_Line], *, upper: bool | None = None) -> None:
    """Size, bold, italic and case of each line of a part against layout.PARTS[key]."""
    style = layout.PARTS[key]
    upper = style.upper if upper is None else upper
    for line in lines:
        looks = line.looks()
        if not looks:
            continue
        where = line.where()
        low, high = style.sizes
        sizes = sorted({look.size for look in looks if not low <= look.size <= high})
        if sizes:
            report.add(f"{key}.size", where, ", ".join(_pt(s) for s in sizes), _range(low, high))
        if style.bold is not None and any(look.bold != style.bold for look in looks):
            found = ("not bold" if not any(l.bold for l in looks) else "partly not bold") if style.bold else "bold"
            report.add(f"{key}.bold", where, found, "bold" if style.bold else "not bold")
        if style.italic is not None and any(look.italic != style.italic for look in looks):
            found = ("upright" if not any(l.italic for l in looks) else "partly upright") if style.italic else "italic"
            report.add(f"{key}.italic", where, found, "italic" if style.italic else "upright")
        if upper and not _is_upper(line):
            report.add(f"{key}.upper", where, f'"{_snippet(line.shown)}" is not in capitals', "UPPER CASE")


def _check_name_lines(report: _Report, key: str, lines: list[_Line]) -> None:
    """A name may take two lines in the header column, but no line may hold a single word
    (`PHÒNG GIÁO DỤC VÀ ĐÀO` / `TẠO`): offices break a name where it reads well."""
    shown: list[tuple[_Line, str]] = []
    for line in lines:
        para, looks = line.para, line.looks()
        text = " ".join(line.shown.split())
        if para.width_pt is None or not looks or not text:
            shown += [(line, text)] if text else []
            continue
        # Set a hair wider than the column: the metrics only estimate the font's widths.
        width = 1.01 * (para.width_pt - para.look.left_pt - para.look.right_pt)
        shown += [(line, wrapped) for wrapped in wrap(text, width, looks[0].size, looks[0].bold)]
    if len(shown) < 2:
        return
    for line, text in shown:
        if len(text.split()) == 1:
            report.add(f"{key}.orphan_word", line.where(), f'"{text}" alone on a line of the name',
                       "the name broken where it reads well, at least two words a line "
                       "(e.g. PHÒNG GIÁO DỤC / VÀ ĐÀO TẠO)")


def _check_alignment(report: _Report, rule: str, line: _Line | None) -> None:
    if line is not None and line.para.look.alignment != "center":
        report.add(rule, line.where(), f"aligned {line.para.look.alignment}", "centred")


def _check_parts(a: _Anatomy, report: _Report) -> None:
    _check_national_title(a, report)
    _check_motto(a, report)
    _check_look(report, "parent_agency", a.parent_agency)
    _check_look(report, "agency", a.agency)
    _check_name_lines(report, "parent_agency", a.parent_agency)
    _check_name_lines(report, "agency", a.agency)
    if a.agency:
        _check_rule(a, report, "agency", a.agency)
    if a.number is not None:
        _check_look(report, "number", [a.number])
        _check_number(a.number, report)
    if a.date is not None:
        _check_look(report, "date", [a.date])
        _check_date(a.date, report)
    _check_look(report, "letter_subject", a.letter_subject)
    if a.type_name is not None:
        _check_look(report, "type_name", [a.type_name])
        _check_alignment(report, "type_name.alignment", a.type_name)
    if a.subject:
        _check_look(report, "subject", a.subject)
        for line in a.subject:
            _check_alignment(report, "subject.alignment", line)
        _check_rule(a, report, "subject", a.subject)
    _check_addressees(a.addressees, report)
    _check_closing(a, report)
    _check_recipients(a, report)
    _check_signatures(a, report)
    _check_look(report, "mark", a.marks)
    for line in a.marks:
        if not _has_border(line):
            report.add("mark.border", line.where(), "no border", "the mark in a border (box)")
    _check_look(report, "circulation", a.circulation)


def _check_national_title(a: _Anatomy, report: _Report) -> None:
    line = a.national_title
    if line is None:
        report.add("national_title.missing", "document", "no national title",
                   f'"{layout.NATIONAL_TITLE}" at the top right of the first page')
        return
    shown = " ".join(line.shown.split())
    if shown != layout.NATIONAL_TITLE:
        report.add("national_title.text", line.where(), f'"{shown}"', f'"{layout.NATIONAL_TITLE}"')
    _check_look(report, "national_title", [line], upper=False)


def _check_motto(a: _Anatomy, report: _Report) -> None:
    line = a.motto
    if line is None:
        report.add("motto.missing", "document", "no motto", f'"{layout.MOTTO}" under the national title')
        return
    shown = " ".join(line.shown.split())
    if shown != layout.MOTTO:
        report.add("motto.text", line.where(), f'"{shown}"',
                   f'"{layout.MOTTO}" (capital first letters, " - " between the phrases)')
    _check_look(report, "motto", [line])
    _check_rule(a, report, "motto", [line])


def _has_border(line: _Line) -> bool:
    para = line.para
    return (para.look.boxed or para.zone == "textbox" or para.in_bordered_cell
            or any(look.border for look in line.looks()))


# -- number and date

def _check_number(line: _Line, report: _Report) -> None:
    """`Số: 05/QĐ-SGDĐT`; a draft leaves the number blank (`Số:      /QĐ-SGDĐT`)."""
    where = line.where()
    text = line.text.strip()
    label, colon, rest = re.match(r"^(\w+)\s*(:?)\s*(.*)$", text).groups()
    if label != "Số" or not colon:
        report.add("number.label", where, f'"{_snippet(text, 12)}"', '"Số" followed by a colon: "Số: "')
    if "/" not in rest:
        report.add("number.slash", where, f'"{rest}"', '"/" between the number and the symbol')
        return
    number, symbol = rest.split("/", 1)
    if (number.strip() and number != number.strip()) or symbol != symbol.lstrip():
        report.add("number.spaces", where, f'"{rest}"', 'no spaces around the "/"')
    number, symbol = number.strip(), symbol.strip()
    if number.isdigit() and (len(number) == 1 or (number.startswith("0") and int(number) >= 10)):
        report.add("number.padding", where, f'number "{number}"',
                   f'"{int(number):02d}"' if int(number) < 10 else f'"{int(number)}"')
    symbol_body = re.sub(r"^\d{4}/", "", symbol)  # legal documents carry the year: 30/2020/NĐ-CP
    if re.search(r"\s", symbol):
        report.add("number.symbol_spaces", where, f'symbol "{symbol}"', "no spaces inside the symbol")
    elif symbol_body and not re.fullmatch(r"[\w&]+(-[\w&]+)*", symbol_body):
        report.add("number.symbol_separator", where, f'symbol "{symbol}"',
                   '"-" between the groups of the symbol (e.g. QĐ-SGDĐT)')


def _check_date(line: _Line, report: _Report) -> None:
    """`Cao Bằng, ngày 05 tháng 01 năm 2025`; a draft leaves day and month blank."""
    where = line.where()
    text = " ".join(line.text.split())
    match = DATE_RE.search(text)
    place = text[:match.start()].rstrip()
    trailing = text[match.end():].strip()
    words_ok = [match.group(g) for g in ("ngay", "thang", "nam")] == ["ngày", "tháng", "năm"]
    if not place.endswith(",") or not place[:-1].strip() or not place[0].isupper() or not words_ok or trailing:
        report.add("date.format", where, f'"{_snippet(text, 60)}"', '"<Place>, ngày DD tháng MM năm YYYY"')
    day, month = match.group("day"), match.group("month")
    if day and int(day) < 10 and len(day) == 1:
        report.add("date.day_padding", where, f'"ngày {day}"', f'"ngày {int(day):02d}"')
    if month:
        value = int(month)
        if not 1 <= value <= 12:
            report.add("date.format", where, f'"tháng {month}"', "a month from 1 to 12")
        elif value in (1, 2) and month != f"{value:02d}":
            report.add("date.month_padding", where, f'"tháng {month}"', f'"tháng {value:02d}"')
        elif value >= 3 and month != str(value):
            report.add("date.month_padding", where, f'"tháng {month}"',
                       f'"tháng {value}" (only months 1 and 2 take a leading 0)')


# -- Kính gửi, Nơi nhận, signatures

def _check_list_punctuation(report: _Report, key: str, items: list[_Line], last_end: str = ".") -> None:
    for i, line in enumerate(items):
        text = line.text.strip()
        if not re.match(r"^- \S", text):
            report.add(f"{key}.item", line.where(), f'starts "{text[:3]}"', 'each line starts "- "')
        end = last_end if i == len(items) - 1 else ";"
        if not text.endswith(end):
            which = "the last line" if end == last_end else "each line but the last"
            report.add(f"{key}.punctuation", line.where(), f'ends "{text[-1:]}"', f'{which} ends "{end}"')


def _check_addressees(lines: list[_Line], report: _Report) -> None:
    if not lines:
        return
    _check_look(report, "addressees", lines)
    if len(lines) > 1:
        _check_list_punctuation(report, "addressees", lines[1:])


_ARCHIVE_LINE = re.compile(r"^- Lưu: VT, \S.*\.$")
# The drafter's initials and copies typed on a line of their own: `PL.(30)`, `PL.`, `(30)`.
_DRAFTER_LINE = re.compile(r"^(?:[A-ZĐ][A-Za-zĐđ]{0,5}\.?\s*(?:\(\d+\))?|\(\d+\))\.?$")


def _check_recipients(a: _Anatomy, report: _Report) -> None:
    label = a.recipients_label
    if label is None:
        return
    _check_look(report, "recipients_label", [label])
    if not label.text.strip().startswith("Nơi nhận:"):
        report.add("recipients_label.text", label.where(), f'"{_snippet(label.text)}"', '"Nơi nhận:"')
    if not a.recipients:
        return
    recipients = a.recipients
    last = recipients[-1]
    if len(recipients) > 1 and _DRAFTER_LINE.match(last.text.strip()):
        # Decree 30, Appendix III (the forms): `- Lưu: VT, (unit) A.XX.` puts the drafter's
        # initials and the copies (Appendix I, item 12) at the end of the Lưu line.
        report.add("copies.place", last.where(), f'"{_snippet(last.text)}" on a line of its own',
                   'at the end of the Lưu line: "- Lưu: VT, <unit>, PL.(30)."')
        recipients = recipients[:-1]
    _check_look(report, "recipients", recipients)
    _check_list_punctuation(report, "recipients", recipients)
    last = recipients[-1]
    if not _ARCHIVE_LINE.match(" ".join(last.text.split())):
        report.add("recipients.archive_line", last.where(), f'last line "{_snippet(last.text)}"',
                   '"- Lưu: VT, <drafting unit>."')


def _check_closing(a: _Anatomy, report: _Report) -> None:
    """A document ends with its signature (Decree 30, Appendix I, items 7a and 7c) and, when it
    is sent (it has a number and is not minutes), its Nơi nhận (item 9b): a document without
    them was cut short."""
    if a.national_title is None:
        return  # not read as a document at all: national_title.missing says so
    if not a.signatures:
        report.add("authority.missing", "document", "no signature block after the content",
                   "the signing authority, the title and the signer's name, bottom right")
    for n, (authority, signer) in enumerate(a.signatures):
        if signer is None and authority and n not in a.named_by_hand:
            report.add("signer.missing", authority[-1].where(), "no signer's name under the title",
                       "the signer's name, centred under the signing authority")
    minutes = a.type_name is not None and a.type_name.folded.startswith(fold("Biên bản"))
    if a.recipients_label is None and a.number is not None and not minutes:
        report.add("recipients_label.missing", "document", "no Nơi nhận",
                   '"Nơi nhận:" and its list, bottom left, level with the signature')


_ACADEMIC_TITLE = re.compile(r"^((GS|PGS|TSKH|TS|ThS|Th\.S|KS|CN|BS|DS|BSCKI{1,2})\s*\.\s*)+")


def _check_signatures(a: _Anatomy, report: _Report) -> None:
    for authority, signer in a.signatures:
        _check_look(report, "authority", authority)
        for line in authority[:1]:
            text = line.shown.strip()
            if SIGNING_RE.match(text) and not any(text.startswith(p + " ") for p in layout.SIGNING_PREFIXES):
                report.add("authority.prefix", line.where(), f'"{_snippet(text, 20)}"',
                           " / ".join(layout.SIGNING_PREFIXES) + " then a space and the title")
        if signer is not None:
            _check_look(report, "signer", [signer])
            title = _ACADEMIC_TITLE.match(signer.text.strip())
            if title:
                report.add("signer.academic_title", signer.where(), f'"{title.group().strip()}" before the name',
                           "the name alone, no academic title")
