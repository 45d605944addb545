from html import escape

import pytest

from forum import markup
from forum.extensions import db
from forum.threads import services as threads
from forum.threads.models import Post, Thread
from tests import factories
from tests.limits import rate_limited_app
from tests.pages import text
from tests.xss import script_problems

BODY = "I tried **restarting** the app twice."


def counts():
    return (
        db.session.scalar(db.select(db.func.count(Thread.id))),
        db.session.scalar(db.select(db.func.count(Post.id))),
    )


def ask(client, in_category, **fields):
    data = {"category": in_category.slug, "title": "Sync stops on macOS", "body": BODY}
    data.update(fields)
    return client.post("/threads/new", data=data)


# Asking ---------------------------------------------------------------------------------------


def test_ask_form_offers_the_categories_and_preselects_one(client, signed_in, category):
    response = client.get(f"/threads/new?category={category.slug}")
    page = text(response)
    assert response.status_code == 200
    assert f'<option selected value="{category.slug}">Sync & backup</option>' in page
    assert 'data-preview-url="/preview"' in page


def test_ask_creates_the_thread_and_shows_it(client, signed_in, category):
    response = ask(client, category)
    assert response.status_code == 302
    thread = db.session.scalar(db.select(Thread))
    assert response.headers["Location"] == f"/threads/{thread.id}/sync-stops-on-macos"
    assert (thread.title, thread.category_id, thread.author_id) == (
        "Sync stops on macOS",
        category.id,
        signed_in.id,
    )
    assert db.session.scalar(db.select(Post.body).filter_by(thread_id=thread.id)) == BODY
    page = text(client.get(response.headers["Location"]))
    assert "<h1>Sync stops on macOS</h1>" in page
    assert "I tried <strong>restarting</strong> the app twice." in page
    assert "Your question is posted. You will be notified of replies." in page


def test_ask_accepts_the_length_limits(client, signed_in, category):
    assert ask(client, category, title="Why", body="x").status_code == 302
    assert ask(client, category, title="T" * 200, body="b" * 50_000).status_code == 302
    assert counts() == (2, 2)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Please give your question a title."),
        ({"title": "   "}, "Please give your question a title."),
        ({"title": "ab"}, "Title must be 3 to 200 characters long."),
        ({"title": "  ab   "}, "Title must be 3 to 200 characters long."),
        ({"title": "T" * 201}, "Title must be 3 to 200 characters long."),
        ({"body": ""}, "Please describe your question."),
        ({"body": " \n\t "}, "Please describe your question."),
        ({"body": "b" * 50_001}, "Please write between 1 and 50,000 characters."),
        ({"category": ""}, "Please choose a category."),
        ({"category": "no-such-category"}, "Please choose one of the listed categories."),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_ask_refuses_bad_input_and_keeps_the_text(client, signed_in, category, fields, message):
    response = ask(client, category, **fields)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert 'aria-invalid="true"' in page
    if "title" not in fields:
        assert 'value="Sync stops on macOS"' in page
    if "body" not in fields:
        assert BODY in page
    assert counts() == (0, 0)


def test_ask_keeps_oversized_text_for_the_author_to_shorten(client, signed_in, category):
    body = "start of my long story " + "x" * 50_000
    page = text(ask(client, category, body=body))
    assert body in page


# Reading --------------------------------------------------------------------------------------


def test_thread_page_shows_question_replies_and_reply_count(client, thread, answer):
    response = client.get(f"/threads/{thread.id}/{thread.slug}")
    page = text(response)
    assert response.status_code == 200
    assert "How do I restore a deleted file?" in page
    assert "Oscar suggests clearing the cache." in page
    assert '<h2 id="replies-heading">1 reply</h2>' in page
    assert 'href="/u/oscar"' in page


def test_thread_address_without_or_with_a_wrong_slug_redirects(client, thread):
    for url in (f"/threads/{thread.id}", f"/threads/{thread.id}/old-title?page=1"):
        response = client.get(url)
        assert response.status_code == 301
        assert response.headers["Location"].startswith(f"/threads/{thread.id}/{thread.slug}")
    response = client.get(f"/threads/{thread.id}/x?page=2&slug=evil&_external=1")
    assert response.headers["Location"] == f"/threads/{thread.id}/{thread.slug}?page=2"


def test_unknown_thread_is_a_site_styled_404(client):
    for url in ("/threads/999", "/threads/99999999999999999999", "/posts/999"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Go to the home page" in text(response)


def test_replies_are_paginated(app, client, thread, other_customer):
    app.config["POSTS_PER_PAGE"] = 5
    for n in range(1, 8):
        factories.make_reply(other_customer, thread, f"Reply number {n}.")
    first = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    second = text(client.get(f"/threads/{thread.id}/{thread.slug}?page=2"))
    assert "How do I restore" in first and "Reply number 4." in first
    assert "Reply number 5." not in first
    assert "Reply number 5." in second and "Reply number 7." in second
    assert "How do I restore" not in second
    assert "Page 2 of 2" in second
    assert '<h2 id="replies-heading">7 replies</h2>' in second
    assert client.get(f"/threads/{thread.id}/{thread.slug}?page=3").status_code == 404


def test_post_link_leads_to_its_page_and_anchor(app, client, thread, other_customer):
    app.config["POSTS_PER_PAGE"] = 5
    replies = [factories.make_reply(other_customer, thread, f"Reply {n}.") for n in range(6)]
    response = client.get(f"/posts/{replies[-1].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/threads/{thread.id}/{thread.slug}?page=2#post-{replies[-1].id}"
    )


def test_visitors_are_invited_to_sign_in_to_reply(client, thread):
    page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "to reply." in page
    assert f'href="/auth/login?next=/threads/{thread.id}/{thread.slug}"' in page
    assert "Post reply" not in page


def test_staff_and_moderator_posts_carry_a_role_badge(client, thread, staff, moderator, answer):
    factories.make_reply(staff, thread, "Staff answer.")
    factories.make_reply(moderator, thread, "Moderator note.")
    page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert page.count('<span class="badge role-staff">Staff</span>') == 1
    assert page.count('<span class="badge role-moderator">Moderator</span>') == 1
    oscar = page[page.index('aria-label="Reply by oscar"') :]
    assert "badge role" not in oscar[: oscar.index("</header>")]


def test_deleted_replies_are_not_shown(client, thread, answer, other_customer):
    threads.delete_post(other_customer, answer)
    page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "Oscar suggests" not in page
    assert "No replies yet." in page


# Replying -------------------------------------------------------------------------------------


def test_reply_is_added_and_bumps_the_thread(client, signed_in, thread, other_customer):
    before = thread.last_activity_at
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Found it: _Settings_."})
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post).filter_by(is_question=False))
    assert response.headers["Location"] == f"/threads/{thread.id}/{thread.slug}#post-{post.id}"
    db.session.refresh(thread)
    assert thread.reply_count == 1
    assert thread.last_activity_at > before
    page = text(client.get(response.headers["Location"]))
    assert "Found it: <em>Settings</em>." in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write your reply."),
        ("   \n ", "Please write your reply."),
        ("r" * 50_001, "Please write between 1 and 50,000 characters."),
    ],
    ids=["empty", "blank", "too long"],
)
def test_reply_refuses_bad_input_and_keeps_the_text(client, signed_in, thread, body, message):
    response = client.post(f"/threads/{thread.id}/reply", data={"body": body})
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert f"{body}</textarea>" in page
    assert "<h1>Sync stops at 99 percent</h1>" in page
    assert counts() == (1, 1)
    db.session.refresh(thread)
    assert thread.reply_count == 0


def test_reply_quoted_deeper_than_markdown_nests_shows_every_line(client, signed_in, thread):
    body = "".join(">" * depth + f" quoted {depth}\n" for depth in range(1, 26)) + "\nMy answer."
    response = client.post(f"/threads/{thread.id}/reply", data={"body": body})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert all(f"quoted {depth}" in page for depth in range(1, 26))
    assert "<p>My answer.</p>" in page


def test_reply_to_locked_thread_is_forbidden(client, auth, other_customer, locked_thread):
    auth.login(other_customer)
    page = text(client.get(f"/threads/{locked_thread.id}/{locked_thread.slug}"))
    assert "This thread is locked: it no longer accepts replies." in page
    assert "Post reply" not in page
    response = client.post(f"/threads/{locked_thread.id}/reply", data={"body": "Me too!"})
    assert response.status_code == 403
    assert "You don't have permission to do that." in text(response)
    assert counts() == (1, 1)


def test_reply_to_deleted_thread_is_not_found(
    client, auth, customer, other_customer, thread, question
):
    threads.delete_post(customer, question)
    auth.login(other_customer)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Hello?"})
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert counts() == (1, 1)


def test_the_team_sees_a_deleted_thread_as_not_public_without_reply_box_or_follow(
    client, auth, customer, moderator, thread, question
):
    threads.delete_post(customer, question)
    auth.login(moderator)
    page = text(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "This thread is deleted: only the team can see it, and it takes no replies." in page
    assert "Answer this question" not in page
    assert "Follow" not in page


def test_reply_by_anonymous_visitor_asks_to_sign_in(client, thread):
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Drive-by."})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert counts() == (1, 1)


# Preview --------------------------------------------------------------------------------------


def test_preview_renders_markdown_like_a_post(client, signed_in):
    response = client.post("/preview", json={"body": "**hi** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.json["html"].startswith("<p><strong>hi</strong> &lt;script&gt;")


def hostile_body():
    """50,000 characters of what costs the renderer most: a long table, bracket and entity
    floods, nested emphasis, deep quotes, raw tags."""
    shapes = (
        "| a | b |\n|:--|--:|\n" + "| **x** & `y` | [l](/t/1) <td> |\n" * 200 + "\n",
        "![" * 1500 + "\n\n",
        "<&>" * 1500 + "\n\n",
        "*a _b **c __d ~~e f~~ g__ h** i_ j* " * 60 + "\n\n",
        "".join(">" * depth + f" quoted {depth}\n" for depth in range(1, 26)) + "\n",
        '<script>alert(1)</script><img src=x onerror="alert(1)">\n\n' * 40,
    )
    return ("".join(shapes) * 3)[:50_000]


def test_a_hostile_body_of_the_largest_size_posts_and_previews(client, auth, staff, thread):
    body = hostile_body()
    auth.login(staff)
    response = client.post(f"/threads/{thread.id}/reply", data={"body": body})
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post).filter_by(is_question=False))
    assert post.body == body
    assert post.html.count("<table>") == 3 and "quoted 25" in post.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in post.html
    assert not script_problems(post.html)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert post.html in page
    preview = client.post("/preview", json={"body": body})
    assert preview.status_code == 200
    assert preview.json["html"] == post.html


def test_preview_refuses_oversized_text(client, signed_in):
    response = client.post("/preview", json={"body": "p" * 50_001})
    assert response.status_code == 413
    assert response.json["error"] == "Text is too long to preview."


def test_previews_are_limited_per_account(tmp_path):
    app = rate_limited_app(tmp_path, PREVIEW_RATE_LIMIT="2 per minute")
    with app.app_context():
        for name in ("writer", "other"):
            factories.make_user("customer", name)
        db.session.remove()
    clients = {name: app.test_client() for name in ("writer", "other")}
    for name, client in clients.items():
        client.post("/auth/login", data={"username": name, "password": factories.PASSWORD})
    writer = [clients["writer"].post("/preview", json={"body": "*hi*"}) for _ in range(3)]
    assert [response.status_code for response in writer] == [200, 200, 429]
    # Another account (from the same address) previews as before.
    assert clients["other"].post("/preview", json={"body": "*hi*"}).status_code == 200


def test_a_long_questions_page_describes_it_from_its_stored_html(client, thread):
    question = db.session.scalar(db.select(Post).filter_by(thread_id=thread.id, is_question=True))
    question.body = "Restore **deleted** files & folders. " * 1_200
    question.html = markup.render(question.body)
    db.session.commit()
    page = client.get(f"/threads/{thread.id}", follow_redirects=True).get_data(as_text=True)
    description = markup.excerpt(question.body, 200)
    assert description.startswith("Restore deleted files & folders. Restore")
    assert f'<meta name="description" content="{escape(description)}">' in page
