"""Comments are quoted at the end of the post they were made on, as a list under
"Comments", oldest first.

The forum has no comments, and turning each into a reply would scatter side remarks between
the answers and count them as replies. The list starts after ``MARKER``, a Markdown link
reference definition (it renders as nothing), which the HTML converter can never produce
because it escapes every ``[``; so the post's own text and the quoted comments can always be
told apart, and an import that runs again rebuilds the list from the map.
"""

from flask import url_for

from forum import markup
from forum.extensions import db
from forum.importer import stackexchange
from forum.importer.mapping import digest
from forum.threads.models import Post
from forum.threads.services import BODY_MAX

MARKER = "\n\n[//]: # (imported-comments)\n\n**Comments**\n\n"
# The HTML of text + MARKER + list is the HTML of the text followed by that of MARKER + list:
# the marker starts a new block after a blank line and the converter closes every block it
# opens (fences included), so a post that gets its first comments renders only the list.


def split(body):
    """``(the post's own text, the quoted comments or "")``."""
    text, _, comments = body.partition(MARKER)
    return text, comments


def quote(row, author):
    """One comment as a list item: who, when, and its text on one line. Comment text in the
    dump is Stack Exchange's comment mini-Markdown (``*em*``, ``**strong**``, ``code``,
    ``[links](…)``), which our renderer reads the same way."""
    created = stackexchange.when(row.get("CreationDate"))
    day = created.strftime("%Y-%m-%d") if created else "undated"
    text = " ".join((row.get("Text") or "").replace("\x00", "").split())
    profile = url_for("users.profile", username=author.username)
    return f"- [{author.username}]({profile}) ({day}): {text}"


class CommentsChunk:
    """Imports one list of Comments.xml rows into ``run``."""

    def __init__(self, run, rows):
        self.run, self.rows = run, rows
        self.dirty = set()  # post ids whose comment list changed

    def apply(self):
        run = self.run
        post_ids = [r.get("PostId") for r in self.rows]
        parents = {**run.map.find("question", post_ids), **run.map.find("answer", post_ids)}
        known = run.map.find("comment", [r.get("Id") for r in self.rows])
        for row in self.rows:
            parent = parents.get(row.get("PostId"))
            if parent is None:
                run.skip("comment on a post that was not imported")
                continue
            if not (row.get("Text") or "").strip():
                run.skip("empty comment")
                continue
            hashed = digest(row.get("Text"), row.get("UserId"), row.get("CreationDate"))
            mapped = known.get(row.get("Id"))
            if mapped is not None and mapped.digest == hashed:
                run.count("comments", "unchanged")
                continue
            author = run.authors.of(row, user_field="UserId", name_field="UserDisplayName")
            content = quote(row, author)
            if mapped is None:
                run.map.add("comment", row["Id"], parent.local_id, hashed, content=content)
                run.count("comments", "created")
            else:
                run.map.touch(mapped, hashed, content=content, local_id=parent.local_id)
                run.count("comments", "updated")
            self.dirty.add(parent.local_id)
        db.session.flush()
        self.rebuild()

    def rebuild(self):
        """Rewrite the comment list of every post that got a new or changed comment."""
        if not self.dirty:
            return
        sections = self.run.map.comments_of(self.dirty)
        posts = db.session.scalars(db.select(Post).where(Post.id.in_(self.dirty)))
        for post in posts:
            text, _ = split(post.body)
            items = sections.get(post.id, [])
            room = BODY_MAX - len(text) - len(MARKER)
            shown = []
            for item in items:
                if sum(len(i) + 1 for i in shown) + len(item) > room - 80:
                    shown.append(f"- … {len(items) - len(shown)} more comments not shown")
                    self.run.skip("comment beyond the length a post can hold")
                    break
                shown.append(item)
            section = "\n".join(shown)
            if MARKER in post.body:
                post.html = markup.render(text + MARKER + section)
            else:  # the text's HTML stands: render only the list (see ``rendered``)
                post.html += markup.render(MARKER + section)
            post.body = text + MARKER + section
            self.run.changed(post.thread_id)
