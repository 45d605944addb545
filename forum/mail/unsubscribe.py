"""One-click unsubscribe links: a signed user id (itsdangerous, with the app's SECRET_KEY),
valid as long as the key is. GET shows a confirmation page; POST unsubscribes, which is also
what a mail client does with the List-Unsubscribe-Post header (RFC 8058) and why that POST
carries no CSRF token: the signature is the proof."""

from flask import Blueprint, abort, current_app, render_template, request
from itsdangerous import BadSignature, URLSafeSerializer

from forum.extensions import csrf, db
from forum.site import absolute

bp = Blueprint("mail", __name__, url_prefix="/mail")
SALT = "mail-unsubscribe"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user):
    return _serializer().dumps({"u": user.id})


def url_for_user(user):
    return absolute("mail.unsubscribe", token=token_for(user))


def user_for(token):
    """The user a token was made for, or None for a token that is not ours."""
    from forum.users.models import User

    try:
        data = _serializer().loads(token)
    except (BadSignature, UnicodeError, ValueError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return None
    return db.session.get(User, user_id)


@bp.route("/unsubscribe/<token>", methods=("GET", "POST"))
@csrf.exempt
def unsubscribe(token):
    """GET: ask; POST (the button, or a mail client's one-click POST): stop notification
    email for the account the link was made for."""
    from forum.notifications.services import set_email_preference

    user = user_for(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        set_email_preference(user, "never")
        return render_template("mail/unsubscribed.html", user=user)
    return render_template("mail/unsubscribe.html", user=user, token=token)
