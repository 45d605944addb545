"""Scoring: BM25 over the zone-weighted term frequency (BM25F), times a per-document boost so
that solved threads and KB articles rank above open threads.

Whoosh's own scorer looks every document's length and rank up through two layers of column
readers; this one reads both columns once per segment reader into lists, which roughly halves
the time spent scoring. Quality bounds are scaled by the largest boost, so Whoosh's
block-skipping stays correct.
"""

from whoosh.scoring import BaseScorer, WeightingModel, WeightScorer

from forum.search.schema import RANK_ARTICLE, RANK_OPEN, RANK_SOLVED

SCORED_FIELD = "text"


def bm25(idf, weight, length, avg_length, b, k1):
    return idf * weight * (k1 + 1) / (weight + k1 * (1 - b + b * length / avg_length))


class BoostedBM25F(WeightingModel):
    def __init__(self, solved_boost=1.0, article_boost=1.0, b=0.75, k1=1.2):
        self.b, self.k1 = b, k1
        self.boosts = {RANK_OPEN: 1.0, RANK_SOLVED: solved_boost, RANK_ARTICLE: article_boost}
        self.max_boost = max(self.boosts.values())

    def segment_columns(self, reader):
        """``(lengths, boosts)`` by document number for one segment reader, cached on it."""
        key = ("forum_columns", tuple(sorted(self.boosts.items())))
        cached = getattr(reader, "_forum_cache", {})
        if key not in cached:
            count = reader.doc_count_all()
            ranks = reader.column_reader("rank")
            cached[key] = (
                [reader.doc_field_length(d, SCORED_FIELD, 0) for d in range(count)],
                [self.boosts.get(ranks[d], 1.0) for d in range(count)],
            )
            reader._forum_cache = cached
        return cached[key]

    def scorer(self, searcher, fieldname, text, qf=1):
        if fieldname != SCORED_FIELD:
            return WeightScorer.for_(searcher, fieldname, text)
        parent = searcher.get_parent()
        lengths, boosts = self.segment_columns(searcher.reader())
        return BoostedScorer(
            self,
            idf=parent.idf(fieldname, text),
            avg_length=parent.avg_field_length(fieldname) or 1,
            term=searcher.term_info(fieldname, text),
            lengths=lengths,
            boosts=boosts,
        )


class BoostedScorer(BaseScorer):
    def __init__(self, model, idf, avg_length, term, lengths, boosts):
        self.model, self.idf, self.avg_length = model, idf, avg_length
        self.lengths, self.boosts = lengths, boosts
        self._max_quality = self._bound(term.max_weight(), term.min_length())

    def _bound(self, weight, length):
        m = self.model
        return bm25(self.idf, weight, length, self.avg_length, m.b, m.k1) * m.max_boost

    def supports_block_quality(self):
        return True

    def score(self, matcher):
        doc = matcher.id()
        m = self.model
        return self.boosts[doc] * bm25(
            self.idf, matcher.weight(), self.lengths[doc], self.avg_length, m.b, m.k1
        )

    def max_quality(self):
        return self._max_quality

    def block_quality(self, matcher):
        return self._bound(matcher.block_max_weight(), matcher.block_min_length())


def weighting(config):
    return BoostedBM25F(
        solved_boost=config["SEARCH_SOLVED_BOOST"], article_boost=config["SEARCH_KB_BOOST"]
    )
