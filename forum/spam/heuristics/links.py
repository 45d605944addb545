"""Link heuristics: how many, where, through a shortener, behind misleading text."""

import re
from difflib import SequenceMatcher

from forum.spam.text import WORD, host_of, mentioned_domains
from forum.spam.verdict import Reason

SHORTENERS = frozenset(
    "bit.ly tinyurl.com t.co goo.gl ow.ly is.gd buff.ly rebrand.ly cutt.ly shorturl.at tiny.cc "
    "rb.gy t.ly s.id bl.ink v.gd soo.gd clck.ru qr.ae lnkd.in trib.al shorte.st adf.ly ouo.io "
    "bc.vc linktr.ee tr.im x.co short.io urlz.fr".split()
)
EDGE_CHARS = 3
LINK_ONLY_WORDS = 12
NON_ALNUM = re.compile(r"[^a-z0-9]")


def _cap(context):
    trust, policy = context.trust, context.policy
    if trust in ("trusted", "team"):
        return None, ""
    if trust == "new" and context.author.first_post:
        return policy.links_first_post, "a first post from a new account"
    if trust == "new":
        return policy.links_new, "a post from a new account"
    return policy.links_basic, "a post from a basic account"


def link_count(context):
    """Too many links for the author's trust (forces a hold), or many links for little text
    (trusted authors are exempt from both)."""
    found, policy = context.links, context.policy
    reasons = []
    cap, who = _cap(context)
    if cap is not None and len(found) > cap:
        domains = ", ".join(sorted({link.domain for link in found})[:3])
        evidence = f"{len(found)} link(s) to {domains}; {who} may have {cap}"
        reasons.append(Reason("links.cap", policy.w_link_cap, evidence, "hold"))
    words = max(len(context.sample.words), 1)
    dense = len(found) >= 2 and len(found) * 100 / words > policy.links_per_100_words
    if dense and cap is not None:
        evidence = f"{len(found)} links in {words} words"
        reasons.append(Reason("links.density", policy.w_link_density, evidence))
    return reasons


def link_edges(context):
    prose = context.sample.prose
    stripped_start = len(prose) - len(prose.lstrip())
    stripped_end = len(prose.rstrip())
    for link in context.links:
        if link.start - stripped_start <= EDGE_CHARS:
            return [Reason("links.edge", context.policy.w_link_edge, f"starts with {link.url}")]
        if stripped_end - link.end <= EDGE_CHARS and len(context.sample.words) < 80:
            return [Reason("links.edge", context.policy.w_link_edge, f"ends with {link.url}")]
    return []


def shorteners(context):
    short = sorted({link.domain for link in context.links if link.domain in SHORTENERS})
    if not short:
        return []
    return [Reason("links.shortener", context.policy.w_shortener, "via " + ", ".join(short))]


def _named_domain(text):
    text = (text or "").strip()
    if "://" in text or text.lower().startswith("www."):
        return host_of(text.split()[0])
    named = mentioned_domains(text)
    return named[0] if named else None


def misleading_text(context):
    """Link text that names one domain while the link goes to another."""
    for link in context.links:
        named = _named_domain(link.text)
        if named and named != link.domain and not link.domain.endswith("." + named):
            evidence = f"text says {named}, link goes to {link.domain}"
            return [Reason("links.misleading", context.policy.w_misleading_link, evidence)]
    return []


def link_only_reply(context):
    sample = context.sample
    if sample.is_question or not context.links:
        return []
    prose = sample.prose
    for link in reversed(context.links):
        prose = prose[: link.start] + " " + prose[link.end :]
    words = len(WORD.findall(prose))
    if words >= LINK_ONLY_WORDS:
        return []
    evidence = f"{words} word(s) besides {len(context.links)} link(s)"
    return [Reason("links.link_only_reply", context.policy.w_link_only_reply, evidence)]


def _label(domain):
    parts = domain.split(".")
    return NON_ALNUM.sub("", max(parts[:-1] or parts, key=len))


def _alike(a, b):
    matcher = SequenceMatcher(None, a, b)
    # The cheap upper bounds rule out most pairs before the full comparison.
    return (
        matcher.real_quick_ratio() >= 0.8
        and matcher.quick_ratio() >= 0.8
        and matcher.ratio() >= 0.8
    )


def username_domain(context):
    """The author is named after the site they link to: self-promotion."""
    name = NON_ALNUM.sub("", context.author.username.lower())
    if len(name) < 4:
        return []
    for domain in sorted(context.sample.domains):
        if context.policy.is_allowed(domain):
            continue
        label = _label(domain)
        similar = len(label) >= 4 and (label in name or name in label or _alike(name, label))
        if similar:
            evidence = f"username {context.author.username} ~ {domain}"
            return [Reason("links.username_domain", context.policy.w_username_domain, evidence)]
    return []
