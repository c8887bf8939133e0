"""Font names and colours in docDefaults, the styles in use and the runs themselves."""

from __future__ import annotations

from docgen import layout

from .findings import _Report, _snippet
from .looks import _bad_color, _bad_font, _color, _fonts
from .ooxml import RPR, SLOTS, _THEME_ATTR, _q
from .reader import _Reader
from .styles import _Styles
from .text import _Para


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
