"""Nomination dossiers (drafters, no numbering): POST /api/dossiers builds one from an uploaded campaign file
and nominee sheet with the home's agency, GET /api/dossiers/{id} hands its ZIP to whoever built it (or an
admin) for a day; and the Dossier page over the same calls."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from archive import Archive
from archive.users import User, record_use
from docgen.errors import DocgenError
from docgen.limits import DATA_FILE_BYTES, SHEET_FILE_BYTES

from .auth import check_csrf, open_archive, require
from .pages import render_page
from .uploads import save_upload, told_as_uploaded

router = APIRouter()
CACHE = "web-cache/dossiers"  # under the home
KEEP_SECONDS = 24 * 3600
KEEP_FILES = 50  # the oldest go first past these
KEEP_BYTES = 2 * 1024 ** 3
DOSSIER_ID = re.compile(r"^[A-Za-z0-9_-]{24}$")


def cache_folder(archive: Archive) -> Path:
    folder = archive.home / CACHE
    folder.parent.mkdir(exist_ok=True, mode=0o700)  # private like the rest of the home
    folder.mkdir(exist_ok=True, mode=0o700)
    return folder


def prune(folder: Path) -> None:
    """Forget dossiers older than a day, then the oldest past KEEP_FILES or KEEP_BYTES."""
    stats = []
    for path in folder.glob("*.zip"):
        try:
            stats.append((path.stat(), path))
        except FileNotFoundError:  # pruned by another worker meanwhile
            pass
    kept, size, cutoff = 0, 0, time.time() - KEEP_SECONDS
    for stat, path in sorted(stats, key=lambda s: s[0].st_mtime, reverse=True):
        kept, size = kept + 1, size + stat.st_size
        if stat.st_mtime < cutoff or kept > KEEP_FILES or size > KEEP_BYTES:
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)


def build(archive: Archive, user: User, campaign: UploadFile, nominees: UploadFile) -> dict:
    """The build report (`docgen dossier build --json`) with the id its ZIP is downloaded by; the campaign's
    own agency and detail folder are not read (the home's agency is used)."""
    from docgen.dossier import build_dossier, load_campaign

    folder = cache_folder(archive)
    prune(folder)
    dossier_id = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="docgen-web-") as tmp:
        tmp = Path(tmp)
        campaign_path = save_upload(campaign, tmp, "campaign.yaml", DATA_FILE_BYTES, suffixes=(".yaml", ".yml", ".json"))
        sheet_path = save_upload(nominees, tmp, "nominees.xlsx", SHEET_FILE_BYTES, suffixes=(".xlsx", ".csv"))
        staged = tmp / "dossier.zip"
        try:
            loaded = load_campaign(campaign_path, agency=archive.agency, details=False)
            report = build_dossier(loaded, sheet_path, staged)
        except DocgenError as exc:
            raise told_as_uploaded(exc, {f"{tmp}/": ""}) from None
        answer = report.as_json()
        answer.update(campaign=campaign_path.name, nominees=sheet_path.name, output=None, id=None, download=None)
        if report.ok:
            os.chmod(staged, 0o600)
            with open(os.open(folder / f"{dossier_id}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
                json.dump({"owner": user.name, "campaign": campaign_path.name}, out)
            shutil.move(staged, folder / f"{dossier_id}.zip")  # /tmp may be another file system
            answer.update(id=dossier_id, download=f"/api/dossiers/{dossier_id}")
    record_use(archive, user.name, "web dossier", id=answer["id"], campaign=campaign_path.name,
               nominees=sheet_path.name, accepted=len(answer["accepted"]), rejected=len(answer["rejected"]))
    return answer


@router.post("/api/dossiers", tags=["dossiers"])
def api_build(request: Request, campaign: UploadFile = File(..., description="the campaign file (.yaml)"),
              nominees: UploadFile = File(..., description="the nominee list as the units sent it (.xlsx or .csv)"),
              user: User = Depends(require("dossier")), archive: Archive = Depends(open_archive)) -> dict:
    """Check the nominee list and build the dossier without numbers (`docgen dossier build --json`): who is
    accepted and who is rejected with the reasons, and `download`, where its ZIP is for a day."""
    check_csrf(request, request.headers.get("x-csrf-token"))
    return build(archive, user, campaign, nominees)


@router.get("/api/dossiers/{dossier_id}", tags=["dossiers"])
def api_download(dossier_id: str, user: User = Depends(require("dossier")),
                 archive: Archive = Depends(open_archive)) -> Response:
    """The ZIP of a dossier built within the day, for the user who built it or an admin (404 for anyone else)."""
    folder = cache_folder(archive)
    prune(folder)
    missing = HTTPException(404, "no such dossier (a dossier is kept for a day after it is built)")
    if not DOSSIER_ID.match(dossier_id):
        raise missing
    try:
        owner = json.loads((folder / f"{dossier_id}.json").read_text())["owner"]
        opened = open(folder / f"{dossier_id}.zip", "rb")  # noqa: SIM115 (kept open: a prune may remove the name)
    except FileNotFoundError:
        raise missing from None
    if owner != user.name and not user.may("users"):
        opened.close()
        raise missing
    record_use(archive, user.name, "web dossier download", id=dossier_id)
    content = opened.read()
    opened.close()
    return Response(content, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="ho-so-de-nghi-khen-thuong-{dossier_id[:6]}.zip"'})


# -- the page ------------------------------------------------------------------------------


@router.get("/dossier", include_in_schema=False)
def dossier_page(request: Request, user: User = Depends(require("dossier"))):
    return render_page(request, "dossier.html", {"user": user, "report": None, "error": None})


@router.post("/dossier", include_in_schema=False)
def dossier_form(request: Request, campaign: UploadFile = File(...), nominees: UploadFile = File(...),
                 csrf: str = Form(""), user: User = Depends(require("dossier")),
                 archive: Archive = Depends(open_archive)):
    check_csrf(request, csrf)
    try:
        report = build(archive, user, campaign, nominees)
    except DocgenError as exc:
        return render_page(request, "dossier.html", {"user": user, "report": None, "error": str(exc)},
                           status_code=422)
    return render_page(request, "dossier.html", {"user": user, "report": report, "error": None})
