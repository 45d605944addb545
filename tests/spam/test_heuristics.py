import pytest

from forum.spam.heuristics import Context, contact, content, history, links, phrases
from forum.spam.policy import load_policy
from forum.spam.text import Sample
from forum.spam.trust import Author
from tests import factories


def run(check, body, title="", question=False, username="bestwidgets", posts=0, trust="new", **kw):
    author = Author(username, posts, kw.pop("age_days", 0.0), "customer", kw.pop("author_id", None))
    sample = Sample(title, body, question, kw.pop("post_id", None))
    return [reason.rule for reason in check(Context(sample, author, trust, load_policy()))]


# Each heuristic: texts that must trigger it, and near misses that must not.
L, C, T, P = links, contact, content, phrases
CASES = [
    (L.link_count, "See https://a.example.org/x for details.", "links.cap", {}),
    (L.link_count, "a https://x.io b https://y.io c", "links.density", {"trust": "basic"}),
    (L.link_edges, "https://promo.example.biz/deal is the place to go", "links.edge", {}),
    (L.link_edges, "Everything you need is over here https://promo.example.biz", "links.edge", {}),
    (L.shorteners, "Read this first: https://bit.ly/3abcd then reply.", "links.shortener", {}),
    (L.misleading_text, "[www.paypal.com](http://paypa1.example.xyz/v) go", "links.misleading", {}),
    (L.link_only_reply, "thanks https://my-site.example.top", "links.link_only_reply", {}),
    (L.username_domain, "Visit https://bestwidgets.example/shop", "links.username_domain", {}),
    (C.phone_numbers, "Call our helpline 1-800-555-0199 any time", "contact.phone", {}),
    (C.phone_numbers, "dial 1-8OO-555-O199 now", "contact.phone", {}),
    (C.phone_numbers, "the number is 8 0 0 5 5 5 0 1 9 9, call us", "contact.phone", {}),
    (C.phone_numbers, "reach us on +44 20 7946 0999", "contact.phone", {}),
    (C.contacts, "write to me at lonely.heart@mail.example.ru", "contact.other", {}),
    (C.contacts, "mail me: john at gmail dot com", "contact.other", {}),
    (C.contacts, "message me on WhatsApp +1 555 0100 or t.me/dealsbot", "contact.other", {}),
    (T.repeated_characters, "Wooooooooow amazing!!!!!!!!", "text.repeated_chars", {}),
    (T.repeated_words, "buy buy buy cheap now", "text.repeated_words", {}),
    (T.repeated_words, "cheap " * 8 + "software licenses here " * 5, "text.repeated_words", {}),
    (T.foreign_script, "Продаю аккаунты недорого, пишите в личные сообщения", "text.script", {}),
    (
        T.foreign_script,
        "最新博彩网站，注册送彩金，每天免费旋转，快来加入我们赢大奖",
        "text.script",
        {},
    ),
    (P.spam_phrases, "Get 200 free spins at our online casino", "phrase.casino", {}),
    (P.spam_phrases, "payday loans with guaranteed approval", "phrase.loans", {}),
    (P.spam_phrases, "cheap viagra without prescription", "phrase.pharma", {}),
    (P.spam_phrases, "customer care number, toll free", "phrase.support_number", {}),
    (P.spam_phrases, "a link exchange, do-follow backlinks", "phrase.link_exchange", {}),
    (P.spam_phrases, "please follow my blog for more", "phrase.follow_my_blog", {}),
    (P.spam_phrases, "recover your lost crypto, passive income", "phrase.get_rich", {}),
]
DOCS = "https://docs.example.com"
NEGATIVES = [
    (L.link_count, "See https://a.example.org/x for details.", {"posts": 5, "trust": "basic"}),
    (L.link_count, f"Docs: {DOCS}/a and {DOCS}/b", {"trust": "trusted"}),
    (L.link_count, "Run `curl https://api.example.com/v1` and check", {}),
    (L.link_edges, f"The guide at {DOCS}/x explains the exclusions well, worked for me.", {}),
    (L.shorteners, f"Read {DOCS}/short-links please", {}),
    (L.misleading_text, f"[the docs]({DOCS}/x) say so", {}),
    (L.misleading_text, f"[docs.example.com]({DOCS}/x)", {}),
    (
        L.link_only_reply,
        f"The guide at {DOCS}/x covers it: open Settings, Backup, and add your pattern.",
        {},
    ),
    (L.username_domain, f"Visit {DOCS}/shop now", {"username": "bestwidgets"}),
    (C.phone_numbers, "My order number is 4001 2345 6789, charged twice", {}),
    (C.phone_numbers, "Windows build 10.0.19045.3803 and IP 192.168.100.200", {}),
    (C.phone_numbers, "Error 0x80070005 at 2024-01-15 10:32:11", {}),
    (C.phone_numbers, "Invoice INV-2024-003187, ticket 2024-01-15-0042", {}),
    (C.contacts, "I emailed noreply@example.com about it", {}),
    (C.contacts, "the signal strength drops at the office", {}),
    (T.repeated_characters, "----- separator ===== and **bold**", {}),
    (T.repeated_words, "I had had a problem, that that was all", {}),
    (T.foreign_script, "Hallo, die Synchronisation bleibt hängen. Merci, ça marche très bien!", {}),
    (T.foreign_script, "My colleague saw 認証 in the error dialog but it is fine now, really", {}),
    (P.spam_phrases, "I called support and waited for an hour; the memory slot was fine", {}),
    (P.spam_phrases, "We're a loan office; how long are documents kept?", {}),
]


@pytest.mark.parametrize(("check", "body", "rule", "kw"), CASES)
def test_heuristic_fires(app, check, body, rule, kw):
    assert rule in run(check, body, **kw)


@pytest.mark.parametrize(("check", "body", "kw"), NEGATIVES)
def test_heuristic_stays_quiet(app, check, body, kw):
    assert run(check, body, **kw) == []


def test_allowed_domain_links_never_count(app, admin):
    from forum.spam import services

    services.add_rule(admin, "allowed_domain", "https://www.docs.example.com/")
    assert run(links.link_count, f"See {DOCS}/x and {DOCS}/y") == []


def test_duplicate_of_own_recent_post(app, customer, category):
    body = "My sync client stops at ninety nine percent every single time I upload the big folder"
    factories.make_thread(customer, category, "First copy", body)
    found = run(history.duplicates, body.replace("big", "large"), author_id=customer.id)
    assert found == ["history.duplicate_own"]


def test_duplicate_of_other_accounts(app, customer, other_customer, category):
    body = "Amazing deal for everyone reading this forum today, really the best price you can find"
    factories.make_thread(customer, category, "A deal", body)
    assert run(history.duplicates, body, author_id=other_customer.id) == ["history.duplicate_other"]


def test_unrelated_or_short_text_is_no_duplicate(app, customer, other_customer, category):
    thanks = "Thanks, that worked for me as well!"
    factories.make_thread(customer, category, "One", thanks)
    assert run(history.duplicates, thanks, author_id=other_customer.id) == []
    other = "My Android phone only uploads photos when the app is open on screen, why is that so"
    assert run(history.duplicates, other, author_id=other_customer.id) == []


def test_velocity_counts_the_authors_recent_posts(app, customer, thread):
    for n in range(4):
        factories.make_reply(customer, thread, f"Update number {n} on the same problem.")
    assert run(history.velocity, "And another one", author_id=customer.id) == ["history.velocity"]
    assert run(history.velocity, "And another one", author_id=customer.id + 999) == []


def test_velocity_on_a_busy_forum_counts_a_flood_up_to_a_bound(
    app, monkeypatch, customer, other_customer, thread
):
    """When the latest posts don't reach back over the velocity window (a busy forum), the
    author's own posts are counted in the database, up to VELOCITY_COUNT_MAX."""
    from forum.extensions import db
    from forum.threads.models import Post

    monkeypatch.setattr(history, "VELOCITY_COUNT_MAX", 6)
    author_posts = [Post(thread=thread, author=customer, body="x", html="x") for _ in range(9)]
    others = [Post(thread=thread, author=other_customer, body="y", html="y") for _ in range(300)]
    db.session.add_all(author_posts + others)  # 9 more by the author, then 300 by another
    db.session.commit()
    author = Author("alice", 9, 1.0, "customer", customer.id)
    context = Context(Sample("", "And another one", False, None), author, "new", load_policy())
    [reason] = history.velocity(context)
    assert reason.evidence == "over 6 posts in 10 minutes"
    monkeypatch.setattr(history, "VELOCITY_COUNT_MAX", 100)
    context = Context(Sample("", "And another one", False, None), author, "new", load_policy())
    [reason] = history.velocity(context)
    assert reason.evidence == "11 posts in 10 minutes"  # the 9, the question, this one
