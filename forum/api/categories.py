"""Category endpoint."""

from flask import jsonify

from forum.api import bp, serializers
from forum.api.openapi import operation
from forum.categories import services as categories


@bp.get("/categories")
@operation("List the categories in display order", "Categories", response="CategoryList")
def list_categories():
    counts = categories.thread_counts(visible_only=True)
    return jsonify(
        items=[serializers.category(c, counts.get(c.id, 0)) for c in categories.ordered()]
    )
