"""A post as the spam layers see it: normalised text, words, links, a near-duplicate fingerprint.

Everything is computed lazily and once, so a layer that needs only the words never pays for
the links.
"""

import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
# The fence's run of backticks or tildes is possessive: a line of 50,000 of them, which no fence
# follows, took 2 s of backtracking (one try of the rest of the line per shorter run).
FENCED_CODE = re.compile(
    r"^ {0,3}(`{3,}+|~{3,}+)[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.S | re.M
)
INLINE_CODE = re.compile(r"`[^`\n]+`")
# Link text may hold one level of brackets ("[the [official] guide](…)", which used to hide the
# link). Its two alternatives start with different characters, so nothing backtracks: a run of
# 50,000 "[" took 0.27 s when the text could be any 300 characters but "]".
MD_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]{0,300}\]){0,300})\]\(\s*<?([^\s<>()]+)>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
AUTOLINK = re.compile(r"<((?:https?://|www\.)[^\s<>]+)>", re.I)
BARE_URL = re.compile(r"(?<![\w@/(<\[])((?:https?://|www\.)[^\s<>()\[\]\"'`]+)", re.I)
TLD = re.compile(
    r"\.(?:com|net|org|info|biz|xyz|io|co|top|online|site|shop|store|club|live|app|pro|vip|me"
    r"|ru|in|uk|us|cc|ly|tk|ml|ga|cf|gq|pw|win|bid|loan|casino|bet)\b",
    re.I,
)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
MASK64 = (1 << 64) - 1
FINGERPRINT_MIN_WORDS = 12
FINGERPRINT_FEATURES = 96
# Byte ``i`` of a hash, spread so that its bit ``b`` lands on bit ``8 * (8 * i + b)``: summing
# the spread bytes of every hash counts all 64 bit positions at once, in 8-bit lanes.
_SPREAD = [sum(((byte >> bit) & 1) << (8 * bit) for bit in range(8)) for byte in range(256)]
_LANES = [[value << (64 * index) for value in _SPREAD] for index in range(8)]


def normalise(text):
    """NFKC (fullwidth and styled digits become plain), invisible characters removed."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))


def host_of(url):
    """The host of ``url`` without ``www.``; None for relative, mailto and unreadable URLs."""
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    # No name longer than 253 characters resolves (RFC 1035), so such a "link" invites nobody;
    # checking a 50,000-character one against the domain lists took quadratic time.
    if parts.scheme not in ("http", "https") or not host or len(host) > 253:
        return None
    return host.removeprefix("www.").rstrip(".")


@dataclass(frozen=True)
class Link:
    url: str
    domain: str
    text: str | None
    start: int
    end: int


class Sample:
    """The text of one post (and, for a question, its title)."""

    def __init__(self, title, body, is_question=False, post_id=None):
        self.title = normalise(title or "")
        self.body = normalise(body)
        self.is_question = is_question
        self.post_id = post_id

    @cached_property
    def text(self):
        return f"{self.title}\n{self.body}" if self.title else self.body

    @cached_property
    def prose(self):
        """The body without code, where URLs and numbers are examples, not invitations."""
        return INLINE_CODE.sub(" ", FENCED_CODE.sub("\n", self.body))

    @cached_property
    def links(self):
        """External http(s) links in the prose, in order, with their visible text if any."""
        found, taken = [], []
        for pattern, has_text in ((MD_LINK, True), (AUTOLINK, False), (BARE_URL, False)):
            for match in pattern.finditer(self.prose):
                if any(a <= match.start() < b for a, b in taken):
                    continue
                url = match.group(2 if has_text else 1).rstrip(".,;:!?")
                domain = host_of(url)
                taken.append(match.span())
                if domain:
                    text = match.group(1) if has_text else None
                    found.append(Link(url, domain, text, match.start(), match.end()))
        return sorted(found, key=lambda link: link.start)

    @cached_property
    def domains(self):
        """Every linked or merely mentioned domain (``visit example.com``)."""
        return {link.domain for link in self.links} | set(mentioned_domains(self.prose))

    @cached_property
    def words(self):
        return WORD.findall(f"{self.title}\n{self.prose}".lower())

    @cached_property
    def fingerprint(self):
        """A 64-bit SimHash of word pairs (signed, to fit a BIGINT), or None for short posts.

        Only the pairs with the smallest hashes are used: near-duplicate texts pick mostly the
        same ones, and a long post costs no more than a short one. Each pair's 64-bit hash is
        two CRC-32s (of the pair and of its reverse): SimHash needs well-spread bits, not
        collision resistance, and a CRC costs a fraction of a digest."""
        words = ["0" if word.isdigit() else word for word in self.words]
        if len(words) < FINGERPRINT_MIN_WORDS:
            return None
        pairs = {f"{a} {b}".encode() for a, b in zip(words, words[1:], strict=False)}
        # Choose the pairs by a cheap 32-bit hash; only the chosen get their upper 32 bits.
        chosen = sorted((zlib.crc32(pair), pair) for pair in pairs)[:FINGERPRINT_FEATURES]
        hashes = [low | zlib.crc32(pair[::-1]) << 32 for low, pair in chosen]
        total = 0
        for value in hashes:
            for lanes, byte in zip(_LANES, value.to_bytes(8, "little"), strict=True):
                total += lanes[byte]
        counts = total.to_bytes(64, "little")
        half = len(hashes) / 2
        bits = sum(1 << bit for bit, count in enumerate(counts) if count > half)
        return bits - (1 << 64) if bits >= 1 << 63 else bits


def mentioned_domains(text):
    """Domain names written in ``text`` outside URLs and e-mail addresses, in order.

    Found from their top-level domain backwards: one cheap scan for ".com" and friends
    instead of a domain pattern tried at every position."""
    found = []
    for match in TLD.finditer(text):
        start = match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
            start -= 1
        if start == match.start() or (start > 0 and text[start - 1] in "@/:"):
            continue
        domain = text[start : match.end()].strip(".-").lower().removeprefix("www.")
        if domain not in found:
            found.append(domain)
    return found


def hamming(a, b):
    return ((a ^ b) & MASK64).bit_count()
