"""Free-text skills compared by their words: normalised, plural-folded, without stopwords."""

from __future__ import annotations

import re
from dataclasses import dataclass

from klussenbank.domain.skills import normalise_term

_WORD_BREAK = re.compile(r"[\W_]+")
# Words that say nothing about a skill on their own.
_STOPWORDS = frozenset((
    "de", "het", "een", "en", "of", "van", "voor", "met", "in", "op", "aan", "bij", "naar", "over", "te",
    "tot", "om", "als", "door", "uit", "maken", "doen",
    "the", "and", "or", "for", "with", "to", "an", "on", "at", "by", "from",
))  # fmt: skip


def _stem(word: str) -> str:
    """A crude plural fold so "evenementen"/"evenement" and "events"/"event" meet."""
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> frozenset[str]:
    """The meaningful words of a text, normalised like skill look-ups and plural-folded."""
    keys = [key for key in (normalise_term(piece) for piece in _WORD_BREAK.split(text)) if key]
    meaningful = {_stem(key) for key in keys if len(key) > 1 and key not in _STOPWORDS}
    return frozenset(meaningful or {_stem(key) for key in keys})


@dataclass(frozen=True, slots=True)
class _Term:
    """A free-text skill of a klus, ready to be compared with people."""

    key: str
    key_skill: int  # the bit of the vocabulary skill this whole term names, or 0
    words: tuple[tuple[str, int], ...]  # each word with the bits of the skills that use it
