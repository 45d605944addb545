"""Notifications (one line under a user's bell) and follows (the threads and categories a user
wants to hear about)."""

from forum.clock import utcnow
from forum.extensions import db

EMAIL_CHOICES = ("immediately", "daily", "never")


class Notification(db.Model):
    """Something that concerns one user. While it is unread, ``open_key`` names what it is
    about (``replies:12``: new replies in thread 12), so later events update this line ("3 new
    replies in …") instead of adding more; reading it clears the key, and the next event starts
    a new line. Each kind is a subclass that words itself."""

    __tablename__ = "notifications"
    __table_args__ = (
        db.UniqueConstraint("user_id", "open_key", name="uq_notifications_user_open_key"),
        db.Index("ix_notifications_user_read", "user_id", "read_at"),
        db.Index("ix_notifications_user_updated", "user_id", "updated_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.ForeignKey("users.id"), nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    open_key = db.Column(db.String(40), nullable=True)
    text = db.Column(db.String(500), nullable=True)
    thread_id = db.Column(db.ForeignKey("threads.id"), nullable=True)
    post_id = db.Column(db.ForeignKey("posts.id"), nullable=True)
    category_id = db.Column(db.ForeignKey("categories.id", ondelete="CASCADE"), nullable=True)
    actor_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    count = db.Column(db.Integer, nullable=False, default=1)
    staff_reply = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    read_at = db.Column(db.DateTime, nullable=True)

    thread = db.relationship("Thread")
    post = db.relationship("Post")
    category = db.relationship("Category")
    actor = db.relationship("User", foreign_keys=[actor_id])

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_abstract": True}

    @property
    def unread(self):
        return self.read_at is None

    def target(self):
        """``(endpoint, values)`` of the page this notification leads to, or None."""
        if self.post is not None:
            return "threads.post", {"id": self.post.id}
        if self.thread is not None:
            return "threads.detail", {"id": self.thread.id, "slug": self.thread.slug}
        return None


class ThreadReplies(Notification):
    """New replies in a thread the user asked or follows; leads to the first of them."""

    __mapper_args__ = {"polymorphic_identity": "replies"}

    def target(self):
        """The first new reply, or the thread once that reply is no longer public."""
        if self.post is not None and self.post.status == "visible":
            return "threads.post", {"id": self.post.id}
        return "threads.detail", {"id": self.thread.id, "slug": self.thread.slug}

    @property
    def sentence(self):
        title = self.thread.title
        who = self.actor.username if self.actor else "Someone"
        if self.count == 1:
            role = " from the support team" if self.staff_reply else ""
            return f"{who}{role} replied to “{title}”."
        staff = " The support team answered." if self.staff_reply else ""
        return f"{self.count} new replies in “{title}”, the latest from {who}.{staff}"


class NewThreads(Notification):
    """New questions in a category the user follows; leads to the first of them."""

    __mapper_args__ = {"polymorphic_identity": "threads"}

    @property
    def sentence(self):
        name = self.category.name
        if self.count == 1:
            who = self.actor.username if self.actor else "Someone"
            return f"New question in {name}: “{self.thread.title}” by {who}."
        return f"{self.count} new questions in {name}."

    def target(self):
        if self.count == 1 and self.thread is not None:
            return "threads.detail", {"id": self.thread.id, "slug": self.thread.slug}
        return "categories.detail", {"slug": self.category.slug}


class Follow(db.Model):
    """A user following one thread or one category. ``active`` false records an explicit
    unfollow, so that replying again does not quietly follow the thread again."""

    __tablename__ = "follows"
    __table_args__ = (
        db.UniqueConstraint("user_id", "thread_id", name="uq_follows_user_thread"),
        db.UniqueConstraint("user_id", "category_id", name="uq_follows_user_category"),
        db.CheckConstraint("(thread_id IS NULL) <> (category_id IS NULL)", name="one_target"),
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.ForeignKey("users.id"), nullable=False)
    thread_id = db.Column(db.ForeignKey("threads.id"), nullable=True, index=True)
    category_id = db.Column(
        db.ForeignKey("categories.id", ondelete="CASCADE"), nullable=True, index=True
    )
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
