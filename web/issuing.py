"""The clerk's Issue page (a form generated from the kind's model, or a data file; Preview, Issue) and
the kinds it offers: GET /api/kinds, GET /api/kinds/{kind}/form."""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from archive import Archive
from archive.errors import SecretRefused
from archive.users import User
from docgen.errors import DataError, DocgenError
from docgen.limits import DATA_FILE_BYTES

from .auth import check_csrf, current_user, open_archive, require
from .pages import render_page
from .uploads import safe_name, told_as_uploaded

router = APIRouter()
PREVIEWS = "web-previews"  # draft PDFs of the Preview button, under the home, each for its clerk only
PREVIEW_SECONDS = 3600
# Inputs of one posted form at most: a data file's list of rows, a few columns each.
FORM_FIELDS = 20_000


def issuable() -> list[dict[str, Any]]:
    from docgen.catalog import list_kinds
    from docgen.kinds import get_kind

    return [{**row, "numbered": get_kind(row["name"]).numbered} for row in list_kinds()]


@router.get("/api/kinds", tags=["kinds"])
def api_kinds(user: User = Depends(current_user)) -> list[dict]:
    """The kinds (as `docgen kinds --json`), and whether each is numbered (issued) or an annex."""
    return issuable()


@router.get("/api/kinds/{kind}/form", tags=["kinds"])
def api_form(kind: str, user: User = Depends(current_user), archive: Archive = Depends(open_archive)) -> dict:
    """The kind's form: each field's input, Vietnamese label, help and example, the choices (the signer,
    drafting unit and council from the home's agency file), repeated rows, and the markup rules."""
    from docgen.forms import form_description

    try:
        return form_description(kind, archive.agency)
    except DocgenError as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/issue", include_in_schema=False)
def issue_page(request: Request, kind: str = Query("", max_length=64), example: bool = False,
               user: User = Depends(require("issue")), archive: Archive = Depends(open_archive)):
    """Choose a kind; its form, blank or filled with the kind's example."""
    from docgen.catalog import example_data

    data = example_data(kind) if kind and example else {}
    return issue_view(request, user, archive, kind, data)


def issue_view(request: Request, user: User, archive: Archive, kind: str, data: dict, *, problems=(),
               preview=None, more_rows: str = "", text: str = "", status_code: int = 200):
    from docgen.forms import ARTICLES_RULES, MARKUP_RULES, field_messages, form_fields, form_values, walk
    from docgen.kinds import KINDS

    kinds = [row for row in issuable() if row["numbered"]]
    if kind not in KINDS or not KINDS[kind].numbered:
        kind = ""
    fields = form_fields(kind, archive.agency) if kind else []
    values, counts = form_values(kind, data, more_rows) if kind else ({}, {})
    errors, others = field_messages(list(problems))
    widgets = {f.widget for f in walk(fields)}
    return render_page(request, "issue.html", {
        "user": user, "kinds": kinds, "kind": kind, "label": KINDS[kind].label if kind else "",
        "fields": fields, "values": values, "counts": counts, "errors": errors, "problems": others,
        "preview": preview, "text": text,
        "markup_rules": MARKUP_RULES if "markup" in widgets else None,
        "articles_rules": ARTICLES_RULES if "articles" in widgets else None,
    }, status_code=status_code)


@router.post("/issue", include_in_schema=False)
async def issue_form(request: Request, user: User = Depends(require("issue")),
                     archive: Archive = Depends(open_archive)):
    """Preview (the draft PDF and the checker's findings), issue, or add rows to a list, from the
    generated form's inputs, an uploaded data file, or data typed as YAML."""
    from docgen.forms import form_data
    from docgen.kinds import KINDS

    async with request.form(max_files=1, max_fields=FORM_FIELDS, max_part_size=DATA_FILE_BYTES + 1) as posted:
        check_csrf(request, str(posted.get("csrf", "")))
        kind, action = str(posted.get("kind", ""))[:64], str(posted.get("action", "preview"))[:200]
        upload, text = posted.get("upload"), str(posted.get("text", ""))[:DATA_FILE_BYTES]
        if kind not in KINDS:
            raise DocgenError(f"unknown document kind {kind!r}; known kinds: {', '.join(KINDS)}")
        source = None
        if isinstance(upload, UploadFile) and upload.filename:
            name = safe_name(upload.filename, "du-lieu.yaml")
            source = (name if Path(name).suffix.lower() in (".yaml", ".yml", ".json") else name + ".yaml",
                      await upload.read(DATA_FILE_BYTES + 1))
        elif text.strip():
            source = ("du-lieu.yaml", text.encode("utf-8"))
        data = {} if source else form_data(kind, posted)
    if action.startswith("rows:"):
        return issue_view(request, user, archive, kind, data, more_rows=action[5:])
    return await run_in_threadpool(preview_or_issue, request, user, archive, kind, data, source, action == "issue",
                                   text)


def preview_or_issue(request: Request, user: User, archive: Archive, kind: str, data: dict,
                     source: tuple[str, bytes] | None, issue: bool, text: str):
    from archive import issue_document
    from archive.issuing import preview_issue

    with tempfile.TemporaryDirectory(prefix="docgen-web-") as folder:
        given: Any = data
        if source:
            given = Path(folder) / source[0]
            given.write_bytes(source[1][:DATA_FILE_BYTES + 1])
        try:
            if issue:
                issued = issue_document(archive, kind, given, pdf=True, actor=user.name, include_secret=user.secret)
                return RedirectResponse(f"/documents/{issued.record.id}", status_code=303)
            previewed = preview_issue(archive, kind, given, include_secret=user.secret)
            token, pdf_problem = keep_preview(archive, user, previewed.rendered.docx)
        except SecretRefused:
            raise  # 403 (web/app.py)
        except DocgenError as exc:
            problems = exc.problems if isinstance(exc, DataError) and not source else [
                str(told_as_uploaded(exc, {f"{folder}/": ""}))]
            return issue_view(request, user, archive, kind, data, problems=problems, text=text, status_code=422)
    doc = previewed.doc
    preview = {"label": doc.kind.label, "metadata": doc.metadata(),
               "number_symbol": doc.with_number(previewed.number, previewed.date).number_symbol,
               "findings": previewed.findings, "pdf": token, "pdf_problem": pdf_problem}
    return issue_view(request, user, archive, kind, data, preview=preview, text=text)


def _previews(archive: Archive, user: User) -> Path:
    return archive.home / PREVIEWS / hashlib.sha256(user.name.encode()).hexdigest()[:24]


def keep_preview(archive: Archive, user: User, docx: bytes) -> tuple[str | None, str | None]:
    """The draft as PDF, kept an hour for its clerk: (its token, None), or (None, why there is no PDF)."""
    from docgen.pdf import convert_to_pdf

    folder = _previews(archive, user)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pdf"):
        if old.stat().st_mtime < time.time() - PREVIEW_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as work:
        draft = Path(work) / f"{token}.docx"
        draft.write_bytes(docx)
        try:
            convert_to_pdf([draft], out_dir=folder)
        except DocgenError as exc:
            return None, str(exc)
    return token, None


@router.get("/issue/preview/{token}.pdf", include_in_schema=False)
def preview_pdf(token: str, user: User = Depends(require("issue")), archive: Archive = Depends(open_archive)):
    """A draft PDF of the Preview button, to the clerk who made it only."""
    if not re.fullmatch(r"[\w-]{10,64}", token) or not (path := _previews(archive, user) / f"{token}.pdf").is_file():
        raise HTTPException(404, "Bản nháp không còn (mỗi bản xem trước được giữ một giờ): bấm Xem trước lại")
    return FileResponse(path, media_type="application/pdf",
                        headers={"Content-Disposition": 'inline; filename="ban-nhap.pdf"'})
