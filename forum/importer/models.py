"""What each imported item became, so that importing again updates instead of duplicating."""

from forum.clock import utcnow
from forum.extensions import db

KINDS = ("user", "question", "answer", "comment")


class ImportMapping(db.Model):
    """One item of a source (``stackexchange:<site>``) and its local id.

    ``local_id`` is a user id, a thread id (questions), a post id (answers) or, for a comment,
    the id of the post it is quoted in. ``digest`` is a hash of the source fields the import
    uses: an unchanged item is skipped on the next run, a changed one updated. ``ref`` keeps a
    question's accepted answer id; ``content`` a comment's Markdown as quoted."""

    __tablename__ = "import_map"
    __table_args__ = (
        db.UniqueConstraint("source", "kind", "external_id"),
        db.Index("ix_import_map_local", "source", "kind", "local_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    source = db.Column(db.String(80), nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    external_id = db.Column(db.String(64), nullable=False)
    local_id = db.Column(db.Integer, nullable=False)
    digest = db.Column(db.String(32), nullable=True)
    ref = db.Column(db.String(64), nullable=True)
    content = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
