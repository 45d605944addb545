from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum.admin.forms import CategoryForm, DeleteCategoryForm, RoleForm
from forum.auth.recovery import lifetime_minutes
from forum.categories import services as categories
from forum.categories.models import Category
from forum.extensions import db
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.pagination import paginate
from forum.permissions import can_admin, require
from forum.users import services as users
from forum.users.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def only_admins():
    require(can_admin(current_user))


def get_category_or_404(id):
    return db.session.get(Category, id) or abort(404)


@bp.route("/")
def index():
    return redirect(url_for("admin.category_list"))


@bp.route("/categories", methods=("GET", "POST"))
@csrf_checked_by_form
def category_list():
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = categories.create(
                current_user, form.name.data, form.slug.data, form.description.data
            )
        except categories.CategoryError as error:
            add_error(form, error.field, str(error))
        else:
            flash(f"Category “{category.name}” created.", "success")
            return redirect(url_for("admin.category_list"))
    status = 400 if form.is_submitted() else 200
    items = categories.ordered()
    counts = categories.thread_counts()
    return render_template(
        "admin/categories.html", form=form, categories=items, counts=counts, confirm=ConfirmForm()
    ), status


@bp.route("/categories/<int:id>/edit", methods=("GET", "POST"))
@csrf_checked_by_form
def category_edit(id):
    category = get_category_or_404(id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            categories.update(
                current_user, category, form.name.data, form.slug.data, form.description.data
            )
        except categories.CategoryError as error:
            db.session.rollback()
            add_error(form, error.field, str(error))
        else:
            flash("Category saved.", "success")
            return redirect(url_for("admin.category_list"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/category_edit.html", form=form, category=category), status


@bp.route("/categories/<int:id>/<any(up, down):direction>", methods=("POST",))
def category_move(id, direction):
    category = get_category_or_404(id)
    if ConfirmForm().validate_on_submit():
        categories.move(current_user, category, -1 if direction == "up" else 1)
    return redirect(url_for("admin.category_list"))


@bp.route("/categories/<int:id>/delete", methods=("GET", "POST"))
def category_delete(id):
    """Confirm, then delete; a category that holds threads asks where they go."""
    category = get_category_or_404(id)
    count = categories.thread_count(category)
    others = [c for c in categories.ordered() if c.id != category.id]
    form = DeleteCategoryForm(others) if count else ConfirmForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        page = "admin/category_delete.html"
        return render_template(page, form=form, category=category, count=count), status
    move_to = categories.get_by_slug(form.move_to.data) if count else None
    categories.delete(current_user, category, move_to)
    moved = f" Its threads are now in “{move_to.name}”." if move_to else ""
    flash(f"Category “{category.name}” deleted.{moved}", "success")
    return redirect(url_for("admin.category_list"))


@bp.route("/users")
def user_list():
    query = db.select(User).order_by(User.username_key)
    if q := request.args.get("q", "").replace("\x00", "").strip()[:100]:
        # No username is longer than 30 characters; SQLite refuses enormous LIKE patterns,
        # PostgreSQL refuses NUL bytes.
        query = query.where(User.username_key.contains(q.casefold()))
    page = paginate(query, per_page=50)
    return render_template("admin/users.html", page=page, q=q, form=RoleForm())


@bp.route("/users/<int:id>/role", methods=("POST",))
def user_role(id):
    user = db.session.get(User, id) or abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            users.set_role(current_user, user, form.role.data)
            flash(f"{user.username} is now {user.role}.", "success")
        except users.AccountError as error:
            flash(str(error), "error")
    else:
        flash("Choose one of the listed roles.", "error")
    return redirect(url_for("admin.user_list", q=request.args.get("q", "")))


@bp.route("/users/<int:id>/reset-link", methods=("POST",))
def user_reset_link(id):
    """Show a one-time password reset link for a user the forum cannot mail (shown only on
    this response; the audit log records that one was made, never the link)."""
    user = db.session.get(User, id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        link = users.reset_link(current_user, user)
    except users.AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.user_list", q=request.args.get("q", "")))
    page = render_template(
        "admin/reset_link.html", user=user, link=link, minutes=lifetime_minutes()
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"  # the link must not stay in a cache
    return response
