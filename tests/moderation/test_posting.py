"""Posting through the pages: what the spam layers decide and what the author is told."""

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.spam import services as spam_services
from forum.threads.models import Post, Thread
from tests import factories
from tests.moderation.conftest import page

LINKS = factories.LINKY_BODY


def ask(client, category, title="Need help with links", body=LINKS):
    return client.post(
        "/threads/new", data={"category": category.slug, "title": title, "body": body}
    )


def test_new_accounts_first_question_with_three_links_is_held(client, auth, newcomer, category):
    auth.login(newcomer)
    response = ask(client, category)
    assert response.status_code == 302
    thread = db.session.scalar(db.select(Thread).where(Thread.title == "Need help with links"))
    question = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id))
    assert (thread.status, question.status) == ("held", "held")
    assert question.spam_reasons[0]["rule"] == "links.cap"
    assert "3 link(s)" in question.spam_reasons[0]["evidence"]
    text = page(client, response.headers["Location"])
    assert "waits for a moderator" in text
    assert "Your post is waiting for review because new accounts can post only a few links" in text
    assert "Withdraw" in text


def test_held_reply_is_shown_only_to_its_author_and_the_team(
    client, auth, held_post, other_customer, moderator, thread
):
    for user, sees in (
        (None, False),
        (other_customer, False),
        (held_post.author, True),
        (moderator, True),
    ):
        if user:
            auth.login(user)
        assert ("cheap-deals" in page(client, f"/threads/{thread.id}")) is sees
        if user:
            auth.logout()


def test_held_reply_does_not_count_or_bump_the_thread(app, held_post, thread):
    db.session.refresh(thread)
    assert thread.reply_count == 0
    assert thread.first_reply_at is None


def test_held_question_is_missing_from_lists_and_profiles(client, auth, newcomer, category):
    auth.login(newcomer)
    ask(client, category, "Spammy title here")
    auth.logout()
    for url in ("/", f"/c/{category.slug}", f"/u/{newcomer.username}"):
        assert "Spammy title here" not in client.get(url).get_data(as_text=True)
    thread = db.session.scalar(db.select(Thread).where(Thread.title == "Spammy title here"))
    assert client.get(f"/threads/{thread.id}").status_code == 404


@pytest.mark.parametrize("role", ["moderator", "staff", "admin"])
def test_team_posts_are_never_held(client, auth, users, category, role):
    auth.login(users[role])
    ask(client, category, f"Team post by {role}", LINKS + " Call 1-800-555-0199, casino bonus!")
    thread = db.session.scalar(db.select(Thread).where(Thread.title == f"Team post by {role}"))
    assert thread.status == "visible"


def test_author_edit_is_rescored_and_releases_a_held_post(client, auth, held_post):
    auth.login(held_post.author)
    response = client.post(f"/posts/{held_post.id}/edit", data={"body": "Sorry, no links needed."})
    assert response.status_code == 302
    db.session.refresh(held_post)
    assert held_post.status == "visible"
    assert held_post.thread.reply_count == 1


def test_author_edit_that_adds_spam_holds_a_visible_post(client, auth, customer, thread, events):
    post = factories.make_reply(customer, thread, "Thanks for the help!")
    auth.login(customer)
    client.post(f"/posts/{post.id}/edit", data={"body": LINKS + " casino free spins"})
    db.session.refresh(post)
    assert post.status == "held"
    assert any(r["rule"] == "phrase.casino" for r in post.spam_reasons)
    assert ("post.held", {"thread_id": thread.id, "post_id": post.id}) in events


def test_author_can_withdraw_a_held_post(client, auth, held_post):
    auth.login(held_post.author)
    response = client.post(f"/posts/{held_post.id}/delete")
    assert response.status_code == 302
    db.session.refresh(held_post)
    assert held_post.status == "deleted"


def test_rejected_post_is_refused_with_a_plain_reason_and_logged(
    client, auth, admin, newcomer, thread
):
    spam_services.add_rule(admin, "blocked_domain", "cheap-deals.example.net")
    auth.login(newcomer)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": LINKS})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert (
        "Your post can&#39;t be published because it links to a site that isn&#39;t allowed" in text
    )
    assert "cheap-deals.example.net/a" in text  # the author's text is kept in the form
    assert (
        db.session.scalar(db.select(db.func.count(Post.id)).where(Post.author_id == newcomer.id))
        == 0
    )
    entry = db.session.scalar(
        db.select(ModerationAction).where(ModerationAction.action == "reject")
    )
    assert entry.target_id == newcomer.id and entry.actor_id is None
    assert entry.after["reasons"][0]["rule"] == "rule.blocked_domain"


def test_silenced_author_is_told_and_nothing_is_posted(client, auth, moderator, customer, thread):
    from forum.moderation import accounts

    accounts.silence(moderator, customer, 3, "cool down")
    auth.login(customer)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Hello again"})
    assert response.status_code == 400
    assert "silenced your account until" in response.get_data(as_text=True)


def test_dry_run_scores_but_never_holds(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'dry.db'}"
        SPAM_SETTINGS = {"dry_run": "true"}

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        author = factories.make_user("customer", "dryrunner")
        thread = factories.make_thread(author, factories.make_category(), "Dry run", LINKS)
        question = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id))
        assert thread.status == "visible"
        assert question.spam_reasons[0]["rule"] == "links.cap"
        db.session.remove()


@pytest.fixture
def limited_app(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'limits.db'}"
        RATELIMIT_ENABLED = True
        SPAM_SETTINGS = {"rate_limit_new": "2 per hour", "velocity_max_posts": 100}

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def test_new_accounts_are_rate_limited_when_limits_are_on(limited_app):
    client = limited_app.test_client()
    factories.make_user("customer", "hasty")
    thread = factories.make_thread(
        factories.make_trusted_user("steady"), factories.make_category(), "Rate limited thread"
    )
    client.post("/auth/login", data={"username": "hasty", "password": factories.PASSWORD})
    codes = [
        client.post(f"/threads/{thread.id}/reply", data={"body": f"Reply {n}"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    last = client.post(f"/threads/{thread.id}/reply", data={"body": "Reply 4"})
    assert "New accounts can make 2 posts per hour" in last.get_data(as_text=True)
    assert "Reply 4" in last.get_data(as_text=True)  # the text is kept in the form
    assert 0 < int(last.headers["Retry-After"]) <= 3600
    asked = client.post(
        "/threads/new",
        data={"category": thread.category.slug, "title": "One more question", "body": "Text"},
    )
    assert asked.status_code == 429
    assert 0 < int(asked.headers["Retry-After"]) <= 3600
    importer = factories.make_user("customer", "importer")
    for n in range(3):  # the limit is for requests, not imports or seeding
        factories.make_reply(importer, thread, f"Imported reply {n}")


def test_rate_limit_obeys_the_switch(client, auth, newcomer, thread):
    auth.login(newcomer)
    codes = {
        client.post(f"/threads/{thread.id}/reply", data={"body": f"Reply {n}"}).status_code
        for n in range(5)
    }
    assert codes == {302}


def test_posts_refused_as_spam_do_not_use_up_the_new_accounts_limit(limited_app):
    client = limited_app.test_client()
    admin = factories.make_user("admin", "boss")
    spam_services.add_rule(admin, "blocked_domain", "cheap-deals.example.net")
    factories.make_user("customer", "retrier")
    thread = factories.make_thread(
        factories.make_trusted_user("steady"), factories.make_category(), "Rate limited thread"
    )
    client.post("/auth/login", data={"username": "retrier", "password": factories.PASSWORD})
    refused = [
        client.post(f"/threads/{thread.id}/reply", data={"body": LINKS}).status_code
        for _ in range(3)
    ]
    assert refused == [422, 422, 422]
    codes = [
        client.post(f"/threads/{thread.id}/reply", data={"body": f"Fixed reply {n}"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]  # the limit of 2 is all there for the posts that count
    stored = db.session.scalars(db.select(Post.body).where(Post.thread_id == thread.id)).all()
    assert sorted(stored)[:2] == ["Fixed reply 0", "Fixed reply 1"]
    assert (
        db.session.scalar(
            db.select(db.func.count(ModerationAction.id)).where(ModerationAction.action == "reject")
        )
        == 3
    )
