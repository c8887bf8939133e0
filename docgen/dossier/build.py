"""From the campaign file and the units' nominee list to the dossier sent to the Ministry.

    report = build_dossier("campaign.yaml", "nominees.xlsx", "ho-so.zip")
    report.accepted, report.rejected, report.files

Order of work: screen the list and validate every document's data first, so a fault stops
the build before any number is taken or any file is written; then number (with an
issuer), render, convert in one LibreOffice run, and write the ZIP in one rename.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol

from ..compose import load_document
from ..errors import DocgenError
from ..kinds import Document
from ..pdf import find_soffice
from ..render import render_document
from . import documents
from .campaign import LoadedCampaign
from .checklist import KIND as CHECKLIST
from .documents import Listed
from .folding import slug
from .nominee_sheet import Entry
from .package import MANIFEST, Part, write_dossier
from .report import DossierReport, report_of
from .rules import Rules
from .screening import Screening, screen


class Issuer(Protocol):
    """Numbers a document through the register: returns its number, its date and, when the
    register keeps the rendered file, that file's bytes (so the dossier holds the same copy)."""

    def __call__(self, kind: str, data: Mapping[str, Any], date: dt.date) -> tuple[int, dt.date, bytes | None]: ...


@dataclass
class Composed:
    """The documents of a dossier, validated, before they are numbered and rendered."""

    submission: Document
    submission_data: dict[str, Any]
    minutes: Document
    minutes_data: dict[str, Any]
    reports: list[tuple[Entry, Document]]


def build_dossier(campaign: str | Path | LoadedCampaign, nominees: str | Path, output: str | Path, *,
                  strict: bool = False, rules: str | Path | Rules | None = None, issue: Issuer | None = None,
                  progress: Callable[[str], None] | None = None, today: dt.date | None = None) -> DossierReport:
    """Check the list and build the dossier ZIP at `output`.

    Rejected nominees are listed in the report and left out of the dossier; with `strict`
    any rejection stops the build (no ZIP). Bad input raises DataError (SheetError for the
    list) naming the file, sheet, row and column, before anything is written.
    """
    say = progress or (lambda _message: None)
    say("Đọc và kiểm tra danh sách đề nghị")
    screening = screen(campaign, nominees, rules=rules, today=today)
    report = report_of(screening)
    if strict and screening.selection.rejected:
        report.stopped = (f"--strict: {report.counts['rejected']['text']} không đủ điều kiện; không tạo hồ sơ")
        return report
    if not screening.selection.accepted:
        report.stopped = "không có tập thể, cá nhân nào đủ điều kiện; không tạo hồ sơ"
        return report

    say("Kiểm tra dữ liệu các văn bản")
    composed = compose(screening)
    issued: dict[str, bytes | None] = {}
    if issue is not None:
        find_soffice()  # no number is taken when the PDFs could not be made
        say("Lấy số Biên bản và Tờ trình qua sổ đăng ký")
        issued = _issue_both(issue, composed, screening, today)

    say(f"Tạo {len(composed.reports) + 3} văn bản")
    parts = _parts(screening, composed, issued)
    try:
        files = write_dossier(parts, Path(output), _manifest(screening, report), progress=say)
    except DocgenError as exc:
        if not issued:
            raise
        raise DocgenError(
            f"{exc}\nNo ZIP was written, but {composed.minutes.number_symbol} and {composed.submission.number_symbol} "
            f"are issued: run the same command again once the fault is fixed (the archive hands back documents "
            f"already issued from the same data), or set meeting.number: {composed.minutes.number} and "
            f"submission.number: {composed.submission.number} in {screening.loaded.path} and run again without "
            "--issue") from exc
    report.files = [{"path": MANIFEST, "sha256": None, "bytes": None}, *files]
    report.documents = [{"file": p.stem, "kind": p.kind, "title": p.title, "number_symbol": p.number_symbol,
                         "pages": p.pages} for p in parts]
    report.output = str(output)
    return report


def compose(screening: Screening) -> Composed:
    """Every document's data, validated by its kind's model (errors name the file they come from)."""
    loaded, award, selection = screening.loaded, screening.award, screening.selection
    agency, source = loaded.agency, str(loaded.path)
    submission_data = documents.submission(loaded, award, selection)
    minutes_data = documents.minutes(loaded, award, selection)
    reports = []
    for entry in selection.accepted:
        item = screening.detail_of(entry)
        data = documents.achievement_report(loaded, award, entry, item.detail if item else None, screening.rules)
        where = str(item.path) if item else f"{screening.nominees.file}, {entry.where}"
        reports.append((entry, load_document("bao_cao_thanh_tich", data, agency=agency, source=where)))
    return Composed(
        load_document("to_trinh", submission_data, agency=agency, source=f"{source} (Tờ trình)"), submission_data,
        load_document("bien_ban", minutes_data, agency=agency, source=f"{source} (Biên bản)"), minutes_data,
        reports,
    )


def _issue_both(issue: Issuer, composed: Composed, screening: Screening, today: dt.date | None) -> dict[str, bytes | None]:
    # The meeting comes before the submission, so its number is taken first.
    composed.minutes, minutes_docx = _issue(issue, composed.minutes, composed.minutes_data, today)
    try:
        composed.submission, submission_docx = _issue(issue, composed.submission, composed.submission_data, today)
    except DocgenError as exc:
        raise DocgenError(f"{exc}\nThe minutes were already issued as {composed.minutes.number_symbol}: run the "
                          "same command again once the submission can be issued (the same minutes are used, not "
                          f"numbered again), or set meeting.number: {composed.minutes.number} in "
                          f"{screening.loaded.path} and run again without --issue") from exc
    return {"minutes": minutes_docx, "submission": submission_docx}


def _issue(issue: Issuer, doc: Document, data: dict[str, Any], today: dt.date | None) -> tuple[Document, bytes | None]:
    number, date, docx = issue(doc.kind.name, {k: v for k, v in data.items() if k != "number"},
                               doc.date or today or dt.date.today())
    return doc.with_number(number, date), docx


def _parts(screening: Screening, composed: Composed, issued: dict[str, bytes | None]) -> list[Part]:
    """The documents in dossier order: checklist, submission, minutes, achievement reports."""
    award, selection = screening.award, screening.selection
    width = max(2, len(str(len(composed.reports) + 3)))

    def stem(n: int, name: str) -> str:
        return f"{n:0{width}d}-{name}"

    submission, minutes = composed.submission, composed.minutes
    parts = [
        _part(stem(2, "to-trinh"), submission, f"Tờ trình {_numbered(submission)}", issued.get("submission")),
        _part(stem(3, "bien-ban"), minutes, f"Biên bản họp Hội đồng {_numbered(minutes)}", issued.get("minutes")),
    ]
    for n, (entry, doc) in enumerate(composed.reports, start=4):
        parts.append(_part(stem(n, f"bao-cao-thanh-tich-{slug(entry.name, 40)}"), doc, f"Báo cáo thành tích: {entry.name}"))
    listed = [
        Listed(f"Tờ trình đề nghị tặng {award.name}, kèm theo danh sách {selection.counts(selection.accepted)}",
               submission.number_symbol if submission.number else None, submission.date),
        Listed(f"Biên bản họp {documents.council_name(screening.loaded)}",
               minutes.number_symbol if minutes.number else None, minutes.date),
        *[Listed(f"Báo cáo thành tích của {entry.type_word.lower()} {entry.name}"
                 + (f", {entry.unit}" if entry.type == "individual" and entry.unit else ""), None, None)
          for entry, _ in composed.reports],
    ]
    checklist = load_document(CHECKLIST, documents.checklist(screening.loaded, award, selection, listed),
                              agency=screening.loaded.agency, source=f"{screening.loaded.path} (Danh mục hồ sơ)")
    return [_part(stem(1, "danh-muc-ho-so"), checklist, "Danh mục hồ sơ"), *parts]


def _numbered(doc: Document) -> str:
    return f"số {doc.number_symbol}" if doc.number else "(dự thảo)"


def _part(stem: str, doc: Document, title: str, docx: bytes | None = None) -> Part:
    return Part(stem, doc.kind.name, title, docx if docx is not None else render_document(doc).docx,
                doc.number_symbol if doc.number else None, doc.date.isoformat() if doc.date else None)


def _manifest(screening: Screening, report: DossierReport) -> dict[str, Any]:
    c = screening.loaded.campaign
    return {
        "dossier": {"award": screening.award.name, "movement": c.movement, "period": c.period,
                    "agency": screening.loaded.agency.full_name, "campaign": screening.loaded.path.name,
                    "nominees": Path(screening.nominees.file).name, "rules": Path(screening.rules.source).name,
                    "built_at": dt.datetime.now().astimezone().isoformat(timespec="seconds")},
        "counts": report.counts,
        "accepted": report.accepted,
        "rejected": report.rejected,
    }


__all__ = ["Composed", "DossierReport", "Issuer", "build_dossier", "compose"]
