"""The courier's drains leave merging the Whoosh index's segments to a process of its own
(forum/search/merge.py), so a web worker never merges while it serves requests."""

from whoosh import index as whoosh_index

from forum.search import index, merge
from tests.factories import make_thread
from tests.search_backends import WHOOSH_ONLY

pytestmark = WHOOSH_ONLY


def segments():
    return len(whoosh_index.open_dir(index.index_dir())._segments())


def test_courier_drains_do_not_merge_and_a_merging_process_does(
    app, customer, category, drain, find, monkeypatch
):
    monkeypatch.setattr(merge, "MERGE_AT", 6)
    monkeypatch.setattr(merge, "_merger", None)
    make_thread(customer, category, "Question 0 about tractors")
    drain()
    before, asked = segments(), 1
    with merge.elsewhere():
        while segments() < 5:
            make_thread(customer, category, f"Question {asked} about tractors")
            drain()
            asked += 1
            assert segments() == before + asked - 1  # one new segment per drain, none merged
        assert merge._merger is None
        make_thread(customer, category, "The last question about tractors")
        drain()
    assert merge._merger is not None  # the sixth segment started the merging process
    assert merge._merger.wait(60) == 0
    assert segments() < 6
    assert len(find("tractors")) == asked + 1


def test_other_drains_merge_in_their_commit(app, customer, category, drain, monkeypatch):
    monkeypatch.setattr(merge, "_merger", None)
    for n in range(12):
        make_thread(customer, category, f"Question {n} about harvesters")
        drain()
    assert segments() < 12 and merge._merger is None


def test_merging_waits_for_no_busy_writer(app, customer, category, drain):
    make_thread(customer, category, "Question about balers")
    drain()
    writer = index.writer(index.open_index())
    try:
        assert merge.merge(index.index_dir(), wait=0.1) is False
    finally:
        writer.cancel()
    assert merge.merge(index.index_dir(), wait=0.1) is True
