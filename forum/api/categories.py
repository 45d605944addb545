"""Category endpoint."""

from flask import jsonify

from forum.api import bp, serializers
from forum.api.openapi import operation
from forum.categories import services as categories


@bp.get("/categories")
@operation("List the categories in display order", "Categories", response="CategoryList")
def list_categories():
    return jsonify(items=[serializers.category(c, c.visible_threads) for c in categories.ordered()])
