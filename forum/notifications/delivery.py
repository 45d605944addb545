"""Writing one outbox batch's notifications in a constant number of queries: each goes on
the unread line about the same subject when there is one ("3 new replies in …"), else on a
new line; new lines (and changed notices) are mailed to those who want mail at once."""

from dataclasses import dataclass

from forum.clock import utcnow
from forum.extensions import db
from forum.moderation.models import Notice
from forum.notifications import emails
from forum.notifications.models import NewThreads, Notification, ThreadReplies
from forum.users.models import User


@dataclass
class NoticeItem:
    """A sentence about the recipient's own post: held, hidden, approved, removed,
    accepted. ``key`` keeps one unread line per post; None always adds a line."""

    user_id: int
    key: str | None
    text: str
    subject: str
    post: object = None  # linked when the recipient may open it
    thread: object = None
    always_mail = True

    def apply(self, row, now):
        row = row or Notice(
            user_id=self.user_id, open_key=self.key, count=1, staff_reply=False, created_at=now
        )
        row.text, row.updated_at = self.text[:500], now
        row.post, row.thread = self.post, self.thread
        return row


@dataclass
class ReplyItem:
    user_id: int
    post: object
    always_mail = False

    @property
    def key(self):
        return f"replies:{self.post.thread_id}"

    @property
    def subject(self):
        author = self.post.author
        who = f"{author.username} (support team)" if author.is_staff else author.username
        return f"{who} replied to “{self.post.thread.title}”"

    def apply(self, row, now):
        if row is None:
            return ThreadReplies(
                user_id=self.user_id,
                open_key=self.key,
                thread=self.post.thread,
                post=self.post,  # the first unread reply: where reading starts
                actor=self.post.author,
                count=1,
                staff_reply=self.post.author.is_staff,
                created_at=now,
                updated_at=now,
            )
        row.count += 1
        row.actor, row.updated_at = self.post.author, now
        row.staff_reply = row.staff_reply or self.post.author.is_staff
        return row


@dataclass
class ThreadItem:
    user_id: int
    thread: object
    always_mail = False

    @property
    def key(self):
        return f"threads:{self.thread.category_id}"

    @property
    def subject(self):
        return f"New question in {self.thread.category.name}: {self.thread.title}"

    @property
    def post(self):
        return None

    def apply(self, row, now):
        if row is None:
            return NewThreads(
                user_id=self.user_id,
                open_key=self.key,
                thread=self.thread,
                category=self.thread.category,
                actor=self.thread.author,
                count=1,
                staff_reply=False,
                created_at=now,
                updated_at=now,
            )
        row.count += 1
        row.actor, row.updated_at = self.thread.author, now
        return row


class Delivery:
    """Collects a batch's notifications, then writes them with ``write``."""

    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    def write(self):
        if not self.items:
            return
        users = {
            user.id: user
            for user in db.session.scalars(
                db.select(User).where(
                    User.id.in_({item.user_id for item in self.items}), User.is_banned.is_(False)
                )
            )
        }
        keys = {item.key for item in self.items if item.key}
        open_rows = {}
        if keys and users:
            rows = db.session.scalars(
                db.select(Notification).where(
                    Notification.user_id.in_(list(users)), Notification.open_key.in_(keys)
                )
            )
            open_rows = {(row.user_id, row.open_key): row for row in rows}
        now, mails = utcnow(), []
        for item in self.items:
            user = users.get(item.user_id)
            if user is None:
                continue
            row = open_rows.get((user.id, item.key)) if item.key else None
            fresh = row is None
            row = item.apply(row, now)
            if fresh:
                db.session.add(row)
                if item.key:
                    open_rows[user.id, item.key] = row
            if fresh or item.always_mail:
                mails.append((user, row, item.subject, item.post))
        emails.queue_immediate(mails)
