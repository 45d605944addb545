"""URL converters shared by every blueprint: a value no database column could hold is a 404
before any view runs, instead of a database error."""

from werkzeug.routing import BaseConverter, IntegerConverter, UnicodeConverter

# The largest id a 32-bit INTEGER column holds (PostgreSQL's limit; SQLite's is larger).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` up to MAX_ID, so /threads/99999999999999999999 is a 404, not an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class PositiveIdConverter(BaseConverter):
    """``<id:…>`` (the API's routes): a positive id of at most 18 digits. Anything else fails to
    match the path, so it is a 404 (not the 405 Werkzeug gives when a converter refuses a path
    another method's rule matched). Ids beyond MAX_ID become 0, which no row has: a 404 too."""

    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value):
        number = int(value)
        return number if number <= MAX_ID else 0

    def to_url(self, value):
        return str(value)


class TextConverter(UnicodeConverter):
    """``<slug>``, ``<username>``…: a path segment without NUL bytes, which PostgreSQL
    refuses in a query."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        if length is not None:
            count = f"{{{int(length)}}}"
        else:
            count = f"{{{int(minlength)},{'' if maxlength is None else int(maxlength)}}}"
        self.regex = f"[^/\\x00]{count}"


def register(url_map):
    """Put these converters behind ``<int:…>`` and plain ``<…>``; call before adding routes."""
    url_map.converters["int"] = IdConverter
    url_map.converters["id"] = PositiveIdConverter
    url_map.converters["default"] = url_map.converters["string"] = TextConverter
