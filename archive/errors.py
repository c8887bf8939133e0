"""Errors of the archive: each says which document, file or setting, and what to do."""

from __future__ import annotations

from docgen.errors import DocgenError


class ArchiveError(DocgenError):
    """A request the archive refuses (no home, unknown document, bad relation, ...): exit 2."""


class IntegrityProblem(ArchiveError):
    """A stored file no longer matches its recorded hash, or is missing: exit 1."""


class NotConforming(ArchiveError):
    """`issue --strict` refused a document the checker finds fault with: exit 1, nothing issued."""

    def __init__(self, source: str, findings: list):
        self.findings = findings
        lines = "\n".join(f"  - {finding}" for finding in findings)
        super().__init__(f"{source}: not issued, {len(findings)} finding(s) against Decree 30 "
                         f"(--strict); no number was used\n{lines}")


class WritersBusy(ArchiveError):
    """Archive.writing(wait=False) found another writer at work."""


class StagedUntilOpened(ArchiveError):
    """A change committed whose files could not be moved into the store: they stay staged and the
    next open of the archive publishes them (the change itself stands)."""


class SecretRefused(ArchiveError):
    """A secret document issued by someone who may not see secret documents (the web answers 403)."""
