"""Moderator decisions as classifier training: approve → ham, remove as spam → spam.

Each post remembers what it was trained as (``trained_as``), so a decision that is changed or
undone takes its old lesson back before teaching the new one.
"""

from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.spam import classifier
from forum.spam.models import SpamModel
from forum.spam.scoring import sample_of
from forum.threads.models import Post


def label_post(post, label):
    """Train ``post`` as ``label`` ("spam", "ham" or None to forget it); the caller commits."""
    if post.trained_as == label:
        return
    sample = sample_of(post)
    if post.trained_as:
        classifier.learn([sample], post.trained_as, sign=-1)
    if label:
        classifier.learn([sample], label)
    post.trained_as = label


def labels_from_audit():
    """Post id → label as the audit log leaves it: the last decision that was not undone."""
    entries = db.session.scalars(
        db.select(ModerationAction)
        .where(ModerationAction.action.in_(("approve", "remove", "ban", "undo")))
        .order_by(ModerationAction.id)
    ).all()
    undone = {e.after.get("undoes") for e in entries if e.action == "undo" and e.after}
    labels = {}
    for entry in entries:
        if entry.id in undone or entry.action == "undo":
            continue
        after = entry.after or {}
        if entry.action == "approve":
            labels[entry.target_id] = "ham"
        elif entry.action == "remove":
            labels[entry.target_id] = "spam" if after.get("spam") else None
        elif entry.action == "ban" and after.get("spam"):
            for post_id in (entry.before or {}).get("posts", {}):
                labels[int(post_id)] = "spam"
    return {post_id: label for post_id, label in labels.items() if label}


def retrain(with_corpus=True):
    """Forget the model and learn it again from the starter corpus (unless ``with_corpus`` is
    false) and every standing moderator decision in the audit log. One commit; returns counts."""
    from forum.spam.corpus import digest, load, seed_samples

    classifier.reset()
    db.session.execute(db.update(Post).values(trained_as=None))
    counts = {"spam": 0, "ham": 0, "corpus": 0}
    if with_corpus:
        counts["corpus"] = seed_samples(load())
        db.session.get(SpamModel, 1).corpus_digest = digest()
    labels = labels_from_audit()
    posts = db.session.scalars(db.select(Post).where(Post.id.in_(list(labels)))).all()
    for label in ("spam", "ham"):
        chosen = [post for post in posts if labels[post.id] == label]
        classifier.learn([sample_of(post) for post in chosen], label)
        for post in chosen:
            post.trained_as = label
        counts[label] = len(chosen)
    db.session.commit()
    return counts
