"""What search remembers (no user, no IP, no session, no time finer than the day), and the
PostgreSQL backend's documents."""

from sqlalchemy.dialects.postgresql import TSVECTOR

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


# A tsvector on PostgreSQL; elsewhere plain text, in a table that only the PostgreSQL backend
# fills (SQLite databases search with Whoosh).
TSVector = db.Text().with_variant(TSVECTOR(), "postgresql")


# New entries wait in a GIN index's pending list, which every search reads from end to end,
# until the list reaches this size (kB; PostgreSQL's default is 4 MB) and is merged.
GIN = {"postgresql_using": "gin", "postgresql_with": {"gin_pending_list_limit": 256}}
# A document's head: its lexemes weighted A, B or C (title, accepted answer, question).
HEAD_WEIGHTS = """'{a,b,c}'::"char"[]"""
HEAD = f"ts_filter(tsv, {HEAD_WEIGHTS})"  # queries spell it the same, so the index is used
# The tsvector index is split a second time in PARTS partial indexes, so a count that reaches
# its limit within the first parts reads only their posting lists. A document's part is a hash
# of its id (the function PostgreSQL's hash partitioning is defined by), so it follows no
# pattern in the content: pg_statements.parts_count draws a conclusion from the first part.
PARTS = 8  # a power of two
PART = f"hashint4extended(id, 0) & {PARTS - 1}"


def postgresql_only(index):
    """An index with PostgreSQL's operators in it: on SQLite the table stays empty."""
    return index.ddl_if(dialect="postgresql")


class SearchDocument(db.Model):
    """One visible thread or published KB article as the PostgreSQL search backend finds it
    (forum/search/pg_index.py writes it, pg_query.py reads it). Derived data: it is rebuilt
    from the threads, posts and articles by `flask search reindex`, so it has no foreign keys."""

    __tablename__ = "search_documents"
    __table_args__ = (
        db.UniqueConstraint("kind", "doc_id"),
        db.Index("ix_search_documents_tsv", "tsv", **GIN),
        db.Index("ix_search_documents_title_tsv", "title_tsv", **GIN),
        db.Index("ix_search_documents_pairs", "pairs", **GIN),
        postgresql_only(db.Index("ix_search_documents_head", db.text(HEAD), **GIN)),
        *(
            postgresql_only(
                db.Index(
                    f"ix_search_documents_tsv_{part}",
                    "tsv",
                    postgresql_where=db.text(f"({PART}) = {part}"),
                    **GIN,
                )
            )
            for part in range(PARTS)
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10), nullable=False)  # "thread" or "article"
    doc_id = db.Column(db.Integer, nullable=False)
    category_id = db.Column(db.Integer, nullable=True)
    author_id = db.Column(db.Integer, nullable=True)  # the asker, or the credited user
    solved = db.Column(db.Boolean, nullable=False)
    rank = db.Column(db.SmallInteger, nullable=False)  # documents.RANK_*: which boost applies
    created_at = db.Column(db.DateTime, nullable=False, index=True)
    fingerprint = db.Column(db.String(16), nullable=False)  # lets `search check` spot stale rows
    # Every zone, weighted A (title), B (accepted answer), C (question), D (other replies).
    tsv = db.Column(TSVector, nullable=False)
    title_tsv = db.Column(TSVector, nullable=False)  # the title alone: a cheap first ranking
    # Adjacent word pairs ("sync+stop") of the title, question and answer, without positions:
    # phrases are narrowed down by them through the GIN index before their positions are
    # checked in ``tsv``.
    pairs = db.Column(TSVector, nullable=False)
