"""The unanswered queue and the service-quality dashboard, on threads with known timestamps."""

import re
from datetime import timedelta

import pytest

from forum.clock import utcnow
from forum.extensions import db
from forum.kb import feedback
from forum.kb import services as kb
from forum.moderation import services as moderation
from forum.search.models import Deflection, SearchLog, today
from forum.staff import metrics
from forum.threads import services
from forum.threads.models import Thread
from tests import factories
from tests.pages import text

H = timedelta(hours=1)
D = timedelta(days=1)


def ask(author, category, title, age):
    return services.create_thread(author, category, title, "Details.", at=utcnow() - age)


def answer(author, thread, after):
    return services.reply(author, thread, "An answer.", at=thread.created_at + after)


@pytest.fixture
def forum(customer, staff, moderator, category):
    """Eight threads (T1–T8) asked at known ages, answered at known delays."""
    helper = factories.make_trusted_user("helen")
    other = factories.make_category("Billing", "billing")
    t1 = ask(customer, category, "T1 sync stops", 10 * D)
    answer(helper, t1, 2 * H)
    services.accept_answer(staff, answer(staff, t1, 5 * H))
    t2 = ask(customer, category, "T2 restore", 5 * D)
    services.accept_answer(staff, answer(staff, t2, 30 * timedelta(minutes=1)))
    t3 = ask(customer, category, "T3 slow upload", 3 * D + H)
    answer(helper, t3, 30 * H)
    ask(customer, other, "T4 invoice", 2 * D)
    ask(customer, category, "T5 login loop", 2 * H)
    t6 = ask(customer, category, "T6 old question", 40 * D)
    answer(staff, t6, H)
    ask(customer, category, "T7 forgotten", 9 * D)
    ask(customer, category, "T8 share link", 4 * D)
    spam_decisions(moderator, t6)
    return {"t6": t6, "other": other}


def spam_decisions(moderator, thread):
    """Four held posts: two removed as spam, one approved (a false positive), one waiting."""
    held = [
        factories.make_held_reply(factories.make_user("customer", f"newbie{n}"), thread)
        for n in range(4)
    ]
    moderation.remove(moderator, held[0], spam=True)
    moderation.remove(moderator, held[1], spam=True)
    moderation.approve(moderator, held[2])


@pytest.fixture
def self_service(staff, category):
    db.session.add_all(
        [
            Deflection(day=today(), kind="answered", count=3),
            Deflection(day=today() - timedelta(days=10), kind="suggestion_opened", count=5),
            Deflection(day=today() - timedelta(days=40), kind="answered", count=7),
            SearchLog(key="a", query="sync linux", result_count=0),
            SearchLog(key="b", query="sync linux", result_count=0),
            SearchLog(key="c", query="restore", result_count=4),
            SearchLog(key="d", query="fax", result_count=0),
        ]
    )
    db.session.commit()
    good = kb.set_status(
        staff, kb.create(staff, "Good article", "", "Text.", category), "published"
    )
    poor = kb.set_status(
        staff, kb.create(staff, "Poor article", "", "Text.", category), "published"
    )
    for reader, article, helpful in [
        ("r1", good, True),
        ("r2", good, True),
        ("r3", good, False),
        ("r1", poor, False),
    ]:
        feedback.vote(article, reader, helpful)
    return good, poor


def test_percentile_interpolates_between_closest_ranks():
    assert metrics.percentile([], 0.5) is None
    assert metrics.percentile([7], 0.9) == 7
    assert metrics.percentile([1800, 7200, 108000], 0.5) == 7200
    assert metrics.percentile([1800, 7200, 108000], 0.9) == pytest.approx(87840)
    assert metrics.percentile([4, 1, 3, 2], 0.5) == 2.5


def test_figures_over_thirty_days(forum, self_service):
    f = metrics.figures(30)
    assert f.asked == 7  # T1–T5, T7, T8; T6 is older
    assert sorted(f.any_reply.times) == [1800, 7200, 108000]
    assert f.any_reply.median == 7200
    assert f.any_reply.p90 == pytest.approx(87840)
    assert (f.staff_reply.median, f.staff_reply.p90) == (9900, pytest.approx(16380))
    # T5 is younger than a day; of the other six, T1 and T2 had a reply within 24 h.
    assert (f.any_reply.within_day, f.any_reply.day_old) == (2, 6)
    assert (f.staff_reply.within_day, f.staff_reply.day_old) == (2, 6)
    assert (f.solved, f.solved_rate) == (2, pytest.approx(2 / 7))
    assert f.distribution == [
        ("Under 1 hour", 1),
        ("1–4 hours", 1),
        ("4–24 hours", 0),
        ("1–3 days", 1),
        ("Over 3 days", 0),
    ]
    assert f.unanswered == [
        ("Under 24 hours", 1),
        ("1–3 days", 1),
        ("3–7 days", 2),
        ("Over 7 days", 1),
    ]
    assert f.deflections == {"suggestion_opened": 5, "answered": 3}
    assert [(row[0], row[1]) for row in f.zero_searches] == [("sync linux", 2), ("fax", 1)]
    assert [(a.title, yes, no) for a, yes, no in f.helpfulness] == [
        ("Good article", 2, 1),
        ("Poor article", 0, 1),
    ]
    assert f.spam == {
        "removed": 2,
        "false_positives": 1,
        "decided": 3,
        "waiting": 1,
        "false_positive_rate": pytest.approx(1 / 3),
    }


def test_figures_over_seven_days(forum):
    f = metrics.figures(7)
    assert f.asked == 5  # T2, T3, T4, T5, T8
    assert f.any_reply.median == (1800 + 108000) / 2
    assert f.solved == 1


def test_dashboard_page_shows_figures_with_charts_and_tables(client, auth, staff, forum):
    auth.login(staff)
    page = text(client.get("/staff/dashboard?days=30"))
    assert '<td data-seconds="7200.0">2 h</td>' in page
    assert "33.3% (2 of 6)" in page and "28.6% (2 of 7)" in page
    assert page.count('<svg class="chart"') == 2
    assert '<title id="chart-unanswered-title">Unanswered threads by age</title>' in page
    assert "<title>3–7 days: 2</title>" in page
    assert "33.3%" in page.split('id="spam-table"', 1)[1]
    assert "<script" not in page.split("<main", 1)[1]


def test_unknown_period_falls_back_to_thirty_days(client, auth, staff):
    auth.login(staff)
    page = text(client.get("/staff/dashboard?days=365"))
    assert 'aria-current="page">Last 30 days' in page


def test_unanswered_queue_lists_oldest_first_with_a_clock(client, auth, moderator, forum):
    auth.login(moderator)
    page = text(client.get("/staff/unanswered"))
    titles = ["T7 forgotten", "T8 share link", "T3 slow upload", "T4 invoice", "T5 login loop"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "T1 sync stops" not in page and "T6 old question" not in page
    assert "9 d" in page and "first community reply after 1 d 6 h" in page
    billing = text(client.get("/staff/unanswered?category=billing"))
    assert "T4 invoice" in billing and "T7 forgotten" not in billing
    assert client.get("/staff/unanswered?category=nope").status_code == 404


@pytest.fixture
def team_threads(customer, moderator, staff, admin, category):
    """What the team started, unanswered (a moderator's pinned welcome among them), and a
    customer's question that a moderator pinned."""
    welcome = ask(moderator, category, "Welcome! Read before posting", 20 * D)
    services.set_flag(moderator, welcome, "pinned", True)
    ask(staff, category, "Maintenance on Sunday", 2 * D)
    ask(admin, category, "New categories", 5 * H)
    question = ask(customer, category, "Sync fails for everyone?", 2 * D)
    services.set_flag(moderator, question, "pinned", True)


def test_threads_the_team_started_wait_in_no_queue_and_count_as_no_question(
    client, auth, staff, team_threads
):
    auth.login(staff)
    page = text(client.get("/staff/unanswered"))
    assert "1 waiting" in page and "Sync fails for everyone?" in page
    for title in ("Welcome! Read before posting", "Maintenance on Sunday", "New categories"):
        assert title not in page
    dashboard = text(client.get("/staff/dashboard?days=30"))
    assert '<th scope="row">Questions asked</th><td>1</td><td>1</td>' in dashboard
    assert "0.0% (0 of 1)" in dashboard  # answered within 24 h, and solved
    dashboard = dashboard.split('id="unanswered-table"', 1)[1]
    counts = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', dashboard)[:4]
    assert dict(counts) == {
        "Under 24 hours": "0",
        "1–3 days": "1",
        "3–7 days": "0",
        "Over 7 days": "0",
    }
    # Unanswered as the queue counted before: visible, no staff reply, no accepted answer.
    threads = db.session.scalars(db.select(Thread).order_by(Thread.id)).all()
    assert [(t.status, t.first_staff_reply_at, t.accepted_post_id) for t in threads] == [
        ("visible", None, None)
    ] * 4
    assert [t.pinned for t in threads] == [True, False, False, True]
