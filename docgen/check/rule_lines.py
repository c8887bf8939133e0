"""The rules drawn under the motto, the agency and the subject: present, and how long."""

from __future__ import annotations

import re

from docgen import layout

from .anatomy import _Anatomy
from .findings import _Report, _pt
from .ooxml import EMU_PER_PT, _in_fallback, _q, _vml_pt
from .recognize import _is_note, _is_rule_text
from .text import _Line, _Para


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
