"""One-click unsubscribe: a signed link, a confirmation page, and RFC 8058's POST."""

from forum.extensions import db
from forum.mail.models import MailMessage
from forum.mail.unsubscribe import token_for
from tests import factories
from tests.mail.conftest import deliver
from tests.pages import text


def test_the_link_asks_first_and_the_button_unsubscribes(client, customer):
    url = f"/mail/unsubscribe/{token_for(customer)}"
    page = text(client.get(url))
    assert "Stop notification email?" in page and "carol" in page
    db.session.refresh(customer)
    assert customer.email_notifications == "immediately", "opening the link changes nothing"
    page = text(client.post(url))
    assert "Notification email stopped" in page
    db.session.refresh(customer)
    assert customer.email_notifications == "never"
    assert "already gets no notification email" in text(client.get(url))


def test_a_mail_clients_one_click_post_needs_no_session_and_no_csrf_token(
    app, client, customer, other_customer, thread, inbox
):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production
    factories.make_reply(other_customer, thread, "Hello.")
    deliver()
    [message] = inbox.messages
    url = message["List-Unsubscribe"].strip("<>").removeprefix("http://forum.test")
    response = client.post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    db.session.refresh(customer)
    assert customer.email_notifications == "never"
    factories.make_reply(other_customer, thread, "Anyone?")
    deliver()
    assert len(inbox.messages) == 1
    assert db.session.scalar(db.select(db.func.count(MailMessage.id))) == 1
    # Forms that do need a token still refuse a request without one.
    assert client.post("/auth/login", data={"username": "carol"}).status_code == 400


def test_a_forged_or_damaged_token_is_a_404(client, customer):
    token = token_for(customer)
    for bad in (token[:-2] + "xx", "not-a-token", "eyJ1IjoiMSJ9.abc"):
        assert client.get(f"/mail/unsubscribe/{bad}").status_code == 404
        assert client.post(f"/mail/unsubscribe/{bad}").status_code == 404
    db.session.refresh(customer)
    assert customer.email_notifications == "immediately"


def test_a_token_is_for_one_account(client, customer, other_customer):
    client.post(f"/mail/unsubscribe/{token_for(other_customer)}")
    db.session.refresh(customer)
    db.session.refresh(other_customer)
    assert (customer.email_notifications, other_customer.email_notifications) == (
        "immediately",
        "never",
    )
