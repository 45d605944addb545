"""The outbox consumer that turns events into notifications: new replies for a thread's
followers, new questions for a category's followers, and notices about one's own post (held,
hidden, approved, removed, accepted as the answer). Asking and replying follow the thread.

Everything is read from the database as it is now, not trusted from the event: a post that
is no longer visible announces nothing, and a decision taken back since is not reported. A
batch costs a constant number of queries, whatever its size. Nothing here talks to the
network; email is queued (forum/mail) for the sender job.
"""

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.notifications.delivery import Delivery, NoticeItem, ReplyItem, ThreadItem
from forum.notifications.models import Follow
from forum.spam.explain import reasons_in_words
from forum.threads.models import Post, Thread
from forum.users.models import User

TOPICS = (
    "thread.created",
    "post.created",
    "post.held",
    "post.hidden",
    "post.approved",
    "post.removed",
    "answer.accepted",
)


def _ids(value):
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


class Batch:
    """What one batch of events needs, loaded up front; then the decisions, in event order."""

    def __init__(self, events):
        post_ids, thread_ids, created = set(), set(), set()
        for event in events:
            post_ids |= _ids(event.payload.get("post_id")) | _ids(event.payload.get("post_ids"))
            thread_ids |= _ids(event.payload.get("thread_id"))
            if event.topic == "thread.created":
                created |= _ids(event.payload.get("thread_id"))
        if created:  # the questions of new threads (apart: an OR here made SQLite scan posts)
            post_ids |= set(
                db.session.scalars(
                    db.select(Post.id).where(Post.thread_id.in_(created), Post.is_question)
                )
            )
        # Inner joins: an outer join to threads (whose author and category are joined too)
        # made SQLite copy the whole threads table for every batch.
        posts = db.session.scalars(
            db.select(Post)
            .where(Post.id.in_(post_ids))
            .options(
                joinedload(Post.author, innerjoin=True), joinedload(Post.thread, innerjoin=True)
            )
        ).all()
        self.posts = {post.id: post for post in posts}
        self.questions = {post.thread_id: post for post in posts if post.is_question}
        self.threads = {post.thread_id: post.thread for post in posts}
        self.threads |= {
            thread.id: thread
            for thread in db.session.scalars(
                db.select(Thread).where(Thread.id.in_(thread_ids - set(self.threads)))
            )
        }
        self.decisions = {}
        for action in db.session.scalars(
            db.select(ModerationAction)
            .where(
                ModerationAction.target_type == "post",
                ModerationAction.target_id.in_(list(self.posts)),
                ModerationAction.action.in_(("approve", "remove")),
            )
            .order_by(ModerationAction.id)
        ):
            self.decisions[action.target_id, action.action] = action
        self.actors = self._accepters()
        self.follows = self._follows()
        self.new_follows, self.announced, self.delivery = [], set(), Delivery()

    def _accepters(self):
        ids = {t.accepted_by_id for t in self.threads.values() if t.accepted_by_id}
        if not ids:
            return {}
        return {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}

    def _follows(self):
        """``{("thread"|"category", id): {user_id: active}}`` for the batch's threads."""
        categories = {thread.category_id for thread in self.threads.values()}
        rows = db.session.scalars(
            db.select(Follow).where(
                or_(
                    Follow.thread_id.in_(list(self.threads)),
                    Follow.category_id.in_(categories),
                )
            )
        )
        follows = {}
        for row in rows:
            key = ("thread", row.thread_id) if row.thread_id else ("category", row.category_id)
            follows.setdefault(key, {})[row.user_id] = row.active
        return follows

    def decision(self, post, action):
        """The audit entry of ``action`` on ``post`` if it still stands (nothing decided since)."""
        entry = self.decisions.get((post.id, action))
        if entry is None or (entry.after or {}).get("version") != post.review_version:
            return None
        return entry

    def was_held(self, post):
        """Whether ``post`` was held and then approved: the approval announces it, not its
        creation, however late the creation's event is read."""
        entry = self.decisions.get((post.id, "approve"))
        return entry is not None and (entry.before or {}).get("status") == "held"

    def auto_follow(self, user_id, thread):
        followers = self.follows.setdefault(("thread", thread.id), {})
        if user_id not in followers:
            followers[user_id] = True
            self.new_follows.append(Follow(user_id=user_id, thread_id=thread.id, active=True))

    def thread_followers(self, thread):
        followers = self.follows.get(("thread", thread.id), {})
        users = {user for user, active in followers.items() if active}
        if followers.get(thread.author_id, True):
            users.add(thread.author_id)
        return users

    def announce_reply(self, post):
        if ("post", post.id) in self.announced:
            return
        self.announced.add(("post", post.id))
        for user_id in sorted(self.thread_followers(post.thread) - {post.author_id}):
            self.delivery.add(ReplyItem(user_id, post))

    def announce_thread(self, thread):
        if ("thread", thread.id) in self.announced:
            return
        self.announced.add(("thread", thread.id))
        followers = self.follows.get(("category", thread.category_id), {})
        for user_id in sorted(u for u, active in followers.items() if active):
            if user_id != thread.author_id:
                self.delivery.add(ThreadItem(user_id, thread))

    def tell(self, user_id, text, subject, post=None, key=None, link=True):
        thread = post.thread if post is not None else None
        self.delivery.add(
            NoticeItem(
                user_id,
                key or (f"post:{post.id}" if post is not None else None),
                text,
                subject,
                post=post if link else None,
                thread=thread if thread is not None and thread.status == "visible" else None,
            )
        )

    def write(self):
        db.session.add_all(self.new_follows)
        self.delivery.write()
        # A concurrent drain may have written the same follow or opened the same line: the
        # unique constraints refuse it here, inside the consumer, so the outbox records the
        # failure and the next drain updates what the other one wrote.
        db.session.flush()


def thread_created(batch, payload):
    thread = batch.threads.get(payload.get("thread_id"))
    question = batch.questions.get(payload.get("thread_id"))
    if thread is None or question is None:
        return
    batch.auto_follow(thread.author_id, thread)
    if thread.status == "visible" and not batch.was_held(question):
        batch.announce_thread(thread)


def post_created(batch, payload):
    post = batch.posts.get(payload.get("post_id"))
    if post is None or post.is_question:
        return
    batch.auto_follow(post.author_id, post.thread)
    if post.status == post.thread.status == "visible" and not batch.was_held(post):
        batch.announce_reply(post)


def post_held(batch, payload):
    post = batch.posts.get(payload.get("post_id"))
    if post is None or post.status != "held":
        return
    words = reasons_in_words(post.spam_reasons)
    why = f" because {' and '.join(words)}" if words else ""
    batch.tell(
        post.author_id,
        f"Your post in “{post.thread.title}” is waiting for a moderator's review{why}.",
        "Your post is waiting for review",
        post,
    )


def post_hidden(batch, payload):
    post = batch.posts.get(payload.get("post_id"))
    if post is None or post.status != "hidden":
        return
    batch.tell(
        post.author_id,
        f"Your post in “{post.thread.title}” was hidden after members reported it. "
        "A moderator will review it.",
        "Your post is hidden until a moderator reviews it",
        post,
        link=False,
    )


def post_approved(batch, payload):
    post = batch.posts.get(payload.get("post_id"))
    entry = batch.decision(post, "approve") if post is not None else None
    if entry is None or post.status != "visible" or (entry.before or {}).get("status") != "held":
        return  # approving a hidden or reported post tells nobody anything new
    if entry.actor_id != post.author_id:
        batch.tell(
            post.author_id,
            f"Your post in “{post.thread.title}” was approved and is now public.",
            "Your post was approved",
            post,
        )
    if post.is_question:
        batch.announce_thread(post.thread)
    else:
        batch.announce_reply(post)


def post_removed(batch, payload):
    for post_id in sorted(_ids(payload.get("post_ids")) | _ids(payload.get("post_id"))):
        post = batch.posts.get(post_id)
        entry = batch.decision(post, "remove") if post is not None else None
        if entry is None or post.status != "removed" or entry.actor_id == post.author_id:
            continue  # a purge (ban) or a later decision says what happened instead
        how = "as spam" if (entry.after or {}).get("spam") else "by a moderator"
        why = f" Reason: {entry.reason}" if entry.reason else ""
        batch.tell(
            post.author_id,
            f"Your post in “{post.thread.title}” was removed {how}.{why}",
            "Your post was removed",
            post,
            link=False,
        )


def answer_accepted(batch, payload):
    post = batch.posts.get(payload.get("post_id"))
    if post is None or post.thread.accepted_post_id != post.id:
        return  # unmarked or changed since: the later event tells
    thread, actor = post.thread, batch.actors.get(post.thread.accepted_by_id)
    if actor is not None and post.author_id != actor.id:
        batch.tell(
            post.author_id,
            f"Your reply in “{thread.title}” was marked as the accepted answer "
            f"by {actor.username}.",
            "Your answer was accepted",
            post,
            key=f"accepted:{post.id}",
        )
    if thread.author_id not in (post.author_id, actor.id if actor else None):
        batch.tell(
            thread.author_id,
            f"Your question “{thread.title}” has an accepted answer.",
            "Your question has an accepted answer",
            post,
            key=f"accepted:{post.id}",
        )


HANDLERS = {
    "thread.created": thread_created,
    "post.created": post_created,
    "post.held": post_held,
    "post.hidden": post_hidden,
    "post.approved": post_approved,
    "post.removed": post_removed,
    "answer.accepted": answer_accepted,
}


def apply_events(events):
    """Outbox consumer: the notifications (and queued email) the events call for."""
    relevant = [e for e in events if e.topic in HANDLERS and isinstance(e.payload, dict)]
    if not relevant:
        return
    batch = Batch(relevant)
    for event in relevant:
        HANDLERS[event.topic](batch, event.payload)
    batch.write()
