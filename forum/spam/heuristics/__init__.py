"""Heuristics in the spirit of SmokeDetector. Each check takes a Context and returns Reasons;
a check that sees nothing returns an empty list."""

from dataclasses import dataclass, field
from functools import cached_property

from forum.spam.heuristics import contact, content, history, links, phrases


@dataclass
class Context:
    sample: object
    author: object
    trust: str
    policy: object
    # Results that several checks share (the recent posts query).
    cache: dict = field(default_factory=dict)

    @cached_property
    def links(self):
        """The links that count: allowed domains never do."""
        return [link for link in self.sample.links if not self.policy.is_allowed(link.domain)]


CHECKS = (
    links.link_count,
    links.link_edges,
    links.shorteners,
    links.misleading_text,
    links.link_only_reply,
    links.username_domain,
    contact.phone_numbers,
    contact.contacts,
    content.repeated_characters,
    content.repeated_words,
    content.foreign_script,
    phrases.spam_phrases,
    history.duplicates,
    history.velocity,
)


def run(sample, author, trust, policy):
    """Every heuristic's reasons for this sample."""
    context = Context(sample, author, trust, policy)
    reasons = []
    for check in CHECKS:
        reasons.extend(check(context))
    return reasons
