"""What every document kind shares: common fields, the resolved document, the template context.

A kind is a data model (what the clerk writes), a template (.docx in templates_docx/) and a
function that turns a validated document into the template's context. The parts every
kind has (header block, number, date line, title, recipients, signature) are built here
once, so each kind module only adds its own content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

from pydantic import Field

from .. import markup
from ..agency import Agency, Signer, Strict
from ..datafile import Date, one_of
from ..layout import CIRCULATION_NOTES, HEADER_COLUMN_CM, PARTS, SECRECY_MARKS, TYPE_CODES, URGENCY_MARKS
from ..metrics import break_name
from ..vietnamese import date_line, number_symbol, symbol_for, upper

if TYPE_CHECKING:
    from docxtpl import RichText

Secrecy = one_of(SECRECY_MARKS)
Urgency = one_of(URGENCY_MARKS)
Circulation = one_of(CIRCULATION_NOTES)


class DocumentData(Strict):
    """Fields every kind has."""

    agency: str | Agency | None = Field(
        None, title="Tệp cơ quan ban hành",
        description="path of the agency file, relative to this data file (or given with --agency)",
        examples=["agency.yaml"],
    )
    drafting_unit: str = Field("", title="Đơn vị soạn thảo", description="code of a unit in the agency file", examples=["VP"])
    date: Date | None = Field(None, title="Ngày ban hành", description="YYYY-MM-DD or dd/mm/yyyy; blank in a draft")
    number: int | None = Field(None, ge=1, title="Số", description="given at issue; blank in a draft")
    secrecy: Secrecy | None = Field(None, title="Độ mật")
    urgency: Urgency | None = Field(None, title="Mức độ khẩn")
    circulation: Circulation | None = Field(None, title="Phạm vi lưu hành")



class SignedData(DocumentData):
    """A document signed by one person for the agency, with a Nơi nhận list."""

    drafting_unit: str = Field(title="Đơn vị soạn thảo", description="code of a unit in the agency file", examples=["VP"])
    signer: str | Signer = Field(
        title="Người ký", description="key of a signer in the agency file, or name/title/authority",
        examples=["pho_giam_doc"],
    )
    recipients: list[str] = Field(
        default_factory=list, title="Nơi nhận",
        description="one recipient a line; '- ' and ';' are added, and the 'Lưu' line last",
        examples=[["Như kính gửi", "Bộ GD&ĐT (Vụ TĐKT)"]],
    )
    file_copy: str | None = Field(None, title="Lưu", description="default 'VT, <drafting unit>'", examples=["VT, VP"])
    drafter: str | None = Field(None, title="Ký hiệu người soạn thảo", examples=["PL"])
    copies: int | None = Field(None, ge=1, title="Số lượng bản", examples=[30])


@dataclass(frozen=True)
class Kind:
    """A document kind: its names, its data model and how its template is filled."""

    name: str  # fixed identifier other tools use: "ke_hoach"
    label: str  # Vietnamese name: "Kế hoạch"
    type_name: str | None  # name printed as the title: "KẾ HOẠCH"; None for a công văn
    type_code: str | None  # symbol code (Decree 30 Appendix III); None for a công văn
    numbered: bool  # False for annexes such as an achievement report
    model: type[DocumentData]
    context: Callable[["Document"], dict[str, Any]]
    description: str = ""
    # Who issues it in its own name when that is not the agency (a council): sets issuer_*.
    resolve_issuer: Callable[["Document"], None] | None = None
    # Who signs a kind that has no `signer` field (the chair of a meeting), for the register.
    signed_by: Callable[["Document"], Signer] | None = None
    # A kind whose type the data names (van_ban): the type's name as in layout.TYPE_CODES.
    type_of: Callable[[Any], str] | None = None

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"


@dataclass
class Document:
    """A validated document of a kind, with the agency and numbering resolved."""

    kind: Kind
    data: Any  # an instance of kind.model
    agency: Agency
    source: str = "<data>"
    issuer_name: str = ""  # who issues it in its own name: the agency, or a council
    issuer_parent: str = ""
    issuer_code: str = ""
    issuer_lines: tuple[str, ...] = ()  # the issuer's name as broken by hand in the agency file
    parent_lines: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.issuer_name:
            self.issuer_name, self.issuer_parent, self.issuer_code = (
                self.agency.name, self.agency.parent, self.agency.code)
            self.issuer_lines, self.parent_lines = self.agency.name_lines, self.agency.parent_lines

    @property
    def number(self) -> int | None:
        return self.data.number

    @property
    def date(self) -> dt.date | None:
        return self.data.date

    @property
    def unit_code(self) -> str:
        return self.data.drafting_unit

    @property
    def type_name(self) -> str | None:
        """The type name printed as the title: the kind's, or the one its data names."""
        return upper(self.kind.type_of(self.data)) if self.kind.type_of else self.kind.type_name

    @property
    def type_code(self) -> str | None:
        return TYPE_CODES[self.kind.type_of(self.data)] if self.kind.type_of else self.kind.type_code

    @property
    def symbol(self) -> str | None:
        if not self.kind.numbered:
            return None
        return symbol_for(self.type_code, self.issuer_code, self.unit_code)

    @property
    def number_symbol(self) -> str | None:
        return number_symbol(self.number, self.symbol) if self.symbol else None

    @property
    def subject(self) -> str:
        return getattr(self.data, "subject", "")

    @property
    def signer(self) -> Signer | None:
        value = getattr(self.data, "signer", None)
        if isinstance(value, str):
            return self.agency.signer(value)
        if value is None and self.kind.signed_by:
            return self.kind.signed_by(self)
        return value

    @property
    def file_copy(self) -> str:
        return getattr(self.data, "file_copy", None) or f"VT, {self.unit_code}"

    def recipients_lines(self) -> list[str]:
        """Nơi nhận: '- X;' each, the last '- Lưu: VT, VP.' (Decree 30, Appendix I, item 9b).

        The drafter's initials and the number of copies (Appendix I, item 12) end the Lưu
        line, as the forms of Appendix III print them: `- Lưu: VT, (unit) A.XX.`, here
        `- Lưu: VT, GDTH, LTH.(30).` (`LTH` alone, or `(30)` alone, when only one is given).
        """
        names = [r.strip().lstrip("-").strip().rstrip(";.").strip() for r in self.data.recipients]
        lines = [f"- {name};" for name in names if name and not name.startswith("Lưu:")]
        kept = [self.file_copy.rstrip(". ")]
        if mark := drafter_mark(getattr(self.data, "drafter", None), getattr(self.data, "copies", None)):
            kept.append(mark)
        lines.append(f"- Lưu: {', '.join(kept).rstrip('.')}.")
        return lines

    def marks(self) -> list[str]:
        return [m for m in (self.data.secrecy, self.data.urgency) if m]

    def with_number(self, number: int, date: dt.date) -> "Document":
        """The same document as issued: its number and issue date set."""
        return replace(self, data=self.data.model_copy(update={"number": number, "date": date}))

    def metadata(self) -> dict[str, Any]:
        """What the archive records of a document (domain.md, "Archive"), as plain values."""
        signer = self.signer
        recipients = getattr(self.data, "recipients", None)
        return {
            "kind": self.kind.name,
            "type_name": self.type_name or self.kind.label,
            "type_code": self.type_code,
            "number": self.number,
            "symbol": self.symbol,
            "number_symbol": self.number_symbol if self.number else None,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "place": self.agency.place,
            "agency": self.issuer_name,
            "parent_agency": self.issuer_parent,
            "agency_code": self.issuer_code,
            "drafting_unit": self.unit_code,
            "signer_name": signer.name if signer else None,
            "signer_title": signer.title if signer else None,
            "signing_authority": signer.authority if signer else None,
            "recipients": self.recipients_lines() if recipients is not None else [],
            "secrecy": self.data.secrecy,
            "urgency": self.data.urgency,
            "copies": getattr(self.data, "copies", None),
            "file_copy": self.file_copy if recipients is not None else None,
            "language": "vi",
        }


def rich(spans: list[markup.Span] | tuple[markup.Span, ...]) -> RichText:
    """Runs for a template paragraph: plain spans take the paragraph style's formatting."""
    from docxtpl import RichText

    text = RichText()
    for span in spans:
        text.add(span.text, bold=span.bold, italic=span.italic)
    return text


def body_blocks(blocks: list[markup.Block]) -> list[dict[str, Any]]:
    """Blocks as the template's body loop reads them: a style variant and its runs."""
    return [{"style": b.style, "rich": rich(b.spans), "text": b.text} for b in blocks]


def signature_context(signer: Signer) -> dict[str, Any]:
    return {"lines": signer.lines, "name": signer.name}


def common_context(doc: Document) -> dict[str, Any]:
    """The parts every kind shares: header block, number, date line, title, recipients, signature."""
    data = doc.data
    signer = doc.signer
    return {
        **header_names(doc.issuer_parent, doc.issuer_name, doc.parent_lines, doc.issuer_lines),
        "number_line": f"Số: {doc.number_symbol}" if doc.number_symbol else "",
        "marks": doc.marks(),
        "circulation": data.circulation or "",
        "date_line": date_line(doc.agency.place, doc.date),
        "type_name": doc.type_name or "",
        "subject_lines": [line.strip() for line in doc.subject.splitlines() if line.strip()],
        "recipients": doc.recipients_lines() if isinstance(data, SignedData) else [],
        "signature": signature_context(signer) if signer else None,
        "contact_line": doc.agency.contact.line if doc.agency.contact else "",
    }


def header_names(parent: str, name: str, parent_lines: tuple[str, ...] = (),
                 name_lines: tuple[str, ...] = ()) -> dict[str, str]:
    """Items 2 of Decree 30, Appendix I: the parent agency and the agency in the header column,
    each broken where it reads well when it does not fit (a line break renders as w:br)."""
    return {"parent_agency": "\n".join(parent_lines or header_lines(parent, "parent_agency")),
            "agency_name": "\n".join(name_lines or header_lines(name, "agency"))}


def header_lines(text: str, part: str) -> list[str]:
    style = PARTS[part]
    # 2 % short of the column: the metrics are Adobe Times', the PDF is set in Liberation Serif.
    return break_name(text, 0.98 * HEADER_COLUMN_CM / 2.54 * 72, style.size, bool(style.bold))


def drafter_mark(drafter: str | None, copies: int | None) -> str:
    """Decree 30, Appendix I, item 12: the drafter's initials and the copies, `PL.(30)`."""
    initials = upper(drafter.strip().rstrip(".")) if drafter and drafter.strip() else ""
    if initials and copies:
        return f"{initials}.({copies})"
    return initials or (f"({copies})" if copies else "")


def upper_lines(text: str) -> list[str]:
    return [upper(line.strip()) for line in text.splitlines() if line.strip()]



def paragraph(style: markup.BlockStyle, text: str) -> markup.Block:
    """One body block built in code from plain data (bases, requests): printed as it is."""
    return markup.Block(style, "", (markup.Span(text),))


def articles(texts: list[str]) -> list[markup.Block]:
    """`Điều 1.`, `Điều 2.`, ... numbered from their order, the label bold (Decree 30, Appendix I)."""
    return [markup.Block("article", f"Điều {n}.", (markup.Span(f"Điều {n}. ", bold=True), markup.Span(text)))
            for n, text in enumerate(texts, 1)]


def bases(texts: list[str], style: markup.BlockStyle = "basis") -> list[markup.Block]:
    """Legal bases, one a paragraph, each ending ';' and the last '.'."""
    cleaned = [t.strip().rstrip(";.").strip() for t in texts if t.strip()]
    return [paragraph(style, t + (";" if i < len(cleaned) - 1 else "."))
            for i, t in enumerate(cleaned)]


def addressee_lines(names: list[str]) -> list[str]:
    """One addressee on the `Kính gửi:` line; several, each `- X;` and the last `- Y.` (item 9a)."""
    cleaned = [n.strip().lstrip("-").strip().rstrip(";.").strip() for n in names if n.strip()]
    if len(cleaned) == 1:
        return [cleaned[0] + "."]
    return [f"- {n};" if i < len(cleaned) - 1 else f"- {n}." for i, n in enumerate(cleaned)]
