"""Names that look alike: Unicode TR39 skeletons and scripts.

Two names are confusable when their skeletons are equal: every character is replaced by the
prototype it is commonly mistaken for ("1" and "I" → "l", Cyrillic "а" → Latin "a", "m" → "rn")
and the result normalised (UTS #39, section 4). A name is mixed-script when it takes letters from
scripts that are not normally written together (Latin with Cyrillic, say): the "highly
restrictive" level of UTS #39, section 5.2, which still lets Japanese mix Han, Hiragana, Katakana
and Latin, Chinese Han, Bopomofo and Latin, and Korean Han, Hangul and Latin.

The tables beside this module (confusables.txt, scripts.txt) are generated from ICU's copy of
Unicode's security and script data by tools/make_unicode_tables.py; they cover only the
characters a username may contain.
"""

import bisect
import os
import unicodedata
from functools import cache

HERE = os.path.dirname(os.path.abspath(__file__))
NEUTRAL_SCRIPTS = {"Common", "Inherited"}
ALLOWED_MIXES = (
    {"Latin", "Han", "Hiragana", "Katakana"},
    {"Latin", "Han", "Bopomofo"},
    {"Latin", "Han", "Hangul"},
)


def _data_lines(name):
    with open(os.path.join(HERE, name), encoding="ascii") as data:
        for line in data:
            if line.strip() and not line.startswith("#"):
                yield [part.strip() for part in line.split(";")]


@cache
def _prototypes():
    """``{character: skeleton}`` for every character whose skeleton is not itself."""
    return {
        chr(int(source, 16)): "".join(chr(int(code, 16)) for code in target.split())
        for source, target in _data_lines("confusables.txt")
    }


@cache
def _script_ranges():
    """Sorted ``(firsts, lasts, names)`` of the script ranges."""
    firsts, lasts, names = [], [], []
    for span, name in _data_lines("scripts.txt"):
        first, last = span.split("..")
        firsts.append(int(first, 16))
        lasts.append(int(last, 16))
        names.append(name)
    return firsts, lasts, names


def skeleton(text):
    """The UTS #39 skeleton of ``text``: NFD, each character mapped to its prototype, NFD."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(ch, ch) for ch in decomposed))


def confusable_key(name):
    """What two names that a reader could mistake for each other have in common, ignoring
    letter case: skeleton(casefold(skeleton(NFKC(name)))). The first skeleton catches "I" for
    "l" before case folding would lose it; the second maps what folding produced."""
    once = skeleton(unicodedata.normalize("NFKC", name)).casefold()
    return skeleton(once)


def script_of(ch):
    """The Unicode script of a letter, mark or digit; "Common" for anything not in the table."""
    firsts, lasts, names = _script_ranges()
    at = bisect.bisect_right(firsts, ord(ch)) - 1
    return names[at] if at >= 0 and ord(ch) <= lasts[at] else "Common"


def scripts(text):
    """The scripts ``text`` uses, leaving out Common (digits, punctuation) and Inherited
    (combining marks), which go with any script."""
    return {script_of(ch) for ch in text} - NEUTRAL_SCRIPTS


def is_mixed_script(text):
    """Whether ``text`` mixes scripts that are not written together (UTS #39 highly
    restrictive): "pаypal" with a Cyrillic "а" is, "東京タワー" is not."""
    used = scripts(text)
    return len(used) > 1 and not any(used <= mix for mix in ALLOWED_MIXES)


def mixes_digit_systems(text):
    """Whether ``text`` has decimal digits from more than one system ("1" and Arabic-Indic "١")."""
    zeros = {ord(ch) - unicodedata.digit(ch) for ch in text if unicodedata.category(ch) == "Nd"}
    return len(zeros) > 1
