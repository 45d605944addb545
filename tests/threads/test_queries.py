"""The thread page reads a constant number of times, however many replies it shows."""

import pytest
from flask import g

from forum import outbox
from forum.extensions import db
from forum.threads import services as threads
from tests import factories
from tests.sql import assert_constant_queries, counted_queries, get_counted


def thread_with_replies(asker, category, authors, accepter):
    """Carol's thread with one reply from each author (so a query per author would show),
    every third reply edited, and an answer accepted by someone who wrote none of them."""
    thread = factories.make_thread(asker, category, f"Question with {len(authors)} replies")
    for i, author in enumerate(authors):
        post = factories.make_reply(
            author, thread, f"Reply {i} with a [link](https://example.com)."
        )
        if i % 3 == 0:
            threads.edit_post(author, post, f"Reply {i}, edited.")
    threads.accept_answer(accepter, post)
    return thread


@pytest.fixture
def page_queries(app, client, auth, users, category):
    """Measures the queries of the thread page with 2 and with 20 replies."""
    # Trusted customers, so the spam layers publish their linked replies at once.
    helpers = [factories.make_trusted_user(), users["staff"]]
    helpers += [
        factories.make_user("staff") if n % 4 == 0 else factories.make_trusted_user()
        for n in range(18)
    ]
    few = thread_with_replies(users["customer"], category, helpers[:2], users["admin"])
    many = thread_with_replies(users["customer"], category, helpers, users["admin"])
    app.config["POSTS_PER_PAGE"] = 25  # the question and all 20 replies on one page
    pages = [(f"/threads/{t.id}/{t.slug}", t.reply_count + 1) for t in (few, many)]
    # Deliver the events the setup emitted now, or the first request would do it and be billed.
    outbox.drain()
    g.pop("outbox_pending", None)

    def measure(viewer):
        if viewer:
            auth.login(users[viewer])
        counts = []
        for url, posts in pages:
            db.session.remove()  # the request starts with an empty session, as in production
            with counted_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200
            assert response.get_data(as_text=True).count('class="post ') == posts
            counts.append(len(statements))
        return counts

    return measure


@pytest.mark.parametrize("viewer", [None, "customer", "staff"], ids=str)
def test_thread_page_query_count_does_not_grow_with_replies(page_queries, viewer):
    few, many = page_queries(viewer)
    assert few == many, f"2 replies: {few} queries, 20 replies: {many} queries"
    assert many <= 8  # the scale-out issue's budget per page


def test_replying_reads_back_nothing_it_wrote(app, client, auth, users, thread):
    """The redirect after a reply is built from what the reply's transaction wrote: the post,
    its thread and its author are not loaded again after the commit (the posting budget)."""
    app.config["OUTBOX_DRAIN_INLINE"] = False  # count the request's own queries alone
    for n in range(3):
        factories.make_reply(users["other_customer"], thread, f"Earlier reply {n}.")
    auth.login(users["customer"])
    thread_id, slug = thread.id, thread.slug
    db.session.remove()
    with counted_queries() as statements:
        response = client.post(f"/threads/{thread.id}/reply", data={"body": "A new reply here."})
    assert response.status_code == 302
    post = db.session.scalars(
        db.select(threads.Post).where(threads.Post.body == "A new reply here.")
    ).one()
    assert response.headers["Location"].endswith(f"/threads/{thread_id}/{slug}#post-{post.id}")
    after_insert = statements[[s.startswith("INSERT INTO posts") for s in statements].index(True) :]
    reads = [s.split("FROM")[1].split()[0] for s in after_insert if s.startswith("SELECT ")]
    assert reads == ["posts"]  # the reply's place in the thread: a count, nothing loaded again
    assert len(statements) <= 12
    assert db.session.get(threads.Thread, thread_id).reply_count == 4


def test_edit_history_reads_a_constant_number_of_times(client, users, thread):
    """Each earlier version names who wrote it: here every edit by another moderator."""
    question = db.session.scalar(db.select(threads.Post).where(threads.Post.thread_id == thread.id))
    post_id, url = question.id, f"/posts/{question.id}/history"

    def edit(n):
        for _ in range(n):
            editor = factories.make_user("moderator")
            post = db.session.get(threads.Post, post_id)
            threads.edit_post(editor, post, f"{post.body} Edited by {editor.username}.")

    def measure():
        response, statements = get_counted(client, url)
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True).count('<section class="revision"')

    # The current version and one before each edit.
    assert_constant_queries(measure, edit, [(1, 2), (9, 11)])
