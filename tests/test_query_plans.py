"""The big tables are never read whole on the hot paths: posting a reply, delivering its
events (search index, notifications, webhooks) and the pages people read most. On SQLite,
whose planner assumes large tables when it has no statistics, so these plans are the ones a
forum of a million posts gets. (An outer join to a thread, whose author and category are
joined eagerly, once made SQLite copy every thread for each batch of events: 0.7 s a batch.)"""

import os
import re

import pytest
from sqlalchemy import event

from forum import outbox
from forum.extensions import db
from tests import factories

pytestmark = pytest.mark.skipif(
    "postgresql" in os.environ.get("TEST_DATABASE_URL", ""),
    reason="reads SQLite's query plans (EXPLAIN QUERY PLAN)",
)
BIG_TABLES = ("posts", "threads", "users", "notifications", "follows", "moderation_actions")


def full_reads(statements):
    """``[(plan line, statement)]`` for each whole-table read of a big table."""
    found = []
    connection = db.session.connection().connection.dbapi_connection
    for statement, parameters in statements:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
            detail = row[-1]
            scan = re.match(r"SCAN (\w+)", detail)
            if detail.startswith("MATERIALIZE") or (scan and scan.group(1) in BIG_TABLES):
                found.append((detail, statement[:300]))
    return found


def captured(app):
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if not executemany:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    return statements, lambda: event.remove(db.engine, "before_cursor_execute", keep)


def test_posting_and_delivering_a_reply_reads_no_table_whole(
    app, client, auth, customer, other_customer, category
):
    thread = factories.make_thread(customer, category)
    factories.make_reply(other_customer, thread)
    outbox.drain()
    auth.login(other_customer)
    statements, stop = captured(app)
    try:
        response = client.post(f"/threads/{thread.id}/reply", data={"body": "Same here, thanks."})
        assert response.status_code == 302
        new_thread = client.post(
            "/threads/new",
            data={
                "category": category.slug,
                "title": "Sync stops at 99 percent",
                "body": "It never finishes.",
            },
        )
        assert new_thread.status_code == 302
        outbox.drain()  # whatever the requests did not deliver themselves
    finally:
        stop()
    assert outbox.backlog() == 0
    assert any("FROM follows" in statement for statement, _ in statements)  # delivered
    reads = full_reads(statements)
    assert reads == [], "\n".join(f"{plan}: {sql}" for plan, sql in reads)


def test_the_most_read_pages_read_no_table_whole(app, client, customer, category):
    thread = factories.make_thread(customer, category)
    factories.make_reply(customer, thread)
    outbox.drain()
    statements, stop = captured(app)
    try:
        for url in ("/", f"/c/{category.slug}", f"/threads/{thread.id}", "/api/v1/threads"):
            assert client.get(url, follow_redirects=True).status_code == 200
    finally:
        stop()
    reads = full_reads(statements)
    assert reads == [], "\n".join(f"{plan}: {sql}" for plan, sql in reads)
