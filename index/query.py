"""From what the user typed to a Whoosh query.

Reading: quoted phrases ("..." or “...”) and plain words. Anything else that looks like
syntax is read as plain words; an unbalanced quote makes the whole text plain words (and
says so). Nothing the user types raises, but a query longer than docgen.limits allows.

Building: every word must match (in the text, which holds the subject; marks optional); a run of
words that spells a number-symbol known to the index, or a date in any of its forms, is
one requirement met by the identifier or by the words. When no document has every word,
the loose form asks for any of them instead. How close the plain words stand in a
document is scored afterwards, on the best candidates only (closeness.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q
from whoosh.reading import IndexReader

from docgen import limits
from docgen.errors import DocgenError
from docgen.vietnamese import nfc

from .analysis import WORD, date_key, dates_in, fold, symbol_key

# Weights. A marked field scores far above its folded twin, so exact marks rank first; the
# subject above the text; a document's own number-symbol (or issue date) above everything,
# a mention of it above the same characters read as words.
SUBJECT_MARKED = 12.0
SUBJECT_FOLDED = 1.5
CONTENT_MARKED = 8.0
CONTENT_FOLDED = 1.0
OWN_SYMBOL = 1000.0
CITED_SYMBOL = 40.0
ISSUED_ON = 100.0
MENTIONED_DATE = 20.0
PHRASE = 3.0

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_PIECE = re.compile(r'"([^"]*)"|([^"\s]+)')


@dataclass
class Token:
    text: str  # NFC, lower case
    start: int
    end: int

    @property
    def folded(self) -> str:
        return fold(self.text)


@dataclass
class ReadQuery:
    """The query as read: plain word tokens, quoted phrases, and notes for the user."""

    text: str
    words: list[Token] = field(default_factory=list)
    phrases: list[list[Token]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    def folded_terms(self) -> set[str]:
        terms = {t.folded for t in self.words}
        for phrase in self.phrases:
            terms |= {t.folded for t in phrase}
        return terms


def _tokens(text: str, offset: int = 0) -> list[Token]:
    return [Token(m.group().lower(), offset + m.start(), offset + m.end()) for m in WORD.finditer(text)]


def read(text: str) -> ReadQuery:
    if len(text or "") > limits.QUERY_CHARS:
        raise DocgenError(f"the query is {len(text):,} characters long; a query may be at most "
                          f"{limits.QUERY_CHARS:,}: search for its most telling words")
    text = nfc(text or "").translate(_QUOTES)
    read_query = ReadQuery(text)
    if text.count('"') % 2:
        read_query.words = _tokens(text)
        read_query.notices.append('a quotation mark is not closed: the query was read as plain words')
        return read_query
    for match in _PIECE.finditer(text):
        if match.group(1) is not None:
            phrase = _tokens(match.group(1), match.start(1))
            if len(phrase) > 1:
                read_query.phrases.append(phrase)
            else:
                read_query.words += phrase
        else:
            read_query.words += _tokens(match.group(2), match.start(2))
    return read_query


# -- building ---------------------------------------------------------------------------------


def _word(token: Token) -> q.Query:
    """A word as a requirement: in the text (which holds the subject too), marks optional;
    the exact marks score far higher."""
    folded, marked = token.folded, token.text
    found = q.Term("content_folded", folded, boost=CONTENT_FOLDED)
    if marked == folded:
        return found
    return _any([found, q.Term("content", marked, boost=CONTENT_MARKED)])


def _in_subject(tokens: list[Token]) -> q.Query | None:
    """The words in the subject: scored on the best candidates only (search.py), since every
    document that has a word in its subject has it in its text too."""
    options = []
    for token in {t.text: t for t in tokens}.values():
        options.append(q.Term("subject_folded", token.folded, boost=SUBJECT_FOLDED))
        if token.text != token.folded:
            options.append(q.Term("subject", token.text, boost=SUBJECT_MARKED))
    return _any(options) if options else None


def _any(options: list[q.Query]) -> q.Query:
    """Or as a tree of unions, advanced document by document: Whoosh would otherwise preload
    every match of every branch (for phrases: every position of every candidate)."""
    found = q.Or(options)
    found.matcher_type = q.Or.DEFAULT_MATCHER
    return found


def _phrase(tokens: list[Token], *, boost: float = 1.0) -> q.Query:
    return q.Phrase("content_folded", [t.folded for t in tokens], boost=boost)


def _known(reader: IndexReader, key: str) -> bool:
    return any(reader.doc_frequency(name, key) for name in ("symbol_key", "cites"))


def _groups(read_query: ReadQuery, reader: IndexReader) -> list[tuple[list[Token], q.Query, bool]]:
    """The query's requirements, in order: (the tokens it covers, the clause, whether it is a
    plain word rather than an identifier or a quoted phrase)."""
    words = read_query.words
    spans: dict[int, tuple[int, q.Query]] = {}  # first token index -> (end index, clause)
    taken: set[int] = set()
    for date, start, end in dates_in(read_query.text):
        inside = [i for i, t in enumerate(words) if t.start >= start and t.end <= end]
        if not inside or taken & set(inside):
            continue
        key = date_key(date)
        spans[inside[0]] = (inside[-1] + 1, _any([
            q.Term("issued_on", key, boost=ISSUED_ON), q.Term("dates", key, boost=MENTIONED_DATE),
            q.And([_word(words[i]) for i in inside])]))
        taken |= set(inside)
    i = 0
    while i < len(words):
        if i in taken or not words[i].text.isdigit():
            i += 1
            continue
        found = None
        for j in range(min(len(words), i + 7), i + 1, -1):
            if taken & set(range(i, j)):
                continue
            key = symbol_key(" ".join(t.text for t in words[i:j]))
            if _known(reader, key):
                found = (j, key)
                break
        if found is None:
            i += 1
            continue
        j, key = found
        spans[i] = (j, _any([q.Term("symbol_key", key, boost=OWN_SYMBOL), q.Term("cites", key, boost=CITED_SYMBOL),
                             q.And([_word(t) for t in words[i:j]])]))
        taken |= set(range(i, j))
        i = j
    groups = []
    i = 0
    while i < len(words):
        if i in spans:
            end, clause = spans[i]
            groups.append((words[i:end], clause, False))
            i = end
        else:
            groups.append(([words[i]], _word(words[i]), True))
            i += 1
    for phrase in read_query.phrases:
        clause = _phrase(phrase, boost=PHRASE)
        marked = [t for t in phrase if t.text != t.folded]
        if marked:  # positions are in the folded fields; the marks still rank exact spellings first
            clause = q.AndMaybe(clause, _any([q.Term("content", t.text, boost=CONTENT_MARKED) for t in marked]))
        groups.append((phrase, clause, False))
    return groups


def _runs(groups: list[tuple[list[Token], q.Query, bool]]) -> list[list[str]]:
    """The runs of plain words (identifiers and quoted phrases aside), folded, for closeness."""
    runs, run = [], []
    for tokens, _, plain in groups:
        if plain:
            run += [t.folded for t in tokens]
        else:
            runs.append(run)
            run = []
    runs.append(run)
    return [run for run in runs if len(run) > 1]


@dataclass
class Plan:
    required: q.Query  # every requirement
    loose: q.Query | None  # any requirement, for when no document meets them all
    subject: q.Query | None  # the words in the subject, adding to the score of the best candidates
    runs: list[list[str]]  # plain words whose closeness in a document adds to its rank


def build(read_query: ReadQuery, reader: IndexReader) -> Plan:
    if read_query.empty:
        return Plan(q.Every(), None, None, [])
    groups = _groups(read_query, reader)
    clauses = [clause for _, clause, _ in groups]
    subject = _in_subject([t for tokens, _, plain in groups if plain for t in tokens]
                          + [t for phrase in read_query.phrases for t in phrase])
    if len(clauses) == 1:
        return Plan(clauses[0], None, subject, _runs(groups))
    return Plan(q.And(clauses), _any(clauses), subject, _runs(groups))
