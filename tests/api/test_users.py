from tests import factories
from tests.api.conftest import bearer, question_of, set_status


def test_me_needs_a_token(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_me_includes_own_email(client, customer):
    response = client.get("/api/v1/me", headers=bearer(customer))
    assert response.json["email"] == "carol@example.com"
    assert response.json["role"] == "customer"


def test_public_profile_never_shows_the_email(client, customer, thread, other_customer):
    factories.make_reply(customer, thread)
    hidden = factories.make_reply(customer, thread)
    set_status(hidden, "hidden")
    response = client.get("/api/v1/users/CAROL", headers=bearer(other_customer))
    assert response.status_code == 200
    assert response.json["username"] == "carol"
    assert response.json["post_count"] == 2  # the question and the visible reply
    assert "email" not in response.json
    assert "carol@example.com" not in response.get_data(as_text=True)


def test_unknown_user_is_404(client):
    response = client.get("/api/v1/users/nobody")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_categories_in_order_with_visible_thread_counts(client, customer, category):
    other = factories.make_category("Billing", "billing")
    factories.make_thread(customer, category)
    hidden = factories.make_thread(customer, category)
    set_status(question_of(hidden), "hidden")
    response = client.get("/api/v1/categories")
    assert [(c["slug"], c["thread_count"]) for c in response.json["items"]] == [
        (category.slug, 1),
        (other.slug, 0),
    ]
