"""``assess(post, author) -> Verdict``: the one place where the spam layers are combined."""

from forum.spam import classifier, heuristics, rules
from forum.spam.policy import load_policy
from forum.spam.text import Sample
from forum.spam.trust import Author, level
from forum.spam.verdict import Reason, Verdict, decide


def sample_of(post, title=None):
    """A Sample from a Post (with its thread's title for a question) or a Sample as is."""
    if isinstance(post, Sample):
        return post
    if title is None and post.is_question and post.thread is not None:
        title = post.thread.title
    return Sample(title if post.is_question else "", post.body, post.is_question, post.id)


def author_of(user):
    return user if isinstance(user, Author) else Author.of(user)


def assess(post, author, policy=None):
    """Score a post (a Post or a Sample) by its author (a User or an Author).

    Layers: admin rules, heuristics, the classifier (skipped for trusted authors), trust
    thresholds. Moderators, staff and admins are never held: they get "publish" at once.
    """
    policy = policy or load_policy()
    sample, author = sample_of(post), author_of(author)
    trust = level(author, policy)
    if trust == "team":
        return Verdict(
            "publish", 0.0, [Reason("trust.team", 0.0, f"{author.role}: never held")], trust
        )
    reasons = rules.check(sample, policy)
    reasons += heuristics.run(sample, author, trust, policy)
    if trust != "trusted":
        reasons += classifier.check(sample, policy)
    if policy.premoderate_new and trust == "new":
        reasons.append(
            Reason("trust.premoderation", 0.0, "every new account's post is reviewed", "hold")
        )
    verdict = decide(reasons, trust, policy)
    return verdict
