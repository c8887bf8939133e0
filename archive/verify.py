"""`docgen verify`: the archive checked end to end.

Problems (exit 1): a file missing or corrupted, a file in the store no row names, a
document without its DOCX, a gap or duplicate in a register's numbers for a year, a status
that disagrees with the recorded relations, a document with no audit row, a damaged
database. Warnings: a PDF asked for at issue but missing (with the command that makes it).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .home import Archive
from .importing import check_imported_files, imported_hashes
from .register import NumberRegister
from .store import HASH, sha256_file


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    files: int = 0
    bytes_hashed: int = 0
    recovered: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


def verify(archive: Archive) -> VerifyReport:
    started = time.perf_counter()
    report = VerifyReport(recovered=archive.recover())
    with archive.reading() as db:
        report.problems += [f"database: {row[0]}" for row in db.execute("PRAGMA quick_check") if row[0] != "ok"]
        names = {r["id"]: f"{r['number_symbol']} (id {r['id']}, {r['year']})"
                 for r in db.execute("SELECT id, number_symbol, year FROM documents")}
        report.documents = len(names)
        files = db.execute("SELECT document_id, role, sha256, size FROM files ORDER BY document_id, role").fetchall()
        _check_numbers(db, report)
        _check_documents(db, names, report)
        referenced = _check_files(archive, files, names, report)
        referenced |= check_imported_files(archive, db, report.problems)
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
    with_pdf = {r[0] for r in db.execute("SELECT document_id FROM files WHERE role = 'pdf'")}
    audited = {r[0] for r in db.execute("SELECT document_id FROM audit WHERE action = 'issue'")}
    relations = {r["document_id"]: r["relation"] for r in db.execute("SELECT document_id, relation FROM relations")}
    for row in db.execute("SELECT id, status, pdf_wanted FROM documents ORDER BY id"):
        name = names[row["id"]]
        if row["id"] not in with_docx:
            report.problems.append(f"{name}: no DOCX file recorded")
        if row["id"] not in audited:
            report.problems.append(f"{name}: no audit row for its issue")
        expected = relations.get(row["id"], "issued")
        if row["status"] != expected:
            report.problems.append(f"{name}: status is {row['status']!r} but the relations say {expected!r}")
        if row["pdf_wanted"] and row["id"] not in with_pdf:
            report.warnings.append(f"{name}: PDF missing (its conversion failed or was interrupted): "
                                   f"run `docgen pdf {row['id']}`")


def _check_files(archive: Archive, files, names: dict[int, str], report: VerifyReport) -> set[str]:
    referenced = set()
    for row in files:
        sha = row["sha256"]
        referenced.add(sha)
        what = f"{names.get(row['document_id'], 'document id %d' % row['document_id'])}: {row['role'].upper()}"
        path = archive.store.locate(sha)  # staging too: a concurrent issue may not have published yet
        if path is None:
            report.problems.append(f"{what} file missing from the store ({archive.store.path(sha)})")
            continue
        report.files += 1
        size = path.stat().st_size
        report.bytes_hashed += size
        if size != row["size"] or sha256_file(path) != sha:
            report.problems.append(f"{what} file is corrupted: its SHA-256 no longer matches ({path}); "
                                   "restore it from a backup")
    return referenced


def _check_unreferenced(archive: Archive, referenced: set[str], report: VerifyReport) -> None:
    for path in archive.store.walk():
        if not (HASH.match(path.name) and path.parent.name == path.name[:2]):
            report.problems.append(f"{path}: not a store file (the store holds only files named by their SHA-256)")
        elif path.name not in referenced and not _referenced_now(archive, path.name):
            report.problems.append(f"{path}: file in the store that no document names")


def _referenced_now(archive: Archive, sha: str) -> bool:
    """Committed after our snapshot by a concurrent writer?"""
    return (archive.db.execute("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", (sha,)).fetchone() is not None
            or sha in imported_hashes(archive.db))


def _ranges(numbers: list[int]) -> str:
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(f"{start:02d}" if start == n else f"{start:02d}-{n:02d}")
            start = None
    return ", ".join(parts)
