"""A short passage of a hit's text around the query's words, with where they are.

Matching is on folded tokens, so `thuong` marks both `thưởng` and `thương` in the passage;
the ranges let the terminal colour them and let --json callers do the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import WORD, fold

WIDTH = 220
_SPACE = re.compile(r"\s+")


@dataclass
class Snippet:
    text: str
    highlights: list[tuple[int, int]]  # [start, end) in text


def snippet(text: str, terms: set[str], *, width: int = WIDTH) -> Snippet:
    """The window of `text` holding the most distinct query terms (the first such window)."""
    text = _SPACE.sub(" ", text or "").strip()
    matches = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
    hits = [(s, e, t) for s, e, t in matches if t in terms]
    if not hits:
        return Snippet(_cut(text, 0, width)[0], [])
    best, best_score = 0, -1
    for i, (start, _, _) in enumerate(hits):
        inside = {t for s, e, t in hits[i:] if e <= start + width}
        if len(inside) > best_score:
            best, best_score = i, len(inside)
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


def _cut(text: str, start: int, width: int) -> tuple[str, int]:
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = text[start:end]
    return ("…" if start else "") + body + ("…" if end < len(text) else ""), end
