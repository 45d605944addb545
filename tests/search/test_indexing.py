"""The index follows the database through the outbox (on each backend)."""

import pytest
import sqlalchemy as sa

from forum import outbox
from forum.extensions import db
from forum.outbox import OutboxEvent, emit
from forum.search import documents, index, indexer, pg_index
from forum.threads import services
from forum.threads.models import Post
from tests.factories import make_category, make_reply, make_thread
from tests.search_backends import POSTGRES_ONLY, WHOOSH_ONLY, indexed
from tests.sql import counted_queries


def test_new_thread_is_found_after_the_drain(customer, category, drain, find):
    make_thread(customer, category, "Sync stops at 99 percent", "The tray icon spins forever.")
    assert find("spins") == []  # not drained yet
    drain()
    assert find("spins") == ["Sync stops at 99 percent"]
    assert outbox.backlog() == 0


def test_question_posted_through_the_form_is_indexed_after_the_request(
    auth, client, customer, category, find
):
    auth.login(customer)
    response = client.post(
        "/threads/new",
        data={
            "category": category.slug,
            "title": "Invoices show the wrong VAT",
            "body": "Since March.",
        },
    )
    assert response.status_code == 302
    assert find("VAT") == ["Invoices show the wrong VAT"]


def question_of(thread):
    return db.session.scalars(
        db.select(Post).where(Post.thread_id == thread.id, Post.is_question)
    ).one()


def test_replies_and_edits_are_reindexed(customer, staff, thread, drain, find):
    reply = make_reply(staff, thread, "Reinstall the quantum connector.")
    drain()
    assert find("quantum") == [thread.title]
    services.edit_post(staff, reply, "Reinstall the network connector.")
    services.edit_post(customer, question_of(thread), "New question body", "Renamed: upload halts")
    drain()
    assert find("quantum") == []
    assert find("network connector") == ["Renamed: upload halts"]
    assert find("halts") == ["Renamed: upload halts"]


def test_deleted_reply_and_deleted_thread_leave_the_index(customer, staff, thread, drain, find):
    reply = make_reply(staff, thread, "Try the zeppelin setting.")
    drain()
    services.delete_post(staff, reply)
    drain()
    assert find("zeppelin") == []
    assert find("sync") == [thread.title]
    services.delete_post(staff, question_of(thread))
    drain()
    assert find("sync") == []


def test_moved_thread_is_found_in_its_new_category(moderator, thread, drain, find):
    billing = make_category("Billing", "billing")
    drain()
    assert find("sync category:billing") == []
    services.move_thread(moderator, thread, billing)
    drain()
    assert find("sync category:billing") == [thread.title]
    assert find("sync category:sync-backup") == []


def test_threads_of_a_deleted_category_are_found_in_the_one_they_moved_to(
    admin, thread, drain, find
):
    from forum.categories import services as categories

    billing = make_category("Billing", "billing")
    drain()
    categories.delete(admin, thread.category, billing)
    drain()
    assert find("sync category:billing") == [thread.title]


def test_accepting_an_answer_makes_the_thread_solved(staff, thread, drain, find):
    answer = make_reply(staff, thread, "Update to 4.2.")
    drain()
    assert find("sync is:solved") == []
    services.accept_answer(staff, answer)
    drain()
    assert find("sync is:solved") == [thread.title]
    assert find("sync is:unsolved") == []


def hide(post, topic):
    """What a moderation service does: change the status and emit an event, in one commit."""
    post.status = "hidden" if topic == "post.hidden" else "visible"
    emit(topic, thread_id=post.thread_id, post_id=post.id)
    db.session.commit()


def test_hidden_and_restored_posts_follow_any_event_with_a_thread_id(staff, thread, drain, find):
    reply = make_reply(staff, thread, "Call the phonograph hotline.")
    drain()
    hide(reply, "post.hidden")
    drain()
    assert find("phonograph") == []
    hide(reply, "post.restored")
    drain()
    assert find("phonograph") == [thread.title]


def test_held_posts_are_never_indexed(customer, thread, drain, app):
    reply = make_reply(customer, thread, "Secret held words: marmalade.")
    reply.status = "held"
    db.session.commit()
    drain()
    assert indexed("sync") == 1  # the thread itself is indexed
    assert indexed("marmalade") == 0
    zones = documents.load_threads([thread.id])[thread.id].zones
    assert not any("marmalade" in text for text in zones.values())


def test_emails_are_not_indexed(customer, category, drain, find):
    make_thread(customer, category, "Contact problem", "Write to carol.smith@example.com please")
    drain()
    assert find("carol.smith@example.com") == []
    assert find("example") == []
    assert find("contact") == ["Contact problem"]


def test_failed_drain_keeps_the_events_and_the_next_drain_catches_up(
    app, customer, category, drain, find, monkeypatch
):
    def crash(events):
        raise OSError("disk full")

    monkeypatch.setattr(app.extensions["search_backend"], "apply_events", crash)
    make_thread(customer, category, "Printer offline", "The printer drops off the network.")
    assert drain() == 0
    event = db.session.scalars(db.select(OutboxEvent)).one()
    assert event.attempts == 1 and "disk full" in event.last_error
    assert find("printer") == []
    monkeypatch.undo()
    drain()
    assert find("printer") == ["Printer offline"]
    assert outbox.backlog() == 0


@WHOOSH_ONLY
def test_busy_writer_leaves_events_queued(customer, category, drain, find, monkeypatch):
    monkeypatch.setattr(index, "WRITE_LOCK_WAIT", 0.05)
    make_thread(customer, category, "Scanner offline")
    drain()
    ix = index.open_index()
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()  # another process is writing
    try:
        make_thread(customer, category, "Scanner jams")
        with pytest.raises(index.IndexBusy):
            index.writer(ix, timeout=0)
        assert drain() == 0
        assert outbox.backlog() == 1
    finally:
        lock.release()
    drain()
    assert sorted(find("scanner")) == ["Scanner jams", "Scanner offline"]


@WHOOSH_ONLY
def test_a_second_thread_of_the_same_process_waits_its_turn(
    customer, category, drain, find, monkeypatch
):
    """Whoosh's lock file does not keep threads of one process apart; our own lock does."""
    monkeypatch.setattr(index, "WRITE_LOCK_WAIT", 0.05)
    assert indexer._writing.acquire()  # another request thread is writing
    try:
        make_thread(customer, category, "Plotter offline")
        assert drain() == 0
        assert outbox.backlog() == 1
    finally:
        indexer._writing.release()
    drain()
    assert find("plotter") == ["Plotter offline"]


@WHOOSH_ONLY
def test_one_commit_per_drained_batch_and_events_without_thread_are_ignored(
    customer, category, drain
):
    threads = [make_thread(customer, category, f"Batch question {n}") for n in range(3)]
    emit("user.created", user_id=customer.id)
    db.session.commit()
    drain()
    generation = index.open_index().latest_generation()
    for n, thread in enumerate(threads):
        make_reply(customer, thread, f"Batch answer {n}")  # each document changes
    emit("thread.changed", thread_id=threads[1].id)
    db.session.commit()
    drain()
    assert index.open_index().latest_generation() == generation + 1
    assert index.searcher().doc_count() == 3


def test_thread_ids_are_deduplicated_and_sanitised():
    events = [
        OutboxEvent(topic="a", payload={"thread_id": 3}),
        OutboxEvent(topic="b", payload={"thread_id": "2"}),
        OutboxEvent(topic="c", payload={"thread_id": 3, "post_id": 9}),
        OutboxEvent(topic="d", payload={"thread_id": "x; drop"}),
        OutboxEvent(topic="e", payload={"user_id": 1}),
    ]
    assert indexer.thread_ids(events) == [2, 3]


@POSTGRES_ONLY
def test_postgres_drain_waits_for_the_writers_lock_then_leaves_events_queued(
    app, customer, category, drain, find, monkeypatch
):
    """A rebuild (or another drain) holds the advisory lock: the drain gives up after
    WRITE_LOCK_WAIT and its events stay queued for the next one."""
    monkeypatch.setattr(pg_index, "WRITE_LOCK_WAIT", "50ms")
    make_thread(customer, category, "Scanner offline")
    drain()
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.begin() as connection:
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(pg_index.LOCK_KEY)))
            make_thread(customer, category, "Scanner jams")
            assert drain() == 0
            assert outbox.backlog() == 1
            assert "being written" in db.session.scalars(db.select(OutboxEvent)).one().last_error
    finally:
        other.dispose()
    drain()
    assert sorted(find("scanner")) == ["Scanner jams", "Scanner offline"]


@POSTGRES_ONLY
def test_postgres_writes_a_drained_batch_in_one_statement(customer, category, drain, find):
    threads = [make_thread(customer, category, f"Batch question {n}") for n in range(3)]
    drain()
    for n, thread in enumerate(threads):
        make_reply(customer, thread, f"Batch answer {n}")  # each document changes
    emit("thread.changed", thread_id=threads[1].id)
    emit("user.created", user_id=customer.id)
    db.session.commit()
    with counted_queries() as statements:
        assert drain() == 5
    assert sum("INSERT INTO search_documents" in s for s in statements) == 1
    assert sorted(find("batch answer")) == [f"Batch question {n}" for n in range(3)]
    assert documents.load_threads([t.id for t in threads]).keys() == {t.id for t in threads}


def posting_blocks_compressed(ix, word):
    """Whether each segment's first posting block of ``word`` is zlib-compressed."""
    flags = []
    with ix.searcher() as searcher:
        for reader, _offset in searcher.reader().leaf_readers():
            if ("text", word) in reader:
                matcher = reader.postings("text", word)
                while hasattr(matcher, "child"):  # deletions in the segment wrap the matcher
                    matcher = matcher.child
                flags.append(bool(matcher._compression))
    return flags


@WHOOSH_ONLY
def test_segments_are_written_uncompressed_and_old_ones_stay_readable(
    customer, category, drain, find
):
    """The courier writes posting blocks without zlib (index.CODEC); an index whose segments
    were written compressed, as before, is still read and merged."""
    from whoosh.codec.whoosh3 import W3Codec

    old = make_thread(customer, category, "Plotter offline since the update")
    ix = index.open_index(create=True)
    with index.writer(ix, codec=W3Codec(compression=3)) as writer:  # as the old code wrote
        indexer.write_threads(writer, [old.id])
    drain()  # the thread's own event: its document is unchanged, nothing is written
    make_thread(customer, category, "Plotter jams on thick paper")
    drain()
    both = ["Plotter jams on thick paper", "Plotter offline since the update"]
    assert sorted(find("plotter")) == both
    assert posting_blocks_compressed(index.open_index(), "plotter") == [True, False]
    index.writer(index.open_index()).commit(optimize=True)  # reads the old blocks, writes new
    assert posting_blocks_compressed(index.open_index(), "plotter") == [False]
    assert sorted(find("plotter")) == both


@WHOOSH_ONLY
def test_whoosh_commits_only_when_a_document_changed(customer, staff, category, drain, find):
    """An event that changes nothing indexed (a pin) writes no segment; a reply does, and a
    thread that stops being visible is deleted from the index."""
    thread = make_thread(customer, category, "Tractor engine stalls", "It stops when cold.")
    drain()
    generation = index.open_index().latest_generation()
    services.set_flag(staff, thread, "pinned", True)
    assert drain() == 1
    assert index.open_index().latest_generation() == generation
    make_reply(staff, thread, "Replace the glowplugs before winter.")
    drain()
    assert index.open_index().latest_generation() == generation + 1
    assert find("glowplugs") == ["Tractor engine stalls"]
    services.delete_post(staff, thread.question)  # the team removes the whole thread
    drain()
    assert find("tractor") == []
