"""The parts of an official document (Decree 30, Appendix I) read back from its plain text.

Works on the text of a .docx (one paragraph a line), a PDF (one printed line a line, the
two header columns sometimes on one line) or a plain-text extraction (line breaks inside
paragraphs, blank lines between them, Markdown marks). Each part is looked for where the
law puts it: agency, number and date in the header block, the type name and subject under
it, `Kính gửi` after them, `Nơi nhận` and the signature at the end of the content. The
line classifiers are the conformance checker's (docgen.check.recognize), so a line is read
the same way when checking a .docx and when importing a file. What is not found is left
empty and listed in `missing`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from docgen.check.recognize import DATE_RE, MOTTO_RE, NATIONAL_TITLE_RE, NO_SUBJECT, SIGNING_RE, TYPE_NAMES
from docgen.kinds import KINDS
from docgen.layout import SECRECY_MARKS, URGENCY_MARKS
from docgen.vietnamese import fold, nfc

_MARKDOWN = re.compile(r"^\s*(?:#+\s*)?|[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}")
_NUMBER = re.compile(r"\bSố\s*:\s*(?P<number>\d*)\s*/\s*(?P<symbol>[^\s,;]+)", re.IGNORECASE)
_BODY_START = re.compile(r"^(can cu\b|kinh gui\b|theo de nghi\b|vao luc\b|noi nhan\b|thuc hien\b.*\bso\s*\d"
                         r"|(?:[ivxlc]+|\d+)\.\s"
                         r"|.*\bdien\s*:\s*$|.*\btran trong kinh moi\b)")  # a telegram's, an invitation's first line
_LIST_ITEM = re.compile(r"^[-–+•]\s*")
_NAME = re.compile(r"^(?:[^\W\d_][^\W\d_]*\s+){1,5}[^\W\d_]+$")
MAX_SUBJECT_LINES = 6
HEADER_LINES = 30

FIELDS = ("agency", "number_symbol", "place", "date", "kind", "subject", "addressees", "recipients",
          "signer_title", "signer_name")


@dataclass
class Recognized:
    kind: str = ""
    type_name: str = ""
    parent_agency: str = ""
    agency: str = ""
    number: int | None = None
    symbol: str = ""
    number_symbol: str = ""
    place: str = ""
    date: dt.date | None = None
    subject: str = ""
    addressees: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    drafting_unit: str = ""
    signing_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    secrecy: str = ""
    urgency: str = ""

    @property
    def missing(self) -> list[str]:
        """The parts a document of this kind should have and the text did not show."""
        absent = [name for name in FIELDS if not getattr(self, name)]
        if self.kind != "cong_van":
            absent = [name for name in absent if name != "addressees"]  # only letters address someone
        return absent

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        out["missing"] = self.missing
        return out


@dataclass
class _Line:
    text: str  # stripped, Markdown marks removed
    folded: str
    blanks_before: int  # blank lines just above it

    @property
    def upper(self) -> bool:
        return any(ch.isalpha() for ch in self.text) and self.text == self.text.upper()


def _lines(text: str) -> list[_Line]:
    lines, blanks = [], 0
    for raw in nfc(text).split("\n"):
        for cell in re.split(r"\t+|\s{4,}", raw.strip()):  # hand-typed headers: columns split by tabs
            clean = _MARKDOWN.sub("", cell).strip()
            if not clean:
                blanks += 1
                continue
            lines.append(_Line(clean, fold(clean), blanks))
            blanks = 0
    return lines


def _without_title_and_motto(line: _Line) -> str:
    """PDFs put the two header columns on one line: cut out the national title and motto."""
    text = line.text
    for pattern in (NATIONAL_TITLE_RE, MOTTO_RE):
        match = pattern.search(fold(text))
        if match:
            text = (text[:match.start()] + " " + text[match.end():]).strip()
    return text


def _is_type_name(text: str) -> bool:
    folded = fold(text)
    return text == text.upper() and (folded in TYPE_NAMES or any(folded.startswith(n + " ") for n in TYPE_NAMES))


def recognize(text: str) -> Recognized:
    found = Recognized()
    lines = _lines(text)
    soft = _soft_breaks(lines)
    _header(lines, found)
    _title_and_subject(lines, found, soft)
    _addressees(lines, found)
    end = _recipients(lines, found)
    _signature(lines, found, end)
    found.kind = _kind(found)
    if not found.type_name and found.kind in KINDS:
        found.type_name = KINDS[found.kind].type_name or KINDS[found.kind].label
    return found


def _soft_breaks(lines: list[_Line]) -> bool:
    """Plain-text extractions break lines inside paragraphs and leave a blank line after each."""
    single = sum(1 for line in lines if line.blanks_before == 1)
    return single >= 0.4 * max(len(lines), 1)


def _header(lines: list[_Line], found: Recognized) -> None:
    """Agency, number and symbol, place and date, marks: the lines above the type name."""
    uppers: list[str] = []
    number_at = date_at = None
    for index, line in enumerate(lines[:HEADER_LINES]):
        if _BODY_START.match(line.folded) and not line.folded.startswith("so"):
            break
        rest = _without_title_and_motto(line)
        number = _NUMBER.search(rest)
        if number and number_at is None:
            number_at = index
            found.symbol = number.group("symbol").rstrip(".")
            if number.group("number"):
                found.number = int(number.group("number"))
                found.number_symbol = f"{number.group('number')}/{found.symbol}"
            rest = rest[number.end():].strip()
        date = DATE_RE.search(rest)
        if date and date.group("day") and date.group("month") and date.group("year") and date_at is None:
            try:
                found.date = dt.date(int(date.group("year")), int(date.group("month")), int(date.group("day")))
            except ValueError:
                pass
            else:
                date_at = index
                found.place = rest[:date.start()].strip().rstrip(",").strip()
            rest = rest[:date.start()].strip() if not found.place else ""
        shown = " ".join(rest.split()).upper()
        if shown in SECRECY_MARKS:
            found.secrecy = shown
        elif shown in URGENCY_MARKS:
            found.urgency = shown
        elif (rest and rest == rest.upper() and any(ch.isalpha() for ch in rest) and number_at is None
              and date_at is None and not _is_type_name(rest)):
            uppers.append(rest)
        if _is_type_name(rest):
            break
    if uppers:
        if len(uppers) == 1:
            found.agency = uppers[0]
        else:
            # A third capitals line is the agency's name wrapped onto the next line (PDF).
            found.parent_agency, found.agency = uppers[0], " ".join(uppers[1:])


def _title_and_subject(lines: list[_Line], found: Recognized, soft: bool) -> None:
    for index, line in enumerate(lines[:HEADER_LINES + 5]):
        text = _without_title_and_motto(line)
        if fold(text).startswith("v/v"):
            parts = [text[3:].strip()]
            for follower in lines[index + 1:index + MAX_SUBJECT_LINES]:
                if (follower.blanks_before > (1 if soft else 0) or DATE_RE.search(follower.text)
                        or follower.upper or _BODY_START.match(follower.folded) or _NUMBER.search(follower.text)):
                    break
                parts.append(_without_title_and_motto(follower))
            found.subject = _joined(parts).rstrip(".").strip()
            found.kind = "cong_van"  # a letter has no type name: its subject starts V/v
            return
        if _is_type_name(text) and not found.type_name:
            found.type_name = " ".join(text.split())
            if fold(found.type_name) in NO_SUBJECT:
                return
            parts = []
            for position, follower in enumerate(lines[index + 1:index + 1 + MAX_SUBJECT_LINES]):
                if position and (follower.blanks_before > (1 if soft else 0) or follower.upper
                                 or _BODY_START.match(follower.folded)):
                    break
                if not position and (follower.upper or _BODY_START.match(follower.folded) and
                                     not follower.folded.startswith("thuc hien")):
                    break
                parts.append(follower.text)
            found.subject = _joined(parts)
            return


def _joined(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())


def _addressees(lines: list[_Line], found: Recognized) -> None:
    for index, line in enumerate(lines[:HEADER_LINES + 10]):
        if not line.folded.startswith("kinh gui"):
            continue
        rest = line.text.split(":", 1)[1].strip() if ":" in line.text else line.text[len("Kính gửi"):].strip()
        names = [rest] if rest else []
        for follower in lines[index + 1:index + 30]:
            if not _LIST_ITEM.match(follower.text):
                if follower.text.startswith("(") or not names:
                    continue  # the note "(Trong văn bản gọi chung là ...)"
                break
            names.append(follower.text)
        found.addressees = [_item(name) for name in names if _item(name)]
        return


def _item(text: str) -> str:
    return _LIST_ITEM.sub("", text).strip().rstrip(";.").strip()


def _recipients(lines: list[_Line], found: Recognized) -> int:
    """Nơi nhận and the drafting unit from its `Lưu` line; returns where the list ends."""
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].folded.startswith("noi nhan"):
            continue
        end = index + 1
        for follower in lines[index + 1:]:
            if not _LIST_ITEM.match(follower.text):
                break
            found.recipients.append(follower.text)
            end += 1
            keep = re.match(r"^[-–+•]\s*Lưu\s*:\s*(.*)$", follower.text, re.IGNORECASE)
            if keep:
                units = [u.strip().rstrip(".;").strip() for u in keep.group(1).split(",")]
                units = [u for u in units if u and fold(u) != "vt"]
                found.drafting_unit = units[0] if units else ""
        return end
    return 0


def _signature(lines: list[_Line], found: Recognized, start: int) -> None:
    """The signing authority and title (capitals) and the signer's name under them. Two
    signatures side by side (minutes: secretary, chair) read as two titles then two names:
    the right-hand one, the higher authority, is the document's signer."""
    if not start:
        # No Nơi nhận: the signature follows the end of the content (`./.`), else the last lines.
        ends = [i for i, line in enumerate(lines) if line.text.endswith("./.")]
        start = ends[-1] + 1 if ends else max(0, len(lines) - 12)
    uppers: list[str] = []
    names: list[str] = []
    for line in lines[start:start + 14]:
        if line.text.startswith("(") and line.text.endswith(")"):
            continue  # "(Ký, ghi rõ họ tên)"
        if line.upper and not names:
            if not uppers and not SIGNING_RE.match(line.text) and len(line.text) > 60:
                continue
            uppers.append(" ".join(line.text.split()))
        elif uppers and _NAME.match(line.text) and not line.upper:
            names.append(" ".join(line.text.split()))
        elif uppers:
            break
    if not uppers:
        return
    if len(names) >= 2 and len(uppers) >= 2:
        block = uppers[-2:] if SIGNING_RE.match(uppers[-2]) else uppers[-1:]
        found.signer_name = names[-1]
    else:
        block = uppers[:2]
        found.signer_name = names[0] if names else ""
    if SIGNING_RE.match(block[0]):
        found.signing_authority = block[0]
        found.signer_title = block[1] if len(block) > 1 else ""
    else:
        found.signer_title = block[0]


def _kind(found: Recognized) -> str:
    if found.kind or not found.type_name:
        return found.kind
    folded = fold(found.type_name)
    for kind in KINDS.values():
        if kind.type_name and fold(kind.type_name) == folded:
            if kind.name == "quyet_dinh_khen_thuong" and not re.search(r"khen thuong|\btang\b", fold(found.subject)):
                return "quyet_dinh"
            return kind.name
    if folded in TYPE_NAMES:
        return "van_ban"  # a type with no kind of its own: the form of every typed document
    return re.sub(r"\W+", "_", folded).strip("_")
