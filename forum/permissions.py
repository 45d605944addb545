"""Who may do what. Pure predicates used by views, templates and tests alike."""

from flask import abort


def require(allowed):
    """Abort with 403 unless ``allowed``; views call it after loading the object."""
    if not allowed:
        abort(403)


def _signed_in(user):
    return user is not None and user.is_authenticated and not user.is_banned


def is_team(user):
    return _signed_in(user) and user.is_team


def can_admin(user):
    return _signed_in(user) and user.role == "admin"


def can_moderate(user):
    """Moderators, staff and admins lock, pin, move, edit and delete anything."""
    return is_team(user)


def can_post(user):
    return _signed_in(user)


def can_view_thread(user, thread):
    if thread.status == "visible":
        return True
    if thread.status == "held" and _signed_in(user) and user.id == thread.author_id:
        return True
    return is_team(user)


def can_view_post(user, post):
    if post.status == "visible":
        return True
    if post.status == "held" and _signed_in(user) and user.id == post.author_id:
        return True
    return is_team(user)


def can_reply(user, thread):
    """Refuses anonymous and banned users, hidden threads, and locked threads (except the team)."""
    if not can_post(user) or thread.status != "visible":
        return False
    return not thread.locked or is_team(user)


def can_edit_post(user, post):
    """Authors edit their own live posts unless the thread is locked; the team edits anything."""
    if is_team(user):
        return post.status != "deleted"
    if not can_post(user) or user.id != post.author_id:
        return False
    return post.status in ("visible", "held") and not post.thread.locked


def can_delete_post(user, post):
    return can_edit_post(user, post)


def can_accept_answer(user, thread):
    return is_team(user) and thread.status == "visible"


def can_view_search_log(user):
    """Staff and admins read the search log (queries, clicks, deflections); moderators do not:
    it measures support, not moderation."""
    return _signed_in(user) and user.is_staff


def can_view_history(user, post):
    return can_view_post(user, post)


def can_review(user):
    """The moderation queue, the audit log and every moderator action: the team only."""
    return is_team(user)


def can_flag(user, post):
    """Signed-in, non-silenced users may report a visible post by someone else."""
    return (
        can_post(user)
        and not user.is_silenced
        and post.status == "visible"
        and post.author_id != user.id
    )


def can_ban(actor, user):
    """The team silences and bans customers; never team accounts, never themselves."""
    return can_review(actor) and user.role == "customer" and actor.id != user.id


def can_delete_account(user):
    """Members delete their own account; the team cannot (an admin demotes them first), so
    that the forum never loses its last admin or a moderator's record by accident."""
    return _signed_in(user) and not user.is_team


def can_edit_spam_settings(user):
    return can_admin(user)


def can_suggest_answer(user, post):
    """The asker may suggest which visible reply solved their question, until one is accepted."""
    thread = post.thread
    return (
        can_post(user)
        and user.id == thread.author_id
        and thread.status == "visible"
        and thread.accepted_post_id is None
        and not post.is_question
        and post.status == "visible"
    )


def can_manage_kb(user):
    """Staff and admins write, edit, publish, archive and review knowledge-base articles."""
    return _signed_in(user) and user.is_staff


def can_view_article(user, article):
    """Published articles are for everyone; drafts and archived ones for KB editors only."""
    return article.status == "published" or can_manage_kb(user)


def can_view_unanswered(user):
    """The unanswered queue is for everyone who answers on the company's behalf: the team."""
    return is_team(user)


def can_view_dashboard(user):
    """The service-quality dashboard measures support: staff and admins."""
    return _signed_in(user) and user.is_staff


def can_follow_thread(user, thread):
    """Signed-in members follow any thread they can read."""
    return _signed_in(user) and can_view_thread(user, thread)


def can_follow_category(user):
    return _signed_in(user)
