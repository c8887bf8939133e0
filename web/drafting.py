"""Drafts without a number and checks of any .docx (drafters): POST /api/render, POST /api/check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from archive import Archive
from archive.users import User, record_use
from docgen.limits import DATA_FILE_BYTES

from .auth import check_csrf, open_archive, require
from .documents import MEDIA
from .pages import render_page
from .uploads import safe_name

router = APIRouter()


class RenderRequest(BaseModel):
    kind: str = Field(max_length=64)
    data: dict[str, Any]
    date: dt.date | None = None


@router.post("/api/render", tags=["drafting"])
def api_render(body: RenderRequest, request: Request, user: User = Depends(require("render")),
               archive: Archive = Depends(open_archive)) -> Response:
    """The draft .docx (no number; the home's agency), as `docgen render` writes it."""
    from docgen import render

    check_csrf(request, request.headers.get("x-csrf-token"))
    data = {k: v for k, v in body.data.items() if k not in ("agency", "number")}
    draft = render(body.kind, data, agency=archive.agency, date=body.date)
    record_use(archive, user.name, "web render", kind=body.kind)
    return Response(draft.docx, media_type=MEDIA["docx"],
                    headers={"Content-Disposition": 'attachment; filename="du-thao.docx"'})


@router.post("/api/check", tags=["drafting"])
def api_check(request: Request, file: UploadFile = File(...), user: User = Depends(require("check")),
              archive: Archive = Depends(open_archive)) -> dict:
    """Findings against Decree 30 for an uploaded .docx, as `docgen check --json` gives them for one file."""
    check_csrf(request, request.headers.get("x-csrf-token"))
    return checked_upload(archive, user, file)


def checked_upload(archive: Archive, user: User, file: UploadFile) -> dict:
    """One uploaded .docx checked (docgen.check.check_upload), the check audited."""
    from docgen.check import check_upload

    name = safe_name(file.filename, "van-ban.docx")
    findings = check_upload(file.file.read(DATA_FILE_BYTES + 1), name)
    record_use(archive, user.name, "web check", file=name, findings=len(findings))
    return {"file": name, "ok": not findings, "findings": [f.as_dict() for f in findings]}


# -- the page ------------------------------------------------------------------------------


@router.get("/check", include_in_schema=False)
def check_page(request: Request, user: User = Depends(require("check"))):
    return render_page(request, "check.html", {"user": user, "result": None})


@router.post("/check", include_in_schema=False)
def check_form(request: Request, file: UploadFile = File(...), csrf: str = Form(""),
               user: User = Depends(require("check")), archive: Archive = Depends(open_archive)):
    """The findings for the uploaded .docx, on the page."""
    check_csrf(request, csrf)
    return render_page(request, "check.html", {"user": user, "result": checked_upload(archive, user, file)})
