"""The issuing office, described once in an agency file (YAML)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .datafile import load_model
from .layout import SIGNING_PREFIXES
from .vietnamese import capitalize_first, upper


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Frozen(Strict):
    """Agency data: cached and shared between documents, so never modified."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Signer(Frozen):
    name: str = Field(title="Họ và tên", examples=["Nguyễn Mai Phương"])
    title: str = Field(title="Chức vụ", examples=["PHÓ GIÁM ĐỐC"])
    authority: str = Field(
        "", title="Thẩm quyền ký",
        description="line above the title: 'KT. GIÁM ĐỐC', 'TM. ỦY BAN NHÂN DÂN', 'TL. GIÁM ĐỐC'; empty when the head signs",
        examples=["KT. GIÁM ĐỐC"],
    )

    @field_validator("title", "authority")
    @classmethod
    def _upper(cls, value: str) -> str:
        return upper(value)

    @field_validator("authority")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if value and not value.startswith(SIGNING_PREFIXES):
            raise ValueError(f"must start with one of {', '.join(SIGNING_PREFIXES)} (e.g. 'KT. GIÁM ĐỐC')")
        return value

    @property
    def lines(self) -> list[str]:
        """The signing authority block, top to bottom, above the signature."""
        return [line for line in (self.authority, self.title) if line]


class HeaderName(Frozen):
    """Names printed in the 6.5 cm header column, where a long one is broken into lines.

    The office may break one by hand: a line break typed in `name` (or `parent`; a YAML `|`
    block) says where, kept in `name_lines` (`parent_lines`); the name itself is kept on one
    line for sentences, registers and searches.
    """

    BROKEN: ClassVar[tuple[str, ...]] = ("name",)
    name: str
    name_lines: tuple[str, ...] = Field(
        (), title="Tên trình bày trên các dòng",
        description="set by line breaks typed in name; empty: broken automatically where it reads well")

    @model_validator(mode="before")
    @classmethod
    def _typed_lines(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for key in cls.BROKEN:
            value = data.get(key)
            if isinstance(value, str) and len(lines := [" ".join(l.split()) for l in value.splitlines() if l.strip()]) > 1:
                data = {**data, key: " ".join(lines), f"{key}_lines": [upper(line) for line in lines]}
        return data

    @model_validator(mode="after")
    def _lines_spell_the_name(self) -> "HeaderName":
        for key in self.BROKEN:
            lines, value = getattr(self, f"{key}_lines"), getattr(self, key)
            if lines and upper(" ".join(" ".join(lines).split())) != upper(value):
                raise ValueError(f"{key}_lines {list(lines)} do not spell the {key} {value!r}")
        return self


class Council(HeaderName):
    name: str = Field(title="Tên hội đồng", description="as printed in the header; a line break may be typed",
                      examples=["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"])
    full_name: str = Field(title="Tên đầy đủ của hội đồng", description="as written inside sentences",
                           examples=["Hội đồng Thi đua - Khen thưởng Sở Giáo dục và Đào tạo Cao Bằng"])
    code: str = Field(title="Ký hiệu hội đồng", examples=["HĐTĐKT"])


class Contact(Frozen):
    address: str = Field("", title="Địa chỉ")
    phone: str = Field("", title="Điện thoại")
    email: str = Field("", title="Thư điện tử")
    website: str = Field("", title="Trang thông tin điện tử")

    @property
    def line(self) -> str:
        parts = [self.address and f"Địa chỉ: {self.address}", self.phone and f"Điện thoại: {self.phone}",
                 self.email and f"E-mail: {self.email}", self.website and f"Website: {self.website}"]
        return "; ".join(p for p in parts if p)


class Agency(HeaderName):
    BROKEN: ClassVar[tuple[str, ...]] = ("name", "parent")
    parent: str = Field("", title="Cơ quan chủ quản", description="a line break may be typed where the header breaks it",
                        examples=["UBND TỈNH CAO BẰNG"])
    parent_lines: tuple[str, ...] = Field((), title="Cơ quan chủ quản trình bày trên các dòng",
                                          description="set by line breaks typed in parent")
    name: str = Field(title="Tên cơ quan ban hành", description="a line break may be typed where the header breaks it",
                      examples=["SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    full_name: str = Field(
        title="Tên đầy đủ", description="the name as written inside sentences",
        examples=["Sở Giáo dục và Đào tạo Cao Bằng"],
    )
    code: str = Field(
        title="Ký hiệu cơ quan", description="spelled exactly as the office does: never derived",
        examples=["SGD&ĐT", "SGDĐT"],
    )
    place: str = Field(title="Địa danh", examples=["Cao Bằng"])
    head_title: str = Field(title="Chức vụ người đứng đầu", examples=["GIÁM ĐỐC", "TRƯỞNG PHÒNG", "HIỆU TRƯỞNG"])
    authority: str = Field(
        "", title="Thẩm quyền ban hành",
        description="the line under a decision's subject; default the head's title joined to the name "
                    "without repeating a word ('TRƯỞNG PHÒNG' + 'PHÒNG GIÁO DỤC...' -> 'TRƯỞNG PHÒNG GIÁO DỤC...')",
        examples=["GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
    )
    authority_full: str = Field(
        "", title="Thẩm quyền ban hành (trong câu)",
        description="the head as written inside sentences ('... của Giám đốc Sở ...'); default from head_title and full_name",
        examples=["Giám đốc Sở Giáo dục và Đào tạo Cao Bằng"],
    )
    units: dict[str, str] = Field(
        title="Đơn vị soạn thảo", description="code -> name of each drafting unit",
        examples=[{"VP": "Văn phòng", "GDTrH": "Phòng Giáo dục Trung học"}],
    )
    signers: dict[str, Signer] = Field(title="Người ký", description="key -> signer")
    councils: dict[str, Council] = Field(default_factory=dict, title="Hội đồng")
    contact: Contact | None = Field(None, title="Thông tin liên hệ")

    @field_validator("parent", "name", "head_title", "authority")
    @classmethod
    def _upper(cls, value: str) -> str:
        return upper(value)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not value or any(ch.isspace() or ch in "/-" for ch in value):
            raise ValueError("an agency code has no spaces, '/' or '-' (e.g. 'SGDĐT')")
        return value

    @property
    def authority_line(self) -> str:
        """`GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO`, `TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO`, `HIỆU TRƯỞNG TRƯỜNG ...`."""
        return self.authority or joined_without_repeat(self.head_title, self.name)

    @property
    def authority_in_text(self) -> str:
        """`Trưởng phòng Giáo dục và Đào tạo huyện Hòa An`, as written after `của`."""
        return self.authority_full or joined_without_repeat(capitalize_first(self.head_title.lower()), self.full_name)

    def signer(self, key: str) -> Signer:
        try:
            return self.signers[key]
        except KeyError:
            raise KeyError(f"no signer {key!r} in the agency file (known: {', '.join(self.signers)})") from None


def joined_without_repeat(title: str, name: str) -> str:
    """The head's title before the agency's name, the words they share said once:
    `Trưởng phòng` + `Phòng Giáo dục...` -> `Trưởng phòng Giáo dục...` (never `TRƯỞNG PHÒNG PHÒNG`)."""
    title_words, name_words = title.split(), name.split()
    for size in range(min(len(title_words), len(name_words)), 0, -1):
        if [w.lower() for w in title_words[-size:]] == [w.lower() for w in name_words[:size]]:
            return " ".join(title_words + name_words[size:])
    return " ".join(title_words + name_words)


def load_agency(path: str | Path) -> Agency:
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return load_model(Agency, path)  # reports the missing file by name
    return _load_agency(str(path.resolve()), mtime, str(path))


@lru_cache(maxsize=16)
def _load_agency(resolved: str, mtime_ns: int, shown: str) -> Agency:
    """Agencies are read once per change of the file (an Agency is never modified)."""
    return load_model(Agency, shown)
