"""Visible threads per category, kept by the database itself.

The home page shows each category's number of threads, and a category page needs its total to
paginate. Counting them on every request grows with the forum (12 ms of CPU per home page at
105,000 threads). Every way a thread appears, disappears or moves (posting, moderation, purges,
imports, bulk seeding, SQL typed by hand) changes a row of ``threads``, so triggers on that
table keep ``categories.visible_threads`` exact and no Python code path has to remember to.

On SQLite a trigger runs for each row. On PostgreSQL they run once per statement, over its
transition tables, so a statement that writes many threads updates each category's row once.
Bulk loads should still commit every few thousand threads (the importer and bench/seed.py
commit per chunk): within one transaction PostgreSQL walks every earlier version of a row it
updates again, and a 220,000-thread load inserted row by row in a single transaction slowed
quadratically (over ten minutes instead of about one).

``flask db upgrade`` creates the triggers (migration 0011, which holds its own copy of this
SQL); ``db.create_all`` (the tests) creates them through the DDL events below. On SQLite, a
migration that rebuilds ``threads`` (``batch_alter_table`` with ``recreate``) drops them and must
create them again; ``flask categories recount`` (``recount`` below) repairs the numbers in any
case.
"""

from sqlalchemy import DDL, event, func

from forum.categories.models import Category
from forum.extensions import db
from forum.threads.models import Thread

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

for _statement in SQLITE:
    event.listen(Thread.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL:
    event.listen(Thread.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
event.listen(
    Thread.__table__,
    "before_drop",
    DDL("DROP FUNCTION IF EXISTS threads_count_visible() CASCADE").execute_if(dialect="postgresql"),
)


def recount():
    """Set every category's number from the threads themselves; returns the categories whose
    number was wrong, as ``{slug: (stored, counted)}``."""
    counted = dict(
        db.session.execute(
            db.select(Thread.category_id, func.count(Thread.id))
            .where(Thread.status == "visible")
            .group_by(Thread.category_id)
        ).all()
    )
    wrong = {}
    for category in db.session.scalars(db.select(Category)):
        actual = counted.get(category.id, 0)
        if category.visible_threads != actual:
            wrong[category.slug] = (category.visible_threads, actual)
            category.visible_threads = actual
    db.session.commit()
    return wrong
