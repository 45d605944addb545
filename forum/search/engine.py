"""A parsed query turned into a Whoosh query and run against the index.

Positive groups are ANDed (each group is one word or phrase, or several joined by OR); excluded
words remove the documents that contain them. Filters go to Whoosh as a filter, so they narrow
without scoring.
"""

from datetime import datetime, time

from whoosh.query import And, AndNot, DateRange, Every, Or, Term

from forum.search import index, setwise
from forum.search.documents import thread_rank
from forum.search.schema import ANALYZER, PAIR_JOIN, parse_key

SKIPPING_BELOW = 2_000  # documents (see _skips_well)


def tokens(text):
    return [token.text for token in ANALYZER(text, mode="query")]


def clause_query(clause):
    """One word or phrase; None when it is only stop words. A phrase is scored by its words
    and must also contain each of its adjacent word pairs, which score nothing."""
    words = tokens(clause.text)
    if len(words) <= 1:
        return Term("text", words[0]) if words else None
    pairs = [PAIR_JOIN.join(pair) for pair in zip(words, words[1:], strict=False)]
    return And(
        [Term("text", word) for word in dict.fromkeys(words)]
        + [Term("text", pair, boost=0.0) for pair in dict.fromkeys(pairs)]
    )


def text_query(parsed, match_any=False):
    """The scoring query; None when the text has no searchable word. ``match_any`` ORs groups."""
    groups = []
    for group in dict.fromkeys(parsed.groups):  # "sync sync" is "sync"
        clauses = [q for q in map(clause_query, group) if q is not None]
        if clauses:
            groups.append(clauses[0] if len(clauses) == 1 else Or(clauses))
    excluded = [q for q in map(clause_query, parsed.excluded) if q is not None]
    if groups:
        positive = groups[0] if len(groups) == 1 else (Or if match_any else And)(groups)
    elif parsed.groups:
        return None  # words were given, but all of them too common to search for
    else:
        positive = Every()
    return AndNot(positive, Or(excluded)) if excluded else positive


def filter_query(
    category_id=None,
    solved=None,
    doc_type=None,
    author_id=None,
    after=None,
    before=None,
    solved_or_article=False,
):
    """The non-scoring restrictions as one Whoosh query, or None when there are none."""
    terms = []
    if category_id is not None:
        terms.append(Term("category", str(category_id)))
    if solved is not None:
        terms.append(Term("rank", thread_rank(solved)))
    if doc_type:
        terms.append(Term("type", doc_type))
    if author_id is not None:
        terms.append(Term("author", str(author_id)))
    if after or before:
        start = datetime.combine(after, time.min) if after else None
        end = datetime.combine(before, time.min) if before else None
        terms.append(DateRange("created", start, end, endexcl=True))
    if solved_or_article:
        terms.append(Or([Term("solved", True), Term("type", "article")]))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)


def run(query, restrict=None, offset=0, limit=20, newest=False):
    """``([(type, id, score)], total)`` for one page; raises SearchUnavailable, or whatever a
    damaged index raises while it is read."""
    searcher = index.searcher()
    if not _skips_well(query, searcher.reader()):
        found = setwise.top(searcher, query, restrict, offset + limit, newest)
        if found is not None:
            ranked, total = found
            page = [
                (*parse_key(searcher.stored_fields(docnum)["key"]), score)
                for docnum, score in ranked[offset : offset + limit]
            ]
            return page, total
    # optimize=False: Whoosh's block skipping saved little on these short queries and then
    # needed a second pass to count the matches (measured in bench/: p50 20 → 13 ms at 100k
    # posts); scoring every match counts them on the way.
    options = {"limit": offset + limit, "filter": restrict, "optimize": False}
    if newest:
        options.update(sortedby="created", reverse=True)
    results = searcher.search(query, **options)
    page = [(*parse_key(hit["key"]), hit.score or 0.0) for hit in results[offset : offset + limit]]
    return page, len(results)


def _skips_well(query, reader):
    """Whether Whoosh's own matchers should run ``query``: a plain AND (no OR, no exclusion,
    which Whoosh gets wrong, see setwise.py) one of whose words is in fewer than
    SKIPPING_BELOW documents, so Whoosh reads that word's few postings and skips through the
    others (0.5-10 ms where reading every posting takes 2-50 ms at a million posts)."""
    return _plain_and(query) and query.estimate_size(reader) < SKIPPING_BELOW


def _plain_and(query):
    return isinstance(query, Term) or (
        isinstance(query, And) and all(map(_plain_and, query.children()))
    )
