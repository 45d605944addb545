import pytest

from forum.categories.models import Category
from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.users.models import User
from tests import factories
from tests.pages import text


@pytest.fixture
def signed_in(auth, admin):
    auth.login(admin)
    return admin


def categories():
    return [
        (c.name, c.slug, c.position)
        for c in db.session.scalars(db.select(Category).order_by(Category.position))
    ]


def actions():
    return [a.action for a in db.session.scalars(db.select(ModerationAction))]


def test_admin_home_leads_to_categories(client, signed_in):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/categories"


def test_create_category_shows_it_on_the_home_page(client, signed_in):
    response = client.post(
        "/admin/categories",
        data={"name": "Billing  &  plans", "slug": "", "description": "Invoices and refunds."},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/categories"
    assert categories() == [("Billing & plans", "billing-plans", 1)]
    assert "Category “Billing & plans” created." in text(client.get("/admin/categories"))
    page = text(client.get("/"))
    assert 'href="/c/billing-plans" class="category-name">Billing & plans</a>' in page
    assert "Invoices and refunds." in page
    assert actions() == ["create_category"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Give the category a name."),
        ({"name": "B"}, "Name must be 2 to 60 characters long."),
        ({"name": "N" * 61}, "Field cannot be longer than 60 characters."),
        ({"slug": "Not A Slug"}, "Slug may contain only lowercase letters, digits and dashes."),
        ({"slug": "sync-backup"}, "Another category already uses that slug."),
        ({"name": "sync & BACKUP", "slug": "other"}, "Another category already has that name."),
        ({"description": "d" * 301}, "Field cannot be longer than 300 characters."),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_create_category_refuses_bad_input_and_keeps_the_text(
    client, signed_in, category, fields, message
):
    data = {"name": "Billing", "slug": "billing", "description": "Invoices."}
    data.update(fields)
    response = client.post("/admin/categories", data=data)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    if "name" not in fields:
        assert 'value="Billing"' in page
    assert categories() == [("Sync & backup", "sync-backup", 1)]


def test_rename_category(client, signed_in, category):
    form = text(client.get(f"/admin/categories/{category.id}/edit"))
    assert 'value="Sync & backup"' in form
    response = client.post(
        f"/admin/categories/{category.id}/edit",
        data={"name": "Sync", "slug": "sync", "description": "Desktop and mobile sync."},
    )
    assert response.status_code == 302
    assert categories() == [("Sync", "sync", 1)]
    assert client.get("/c/sync").status_code == 200
    assert client.get("/c/sync-backup").status_code == 404


def test_rename_to_a_taken_slug_is_refused_and_changes_nothing(client, signed_in, category):
    factories.make_category("Billing", "billing")
    response = client.post(
        f"/admin/categories/{category.id}/edit", data={"name": "Renamed", "slug": "billing"}
    )
    page = text(response)
    assert response.status_code == 400
    assert "Another category already uses that slug." in page
    assert 'value="Renamed"' in page
    assert categories() == [("Sync & backup", "sync-backup", 1), ("Billing", "billing", 2)]


def test_reorder_categories(client, signed_in, category):
    factories.make_category("Billing", "billing")
    factories.make_category("Accounts", "accounts")
    response = client.post(f"/admin/categories/{category.id}/down")
    assert response.status_code == 302
    assert [c[1] for c in categories()] == ["billing", "sync-backup", "accounts"]
    accounts = db.session.scalar(db.select(Category).filter_by(slug="accounts"))
    client.post(f"/admin/categories/{accounts.id}/up")
    assert [c[1] for c in categories()] == ["billing", "accounts", "sync-backup"]
    page = text(client.get("/"))
    assert page.index(">Billing<") < page.index(">Accounts<") < page.index(">Sync & backup<")


def test_moving_the_first_category_up_changes_nothing(client, signed_in, category):
    factories.make_category("Billing", "billing")
    assert client.post(f"/admin/categories/{category.id}/up").status_code == 302
    assert [c[1] for c in categories()] == ["sync-backup", "billing"]


def test_delete_empty_category_after_confirming(client, signed_in):
    empty = factories.make_category("Old stuff", "old-stuff")
    confirm = text(client.get(f"/admin/categories/{empty.id}/delete"))
    assert "The category is empty." in confirm
    assert categories() == [("Old stuff", "old-stuff", 1)]
    response = client.post(f"/admin/categories/{empty.id}/delete")
    assert response.status_code == 302
    assert categories() == []
    assert "Category “Old stuff” deleted." in text(client.get(response.headers["Location"]))
    assert client.get("/c/old-stuff").status_code == 404


def test_deleting_a_category_with_threads_asks_where_they_go(client, signed_in, thread):
    category = thread.category
    factories.make_category("Billing", "billing")
    confirm = text(client.get(f"/admin/categories/{category.id}/delete"))
    assert "This category holds 1 thread" in confirm
    assert "Move threads and delete category</button>" in confirm
    assert '<option value="billing">Billing</option>' in confirm
    assert 'value="sync-backup"' not in confirm
    response = client.post(f"/admin/categories/{category.id}/delete", data={"move_to": ""})
    assert response.status_code == 400
    assert "Please choose a category." in text(response)
    response = client.post(f"/admin/categories/{category.id}/delete", data={"move_to": "nope"})
    assert response.status_code == 400
    assert [c[1] for c in categories()] == ["sync-backup", "billing"]
    assert "delete_category" not in actions()


def test_the_only_category_cannot_be_deleted_while_it_holds_threads(client, signed_in, thread):
    category = thread.category
    confirm = text(client.get(f"/admin/categories/{category.id}/delete"))
    assert "it is the only category: create another one" in confirm
    assert "</button>" not in confirm.split("<main")[-1].split("</main>")[0]
    response = client.post(f"/admin/categories/{category.id}/delete", data={"move_to": "x"})
    assert response.status_code == 400
    assert categories() == [("Sync & backup", "sync-backup", 1)]


def test_deleting_a_category_moves_every_thread_and_article(client, signed_in, thread, customer):
    from forum.kb import services as kb
    from forum.threads import services
    from forum.threads.models import Post, Thread

    old = thread.category
    gone = factories.make_thread(customer, old, title="A thread its author deleted later")
    services.delete_post(customer, db.session.scalar(db.select(Post).filter_by(thread_id=gone.id)))
    article = kb.create(signed_in, "Restoring files", "How", "Open the dashboard.", old, True)
    billing = factories.make_category("Billing", "billing")
    page = text(client.get("/admin/categories"))
    assert "(+1 hidden or deleted)" in page
    response = client.post(f"/admin/categories/{old.id}/delete", data={"move_to": "billing"})
    assert response.status_code == 302
    assert "Its threads are now in “Billing”." in text(client.get(response.headers["Location"]))
    assert categories() == [("Billing", "billing", 2)]
    threads = db.session.scalars(db.select(Thread.category_id)).all()
    assert threads == [billing.id, billing.id]
    db.session.refresh(article)
    assert article.category_id == billing.id
    db.session.refresh(billing)
    assert billing.visible_threads == 1
    assert thread.title in text(client.get("/c/billing"))
    assert actions()[-2:] == ["move_category_threads", "delete_category"]


def test_category_names_are_unique_whatever_the_case(client, signed_in, category):
    other = factories.make_category("Billing", "billing")
    response = client.post(
        f"/admin/categories/{other.id}/edit", data={"name": "SYNC & BACKUP", "slug": "billing"}
    )
    assert response.status_code == 400
    assert "Another category already has that name." in text(response)
    response = client.post(
        f"/admin/categories/{other.id}/edit", data={"name": "billing", "slug": "billing"}
    )
    assert response.status_code == 302  # its own name, in another case, is fine


def test_unknown_category_id_is_a_404(client, signed_in):
    assert client.get("/admin/categories/999/edit").status_code == 404
    assert client.post("/admin/categories/999/delete").status_code == 404


def test_user_list_shows_users_and_finds_by_name(client, signed_in, customer, other_customer):
    page = text(client.get("/admin/users"))
    assert "carol" in page and "oscar" in page
    assert "carol@example.com" in page  # the one place the email is shown: to admins
    found = text(client.get("/admin/users?q=CARO"))
    assert 'href="/u/carol"' in found and 'href="/u/oscar"' not in found


def test_change_a_users_role(client, signed_in, customer):
    response = client.post(f"/admin/users/{customer.id}/role?q=car", data={"role": "staff"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?q=car"
    db.session.refresh(customer)
    assert customer.role == "staff"
    assert "carol is now staff." in text(client.get(response.headers["Location"]))
    entry = db.session.scalar(db.select(ModerationAction).filter_by(action="set_role"))
    assert (entry.before, entry.after, entry.target_id) == (
        {"role": "customer"},
        {"role": "staff"},
        customer.id,
    )


def test_unknown_role_is_refused(client, signed_in, customer):
    response = client.post(f"/admin/users/{customer.id}/role", data={"role": "overlord"})
    assert response.status_code == 302
    assert "Choose one of the listed roles." in text(client.get(response.headers["Location"]))
    db.session.refresh(customer)
    assert customer.role == "customer"


def test_admin_cannot_remove_their_own_admin_role(client, signed_in):
    response = client.post(f"/admin/users/{signed_in.id}/role", data={"role": "customer"})
    assert "You cannot remove your own admin role." in text(
        client.get(response.headers["Location"])
    )
    assert db.session.get(User, signed_in.id).role == "admin"


def test_role_change_for_unknown_user_is_a_404(client, signed_in):
    assert client.post("/admin/users/999/role", data={"role": "staff"}).status_code == 404


def test_new_role_takes_effect_at_once(client, signed_in, customer, thread, app):
    client.post(f"/admin/users/{customer.id}/role", data={"role": "moderator"})
    customer_client = app.test_client()
    customer_client.post("/auth/login", data={"username": "carol", "password": factories.PASSWORD})
    assert customer_client.get(f"/threads/{thread.id}/move").status_code == 200


def test_two_admins_taking_the_same_slug_at_once_get_a_message_not_an_error(
    client, signed_in, category, monkeypatch
):
    # The second admin's check ran before the first admin's insert committed: only the
    # database's unique index sees the clash.
    from forum.categories import services

    monkeypatch.setattr(services, "get_by_slug", lambda slug: None)
    response = client.post("/admin/categories", data={"name": "Again", "slug": "sync-backup"})
    assert response.status_code == 400
    assert "Another category already uses that slug." in text(response)
    assert 'value="Again"' in text(response)
    assert categories() == [("Sync & backup", "sync-backup", 1)]


def test_an_admin_gets_a_one_time_reset_link_for_a_customer_without_mail(
    app, client, signed_in, customer
):
    page = text(client.get("/admin/users"))
    assert f'action="/admin/users/{customer.id}/reset-link?q="' in page
    response = client.post(f"/admin/users/{customer.id}/reset-link?q=car")
    page = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>Password reset link for carol</h1>" in page
    link = page.split('<code id="reset-link">', 1)[1].split("</code>", 1)[0]
    assert link.startswith("http://forum.test/auth/reset/")
    assert "It works once, for 60 minutes" in page
    entry = db.session.scalar(db.select(ModerationAction))
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
        "reset_link",
        signed_in.id,
        "user",
        customer.id,
    )
    assert link.rsplit("/", 1)[1] not in repr((entry.reason, entry.before, entry.after))
    # The customer opens it in their own browser and chooses a password.
    browser = app.test_client()
    path = link.removeprefix("http://forum.test")
    assert "This link is for the account <strong>carol</strong>." in text(browser.get(path))
    new = "a password from the help desk call"
    assert browser.post(path, data={"password": new, "confirm": new}).status_code == 302
    db.session.refresh(customer)
    assert customer.check_password(new)
    assert browser.get(path).status_code == 400, "the link works once"


def test_no_reset_link_for_a_suspended_account(client, signed_in, customer):
    customer.is_banned = True
    db.session.commit()
    assert f"/admin/users/{customer.id}/reset-link" not in text(client.get("/admin/users"))
    response = client.post(f"/admin/users/{customer.id}/reset-link?q=car")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users?q=car"
    page = text(client.get(response.headers["Location"]))
    assert "carol's account is suspended; a reset link would not work." in page
    assert actions() == []


def test_reset_link_for_unknown_user_is_a_404(client, signed_in):
    assert client.post("/admin/users/999/reset-link").status_code == 404
