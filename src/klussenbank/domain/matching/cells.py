"""A klus's eligible people in a pool, handed out in cells of people with the same best score."""

from __future__ import annotations

import heapq
from operator import mul

from klussenbank.domain.matching.bitsets import _any, _highest
from klussenbank.domain.matching.people_index import _PeopleIndex
from klussenbank.domain.matching.profiles import _Klus, _Person
from klussenbank.domain.matching.scoring import _SCALE, _bound, _bound_units, _Fit, _hours_value, _new_fit
from klussenbank.domain.matching.shapes import (
    HOURS_WEIGHT,
    MENTIONED_WEIGHT,
    NICE_SKILLS_WEIGHT,
    PERIOD_WEIGHT,
    PLACE_WEIGHT,
    SKILLS_WEIGHT,
    WORK_MODE_WEIGHT,
)

_COARSE = 0
_CELL = 1
# In a queue of cells: (-bound, klus number, order, kind, level (coarse) or bound, members, the rest of
# the level (coarse) or whether exact (cell), the cell's values, its score (exact) or the bound's
# weighted sum).
_Entry = tuple[int, int, int, int, int, int, int, list[float] | None, float]
# A cell: its bound (in units), members, values and score (or weighted sum), and whether it is exact:
# then everyone in it has that score. Otherwise the values are what they would be with all the
# hours and the whole period (None for a klus with free-text skills), the bound's.
_Cell = tuple[int, int, list[float] | None, float, bool]


class _Cells:
    """A klus's eligible people, handed out in cells, best bound first (see `pool`).

    The queue holds whole skill levels (coarse, bound as if all else fits), split into cells when
    they come up: by nice-to-have level, work mode fit, place fit and whether the klus's text names a
    skill of theirs, then into the exact part (everyone has that score) and the rest (bound by it). The digest shares one queue between all
    its klussen; `number` tells whose an entry is.
    """

    __slots__ = (
        "counter",
        "exact",
        "klus",
        "mentioning",
        "modes",
        "near",
        "nice",
        "number",
        "order",
        "queue",
    )

    def __init__(
        self, pool: _PeopleIndex, klus: _Klus, day: int, queue: list[_Entry], number: int = 0
    ) -> None:
        self.klus = klus
        self.queue = queue
        self.number = number
        eligible = pool._active(day)
        eligible &= pool._willing.get(klus.organisation_bit.bit_length() - 1, 0)
        if klus.organisation_only:
            eligible &= pool._home.get(klus.organisation, 0)
        eligible &= pool._starting_by(klus.end) & pool._ending_from(klus.start)
        eligible ^= eligible & pool._blocked(klus.start, klus.end)
        for index in pool._indexes(klus.poster):
            eligible ^= eligible & (1 << index)
        if klus.total:
            counter = pool._levels(klus.required, klus.terms)
        elif klus.nice_total:
            counter = pool._levels(klus.nice, ())
        else:  # a klus without skills: everyone eligible is on the same level
            counter = [eligible]
        self.counter = counter
        self.nice = pool._levels(klus.nice, ()) if klus.total and klus.nice_total else None
        exact = 0
        if not klus.terms:  # (with free-text skills the level alone does not give the score)
            exact = pool._offering(max(klus.hours, 1)) & pool._starting_by(klus.start)
            exact &= pool._ending_from(klus.end)
            exact ^= exact & pool._committed
        self.exact = exact
        self.near = 0 if klus.remote else pool._home.get(klus.organisation, 0)
        self.mentioning = pool._owning(klus.text_skills)  # (people the mentioned reason is for)
        # People by how well their work mode fits (not by work mode: fewer cells); a fit of 0 is a hard
        # filter (see `scoring`).
        by_fit: dict[float, int] = {}
        for code, people in enumerate(pool._modes):
            by_fit[klus.mode_fit[code]] = by_fit.get(klus.mode_fit[code], 0) | people
        self.modes = [(mode_fit, people) for mode_fit, people in by_fit.items() if people and mode_fit]
        self.order = 0
        rest = eligible & _any(counter)
        if rest:
            self._push_level(rest)

    def step(self, entry: _Entry, done: int) -> _Cell | None:
        """The cell of this entry (popped from the queue), or None after splitting a level into cells;
        people in `done` are left out from here on."""
        _, _, _, kind, level, members, rest, values, score = entry
        if kind == _CELL:
            return level, members, values, score, rest == 1
        rest ^= members
        rest ^= rest & done
        if rest:
            self._push_level(rest)
        members ^= members & done
        for mode_fit, people in self.modes:
            in_mode = members & people
            if not in_mode:
                continue
            places: tuple[tuple[float, int], ...]
            if self.klus.remote:
                places = ((1.0, in_mode),)
            else:
                near = in_mode & self.near
                places = ((1.0, near), (0.0, in_mode ^ near))
            for place, same in places:
                if self.nice is None:
                    if same:
                        self._push_cells(level, 0, mode_fit, place, same)
                    continue
                while same:
                    nice_level, with_level = _highest(self.nice, same)
                    same ^= with_level
                    self._push_cells(level, nice_level, mode_fit, place, with_level)
        return None

    def _push(
        self,
        bound: int,
        kind: int,
        level: int,
        members: int,
        rest: int,
        values: list[float] | None,
        score: float,
    ) -> None:
        heapq.heappush(
            self.queue, (-bound, self.number, self.order, kind, level, members, rest, values, score)
        )
        self.order += 1

    def _push_level(self, rest: int) -> None:
        klus = self.klus
        level, members = _highest(self.counter, rest)
        bound = _bound_units(
            _bound(klus.total, klus.nice_total, level, 1.0, 1.0, 1.0, bool(klus.text_skills))
        )
        self._push(bound, _COARSE, level, members, rest, None, 0.0)

    def _push_cells(self, level: int, nice_level: int, mode_fit: float, place: float, people: int) -> None:
        mentioning = people & self.mentioning
        if mentioning:
            self._push_cell(level, nice_level, mode_fit, place, mentioning, 1)
        if people ^ mentioning:
            self._push_cell(level, nice_level, mode_fit, place, people ^ mentioning, 0)

    def _push_cell(
        self, level: int, nice_level: int, mode_fit: float, place: float, people: int, mention: int
    ) -> None:
        klus = self.klus
        weight_sum = klus.weight_sums[mention]
        if klus.terms:  # only a bound: the level does not say how it splits over skills and terms
            parts = SKILLS_WEIGHT * level / (2 * klus.total)
            if klus.nice_total:
                parts += NICE_SKILLS_WEIGHT * nice_level / (2 * klus.nice_total)
            parts += MENTIONED_WEIGHT * mention
            parts += HOURS_WEIGHT + PERIOD_WEIGHT + WORK_MODE_WEIGHT * mode_fit + PLACE_WEIGHT * place
            self._push(_bound_units(parts / weight_sum), _CELL, 0, people, 0, None, parts)
            return
        # The values everyone here has with all the hours and the whole period, scored exactly as
        # `_fit` does; nobody here can score more.
        values: list[float] = []
        if klus.required_total:
            values.append(level / (2 * klus.required_total))
            if klus.nice_total:
                values.append(nice_level / (2 * klus.nice_total))
        elif klus.nice_total:
            values.append(level / (2 * klus.nice_total))
        values += [1.0] * mention
        values += [1.0, 1.0, mode_fit, place]
        parts = sum(map(mul, values, klus.weights_by_mention[mention]))
        score = round(parts / weight_sum, 4)
        units = round(score * _SCALE)
        exact = people & self.exact
        if exact:
            self._push(units, _CELL, units, exact, 1, values, score)
        if people ^ exact:
            self._push(units, _CELL, units, people ^ exact, 0, values, parts)


def _cell_score(klus: _Klus, person: _Person, hours_left: int, values: list[float]) -> tuple[float, int]:
    """The score of someone in a cell with these hours left (more than 0), as `_fit` computes it, and
    the days of the klus period they are available. `values` are the cell's (with all the hours and
    the whole period): a copy, as this puts the person's own hours and period in."""
    overlap = min(person.end, klus.end) - max(person.start, klus.start) + 1
    at = len(values) - 4
    values[at] = _hours_value(hours_left, klus.hours)
    values[at + 1] = overlap / klus.days
    mention = 1 if klus.text_skills & person.own else 0  # (as for everyone in the cell)
    return round(
        sum(map(mul, values, klus.weights_by_mention[mention])) / klus.weight_sums[mention], 4
    ), overlap


def _cell_fit(klus: _Klus, person: _Person, units: int, score: float, hours_left: int, overlap: int) -> _Fit:
    """The fit of someone scored from a cell (a klus without free-text skills)."""
    own, related = person.own, person.related
    counts = (
        (klus.required & own).bit_count(),
        (klus.required & related).bit_count(),
        0,
        0,
        (klus.nice & own).bit_count(),
        (klus.nice & related).bit_count(),
    )
    fit: _Fit = _new_fit(_Fit, (score, units, counts, hours_left, overlap, klus.text_skills & own))
    return fit
