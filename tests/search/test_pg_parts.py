"""The PostgreSQL backend's shortcuts for common words: counting part by part of the tsvector
index, candidates drawn from the documents' heads, and queries that cannot match. Each must
give the answer the plain way would give."""

import pytest

from forum.extensions import db
from forum.search import pg_query, pg_statements
from forum.search.backend import Restrict
from forum.search.models import PARTS, SearchDocument
from forum.search.syntax import Clause, ParsedQuery, parse
from forum.threads import services
from tests.factories import make_reply, make_thread
from tests.search.conftest import HIT_TITLE
from tests.search_backends import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY


@pytest.fixture
def farm(customer, staff, category, drain):
    """Threads spread over every part, as ``[(thread, its words)]``: "tractor" in most,
    "engine" in some heads and in some replies only, "rusty" in a few replies."""
    farm = []
    for n in range(3 * PARTS + 1):
        head = ["tractor engine", "tractor", "plough"][n % 3]
        thread = make_thread(customer, category, f"{head} question {n}", f"My {head} is old.")
        words = set(head.split())
        if n % 4 == 1:
            reply = "Check the engine oil." + (" It is rusty." if n < 8 else "")
            make_reply(staff, thread, reply)
            words |= {"engine"} | ({"rusty"} if n < 8 else set())
        if n % 5 == 0:
            services.accept_answer(staff, make_reply(staff, thread, "Fixed the tractor clutch."))
            words.add("tractor")
        farm.append((thread, words))
    drain()
    return farm


def plain_count(query, restrict, limit):
    shape = pg_statements.Shape.of(query, restrict)
    number = db.session.scalar(
        pg_statements.plain_count(shape, limit), pg_statements.parameters(query, restrict)
    )
    return min(number, limit), number > limit


@pytest.mark.parametrize(
    "text", ["tractor", "tractor engine", "tractor OR plough", "tractor -rusty"]
)
def test_counting_part_by_part_agrees_with_counting_at_once(app, farm, category, text):
    with app.test_request_context():
        query = pg_query.prepare(parse(text))
        assert query.head is not None  # the parts are used
        restricts = [Restrict(), Restrict(category_id=category.id), Restrict(solved=True)]
        restricts += [Restrict(doc_type="article"), Restrict(solved_or_article=True)]
        for restrict in restricts:
            for limit in (1, 3, 7, 12, 40):
                assert pg_query.counted(query, restrict, limit) == plain_count(
                    query, restrict, limit
                ), (text, restrict, limit)


def test_the_parts_after_the_limit_is_reached_are_never_read(app, farm):
    with app.test_request_context():
        query = pg_query.prepare(parse("tractor"))
        statement = pg_statements.parts_count((), 1)
        compiled = statement.compile(db.engine)
        params = {**compiled.params, "match": query.match}
        db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
        plan = db.session.connection().exec_driver_sql(
            f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}", params
        )
        plan = "\n".join(row[0] for row in plan)
        db.session.rollback()
    assert "Bitmap Index Scan on ix_search_documents_tsv_0" in plan
    assert f"ix_search_documents_tsv_{PARTS - 1}" in plan
    assert "never executed" in plan  # part 0 alone holds more than one match


def count_plan(statement, match):
    """EXPLAIN ANALYZE of a count statement, as the search runs it (index scans only)."""
    compiled = statement.compile(db.engine)
    db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
    plan = db.session.connection().exec_driver_sql(
        f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}", {**compiled.params, "match": match}
    )
    return "\n".join(row[0] for row in plan)


def test_a_documents_part_is_the_hash_its_index_predicate_names(app, farm):
    """Each document is in exactly one part's index, the one pg_statements.in_part names."""
    with app.test_request_context():
        match = pg_query.prepare(parse("tractor OR plough")).match
        plan = count_plan(pg_statements.parts_count((), 40), match)
        found = db.select(SearchDocument.id).where(
            SearchDocument.tsv.op("@@")(pg_statements.tsquery("match", match))
        )
        everything = set(db.session.scalars(found))
        parts = [
            set(db.session.scalars(found.where(pg_statements.in_part(p)))) for p in range(PARTS)
        ]
        db.session.rollback()
    assert len(everything) == len(farm) and set().union(*parts) == everything
    assert sum(map(len, parts)) == len(everything)
    assert all(f"ix_search_documents_tsv_{p}" in plan for p in range(PARTS))


def test_from_the_sampling_limit_on_the_first_part_speaks_for_the_rest(app, farm, monkeypatch):
    """From SAMPLED_FROM on, a first part holding more than twice its share of the limit
    (2 × limit / PARTS) counts as more than the limit, and no other part is read. Here four
    matches are moved into part 0 and the threshold is lowered to the farm's size: part 0 is
    then (deliberately) taken for more than ``limit`` matches although there are fewer."""
    with app.test_request_context():
        query = pg_query.prepare(parse("plough"))
        documents = db.session.scalars(
            db.select(SearchDocument).where(
                SearchDocument.tsv.op("@@")(pg_statements.tsquery("match", query.match))
            )
        ).all()
        assert 4 <= len(documents) < 15
        ids = db.session.scalars(
            db.select(db.literal_column("g"))
            .select_from(db.text("generate_series(900000, 901000) AS g"))
            .where(db.text(f"(hashint4extended(g, 0) & {PARTS - 1}) = 0"))  # in part 0
            .limit(4)
        ).all()
        for document, new_id in zip(documents[:4], ids, strict=True):
            document.id = new_id
        db.session.flush()
        parts = [
            db.session.scalar(
                db.select(db.func.count()).where(
                    SearchDocument.tsv.op("@@")(pg_statements.tsquery("match", query.match)),
                    pg_statements.in_part(p),
                )
            )
            for p in range(PARTS)
        ]
        assert parts[0] >= 4
        limit = PARTS // 2 * parts[0] - 1  # the largest whose share 2 × limit // PARTS < parts[0]
        assert pg_query.counted(query, Restrict(), limit) == (len(documents), False)  # exact
        monkeypatch.setattr(pg_statements, "SAMPLED_FROM", 1)
        pg_statements.parts_count.cache_clear()
        try:
            assert pg_query.counted(query, Restrict(), limit) == (limit, True)
            plan = count_plan(pg_statements.parts_count((), limit), query.match)
            assert pg_query.counted(query, Restrict(), limit + 1) == (len(documents), False)
        finally:
            pg_statements.parts_count.cache_clear()
        db.session.rollback()
    assert "Bitmap Index Scan on ix_search_documents_tsv_0" in plan
    assert plan.count("never executed") >= 7 * 3  # each later part's count, limit and scans


def test_a_phrase_is_found_through_its_word_pairs_alone(app, farm, client):
    """A required phrase's matches come from the pairs' index, never from ANDing it with the
    tsv index's bitmap, which costs the words' whole posting lists (pg_statements.where_of)."""
    expected = {thread.title for n, (thread, _words) in enumerate(farm) if n % 3 == 0}
    with app.test_request_context():
        query = pg_query.prepare(parse('"tractor engine"'))
        assert query.pairs and query.head is None
        shape = pg_statements.Shape.of(query, Restrict())
        values = pg_statements.parameters(query, Restrict(), offset=0, limit=20)
        statements = (pg_statements.plain_count(shape, 40), pg_statements.exact_ranking(shape))

        def plans():
            for statement in statements:
                compiled = statement.compile(db.engine)
                rows = db.session.connection().exec_driver_sql(
                    f"EXPLAIN (COSTS OFF) {compiled}", {**compiled.params, **values}
                )
                yield "\n".join(row[0] for row in rows)

        db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
        for plan in plans():
            assert "Bitmap Index Scan on ix_search_documents_pairs" in plan
            assert "ix_search_documents_tsv" not in plan
        # Not even when the planner has no other index (dropped in this transaction only).
        db.session.execute(db.text("DROP INDEX ix_search_documents_pairs"))
        for plan in plans():
            assert "ix_search_documents_tsv" not in plan
        db.session.rollback()
    page = client.get("/search?q=%22tractor+engine%22").get_data(as_text=True)
    assert set(HIT_TITLE.findall(page)) == expected


def test_candidates_from_the_heads_still_leave_every_match_on_some_page(
    app, client, farm, monkeypatch
):
    """Above the exact limit, "tractor engine" ranks the threads with both words in their head
    (and a word in their title) first; those with "engine" only in a reply follow, each once."""
    monkeypatch.setattr(pg_query, "EXACT_RANK_LIMIT", 2)
    monkeypatch.setattr(pg_statements, "RECENT_POOL", 1)
    app.config["SEARCH_RESULTS_PER_PAGE"] = 4
    seen, cursor = [], None
    while True:
        query = {"q": "tractor engine", "cursor": cursor}
        body = client.get("/api/v1/search", query_string=query).json
        seen += [item["title"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = [t.title for t, words in farm if {"tractor", "engine"} <= words]
    assert body["total"] == len(expected) and sorted(seen) == sorted(expected)
    in_head = {t.title for t, _words in farm if t.title.startswith("tractor engine")}
    assert set(seen[: len(in_head)]) == in_head  # (the newest match is one of them)


def test_an_excluded_word_holds_on_the_candidate_path(app, client, farm, monkeypatch):
    """A head match with the excluded word in a reply is no result, however it was found."""
    monkeypatch.setattr(pg_query, "EXACT_RANK_LIMIT", 1)
    app.config["SEARCH_RESULTS_PER_PAGE"] = 50
    body = client.get("/api/v1/search", query_string={"q": "tractor -rusty"}).json
    expected = {t.title for t, words in farm if "tractor" in words and "rusty" not in words}
    assert {item["title"] for item in body["items"]} == expected
    assert body["total"] == len(expected) < len([1 for _t, words in farm if "tractor" in words])


def test_a_word_both_required_and_excluded_matches_nothing(app, client, farm):
    with app.test_request_context():
        assert pg_query.prepare(parse("tractor -tractor")).impossible
        assert not pg_query.prepare(parse("tractor OR plough -tractor")).impossible
    assert client.get("/api/v1/search?q=tractor+-tractor").json["total"] == 0
    body = client.get("/api/v1/search", query_string={"q": "tractor OR plough -tractor"}).json
    assert (
        body["total"]
        == len([1 for _t, words in farm if "plough" in words and "tractor" not in words])
        > 0
    )


def test_a_title_with_any_word_stands_for_a_match_only_when_each_word_is_one_lexeme(app):
    """Candidates by title alone are matches only if every clause is a single lexeme; a
    clause like 'foo"bar' (a suggestion's title word) analyses to 'foo' & 'bar'."""
    with app.test_request_context():
        assert pg_query.prepare(parse("tractor OR plough")).any_word
        assert pg_query.prepare(parse("tractor plough"), match_any=True).any_word
        assert not pg_query.prepare(parse("tractor plough")).any_word
        odd = ParsedQuery(groups=[(Clause('foo"bar'),)])
        assert not pg_query.prepare(odd, match_any=True).any_word
