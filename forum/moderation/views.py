"""The review queue and the decisions taken from it. Team only."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from forum.auth.redirects import safe_next
from forum.extensions import db
from forum.moderation import queries, services
from forum.moderation.errors import ModerationError
from forum.moderation.forms import BulkForm, DecisionForm
from forum.permissions import can_ban, can_review, require
from forum.spam.explain import author_reason
from forum.spam.policy import load_policy
from forum.spam.trust import user_level
from forum.threads.models import Post

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
QUEUE_KINDS = ("held", "flagged")
DONE = {
    "approve": "Approved the post by {post.author.username}.",
    "dismiss": "Dismissed the reports on the post by {post.author.username}; it stays up.",
    "spam": "Removed the post by {post.author.username} as spam.",
    "remove": "Removed the post by {post.author.username}.",
}


@bp.app_template_global()
def hold_reason(post):
    """The plain-words reason shown to the author of a held post."""
    return author_reason(post.spam_reasons)


def get_post_or_404(id):
    return db.session.get(Post, id) or abort(404)


def back_to_queue():
    return redirect(safe_next(request.args.get("next"), "moderation.queue"))


@bp.route("/")
@login_required
def queue():
    """Held and flagged posts, highest score first, with reasons, flags and author history."""
    require(can_review(current_user))
    kind = request.args.get("kind") if request.args.get("kind") in QUEUE_KINDS else None
    page = db.paginate(queries.queue_query(kind), per_page=25, error_out=False)
    policy = load_policy()
    return render_template(
        "moderation/queue.html",
        page=page,
        kind=kind,
        histories=queries.author_histories({post.author_id for post in page.items}),
        trust=lambda user: user_level(user, policy),
        form=DecisionForm(),
        bulk_form=BulkForm(),
    )


@bp.route("/posts/<int:id>/<any(approve, spam, remove):action>")
@login_required
def confirm_decision(id, action):
    """The confirmation page for a decision taken outside the queue (a thread page's "Remove
    as spam"), with the post, a reason field and the button."""
    require(can_review(current_user))
    post = get_post_or_404(id)
    next_page = request.args.get("next")
    back = safe_next(next_page) if next_page else url_for("threads.post", id=post.id)
    return render_template(
        "moderation/decide.html", post=post, action=action, form=DecisionForm(), back=back
    )


@bp.route("/posts/<int:id>/<any(approve, spam, remove):action>", methods=("POST",))
@login_required
def decide(id, action):
    """Approve, remove as spam, or remove; a decision another moderator took first is refused
    with a message naming them (409)."""
    require(can_review(current_user))
    post = get_post_or_404(id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("The reason is too long (500 characters at most).", "error")
        return back_to_queue()
    dismissed = action == "approve" and post.status == "visible"
    try:
        if action == "approve":
            services.approve(current_user, post, form.reason.data or "", form.version.data)
        else:
            spam = action == "spam"
            services.remove(current_user, post, spam, form.reason.data or "", form.version.data)
    except ModerationError as error:
        flash(str(error), "error")
        return back_to_queue()
    flash(done_message("dismiss" if dismissed else action, post), "success")
    return back_to_queue()


def done_message(action, post):
    """What the decision did; after spam, the way on to the author (the queue item is gone)."""
    message = DONE[action].format(post=post)
    author = post.author
    if action != "spam" or author.is_banned or not can_ban(current_user, author):
        return message
    link = url_for("moderation.user", id=author.id, purge=1, _anchor="ban")
    return Markup('{} <a href="{}">Ban and purge {}…</a>').format(message, link, author.username)


@bp.route("/bulk", methods=("POST",))
@login_required
def bulk():
    require(can_review(current_user))
    form = BulkForm()
    ids = [int(i) for i in request.form.getlist("post") if i.isdigit()]
    if not form.validate_on_submit() or not ids:
        flash("Select at least one post and an action.", "error")
        return back_to_queue()
    posts = db.session.scalars(db.select(Post).where(Post.id.in_(ids[:100]))).all()
    done, skipped = services.bulk(current_user, posts, form.action.data, form.reason.data or "")
    flash(f"{done} post(s) done.", "success")
    for post, message in skipped:
        flash(f"Post #{post.id}: {message}", "error")
    return back_to_queue()
