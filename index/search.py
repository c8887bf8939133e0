"""Searching the index: the query, the filters, hits with snippets, counts by kind and year."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from tantivy import FieldType, Occur, Order, Query, Schema, Searcher

from docgen.errors import DocgenError

from .analysis import date_key, fold, words
from .closeness import closeness
from .query import ReadQuery, all_of, build, read
from .snippets import snippet

SORTS = ("relevance", "date")


@dataclass
class Filters:
    kind: str | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    signer: str | None = None
    unit: str | None = None
    status: str | None = None

    def query(self, schema: Schema) -> Query | None:
        parts: list[Query] = []
        if self.kind:
            parts.append(Query.term_query(schema, "kind", self.kind))
        if self.year is not None:
            parts.append(Query.term_query(schema, "year", self.year))
        if self.date_from or self.date_to:
            if self.date_from and self.date_to and self.date_from > self.date_to:
                raise DocgenError(f"--from {self.date_from:%d/%m/%Y} is after --to {self.date_to:%d/%m/%Y}: "
                                  "give the earlier date first")
            parts.append(Query.range_query(
                schema, "newest", FieldType.Integer,
                int(date_key(self.date_from)) if self.date_from else 1,  # undated documents (0) are left out
                int(date_key(self.date_to)) if self.date_to else 99991231))
        if self.signer:
            names = [fold(w) for w in words(self.signer)]
            if names:
                parts.append(Query.phrase_query(schema, "signer", names) if len(names) > 1
                             else Query.term_query(schema, "signer", names[0]))
        if self.unit:
            parts.append(Query.term_query(schema, "unit", fold(self.unit.strip())))
        if self.status:
            parts.append(Query.term_query(schema, "status", self.status.strip().lower()))
        if not parts:
            return None
        return all_of(parts)


@dataclass
class Hit:
    key: str
    rank: int
    score: float
    number_symbol: str | None
    kind: str
    type_name: str | None
    subject: str
    date: str | None
    signer: str | None
    status: str
    secrecy: str | None
    source: str
    snippet: str
    highlights: list[tuple[int, int]]

    @property
    def id(self) -> int | str:
        """An issued document's id is its archive id; an imported one's is `i<n>`."""
        return int(self.key) if self.key.isdigit() else self.key

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "number_symbol": self.number_symbol, "kind": self.kind, "type_name": self.type_name,
                "subject": self.subject, "date": self.date, "signer": self.signer, "status": self.status,
                "secrecy": self.secrecy, "source": self.source, "score": round(self.score, 4), "rank": self.rank,
                "snippet": self.snippet, "highlights": [list(r) for r in self.highlights]}


@dataclass
class SearchResults:
    query: ReadQuery
    hits: list[Hit]
    total: int
    by_kind: dict[str, int]
    by_year: dict[int, int]
    notices: list[str] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_kind": self.by_kind, "by_year": self.by_year, "by_status": self.by_status,
                "notices": self.notices,
                "hits": [h.as_dict() for h in self.hits]}


# Candidates scored for closeness: the best this many by BM25 (a larger --limit shows more,
# the ones below ranked by BM25 alone).
CANDIDATES = 100
# Counts by kind and year: Tantivy has no facet collector; a terms aggregation counts every match.
_COUNTS = {"kind": {"terms": {"field": "kind", "size": 1000}}, "year": {"terms": {"field": "year", "size": 10000}}}
# The status field is not a fast field (no aggregation): each status is counted by its own query.
STATUSES = ("issued", "revoked", "replaced", "imported")


def search(searcher: Searcher, schema: Schema, text: str, *, filters: Filters | None = None,
           sort: str = "relevance", limit: int = 20, offset: int = 0, include_secret: bool = False,
           snippets: bool = True) -> SearchResults:
    """Documents matching `text`, best first (or newest first with sort="date"): `limit` of them from
    the `offset`-th on (the counts are over all of them)."""
    if sort not in SORTS:
        raise DocgenError(f"--sort must be one of {', '.join(SORTS)} (got {sort!r})")
    if limit < 1:
        raise DocgenError(f"--limit must be at least 1 (got {limit})")
    if offset < 0:
        raise DocgenError(f"--offset must be 0 or more (got {offset})")
    read_query = read(text)
    notices = list(read_query.notices)
    if read_query.empty and text.strip():
        notices.append("the query has no letters or digits to search for: listing every document the filters allow")
    restrict = (filters or Filters()).query(schema)
    by_date = sort == "date" or read_query.empty
    plan = build(read_query, searcher, schema)
    if by_date:
        options: dict[str, Any] = {"limit": limit, "offset": offset, "order_by_field": "newest", "order": Order.Desc}
    else:
        options = {"limit": max(CANDIDATES, offset + limit)}
    query = _restricted(plan.required, restrict, include_secret, schema)
    results = searcher.search(query, **options)
    if not results.count and plan.loose is not None:
        query = _restricted(plan.loose, restrict, include_secret, schema)
        results = searcher.search(query, **options)
        if results.count:
            notices.append("no document has every word: showing documents with some of them")
    addresses = [address for _, address in results.hits]
    if by_date:
        ranked = [(address, 0.0) for address in addresses]
    else:
        refs = searcher.fast_field_values("ref", addresses) if addresses else []
        factors = closeness(searcher, schema, refs[:CANDIDATES], plan.runs)
        # Equal scores (the same text archived twice) in the order of the keys, whatever the segments.
        scored = sorted(((score * factors.get(ref, 1.0), ref < 0, abs(ref), address)
                         for (score, address), ref in zip(results.hits, refs)), key=lambda s: (-s[0], s[1], s[2]))
        ranked = [(address, score) for score, _, _, address in scored[offset:offset + limit]]
    terms = read_query.folded_terms() if snippets else None
    hits = [_hit(json.loads(searcher.doc(address)["shown"][0]), rank, score, terms)
            for rank, (address, score) in enumerate(ranked, offset + 1)]
    by_kind, by_year = _counts(searcher, query) if results.count else ({}, {})
    by_status = _status_counts(searcher, schema, query) if results.count else {}
    return SearchResults(read_query, hits, results.count, by_kind, by_year, notices, by_status)


def _restricted(query: Query, restrict: Query | None, include_secret: bool, schema: Schema) -> Query:
    """`query` within the filters (which add nothing to the score), without secret documents unless asked."""
    parts = [(Occur.Must, query)]
    if restrict is not None:
        parts.append((Occur.Must, Query.const_score_query(restrict, 0.0)))
    if not include_secret:
        parts.append((Occur.MustNot, Query.term_query(schema, "secret", True)))
    return parts[0][1] if len(parts) == 1 else Query.boolean_query(parts)


def _counts(searcher: Searcher, query: Query) -> tuple[dict[str, int], dict[int, int]]:
    counted = searcher.aggregate(query, _COUNTS)
    kinds = {b["key"]: b["doc_count"] for b in counted["kind"]["buckets"]}
    years = {int(b["key"]): b["doc_count"] for b in counted["year"]["buckets"]}
    return dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))), dict(sorted(years.items(), reverse=True))


def _status_counts(searcher: Searcher, schema: Schema, query: Query) -> dict[str, int]:
    counts = {}
    for status in STATUSES:
        found = searcher.search(Query.boolean_query([(Occur.Must, query),
                                                     (Occur.Must, Query.term_query(schema, "status", status))]),
                                limit=1).count
        if found:
            counts[status] = found
    return counts


def _hit(shown: dict, rank: int, score: float, terms: set[str] | None) -> Hit:
    found = snippet(shown.get("content") or "", terms) if terms is not None else None
    return Hit(
        key=shown["key"], rank=rank, score=score, number_symbol=shown.get("number_symbol"),
        kind=shown.get("kind") or "", type_name=shown.get("type_name"), subject=shown.get("subject") or "",
        date=shown.get("date"), signer=shown.get("signer_name"), status=shown.get("status") or "",
        secrecy=shown.get("secrecy"), source=shown.get("source") or "issued",
        snippet=found.text if found else "", highlights=found.highlights if found else [],
    )
