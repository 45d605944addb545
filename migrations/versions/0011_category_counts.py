"""category counts: visible threads per category, kept by triggers on threads

Revision ID: 0011_category_counts
Revises: 0010_security
Create Date: 2026-11-22 14:30:00.000000

The SQL is a copy of forum/categories/counts.py as it was when this migration was written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_category_counts'
down_revision = '0010_security'
branch_labels = None
depends_on = None

SQLITE = (
    """
CREATE TRIGGER threads_visible_insert AFTER INSERT ON threads WHEN NEW.status = 'visible'
BEGIN
    UPDATE categories SET visible_threads = visible_threads + 1 WHERE id = NEW.category_id;
END
""",
    """
CREATE TRIGGER threads_visible_delete AFTER DELETE ON threads WHEN OLD.status = 'visible'
BEGIN
    UPDATE categories SET visible_threads = visible_threads - 1 WHERE id = OLD.category_id;
END
""",
    """
CREATE TRIGGER threads_visible_update AFTER UPDATE OF status, category_id ON threads
WHEN OLD.status IS NOT NEW.status OR OLD.category_id IS NOT NEW.category_id
BEGIN
    UPDATE categories SET visible_threads = visible_threads - 1
    WHERE id = OLD.category_id AND OLD.status = 'visible';
    UPDATE categories SET visible_threads = visible_threads + 1
    WHERE id = NEW.category_id AND NEW.status = 'visible';
END
""",
)

POSTGRESQL = (
    """
CREATE FUNCTION threads_count_visible() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE categories SET visible_threads = visible_threads + added.n
        FROM (SELECT category_id, count(*) AS n FROM new_rows WHERE status = 'visible'
              GROUP BY category_id) AS added
        WHERE categories.id = added.category_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE categories SET visible_threads = visible_threads - removed.n
        FROM (SELECT category_id, count(*) AS n FROM old_rows WHERE status = 'visible'
              GROUP BY category_id) AS removed
        WHERE categories.id = removed.category_id;
    ELSE
        UPDATE categories SET visible_threads = visible_threads + moved.n
        FROM (SELECT category_id, sum(n) AS n FROM (
                  SELECT category_id, -1 AS n FROM old_rows WHERE status = 'visible'
                  UNION ALL
                  SELECT category_id, 1 AS n FROM new_rows WHERE status = 'visible'
              ) AS changes GROUP BY category_id HAVING sum(n) <> 0) AS moved
        WHERE categories.id = moved.category_id;
    END IF;
    RETURN NULL;
END
$$
""",
    """
CREATE TRIGGER threads_count_insert AFTER INSERT ON threads
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION threads_count_visible()
""",
    """
CREATE TRIGGER threads_count_update AFTER UPDATE ON threads
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION threads_count_visible()
""",
    """
CREATE TRIGGER threads_count_delete AFTER DELETE ON threads
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION threads_count_visible()
""",
)


def upgrade():
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('visible_threads', sa.Integer(), server_default='0', nullable=False)
        )
    op.execute(
        "UPDATE categories SET visible_threads = (SELECT count(*) FROM threads"
        " WHERE threads.category_id = categories.id AND threads.status = 'visible')"
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, ()):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS threads_visible_{name}")
    else:
        op.execute("DROP FUNCTION IF EXISTS threads_count_visible() CASCADE")  # and its triggers
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('visible_threads')
