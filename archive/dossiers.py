"""Numbering a nomination dossier's submission and minutes through the archive's registers
(`docgen dossier build --issue`); docgen builds the dossier and never touches the archive.

The minutes are issued in the council's name and so take their number from the council's
own register (archive.register.NumberRegister.register_for). A build killed after taking
its numbers and run again gets the same documents back (issue_document's `reuse`): the
same dossier is never numbered twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from docgen.agency import Agency

from .errors import ArchiveError
from .home import Archive
from .issuing import issue_document


class DossierIssuer:
    """docgen.dossier's Issuer over an archive: records each document and hands back the stored
    .docx; `warnings` says which documents were issued by an earlier run and reused."""

    def __init__(self, archive: Archive, agency: Agency, *, actor: str | None = None):
        theirs = archive.agency
        if (theirs.code, theirs.full_name) != (agency.code, agency.full_name):
            raise ArchiveError(f"{archive.home}: the archive belongs to {theirs.full_name} ({theirs.code}), the "
                               f"campaign to {agency.full_name} ({agency.code}): issue the dossier in its own "
                               "agency's archive (--home)")
        self.archive, self.actor = archive, actor
        self.warnings: list[str] = []

    def __call__(self, kind: str, data: Mapping[str, Any], date: dt.date) -> tuple[int, dt.date, bytes | None]:
        issued = issue_document(self.archive, kind, data, date=date, pdf=False, actor=self.actor, reuse=True)
        self.warnings += issued.warnings
        record = issued.record
        docx = self.archive.store.read_verified(record.files["docx"].sha256) if "docx" in record.files else None
        return record.number, dt.date.fromisoformat(record.date), docx
