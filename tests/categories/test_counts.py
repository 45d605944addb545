"""Each category's number of visible threads, kept by the database's triggers on threads
(forum/categories/counts.py), as the home page, the category page and the API show it."""

from forum.categories.models import Category
from forum.clock import utcnow
from forum.extensions import db
from forum.moderation import accounts
from forum.moderation import services as moderation
from forum.threads import services as threads
from forum.threads.models import Thread
from tests import factories
from tests.pages import text


def stored(category):
    return db.session.scalar(db.select(Category.visible_threads).where(Category.id == category.id))


def test_counts_follow_every_change_of_a_threads_visibility(
    client, customer, other_customer, moderator, category
):
    other = factories.make_category("Billing", "billing")
    first = factories.make_thread(customer, category)
    second = factories.make_thread(customer, category)
    factories.make_reply(other_customer, first)  # replies change nothing
    assert (stored(category), stored(other)) == (2, 0)

    threads.move_thread(moderator, second, other)
    assert (stored(category), stored(other)) == (1, 1)
    threads.delete_post(moderator, first.question)
    assert (stored(category), stored(other)) == (0, 1)
    threads.delete_post(customer, second.question)
    assert (stored(category), stored(other)) == (0, 0)

    page = text(client.get("/"))
    assert "0 threads" in page and "1 thread" not in page


def test_a_held_question_counts_once_approved(client, category, moderator):
    newcomer = factories.make_user()
    thread = threads.create_thread(newcomer, category, "Cheap deals today", factories.LINKY_BODY)
    assert thread.status == "held"
    assert stored(category) == 0
    moderation.approve(moderator, thread.question)
    assert stored(category) == 1
    response = client.get("/api/v1/categories")
    assert [c["thread_count"] for c in response.get_json()["items"]] == [1]


def test_purging_a_spammer_uncounts_their_threads(category, customer, admin):
    spammer = factories.make_user()
    factories.make_thread(spammer, category)
    factories.make_thread(spammer, category)
    factories.make_thread(customer, category)
    assert stored(category) == 3
    accounts.ban(admin, spammer, purge=True, spam=True)
    assert stored(category) == 1
    assert stored(category) == db.session.scalar(
        db.select(db.func.count(Thread.id)).where(
            Thread.category_id == category.id, Thread.status == "visible"
        )
    )


def test_the_category_page_paginates_by_the_stored_count(app, client, customer, category):
    app.config["THREADS_PER_PAGE"] = 2
    for _ in range(3):
        factories.make_thread(customer, category)
    assert client.get(f"/c/{category.slug}?page=2").status_code == 200
    assert client.get(f"/c/{category.slug}?page=3").status_code == 404


def test_recount_repairs_numbers_changed_behind_the_triggers(runner, customer, category):
    factories.make_thread(customer, category)
    db.session.execute(db.update(Category).values(visible_threads=7))
    db.session.commit()
    result = runner.invoke(args=["categories", "recount"])
    assert result.exit_code == 0, result.output
    assert f"{category.slug}: 7 -> 1" in result.output
    assert stored(category) == 1
    assert "All counts were right." in runner.invoke(args=["categories", "recount"]).output


def test_bulk_statements_keep_the_counts_exact(customer, category):
    """Imports and bench/seed.py write threads many rows per statement; so does SQL by hand."""
    other = factories.make_category("Billing", "billing")
    now = utcnow()
    rows = [
        {"category_id": (category.id, other.id)[n % 2], "author_id": customer.id,
         "title": f"Bulk {n}", "slug": f"bulk-{n}", "status": ("visible", "held")[n % 3 == 0],
         "created_at": now, "last_activity_at": now}
        for n in range(300)
    ]  # fmt: skip
    db.session.execute(db.insert(Thread), rows)
    db.session.execute(
        db.update(Thread)
        .where(Thread.title.in_(["Bulk 3", "Bulk 4", "Bulk 5"]))
        .values(status="visible", category_id=other.id)
    )
    db.session.execute(db.delete(Thread).where(Thread.title.in_(["Bulk 6", "Bulk 7", "Bulk 8"])))
    db.session.commit()

    def counted(c):
        return db.session.scalar(
            db.select(db.func.count(Thread.id)).where(
                Thread.category_id == c.id, Thread.status == "visible"
            )
        )

    assert (stored(category), stored(other)) == (counted(category), counted(other))
    assert stored(category) + stored(other) == 200 + 1 - 2  # 3 held made visible, 2 visible deleted
