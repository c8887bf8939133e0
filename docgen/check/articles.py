"""Chapters and articles (Decree 30, Appendix I, part II: chương, điều), and resolutions signed
on behalf of their collective body."""

from __future__ import annotations

import re

from docgen.vietnamese import fold

from .anatomy import _Anatomy
from .content import _ARTICLE_RE, _span_bold
from .findings import _Report
from .numbering import _label_of, _roman_value
from .parts import _check_alignment
from .recognize import _is_upper
from .text import _Line

_CHAPTER_RE = re.compile(r"^Chương\s+(\S+)\s*$")
_ROMAN_RE = re.compile(r"^[IVXLC]+$")


def _check_articles(a: _Anatomy, report: _Report) -> None:
    lines = [line for para in a.content + a.appendix for line in para.lines if line.text.strip()]
    for i, line in enumerate(lines):
        chapter = _CHAPTER_RE.match(line.text.strip())
        if chapter:
            _check_chapter(line, chapter.group(1), lines[i + 1] if i + 1 < len(lines) else None, report)
    for para in a.appendix:  # the content's articles are checked with the decision (content.py)
        line = para.lines[0]
        match = _ARTICLE_RE.match(line.text.strip())
        if match and not _span_bold(line.stripped(), match.end()):
            report.add("article.bold", line.where(), f'"{match.group()}" not bold', "the article label in bold")
    _check_collective_signature(a, report)


def _check_chapter(line: _Line, number: str, title: _Line | None, report: _Report) -> None:
    """`Chương I` on a line of its own, centred, bold, in lower case with a Roman numeral; its
    title on the next line, centred, bold, in capitals."""
    if not _ROMAN_RE.match(number):
        expected = _label_of("chapter", int(number)) if number.isdigit() and int(number) > 0 else "Chương I"
        report.add("chapter.numeral", line.where(), f'"{line.text.strip()}"', f'"{expected}" (a Roman numeral)')
    elif _roman_value(number) < 1:
        return
    if not all(look.bold for look in line.looks()):
        report.add("chapter.bold", line.where(), "not bold", "bold")
    _check_alignment(report, "chapter.alignment", line)
    if title is None or _CHAPTER_RE.match(title.text.strip()) or _ARTICLE_RE.match(title.text.strip()):
        report.add("chapter.title", line.where(), "no title under the chapter", "the chapter's title, in capitals, under it")
        return
    if not _is_upper(title) or not all(look.bold for look in title.looks()):
        report.add("chapter.title", title.where(), f'"{title.text.strip()[:40]}" not in bold capitals',
                   "the chapter's title in bold capitals, centred under it")
    else:
        _check_alignment(report, "chapter.alignment", title)


def _check_collective_signature(a: _Anatomy, report: _Report) -> None:
    """A resolution is the act of a collective body: signed `TM. <body>` (Decree 30, Appendix I, 7a)."""
    if a.type_name is None or a.type_name.folded != fold("Nghị quyết") or not a.signatures:
        return
    authority, _signer = a.signatures[0]
    first = authority[0] if authority else None
    if first is not None and not first.shown.strip().startswith("TM. "):
        report.add("authority.collective", first.where(), f'"{first.shown.strip()[:30]}"',
                   '"TM. <the collective body>" (e.g. TM. HỘI ĐỒNG) above the title: a resolution is signed on its behalf')
