"""What search remembers: no user, no IP, no session, no time finer than the day."""

from forum.clock import utcnow
from forum.extensions import db


def today():
    return utcnow().date()


class SearchLog(db.Model):
    """One search from the results page: its normalised query, how many results it found, and
    which result (if any) was opened first."""

    __tablename__ = "search_log"

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(24), nullable=False, unique=True)  # ties result links to the row
    day = db.Column(db.Date, nullable=False, default=today, index=True)
    query = db.Column(db.String(200), nullable=False)
    result_count = db.Column(db.Integer, nullable=False)
    clicked_rank = db.Column(db.Integer, nullable=True)
    clicked_type = db.Column(db.String(10), nullable=True)
    clicked_id = db.Column(db.Integer, nullable=True)


DEFLECTION_KINDS = ("suggestion_opened", "answered")


class Deflection(db.Model):
    """A counter per day and kind: ``suggestion_opened`` when a customer asking a question opens
    a suggested answer, ``answered`` when they say it answered their question."""

    __tablename__ = "deflections"
    __table_args__ = (db.UniqueConstraint("day", "kind"),)

    id = db.Column(db.Integer, primary_key=True)
    day = db.Column(db.Date, nullable=False, default=today)
    kind = db.Column(db.String(20), nullable=False)
    count = db.Column(db.Integer, nullable=False, default=0)
