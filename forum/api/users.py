"""User endpoints: your own account and public profiles."""

from flask import jsonify

from forum.api import bp, serializers
from forum.api.auth import api_user, token_required
from forum.api.errors import ApiError
from forum.api.openapi import operation
from forum.threads.queries import public_post_count
from forum.users.services import get_by_username


@bp.get("/me")
@operation("The account the token belongs to", "Users", response="Me")
@token_required
def me():
    user = api_user()
    return jsonify(serializers.me(user, public_post_count(user)))


@bp.get("/users/<username>")
@operation("A user's public profile (never the email)", "Users", response="Profile")
def get_user(username):
    user = get_by_username(username)
    if user is None:
        raise ApiError(404, "No user with that username.", "not_found")
    return jsonify(serializers.profile(user, public_post_count(user)))
