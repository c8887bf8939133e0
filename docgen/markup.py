"""The body-text markup of data files, and heading numbers computed from it.

A clerk writes the content of a plan, letter or report as plain lines:

    # Mục đích, yêu cầu          level-1 heading  -> "I. MỤC ĐÍCH, YÊU CẦU"
    ## Mục đích                  level-2 heading  -> "1. Mục đích"
    ### Đối với tập thể          level-3 heading  -> "a) Đối với tập thể" (or "1.1. ...")
    ### Tập thể: | Các cơ sở...  a numbered point run into its text: the label keeps the
                                 heading's emphasis, the text after | is body text
    ## | Chủ động phát hiện...     a numbered paragraph with no label
    Text of a paragraph ...      a paragraph; each new line is a new paragraph, unless
    and its wrapped end.         it clearly continues a sentence: it starts in lower case
                                 and the line before does not end one (. ! ? … : ;)
    - an item                    "- an item"
    + a sub-item                 "+ a sub-item"
    **bold**  *italic*           inline emphasis
    \\*  \\#  \\-  \\+  \\|  \\\\       the character itself, never markup (`literal` escapes
                                 plain text this way before it goes into markup)

A blank line ends a paragraph or item. Numbers are never typed: they follow the structure,
so a section cannot be numbered twice and a letter cannot be skipped (Decree 30,
Appendix I: numbering continuous at every level).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .vietnamese import roman, upper

# Parsed from markup: h1-h3, p, item, subitem; in articles markup also chapter (`Chương I` and its
# title) and article_title (`Điều 1. Phạm vi điều chỉnh`), both kept with what follows them. Built by
# kinds: basis (italic legal bases), article (`Điều N.` run into its text), center (bold centred
# lines such as `QUYẾT ĐỊNH:`).
BlockStyle = Literal["h1", "h2", "h3", "p", "item", "subitem", "basis", "article", "center", "chapter",
                     "article_title"]
Level3 = Literal["letter", "decimal"]

LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese alphabet order used for points: a) b) c) d) đ) e)


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    style: BlockStyle
    number: str  # "I.", "1.", "a)", "1.1." for headings; "" otherwise
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The block as it reads in the document, number and marker included."""
        return "".join(s.text for s in self.spans)


# What `docgen kinds KIND` tells about the fields written in markup as articles (decisions,
# resolutions, an attached regulation).
ARTICLES_SUMMARY = """Fields marked "markup (articles)" are written as lines; numbers are never typed:
  # Quy định chung        -> Chương I / QUY ĐỊNH CHUNG (a chapter, in an attached regulation)
  ## Phạm vi điều chỉnh   -> Điều 1. Phạm vi điều chỉnh (an article and its title, bold)
  ## | Bổ nhiệm ông ...   -> Điều 1. Bổ nhiệm ông ... (the label bold, the text after | as typed)
  ### ...                 -> 1. ... (a clause: restarts in each article)
  #### ...                -> a) ... (a point: restarts in each clause)
  - an item / + a sub-item, **bold**, *italic*, paragraphs as in the other markup.
  Articles run Điều 1, Điều 2, ... through the whole text, across chapters (Decree 30, Appendix I).
  A list instead of a text: one article per item (`## | ` is added)."""

# What `docgen kinds KIND` tells about the fields written in markup.
SUMMARY = """Fields marked "markup" are written as lines:
  # Mục đích, yêu cầu     -> I. MỤC ĐÍCH, YÊU CẦU (## -> 1., ### -> a) or 1.1.; never type the numbers)
  - an item / + a sub-item, **bold**, *italic*, \\* a literal asterisk
  A new line is a new paragraph. A line is joined to the one above only when it clearly
  continues its sentence: it starts in lower case and the line above does not end with
  . ! ? … : or ;. A blank line always ends a paragraph."""


_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


_ESCAPABLE = "\\*#+-|"
_ESCAPED = re.compile(r"\\([\\*#+\-|])")
# An escaped character waits in the Private Use Area while emphasis is split, then comes back.
_HIDDEN = {0xE000 + ord(ch): ch for ch in _ESCAPABLE}


def literal(text: str) -> str:
    """Plain text (a name, a place, a cell of a spreadsheet) as markup that prints exactly as
    typed, on one line, wherever in a line it is put."""
    return "".join("\\" + ch if ch in _ESCAPABLE else ch for ch in " ".join(text.split()))


def parse_inline(text: str, *, bold: bool = False, italic: bool = False) -> list[Span]:
    """Split `**bold**` and `*italic*` runs; a backslash makes the next markup character plain."""
    text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    spans: list[Span] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            spans.append(Span(text[pos:m.start()], bold, italic))
        if m.group(1) is not None:
            spans.append(Span(m.group(1), True, italic))
        else:
            spans.append(Span(m.group(2), bold, True))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(text[pos:], bold, italic))
    return [Span(s.text.translate(_HIDDEN), s.bold, s.italic) for s in spans if s.text]


_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_LEGAL_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_TYPED_LEGAL_NUMBER = re.compile(r"^(?:Chương\s+[IVXLC\d]+\.?|Điều\s+\d+\.?|\d+\.|[a-zđ]\))\s*")
_ITEM = re.compile(r"^([-+])\s+(.*)$")
# Numbers a clerk may have typed out of habit; the structure numbers headings itself.
_TYPED_NUMBER = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))\s*")


class _Counter:
    def __init__(self, level3: Level3):
        self.level3 = level3
        self.counts = [0, 0, 0]

    def next(self, level: int) -> str:
        self.counts[level - 1] += 1
        for deeper in range(level, 3):
            self.counts[deeper] = 0
        n1, n2, n3 = self.counts
        if level == 1:
            return f"{roman(n1)}."
        if level == 2:
            return f"{n2}."
        if self.level3 == "decimal":
            return f"{n2}.{n3}."
        return f"{LETTERS[(n3 - 1) % len(LETTERS)]})"


class _LegalCounter:
    """Chương I, II (roman); Điều 1, 2 through the whole text; clauses 1., 2. in an article;
    points a), b) in a clause (Decree 30, Appendix I, part II: chương, điều, khoản, điểm)."""

    def __init__(self) -> None:
        self.chapter = self.article = self.clause = self.point = 0

    def next(self, level: int) -> str:
        if level == 1:
            self.chapter += 1
            return f"Chương {roman(self.chapter)}"
        if level == 2:
            self.article += 1
            self.clause = self.point = 0
            return f"Điều {self.article}."
        if level == 3:
            self.clause += 1
            self.point = 0
            return f"{self.clause}."
        self.point += 1
        return f"{LETTERS[(self.point - 1) % len(LETTERS)]})"


def articles_source(value: str | list[str]) -> str:
    """Articles given as a list (one article an item) as the articles markup."""
    if isinstance(value, str):
        return value
    return "\n\n".join("## | " + item.strip() for item in value if item.strip())


def parse_articles(source: str) -> list[Block]:
    """Articles markup (ARTICLES_SUMMARY) into blocks: chapters as two centred bold lines
    (`Chương I` in lower case, its title in capitals), articles with their label bold."""
    return parse(source, legal=True)


def _legal_heading(blocks: list[Block], level: int, number: str, title: str) -> None:
    label, bar, run_in = title.partition("| ")
    run = bool(bar) and (not label or label.endswith(" "))
    if level == 1:
        blocks.append(Block("chapter", number, (Span(number),)))
        if title:
            blocks.append(Block("chapter", "", tuple(parse_inline(upper(title)))))
        return
    if level == 2:
        if run:
            lead = f"{number} {label.strip()} " if label.strip() else f"{number} "
            blocks.append(Block("article", number, (Span(lead, bold=True), *parse_inline(run_in.strip()))))
        else:
            blocks.append(Block("article_title", number, tuple(parse_inline(f"{number} {title}", bold=True))))
        return
    text = f"{label.strip()} {run_in.strip()}".strip() if run else title
    blocks.append(Block("p", number, (Span(f"{number} "), *parse_inline(text))))


def parse(source: str, *, level3: Level3 = "letter", legal: bool = False) -> list[Block]:
    """Turn markup into blocks with their computed numbers."""
    counter: _Counter | _LegalCounter = _LegalCounter() if legal else _Counter(level3)
    blocks: list[Block] = []
    pending: tuple[str, list[str]] | None = None  # (style, lines) of the open paragraph/item

    def close() -> None:
        nonlocal pending
        if pending is None:
            return
        style, lines = pending
        text = " ".join(line.strip() for line in lines)
        marker = {"item": "- ", "subitem": "+ "}.get(style, "")
        blocks.append(Block(style, "", tuple([Span(marker)] if marker else []) + tuple(parse_inline(text))))
        pending = None

    for raw in source.splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        heading = (_LEGAL_HEADING if legal else _HEADING).match(line)
        if heading and legal:
            close()
            level = len(heading.group(1))
            title = _TYPED_LEGAL_NUMBER.sub("", heading.group(2).strip(), count=1)
            _legal_heading(blocks, level, counter.next(level), title)
            continue
        if heading:
            close()
            level = len(heading.group(1))
            title = _TYPED_NUMBER.sub("", heading.group(2).strip(), count=1)
            number = counter.next(level)
            label, bar, run_in = title.partition("| ")
            if bar and (not label or label.endswith(" ")):
                # A run-in point is a body paragraph whose label carries the heading's emphasis.
                emphasis = {"bold": True} if level < 3 else {"italic": True}
                label_text = upper(label.strip()) if level == 1 else label.strip()
                lead = f"{number} {label_text} " if label_text else f"{number} "
                spans = [Span(lead, **emphasis)] + parse_inline(run_in.strip())
                blocks.append(Block("p", number, tuple(spans)))
                continue
            # Bold/italic of a heading come from its paragraph style, which an office may restyle.
            spans = [Span(f"{number} ")] + parse_inline(upper(title) if level == 1 else title)
            blocks.append(Block(f"h{level}", number, tuple(spans)))  # type: ignore[arg-type]
            continue
        item = _ITEM.match(line)
        if item:
            close()
            pending = ("item" if item.group(1) == "-" else "subitem", [item.group(2)])
            continue
        if pending is not None and continues(pending[1][-1], line):
            pending[1].append(line)
            continue
        close()
        pending = ("p", [line])
    close()
    return blocks


_SENTENCE_END = ".!?…:;"
_CLOSERS = "\"'”’)»]*"


def continues(previous: str, line: str) -> bool:
    """Is `line` the wrapped rest of the sentence on `previous`? Only when it starts in lower
    case and `previous` does not end a sentence; otherwise a new line is a new paragraph."""
    first = next((ch for ch in line if ch.isalpha()), "")
    return first.islower() and not previous.rstrip(_CLOSERS).endswith(tuple(_SENTENCE_END))


def end_content(blocks: list[Block]) -> list[Block]:
    """Close the content with `./.` as Decree 30 requires of the last paragraph."""
    if not blocks:
        return blocks
    last = blocks[-1]
    spans = list(last.spans)
    tail = spans[-1]
    text = tail.text.rstrip()
    if text.endswith("./."):
        return blocks
    text = text.rstrip(".;:,/") + "./."
    spans[-1] = Span(text, tail.bold, tail.italic)
    return blocks[:-1] + [Block(last.style, last.number, tuple(spans))]
