"""How close the query's words stand in a document, scored on the best candidates only.

Checking phrases and proximity inside the main query would read positions for every
document that has the words (most of the archive, for `thi đua`). Here the best candidates
by BM25 are kept, and each of the run's phrases (adjacent pairs, the whole run in order,
the whole run within a short window) is looked for by one search restricted to those
candidates; the score is multiplied by a closeness factor that adds up what each document
matched, in the heading and in the text. Multi-syllable concepts (`khen thưởng`, `thi đua`)
thus rank above the same syllables scattered. (One query combining every phrase would
read the phrases' positions across the whole index.)
"""

from __future__ import annotations

from tantivy import Occur, Query, Schema, Searcher

NEAR_WINDOW = 4  # extra words allowed between the words of a run (in any order)
WEIGHTS = {  # field: (adjacent pairs share, whole run in order, whole run near)
    "content_folded": (0.6, 0.6, 0.3),
    "heading_folded": (0.4, 0.8, 0.2),
}


def _among(schema: Schema, refs) -> Query:
    """The documents of `refs`, as one clause: a term query each (Tantivy's term-set query took
    2.7 ms a search at 100,000 documents, this 0.25 ms)."""
    return Query.boolean_query([(Occur.Should, Query.term_query(schema, "ref", ref)) for ref in refs])


def _matching(searcher: Searcher, schema: Schema, refs: list[int], field: str, phrase: tuple[str, ...],
              slop: int) -> set[int]:
    """The refs among `refs` where the words of `phrase` stand together."""
    query = Query.boolean_query([(Occur.Must, _among(schema, refs)),
                                 (Occur.Must, Query.phrase_query(schema, field, list(phrase), slop=slop))])
    addresses = [address for _, address in searcher.search(query, len(refs), count=False).hits]
    return set(searcher.fast_field_values("ref", addresses)) if addresses else set()


def closeness(searcher: Searcher, schema: Schema, refs: list[int], runs: list[list[str]]) -> dict[int, float]:
    """A factor of at least 1 for each of `refs`: how close each run of words stands."""
    factors = {ref: 1.0 for ref in refs}
    if not runs or not refs:
        return factors
    for field, (pair_weight, whole_weight, near_weight) in WEIGHTS.items():
        present = {term for run in runs for term in run if searcher.doc_freq(field, term)}
        for run in runs:
            if not set(run) <= present:
                continue
            share = 1 / len(runs)
            # The whole run in order has every pair adjacent and stands near: the pairs and the
            # window are looked for only in the other documents (often none, for a phrase typed whole).
            whole = _matching(searcher, schema, refs, field, tuple(run), 0)
            for ref in whole:
                factors[ref] += share * (whole_weight + pair_weight + near_weight)
            rest = [ref for ref in refs if ref not in whole]
            if not rest:
                continue
            for ref in _matching(searcher, schema, rest, field, tuple(run), NEAR_WINDOW):
                factors[ref] += share * near_weight
            pairs = list(zip(run, run[1:]))
            if len(pairs) > 1:
                for pair in dict.fromkeys(pairs):
                    for ref in _matching(searcher, schema, rest, field, pair, 0):
                        factors[ref] += share * pair_weight * pairs.count(pair) / len(pairs)
    return factors
