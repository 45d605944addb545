"""The knowledge-base pages read a constant number of times, however many articles or
revisions they list, by however many writers, in however many categories."""

from functools import partial

from forum.categories.models import Category
from forum.extensions import db
from forum.kb import feedback
from forum.kb import services as kb
from forum.kb.models import Article
from forum.threads import answers
from forum.users.models import User
from tests import factories
from tests.sql import assert_constant_queries, page_queries


def test_kb_home_reads_a_constant_number_of_times(client):
    def add(n):
        """``n`` articles, each by its own writer in its own category, half found helpful."""
        for i in range(n):
            writer = factories.make_user("staff")
            article = kb.create(
                writer, f"Mirror setup {n}-{i}", "", "Mirror it.", factories.make_category(), True
            )
            feedback.vote(article, f"user:{writer.id}", i % 2 == 0)

    measure = partial(page_queries, client, "/kb/", r"Mirror setup \d+-\d+")
    assert_constant_queries(measure, add, [(2, 2), (6, 8)])


def test_article_page_reads_a_constant_number_of_times(client, staff, category):
    article = kb.create(staff, "Mirror a drive", "", "Mirror it.", category, publish=True)
    url, category_id = f"/kb/{article.id}/{article.slug}", category.id

    def add(n):
        """``n`` related articles (same category), each by its own writer."""
        place = db.session.get(Category, category_id)
        for i in range(n):
            kb.create(factories.make_user("staff"), f"Mirror tip {n}-{i}", "", "Tip.", place, True)

    measure = partial(page_queries, client, url, r"Mirror tip \d+-\d+")
    assert_constant_queries(measure, add, [(1, 1), (4, 5)])


def test_manage_list_reads_a_constant_number_of_times(client, auth, staff):
    """Drafts from accepted answers name their thread; every row has its own category, thread,
    asker and credited answerer, so a query per row would show."""
    auth.login(staff)
    staff_id = staff.id

    def add(n):
        editor = db.session.get(User, staff_id)
        for i in range(n):
            place = factories.make_category()
            thread = factories.make_thread(factories.make_user(), place, f"Mirror stalls {n}-{i}")
            answer = factories.make_reply(factories.make_trusted_user(), thread, "Resume it.")
            answers.accept_answer(editor, answer)
            writer = factories.make_user("staff")
            kb.create(writer, f"Mirror setup {n}-{i}", "", "Mirror it.", place)

    rows = r'href="/kb/(\d+)/edit"'
    measure = partial(page_queries, client, "/kb/manage?status=all", rows)
    assert_constant_queries(measure, add, [(1, 2), (5, 12)])


def test_history_reads_a_constant_number_of_times(client, auth, staff, category):
    """Each revision names its author: read with the revisions, not one query per writer."""
    article = kb.create(staff, "Mirror a drive", "", "Mirror it.", category, publish=True)
    article_id, url = article.id, f"/kb/{article.id}/history"
    auth.login(staff)

    def edit(n):
        """``n`` more revisions, each by another writer."""
        for _ in range(n):
            writer = factories.make_user("staff")
            article = db.session.get(Article, article_id)
            body = f"{article.body} Then check it, says {writer.username}."
            kb.save(writer, article, article.title, "", body, article.category)

    measure = partial(page_queries, client, url, r'href="/kb/\d+/revisions/(\d+)"')
    assert_constant_queries(measure, edit, [(1, 2), (9, 11)])


def test_kb_search_reads_a_constant_number_of_times(client):
    def add(n):
        """``n`` matching articles, each in its own category (the hit shows it)."""
        for i in range(n):
            place = factories.make_category(f"Product {n}-{i}", f"product-{n}-{i}")
            writer = factories.make_user("staff")
            kb.create(writer, f"Mirror setup {n}-{i}", "Mirror a drive.", "Mirror it.", place, True)

    measure = partial(page_queries, client, "/kb/search?q=mirror", r"in (Product \d+-\d+)")
    assert_constant_queries(measure, add, [(2, 2), (6, 8)])
