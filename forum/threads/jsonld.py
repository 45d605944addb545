"""schema.org ``QAPage`` data for a thread page: the question, its accepted answer and the other
visible replies on the first page as suggested answers. Only what a visitor may read goes in
(the team's page also lists held posts; they are left out here)."""

from flask import request

from forum.search.schema import plain_text

MAX_ANSWERS = 30
TEXT_CHARS = 5000


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _person(user):
    return {
        "@type": "Person",
        "name": user.username,
        "url": request.host_url.rstrip("/") + user.url,
    }


def _answer(post):
    return {
        "@type": "Answer",
        "text": plain_text(post.html, TEXT_CHARS),
        "dateCreated": _iso(post.created_at),
        "url": request.host_url.rstrip("/") + post.url,
        "author": _person(post.author),
    }


def qa_page(thread, posts):
    """The QAPage object for a visible ``thread`` whose first page shows ``posts`` (the
    question first); the accepted answer and the other visible replies shown there become
    ``acceptedAnswer`` and ``suggestedAnswer``. None when a visitor could not see it."""
    if thread.status != "visible" or not posts or not posts[0].is_question:
        return None
    question = posts[0]
    accepted = thread.accepted_post if thread.accepted_post_id else None
    accepted = accepted if accepted is not None and accepted.status == "visible" else None
    others = [p for p in posts[1:] if p.status == "visible" and p is not accepted]
    entity = {
        "@type": "Question",
        "name": thread.title,
        "text": plain_text(question.html, TEXT_CHARS) or thread.title,
        "dateCreated": _iso(thread.created_at),
        "author": _person(thread.author),
        "answerCount": thread.reply_count,
    }
    if accepted is not None:
        entity["acceptedAnswer"] = _answer(accepted)
    if others:
        entity["suggestedAnswer"] = [_answer(p) for p in others[:MAX_ANSWERS]]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}
