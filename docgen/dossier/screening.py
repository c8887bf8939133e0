"""Screening a nominee list for a campaign: read it, match the detail files, judge each row.

The part of a dossier build that writes nothing: `docgen dossier build` runs it first, so
a fault stops everything before a number is taken or a file is written, and a library
user can run it alone to see who would be accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..vietnamese import collectives_and_individuals
from .campaign import LoadedCampaign, load_campaign
from .details import DetailFile, load_details, match_details
from .eligibility import Verdict, facts_for, judge
from .nominee_sheet import CouncilSize, Entry, NomineeList, read_nominee_list
from .rules import Award, Rules, load_rules


@dataclass
class Selection:
    """The list after the checks, in dossier order (collectives, then individuals)."""

    received: list[Entry]
    voted: list[Entry]  # eligible on the record, so put to the council's vote
    accepted: list[Entry]
    rejected: list[Verdict]
    vote_base: int  # the number a vote share is counted on
    counted_on: str = "members_total"  # or "members_present" (rules: settings.vote_base)

    def counts(self, entries: list[Entry]) -> str:
        return collectives_and_individuals(sum(e.type == "collective" for e in entries),
                                           sum(e.type == "individual" for e in entries))

    def lowest(self) -> Entry:
        return min(self.accepted, key=lambda e: e.votes or 0)

    def base_words(self) -> str:
        return "tổng số thành viên Hội đồng" if self.counted_on == "members_total" else "số thành viên Hội đồng có mặt"

    def members_words(self) -> str:
        return "thành viên Hội đồng" if self.counted_on == "members_total" else "thành viên Hội đồng có mặt"


def in_dossier_order(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.type == "collective"] + [e for e in entries if e.type == "individual"]


@dataclass
class Screening:
    loaded: LoadedCampaign
    rules: Rules
    award: Award
    nominees: NomineeList
    selection: Selection
    details: dict[int, DetailFile] = field(default_factory=dict)  # id(entry) -> its detail file
    notes: list[str] = field(default_factory=list)

    def detail_of(self, entry: Entry) -> DetailFile | None:
        return self.details.get(id(entry))


def screen(campaign: str | Path | LoadedCampaign, nominees: str | Path, *, rules: str | Path | Rules | None = None,
           today: dt.date | None = None) -> Screening:
    """Read and judge every row; raise DataError (SheetError for the list) on bad input."""
    loaded = campaign if isinstance(campaign, LoadedCampaign) else load_campaign(campaign)
    rules = rules if isinstance(rules, Rules) else load_rules(rules)
    c, meeting = loaded.campaign, loaded.campaign.meeting
    award_key = rules.award_key(c.award)
    if award_key is None:
        raise DataError(str(loaded.path), [f"field 'award' (Hình thức đề nghị): “{c.award}” is not an award of the "
                                           f"rules file {rules.source} (known: {'; '.join(rules.award_names())})"])
    listed = read_nominee_list(nominees, rules=rules, council=CouncilSize(meeting.members_present, meeting.members_total),
                               purpose="dossier", today=today)
    matched, notes = match_details(listed.entries, load_details(loaded.details_dir))
    counted_on = rules.settings.vote_base
    vote_base = meeting.members_total if counted_on == "members_total" else meeting.members_present
    verdicts = [judge(entry, facts_for(entry, matched[i].detail if i in matched else None, rules, vote_base),
                      award_key, rules, period=(c.start_year, c.end_year))
                for i, entry in enumerate(listed.entries)]
    selection = Selection(
        received=in_dossier_order(listed.entries),
        voted=in_dossier_order([v.entry for v in verdicts if v.put_to_vote]),
        accepted=in_dossier_order([v.entry for v in verdicts if v.accepted]),
        rejected=[v for v in verdicts if not v.accepted],
        vote_base=vote_base, counted_on=counted_on,
    )
    details = {id(entry): matched[i] for i, entry in enumerate(listed.entries) if i in matched}
    without = [e.name for e in selection.accepted if id(e) not in details]
    if without:
        notes.append(f"{len(without)} báo cáo thành tích lập từ cột Thành tích tóm tắt vì chưa có tệp chi tiết "
                     f"(reports.details): {', '.join(without)}")
    return Screening(loaded, rules, rules.awards[award_key], listed, selection, details,
                     loaded.notes + listed.notes + notes)
