"""WordprocessingML basics: namespaces, qualified names, measures, toggles, a story's blocks."""

from __future__ import annotations

import re
from typing import Iterator


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
EMU_PER_PT = 12700


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
