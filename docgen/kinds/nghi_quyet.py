"""Nghị quyết (resolution of a collective body), type code NQ: Decree 30, Appendix III, form 1.1.

Issued in the name of the collective body (a council of the agency file: its own name in the
header, its own code and number sequence), with the authority line under the subject, the
bases, `QUYẾT NGHỊ:` and the articles, signed on behalf of the body: `TM. HỘI ĐỒNG` over
the chair's title (Decree 30, Appendix I: TM. signs for a collective).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from ..agency import Signer
from ..datafile import TextList
from .base import Document, Kind, SignedData, body_blocks, common_context
from .bien_ban import resolve_issuer
from .quyet_dinh import _articles, _has_articles, decision_blocks


class ResolutionData(SignedData):
    council: str = Field(title="Tập thể ban hành", description="key of a council in the agency file", examples=["hdtdkt"])
    subject: str = Field(title="Trích yếu nội dung",
                         examples=["Về việc thông qua danh sách đề nghị khen thưởng năm học 2024-2025"])
    authority: str = Field("", title="Thẩm quyền ban hành", description="line under the subject; default the council's name",
                           examples=["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    bases: TextList = Field(min_length=1, title="Căn cứ", description="a list, or a text with one basis a line")
    proposal: str = Field("", title="Theo đề nghị của", examples=["Thường trực Hội đồng"])
    articles: str = Field(title="Các điều",
                                      description="markup (articles): ## | text for each article; or a list, one article an item")

    _articles_in = field_validator("articles", mode="before")(classmethod(lambda cls, value: _articles(value)))
    _articles_out = field_validator("articles")(classmethod(lambda cls, value: _has_articles(value)))

    @model_validator(mode="after")
    def _on_behalf(self) -> "ResolutionData":
        if isinstance(self.signer, Signer) and not self.signer.authority.startswith("TM."):
            raise ValueError("signer: a resolution is signed on behalf of the collective: authority 'TM. <body>' "
                             "(e.g. 'TM. HỘI ĐỒNG') above the title")
        return self


def context(doc: Document) -> dict[str, Any]:
    data: ResolutionData = doc.data
    ctx = common_context(doc)
    authority = data.authority or doc.issuer_name
    ctx["body"] = body_blocks(decision_blocks(authority, data.bases, data.proposal, "QUYẾT NGHỊ:", data.articles))
    return ctx


def _check_signer(doc: Document) -> None:
    """The council, and a signer from the agency file that signs on behalf of the body."""
    resolve_issuer(doc)
    signer = doc.signer
    if signer is not None and not signer.authority.startswith("TM."):
        raise KeyError(f"signer {doc.data.signer!r}: a resolution is signed on behalf of the collective, 'TM. <body>': "
                       f"{signer.name} signs as {signer.authority or signer.title!r}")


KIND = Kind("nghi_quyet", "Nghị quyết", "NGHỊ QUYẾT", "NQ", True, ResolutionData, context,
            "a resolution of a collective body (a council): bases, QUYẾT NGHỊ:, articles, signed TM. the body",
            resolve_issuer=_check_signer)
