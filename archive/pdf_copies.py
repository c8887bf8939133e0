"""The PDF copy of an issued document, derived from its stored DOCX (LibreOffice, one start
per batch), made after the document is committed and outside the write lock.

The DOCX copies LibreOffice reads are written in a private folder inside the home (they
may be secret documents), removed at the end, or by the next run if this one is killed.
"""

from __future__ import annotations


from docgen.pdf import convert_to_pdf
from docgen.workfolder import WorkFolder

from . import audit
from .home import Archive


def missing_pdfs(db) -> list[int]:
    """Documents whose PDF was asked for at issue and is not there (a failed or interrupted conversion)."""
    return [row[0] for row in db.execute("SELECT id FROM documents WHERE pdf_wanted = 1 AND id NOT IN "
                                         "(SELECT document_id FROM files WHERE role = 'pdf') ORDER BY id")]


def make_pdfs(archive: Archive, document_ids: list[int], *, actor: str | None = None) -> list[int]:
    """Make the missing PDFs of `document_ids`; returns the ids that got one now.

    Raises docgen's ConversionError when LibreOffice fails; the documents stay as they were.
    """
    from pypdf import PdfReader

    db = archive.db
    wanted = []
    for document_id in dict.fromkeys(document_ids):
        files = {r["role"]: r["sha256"] for r in
                 db.execute("SELECT role, sha256 FROM files WHERE document_id = ?", (document_id,))}
        if "pdf" not in files and "docx" in files:
            wanted.append((document_id, files["docx"]))
    if not wanted:
        return []
    with WorkFolder(archive.home, ".docgen-pdf-") as tmp:
        sources = []
        for document_id, sha in wanted:
            source = tmp / f"{document_id}.docx"
            source.write_bytes(archive.store.read_verified(sha))
            sources.append(source)
        pdfs = convert_to_pdf(sources, tmp / "out")
        made = [(document_id, pdf.read_bytes(), len(PdfReader(pdf).pages)) for (document_id, _), pdf in zip(wanted, pdfs)]
    done = []
    with archive.writing_files("the PDFs", "recorded", "no PDF was recorded") as (db, stage):
        for document_id, data, pages in made:
            db.lock_document(document_id)
            if db.execute("SELECT 1 FROM files WHERE document_id = ? AND role = 'pdf'", (document_id,)).fetchone():
                continue  # another process made it meanwhile
            sha = stage(data)
            db.execute("INSERT INTO files (document_id, role, sha256, size, pages, created_at) "
                       "VALUES (?, 'pdf', ?, ?, ?, ?)", (document_id, sha, len(data), pages, audit.now()))
            audit.record(db, "pdf", actor, document_id, sha256=sha, pages=pages)
            done.append(document_id)
    return done
