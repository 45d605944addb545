class ContentError(ValueError):
    """A refused change to forum content; ``field`` names the form field it concerns and
    ``status`` the HTTP status a view should answer with."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
