"""What the Whoosh index holds: the analyser, the schema, and one document per thread.

A thread is one ``text`` field made of zones (title, question, accepted answer, the start of the
other replies) whose words carry the zone's weight. That is BM25F proper: each term's frequency
is the weighted sum over the zones before BM25 saturates it, and a query word needs one posting
list instead of one per field, which keeps AND queries fast. Phrases are matched through word
pairs ("restor+file") indexed next to the words, not through word positions: Whoosh pickles
positions per posting, which made phrase queries over common words the slowest of all.

The zones themselves come from documents.py, shared with the PostgreSQL backend.
"""

import hashlib
import re

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Tokenizer,
)
from whoosh.fields import BOOLEAN, DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from forum.search import documents
from forum.search.documents import (  # noqa: F401  (plain_text: imported from here elsewhere)
    FORUM_STOP_WORDS,
    RANK_ARTICLE,
    RANK_OPEN,
    RANK_SOLVED,
    ZONE_WEIGHTS,
    plain_text,
)

ZONE_MARK = "\x1e"  # never in indexed or query text: both have control characters removed
_WEIGHT = re.compile(r"\d+(?:\.\d+)?")


class ZoneTokenizer(Tokenizer):
    """Words of text split into zones by ``\x1e<weight>\x1e`` markers; each word carries its
    zone's weight as its boost. Text without markers is tokenised like RegexTokenizer's."""

    def __init__(self):
        self.words = RegexTokenizer()

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, start_pos=0, start_char=0, **kw):
        boost, position, offset = 1.0, start_pos, start_char
        for i, part in enumerate(value.split(ZONE_MARK)):
            if i % 2 and _WEIGHT.fullmatch(part):
                boost = float(part)
            else:
                words = self.words(
                    part,
                    positions=positions,
                    chars=chars,
                    start_pos=position,
                    start_char=offset,
                    **kw,
                )
                for token in words:
                    token.boost = boost
                    position = token.pos + 1 if positions else position
                    yield token
            offset += len(part) + 1


ANALYZER = (
    ZoneTokenizer()
    | LowercaseFilter()
    | StopFilter(stoplist=FORUM_STOP_WORDS, minsize=2)
    | StemFilter(cachesize=50_000)
)
PAIR_JOIN = "+"  # the word tokenizer never puts "+" inside a word


class PairFilter(Filter):
    """After each word, also the pair ``previous+word``, so that a phrase is a set of pairs.

    Only within one zone, and only in zones weighted at least ``min_boost``: pairs are nearly
    all unique terms, and every term costs Whoosh a posting block, so the low-weight replies
    zone (searched by words) would more than double the indexing time."""

    def __init__(self, min_boost=1.0):
        self.min_boost = min_boost

    def __call__(self, tokens):
        previous, zone = None, None
        for token in tokens:
            word, boost = token.text, token.boost
            yield token
            if previous is not None and boost == zone and boost >= self.min_boost:
                token.text = f"{previous}{PAIR_JOIN}{word}"
                yield token
            previous, zone = word, boost


# The index analyser is the query analyser plus the word pairs.
INDEX_ANALYZER = ANALYZER | PairFilter()

# ZONE_WEIGHTS (documents.py) apply at indexing time here: run `flask search reindex` after
# changing them.

SCHEMA = Schema(
    key=ID(unique=True, stored=True),  # "thread:12" or "article:3"
    type=ID,
    text=TEXT(analyzer=INDEX_ANALYZER, phrase=False),  # weighted frequencies, no positions
    category=ID,  # category id: slugs can be renamed, ids cannot
    author=ID,  # author's user id, for author:<username>
    solved=BOOLEAN,
    created=DATETIME(sortable=True),
    rank=NUMERIC(int, bits=8, sortable=True),
    fingerprint=STORED,  # lets `search check` spot stale documents
)


def doc_key(doc_type, doc_id):
    return f"{doc_type}:{doc_id}"


def parse_key(key):
    doc_type, _, doc_id = key.partition(":")
    return doc_type, int(doc_id)


def thread_document(thread, posts):
    """The Whoosh document for a visible ``thread`` (a Thread or a row with its columns);
    ``posts`` are its visible posts (id, is_question, html) in order."""
    return whoosh_document(documents.thread_document(thread, posts))


def article_document(article):
    """The Whoosh document for a published ``article`` (an Article or a row with its columns)."""
    return whoosh_document(documents.article_document(article))


def whoosh_document(document):
    """A documents.Document as the fields of SCHEMA."""
    doc = {
        "key": doc_key(document.kind, document.id),
        "type": document.kind,
        "text": zoned_text(document.zones),
        "category": str(document.category_id if document.category_id is not None else ""),
        "author": str(document.author_id if document.author_id is not None else ""),
        "solved": document.solved,
        "created": document.created,
        "rank": document.rank,
    }
    doc["fingerprint"] = fingerprint(doc)
    return doc


def zoned_text(zones):
    """``{zone: text}`` as one string of weighted zones for ZoneTokenizer."""
    return "".join(
        f"{ZONE_MARK}{ZONE_WEIGHTS[name]}{ZONE_MARK}{text} " for name, text in zones.items() if text
    )


def fingerprint(doc):
    parts = [str(doc[name]) for name in sorted(doc) if name != "fingerprint"]
    # A change detector, not a security use: SHA-1 is fine and keeps existing fingerprints.
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]
