"""Admin rules: watched words and regexes (block, hold or flag), blocked and allowed domains.

Rules live in the ``spam_rules`` table; this module validates them, compiles them once per
policy load and checks a sample against them.

Admin regexes run on the ``regex`` package with a time limit (``SPAM_RULE_TIMEOUT`` seconds
per rule and post), because a pattern like ``(a+)+$`` backtracks for ages on a long run of
"a"s and would hold a worker. A rule that gives up sends the post to the moderators: held
(flagged, for a flag rule), never published unchecked, never refused on a guess. New patterns
are tried at save time against such runs of text and refused when they give up.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import regex

from forum.spam.models import RULE_ACTIONS, RULE_KINDS
from forum.spam.verdict import Reason

log = logging.getLogger(__name__)

HOSTNAME = re.compile(r"^(?=.{1,200}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
ACTION_WEIGHTS = {"block": 10.0, "hold": 4.0, "flag": 0.0}
TIMEOUT = 0.1  # seconds one rule may take on one post, unless SPAM_RULE_TIMEOUT says otherwise
# Save-time trials: runs of one character as long as the longest post, with and without an end
# that fails the match, for "a", "1", a space and the pattern's own characters.
TRIAL_LENGTH = 50_000
TRIAL_CHARACTERS = 12


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
    compiled: regex.Pattern


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
        words = r"\s+".join(regex.escape(part) for part in pattern.split())
        return regex.compile(rf"(?<!\w){words}(?!\w)", regex.IGNORECASE)
    try:
        return regex.compile(pattern, regex.IGNORECASE)
    except regex.error as error:
        where = f" at position {error.pos}" if error.pos is not None else ""
        raise RuleError(f"Invalid regular expression: {error.msg}{where}.", "pattern") from None


def _trials(pattern):
    own = (char for char in pattern.lower() if char.isalnum() or char in " ,.-_@:/")
    characters = list(dict.fromkeys(["a", "1", " ", *own]))[:TRIAL_CHARACTERS]
    for char in characters:
        yield char * TRIAL_LENGTH + "!"
        yield char * TRIAL_LENGTH


def refuse_slow(compiled, timeout):
    """Raise RuleError when ``compiled`` gives up on one of the save-time trials."""
    for text in _trials(compiled.pattern):
        try:
            compiled.search(text, timeout=timeout)
        except TimeoutError:
            raise RuleError(
                "This regular expression takes too long on some texts (more than "
                f"{timeout * 1000:g} ms on a long run of “{text[0]}”): avoid nested repetition "
                "like (a+)+ and open gaps like .* between parts; write .{0,50} instead.",
                "pattern",
            ) from None


def clean(kind, pattern, action, timeout=TIMEOUT):
    """Validated ``(kind, pattern, action)``; refuses unknown kinds and actions, empty or long
    patterns, malformed regexes (with the parser's message), regexes that take longer than
    ``timeout`` seconds on a save-time trial, and strings that are not domains."""
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
    compiled = compile_watched(kind, pattern)
    if kind == "regex":
        refuse_slow(compiled, timeout)
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
        try:
            match = rule.compiled.search(sample.text, timeout=policy.rule_timeout)
        except TimeoutError:
            reasons.append(_gave_up(rule, sample, policy.rule_timeout))
            continue
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


def _gave_up(rule, sample, timeout):
    """A rule that ran out of time: the post goes to the moderators (a flag rule's post is
    published and flagged, as a match would), and the log names the rule to fix."""
    log.warning(
        "spam rule %s (%s %r) gave up after %g s on a %d-character text; the post goes to "
        "the moderators",
        rule.id,
        rule.kind,
        rule.pattern,
        timeout,
        len(sample.text),
    )
    label = "word" if rule.kind == "word" else "pattern"
    evidence = (
        f"watched {label} “{rule.pattern}” took longer than {timeout * 1000:g} ms on this text, "
        "so a moderator decides"
    )
    return Reason("rule.timeout", 0.0, evidence, "flag" if rule.action == "flag" else "hold")
