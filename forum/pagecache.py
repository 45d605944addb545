"""Pages kept for visitors who are not signed in.

A thread page rendered for someone without a session is the same for every such visitor, so each
process keeps the last ones it rendered (PAGE_CACHE_MB) and serves them again while the thread's
``version`` is unchanged. Every outbox event about a thread bumps that version in the same
transaction as the change (``bump_thread_versions``), so a reply, an edit, a hidden post or an
accepted answer reaches visitors at once — or, for a page checked less than
PAGE_CACHE_CHECK_SECONDS (1 s) ago, within that second: checking costs a query by primary key,
which a busy page is spared. What changes without an event about the thread (a user's role
badge, a category's name) shows within PAGE_CACHE_SECONDS.

Only pages that set no cookie, flash nothing and carry no CSRF token are kept, so nothing of one
visitor's session can reach another. Several processes or hosts each keep their own pages; the
version lives in the database, so none of them serves a page older than the last change.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from sqlalchemy import event

from forum.extensions import db
from forum.outbox import OutboxEvent


@dataclass
class Page:
    body: bytes
    status: int
    headers: list
    stamp: object  # what version() returned when it was rendered
    stored: float
    checked: float  # when the stamp was last found unchanged


class PageCache:
    """A least-recently-used map of pages, bounded by their total size in bytes."""

    def __init__(self, max_bytes):
        self.max_bytes, self.size = max_bytes, 0
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, max_age):
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if time.monotonic() - page.stored > max_age:
                self._drop(key)
                return None
            self.pages.move_to_end(key)
            return page

    def forget(self, key):
        with self.lock:
            if key in self.pages:
                self._drop(key)

    def put(self, key, page):
        with self.lock:
            if key in self.pages:
                self._drop(key)
            self.pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes and self.pages:
                self._drop(next(iter(self.pages)))

    def _drop(self, key):
        self.size -= len(self.pages.pop(key).body)


def cache_of(app):
    if "page_cache" not in app.extensions:
        max_bytes = int(app.config["PAGE_CACHE_MB"] * 2**20)
        app.extensions.setdefault("page_cache", PageCache(max_bytes))
    return app.extensions["page_cache"]


def is_visitor():
    """A GET by someone not signed in whose session holds nothing but perhaps a CSRF secret."""
    return (
        request.method == "GET"
        and set(session.keys()) <= {"csrf_token"}
        and not current_user.is_authenticated
    )


def storable(response):
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return (
        response.status_code == 200
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session.modified  # a flash message, a new CSRF secret
        and csrf_field not in g  # a CSRF token rendered into the page
    )


def cached_for_visitors(version):
    """Serve the view's page from this process's cache to visitors while
    ``version(**view_args)`` returns the same value; None means "render, keep nothing"."""

    def decorate(view):
        @wraps(view)
        def cached_view(**kwargs):
            config = current_app.config
            if config["PAGE_CACHE_SECONDS"] <= 0 or not is_visitor():
                return view(**kwargs)
            cache = cache_of(current_app)
            key = (request.host_url, request.full_path)
            page = cache.get(key, config["PAGE_CACHE_SECONDS"])
            now = time.monotonic()
            if page is not None and now - page.checked < config["PAGE_CACHE_CHECK_SECONDS"]:
                return served(page)
            stamp = version(**kwargs)
            if page is not None and page.stamp == stamp:
                page.checked = now
                return served(page)
            if page is not None:
                cache.forget(key)
            response = make_response(view(**kwargs))
            if stamp is not None and storable(response):
                headers = [(k, v) for k, v in response.headers.items() if k != "Content-Length"]
                body = response.get_data()
                cache.put(key, Page(body, response.status_code, headers, stamp, now, now))
            return response

        return cached_view

    return decorate


def served(page):
    return current_app.response_class(page.body, page.status, page.headers)


def _thread_ids(event_row):
    payload = event_row.payload if isinstance(event_row.payload, dict) else {}
    value = payload.get("thread_id")
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return [int(value)]
    return []


@event.listens_for(OutboxEvent, "after_insert")
def bump_thread_versions(_mapper, connection, event_row):
    """Every event about a thread (or about a KB article drawn from one) changes its version,
    in the transaction that made the change."""
    from forum.kb.models import Article
    from forum.threads.models import Thread

    threads = Thread.__table__
    bump = threads.update().values(version=threads.c.version + 1)
    for thread_id in _thread_ids(event_row):
        connection.execute(bump.where(threads.c.id == thread_id))
    payload = event_row.payload if isinstance(event_row.payload, dict) else {}
    article_id = payload.get("article_id")
    if isinstance(article_id, int):
        source = db.select(Article.source_thread_id).where(Article.id == article_id)
        connection.execute(bump.where(threads.c.id == source.scalar_subquery()))
