"""Notification email: one message per new notification for those who want mail at once,
one digest a day for those who chose it. Messages go to the mail queue (forum/mail); the
sender job delivers them."""

from forum import markup
from forum.extensions import db
from forum.mail.compose import enabled, message
from forum.site import absolute

EXCERPT_CHARS = 1000


def link(notification):
    target = notification.target()
    return absolute(target[0], **target[1]) if target else absolute("notifications.index")


def queue_immediate(mails):
    """Queue a message for each ``(user, notification, subject, post)`` whose user wants
    mail immediately; ``post`` (a visible reply, or None) is quoted."""
    if not enabled():
        return
    for user, notification, subject, post in mails:
        if user.email_notifications != "immediately" or not user.email:
            continue
        if user.email.endswith(".invalid"):  # placeholder accounts (imports): RFC 2606
            continue
        quoted = post if post is not None and post.status == "visible" else None
        db.session.add(
            message(
                user,
                subject,
                "notification",
                notification=notification,
                link=link(notification),
                post=quoted,
                excerpt=markup.excerpt_of_html(quoted.html, EXCERPT_CHARS) if quoted else "",
                notifications_url=absolute("notifications.index"),
            )
        )


def digest(user, notifications):
    """One message summing up ``notifications`` (newest first) for ``user``."""
    count = len(notifications)
    subject = f"{count} new notification{'s' if count != 1 else ''} in the last day"
    return message(
        user,
        subject,
        "digest",
        items=[(n, link(n)) for n in notifications],
        notifications_url=absolute("notifications.index"),
    )
