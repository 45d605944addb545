from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from forum import markup
from forum.categories import services as categories
from forum.extensions import db, limiter
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.kb.sync import article_for_thread
from forum.notifications import follows
from forum.pagecache import cached_for_visitors
from forum.pagination import paginate
from forum.permissions import (
    can_delete_post,
    can_edit_post,
    can_follow_thread,
    can_post,
    can_reply,
    can_view_history,
    require,
)
from forum.threads import services
from forum.threads.forms import EditPostForm, ReplyForm, ThreadForm
from forum.threads.jsonld import qa_page
from forum.threads.models import PostRevision, Thread
from forum.threads.queries import get_post_or_404, get_thread_or_404, post_position, visible_posts

bp = Blueprint("threads", __name__)


def render_detail(thread, form=None, status=200, headers=None):
    page = paginate(visible_posts(thread, current_user), current_app.config["POSTS_PER_PAGE"])
    accepted = thread.accepted_post if thread.accepted_post_id else None
    form = form or (ReplyForm() if can_reply(current_user, thread) else None)
    return (
        render_template(
            "threads/detail.html",
            thread=thread,
            page=page,
            accepted=accepted,
            form=form,
            article=article_for_thread(thread.id),
            qa_page=qa_page(thread, page.items) if page.page == 1 else None,
            description=question_excerpt(thread, page),
            following=(
                follows.is_following_thread(current_user, thread)
                if thread.status in ("visible", "held") and can_follow_thread(current_user, thread)
                else None
            ),
        ),
        status,
        headers or {},
    )


def question_excerpt(thread, page):
    """Plain text for search engines and link previews: the start of the question on the
    first page, which later pages do not show."""
    if page.page == 1 and page.items and page.items[0].is_question:
        return markup.excerpt_of_html(page.items[0].html, 200)
    return f"Page {page.page} of the replies to “{thread.title}”."


@bp.route("/threads/new", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def new():
    """Ask a question. Unknown categories and bad lengths re-render the form with the text kept."""
    require(can_post(current_user))
    form = ThreadForm(
        categories.ordered(),
        category=request.args.get("category"),
        title=request.args.get("title", "")[:200] or None,
    )
    if not form.validate_on_submit():
        return render_template("threads/new.html", form=form), 400 if form.is_submitted() else 200
    try:
        category = categories.get_by_slug(form.category.data)
        thread = services.create_thread(current_user, category, form.title.data, form.body.data)
    except services.ContentError as error:
        add_error(form, error.field, str(error))
        return render_template("threads/new.html", form=form), error.status, retry_header(error)
    if thread.status == "visible":
        flash("Your question is posted. You will be notified of replies.", "success")
    flash_if_held(thread.question)
    return redirect(thread.url)


def thread_version(id, slug=None):
    """What a visitor's cached thread page depends on: one light query by primary key."""
    row = db.session.execute(
        db.select(Thread.version, Thread.status).where(Thread.id == id)
    ).one_or_none()
    return None if row is None else tuple(row)


@bp.route("/threads/<int:id>")
@bp.route("/threads/<int:id>/<slug>")
@cached_for_visitors(thread_version)
def detail(id, slug=None):
    thread = get_thread_or_404(id, current_user)
    if slug != thread.slug:
        # Keep ?page= and the like, but never let the query string name url_for's own arguments.
        args = {k: v for k, v in request.args.items() if k not in ("id", "slug") and k[:1] != "_"}
        return redirect(url_for("threads.detail", id=id, slug=thread.slug, **args), 301)
    return render_detail(thread)


@bp.route("/threads/<int:id>/reply", methods=("POST",))
@login_required
@csrf_checked_by_form
def reply(id):
    """Add a reply; locked threads refuse replies with 403 (except for the team)."""
    thread = get_thread_or_404(id, current_user)
    require(can_reply(current_user, thread))
    form = ReplyForm()
    if not form.validate_on_submit():
        return render_detail(thread, form, 400)
    try:
        post = services.reply(current_user, thread, form.body.data)
    except services.ContentError as error:
        add_error(form, error.field, str(error))
        return render_detail(thread, form, error.status, retry_header(error))
    flash_if_held(post)
    return redirect(post_url(post))


def retry_header(error):
    """A rate-limited author's browser (and any script) learns when to try again."""
    retry_after = getattr(error, "retry_after", None)
    return {"Retry-After": str(retry_after)} if retry_after else {}


def flash_if_held(post):
    """Tell the author at once that their post waits for review (the post shows why)."""
    if post.status == "held":
        flash("Your post is saved and waits for a moderator; the reason is shown with it.", "info")


def post_url(post):
    per_page = current_app.config["POSTS_PER_PAGE"]
    page = post_position(post, current_user) // per_page + 1
    thread = post.thread
    args = {"page": page} if page > 1 else {}
    return url_for(
        "threads.detail", id=thread.id, slug=thread.slug, **args, _anchor=f"post-{post.id}"
    )


@bp.route("/posts/<int:id>")
def post(id):
    return redirect(post_url(get_post_or_404(id, current_user)))


@bp.route("/posts/<int:id>/edit", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def edit(id):
    post = get_post_or_404(id, current_user)
    require(can_edit_post(current_user, post))
    form = EditPostForm(obj=post, title=post.thread.title)
    if not post.is_question:
        del form.title
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("threads/edit.html", form=form, post=post), status
    try:
        title = form.title.data if post.is_question else None
        services.edit_post(current_user, post, form.body.data, title)
    except services.ContentError as error:
        add_error(form, error.field, str(error))
        page = render_template("threads/edit.html", form=form, post=post)
        return page, error.status, retry_header(error)
    flash("Your changes are saved.", "success")
    flash_if_held(post)
    return redirect(post_url(post))


@bp.route("/posts/<int:id>/delete", methods=("GET", "POST"))
@login_required
def delete(id):
    """Confirm, then soft-delete a post (a question only while it has no replies)."""
    post = get_post_or_404(id, current_user)
    require(can_delete_post(current_user, post))
    form = ConfirmForm()
    if not form.validate_on_submit():
        refusal = services.delete_refusal(current_user, post)
        return render_template("threads/delete.html", form=form, post=post, refusal=refusal)
    thread = post.thread
    try:
        services.delete_post(current_user, post)
    except services.ContentError as error:
        flash(str(error), "error")
        return redirect(post_url(post))
    flash("The post was deleted.", "success")
    if post.is_question:
        return redirect(thread.category.url)
    return redirect(thread.url)


@bp.route("/posts/<int:id>/history")
def history(id):
    post = get_post_or_404(id, current_user)
    require(can_view_history(current_user, post))
    revisions = db.session.scalars(
        db.select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .options(selectinload(PostRevision.author))
        .order_by(PostRevision.id.desc())
    ).all()
    return render_template(
        "threads/history.html", post=post, revisions=revisions, render=markup.render
    )


def preview_key():
    return f"user:{current_user.id}"


@bp.route("/preview", methods=("POST",))
@login_required
@limiter.limit(lambda: current_app.config["PREVIEW_RATE_LIMIT"], key_func=preview_key)
def preview():
    """Render Markdown exactly as a post would be rendered (for the live preview)."""
    require(can_post(current_user))
    source = (request.get_json(silent=True) or {}).get("body") or request.form.get("body", "")
    if not isinstance(source, str) or len(source) > services.BODY_MAX:
        return jsonify(error="Text is too long to preview."), 413
    return jsonify(html=markup.render(source))
