"""How close the query's words stand in a document, scored on the best candidates only.

Whoosh can score phrases and proximity inside a query, but it then checks positions for
every document that has the words (thousands, for `thi đua`), which is most of a query's
time. Here the positions are read only for the top candidates by BM25, and the score is
multiplied by a closeness factor: adjacent pairs of the typed words, the whole run in
order, and the run within a short window, in the subject and in the text. Multi-syllable
concepts (`khen thưởng`, `thi đua`) thus rank above the same syllables scattered.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from whoosh.reading import IndexReader

T = TypeVar("T")

NEAR_WINDOW = 4  # extra words allowed between the first and last word of a run
WEIGHTS = {  # field: (adjacent pairs share, whole run in order, whole run near)
    "content_folded": (0.6, 0.6, 0.3),
    "subject_folded": (0.4, 0.8, 0.2),
}


def at_documents(matcher, docnums, read: Callable[[Any], T]) -> dict[int, T]:
    """`read(matcher)` at each of `docnums` the matcher matches, skipping the postings between them."""
    found: dict[int, T] = {}
    for docnum in sorted(docnums):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            found[docnum] = read(matcher)
    return found


def _positions(reader: IndexReader, field: str, term: str, docnums: list[int]) -> dict[int, set[int]]:
    """Positions of `term` in each of `docnums` that has it."""
    if not reader.doc_frequency(field, term):
        return {}
    return at_documents(reader.postings(field, term), docnums, lambda m: set(m.value_as("positions")))


def _run_score(places: list[set[int]], weights: tuple[float, float, float]) -> float:
    pair_weight, whole_weight, near_weight = weights
    if any(not p for p in places):
        return 0.0
    pairs = sum(1 for a, b in zip(places, places[1:]) if any(p + 1 in b for p in a))
    score = pair_weight * pairs / (len(places) - 1)
    if pairs == len(places) - 1 and any(all(p + k in places[k] for k in range(1, len(places))) for p in places[0]):
        score += whole_weight
    span = len(places) - 1 + NEAR_WINDOW
    if any(all(any(start <= q <= start + span for q in later) for later in places[1:]) for start in places[0]):
        score += near_weight
    return score


def closeness(reader: IndexReader, docnums: list[int], runs: list[list[str]]) -> dict[int, float]:
    """A factor of at least 1 for each of `docnums`: how close each run of words stands."""
    factors = {docnum: 1.0 for docnum in docnums}
    if not runs or not docnums:
        return factors
    ordered = sorted(docnums)
    for field, weights in WEIGHTS.items():
        for run in runs:
            by_term = {term: _positions(reader, field, term, ordered) for term in dict.fromkeys(run)}
            for docnum in ordered:
                places = [by_term[term].get(docnum, set()) for term in run]
                factors[docnum] += _run_score(places, weights) / len(runs)
    return factors
