"""Search pages: results, similar questions for the ask form, result links, deflections."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from forum.categories import directory
from forum.extensions import limiter
from forum.kb.queries import get_article_or_404
from forum.search import queries, services
from forum.search.forms import filters_from_args
from forum.search.syntax import MAX_QUERY_CHARS
from forum.threads.queries import get_thread_or_404

bp = Blueprint("search", __name__, url_prefix="/search")
# How a result link finds what it opens.
TARGETS = {"thread": get_thread_or_404, "article": get_article_or_404}


def search_rate_limit():
    return current_app.config["SEARCH_RATE_LIMIT"]


def log_key_arg():
    key = request.args.get("log", "")
    return key if 0 < len(key) <= 24 else None


@bp.route("")
@limiter.limit(search_rate_limit)
def index():
    """Results for ``q`` and the filters; recent and popular threads when there is no query."""
    filters, problems = filters_from_args(request.args)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    sort = request.args.get("sort", "relevance")
    results = queries.search(request.args.get("q", ""), current_user, filters, page, sort=sort)
    results.notices += problems
    logged = page == 1 and not results.query.is_empty and not results.unavailable
    key = services.new_log_key() if logged else log_key_arg()
    empty = results.query.is_empty
    page_html = render_template(
        "search/results.html",
        results=results,
        q=request.args.get("q", "")[:MAX_QUERY_CHARS],
        log_key=key,
        categories=directory.listed(),
        recent=queries.recent_threads() if empty else [],
        popular=queries.popular_threads() if empty else [],
    )
    if logged:  # after rendering: the page's reads are done before the log write begins
        services.record_search(key, results.query.normalized(), results.total)
    return page_html


@bp.route("/similar")
@limiter.limit(search_rate_limit)
def similar():
    """Up to five KB articles and solved threads like ``title`` (articles first), as JSON for
    the ask form's suggestions."""
    hits = queries.similar(request.args.get("title", ""), current_user)
    items = [
        {
            **hit.to_dict(),
            "solved": hit.solved,
            "open_url": url_for("search.go", doc_type=hit.type, id=hit.id, via="ask"),
        }
        for hit in hits
    ]
    return jsonify(items=items)


def target_or_404(doc_type, id):
    if doc_type not in TARGETS:
        abort(404)
    return TARGETS[doc_type](id, current_user)


@bp.route("/go/<doc_type>/<int:id>")
@limiter.limit(search_rate_limit)
def go(doc_type, id):
    """Open a result, recording the click for a logged search, or a suggestion opened from
    the ask form as a deflection candidate."""
    url = target_or_404(doc_type, id).url
    key = log_key_arg()
    if key is not None:
        rank = min(max(request.args.get("rank", 0, type=int) or 0, 0), 10_000) or None
        services.record_click(key, rank, doc_type, id)
    elif request.args.get("via") == "ask" and current_user.is_authenticated:
        services.count_deflection("suggestion_opened")
    return redirect(url)


@bp.route("/deflect", methods=("POST",))
@login_required
def deflect():
    """Count "This answered my question" on a suggestion as a deflection (once per item and
    session) and send the asker to the answer."""
    data = request.get_json(silent=True) or request.form
    data = data if hasattr(data, "get") else {}
    doc_type, raw_id = str(data.get("type", "")), str(data.get("id", ""))
    if not raw_id.isdigit() or len(raw_id) > 9:
        abort(400)
    url = target_or_404(doc_type, int(raw_id)).url
    key = f"{doc_type}:{raw_id}"
    seen = session.get("deflected", [])
    if key not in seen:
        services.count_deflection("answered")
        session["deflected"] = [*seen, key][-20:]
    if request.is_json:
        return jsonify(url=url)
    flash("Glad that answered your question.", "success")
    return redirect(url)
