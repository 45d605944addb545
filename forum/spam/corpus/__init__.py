"""The starter corpus: hand-written forum posts, spam and ham, that seed the classifier at
install (``flask spam seed``, also run by ``seed-demo``). See README.md in this folder."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from forum.clock import utcnow
from forum.extensions import db
from forum.spam import classifier
from forum.spam.models import SpamModel
from forum.spam.text import Sample

FOLDER = Path(__file__).parent
FILES = {"spam": FOLDER / "spam.jsonl", "ham": FOLDER / "ham.jsonl"}


@dataclass(frozen=True)
class Item:
    label: str
    text: str
    title: str = ""
    author: dict = field(default_factory=dict)

    @property
    def sample(self):
        return Sample(self.title, self.text, bool(self.title))


def load():
    """Every corpus item, spam first, in file order."""
    items = []
    for label, path in FILES.items():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                items.append(
                    Item(label, data["text"], data.get("title", ""), data.get("author", {}))
                )
            except (ValueError, KeyError) as error:
                raise ValueError(f"{path.name} line {number}: {error}") from None
    return items


def digest():
    content = b"".join(path.read_bytes() for path in FILES.values())
    return hashlib.sha256(content).hexdigest()


def seed_samples(items):
    """Teach the classifier ``items``; part of the caller's transaction. Returns how many."""
    for label in ("spam", "ham"):
        classifier.learn([item.sample for item in items if item.label == label], label)
    return len(items)


def seed():
    """Seed the classifier from the corpus once; returns how many items were learned (0 when
    this corpus was seeded before). A changed corpus is not added on top of the old one:
    ``spam train --from-moderation`` rebuilds from scratch."""
    row = db.session.get(SpamModel, 1)
    if row is not None and row.corpus_digest is not None:
        return 0
    count = seed_samples(load())
    row = db.session.get(SpamModel, 1)
    row.corpus_digest, row.updated_at = digest(), utcnow()
    db.session.commit()
    return count
