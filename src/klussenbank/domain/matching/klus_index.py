"""Klussen indexed for ranking the klussen that fit one person."""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from klussenbank.domain.klus import Klus, KlusStatus
from klussenbank.domain.matching.bitsets import _add, _any, _bits, _highest, _mask_of
from klussenbank.domain.matching.profiles import _Klus, _Person
from klussenbank.domain.matching.ranker import Matcher, _stable_hash
from klussenbank.domain.matching.scoring import (
    _ROUNDING_SLACK,
    _SCALE,
    _bound,
    _bound_units,
    _Fit,
    _fit,
    _match,
    _term_credit,
)
from klussenbank.domain.matching.shapes import (
    HOURS_WEIGHT,
    MENTIONED_WEIGHT,
    PERIOD_WEIGHT,
    PLACE_WEIGHT,
    WORK_MODE_WEIGHT,
    Candidate,
    Match,
)
from klussenbank.domain.matching.words import _Term
from klussenbank.domain.people import WorkMode


class KlusIndex:
    """Many klussen, indexed by skill, organisation, poster, period and work mode."""

    def __init__(self, matcher: Matcher, klussen: Iterable[Klus]) -> None:
        self._matcher = matcher
        self._klussen = [matcher._klus(klus) for klus in klussen]
        size = len(self._klussen)
        self._size = size
        self._all = (1 << size) - 1
        by_required: dict[int, list[int]] = defaultdict(list)
        by_nice: dict[int, list[int]] = defaultdict(list)
        by_organisation: dict[str, list[int]] = defaultdict(list)
        organisation_only: dict[str, list[int]] = defaultdict(list)
        by_poster: dict[str, list[int]] = defaultdict(list)
        by_mode: dict[WorkMode, list[int]] = defaultdict(list)
        by_group: dict[tuple[int, int, bool], list[int]] = defaultdict(list)
        self._terms: dict[str, tuple[_Term, list[int]]] = {}
        for index, klus in enumerate(self._klussen):
            for bit in _bits(klus.required):
                by_required[bit].append(index)
            for bit in _bits(klus.nice):
                by_nice[bit].append(index)
            by_organisation[klus.organisation].append(index)
            if klus.organisation_only:
                organisation_only[klus.organisation].append(index)
            by_poster[klus.poster].append(index)
            by_mode[klus.mode].append(index)
            # Klussen with required or free-text skills are grouped by their number; the others by
            # their number of nice-to-have skills (their skill level counts those); and by whether
            # their text names skills.
            by_group[klus.total, 0 if klus.total else klus.nice_total, bool(klus.text_skills)].append(index)
            for term in klus.terms:
                self._terms.setdefault(term.key, (term, []))[1].append(index)
        self._required = {bit: _mask_of(ks, size) for bit, ks in by_required.items()}
        self._nice = {bit: _mask_of(ks, size) for bit, ks in by_nice.items()}
        self._organisation = {key: _mask_of(ks, size) for key, ks in by_organisation.items()}
        self._by_organisation_bit = {
            matcher._organisation_mask((key,)).bit_length() - 1: mask
            for key, mask in self._organisation.items()
        }
        self._organisation_only = {key: _mask_of(ks, size) for key, ks in organisation_only.items()}
        self._any_organisation_only = _any(list(self._organisation_only.values()))
        self._poster = {key: _mask_of(ks, size) for key, ks in by_poster.items()}
        self._mode = {mode: _mask_of(ks, size) for mode, ks in by_mode.items()}
        # Per group, the best score (in units) at each skill level when all else fits.
        self._groups = [
            (
                total,
                nice,
                _mask_of(ks, size),
                [
                    # (with skills, nice-to-have ones are taken as there and perfect: a bound either
                    # way; without any skills, everyone is on level 1)
                    _bound_units(_bound(total, 1 if total else nice, level, 1.0, 1.0, 1.0, mentioned))
                    for level in range(2 * (total or nice or 1) + 1)
                ],
            )
            for (total, nice, mentioned), ks in by_group.items()
        ]
        self._term_masks = {key: _mask_of(ks, size) for key, (_, ks) in self._terms.items()}
        # Which free-text terms a person could match, by a word of their skills or their own words.
        self._terms_by_skill: dict[int, set[str]] = defaultdict(set)
        self._terms_by_word: dict[str, set[str]] = defaultdict(set)
        for key, (term, _) in self._terms.items():
            self._terms_by_word[key].add(key)
            for word, skills in term.words:
                self._terms_by_word[word].add(key)
                for bit in _bits(skills):
                    self._terms_by_skill[bit].add(key)
        # Periods: klussen by start (a prefix starts on or before a day) and by end (a suffix ends on
        # or after it); open klussen by interest deadline.
        self._starts, self._started = self._by_day(lambda k: k.start, prefix=True)
        self._ends, self._ending = self._by_day(lambda k: k.end, prefix=False)
        open_klussen = [i for i, k in enumerate(self._klussen) if k.klus.status is KlusStatus.OPEN]
        open_klussen.sort(key=lambda i: self._klussen[i].klus.interest_deadline)
        self._deadlines = [self._klussen[i].klus.interest_deadline.toordinal() for i in open_klussen]
        self._open_after: list[int] = [0] * (len(open_klussen) + 1)
        mask = 0
        for position in range(len(open_klussen) - 1, -1, -1):
            mask |= 1 << open_klussen[position]
            self._open_after[position] = mask

    def __len__(self) -> int:
        return self._size

    def _by_day(self, day_of: Callable[[_Klus], int], *, prefix: bool) -> tuple[list[int], list[int]]:
        order = sorted(range(self._size), key=lambda i: day_of(self._klussen[i]))
        days = [day_of(self._klussen[i]) for i in order]
        masks = [0] * (self._size + 1)
        mask = 0
        if prefix:  # masks[n]: the first n klussen by day
            for n, index in enumerate(order, start=1):
                mask |= 1 << index
                masks[n] = mask
        else:  # masks[n]: the klussen from position n on
            for n in range(self._size - 1, -1, -1):
                mask |= 1 << order[n]
                masks[n] = mask
        return days, masks

    def _open(self, today: int) -> int:
        return self._open_after[bisect_left(self._deadlines, today)]

    def top_klussen(
        self,
        candidate: Candidate,
        *,
        today: date,
        hidden_posters: frozenset[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """What `Matcher.rank_klussen` gives for this person and every klus in the index."""
        person = self._matcher._person(candidate)
        best = self._top(person, today.toordinal(), hidden_posters, limit)
        return [_match(klus, person, fit) for klus, fit in best]

    def _top(
        self, person: _Person, day: int, hidden_posters: Iterable[str], limit: int
    ) -> list[tuple[_Klus, _Fit]]:
        if limit <= 0 or day <= person.active_after or person.hours <= 0:
            return []
        allowed = self._open(day)
        if not allowed:
            return []
        willing = 0
        for bit in _bits(person.willing):
            willing |= self._by_organisation_bit.get(bit, 0)
        allowed &= willing
        closed = self._any_organisation_only ^ self._organisation_only.get(person.organisation, 0)
        allowed ^= allowed & closed
        allowed &= self._started[bisect_right(self._starts, person.end)]
        allowed &= self._ending[bisect_left(self._ends, person.start)]
        for poster in (person.id, *hidden_posters):
            mask = self._poster.get(poster, 0)
            allowed ^= allowed & mask
        if not allowed:
            return []

        # Per klus, the halves of its required and free-text skills this person brings (bit-sliced).
        own_bits, related_bits = _bits(person.own), _bits(person.related)
        skills: list[int] = []
        for bit in own_bits:
            _add(skills, self._required.get(bit, 0), 2)
        for bit in related_bits:
            _add(skills, self._required.get(bit, 0), 1)
        if self._terms:
            keys: set[str] = set()
            for bit in own_bits:
                keys.update(self._terms_by_skill.get(bit, ()))
            for word in (*person.free_words, *person.free_keys):
                keys.update(self._terms_by_word.get(word, ()))
            for key in sorted(keys):
                credit = _term_credit(self._terms[key][0], person)
                if credit:
                    _add(skills, self._term_masks[key], credit)

        # Threshold algorithm. Groups of klussen with as many skills come up at their best skill level,
        # bound as if all else fits. Each of their klussen at that level is then bound by all that is
        # known without scoring (everything but commitments), and scored when that bound comes up.
        # The limit-th best score so far (`kth`) cuts off both.
        relevant = allowed & _any(skills)
        queue: list[tuple[int, int, int, int, int, list[int], list[int]]] = []
        order = 0
        for total, nice_total, group, bounds in self._groups:
            if total:
                counter, rest = skills, relevant & group
            elif nice_total:
                counter = []
                for bit in own_bits:
                    _add(counter, self._nice.get(bit, 0), 2)
                for bit in related_bits:
                    _add(counter, self._nice.get(bit, 0), 1)
                rest = allowed & group & _any(counter)
            else:
                counter, rest = [self._all], allowed & group
            if rest:
                level, members = _highest(counter, rest)
                queue.append((-bounds[level], order, level, members, rest, counter, bounds))
                order += 1
        heapq.heapify(queue)

        klussen = self._klussen
        own, related, hours, start, end = person.own, person.related, person.hours, person.start, person.end
        organisation, mode = person.organisation, person.mode_code
        best: list[tuple[int, int, _Fit]] = []  # (-units, index, fit); ties with the limit-th are kept
        kth = -1
        while queue:
            negative_bound, _, level, members, rest, counter, bounds = heapq.heappop(queue)
            if -negative_bound < kth:
                break
            if level < 0:  # one klus, `members` is its index: score it
                fit = _fit(klussen[members], person, day)
                if fit is not None and fit.units >= kth:
                    best.append((-fit.units, members, fit))
                    if len(best) >= limit:
                        best.sort()
                        kth = -best[limit - 1][0]
                        while -best[-1][0] < kth:
                            best.pop()
                continue
            for index in _bits(members):
                klus = klussen[index]
                bound_sum = (
                    klus.unit * level
                    + HOURS_WEIGHT * (1.0 if klus.hours <= hours else hours / klus.hours)
                    + PERIOD_WEIGHT * (min(end, klus.end) - max(start, klus.start) + 1) / klus.days
                    + WORK_MODE_WEIGHT * klus.mode_fit[mode]
                    + (PLACE_WEIGHT if klus.remote or klus.organisation == organisation else 0.0)
                )
                if klus.nice_unit:
                    nice = klus.nice
                    bound_sum += klus.nice_unit * (
                        2 * (nice & own).bit_count() + (nice & related).bit_count()
                    )
                mention = 1 if klus.text_skills & own else 0
                bound_sum += MENTIONED_WEIGHT * mention
                bound = math.floor(bound_sum / klus.weight_sums[mention] * _SCALE + _ROUNDING_SLACK)
                if bound >= kth:
                    heapq.heappush(queue, (-bound, order, -1, index, 0, counter, bounds))
                    order += 1
            rest ^= members
            if rest:
                level, members = _highest(counter, rest)
                heapq.heappush(queue, (-bounds[level], order, level, members, rest, counter, bounds))
                order += 1
        ranked = sorted(
            (units, _stable_hash(person.id, klussen[index].id), index, fit) for units, index, fit in best
        )
        return [(klussen[index], fit) for _, _, index, fit in ranked[:limit]]
