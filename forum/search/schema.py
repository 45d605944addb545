"""What the index holds: the analyser, the schema, and one document per thread.

A thread is one ``text`` field made of zones (title, question, accepted answer, the start of the
other replies) whose words carry the zone's weight. That is BM25F proper: each term's frequency
is the weighted sum over the zones before BM25 saturates it, and a query word needs one posting
list instead of one per field, which keeps AND queries fast. Phrases are matched through word
pairs ("restor+file") indexed next to the words, not through word positions: Whoosh pickles
positions per posting, which made phrase queries over common words the slowest of all.

Documents are lean on purpose (DESIGN, Search). Only visible posts of visible threads are ever
indexed, and email addresses are cut out of the text before it reaches the index.
"""

import hashlib
import html
import re

from whoosh.analysis import (
    STOP_WORDS,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Tokenizer,
)
from whoosh.fields import BOOLEAN, DATETIME, ID, NUMERIC, STORED, TEXT, Schema

# Question words are in almost every title ("How do I …?"); requiring them in AND matching
# would only hide answers that are phrased differently.
FORUM_STOP_WORDS = STOP_WORDS | frozenset(
    "how what why where which who whom do does did doing done my me mine our ours im ive "
    "dont doesnt didnt cant get got there here any some so but all was were been has had "
    "would should could just also than then them they their its out about into very".split()
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

# How much a word counts in each zone. Applied at indexing time: run `flask search reindex`
# after changing them.
ZONE_WEIGHTS = {"title": 3.0, "answer": 2.0, "question": 1.0, "replies": 0.6}

# Document-level rank classes; the boost for each comes from configuration at query time.
RANK_OPEN, RANK_SOLVED, RANK_ARTICLE = 0, 1, 2

QUESTION_CHARS = 6000
ANSWER_CHARS = 6000
REPLY_CHARS = 600
REPLIES_CHARS = 6000

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

# Block-level tags separate words; inline ones (<strong>, <a>, <code>) sit inside them.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|hr|h[1-6]|li|ul|ol|pre|blockquote|table|thead|tbody|tr|th|td)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]*>")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPACE = re.compile(r"[\s\x00-\x1f]+")


def plain_text(post_html, limit=None):
    """The text of a post's sanitised HTML (``Post.html``), emails removed, whitespace collapsed.

    Post.html comes out of markup.render, so it is well-formed and a tag pattern is enough."""
    text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", post_html or "")))
    text = _SPACE.sub(" ", _EMAIL.sub(" ", text)).strip()
    return text[:limit] if limit else text


def doc_key(doc_type, doc_id):
    return f"{doc_type}:{doc_id}"


def parse_key(key):
    doc_type, _, doc_id = key.partition(":")
    return doc_type, int(doc_id)


def thread_document(thread, posts):
    """The index document for a visible ``thread`` (a Thread or a row with its columns);
    ``posts`` are its visible posts (id, is_question, html) in order."""
    question = next((p.html for p in posts if p.is_question), "")
    answer = next((p.html for p in posts if p.id == thread.accepted_post_id), "")
    replies, budget = [], REPLIES_CHARS
    for post in posts:
        if post.is_question or post.id == thread.accepted_post_id or budget <= 0:
            continue
        text = plain_text(post.html, min(REPLY_CHARS, budget))
        replies.append(text)
        budget -= len(text)
    zones = {
        "title": _SPACE.sub(" ", _EMAIL.sub(" ", thread.title)),
        "question": plain_text(question, QUESTION_CHARS),
        "answer": plain_text(answer, ANSWER_CHARS),
        "replies": " ".join(replies),
    }
    doc = {
        "key": doc_key("thread", thread.id),
        "type": "thread",
        "text": zoned_text(zones),
        "category": str(thread.category_id),
        "author": str(thread.author_id),
        "solved": thread.accepted_post_id is not None,
        "created": thread.created_at,
        "rank": RANK_OPEN if thread.accepted_post_id is None else RANK_SOLVED,
    }
    doc["fingerprint"] = fingerprint(doc)
    return doc


def article_document(article):
    """The index document for a published ``article`` (an Article or a row with its columns):
    title, summary (weighted as a question) and text (weighted as an accepted answer)."""
    zones = {
        "title": _SPACE.sub(" ", _EMAIL.sub(" ", article.title)),
        "question": _SPACE.sub(" ", _EMAIL.sub(" ", article.summary or "")),
        "answer": plain_text(article.html, ANSWER_CHARS),
    }
    doc = {
        "key": doc_key("article", article.id),
        "type": "article",
        "text": zoned_text(zones),
        "category": str(article.category_id or ""),
        "author": str(article.credited_user_id or ""),
        "solved": False,
        "created": article.updated_at,
        "rank": RANK_ARTICLE,
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
