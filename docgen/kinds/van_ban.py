"""Văn bản có tên loại: any document with a type name (Decree 30, Appendix III, form 1.4).

The same parts as a plan (the form is one for all typed documents: type name and subject
centred under the header, the content, Nơi nhận and signature); the type is named by the
data (`type: Thông báo` or `type: TB`) and gives the title and the symbol's code.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ..datafile import one_of
from ..layout import TYPE_CODES
from ..vietnamese import fold
from .base import Kind
from .ke_hoach import PlanData, context

_BY_CODE = {code: name for name, code in TYPE_CODES.items()}
# Decree 30, Article 7 counts 29 types: these two print no type name of their own.
_NOT_TYPED = {"cong van": "a công văn has no type name: use the kind cong_van",
              "thu cong": "a thư công has no type name nor number: it is not made by van_ban"}


def _type_name(value: Any) -> Any:
    """A type code (exact: `HD` is Hướng dẫn, `HĐ` Hợp đồng) or a name in any case, marks optional."""
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    if text in _BY_CODE:
        return _BY_CODE[text]
    if fold(text) in _NOT_TYPED:
        raise ValueError(_NOT_TYPED[fold(text)])
    return text


TypeName = Annotated[one_of(tuple(TYPE_CODES)), BeforeValidator(_type_name)]


class TypedDocumentData(PlanData):
    """A plan's fields (basis, body markup, recipients, signer) under any type name (form 1.4)."""
    type: TypeName = Field(
        title="Tên loại văn bản",
        description="a type name or its code (Decree 30, Appendix III): " + ", ".join(
            f"{name} {code}" for name, code in TYPE_CODES.items()),
        examples=["Thông báo", "TB"],
    )
    subject: str = Field(title="Trích yếu nội dung", description="the line under the type name",
                         examples=["Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 9 năm 2025"])


KIND = Kind("van_ban", "Văn bản có tên loại", None, None, True, TypedDocumentData, context,
            "any document with a type name (Thông báo, Báo cáo, Hướng dẫn, ...): title, sections, Nơi nhận; "
            "the symbol takes the type's code",
            type_of=lambda data: data.type)
