"""A pool's people as bitsets by skill, home organisation and work mode, and the skill levels a
query asks for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from klussenbank.domain.matching.bitsets import _add, _any, _at_least, _bits, _mask_of
from klussenbank.domain.matching.profiles import _MODES, _Person
from klussenbank.domain.matching.words import _Term


class _PeopleIndex:
    """A pool's people as bitsets (by skill, own and related, free-text word, home and work mode; by
    the skills they want to learn and the skills posters confirmed)."""

    def __init__(self, people: list[_Person], related_skills: Mapping[int, int]) -> None:
        self._people = people
        size = self._size = len(people)
        by_skill: dict[int, list[int]] = defaultdict(list)
        by_learning: dict[int, list[int]] = defaultdict(list)
        by_confirmed: dict[int, list[int]] = defaultdict(list)
        by_home: dict[str, list[int]] = defaultdict(list)
        by_mode: list[list[int]] = [[] for _ in _MODES]
        by_word: dict[str, list[int]] = defaultdict(list)
        by_talent_word: dict[str, list[int]] = defaultdict(list)
        by_key: dict[str, list[int]] = defaultdict(list)
        self._ids: dict[str, list[int]] = defaultdict(list)  # person id -> indexes (normally one)
        for index, person in enumerate(people):
            for bit in _bits(person.own):
                by_skill[bit].append(index)
            for bit in _bits(person.learning):
                by_learning[bit].append(index)
            for bit in _bits(person.confirmed):
                by_confirmed[bit].append(index)
            by_home[person.organisation].append(index)
            by_mode[person.mode_code].append(index)
            for word in person.free_words:
                by_word[word].append(index)
            for word in person.talent_words:
                by_talent_word[word].append(index)
            for key in person.free_keys:
                by_key[key].append(index)
            self._ids[person.id].append(index)
        self._own = {bit: _mask_of(found, size) for bit, found in by_skill.items()}
        self._learning = {bit: _mask_of(found, size) for bit, found in by_learning.items()}
        self._confirmed = {bit: _mask_of(found, size) for bit, found in by_confirmed.items()}
        self._related: dict[int, int] = {}
        for bit, related_bits in related_skills.items():
            related = 0
            for other in _bits(related_bits):
                related |= self._own.get(other, 0)
            related ^= related & self._own.get(bit, 0)
            if related:
                self._related[bit] = related
        self._home = {key: _mask_of(found, size) for key, found in by_home.items()}
        self._modes = [_mask_of(found, size) for found in by_mode]
        self._free_word = {word: _mask_of(found, size) for word, found in by_word.items()}
        self._talent_word = {word: _mask_of(found, size) for word, found in by_talent_word.items()}
        self._free_key = {key: _mask_of(found, size) for key, found in by_key.items()}

    def _indexes(self, person_id: str) -> list[int]:
        """Where this person is in the pool (normally once or not at all)."""
        return self._ids.get(person_id, [])

    def _owning(self, skills: int, by_skill: Mapping[int, int] | None = None) -> int:
        """Everyone who owns one of these skills (or is in `by_skill` for one: wants to learn it, has it
        confirmed)."""
        by_skill = self._own if by_skill is None else by_skill
        mask = 0
        for bit in _bits(skills):
            mask |= by_skill.get(bit, 0)
        return mask

    def _word_mask(self, word: str, skills: int, talent: bool) -> int:
        mask = self._free_word.get(word, 0) | self._owning(skills)
        return mask | self._talent_word.get(word, 0) if talent else mask

    def _levels(self, skills: int, terms: Sequence[_Term], talent: bool = False) -> list[int]:
        """Per person, the halves of these skills (and free-text terms) they bring, bit-sliced."""
        counter: list[int] = []
        for bit in _bits(skills):
            _add(counter, self._own.get(bit, 0), 2)
            _add(counter, self._related.get(bit, 0), 1)
        for term in terms:
            full = self._free_key.get(term.key, 0)
            words: list[int] = []
            every = -1
            for word, word_skills in term.words:
                mask = self._word_mask(word, word_skills, talent)
                every &= mask
                _add(words, mask, 1)
            full |= max(every, 0)
            _add(counter, full, 2)
            if len(term.words) > 1:
                half = _at_least(words, (len(term.words) + 1) // 2, _any(words))
                _add(counter, half ^ (half & full), 1)
        return counter
