"""Pools run by a coordinator (a flexpool): who belongs, who coordinates, how work is given out,
what programme a newcomer follows and which qualifications count. Pools are configuration in the
organisations file (`[pools.<key>]`); membership, qualifications and onboarding are kept per person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from klussenbank.domain.klus import Klus
from klussenbank.domain.people import WEEKDAYS

# A reminder goes out this many days before a qualification expires.
REMIND_BEFORE_EXPIRY = timedelta(days=30)
MAX_NAME = 200


class PoolMode(StrEnum):
    POSTERS_CHOOSE = "posters_choose"  # today's way: the poster picks from the people who fit
    COORDINATOR_ASSIGNS = "coordinator_assigns"  # requests go to the coordinator, who proposes people


@dataclass(frozen=True)
class Pool:
    key: str
    name: str
    organisations: tuple[str, ...]  # member organisation keys
    coordinators: tuple[str, ...] = ()  # e-mail addresses or Entra object ids
    coordinator_role: str = ""  # or everyone with this directory role in a member organisation
    mode: PoolMode = PoolMode.COORDINATOR_ASSIGNS
    charged: bool = False  # hours are charged to the client organisation
    hourly_rate: float | None = None  # euros an hour, for charged pools
    onboarding: tuple[str, ...] = ()  # the programme's steps, in order
    qualifications: tuple[str, ...] = ()  # the qualifications that count in this pool

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name must be set")
        if not self.organisations:
            raise ValueError("organisations must name at least one organisation")
        if not self.coordinators and not self.coordinator_role:
            raise ValueError("needs coordinators or a coordinator_role")
        if self.hourly_rate is not None and not 0 < self.hourly_rate < 10_000:
            raise ValueError("hourly_rate must be an amount in euros between 0 and 10000")
        for what, names in (("onboarding", self.onboarding), ("qualifications", self.qualifications)):
            if len({n.casefold() for n in names}) != len(names):
                raise ValueError(f"{what} names something twice")
            if any(not n.strip() or len(n) > MAX_NAME for n in names):
                raise ValueError(f"{what} entries must be texts of 1 to {MAX_NAME} characters")

    def qualification(self, name: str) -> str | None:
        """The pool's own spelling of a qualification name, or None if it does not count here."""
        wanted = name.strip().casefold()
        return next((q for q in self.qualifications if q.casefold() == wanted), None)

    def steps_to_go(self, done: Iterable[str]) -> tuple[str, ...]:
        """The programme's steps not yet ticked off, in order."""
        finished = {d.casefold() for d in done}
        return tuple(s for s in self.onboarding if s.casefold() not in finished)

    def ready(self, done: Iterable[str]) -> bool:
        """Ready for the pool's work: every step of the programme is done."""
        return not self.steps_to_go(done)


@dataclass(frozen=True)
class Qualification:
    """A qualification recorded for a person by a coordinator or HR (never self-declared)."""

    id: int
    person_id: str
    name: str
    obtained_on: date
    expires_on: date | None
    recorded_by: str

    def __post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on < self.obtained_on:
            raise QualificationError("expires_before_obtained")
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise QualificationError("name")

    def valid_on(self, day: date) -> bool:
        return self.obtained_on <= day and (self.expires_on is None or day <= self.expires_on)

    def remind_on(self) -> date | None:
        return None if self.expires_on is None else self.expires_on - REMIND_BEFORE_EXPIRY


class QualificationError(ValueError):
    """A qualification that cannot be: `reason` is a catalog key suffix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def missing_qualifications(
    required: Iterable[str], held: Iterable[Qualification], day: date
) -> tuple[str, ...]:
    """The required qualifications a person does not hold (valid on `day`), in the order asked."""
    valid = {q.name.casefold() for q in held if q.valid_on(day)}
    return tuple(r for r in required if r.casefold() not in valid)


@dataclass(frozen=True)
class UnavailablePeriod:
    """Days a person cannot work (exams, a holiday), but for the weekdays they name; the reason is
    for their eyes only."""

    id: int
    first_day: date
    last_day: date
    reason: str = ""
    weekdays: tuple[str, ...] = ()  # the weekdays they can still work in this period ("mon" …)

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise PeriodError("ends_before_start")
        if self.last_day - self.first_day > MAX_PERIOD:
            raise PeriodError("too_long")
        if len(self.reason) > MAX_REASON:
            raise PeriodError("reason_too_long")
        if any(day not in WEEKDAYS for day in self.weekdays):
            raise PeriodError("weekdays")

    def blocks(self, day: date) -> bool:
        """Whether the person cannot work on this day because of this period."""
        return self.first_day <= day <= self.last_day and WEEKDAYS[day.weekday()] not in self.weekdays


MAX_PERIOD = timedelta(days=366)
MAX_REASON = 200


class PeriodError(ValueError):
    """An unavailable period that cannot be: `reason` is a catalog key suffix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def blocked_days(periods: Iterable[UnavailablePeriod], first: date, last: date) -> frozenset[date]:
    """The days from `first` to `last` on which the periods say the person cannot work."""
    days: set[date] = set()
    for period in periods:
        day = max(first, period.first_day)
        while day <= min(last, period.last_day):
            if period.blocks(day):
                days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def blocking_period(
    periods: Iterable[UnavailablePeriod], first: date, last: date
) -> UnavailablePeriod | None:
    """The first period that blocks a day from `first` to `last` (a shift's day: first == last)."""
    return next(
        (p for p in sorted(periods, key=lambda p: p.first_day) if blocked_days((p,), first, last)), None
    )


@dataclass(frozen=True)
class PoolStanding:
    """A person's place in one pool: a member, with the onboarding steps ticked off so far."""

    pool_key: str
    steps_done: tuple[str, ...] = ()


@dataclass(frozen=True)
class PoolSide:
    """What pools know of a person, as matching needs it."""

    pools: tuple[PoolStanding, ...] = ()
    qualifications: tuple[Qualification, ...] = ()
    unavailable: tuple[UnavailablePeriod, ...] = ()

    def standing(self, pool_key: str) -> PoolStanding | None:
        return next((s for s in self.pools if s.pool_key == pool_key), None)


@dataclass(frozen=True)
class Exclusion:
    """Why a person is left out of a pool's klus; the cards say it from the catalogs
    (`pools.left_out.<code>`): not in the pool, onboarding not done, qualifications missing, or not
    available in the klus's period."""

    code: str
    params: Mapping[str, str]


def exclusions(klus: Klus, side: PoolSide, pool: Pool | None) -> tuple[Exclusion, ...]:
    """What keeps the person from the klus of the pool rules (membership, onboarding and the
    qualifications it requires, valid on its first day); empty when nothing does."""
    found: list[Exclusion] = []
    if klus.pool_key:
        name = pool.name if pool else klus.pool_key
        standing = side.standing(klus.pool_key)
        if standing is None:
            found.append(Exclusion("not_in_pool", {"pool": name}))
        elif pool is not None and (to_go := pool.steps_to_go(standing.steps_done)):
            found.append(Exclusion("onboarding", {"pool": name, "steps": ", ".join(to_go)}))
    missing = missing_qualifications(klus.qualifications, side.qualifications, klus.start_date)
    if missing:
        found.append(Exclusion("missing", {"names": ", ".join(missing)}))
    return tuple(found)


def unavailable_exclusion(klus: Klus, side: PoolSide) -> Exclusion | None:
    """The unavailable period that keeps the person from the whole klus period, if one does."""
    days = (klus.end_date - klus.start_date).days + 1
    if len(blocked_days(side.unavailable, klus.start_date, klus.end_date)) < days:
        return None
    period = blocking_period(side.unavailable, klus.start_date, klus.end_date)
    assert period is not None
    return Exclusion(
        "unavailable", {"first": period.first_day.isoformat(), "last": period.last_day.isoformat()}
    )
