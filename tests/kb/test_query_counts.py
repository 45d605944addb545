"""The knowledge-base pages read a constant number of times, however many articles or
revisions they list, by however many writers, in however many categories."""

import re

from forum.categories.models import Category
from forum.extensions import db
from forum.kb import feedback
from forum.kb import services as kb
from forum.kb.models import Article
from forum.threads import answers
from forum.users.models import User
from tests import factories
from tests.pages import text
from tests.sql import PAGE_BUDGET, get_counted


def measure(client, url, pattern):
    """(queries, distinct matches of ``pattern`` on the page) of a GET of ``url``."""
    response, statements = get_counted(client, url)
    assert response.status_code == 200
    return len(statements), len(set(re.findall(pattern, text(response))))


def test_kb_home_reads_a_constant_number_of_times(client):
    def add(n):
        """``n`` articles, each by its own writer in its own category, half found helpful."""
        for i in range(n):
            writer = factories.make_user("staff")
            article = kb.create(
                writer, f"Mirror setup {n}-{i}", "", "Mirror it.", factories.make_category(), True
            )
            feedback.vote(article, f"user:{writer.id}", i % 2 == 0)

    add(2)
    few, shown = measure(client, "/kb/", r"Mirror setup \d+-\d+")
    assert shown == 2
    add(6)
    many, shown = measure(client, "/kb/", r"Mirror setup \d+-\d+")
    assert shown == 8
    assert few == many, f"2 articles: {few} queries, 8 articles: {many} queries"
    assert many <= PAGE_BUDGET


def test_article_page_reads_a_constant_number_of_times(client, staff, category):
    article = kb.create(staff, "Mirror a drive", "", "Mirror it.", category, publish=True)
    url, category_id = f"/kb/{article.id}/{article.slug}", category.id

    def add(n):
        """``n`` related articles (same category), each by its own writer."""
        place = db.session.get(Category, category_id)
        for i in range(n):
            kb.create(factories.make_user("staff"), f"Mirror tip {n}-{i}", "", "Tip.", place, True)

    add(1)
    few, related = measure(client, url, r"Mirror tip \d+-\d+")
    assert related == 1
    add(4)
    many, related = measure(client, url, r"Mirror tip \d+-\d+")
    assert related == 5
    assert few == many, f"1 related article: {few} queries, 5: {many} queries"
    assert many <= PAGE_BUDGET


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
    add(1)
    few, listed = measure(client, "/kb/manage?status=all", rows)
    assert listed == 2
    add(5)
    many, listed = measure(client, "/kb/manage?status=all", rows)
    assert listed == 12
    assert few == many, f"2 articles: {few} queries, 12 articles: {many} queries"
    assert many <= PAGE_BUDGET


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

    edit(1)
    few, revisions = measure(client, url, r'href="/kb/\d+/revisions/(\d+)"')
    assert revisions == 2
    edit(9)
    many, revisions = measure(client, url, r'href="/kb/\d+/revisions/(\d+)"')
    assert revisions == 11
    assert few == many, f"2 revisions: {few} queries, 11 revisions: {many} queries"
    assert many <= PAGE_BUDGET


def test_kb_search_reads_a_constant_number_of_times(client):
    def add(n):
        """``n`` matching articles, each in its own category (the hit shows it)."""
        for i in range(n):
            place = factories.make_category(f"Product {n}-{i}", f"product-{n}-{i}")
            writer = factories.make_user("staff")
            kb.create(writer, f"Mirror setup {n}-{i}", "Mirror a drive.", "Mirror it.", place, True)

    add(2)
    few, hits = measure(client, "/kb/search?q=mirror", r"in (Product \d+-\d+)")
    assert hits == 2
    add(6)
    many, hits = measure(client, "/kb/search?q=mirror", r"in (Product \d+-\d+)")
    assert hits == 8
    assert few == many, f"2 hits: {few} queries, 8 hits: {many} queries"
    assert many <= PAGE_BUDGET
