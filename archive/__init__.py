"""The archive: issuing with lawful numbers, the register of outgoing documents, and an
immutable, verifiable file store (issue 3). A library first; `docgen` commands wrap it.

    from archive import Archive, issue_document, verify
    Archive.init("docgen-data", agency="examples/agency.yaml")
    with Archive.open("docgen-data") as archive:
        issued = issue_document(archive, "ke_hoach", "examples/ke_hoach.yaml", pdf=False)
        print(issued.record.number_symbol)          # 01/KH-SGD&ĐT
        assert verify(archive).ok
"""

from typing import TYPE_CHECKING

from docgen.lazy import lazy_attributes

from .errors import ArchiveError, IntegrityProblem

if TYPE_CHECKING:
    from .backup import BackupResult, backup, restore
    from .changelog import Change, LogEnd
    from .copies import Copied, make_copy
    from .home import Archive
    from .issuing import Issued, issue_document
    from .pdf_copies import make_pdfs
    from .records import DocumentRecord, FileRecord, Relation, find_document, list_documents, load_record
    from .register import NumberRegister
    from .register_book import export_register
    from .relations import replace, revoke
    from .verify import VerifyReport, verify

LAZY = {
    "BackupResult": "backup", "backup": "backup", "restore": "backup",
    "Archive": "home", "Change": "changelog", "LogEnd": "changelog", "Copied": "copies", "make_copy": "copies",
    "Issued": "issuing", "issue_document": "issuing", "make_pdfs": "pdf_copies",
    "DocumentRecord": "records", "FileRecord": "records", "Relation": "records", "find_document": "records",
    "list_documents": "records", "load_record": "records", "NumberRegister": "register",
    "export_register": "register_book", "replace": "relations", "revoke": "relations",
    "VerifyReport": "verify", "verify": "verify",
}

__getattr__ = lazy_attributes(__name__, LAZY, like_modules=frozenset({"backup", "verify"}))

__all__ = [
    "Archive", "ArchiveError", "BackupResult", "Change", "Copied", "DocumentRecord", "FileRecord", "IntegrityProblem",
    "Issued", "LogEnd", "NumberRegister", "Relation", "VerifyReport", "backup", "export_register", "find_document",
    "issue_document", "list_documents", "load_record", "make_copy", "make_pdfs", "replace", "restore", "revoke", "verify",
]
