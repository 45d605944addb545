from flask import url_for

from forum.clock import utcnow
from forum.extensions import db

# visible: public; held: waiting for review; hidden: hidden by flags or a moderator;
# removed: removed by a moderator; deleted: deleted by its author.
POST_STATUSES = ("visible", "held", "hidden", "removed", "deleted")


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        db.Index("ix_threads_listing", "status", "pinned", "last_activity_at", "id"),
        db.Index("ix_threads_category_listing", "category_id", "status", "last_activity_at"),
        # Newest activity across all categories (the API's keyset listing), without a sort.
        db.Index("ix_threads_activity", "status", "last_activity_at", "id"),
        # Threads per category on the home page: read in index order, without a sort.
        db.Index("ix_threads_status_category", "status", "category_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    category_id = db.Column(db.ForeignKey("categories.id"), nullable=False)
    author_id = db.Column(db.ForeignKey("users.id"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    slug = db.Column(db.String(80), nullable=False)
    # Follows the question (first post): a held question holds its thread.
    status = db.Column(db.String(16), nullable=False, default="visible")
    locked = db.Column(db.Boolean, nullable=False, default=False)
    pinned = db.Column(db.Boolean, nullable=False, default=False)
    accepted_post_id = db.Column(
        db.ForeignKey("posts.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )
    accepted_by_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    # The reply the asker says solved it, until the team accepts an answer.
    suggested_post_id = db.Column(
        db.ForeignKey("posts.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )
    solved_at = db.Column(db.DateTime, nullable=True)
    first_reply_at = db.Column(db.DateTime, nullable=True)
    first_staff_reply_at = db.Column(db.DateTime, nullable=True)
    reply_count = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_activity_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Bumped by every outbox event about the thread: visitors' cached pages follow it
    # (forum/pagecache.py).
    version = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    category = db.relationship("Category", lazy="joined", innerjoin=True)
    author = db.relationship("User", foreign_keys=[author_id], lazy="joined", innerjoin=True)
    accepted_by = db.relationship("User", foreign_keys=[accepted_by_id])
    accepted_post = db.relationship("Post", foreign_keys=[accepted_post_id], post_update=True)
    suggested_post = db.relationship("Post", foreign_keys=[suggested_post_id], post_update=True)

    @property
    def solved(self):
        return self.accepted_post_id is not None

    @property
    def url(self):
        return url_for("threads.detail", id=self.id, slug=self.slug)

    def __repr__(self):
        return f"<Thread {self.id} {self.title!r}>"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        db.Index("ix_posts_thread_status", "thread_id", "status", "id"),
        db.Index("ix_posts_status_created", "status", "created_at"),
        db.Index("ix_posts_created_at", "created_at"),
        # An author's posts, and how many in the last minutes (the spam layers' velocity)
        # without reading every post they ever wrote.
        db.Index("ix_posts_author_created", "author_id", "created_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    thread_id = db.Column(db.ForeignKey("threads.id"), nullable=False)
    author_id = db.Column(db.ForeignKey("users.id"), nullable=False)
    is_question = db.Column(db.Boolean, nullable=False, default=False)
    body = db.Column(db.Text, nullable=False)
    html = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(16), nullable=False, default="visible")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    edited_at = db.Column(db.DateTime, nullable=True)
    edited_by_id = db.Column(db.ForeignKey("users.id"), nullable=True)
    # Spam moderation (forum/spam, forum/moderation): the verdict behind the status.
    spam_score = db.Column(db.Float, nullable=True)
    spam_reasons = db.Column(db.JSON, nullable=True)
    fingerprint = db.Column(db.BigInteger, nullable=True)
    open_flags = db.Column(db.Integer, nullable=False, default=0, server_default="0", index=True)
    # Bumped by every moderation decision, so two moderators cannot both decide the same post.
    review_version = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    trained_as = db.Column(db.String(4), nullable=True)

    thread = db.relationship("Thread", foreign_keys=[thread_id])
    author = db.relationship("User", foreign_keys=[author_id])
    edited_by = db.relationship("User", foreign_keys=[edited_by_id])

    @property
    def url(self):
        return url_for("threads.post", id=self.id)

    def __repr__(self):
        return f"<Post {self.id} in {self.thread_id}>"


class PostRevision(db.Model):
    """The text of a post before an edit; the newest text lives on the post itself."""

    __tablename__ = "post_revisions"

    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.ForeignKey("posts.id"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=True)
    body = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)

    author = db.relationship("User")
