"""Quyết định (individual decision), type code QĐ: Decree 30, Appendix III, forms 1.2 and 1.3.

Form 1.2 (direct): the decision's articles say it all (appointing, establishing, approving).
Form 1.3 (indirect): Điều 1 issues an attached document ("Ban hành kèm theo Quyết định này
Quy chế ..."), printed after the decision on a new page with the agency's header, its own
type name and subject, the line `(Kèm theo Quyết định số ...)`, chapters and articles, and
the same signature (no Nơi nhận: it travels with the decision).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from .. import markup
from ..agency import Strict
from ..datafile import TextList, one_of
from ..vietnamese import upper
from .base import Document, Kind, SignedData, bases, body_blocks, common_context, paragraph, signature_context
from .nominees import annex_note

class AttachedDocument(Strict):
    type: one_of(("Quy chế", "Quy định"), {"QC": "Quy chế", "QyĐ": "Quy định"}) = Field(
        title="Tên loại văn bản kèm theo", examples=["Quy chế"])
    subject: str = Field(title="Trích yếu văn bản kèm theo",
                         examples=["Làm việc của Sở Giáo dục và Đào tạo Cao Bằng"])
    body: str = Field(title="Nội dung văn bản kèm theo",
                      description="markup (articles): # chapter, ## article, ### clause, #### point")

    @field_validator("body")
    @classmethod
    def _has_articles(cls, value: str) -> str:
        if not any(block.style in ("article", "article_title") for block in markup.parse_articles(value)):
            raise ValueError("the attached document has no article: write each as '## Title' (Điều 1. Title)")
        return value


def _articles(value: Any) -> Any:
    """Articles given as a list become the articles markup (one `## | ` article an item)."""
    return markup.articles_source(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value


def _has_articles(value: str) -> str:
    if not any(block.style in ("article", "article_title") for block in markup.parse_articles(value)):
        raise ValueError("no article: write each as '## | text' (Điều 1. text), or give a list, one article an item")
    return value


class DecisionData(SignedData):
    subject: str = Field(title="Trích yếu nội dung",
                         examples=["Về việc bổ nhiệm lại Hiệu trưởng Trường Trung học phổ thông Hòa An"])
    authority: str = Field("", title="Thẩm quyền ban hành",
                           description="line under the subject; default the agency file's authority",
                           examples=["GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    bases: TextList = Field(min_length=1, title="Căn cứ", description="a list, or a text with one basis a line",
                            examples=[["Căn cứ Luật Viên chức ngày 15 tháng 11 năm 2010"]])
    proposal: str = Field("", title="Theo đề nghị của", examples=["Trưởng phòng Tổ chức cán bộ"])
    articles: str = Field(title="Các điều",
                               description="markup (articles): ## | text for each article; or a list, one article an item")
    attachment: AttachedDocument | None = Field(None, title="Văn bản ban hành kèm theo",
                                                description="a Quy chế or Quy định issued by Điều 1 (form 1.3)")

    _articles_in = field_validator("articles", mode="before")(classmethod(lambda cls, value: _articles(value)))
    _articles_out = field_validator("articles")(classmethod(lambda cls, value: _has_articles(value)))


def decision_blocks(authority: str, basis_lines: list[str], proposal: str, heading: str,
                    articles: str) -> list[markup.Block]:
    """Authority line, bases (and `Theo đề nghị của`), the heading line, the articles, `./.`."""
    lines = list(basis_lines)
    if proposal.strip():
        lines.append(f"Theo đề nghị của {proposal.strip().rstrip('.')}")
    blocks = ([paragraph("center", upper(authority))] + bases(lines)
              + [paragraph("center", heading)] + markup.parse_articles(articles))
    return markup.end_content(blocks)


def context(doc: Document) -> dict[str, Any]:
    data: DecisionData = doc.data
    agency = doc.agency
    ctx = common_context(doc)
    ctx["body"] = body_blocks(decision_blocks(data.authority or agency.authority_line, data.bases, data.proposal,
                                              "QUYẾT ĐỊNH:", data.articles))
    ctx["attachment"] = None
    if data.attachment:
        attached = data.attachment
        ctx["attachment"] = {
            "type_name": upper(attached.type),
            "subject_lines": [line.strip() for line in attached.subject.splitlines() if line.strip()],
            "note": annex_note(doc, "Quyết định", agency.authority_in_text),
            "body": body_blocks(markup.end_content(markup.parse_articles(attached.body))),
            "signature": signature_context(doc.signer),
        }
    return ctx


KIND = Kind("quyet_dinh", "Quyết định", "QUYẾT ĐỊNH", "QĐ", True, DecisionData, context,
            "a decision (appointing, establishing, approving; or issuing an attached Quy chế / Quy định): "
            "authority line, bases, QUYẾT ĐỊNH:, articles")
