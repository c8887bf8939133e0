"""Importing documents issued elsewhere (clerks): POST /api/import and the Import page, over index.import_files.

Uploads are bounded (WEB_IMPORT_FILES files, WEB_IMPORT_BYTES in all, each file as `docgen import` bounds it),
saved under names of our making and checked by content as the CLI checks them. A user without the secret
right cannot import a document marked secret: it is skipped, nothing stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile

from archive import Archive
from archive.users import User, record_use
from docgen.errors import DocgenError
from docgen.limits import WEB_IMPORT_BYTES, WEB_IMPORT_FILES, size_text

from .auth import check_csrf, open_archive, require
from .pages import render_page
from .uploads import as_uploaded, save_upload, told_as_uploaded

router = APIRouter()
# The parts an import may not find in a text (index.recognize.FIELDS), as the page names them.
PART_LABELS = {"agency": "cơ quan ban hành", "number_symbol": "số, ký hiệu", "place": "địa danh", "date": "ngày",
               "kind": "loại văn bản", "subject": "trích yếu", "addressees": "kính gửi", "recipients": "nơi nhận",
               "signer_title": "chức vụ người ký", "signer_name": "người ký"}


def import_uploads(archive: Archive, user: User, files: list[UploadFile], settings: list[str]) -> dict:
    """What `docgen import --json` prints for the uploaded files, each named as uploaded."""
    from index import import_files, parse_overrides
    from index.importer import index_imported

    files = [f for f in files if f.filename]
    if not files:
        raise HTTPException(422, "files: no file was uploaded")
    if len(files) > WEB_IMPORT_FILES:
        raise HTTPException(413, f"{len(files)} files: at most {WEB_IMPORT_FILES} in one import")
    overrides = parse_overrides([s for s in settings if s.strip()])
    with tempfile.TemporaryDirectory(prefix="docgen-web-") as tmp:
        names, left = {}, WEB_IMPORT_BYTES
        for index, upload in enumerate(files, 1):
            folder = Path(tmp) / f"{index:03d}"  # two uploads of one name stay two files
            folder.mkdir()
            try:
                path = save_upload(upload, folder, f"tep-{index}", left)
            except HTTPException:
                raise HTTPException(413, f"the files are more than the {size_text(WEB_IMPORT_BYTES)} one import "
                                         "may have") from None
            left -= path.stat().st_size
            names[str(path)] = path.name
        try:
            report = import_files(archive, [Path(p) for p in names], overrides=overrides, actor=user.name,
                                  include_secret=user.secret)
        except DocgenError as exc:
            raise told_as_uploaded(exc, names) from None
        index_imported(archive, report)
    answer = report.as_dict()
    for item in answer["imported"] + answer["skipped"]:
        if "reason" in item:
            item["reason"] = as_uploaded(item["reason"], names)
        item["file"] = names.get(item["file"], item["file"])
        item.pop("path", None)  # where the store keeps it: not the user's business
    answer["warnings"] = [as_uploaded(w, names) for w in answer["warnings"]]
    record_use(archive, user.name, "web import", files=len(files), imported=len(answer["imported"]),
               skipped=len(answer["skipped"]))
    return answer


@router.post("/api/import", tags=["import"])
def api_import(request: Request, files: list[UploadFile] = File(..., description="documents: .docx .pdf .doc .txt "
                                                                                   "or scans (.png .jpg .tif)"),
               set: list[str] = Form([], description="field=value for every file, as `docgen import --set`"),
               user: User = Depends(require("import")), archive: Archive = Depends(open_archive)) -> dict:
    """Import documents issued elsewhere (`docgen import --json`): what was imported and what was skipped, why."""
    check_csrf(request, request.headers.get("x-csrf-token"))
    return import_uploads(archive, user, files, set)


@router.get("/import", include_in_schema=False)
def import_page(request: Request, user: User = Depends(require("import"))):
    return render_page(request, "import.html", page_context(user))


def page_context(user: User, report: dict | None = None, error: str | None = None) -> dict:
    from docgen.catalog import list_kinds

    return {"user": user, "report": report, "error": error, "kinds": list_kinds(), "limit_files": WEB_IMPORT_FILES,
            "limit_bytes": size_text(WEB_IMPORT_BYTES), "part_labels": PART_LABELS}


@router.post("/import", include_in_schema=False)
def import_form(request: Request, files: list[UploadFile] = File(...), kind: str = Form("", max_length=64),
                date: str = Form("", max_length=32), csrf: str = Form(""), user: User = Depends(require("import")),
                archive: Archive = Depends(open_archive)):
    check_csrf(request, csrf)
    settings = [f"kind={kind}" if kind else "", f"date={date}" if date else ""]
    try:
        report = import_uploads(archive, user, files, settings)
    except DocgenError as exc:
        return render_page(request, "import.html", page_context(user, error=str(exc)), status_code=422)
    return render_page(request, "import.html", page_context(user, report))
