"""Admin screens for webhooks: register, change, rotate the secret, test, delete, and the
deliveries with their outcome (redeliver a failed one)."""

import json

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from forum.admin.views import bp
from forum.extensions import db
from forum.forms import ConfirmForm, add_error, csrf_checked_by_form
from forum.webhooks import delivery, services
from forum.webhooks.forms import WebhookForm
from forum.webhooks.models import Webhook, WebhookDelivery


def get_webhook_or_404(id):
    return db.session.get(Webhook, id) or abort(404)


def secret_page(template, status=200, **context):
    """A page that shows a secret once: never cached."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/webhooks", methods=("GET", "POST"))
@csrf_checked_by_form
def webhook_list():
    """Every webhook with its latest delivery; the form registers a new one and shows its
    secret on this one response."""
    form = WebhookForm()
    new = None
    if form.validate_on_submit():
        try:
            new = services.create(
                current_user, form.url.data, form.description.data, form.events.data
            )
        except services.WebhookError as error:
            add_error(form, error.field, str(error))
        else:
            form = WebhookForm(formdata=None)
    status = 400 if form.is_submitted() and new is None else 200
    return secret_page("admin/webhooks.html", status, form=form, hooks=services.listing(), new=new)


@bp.route("/webhooks/<int:id>", methods=("GET", "POST"))
@csrf_checked_by_form
def webhook_detail(id):
    """The webhook's settings and its recent deliveries."""
    webhook = get_webhook_or_404(id)
    form = WebhookForm(obj=webhook)
    if form.validate_on_submit():
        try:
            services.update(
                current_user,
                webhook,
                form.url.data,
                form.description.data,
                form.events.data,
                form.enabled.data,
            )
        except services.WebhookError as error:
            db.session.rollback()
            add_error(form, error.field, str(error))
        else:
            flash("Webhook saved.", "success")
            return redirect(url_for("admin.webhook_detail", id=webhook.id))
    return render_template(
        "admin/webhook_detail.html",
        form=form,
        webhook=webhook,
        deliveries=services.recent_deliveries(webhook),
        counts=services.counts(webhook),
        confirm=ConfirmForm(),
    ), 400 if form.is_submitted() else 200


@bp.route("/webhooks/<int:id>/secret", methods=("GET", "POST"))
def webhook_secret(id):
    """Confirm, then rotate the secret and show the new one once."""
    webhook = get_webhook_or_404(id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("admin/webhook_secret.html", form=form, webhook=webhook)
    secret = services.rotate_secret(current_user, webhook)
    return secret_page("admin/webhook_secret.html", webhook=webhook, secret=secret)


@bp.route("/webhooks/<int:id>/delete", methods=("GET", "POST"))
def webhook_delete(id):
    """Confirm, then delete the webhook and its deliveries."""
    webhook = get_webhook_or_404(id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("admin/webhook_delete.html", form=form, webhook=webhook)
    services.delete(current_user, webhook)
    flash(f"Webhook to {webhook.url} deleted.", "success")
    return redirect(url_for("admin.webhook_list"))


@bp.route("/webhooks/<int:id>/test", methods=("POST",))
def webhook_test(id):
    """Send a ``ping`` now and say how it went."""
    webhook = get_webhook_or_404(id)
    if ConfirmForm().validate_on_submit():
        flash_outcome(services.send_test(current_user, webhook), "Test delivery")
    return redirect(url_for("admin.webhook_detail", id=webhook.id))


@bp.route("/webhooks/deliveries/<int:id>")
def webhook_delivery(id):
    """One delivery: its outcome and the exact body that was (or will be) sent."""
    item = db.session.get(WebhookDelivery, id) or abort(404)
    body = json.dumps(json.loads(delivery.body_of(item)), indent=2, ensure_ascii=False)
    return render_template(
        "admin/webhook_delivery.html",
        item=item,
        webhook=item.webhook,
        body=body,
        confirm=ConfirmForm(),
    )


@bp.route("/webhooks/deliveries/<int:id>/redeliver", methods=("POST",))
def webhook_redeliver(id):
    """Send a failed delivery again now."""
    item = db.session.get(WebhookDelivery, id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            flash_outcome(services.redeliver(current_user, item), "Redelivery")
        except services.WebhookError as error:
            flash(str(error), "error")
    return redirect(url_for("admin.webhook_delivery", id=item.id))


def flash_outcome(item, what):
    if item.status == "delivered":
        flash(f"{what} #{item.id} delivered: HTTP {item.last_status_code}.", "success")
    else:
        flash(f"{what} #{item.id} failed: {item.last_error}", "error")
