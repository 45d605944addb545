from forum.clock import utcnow
from forum.extensions import db


class ApiToken(db.Model):
    """A personal access token. Only the SHA-256 of the secret is stored; the secret itself is
    shown once, when the token is created."""

    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.ForeignKey("users.id"), nullable=False, index=True)
    name = db.Column(db.String(60), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User", lazy="joined", innerjoin=True)

    @property
    def is_active(self):
        return self.revoked_at is None

    def __repr__(self):
        return f"<ApiToken {self.id} {self.name!r}>"
