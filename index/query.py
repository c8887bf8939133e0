"""From what the user typed to a Tantivy query.

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
from itertools import islice

from tantivy import Occur, Query, Schema, Searcher

from docgen import limits
from docgen.errors import DocgenError
from docgen.vietnamese import nfc

from .analysis import WORD, date_key, dates_in, fold, symbol_key

# Weights. A marked field scores far above its folded twin, so exact marks rank first; the
# heading (type name and subject) above the text, so that words most documents mention still
# find the documents that are about them; a document's own number-symbol (or issue date) above
# everything, a mention of it above the same characters read as words. Tuned on the known items
# of tests/test_index_search.py with Tantivy's BM25: the smallest ratio of the meant document's
# score to the best other's went from 1.05 (heading 1.5, marked text 8) to 1.60.
HEADING_MARKED = 12.0
HEADING_FOLDED = 5.0
CONTENT_MARKED = 4.0
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


# Words read from a query: each is a clause, and a run of them a few phrase searches
# (closeness.py); a pasted page is known by its first sentences.
MAX_WORDS = 64


def read(text: str) -> ReadQuery:
    if len(text or "") > limits.QUERY_CHARS:
        raise DocgenError(f"the query is {len(text):,} characters long; a query may be at most "
                          f"{limits.QUERY_CHARS:,}: search for its most telling words")
    text = nfc(text or "").translate(_QUOTES)
    beyond = next(islice(WORD.finditer(text), MAX_WORDS, None), None)
    notices = []
    if beyond is not None:
        text = text[:beyond.start()].rstrip()
        text += '"' if text.count('"') % 2 else ""  # a phrase cut short ends where the query does
        notices.append(f"the query is long: only its first {MAX_WORDS} words were searched for")
    read_query = ReadQuery(text, notices=notices)
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


class Builder:
    """Tantivy queries over one schema, and whether an identifier is known to the index."""

    def __init__(self, searcher: Searcher, schema: Schema):
        self.searcher, self.schema = searcher, schema

    def term(self, field: str, value, boost: float = 1.0) -> Query:
        found = Query.term_query(self.schema, field, value)
        return found if boost == 1.0 else Query.boost_query(found, boost)

    def phrase(self, field: str, terms: list[str], *, boost: float = 1.0, slop: int = 0) -> Query:
        found = Query.phrase_query(self.schema, field, terms, slop=slop)
        return found if boost == 1.0 else Query.boost_query(found, boost)

    def known(self, key: str) -> bool:
        return any(self.searcher.doc_freq(name, key) for name in ("symbol_key", "cites"))

    def word(self, token: Token) -> Query:
        """A word as a requirement: in the text (which holds the subject too), marks optional;
        the exact marks score far higher."""
        folded, marked = token.folded, token.text
        found = self.term("content_folded", folded, CONTENT_FOLDED)
        if marked == folded:
            return found
        return any_of([found, self.term("content", marked, CONTENT_MARKED)])

    def marked(self, tokens: list[Token]) -> list[Query]:
        """The plain words with their marks, adding to the score of the documents that have them so
        (a plain word is required folded: matching is the same, and intersecting terms is cheaper
        than intersecting unions)."""
        return [self.term("content", t.text, CONTENT_MARKED) for t in tokens if t.text != t.folded]

    def in_heading(self, tokens: list[Token]) -> list[Query]:
        """The words in the heading (type name and subject), adding to the score of the documents that have them."""
        options = []
        for token in {t.text: t for t in tokens}.values():
            options.append(self.term("heading_folded", token.folded, HEADING_FOLDED))
            if token.text != token.folded:
                options.append(self.term("heading", token.text, HEADING_MARKED))
        return options


def any_of(options: list[Query]) -> Query:
    return options[0] if len(options) == 1 else Query.boolean_query([(Occur.Should, o) for o in options])


def all_of(required: list[Query], optional: list[Query] = ()) -> Query:
    if len(required) == 1 and not optional:
        return required[0]
    return Query.boolean_query([(Occur.Must, r) for r in required] + [(Occur.Should, o) for o in optional])


def _groups(read_query: ReadQuery, build: Builder) -> list[tuple[list[Token], Query, bool]]:
    """The query's requirements, in order: (the tokens it covers, the clause, whether it is a
    plain word rather than an identifier or a quoted phrase)."""
    words = read_query.words
    spans: dict[int, tuple[int, Query]] = {}  # first token index -> (end index, clause)
    taken: set[int] = set()
    for date, start, end in dates_in(read_query.text):
        inside = [i for i, t in enumerate(words) if t.start >= start and t.end <= end]
        if not inside or taken & set(inside):
            continue
        key = date_key(date)
        spans[inside[0]] = (inside[-1] + 1, any_of([
            build.term("issued_on", key, ISSUED_ON), build.term("dates", key, MENTIONED_DATE),
            all_of([build.word(words[i]) for i in inside])]))
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
            if build.known(key):
                found = (j, key)
                break
        if found is None:
            i += 1
            continue
        j, key = found
        spans[i] = (j, any_of([build.term("symbol_key", key, OWN_SYMBOL), build.term("cites", key, CITED_SYMBOL),
                               all_of([build.word(t) for t in words[i:j]])]))
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
            groups.append(([words[i]], build.term("content_folded", words[i].folded, CONTENT_FOLDED), True))
            i += 1
    for phrase in read_query.phrases:
        clause = build.phrase("content_folded", [t.folded for t in phrase], boost=PHRASE)
        marked = [t for t in phrase if t.text != t.folded]
        if marked:  # positions are in the folded fields; the marks still rank exact spellings first
            clause = all_of([clause], [build.term("content", t.text, CONTENT_MARKED) for t in marked])
        groups.append((phrase, clause, False))
    return groups


def _runs(groups: list[tuple[list[Token], Query, bool]]) -> list[list[str]]:
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
    required: Query  # every requirement (marks and the heading's words adding to the score)
    loose: Query | None  # any requirement, for when no document meets them all
    runs: list[list[str]]  # plain words whose closeness in a document adds to its rank


def build(read_query: ReadQuery, searcher: Searcher, schema: Schema) -> Plan:
    if read_query.empty:
        return Plan(Query.all_query(), None, [])
    builder = Builder(searcher, schema)
    groups = _groups(read_query, builder)
    clauses = [clause for _, clause, _ in groups]
    plain = [t for tokens, _, is_plain in groups if is_plain for t in tokens]
    optional = builder.marked(plain) + builder.in_heading(plain + [t for phrase in read_query.phrases for t in phrase])
    runs = _runs(groups)
    if len(clauses) == 1:
        return Plan(all_of(clauses, optional), None, runs)
    return Plan(all_of(clauses, optional), any_of(clauses + optional), runs)
