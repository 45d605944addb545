"""Imports every model so that Alembic and create_all see the whole schema."""

from forum.api.models import ApiToken
from forum.auth.models import LoginThrottle
from forum.categories.models import Category
from forum.importer.models import ImportMapping
from forum.kb.models import Article, ArticleRevision, ArticleVote
from forum.moderation.models import Flag, ModerationAction, Notice
from forum.outbox import OutboxEvent
from forum.search.models import Deflection, SearchLog
from forum.spam.models import SpamModel, SpamRule, SpamSetting, SpamToken
from forum.threads.models import Post, PostRevision, Thread
from forum.users.models import User
from forum.webhooks.models import Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "Article",
    "ArticleRevision",
    "ArticleVote",
    "Category",
    "Deflection",
    "Flag",
    "ImportMapping",
    "LoginThrottle",
    "ModerationAction",
    "Notice",
    "OutboxEvent",
    "Post",
    "PostRevision",
    "SearchLog",
    "SpamModel",
    "SpamRule",
    "SpamSetting",
    "SpamToken",
    "Thread",
    "User",
    "Webhook",
    "WebhookDelivery",
]
