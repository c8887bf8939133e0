"""Number registers (Decree 30, Article 15): which sequence a document takes its number
from, and the next number in it.

Numbers run per register per calendar year of the issue date, from 01 on 1 January, and
are never reused or skipped: the next number is one more than the largest already
committed, read inside the write transaction that records the new document.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docgen.vietnamese import short_date

from .config import RegisterSettings
from .database import Database
from .errors import ArchiveError

if TYPE_CHECKING:
    from docgen.kinds import Document


class NumberRegister:
    def __init__(self, settings: RegisterSettings):
        self.settings = settings

    def register_for(self, doc: Document) -> str:
        """Secret documents: the secret register, always. A council issuing in its own name:
        the register named by its code. Otherwise the office's split by type, else the default."""
        if doc.data.secrecy:
            return self.settings.secret
        if doc.issuer_code != doc.agency.code:
            return doc.issuer_code
        for key in (doc.kind.name, doc.type_code):
            if key and key in self.settings.by_type:
                return self.settings.by_type[key]
        return self.settings.default

    @staticmethod
    def next_number(db: Database, register: str, issue_date: dt.date) -> int:
        """The number the next document of `register` dated `issue_date` takes.

        Call inside a write transaction (it holds the register's year until commit). A number follows the order of issue, so a date
        earlier than the register's latest in that year is refused (it would be backdating).
        """
        year = issue_date.year
        db.lock_register(register, year)  # PostgreSQL: writers of other registers go on meanwhile
        last = db.execute("SELECT number, number_symbol, date FROM documents WHERE register = ? AND year = ? "
                          "ORDER BY number DESC LIMIT 1", (register, year)).fetchone()
        if last is None:
            return 1
        last_date = dt.date.fromisoformat(last["date"])
        if issue_date < last_date:
            raise ArchiveError(
                f"issue date {short_date(issue_date)} is earlier than {last['number_symbol']} of "
                f"{short_date(last_date)}, the latest in register {register!r} for {year}: numbers follow the "
                f"order of issue, so give a date on or after {short_date(last_date)} (--date)")
        return last["number"] + 1

    @staticmethod
    def numbers(db: Database) -> dict[tuple[str, int], list[int]]:
        """Every (register, year) with its numbers in order, for verify and the register book."""
        found: dict[tuple[str, int], list[int]] = {}
        for row in db.execute("SELECT register, year, number FROM documents ORDER BY register, year, number"):
            found.setdefault((row["register"], row["year"]), []).append(row["number"])
        return found
