"""The backend interface: how the backend is chosen, what every backend must do beyond the
behaviour tests (which all run on both), and the PostgreSQL backend's own guarantees."""

import re

import pytest

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.search import backend, index, pg_query, pg_statements
from forum.search.backend import choose
from forum.search.syntax import parse
from forum.threads import services
from tests.factories import make_reply, make_thread
from tests.search_backends import POSTGRES_ONLY


@pytest.mark.parametrize(
    "configured, dialect, chosen",
    [
        (None, "sqlite", "whoosh"),
        (None, "postgresql", "postgres"),
        ("whoosh", "postgresql", "whoosh"),
        (" Postgres ", "postgresql", "postgres"),
    ],
)
def test_the_backend_follows_the_setting_or_else_the_database(configured, dialect, chosen):
    assert choose(configured, dialect) == chosen


@pytest.mark.parametrize(
    "configured, dialect, message",
    [("elastic", "postgresql", "not a search backend"), ("postgres", "sqlite", "PostgreSQL")],
)
def test_an_impossible_backend_stops_the_application_from_starting(configured, dialect, message):
    with pytest.raises(RuntimeError, match=message):
        choose(configured, dialect)


def test_create_app_refuses_postgres_search_on_sqlite(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'x.db'}"
        SEARCH_BACKEND = "postgres"

    with pytest.raises(RuntimeError, match="needs a PostgreSQL database"):
        create_app(Config)


def test_the_application_uses_the_backend_it_was_given(app, search_backend):
    assert backend.current().name == search_backend == app.config["SEARCH_BACKEND"]


def test_snippets_are_escaped_text_whose_only_markup_is_mark(customer, category, drain, client):
    body = (
        "Sync shows <mark>fake</mark> &amp; <img src=x onerror=alert(1)> "
        "and \x02sync\x03 and a </mark> end tag."
    )
    make_thread(customer, category, "Odd sync text", body)
    drain()
    (item,) = client.get("/api/v1/search?q=sync").json["items"]
    snippet = item["snippet"]
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in snippet and "&amp;" in snippet
    assert "<mark>Sync</mark>" in snippet


def test_scores_rank_solved_threads_by_the_configured_boost(
    app, client, customer, staff, category, drain
):
    open_thread = make_thread(customer, category, "Tractor stalls", "The tractor stalls uphill.")
    solved = make_thread(customer, category, "Tractor stalls", "The tractor stalls uphill.")
    services.accept_answer(staff, make_reply(staff, solved, "Check the fuel filter."))
    drain()
    items = client.get("/api/v1/search?q=tractor").json["items"]
    assert [item["id"] for item in items] == [solved.id, open_thread.id]
    app.config["SEARCH_SOLVED_BOOST"] = 0.1  # read at query time: no reindex
    index.forget()  # (Whoosh keeps the scorer with its cached searcher)
    items = client.get("/api/v1/search?q=tractor").json["items"]
    assert [item["id"] for item in items] == [open_thread.id, solved.id]


@pytest.fixture
def tractors(customer, category, drain):
    """Five threads about tractors; the oldest has the word in its title."""
    threads = [make_thread(customer, category, "Tractor stalls", "It stops uphill.")]
    threads += [
        make_thread(customer, category, f"Engine question {n}", "My tractor is old.")
        for n in range(4)
    ]
    drain()
    return threads


@POSTGRES_ONLY
def test_postgres_zones_are_weighted_and_the_title_has_its_own_vector(
    customer, staff, category, drain
):
    thread = make_thread(customer, category, "Quartz title", "Basalt question")
    make_reply(staff, thread, "Granite reply")
    services.accept_answer(staff, make_reply(staff, thread, "Marble answer"))
    drain()
    tsv, title_tsv = db.session.execute(
        db.text("SELECT CAST(tsv AS text), CAST(title_tsv AS text) FROM search_documents")
    ).one()
    for lexeme, weight in (("quartz", "A"), ("marbl", "B"), ("basalt", "C")):
        assert re.search(rf"'{lexeme}':\d+{weight}", tsv), (lexeme, tsv)
    assert re.search(r"'granit':\d+(?![A-C])", tsv)  # D is printed as no letter
    assert title_tsv == "'quartz':1 'titl':2"


@POSTGRES_ONLY
def test_postgres_matches_through_the_gin_index(customer, category, drain):
    make_thread(customer, category, "Indexed words")
    drain()
    query = pg_statements.tsquery("match", "'word'")
    statement = db.select(db.func.count()).where(pg_statements.Doc.tsv.op("@@")(query))
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(db.text(f"EXPLAIN {compiled}")))
    db.session.rollback()
    assert "Bitmap Index Scan on ix_search_documents_tsv" in plan


@POSTGRES_ONLY
def test_postgres_score_is_ts_rank_cd_times_the_boost(client, customer, staff, category, drain):
    thread = make_thread(customer, category, "Tractor stalls", "The tractor stalls uphill.")
    services.accept_answer(staff, make_reply(staff, thread, "Check the tractor filter."))
    drain()
    (item,) = client.get("/api/v1/search?q=tractor").json["items"]
    expected = db.session.scalar(
        db.text(
            "SELECT ts_rank_cd('{0.2,0.3333,0.6667,1}', tsv, to_tsquery('english', 'tractor'), 1)"
            " * 1.5 FROM search_documents"
        )
    )
    assert item["score"] == round(expected, 4)


@POSTGRES_ONLY
def test_postgres_scores_candidates_only_above_the_exact_limit_and_pages_still_add_up(
    app, client, tractors, monkeypatch
):
    monkeypatch.setattr(pg_query, "EXACT_RANK_LIMIT", 2)
    monkeypatch.setattr(pg_statements, "TITLE_POOL", 1)
    monkeypatch.setattr(pg_statements, "RECENT_POOL", 1)
    app.config["SEARCH_RESULTS_PER_PAGE"] = 2
    seen, cursor = [], None
    for _page in range(3):
        body = client.get("/api/v1/search", query_string={"q": "tractor", "cursor": cursor}).json
        assert body["total"] == 5
        seen += [item["title"] for item in body["items"]]
        cursor = body["next_cursor"]
    # The title pool's best, though it is the oldest; then the newest; the rest newest first.
    assert seen == [t.title for t in (tractors[0], *reversed(tractors[1:]))]
    assert cursor is None


@POSTGRES_ONLY
def test_postgres_counts_up_to_a_limit(app, client, tractors, monkeypatch):
    """Counting stops at COUNT_LIMIT: "2,000+ results" costs the same at a million posts as
    at a thousand. (Whoosh counts every match while it scores them, for nothing extra.)"""
    monkeypatch.setattr(pg_query, "COUNT_LIMIT", 3)
    page = client.get("/search?q=tractor").get_data(as_text=True)
    assert "3+ results" in page
    assert page.index("Tractor stalls") < page.index("Engine question")
    assert client.get("/api/v1/search?q=tractor").json["total"] == 3
    assert "1 result" in client.get("/search?q=tractor+uphill").get_data(as_text=True)
    filtered = client.get("/search?q=tractor+-stalls+is:unsolved").get_data(as_text=True)
    assert "3+ results" in filtered and "Tractor stalls" not in filtered


@POSTGRES_ONLY
def test_postgres_tsquery_quoting_round_trips(app):
    for lexeme in ("it's", "back\\slash", "plain"):
        text = db.session.scalar(
            db.text("SELECT CAST(CAST(:q AS tsquery) AS text)"), {"q": pg_query.quote(lexeme)}
        )
        assert text == pg_query.quote(lexeme)


@POSTGRES_ONLY
def test_postgres_phrases_are_narrowed_by_word_pairs_then_checked_by_position(
    customer, category, drain, find
):
    first = make_thread(customer, category, "Sync stops on macOS", "Since Tuesday.")
    make_thread(customer, category, "Stops sync macOS", "Same words, other order.")
    make_thread(customer, category, "Sync stops at the macOS login", "A pair, wrong gap.")
    drain()
    pairs = db.session.scalar(
        db.text("SELECT CAST(pairs AS text) FROM search_documents WHERE doc_id = :id"),
        {"id": first.id},
    )
    assert "'stop+maco'" in pairs and "'sync+stop'" in pairs and "'sinc+tuesday'" in pairs
    assert pg_query.prepare(parse('"stops on macOS" sync')).pairs == "'stop+maco'"
    assert pg_query.prepare(parse('"stops on macOS" OR sync')).pairs is None
    assert find('"stops on macOS"') == ["Sync stops on macOS"]


def test_a_phrase_is_matched_in_the_title_question_and_answer_not_in_other_replies(
    customer, staff, category, drain, find
):
    thread = make_thread(customer, category, "Printer question", "It jams on thick paper.")
    make_reply(staff, thread, "Try the paper tray first.")
    drain()
    assert find("paper tray") == ["Printer question"]
    assert find('"thick paper"') == ["Printer question"]
    assert find('"paper tray"') == []  # a reply is searched by its words only, on both


@POSTGRES_ONLY
def test_postgres_searches_through_the_gin_index_and_leaves_the_planner_as_it_was(
    app, tractors, monkeypatch
):
    """The engine's queries avoid reading the table in order (each row's TOASTed tsvector);
    the rest of the request plans as usual."""
    seen = []
    real_run = pg_query._run

    def run(*args):
        seen.append(db.session.scalar(db.text("SHOW enable_seqscan")))
        return real_run(*args)

    monkeypatch.setattr(pg_query, "_run", run)
    with app.test_request_context():
        found = backend.current().run(
            backend.current().prepare(parse("tractor")), backend.Restrict()
        )
        assert found.total == 5
        assert db.session.scalar(db.text("SHOW enable_seqscan")) == "on"
        backend.current().run(
            backend.current().prepare(parse("tractor engine"), match_any=True),
            backend.Restrict(),
            count=False,
        )
    assert seen == ["off", "on"]  # searches through the index; suggestions as planned
