"""What a dossier build tells the officer: who is in, who is out and why, what was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..kinds.bien_ban import percent
from .eligibility import Verdict
from .nominee_sheet import Entry
from .screening import Screening


@dataclass
class DossierReport:
    campaign: str
    nominees: str
    award: str
    counts: dict[str, Any]
    accepted: list[dict[str, Any]]
    rejected: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    output: str | None = None  # the ZIP, when one was written
    stopped: str | None = None  # why no ZIP was written (strict mode, nobody eligible)

    @property
    def ok(self) -> bool:
        return self.output is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "files": [f["path"] for f in self.files],
            "output": self.output,
            "stopped": self.stopped,
            "award": self.award,
            "counts": self.counts,
            "documents": self.documents,
            "notes": self.notes,
        }


def report_of(screening: Screening) -> DossierReport:
    s = screening.selection

    def split(entries: list[Entry]) -> dict[str, Any]:
        collectives = sum(e.type == "collective" for e in entries)
        return {"collective": collectives, "individual": len(entries) - collectives, "text": s.counts(entries)}

    counts = {"received": split(s.received), "accepted": split(s.accepted),
              "rejected": split([v.entry for v in s.rejected])}
    return DossierReport(str(screening.loaded.path), screening.nominees.file, screening.award.name, counts,
                         [_accepted(e, s.vote_base) for e in s.accepted], [_rejected(v) for v in s.rejected],
                         list(screening.notes))


def _accepted(entry: Entry, vote_base: int) -> dict[str, Any]:
    return {"row": entry.row, "sheet": entry.sheet, "type": entry.type, "name": entry.name, "unit": entry.unit,
            "votes": entry.votes, "percent": percent(entry.votes, vote_base) if entry.votes is not None else None}


def _rejected(verdict: Verdict) -> dict[str, Any]:
    e = verdict.entry
    return {"row": e.row, "sheet": e.sheet, "type": e.type, "name": e.name, "unit": e.unit,
            "reasons": [str(r) for r in verdict.reasons], "rules": [r.rule for r in verdict.reasons]}
