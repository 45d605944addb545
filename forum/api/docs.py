"""The OpenAPI document and the page that shows it to people."""

from flask import Blueprint, jsonify, render_template

from forum.api import bp
from forum.api.openapi import document, operation

page_bp = Blueprint("api_docs", __name__, url_prefix="/api")


@bp.get("/openapi.json")
@operation("This API's OpenAPI 3.1 document", "Meta", response="OpenApiDocument")
def openapi_json():
    return jsonify(document())


@page_bp.get("/docs")
def page():
    """The API reference for people, rendered on the server from the same document."""
    return render_template("api/docs.html", doc=document())
