"""The daily digest: every person's best open klussen, for all klussen at once."""

from __future__ import annotations

import gc
import heapq
from bisect import insort
from collections.abc import Mapping

from klussenbank.domain.matching.bitsets import _bits, _mask_of
from klussenbank.domain.matching.cells import _cell_fit, _cell_score, _Cells, _Entry
from klussenbank.domain.matching.people_index import _PeopleIndex
from klussenbank.domain.matching.profiles import _Klus
from klussenbank.domain.matching.ranker import _stable_hash
from klussenbank.domain.matching.scoring import (
    _SCALE,
    _bound_units,
    _Fit,
    _fit,
    _hours_left,
    _match,
    _Shared,
)
from klussenbank.domain.matching.shapes import HOURS_WEIGHT, PERIOD_WEIGHT, Match

# The digest works on slices of the pool of at most this many people: for each slice it holds a few
# bitsets per klus (2,000 klussen x 8 bitsets of 4 kB = 64 MB).
_DIGEST_SLICE = 32_768


def _digest(
    index: _PeopleIndex,
    klussen: list[_Klus],
    day: int,
    limit: int,
    hidden_posters: Mapping[str, frozenset[str]],
    part: tuple[int, int],
) -> dict[str, list[Match]]:
    """The digest (see `CandidatePool.digest`) for the open `klussen`, slice by slice of the pool."""
    number, parts = part
    digest: dict[str, list[Match]] = {}
    shared = _Shared()
    first, last = index._size * number // parts, index._size * (number + 1) // parts
    slices = -(-(last - first) // _DIGEST_SLICE)
    size = -(-(last - first) // slices) if slices else 1
    # Millions of short-lived tuples and not one reference cycle: the cyclic garbage collector
    # would only rescan them, over and over (it doubles the time). Pure all the same: the results do
    # not depend on it, and the collector is left as it was found.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for start in range(first, last, size):
            piece = index._slice(start, min(size, last - start))
            _digest_slice(piece, klussen, day, limit, hidden_posters, shared, digest)
    finally:
        if collecting:
            gc.enable()
    return digest


def _digest_slice(
    pool: _PeopleIndex,
    klussen: list[_Klus],
    day: int,
    limit: int,
    hidden_posters: Mapping[str, frozenset[str]],
    shared: _Shared,
    digest: dict[str, list[Match]],
) -> None:
    """The digest for the people of this slice: all klussen's cells in one queue, best first."""
    people = pool._people
    queue: list[_Entry] = []
    all_cells = [_Cells(pool, klus, day, queue, number) for number, klus in enumerate(klussen)]
    # Per person: the klussen found so far, best first, as (-units, klus number, the fit or (score,
    # overlap) from a cell); and the limit-th best units among them (-1 while there are fewer).
    found: list[list[_Found] | None] = [None] * pool._size
    settled = [-1] * pool._size
    waiting: list[tuple[int, int]] = []  # (-settled, person): done once nothing left can reach it
    done = 0
    pop, push, fit_of, bits = heapq.heappop, heapq.heappush, _fit, _bits
    while queue:
        top = pop(queue)
        negative_bound, number = top[0], top[1]
        if waiting and waiting[0][0] < negative_bound:
            # All at once: each `done |= 1 << index` would copy the whole bitset.
            settled_now: list[int] = []
            while waiting and waiting[0][0] < negative_bound:
                settled_now.append(pop(waiting)[1])
            done |= _mask_of(settled_now, pool._size)
        cell = all_cells[number].step(top, done)
        if cell is None:
            continue
        units, members, values, score, exact = cell
        fresh = members ^ (members & done)
        if not fresh:
            continue
        klus = klussen[number]
        scratch = None if exact or values is None else values.copy()
        for index in bits(fresh):
            person = people[index]
            if hidden_posters and klus.poster in hidden_posters.get(person.id, ()):
                continue
            least = settled[index]
            entry: _Found
            if exact:  # (not done, so the limit-th best is no better than this)
                entry = (-units, number, (score, person.hours, klus.days))
            elif scratch is not None:
                # Only hours and period differ from the cell's values: score those here.
                hours_left = person.hours
                if person.commitments:
                    hours_left = _hours_left(person, klus.start, klus.end)
                if hours_left <= 0:
                    continue
                own_score, overlap = _cell_score(klus, person, hours_left, scratch)
                own_units = round(own_score * _SCALE)
                if own_units < least:
                    continue
                entry = (-own_units, number, (own_score, hours_left, overlap))
            else:
                if least >= 0:
                    # Cheaper than scoring the free-text skills: the cell's bound with this
                    # person's own hours and period (commitments aside) may already fall short. (klus.hours > 0 when
                    # person.hours is less: anyone eligible offers at least an hour.)
                    hours = 1.0 if person.hours >= klus.hours else person.hours / klus.hours
                    overlap = min(person.end, klus.end) - max(person.start, klus.start) + 1
                    short = HOURS_WEIGHT * (1.0 - hours) + PERIOD_WEIGHT * (1.0 - overlap / klus.days)
                    mention = 1 if klus.text_skills & person.own else 0  # (as for everyone in the cell)
                    if _bound_units((score - short) / klus.weight_sums[mention]) < least:
                        continue
                fit = fit_of(klus, person, day)
                if fit is None or fit.units < least:
                    continue
                entry = (-fit.units, number, fit)
            mine = found[index]
            if mine is None:
                mine = found[index] = [entry]
            else:  # sorted by -units, then klus number: one entry per klus, never a tie
                insort(mine, entry)
            if len(mine) >= limit:
                least = -mine[limit - 1][0]
                while -mine[-1][0] < least:
                    mine.pop()
                if least > settled[index]:
                    settled[index] = least
                    push(waiting, (-least, index))
    for index, mine in enumerate(found):
        if not mine:
            continue
        person = people[index]
        if len({entry[0] for entry in mine}) < len(mine):  # equal scores: take turns
            mine.sort(key=lambda entry: (entry[0], _stable_hash(person.id, klussen[entry[1]].id)))
        matches: list[Match] = []
        for negative_units, number, payload in mine[:limit]:
            klus = klussen[number]
            if not isinstance(payload, _Fit):
                payload = _cell_fit(klus, person, -negative_units, *payload)
            matches.append(_match(klus, person, payload, shared))
        digest[person.id] = matches


# The fit, or (score, hours left, overlap) from a cell.
_Found = tuple[int, int, "_Fit | tuple[float, int, int]"]
