"""The spam policy in force: settings and compiled admin rules, read together.

Loading costs two queries, so each process keeps the policy for ``SPAM_POLICY_TTL`` seconds
(default 5). The process that changes a rule or setting drops its copy at once; other workers
and hosts see the change when their copy expires.
"""

import logging
import time
from dataclasses import dataclass

from flask import current_app
from limits import parse_many

from forum.extensions import db
from forum.spam import settings
from forum.spam.models import SpamRule, SpamSetting
from forum.spam.rules import TIMEOUT, RuleError, WatchedRule, compile_watched, domain_in

log = logging.getLogger(__name__)
CACHE_KEY = "spam_policy"


@dataclass(frozen=True)
class Policy:
    values: dict
    watched: tuple = ()
    blocked: frozenset = frozenset()
    allowed: frozenset = frozenset()
    # Seconds one admin regex may take on one post (forum.spam.rules).
    rule_timeout: float = TIMEOUT

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def scripts(self):
        return frozenset(
            part.strip().upper() for part in self.values["allowed_scripts"].split(",") if part
        )

    @property
    def rate_limits(self):
        try:
            return parse_many(self.values["rate_limit_new"])
        except ValueError:
            log.warning("ignoring unreadable rate_limit_new %r", self.values["rate_limit_new"])
            return []

    def is_allowed(self, domain):
        return domain_in(domain, self.allowed)


def build(rules, saved, configured, rule_timeout=TIMEOUT):
    """A Policy from rule rows and saved settings; a stored regex that no longer compiles is
    skipped with a warning rather than breaking every post."""
    watched, blocked, allowed = [], set(), set()
    for rule in rules:
        if rule.kind == "blocked_domain":
            blocked.add(rule.pattern)
        elif rule.kind == "allowed_domain":
            allowed.add(rule.pattern)
        else:
            try:
                compiled = compile_watched(rule.kind, rule.pattern)
            except RuleError:
                log.warning("skipping spam rule %s: pattern no longer compiles", rule.id)
                continue
            watched.append(WatchedRule(rule.id, rule.kind, rule.pattern, rule.action, compiled))
    return Policy(
        settings.resolve(configured, saved),
        tuple(watched),
        frozenset(blocked),
        frozenset(allowed),
        rule_timeout,
    )


def load_policy():
    """The current policy, from this process's copy while it is fresh."""
    cached = current_app.extensions.get(CACHE_KEY)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    rules = db.session.scalars(db.select(SpamRule).order_by(SpamRule.id)).all()
    saved = dict(db.session.execute(db.select(SpamSetting.name, SpamSetting.value)).all())
    policy = build(
        rules,
        saved,
        current_app.config.get("SPAM_SETTINGS") or {},
        current_app.config.get("SPAM_RULE_TIMEOUT", TIMEOUT),
    )
    ttl = current_app.config.get("SPAM_POLICY_TTL", 5)
    current_app.extensions[CACHE_KEY] = (time.monotonic() + ttl, policy)
    return policy


def invalidate():
    current_app.extensions.pop(CACHE_KEY, None)
