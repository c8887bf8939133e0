"""Errors a user can act on: each names the file, the field and what was expected."""

from __future__ import annotations


class DocgenError(Exception):
    """A problem the user can fix; the CLI prints it and exits 2."""


class DataError(DocgenError):
    """Bad input data: one or more problems, each tied to a file and a field."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: invalid data\n{lines}")


class TemplateFault(DocgenError):
    """A template that cannot be rendered (bad Jinja, unsafe code, missing file)."""


class ConversionError(DocgenError):
    """PDF conversion failed or LibreOffice is missing."""
