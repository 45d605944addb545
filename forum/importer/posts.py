"""Questions → threads, answers → replies, accepted answers: one chunk of Posts.xml at a time.

Each chunk is read from the map in a few queries, written, and committed; then the threads it
touched get their derived fields (reply count, activity, first reply) recomputed from their
posts and their accepted answer set from the question's AcceptedAnswerId, so a second run over
the same dump computes the same values instead of adding to them.
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


class PostsChunk:
    """Imports one list of Posts.xml rows into ``run`` (a services.Run)."""

    def __init__(self, run, rows):
        self.run, self.rows = run, rows
        self.touched = set()  # thread ids of every row read
        self.changed = set()  # thread ids whose content changed: for the search index
        self.accept = {}  # thread id → external id of its accepted answer (or None)

    def apply(self):
        run, rows = self.run, self.rows
        questions = [r for r in rows if r.get("PostTypeId") == "1"]
        answers = [r for r in rows if r.get("PostTypeId") == "2"]
        for row in rows:
            if row.get("PostTypeId") not in ("1", "2"):
                run.skip(f"post type {row.get('PostTypeId')} (not a question or answer)")
        known = run.map.find("question", [r.get("Id") for r in questions])
        for row in questions:
            self.question(row, known.get(row.get("Id")))
        db.session.flush()
        parents = run.map.find("question", [r.get("ParentId") for r in answers])
        known = run.map.find("answer", [r.get("Id") for r in answers])
        for row in answers:
            self.answer(row, parents.get(row.get("ParentId")), known.get(row.get("Id")))
        db.session.flush()
        self.settle()

    def content(self, row, question=False):
        """``(title, body)`` cleaned as the forum's own forms would, or ContentError."""
        title = clean_title(row.get("Title")) if question else None
        return title, clean_body(html2md.convert(row.get("Body")))

    def question(self, row, mapped):
        run = self.run
        category_id = run.categories.for_tags(stackexchange.tags(row.get("Tags")))
        if category_id is None:
            return run.skip("question without a category for its tags")
        try:
            title, body = self.content(row, question=True)
        except ContentError as error:
            return run.skip(f"question: {error}")
        created = stackexchange.when(row.get("CreationDate")) or run.now
        locked = bool(row.get("ClosedDate"))
        hashed = digest(title, body, category_id, row.get("OwnerUserId"), locked, created)
        accepted = row.get("AcceptedAnswerId") or None
        if mapped is not None:
            post = db.session.get(Post, mapped.local_id)
            if post is None:
                return run.skip("question deleted in the forum since the last import")
            if mapped.ref != accepted:  # only a change in the dump overrides the forum
                run.map.touch(mapped, mapped.digest, ref=accepted)
                self.accept[post.thread_id] = accepted
            self.touched.add(post.thread_id)
            if mapped.digest == hashed:
                return run.count("threads", "unchanged")
            thread = post.thread
            thread.title, thread.slug, thread.category_id = title, slugify(title), category_id
            thread.locked = locked
            self.rewrite(post, body)
            run.map.touch(mapped, hashed)
            self.changed.add(thread.id)
            return run.count("threads", "updated")
        author = run.authors.of(row)
        thread = Thread(
            category_id=category_id,
            author=author,
            title=title,
            slug=slugify(title),
            locked=locked,
            created_at=created,
            last_activity_at=created,
        )
        post = Post(
            thread=thread,
            author=author,
            body=body,
            html=markup.render(body),
            is_question=True,
            created_at=created,
        )
        db.session.add_all([thread, post])
        db.session.flush()
        run.map.add("question", row["Id"], post.id, hashed, ref=accepted)
        self.accept[thread.id] = accepted
        self.touched.add(thread.id)
        self.changed.add(thread.id)
        run.count("threads", "created")

    def answer(self, row, parent, mapped):
        run = self.run
        if parent is None:
            return run.skip("answer whose question is not in the dump or was skipped")
        try:
            _, body = self.content(row)
        except ContentError as error:
            return run.skip(f"answer: {error}")
        created = stackexchange.when(row.get("CreationDate")) or run.now
        hashed = digest(body, row.get("OwnerUserId"), created)
        question = db.session.get(Post, parent.local_id)
        if question is None:
            return run.skip("answer whose question was deleted in the forum")
        self.touched.add(question.thread_id)
        if mapped is not None:
            if mapped.digest == hashed:
                return run.count("replies", "unchanged")
            post = db.session.get(Post, mapped.local_id)
            if post is None:
                return run.skip("answer deleted in the forum since the last import")
            self.rewrite(post, body)
            run.map.touch(mapped, hashed)
            self.changed.add(question.thread_id)
            return run.count("replies", "updated")
        post = Post(
            thread_id=question.thread_id,
            author=run.authors.of(row),
            body=body,
            html=markup.render(body),
            created_at=created,
        )
        db.session.add(post)
        db.session.flush()
        run.map.add("answer", row["Id"], post.id, hashed)
        self.changed.add(question.thread_id)
        run.count("replies", "created")
        if parent.ref == row["Id"]:
            self.accept[question.thread_id] = parent.ref

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
        replies = db.session.execute(
            db.select(
                Post.thread_id,
                func.count(Post.id),
                func.max(Post.created_at),
            )
            .where(Post.thread_id.in_(ids), Post.status == "visible", Post.is_question.is_(False))
            .group_by(Post.thread_id)
        ).all()
        stats = {thread_id: (count, last) for thread_id, count, last in replies}
        first = dict(
            db.session.execute(
                db.select(Post.thread_id, func.min(Post.created_at))
                .join(Thread, Thread.id == Post.thread_id)
                .where(
                    Post.thread_id.in_(ids),
                    Post.status == "visible",
                    Post.is_question.is_(False),
                    Post.author_id != Thread.author_id,
                )
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
