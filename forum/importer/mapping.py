"""The import map: which local row each item of a source became."""

import hashlib

from forum.clock import utcnow
from forum.extensions import db
from forum.importer.models import ImportMapping

LOOKUP_CHUNK = 500  # ids per IN (…) list


def digest(*fields):
    """A short hash of the source fields an item was imported from."""
    text = "\x1f".join("" if field is None else str(field) for field in fields)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Map:
    """Lookups and writes for one source (``stackexchange:<site>``)."""

    def __init__(self, source):
        self.source = source

    def find(self, kind, external_ids):
        """``{external_id: ImportMapping}`` for those of ``external_ids`` already imported."""
        ids = sorted({str(i) for i in external_ids if i is not None})
        found = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            rows = db.session.scalars(
                db.select(ImportMapping).where(
                    ImportMapping.source == self.source,
                    ImportMapping.kind == kind,
                    ImportMapping.external_id.in_(ids[start : start + LOOKUP_CHUNK]),
                )
            )
            found.update((row.external_id, row) for row in rows)
        return found

    def add(self, kind, external_id, local_id, hashed=None, ref=None, content=None):
        row = ImportMapping(
            source=self.source,
            kind=kind,
            external_id=str(external_id),
            local_id=local_id,
            digest=hashed,
            ref=ref,
            content=content,
        )
        db.session.add(row)
        return row

    @staticmethod
    def touch(row, hashed, **changes):
        row.digest, row.updated_at = hashed, utcnow()
        for name, value in changes.items():
            setattr(row, name, value)

    def comments_of(self, post_ids):
        """``{post_id: [Markdown of each comment, oldest first]}``."""
        section = {}
        rows = db.session.execute(
            db.select(ImportMapping.local_id, ImportMapping.content)
            .where(
                ImportMapping.source == self.source,
                ImportMapping.kind == "comment",
                ImportMapping.local_id.in_(list(post_ids)),
            )
            .order_by(ImportMapping.id)
        )
        for post_id, content in rows:
            section.setdefault(post_id, []).append(content)
        return section
