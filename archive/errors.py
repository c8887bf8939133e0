"""Errors of the archive: each says which document, file or setting, and what to do."""

from __future__ import annotations

from docgen.errors import DocgenError


class ArchiveError(DocgenError):
    """A request the archive refuses (no home, unknown document, bad relation, ...): exit 2."""


class IntegrityProblem(ArchiveError):
    """A stored file no longer matches its recorded hash, or is missing: exit 1."""
