"""The Tantivy schema and analysis, and what the archive hands the index for one document (an `Entry`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import tantivy

from docgen.vietnamese import nfc

from .analysis import cited_symbols, date_key, date_keys, fold, symbol_key
from .snippets import flat

# Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
# 1 was Whoosh's; 2 is Tantivy's.
SCHEMA_VERSION = 2
ENGINE = "tantivy"

# The two token streams of analysis.py, run inside Tantivy: runs of letters and digits (Tantivy's
# simple tokenizer splits where Rust's is_alphanumeric fails, which is where analysis.WORD ends
# a token in NFC text), lower case, and for the folded one ASCII folding (đ -> d). Tantivy keeps
# no tokenizer in the index: they are registered on every open (store.open_index).
MARKED = "vi_marked"
FOLDED = "vi_folded"


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    def words() -> tantivy.TextAnalyzerBuilder:
        return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())

    return {MARKED: words().build(), FOLDED: words().filter(tantivy.Filter.ascii_fold()).build()}


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("key", tokenizer_name="raw")  # "12" for an issued document, "i3" for an imported one
    b.add_integer_field("ref", indexed=True, fast=True)  # the key as a number (12, -3): read and matched cheaply
    b.add_text_field("keyprint", tokenizer_name="raw")  # "key fingerprint": what `index check` compares
    b.add_text_field("symbol_key", tokenizer_name="raw")  # normalised forms of its own number-symbol
    b.add_text_field("cites", tokenizer_name="raw")  # normalised number-symbols its text mentions
    b.add_text_field("issued_on", tokenizer_name="raw")
    b.add_text_field("dates", tokenizer_name="raw")
    b.add_text_field("kind", tokenizer_name="raw", fast=True)
    b.add_text_field("status", tokenizer_name="raw")
    b.add_text_field("unit", tokenizer_name="raw")
    b.add_boolean_field("secret", indexed=True)
    b.add_integer_field("year", indexed=True, fast=True)
    b.add_integer_field("newest", indexed=True, fast=True)  # yyyymmdd, 0 when undated: newest first puts those last
    # The heading is the type name and the subject (`QUYẾT ĐỊNH Về việc tặng Giấy khen ...`): what
    # a document is. Marked fields only tell exact marks apart (term matches); positions for phrases
    # and closeness are kept once, in the folded fields.
    b.add_text_field("heading", tokenizer_name=MARKED, index_option="freq")
    b.add_text_field("heading_folded", tokenizer_name=FOLDED)
    b.add_text_field("content", tokenizer_name=MARKED, index_option="freq")
    b.add_text_field("content_folded", tokenizer_name=FOLDED)
    b.add_text_field("signer", tokenizer_name=FOLDED)
    b.add_bytes_field("shown", stored=True)  # JSON: what a hit shows, its text for the snippet
    return b.build()


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


def ref_of(key: str) -> int:
    """The numeric stand-in of a key: `12` -> 12, `i3` -> -3."""
    return -int(key[1:]) if key.startswith("i") else int(key)


def document(entry: Entry) -> tantivy.Document:
    """The Tantivy document for an entry."""
    text = nfc(entry.text or "")
    subject = nfc(entry.subject or "")
    heading = nfc(" ".join(x for x in (entry.type_name, subject) if x))
    own = symbol_key(entry.number_symbol) if entry.number_symbol else ""
    cited = [key for key in cited_symbols(text) if key != own]
    signer = " ".join(x for x in (entry.signer_name, entry.signer_title, entry.signing_authority) if x)
    date = entry.date
    shown = {
        "key": entry.key, "number_symbol": entry.number_symbol, "kind": entry.kind or "", "subject": subject,
        "date": date.isoformat() if date else None, "status": entry.status, "source": entry.source,
        "type_name": entry.type_name, "signer_name": entry.signer_name, "secrecy": entry.secrecy,
        "content": flat(text), **entry.extra,
    }
    doc = tantivy.Document(
        key=entry.key, ref=ref_of(entry.key), keyprint=f"{entry.key} {entry.fingerprint}", kind=entry.kind or "",
        status=entry.status, secret=bool(entry.secrecy), newest=int(date_key(date)) if date else 0,
        heading=heading, heading_folded=heading, content=text, content_folded=text, signer=nfc(signer),
        shown=json.dumps(shown, ensure_ascii=False).encode())
    if own:
        doc.add_text("symbol_key", own)
    for key in cited:
        doc.add_text("cites", key)
    if entry.drafting_unit:
        doc.add_text("unit", fold(entry.drafting_unit))
    if date:
        doc.add_integer("year", date.year)
        doc.add_text("issued_on", date_key(date))
    for key in date_keys(text):
        doc.add_text("dates", key)
    return doc
