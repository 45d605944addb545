"""Deleting one's own account: the row is anonymised, not removed.

Threads, answers, accepted answers and knowledge-base articles drawn from them keep an author,
so the account stays, renamed ``deleted-<id>``, with an email under ``.invalid`` (RFC 2606: no
mail and no reset link reaches it) and a password hash nothing matches. Everything that acts for
the person or about them ends: sessions, API tokens, follows, notifications, queued mail, held
posts nobody has published yet. The old username and email are free for a new account.
"""

from sqlalchemy.exc import IntegrityError

from forum.api.services import revoke_all_tokens
from forum.clock import utcnow
from forum.extensions import db
from forum.mail.models import MailMessage
from forum.moderation import visibility
from forum.moderation.models import record
from forum.notifications.models import Follow, Notification
from forum.outbox import emit
from forum.permissions import can_delete_account
from forum.threads.models import Post, Thread
from forum.users.confusables import confusable_key
from forum.users.models import new_session_token
from forum.users.rules import DELETED_PREFIX, username_key
from forum.users.services import AccountError

UNUSABLE_PASSWORD = "!deleted"  # werkzeug's check_password_hash is False for it
EMAIL_DOMAIN = "deleted.invalid"
TEAM_REFUSAL = (
    "Team accounts (moderators, staff and admins) cannot be deleted here. "
    "Ask an admin to change your role to customer first."
)


def delete_account(user, password, confirmation):
    """Anonymise ``user``'s account at their own request and end every way into it. Refuses a
    wrong password, a confirmation that is not the username, and team accounts."""
    if not can_delete_account(user):
        raise AccountError(TEAM_REFUSAL)
    if not user.check_password(password):
        raise AccountError("Your password is not correct.", "password")
    if confirmation.strip().casefold() != user.username.casefold():
        raise AccountError(f"Type your username, {user.username}, to confirm.", "confirm")
    _remove_held_posts(user)
    _forget_activity(user)
    name = f"{DELETED_PREFIX}{user.id}"
    user.username, user.username_key = name, username_key(name)
    user.username_skeleton = confusable_key(name)[:120]
    user.email = f"{name}@{EMAIL_DOMAIN}"
    user.password_hash = UNUSABLE_PASSWORD
    user.session_token = new_session_token()
    user.email_notifications, user.digest_sent_at = "never", None
    user.deleted_at = utcnow()
    record(user, "delete_account", user)  # no old name or address: that is what was deleted
    try:
        db.session.commit()
    except IntegrityError:  # an old account already has the placeholder name
        db.session.rollback()
        raise AccountError("Your account could not be deleted; please contact support.") from None


def _remove_held_posts(user):
    """Posts still waiting for review were never published: nobody relies on them."""
    held = db.session.scalars(
        db.select(Post).where(Post.author_id == user.id, Post.status == "held").order_by(Post.id)
    ).all()
    for post in held:
        visibility.set_status(post, "deleted")
        emit("post.deleted", thread_id=post.thread_id, post_id=post.id)


def _forget_activity(user):
    """End the tokens, follows, notifications and queued mail of ``user``. The asker of a
    thread hears of its replies unless they unfollowed it, so their threads are unfollowed."""
    revoke_all_tokens(user)
    for model in (Follow, Notification):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    db.session.execute(
        db.delete(MailMessage).where(MailMessage.user_id == user.id, MailMessage.status == "queued")
    )
    asked = db.session.scalars(db.select(Thread.id).where(Thread.author_id == user.id)).all()
    db.session.add_all(Follow(user_id=user.id, thread_id=id, active=False) for id in asked)
