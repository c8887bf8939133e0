"""Quyết định khen thưởng (award decision), type code QĐ, with its attached list."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..agency import Strict
from ..vietnamese import amount_in_figures, amount_in_words, collectives_and_individuals, upper
from .base import Document, Kind, SignedData, articles, bases, body_blocks, common_context, paragraph
from .nominees import Nominee, annex_context, annex_note, count_by_type
from .. import markup


class Bonus(Strict):
    collective: int = Field(0, ge=0, title="Tiền thưởng mỗi tập thể (đồng)", examples=[1404000])
    individual: int = Field(0, ge=0, title="Tiền thưởng mỗi cá nhân (đồng)", examples=[702000])
    source: str = Field("", title="Nguồn kinh phí", examples=["từ Quỹ thi đua, khen thưởng của Sở Giáo dục và Đào tạo"])


class AwardDecisionData(SignedData):
    subject: str = Field(title="Trích yếu nội dung",
                         examples=["Về việc tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc"])
    authority: str = Field("", title="Thẩm quyền ban hành",
                           description="line under the subject; default '<head title> <agency name>'",
                           examples=["GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    bases: list[str] = Field(min_length=1, title="Căn cứ", examples=[["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]])
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
        parts.append(f"mỗi tập thể được thưởng {amount_in_figures(bonus.collective)} đồng")
    if individuals and bonus.individual:
        parts.append(f"mỗi cá nhân được thưởng {amount_in_figures(bonus.individual)} đồng")
    total = collectives * bonus.collective + individuals * bonus.individual
    sentence = "; ".join(parts)
    source = f", {bonus.source.strip().rstrip('.')}" if bonus.source else ""
    return (f"{sentence[:1].upper()}{sentence[1:]}. Tổng số tiền thưởng: {amount_in_figures(total)} đồng "
            f"(Bằng chữ: {amount_in_words(total)}){source}.")


def context(doc: Document) -> dict[str, Any]:
    data: AwardDecisionData = doc.data
    agency = doc.agency
    n_collectives, n_individuals = count_by_type(data.nominees)
    authority = data.authority or f"{agency.head_title} {agency.name}"
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
    issuer = f"{agency.head_title.capitalize()} {agency.full_name}"
    ctx["annex"] = annex_context(
        doc, data.nominees,
        title=f"Tập thể, cá nhân được tặng {data.award}",
        note=annex_note(doc, "Quyết định", issuer),
    )
    return ctx


KIND = Kind("quyet_dinh_khen_thuong", "Quyết định khen thưởng", "QUYẾT ĐỊNH", "QĐ", True, AwardDecisionData, context,
            "an award decision: bases, Điều 1 award, Điều 2 bonus, Điều 3 execution, and the attached list")
