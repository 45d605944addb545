"""The PostgreSQL backend rewrites a document's row only when what it indexes changed: a
row's rewrite costs milliseconds of index upkeep, and many events change nothing indexed."""

from forum.extensions import db
from forum.search.documents import REPLIES_CHARS, REPLY_CHARS
from forum.threads import services
from tests.factories import make_category, make_reply, make_thread
from tests.search_backends import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY


def row_version(thread):
    """The row's transaction id (xmin): it changes when, and only when, the row is written."""
    return db.session.scalar(
        db.text("SELECT xmin::text FROM search_documents WHERE kind = 'thread' AND doc_id = :id"),
        {"id": thread.id},
    )


def test_unchanged_documents_are_not_rewritten(app, customer, staff, category, drain, find):
    thread = make_thread(customer, category, "Tractor engine stalls", "It stops when cold.")
    drain()
    written = row_version(thread)
    assert written is not None

    services.set_flag(staff, thread, "pinned", True)  # an event about the thread, nothing indexed
    drain()
    assert row_version(thread) == written

    make_reply(staff, thread, "Replace the glowplugs before winter.")
    drain()
    assert row_version(thread) != written
    assert find("glowplugs") == ["Tractor engine stalls"]

    replied = row_version(thread)
    # A filter column changes: the row is written again.
    services.move_thread(staff, thread, make_category("Machines", "machines"))
    drain()
    assert row_version(thread) != replied
    assert find("glowplugs", category="machines") == ["Tractor engine stalls"]
    assert find("glowplugs", category=category.slug) == []


def test_a_reply_past_the_replies_budget_rewrites_nothing(customer, staff, category, drain):
    thread = make_thread(customer, category, "Long discussion", "Let us talk about tractors.")
    long_reply = "Tractors need care every season, " * 25  # over the 600 characters per reply
    for _ in range(REPLIES_CHARS // REPLY_CHARS + 1):
        make_reply(staff, thread, long_reply)
    drain()
    written = row_version(thread)
    make_reply(staff, thread, "One more thought about harvesters.")
    drain()
    assert row_version(thread) == written
