"""A short passage of a hit's text around the query's words, with where they are.

Matching is on folded tokens, so `thuong` marks both `thưởng` and `thương` in the passage;
the ranges let the terminal colour them and let --json callers do the same.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .analysis import fold

WIDTH = 220


def flat(text: str) -> str:
    """The text on one line, one space between words: what snippets are cut from (stored so, at indexing)."""
    return " ".join(text.split())


@dataclass
class Snippet:
    text: str
    highlights: list[tuple[int, int]]  # [start, end) in text


def snippet(text: str, terms: set[str], *, width: int = WIDTH) -> Snippet:
    """The window of `text` (made `flat`) holding the most distinct query terms (the first such window)."""
    hits = _found(text, terms)
    if not hits:
        return Snippet(_cut(text, 0, width)[0], [])
    best, best_score = 0, -1
    inside: Counter[str] = Counter()  # the terms of hits[i:j], the hits within `width` of hits[i]
    j = 0
    for i, (start, _, _) in enumerate(hits):
        while j < len(hits) and hits[j][1] <= start + width:
            inside[hits[j][2]] += 1
            j += 1
        if len(inside) > best_score:
            best, best_score = i, len(inside)
        if j > i:
            inside[hits[i][2]] -= 1
            if not inside[hits[i][2]]:
                del inside[hits[i][2]]
        else:
            j = i + 1
    start = hits[best][0]
    # Begin a little before the first match, at a word boundary.
    lead = max(0, start - width // 5)
    if lead:
        space = text.find(" ", lead)
        lead = space + 1 if 0 <= space < start else lead
    shown, end = _cut(text, lead, width)
    prefix = 1 if lead else 0  # the leading ellipsis
    ranges = [(s - lead + prefix, e - lead + prefix) for s, e, _ in hits if s >= lead and e <= end]
    return Snippet(shown, ranges)


def _variants() -> dict[str, str]:
    """For each folded letter, a regex class of every letter that folds to it: `d` -> `[DdĐđÐ]`."""
    letters: dict[str, list[str]] = {}
    for code in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x1EFA)]:
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            letters.setdefault(folded, []).append(ch)
    return {folded: "[" + "".join(chars) + "]" for folded, chars in letters.items()}


_VARIANTS = _variants()


def _found(text: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """Where the folded `terms` stand in `text` as whole words, whatever their marks and case:
    (start, end, term). Matched letter by letter on the text itself: folding a whole text
    costs more than the match."""
    if not terms:
        return []
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(f"({''.join(_VARIANTS.get(ch) or re.escape(ch) for ch in term)})" for term in ordered)
    whole = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
    return [(m.start(), m.end(), ordered[m.lastindex - 1]) for m in whole.finditer(text)]


def _cut(text: str, start: int, width: int) -> tuple[str, int]:
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = text[start:end]
    return ("…" if start else "") + body + ("…" if end < len(text) else ""), end
