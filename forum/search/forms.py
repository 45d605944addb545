"""The results page's filter controls, read from the query string. Bad values are ignored with
a notice: a search page answers every URL."""

from forum.search.syntax import Filters, parse_date

SOLVED_CHOICES = {"solved": True, "unsolved": False, "true": True, "false": False}
TYPE_CHOICES = ("thread", "article")


def filters_from_args(args):
    """``(Filters, notices)`` from the page's ``category``, ``solved``, ``type``, ``author``,
    ``after`` and ``before`` parameters; empty values mean "any"."""
    notices = []
    dates = {}
    for name in ("after", "before"):
        value = (args.get(name) or "").strip()
        if value:
            dates[name] = parse_date(value)
            if dates[name] is None:
                notices.append(f"“{value}” is not a date (use 2024-05-31), so it was ignored.")
    doc_type = args.get("type") or None
    filters = Filters(
        category=(args.get("category") or "").strip().lower() or None,
        solved=SOLVED_CHOICES.get(args.get("solved") or ""),
        type=doc_type if doc_type in TYPE_CHOICES else None,
        author=(args.get("author") or "").strip().lstrip("@") or None,
        **dates,
    )
    return filters, notices
