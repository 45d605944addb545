"""Searching, as the results page, the ask form and the API call it.

``search(text, viewer, filters=None, page=1, per_page=None, sort="relevance") -> Results``
``similar(title, viewer, limit=5) -> [Hit]``

Neither raises on any input: malformed syntax becomes words plus a notice, and a missing or
damaged index gives ``Results.unavailable`` (or no suggestions) instead of an error. Both go
through the application's search backend (backend.current()), whichever it is.
"""

import logging
from functools import partial

from flask import current_app

from forum.categories import directory
from forum.extensions import db
from forum.search import backend
from forum.search.backend import Restrict, SearchUnavailable
from forum.search.results import MAX_PAGE, Results, load_hits
from forum.search.syntax import MAX_QUERY_CHARS, Clause, ParsedQuery, parse
from forum.search.unlisted import unlisted_matches
from forum.threads.models import Thread
from forum.threads.queries import listed_threads
from forum.users.models import User

log = logging.getLogger(__name__)
SORTS = ("relevance", "newest")
SIMILAR_WORDS = 30


def search(text, viewer, filters=None, page=1, per_page=None, sort="relevance"):
    """One page of results for the search box's ``text`` and the page's ``filters`` (a
    syntax.Filters; its values override operators typed in the text)."""
    parsed = parse(text)
    if filters:
        parsed.filters = parsed.filters.merged(filters)
    per_page = per_page or current_app.config["SEARCH_RESULTS_PER_PAGE"]
    page = min(max(page, 1), MAX_PAGE)
    results = Results(parsed, page, per_page, sort if sort in SORTS else "relevance")
    results.notices += parsed.hints
    if parsed.truncated:
        results.notices.append(
            f"Your search was longer than {MAX_QUERY_CHARS} characters, so only its start was used."
        )
    if parsed.is_empty:
        return results
    restrict = restrictions(parsed.filters, notices=results.notices)
    engine = backend.current()
    try:
        query = engine.prepare(parsed)
        if query is None:
            results.notices.append(
                "Those words are too common to search for; add a more specific one."
            )
            return results
        if results.page == 1:
            highlight = partial(engine.snippets, query)
            results.unlisted = unlisted_matches(parsed.words(), viewer, highlight)
        found, query = _find(engine, results, query, restrict)
        results.hits = load_hits(found.hits, viewer, partial(engine.snippets, query))
    except SearchUnavailable:
        results.unavailable = True
        return results
    except Exception:  # a damaged index fails in many ways; the page must still answer
        log.exception("search failed")
        db.session.rollback()  # PostgreSQL refuses every later statement of a failed transaction
        results.unavailable = True
        return results
    results.total, results.more = found.total, found.more
    return results


def _find(engine, results, query, restrict):
    """``(Found, the query that found it)`` for the page ``results`` describes."""
    parsed = results.query
    newest = results.sort == "newest" or not parsed.groups
    offset = (results.page - 1) * results.per_page
    found = engine.run(query, restrict, offset, results.per_page, newest)
    if found.total == 0 and len(parsed.groups) > 1 and not parsed.explicit_or:
        # DESIGN: prefer AND, fall back to OR only when AND finds nothing.
        query = engine.prepare(parsed, match_any=True)
        found = engine.run(query, restrict, offset, results.per_page, newest)
        results.matched_any = found.total > 0
    return found, query


def restrictions(filters, notices):
    """The Restrict for ``filters``; unknown categories or authors are dropped with a notice,
    so the words are still searched."""
    category = directory.by_slug(filters.category) if filters.category else None
    if filters.category and category is None:
        notices.append(
            f"There is no category “{filters.category}”, so all categories were searched."
        )
    author = None
    if filters.author:
        author = db.session.scalar(
            db.select(User).where(User.username_key == filters.author.casefold())
        )
        if author is None:
            notices.append(
                f"There is no member called “{filters.author}”, so everyone's posts were searched."
            )
    return Restrict(
        category_id=category.id if category else None,
        solved=filters.solved,
        doc_type=filters.type,
        author_id=author.id if author else None,
        after=filters.after,
        before=filters.before,
    )


def similar(title, viewer, limit=5):
    """Up to ``limit`` KB articles and solved threads resembling a question's ``title``, for
    the ask form, articles first. Any word may match; an empty or stop-word-only title
    gives []."""
    words = (title or "")[:MAX_QUERY_CHARS].split()[:SIMILAR_WORDS]
    words = [word.replace('"', "") for word in words]  # words, never phrases or fragments
    parsed = ParsedQuery(groups=[(Clause(word),) for word in words if word])
    if not parsed.groups:
        return []
    engine = backend.current()
    try:
        query = engine.prepare(parsed, match_any=True)
        if query is None:
            return []
        restrict = Restrict(solved_or_article=True)
        found = engine.run(query, restrict, limit=limit * 2, count=False)
        hits = load_hits(found.hits, viewer, partial(engine.snippets, query))
    except Exception:  # suggestions are an extra; the ask form works without them
        log.warning("similar-question search failed", exc_info=True)
        db.session.rollback()
        return []
    return sorted(hits, key=lambda hit: hit.type != "article")[:limit]


def recent_threads(limit=8):
    return db.session.scalars(listed_threads().limit(limit)).all()


def popular_threads(limit=8):
    """The most discussed visible threads, solved ones first among equals."""
    return db.session.scalars(
        db.select(Thread)
        .where(Thread.status == "visible")
        .order_by(
            Thread.reply_count.desc(),
            Thread.accepted_post_id.is_(None),
            Thread.last_activity_at.desc(),
        )
        .limit(limit)
    ).all()
