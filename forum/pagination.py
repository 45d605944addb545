"""The ``?page=`` argument of list pages."""

from flask import abort, request

from forum.extensions import db

# Far beyond any real list, small enough that page * per_page never overflows an SQL offset.
MAX_PAGE = 1_000_000


def page_arg():
    """The requested page number: 1 for missing or malformed input, 404 for absurd ones."""
    page = request.args.get("page", 1, type=int) or 1
    if page > MAX_PAGE:
        abort(404)
    return max(page, 1)


def paginate(query, per_page, total=None):
    """One page of ``query``; a page past the end is a 404 (page 1 may be empty). ``total``,
    when the caller knows it already, saves counting the rows again."""
    page = db.paginate(
        query, page=page_arg(), per_page=per_page, error_out=False, count=total is None
    )
    if total is not None:
        page.total = total
    if page.page > 1 and not page.items:
        abort(404)
    return page
