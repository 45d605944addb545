"""Staff screens for the knowledge base: list, write, edit, publish, review, history."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.auth.redirects import safe_next
from forum.categories import services as categories
from forum.extensions import db
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.kb import diff, queries, services
from forum.kb.forms import ArticleForm
from forum.kb.views import bp
from forum.permissions import can_manage_kb, require

ACTIONS = {
    "publish": ("published", "Published: everyone can read it now."),
    "unpublish": ("draft", "Unpublished: it is a draft again."),
    "archive": ("archived", "Archived: only staff can see it."),
}


@bp.route("/manage")
@login_required
def manage():
    """Drafts, the needs-review list, published and archived articles."""
    require(can_manage_kb(current_user))
    view = request.args.get("status", "draft")
    view = view if view in queries.MANAGE_VIEWS else "draft"
    page = db.paginate(queries.manage_query(view), per_page=25, error_out=False)
    return render_template("kb/manage.html", page=page, view=view, counts=queries.counts())


def save_form(form, article):
    """Save (and publish, if asked) from a valid form; returns the article, or None after
    attaching the service's refusal to the form."""
    category = categories.get_by_slug(form.category.data) if form.category.data else None
    try:
        fields = (form.title.data, form.summary.data, form.body.data, category)
        if article is None:
            return services.create(current_user, *fields, publish=form.publish.data)
        return services.save(current_user, article, *fields, publish=form.publish.data)
    except services.ArticleError as error:
        add_error(form, error.field, str(error))
        return None


@bp.route("/new", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def new():
    require(can_manage_kb(current_user))
    form = ArticleForm(categories.ordered())
    if form.validate_on_submit() and (article := save_form(form, None)):
        flash("Article saved.", "success")
        return redirect(url_for("kb.edit", id=article.id))
    status = 400 if form.is_submitted() else 200
    return render_template("kb/edit.html", form=form, article=None), status


@bp.route("/<int:id>/edit", methods=("GET", "POST"))
@login_required
@csrf_checked_by_form
def edit(id):
    """Edit with Markdown preview; every save keeps a revision."""
    require(can_manage_kb(current_user))
    article = queries.get_article_or_404(id, current_user)
    form = ArticleForm(categories.ordered(), obj=article)
    if not form.is_submitted():
        # ``obj`` fills the select with the Category itself, which matches no option's slug.
        form.category.data = article.category.slug if article.category else ""
    if form.validate_on_submit() and save_form(form, article):
        flash("Article saved.", "success")
        return redirect(url_for("kb.edit", id=article.id))
    status = 400 if form.is_submitted() else 200
    return render_template("kb/edit.html", form=form, article=article), status


@bp.route("/<int:id>/<any(publish, unpublish, archive):action>", methods=("POST",))
@login_required
def set_status(id, action):
    require(can_manage_kb(current_user))
    article = queries.get_article_or_404(id, current_user)
    if ConfirmForm().validate_on_submit():
        status, message = ACTIONS[action]
        try:
            services.set_status(current_user, article, status)
            flash(message, "success")
        except services.ArticleError as error:
            flash(str(error), "error")
    return redirect(url_for("kb.edit", id=article.id))


@bp.route("/<int:id>/verify", methods=("POST",))
@login_required
def verify(id):
    """Mark the article re-verified against its thread: off the needs-review list."""
    require(can_manage_kb(current_user))
    article = queries.get_article_or_404(id, current_user)
    if ConfirmForm().validate_on_submit():
        services.verify(current_user, article)
        flash("Marked as verified today.", "success")
    return redirect(safe_next(request.args.get("next"), "kb.manage"))


@bp.route("/<int:id>/history")
@login_required
def history(id):
    require(can_manage_kb(current_user))
    article = queries.get_article_or_404(id, current_user)
    return render_template("kb/history.html", article=article, revisions=queries.revisions(article))


@bp.route("/<int:id>/revisions/<int:number>")
@login_required
def revision(id, number):
    """What one save changed: a line diff against the revision before it."""
    require(can_manage_kb(current_user))
    article = queries.get_article_or_404(id, current_user)
    revision = queries.get_revision_or_404(article, number)
    changes = diff.revision_diff(queries.previous_revision(revision), revision)
    return render_template("kb/revision.html", article=article, revision=revision, changes=changes)


@bp.route("/<int:id>/revisions/<int:number>/restore", methods=("POST",))
@login_required
def restore(id, number):
    """Bring an earlier revision back as a new revision."""
    require(can_manage_kb(current_user))
    article = queries.get_article_or_404(id, current_user)
    revision = queries.get_revision_or_404(article, number)
    if ConfirmForm().validate_on_submit():
        try:
            services.restore(current_user, article, revision)
            flash(f"Revision {number} restored as a new revision.", "success")
        except services.ArticleError as error:
            flash(str(error), "error")
    return redirect(url_for("kb.history", id=article.id))
