"""The register of outgoing documents (clerks): the page by year and register, and its .xlsx (GET /api/register)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from archive import Archive
from archive.users import User, record_use

from .auth import open_archive, require
from .pages import render_page

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/api/register", tags=["register"])
def api_register(year: int = Query(ge=1, le=9999), register: str | None = Query(None, max_length=31),
                 user: User = Depends(require("register")), archive: Archive = Depends(open_archive)) -> Response:
    """The register book of `year` as .xlsx (`docgen register export --year Y [--register R]`): every
    register, or only `register`; the secret register only for --secret users."""
    from archive import export_register

    with tempfile.TemporaryDirectory(prefix="docgen-web-") as folder:
        written = export_register(archive, year, Path(folder) / "so.xlsx", register=register or None,
                                  actor=user.name, include_secret=user.secret)
        content = Path(written["path"]).read_bytes()
    suffix = f"-{re.sub(r'[^A-Za-z0-9-]+', '-', register).strip('-') or 'so'}" if register else ""
    return Response(content, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="so-van-ban-di-{year}{suffix}.xlsx"'})


@router.get("/register", include_in_schema=False)
def register_page(request: Request, year: int | None = Query(None, ge=1, le=9999),
                  register: str | None = Query(None, max_length=31), user: User = Depends(require("register")),
                  archive: Archive = Depends(open_archive)):
    """The book of a year (this year by default), every register or one, as `docgen register export` writes it."""
    from archive.register_book import known_registers, read_book, years_with_documents

    years = years_with_documents(archive, include_secret=user.secret)
    year = year or (years[-1] if years else dt.date.today().year)
    book = read_book(archive, year, register=register or None, include_secret=user.secret)
    record_use(archive, user.name, "web register", year=year, register=register or None)
    return render_page(request, "register.html", {
        "user": user, "book": book, "year": year, "register": register or "",
        "years": sorted({*years, year}), "registers": known_registers(archive, include_secret=user.secret)})
