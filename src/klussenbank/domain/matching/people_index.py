"""A pool's people as bitsets, and the sets of people a query asks for."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TypeVar

from klussenbank.domain.matching.bitsets import _add, _any, _at_least, _bits, _cumulative, _mask_of
from klussenbank.domain.matching.profiles import _MODES, _NEVER, _Person
from klussenbank.domain.matching.words import _Term

_K = TypeVar("_K")


class _PeopleIndex:
    """A pool's people as bitsets (by skill, organisation, work mode, hours, period and fairness)."""

    def __init__(self, people: list[_Person], related_skills: Mapping[int, int]) -> None:
        self._people = people
        self._index(related_skills)

    def _slice(self, first: int, size: int) -> _PeopleIndex:
        """The people first .. first + size - 1, their bitsets cut from these."""
        part = _PeopleIndex.__new__(_PeopleIndex)
        part._people = self._people[first : first + size]
        part._size = len(part._people)
        keep = (1 << part._size) - 1

        def cut(masks: Mapping[_K, int]) -> dict[_K, int]:
            return {key: mask >> first & keep for key, mask in masks.items() if mask >> first & keep}

        part._own = cut(self._own)
        part._related = cut(self._related)
        part._willing = cut(self._willing)
        part._home = cut(self._home)
        part._free_word = cut(self._free_word)
        part._free_key = cut(self._free_key)
        part._ids, part._more_ids, part._first = self._ids, self._more_ids, self._first + first
        part._modes = [mask >> first & keep for mask in self._modes]
        part._fairness = [(key, mask >> first & keep) for key, mask in self._fairness if mask >> first & keep]
        part._committed = self._committed >> first & keep
        part._always_active = self._always_active >> first & keep
        paused = [
            (until, index - first)
            for until, index in zip(self._paused_until, self._paused_people, strict=True)
            if first <= index < first + size
        ]
        part._paused_until = [until for until, _ in paused]
        part._paused_people = [index for _, index in paused]
        part._active_cache = (-1, 0)
        part._hour_values = self._hour_values
        part._hours_from = [mask >> first & keep for mask in self._hours_from]
        part._start_values = self._start_values
        part._starts_by = [mask >> first & keep for mask in self._starts_by]
        part._end_values = self._end_values
        part._ends_from = [mask >> first & keep for mask in self._ends_from]
        part._blocking = [
            (
                starts,
                [mask >> first & keep for mask in by_start],
                ends,
                [mask >> first & keep for mask in by_end],
            )
            for starts, by_start, ends, by_end in self._blocking
        ]
        return part

    def _index(self, related_skills: Mapping[int, int]) -> None:
        people = self._people
        size = self._size = len(people)
        by_skill: dict[int, list[int]] = defaultdict(list)
        by_willing: dict[int, list[int]] = defaultdict(list)
        by_home: dict[str, list[int]] = defaultdict(list)
        by_mode: list[list[int]] = [[] for _ in _MODES]
        by_word: dict[str, list[int]] = defaultdict(list)
        by_key: dict[str, list[int]] = defaultdict(list)
        self._ids: dict[str, int] = {}  # person id -> index (the first, if an id comes more often)
        self._more_ids: dict[str, list[int]] = defaultdict(list)  # the other indexes of such an id
        self._first = 0  # the index of this pool's first person in the whole pool (see `_slice`)
        by_hours: dict[int, list[int]] = defaultdict(list)
        by_start: dict[int, list[int]] = defaultdict(list)
        by_end: dict[int, list[int]] = defaultdict(list)
        by_fairness: dict[tuple[int, int], list[int]] = defaultdict(list)
        always: list[int] = []
        paused: list[tuple[int, int]] = []
        committed: list[int] = []
        for index, person in enumerate(people):
            for bit in _bits(person.own):
                by_skill[bit].append(index)
            for bit in _bits(person.willing):
                by_willing[bit].append(index)
            by_home[person.organisation].append(index)
            by_mode[person.mode_code].append(index)
            for word in person.free_words:
                by_word[word].append(index)
            for key in person.free_keys:
                by_key[key].append(index)
            if self._ids.setdefault(person.id, index) != index:
                self._more_ids[person.id].append(index)
            by_hours[person.hours].append(index)
            by_start[person.start].append(index)
            by_end[person.end].append(index)
            by_fairness[person.recent, person.passed_over].append(index)
            if person.commitments:
                committed.append(index)
            if person.active_after == 0:
                always.append(index)
            elif person.active_after < _NEVER:
                paused.append((person.active_after, index))
        self._own = {bit: _mask_of(found, size) for bit, found in by_skill.items()}
        self._related: dict[int, int] = {}
        for bit, related_bits in related_skills.items():
            related = 0
            for other in _bits(related_bits):
                related |= self._own.get(other, 0)
            related ^= related & self._own.get(bit, 0)
            if related:
                self._related[bit] = related
        self._willing = {bit: _mask_of(found, size) for bit, found in by_willing.items()}
        self._home = {key: _mask_of(found, size) for key, found in by_home.items()}
        self._modes = [_mask_of(found, size) for found in by_mode]
        self._free_word = {word: _mask_of(found, size) for word, found in by_word.items()}
        self._free_key = {key: _mask_of(found, size) for key, found in by_key.items()}
        self._more_ids = dict(self._more_ids)
        self._fairness = sorted((key, _mask_of(found, size)) for key, found in by_fairness.items())
        self._committed = _mask_of(committed, size)
        self._always_active = _mask_of(always, size)
        paused.sort()
        self._paused_until = [until for until, _ in paused]
        self._paused_people = [index for _, index in paused]
        self._active_cache: tuple[int, int] = (-1, 0)
        # Hours offered, start and end days: the distinct values ascending, and cumulative sets.
        self._hour_values, self._hours_from = _cumulative(by_hours, size, upwards=False)
        # Commitments that alone take all of someone's hours: the first of each person's, the second,
        # and so on, by start and by end day; see `_blocked`.
        blocking: list[tuple[dict[int, list[int]], dict[int, list[int]]]] = []
        for index, person in enumerate(people):
            rank = 0
            for start, end, hours in person.commitments:
                if hours >= person.hours:
                    if rank == len(blocking):
                        blocking.append((defaultdict(list), defaultdict(list)))
                    blocking[rank][0][start].append(index)
                    blocking[rank][1][end].append(index)
                    rank += 1
        self._blocking = [
            (*_cumulative(by_start, size, upwards=True), *_cumulative(by_end, size, upwards=False))
            for by_start, by_end in blocking
        ]
        self._start_values, self._starts_by = _cumulative(by_start, size, upwards=True)
        self._end_values, self._ends_from = _cumulative(by_end, size, upwards=False)

    def _active(self, today: int) -> int:
        """Everyone active on this day: always active, or paused until before it."""
        cached_day, cached = self._active_cache
        if cached_day == today:
            return cached
        ended = bisect_left(self._paused_until, today)
        mask = self._always_active | _mask_of(self._paused_people[:ended], self._size)
        self._active_cache = (today, mask)
        return mask

    def _indexes(self, person_id: str) -> list[int]:
        """Where this person is in this pool (normally once or not at all)."""
        first = self._ids.get(person_id)
        if first is None:
            return []
        found = [first, *self._more_ids.get(person_id, ())]
        return [index - self._first for index in found if 0 <= index - self._first < self._size]

    def _offering(self, hours: int) -> int:
        """Everyone offering at least this many hours a week."""
        return self._hours_from[bisect_left(self._hour_values, hours)]

    def _starting_by(self, day: int) -> int:
        """Everyone available from this day or earlier."""
        return self._starts_by[bisect_right(self._start_values, day)]

    def _blocked(self, first: int, last: int) -> int:
        """Everyone with a commitment in this period that takes all their hours: they have none left.
        (Commitments that only together take all the hours are left to `_fit`.)"""
        blocked = 0
        for starts, starts_by, ends, ends_from in self._blocking:
            blocked |= starts_by[bisect_right(starts, last)] & ends_from[bisect_left(ends, first)]
        return blocked

    def _ending_from(self, day: int) -> int:
        """Everyone available until this day or later (or without an end)."""
        return self._ends_from[bisect_left(self._end_values, day)]

    def _owning(self, skills: int) -> int:
        """Everyone who owns one of these skills."""
        mask = 0
        for bit in _bits(skills):
            mask |= self._own.get(bit, 0)
        return mask

    def _word_mask(self, word: str, skills: int) -> int:
        return self._free_word.get(word, 0) | self._owning(skills)

    def _levels(self, skills: int, terms: Sequence[_Term]) -> list[int]:
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
                mask = self._word_mask(word, word_skills)
                every &= mask
                _add(words, mask, 1)
            full |= max(every, 0)
            _add(counter, full, 2)
            if len(term.words) > 1:
                half = _at_least(words, (len(term.words) + 1) // 2, _any(words))
                _add(counter, half ^ (half & full), 1)
        return counter
