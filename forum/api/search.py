"""Search endpoints: the search box's results and the ask form's similar questions, through
``forum.search.queries``, showing only what the token's user (or a visitor) may see."""

from flask import jsonify, request, url_for

from forum.api import bp
from forum.api.auth import api_user
from forum.api.errors import ApiError, validation_error
from forum.api.inputs import bool_arg
from forum.api.limits import search_limit
from forum.api.openapi import cursor_param, operation, query_param
from forum.api.serializers import absolute
from forum.api.threads import category_arg
from forum.search import queries, services
from forum.search.forms import TYPE_CHOICES
from forum.search.results import MAX_PAGE, decode_cursor, encode_cursor
from forum.search.syntax import Filters

SEARCH_QUERY = (
    query_param(
        "q",
        {"type": "string"},
        "What the search box takes: words, quoted phrases, "
        "-exclusions, OR and operators such as is:solved (see docs/search.md).",
    ),
    query_param("category", {"type": "string"}, "Only this category (a slug)."),
    query_param(
        "solved",
        {"type": "boolean"},
        "Only threads with (true) or without (false) an accepted answer; never articles.",
    ),
    query_param(
        "type",
        {"type": "string", "enum": list(TYPE_CHOICES)},
        "Only threads or knowledge-base articles.",
    ),
    cursor_param(),
)


def page_arg():
    """The results page a cursor from ``next_cursor`` points at; 1 without one."""
    raw = request.args.get("cursor")
    if raw is None:
        return 1
    page = decode_cursor(raw)
    if encode_cursor(page) != raw or page > MAX_PAGE:
        raise validation_error(
            {"cursor": "Not a cursor this API gave out; pass back next_cursor unchanged."}
        )
    return page


def filters_arg():
    """The filters in the query string; unlike the page's controls, bad values are refused."""
    slug, doc_type = request.args.get("category"), request.args.get("type")
    if doc_type is not None and doc_type not in TYPE_CHOICES:
        raise validation_error({"type": f"Must be one of {', '.join(TYPE_CHOICES)}."})
    return Filters(
        category=category_arg(slug).slug if slug is not None else None,
        solved=bool_arg("solved"),
        type=doc_type,
    )


def hit(found, **extra):
    return {**found.to_dict(), "url": absolute(found.url), **extra}


def open_url(found, key, rank):
    """The result's link through the search log (as on the results page), so opening it
    counts as the search's click; without a logged search it just opens the result."""
    args = {"log": key, "rank": rank} if key else {}
    return url_for("search.go", doc_type=found.type, id=found.id, _external=True, **args)


@bp.get("/search")
@operation(
    "Search threads (and knowledge-base articles), best match first",
    "Search",
    response="SearchResults",
    query=SEARCH_QUERY,
    errors=(503,),
    description="Filters override operators typed in `q`; a query with neither finds nothing. "
    "`open_url` opens a result through the search log, so the search counts as clicked. 503 "
    "while the index is missing or being rebuilt.",
)
@search_limit
def search():
    filters, page = filters_arg(), page_arg()
    results = queries.search(request.args.get("q", ""), api_user(), filters, page)
    if results.unavailable:
        raise ApiError(
            503, "Search is being rebuilt; try again in a few minutes.", "search_unavailable"
        )
    # Logged like the results page: the first page of a search with something to look for.
    key = services.new_log_key() if page == 1 and not results.query.is_empty else None
    first_rank = (results.page - 1) * results.per_page + 1
    body = {
        "items": [
            hit(found, open_url=open_url(found, key, rank))
            for rank, found in enumerate(results.hits, start=first_rank)
        ],
        "total": results.total,
        "matched_any": results.matched_any,
        "notices": [str(notice) for notice in results.notices],
        "next_cursor": results.next_cursor,
    }
    if key is not None:  # after reading: the log write starts its own transaction
        services.record_search(key, results.query.normalized(), results.total)
    return jsonify(body)


@bp.get("/search/similar")
@operation(
    "Solved threads like a question's title, for suggestions while asking",
    "Search",
    response="SimilarThreads",
    query=(query_param("title", {"type": "string"}, "The title being typed."),),
    description="Up to 5. Any word may match. Empty (never an error) for an empty title or "
    "while the index is unavailable. Not written to the search log.",
)
@search_limit
def similar():
    found = queries.similar(request.args.get("title", ""), api_user())
    return jsonify(items=[hit(item) for item in found])
