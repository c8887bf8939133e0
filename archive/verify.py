"""`docgen verify`: the archive checked end to end.

Problems (exit 1): a file missing or corrupted, a file in the store no row names, a
document without its DOCX, a gap or duplicate in a register's numbers for a year, a status
that disagrees with the recorded relations, a document with no audit row, a damaged
database, a schema that is not what the migrations make (a trigger, a view, an extra
table or index), an audit trail whose chain is broken (a row edited or deleted) or a
record changed beside docgen, anything in the store that is not a plain file, a signed PDF whose
signature is broken, does not cover it or (when the home trusts a root) is untrusted, or that does not
begin with the document's PDF. Warnings: a PDF asked for at issue but missing (with the command that
makes it), signatures not checked against a root because the home trusts none.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .audit import chain_problems
from .home import Archive
from .pdf_copies import missing_pdfs
from .records import names_file
from .register import NumberRegister
from .schema import schema_problems
from .signing import signature_problems
from .store import HASH, sha256_file


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    files: int = 0
    bytes_hashed: int = 0
    recovered: dict[str, int] = field(default_factory=dict)
    # The last audit row and its chained hash: written down elsewhere, it shows a later cut of the trail's end.
    audit_head: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


def verify(archive: Archive) -> VerifyReport:
    started = time.perf_counter()
    report = VerifyReport(recovered={} if archive.foreign_schema else archive.recover())
    with archive.reading() as db:
        report.problems += [f"database: {problem}" for problem in db.integrity_problems()]
        report.problems += [f"database: {problem}" for problem in schema_problems(db)]
        names = {r["id"]: f"{r['number_symbol']} (id {r['id']}, {r['year']})"
                 for r in db.execute("SELECT id, number_symbol, year FROM documents")}
        report.documents = len(names)
        _check_numbers(db, report)
        _check_documents(db, names, report)
        report.problems += chain_problems(db, names)
        head = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        report.audit_head = {"row": head["id"], "hash": head["hash"]} if head else {}
        referenced = _check_files(archive, _stored_files(db, names), report)
        problems, warnings = signature_problems(archive, db, names)
        report.problems += problems
        report.warnings += warnings
    _check_unreferenced(archive, referenced, report)
    report.seconds = time.perf_counter() - started
    return report


def _check_numbers(db, report: VerifyReport) -> None:
    for (register, year), numbers in NumberRegister.numbers(db).items():
        counts = Counter(numbers)
        duplicates = sorted(n for n, times in counts.items() if times > 1)
        gaps = sorted(set(range(1, max(numbers) + 1)) - set(counts))
        if duplicates:
            report.problems.append(f"register {register!r} {year}: number(s) used twice: {_ranges(duplicates)}")
        if gaps:
            report.problems.append(f"register {register!r} {year}: number(s) missing: {_ranges(gaps)}")


def _check_documents(db, names: dict[int, str], report: VerifyReport) -> None:
    with_docx = {r[0] for r in db.execute("SELECT document_id FROM files WHERE role = 'docx'")}
    without_pdf = set(missing_pdfs(db))
    audited = {r[0] for r in db.execute("SELECT document_id FROM audit WHERE action IN ('issue', 'copy')")}
    relations = {r["document_id"]: r["relation"] for r in db.execute("SELECT document_id, relation FROM relations")}
    # A copy's link to its source is vouched for by its record's data, which the audit chain covers.
    for r in db.execute("SELECT c.document_id, c.source_id, c.form, c.pages, d.data FROM copies c "
                        "JOIN documents d ON d.id = c.document_id ORDER BY c.document_id"):
        data = json.loads(r["data"])
        if [data.get("source_id"), data.get("form"), data.get("pages")] != [r["source_id"], r["form"], r["pages"]]:
            report.problems.append(f"{names[r['document_id']]}: its link to the document it copies was changed "
                                   "outside docgen (it differs from the copy's record)")
    for row in db.execute("SELECT id, status FROM documents ORDER BY id"):
        name = names[row["id"]]
        if row["id"] not in with_docx:
            report.problems.append(f"{name}: no DOCX file recorded")
        if row["id"] not in audited:
            report.problems.append(f"{name}: no audit row for its issue")
        expected = relations.get(row["id"], "issued")
        if row["status"] != expected:
            report.problems.append(f"{name}: status is {row['status']!r} but the relations say {expected!r}")
        if row["id"] in without_pdf:
            report.warnings.append(f"{name}: PDF missing (its conversion failed or was interrupted): "
                                   f"run `docgen pdf {row['id']}`")


def _stored_files(db, names: dict[int, str]) -> list[tuple[str, str, int]]:
    """(what, sha256, size) of every file a row names: issued DOCX and PDF, imported originals."""
    files = [(f"{names.get(r['document_id'], 'document id %d' % r['document_id'])}: {r['role'].upper()} file",
              r["sha256"], r["size"])
             for r in db.execute("SELECT document_id, role, sha256, size FROM files ORDER BY document_id, role")]
    files += [(f"imported i{r['id']} ({r['file_name']}): original", r["sha256"], r["size"])
              for r in db.execute("SELECT id, file_name, sha256, size FROM imported ORDER BY id")]
    return files


def _check_files(archive: Archive, files: list[tuple[str, str, int]], report: VerifyReport) -> set[str]:
    referenced = set()
    for what, sha, size in files:
        referenced.add(sha)
        path = archive.store.locate(sha)  # staging too: a concurrent issue may not have published yet
        if path is None:
            report.problems.append(f"{what} missing from the store ({archive.store.path(sha)})")
            continue
        report.files += 1
        found = path.stat().st_size
        report.bytes_hashed += found
        if found != size or sha256_file(path) != sha:
            report.problems.append(f"{what} is corrupted: its SHA-256 no longer matches ({path}); "
                                   "restore it from a backup")
    return referenced


def _check_unreferenced(archive: Archive, referenced: set[str], report: VerifyReport) -> None:
    for path in archive.store.walk():
        if path.is_symlink() or not path.is_file():
            report.problems.append(f"{path}: not a plain file (a link, folder or device has no place in the store)")
        elif not (HASH.match(path.name) and path.parent.name == path.name[:2]):
            report.problems.append(f"{path}: not a store file (the store holds only files named by their SHA-256)")
        # Not in our snapshot, but perhaps committed since by a concurrent writer.
        elif path.name not in referenced and not names_file(archive.db, path.name):
            report.problems.append(f"{path}: file in the store that no document names")


def _ranges(numbers: list[int]) -> str:
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(f"{start:02d}" if start == n else f"{start:02d}-{n:02d}")
            start = None
    return ", ".join(parts)
