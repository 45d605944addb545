"""Whoosh queries evaluated a posting list at a time (forum/search/setwise.py), checked against
set arithmetic on Whoosh's own single-term postings and its own scorer."""

import random

import pytest
from whoosh.query import And, AndNot, Every, Or, Prefix, Term

from forum import outbox
from forum.extensions import db
from forum.search import engine, index, setwise
from tests.factories import make_thread

WORDS = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "granite", "harbor"]


@pytest.fixture
def config_overrides():
    return {"SEARCH_BACKEND": "whoosh"}


@pytest.fixture
def forum(app, customer, category, drain):
    """Threads of random words, indexed in several commits, some then hidden: a Whoosh index
    of several segments, with deleted documents."""
    rng = random.Random(5)
    threads = []
    for _ in range(3):
        for _ in range(25):
            title = " ".join(rng.choices(WORDS, k=3))
            body = " ".join(rng.choices(WORDS, k=rng.randint(3, 30)))
            threads.append(make_thread(customer, category, title, body))
        drain()
    for thread in threads[::7]:
        thread.status = "hidden"
        outbox.emit("thread.changed", thread_id=thread.id)
    db.session.commit()
    drain()
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) > 1 or searcher.reader().has_deletions()
    return searcher


def reference(searcher, query):
    """``{docnum: score}`` of the live documents matching ``query``: each word's documents and
    scores from Whoosh's own postings and scorer, combined by set arithmetic."""
    if isinstance(query, Term):
        if ("text", query.text.encode()) not in searcher.reader():
            return {}
        matcher = searcher.postings("text", query.text)
        found = {}
        while matcher.is_active():
            found[matcher.id()] = matcher.score() * query.boost
            matcher.next()
        return found
    if isinstance(query, Every):
        return dict.fromkeys(searcher.reader().all_doc_ids(), 0.0)
    parts = [reference(searcher, child) for child in query.children()]
    if isinstance(query, AndNot):
        return {doc: score for doc, score in parts[0].items() if doc not in parts[1]}
    docs = set(parts[0]).intersection(*parts[1:]) if isinstance(query, And) else set().union(*parts)
    return {doc: sum(part.get(doc, 0.0) for part in parts) for doc in docs}


def random_query(rng, depth=0):
    if depth == 2 or rng.random() < 0.35:
        return Term("text", rng.choice(WORDS), boost=rng.choice([1.0, 1.0, 0.0]))
    children = [random_query(rng, depth + 1) for _ in range(rng.randint(2, 3))]
    kind = rng.choice([And, And, Or, AndNot])
    return AndNot(children[0], children[1]) if kind is AndNot else kind(children)


def test_random_queries_find_and_rank_what_set_arithmetic_does(forum):
    rng = random.Random(11)
    filters = [None, Term("category", "1"), Term("solved", False)]
    for _ in range(300):
        query, restrict = random_query(rng), rng.choice(filters)
        expected = reference(forum, query)
        if restrict is not None:
            allowed = set(forum.docs_for_query(restrict))
            expected = {doc: s for doc, s in expected.items() if doc in allowed}
        ranked, total = setwise.top(forum, query, restrict, 10)
        assert total == len(expected), query
        best = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:10]
        assert [doc for doc, _ in ranked] == [doc for doc, _ in best], query
        assert [score for _, score in ranked] == pytest.approx([s for _, s in best], abs=1e-9)


def test_newest_first_orders_by_the_created_column(forum):
    query = Or([Term("text", "amber"), Term("text", "dune")])
    ranked, total = setwise.top(forum, query, None, 15, newest=True)
    expected = reference(forum, query)
    assert total == len(expected)
    created = {doc: forum.stored_fields(doc)["key"] for doc, _ in ranked}
    newest = sorted(expected, key=lambda doc: forum.reader().column_reader("created")[doc])
    assert [doc for doc, _ in ranked] == newest[::-1][:15] and set(created) <= set(expected)


def test_block_reader_reads_what_the_matcher_interface_does(forum):
    for leaf, _offset in forum.leaf_searchers():
        reader = leaf.reader()
        for word in WORDS:
            key = word.encode()
            if ("text", key) in reader:
                generic = dict(setwise.matcher_postings(reader.postings("text", key)))
                fast = setwise.read_postings(reader, key)
                deleted = setwise.Segment(forum, reader, forum.weighting).deleted()
                assert {d: w for d, w in fast.items() if d not in deleted} == generic


def test_other_queries_are_left_to_whoosh(forum):
    assert setwise.top(forum, Prefix("text", "am"), None, 10) is None
    assert setwise.top(forum, Term("title", "amber"), None, 10) is None


def test_a_plain_and_with_a_rare_word_is_left_to_whoosh_skipping(forum, monkeypatch):
    reader = forum.reader()
    assert engine._skips_well(And([Term("text", "amber"), Term("text", "dune")]), reader)
    assert not engine._skips_well(Or([Term("text", "amber"), Term("text", "dune")]), reader)
    assert not engine._skips_well(AndNot(Term("text", "amber"), Term("text", "dune")), reader)
    monkeypatch.setattr(engine, "SKIPPING_BELOW", 1)
    assert not engine._skips_well(And([Term("text", "amber"), Term("text", "dune")]), reader)


def test_an_or_counts_every_match_and_an_exclusion_none_with_the_word(
    client, customer, category, drain
):
    """Whoosh 2.7.5's own collector finds a fraction of an OR's matches when one word is in
    most documents (setwise.py)."""
    rng = random.Random(3)
    bodies = [" ".join(rng.choices(["sync"] * 20 + ["quasar", "link", "lamp"], k=5))
              for _ in range(60)]  # fmt: skip
    for n, body in enumerate(bodies):
        make_thread(customer, category, f"Question {n}", body)
    drain()
    expected = sum("sync" in body or "quasar" in body for body in bodies)
    assert client.get("/api/v1/search?q=sync OR quasar").json["total"] == expected
    assert client.get("/api/v1/search?q=sync link -sync").json["total"] == 0
    without = sum("sync" in body and "quasar" not in body for body in bodies)
    assert client.get("/api/v1/search?q=sync -quasar").json["total"] == without
