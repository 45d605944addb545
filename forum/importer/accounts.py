"""Placeholder accounts for the people of an imported community.

They own their posts and have a profile, and nobody can sign in as them: the password hash is
not a hash anything matches, and the email address is under ``.invalid``, a top-level domain
reserved never to exist (RFC 2606), so no mail and no password reset can reach anyone.
"""

import re
import unicodedata

from forum.extensions import db
from forum.users.confusables import confusable_key
from forum.users.models import User
from forum.users.rules import username_key, username_problem

UNUSABLE_PASSWORD = "!imported"  # werkzeug's check_password_hash is False for it
EMAIL_DOMAIN = "imported.invalid"
BASE_MAX = 24  # leaves room for "-99999" within the 30 characters of a username


def username_base(display_name, fallback):
    """A valid username from a display name: accents dropped, other characters turned into
    "_", 3 to 24 characters; ``fallback`` when nothing usable is left (e.g. a non-Latin
    name)."""
    ascii_name = unicodedata.normalize("NFKD", display_name or "").encode("ascii", "ignore")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_name.decode().strip())
    name = re.sub(r"[_.-]{2,}", "_", name).strip("_.-")[:BASE_MAX].rstrip("_.-")
    return name if len(name) >= 3 else fallback


class Accounts:
    """Creates placeholder users with unique names; remembers names taken in this run."""

    def __init__(self, site):
        self.site = re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-") or "site"
        self.claimed = set()

    def unique_name(self, base):
        """``base``, or ``base-2``, ``base-3``, … : the first that is valid, free, and does not
        look like an existing name (so an imported "m0d" cannot pass for the local "mod")."""
        for n in range(1, 100_000):
            name = base if n == 1 else f"{base}-{n}"
            key, skeleton = username_key(name), confusable_key(name)[:120]
            if key in self.claimed or skeleton in self.claimed or username_problem(name):
                continue
            taken = db.select(User.id).where(
                (User.username_key == key) | (User.username_skeleton == skeleton)
            )
            if db.session.scalar(taken.limit(1)) is None:
                self.claimed.update((key, skeleton))
                return name
        raise RuntimeError(f"no free username for {base!r}")

    def create(self, external_id, display_name, created_at):
        """A new placeholder user (flushed, so it has an id)."""
        fallback = f"user{external_id}".replace("-", "m")
        name = self.unique_name(username_base(display_name, fallback))
        email = f"{self.site}-{external_id}@{EMAIL_DOMAIN}".lower()
        user = User(
            username=name,
            username_key=username_key(name),
            username_skeleton=confusable_key(name)[:120],
            email=email[:254],
            password_hash=UNUSABLE_PASSWORD,
            role="customer",
            email_notifications="never",  # nobody reads mail at imported.invalid
        )
        if created_at is not None:
            user.created_at = created_at
        db.session.add(user)
        db.session.flush()
        return user
