"""Who may be put forward: each nominee's facts against the conditions of the rules file.

Every rejection names the rule (its id and Vietnamese title) and the fact that was
missing, e.g. `[phieu-hoi-dong] Được trên 50% ...: được 5/11 phiếu (45,45%), cần trên 50%`.
Rules on the council's vote are told apart from the others: a nominee who fails another
rule was not eligible to be put to the vote at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kinds.bien_ban import percent
from ..vietnamese import padded
from .cells import CellError, parse_years
from .details import NomineeDetail
from .nominee_sheet import Entry, Initiative
from .rules import Conditions, CouncilVote, InitiativeCondition, Rules, TitleCondition

TYPE_WORDS = {"collective": "tập thể", "individual": "cá nhân"}


@dataclass
class Facts:
    """What the conditions look at, from the list and the nominee's detail file."""

    type: str
    votes: int | None
    vote_base: int
    titles: dict[str, set[int]] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)


@dataclass(frozen=True)
class Reason:
    rule: str
    title: str
    missing: str
    basis: str = ""
    vote: bool = False  # the council's vote, not the nominee's record

    def __str__(self) -> str:
        return f"[{self.rule}] {self.title}: {self.missing}"


@dataclass
class Verdict:
    entry: Entry
    reasons: list[Reason]

    @property
    def accepted(self) -> bool:
        return not self.reasons

    @property
    def put_to_vote(self) -> bool:
        """Eligible on the record: failed nothing but the council's vote."""
        return all(reason.vote for reason in self.reasons)


def facts_for(entry: Entry, detail: NomineeDetail | None, rules: Rules, vote_base: int) -> Facts:
    titles: dict[str, set[int]] = {key: set(years) for key, years in entry.titles.items()}
    initiatives = list(entry.initiatives)
    if detail is not None:
        for recognition in detail.titles + detail.awards:
            key = rules.title_key(recognition.title) or rules.title_key(recognition.title, whole=False)
            if key is None:
                continue
            try:
                titles.setdefault(key, set()).update(parse_years(recognition.year))
            except CellError:
                continue
        if detail.initiatives:
            initiatives = [Initiative(i.title, i.level or rules.level_of(i.recognition)) for i in detail.initiatives]
    return Facts(entry.type, entry.votes, vote_base, titles, initiatives)


def judge(entry: Entry, facts: Facts, award_key: str, rules: Rules, *, period: tuple[int, int]) -> Verdict:
    award = rules.awards[award_key]
    reasons: list[Reason] = []
    if entry.award is not None and entry.award != award_key:
        reasons.append(Reason("hinh-thuc", "Hình thức đề nghị của hồ sơ",
                              f"dòng này đề nghị “{entry.award_text}”, hồ sơ này đề nghị “{award.name}”: "
                              "lập hồ sơ riêng cho hình thức đó"))
        return Verdict(entry, reasons)
    if facts.type not in award.applies_to:
        only = " và ".join(TYPE_WORDS[t] for t in award.applies_to)
        reasons.append(Reason("doi-tuong", f"{award.name} chỉ xét cho {only}",
                              f"dòng này là {TYPE_WORDS[facts.type]}"))
        return Verdict(entry, reasons)
    for rule in award.rules:
        if facts.type not in rule.applies_to:
            continue
        missing = _unmet(rule, facts, rules, period)
        if rule.any_of and not missing:
            failures = [_unmet(option, facts, rules, period) for option in rule.any_of]
            if all(failures):
                missing = ["không đạt điều kiện nào trong các lựa chọn: " + "; ".join(
                    f"({i}) {', '.join(f)}" for i, f in enumerate(failures, 1))]
        if missing:
            reasons.append(Reason(rule.id, rule.title, "; ".join(missing), rule.basis, vote=rule.is_vote))
    return Verdict(entry, reasons)


def _unmet(conditions: Conditions, facts: Facts, rules: Rules, period: tuple[int, int]) -> list[str]:
    missing = []
    if conditions.council_vote is not None:
        missing += _vote(conditions.council_vote, facts)
    for condition in conditions.titles:
        missing += _title(condition, facts, rules, period)
    if conditions.initiatives is not None:
        missing += _initiatives(conditions.initiatives, facts, rules)
    return missing


def _vote(condition: CouncilVote, facts: Facts) -> list[str]:
    need = f"cần {'trên' if condition.above else 'từ'} {_number(condition.min_percent)}%" + ("" if condition.above else " trở lên")
    if facts.votes is None:
        return [f"danh sách không ghi số phiếu đồng ý; {need}"]
    share = facts.votes * 100
    floor = condition.min_percent * facts.vote_base
    if share > floor or (share == floor and not condition.above):
        return []
    return [f"được {padded(facts.votes)}/{padded(facts.vote_base)} phiếu ({percent(facts.votes, facts.vote_base)}%), {need}"]


def _title(condition: TitleCondition, facts: Facts, rules: Rules, period: tuple[int, int]) -> list[str]:
    name = rules.titles[condition.title].name
    years = sorted(facts.titles.get(condition.title, set()))
    if condition.within_period:
        years = [y for y in years if period[0] <= y <= period[1]]
    count = _longest_run(years) if condition.consecutive else len(years)
    if count >= condition.times:
        return []
    need = (f"cần {padded(condition.times)} lần{' liên tục' if condition.consecutive else ''} đạt “{name}”"
            + (f" trong giai đoạn {period[0]}-{period[1]}" if condition.within_period else ""))
    have = ("có các năm " + ", ".join(map(str, years))) if years else "danh sách và tệp chi tiết không ghi năm nào"
    return [f"{need}; {have}"]


def _initiatives(condition: InitiativeCondition, facts: Facts, rules: Rules) -> list[str]:
    floor = rules.level_rank(condition.level) if condition.level else 0
    found = [i for i in facts.initiatives if rules.level_rank(i.level) >= floor]
    if len(found) >= condition.min:
        return []
    level = f" {rules.level_name(condition.level)} trở lên" if condition.level else ""
    return [f"cần ít nhất {padded(condition.min)} sáng kiến được công nhận{level}; có {padded(len(found))}"]


def _longest_run(years: list[int]) -> int:
    best = run = 0
    previous = None
    for year in years:
        run = run + 1 if previous is not None and year == previous + 1 else 1
        best = max(best, run)
        previous = year
    return best


def _number(value: float) -> str:
    return (f"{value:.2f}".rstrip("0").rstrip(".")).replace(".", ",")
