from forum.threads.errors import ContentError


class ModerationError(ValueError):
    """A refused moderation action; ``status`` is the HTTP status a view should answer with."""

    status = 400


class AlreadyResolved(ModerationError):
    """Another moderator (or an earlier request) decided the item first."""

    status = 409


class Rejected(ContentError):
    """A post the spam layers refuse outright; ``verdict`` says why."""

    status = 422

    def __init__(self, message, verdict):
        super().__init__(message, "body")
        self.verdict = verdict


class RateLimited(ContentError):
    """A new account posting faster than its limit; ``retry_after`` is seconds until the
    limit's window resets (None when unknown)."""

    status = 429

    def __init__(self, message, field=None, retry_after=None):
        super().__init__(message, field)
        self.retry_after = retry_after


class Silenced(ContentError):
    """The author is silenced by a moderator. Forms show the message with the text kept (400);
    the API answers 403, since no change to the post would help."""
