"""The data of each document of a dossier, composed from the campaign, the list and the checks.

Each function returns the mapping a kind's model validates (`docgen kinds KIND` lists the
fields), so a dossier's documents are the same documents `docgen render` makes by hand.
Whatever can be counted is computed here: counts in the legal form, vote shares, the lowest
share accepted, who was and was not put to the vote.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..kinds.bien_ban import percent
from ..markup import literal
from ..vietnamese import capitalize_first, legal_date, padded, short_date
from .campaign import LoadedCampaign
from .details import NomineeDetail
from .folding import match_key
from .nominee_sheet import Entry
from .rules import Award, Rules
from .screening import Selection


def _nominee(entry: Entry) -> dict[str, Any]:
    return entry.nominee().model_dump(exclude_none=True)


def _subject_tail(loaded: LoadedCampaign) -> str:
    c = loaded.campaign
    return f"cho các tập thể, cá nhân có thành tích xuất sắc trong {c.movement} {c.period}"


def council_name(loaded: LoadedCampaign) -> str:
    council = loaded.agency.councils[loaded.campaign.meeting.council]
    return council.full_name


def submission(loaded: LoadedCampaign, award: Award, selection: Selection) -> dict[str, Any]:
    c, s = loaded.campaign, loaded.campaign.submission
    meeting_day = c.meeting.start.date()
    lowest = selection.lowest()
    council = council_name(loaded)
    result = (f"{capitalize_first(legal_date(meeting_day))}, {council} đã họp xét, lựa chọn các tập thể, cá nhân tiêu "
              f"biểu, xuất sắc trong thực hiện {c.movement} {c.period}. Kết quả bỏ phiếu kín: "
              f"{selection.counts(selection.accepted)} đạt từ {percent(lowest.votes or 0, selection.vote_base)}% số "
              f"phiếu đồng ý trở lên so với {selection.base_words()} (Biên bản họp {council} "
              f"{legal_date(meeting_day)} gửi kèm theo hồ sơ).")
    body = "\n\n".join(part for part in (s.body.strip(), result) if part)
    return {
        "drafting_unit": s.drafting_unit,
        "signer": s.signer,
        "date": s.date,
        "number": s.number,
        "subject": s.subject or f"Về việc đề nghị tặng {award.name} {_subject_tail(loaded)}",
        "addressees": s.addressees,
        "bases": s.bases,
        "body": body,
        "award": award.name,
        "decider": c.decider,
        "achievement": c.achievement_text,
        "recipients": s.recipients,
        "drafter": s.drafter,
        "copies": s.copies,
        "nominees": [_nominee(e) for e in selection.accepted],
    }


def minutes(loaded: LoadedCampaign, award: Award, selection: Selection) -> dict[str, Any]:
    c, m = loaded.campaign, loaded.campaign.meeting
    agenda = m.agenda.strip() or "\n\n".join([
        f"- Đồng chí {m.chair.name}, {m.chair.title}, nêu mục đích, yêu cầu của cuộc họp: xét, lựa chọn các tập thể, "
        f"cá nhân tiêu biểu, xuất sắc trong thực hiện {c.movement} {c.period} để đề nghị {c.decider} tặng {award.name}.",
        f"- Đồng chí {m.secretary.name}, {m.secretary.title}, báo cáo kết quả tổng hợp, thẩm định hồ sơ: đã nhận hồ sơ "
        f"đề nghị của {selection.counts(selection.received)}; qua thẩm định, {selection.counts(selection.voted)} "
        "đủ điều kiện đưa ra Hội đồng xét.",
        "- Hội đồng nghe báo cáo tóm tắt thành tích của từng tập thể, cá nhân; thảo luận, đối chiếu với tiêu chuẩn "
        "khen thưởng và bỏ phiếu kín đối với từng tập thể, cá nhân.",
    ])
    lowest = selection.lowest()
    head = loaded.agency.authority_in_text
    conclusion = [
        f"Căn cứ kết quả bỏ phiếu, {selection.counts(selection.accepted)} có số phiếu đồng ý từ "
        f"{padded(lowest.votes or 0)}/{padded(selection.vote_base)} {selection.members_words()} "
        f"({percent(lowest.votes or 0, selection.vote_base)}%) trở lên. Hội đồng thống nhất đề nghị {head} trình "
        f"{c.decider} xét, tặng **{literal(award.name)}** cho {selection.counts(selection.accepted)} nêu trên."
    ]
    accepted = {id(e) for e in selection.accepted}
    not_passed = [e for e in selection.voted if id(e) not in accepted]
    if not_passed:
        names = ", ".join(literal(e.name) for e in not_passed)
        conclusion.append(f"{capitalize_first(selection.counts(not_passed))} ({names}) không đạt tỷ lệ phiếu đồng ý "
                          "theo quy định nên không đề nghị.")
    if m.conclusion.strip():
        conclusion.append(m.conclusion.strip())
    return {
        "council": m.council,
        "drafting_unit": c.submission.drafting_unit,
        "number": m.number,
        "subject": f"Xét đề nghị tặng {award.name} {_subject_tail(loaded)}",
        "start": m.start,
        "end": m.end,
        "place": m.place,
        "chair": m.chair.model_dump(),
        "secretary": m.secretary.model_dump(),
        "members_present": m.members_present,
        "members_total": m.members_total,
        "absent": m.absent,
        "agenda": agenda,
        "award": award.name,
        "votes": [{"name": e.name, "unit": e.unit, "votes": e.votes} for e in selection.voted],
        "conclusion": "\n\n".join(conclusion),
    }


def report_units(entry: Entry, agency_full_name: str) -> tuple[str, str]:
    """(unit, parent unit) printed at the head of an achievement report.

    An individual reports from their unit. A collective reports in its own name under its
    managing unit, unless it is part of that unit (`Tổ Toán - Tin, Trường THPT Chuyên`),
    when the unit reports for it.
    """
    if entry.type == "individual":
        return entry.unit, ""
    if entry.unit and match_key(entry.unit) in match_key(entry.name):
        return entry.unit, ""
    if not entry.unit or match_key(entry.unit) == match_key(agency_full_name):
        return entry.name, ""
    return entry.name, entry.unit


def achievement_report(loaded: LoadedCampaign, award: Award, entry: Entry, detail: NomineeDetail | None,
                       rules: Rules) -> dict[str, Any]:
    c, r = loaded.campaign, loaded.campaign.reports
    individual = entry.type == "individual"
    unit, parent = report_units(entry, loaded.agency.full_name)
    reporter = (r.individual_reporter if individual else r.collective_reporter).model_dump()
    certifier = (r.individual_certifier if individual else r.collective_certifier).model_dump()
    if individual and not reporter["name"]:
        reporter["name"] = entry.name
    data: dict[str, Any] = {
        "date": r.date,
        "subject_type": entry.type,
        "award": award.name,
        "period": c.report_period,
        "unit": unit,
        "parent_unit": parent,
        "name": entry.name,
        "birth_date": entry.birth_date,
        "sex": entry.sex,
        "position": entry.position,
        "duties": _default_duties(entry),
        "achievements": summary_markup(entry.summary),
        "titles": titles_from_list(entry, rules),
        "reporter": reporter,
        "certifier": certifier,
    }
    if detail is not None:
        data.update({
            "date": detail.date or r.date,
            "profile": detail.profile,
            "duties": detail.duties or data["duties"],
            "achievements": detail.achievements or data["achievements"],
            "initiatives": [{"title": i.title, "recognition": i.recognition} for i in detail.initiatives],
            "titles": [t.model_dump() for t in detail.titles] or data["titles"],
            "awards": [a.model_dump() for a in detail.awards],
        })
        data["unit"] = detail.report_unit or data["unit"]
        data["parent_unit"] = detail.parent_unit or data["parent_unit"]
        if detail.reporter:
            data["reporter"] = detail.reporter.model_dump()
        if detail.certifier:
            data["certifier"] = detail.certifier.model_dump()
    return data


def summary_markup(summary: str) -> str:
    """The list's `Thành tích tóm tắt`: its `;`-separated points as items, one sentence as a paragraph."""
    points = [literal(p).rstrip(".;") for p in summary.split(";") if literal(p).rstrip(".;")]
    if len(points) < 2:
        return f"{points[0]}." if points else ""
    return "\n".join(f"- {capitalize_first(p)}{';' if i < len(points) - 1 else '.'}" for i, p in enumerate(points))


def titles_from_list(entry: Entry, rules: Rules) -> list[dict[str, str]]:
    """Earlier titles as the list's year columns give them (the deciding documents are not in a list)."""
    rows = []
    for key, cell in entry.title_cells.items():
        for year in (y.strip() for y in re.split(r"[,;\n]", cell)):
            if year:
                rows.append({"year": year, "title": rules.titles[key].name, "decision": ""})
    return sorted(rows, key=lambda row: row["year"])


def _default_duties(entry: Entry) -> str:
    if entry.type == "individual":
        if entry.position:
            return f"{literal(capitalize_first(entry.position))}, {literal(entry.unit)}."
        return f"Công tác tại {literal(entry.unit)}."
    return f"{literal(entry.name)}" + (f", trực thuộc {literal(entry.unit)}." if entry.unit else ".")


@dataclass
class Listed:
    """A document as the checklist names it."""

    title: str
    number_symbol: str | None
    date: dt.date | None


def reference(item: Listed) -> str:
    number = item.number_symbol or "chưa cấp số"
    return f"{number}, ngày {short_date(item.date)}" if item.date else number


def checklist(loaded: LoadedCampaign, award: Award, selection: Selection, listed: list[Listed]) -> dict[str, Any]:
    c = loaded.campaign
    items = [{"title": item.title, "reference": reference(item) if item.number_symbol or item.date else "",
              "copies": c.checklist.copies} for item in listed]
    items += [extra.model_dump() for extra in c.checklist.extra]
    return {
        "date": c.submission.date,
        "subject": f"Đề nghị tặng {award.name}",
        "period": f"{c.movement} {c.period}",
        "intro": f"Hồ sơ đề nghị {c.decider} tặng {award.name} cho {selection.counts(selection.accepted)} có thành "
                 f"tích xuất sắc trong {c.movement} {c.period} gồm các tài liệu sau:",
        "items": items,
        "preparer": c.checklist.preparer.model_dump(),
    }
