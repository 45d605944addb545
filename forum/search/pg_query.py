"""Searching ``search_documents``: counting, ranking, snippets (queries: pg_tsquery.py).

Score: ``ts_rank_cd`` (cover density; zones weighted by their tsvector weight, see
pg_index.WRITE, in the same proportions as Whoosh's ZONE_WEIGHTS) times SEARCH_SOLVED_BOOST or
SEARCH_KB_BOOST. Scoring reads each match's whole tsvector, so it is done exactly for queries
with up to EXACT_RANK_LIMIT matches; above that, only for candidates: the best TITLE_POOL by a
cheap title-only rank (small, never-toasted vectors) and the newest RECENT_POOL (among the
newest RECENT_WINDOW documents), followed by the other matches newest first. Counting stops
at COUNT_LIMIT ("2,000+ results").

Common words make long posting lists, and a GIN bitmap costs about its length (two words
found in a third of the documents at a million posts: ~8 ms, each time it is built). Queries
without a phrase avoid building the whole documents' bitmap twice:

- Counting goes part by part: the tsvector index is also split in PARTS partial indexes (by
  id modulo PARTS), counted one after the other in one statement until COUNT_LIMIT is passed.
  Common words pass it within the first part (an eighth of the posting lists); rarer ones
  read more parts, and a count below the limit reads them all, which is what one index costs.
- The title candidates come from the documents' heads (title, question and accepted answer:
  the lexemes weighted A, B or C), which have their own GIN index on ``ts_filter(tsv,
  '{a,b,c}')``: every head match is a match, and its posting lists are a fraction of the
  whole documents' (5,000 heads against 36,000 documents for those two words). A document
  with the words only in its replies scores below them (weight D) and keeps its place among
  the matches that follow. When any one-lexeme word is enough (one group, the "or" fallback,
  suggestions), a title with one is itself a match. Excluded words are checked at scoring.
"""

import functools
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from markupsafe import Markup
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
from forum.search.backend import Found
from forum.search.documents import RANK_ARTICLE, RANK_SOLVED, ZONE_WEIGHTS
from forum.search.models import HEAD_WEIGHTS, PARTS
from forum.search.models import SearchDocument as Doc
from forum.search.pg_index import CONFIG, pg_text
from forum.search.pg_tsquery import PgQuery, prepare, quote  # noqa: F401  (this module's interface)
from forum.search.snippets import framed, window

COUNT_LIMIT = 2_000  # as many results as the pages can show (MAX_PAGE pages of 20)
EXACT_RANK_LIMIT = 1_000
SUGGESTIONS_EXACT_LIMIT = 200  # the same, for suggestions (run without count)
TITLE_POOL = 150
RECENT_POOL = 50
RECENT_WINDOW = 1_000  # the recent candidates are the newest matches among this many documents
NORMALIZATION = 1  # ts_rank_cd's score divided by 1 + log(document length)
# ts_rank_cd's weights for D (replies), C (question), B (accepted answer), A (title).
_RELATIVE = [
    ZONE_WEIGHTS[z] / ZONE_WEIGHTS["title"] for z in ("replies", "question", "answer", "title")
]
WEIGHTS = literal_column("'{" + ",".join(f"{w:.4f}" for w in _RELATIVE) + "}'::float4[]")
START, STOP = "\x02", "\x03"  # never in indexed text (pg_text removes control characters)
HEADLINE_OPTIONS = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
NEWEST = (Doc.created_at.desc(), Doc.id.desc())
# The planner's settings for a search (see run), for its transaction only.
CUSTOM_PLANS = db.text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
CUSTOM_PLANS_BY_INDEX = db.text(
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
    "set_config('enable_seqscan', 'off', true)"
)
HEADLINES = db.text(f"""
SELECT ts_headline('{CONFIG}', t, CAST(:query AS tsquery), :options)
FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS u(t, n)
ORDER BY n
""")


def tsquery(name, value=None):
    """The tsquery (text) in the parameter ``name``."""
    return cast(bindparam(name, value, String), TSQUERY)


def in_part(part):
    """A part's index predicate, spelled as in models.SearchDocument."""
    return Doc.id.op("%")(literal_column(str(PARTS))) == literal_column(str(part))


def head_matches():
    return db.func.ts_filter(Doc.tsv, literal_column(HEAD_WEIGHTS)).op("@@")(tsquery("head"))


# The filters of a Restrict, as conditions on a named parameter (so that a statement built
# once can be run again with other values: see Shape).
FILTERS = {
    "category_id": lambda value: Doc.category_id == bindparam("category_id", value, Integer),
    "solved": lambda value: Doc.solved == bindparam("solved", value, Boolean),
    "doc_type": lambda value: Doc.kind == bindparam("doc_type", value, String),
    "author_id": lambda value: Doc.author_id == bindparam("author_id", value, Integer),
    "after": lambda value: Doc.created_at >= bindparam("after", value, DateTime),
    "before": lambda value: Doc.created_at < bindparam("before", value, DateTime),
    "solved_or_article": lambda _value: db.or_(Doc.solved, Doc.kind == "article"),
}


def filter_values(restrict):
    """``{filter name: value}`` for the filters ``restrict`` sets, in FILTERS' order."""
    values = {
        "category_id": restrict.category_id,
        "solved": restrict.solved,
        "doc_type": restrict.doc_type or None,
        "author_id": restrict.author_id,
        "after": datetime.combine(restrict.after, time.min) if restrict.after else None,
        "before": datetime.combine(restrict.before, time.min) if restrict.before else None,
        "solved_or_article": True if restrict.solved_or_article else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def filters(filter_names, values=None):
    return [FILTERS[name]((values or {}).get(name)) for name in filter_names]


def where_of(match, pairs, filter_names, values=None):
    """The conditions every result satisfies: the query (``match``, and the phrases' word
    ``pairs``, when set) and the filters; parameters hold the values (see Shape)."""
    values = values or {}
    where = [Doc.tsv.op("@@")(tsquery("match", values.get("match")))] if match else []
    if pairs:
        where.append(Doc.pairs.op("@@")(tsquery("pairs", values.get("pairs"))))
    return where + filters(filter_names, values)


def conditions(query, restrict):
    """where_of for ``query`` and ``restrict``, with their values bound."""
    values = {**filter_values(restrict), "match": query.match, "pairs": query.pairs}
    return where_of(bool(query.match), bool(query.pairs), tuple(filter_values(restrict)), values)


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
        **more,
    }


def boost():
    return case(
        (Doc.rank == RANK_SOLVED, bindparam("solved_boost", type_=Float)),
        (Doc.rank == RANK_ARTICLE, bindparam("kb_boost", type_=Float)),
        else_=literal(1.0, Float),
    )


def counted(query, restrict, limit, by_parts=True):
    """``(total, more)``: the matches, counted up to ``limit``; without a phrase, part by
    part of the tsvector index (see the module's docstring and parts_count). Suggestions
    (``by_parts`` off) count as the planner likes: their ORs of a whole title's words match
    most documents, and a count part by part would read the table for each part in turn."""
    if query.head is None or not by_parts:
        statement = plain_count(Shape.of(query, restrict), limit)
    else:
        statement = parts_count(tuple(filter_values(restrict)), limit)
    number = db.session.scalar(statement, parameters(query, restrict))
    return min(number, limit), number > limit


@functools.lru_cache(maxsize=256)
def plain_count(shape, limit):
    return db.select(db.func.count()).select_from(matching(shape.where, limit + 1))


@functools.lru_cache(maxsize=256)
def parts_count(filter_names, limit):
    """The statement counting matches (the parameter ``match``, a tsquery) that satisfy the
    named filters, up to ``limit`` + 1, part by part. PostgreSQL computes a WITH query only
    when it is first read, so the parts after the one that reaches ``limit`` are never
    counted. Built once per shape: building it takes longer than running it."""
    where = where_of(True, False, filter_names)
    steps, so_far = [], None
    for part in range(PARTS):
        found = matching([*where, in_part(part)], limit + 1)
        found = db.select(db.func.count().label("n")).select_from(found).cte(f"part{part}")
        found = db.select(found.c.n).scalar_subquery()
        so_far = found if so_far is None else so_far + found
        steps.append((so_far > limit, limit + 1))
    return db.select(case(*steps[:-1], else_=so_far))


def matching(where, limit):
    """The first ``limit`` documents that satisfy ``where`` (for counting)."""
    return db.select(literal_column("1")).where(*where).limit(limit).subquery()


def candidates(shape):
    """The ids worth scoring when there are too many matches to score them all; without a
    phrase, the title candidates come from the head matches (which an excluded word may still
    rule out: ranked() checks)."""
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
        .limit(TITLE_POOL)
    )
    # Bounded by a window of the newest documents: walking the created_at index until
    # RECENT_POOL matches turn up reads each document's tsvector, which for a rarer word
    # meant reading most of the table.
    horizon = (
        db.select(Doc.created_at).order_by(Doc.created_at.desc()).offset(RECENT_WINDOW).limit(1)
    )
    recent = Doc.created_at >= db.func.coalesce(horizon.scalar_subquery(), datetime.min)
    newest = db.select(Doc.id).where(*where, recent).order_by(*NEWEST).limit(RECENT_POOL)
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


def ranked(query, restrict, total, offset, limit, exact_limit=EXACT_RANK_LIMIT):
    """``[(kind, doc_id, score)]`` for one page, best first. Above EXACT_RANK_LIMIT matches
    only the candidates are scored, and the matches that are not candidates follow them,
    newest first: one order for every page, so paging never repeats or skips a result."""
    shape = Shape.of(query, restrict)
    values = parameters(query, restrict, offset=offset, limit=limit)
    if total <= exact_limit:
        return db.session.execute(exact_ranking(shape), values).all()
    best = db.session.execute(candidate_ranking(shape), values).all()
    page = best[offset : offset + limit]
    if len(page) < limit:
        values.update(offset=max(0, offset - len(best)), limit=limit - len(page))
        page += db.session.execute(newest_matches(shape, True), values).all()
    return page


def run(query, restrict, offset=0, limit=20, newest=False, count=True):
    """``Found`` for one page: best first, or newest first with ``newest`` (scores 0).
    Without ``count`` (suggestions) matches are counted only as far as choosing between exact
    and candidate ranking needs, and ``total`` is just the number of hits."""
    # psycopg prepares a statement run five times, and PostgreSQL may then plan it once for
    # any tsquery: the plan for a rare word then serves a common one (seconds instead of ms).
    # With LIMIT, the planner prefers reading the table in order and testing each row's
    # tsvector, expecting the matches early; but each test unpacks a TOASTed vector (thread
    # documents are large): 40-550 ms per query of a few common words at a million posts,
    # against 10-15 ms through the GIN index. Suggestions (``count`` off) OR a whole title's
    # words, which most documents match: there the in-order scan does find its matches early
    # (p95 96 ms through the index, 79 ms without it, bench/search_bench.py at 1M posts).
    # Both set in one round trip, for this transaction only.
    if not count:
        db.session.execute(CUSTOM_PLANS)
        return _run(query, restrict, offset, limit, newest, count)
    db.session.execute(CUSTOM_PLANS_BY_INDEX)
    try:
        return _run(query, restrict, offset, limit, newest, count)
    finally:
        db.session.execute(db.text("SET LOCAL enable_seqscan TO DEFAULT"))


def _run(query, restrict, offset, limit, newest, counting):
    if query.impossible:
        return Found([], 0, False)
    exact_limit = EXACT_RANK_LIMIT if counting else SUGGESTIONS_EXACT_LIMIT
    most = COUNT_LIMIT if counting else exact_limit + 1
    total, more = counted(query, restrict, most, by_parts=counting)
    if offset >= total:
        return Found([], total, more)
    if newest or query.rank is None:
        values = parameters(query, restrict, offset=offset, limit=limit)
        rows = db.session.execute(newest_matches(Shape.of(query, restrict)), values).all()
    else:
        rows = ranked(query, restrict, total, offset, limit, exact_limit)
    hits = [(kind, doc_id, float(value)) for kind, doc_id, value in rows]
    return Found(hits, total if counting else len(hits), more and counting)


def snippets(query, texts):
    """Backend.snippets: the window snippets.window picks, marked by ``ts_headline``. The
    window is HTML-escaped first (pg_text) and the markers become ``<mark>`` afterwards, so the
    only markup in a snippet is ours."""
    windows = [window(group, query.lexemes) for group in texts]
    pieces = [pg_text(found[0][found[1] : found[2]]) if found else "" for found in windows]
    if query.any and any(pieces):
        pieces = db.session.scalars(
            HEADLINES, {"query": query.any, "options": HEADLINE_OPTIONS, "texts": pieces}
        ).all()
    return [
        framed(Markup(piece.replace(START, "<mark>").replace(STOP, "</mark>")), *found)
        if found
        else Markup("")
        for piece, found in zip(pieces, windows, strict=True)
    ]


def plain_snippets(query, texts):
    """Snippets without highlighting, for when ts_headline fails."""
    windows = [window(group, query.lexemes) for group in texts]
    return [framed(Markup(pg_text(f[0][f[1] : f[2]])), *f) if f else Markup("") for f in windows]
