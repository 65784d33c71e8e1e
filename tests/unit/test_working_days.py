"""Working days: Dutch public holidays from the holidays package, and an organisation's closed days."""

from __future__ import annotations

from datetime import date

import pytest

from klussenbank.domain.working_days import WorkingCalendar, public_holidays

CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "what"),
    [
        (date(2026, 1, 1), "Nieuwjaarsdag"),
        (date(2026, 4, 6), "Tweede paasdag (Easter Monday)"),
        (date(2026, 4, 27), "Koningsdag on a Monday"),
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 5, 25), "Tweede pinksterdag (Whit Monday)"),
        (date(2026, 12, 25), "Eerste kerstdag"),
        (date(2028, 12, 26), "Tweede kerstdag on a Tuesday"),
        (date(2025, 5, 5), "Bevrijdingsdag in a lustrum year"),
    ],
)
def test_public_holidays_are_no_working_days(day: date, what: str) -> None:
    assert day in public_holidays(day.year), what
    assert not CALENDAR.is_working_day(day), what


def test_koningsdag_on_a_sunday_moves_to_the_saturday_before() -> None:
    # 27 April 2025 and 2031 are Sundays: Koningsdag is Saturday the 26th, so Monday the 28th is a
    # working day like any other.
    for year in (2025, 2031):
        assert date(year, 4, 27).weekday() == 6
        assert date(year, 4, 26) in public_holidays(year)
        assert date(year, 4, 27) not in public_holidays(year)
        assert CALENDAR.is_working_day(date(year, 4, 28))
    # On a Saturday it stays there (2030) and is not moved to a Friday or Monday.
    assert date(2030, 4, 27) in public_holidays(2030)
    assert CALENDAR.is_working_day(date(2030, 4, 26)) and CALENDAR.is_working_day(date(2030, 4, 29))


def test_easter_and_whit_monday_do_not_count() -> None:
    # Thursday 2 April 2026 .. Tuesday 7 April: Friday 3 (Goede vrijdag, in the package's list),
    # the weekend and Easter Monday leave only Tuesday.
    assert CALENDAR.working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    # Friday 22 May 2026 .. Tuesday 26 May: the weekend and Whit Monday leave only Tuesday.
    assert CALENDAR.working_days_between(date(2026, 5, 22), date(2026, 5, 26)) == 1


def test_christmas_and_an_organisations_closed_days() -> None:
    # Wednesday 23 December 2026, three working days on: Thursday 24, (Christmas Friday 25, the
    # weekend) Monday 28 and Tuesday 29.
    assert CALENDAR.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 29)
    between_the_years = WorkingCalendar(frozenset(date(2026, 12, d) for d in range(28, 32)))
    assert not between_the_years.is_working_day(date(2026, 12, 28))
    # Closed from 28 to 31 December, and New Year's Day: the third working day is Tuesday 5 January.
    assert between_the_years.add_working_days(date(2026, 12, 23), 3) == date(2027, 1, 5)
    assert between_the_years.working_days_between(date(2026, 12, 23), date(2027, 1, 5)) == 3
