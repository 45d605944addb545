"""`flask import stackexchange` end to end: the sample dump in tests/fixtures/stackexchange,
through the CLI, then the pages, the database and a second run."""

import pathlib
import shutil
from datetime import datetime

import pytest

from forum import outbox
from forum.extensions import db
from forum.importer.models import ImportMapping
from forum.kb.models import Article
from forum.threads.models import Post, Thread
from forum.users.models import User
from forum.webhooks import services as webhooks
from forum.webhooks.models import WebhookDelivery
from tests import factories

DUMP = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "stackexchange"
MAP = "backup=sync-backup,billing=billing,install=sync-backup"


def run_import(runner, directory=DUMP, *extra):
    args = ["import", "stackexchange", str(directory), "--site", "sample"]
    args += ["--category-map", MAP, "--category", "general", "--create-categories", *extra]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def rows():
    return {
        model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (User, Thread, Post, Article, ImportMapping)
    }


def thread_titled(title):
    return db.session.scalar(db.select(Thread).where(Thread.title == title))


@pytest.fixture
def imported(app, runner):
    return run_import(runner, DUMP, "--kb-drafts")


def test_summary(imported):
    assert "Imported stackexchange:sample" in imported
    assert "users: 7 created, 3 placeholders created" in imported
    assert "threads: 4 created" in imported
    assert "replies: 4 created" in imported
    assert "comments: 4 created" in imported
    assert "accepted answers: 2 set" in imported
    assert "kb drafts: 2 created" in imported
    assert "skipped: 4" in imported
    for reason in (
        "1 post type 4 (not a question or answer)",
        "1 question: Text must be 1 to 50,000 characters long.",
        "1 answer whose question is not in the dump or was skipped",
        "1 comment on a post that was not imported",
    ):
        assert reason in imported
    assert "posts: 11 rows" in imported  # the progress line
    assert "search index: 10 change(s) applied" in imported


def test_thread_page_shows_the_question_answers_comments_and_accepted_answer(imported, client):
    thread = thread_titled("How do I restore a deleted file?")
    page = client.get(f"/threads/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert "<strong>report.docx</strong>" in page
    assert "<li>the <em>Trash</em> folder</li>" in page
    assert "Ça marche avec la corbeille" in page
    assert "✓ Accepted answer" in page
    assert 'class="language-sh"' in page
    assert "Deleted files are kept for 30 days." in page
    # Comments are quoted under their post, with who wrote them and when.
    assert "Which version are you on? <code>4.2</code>?" in page
    assert '<a href="/u/Jon_Skeet" rel="nofollow ugc noopener">Jon_Skeet</a> (2014-05-14)' in page
    assert "日本語のコメント 👍" in page
    assert "imported-comments" not in page
    assert "Solved" in client.get("/").get_data(as_text=True)


def test_thread_fields_timestamps_and_accepted_answer(imported):
    thread = thread_titled("How do I restore a deleted file?")
    assert thread.category.slug == "sync-backup"
    assert thread.created_at == datetime(2014, 5, 13, 23, 58, 30, 457000)
    assert thread.reply_count == 2
    assert thread.first_reply_at == datetime(2014, 5, 14, 0, 10)
    assert thread.last_activity_at == datetime(2014, 5, 14, 0, 36, 31, 77000)
    accepted = db.session.get(Post, thread.accepted_post_id)
    assert accepted.author.username == "jon_skeet-2"
    assert accepted.body.startswith("Open the web dashboard and choose *Restore*:")
    assert thread.solved_at == accepted.created_at
    assert thread.accepted_by_id == thread.author_id
    closed = thread_titled("Installer stuck on Preparing")
    assert closed.locked and closed.solved
    assert thread_titled("Which firewall ports does the agent need?").category.slug == "general"
    billing = thread_titled("Rechnung für März — wo ist die Mehrwertsteuer?")
    assert billing.category.slug == "billing"  # |billing|invoices| tags


def test_placeholder_accounts(imported, client):
    names = set(db.session.scalars(db.select(User.username)))
    assert names == {
        "Community",
        "Jon_Skeet",
        "Jose_Garcia",
        "user3",  # Дмитрий: nothing ASCII left
        "admin-2",  # "admin" is reserved
        "jon_skeet-2",  # "jon skeet" is taken, case-insensitively
        "carol",
        "ghost_writer",  # a deleted user known only by name
        "deleted-user",  # a post with no owner at all
        "anon",
    }
    for user in db.session.scalars(db.select(User)):
        assert user.email.endswith("@imported.invalid")
        assert user.email_notifications == "never"
        assert not user.check_password("")
        assert user.role == "customer"
    jose = db.session.scalar(db.select(User).where(User.username == "Jose_Garcia"))
    assert jose.created_at == datetime(2014, 5, 14, 8, 12, 44, 713000)
    for login in ("Jose_Garcia", jose.email):
        response = client.post("/auth/login", data={"username": login, "password": "!imported"})
        assert response.status_code == 400  # the sign-in form again, with its one message
    profile = client.get("/u/Jose_Garcia").get_data(as_text=True)
    assert "imported.invalid" not in profile


def test_spam_screening_is_bypassed_and_posts_are_searchable(imported, client):
    answer = db.session.scalar(db.select(Post).where(Post.body.contains("a.example.net/4")))
    assert answer.status == "visible" and answer.spam_score is None
    assert answer.author.username == "deleted-user"
    page = client.get("/search?q=corbeille").get_data(as_text=True)
    assert "How do I restore a deleted file?" in page


def test_kb_drafts_from_accepted_answers(imported):
    articles = db.session.scalars(db.select(Article).order_by(Article.id)).all()
    assert [a.title for a in articles] == [
        "How do I restore a deleted file?",
        "Installer stuck on Preparing",
    ]
    assert all(a.status == "draft" and a.created_by_id is None for a in articles)


def test_no_webhooks_or_notification_topics(app, runner, admin):
    webhooks.create(admin, "http://127.0.0.1:9/hook", "")
    topics = []
    outbox.subscribe(seen := lambda events: topics.extend(e.topic for e in events))
    try:
        run_import(runner, DUMP, "--kb-drafts")
    finally:
        outbox.unsubscribe(seen)
    assert topics and all(topic.startswith("import.") for topic in topics)
    assert db.session.scalar(db.select(WebhookDelivery)) is None


def test_running_again_changes_nothing(imported, runner):
    before = rows()
    again = run_import(runner, DUMP, "--kb-drafts")
    assert rows() == before
    assert "users: 7 unchanged, 3 placeholders created" not in again
    assert "users: 7 unchanged" in again
    assert "threads: 4 unchanged" in again
    assert "replies: 4 unchanged" in again
    assert "comments: 4 unchanged" in again
    assert "accepted answers" not in again
    assert "search index: 0 change(s) applied" in again


def test_running_on_a_changed_dump_updates_in_place(imported, runner, tmp_path):
    changed = tmp_path / "dump"
    shutil.copytree(DUMP, changed)
    posts = (changed / "Posts.xml").read_text()
    posts = posts.replace("Open the web dashboard", "Open the new web dashboard")
    posts = posts.replace('AcceptedAnswerId="3"', 'AcceptedAnswerId="2"')
    (changed / "Posts.xml").write_text(posts)
    comments = (changed / "Comments.xml").read_text()
    comments = comments.replace("Thanks, **that worked**!", "Thanks, it worked.")
    comments = comments.replace(
        "</comments>",
        '  <row Id="6" PostId="3" Text="Still works in 2020." UserId="2"'
        ' CreationDate="2020-01-01T00:00:00.000" />\n</comments>',
    )
    (changed / "Comments.xml").write_text(comments)
    before = rows()

    output = run_import(runner, changed, "--kb-drafts")

    assert "threads: 4 unchanged" in output
    assert "replies: 3 unchanged, 1 updated" in output
    assert "comments: 1 created, 3 unchanged, 1 updated" in output
    assert "accepted answers: 1 set" in output
    assert rows() == {**before, "ImportMapping": before["ImportMapping"] + 1}
    post = db.session.scalar(db.select(Post).where(Post.body.contains("new web dashboard")))
    assert post.body.count("**Comments**") == 1
    assert "Thanks, it worked." in post.body and "Still works in 2020." in post.body
    assert post.body.index("Thanks, it worked.") < post.body.index("Still works in 2020.")
    assert "that worked" not in post.html
    thread = thread_titled("How do I restore a deleted file?")
    assert db.session.get(Post, thread.accepted_post_id).body.startswith("Ça marche")


def test_local_users_keep_their_names(app, runner):
    factories.make_user("customer", "carol")
    run_import(runner)
    assert db.session.scalar(db.select(User.email).where(User.username == "carol-2")).endswith(
        "@imported.invalid"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "nowhere"], "No category with the slug nowhere"),
        ([], "Say where questions go"),
        (["--category-map", "backup"], "is not TAG=SLUG"),
    ],
)
def test_refusals(app, runner, args, message):
    result = runner.invoke(args=["import", "stackexchange", str(DUMP), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert rows()["Thread"] == 0


def test_a_directory_without_posts(app, runner, tmp_path):
    result = runner.invoke(args=["import", "stackexchange", str(tmp_path), "--category", "x"])
    assert result.exit_code != 0 and "has no Posts.xml" in result.output


def test_malformed_xml_is_reported(app, runner, tmp_path):
    (tmp_path / "Posts.xml").write_text("<posts><row Id='1' PostTypeId='1'")
    factories.make_category("General", "general")
    result = runner.invoke(args=["import", "stackexchange", str(tmp_path), "--category", "general"])
    assert result.exit_code != 0 and "not well-formed XML" in result.output


def test_stored_html_is_what_the_body_renders_to(imported):
    """Posts that got quoted comments render only the list onto their text's HTML: the
    result must be exactly what rendering the whole body gives."""
    from forum import markup

    posts = db.session.scalars(db.select(Post)).all()
    assert sum("**Comments**" in post.body for post in posts) == 4
    for post in posts:
        assert post.html == markup.render(post.body), post.body


def test_a_large_import_rebuilds_the_index_instead(app, runner, client, monkeypatch):
    from forum.importer import cli
    from forum.outbox import OutboxEvent

    monkeypatch.setattr(cli, "REBUILD_OVER", 3)
    output = run_import(runner)
    assert "rebuilding the whole index" in output
    assert "Indexed 4 document(s)" in output
    assert db.session.scalar(db.select(OutboxEvent)) is None
    page = client.get("/search?q=Mehrwertsteuer").get_data(as_text=True)
    assert "Rechnung für März" in page
