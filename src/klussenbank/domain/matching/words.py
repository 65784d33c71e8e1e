"""Skill texts read as Dutch words: lemmas from the simplemma lemmatiser, compounds split into their parts.

People write "adviezen" for "advies", "financiële" for "financieel", "crediteurenadministratie" for a
kind of "administratie". A text is cut into words (case-folded, at anything that is not a letter or
digit) and each word becomes its *lemma* (simplemma's Dutch dictionary: "adviezen" -> "advies",
"geschreven" -> "schrijven"), compared without accents.

**Compounds.** Dutch writes new compounds all the time and no dictionary has them all
("inkoopfacturen", "evenementenvergunningen"). A word splits into a modifier (at least
`_MIN_MODIFIER` letters) and a head (its last part, at least `_MIN_HEAD` letters), both words the
dictionary knows (the modifier may also be a compound itself, or end in a linking -s), when

- the dictionary does not know the word, and the head is a word of the vocabulary (a lemma of the
  words of its names) or at least `_LONG_HEAD` letters long (shorter heads are too often a mere
  ending: "toet-sing", "bui-lding"); or
- the dictionary knows the word, and both its modifier and its head are words of the vocabulary: so
  "salarisadministratie", which the dictionary knows, splits like "crediteurenadministratie", which
  it does not, but "verwerken" does not split into "ver" and "werken".

A split word's lemma is its modifier followed by its head's lemma, the modifier without a linking
ending where its lemma is the modifier cut short ("inkoopfacturen" -> "inkoopfactuur",
"klachtenbehandeling" -> "klachtbehandeling", "personeelsplanning" -> "personeelplanning": spelling
variants meet), and its *parts* are the modifier's parts and the head's lemma. Lemmas name skills
(see `profiles`); parts compare free-text skills word by word (see `scoring`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import simplemma

from klussenbank.domain.skills import normalise_term

_DUTCH = "nl"
_MIN_HEAD = 4
_LONG_HEAD = 5
_MIN_MODIFIER = 3
_WORD_BREAK = re.compile(r"[\W_]+")
_APOSTROPHE_S = re.compile(r"['’]s\b")  # "beleidsnota's", "'s nachts"
# Words that say nothing about a skill on their own.
_STOPWORDS = frozenset((
    "de", "het", "een", "en", "of", "van", "voor", "met", "in", "op", "aan", "bij", "naar", "over", "te",
    "tot", "om", "als", "door", "uit", "maken", "doen",
    "the", "and", "or", "for", "with", "to", "an", "on", "at", "by", "from",
))  # fmt: skip
_MEMO_SIZE = 100_000  # texts read and remembered per lexicon (the texts of a pool repeat a lot)

# One for the process: simplemma keeps one copy of its Dutch dictionary (some 40 MB) for all lemmatisers.
_LEMMATISER = simplemma.Lemmatizer()


@dataclass(frozen=True, slots=True)
class _Token:
    """One word of a text: as written, its lemma, and its parts (the lemma alone unless a compound)."""

    surface: str
    lemma: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Term:
    """A free-text skill of a klus, ready to be compared with people."""

    key: str
    words: tuple[tuple[str, int], ...]  # each part with the bits of the skills that use it
    text: str = ""  # as the klus wrote it, for the reasons


class _Lexicon:
    """Reads texts as tokens (see the module docstring); made once per skills vocabulary.

    Making a lexicon loads the lemmatiser's dictionary (from simplemma's own package data), so that
    reading a text never does I/O.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._vocabulary: frozenset[str] = frozenset()
        self._memo: dict[str, tuple[_Token, ...]] = {}
        self._vocabulary = frozenset(
            part for name in names for token in self.tokens(name) for part in token.parts if len(part) >= 3
        )
        self._memo.clear()  # (read before the vocabulary's words were known)

    def tokens(self, text: str) -> tuple[_Token, ...]:
        """The words of a text without stopwords (all of them when there is nothing else)."""
        tokens = self._memo.get(text)
        if tokens is None:
            words = _WORD_BREAK.split(_APOSTROPHE_S.sub("", text.casefold()))
            every = [self._token(word) for word in words if word]
            tokens = tuple(t for t in every if t.lemma not in _STOPWORDS) or tuple(every)
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[text] = tokens
        return tokens

    def lemmas(self, text: str) -> frozenset[str]:
        return frozenset(token.lemma for token in self.tokens(text))

    def words(self, text: str) -> frozenset[str]:
        """The parts of a text's words: what free-text skills are compared by."""
        return frozenset(part for token in self.tokens(text) for part in token.parts)

    def _token(self, word: str) -> _Token:
        parts = self._split(word, simplemma.is_known(word, _DUTCH))
        if parts is None:
            lemma = _lemma(word)
            return _Token(word, lemma, (lemma,))
        return _Token(word, "".join(parts), parts)

    def _split(self, word: str, known: bool) -> tuple[str, ...] | None:
        """The parts of a compound (the modifier's, then the head's lemma), or None."""
        vocabulary = self._vocabulary
        for cut in range(_MIN_MODIFIER, len(word) - _MIN_HEAD + 1):  # the longest head first
            head = word[cut:]
            if not simplemma.is_known(head, _DUTCH):
                continue
            head_lemma = _lemma(head)
            if head_lemma not in vocabulary and (known or len(head) < _LONG_HEAD):
                continue
            modifier = _modifier(word[:cut])
            if modifier is None:
                parts = None if known else self._split(word[:cut], False)
                if parts is not None:
                    return (*parts, head_lemma)
            elif not known or modifier in vocabulary:
                return (modifier, head_lemma)
        return None


def _lemma(word: str) -> str:
    return normalise_term(_LEMMATISER.lemmatize(word, _DUTCH))


def _modifier(text: str) -> str | None:
    """A known word as the first part of a compound, without a linking ending; None if unknown."""
    for word in (text, text[:-1]) if text.endswith("s") else (text,):
        if simplemma.is_known(word, _DUTCH):
            lemma = _lemma(word)
            plain = normalise_term(word)
            return lemma if plain.startswith(lemma) else plain
    return None
