"""The rules file: awards, earlier titles, initiative levels and the conditions of each award.

Conditions change with the law, so they are data an office can edit (`--rules FILE`);
`rules/default.yaml` is shipped. Each condition has an id and a Vietnamese title, so a
rejection names the rule it failed and the fact that was missing.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from ..agency import Strict
from ..datafile import load_model
from ..kinds.quyet_dinh_khen_thuong import coefficient_amount
from .folding import match_key

DEFAULT_RULES = Path(__file__).resolve().parent / "rules" / "default.yaml"

NomineeType = Literal["collective", "individual"]


class Settings(Strict):
    base_salary: int = Field(ge=1, title="Mức lương cơ sở (đồng)", examples=[2340000])
    round_up_to: int = Field(1, ge=1, title="Làm tròn tiền thưởng lên bội số của (đồng)", examples=[1, 1000, 10000])
    vote_base: Literal["members_total", "members_present"] = Field(
        "members_total", title="Tỷ lệ phiếu tính trên", description="members_total: all council members; members_present")

    def bonus(self, coefficient: float) -> int:
        """Coefficient × base salary, rounded up to `round_up_to` đồng."""
        return coefficient_amount(coefficient, self.base_salary, self.round_up_to)


class Named(Strict):
    name: str = Field(title="Tên đầy đủ")
    aliases: list[str] = Field(default_factory=list, title="Tên gọi khác, viết tắt")

    def spellings(self) -> list[str]:
        return [match_key(s) for s in [self.name, *self.aliases] if match_key(s)]


class Title(Named):
    """An emulation title or award held in an earlier year, which a rule may ask for."""


class Level(Strict):
    key: str = Field(title="Mã cấp")
    name: str = Field(title="Tên cấp", examples=["cấp cơ sở"])
    words: list[str] = Field(default_factory=list, title="Từ nhận biết trong quyết định công nhận")


class CouncilVote(Strict):
    min_percent: float = Field(ge=0, le=100, title="Tỷ lệ phiếu đồng ý tối thiểu (%)")
    above: bool = Field(False, title="Phải vượt (không tính bằng)", description="true: more than min_percent")


class TitleCondition(Strict):
    title: str = Field(title="Danh hiệu / hình thức đã đạt", description="a key of `titles`")
    times: int = Field(1, ge=1, title="Số lần")
    consecutive: bool = Field(False, title="Liên tục")
    within_period: bool = Field(False, title="Trong thời gian của phong trào")


class InitiativeCondition(Strict):
    min: int = Field(1, ge=1, title="Số sáng kiến tối thiểu")
    level: str | None = Field(None, title="Cấp công nhận thấp nhất", description="a key of `initiative_levels`")


class Conditions(Strict):
    council_vote: CouncilVote | None = Field(None, title="Phiếu đồng ý của Hội đồng")
    titles: list[TitleCondition] = Field(default_factory=list, title="Danh hiệu đã đạt")
    initiatives: InitiativeCondition | None = Field(None, title="Sáng kiến được công nhận")

    @field_validator("titles", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    def empty(self) -> bool:
        return self.council_vote is None and not self.titles and self.initiatives is None


class Rule(Conditions):
    id: str = Field(title="Mã quy tắc", examples=["phieu-hoi-dong"])
    title: str = Field(title="Nội dung quy tắc", examples=["Được trên 50% tổng số thành viên Hội đồng đồng ý"])
    basis: str = Field("", title="Căn cứ", description="the legal text or office regulation the rule comes from")
    applies_to: list[NomineeType] = Field(["collective", "individual"], alias="for", title="Áp dụng cho")
    any_of: list[Conditions] = Field(default_factory=list, title="Đạt một trong các điều kiện")

    @field_validator("applies_to", mode="before")
    @classmethod
    def _types(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _something(self) -> "Rule":
        if self.empty() and not self.any_of:
            raise ValueError(f"rule {self.id!r} has no condition (council_vote, titles, initiatives or any_of)")
        return self

    @property
    def is_vote(self) -> bool:
        """A rule on the council's vote only: checked after the vote, the others before it."""
        return self.council_vote is not None and not self.titles and self.initiatives is None and not self.any_of


class BonusCoefficients(Strict):
    collective: float | None = Field(None, ge=0, title="Hệ số tiền thưởng tập thể")
    individual: float | None = Field(None, ge=0, title="Hệ số tiền thưởng cá nhân")


class Award(Named):
    applies_to: list[NomineeType] = Field(["collective", "individual"], alias="for", title="Đối tượng")
    bonus: BonusCoefficients | None = Field(None, title="Hệ số tiền thưởng (× mức lương cơ sở)")
    rules: list[Rule] = Field(default_factory=list, title="Điều kiện")

    @field_validator("applies_to", mode="before")
    @classmethod
    def _types(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Rules(Strict):
    version: int = Field(1, title="Phiên bản định dạng")
    settings: Settings = Field(title="Thiết lập")
    initiative_levels: list[Level] = Field(min_length=1, title="Cấp công nhận sáng kiến (thấp đến cao)")
    titles: dict[str, Title] = Field(default_factory=dict, title="Danh hiệu, hình thức đã đạt")
    awards: dict[str, Award] = Field(min_length=1, title="Hình thức khen thưởng")
    _source: str = PrivateAttr("")

    @model_validator(mode="after")
    def _references(self) -> "Rules":
        levels = {level.key for level in self.initiative_levels}
        problems = []
        for award_key, award in self.awards.items():
            ids = [rule.id for rule in award.rules]
            for rule_id in {i for i in ids if ids.count(i) > 1}:
                problems.append(f"awards.{award_key}: rule id {rule_id!r} is used twice")
            for rule in award.rules:
                for conditions in [rule, *rule.any_of]:
                    for cond in conditions.titles:
                        if cond.title not in self.titles:
                            problems.append(f"awards.{award_key}, rule {rule.id!r}: title {cond.title!r} is not in `titles` "
                                            f"(known: {', '.join(self.titles) or 'none'})")
                    if conditions.initiatives and conditions.initiatives.level and conditions.initiatives.level not in levels:
                        problems.append(f"awards.{award_key}, rule {rule.id!r}: level {conditions.initiatives.level!r} "
                                        f"is not in `initiative_levels` (known: {', '.join(sorted(levels))})")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def source(self) -> str:
        return self._source

    # --- vocabulary ------------------------------------------------------------------

    @cached_property
    def _award_spellings(self) -> dict[str, str]:
        return {spelling: key for key, award in self.awards.items() for spelling in award.spellings()}

    @cached_property
    def _title_spellings(self) -> dict[str, str]:
        spellings = {spelling: key for key, title in self.titles.items() for spelling in title.spellings()}
        return dict(sorted(spellings.items(), key=lambda item: -len(item[0])))

    def award_key(self, text: str) -> str | None:
        """The award a typed name means (with or without marks, full or an alias)."""
        folded = match_key(text)
        if folded in self._award_spellings:
            return self._award_spellings[folded]
        # `Bằng khen của Bộ trưởng Bộ GD&ĐT` and the like: a unique award whose name starts the same way.
        starts = {key for spelling, key in self._award_spellings.items()
                  if (len(folded) >= 8 and spelling.startswith(folded))
                  or (len(spelling.split()) >= 4 and folded.startswith(spelling + " "))}
        return starts.pop() if len(starts) == 1 else None

    def award_names(self) -> list[str]:
        return [award.name for award in self.awards.values()]

    def title_key(self, text: str, *, whole: bool = True) -> str | None:
        """The earlier title a text names; `whole=False` finds it inside a longer header."""
        folded = match_key(text)
        if folded in self._title_spellings:
            return self._title_spellings[folded]
        if whole:
            return None
        padded = f" {folded} "
        for spelling, key in self._title_spellings.items():
            if f" {spelling} " in padded:
                return key
        return None

    def level_rank(self, key: str) -> int:
        return [level.key for level in self.initiative_levels].index(key)

    def level_of(self, text: str) -> str:
        """The recognition level a decision's wording names; the lowest level when it names none."""
        padded = f" {match_key(text)} "
        found = self.initiative_levels[0].key
        for level in self.initiative_levels:
            if any(f" {match_key(word)} " in padded for word in level.words):
                found = level.key
        return found

    def level_name(self, key: str) -> str:
        return next(level.name for level in self.initiative_levels if level.key == key)

    def bonus_amounts(self, award_key: str) -> tuple[int | None, int | None]:
        """(per collective, per individual) in đồng, or None where the rules set no coefficient."""
        coefficients = self.awards[award_key].bonus
        if coefficients is None:
            return None, None
        return tuple(None if c is None else self.settings.bonus(c)
                     for c in (coefficients.collective, coefficients.individual))  # type: ignore[return-value]


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules file at `path`, or the shipped default."""
    path = Path(path) if path else DEFAULT_RULES
    rules = load_model(Rules, path)
    rules._source = str(path)
    return rules
