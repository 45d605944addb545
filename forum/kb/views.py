"""Knowledge-base pages for everyone: home, article, feedback, KB-only search."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.extensions import limiter
from forum.forms import ConfirmForm
from forum.kb import feedback, queries
from forum.search import queries as search
from forum.search.syntax import MAX_QUERY_CHARS, Filters
from forum.search.views import search_rate_limit

bp = Blueprint("kb", __name__, url_prefix="/kb")


@bp.route("/")
def index():
    """Published articles by category, the most helpful and the recently updated."""
    return render_template(
        "kb/index.html",
        groups=queries.by_category(),
        helpful=queries.most_helpful(),
        recent=queries.recently_updated(),
    )


@bp.route("/<int:id>")
@bp.route("/<int:id>/<slug>")
def article(id, slug=None):
    article = queries.get_article_or_404(id, current_user)
    if slug != article.slug:
        return redirect(url_for("kb.article", id=id, slug=article.slug), 301)
    return render_template(
        "kb/article.html",
        article=article,
        voted=feedback.existing_vote(article, feedback.reader(current_user)),
        related=queries.related(article),
    )


@bp.route("/<int:id>/feedback", methods=("POST",))
def vote(id):
    """Count "Was this helpful?" once per reader (signed in or not)."""
    article = queries.get_article_or_404(id, current_user)
    answer = request.form.get("helpful")
    if not ConfirmForm().validate_on_submit() or answer not in ("yes", "no"):
        flash("Choose Yes or No.", "error")
        return redirect(article.url)
    reader = feedback.reader(current_user, create=True)
    if feedback.vote(article, reader, answer == "yes"):
        flash("Thanks for your feedback!", "success")
    else:
        flash("You already told us whether this article helped; thanks!", "info")
    return redirect(article.url)


@bp.route("/search")
@limiter.limit(search_rate_limit)
def search_page():
    """Search knowledge-base articles only."""
    q = request.args.get("q", "")[:MAX_QUERY_CHARS]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    results = search.search(q, current_user, Filters(type="article"), page)
    return render_template("kb/search.html", results=results, q=q)
