"""The shape of the text: repeated characters and words, letters from another script."""

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from forum.spam.verdict import Reason

# Markdown rules, tables and separators repeat punctuation legitimately.
REPEATED_CHAR = re.compile(r"([^\s\-=_*#~`.|+<>/\\])\1{5,}")
COMMON = frozenset(
    "the and for you your that this with have not are but was from can its it's what when "
    "there they them then will would just one all any has had been our out use".split()
)
SCRIPT_MIN_LETTERS = 20
LETTER = re.compile(r"[^\W\d_]")
# Letters beyond Latin (basic, supplements, extended A/B, IPA and Latin Extended Additional).
NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f\u1e00-\u1eff]")


def repeated_characters(context):
    match = REPEATED_CHAR.search(context.sample.prose)
    if not match:
        return []
    run = match.group(0)
    evidence = f"“{run[:12]}{'…' if len(run) > 12 else ''}” ({len(run)} in a row)"
    return [Reason("text.repeated_chars", context.policy.w_repeated_chars, evidence)]


def repeated_words(context):
    """The same word three times in a row, one word making up a fifth of a longer text, or the
    same line over and over."""
    sample, weight = context.sample, context.policy.w_repeated_words
    run, previous = 1, None
    for word in sample.words:
        run = run + 1 if word == previous else 1
        previous = word
        if run == 3 and len(word) > 1 and not word.isdigit():
            return [Reason("text.repeated_words", weight, f"“{word} {word} {word}”")]
    words = [word for word in sample.words if len(word) > 2 and word not in COMMON]
    if len(sample.words) >= 20 and words:
        word, count = Counter(words).most_common(1)[0]
        if count / len(sample.words) > 0.2:
            evidence = f"“{word}” is {count} of {len(sample.words)} words"
            return [Reason("text.repeated_words", weight, evidence)]
    lines = [line.strip() for line in sample.prose.splitlines() if len(line.strip()) >= 10]
    if lines:
        line, count = Counter(lines).most_common(1)[0]
        if count >= 3:
            evidence = f"line “{line[:40]}” {count} times"
            return [Reason("text.repeated_words", weight, evidence)]
    return []


@lru_cache(maxsize=4096)
def script_of(char):
    """The Unicode script family of a letter, as its name starts: LATIN, CYRILLIC, CJK…"""
    if char < "\u0250":
        return "LATIN"
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def foreign_script(context):
    """A large share of letters outside the community's scripts (setting allowed_scripts)."""
    text = f"{context.sample.title} {context.sample.prose}"
    if text.isascii():
        return []
    beyond_latin = NON_LATIN_LETTER.findall(text)
    if not beyond_latin:  # accents and umlauts are Latin: most non-ASCII posts stop here
        return []
    allowed = context.policy.scripts
    letters = len(LETTER.findall(text))
    if letters < SCRIPT_MIN_LETTERS:
        return []
    scripts = Counter(script_of(ch) for ch in beyond_latin)
    scripts["LATIN"] = letters - sum(scripts.values())
    foreign = {name: n for name, n in scripts.items() if name not in allowed}
    share = sum(foreign.values()) / letters
    if not foreign:
        return []
    if share < context.policy.foreign_script_share:
        return []
    main = max(foreign, key=foreign.get).title()
    community = ", ".join(sorted(allowed)).title()
    evidence = f"{share:.0%} of letters are {main}; the community writes {community}"
    # Mostly foreign text weighs fully; a mixed post (a quoted error message) weighs less.
    weight = context.policy.w_script * min(1.0, share / 0.6)
    return [Reason("text.script", weight, evidence)]
