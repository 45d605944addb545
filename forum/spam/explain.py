"""Reasons in plain words for the author of a held or refused post.

Authors see why in general terms ("it contains a phone number"), never the rule's pattern or
the weights: those would teach a spammer what to change.
"""

PLAIN = {
    "links.cap": "new accounts can post only a few links until a moderator has approved a post",
    "links.density": "it has many links for its length",
    "links.shortener": "it uses a link shortener, which hides where a link goes",
    "links.misleading": "a link's text names a different site than the one it opens",
    "links.link_only_reply": "it is mostly a link",
    "links.username_domain": "it links to a site named like your username",
    "contact.phone": "it contains a phone number",
    "contact.other": "it contains contact details such as an e-mail address or messaging handle",
    "text.repeated_chars": "it repeats characters many times",
    "text.repeated_words": "it repeats words many times",
    "text.script": "most of it is written in a language this community doesn't use",
    "history.duplicate_own": "it repeats a post you made recently",
    "history.duplicate_other": "it repeats text posted recently by other accounts",
    "history.velocity": "you posted several messages in a short time",
    "classifier": "it resembles messages that were spam before",
    "trust.premoderation": "posts from new accounts are checked by a moderator first",
    "rule.word": "it contains a word our moderators check",
    "rule.regex": "it contains a phrase our moderators check",
    "rule.blocked_domain": "it links to a site that isn't allowed here",
}
PHRASE = "it uses phrasing that is common in advertising"


def _plain(rule):
    if rule.startswith("phrase."):
        return PHRASE
    return PLAIN.get(rule)


def reasons_in_words(reasons, limit=2):
    """Up to ``limit`` distinct plain-words reasons, heaviest first. ``reasons`` are the dicts
    stored on a post (or Reason tuples)."""
    found = []
    for reason in reasons or ():
        rule, weight = (
            (reason["rule"], reason["weight"]) if isinstance(reason, dict) else reason[:2]
        )
        forced = (reason.get("action") if isinstance(reason, dict) else reason.action) == "hold"
        words = _plain(rule)
        if words and (weight > 0 or forced) and words not in found:
            found.append(words)
    return found[:limit]


def author_reason(reasons, held=True):
    """One sentence for the author: why the post waits for review (or was refused)."""
    words = reasons_in_words(reasons)
    start = "Your post is waiting for review" if held else "Your post can't be published"
    if not words:
        return f"{start}: a moderator will take a look."
    return f"{start} because {' and '.join(words)}."
