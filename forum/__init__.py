"""The customer community forum: create_app builds the Flask application."""

import os

from flask import Flask

from config import DevelopmentConfig
from forum.spam.settings import check_config as check_spam_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config_class=DevelopmentConfig):
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.config.from_object(config_class)
    if app.config.get("REQUIRE_SECRET_KEY") and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set; production refuses to start without it.")
    check_spam_config(app.config)  # a bad SPAM_* value stops the start, naming the variable
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get("SQLALCHEMY_DATABASE_URI") or (
        "sqlite:///" + os.path.join(app.instance_path, "forum.db")
    )
    app.config["SEARCH_INDEX_DIR"] = app.config.get("SEARCH_INDEX_DIR") or os.path.join(
        app.instance_path, "search-index"
    )
    if app.config.get("TRUSTED_PROXIES"):
        trust_proxies(app, app.config["TRUSTED_PROXIES"])
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_commands(app)
    return app


def trust_proxies(app, count):
    """Read the client's address and scheme from the X-Forwarded-* headers set by ``count``
    proxies: rate limits and sign-in lockouts count per client, not per proxy."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app):
    from forum import (
        models,  # noqa: F401  (every model registered before Alembic looks)
        sqlite,
    )
    from forum.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        sqlite.configure(db.engine)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(session_id):
    from forum.extensions import db
    from forum.users.models import User

    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not user.is_active:
        return None
    return user


def register_blueprints(app):
    from forum import api, routing
    from forum.admin import (  # noqa: F401  (add the spam policy and webhook screens to admin.bp)
        spam,
        webhooks,
    )
    from forum.admin.views import bp as admin_bp
    from forum.auth.views import bp as auth_bp
    from forum.categories.views import bp as categories_bp
    from forum.feeds import sitemap  # noqa: F401  (adds the sitemap and robots.txt to feeds.bp)
    from forum.feeds.views import bp as feeds_bp
    from forum.health import bp as health_bp
    from forum.kb import manage as kb_manage  # noqa: F401  (adds the staff screens to kb.bp)
    from forum.kb.views import bp as kb_bp
    from forum.mail.unsubscribe import bp as mail_bp
    from forum.moderation import log, people, reports  # noqa: F401  (more moderation.bp routes)
    from forum.moderation.views import bp as moderation_bp
    from forum.notifications.views import bp as notifications_bp
    from forum.search import log_views  # noqa: F401  (adds the staff log page to search.bp)
    from forum.search.views import bp as search_bp
    from forum.staff.views import bp as staff_bp
    from forum.threads import answering, manage  # noqa: F401  (more threads.bp routes)
    from forum.threads.views import bp as threads_bp
    from forum.users import settings  # noqa: F401  (adds the settings routes to users.bp)
    from forum.users.views import bp as users_bp

    routing.register(app.url_map)
    for blueprint in (
        categories_bp,
        threads_bp,
        auth_bp,
        users_bp,
        admin_bp,
        moderation_bp,
        health_bp,
        search_bp,
        kb_bp,
        staff_bp,
        notifications_bp,
        mail_bp,
        feeds_bp,
    ):
        app.register_blueprint(blueprint)
    api.register(app)


def register_errorhandlers(app):
    from forum.errors import register

    register(app)


def register_hooks(app):
    from forum import jobs, permissions
    from forum.auth import recovery
    from forum.mail.compose import log_if_disabled
    from forum.mail.sender import send_due
    from forum.notifications import consumer, digest
    from forum.outbox import subscribe
    from forum.search import backend as search
    from forum.security import add_security_headers
    from forum.templating import register as register_filters
    from forum.webhooks import delivery as webhook_delivery
    from forum.webhooks import events as webhook_events
    from forum.worker import deliver_after_request

    app.after_request(deliver_after_request)
    search.init_app(app)  # picks Whoosh or PostgreSQL and subscribes it to the outbox
    subscribe(webhook_events.consume)
    jobs.register(webhook_delivery.send_due)
    subscribe(consumer.apply_events)
    subscribe(recovery.apply_events)  # password reset mail
    jobs.register(send_due)
    jobs.register(digest.digest_job)
    log_if_disabled(app)
    app.after_request(add_security_headers)
    register_filters(app)

    @app.context_processor
    def inject_permissions():
        return {"perm": permissions}


def register_commands(app):
    from forum.commands import register
    from forum.search.commands import register as register_search

    register(app)
    register_search(app)
