"""Documents: list, show, download (API and page), and issuing (API and the clerk's page)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from archive import Archive
from archive.errors import ArchiveError, IntegrityProblem
from archive.records import MissingCopy, read_copy
from archive.users import User, record_use

from .auth import check_csrf, current_user, ensure_may, open_archive, require
from .pages import render_page

router = APIRouter()
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def find_visible(archive: Archive, ref: str, user: User) -> int:
    """The id `ref` names, if `user` may see it: a secret document is as missing as one never issued (404)."""
    from archive import find_document

    try:
        return find_document(archive.db, ref, include_secret=user.secret)
    except ArchiveError as exc:
        raise HTTPException(404, str(exc)) from exc


def load_visible(archive: Archive, ref: str, user: User):
    from archive import load_record

    return load_record(archive.db, find_visible(archive, ref, user), archive.store, include_secret=user.secret)


def viewed(archive: Archive, ref: str, user: User):
    """A document the user opens, and its history; the view is audited."""
    from archive.audit import history

    record = load_visible(archive, ref, user)
    record_use(archive, user.name, "web view", document=record.id)
    return record, history(archive.db, record.id)


@router.get("/api/documents", tags=["documents"])
def api_list(year: int | None = None, kind: str | None = None, register: str | None = None,
             user: User = Depends(require("view")), archive: Archive = Depends(open_archive)) -> dict:
    from archive import list_documents

    with archive.reading() as db:
        records = list_documents(db, year=year, kind=kind, register=register, store=archive.store,
                                 include_secret=user.secret)
    return {"count": len(records), "documents": [r.as_dict() for r in records]}


@router.get("/api/documents/{ref:path}", tags=["documents"])
def api_show(ref: str, user: User = Depends(require("view")), archive: Archive = Depends(open_archive)):
    """A document by id or number-symbol (as `docgen show --json`); `.../docx` and `.../pdf` its stored copies."""
    base, _, role = ref.rpartition("/")
    if base and role in MEDIA:
        return stored_copy(archive, base, role, user)
    if base and role == "preview":
        return preview(archive, base, user)
    record, events = viewed(archive, ref, user)
    return {**record.as_dict(), "history": events}


def stored_copy(archive: Archive, ref: str, role: str, user: User) -> Response:
    """The stored DOCX or PDF, its hash checked."""
    ensure_may(user, "download")
    record = load_visible(archive, ref, user)
    try:
        _, content = read_copy(archive.store, record, role)
    except MissingCopy as exc:
        raise HTTPException(404, f"{record.number_symbol} has no {role.upper()} yet") from exc
    except IntegrityProblem as exc:
        raise HTTPException(500, f"{record.number_symbol}: {exc}") from exc
    record_use(archive, user.name, "web download", document=record.id, role=role)
    name = re.sub(r"[^\w.-]+", "-", record.number_symbol, flags=re.ASCII).strip("-") or str(record.id)
    return Response(content, media_type=MEDIA[role],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{role}"'})


def preview(archive: Archive, ref: str, user: User) -> Response:
    """The first page of the document's PDF as a small PNG (404 without a PDF)."""
    from archive.previews import first_page_png

    record = load_visible(archive, ref, user)
    image = first_page_png(archive, record)
    if image is None:
        raise HTTPException(404, f"{record.number_symbol} has no PDF to show")
    return Response(image, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


class IssueRequest(BaseModel):
    kind: str = Field(max_length=64)
    data: dict[str, Any]
    date: dt.date | None = None
    pdf: bool = False


@router.post("/api/documents", status_code=201, tags=["documents"])
def api_issue(body: IssueRequest, request: Request, user: User = Depends(require("issue")),
              archive: Archive = Depends(open_archive)) -> dict:
    """Issue a document (the home's agency; an `agency` key in data is ignored): `docgen issue --json`."""
    from archive import issue_document


    check_csrf(request, request.headers.get("x-csrf-token"))
    data = {k: v for k, v in body.data.items() if k != "agency"}
    issued = issue_document(archive, body.kind, data, date=body.date, pdf=body.pdf, actor=user.name,
                            include_secret=user.secret)
    return issued.as_dict()


class Supersede(BaseModel):
    by: str = Field(max_length=200, description="The newer document (id or number-symbol) that revokes or replaces it")


@router.post("/api/documents/{ref:path}", tags=["documents"])
def api_supersede(ref: str, body: Supersede, request: Request, user: User = Depends(current_user),
                  archive: Archive = Depends(open_archive)) -> dict:
    """`.../revoke` or `.../replace` with {"by": ID}: as `docgen revoke|replace ID --by ID --json`."""
    import archive as lib

    base, _, verb = ref.rpartition("/")
    if not base or verb not in ("revoke", "replace"):
        raise HTTPException(404, "POST /api/documents/{id}/revoke or /replace")
    ensure_may(user, verb)
    check_csrf(request, request.headers.get("x-csrf-token"))
    old, new = find_visible(archive, base, user), find_visible(archive, body.by, user)
    return getattr(lib, verb)(archive, old, by=new, actor=user.name).as_dict()


# -- pages ---------------------------------------------------------------------------------


@router.get("/documents/{ref:path}", include_in_schema=False)
def document_page(request: Request, ref: str, user: User = Depends(require("view")),
                  archive: Archive = Depends(open_archive)):
    from archive.records import STATUS_LABELS

    record, events = viewed(archive, ref, user)
    return render_page(request, "document.html", {"user": user, "record": record, "history": events,
                                                  "status": STATUS_LABELS[record.status]})
