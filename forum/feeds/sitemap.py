"""/sitemap.xml and /robots.txt. The sitemap lists the public pages search engines should
find: the home page, the categories, the KB, every visible thread and every published
article. Past 50,000 addresses (the protocol's limit) /sitemap.xml becomes an index of
/sitemap-<n>.xml pages. Each is a constant number of queries."""

from xml.sax.saxutils import escape

from flask import Response, abort, redirect, url_for
from sqlalchemy import func

from forum.categories.models import Category
from forum.extensions import db
from forum.feeds.atom import clean, timestamp
from forum.feeds.views import bp
from forum.kb.models import Article
from forum.site import absolute
from forum.threads.models import Thread

PAGE_SIZE = 50_000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ROBOTS_DISALLOW = (
    "/admin/",
    "/moderation/",
    "/staff/",
    "/search",
    "/kb/search",
    "/kb/manage",
    "/settings",
    "/notifications",
    "/auth/",
    "/mail/",
    "/api/v1/",
    "/preview",
)


def xml_response(lines):
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines) + "\n"
    response = Response(body, mimetype="application/xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _url(location, modified=None):
    lastmod = f"<lastmod>{timestamp(modified)}</lastmod>" if modified else ""
    return f"<url><loc>{escape(clean(location))}</loc>{lastmod}</url>"


def counts():
    """(fixed pages, visible threads, published articles), in one query."""
    threads = db.select(func.count(Thread.id)).where(Thread.status == "visible")
    articles = db.select(func.count(Article.id)).where(Article.status == "published")
    categories = db.select(func.count(Category.id))
    row = db.session.execute(
        db.select(
            categories.scalar_subquery(), threads.scalar_subquery(), articles.scalar_subquery()
        )
    ).one()
    return row[0] + 2, row[1], row[2]  # + the home page and the KB's home


def _fixed_pages():
    yield _url(absolute("categories.index"))
    yield _url(absolute("kb.index"))
    for slug in db.session.scalars(db.select(Category.slug).order_by(Category.position)):
        yield _url(absolute("categories.detail", slug=slug))


def entries(offset, limit, totals):
    """The sitemap's addresses from ``offset``: fixed pages, then threads, then articles."""
    fixed, threads, _ = totals
    lines = list(_fixed_pages())[offset : offset + limit]
    start = max(offset - fixed, 0)
    remaining = limit - len(lines)
    if remaining > 0 and start < threads:
        rows = db.session.execute(
            db.select(Thread.id, Thread.slug, Thread.last_activity_at)
            .where(Thread.status == "visible")
            .order_by(Thread.id)
            .offset(start)
            .limit(remaining)
        )
        lines += [
            _url(absolute("threads.detail", id=r.id, slug=r.slug), r.last_activity_at) for r in rows
        ]
        remaining = limit - len(lines)
    if remaining > 0:
        rows = db.session.execute(
            db.select(Article.id, Article.slug, Article.updated_at)
            .where(Article.status == "published")
            .order_by(Article.id)
            .offset(max(start - threads, 0))
            .limit(remaining)
        )
        lines += [_url(absolute("kb.article", id=r.id, slug=r.slug), r.updated_at) for r in rows]
    return lines


def page_count(totals):
    return max(1, -(-sum(totals) // PAGE_SIZE))


@bp.route("/sitemap.xml")
def sitemap():
    """Every address, or, past PAGE_SIZE of them, an index of the sitemap pages."""
    totals = counts()
    pages = page_count(totals)
    if pages == 1:
        lines = entries(0, PAGE_SIZE, totals)
        return xml_response([f'<urlset xmlns="{XMLNS}">', *lines, "</urlset>"])
    locations = [
        f"<sitemap><loc>{escape(absolute('feeds.sitemap_page', number=n))}</loc></sitemap>"
        for n in range(1, pages + 1)
    ]
    return xml_response([f'<sitemapindex xmlns="{XMLNS}">', *locations, "</sitemapindex>"])


@bp.route("/sitemap-<int:number>.xml")
def sitemap_page(number):
    totals = counts()
    if not 1 <= number <= page_count(totals):
        abort(404)
    lines = entries((number - 1) * PAGE_SIZE, PAGE_SIZE, totals)
    return xml_response([f'<urlset xmlns="{XMLNS}">', *lines, "</urlset>"])


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {absolute('feeds.sitemap')}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page says; the icon is SVG."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
