"""The HR report's figures on a known dataset: every number checked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from klussenbank.domain.approval import ApprovalStatus as A
from klussenbank.domain.klus import KlusStatus as K
from klussenbank.domain.report import AvailabilityRecord, KlusRecord, MatchRecord, Month, figures


def at(day: int, month: int = 3, hour: int = 9) -> datetime:
    return datetime(2027, month, day, hour, tzinfo=UTC)


KLUSSEN = [
    KlusRecord("ermelo", at(1), K.FILLED, at(2)),  # first interest after 1 day
    KlusRecord("ermelo", at(3), K.FILLED, at(6)),  # after 3 days
    KlusRecord("ermelo", at(10), K.EXPIRED, None),
    KlusRecord("ermelo", at(12), K.CANCELLED, at(12, hour=21)),  # after half a day
    KlusRecord("ermelo", at(2, 4), K.OPEN, None),  # April
    KlusRecord("ermelo", at(28, 2), K.FILLED, at(1)),  # February: outside the period
    KlusRecord("zeewolde", at(5), K.FILLED, at(5)),  # another organisation
]
MATCHES = [
    # Approved on day 8, 7 days after posting, 2 days after the request; internal first until 14 March.
    MatchRecord(
        "ermelo", at(1), date(2027, 3, 14), at(6), at(8), A.APPROVED, 8, date(2027, 3, 15), date(2027, 4, 25)
    ),
    # Approved on day 20 (after internal first ran out on day 17), 17 days after posting, 4 after asking.
    MatchRecord(
        "ermelo", at(3), date(2027, 3, 17), at(16), at(20), A.APPROVED, 4, date(2027, 3, 1), date(2027, 3, 14)
    ),
    MatchRecord(
        "ermelo", at(3), date(2027, 3, 17), at(9), at(15), A.DECLINED, 16, date(2027, 3, 1), date(2027, 3, 31)
    ),
    MatchRecord(
        "ermelo", at(10), date(2027, 3, 24), at(11), None, A.PENDING, 8, date(2027, 3, 1), date(2027, 3, 31)
    ),
    MatchRecord(
        "zeewolde",
        at(5),
        date(2027, 3, 19),
        at(6),
        at(7),
        A.APPROVED,
        40,
        date(2027, 3, 1),
        date(2027, 3, 31),
    ),
]
AVAILABILITY = [
    AvailabilityRecord("ermelo", date(2027, 1, 1), None),
    AvailabilityRecord("ermelo", date(2027, 3, 31), date(2027, 6, 1)),
    AvailabilityRecord("ermelo", date(2026, 1, 1), date(2027, 2, 28)),  # ended before the period
    AvailabilityRecord("ermelo", date(2027, 4, 1), None),  # starts after it
    AvailabilityRecord("zeewolde", date(2027, 1, 1), None),
]


def test_the_figures_of_march_for_ermelo() -> None:
    found = figures(
        "ermelo",
        date(2027, 3, 1),
        date(2027, 3, 31),
        klussen=KLUSSEN,
        matches=MATCHES,
        availability=AVAILABILITY,
        external_rate=90.0,
    )

    assert found.people_available == 2
    assert (found.posted, found.filled, found.expired, found.cancelled) == (4, 2, 1, 1)
    assert found.days_to_first_interest == 1.0  # median of 1, 3 and 0.5
    assert found.days_to_match == 12.0  # median of 7 and 17
    assert (found.approvals_decided, found.approvals_approved, found.approval_rate) == (3, 2, 2 / 3)
    assert found.days_to_decide == 4.0  # median of 2, 4 and 6
    # 8 h/week from 15 to 31 March (17 days) + 4 h/week from 1 to 14 March (14 days).
    assert found.hours == round(8 * 17 / 7 + 4 * 14 / 7, 1) == 27.4
    assert found.euros_avoided == round(27.4 * 90.0, 2) == 2466.0
    assert found.filled_internally_in_time == 1
    assert found.months == (Month(date(2027, 3, 1), 4, 2),)


def test_without_a_rate_no_euros_and_an_empty_period_has_no_medians() -> None:
    found = figures(
        "ermelo",
        date(2026, 1, 1),
        date(2026, 2, 28),
        klussen=KLUSSEN,
        matches=MATCHES,
        availability=AVAILABILITY,
        external_rate=None,
    )

    assert found.euros_avoided is None and found.approval_rate is None
    assert (found.posted, found.days_to_first_interest, found.days_to_match, found.hours) == (
        0,
        None,
        None,
        0.0,
    )
    assert [m.first_day for m in found.months] == [date(2026, 1, 1), date(2026, 2, 1)]


def test_confirmed_hours_count_instead_of_the_plan_and_evaluations_average() -> None:
    worked = MatchRecord(
        "ermelo",
        at(1),
        date(2027, 3, 14),
        at(6),
        at(8),
        A.APPROVED,
        8,
        date(2027, 3, 15),
        date(2027, 4, 25),
        worked=((date(2027, 3, 1), 20.0), (date(2027, 4, 1), 30.0)),
        scores=(("employee", 5), ("poster", 4)),
    )
    other = MatchRecord(
        "ermelo",
        at(3),
        date(2027, 3, 17),
        at(16),
        at(20),
        A.APPROVED,
        4,
        date(2027, 3, 1),
        date(2027, 3, 14),
        scores=(("employee", 3),),
    )

    march = figures(
        "ermelo",
        date(2027, 3, 1),
        date(2027, 3, 31),
        klussen=(),
        matches=(worked, other),
        availability=(),
        external_rate=None,
    )
    half_april = figures(
        "ermelo",
        date(2027, 4, 1),
        date(2027, 4, 12),
        klussen=(),
        matches=(worked,),
        availability=(),
        external_rate=None,
    )

    # March: 20 confirmed hours + 8 planned (4 h/week over 14 days) for the unconfirmed match.
    assert march.hours == 28.0
    # 1-12 April is 12 of the match's 25 April days: that share of April's 30 confirmed hours.
    assert half_april.hours == round(30 * 12 / 25, 1) == 14.4
    assert march.satisfaction == (4.0, 4.0)
