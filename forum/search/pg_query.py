"""Searching ``search_documents``: counting, ranking, snippets (queries: pg_tsquery.py; the
statements, built once per shape, and the pool sizes named below: pg_statements.py).

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
  a hash of the id), counted one after the other in one statement until COUNT_LIMIT is passed.
  Common words pass it within the first part (an eighth of the posting lists), or that part
  alone holds so many that the rest need not be read (pg_statements.SAMPLED_FROM); rarer ones
  read more parts, and a count below the limit reads them all, which is what one index costs.
- The title candidates come from the documents' heads (title, question and accepted answer:
  the lexemes weighted A, B or C), which have their own GIN index on ``ts_filter(tsv,
  '{a,b,c}')``: every head match is a match, and its posting lists are a fraction of the
  whole documents' (5,000 heads against 36,000 documents for those two words). A document
  with the words only in its replies scores below them (weight D) and keeps its place among
  the matches that follow. When any one-lexeme word is enough (one group, the "or" fallback,
  suggestions), a title with one is itself a match. Excluded words are checked at scoring.
"""

from markupsafe import Markup

from forum.extensions import db
from forum.search.backend import Found
from forum.search.pg_index import CONFIG, pg_text
from forum.search.pg_statements import (
    Shape,
    candidate_ranking,
    exact_ranking,
    filter_values,
    newest_matches,
    parameters,
    parts_count,
    plain_count,
)
from forum.search.pg_tsquery import PgQuery, prepare, quote  # noqa: F401  (this module's interface)
from forum.search.snippets import framed, window

COUNT_LIMIT = 2_000  # as many results as the pages can show (MAX_PAGE pages of 20)
EXACT_RANK_LIMIT = 1_000
SUGGESTIONS_EXACT_LIMIT = 200  # the same, for suggestions (run without count)
START, STOP = "\x02", "\x03"  # never in indexed text (pg_text removes control characters)
HEADLINE_OPTIONS = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
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
