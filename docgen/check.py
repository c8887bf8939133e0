"""Conformance checker: does a .docx follow Decree 30/2020/NĐ-CP, Appendix I?

`check_document` reads any .docx, generated here or typed by hand in Word, finds the parts
of the document (thể thức) by their text and position, resolves the formatting Word
displays (direct run properties, then the character style, the paragraph style and its
basedOn chain, the table style, docDefaults) and reports every rule of the layout law it
can read (`docgen.layout` holds the numbers). A part that is absent is only reported when
the law requires it of every document (Quốc hiệu and Tiêu ngữ).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from docgen import layout
from docgen.errors import DocgenError
from docgen.metrics import text_width_pt


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


def check_document(path: str | Path) -> list[Finding]:
    """Every rule of the layout law the file breaks, in reading order of the checks."""
    document = _open(Path(path))
    reader = _Reader(document)
    report = _Report()
    _check_pages(reader, report)
    _check_fonts(reader, report)
    _check_page_numbers(reader, report)
    anatomy = _Anatomy.of(reader)
    _check_parts(anatomy, report)
    _check_content(anatomy, report)
    _check_numbering(anatomy, report)
    _check_annexes(anatomy, report)
    return report.findings()


def check_documents(paths: Iterable[str | Path]) -> dict[str, list[Finding]]:
    return {str(path): check_document(path) for path in paths}


def _open(path: Path):
    if not path.is_file():
        raise DocgenError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise DocgenError(f"{path.name}: not a .docx file (it is not a ZIP package)")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DocgenError(f"{path.name}: not a readable .docx file ({exc})") from exc


# --------------------------------------------------------------------------- findings

_OTHER_LABELS = {
    "page": "Trang",
    "font": "Phông chữ",
    "numbering": "Đánh số đề mục",
    "basis": "Căn cứ ban hành",
    "decision_heading": "Dòng QUYẾT ĐỊNH:",
    "article": "Điều",
    "content": "Nội dung",
    "annex": "Văn bản kèm theo",
    "table": "Bảng",
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


# --------------------------------------------------------------------------- XML basics

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


P, R, T, TBL, TR, TC = (_q(f"w:{t}") for t in ("p", "r", "t", "tbl", "tr", "tc"))
PPR, RPR, SECTPR = _q("w:pPr"), _q("w:rPr"), _q("w:sectPr")
VAL = _q("w:val")
FALLBACK = _q("mc:Fallback")
_NONE_BORDERS = ("nil", "none")
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
# The theme attribute of each slot; Word spells the complex-script one in lower case.
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
_BLACK = ("auto", "000000")
_BLACK_THEME = ("text1", "dark1")
EMU_PER_PT = 12700
# Word's default when no w:sz is set anywhere (ECMA-376 17.3.2.38).
_DEFAULT_SIZE_PT = 10
# One line of Times New Roman is 1.15 em (ascent + descent + line gap); "single spacing".
_TNR_LINE_EM = 1.15


def _val(parent, name: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(_q(name))
    return None if child is None else child.get(VAL)


def _on(element) -> bool:
    """A toggle (w:b, w:i, ...): present means on unless w:val says 0/false/off."""
    if element is None:
        return False
    value = element.get(VAL)
    return value is None or value.lower() not in ("0", "false", "off", "none")


_PT_PER_UNIT = {"pt": 1, "in": 72, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12, "pi": 12, "px": 0.75,
                "emu": 1 / EMU_PER_PT}


def _measure(value: str | None) -> tuple[float, str] | None:
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*", value or "")
    return (float(match.group(1)), match.group(2)) if match else None


def _number(value: str | None) -> float | None:
    measure = _measure(value)
    return measure[0] if measure and not measure[1] else None


def _twips(value: str | None) -> float | None:
    """A twips measure; newer files may write a universal measure such as '2cm'."""
    measure = _measure(value)
    if measure is None:
        return None
    number, unit = measure
    if not unit:
        return number
    return number * _PT_PER_UNIT[unit] * 20 if unit in _PT_PER_UNIT else None


def _vml_pt(value: str | None) -> float | None:
    """A VML length; a bare number has no agreed unit and is only read when it is 0."""
    measure = _measure(value)
    if measure is None:
        return None
    number, unit = measure
    if not unit:
        return 0.0 if number == 0 else None
    return number * _PT_PER_UNIT[unit] if unit in _PT_PER_UNIT else None


def _in_fallback(element) -> bool:
    """Inside mc:Fallback: the VML copy Word keeps of a DrawingML shape (read once only)."""
    node = element.getparent()
    while node is not None:
        if node.tag == FALLBACK:
            return True
        node = node.getparent()
    return False


def _owner_paragraph(element):
    node = element.getparent()
    while node is not None and node.tag != P:
        node = node.getparent()
    return node


def _blocks(parent) -> Iterator:
    """Paragraphs and tables of a story, looking through content controls."""
    for child in parent:
        if child.tag in (P, TBL):
            yield child
        elif child.tag == _q("w:sdt"):
            content = child.find(_q("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _q("w:customXml"):
            yield from _blocks(child)


# --------------------------------------------------------------------------- styles

class _Styles:
    """styles.xml: docDefaults, styles by id, basedOn chains."""

    def __init__(self, root) -> None:
        self.present = root is not None
        self.by_id: dict[str, object] = {}
        self.defaults: dict[str, str] = {}
        self.default_rpr = self.default_ppr = None
        if root is None:
            return
        self.default_rpr = root.find(f"{_q('w:docDefaults')}/{_q('w:rPrDefault')}/{RPR}")
        self.default_ppr = root.find(f"{_q('w:docDefaults')}/{_q('w:pPrDefault')}/{PPR}")
        for style in root.findall(_q("w:style")):
            style_id = style.get(_q("w:styleId"))
            self.by_id[style_id] = style
            if (style.get(_q("w:default")) or "").lower() in ("1", "true", "on"):
                self.defaults.setdefault(style.get(_q("w:type")) or "paragraph", style_id)

    def chain(self, style_id: str | None) -> list[str]:
        chain: list[str] = []
        while style_id and style_id in self.by_id and style_id not in chain:
            chain.append(style_id)
            style_id = _val(self.by_id[style_id], "w:basedOn")
        return chain

    def name(self, style_id: str) -> str:
        return _val(self.by_id.get(style_id), "w:name") or style_id

    def props(self, style_id: str, tag: str):
        return self.by_id[style_id].find(tag)

    def layers(self, style_ids: Iterable[str | None], tag: str) -> list[tuple[str, object]]:
        layers = []
        for style_id in style_ids:
            for sid in self.chain(style_id):
                props = self.props(sid, tag)
                if props is not None:
                    layers.append((sid, props))
        return layers


def _first(layers, tag: str):
    """The most specific element `tag` and where it came from."""
    for source, props in layers:
        element = props.find(tag)
        if element is not None:
            return element, source
    return None, None


def _first_with(layers, tag: str, attrs: tuple[str, ...]):
    """Word inherits w:ind and w:spacing attribute by attribute."""
    for _source, props in layers:
        element = props.find(tag)
        if element is not None and any(element.get(_q(f"w:{a}")) is not None for a in attrs):
            return element
    return None


# --------------------------------------------------------------------------- looks

@dataclass(frozen=True)
class _RunLook:
    size: float
    bold: bool
    italic: bool
    caps: bool
    underline: bool
    border: bool
    hidden: bool
    fonts: tuple[tuple[str, str, str], ...]  # (slot, font, source) for every slot set
    color: tuple[str, str] | None  # (colour, source)


def _run_look(layers) -> _RunLook:
    size_el, _ = _first(layers, _q("w:sz"))
    size = _DEFAULT_SIZE_PT
    if size_el is not None and (_twips(size_el.get(VAL)) is not None):
        size = _twips(size_el.get(VAL)) / 2  # half-points
    underline, _ = _first(layers, _q("w:u"))
    border, _ = _first(layers, _q("w:bdr"))
    return _RunLook(
        size=size,
        bold=_on(_first(layers, _q("w:b"))[0]),
        italic=_on(_first(layers, _q("w:i"))[0]),
        caps=_on(_first(layers, _q("w:caps"))[0]),
        underline=underline is not None and (underline.get(VAL) or "single") != "none",
        border=border is not None and (border.get(VAL) or "none") not in _NONE_BORDERS,
        hidden=_on(_first(layers, _q("w:vanish"))[0]),
        fonts=_fonts(layers),
        color=_color(layers),
    )


def _fonts(layers) -> tuple[tuple[str, str, str], ...]:
    found = []
    for slot in SLOTS:
        for source, props in layers:
            fonts = props.find(_q("w:rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(_q(f"w:{_THEME_ATTR[slot]}"))
            name = fonts.get(_q(f"w:{slot}"))
            if theme or name:
                # A theme attribute wins over the font name beside it (ECMA-376 17.3.2.26).
                found.append((slot, f"theme font {theme}" if theme else name, source))
                break
    return tuple(found)


def _color(layers) -> tuple[str, str] | None:
    element, source = _first(layers, _q("w:color"))
    if element is None:
        return None
    theme = element.get(_q("w:themeColor"))
    if theme:
        return ("auto" if theme in _BLACK_THEME else f"theme colour {theme}"), source
    return (element.get(VAL) or "auto"), source


def _bad_font(font: str) -> bool:
    return font.strip().lower() != layout.FONT.lower()


def _bad_color(color: str) -> bool:
    return color.lower() not in _BLACK


@dataclass(frozen=True)
class _ParaLook:
    style_id: str | None
    alignment: str
    left_pt: float
    right_pt: float
    first_line_pt: float  # negative: hanging
    before_pt: float
    after_pt: float
    line_rule: str
    line: float | None  # 240ths of a line (auto) or twips (exact, atLeast)
    contextual: bool
    numbered: bool
    bottom_border: bool
    boxed: bool


def _indent(layers, attrs: tuple[str, ...], size: float) -> float:
    element = _first_with(layers, _q("w:ind"), attrs)
    if element is None:
        return 0.0
    for attr in attrs:
        raw = element.get(_q(f"w:{attr}"))
        if raw is None:
            continue
        sign = -1 if attr.startswith("hanging") else 1
        if attr.endswith("Chars"):
            chars = _number(raw)
            if not chars:
                continue  # 0 chars leaves the twips value beside it in force
            return sign * chars / 100 * size
        return sign * (_twips(raw) or 0) / 20
    return 0.0


def _space(layers, side: str, size: float) -> float:
    element = _first_with(layers, _q("w:spacing"), (side, f"{side}Lines", f"{side}Autospacing"))
    if element is None:
        return 0.0
    if _on_attr(element.get(_q(f"w:{side}Autospacing"))):
        return 14.0  # Word's "auto" paragraph spacing
    lines = _number(element.get(_q(f"w:{side}Lines")))
    if lines:
        return lines / 100 * size * _TNR_LINE_EM
    return (_twips(element.get(_q(f"w:{side}"))) or 0) / 20


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _para_look(layers, style_id: str | None, numbered: bool, size: float) -> _ParaLook:
    jc, _ = _first(layers, _q("w:jc"))
    alignment = {"start": "left", "end": "right"}.get(jc.get(VAL), jc.get(VAL)) if jc is not None else "left"
    spacing = _first_with(layers, _q("w:spacing"), ("line",))
    borders, _ = _first(layers, _q("w:pBdr"))
    sides = {} if borders is None else {
        child.tag.split("}")[1]: (child.get(VAL) or "none") not in _NONE_BORDERS for child in borders}
    return _ParaLook(
        style_id=style_id,
        alignment=alignment,
        left_pt=_indent(layers, ("start", "left"), size),
        right_pt=_indent(layers, ("end", "right"), size),
        first_line_pt=_indent(layers, ("firstLineChars", "hangingChars", "firstLine", "hanging"), size),
        before_pt=_space(layers, "before", size),
        after_pt=_space(layers, "after", size),
        line_rule=(spacing.get(_q("w:lineRule")) or "auto") if spacing is not None else "auto",
        line=_twips(spacing.get(_q("w:line"))) if spacing is not None else None,
        contextual=_on(_first(layers, _q("w:contextualSpacing"))[0]),
        numbered=numbered,
        bottom_border=sides.get("bottom", False),
        boxed=any(sides.values()),
    )


# --------------------------------------------------------------------------- text model

@dataclass(frozen=True)
class _Piece:
    look: _RunLook
    text: str


@dataclass(eq=False)
class _Para:
    element: object
    where: str
    zone: str  # body, table, header, footer, textbox
    width_pt: float | None  # the text area (page text or cell) before indents
    look: _ParaLook = None
    lines: list["_Line"] = field(default_factory=list)
    index: int = 0
    table: object = None  # the outermost w:tbl holding the paragraph
    cell: object = None  # the innermost w:tc
    row: int = 0
    column: int = 0  # grid column where the cell starts
    in_bordered_cell: bool = False
    instructions: str = ""  # field codes in the paragraph

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def visible(self) -> bool:
        return bool(self.text.strip())

    def where_text(self) -> str:
        return f'{self.where} "{_snippet(self.text)}"'


@dataclass(frozen=True)
class _Line:
    """One line of a paragraph (paragraphs split at w:br), or a slice of one."""

    para: _Para
    number: int
    pieces: tuple[_Piece, ...]

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def shown(self) -> str:
        """The text as Word shows it: w:caps displays lower case as capitals."""
        return "".join(p.text.upper() if p.look.caps else p.text for p in self.pieces)

    @property
    def folded(self) -> str:
        return _fold(self.text.strip())

    def visible_pieces(self) -> list[_Piece]:
        return [p for p in self.pieces if p.text.strip()]

    def looks(self) -> list[_RunLook]:
        return [p.look for p in self.visible_pieces()]

    def where(self) -> str:
        number = f" line {self.number}" if len(self.para.lines) > 1 else ""
        return f'{self.para.where}{number} "{_snippet(self.text)}"'

    def slice(self, start: int, end: int) -> "_Line":
        pieces, pos = [], 0
        for piece in self.pieces:
            low, high = pos, pos + len(piece.text)
            pos = high
            a, b = max(low, start), min(high, end)
            if a < b:
                pieces.append(_Piece(piece.look, piece.text[a - low:b - low]))
        return _Line(self.para, self.number, tuple(pieces))

    def stripped(self) -> "_Line":
        text = self.text
        return self.slice(len(text) - len(text.lstrip()), len(text.rstrip()))

    def tab_cells(self) -> list["_Line"]:
        """Hand-typed headers put agency and national title on one line, split by tabs."""
        return [self.slice(m.start(), m.end()).stripped()
                for m in re.finditer(r"[^\t]+", self.text) if m.group().strip()]

    def width_pt(self) -> float:
        return sum(text_width_pt(p.text, p.look.size, p.look.bold) for p in self.stripped().pieces)


def _fold(text: str) -> str:
    """Lower case without marks, one character for one: 'Độc lập' -> 'doc lap'."""
    # Ð (U+00D0) stands in for Đ in text converted from legacy Vietnamese encodings.
    return "".join("d" if ch in "đĐÐ" else unicodedata.normalize("NFD", ch)[0].lower() for ch in text)


# --------------------------------------------------------------------------- reading the package

@dataclass(frozen=True)
class _Section:
    index: int
    element: object
    width: float | None  # twips
    height: float | None
    margins: dict[str, float | None]
    title_page: bool

    def text_width_pt(self) -> float:
        width = self.width or layout.twips(mm=layout.PAGE_WIDTH_MM)
        left = self.margins.get("left")
        right = self.margins.get("right")
        left = layout.twips(mm=layout.MARGINS_MM["left"]) if left is None else left
        right = layout.twips(mm=layout.MARGINS_MM["right"]) if right is None else right
        return (width - left - right) / 20


class _Reader:
    """The document's stories as paragraphs and lines, with Word's inheritance resolved."""

    def __init__(self, document) -> None:
        self.document = document
        self.styles = _Styles(self._part_element(document.part, RT.STYLES))
        self.numbering = self._part_element(document.part, RT.NUMBERING)
        body = document.element.body
        self.sections = [self._section(i, s) for i, s in enumerate(
            s for s in body.iter(SECTPR) if s.getparent().tag != _q("w:sectPrChange"))]
        self.used_styles: set[str] = set()
        self.tables: list[tuple[object, int]] = []  # top-level tables and their numbers
        self.paras: list[_Para] = self._read_body(body)
        self.stories: list[tuple[str, str, list[_Para]]] = self._read_headers_footers()
        for index, para in enumerate(self.paras):
            para.index = index

    # -- package parts

    @staticmethod
    def _part_element(part, reltype):
        for rel in part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                return getattr(rel.target_part, "element", None)
        return None

    def _section(self, index: int, sect) -> _Section:
        size = sect.find(_q("w:pgSz"))
        margins = sect.find(_q("w:pgMar"))
        get = (lambda el, a: None if el is None else _twips(el.get(_q(f"w:{a}"))))
        return _Section(
            index=index, element=sect,
            width=get(size, "w"), height=get(size, "h"),
            margins={side: get(margins, side) for side in ("top", "bottom", "left", "right")},
            title_page=_on(sect.find(_q("w:titlePg"))),
        )

    def section(self, index: int) -> _Section | None:
        return self.sections[min(index, len(self.sections) - 1)] if self.sections else None

    def _text_width(self, section: int) -> float:
        sect = self.section(section)
        return sect.text_width_pt() if sect else layout.twips(mm=layout.text_width_mm()) / 20

    # -- stories

    def _read_body(self, body) -> list[_Para]:
        paras: list[_Para] = []
        section = paragraph_count = table_count = 0
        for block in _blocks(body):
            if block.tag == P:
                paragraph_count += 1
                paras += self._para(block, f"paragraph {paragraph_count}", "body", self._text_width(section))
                if block.find(f"{PPR}/{SECTPR}") is not None:
                    section += 1
            else:
                table_count += 1
                self.tables.append((block, table_count))
                paras += self._table(block, f"table {table_count}", block)
        return paras

    def _read_headers_footers(self) -> list[tuple[str, str, list[_Para]]]:
        """(kind, where, paragraphs) of every header and footer part, each read once."""
        stories, seen = [], set()
        for sect in self.sections:
            for kind in ("header", "footer"):
                for ref in sect.element.findall(_q(f"w:{kind}Reference")):
                    rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                    part = self.document.part.related_parts.get(rid)
                    element = getattr(part, "element", None)
                    if element is None or id(part) in seen:
                        continue
                    seen.add(id(part))
                    where = f"section {sect.index + 1} {ref.get(_q('w:type')) or 'default'} {kind}"
                    paras = []
                    for n, block in enumerate((b for b in _blocks(element) if b.tag == P), 1):
                        paras += self._para(block, f"{where} paragraph {n}", kind, sect.text_width_pt())
                    stories.append((kind, where, paras))
        return stories

    def header_parts(self, sect: _Section, kind: str) -> dict[str, object]:
        parts = {}
        for ref in sect.element.findall(_q(f"w:{kind}Reference")):
            rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            part = self.document.part.related_parts.get(rid)
            if getattr(part, "element", None) is not None:
                parts[ref.get(_q("w:type")) or "default"] = part.element
        return parts

    def _table(self, tbl, where: str, top) -> list[_Para]:
        style_id = _val(tbl.find(_q("w:tblPr")), "w:tblStyle") or self.styles.defaults.get("table")
        self.used_styles.update(self.styles.chain(style_id))
        grid = [(_twips(col.get(_q("w:w"))) or 0) for col in tbl.findall(f"{_q('w:tblGrid')}/{_q('w:gridCol')}")]
        margins = self._cell_margins(tbl.find(_q("w:tblPr")), style_id)
        bordered = self._has_borders(tbl, style_id)
        paras: list[_Para] = []
        for row_number, tr in enumerate(tbl.findall(TR), 1):
            column = int(_number(_val(tr.find(_q("w:trPr")), "w:gridBefore")) or 0)
            for cell_number, tc in enumerate(tr.findall(TC), 1):
                tc_pr = tc.find(_q("w:tcPr"))
                span = max(1, int(_number(_val(tc_pr, "w:gridSpan")) or 1))
                width = self._cell_width(tc_pr, grid, column, span)
                left, right = self._cell_own_margins(tc_pr, margins)
                cell_where = f"{where} cell ({row_number},{cell_number})"
                count = nested = 0
                for block in _blocks(tc):
                    if block.tag == P:
                        count += 1
                        new = self._para(block, f"{cell_where} paragraph {count}", "table",
                                         None if width is None else (width - left - right) / 20, style_id)
                    else:
                        nested += 1
                        new = self._table(block, f"{cell_where} table {nested}", top)
                    for para in new:
                        if para.table is None:
                            para.table, para.cell = top, tc
                            para.row, para.column, para.in_bordered_cell = row_number, column, bordered
                    paras += new
                column += span
        return paras

    def _cell_margins(self, tbl_pr, style_id) -> dict[str, float]:
        margins: dict[str, float] = {}
        sources = [tbl_pr] + [self.styles.props(s, _q("w:tblPr")) for s in self.styles.chain(style_id)]
        for source in sources:
            cell_mar = None if source is None else source.find(_q("w:tblCellMar"))
            for side, names in (("left", ("left", "start")), ("right", ("right", "end"))):
                for name in names:
                    el = None if cell_mar is None else cell_mar.find(_q(f"w:{name}"))
                    if el is not None and side not in margins:
                        margins[side] = _twips(el.get(_q("w:w"))) or 0
        return margins

    @staticmethod
    def _cell_own_margins(tc_pr, table_margins) -> tuple[float, float]:
        own = {}
        cell_mar = None if tc_pr is None else tc_pr.find(_q("w:tcMar"))
        for side, names in (("left", ("left", "start")), ("right", ("right", "end"))):
            for name in names:
                el = None if cell_mar is None else cell_mar.find(_q(f"w:{name}"))
                if el is not None and side not in own:
                    own[side] = _twips(el.get(_q("w:w"))) or 0
        return own.get("left", table_margins.get("left", 0)), own.get("right", table_margins.get("right", 0))

    @staticmethod
    def _cell_width(tc_pr, grid, column, span) -> float | None:
        width = None if tc_pr is None else tc_pr.find(_q("w:tcW"))
        if width is not None and (width.get(_q("w:type")) or "dxa") == "dxa" and _twips(width.get(_q("w:w"))):
            return _twips(width.get(_q("w:w")))
        if grid and column + span <= len(grid):
            return sum(grid[column:column + span])
        return None

    def _has_borders(self, tbl, style_id) -> bool:
        sources = [tbl.find(_q("w:tblPr"))] + [self.styles.props(s, _q("w:tblPr")) for s in self.styles.chain(style_id)]
        for source in sources:
            borders = None if source is None else source.find(_q("w:tblBorders"))
            if borders is not None:
                return any((b.get(VAL) or "none") not in _NONE_BORDERS for b in borders)
        first_row = tbl.find(TR)
        cells = [] if first_row is None else first_row.iter(_q("w:tcBorders"))
        return any((b.get(VAL) or "none") not in _NONE_BORDERS for borders in cells for b in borders)

    # -- paragraphs

    def _para(self, p, where: str, zone: str, width: float | None,
              table_style: str | None = None) -> list[_Para]:
        """The paragraph, then the paragraphs of text boxes anchored in it."""
        ppr = p.find(PPR)
        style_id = _val(ppr, "w:pStyle") or self.styles.defaults.get("paragraph")
        self.used_styles.update(self.styles.chain(style_id))
        para = _Para(p, where, zone, width)
        runs = [r for r in p.iter(R) if _owner_paragraph(r) is p and not _in_fallback(r)]
        looks = [self._run_look(r, style_id, table_style) for r in runs]
        text_sizes = [look.size for look, r in zip(looks, runs) if _run_text(r).strip()]
        size = text_sizes[0] if text_sizes else self._run_look(None, style_id, table_style).size
        para.look = _para_look(self._para_layers(ppr, style_id, table_style), style_id, self._numbered(ppr, style_id), size)
        para.lines = self._lines(para, runs, looks)
        para.instructions = " ".join(t.text or "" for t in p.iter(_q("w:instrText"))) + " ".join(
            f.get(_q("w:instr")) or "" for f in p.iter(_q("w:fldSimple")))
        boxes = []
        for box in p.iter(_q("w:txbxContent")):
            if _owner_paragraph(box) is not p or _in_fallback(box):
                continue
            for n, inner in enumerate((b for b in _blocks(box) if b.tag == P), 1):
                boxes += self._para(inner, f"{where} text box paragraph {n}", "textbox", None)
        return [para] + boxes

    def _run_look(self, r, para_style, table_style) -> _RunLook:
        rpr = None if r is None else r.find(RPR)
        char_style = _val(rpr, "w:rStyle") or self.styles.defaults.get("character")
        self.used_styles.update(self.styles.chain(char_style))
        layers = [("direct", rpr)] if rpr is not None else []
        layers += self.styles.layers([char_style, para_style, table_style], RPR)
        if self.styles.default_rpr is not None:
            layers.append(("docDefaults", self.styles.default_rpr))
        return _run_look(layers)

    def _para_layers(self, ppr, style_id, table_style):
        layers = [("direct", ppr)] if ppr is not None else []
        level = self._numbering_level(ppr, style_id)
        if level is not None and level.find(PPR) is not None:
            layers.append(("numbering", level.find(PPR)))
        layers += self.styles.layers([style_id, table_style], PPR)
        if self.styles.default_ppr is not None:
            layers.append(("docDefaults", self.styles.default_ppr))
        return layers

    def _num_pr(self, ppr, style_id):
        layers = ([("direct", ppr)] if ppr is not None else []) + self.styles.layers([style_id], PPR)
        num_pr, _ = _first(layers, _q("w:numPr"))
        if num_pr is None or _val(num_pr, "w:numId") in (None, "0"):
            return None
        return _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl") or "0"

    def _numbered(self, ppr, style_id) -> bool:
        return self._num_pr(ppr, style_id) is not None

    def _numbering_level(self, ppr, style_id):
        num_pr = self._num_pr(ppr, style_id)
        if num_pr is None or self.numbering is None:
            return None
        num_id, ilvl = num_pr
        abstract_id = None
        for num in self.numbering.findall(_q("w:num")):
            if num.get(_q("w:numId")) == num_id:
                for override in num.findall(_q("w:lvlOverride")):
                    if override.get(_q("w:ilvl")) == ilvl and override.find(_q("w:lvl")) is not None:
                        return override.find(_q("w:lvl"))
                abstract_id = _val(num, "w:abstractNumId")
        for abstract in self.numbering.findall(_q("w:abstractNum")):
            if abstract.get(_q("w:abstractNumId")) == abstract_id:
                for level in abstract.findall(_q("w:lvl")):
                    if level.get(_q("w:ilvl")) == ilvl:
                        return level
        return None

    @staticmethod
    def _lines(para: _Para, runs, looks) -> list[_Line]:
        lines, pieces = [], []
        for r, look in zip(runs, looks):
            if look.hidden:
                continue
            for chunk in _run_chunks(r):
                if chunk is None:
                    lines.append(_Line(para, len(lines) + 1, tuple(pieces)))
                    pieces = []
                elif chunk:
                    pieces.append(_Piece(look, chunk))
        lines.append(_Line(para, len(lines) + 1, tuple(pieces)))
        return lines


def _run_chunks(r) -> Iterator[str | None]:
    """The text of a run; None where it breaks the line (w:br, w:cr)."""
    for child in r:
        tag = child.tag
        if tag == T:
            yield unicodedata.normalize("NFC", child.text or "")
        elif tag in (_q("w:tab"), _q("w:ptab")):
            yield "\t"
        elif tag in (_q("w:br"), _q("w:cr")):
            yield None
        elif tag == _q("w:noBreakHyphen"):
            yield "-"


def _run_text(r) -> str:
    return "".join(chunk or "" for chunk in _run_chunks(r))


# --------------------------------------------------------------------------- page

def _check_pages(reader: _Reader, report: _Report) -> None:
    for sect in reader.sections:
        where = f"section {sect.index + 1}"
        if sect.width is not None and sect.height is not None:
            _check_page_size(sect, where, report)
        _check_margins(sect, where, report)


def _check_page_size(sect: _Section, where: str, report: _Report) -> None:
    width_mm, height_mm = sect.width * 25.4 / 1440, sect.height * 25.4 / 1440
    short, long_ = sorted((width_mm, height_mm))
    if abs(short - layout.PAGE_WIDTH_MM) > 0.5 or abs(long_ - layout.PAGE_HEIGHT_MM) > 0.5:
        report.add("page.size", where, f"{width_mm:.1f} × {height_mm:.1f} mm",
                   f"A4, {layout.PAGE_WIDTH_MM} × {layout.PAGE_HEIGHT_MM} mm")
    if sect.index == 0 and width_mm > height_mm:
        report.add("page.orientation", where, "landscape",
                   "portrait (only a later section holding a wide table may be landscape)")


def _check_margins(sect: _Section, where: str, report: _Report) -> None:
    margins = {side: None if v is None else abs(v) * 25.4 / 1440 for side, v in sect.margins.items()}
    if any(v is None for v in margins.values()):
        return
    if sect.width and sect.height and sect.width > sect.height and _margins_fit_rotated(margins):
        return  # Word turns the margins with the page
    for side, (low, high) in layout.MARGIN_RANGES_MM.items():
        value = round(margins[side], 1)
        if not low <= value <= high:
            report.add("page.margin", where, f"{side} margin {value:g} mm", _range(low, high, "mm"))


def _margins_fit_rotated(margins: dict[str, float]) -> bool:
    ranges = layout.MARGIN_RANGES_MM
    turns = ({"top": "left", "bottom": "right", "left": "bottom", "right": "top"},
             {"top": "right", "bottom": "left", "left": "top", "right": "bottom"})
    return any(all(ranges[side][0] <= round(margins[turn[side]], 1) <= ranges[side][1] for side in ranges)
               for turn in turns)


# --------------------------------------------------------------------------- fonts

def _check_fonts(reader: _Reader, report: _Report) -> None:
    styles = reader.styles
    if styles.present:
        _check_default_fonts(styles, report)
        for style_id in sorted(reader.used_styles):
            _check_style_fonts(styles, style_id, report)
    for para in reader.paras + [p for _k, _w, paras in reader.stories for p in paras]:
        _check_run_fonts(para, report)


def _check_default_fonts(styles: _Styles, report: _Report) -> None:
    fonts = None if styles.default_rpr is None else styles.default_rpr.find(_q("w:rFonts"))
    problems = []
    for slot in SLOTS:
        theme = None if fonts is None else fonts.get(_q(f"w:{_THEME_ATTR[slot]}"))
        name = None if fonts is None else fonts.get(_q(f"w:{slot}"))
        if theme:
            problems.append(f"{slot}: theme font {theme}")
        elif not name:
            problems.append(f"{slot}: not set")
        elif _bad_font(name):
            problems.append(f"{slot}: {name}")
    if problems:
        report.add("font.defaults", "styles.xml docDefaults", "; ".join(problems),
                   f"{layout.FONT} in the ascii, hAnsi, eastAsia and cs slots, no theme fonts")
    color = _color([("docDefaults", styles.default_rpr)]) if styles.default_rpr is not None else None
    if color and _bad_color(color[0]):
        report.add("font.color", "styles.xml docDefaults", f"colour {color[0]}", "black (auto or 000000)")


def _check_style_fonts(styles: _Styles, style_id: str, report: _Report) -> None:
    rpr = styles.props(style_id, RPR)
    if rpr is None:
        return
    where = f'styles.xml style "{styles.name(style_id)}"'
    bad = [f"{slot}: {font}" for slot, font, _ in _fonts([(style_id, rpr)]) if _bad_font(font)]
    if bad:
        report.add("font.style", where, "; ".join(bad), f"{layout.FONT} in every slot it sets")
    color = _color([(style_id, rpr)])
    if color and _bad_color(color[0]):
        report.add("font.color", where, f"colour {color[0]}", "black (auto or 000000)")


def _check_run_fonts(para: _Para, report: _Report) -> None:
    """Fonts and colours set on the runs themselves; styles and defaults are reported once."""
    bad_fonts: dict[str, str] = {}
    bad_colors: dict[str, str] = {}
    for line in para.lines:
        for piece in line.visible_pieces():
            for slot, font, source in piece.look.fonts:
                if source == "direct" and _bad_font(font):
                    bad_fonts.setdefault(f"{slot}: {font}", piece.text)
            color = piece.look.color
            if color and color[1] == "direct" and _bad_color(color[0]):
                bad_colors.setdefault(f"colour {color[0]}", piece.text)
    if bad_fonts:
        found = "; ".join(f'{font} on "{_snippet(text, 20)}"' for font, text in bad_fonts.items())
        report.add("font.run", para.where_text(), found, f"{layout.FONT} in every slot")
    if bad_colors:
        found = "; ".join(f'{color} on "{_snippet(text, 20)}"' for color, text in bad_colors.items())
        report.add("font.color", para.where_text(), found, "black (auto or 000000)")


# --------------------------------------------------------------------------- page numbers

_PAGE_FIELD = re.compile(r"(?<![\w])PAGE(?![\w])")
_CONDITIONAL_FIELD = re.compile(r"(?<![\w])IF(?![\w])")


def _has_page_number(story) -> bool:
    """An unconditional PAGE field ({ IF { PAGE } > 1 ... } hides it on page 1)."""
    for p in story.iter(P):
        instructions = " ".join(t.text or "" for t in p.iter(_q("w:instrText")))
        instructions += " " + " ".join(f.get(_q("w:instr")) or "" for f in p.iter(_q("w:fldSimple")))
        if _PAGE_FIELD.search(instructions) and not _CONDITIONAL_FIELD.search(instructions):
            return True
    return False


def _check_page_numbers(reader: _Reader, report: _Report) -> None:
    for kind, _where, paras in reader.stories:
        for para in paras:
            if _PAGE_FIELD.search(para.instructions):
                _check_page_number_para(para, kind, report)
    if reader.sections:
        _check_first_page(reader, reader.sections[0], report)


def _check_page_number_para(para: _Para, kind: str, report: _Report) -> None:
    style = layout.PARTS["page_number"]
    where = f"{para.where} (page number)"
    if kind == "footer":
        report.add("page_number.position", where, "in the footer", "centred in the top margin (header)")
    if para.look.alignment != "center":
        report.add("page_number.alignment", where, f"aligned {para.look.alignment}", "centred")
    looks = [look for line in para.lines for look in line.looks()] or _field_looks(para)
    sizes = sorted({look.size for look in looks if not style.sizes[0] <= look.size <= style.sizes[1]})
    if sizes:
        report.add("page_number.size", where, ", ".join(_pt(s) for s in sizes), _range(*style.sizes))
    if any(look.italic for look in looks):
        report.add("page_number.italic", where, "italic", "upright")


def _field_looks(para: _Para) -> list[_RunLook]:
    """A page field not yet updated has no result text: use its instruction run."""
    return [piece.look for line in para.lines for piece in line.pieces]


def _check_first_page(reader: _Reader, sect: _Section, report: _Report) -> None:
    kind = "first" if sect.title_page else "default"
    for story_kind in ("header", "footer"):
        story = reader.header_parts(sect, story_kind).get(kind)
        if story is not None and _has_page_number(story):
            how = "first-page" if sect.title_page else "same header on every page, no titlePg"
            report.add("page_number.first_page", f"section 1 {story_kind} ({how})",
                       "a page number on the first page",
                       "no page number on page 1 (different first page with an empty header)")


# --------------------------------------------------------------------------- finding the parts

_NATIONAL_TITLE_RE = re.compile(r"\s+".join(map(re.escape, _fold(layout.NATIONAL_TITLE).split())))
_MOTTO_RE = re.compile(r"\s*[-–—]?\s*".join(
    r"\s+".join(map(re.escape, phrase.split())) for phrase in _fold(layout.MOTTO).split(" - ")))
_NUMBER_START = re.compile(r"^so\s*(:|[\s\d]*/)")
_DATE_RE = re.compile(r"(?P<ngay>ngày)\s*(?P<day>\d*)\s*(?P<thang>tháng)\s*(?P<month>\d*)\s*"
                      r"(?P<nam>năm)\s*(?P<year>\d*)", re.IGNORECASE)
_SIGNING_RE = re.compile(r"^(T\.?M|K\.?T|Q|T\.?L|T\.?U\.?Q)(?![\w])\.?", re.IGNORECASE)
_RULE_TEXT = re.compile(r"^[\s_\-–—=.·]+$")
_LIST_ITEM = re.compile(r"^[-–—+•]")
_TYPE_NAMES = {_fold(name) for name in layout.TYPE_CODES}
_HEADER_WINDOW = 30  # lines of the flow searched for the header block


def _is_rule_text(text: str) -> bool:
    return bool(text.strip()) and bool(_RULE_TEXT.match(text)) and text.count("_") + text.count("-") >= 5


def _is_number_line(line: _Line) -> bool:
    return bool(_NUMBER_START.match(line.folded))


def _is_date_line(line: _Line) -> bool:
    return bool(_DATE_RE.search(line.text))


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
    if folded in _TYPE_NAMES:
        return True
    return _is_upper(line) and any(folded.startswith(name + " ") for name in _TYPE_NAMES)


def _is_upper(line: _Line) -> bool:
    shown = line.shown
    return any(ch.isalpha() for ch in shown) and shown == shown.upper()


@dataclass
class _Anatomy:
    """The parts of one document, found by their text and position."""

    reader: _Reader
    flow: list[_Line]
    national_title: _Line | None = None
    motto: _Line | None = None
    parent_agency: list[_Line] = field(default_factory=list)
    agency: list[_Line] = field(default_factory=list)
    number: _Line | None = None
    date: _Line | None = None
    letter_subject: list[_Line] = field(default_factory=list)
    marks: list[_Line] = field(default_factory=list)
    circulation: list[_Line] = field(default_factory=list)
    type_name: _Line | None = None
    subject: list[_Line] = field(default_factory=list)
    addressees: list[_Line] = field(default_factory=list)  # the "Kính gửi:" line first
    recipients_label: _Line | None = None
    recipients: list[_Line] = field(default_factory=list)
    signatures: list[tuple[list[_Line], _Line | None]] = field(default_factory=list)
    content: list[_Para] = field(default_factory=list)
    appendix: list[_Para] = field(default_factory=list)
    header_table: object = None
    signature_tables: set = field(default_factory=set)
    by_table: dict[int, list[int]] = field(default_factory=dict)  # id(w:tbl) -> flow indexes
    by_cell: dict[int, list[int]] = field(default_factory=dict)  # id(w:tc) -> flow indexes

    @classmethod
    def of(cls, reader: _Reader) -> "_Anatomy":
        flow = [line for para in reader.paras if para.zone in ("body", "table") for line in para.lines]
        anatomy = cls(reader, flow)
        for i, line in enumerate(flow):
            if line.para.cell is not None:
                anatomy.by_table.setdefault(id(line.para.table), []).append(i)
                anatomy.by_cell.setdefault(id(line.para.cell), []).append(i)
        anatomy.marks = [l for l in flow if _is_mark(l)] + [
            l for p in reader.paras if p.zone == "textbox" for l in p.lines if _is_mark(l)]
        anatomy.circulation = [l for l in flow if _is_circulation(l)]
        after_header = anatomy._find_header()
        content_start = anatomy._find_title_block(after_header)
        content_end, appendix_start = anatomy._find_signature(content_start)
        anatomy._split_content(content_start, content_end, appendix_start)
        return anatomy

    # -- header block: agency | national title, number | date

    def _find_header(self) -> int:
        """Identify the header parts; return the flow index where the rest begins."""
        window = self.flow[:_HEADER_WINDOW]
        cells = [(i, cell) for i, line in enumerate(window) for cell in line.tab_cells()]
        self.national_title = next((c for _, c in cells if _NATIONAL_TITLE_RE.fullmatch(c.folded)), None)
        self.motto = next((c for _, c in cells if _MOTTO_RE.fullmatch(c.folded)), None)
        if self.national_title is not None and self.national_title.para.table is not None:
            table = self.national_title.para.table
            self.header_table = table
            last = self.by_table[id(table)][-1]
            end = self._extend_header(last + 1)
            cells = [(i, c) for i, line in enumerate(self.flow[:end]) for c in line.tab_cells()
                     if line.para.table is table or i > last]
        else:
            known = [i for i, c in cells if c in (self.national_title, self.motto)
                     or _is_number_line(c) or _is_date_line(c) or c.folded.startswith("v/v")]
            if not known:
                return 0
            end = self._extend_header(max(known) + 1)
            cells = [(i, c) for i, c in cells if i < end]
        header = [c for _, c in cells]
        self.number = next((c for c in header if _is_number_line(c)), None)
        self.date = next((c for c in header if _is_date_line(c)), None)
        self.letter_subject = self._letter_subject(header)
        self._find_agency(header)
        return end

    def _extend_header(self, start: int) -> int:
        """Number, date or V/v lines typed as plain paragraphs right under the header."""
        end, in_subject = start, False
        for i in range(start, min(len(self.flow), start + 12)):
            line = self.flow[i]
            text = line.text.strip()
            if line.folded.startswith("v/v"):
                in_subject = True
            elif not text:
                in_subject = False
            elif not (in_subject or _is_number_line(line) or _is_date_line(line) or _is_mark(line)
                      or _is_circulation(line) or _is_rule_text(text)):
                break
            end = i + 1
        return end

    @staticmethod
    def _letter_subject(header: list[_Line]) -> list[_Line]:
        for i, line in enumerate(header):
            if line.folded.startswith("v/v"):
                subject = [line]
                for following in header[i + 1:]:
                    if (not following.text.strip() or following.para.cell is not line.para.cell
                            or _is_date_line(following) or _is_rule_text(following.text)
                            or following.folded.startswith("kinh gui")):
                        break
                    subject.append(following)
                return subject
        return []

    def _find_agency(self, header: list[_Line]) -> None:
        known = {self.national_title, self.motto, self.date, *self.letter_subject, *self.marks, *self.circulation}
        title_column = self.national_title.para.column if self.national_title is not None else None
        stop = header.index(self.number) if self.number in header else len(header)
        lines = []
        for line in header[:stop]:
            if line in known or _is_rule_text(line.text) or not line.text.strip():
                continue
            if self.header_table is not None and line.para.table is self.header_table:
                if title_column is not None and line.para.column >= title_column:
                    continue
            elif _MOTTO_RE.fullmatch(line.folded) or _NATIONAL_TITLE_RE.fullmatch(line.folded):
                continue
            lines.append(line)
        if len(lines) == 1:
            self.agency = lines
        elif len(lines) > 1:
            # The parent agency takes the first line; a long agency name may wrap to several.
            self.parent_agency, self.agency = lines[:1], lines[1:]

    # -- type name, subject, Kính gửi

    def _find_title_block(self, start: int) -> int:
        index = self._skip(start)
        for i in range(index, min(len(self.flow), index + 8)):
            line = self.flow[i]
            if _is_type_name(line):
                self.type_name = line
                index = self._skip_notes(self._find_subject(i + 1))
                break
            if line.text.strip() and not (_is_mark(line) or _is_circulation(line) or _is_rule_text(line.text)):
                break
        return self._find_addressees(index)

    def _find_subject(self, start: int) -> int:
        index = start
        for i in range(start, min(len(self.flow), start + 4)):
            line = self.flow[i]
            text = line.text.strip()
            if (not text or _is_rule_text(text) or _is_upper(line) or _is_note(text)
                    or line.folded.startswith(("can cu", "kinh gui", "theo de nghi"))):
                break
            if self.subject and line.para.look.alignment != self.subject[0].para.look.alignment:
                break
            self.subject.append(line)
            index = i + 1
        return index

    def _find_addressees(self, start: int) -> int:
        index = self._skip(start)
        for i in range(index, min(len(self.flow), index + 6)):
            line = self.flow[i]
            if line.folded.startswith("kinh gui"):
                self.addressees = [line]
                for following in self.flow[i + 1:]:
                    if not _LIST_ITEM.match(following.text.strip()):
                        break
                    self.addressees.append(following)
                return self._skip_notes(i + len(self.addressees))
            if line.text.strip() and not _is_rule_text(line.text):
                break
        return start

    def _skip_notes(self, start: int) -> int:
        """Past the parenthesised notes under a subject or an addressee list."""
        index = self._skip(start)
        while index < len(self.flow) and _is_note(self.flow[index].text):
            start = index = self._skip(index + 1)
        return start

    def _skip(self, start: int) -> int:
        """Past empty lines, drawn rules, marks and circulation notes."""
        while start < len(self.flow):
            line = self.flow[start]
            text = line.text.strip()
            if text and not (_is_rule_text(text) or _is_mark(line) or _is_circulation(line)):
                break
            start += 1
        return start

    # -- Nơi nhận and signatures

    def _find_signature(self, start: int) -> tuple[int, int]:
        """(end of the content, start of the appendix) as flow indexes."""
        flow = self.flow
        label_index = next((i for i in range(start, len(flow)) if flow[i].folded.startswith("noi nhan")), None)
        blocks: list[list[int]] = []
        if label_index is not None:
            self.recipients_label = flow[label_index]
            blocks += self._recipients_and_table(label_index)
        taken = {i for block in blocks for i in block}
        for i in range(start, len(flow)):
            if i not in taken and _SIGNING_RE.match(flow[i].text.strip()) and _is_upper(flow[i]):
                block = self._block_at(i)
                taken.update(block)
                blocks.append(block)
        blocks += self._unprefixed_blocks(start, taken)
        for block in blocks:
            self.signatures.append(_split_signature([flow[i] for i in block]))
        used = [i for block in blocks for i in block] + ([label_index] if label_index is not None else [])
        recipients = {id(line) for line in self.recipients}
        used += [i for i, line in enumerate(flow) if id(line) in recipients]
        if not used:
            return len(flow), len(flow)
        table_lines = [i for table in self.signature_tables for i in self.by_table[id(table)]]
        return min(used + table_lines), max(used + table_lines) + 1

    def _unprefixed_blocks(self, start: int, taken: set[int]) -> list[list[int]]:
        """Cells of a borderless table after the content holding capitals, then a name last
        (`NGƯỜI BÁO CÁO` / `(Ký, ghi rõ họ tên)` / `Nông Thị Thu Hằng`)."""
        blocks = []
        for table, _number in self.reader.tables:
            if table is self.header_table or table in self.signature_tables:
                continue
            cells: dict[int, list[int]] = {}
            for i in self.by_table.get(id(table), []):
                line = self.flow[i]
                if i >= start and i not in taken and not line.para.in_bordered_cell:
                    cells.setdefault(id(line.para.cell), []).append(i)
            found = [b for b in cells.values() if _is_signature_cell([self.flow[i] for i in b])]
            if found:
                self.signature_tables.add(table)
                blocks += found
        return blocks

    def _recipients_and_table(self, label_index: int) -> list[list[int]]:
        flow, label = self.flow, self.flow[label_index]
        if label.para.cell is None:
            self.recipients = self._plain_recipients(label_index)
            return []
        self.recipients = [flow[i] for i in self.by_cell[id(label.para.cell)]
                           if i > label_index and flow[i].text.strip()]
        table = label.para.table
        self.signature_tables.add(table)
        cells: dict[int, list[int]] = {}
        for i in self.by_table[id(table)]:
            para = flow[i].para
            if para.cell is not label.para.cell and para.column > label.para.column:
                cells.setdefault(id(para.cell), []).append(i)
        return list(cells.values())

    def _plain_recipients(self, label_index: int) -> list[_Line]:
        recipients = []
        for line in self.flow[label_index + 1:label_index + 30]:
            text = line.text.strip()
            if not text or line.para.cell is not None or _SIGNING_RE.match(text):
                break
            recipients.append(line)
        return recipients

    def _block_at(self, index: int) -> list[int]:
        line = self.flow[index]
        if line.para.cell is not None:
            self.signature_tables.add(line.para.table)
            return list(self.by_cell[id(line.para.cell)])
        block = []
        for i in range(index, min(len(self.flow), index + 10)):
            other = self.flow[i]
            if other.para.cell is not None:
                break
            block.append(i)
            text = other.text.strip()
            if i > index and text and not _is_upper(other) and not text.startswith("("):
                break  # the signer's name closes the block
        return block

    # -- content and appendix

    def _split_content(self, start: int, end: int, appendix_start: int) -> None:
        def body_paras(lines: list[_Line]) -> list[_Para]:
            paras: list[_Para] = []
            for line in lines:
                if line.para.zone == "body" and (not paras or paras[-1] is not line.para):
                    paras.append(line.para)
            return paras

        self.content = body_paras(self.flow[start:end])
        self.appendix = body_paras(self.flow[appendix_start:])

    @property
    def is_decision(self) -> bool:
        return self.type_name is not None and self.type_name.folded == _fold("Quyết định")


def _is_signature_cell(lines: list[_Line]) -> bool:
    lines = [line for line in lines if line.text.strip()]
    authority, signer = _split_signature(lines)
    return bool(authority) and signer is not None and signer is lines[-1] and len(signer.text.split()) <= 6


def _split_signature(block: list[_Line]) -> tuple[list[_Line], _Line | None]:
    """Authority lines (TM./KT. ..., then the title) and the signer's name."""
    lines = [line for line in block if line.text.strip()]
    authority = []
    for line in lines:
        if not _is_upper(line):
            break
        authority.append(line)
    names = [line for line in lines[len(authority):] if not _is_note(line.text) and not _is_upper(line)]
    return authority, (names[-1] if names and authority else None)


# --------------------------------------------------------------------------- checking the parts

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


def _check_alignment(report: _Report, rule: str, line: _Line | None) -> None:
    if line is not None and line.para.look.alignment != "center":
        report.add(rule, line.where(), f"aligned {line.para.look.alignment}", "centred")


def _check_parts(a: _Anatomy, report: _Report) -> None:
    _check_national_title(a, report)
    _check_motto(a, report)
    _check_look(report, "parent_agency", a.parent_agency)
    _check_look(report, "agency", a.agency)
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


# -- rules under the motto, the agency and the subject

# The rule under the motto must be "as long as the line of text"; a hand-drawn line is
# accepted within 20 %. The 1/3–1/2 rules get 5 % for the estimate of the text width.
_RULE_TOLERANCE = {"motto": 0.20, "agency": 0.05, "subject": 0.05}


def _check_rule(a: _Anatomy, report: _Report, key: str, text_lines: list[_Line]) -> None:
    anchor = text_lines[-1]
    found, length = _find_rule(a, anchor)
    label = "as long as the text" if key == "motto" else "1/3 to 1/2 of the text's length"
    if not found:
        report.add(f"{key}.rule", anchor.where(), "no rule under the text", f"a solid rule {label}")
        return
    if length is None:
        return  # drawn, but not in a form whose length can be read
    text_pt = max(_displayed_width(line) for line in text_lines)
    if text_pt <= 0:
        return
    low, high = layout.RULE_SHARE[key]
    tolerance = _RULE_TOLERANCE[key]
    if not low * (1 - tolerance) <= length / text_pt <= high * (1 + tolerance):
        expected = (f"{_pt(text_pt)} (the text's length, ±{tolerance:.0%})" if key == "motto"
                    else f"1/3–1/2 of the text ({_pt(text_pt)}): {_pt(low * text_pt)}–{_pt(high * text_pt)}")
        report.add(f"{key}.rule_length", anchor.where(),
                   f"rule {_pt(length)} = {length / text_pt:.2f} of the text", expected)


def _displayed_width(line: _Line) -> float:
    """A line longer than its paragraph wraps: its longest displayed line is the paragraph."""
    width = line.width_pt()
    para = line.para
    if para.width_pt is not None and len(para.lines) == 1:
        width = min(width, para.width_pt - para.look.left_pt - para.look.right_pt)
    return width


def _find_rule(a: _Anatomy, line: _Line) -> tuple[bool, float | None]:
    """Is a rule drawn under the line, and how long (pt, None when it cannot be measured)?

    Accepted forms: a bottom border on the paragraph or on an empty paragraph right under
    it, a line shape (DrawingML or VML), an underline of the text, a line of underscores.
    """
    para = line.para
    if para.look.bottom_border:
        return True, _border_length(para)
    shapes = _line_shapes(para.element)
    if shapes:
        return True, shapes[0]
    looks = line.looks()
    if looks and all(look.underline for look in looks):
        return True, line.width_pt()
    for following in _following(a.reader.paras, para, 3):
        text = following.text.strip()
        if _is_note(text):
            continue
        if text and not _is_rule_text(text):
            break
        if following.look.bottom_border:
            return True, _border_length(following)
        shapes = _line_shapes(following.element)
        if shapes:
            return True, shapes[0]
        if text:
            return True, following.lines[0].width_pt()
    if para.cell is not None:
        shapes = [s for p in a.reader.paras if p.cell is para.cell for s in _line_shapes(p.element)]
        if len(shapes) == 1:
            return True, shapes[0]
        if shapes or any(_drawings(p.element) for p in a.reader.paras if p.cell is para.cell):
            return True, None
    # Word anchors a floating line to whichever paragraph was nearest when it was drawn.
    nearby = a.reader.paras[para.index + 1:para.index + 13]
    if any(_floating_lines(p.element) for p in nearby):
        return True, None
    return False, None


def _following(paras: list[_Para], para: _Para, count: int) -> list[_Para]:
    same = [p for p in paras[para.index + 1:para.index + 1 + count * 4]
            if p.cell is para.cell and p.zone == para.zone]
    return same[:count]


def _border_length(para: _Para) -> float | None:
    if para.width_pt is None:
        return None
    return para.width_pt - para.look.left_pt - para.look.right_pt


def _drawings(element) -> list:
    names = (_q("wp:inline"), _q("wp:anchor"), _q("v:line"), _q("v:shape"), _q("v:rect"))
    return [node for node in element.iter(*names) if not _in_fallback(node)]


def _floating_lines(element) -> list:
    floating = (_q("wp:anchor"), _q("v:line"), _q("v:shape"), _q("v:rect"))
    return [node for node in _drawings(element) if node.tag in floating]


def _line_shapes(element) -> list[float | None]:
    """Lengths in pt of the horizontal lines drawn in a paragraph (None: not measurable)."""
    lengths: list[float | None] = []
    for node in _drawings(element):
        tag = node.tag
        if tag in (_q("wp:inline"), _q("wp:anchor")):
            extent = node.find(_q("wp:extent"))
            if extent is None:
                continue
            cx, cy = float(extent.get("cx") or 0), float(extent.get("cy") or 0)
            if cx > 0 and cy <= cx / 10:
                lengths.append(cx / EMU_PER_PT)
        elif tag == _q("v:line"):
            lengths.append(_vml_line_length(node))
        else:
            size = dict(re.findall(r"(width|height)\s*:\s*([^;]+)", node.get("style") or ""))
            width, height = _vml_pt(size.get("width", "")), _vml_pt(size.get("height", "0"))
            if width and height is not None and height <= width / 10:
                lengths.append(width)
    return lengths


def _vml_line_length(node) -> float | None:
    try:
        start = [_vml_pt(v) for v in (node.get("from") or "0,0").split(",")]
        end = [_vml_pt(v) for v in (node.get("to") or "0,0").split(",")]
    except ValueError:
        return None
    if None in start or None in end:
        return None
    return abs(end[0] - start[0]) or None


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
    match = _DATE_RE.search(text)
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


def _check_recipients(a: _Anatomy, report: _Report) -> None:
    label = a.recipients_label
    if label is None:
        return
    _check_look(report, "recipients_label", [label])
    if not label.text.strip().startswith("Nơi nhận:"):
        report.add("recipients_label.text", label.where(), f'"{_snippet(label.text)}"', '"Nơi nhận:"')
    if not a.recipients:
        return
    _check_look(report, "recipients", a.recipients)
    _check_list_punctuation(report, "recipients", a.recipients)
    last = a.recipients[-1]
    if not _ARCHIVE_LINE.match(" ".join(last.text.split())):
        report.add("recipients.archive_line", last.where(), f'last line "{_snippet(last.text)}"',
                   '"- Lưu: VT, <drafting unit>."')


_ACADEMIC_TITLE = re.compile(r"^((GS|PGS|TSKH|TS|ThS|Th\.S|KS|CN|BS|DS|BSCKI{1,2})\s*\.\s*)+")


def _check_signatures(a: _Anatomy, report: _Report) -> None:
    for authority, signer in a.signatures:
        _check_look(report, "authority", authority)
        for line in authority[:1]:
            text = line.shown.strip()
            if _SIGNING_RE.match(text) and not any(text.startswith(p + " ") for p in layout.SIGNING_PREFIXES):
                report.add("authority.prefix", line.where(), f'"{_snippet(text, 20)}"',
                           " / ".join(layout.SIGNING_PREFIXES) + " then a space and the title")
        if signer is not None:
            _check_look(report, "signer", [signer])
            title = _ACADEMIC_TITLE.match(signer.text.strip())
            if title:
                report.add("signer.academic_title", signer.where(), f'"{title.group().strip()}" before the name',
                           "the name alone, no academic title")


# --------------------------------------------------------------------------- content

_HEADING_RE = re.compile(r"^([IVXLC]+\.|\d+\.(\d+\.?)*|[a-zđ]\))\s")
_ARTICLE_RE = re.compile(r"^Điều\s+(\d+)\s*\.")


def _check_content(a: _Anatomy, report: _Report) -> None:
    skip = {id(line.para) for line in [a.type_name, *a.subject, *a.addressees, *a.marks, *a.circulation] if line}
    paras = [p for p in a.content if p.visible() and id(p) not in skip and not _is_rule_text(p.text)]
    for i, para in enumerate(paras):
        previous = paras[i - 1] if i else None
        following = paras[i + 1] if i + 1 < len(paras) else None
        _check_body_para(para, previous, following, report)
    if a.is_decision:
        _check_decision(a, paras, report)


def _check_body_para(para: _Para, previous: _Para | None, following: _Para | None, report: _Report) -> None:
    line = para.lines[0]
    where = para.where_text()
    _check_body_sizes(para, report)
    first = line.text.strip()
    text_lines = [l for l in para.lines if l.text.strip()]
    centred_title = para.look.alignment == "center" and (
        all(_is_upper(l) for l in text_lines) or all(look.bold for l in text_lines for look in l.looks()))
    heading = bool(_HEADING_RE.match(first)) and all(look.bold for l in para.lines for look in l.looks())
    if first.startswith("(Kèm theo") or centred_title:
        return
    if not heading:
        if para.look.alignment not in ("both", "distribute"):
            report.add("body.alignment", where, f"aligned {para.look.alignment}", "justified")
        _check_indent(para, where, report)
    _check_spacing(para, previous, following, where, report)


def _check_body_sizes(para: _Para, report: _Report) -> None:
    low, high = layout.BODY_SIZES
    sizes = sorted({look.size for line in para.lines for look in line.looks() if not low <= look.size <= high})
    if sizes:
        report.add("body.size", para.where_text(), ", ".join(_pt(s) for s in sizes), _range(low, high))


def _check_indent(para: _Para, where: str, report: _Report) -> None:
    low, high = layout.BODY_INDENT_CM_RANGE
    indent_cm = para.look.first_line_pt * 2.54 / 72
    if not low - 0.005 <= indent_cm <= high + 0.005:
        report.add("body.indent", where, f"first-line indent {indent_cm:.2f} cm", _range(low, high, "cm"))


def _check_spacing(para: _Para, previous: _Para | None, following: _Para | None, where: str,
                   report: _Report) -> None:
    look = para.look
    # contextualSpacing drops the space next to a paragraph of the same style.
    same = (lambda other: other is not None and look.contextual and other.look.style_id == look.style_id)
    before = 0 if same(previous) else look.before_pt
    after = 0 if same(following) else look.after_pt
    if before + after < layout.BODY_SPACE_AFTER_PT_MIN:
        report.add("body.spacing", where, f"{_pt(before)} before + {_pt(after)} after",
                   f"at least {layout.BODY_SPACE_AFTER_PT_MIN} pt between paragraphs")
    _check_line_spacing(para, where, report)


def _check_line_spacing(para: _Para, where: str, report: _Report) -> None:
    look = para.look
    if look.line is None:
        return
    low, high = layout.LINE_SPACING_RANGE
    if look.line_rule == "auto":
        if not low <= look.line <= high:
            report.add("body.line_spacing", where, f"{look.line / 240:.2f} lines", "single to 1.5 lines")
        return
    size = max((l.size for line in para.lines for l in line.looks()), default=layout.BODY_SIZE)
    single = size * _TNR_LINE_EM
    line_pt = look.line / 20
    too_tight = look.line_rule == "exact" and line_pt < single * low / 240 - 0.5
    if too_tight or line_pt > single * high / 240 + 0.5:
        report.add("body.line_spacing", where, f"{look.line_rule} {_pt(line_pt)} at {_pt(size)}",
                   f"single to 1.5 lines: {_pt(single)}–{_pt(single * high / 240)}")


# -- decisions

def _check_decision(a: _Anatomy, paras: list[_Para], report: _Report) -> None:
    lines = [para.lines[0] for para in paras]
    heading = next((l for l in lines if l.folded.rstrip() in ("quyet dinh:", "quyet dinh :")), None)
    if heading is not None:
        if not all(look.bold for look in heading.looks()):
            report.add("decision_heading.bold", heading.where(), "not bold", "bold")
        _check_alignment(report, "decision_heading.alignment", heading)
    stop = lines.index(heading) if heading is not None else len(lines)
    _check_bases([l for l in lines[:stop] if l.folded.startswith(("can cu", "theo de nghi", "xet de nghi"))], report)
    for line in lines:
        match = _ARTICLE_RE.match(line.text.strip())
        if match and not _span_bold(line.stripped(), match.end()):
            report.add("article.bold", line.where(), f'"{match.group()}" not bold', "the article label in bold")
    body_lines = [l for para in paras for l in para.lines if l.text.strip()]
    if body_lines and not body_lines[-1].text.rstrip().endswith("./."):
        report.add("content.end_mark", body_lines[-1].where(), f'ends "{body_lines[-1].text.rstrip()[-5:]}"',
                   'the content ends with "./."')


def _check_bases(lines: list[_Line], report: _Report) -> None:
    """Căn cứ ...; each ending ";", the block's last line (Theo đề nghị ...) ending "."."""
    for i, line in enumerate(lines):
        text = line.text.rstrip()
        is_basis = line.folded.startswith("can cu")
        if is_basis and not all(look.italic for look in line.looks()):
            report.add("basis.italic", line.where(), "upright", "italic")
        last = i == len(lines) - 1
        # The last basis may close with "." when only the proposal line follows it.
        allowed = (".",) if last else ((";", ".") if is_basis and not lines[i + 1].folded.startswith("can cu") else (";",))
        if not text.endswith(allowed):
            report.add("basis.punctuation", line.where(), f'ends "{text[-1:]}"',
                       'each basis ends ";", the last line before "QUYẾT ĐỊNH:" ends "."')


def _span_bold(line: _Line, length: int) -> bool:
    return all(p.look.bold for p in line.slice(0, length).pieces if p.text.strip())


# --------------------------------------------------------------------------- numbering

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Levels from the top; a heading restarts every level listed after it.
_LEVELS = (
    ("chapter", re.compile(r"^Chương\s+([IVXLC]+)\b")),
    ("roman", re.compile(r"^([IVXLC]+)\.\s")),
    ("article", re.compile(r"^Điều\s+(\d+)\s*\.")),
    ("arabic", re.compile(r"^(\d+)\.(?!\d)\s*\S")),
    ("decimal", re.compile(r"^(\d+)\.(\d+)\.?(?![\d.])\s")),
    ("letter", re.compile(r"^([a-zđ])\)\s")),
)
_RESETS = {
    "chapter": ("roman", "arabic", "decimal", "letter"),
    "roman": ("arabic", "decimal", "letter"),
    "article": ("arabic", "decimal", "letter"),
    "arabic": ("decimal", "letter"),
    "decimal": ("letter",),
    "letter": (),
}


def _roman_value(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value else value
    return total


def _heading(line: _Line) -> tuple[str, object, str] | None:
    """(level, value, label) of a numbered heading typed as text."""
    text = line.text.strip()
    for level, pattern in _LEVELS:
        match = pattern.match(text)
        if not match:
            continue
        if level in ("chapter", "roman"):
            value = _roman_value(match.group(1))
        elif level == "decimal":
            value = (int(match.group(1)), int(match.group(2)))
        elif level == "letter":
            value = match.group(1)
        else:
            value = int(match.group(1))
        return level, value, _label_of(level, value)
    return None


def _expected_next(level: str, last) -> list:
    if level == "letter":
        if last is None:
            return ["a"]
        nexts = []
        for alphabet in (_VIETNAMESE_LETTERS, _LATIN_LETTERS):
            if last in alphabet and alphabet.index(last) + 1 < len(alphabet):
                nexts.append(alphabet[alphabet.index(last) + 1])
        return nexts
    if level == "decimal":
        return [(last[0], last[1] + 1)] if last is not None else []
    return [1 if last is None else last + 1]


def _label_of(level: str, value) -> str:
    if level in ("roman", "chapter"):
        numerals = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out = ""
        for number, letters in numerals:
            count, value = divmod(value, number)
            out += letters * count
        return out + "." if level == "roman" else f"Chương {out}"
    if level == "decimal":
        return f"{value[0]}.{value[1]}."
    if level == "letter":
        return f"{value})"
    return f"Điều {value}." if level == "article" else f"{value}."


def _check_numbering(a: _Anatomy, report: _Report) -> None:
    for paras in (a.content, a.appendix):
        last: dict[str, object] = {}
        for para in paras:
            if para.look.numbered:
                continue  # Word numbers it; the number is not in the text
            for line in para.lines:
                if line.text.strip().startswith("(Kèm theo"):
                    last = {}
                    continue
                heading = _heading(line)
                if heading is not None:
                    _check_heading_number(heading, last, line, report)


def _check_heading_number(heading, last: dict, line: _Line, report: _Report) -> None:
    level, value, label = heading
    previous = last.get(level)
    if level == "decimal" and (previous is None or previous[0] != value[0]):
        previous = None
        expected = [(value[0], 1)]
    else:
        expected = _expected_next(level, previous)
    if previous is not None and value == previous:
        report.add("numbering.duplicate", line.where(), f'"{label}" twice',
                   f'"{_label_of(level, expected[0])}"' if expected else "a new number")
    elif expected and value not in expected:
        rule = "numbering.jump" if previous is not None else "numbering.start"
        after = f' after "{_label_of(level, previous)}"' if previous is not None else " first at its level"
        report.add(rule, line.where(), f'"{label}"{after}', f'"{_label_of(level, expected[0])}"')
    last[level] = value
    for lower in _RESETS[level]:
        last.pop(lower, None)


# --------------------------------------------------------------------------- annexes and tables

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
