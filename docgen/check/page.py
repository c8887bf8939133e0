"""Page size, orientation and margins of each section; the page number."""

from __future__ import annotations

import re

from docgen import layout

from .findings import _Report, _pt, _range
from .looks import _RunLook
from .ooxml import P, _q
from .reader import _Reader, _Section
from .text import _Para


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


# -- page numbers

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
