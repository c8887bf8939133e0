"""Numbering the submission and the minutes through the archive's registers (`--issue`).

The archive package depends on docgen, so it is imported here only when a dossier is
issued. The minutes are issued in the council's name and so take their number from the
council's own register (archive.register.NumberRegister.register_for).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..agency import Agency
from ..errors import DataError
from .build import Issuer


def archive_issuer(archive: Any, agency: Agency, *, actor: str | None = None) -> Issuer:
    """An Issuer that records each document in `archive` and hands back the stored .docx."""
    from archive import issue_document

    theirs = archive.agency
    if (theirs.code, theirs.full_name) != (agency.code, agency.full_name):
        raise DataError(str(archive.home), [
            f"the archive belongs to {theirs.full_name} ({theirs.code}), the campaign to {agency.full_name} "
            f"({agency.code}): issue the dossier in its own agency's archive (--home)"])

    def issue(kind: str, data: Mapping[str, Any], date: dt.date) -> tuple[int, dt.date, bytes | None]:
        record = issue_document(archive, kind, data, date=date, pdf=False, actor=actor).record
        docx = archive.store.read_verified(record.files["docx"].sha256) if "docx" in record.files else None
        return record.number, dt.date.fromisoformat(record.date), docx

    return issue
