"""Importing a Stack Exchange data dump: users, then posts, then comments, in chunks.

Every chunk is one transaction. Imported content bypasses spam screening (it was moderated
where it came from) and is written under the ``import.`` outbox prefix, so the search index
picks it up while webhooks and notifications, which act on topics, stay quiet.
"""

import time
from collections import Counter, namedtuple

from flask import current_app
from sqlalchemy import func

from forum import outbox
from forum.categories import services as categories
from forum.clock import utcnow
from forum.extensions import db
from forum.importer import stackexchange
from forum.importer.accounts import Accounts
from forum.importer.comments import CommentsChunk
from forum.importer.mapping import Map, digest
from forum.importer.posts import PostsChunk
from forum.outbox import OutboxEvent
from forum.threads.models import Thread
from forum.users.models import User

CHUNK = 500
DELETED = "deleted"  # the external id of the one account for posts without an owner


class ImportError_(ValueError):
    """The import cannot start (no Posts.xml, an unknown category, …)."""


class Categories:
    """Tags → categories: the first tag named in the map decides; else the default."""

    def __init__(self, mapping, default, create):
        slugs = {*mapping.values(), *([default] if default else [])}
        found = {slug: categories.get_by_slug(slug) for slug in slugs}
        missing = sorted(slug for slug, category in found.items() if category is None)
        if missing and not create:
            raise ImportError_(
                f"No category with the slug {', '.join(missing)}; create it first or pass "
                "--create-categories."
            )
        for slug in missing:
            found[slug] = categories.create(None, slug.replace("-", " ").title()[:60], slug)
        # Ids, not objects: every chunk's commit expires and detaches the session's objects.
        self.by_tag = {tag.lower(): found[slug].id for tag, slug in mapping.items()}
        self.default = found[default].id if default else None

    def for_tags(self, tags):
        """The category id for a question with these tags, or None."""
        for tag in tags:
            if (category := self.by_tag.get(tag.lower())) is not None:
                return category
        return self.default


Author = namedtuple("Author", "id username")


class Authors:
    """The local user behind a row's owner fields, creating placeholders as needed. Keeps
    the last ``CACHE`` authors in memory, so memory stays bounded however many there are."""

    CACHE = 50_000

    def __init__(self, run):
        self.run = run
        self.cache = {}  # external key → Author

    def of(self, row, user_field="OwnerUserId", name_field="OwnerDisplayName"):
        external = stackexchange.number(row.get(user_field))
        name = (row.get(name_field) or "").strip()
        if external is not None:
            key, label = str(external), None
        elif name:  # a deleted account, known only by the name it had
            key, label = "name-" + digest(name)[:12], name
        else:
            key, label = DELETED, "deleted-user"
        if key not in self.cache:
            if len(self.cache) >= self.CACHE:
                self.cache.clear()
            self.cache[key] = self.find(key) or self.create(key, label, external, row)
        return self.cache[key]

    def find(self, key):
        mapped = self.run.map.find("user", [key]).get(key)
        if mapped is None:
            return None
        username = db.session.scalar(db.select(User.username).where(User.id == mapped.local_id))
        return Author(mapped.local_id, username) if username else None

    def create(self, key, label, external, row):
        # Known only from this row: the account is as old as its first post.
        created = stackexchange.when(row.get("CreationDate"))
        user = self.run.accounts.create(key, label or f"user{external}", created)
        self.run.map.add("user", key, user.id, digest(label))
        self.run.count("users", "placeholders created")
        return Author(user.id, user.username)


class Run:
    """One import: settings, the map, counters and progress."""

    def __init__(self, directory, site, category_map, default, create, kb_drafts, index, progress):
        self.directory = directory
        self.index = index
        self.map = Map(f"stackexchange:{site}")
        self.accounts = Accounts(site)
        self.authors = Authors(self)
        self.categories = Categories(category_map, default, create)
        self.kb_drafts = kb_drafts
        self.progress = progress or (lambda *args: None)
        self.counts = Counter()
        self.skipped = Counter()
        self.now = utcnow()

    def changed(self, thread_id):
        """Tell the search index (only) that an imported thread changed."""
        if self.index:
            outbox.emit("thread.changed", thread_id=thread_id)

    def count(self, kind, outcome):
        self.counts[kind, outcome] += 1

    def skip(self, reason):
        self.skipped[reason] += 1

    def users(self, rows):
        known = self.map.find("user", [r.get("Id") for r in rows])
        for row in rows:
            key, name = row.get("Id"), row.get("DisplayName") or ""
            if stackexchange.number(key) is None:
                self.skip("user without a numeric Id")
                continue
            mapped = known.get(key)
            if mapped is not None:
                self.count("users", "unchanged" if mapped.digest == digest(name) else "renamed")
                # Usernames are addresses (/u/<name>): an account keeps its first one.
                self.map.touch(mapped, digest(name))
                continue
            created = stackexchange.when(row.get("CreationDate"))
            user = self.accounts.create(key, name or f"user{key}", created)
            self.map.add("user", key, user.id, digest(name))
            self.count("users", "created")

    def phase(self, kind, apply):
        """Stream one file in chunks, one commit each; returns the rows read."""
        filename = stackexchange.path(self.directory, kind)
        if filename is None:
            return 0
        started, seen, chunk = time.monotonic(), 0, []
        for row in stackexchange.rows(filename):
            chunk.append(row)
            if len(chunk) == CHUNK:
                seen += self._commit(apply, chunk)
                self.progress(kind, seen, seen / max(time.monotonic() - started, 1e-6))
                chunk = []
        seen += self._commit(apply, chunk)
        self.progress(kind, seen, seen / max(time.monotonic() - started, 1e-6), True)
        return seen

    @staticmethod
    def _commit(apply, rows):
        if rows:
            apply(rows)
            db.session.commit()
            db.session.expunge_all()  # a chunk's objects are not needed by the next
        return len(rows)


def import_dump(
    directory,
    site,
    category_map=None,
    default_category=None,
    create_categories=False,
    kb_drafts=False,
    index=True,
    progress=None,
):
    """Import the dump in ``directory``; returns the Run with its counters. Refuses a
    directory without Posts.xml and categories that do not exist (unless asked to create
    them). Running it again updates what changed and adds what is new, never duplicating."""
    if stackexchange.path(directory, "posts") is None:
        raise ImportError_(f"{directory} has no Posts.xml.")
    if not category_map and not default_category:
        raise ImportError_("Say where questions go: --category SLUG and/or --category-map.")
    # A POST request context: url_for works (profile links in quoted comments), and on SQLite
    # every chunk takes the write lock when it begins (forum/sqlite.py), so an import beside a
    # live forum waits its turn instead of failing.
    with current_app.test_request_context("/", method="POST"), outbox.relabelled("import"):
        run = Run(
            directory,
            site,
            category_map or {},
            default_category,
            create_categories,
            kb_drafts,
            index,
            progress,
        )
        run.phase("users", run.users)
        run.phase("posts", lambda rows: PostsChunk(run, rows).apply())
        run.phase("comments", lambda rows: CommentsChunk(run, rows).apply())
    return run


def index_backlog():
    """``(events the import left for the search index, visible threads, last such event id)``."""
    pending = db.select(func.count(OutboxEvent.id), func.max(OutboxEvent.id)).where(
        OutboxEvent.topic.like("import.%")
    )
    count, last = db.session.execute(pending).one()
    threads = db.session.scalar(db.select(func.count(Thread.id)).where(Thread.status == "visible"))
    return count, threads, last


def forget_index_events(last_id):
    """Drop the import's events up to ``last_id``: a full rebuild of the index covered them."""
    db.session.execute(
        db.delete(OutboxEvent)
        .where(OutboxEvent.topic.like("import.%"), OutboxEvent.id <= last_id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
