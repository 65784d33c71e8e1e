"""What the klussenbank brought an organisation in a period: the figures HR sees. Pure: it gets the
records and returns numbers; the checks on a known dataset are in tests/unit/test_report.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from klussenbank.domain.approval import ApprovalStatus
from klussenbank.domain.klus import KlusStatus


@dataclass(frozen=True)
class KlusRecord:
    organisation_key: str
    created_at: datetime
    status: KlusStatus
    first_interest_at: datetime | None


@dataclass(frozen=True)
class MatchRecord:
    """An approval of a match, with what the match was worth in hours."""

    klus_organisation: str  # the borrowing organisation: it did not have to hire externally
    klus_created_at: datetime
    internal_first_until: date
    created_at: datetime
    decided_at: datetime | None
    status: ApprovalStatus
    hours_per_week: int
    start_date: date
    end_date: date
    worked: tuple[tuple[date, float], ...] = ()  # (month, hours) confirmed after the work
    scores: tuple[tuple[str, int], ...] = ()  # (role, 1-5) of the evaluations


@dataclass(frozen=True)
class AvailabilityRecord:
    organisation_key: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class Month:
    first_day: date
    posted: int
    filled: int


@dataclass(frozen=True)
class Figures:
    organisation_key: str
    start: date
    end: date
    people_available: int
    posted: int
    filled: int
    expired: int
    cancelled: int
    days_to_first_interest: float | None  # median
    days_to_match: float | None  # median, from posting to the approval
    approvals_decided: int
    approvals_approved: int
    days_to_decide: float | None  # median
    hours: float  # approved matches' hours per week, over the weeks of the period they cover
    external_rate: float | None  # euros an hour an external hire would have cost
    filled_internally_in_time: int  # filled before "internal first" ran out
    months: tuple[Month, ...]
    satisfaction: tuple[float | None, float | None] = (None, None)  # mean score: employees, posters

    @property
    def approval_rate(self) -> float | None:
        return self.approvals_approved / self.approvals_decided if self.approvals_decided else None

    @property
    def euros_avoided(self) -> float | None:
        return None if self.external_rate is None else round(self.hours * self.external_rate, 2)


def figures(
    organisation_key: str,
    start: date,
    end: date,
    *,
    klussen: Sequence[KlusRecord],
    matches: Sequence[MatchRecord],
    availability: Sequence[AvailabilityRecord],
    external_rate: float | None,
) -> Figures:
    """The organisation's figures for the days `start` to `end` (both included)."""
    posted = [
        k for k in klussen if k.organisation_key == organisation_key and start <= k.created_at.date() <= end
    ]
    own = [m for m in matches if m.klus_organisation == organisation_key]
    decided = [m for m in own if m.decided_at is not None and start <= m.decided_at.date() <= end]
    approved = [m for m in decided if m.status is ApprovalStatus.APPROVED]
    return Figures(
        organisation_key=organisation_key,
        start=start,
        end=end,
        people_available=sum(
            1
            for a in availability
            if a.organisation_key == organisation_key
            and a.start_date <= end
            and (a.end_date is None or a.end_date >= start)
        ),
        posted=len(posted),
        filled=sum(
            1 for k in posted if k.status in (KlusStatus.FILLED, KlusStatus.IN_PROGRESS, KlusStatus.COMPLETED)
        ),
        expired=sum(1 for k in posted if k.status is KlusStatus.EXPIRED),
        cancelled=sum(1 for k in posted if k.status is KlusStatus.CANCELLED),
        days_to_first_interest=_median(
            _days(k.created_at, k.first_interest_at) for k in posted if k.first_interest_at is not None
        ),
        days_to_match=_median(_days(m.klus_created_at, m.decided_at) for m in approved if m.decided_at),
        approvals_decided=len(decided),
        approvals_approved=len(approved),
        days_to_decide=_median(_days(m.created_at, m.decided_at) for m in decided if m.decided_at),
        hours=round(sum(_hours_in(m, start, end) for m in own if m.status is ApprovalStatus.APPROVED), 1),
        external_rate=external_rate,
        filled_internally_in_time=sum(
            1 for m in approved if m.decided_at is not None and m.decided_at.date() <= m.internal_first_until
        ),
        months=_months(posted, approved, start, end),
        satisfaction=(_mean(own, "employee", start, end), _mean(own, "poster", start, end)),
    )


def _days(start: datetime, end: datetime | None) -> float:
    assert end is not None
    return (end - start).total_seconds() / 86400


def _median(values: Iterable[float]) -> float | None:
    found = list(values)
    return round(median(found), 1) if found else None


def _hours_in(match: MatchRecord, start: date, end: date) -> float:
    """The match's hours in the period: per month what was confirmed, else what was agreed (hours
    per week over its days), each for the part of the month that falls in the period."""
    worked = dict(match.worked)
    total = 0.0
    month = match.start_date.replace(day=1)
    while month <= match.end_date:
        following = (month + timedelta(days=32)).replace(day=1)
        in_match = _days_between(
            max(month, match.start_date), min(following - timedelta(days=1), match.end_date)
        )
        in_period = _days_between(
            max(month, match.start_date, start), min(following - timedelta(days=1), match.end_date, end)
        )
        if in_period:
            total += (
                worked[month] * in_period / in_match
                if month in worked
                else match.hours_per_week * in_period / 7
            )
        month = following
    return total


def _days_between(first: date, last: date) -> int:
    return max(0, (last - first).days + 1)


def _mean(matches: Sequence[MatchRecord], role: str, start: date, end: date) -> float | None:
    scores = [
        score
        for m in matches
        if m.status is ApprovalStatus.APPROVED and m.end_date >= start and m.start_date <= end
        for who, score in m.scores
        if who == role
    ]
    return round(sum(scores) / len(scores), 1) if scores else None


def _months(
    posted: Sequence[KlusRecord], approved: Sequence[MatchRecord], start: date, end: date
) -> tuple[Month, ...]:
    months: list[Month] = []
    day = start.replace(day=1)
    while day <= end:
        following = (day + timedelta(days=32)).replace(day=1)
        months.append(
            Month(
                day,
                sum(1 for k in posted if day <= k.created_at.date() < following),
                sum(
                    1 for m in approved if m.decided_at is not None and day <= m.decided_at.date() < following
                ),
            )
        )
        day = following
    return tuple(months)
