"""Whoosh queries evaluated a whole posting list at a time, with Python's set operations.

Two reasons. Whoosh 2.7.5 (whoosh-reloaded) gets two kinds of query wrong when it collects
without block-quality optimisation: an OR found a fraction of its matches ("backup OR nole":
4,833 of 51,356 at a million posts, so the best answers could be missing), and an exclusion
let through the first document of each segment even when it held the excluded word. And its
matchers step through posting lists one document at a time in Python: an AND of three common
words (tens of thousands of matching threads at a million posts) spent 100-170 ms in
``skip_to``/``next``. Here each term's postings are read block by block, the query's AND, OR
and NOT become set intersections, unions and differences (loops in C), and only the matching
documents are scored, with ranking.py's BM25F and boosts: the heaviest queries take about
two thirds of the time (bench/RESULTS.md).

``top(searcher, query, filter_query, limit, newest=False)`` gives what Whoosh's
``searcher.search(query, limit=limit, filter=filter_query)`` should: the best ``limit``
``(docnum, score)`` pairs (ties by document number) and the number of matches; with
``newest``, the newest first by the ``created`` column (score 0). It returns None for a query
it cannot evaluate (anything but Term, And, Or, AndNot and Every over the scored field;
filters may be any query); the caller then lets Whoosh search. engine.run also leaves to Whoosh
a plain AND one of whose words is rare, where Whoosh's skipping reads far less.
tests/search/test_setwise.py checks both against independent set arithmetic.
"""

import heapq
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndNot, Every, Or, Term

from forum.search.ranking import SCORED_FIELD, BoostedBM25F

NEWEST_COLUMN = "created"


def top(searcher, query, filter_query, limit, newest=False):
    """``([(docnum, score)] best or newest first, total)``, or None when not supported."""
    model = searcher.weighting
    if not isinstance(model, BoostedBM25F) or not supported(query):
        return None
    ranked, total = [], 0
    for leaf, offset in searcher.leaf_searchers():
        segment = Segment(searcher, leaf.reader(), model)
        matches = segment.matches(query) - segment.deleted()
        if filter_query is not None:
            matches &= set(leaf.docs_for_query(filter_query))
        total += len(matches)
        if newest:
            created = segment.column(NEWEST_COLUMN)
            best = heapq.nlargest(limit, ((created[doc], doc, 0.0) for doc in matches))
        else:
            scores = segment.scores(query, matches).items()
            best = heapq.nlargest(limit, ((score, -doc, score) for doc, score in scores))
        ranked += [(key, order + offset if newest else order - offset, score)
                   for key, order, score in best]  # fmt: skip
    best = heapq.nlargest(limit, ranked)
    return [(order if newest else -order, score) for _key, order, score in best], total


def supported(query):
    if isinstance(query, Term):
        return query.fieldname == SCORED_FIELD
    if isinstance(query, Every):
        return True
    if isinstance(query, And | Or | AndNot) and query.boost == 1.0:
        if isinstance(query, Or) and (query.scale or query.minmatch):
            return False
        return all(map(supported, query.children()))
    return False


class Segment:
    """One segment reader's postings, read once per term and query."""

    def __init__(self, searcher, reader, model):
        self.searcher, self.reader, self.model = searcher, reader, model
        self.lengths, self.boosts = model.segment_columns(reader)
        self.postings = {}
        self.matched = {}  # id(query node): its matches, for scores() to reuse
        # Derived from an immutable reader, so kept with it (as ranking.segment_columns does).
        self.cache = reader.__dict__.setdefault("_forum_cache", {})

    def deleted(self):
        """The segment's deleted document numbers, cached on its reader (readers are immutable)."""
        reader = self.reader
        if not reader.has_deletions():
            return frozenset()
        if "deleted" not in self.cache:
            count = reader.doc_count_all()
            self.cache["deleted"] = frozenset(d for d in range(count) if reader.is_deleted(d))
        return self.cache["deleted"]

    def term(self, text):
        """``{docnum: weight}`` of the scored field's ``text`` in this segment."""
        if text not in self.postings:
            field = self.searcher.schema[SCORED_FIELD]
            key = field.to_bytes(text)
            found = (SCORED_FIELD, key) in self.reader
            self.postings[text] = read_postings(self.reader, key) if found else {}
        return self.postings[text]

    def column(self, name):
        """The values of a sortable column by document number, cached on the reader."""
        if ("column", name) not in self.cache:
            values = self.reader.column_reader(name, translate=False)
            self.cache["column", name] = [values[d] for d in range(self.reader.doc_count_all())]
        return self.cache["column", name]

    def matches(self, query):
        if id(query) not in self.matched:
            self.matched[id(query)] = self._matches(query)
        return self.matched[id(query)]

    def _matches(self, query):
        if isinstance(query, Term):
            return self.term(query.text).keys()
        if isinstance(query, Every):
            return set(range(self.reader.doc_count_all()))
        children = [self.matches(child) for child in query.children()]
        if isinstance(query, Or):
            return set().union(*children)
        if isinstance(query, AndNot):
            return set(children[0] - children[1])
        smallest, *others = sorted(children, key=len)
        found = set(smallest)
        for other in others:
            found = found & other  # a set and a dict's keys: C loops over the smaller
        return found

    def scores(self, query, docs):
        """``{docnum: score}`` for ``docs``, all of which match ``query``."""
        if isinstance(query, Term):
            return self._term_scores(query, docs)
        if isinstance(query, Every):
            return dict.fromkeys(docs, 0.0)
        if isinstance(query, AndNot):
            return self.scores(query.a, docs)
        total = dict.fromkeys(docs, 0.0)
        for child in query.children():
            inside = docs if isinstance(query, And) else docs & self.matches(child)
            for doc, score in self.scores(child, inside).items():
                total[doc] += score
        return total

    def _term_scores(self, query, docs):
        if query.boost == 0:
            return dict.fromkeys(docs, 0.0)
        weights, lengths, boosts = self.term(query.text), self.lengths, self.boosts
        m = self.model
        idf = self.searcher.idf(SCORED_FIELD, query.text) * query.boost
        average = self.searcher.avg_field_length(SCORED_FIELD) or 1
        # bm25() with its constants taken out of the loop
        scale, floor, slope = idf * (m.k1 + 1), m.k1 * (1 - m.b), m.k1 * m.b / average
        return {
            doc: boosts[doc] * scale * weights[doc] / (weights[doc] + floor + slope * lengths[doc])
            for doc in docs
        }


def read_postings(reader, key):
    """``{docnum: weight}`` of one term in one segment reader, deleted documents included.
    Whoosh's own postings files are read a block at a time; any other matcher one posting at
    a time through the Matcher interface."""
    matcher = reader.postings(SCORED_FIELD, key)
    if isinstance(matcher, FilterMatcher):  # the deleted documents, removed by the caller
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        return dict(matcher_postings(matcher))
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_data()
        matcher._read_weights()
        ids += accumulate(matcher._data[0])
        weights += matcher._weights
        matcher._next_block()
    return dict(zip(ids, weights, strict=True))


def matcher_postings(matcher):
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()
