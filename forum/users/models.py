import secrets

from flask import current_app, url_for
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from forum.clock import utcnow
from forum.extensions import db

ROLES = ("customer", "moderator", "staff", "admin")
TEAM_ROLES = ("moderator", "staff", "admin")


def new_session_token():
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), nullable=False)
    # Case-folded username: "Alice" and "alice" are one account.
    username_key = db.Column(db.String(30), nullable=False, unique=True)
    # What the name looks like (forum/users/confusables.py): "caro1" and "carol" share one, so
    # a new name cannot imitate an existing one.
    username_skeleton = db.Column(db.String(120), nullable=False, index=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    password_hash = db.Column(db.String(256), nullable=False)
    role = db.Column(db.String(16), nullable=False, default="customer")
    is_banned = db.Column(db.Boolean, nullable=False, default=False)
    # Rotated on password change so every other session is logged out.
    session_token = db.Column(db.String(32), nullable=False, default=new_session_token)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Trust and moderation state (forum/spam/trust.py derives the trust level from these).
    approved_posts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    silenced_until = db.Column(db.DateTime, nullable=True)
    flags_helpful = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    flags_declined = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    # Notification email: "immediately", "daily" (one digest a day) or "never".
    email_notifications = db.Column(
        db.String(12), nullable=False, default="immediately", server_default="immediately"
    )
    digest_sent_at = db.Column(db.DateTime, nullable=True)
    # Counts email change requests and their undoing: the links mailed for a request carry the
    # count, so a newer request, a cancel or a restore retires them (forum/users/email_change.py).
    email_version = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    # Set when the owner deleted the account (forum/users/deletion.py): the row stays, under a
    # placeholder name, so that the posts others rely on keep an author.
    deleted_at = db.Column(db.DateTime, nullable=True)

    def set_password(self, password):
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return not self.is_banned and not self.is_deleted

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_silenced(self):
        return self.silenced_until is not None and self.silenced_until > utcnow()

    @property
    def is_team(self):
        return self.role in TEAM_ROLES

    @property
    def is_staff(self):
        return self.role in ("staff", "admin")

    @property
    def badge(self):
        """The role label shown next to the user's posts, or None for customers."""
        return {"staff": "Staff", "admin": "Staff", "moderator": "Moderator"}.get(self.role)

    @property
    def url(self):
        return url_for("users.profile", username=self.username)

    def __repr__(self):
        return f"<User {self.username}>"
