"""A multinomial naive Bayes classifier whose counts live in the database.

Tokens are normalised words, adjacent word pairs, the domains a post links to and the shape of
long numbers. Every moderator decision adds one document (approve → ham, remove as spam → spam)
with atomic increments, so every worker and host trains and reads the same model. The two
classes get equal priors: moderators mostly confirm spam, and a prior taken from that skewed
stream would tilt every later verdict.
"""

import json
import math
from collections import Counter
from dataclasses import dataclass

from flask import current_app

from forum.clock import utcnow
from forum.extensions import db
from forum.spam.models import SpamModel, SpamToken
from forum.spam.verdict import Reason

MAX_TOKENS = 200  # distinct tokens read per post (from its start): bounds work and query size
MAX_REPEAT = 3  # a word repeated 50 times is evidence, but not 50 times over
TOKEN_LENGTH = 64
LOG_ODDS_CAP = 30.0
CACHE_MAX = 100_000
CACHE_KEY = "spam_token_cache"


def _shape(word):
    if word.isalpha():
        return word[:TOKEN_LENGTH]
    return f"num:{min(len(word), 12)}" if word.isdigit() else "num:mixed"


def tokens(sample):
    """The post's tokens (words, word pairs, linked domains) with their counts, capped at
    MAX_REPEAT; reading stops once MAX_TOKENS distinct tokens are found."""
    counts, previous = {}, None
    for word in map(_shape, sample.words):
        pair = f"{previous} {word}"[:TOKEN_LENGTH] if previous else None
        for token in (word, pair) if pair else (word,):
            seen = counts.get(token)
            if seen is None:
                counts[token] = 1
            elif seen < MAX_REPEAT:
                counts[token] = seen + 1
        if len(counts) >= MAX_TOKENS:
            break
        previous = word
    for domain in sample.domains:
        counts[f"domain:{domain}"[:TOKEN_LENGTH]] = 1
    return counts


@dataclass(frozen=True)
class Totals:
    spam_docs: int = 0
    ham_docs: int = 0
    spam_tokens: int = 0
    ham_tokens: int = 0
    vocabulary: int = 0
    version: object = None

    @property
    def trained(self):
        return self.spam_docs > 0 and self.ham_docs > 0


_MODEL = SpamModel.__table__
_TOTALS = db.select(
    _MODEL.c.spam_docs,
    _MODEL.c.ham_docs,
    _MODEL.c.spam_tokens,
    _MODEL.c.ham_tokens,
    _MODEL.c.vocabulary,
    _MODEL.c.updated_at,
).where(_MODEL.c.id == 1)


def totals():
    """The model's totals, read fresh (one row, through the connection: every post asks)."""
    row = db.session.connection().execute(_TOTALS).first()
    return Totals(*row) if row else Totals()


_TOKENS = SpamToken.__table__
_COUNTS = db.select(_TOKENS.c.token, _TOKENS.c.spam, _TOKENS.c.ham)
# SQLite: the tokens as one JSON parameter instead of hundreds of bound ones, built once;
# this halves the cost of a lookup.
_SQLITE_LOOKUP = _COUNTS.where(
    _TOKENS.c.token.in_(
        db.select(db.column("value")).select_from(db.func.json_each(db.bindparam("tokens")))
    )
)


def known_counts(token_list):
    """token → (spam, ham) for the tokens of ``token_list`` that were ever trained."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.execute(_SQLITE_LOOKUP, {"tokens": json.dumps(token_list)})
    else:
        rows = connection.execute(_COUNTS.where(_TOKENS.c.token.in_(token_list)))
    return {token: (max(spam, 0), max(ham, 0)) for token, spam, ham in rows}


def ratios(counts, model_totals):
    """token → log P(token|spam) − log P(token|ham), or None for a token never trained on.

    Kept per process for as long as the model is unchanged: every training step changes the
    totals (and their timestamp), which empties the cache, so a cached ratio is never stale;
    only the tokens not seen since are queried."""
    store = current_app.extensions.get(CACHE_KEY)
    if store is None or store[0] != model_totals or len(store[1]) > CACHE_MAX:
        store = current_app.extensions[CACHE_KEY] = (model_totals, {})
    cache = store[1]
    missing = [token for token in counts if token not in cache]
    if missing:
        vocabulary = max(model_totals.vocabulary, 1)
        offset = math.log(model_totals.ham_tokens + vocabulary) - math.log(
            model_totals.spam_tokens + vocabulary
        )
        found = known_counts(missing)
        for token in missing:
            spam, ham = found.get(token, (0, 0))
            cache[token] = None if spam == ham == 0 else math.log((spam + 1) / (ham + 1)) + offset
    return cache


def spam_probability(counts, token_ratios):
    """P(spam | tokens), with equal priors, and the tokens that pushed hardest toward spam."""
    log_odds, pushes = 0.0, []
    for token, n in counts.items():
        ratio = token_ratios.get(token)
        if ratio is not None:
            log_odds += n * ratio
            pushes.append((n * ratio, token))
    log_odds = max(-LOG_ODDS_CAP, min(LOG_ODDS_CAP, log_odds))
    strongest = [token for push, token in sorted(pushes, reverse=True)[:3] if push > 0]
    return 1.0 / (1.0 + math.exp(-log_odds)), strongest


def check(sample, policy):
    """The classifier's reason: positive weight toward spam, negative (at most half as much)
    toward ham, nothing while the model is untrained."""
    model_totals = totals()
    if not model_totals.trained:
        return []
    counts = tokens(sample)
    probability, strongest = spam_probability(counts, ratios(counts, model_totals))
    weight = policy.classifier_weight * (2 * probability - 1)
    weight = max(weight, -policy.classifier_weight / 2)
    if abs(weight) < 0.05:
        return []
    evidence = f"spam probability {probability:.2f}"
    if strongest and weight > 0:
        evidence += "; strongest: " + ", ".join(f"“{t}”" for t in strongest)
    return [Reason("classifier", weight, evidence)]


def _upsert(rows):
    table = SpamToken.__table__
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.token],
            set_={
                "spam": table.c.spam + statement.excluded.spam,
                "ham": table.c.ham + statement.excluded.ham,
            },
        ),
        rows,
    )


def _ensure_model_row():
    if db.session.get(SpamModel, 1) is None:
        db.session.add(SpamModel(id=1))
        db.session.flush()


def learn(samples, label, sign=1):
    """Add (sign=1) or take back (sign=-1) documents as ``label`` ("spam" or "ham"). Part of
    the caller's transaction; the caller commits."""
    if label not in ("spam", "ham"):
        raise ValueError(label)
    current_app.extensions.pop(CACHE_KEY, None)
    merged, documents = Counter(), 0
    for sample in samples:
        merged.update(tokens(sample))
        documents += 1
    if not documents:
        return
    _ensure_model_row()
    other = "ham" if label == "spam" else "spam"
    # A text without words ("🙂", "!!!") still counts as a document, but has no token rows:
    # an executemany with no rows would run once without parameters, inserting a NULL token.
    if merged and sign > 0:
        _upsert([{"token": t, label: n, other: 0} for t, n in merged.items()])
    elif merged:
        # Core, not the ORM: an executemany UPDATE keyed by a bound token.
        table = SpamToken.__table__
        column, n = table.c[label], db.bindparam("n")
        db.session.execute(
            db.update(table)
            .where(table.c.token == db.bindparam("t"))
            .values({label: db.case((column > n, column - n), else_=0)}),
            [{"t": t, "n": n} for t, n in merged.items()],
        )
    docs, words = getattr(SpamModel, f"{label}_docs"), getattr(SpamModel, f"{label}_tokens")
    db.session.execute(
        db.update(SpamModel)
        .where(SpamModel.id == 1)
        .values(
            {
                docs: docs + sign * documents,
                words: words + sign * sum(merged.values()),
                SpamModel.vocabulary: db.select(db.func.count())
                .select_from(SpamToken)
                .scalar_subquery(),
                SpamModel.updated_at: utcnow(),
            }
        )
        .execution_options(synchronize_session=False)
    )


def reset():
    """Forget everything learned (``spam train --from-moderation`` starts from here)."""
    db.session.execute(db.delete(SpamToken))
    db.session.execute(db.delete(SpamModel))
