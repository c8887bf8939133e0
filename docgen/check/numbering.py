"""Numbered headings typed as text: each follows the one before it at its level."""

from __future__ import annotations

import re

from .anatomy import _Anatomy
from .findings import _Report
from .text import _Line


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Levels from the top; a heading restarts every level listed after it.
_LEVELS = (
    ("chapter", re.compile(r"^Chương\s+([IVXLC]+|\d+)\b")),  # in Arabic numerals: chapter.numeral says so
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
            number = match.group(1)
            value = int(number) if number.isdigit() else _roman_value(number)
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
