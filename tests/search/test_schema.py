"""What goes into a document: zone weights, word pairs, clean text."""

from whoosh.filedb.filestore import RamStorage

from forum.search.engine import tokens
from forum.search.schema import INDEX_ANALYZER, SCHEMA, ZONE_WEIGHTS, plain_text, zoned_text


def analysed(zones):
    return [(t.text, t.boost) for t in INDEX_ANALYZER(zoned_text(zones))]


def test_words_carry_their_zone_weight_and_pairs_stay_inside_weighty_zones():
    result = analysed({"title": "Restore files", "question": "Restoring takes hours",
                       "replies": "Restore slowly"})  # fmt: skip
    assert result == [
        ("restor", 3.0), ("file", 3.0), ("restor+file", 3.0),
        ("restor", 1.0), ("take", 1.0), ("restor+take", 1.0), ("hour", 1.0), ("take+hour", 1.0),
        ("restor", 0.6), ("slowli", 0.6),
    ]  # fmt: skip


def test_term_weight_in_the_index_is_the_weighted_sum_over_zones():
    ix = RamStorage().create_index(SCHEMA)
    with ix.writer() as writer:
        writer.add_document(
            key="thread:1", text=zoned_text({"title": "sync", "answer": "sync sync"})
        )
    with ix.searcher() as searcher:
        postings = searcher.postings("text", "sync")
        assert postings.weight() == ZONE_WEIGHTS["title"] + 2 * ZONE_WEIGHTS["answer"]


def test_query_words_are_analysed_like_the_index_without_pairs():
    assert tokens("How do I restore deleted files?") == ["restor", "delet", "file"]


def test_plain_text_drops_markup_emails_and_control_characters():
    html = (
        "<p><strong>Sync</strong>: ask <a href='x'>me</a>\x1e2\x1e at a.b@example.com</p>"
        "<ul><li>one</li><li>two</li></ul>"
    )
    assert plain_text(html) == "Sync: ask me 2 at one two"


def test_plain_text_turns_every_space_and_control_character_into_one_space():
    """Each character Unicode calls whitespace, and every C0 control character, separates
    words: none is kept, none glues two words together."""
    separators = [chr(c) for c in range(0x110000) if chr(c).isspace() or c < 0x20]
    assert len(separators) > 40
    for separator in separators:
        assert plain_text(f"<p>{separator}one{separator}{separator}two{separator}</p>") == (
            "one two"
        ), hex(ord(separator))
