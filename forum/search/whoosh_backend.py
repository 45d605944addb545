"""The Whoosh backend: an index directory on the web host's disk (index.py), kept in step by
the outbox consumer (indexer.py), searched with BM25F and per-document boosts (engine.py,
ranking.py), rebuilt and checked by rebuild.py."""

from dataclasses import dataclass

from forum.search import engine, index, indexer, rebuild
from forum.search.backend import Found, SearchBackend
from forum.search.snippets import snippet


@dataclass(frozen=True)
class WhooshQuery:
    query: object  # a whoosh.query.Query
    terms: frozenset  # analysed positive words, for highlighting


class WhooshBackend(SearchBackend):
    name = "whoosh"
    in_database = False

    def prepare(self, parsed, match_any=False):
        query = engine.text_query(parsed, match_any=match_any)
        if query is None:
            return None
        terms = {token for text in parsed.words() for token in engine.tokens(text)}
        return WhooshQuery(query, frozenset(terms))

    def run(self, query, restrict, offset=0, limit=20, newest=False, count=True):
        whoosh_filter = engine.filter_query(
            category_id=restrict.category_id,
            solved=restrict.solved,
            doc_type=restrict.doc_type,
            author_id=restrict.author_id,
            after=restrict.after,
            before=restrict.before,
            solved_or_article=restrict.solved_or_article,
        )
        # Whoosh counts the matches while it scores them: ``count`` saves nothing here.
        page, total = engine.run(query.query, whoosh_filter, offset, limit, newest)
        return Found(page, total)

    def snippets(self, query, texts):
        return [snippet(group, query.terms) for group in texts]

    def apply_events(self, events):
        indexer.apply_events(events)

    def rebuild(self, procs=1, limitmb=256, progress=None):
        return rebuild.rebuild(procs=procs, limitmb=limitmb, progress=progress)

    def check(self, fix=False, progress=None):
        return rebuild.check(fix=fix, progress=progress)

    def status(self):
        return index.status()
