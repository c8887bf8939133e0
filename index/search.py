"""Searching the index: the query, the filters, hits with snippets, counts by kind and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as q
from whoosh import sorting
from whoosh.searching import Searcher

from docgen.errors import DocgenError

from .analysis import fold, words
from .closeness import at_documents, closeness
from .query import ReadQuery, build, read
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

    def query(self) -> q.Query | None:
        parts: list[q.Query] = []
        if self.kind:
            parts.append(q.Term("kind", self.kind))
        if self.year is not None:
            parts.append(q.NumericRange("year", self.year, self.year))
        if self.date_from or self.date_to:
            if self.date_from and self.date_to and self.date_from > self.date_to:
                raise DocgenError(f"--from {self.date_from:%d/%m/%Y} is after --to {self.date_to:%d/%m/%Y}: "
                                  "give the earlier date first")
            start = dt.datetime.combine(self.date_from, dt.time()) if self.date_from else None
            end = dt.datetime.combine(self.date_to, dt.time(23, 59, 59)) if self.date_to else None
            parts.append(q.DateRange("date", start, end))
        if self.signer:
            names = [fold(w) for w in words(self.signer)]
            if names:
                parts.append(q.Phrase("signer", names) if len(names) > 1 else q.Term("signer", names[0]))
        if self.unit:
            parts.append(q.Term("unit", fold(self.unit.strip())))
        if self.status:
            parts.append(q.Term("status", self.status.strip().lower()))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else q.And(parts)


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

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_kind": self.by_kind, "by_year": self.by_year, "notices": self.notices,
                "hits": [h.as_dict() for h in self.hits]}


# Candidates scored for closeness: the best this many by BM25 (or 3 x the limit).
CANDIDATES = 100


def search(searcher: Searcher, text: str, *, filters: Filters | None = None, sort: str = "relevance",
           limit: int = 20, include_secret: bool = False, snippets: bool = True) -> SearchResults:
    """Documents matching `text`, best first (or newest first with sort="date")."""
    if sort not in SORTS:
        raise DocgenError(f"--sort must be one of {', '.join(SORTS)} (got {sort!r})")
    if limit < 1:
        raise DocgenError(f"--limit must be at least 1 (got {limit})")
    read_query = read(text)
    notices = list(read_query.notices)
    if read_query.empty and text.strip():
        notices.append("the query has no letters or digits to search for: listing every document the filters allow")
    restrict = {"filter": (filters or Filters()).query(), "mask": None if include_secret else q.Term("secret", True)}
    by_date = sort == "date" or read_query.empty
    plan = build(read_query, searcher.reader())
    # One pass collects every match for the counts and keeps the best candidates (or the newest).
    if by_date:
        options = {"limit": limit, "sortedby": "newest", "reverse": True}
    else:
        options = {"limit": max(CANDIDATES, 3 * limit)}
    results = searcher.search(plan.required, groupedby=_FACETS, **options, **restrict)
    if results.is_empty() and plan.loose is not None:
        results = searcher.search(plan.loose, groupedby=_FACETS, **options, **restrict)
        if not results.is_empty():
            notices.append("no document has every word: showing documents with some of them")
    if by_date:
        ranked = [(hit.docnum, 0.0) for hit in results]
    else:
        scores = {hit.docnum: float(hit.score or 0.0) for hit in results}
        for docnum, extra in _scores_of(searcher, plan.subject, scores).items():
            scores[docnum] += extra
        factors = closeness(searcher.reader(), list(scores), plan.runs)
        ranked = sorted(((d, s * factors[d]) for d, s in scores.items()), key=lambda ds: -ds[1])[:limit]
    terms = read_query.folded_terms() if snippets else None
    hits = [_hit(searcher.stored_fields(docnum), rank, score, terms)
            for rank, (docnum, score) in enumerate(ranked, 1)]
    by_kind = dict(sorted(results.groups("kind").items(), key=lambda kv: (-kv[1], kv[0])))
    # An undated document has no year (Whoosh reports the column's fill value for it).
    by_year = dict(sorted(((int(y), n) for y, n in results.groups("year").items()
                           if y is not None and 0 < int(y) < 10000), reverse=True))
    total = len(results)
    return SearchResults(read_query, hits, total, by_kind, by_year, notices)


def _scores_of(searcher, query: q.Query | None, docnums) -> dict[int, float]:
    """The scores `query` gives each of `docnums` that it matches (reading only their postings)."""
    if query is None:
        return {}
    return at_documents(query.matcher(searcher, searcher.context()), docnums, lambda m: m.score())


_FACETS = {"kind": sorting.FieldFacet("kind", maptype=sorting.Count),
           "year": sorting.FieldFacet("year", maptype=sorting.Count)}


def _hit(stored: dict, rank: int, score: float, terms: set[str] | None) -> Hit:
    meta = stored.get("meta") or {}
    date = stored.get("date")
    content = stored.get("content") or ""
    shown = snippet(content, terms) if terms is not None else None
    return Hit(
        key=stored["key"], rank=rank, score=score,
        number_symbol=stored.get("number_symbol"), kind=stored.get("kind") or "", type_name=meta.get("type_name"),
        subject=stored.get("subject") or "", date=date.date().isoformat() if date else None,
        signer=meta.get("signer_name"), status=stored.get("status") or "", secrecy=meta.get("secrecy"),
        source=meta.get("source") or "issued",
        snippet=shown.text if shown else "", highlights=shown.highlights if shown else [],
    )
