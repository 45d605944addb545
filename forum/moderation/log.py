"""The audit log: every moderator action, filterable, with undo for reversible ones."""

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user, login_required

from forum.auth.redirects import safe_next
from forum.extensions import db
from forum.forms import ConfirmForm
from forum.moderation import queries, undo
from forum.moderation.errors import ModerationError
from forum.moderation.models import ModerationAction
from forum.moderation.views import bp
from forum.permissions import can_review, require


def filters():
    args = request.args
    return {
        "action": args.get("action", "").strip()[:40] or None,
        "actor": args.get("actor", "").strip()[:30] or None,
        "target_type": args.get("target_type") or None,
        "target_id": args.get("target_id", type=int),
        "days": args.get("days", type=int),
    }


@bp.route("/log")
@login_required
def log():
    """Who did what, why, before and after; newest first; filter by action, actor, target."""
    require(can_review(current_user))
    chosen = filters()
    page = db.paginate(queries.audit_query(**chosen), per_page=50, error_out=False)
    return render_template(
        "moderation/log.html",
        page=page,
        chosen=chosen,
        actions=queries.audit_actions(),
        targets=queries.AUDIT_TARGETS,
        undone=queries.undone_ids(page.items),
        undoable=undo.can_be_undone,
        form=ConfirmForm(),
    )


@bp.route("/log/<int:id>/undo", methods=("POST",))
@login_required
def undo_action(id):
    """Reverse one entry; refuses entries already undone or whose target has changed since."""
    require(can_review(current_user))
    entry = db.session.get(ModerationAction, id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            undo.undo(current_user, entry)
        except ModerationError as error:
            flash(str(error), "error")
        else:
            flash(f"Undid “{entry.action.replace('_', ' ')}” (entry #{entry.id}).", "success")
    return redirect(safe_next(request.args.get("next"), "moderation.log"))
