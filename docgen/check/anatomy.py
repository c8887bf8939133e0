"""Finding the parts of a document by their text and position."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.vietnamese import fold

from .reader import _Reader
from .recognize import (
    MOTTO_RE, NATIONAL_TITLE_RE, NO_SUBJECT, SIGNING_RE, _is_circulation, _is_date_line, _is_mark, _is_note, _is_number_line,
    _is_rule_text, _is_type_name, _is_upper
)
from .text import _Line, _Para


_LIST_ITEM = re.compile(r"^[-–—+•]")
_HEADER_WINDOW = 30  # lines of the flow searched for the header block


@dataclass
class _Anatomy:
    """The parts of one document, found by their text and position."""

    reader: _Reader
    flow: list[_Line]
    national_title: _Line | None = None
    motto: _Line | None = None
    parent_agency: list[_Line] = field(default_factory=list)
    agency: list[_Line] = field(default_factory=list)
    number: _Line | None = None
    date: _Line | None = None
    letter_subject: list[_Line] = field(default_factory=list)
    marks: list[_Line] = field(default_factory=list)
    circulation: list[_Line] = field(default_factory=list)
    type_name: _Line | None = None
    subject: list[_Line] = field(default_factory=list)
    addressees: list[_Line] = field(default_factory=list)  # the "Kính gửi:" line first
    recipients_label: _Line | None = None
    recipients: list[_Line] = field(default_factory=list)
    signatures: list[tuple[list[_Line], _Line | None]] = field(default_factory=list)
    # Signatures whose name is left to be written by hand under a note such as "(Ký, ghi rõ họ tên)".
    named_by_hand: list[int] = field(default_factory=list)
    content: list[_Para] = field(default_factory=list)
    appendix: list[_Para] = field(default_factory=list)
    header_table: object = None
    signature_tables: set = field(default_factory=set)
    by_table: dict[int, list[int]] = field(default_factory=dict)  # id(w:tbl) -> flow indexes
    by_cell: dict[int, list[int]] = field(default_factory=dict)  # id(w:tc) -> flow indexes

    @classmethod
    def of(cls, reader: _Reader) -> "_Anatomy":
        flow = [line for para in reader.paras if para.zone in ("body", "table") for line in para.lines]
        anatomy = cls(reader, flow)
        for i, line in enumerate(flow):
            if line.para.cell is not None:
                anatomy.by_table.setdefault(id(line.para.table), []).append(i)
                anatomy.by_cell.setdefault(id(line.para.cell), []).append(i)
        anatomy.marks = [l for l in flow if _is_mark(l)] + [
            l for p in reader.paras if p.zone == "textbox" for l in p.lines if _is_mark(l)]
        anatomy.circulation = [l for l in flow if _is_circulation(l)]
        after_header = anatomy._find_header()
        content_start = anatomy._find_title_block(after_header)
        content_end, appendix_start = anatomy._find_signature(content_start, anatomy._attached_start(content_start))
        anatomy._split_content(content_start, content_end, appendix_start)
        return anatomy

    # -- header block: agency | national title, number | date

    def _find_header(self) -> int:
        """Identify the header parts; return the flow index where the rest begins."""
        window = self.flow[:_HEADER_WINDOW]
        cells = [(i, cell) for i, line in enumerate(window) for cell in line.tab_cells()]
        self.national_title = next((c for _, c in cells if NATIONAL_TITLE_RE.fullmatch(c.folded)), None)
        self.motto = next((c for _, c in cells if MOTTO_RE.fullmatch(c.folded)), None)
        if self.national_title is not None and self.national_title.para.table is not None:
            table = self.national_title.para.table
            self.header_table = table
            last = self.by_table[id(table)][-1]
            end = self._extend_header(last + 1)
            cells = [(i, c) for i, line in enumerate(self.flow[:end]) for c in line.tab_cells()
                     if line.para.table is table or i > last]
        else:
            known = [i for i, c in cells if c in (self.national_title, self.motto)
                     or _is_number_line(c) or _is_date_line(c) or c.folded.startswith("v/v")]
            if not known:
                return 0
            end = self._extend_header(max(known) + 1)
            cells = [(i, c) for i, c in cells if i < end]
        header = [c for _, c in cells]
        self.number = next((c for c in header if _is_number_line(c)), None)
        self.date = next((c for c in header if _is_date_line(c)), None)
        self.letter_subject = self._letter_subject(header)
        self._find_agency(header)
        return end

    def _extend_header(self, start: int) -> int:
        """Number, date or V/v lines typed as plain paragraphs right under the header."""
        end, in_subject = start, False
        for i in range(start, min(len(self.flow), start + 12)):
            line = self.flow[i]
            text = line.text.strip()
            if line.folded.startswith("v/v"):
                in_subject = True
            elif not text:
                in_subject = False
            elif not (in_subject or _is_number_line(line) or _is_date_line(line) or _is_mark(line)
                      or _is_circulation(line) or _is_rule_text(text)):
                break
            end = i + 1
        return end

    @staticmethod
    def _letter_subject(header: list[_Line]) -> list[_Line]:
        for i, line in enumerate(header):
            if line.folded.startswith("v/v"):
                subject = [line]
                for following in header[i + 1:]:
                    if (not following.text.strip() or following.para.cell is not line.para.cell
                            or _is_date_line(following) or _is_rule_text(following.text)
                            or _is_mark(following) or _is_circulation(following)
                            or following.folded.startswith("kinh gui")):
                        break
                    subject.append(following)
                return subject
        return []

    def _find_agency(self, header: list[_Line]) -> None:
        known = {self.national_title, self.motto, self.date, *self.letter_subject, *self.marks, *self.circulation}
        title_column = self.national_title.para.column if self.national_title is not None else None
        stop = header.index(self.number) if self.number in header else len(header)
        lines = []
        for line in header[:stop]:
            if line in known or _is_rule_text(line.text) or not line.text.strip():
                continue
            if self.header_table is not None and line.para.table is self.header_table:
                if title_column is not None and line.para.column >= title_column:
                    continue
            elif MOTTO_RE.fullmatch(line.folded) or NATIONAL_TITLE_RE.fullmatch(line.folded):
                continue
            lines.append(line)
        paras = list(dict.fromkeys(line.para for line in lines))
        if len(paras) > 1:
            # The parent agency is the first paragraph; either name may be broken into lines.
            self.parent_agency = [line for line in lines if line.para is paras[0]]
            self.agency = [line for line in lines if line.para is not paras[0]]
        elif len(lines) > 1 and _boldness(lines[0]) != _boldness(lines[1]):
            # Both typed in one paragraph: the parent agency takes the first line.
            self.parent_agency, self.agency = lines[:1], lines[1:]
        else:
            self.agency = lines

    # -- type name, subject, Kính gửi

    def _find_title_block(self, start: int) -> int:
        index = self._skip(start)
        for i in range(index, min(len(self.flow), index + 8)):
            line = self.flow[i]
            if _is_type_name(line):
                self.type_name = line
                index = i + 1 if line.folded in NO_SUBJECT else self._skip_notes(self._find_subject(i + 1))
                break
            if line.text.strip() and not (_is_mark(line) or _is_circulation(line) or _is_rule_text(line.text)):
                break
        return self._find_addressees(index)

    def _find_subject(self, start: int) -> int:
        index = start
        for i in range(start, min(len(self.flow), start + 4)):
            line = self.flow[i]
            text = line.text.strip()
            if (not text or _is_rule_text(text) or _is_upper(line) or _is_note(text)
                    or line.folded.startswith(("can cu", "kinh gui", "theo de nghi"))):
                break
            if self.subject and line.para.look.alignment != self.subject[0].para.look.alignment:
                break
            self.subject.append(line)
            index = i + 1
        return index

    def _find_addressees(self, start: int) -> int:
        index = self._skip(start)
        for i in range(index, min(len(self.flow), index + 6)):
            line = self.flow[i]
            if line.folded.startswith("kinh gui"):
                self.addressees = [line]
                for following in self.flow[i + 1:]:
                    if not _LIST_ITEM.match(following.text.strip()):
                        break
                    self.addressees.append(following)
                return self._skip_notes(i + len(self.addressees))
            if line.text.strip() and not _is_rule_text(line.text):
                break
        return start

    def _skip_notes(self, start: int) -> int:
        """Past the parenthesised notes under a subject or an addressee list."""
        index = self._skip(start)
        while index < len(self.flow) and _is_note(self.flow[index].text):
            start = index = self._skip(index + 1)
        return start

    def _skip(self, start: int) -> int:
        """Past empty lines, drawn rules, marks and circulation notes."""
        while start < len(self.flow):
            line = self.flow[start]
            text = line.text.strip()
            if text and not (_is_rule_text(text) or _is_mark(line) or _is_circulation(line)):
                break
            start += 1
        return start

    # -- Nơi nhận and signatures

    def _attached_start(self, start: int) -> int:
        """Where a document issued with this one begins (Decree 30, Appendix III, form 1.3: a Quy chế
        after its decision, under a national title of its own); the end of the flow if none does."""
        return next((i for i in range(start, len(self.flow))
                     if self.flow[i] is not self.national_title and NATIONAL_TITLE_RE.fullmatch(self.flow[i].folded)),
                    len(self.flow))

    def _find_signature(self, start: int, stop: int) -> tuple[int, int]:
        """(end of the content, start of the appendix) as flow indexes; the signature is looked for
        before `stop`, where an attached document begins (it is part of the appendix)."""
        flow = self.flow[:stop]
        label_index = next((i for i in range(start, len(flow)) if flow[i].folded.startswith("noi nhan")), None)
        blocks: list[list[int]] = []
        if label_index is not None:
            self.recipients_label = flow[label_index]
            blocks += self._recipients_and_table(label_index)
        taken = {i for block in blocks for i in block}
        for i in range(start, len(flow)):
            if i not in taken and SIGNING_RE.match(flow[i].text.strip()) and _is_upper(flow[i]):
                block = self._block_at(i)
                taken.update(block)
                blocks.append(block)
        blocks += self._unprefixed_blocks(start, taken, stop)
        for block in blocks:
            lines = [flow[i] for i in block if flow[i].text.strip()]
            self.signatures.append(_split_signature(lines))
            if self.signatures[-1][1] is None and lines and _is_note(lines[-1].text):
                self.named_by_hand.append(len(self.signatures) - 1)
        used = [i for block in blocks for i in block] + ([label_index] if label_index is not None else [])
        recipients = {id(line) for line in self.recipients}
        used += [i for i, line in enumerate(flow) if id(line) in recipients]
        if not used:
            return len(flow), len(flow)
        table_lines = [i for table in self.signature_tables for i in self.by_table[id(table)]]
        return min(used + table_lines), max(used + table_lines) + 1

    def _unprefixed_blocks(self, start: int, taken: set[int], stop: int) -> list[list[int]]:
        """Columns of a borderless table after the content holding capitals, then a name last
        (`NGƯỜI BÁO CÁO` / `(Ký, ghi rõ họ tên)` / `Nông Thị Thu Hằng`); the names may sit in
        a row of their own so that they line up."""
        blocks = []
        for table, _number in self.reader.tables:
            if table is self.header_table or table in self.signature_tables:
                continue
            cells: dict[int, list[int]] = {}
            for i in self.by_table.get(id(table), []):
                line = self.flow[i]
                if start <= i < stop and i not in taken and not line.para.in_bordered_cell:
                    cells.setdefault(line.para.column, []).append(i)
            found = [b for b in cells.values() if _is_signature_cell([self.flow[i] for i in b])]
            if found:
                self.signature_tables.add(table)
                blocks += found
        return blocks

    def _recipients_and_table(self, label_index: int) -> list[list[int]]:
        flow, label = self.flow, self.flow[label_index]
        if label.para.cell is None:
            self.recipients = self._plain_recipients(label_index)
            return []
        self.recipients = [flow[i] for i in self.by_cell[id(label.para.cell)]
                           if i > label_index and flow[i].text.strip()]
        table = label.para.table
        self.signature_tables.add(table)
        cells: dict[int, list[int]] = {}
        for i in self.by_table[id(table)]:
            para = flow[i].para
            if para.cell is not label.para.cell and para.column > label.para.column:
                cells.setdefault(id(para.cell), []).append(i)
        return list(cells.values())

    def _plain_recipients(self, label_index: int) -> list[_Line]:
        recipients = []
        for line in self.flow[label_index + 1:label_index + 30]:
            text = line.text.strip()
            if not text or line.para.cell is not None or SIGNING_RE.match(text):
                break
            recipients.append(line)
        return recipients

    def _block_at(self, index: int) -> list[int]:
        line = self.flow[index]
        if line.para.cell is not None:
            self.signature_tables.add(line.para.table)
            return list(self.by_cell[id(line.para.cell)])
        block = []
        for i in range(index, min(len(self.flow), index + 10)):
            other = self.flow[i]
            if other.para.cell is not None:
                break
            block.append(i)
            text = other.text.strip()
            if i > index and text and not _is_upper(other) and not text.startswith("("):
                break  # the signer's name closes the block
        return block

    # -- content and appendix

    def _split_content(self, start: int, end: int, appendix_start: int) -> None:
        def body_paras(lines: list[_Line]) -> list[_Para]:
            paras: list[_Para] = []
            for line in lines:
                if line.para.zone == "body" and (not paras or paras[-1] is not line.para):
                    paras.append(line.para)
            return paras

        self.content = body_paras(self.flow[start:end])
        self.appendix = body_paras(self.flow[appendix_start:])

    @property
    def is_decision(self) -> bool:
        """A decision or a resolution: bases, the `QUYẾT ĐỊNH:` / `QUYẾT NGHỊ:` line, articles."""
        return self.type_name is not None and self.type_name.folded in (fold("Quyết định"), fold("Nghị quyết"))


def _boldness(line: _Line) -> bool:
    return any(look.bold for look in line.looks())


def _is_signature_cell(lines: list[_Line]) -> bool:
    lines = [line for line in lines if line.text.strip()]
    authority, signer = _split_signature(lines)
    if authority and signer is None and len(lines) > len(authority):
        return all(_is_note(line.text) for line in lines[len(authority):])  # the name to be written by hand
    return bool(authority) and signer is not None and signer is lines[-1] and len(signer.text.split()) <= 6


def _split_signature(block: list[_Line]) -> tuple[list[_Line], _Line | None]:
    """Authority lines (TM./KT. ..., then the title) and the signer's name."""
    lines = [line for line in block if line.text.strip()]
    authority = []
    for line in lines:
        if not _is_upper(line):
            break
        authority.append(line)
    names = [line for line in lines[len(authority):] if not _is_note(line.text) and not _is_upper(line)]
    return authority, (names[-1] if names and authority else None)
