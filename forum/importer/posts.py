"""Questions → threads, answers → replies, accepted answers: one chunk of Posts.xml at a time.

Each chunk is read from the map in a few queries, its new rows inserted in one flush per kind,
and committed; then the threads it touched get their derived fields (reply count, activity,
first reply) recomputed from their posts and their accepted answer set from the question's
AcceptedAnswerId, so a second run over the same dump computes the same values instead of
adding to them.
"""

from sqlalchemy import func

from forum import markup
from forum.extensions import db
from forum.importer import html2md, stackexchange
from forum.importer.comments import MARKER, split
from forum.importer.mapping import digest
from forum.kb import sync as kb_sync
from forum.slugs import slugify
from forum.threads.errors import ContentError
from forum.threads.models import Post, Thread
from forum.threads.services import clean_body, clean_title


def source_digest(row, *fields):
    """A hash of the dump's own fields (strings) and values derived from them, so an unchanged
    row is recognised before converting it; the converter's version is part of it, so an
    improved converter rewrites every post on the next run."""
    values = [row.get(f) if isinstance(f, str) else f for f in fields]
    return digest(html2md.VERSION, *values)


def posts_by_id(ids):
    ids = list(ids)
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(db.select(Post).where(Post.id.in_(ids)))}


class PostsChunk:
    """Imports one list of Posts.xml rows into ``run`` (a services.Run)."""

    def __init__(self, run, rows):
        self.run, self.rows = run, rows
        self.touched = set()  # thread ids of every row read
        self.changed = set()  # thread ids whose content changed: for the search index
        self.accept = {}  # thread id → external id of its accepted answer (or None)
        self.new = []  # (kind, external id, post, digest, ref) waiting for their ids

    def apply(self):
        rows = self.rows
        questions = [r for r in rows if r.get("PostTypeId") == "1"]
        answers = [r for r in rows if r.get("PostTypeId") == "2"]
        for row in rows:
            if row.get("PostTypeId") not in ("1", "2"):
                self.run.skip(f"post type {row.get('PostTypeId')} (not a question or answer)")
        with db.session.no_autoflush:
            known = self.run.map.find("question", [r.get("Id") for r in questions])
            posts = posts_by_id(m.local_id for m in known.values())
            for row in questions:
                self.question(row, known.get(row.get("Id")), posts)
        self.save_new()
        with db.session.no_autoflush:
            parents = self.run.map.find("question", [r.get("ParentId") for r in answers])
            known = self.run.map.find("answer", [r.get("Id") for r in answers])
            posts = posts_by_id([m.local_id for m in (*parents.values(), *known.values())])
            for row in answers:
                parent = parents.get(row.get("ParentId"))
                self.answer(row, parent, known.get(row.get("Id")), posts)
        self.save_new()
        self.settle()

    def save_new(self):
        """Insert the new posts (and their threads) in one flush, then map them."""
        db.session.flush()
        for kind, external_id, post, hashed, ref in self.new:
            self.run.map.add(
                kind, external_id, post.id, hashed, ref if kind == "question" else None
            )
            self.touched.add(post.thread_id)
            self.changed.add(post.thread_id)
            if kind == "question":
                self.accept[post.thread_id] = ref
            elif ref:  # an answer its question accepted
                self.accept[post.thread_id] = external_id
        self.new = []
        db.session.flush()  # the next lookups (answers' questions) run without autoflush

    def content(self, row, question=False):
        """``(title, body)`` cleaned as the forum's own forms would, or ContentError."""
        title = clean_title(row.get("Title")) if question else None
        return title, clean_body(html2md.convert(row.get("Body")))

    def question(self, row, mapped, posts):
        run = self.run
        category_id = run.categories.for_tags(stackexchange.tags(row.get("Tags")))
        if category_id is None:
            return run.skip("question without a category for its tags")
        created = stackexchange.when(row.get("CreationDate")) or run.now
        locked = bool(row.get("ClosedDate"))
        hashed = source_digest(
            row, "Title", "Body", "OwnerUserId", "CreationDate", category_id, locked
        )
        accepted = row.get("AcceptedAnswerId") or None
        post = posts.get(mapped.local_id) if mapped else None
        if mapped is not None:
            if post is None:
                return run.skip("question deleted in the forum since the last import")
            self.touched.add(post.thread_id)
            if mapped.ref != accepted:  # only a change in the dump overrides the forum
                run.map.touch(mapped, mapped.digest, ref=accepted)
                self.accept[post.thread_id] = accepted
            if mapped.digest == hashed:
                return run.count("threads", "unchanged")
        try:
            title, body = self.content(row, question=True)
        except ContentError as error:
            return run.skip(f"question: {error}")
        if post is not None:
            thread = post.thread
            thread.title, thread.slug, thread.category_id = title, slugify(title), category_id
            thread.locked = locked
            self.rewrite(post, body)
            run.map.touch(mapped, hashed)
            self.changed.add(thread.id)
            return run.count("threads", "updated")
        thread = Thread(
            category_id=category_id,
            author_id=run.authors.of(row).id,
            title=title,
            slug=slugify(title),
            locked=locked,
            created_at=created,
            last_activity_at=created,
        )
        self.create_question(row, thread, body, hashed, accepted)

    def create_question(self, row, thread, body, hashed, accepted):
        """Add ``thread`` (not yet in the session) and its question post, by the same author."""
        post = Post(
            thread=thread,
            author_id=thread.author_id,
            body=body,
            html=markup.render(body),
            is_question=True,
            created_at=thread.created_at,
        )
        db.session.add_all([thread, post])
        self.new.append(("question", row["Id"], post, hashed, accepted))
        self.run.count("threads", "created")

    def answer(self, row, parent, mapped, posts):
        run = self.run
        question = posts.get(parent.local_id) if parent else None
        if question is None:
            return run.skip("answer whose question is not in the dump or was skipped")
        created = stackexchange.when(row.get("CreationDate")) or run.now
        hashed = source_digest(row, "Body", "OwnerUserId", "CreationDate")
        self.touched.add(question.thread_id)
        if mapped is not None and mapped.digest == hashed:
            return run.count("replies", "unchanged")
        try:
            _, body = self.content(row)
        except ContentError as error:
            return run.skip(f"answer: {error}")
        if mapped is not None:
            post = posts.get(mapped.local_id)
            if post is None:
                return run.skip("answer deleted in the forum since the last import")
            self.rewrite(post, body)
            run.map.touch(mapped, hashed)
            self.changed.add(question.thread_id)
            return run.count("replies", "updated")
        post = Post(
            thread_id=question.thread_id,
            author_id=run.authors.of(row).id,
            body=body,
            html=markup.render(body),
            created_at=created,
        )
        db.session.add(post)
        accepted = parent.ref == row["Id"]
        self.new.append(("answer", row["Id"], post, hashed, "accepted" if accepted else None))
        run.count("replies", "created")

    @staticmethod
    def rewrite(post, body):
        """New text from the dump; the quoted comments (if any) stay at its end."""
        _, comments = split(post.body)
        post.body = body + (MARKER + comments if comments else "")
        post.html = markup.render(post.body)

    def settle(self):
        """Derived fields and accepted answers of the touched threads; events for the index."""
        if not self.touched:
            return
        ids = sorted(self.touched)
        threads = {t.id: t for t in db.session.scalars(db.select(Thread).where(Thread.id.in_(ids)))}
        replies = (Post.thread_id.in_(ids), Post.status == "visible", Post.is_question.is_(False))
        stats = {
            thread_id: (count, last)
            for thread_id, count, last in db.session.execute(
                db.select(Post.thread_id, func.count(Post.id), func.max(Post.created_at))
                .where(*replies)
                .group_by(Post.thread_id)
            )
        }
        first = dict(
            db.session.execute(
                db.select(Post.thread_id, func.min(Post.created_at))
                .join(Thread, Thread.id == Post.thread_id)
                .where(*replies, Post.author_id != Thread.author_id)
                .group_by(Post.thread_id)
            ).all()
        )
        answers = self.run.map.find("answer", [ref for ref in self.accept.values() if ref])
        for thread_id in ids:  # in id order, so KB drafts are numbered as threads are
            thread = threads[thread_id]
            count, last = stats.get(thread_id, (0, None))
            thread.reply_count = count
            thread.last_activity_at = max(filter(None, (thread.created_at, last)))
            thread.first_reply_at = first.get(thread_id)
            if thread_id in self.accept:
                mapped = answers.get(self.accept[thread_id] or "")
                self.set_accepted(thread, mapped.local_id if mapped else None)
        for thread_id in sorted(self.changed):
            self.run.changed(thread_id)

    def set_accepted(self, thread, post_id):
        if thread.accepted_post_id == post_id:
            return
        self.changed.add(thread.id)
        thread.accepted_post_id = post_id
        if post_id is None:
            thread.solved_at = thread.accepted_by_id = None
            return
        post = db.session.get(Post, post_id)
        # Stack Exchange does not say when an answer was accepted, nor by whom: the asker
        # accepts there, and no earlier than the answer was written.
        thread.solved_at, thread.accepted_by_id = post.created_at, thread.author_id
        self.run.count("accepted", "set")
        if self.run.kb_drafts:
            drafted = kb_sync.article_for_thread(thread.id) is None
            kb_sync.answer_accepted(None, thread, post, None)
            self.run.count("kb drafts", "created" if drafted else "updated")
