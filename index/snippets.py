"""A short passage of a hit's text around the query's words, with where they are.

Matching is on folded tokens, so `thuong` marks both `thưởng` and `thương` in the passage;
the ranges let the terminal colour them and let --json callers do the same.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass
from functools import lru_cache

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
    """The window of `text` (made `flat`) holding the most distinct query terms (the first such
    window); the text is read only as far as the first window that holds them all."""
    found = _pattern(frozenset(terms)) if terms else None
    start = _best_start(text, found, width) if found else None
    if start is None:
        return Snippet(_cut(text, 0, width)[0], [])
    # Begin a little before the first match, at a word boundary.
    lead = max(0, start - width // 5)
    if lead:
        space = text.find(" ", lead)
        lead = space + 1 if 0 <= space < start else lead
    shown, end = _cut(text, lead, width)
    prefix = 1 if lead else 0  # the leading ellipsis
    ranges = []
    for match in found.finditer(text, lead):
        if match.end() > end:
            break
        ranges.append((match.start() - lead + prefix, match.end() - lead + prefix))
    return Snippet(shown, ranges)


def _best_start(text: str, found: re.Pattern, width: int) -> int | None:
    """Where the first window of `width` with the most distinct terms begins (at a match)."""
    window: deque[tuple[int, int, int]] = deque()  # the matches fitting in a window that begins at the first
    inside: Counter[int] = Counter()  # their terms (by group number)
    best, best_count, every = None, 0, found.groups
    for match in found.finditer(text):
        term = match.lastindex
        window.append((match.start(), match.end(), term))
        inside[term] += 1
        while window[-1][1] > window[0][0] + width:
            _, _, left = window.popleft()
            inside[left] -= 1
            if not inside[left]:
                del inside[left]
        if len(inside) > best_count:
            best, best_count = window[0][0], len(inside)
            if best_count == every:
                break
    return best


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


@lru_cache(maxsize=64)
def _pattern(terms: frozenset[str]) -> re.Pattern:
    """The folded `terms` as whole words, whatever their marks and case, one group per term.
    Matched letter by letter on the text itself: folding a whole text costs more than the match."""
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(f"({''.join(_VARIANTS.get(ch) or re.escape(ch) for ch in term)})" for term in ordered)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _cut(text: str, start: int, width: int) -> tuple[str, int]:
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = text[start:end]
    return ("…" if start else "") + body + ("…" if end < len(text) else ""), end
