"""The PostgreSQL backend keeps what each searched word or phrase analysed to
(pg_tsquery.Analyses): a search whose words were all seen before skips that round trip, and the
results stay the same."""

from sqlalchemy import event

from forum import outbox
from forum.extensions import db
from forum.search import pg_tsquery
from tests.factories import make_thread
from tests.search.conftest import HIT_TITLE
from tests.search_backends import POSTGRES_ONLY

pytestmark = POSTGRES_ONLY


def search(client, q):
    """``(result titles, [the texts of each analysis statement sent])``."""
    analysed = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "websearch_to_tsquery" in statement:
            analysed.append(list(parameters["words"]))

    outbox.drain()
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get("/search", query_string={"q": q})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert response.status_code == 200
    return HIT_TITLE.findall(response.get_data(as_text=True)), analysed


def test_words_seen_before_are_not_analysed_again(client, customer, category, drain):
    make_thread(customer, category, "Tractor engine knocks", "The engine knocks when cold.")
    make_thread(customer, category, "Rusty tractor engine", "Rust on the engine block.")
    drain()
    first, analysed = search(client, 'tractor "engine knocks"')
    assert first == ["Tractor engine knocks"]
    assert analysed == [["tractor", "engine knocks"]]
    again, analysed = search(client, 'tractor "engine knocks"')
    assert again == first and analysed == []
    mixed, analysed = search(client, "tractor rusty")
    assert mixed == ["Rusty tractor engine"] and analysed == [["rusty"]]


def test_a_process_keeps_a_bounded_number(monkeypatch, client, customer, category, drain):
    monkeypatch.setattr(pg_tsquery, "MAX_ANALYSES", 2)
    make_thread(customer, category, "Tractor engine knocks", "The engine knocks when cold.")
    drain()
    for q in ("tractor", "engine", "knocks"):
        search(client, q)
    kept = client.application.extensions["search_analyses"].kept
    assert list(kept) == ["engine", "knocks"]
    assert search(client, "tractor") == (["Tractor engine knocks"], [["tractor"]])
