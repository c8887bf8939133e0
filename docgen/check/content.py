"""The content: body paragraphs (size, alignment, indent, spacing), decisions, bases, articles."""

from __future__ import annotations

import re

from docgen import layout

from .anatomy import _Anatomy
from .findings import _Report, _pt, _range
from .looks import _TNR_LINE_EM
from .parts import _check_alignment
from .recognize import _is_rule_text, _is_upper
from .text import _Line, _Para


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
    heading = next((l for l in lines if l.folded.rstrip() in ("quyet dinh:", "quyet dinh :", "quyet nghi:", "quyet nghi :")), None)
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
                       'each basis ends ";", the last line before "QUYẾT ĐỊNH:" (or "QUYẾT NGHỊ:") ends "."')


def _span_bold(line: _Line, length: int) -> bool:
    return all(p.look.bold for p in line.slice(0, length).pieces if p.text.strip())
