"""Working days: Monday to Friday, except Dutch public holidays and an organisation's own closed
days. The holidays come from the `holidays` package, a computation without I/O beyond its own
package data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The Netherlands' public holidays in `year` (Koningsdag on Saturday 26 April when the 27th is
    a Sunday; Bevrijdingsdag in lustrum years, as most collective agreements have it)."""
    return frozenset(holidays.country_holidays("NL", years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """One organisation's working days: no weekends, no public holidays, none of `closed_days`."""

    closed_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed_days and day not in public_holidays(day.year)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum((start + timedelta(days=n)).weekday() < 5 for n in range(1, rest + 1))
        closed = self.closed_days.union(*(public_holidays(y) for y in range(start.year, end.year + 1)))
        return weekdays - sum(start < day <= end and day.weekday() < 5 for day in closed)

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start`."""
        day = start
        while days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day
