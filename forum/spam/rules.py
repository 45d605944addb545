"""Admin rules: watched words and regexes (block, hold or flag), blocked and allowed domains.

Rules live in the ``spam_rules`` table; this module validates them, compiles them once per
policy load and checks a sample against them.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from forum.spam.models import RULE_ACTIONS, RULE_KINDS
from forum.spam.verdict import Reason

HOSTNAME = re.compile(r"^(?=.{1,200}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
ACTION_WEIGHTS = {"block": 10.0, "hold": 4.0, "flag": 0.0}


class RuleError(ValueError):
    """A refused rule; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class WatchedRule:
    id: int
    kind: str
    pattern: str
    action: str
    compiled: re.Pattern


def normalise_domain(value):
    """``https://www.Example.com/x`` → ``example.com``; None when it is not a host name."""
    value = (value or "").strip().lower()
    if "://" not in value:
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return None
    host = host.removeprefix("www.").rstrip(".")
    return host if HOSTNAME.match(host) else None


def compile_watched(kind, pattern):
    """The compiled pattern of a word or regex rule; raises RuleError with the parser's message."""
    if kind == "word":
        words = r"\s+".join(re.escape(part) for part in pattern.split())
        return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        where = f" at position {error.pos}" if error.pos is not None else ""
        raise RuleError(f"Invalid regular expression: {error.msg}{where}.", "pattern") from None


def clean(kind, pattern, action):
    """Validated ``(kind, pattern, action)``; refuses unknown kinds and actions, empty or long
    patterns, malformed regexes (with the parser's message) and strings that are not domains."""
    if kind not in RULE_KINDS:
        raise RuleError("Choose what kind of rule this is.", "kind")
    pattern = (pattern or "").strip()
    if not 1 <= len(pattern) <= 200:
        raise RuleError("The pattern must be 1 to 200 characters long.", "pattern")
    if kind in ("blocked_domain", "allowed_domain"):
        domain = normalise_domain(pattern)
        if domain is None:
            raise RuleError(f"“{pattern}” is not a domain name like example.com.", "pattern")
        return kind, domain, None
    if action not in RULE_ACTIONS:
        raise RuleError("Choose block, hold or flag.", "action")
    if kind == "word":
        pattern = " ".join(pattern.split())
    compile_watched(kind, pattern)
    return kind, pattern, action


def domain_in(domain, domains):
    """Whether ``domain`` is one of ``domains`` or a subdomain of one."""
    while domain:
        if domain in domains:
            return True
        _, _, domain = domain.partition(".")
    return False


def check(sample, policy):
    """Reasons from the admin rules: watched words/regexes and blocked domains."""
    reasons = []
    for rule in policy.watched:
        match = rule.compiled.search(sample.text)
        if match:
            label = "word" if rule.kind == "word" else "pattern"
            evidence = f"“{match.group(0)[:60]}” matches watched {label} “{rule.pattern}”"
            reasons.append(
                Reason(f"rule.{rule.kind}", ACTION_WEIGHTS[rule.action], evidence, rule.action)
            )
    blocked = sorted({d for d in sample.domains if domain_in(d, policy.blocked)})
    if blocked:
        evidence = "links to blocked domain " + ", ".join(blocked[:3])
        reasons.append(Reason("rule.blocked_domain", ACTION_WEIGHTS["block"], evidence, "block"))
    return reasons
