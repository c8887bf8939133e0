"""The formatting Word displays for a run and for a paragraph, resolved from their layers."""

from __future__ import annotations

from dataclasses import dataclass

from docgen import layout

from .ooxml import _NONE_BORDERS, SLOTS, _THEME_ATTR, VAL, _number, _on, _q, _twips
from .styles import _first, _first_with


_BLACK = ("auto", "000000")
_BLACK_THEME = ("text1", "dark1")
# Word's default when no w:sz is set anywhere (ECMA-376 17.3.2.38).
_DEFAULT_SIZE_PT = 10
# One line of Times New Roman is 1.15 em (ascent + descent + line gap); "single spacing".
_TNR_LINE_EM = 1.15


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
