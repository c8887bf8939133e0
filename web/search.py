"""Search: GET /api/search (JSON) and the home page, both over index.search_archive."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query, Request

from archive import Archive
from archive.records import STATUS_LABELS as RECORD_STATUSES
from archive.users import User, record_use
from docgen.errors import DocgenError
from docgen.limits import QUERY_CHARS

from .auth import open_archive, require
from .pages import marked, render_page

router = APIRouter()
PAGE = 20
MAX_LIMIT = 100
# The archive's words for a status, and the index's own status of a document issued elsewhere.
STATUS_LABELS = {**RECORD_STATUSES, "imported": "nhập từ nơi khác"}


class SearchForm:
    """The query and filters of the API and the home page, read the same way (dates as the CLI reads them)."""

    def __init__(self, q: str = Query("", max_length=QUERY_CHARS), kind: str | None = Query(None, max_length=64),
                 year: str | None = Query(None, max_length=4), date_from: str | None = Query(None, alias="from"),
                 date_to: str | None = Query(None, alias="to"), signer: str | None = Query(None, max_length=200),
                 unit: str | None = Query(None, max_length=64), status: str | None = Query(None, max_length=16),
                 sort: str = Query("relevance", pattern="^(relevance|date)$"),
                 limit: int = Query(PAGE, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=10_000)):
        # An empty field of the page's form means no filter.
        self.q, self.kind, self.signer, self.unit = q, kind or None, signer or None, unit or None
        self.sort, self.limit, self.offset = sort, limit, offset
        self.year = _year(year) if year else None
        if status and status not in STATUS_LABELS:
            raise DocgenError(f"status: expected one of {', '.join(STATUS_LABELS)} (got {status!r})")
        self.status = status or None
        self.date_from, self.date_to = _date(date_from, "from"), _date(date_to, "to")

    def run(self, archive: Archive, user: User):
        from index import Filters, search_archive

        filters = Filters(kind=self.kind, year=self.year, date_from=self.date_from, date_to=self.date_to,
                          signer=self.signer, unit=self.unit, status=self.status)
        results = search_archive(archive, self.q, filters=filters, sort=self.sort, limit=self.limit,
                                 offset=self.offset, include_secret=user.secret)
        record_use(archive, user.name, "web search", query=self.q, total=results.total)
        return results


def _year(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 9999:
        raise DocgenError(f"year: expected a year such as 2025 (got {value!r})")
    return int(value)


def _date(value: str | None, name: str) -> dt.date | None:
    from docgen.vietnamese import parse_date

    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise DocgenError(f"{name}: {exc}") from exc


@router.get("/api/search", tags=["search"])
def api_search(form: SearchForm = Depends(), user: User = Depends(require("search")),
               archive: Archive = Depends(open_archive)) -> dict:
    """Hits as `docgen search --json --offset N` prints them, with counts by kind, year and status."""
    results = form.run(archive, user)
    return {"total": results.total, "hits": [hit.as_dict() for hit in results.hits],
            "counts": {"kind": results.by_kind, "year": {str(y): n for y, n in results.by_year.items()},
                       "status": results.by_status},
            "notices": results.notices}


@router.get("/", include_in_schema=False)
def home_page(request: Request, form: SearchForm = Depends(), user: User = Depends(require("search")),
              archive: Archive = Depends(open_archive)):
    from docgen.catalog import list_kinds

    results = form.run(archive, user)  # no words: the newest documents the filters allow
    hits = [{**hit.as_dict(), "pieces": marked(hit.snippet, hit.highlights)} for hit in results.hits]
    kinds = {row["name"]: row["label"] for row in list_kinds()}
    return render_page(request, "search.html", {"user": user, "form": form, "results": results, "hits": hits,
                                                "kinds": kinds, "statuses": STATUS_LABELS})
