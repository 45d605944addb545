"""Unicode edge cases through the real routes: registration, asking, replying, editing and the
API. Each one gets a clear error, or is stored and shown without disguising anything."""

import html5lib
import pytest

from forum import markup
from forum.api import services as tokens
from forum.extensions import db
from forum.textinput import MARKS_MESSAGE, NUL_MESSAGE
from forum.threads.models import Post, Thread
from forum.users.models import User
from tests import factories
from tests.pages import text

PASSWORD = "purple otters juggle"
RLO, LRI, PDI, ZWSP, ZWJ, BOM = "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff"
BIDI_AND_INVISIBLE = (
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u2060",
    "\ufeff",
)
ZALGO = "Z" + "\u0336\u0334\u0321\u0322\u0327\u0328\u031b" * 3 + "algo"
EMOJI = "Backup done 🎉🚀 — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 𠜎 and a family 👨\u200d👩\u200d👧 and 🇳🇿"


def register(client, username, email=None):
    email = email or "newcomer@example.com"
    return client.post(
        "/auth/register",
        data={"username": username, "email": email, "password": PASSWORD, "confirm": PASSWORD},
    )


def user_named(name):
    return db.session.scalar(db.select(User).where(User.username == name))


# Usernames ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("caro1", "looks too much like an existing one"),
        ("CAROI", "looks too much like an existing one"),
        ("cAr0l", "looks too much like an existing one"),
        ("ｃａｒｏｌ", "That username is already taken."),  # fullwidth: NFKC makes it "carol"
        ("cаrol", "must not mix alphabets"),  # Cyrillic а
        ("pаypal", "must not mix alphabets"),
        ("Ρaypal", "must not mix alphabets"),  # Greek Rho
        ("abc١٢", "must not mix alphabets"),  # Latin with Arabic-Indic digits
        ("user١2", "must not mix alphabets"),
        ("SUPP0RT", "That username is reserved"),
        ("ѕupport", "must not mix alphabets"),
        ("car\u202eol", "may contain only letters, digits"),
        ("car\u2066ol\u2069", "may contain only letters, digits"),
        ("ca\u200brol", "may contain only letters, digits"),
        ("ca\u200drol", "may contain only letters, digits"),
        ("\ufeffnewbie", "may contain only letters, digits"),
        ("new\x00bie", "may contain only letters, digits"),
        ("rocket🚀", "may contain only letters, digits"),
        ("a\u0300\u0301\u0302\u0303bc", "at most 2 accent marks"),
        ("\u0301abc", "may contain only letters, digits"),
    ],
    ids=repr,
)
def test_register_refuses_look_alike_and_disguised_usernames(client, customer, username, message):
    response = register(client, username)
    assert response.status_code == 400
    assert message in text(response)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_a_look_alike_of_a_newer_name_is_refused_too(client, customer):
    assert register(client, "ᎪᏴᏟ", "cherokee@example.com").status_code == 302  # Cherokee
    client.post("/auth/logout")
    response = register(client, "ABC", "latin@example.com")
    assert "looks too much like an existing one" in text(response)


@pytest.mark.parametrize(
    "username", ["Дмитрий", "Łukasz", "José", "東京タワー", "김민준", "Ἀθηνᾶ", "ناصر", "josé_2"]
)
def test_names_in_one_script_are_welcome_and_shown_as_typed(client, username):
    response = register(client, username)
    assert response.status_code == 302, text(response)
    user = user_named(username)
    assert user is not None
    client.post("/auth/logout")
    page = client.get(f"/u/{username}")
    assert page.status_code == 200 and f"<h1>{username}</h1>" in text(page)
    signed_in = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert signed_in.status_code == 302


def test_usernames_are_stored_normalised(client):
    assert register(client, "jose\u0301").status_code == 302  # e + combining acute
    assert user_named("jos\u00e9") is not None  # stored precomposed (NFC ⊂ NFKC)
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"username": "JOSÉ", "password": PASSWORD})
    assert response.status_code == 302


# Titles and bodies: asking, replying, editing -------------------------------------------------


@pytest.fixture
def writer(client, staff):
    """Signed in as staff, whose posts the spam layers never hold: these tests are about text."""
    client.post("/auth/login", data={"username": "stacy", "password": factories.PASSWORD})
    return staff


def ask(client, category, title="Sync stops on macOS", body="It stops at 99 percent."):
    return client.post(
        "/threads/new", data={"category": category.slug, "title": title, "body": body}
    )


def assert_parses(response):
    html5lib.HTMLParser(strict=True).parse(response.get_data(as_text=True))


def test_bidi_controls_and_invisible_characters_are_stripped_from_titles(client, writer, category):
    title = f"Restore {RLO}exe.txt{LRI} fails{PDI}{ZWSP} again{BOM} \u2060ok"
    response = ask(client, category, title=title)
    assert response.status_code == 302
    thread = db.session.scalar(db.select(Thread))
    assert thread.title == "Restore exe.txt fails again ok"
    assert not any(ch in thread.title for ch in BIDI_AND_INVISIBLE)
    page = client.get(response.headers["Location"])
    assert "<h1>Restore exe.txt fails again ok</h1>" in text(page)


@pytest.mark.parametrize(
    "title",
    [
        ZWSP * 10,
        "\u3164\u3164\u3164\u3164",
        RLO + LRI + PDI + BOM,
        " \u2800\u2800 ",
        "a" + ZWSP * 5,
    ],
    ids=["zero-width", "hangul filler", "bidi only", "braille blank", "one letter"],
)
def test_a_title_of_invisible_characters_counts_as_empty(client, writer, category, title):
    response = ask(client, category, title=title)
    assert response.status_code == 400
    assert "Title must be 3 to 200 characters long." in text(response)
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 0


def test_emoji_joiners_survive_in_titles_but_not_between_latin_letters(client, writer, category):
    assert ask(client, category, title=f"Dev 👩{ZWJ}💻 sync{ZWJ}ing").status_code == 302
    assert db.session.scalar(db.select(Thread.title)) == f"Dev 👩{ZWJ}💻 syncing"


def test_four_byte_characters_round_trip_through_pages_and_api(client, writer, category):
    response = ask(client, category, title="Emoji 🎉 and 𠜎 in titles", body=EMOJI)
    assert response.status_code == 302
    db.session.expire_all()
    thread = db.session.scalar(db.select(Thread))
    assert thread.title == "Emoji 🎉 and 𠜎 in titles"
    assert db.session.scalar(db.select(Post.body)) == EMOJI
    page = text(client.get(response.headers["Location"]))
    assert "<h1>Emoji 🎉 and 𠜎 in titles</h1>" in page and EMOJI in page
    api = client.get(f"/api/v1/threads/{thread.id}").json
    assert api["title"] == thread.title and api["posts"][0]["body"] == EMOJI


def test_a_nul_character_gets_a_clear_error_and_the_text_is_kept(client, writer, category):
    response = ask(client, category, body="Log line one\x00two")
    assert response.status_code == 400
    page = text(response)
    assert NUL_MESSAGE in page and 'id="body-error"' in page
    assert "Log line one" in page
    response = ask(client, category, title="Title with \x00 in it")
    assert response.status_code == 400 and 'id="title-error"' in text(response)
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 0


def test_zalgo_text_is_refused_with_a_message(client, writer, category):
    response = ask(client, category, body=f"Hello {ZALGO} world")
    assert response.status_code == 400
    assert MARKS_MESSAGE in text(response)
    response = ask(client, category, title=f"Help {ZALGO}")
    assert response.status_code == 400 and MARKS_MESSAGE in text(response)


def test_accents_and_scripts_that_stack_a_few_marks_are_fine(client, writer, category):
    body = "Tiếng Việt: Người dùng; हिन्दी: क्षत्रिय; עִבְרִית; བསྒྲུབས"
    assert ask(client, category, body=body).status_code == 302
    assert db.session.scalar(db.select(Post.body)) == body


def test_bodies_lose_overrides_but_keep_isolates_and_joiners(client, writer, category):
    body = f"Name the file {RLO}txt.exe and {LRI}שלום{PDI} done {ZWSP}here{BOM}"
    assert ask(client, category, body=body).status_code == 302
    stored = db.session.scalar(db.select(Post.body))
    assert stored == f"Name the file txt.exe and {LRI}שלום{PDI} done {ZWSP}here"


def test_control_characters_are_dropped_from_bodies(client, writer, category):
    body = "Bell\x07 escape\x1b[31m tab\tstays\r\nnew line \x85next\ufffe"
    assert ask(client, category, body=body).status_code == 302
    assert db.session.scalar(db.select(Post.body)) == "Bell escape[31m tab\tstays\nnew line next"
    thread = db.session.scalar(db.select(Thread))
    assert_parses(client.get(f"/threads/{thread.id}/{thread.slug}"))


def test_a_very_long_line_is_stored_whole_and_the_stylesheet_wraps_it(client, writer, category):
    word = "x" * 20_000
    assert (
        ask(client, category, title="A" * 200, body=f"{word}\n\n```\n{word}\n```").status_code
        == 302
    )
    thread = db.session.scalar(db.select(Thread))
    page = client.get(f"/threads/{thread.id}/{thread.slug}")
    assert page.status_code == 200 and text(page).count(word) == 2
    css = client.get("/static/css/forum.css").get_data(as_text=True)
    assert "overflow-wrap: anywhere" in css.split("body {", 1)[1].split("}", 1)[0]
    assert "white-space: pre-wrap" in css.split("\npre {", 1)[1].split("}", 1)[0]


def test_replies_follow_the_same_rules(client, writer, thread):
    url = f"/threads/{thread.id}/reply"
    assert client.post(url, data={"body": f"Try {ZALGO}"}).status_code == 400
    response = client.post(url, data={"body": "nul \x00 here"})
    assert response.status_code == 400 and NUL_MESSAGE in text(response)
    assert client.post(url, data={"body": f"Works {RLO}now 🎉"}).status_code == 302
    assert (
        db.session.scalars(db.select(Post.body).order_by(Post.id.desc())).first() == "Works now 🎉"
    )


def test_edits_follow_the_same_rules(client, writer, category):
    ask(client, category)
    question = db.session.scalar(db.select(Post))
    url = f"/posts/{question.id}/edit"
    response = client.post(url, data={"title": "Sync stops", "body": "a\x00b"})
    assert response.status_code == 400 and NUL_MESSAGE in text(response)
    response = client.post(url, data={"title": f"Sync {RLO}stops{PDI} 🎉", "body": "Fixed 🚀"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Thread.title)) == "Sync stops 🎉"
    assert db.session.scalar(db.select(Post.body)) == "Fixed 🚀"


def test_excerpts_cannot_reorder_the_line_they_sit_in(client, writer, thread):
    client.post(f"/threads/{thread.id}/reply", data={"body": f"{LRI}שלום{PDI} and \u200fmore"})
    post = db.session.scalars(db.select(Post).order_by(Post.id.desc())).first()
    assert LRI in post.body  # kept in the body, where its paragraph contains it
    assert markup.excerpt(post.body) == "שלום and more"


@pytest.mark.parametrize("body", [ZWSP, f"{ZWSP}{BOM}\u2060", f"{RLO}{LRI}\n\n{ZWJ}", "\u3164"])
def test_a_body_with_nothing_visible_counts_as_empty(client, writer, thread, body):
    response = client.post(f"/threads/{thread.id}/reply", data={"body": body})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 1


# The API --------------------------------------------------------------------------------------


@pytest.fixture
def api(staff):
    _, secret = tokens.create_token(staff, "tests")
    return {"Authorization": f"Bearer {secret}"}


def test_api_strips_and_refuses_like_the_pages(client, api, category):
    create = {"category": category.slug, "title": f"API {RLO}title{BOM} 🎉", "body": EMOJI}
    response = client.post("/api/v1/threads", json=create, headers=api)
    assert response.status_code == 201
    assert response.json["title"] == "API title 🎉"
    thread_id = response.json["id"]
    reply = client.post(f"/api/v1/threads/{thread_id}/posts", json={"body": "a\x00b"}, headers=api)
    assert reply.status_code == 422
    assert reply.json["error"]["details"] == {"body": NUL_MESSAGE}
    zalgo = client.post(f"/api/v1/threads/{thread_id}/posts", json={"body": ZALGO}, headers=api)
    assert zalgo.status_code == 422 and zalgo.json["error"]["details"] == {"body": MARKS_MESSAGE}
    post_id = client.get(f"/api/v1/threads/{thread_id}").json["posts"][0]["id"]
    edit = client.patch(f"/api/v1/posts/{post_id}", json={"body": f"{ZWSP}{BOM}"}, headers=api)
    assert edit.status_code == 422
    assert db.session.scalar(db.select(Post.body)) == EMOJI


def test_api_refuses_lone_surrogates(client, api, category):
    raw = '{"category": "SLUG", "title": "Broken \\ud800 title", "body": "x"}'
    raw = raw.replace("SLUG", category.slug)
    response = client.post(
        "/api/v1/threads", data=raw, content_type="application/json", headers=api
    )
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 0


# Request size ---------------------------------------------------------------------------------


def test_a_request_over_the_size_limit_gets_a_413_page_and_stores_nothing(
    app, client, writer, category
):
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = ask(client, category, body=huge)
    assert response.status_code == 413
    page = text(response)
    assert "<h1>Too large</h1>" in page and "larger than the forum accepts" in page
    assert "Go to the home page" in page
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 0


def test_an_api_request_over_the_size_limit_gets_a_json_413(app, client, api, category):
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    body = {"category": category.slug, "title": "Big", "body": huge}
    response = client.post("/api/v1/threads", json=body, headers=api)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
