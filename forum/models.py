"""Imports every model so that Alembic and create_all see the whole schema."""

from forum.api.models import ApiToken
from forum.auth.models import LoginThrottle
from forum.categories import counts  # noqa: F401  (its triggers are part of the schema)
from forum.categories.models import Category
from forum.importer.models import ImportMapping
from forum.kb.models import Article, ArticleRevision, ArticleVote
from forum.mail.models import MailMessage
from forum.moderation.models import Flag, ModerationAction, Notice
from forum.notifications.models import Follow, NewThreads, Notification, ThreadReplies
from forum.outbox import OutboxEvent
from forum.search.models import Deflection, SearchDocument, SearchLog
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
    "Follow",
    "ImportMapping",
    "LoginThrottle",
    "MailMessage",
    "ModerationAction",
    "NewThreads",
    "Notice",
    "Notification",
    "OutboxEvent",
    "Post",
    "PostRevision",
    "SearchDocument",
    "SearchLog",
    "SpamModel",
    "SpamRule",
    "SpamSetting",
    "SpamToken",
    "Thread",
    "ThreadReplies",
    "User",
    "Webhook",
    "WebhookDelivery",
]
