"""Reading the package: sections, stories, tables and paragraphs, with Word's inheritance resolved."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import docx
from lxml import etree
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from docgen import layout
from docgen.errors import DocgenError

from .looks import _RunLook, _para_look, _run_look
from .ooxml import (
    _NONE_BORDERS, P, PPR, R, RPR, SECTPR, T, TC, TR, VAL, _blocks, _in_fallback, _number, _on, _owner_paragraph, _q,
    _twips, _val
)
from .styles import _Styles, _first
from .text import _Line, _Para, _Piece


def _open(path: Path | bytes):
    if isinstance(path, bytes):  # a document rendered in memory, about to be issued
        return docx.Document(io.BytesIO(path))
    if not path.is_file():
        raise DocgenError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise DocgenError(f"{path.name}: not a .docx file (it is not a ZIP package)")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DocgenError(f"{path.name}: not a readable .docx file ({exc})") from exc


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
        self._run_looks: dict[tuple, _RunLook] = {}
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
        """The run's resolved look; runs with the same properties and styles share one."""
        rpr = None if r is None else r.find(RPR)
        key = (b"" if rpr is None else etree.tostring(rpr), para_style, table_style)
        if key not in self._run_looks:
            self._run_looks[key] = self._resolve_run_look(rpr, para_style, table_style)
        return self._run_looks[key]

    def _resolve_run_look(self, rpr, para_style, table_style) -> _RunLook:
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
