"""The query language as tsqueries, for the PostgreSQL backend (pg_query.py runs them).

Each word or phrase of a parsed query goes through ``websearch_to_tsquery`` on its own (quoted,
so a phrase keeps its word order and the positions of its stop words), and the pieces are
joined here with explicit parentheses: ``websearch_to_tsquery`` of the whole text would bind
``a OR b c`` as ``a | (b & c)``, and our groups mean ``(a | b) & c``. A phrase that every
result must contain is first narrowed down by its word pairs (the ``pairs`` column's GIN
index), so PostgreSQL checks word positions only in the few documents that have them all.
"""

import re
import threading
from dataclasses import dataclass

from flask import current_app

from forum.extensions import db
from forum.search.documents import FORUM_STOP_WORDS
from forum.search.pg_index import CONFIG, pairs_of, pg_text

MAX_ANALYSES = 4_096  # clause texts whose analysis a process keeps (a few MB at most)
_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r"'(?:[^']|'')*'")
_PHRASE = re.compile(r"<(?:-|\d+)>")  # tsquery's followed-by operators
ANALYSE = db.text(f"""
SELECT CAST(websearch_to_tsquery('{CONFIG}', q) AS text),
       tsvector_to_array(to_tsvector('{CONFIG}', w)),
       {pairs_of(f"to_tsvector('{CONFIG}', w)")}
FROM unnest(CAST(:queries AS text[]), CAST(:words AS text[])) WITH ORDINALITY AS c(q, w, n)
ORDER BY n
""")


@dataclass(frozen=True)
class PgQuery:
    match: str | None  # tsquery (text) every result satisfies; None: no words, filters only
    rank: str | None  # its positive part, for ts_rank_cd; None: newest first
    any: str | None  # every positive lexeme ORed: the title pre-rank and the highlighting
    lexemes: tuple = ()  # for picking the text a snippet comes from
    pairs: str | None = None  # the word pairs of the phrases every result contains
    head: str | None = None  # ``rank`` when it has no phrase: what head matches must satisfy
    excludes: bool = False  # some words are excluded: a head match may still not match
    any_word: bool = False  # ``head`` is one group of words: a title with any of them matches
    impossible: bool = False  # a word both required and excluded: nothing can match


def searchable(clause):
    """Whether a clause is more than stop words (the forum's list, for parity with Whoosh;
    inside phrases PostgreSQL's own list applies)."""
    if clause.phrase:
        return True
    words = _WORD.findall(clause.text.lower())
    return any(len(word) > 1 and word not in FORUM_STOP_WORDS for word in words)


def quote(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class Analyses:
    """What each clause's text analysed to, for the last MAX_ANALYSES texts a process searched
    for. The analysis depends only on the text and the text search configuration (which only
    changes with a migration, and so a restart), and searches repeat their words: a page of
    words all seen before skips a round trip."""

    def __init__(self):
        self.kept, self.lock = {}, threading.Lock()

    def get(self, texts):
        with self.lock:
            return {text: self.kept[text] for text in texts if text in self.kept}

    def add(self, found):
        with self.lock:
            self.kept.update(found)
            while len(self.kept) > MAX_ANALYSES:
                del self.kept[next(iter(self.kept))]


def analyse(clauses):
    """``{clause: (tsquery text, lexemes, word pairs)}``: the texts this process has not
    analysed lately in one round trip, the others from its Analyses."""
    analyses = current_app.extensions.setdefault("search_analyses", Analyses())
    texts = list(dict.fromkeys(clause.text for clause in clauses))
    known = analyses.get(texts)
    missing = [text for text in texts if text not in known]
    if missing:
        rows = db.session.execute(
            ANALYSE,
            {
                "queries": [f'"{pg_text(text)}"' for text in missing],
                "words": [pg_text(text) for text in missing],
            },
        ).all()
        found = {
            text: (tsquery or "", tuple(lexemes or ()), tuple(pairs or ()))
            for text, (tsquery, lexemes, pairs) in zip(missing, rows, strict=True)
        }
        analyses.add(found)
        known.update(found)
    return {clause: known[clause.text] for clause in clauses}


def prepare(parsed, match_any=False):
    """The PgQuery for a ParsedQuery, or None when all its words are stop words."""
    groups = [tuple(c for c in group if searchable(c)) for group in dict.fromkeys(parsed.groups)]
    excluded = [clause for clause in parsed.excluded if searchable(clause)]
    analysed = analyse(list(dict.fromkeys([c for group in groups for c in group] + excluded)))
    parts = []
    for group in groups:
        alternatives = [f"( {analysed[c][0]} )" for c in group if analysed[c][0]]
        if alternatives:
            parts.append("( " + " | ".join(alternatives) + " )")
    if parsed.groups and not parts:
        return None
    positive = (" | " if match_any else " & ").join(parts) or None
    negative = [f"!( {analysed[c][0]} )" for c in excluded if analysed[c][0]]
    match = " & ".join(([f"( {positive} )"] if positive else []) + negative) or None
    lexemes = tuple(dict.fromkeys(lex for group in groups for c in group for lex in analysed[c][1]))
    # A phrase every result must contain (alone in its group, groups ANDed) is narrowed down
    # by its word pairs first; the pairs of the others would not be required.
    required = [group[0] for group in groups if len(group) == 1 and not match_any]
    pairs = dict.fromkeys(pair for c in required if c.phrase for pair in analysed[c][2])
    excluded_queries = {analysed[c][0] for c in excluded if analysed[c][0]}
    # A title with any one of the words matches only if each word is one lexeme (a clause
    # like 'foo"bar' from a suggestion's title can analyse to 'foo' & 'bar').
    one_lexeme_each = all(
        _QUOTED.fullmatch(analysed[c][0]) for group in groups for c in group if analysed[c][0]
    )
    return PgQuery(
        match,
        positive,
        " | ".join(map(quote, lexemes)) or None,
        lexemes,
        " & ".join(map(quote, pairs)) or None,
        head=positive if positive and not _PHRASE.search(_QUOTED.sub("", positive)) else None,
        excludes=bool(negative),
        any_word=(match_any or len(parts) == 1) and one_lexeme_each,
        impossible=any(analysed[c][0] in excluded_queries for c in required),
    )
