"""Contact details: phone numbers (also written with O for 0, l for 1 or spaced out), e-mail
addresses (also "name at mail dot com") and messaging handles.

Order numbers, versions, build numbers, IP addresses and dates look like digits too; they are
told apart by their separators and the words in front of them.
"""

import re

from forum.spam.rules import domain_in
from forum.spam.verdict import Reason

CANDIDATE = re.compile(
    r"(?<![\w#/:=.-])(\+?\(?[0-9OoIl](?:[ \t().\-–]{0,3}[0-9OoIl]){8,17})(?![\w/:=-])"
)
LOOKALIKES = str.maketrans("OoIl", "0011")
IDENTIFIER = re.compile(
    r"(?:\b(?:order|ticket|case|invoice|serial|build|version|ver|v|id|ref|reference|tracking"
    r"|error|code|licen[cs]e|key|sku|account|acct|transaction|txn|imei|part|model|nr)\b|#)"
    r"[^.\n]{0,20}$",
    re.I,
)
PHONE_CONTEXT = re.compile(
    r"\b(?:call|phone|tel|telephone|dial|helpline|hotline|toll[- ]?free|whats ?app|contact us"
    r"|customer care|support number|text us|sms)\b",
    re.I,
)
TOLL_FREE = re.compile(r"^1?8(?:00|33|44|55|66|77|88)")
DOTTED_PHONE = re.compile(r"^\(?\d{3}\)?\.\d{3}\.\d{4}$")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)
SPELLED_EMAIL = re.compile(
    r"\b[\w.+-]{2,}\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*[\w-]{2,}\s*"
    r"(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*(?:com|net|org|co|io|info)\b",
    re.I,
)
MESSAGING_WORDS = (
    "whats",
    "telegram",
    "wechat",
    "viber",
    "signal",
    "skype",
    "kik",
    "snapchat",
    "line",
    ".me/",
)
MESSAGING = re.compile(
    r"\b(?:whats\s?app|telegram|wechat|viber|signal|skype|kik|snapchat|line\s+id)\b"
    r"[\s:@+\-]*(?:me|id|at|on|us|number|\+|@|\d)"
    r"|\b(?:t\.me|wa\.me|telegram\.me)/\w+",
    re.I,
)


def _is_phone(raw, before, around):
    """(digits, invited) when ``raw`` reads as a phone number; ``invited`` when words like
    "call" or "helpline" are around it. None for order numbers, versions and the like."""
    digits = re.sub(r"\D", "", raw.translate(LOOKALIKES))
    if not 10 <= len(digits) <= 15 or sum(ch.isdigit() for ch in raw) < 7:
        return None
    separators = set(re.sub(r"[0-9OoIl]", "", raw))
    if separators <= {"."} and "." in separators and not DOTTED_PHONE.match(raw):
        return None  # versions, builds, IP addresses
    invited = PHONE_CONTEXT.search(around) is not None
    if IDENTIFIER.search(before) and not invited:
        return None
    grouped = len(re.findall(r"[0-9OoIl]+", raw)) >= 3
    if not (invited or raw.startswith(("+", "(")) or grouped or TOLL_FREE.match(digits)):
        return None
    return digits, invited


def _obfuscated(raw):
    single_spaced = len(re.findall(r"(?<![0-9OoIl])[0-9OoIl](?![0-9OoIl])", raw)) >= 6
    return bool(re.search(r"[OoIl]", raw)) or single_spaced


def phone_numbers(context):
    """A phone number; heavier with an invitation to call, and again when disguised."""
    prose = context.sample.prose
    for match in CANDIDATE.finditer(prose):
        raw = match.group(1).strip()
        start, end = match.span(1)
        before, around = prose[max(0, start - 30) : start], prose[max(0, start - 60) : end + 30]
        found = _is_phone(raw, before, around)
        if found is None:
            continue
        digits, invited = found
        weight = context.policy.w_phone
        evidence = f"phone number {digits}"
        if invited:
            weight *= 1.5
            evidence += ", with an invitation to call"
        if _obfuscated(raw):
            weight *= 1.5
            evidence += f" (written “{raw}”)"
        return [Reason("contact.phone", weight, evidence)]
    return []


def contacts(context):
    """E-mail addresses outside the allowed domains, spelled-out addresses, messaging handles."""
    prose, policy = context.sample.prose, context.policy
    lowered = prose.lower()
    found = []
    for match in EMAIL.finditer(prose) if "@" in prose else ():
        domain = match.group(1).lower()
        if not domain_in(domain, policy.allowed) and not domain.endswith("example.com"):
            found.append(match.group(0))
    # The patterns are costly; most posts lack the words they need and skip them.
    if "dot" in lowered:
        found += [m.group(0) for m in SPELLED_EMAIL.finditer(prose)]
    if any(word in lowered for word in MESSAGING_WORDS):
        found += [m.group(0) for m in MESSAGING.finditer(prose)]
    if not found:
        return []
    evidence = "contact " + ", ".join(f"“{item.strip()[:40]}”" for item in found[:2])
    weight = policy.w_contact * (1.5 if len(found) > 1 else 1.0)
    return [Reason("contact.other", weight, evidence)]
