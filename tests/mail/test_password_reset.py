"""The password reset mail through a real SMTP server, and the link it carries."""

import re

from forum.extensions import db
from forum.mail.models import MailMessage
from tests.auth.test_views import signed_in_as
from tests.mail.conftest import bodies, deliver
from tests.pages import text

NEW_PASSWORD = "seven quiet lanterns"


def test_a_forgotten_password_is_mailed_a_link_that_sets_a_new_one_once(client, customer, inbox):
    response = client.post("/auth/forgot", data={"username": "carol@example.com"})
    assert "Check your email" in text(response)
    assert deliver() == 1
    [envelope], [message] = inbox.envelopes, inbox.messages
    assert envelope.rcpt_tos == ["carol@example.com"]
    assert message["Subject"] == "Reset your password on Community forum"
    assert message["From"] == "Community forum <community@forum.test>"
    assert message["List-Unsubscribe"] is None
    plain, html = bodies(message)
    link = re.search(r"http://forum\.test/auth/reset/\S+", plain).group(0)
    assert f'href="{link}"' in html
    assert "open this link within 60 minutes" in plain and "The link works once." in plain
    path = link.removeprefix("http://forum.test")
    form = client.get(path)
    assert form.status_code == 200
    assert "This link is for the account <strong>carol</strong>." in text(form)
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert signed_in_as(client) == "carol"
    db.session.refresh(customer)
    assert customer.check_password(NEW_PASSWORD)
    assert client.get(path).status_code == 400, "the link works once"


def test_nobody_is_mailed_for_a_name_no_account_has(client, customer, inbox):
    client.post("/auth/forgot", data={"username": "someone-else@example.com"})
    assert deliver() == 0
    assert inbox.messages == []
    assert db.session.scalar(db.select(db.func.count(MailMessage.id))) == 0


def test_without_site_url_the_link_is_not_mailed(app, client, customer, inbox):
    app.config["SITE_URL"] = ""  # the worker would not know which host the link names
    client.post("/auth/forgot", data={"username": "carol"})
    assert deliver() == 0
    assert inbox.messages == []
