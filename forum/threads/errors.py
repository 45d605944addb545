class ContentError(ValueError):
    """A refused change to forum content; ``field`` names the form field it concerns and
    ``status`` the HTTP status a view should answer with. ``errors`` maps every refused field
    to its message (clean_each refuses several at once; the first is the error's own)."""

    status = 400

    def __init__(self, message, field=None, errors=None):
        super().__init__(message)
        self.field = field
        self.errors = errors or ({field: message} if field else {})


def clean_each(*steps):
    """Each ``(clean, value)`` step's result, in order. When any step refuses its value, one
    error of the first refusal's class names every refused field, so a client fixes them all
    in one go instead of learning of them one by one."""
    results, refusals = [], []
    for clean, value in steps:
        try:
            results.append(clean(value))
        except ContentError as error:
            refusals.append(error)
    if not refusals:
        return results
    errors = {field: message for error in refusals for field, message in error.errors.items()}
    first = refusals[0]
    raise type(first)(str(first), first.field, errors)
