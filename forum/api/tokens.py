"""Token endpoints: exchange a username and password for a token, list and revoke tokens."""

from flask import jsonify

from forum.api import bp, serializers, services
from forum.api.auth import api_user, token_required
from forum.api.errors import ApiError, unauthorized
from forum.api.inputs import json_body, text_fields
from forum.api.limits import token_creation_limit
from forum.api.openapi import operation
from forum.auth import services as auth


@bp.post("/tokens")
@operation(
    "Create a token with a username and password",
    "Tokens",
    response="NewToken",
    status=201,
    body="TokenRequest",
    description="The secret is in `token` and is shown only in this response.",
)
@token_creation_limit
def create_token():
    fields = text_fields(json_body(), required=("username", "password"), optional=("name",))
    try:
        user = auth.authenticate(fields["username"], fields["password"])
    except auth.Locked as locked:
        headers = {"Retry-After": str(locked.retry_after)}
        raise ApiError(429, auth.FAILED, "rate_limited", headers=headers) from None
    if user is None:
        raise unauthorized(auth.FAILED, "invalid_credentials")
    if user.is_banned:
        raise ApiError(403, "This account has been suspended.", "account_suspended")
    token, secret = services.create_token(user, fields.get("name", ""))
    # The secret must not linger in caches between the client and us.
    return (
        jsonify({**serializers.token(token), "token": secret}),
        201,
        {"Cache-Control": "no-store"},
    )


@bp.get("/tokens")
@operation("List your active tokens (without secrets)", "Tokens", response="TokenList")
@token_required
def list_tokens():
    tokens = services.active_tokens(api_user())
    return jsonify(items=[serializers.token(token) for token in tokens])


@bp.delete("/tokens/<id:id>")
@operation("Revoke one of your tokens", "Tokens", status=204)
@token_required
def revoke_token(id):
    token = services.get_user_token(api_user(), id)
    if token is None:
        raise ApiError(404, "You have no active token with that id.", "not_found")
    services.revoke_token(token)
    return "", 204
