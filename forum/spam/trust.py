"""Trust levels: new → basic → trusted, earned by approved posts and account age.

The team (moderators, staff, admins) has its own level and is never held.
"""

from dataclasses import dataclass

from forum.clock import utcnow

LEVELS = ("new", "basic", "trusted", "team")
TEAM_ROLES = ("moderator", "staff", "admin")


@dataclass(frozen=True)
class Author:
    """What the spam layers know about an author. ``id`` is None for a hypothetical author
    (the ``spam score`` command), which skips the checks that need the author's history."""

    username: str
    approved_posts: int = 0
    age_days: float = 0.0
    role: str = "customer"
    id: int | None = None

    @classmethod
    def of(cls, user):
        age = (utcnow() - user.created_at).total_seconds() / 86400 if user.created_at else 0.0
        return cls(user.username, user.approved_posts or 0, age, user.role, user.id)

    @property
    def first_post(self):
        return self.approved_posts == 0


def level(author, policy):
    """The trust level of ``author`` under ``policy``'s thresholds."""
    if author.role in TEAM_ROLES:
        return "team"
    posts, age = author.approved_posts, author.age_days
    if posts >= policy.trusted_min_posts and age >= policy.trusted_min_age_days:
        return "trusted"
    if posts >= policy.basic_min_posts and age >= policy.basic_min_age_days:
        return "basic"
    return "new"


def user_level(user, policy):
    return level(Author.of(user), policy)
