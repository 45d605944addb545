"""Text that tries to break the layout: no horizontal scrolling at 390 px or 1280 px, whatever
the length of a word, a link, a code line or a title, and Zalgo-free accents stay inside their
line."""

from datetime import datetime

from forum.categories.services import get_by_slug
from forum.extensions import db
from forum.threads import services as threads
from forum.users.services import get_by_username

WORD = "Supercalifragilistic" * 250
TITLE = "Why " + "x" * 190
BODY = f"""A word without a break: {WORD}

A link: [https://example.com/{"a" * 3000}](https://example.com/{"a" * 3000})

```
{"log line " * 500}
```

| {"wide" * 200} | b |
|---|---|
| 1 | 2 |

Emoji 🎉🚀 and 𠜎, accents Tiếng Việt, Hebrew in an isolate ⁦שלום עולם⁩ and the end.
"""


def test_very_long_words_links_code_and_titles_do_not_break_the_layout(visitor, live_app):
    with live_app.app_context():
        author = get_by_username("sam_support")  # staff: never held for review
        category = get_by_slug("sync-backup")
        thread = threads.create_thread(author, category, TITLE, BODY, at=datetime(2020, 1, 1))
        url = f"/threads/{thread.id}/{thread.slug}"
        db.session.remove()
    visitor.goto(url)
    visitor.check("long-lines-thread")
    visitor.goto("/c/sync-backup?page=1")
    visitor.check("long-lines-category")
