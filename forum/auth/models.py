from forum.clock import utcnow
from forum.extensions import db


class LoginThrottle(db.Model):
    """Failed sign-ins counted for one account, one unknown login name or one address.

    Kept in the database so that every worker and every host sees the same counts."""

    __tablename__ = "login_throttles"

    id = db.Column(db.Integer, primary_key=True)
    # "account:<user id>", "name:<sha256 of the login typed>" or "ip:<address>".
    key = db.Column(db.String(80), nullable=False, unique=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    lockouts = db.Column(db.Integer, nullable=False, default=0)
    locked_until = db.Column(db.DateTime, nullable=True)
    last_failure_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
