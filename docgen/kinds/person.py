"""The person a letter of introduction or a leave paper is about (Decree 30, Appendix III, forms 1.8 and 1.10)."""

from __future__ import annotations

from pydantic import Field

from ..agency import Strict
from ..datafile import one_of

Salutation = one_of(("Ông", "Bà"))


class PersonData(Strict):
    """`Ông (bà): <name>` and `Chức vụ: <position>`, the lines both forms print."""

    salutation: Salutation | None = Field(None, title="Ông/Bà", description="default 'Ông (bà)' as the form prints it")
    person: str = Field(title="Họ và tên", examples=["Nông Văn Minh"])
    position: str = Field(title="Chức vụ", description="position and unit", examples=["Chuyên viên Phòng Giáo dục Trung học"])

    def person_lines(self) -> list[str]:
        return [f"{self.salutation or 'Ông (bà)'}: {self.person}", f"Chức vụ: {self.position}"]

    def pronoun(self) -> str:
        """`ông`, `bà`, or `ông (bà)` inside a sentence."""
        return (self.salutation or "Ông (bà)").lower()
