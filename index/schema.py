"""The Whoosh schema, and what the archive hands the index for one document (an `Entry`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from whoosh import fields

from docgen.vietnamese import nfc

from .analysis import cited_symbols, date_key, date_keys, fold, folded_analyzer, marked_analyzer, symbol_key

# Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 1


def build_schema() -> fields.Schema:
    marked, folded = marked_analyzer(), folded_analyzer()
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),  # "12" for an issued document, "i3" for an imported one
        number_symbol=fields.ID(stored=True),  # exactly as written
        symbol_key=fields.KEYWORD(scorable=True),  # normalised forms of its own number-symbol
        cites=fields.KEYWORD(scorable=True),  # normalised number-symbols its text mentions
        kind=fields.ID(stored=True, sortable=True),
        # Marked fields only tell exact marks apart (term matches); positions for phrases and
        # closeness are kept once, in the folded fields, which is where phrases are matched.
        subject=fields.TEXT(analyzer=marked, stored=True, phrase=False),
        subject_folded=fields.TEXT(analyzer=folded, phrase=True),
        content=fields.TEXT(analyzer=marked, stored=True, phrase=False),
        content_folded=fields.TEXT(analyzer=folded, phrase=True),
        signer=fields.TEXT(analyzer=folded, phrase=True),
        unit=fields.KEYWORD(lowercase=True),
        agency=fields.TEXT(analyzer=folded, phrase=True),
        date=fields.DATETIME(stored=True, sortable=True),
        year=fields.NUMERIC(stored=True, sortable=True),
        newest=fields.NUMERIC(sortable=True),  # yyyymmdd, 0 when undated: sorting newest first puts those last
        issued_on=fields.KEYWORD,
        dates=fields.KEYWORD,
        secret=fields.BOOLEAN(stored=True),
        status=fields.ID(stored=True),
        meta=fields.STORED,  # the rest of what a hit shows, and the entry's fingerprint
    )


@dataclass
class Entry:
    """One document as the archive hands it to the index: its metadata and its text."""

    key: str
    kind: str
    subject: str
    text: str
    status: str
    number_symbol: str | None = None
    type_name: str | None = None
    date: dt.date | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    drafting_unit: str | None = None
    agency: str | None = None
    secrecy: str | None = None
    # What identifies this version of the document (file hashes, status): changes => re-index.
    fingerprint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return "imported" if self.key.startswith("i") else "issued"


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str, sort_keys=True).encode()).hexdigest()[:24]


def document_fields(entry: Entry) -> dict[str, Any]:
    """The Whoosh document for an entry."""
    text = nfc(entry.text or "")
    subject = nfc(entry.subject or "")
    own = symbol_key(entry.number_symbol) if entry.number_symbol else ""
    cited = [key for key in cited_symbols(text) if key != own]
    signer = " ".join(x for x in (entry.signer_name, entry.signer_title, entry.signing_authority) if x)
    date = entry.date
    values: dict[str, Any] = {
        "key": entry.key,
        "kind": entry.kind or "",
        "subject": subject,
        "subject_folded": subject,
        "content": text,
        "content_folded": text,
        "signer": signer,
        "agency": entry.agency or "",
        "secret": bool(entry.secrecy),
        "status": entry.status,
        "meta": {
            "source": entry.source, "type_name": entry.type_name, "signer_name": entry.signer_name,
            "signer_title": entry.signer_title, "signing_authority": entry.signing_authority,
            "drafting_unit": entry.drafting_unit, "secrecy": entry.secrecy, "fingerprint": entry.fingerprint,
            **entry.extra,
        },
    }
    if entry.number_symbol:
        values["number_symbol"] = entry.number_symbol
        values["symbol_key"] = own
    if cited:
        values["cites"] = " ".join(cited)
    if entry.drafting_unit:
        values["unit"] = fold(entry.drafting_unit)
    values["newest"] = int(date_key(date)) if date else 0
    if date:
        values["date"] = dt.datetime(date.year, date.month, date.day)
        values["year"] = date.year
        values["issued_on"] = date_key(date)
    mentioned = date_keys(text)
    if mentioned:
        values["dates"] = " ".join(mentioned)
    return values
