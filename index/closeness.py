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


def _matching(searcher: Searcher, schema: Schema, among: Query, field: str, phrase: tuple[str, ...], slop: int,
              limit: int) -> list[int]:
    """The refs of the candidates (`among`) where the words of `phrase` stand together."""
    query = Query.boolean_query([(Occur.Must, among),
                                 (Occur.Must, Query.phrase_query(schema, field, list(phrase), slop=slop))])
    addresses = [address for _, address in searcher.search(query, limit, count=False).hits]
    return searcher.fast_field_values("ref", addresses) if addresses else []


def closeness(searcher: Searcher, schema: Schema, refs: list[int], runs: list[list[str]]) -> dict[int, float]:
    """A factor of at least 1 for each of `refs`: how close each run of words stands."""
    factors = {ref: 1.0 for ref in refs}
    if not runs or not refs:
        return factors
    among = Query.term_set_query(schema, "ref", refs)
    found: dict[tuple, list[int]] = {}
    for field, (pair_weight, whole_weight, near_weight) in WEIGHTS.items():
        present = {term for run in runs for term in run if searcher.doc_freq(field, term)}
        for run in runs:
            pairs = list(zip(run, run[1:]))
            wanted = [(pair, 0, pair_weight / len(pairs)) for pair in pairs]
            wanted += [(tuple(run), 0, whole_weight), (tuple(run), NEAR_WINDOW, near_weight)]
            for phrase, slop, weight in wanted:
                if not set(phrase) <= present:
                    continue
                if (field, phrase, slop) not in found:
                    found[field, phrase, slop] = _matching(searcher, schema, among, field, phrase, slop, len(refs))
                for ref in found[field, phrase, slop]:
                    factors[ref] += weight / len(runs)
    return factors
