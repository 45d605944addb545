"""Search shows only what the reader may see."""

import pytest

from forum.extensions import db
from tests.factories import make_reply, make_thread


@pytest.fixture
def held_reply(customer, thread, drain):
    reply = make_reply(customer, thread, "Buy cheap flamingo pills at my site.")
    reply.status = "held"
    db.session.commit()
    drain()
    return reply


@pytest.mark.parametrize("role", [None, "customer", "other_customer"])
def test_held_post_text_is_not_findable_outside_the_team(client, auth, users, held_reply, role):
    if role:
        auth.login(users[role])
    page = client.get("/search?q=cheap+pills").get_data(as_text=True)
    assert "flamingo" not in page
    assert "No results" in page


@pytest.mark.parametrize("role", ["moderator", "staff", "admin"])
def test_team_finds_held_post_text_in_a_separate_section(client, auth, users, held_reply, role):
    auth.login(users[role])
    page = client.get("/search?q=cheap+pills").get_data(as_text=True)
    assert "Held and hidden posts" in page and "flamingo" in page
    assert "<mark>pills</mark>" in page
    assert f'href="/posts/{held_reply.id}"' in page


def test_held_question_is_not_found_even_by_its_author(client, auth, customer, category, drain):
    thread = make_thread(customer, category, "Pelican pending review")
    thread.status = "held"
    db.session.commit()
    drain()
    auth.login(customer)
    assert "Pelican pending review" not in client.get("/search?q=pelican").get_data(as_text=True)


@pytest.mark.parametrize("role, shown", [(None, False), ("customer", False), ("moderator", True)])
def test_results_are_rechecked_against_the_database(
    client, auth, users, thread, drain, role, shown
):
    drain()
    thread.status = "hidden"  # changed without an outbox event: the index still has it
    db.session.commit()
    if role:
        auth.login(users[role])
    page = client.get("/search?q=sync").get_data(as_text=True)
    assert (thread.title in page) is shown


def test_similar_questions_leave_out_threads_the_reader_may_not_see(
    client, customer, staff, category, drain
):
    solved = make_thread(customer, category, "Gondola sync error")
    from forum.threads import services

    services.accept_answer(staff, make_reply(staff, solved, "Reinstall."))
    drain()
    assert [i["title"] for i in client.get("/search/similar?title=gondola+sync").json["items"]] == [
        "Gondola sync error"
    ]
    solved.status = "removed"
    db.session.commit()
    assert client.get("/search/similar?title=gondola+sync").json["items"] == []
