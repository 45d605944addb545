"""Keeping articles in step with the threads they were drafted from.

Thread services call these inside their own transaction (no commit here): accepting an answer
drafts an article (or points the existing one at the new answer), and anything that changes
the answer under a drafted article puts it on the needs-review list.
"""

from forum import markup
from forum.extensions import db
from forum.kb import services
from forum.kb.models import Article, ArticleRevision
from forum.slugs import slugify
from forum.threads.models import Post

SUMMARY_CHARS = 300


def article_for_thread(thread_id):
    return db.session.scalar(db.select(Article).where(Article.source_thread_id == thread_id))


def flag(article, reason):
    if article is not None:
        article.needs_review, article.review_reason = True, reason[:200]


def _fill_from_answer(article, thread, post, actor, note):
    question = thread_question(thread)  # read before the new article joins the session
    title, summary, body = services.clean_fields(
        thread.title, markup.excerpt(question.body, SUMMARY_CHARS), post.body
    )
    article.title, article.slug = title, slugify(title)
    article.summary, article.body, article.html = summary, body, markup.render(body)
    db.session.add(article)
    services.add_revision(article, actor, note)


def thread_question(thread):
    return db.session.scalar(
        db.select(Post).where(Post.thread_id == thread.id, Post.is_question.is_(True))
    )


def answer_accepted(actor, thread, post, previous_id):
    """Draft an article from ``thread`` and its newly accepted ``post``, or point the thread's
    existing article at it. A draft nobody edited yet follows the new answer; a changed answer
    always puts the article on the needs-review list. ``actor`` is None for an import."""
    article = article_for_thread(thread.id)
    if article is None:
        article = Article(
            source_thread_id=thread.id,
            category_id=thread.category_id,
            created_by_id=actor.id if actor else None,
            status="draft",
        )
        _fill_from_answer(article, thread, post, actor, "Drafted from the accepted answer")
        _point_at(article, post)
        if services.auto_publish(actor):
            services.mark_published(article)
        return article
    if article.source_post_id != post.id or previous_id is None:
        if article.status == "draft" and _untouched(article):
            _fill_from_answer(
                article, thread, post, actor, "Redrafted from the new accepted answer"
            )
        flag(
            article,
            "The accepted answer changed." if previous_id else "An answer was accepted again.",
        )
    _point_at(article, post)
    return article


def _point_at(article, post):
    article.source_post_id, article.credited_user_id = post.id, post.author_id
    services._changed(article)


def _untouched(article):
    notes = db.session.scalars(
        db.select(ArticleRevision.note).where(ArticleRevision.article_id == article.id)
    ).all()
    return all(note.startswith(("Drafted", "Redrafted")) for note in notes)


def answer_unaccepted(thread):
    flag(article_for_thread(thread.id), "The accepted answer was unmarked.")


def answer_hidden(post):
    """The accepted answer was hidden, held or removed by moderation."""
    if post.thread.accepted_post_id == post.id:
        flag(article_for_thread(post.thread_id), "The accepted answer is no longer visible.")


def answer_edited(post):
    thread = post.thread
    if thread.accepted_post_id == post.id:
        flag(article_for_thread(thread.id), "The accepted answer was edited.")


def reply_added(thread, post):
    """A reply that became visible after the answer was accepted may correct or outdate it."""
    if thread.solved_at is not None and post.created_at >= thread.solved_at:
        flag(article_for_thread(thread.id), "The thread got new replies after acceptance.")
