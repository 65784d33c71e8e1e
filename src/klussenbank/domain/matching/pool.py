"""Every candidate, indexed once to find a klus's best people without scoring the whole pool.

**How.** The people are kept as bitsets by skill (see `people_index`). For a klus the pool counts per
person the halves of the klus's skills they bring (its *level*), and visits people level by level,
split by how well their work mode and place fit and which lifts they may get (the klus's text names a
skill of theirs, they want to learn one of its skills, a poster confirmed one), best possible score
first. Every person visited is scored by the plain scorer (`scoring._fit`: all the
hard filters, the score) and ordered by the plain matcher's key (`ranker._candidate_key`); the search
stops when the best score still possible (`scoring._bound`) falls in a lower band than the limit-th
found: nobody left can enter the top. So the pool gives exactly what `Matcher.rank_candidates` gives
over the same people, with the same explanation (`scoring._match`), and a change to the scorer's hard
filters, score or wording carries over by itself; the index assumes only what the scorer documents: a
person with none of the klus's skills (level 0) is no match unless the klus is a leerklus and they
want to learn one of its learnable skills, and `_bound` bounds the score.

**Changes.** `update` replaces or removes people without rebuilding: the old entries are left out
(a *stale* bitset) and the people as they are now are scored one by one on every query, until
`compacted` builds a fresh pool of everyone as they are now.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Container, Iterable
from datetime import date

from klussenbank.domain.klus import Klus
from klussenbank.domain.matching.bitsets import _any, _bits, _highest
from klussenbank.domain.matching.people_index import _PeopleIndex
from klussenbank.domain.matching.profiles import _Klus, _Person
from klussenbank.domain.matching.ranker import Matcher, _band, _candidate_key, _CandidateKey, _stable_hash
from klussenbank.domain.matching.scoring import _bound, _bound_units, _Fit, _fit, _match
from klussenbank.domain.matching.shapes import LIFT_WEIGHTS, Candidate, Match

_Found = tuple[_CandidateKey, _Person, _Fit]


class CandidatePool:
    """Every candidate, indexed for ranking people for a klus; `update` keeps it current."""

    def __init__(self, matcher: Matcher, candidates: Iterable[Candidate]) -> None:
        self._matcher = matcher
        self._build([matcher._person(candidate) for candidate in candidates])

    def _build(self, people: list[_Person]) -> None:
        self._index = _PeopleIndex(people, self._matcher._related)
        self._stale = 0  # indexed people replaced or removed since
        self._changed: dict[str, _Person] = {}  # people as they are now, not indexed

    def __len__(self) -> int:
        return self._index._size - self._stale.bit_count() + len(self._changed)

    @property
    def changes(self) -> int:
        """How many people are scored one by one since the pool was built (see `compacted`)."""
        return len(self._changed) + self._stale.bit_count()

    def update(self, candidates: Iterable[Candidate] = (), removed: Iterable[str] = ()) -> None:
        """These people as they are now; the `removed` ones are no longer in the pool."""
        for candidate in candidates:
            self._forget(candidate.person_id)
            self._changed[candidate.person_id] = self._matcher._person(candidate)
        for person_id in removed:
            self._forget(person_id)

    def _forget(self, person_id: str) -> None:
        self._changed.pop(person_id, None)
        for index in self._index._indexes(person_id):
            self._stale |= 1 << index

    def compacted(self) -> CandidatePool:
        """A new pool of everyone as they are now, all indexed (this one is left as it is)."""
        people = self._index._people
        current = [people[index] for index in range(len(people)) if not self._stale >> index & 1]
        pool = CandidatePool.__new__(CandidatePool)
        pool._matcher = self._matcher
        pool._build([*current, *self._changed.values()])
        return pool

    def top_candidates(
        self,
        klus: Klus,
        *,
        today: date,
        hidden: Container[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """What `Matcher.rank_candidates` gives for this klus and every candidate in the pool."""
        if limit <= 0:
            return []
        profile = self._matcher._klus(klus)
        day = today.toordinal()
        best: list[_Found] = []  # the best found so far, in order, at most `limit`

        def consider(person: _Person) -> None:
            fit = _fit(profile, person, day)
            if fit is not None:
                insort(best, (_candidate_key(profile, person, fit), person, fit), key=_found_key)
                del best[limit:]

        for person in self._changed.values():
            if person.id not in hidden:
                consider(person)
        people = self._index._people
        for bound, members in self._cells(profile):
            band = -_band(bound)
            if len(best) >= limit and band > best[-1][0][0]:
                break  # nobody left can enter the top: everyone further is in a lower band
            # Everyone here scores at most `bound`, so their key is at least their floor: visit
            # them floor first and stop at the first whose floor is behind the limit-th found.
            # (Scoring is the costly part: a group of 100,000 people can hold thousands.)
            floors = sorted(
                ((band, person.recent, person.passed_over, _stable_hash(profile.id, person.id)), index)
                for index in _bits(members)
                for person in (people[index],)
            )
            for floor, index in floors:
                if len(best) >= limit and floor > best[-1][0]:
                    break
                if people[index].id not in hidden:
                    consider(people[index])
        return [_match(profile, person, fit) for _, person, fit in best]

    def _cells(self, profile: _Klus) -> Iterable[tuple[int, int]]:
        """The indexed people who share a skill with the klus, in groups with the best score any of
        them can reach (in units), highest first."""
        index = self._index
        nice: list[int] = []  # beside required skills: the halves of the nice-to-have ones
        if profile.total:
            counter = index._levels(profile.required, profile.terms, profile.talent)
            nice = index._levels(profile.nice, ()) if profile.nice_total else []
        elif profile.nice_total:
            counter = index._levels(profile.nice, ())
        else:  # a klus without skills: everyone is on the same level
            counter = [(1 << index._size) - 1]
        learners = index._owning(profile.learnable, index._learning)
        rest = _any(counter) | (learners if profile.leerklus else 0)
        rest ^= rest & self._stale
        near = (1 << index._size) - 1 if profile.remote else index._home.get(profile.organisation, 0)
        # Who may get each lift, in the order of `LIFT_WEIGHTS`.
        lifting = (
            index._owning(profile.text_skills),
            learners,
            index._owning(profile.asked, index._confirmed),
        )
        by_fit: dict[float, int] = {}
        for code, members in enumerate(index._modes):
            by_fit[profile.mode_fit[code]] = by_fit.get(profile.mode_fit[code], 0) | members
        cells: list[tuple[int, int]] = []
        levels: list[tuple[int, int | None, int]] = []  # level, nice level (None: not known), members
        while rest:
            level, members = _highest(counter, rest)
            rest ^= members
            while nice and members:
                halves, with_halves = _highest(nice, members)
                members ^= with_halves
                levels.append((level, halves, with_halves))
            if members:
                levels.append((level, None, members))
        for level, nice_level, members in levels:
            for mode_fit, in_mode in by_fit.items():
                for place, at_place in ((1.0, in_mode & near), (0.0, in_mode & ~near)):
                    groups = [(0.0, at_place & members)]
                    for weight, who in zip(LIFT_WEIGHTS, lifting, strict=True):
                        groups = [
                            split
                            for lifts, group in groups
                            for split in ((lifts + weight, group & who), (lifts, group & ~who))
                            if split[1]
                        ]
                    for lifts, group in groups:
                        bound = _bound(
                            profile.total, profile.nice_total, level, mode_fit, place, 1.0, lifts, nice_level
                        )
                        cells.append((_bound_units(bound), group))
        cells.sort(key=lambda cell: -cell[0])  # (stable: the same order in every process)
        return cells


def _found_key(found: _Found) -> _CandidateKey:
    return found[0]
