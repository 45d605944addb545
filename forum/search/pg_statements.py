"""The statements of a PostgreSQL search (pg_query.py runs them), each built once per *shape*:
which filters are set, whether there is a phrase, where the title candidates come from. Every
value is a parameter (see ``parameters``), because building and keying a statement costs about
as much as PostgreSQL takes to run some of them.
"""

import functools
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    Integer,
    String,
    bindparam,
    case,
    cast,
    literal,
    literal_column,
    union,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from forum.extensions import db
from forum.search.documents import RANK_ARTICLE, RANK_SOLVED, ZONE_WEIGHTS, thread_rank
from forum.search.models import HEAD_WEIGHTS, PARTS
from forum.search.models import SearchDocument as Doc

TITLE_POOL = 150
RECENT_POOL = 50
RECENT_WINDOW = 1_000  # the recent candidates are the newest matches among this many documents
NORMALIZATION = 1  # ts_rank_cd's score divided by 1 + log(document length)
# ts_rank_cd's weights for D (replies), C (question), B (accepted answer), A (title).
_RELATIVE = [
    ZONE_WEIGHTS[z] / ZONE_WEIGHTS["title"] for z in ("replies", "question", "answer", "title")
]
WEIGHTS = literal_column("'{" + ",".join(f"{w:.4f}" for w in _RELATIVE) + "}'::float4[]")
NEWEST = (Doc.created_at.desc(), Doc.id.desc())
# From this limit on, a count takes the first of the PARTS parts as a sample (parts_count).
# A document's part is a hash of its id, so each match is in part 0 with probability 1/PARTS
# whatever its words. With at most ``limit`` matches in all, part 0 holds more than twice its
# share (2 × limit / PARTS) with a probability below (e/4)^(limit / PARTS) (Chernoff): 3e-11
# here, 1e-42 at COUNT_LIMIT (2,000). Common words then cost one part's posting lists and up
# to 501 rows instead of 2,001 to 4,000 (at a million posts, the count of `video browser`
# 11.0 -> 5.1 ms). Smaller limits, where the bound is weaker, are counted exactly.
SAMPLED_FROM = 500


def tsquery(name, value=None):
    """The tsquery (text) in the parameter ``name``."""
    return cast(bindparam(name, value, String), TSQUERY)


def in_part(part):
    """A part's index predicate, as models.PART spells it (constants, not parameters, so that
    the planner sees the partial index applies)."""
    hashed = db.func.hashint4extended(Doc.id, literal_column("0"))
    return hashed.op("&")(literal_column(str(PARTS - 1))) == literal_column(str(part))


def head_matches():
    return db.func.ts_filter(Doc.tsv, literal_column(HEAD_WEIGHTS)).op("@@")(tsquery("head"))


# The filters of a Restrict, as conditions on a named parameter (so that a statement built
# once can be run again with other values: see Shape). "solved" holds a thread's rank
# (documents.thread_rank), so that neither value matches an article.
FILTERS = {
    "category_id": lambda: Doc.category_id == bindparam("category_id", type_=Integer),
    "solved": lambda: Doc.rank == bindparam("solved", type_=Integer),
    "doc_type": lambda: Doc.kind == bindparam("doc_type", type_=String),
    "author_id": lambda: Doc.author_id == bindparam("author_id", type_=Integer),
    "after": lambda: Doc.created_at >= bindparam("after", type_=DateTime),
    "before": lambda: Doc.created_at < bindparam("before", type_=DateTime),
    "solved_or_article": lambda: db.or_(Doc.solved, Doc.kind == "article"),
}


def filter_values(restrict):
    """``{filter name: value}`` for the filters ``restrict`` sets, in FILTERS' order."""
    values = {
        "category_id": restrict.category_id,
        "solved": None if restrict.solved is None else thread_rank(restrict.solved),
        "doc_type": restrict.doc_type or None,
        "author_id": restrict.author_id,
        "after": datetime.combine(restrict.after, time.min) if restrict.after else None,
        "before": datetime.combine(restrict.before, time.min) if restrict.before else None,
        "solved_or_article": True if restrict.solved_or_article else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def filters(filter_names):
    return [FILTERS[name]() for name in filter_names]


def where_of(match, pairs, filter_names):
    """The conditions every result satisfies: the query (``match``, and the phrases' word
    ``pairs``, when set) and the filters; parameters hold the values (see Shape).

    With pairs, the query is tested as ``ts_match_vq``, the function behind ``@@``, which no
    index serves: PostgreSQL then finds the rows through the pairs' index alone and checks the
    words' positions in those. Otherwise it ANDed that bitmap with the ``tsv`` index's, whose
    cost is the phrase's words' whole posting lists: 7-18 ms at a million posts for phrases of
    common words that 15-46 documents contain, against 0.3-1 ms this way."""
    where = []
    if match and pairs:
        where.append(db.func.ts_match_vq(Doc.tsv, tsquery("match"), type_=Boolean))
    elif match:
        where.append(Doc.tsv.op("@@")(tsquery("match")))
    if pairs:
        where.append(Doc.pairs.op("@@")(tsquery("pairs")))
    return where + filters(filter_names)


@dataclass(frozen=True)
class Shape:
    """What a search's statements depend on besides the values of their parameters; each
    statement is built once per shape (building one costs about as much as running it)."""

    match: bool
    pairs: bool
    filters: tuple  # the names of the filters set, in FILTERS' order
    titles: str  # where the title candidates come from: "matches", "all" or "heads"
    excludes: bool  # the candidates are checked against the query

    @classmethod
    def of(cls, query, restrict):
        if query.head is None:
            titles = "matches"
        else:
            titles = "all" if query.any_word else "heads"
        return cls(
            bool(query.match),
            bool(query.pairs),
            tuple(filter_values(restrict)),
            titles,
            bool(query.head and query.excludes),
        )

    @property
    def where(self):
        return where_of(self.match, self.pairs, self.filters)


def parameters(query, restrict, **more):
    """The values of every parameter a search's statements may use."""
    config = current_app.config
    return {
        **filter_values(restrict),
        "match": query.match,
        "pairs": query.pairs,
        "rank": query.rank,
        "any": query.any,
        "head": query.head,
        "solved_boost": config["SEARCH_SOLVED_BOOST"],
        "kb_boost": config["SEARCH_KB_BOOST"],
        "title_pool": TITLE_POOL,
        "recent_pool": RECENT_POOL,
        "recent_window": RECENT_WINDOW,
        **more,
    }


def boost():
    return case(
        (Doc.rank == RANK_SOLVED, bindparam("solved_boost", type_=Float)),
        (Doc.rank == RANK_ARTICLE, bindparam("kb_boost", type_=Float)),
        else_=literal(1.0, Float),
    )


@functools.lru_cache(maxsize=256)
def plain_count(shape, limit):
    return db.select(db.func.count()).select_from(matching(shape.where, limit + 1))


@functools.lru_cache(maxsize=256)
def parts_count(filter_names, limit):
    """The statement counting matches (the parameter ``match``, a tsquery) that satisfy the
    named filters, up to ``limit`` + 1, part by part. PostgreSQL computes a WITH query only
    when it is first read, so the parts after the one that reaches ``limit`` are never
    counted. Built once per shape: building it takes longer than running it.

    From SAMPLED_FROM on, the first part is a sample: more than twice its share of ``limit``
    there (``sampled``) counts as more than ``limit`` in all, without reading the rest."""
    where = where_of(True, False, filter_names)
    sampled = 2 * limit // PARTS if limit >= SAMPLED_FROM else limit
    steps, so_far = [], None
    for part in range(PARTS):
        bound = sampled if part == 0 else limit
        found = matching([*where, in_part(part)], bound + 1)
        found = db.select(db.func.count().label("n")).select_from(found).cte(f"part{part}")
        found = db.select(found.c.n).scalar_subquery()
        so_far = found if so_far is None else so_far + found
        steps.append((so_far > bound, limit + 1))
    return db.select(case(*steps[:-1], else_=so_far))


def matching(where, limit):
    """The first ``limit`` documents that satisfy ``where`` (for counting)."""
    return db.select(literal_column("1")).where(*where).limit(limit).subquery()


def candidates(shape):
    """The ids worth scoring when there are too many matches to score them all; without a
    phrase, the title candidates come from the head matches (which an excluded word may still
    rule out: candidate_ranking checks)."""
    where = shape.where
    title_where = {
        "matches": where,
        "all": filters(shape.filters),
        "heads": [head_matches(), *filters(shape.filters)],
    }[shape.titles]
    by_title = (
        db.select(Doc.id)
        .where(*title_where, Doc.title_tsv.op("@@")(tsquery("any")))
        .order_by((db.func.ts_rank(Doc.title_tsv, tsquery("any")) * boost()).desc(), Doc.id)
        .limit(bindparam("title_pool", type_=Integer))
    )
    # Bounded by a window of the newest documents: walking the created_at index until
    # RECENT_POOL matches turn up reads each document's tsvector, which for a rarer word
    # meant reading most of the table.
    horizon = (
        db.select(Doc.created_at)
        .order_by(Doc.created_at.desc())
        .offset(bindparam("recent_window", type_=Integer))
        .limit(1)
    )
    recent = Doc.created_at >= db.func.coalesce(horizon.scalar_subquery(), datetime.min)
    newest = (
        db.select(Doc.id)
        .where(*where, recent)
        .order_by(*NEWEST)
        .limit(bindparam("recent_pool", type_=Integer))
    )
    return union(by_title, newest)


def scored():
    """The columns of a ranked hit: kind, id and score."""
    score = db.func.ts_rank_cd(WEIGHTS, Doc.tsv, tsquery("rank"), NORMALIZATION) * boost()
    return (Doc.kind, Doc.doc_id, score), score


@functools.lru_cache(maxsize=256)
def exact_ranking(shape):
    """Every match scored, best first (parameters ``offset`` and ``limit``)."""
    columns, score = scored()
    return paged(db.select(*columns).where(*shape.where).order_by(score.desc(), Doc.id))


@functools.lru_cache(maxsize=256)
def candidate_ranking(shape):
    """The candidates (see candidates()) scored, best first."""
    columns, score = scored()
    checked = [Doc.id.in_(candidates(shape))] + (shape.where[:1] if shape.excludes else [])
    return db.select(*columns).where(*checked).order_by(score.desc(), Doc.id)


@functools.lru_cache(maxsize=256)
def newest_matches(shape, besides_candidates=False):
    """The matches newest first, with score 0 (parameters ``offset`` and ``limit``); with
    ``besides_candidates``, those that are not candidates."""
    where = shape.where + ([Doc.id.not_in(candidates(shape))] if besides_candidates else [])
    return paged(
        db.select(Doc.kind, Doc.doc_id, literal(0.0, Float)).where(*where).order_by(*NEWEST)
    )


def paged(statement):
    return statement.offset(bindparam("offset", type_=Integer)).limit(
        bindparam("limit", type_=Integer)
    )
