"""Faults in a nominee list, each tied to its file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import DataError


@dataclass(frozen=True)
class Fault:
    file: str
    sheet: str | None
    row: int | None
    column: str | None  # the column's letter, as the spreadsheet shows it
    header: str | None  # the column's header as typed in the file
    message: str

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "header": self.header, "message": self.message}


class SheetError(DataError):
    """A nominee list that cannot be used as it is; every fault is listed, none is guessed."""

    def __init__(self, file: str, faults: list[Fault]):
        self.faults = faults
        super().__init__(file, [str(f) for f in faults])
        lines = "\n".join(f"  - {f}" for f in faults)
        self.args = (f"{file}: {len(faults)} lỗi trong danh sách đề nghị; chưa tạo gì, hãy sửa rồi chạy lại\n{lines}",)

    def __str__(self) -> str:
        return self.args[0]
