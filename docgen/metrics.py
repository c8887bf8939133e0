"""How wide a line of Times New Roman text is, without a font file.

The rules under the motto, the agency name and the subject must be as long as (or a
third to a half of) the text above them (Decree 30, Appendix I, items 1, 2 and 5a), so the
renderer sizes them and the checker measures them with these widths: the Adobe Times
metrics, which Times New Roman and Liberation Serif share (1/1000 em).
"""

from __future__ import annotations

import unicodedata
from itertools import combinations

_ASCII = "".join(chr(c) for c in range(32, 127))

_ROMAN = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
]
_BOLD = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
]
_WIDTHS = {False: dict(zip(_ASCII, _ROMAN)), True: dict(zip(_ASCII, _BOLD))}
_EXTRA = {
    False: {"đ": 500, "Đ": 722, "“": 444, "”": 444, "‘": 333, "’": 333, "–": 500, "—": 1000, "…": 1000},
    True: {"đ": 556, "Đ": 722, "“": 500, "”": 500, "‘": 333, "’": 333, "–": 500, "—": 1000, "…": 1000},
}


def _char_width(ch: str, bold: bool) -> int:
    table = _WIDTHS[bold]
    if ch in table:
        return table[ch]
    if ch in _EXTRA[bold]:
        return _EXTRA[bold][ch]
    decomposed = unicodedata.normalize("NFD", ch)
    if decomposed[0] in table:
        # Vietnamese letters keep their base letter's advance; the horn (ơ, ư) adds a little.
        return table[decomposed[0]] + (60 if "\u031b" in decomposed else 0)
    return 500


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` set in Times New Roman at `size` points."""
    return sum(_char_width(ch, bold) for ch in text) * size / 1000


def wrap(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """The lines a word processor shows when `text` is set in a column `width_pt` wide:
    as many words on each line as fit (a word too long for any line stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width_pt(f"{lines[-1]} {word}", size, bold) <= width_pt:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def break_name(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """A name broken into the fewest lines that fit `width_pt`, as offices break it by hand.

    A line typed in `text` is kept as typed. Otherwise no line holds a single word (a lone
    `TẠO` or `BẰNG`) or starts with the dash between two phrases; a break reads well before
    `VÀ`, before a place (`TỈNH`, `HUYỆN`, ...) or after a dash, elsewhere it may split a
    word of two syllables. The fewest breaks that do not read well win, then the shortest
    longest line: `PHÒNG GIÁO DỤC` / `VÀ ĐÀO TẠO`, `HỘI ĐỒNG THI ĐUA -` / `KHEN THƯỞNG`.
    """
    typed = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(typed) != 1:
        return typed
    words = typed[0].split()
    if text_width_pt(typed[0], size, bold) <= width_pt or len(words) < 4:
        return typed
    if len(words) > _MOST_WORDS:
        return wrap(typed[0], width_pt, size, bold)  # not a name: wrapped as any text is
    for count in range(2, min(len(words) // 2, _MOST_LINES) + 1):
        best: tuple[tuple[int, float], list[str]] | None = None
        for cuts in combinations(range(2, len(words) - 1), count - 1):
            bounds = (0, *cuts, len(words))
            lines = [words[a:b] for a, b in zip(bounds, bounds[1:])]
            if any(len(line) < 2 or line[0] in _DASHES for line in lines):
                continue
            texts = [" ".join(line) for line in lines]
            longest = max(text_width_pt(t, size, bold) for t in texts)
            rough = sum(not _reads_well(words, cut) for cut in cuts)
            if longest <= width_pt and (best is None or (rough, longest) < best[0]):
                best = ((rough, longest), texts)
        if best is not None:
            return best[1]
    return wrap(typed[0], width_pt, size, bold)


_DASHES = ("-", "–", "—")
# Names and titles are searched for a good break up to this size (the search grows as words^(lines-1)).
_MOST_WORDS, _MOST_LINES = 24, 3
# Words a name reads well broken before: the conjunction, and the kinds of place.
_BREAK_BEFORE = {"VÀ", "CỦA", "TỈNH", "THÀNH", "HUYỆN", "QUẬN", "THỊ", "XÃ", "PHƯỜNG"}


def _reads_well(words: list[str], cut: int) -> bool:
    return words[cut - 1] in _DASHES or words[cut].upper() in _BREAK_BEFORE
