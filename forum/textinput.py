"""What user text may contain: the rules every title and body passes before it is stored.

Each rule either refuses the text with a message a person understands, or changes it only in
ways a reader cannot see, so that nothing invisible can be used to disguise what they read:

- A NUL character is refused: no database column stores it faithfully (PostgreSQL refuses it).
- Text is NFC-normalised (canonical composition, which never changes what is displayed).
- Other control characters (C0 except tab and newline, DEL, C1) and noncharacters are dropped:
  browsers show them as nothing or as a box.
- Bidirectional embeddings and overrides (U+202A–U+202E) are dropped everywhere: they reverse
  the text after them (the "Trojan Source" trick) and isolates replace them. One-line text
  (titles, names) also loses isolates and direction marks (U+2066–U+2069, U+200E, U+200F,
  U+061C), which there would reorder the rest of the line the title is shown on. In bodies
  they stay: each paragraph is its own bidirectional context, so they cannot reach outside it.
- U+FEFF (byte order mark) is dropped everywhere. One-line text also loses the other
  zero-width characters (U+200B, U+2060, U+180E), keeps U+200C/U+200D only between two
  non-ASCII characters (emoji sequences, Persian, Indic scripts need them), and reads
  blank-looking letters (Hangul fillers, the Braille blank) as spaces, so that an invisible
  title counts as empty.
- Text with nothing visible in it counts as empty.
- A character may carry at most MAX_MARKS non-spacing combining marks: "Zalgo" text, whose
  stacked marks spill over the lines around it, is refused.
"""

import re
import unicodedata

MAX_MARKS = 5


class TextRefused(ValueError):
    """Text that cannot be stored; the message says why, in words for the writer."""


NUL_MESSAGE = "The text contains a NUL character (\\0), which cannot be stored; remove it."
INVALID_MESSAGE = "The text is not valid Unicode; paste it again from its source."
MARKS_MESSAGE = (
    f"A character carries more than {MAX_MARKS} accent marks stacked on top of each other; "
    "remove the extra marks."
)

BIDI_OVERRIDES = tuple(range(0x202A, 0x202F))  # LRE, RLE, PDF, LRO, RLO
BIDI_ISOLATES_AND_MARKS = (*range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
ZERO_WIDTH = (0x200B, 0x2060, 0x180E)
JOINERS = "\u200c\u200d"
BLANK_LETTERS = (0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800)
_NONCHARACTERS = (
    *range(0xFDD0, 0xFDF0),
    *(plane + end for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF)),
)
_CONTROLS = (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))

_BLOCK_TABLE = dict.fromkeys((*_CONTROLS, *_NONCHARACTERS, *BIDI_OVERRIDES, 0xFEFF))
_LINE_TABLE = {
    **_BLOCK_TABLE,
    **dict.fromkeys((*BIDI_ISOLATES_AND_MARKS, *ZERO_WIDTH)),
    **dict.fromkeys(BLANK_LETTERS, " "),
    **dict.fromkeys((0x09, 0x0A, 0x0D), " "),
}
_JOINER = re.compile(f"[{JOINERS}]")


def clean_line(text):
    """One-line text (a title, a name): the rules above, whitespace collapsed to single spaces.
    Raises TextRefused."""
    text = _normalized(text).translate(_LINE_TABLE)
    text = " ".join(_JOINER.sub(_joiner_between_letters, text).split())
    _check_marks(text)
    return text


def clean_block(text):
    """Multi-line text (a post's Markdown): the rules above, line ends as "\\n", the ends
    trimmed. Raises TextRefused."""
    text = _normalized(text.replace("\r\n", "\n").replace("\r", "\n")).translate(_BLOCK_TABLE)
    _check_marks(text)
    if not _JOINER.sub("", text.translate(_LINE_TABLE)).strip():
        return ""  # nothing a reader could see: as empty as an empty text
    return text.strip()


def clean_field(text, field, error, block=False):
    """``text`` (None counts as "") through clean_block or clean_line; a refusal becomes
    ``error(message, field)``, the caller's own error class."""
    try:
        return (clean_block if block else clean_line)(text or "")
    except TextRefused as refused:
        raise error(str(refused), field) from None


def one_line_display(text):
    """``text`` with every character that could reorder or hide the text shown after it on
    the same line removed: for excerpts of bodies shown in lists. Never raises."""
    return text.translate(_LINE_TABLE)


def _normalized(text):
    if "\x00" in text:
        raise TextRefused(NUL_MESSAGE)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, which JSON can carry
        raise TextRefused(INVALID_MESSAGE) from None
    return unicodedata.normalize("NFC", text)


def _joiner_between_letters(match):
    text, at = match.string, match.start()
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    letters = all(not ch.isascii() and not ch.isspace() for ch in (before, after))
    return match.group() if letters and before not in JOINERS else ""


def _check_marks(text):
    if text.isascii():
        return
    stacked = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Mn", "Me"):
            stacked += 1
            if stacked > MAX_MARKS:
                raise TextRefused(MARKS_MESSAGE)
        elif category != "Cf":  # a format character between marks does not end the stack
            stacked = 0
