"""The text model: paragraphs, their lines and the formatted pieces of a line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.metrics import text_width_pt
from docgen.vietnamese import fold

from .findings import _snippet
from .looks import _ParaLook, _RunLook


@dataclass(frozen=True)
class _Piece:
    look: _RunLook
    text: str


@dataclass(eq=False)
class _Para:
    element: object
    where: str
    zone: str  # body, table, header, footer, textbox
    width_pt: float | None  # the text area (page text or cell) before indents
    look: _ParaLook = None
    lines: list["_Line"] = field(default_factory=list)
    index: int = 0
    table: object = None  # the outermost w:tbl holding the paragraph
    cell: object = None  # the innermost w:tc
    row: int = 0
    column: int = 0  # grid column where the cell starts
    in_bordered_cell: bool = False
    instructions: str = ""  # field codes in the paragraph

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def visible(self) -> bool:
        return bool(self.text.strip())

    def where_text(self) -> str:
        return f'{self.where} "{_snippet(self.text)}"'


@dataclass(frozen=True)
class _Line:
    """One line of a paragraph (paragraphs split at w:br), or a slice of one."""

    para: _Para
    number: int
    pieces: tuple[_Piece, ...]

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def shown(self) -> str:
        """The text as Word shows it: w:caps displays lower case as capitals."""
        return "".join(p.text.upper() if p.look.caps else p.text for p in self.pieces)

    @property
    def folded(self) -> str:
        return fold(self.text.strip())

    def visible_pieces(self) -> list[_Piece]:
        return [p for p in self.pieces if p.text.strip()]

    def looks(self) -> list[_RunLook]:
        return [p.look for p in self.visible_pieces()]

    def where(self) -> str:
        number = f" line {self.number}" if len(self.para.lines) > 1 else ""
        return f'{self.para.where}{number} "{_snippet(self.text)}"'

    def slice(self, start: int, end: int) -> "_Line":
        pieces, pos = [], 0
        for piece in self.pieces:
            low, high = pos, pos + len(piece.text)
            pos = high
            a, b = max(low, start), min(high, end)
            if a < b:
                pieces.append(_Piece(piece.look, piece.text[a - low:b - low]))
        return _Line(self.para, self.number, tuple(pieces))

    def stripped(self) -> "_Line":
        text = self.text
        return self.slice(len(text) - len(text.lstrip()), len(text.rstrip()))

    def tab_cells(self) -> list["_Line"]:
        """Hand-typed headers put agency and national title on one line, split by tabs."""
        return [self.slice(m.start(), m.end()).stripped()
                for m in re.finditer(r"[^\t]+", self.text) if m.group().strip()]

    def width_pt(self) -> float:
        return sum(text_width_pt(p.text, p.look.size, p.look.bold) for p in self.stripped().pieces)



