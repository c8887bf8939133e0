"""Quyết định khen thưởng (award decision), type code QĐ, with its attached list."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from pydantic import Field, model_validator

from ..agency import Strict
from ..datafile import TextList
from ..vietnamese import amount_in_figures, amount_in_words, collectives_and_individuals, upper
from .base import Document, Kind, SignedData, articles, bases, body_blocks, common_context, paragraph
from .nominees import Nominee, annex_context, annex_note, awardees, count_by_type
from .. import markup


class Bonus(Strict):
    collective: int = Field(0, ge=0, title="Tiền thưởng mỗi tập thể (đồng)", examples=[1404000])
    individual: int = Field(0, ge=0, title="Tiền thưởng mỗi cá nhân (đồng)", examples=[702000])
    source: str = Field("", title="Nguồn kinh phí", examples=["từ Quỹ thi đua, khen thưởng của Sở Giáo dục và Đào tạo"])
    # Or the amounts computed: coefficient × base salary (mức lương cơ sở), rounded up to round_up_to đồng.
    base_salary: int | None = Field(None, ge=1, title="Mức lương cơ sở (đồng)", examples=[2340000])
    collective_coefficient: float | None = Field(None, ge=0, title="Hệ số tiền thưởng mỗi tập thể", examples=[0.6])
    individual_coefficient: float | None = Field(None, ge=0, title="Hệ số tiền thưởng mỗi cá nhân", examples=[0.3])
    round_up_to: int = Field(1, ge=1, title="Làm tròn lên bội số của (đồng)", examples=[1, 10000])

    @model_validator(mode="after")
    def _computed(self) -> "Bonus":
        coefficients = (self.collective_coefficient, self.individual_coefficient)
        if any(c is not None for c in coefficients) and self.base_salary is None:
            raise ValueError("a bonus coefficient needs base_salary (mức lương cơ sở) to compute the amount")
        if self.base_salary is None:
            return self
        for side in ("collective", "individual"):
            coefficient = getattr(self, f"{side}_coefficient")
            if coefficient is None:
                continue
            amount = coefficient_amount(coefficient, self.base_salary, self.round_up_to)
            if getattr(self, side) and getattr(self, side) != amount:
                raise ValueError(f"{side}: {getattr(self, side)} is not {coefficient} × {self.base_salary} = {amount}; "
                                 f"give the amount or the coefficient, not both")
            setattr(self, side, amount)
        return self


def coefficient_amount(coefficient: float, base_salary: int, round_up_to: int = 1) -> int:
    """Coefficient × base salary in đồng, rounded up to a multiple of `round_up_to`."""
    steps = (Decimal(str(coefficient)) * base_salary / round_up_to).to_integral_value(rounding=ROUND_CEILING)
    return int(steps) * round_up_to


def _times_base(coefficient: float | None) -> str:
    if coefficient is None:
        return ""
    return f" ({f'{coefficient:g}'.replace('.', ',')} lần mức lương cơ sở)"


class AwardDecisionData(SignedData):
    subject: str = Field(title="Trích yếu nội dung",
                         examples=["Về việc tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc"])
    authority: str = Field("", title="Thẩm quyền ban hành",
                           description="line under the subject; default the agency file's authority (its head's title and name)",
                           examples=["GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    bases: TextList = Field(min_length=1, title="Căn cứ", description="a list, or a text with one basis a line",
                            examples=[["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]])
    proposal: str = Field(title="Theo đề nghị của", examples=["Chánh Văn phòng Sở"])
    award: str = Field(title="Hình thức khen thưởng", examples=["Giấy khen của Giám đốc Sở Giáo dục và Đào tạo"])
    achievement: str = Field(title="Thành tích", examples=["đã có thành tích xuất sắc trong năm học 2024-2025"])
    nominees: list[Nominee] = Field(min_length=1, title="Danh sách khen thưởng")
    bonus: Bonus | None = Field(None, title="Tiền thưởng")
    executors: str = Field(title="Người thi hành (Điều 3)",
                           examples=["Chánh Văn phòng Sở, Trưởng các phòng thuộc Sở và các tập thể, cá nhân có tên tại Điều 1"])
    effective: str = Field("Quyết định này có hiệu lực kể từ ngày ký.", title="Hiệu lực")


def bonus_article(bonus: Bonus | None, collectives: int, individuals: int) -> str:
    """Điều 2: the bonus per award and the total, in figures and in words."""
    if bonus is None or not (bonus.collective or bonus.individual):
        return "Tiền thưởng kèm theo thực hiện theo quy định hiện hành."
    parts = []
    if collectives and bonus.collective:
        parts.append(f"mỗi tập thể được thưởng {amount_in_figures(bonus.collective)} đồng"
                     f"{_times_base(bonus.collective_coefficient)}")
    if individuals and bonus.individual:
        parts.append(f"mỗi cá nhân được thưởng {amount_in_figures(bonus.individual)} đồng"
                     f"{_times_base(bonus.individual_coefficient)}")
    total = collectives * bonus.collective + individuals * bonus.individual
    sentence = "; ".join(parts)
    source = f", {bonus.source.strip().rstrip('.')}" if bonus.source else ""
    return (f"{sentence[:1].upper()}{sentence[1:]}. Tổng số tiền thưởng: {amount_in_figures(total)} đồng "
            f"(Bằng chữ: {amount_in_words(total)}){source}.")


def context(doc: Document) -> dict[str, Any]:
    data: AwardDecisionData = doc.data
    agency = doc.agency
    n_collectives, n_individuals = count_by_type(data.nominees)
    authority = data.authority or agency.authority_line
    blocks = (
        [paragraph("center", upper(authority))]
        + bases(data.bases + [f"Theo đề nghị của {data.proposal.strip().rstrip('.')}"])
        + [paragraph("center", "QUYẾT ĐỊNH:")]
        + articles([
            f"Tặng {data.award} cho {collectives_and_individuals(n_collectives, n_individuals)} "
            f"(có danh sách kèm theo), {data.achievement.rstrip('.')}.",
            bonus_article(data.bonus, n_collectives, n_individuals),
            f"{data.effective.rstrip('.')}. {data.executors.rstrip('.')} chịu trách nhiệm thi hành Quyết định này.",
        ])
    )
    ctx = common_context(doc)
    ctx["body"] = body_blocks(markup.end_content(blocks))
    ctx["annex"] = annex_context(
        doc, data.nominees,
        title=f"{awardees(n_collectives, n_individuals)} được tặng {data.award}",
        note=annex_note(doc, "Quyết định", agency.authority_in_text),
    )
    return ctx


KIND = Kind("quyet_dinh_khen_thuong", "Quyết định khen thưởng", "QUYẾT ĐỊNH", "QĐ", True, AwardDecisionData, context,
            "an award decision: bases, Điều 1 award, Điều 2 bonus, Điều 3 execution, and the attached list")
