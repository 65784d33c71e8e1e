"""Every candidate, indexed once to rank people for a klus and for the daily digest.

For a klus the pool hands out *cells* (see `cells`): eligible people (people whose commitment alone
takes all their hours in the klus period are left out by bitsets too) at one skill level whose
nice-to-have level, work mode fit and place fit are the same. In a cell's exact part everyone has
the hours (and no commitments) and the whole period, so they all get the cell's score without being
scored one by one; the others are bound by that score, and scored one by one from the cell's values
with their own hours left and period (fully for a klus with free-text skills). The digest (see
`digest`) runs all klussen at once against a slice of the pool (its bitsets for every klus in
memory): one queue of every klus's levels and cells, best first; a person is done as soon as they
have their klussen and nothing left can beat them. Its `part` lets several processes each compute a
share of the people.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from datetime import date

from klussenbank.domain.klus import Klus
from klussenbank.domain.matching.bitsets import _bits
from klussenbank.domain.matching.cells import _cell_score, _Cells, _Entry
from klussenbank.domain.matching.digest import _digest
from klussenbank.domain.matching.people_index import _PeopleIndex
from klussenbank.domain.matching.ranker import Matcher, _band, _CandidateKey, _stable_hash
from klussenbank.domain.matching.scoring import _SCALE, _fit, _hours_left, _match
from klussenbank.domain.matching.shapes import Candidate, Match


class CandidatePool:
    """Every candidate, indexed for ranking people for a klus and for the daily digest."""

    def __init__(self, matcher: Matcher, candidates: Iterable[Candidate]) -> None:
        self._matcher = matcher
        people = [matcher._person(candidate) for candidate in candidates]
        self._index = _PeopleIndex(people, matcher._related)

    def __len__(self) -> int:
        return self._index._size

    def top_candidates(
        self,
        klus: Klus,
        *,
        today: date,
        hidden: frozenset[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """What `Matcher.rank_candidates` gives for this klus and every candidate in the pool."""
        if limit <= 0:
            return []
        profile = self._matcher._klus(klus)
        day = today.toordinal()
        people = self._index._people
        queue: list[_Entry] = []
        cells = _Cells(self._index, profile, day, queue)
        best: list[tuple[_CandidateKey, int]] = []
        kth: _CandidateKey | None = None  # the limit-th best key so far
        while queue:
            if kth is not None and _band(-queue[0][0]) < -kth[0]:
                break
            cell = cells.step(heapq.heappop(queue), 0)
            if cell is None:
                continue
            units, members, values, _, exact = cell
            if not exact:  # score one by one
                scratch = None if values is None else values.copy()
                for index in _bits(members):
                    person = people[index]
                    if person.id in hidden:
                        continue
                    if scratch is not None:
                        hours_left = _hours_left(person, profile.start, profile.end)
                        if hours_left <= 0:
                            continue
                        score, _ = _cell_score(profile, person, hours_left, scratch)
                        own_units = round(score * _SCALE)
                    else:
                        fit = _fit(profile, person, day)
                        if fit is None:
                            continue
                        own_units = fit.units
                    band = -_band(own_units)
                    key = (band, person.recent, person.passed_over, _stable_hash(profile.id, person.id))
                    best.append((key, index))
            else:  # one score for all; who comes first only depends on fairness
                band = -_band(units)
                for (recent, passed_over), fair in self._index._fairness:
                    if kth is not None and kth < (band, recent, passed_over):
                        break
                    for index in _bits(members & fair):
                        person = people[index]
                        if person.id not in hidden:
                            key = (band, recent, passed_over, _stable_hash(profile.id, person.id))
                            best.append((key, index))
                    if len(best) >= limit:
                        best.sort()
                        del best[limit:]
                        kth = best[-1][0]
            best.sort()
            del best[limit:]
            if len(best) >= limit:
                kth = best[-1][0]
        matches: list[Match] = []
        for _, index in best:
            fit = _fit(profile, people[index], day)
            assert fit is not None
            matches.append(_match(profile, people[index], fit))
        return matches

    def digest(
        self,
        klussen: Iterable[Klus],
        *,
        today: date,
        limit_per_person: int = 5,
        hidden_posters: Mapping[str, frozenset[str]] | None = None,
        part: tuple[int, int] = (0, 1),
    ) -> dict[str, list[Match]]:
        """Every person's best open klussen (as `Matcher.rank_klussen`), for people with at least one.

        `hidden_posters` maps a person id to the posters whose klussen that person must not see.
        `part` (n, of) computes only the n-th (from 0) of `of` equal parts of the pool, so that
        several processes can share the work; together the parts give the whole digest.
        """
        number, parts = part
        if not 0 <= number < parts:
            raise ValueError(f"no part {number} of {parts}")
        if limit_per_person <= 0:
            return {}
        open_klussen = [self._matcher._klus(klus) for klus in klussen if klus.open_on(today)]
        return _digest(
            self._index, open_klussen, today.toordinal(), limit_per_person, hidden_posters or {}, part
        )
