"""Requests by shift: concrete shifts (a date with times) or a weekly pattern ("di en do 9:00–13:00,
week 10–14"), read from the text a poster types, expanded into shifts, and checked: no shift that
ends before it starts, no pattern without days, no two shifts of one request at the same time.
A person is never booked on two shifts that overlap."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from klussenbank.domain.fields import FieldError

MAX_SHIFTS = 200  # shifts in one request, at most
MAX_SHIFTS_TEXT = 1000
FIELD = "shifts"

# Dutch and English weekday names and abbreviations, Monday = 0.
_DAYS = {
    name: number
    for number, names in enumerate(
        (
            ("ma", "maandag", "mon", "monday"),
            ("di", "dinsdag", "tue", "tues", "tuesday"),
            ("wo", "woensdag", "wed", "wednesday"),
            ("do", "donderdag", "thu", "thur", "thurs", "thursday"),
            ("vr", "vrijdag", "fri", "friday"),
            ("za", "zaterdag", "sat", "saturday"),
            ("zo", "zondag", "sun", "sunday"),
        )
    )
    for name in names
}
_TIME = r"(\b\d{1,2})[:.](\d{2})\b"  # minutes required: "2-3" is a date, not 2:00-3:00
_TIMES = re.compile(rf"{_TIME}\s*(?:-|–|—|tot|to|t/m)\s*{_TIME}")
_WEEKS = re.compile(r"\bweeks?\s*(\d{1,2})(?:\s*(?:-|–|—|tot|to|t/m)\s*(\d{1,2}))?(?:\s*,?\s*(\d{4}))?")
_DATE = re.compile(r"\b(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?)\b")
_WORDS = re.compile(r"[a-z]+")
_FILLER = {"en", "and", "op", "on", "om", "at", "van", "from", "uur", "h", "elke", "every", "t", "m"}


@dataclass(frozen=True, order=True)
class Shift:
    """One shift on one day, in the organisation's local time."""

    day: date
    start: time
    end: time

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day, self.start)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.day, self.end)

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def overlaps(self, other: Shift) -> bool:
        return self.day == other.day and self.start < other.end and other.start < self.end


def parse_shifts(text: str, *, today: date) -> tuple[list[Shift], list[FieldError]]:
    """The shifts the text names, in order; or the errors (each naming the line), never both.
    Lines are separated by new lines or ';'."""
    if len(text) > MAX_SHIFTS_TEXT:
        return [], [FieldError(FIELD, "too_long", {"max": MAX_SHIFTS_TEXT})]
    lines = [line.strip() for line in re.split(r"[;\n]", text) if line.strip()]
    if not lines:
        return [], [FieldError(FIELD, "required")]
    shifts: list[Shift] = []
    errors: list[FieldError] = []
    for line in lines:
        found = _parse_line(line, today)
        if isinstance(found, FieldError):
            errors.append(found)
        else:
            shifts.extend(found)
    if not errors:
        errors = check_shifts(shifts, today=today)
    return ([], errors) if errors else (sorted(shifts), [])


def check_shifts(shifts: Sequence[Shift], *, today: date) -> list[FieldError]:
    """The rules for the shifts of one request: none in the past, not too many, no two at once."""
    if len(shifts) > MAX_SHIFTS:
        return [FieldError(FIELD, "too_many_shifts", {"max": MAX_SHIFTS})]
    if any(shift.day < today for shift in shifts):
        return [FieldError(FIELD, "shift_in_past")]
    clash = first_overlap(shifts, shifts)
    if clash is not None:
        return [FieldError(FIELD, "shift_overlap", {"first": clash[0], "second": clash[1]})]
    return []


def first_overlap(mine: Iterable[Shift], others: Iterable[Shift]) -> tuple[Shift, Shift] | None:
    """The first pair of two different shifts (one of each) that overlap, or None."""
    by_day: dict[date, list[Shift]] = defaultdict(list)
    for shift in others:
        by_day[shift.day].append(shift)
    for shift in sorted(mine):
        for other in by_day.get(shift.day, ()):
            if other is not shift and shift.overlaps(other):
                return shift, other
    return None


def weekly_hours(shifts: Iterable[Shift]) -> dict[tuple[int, int], float]:
    """Hours per ISO (year, week)."""
    hours: dict[tuple[int, int], float] = defaultdict(float)
    for shift in shifts:
        year, week, _ = shift.day.isocalendar()
        hours[(year, week)] += shift.hours
    return dict(hours)


def peak_hours_per_week(shifts: Iterable[Shift]) -> int:
    """The most hours in any one week, rounded up: what the request asks of someone's week."""
    return math.ceil(max(weekly_hours(shifts).values(), default=0))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _parse_line(line: str, today: date) -> list[Shift] | FieldError:
    text = line.lower()
    times = _TIMES.search(text)
    start = times and _time(times.group(1), times.group(2))
    end = times and _time(times.group(3), times.group(4))
    if times is None or start is None or end is None:
        return FieldError(FIELD, "shift_unreadable", {"line": line})
    if end <= start:
        return FieldError(FIELD, "shift_ends_before_start", {"line": line})
    rest = text[: times.start()] + " " + text[times.end() :]
    weeks = _WEEKS.search(rest)
    if weeks is not None:
        return _pattern(line, rest[: weeks.start()] + " " + rest[weeks.end() :], weeks, start, end, today)
    days = _dates(rest, today)
    if days is None:
        return FieldError(FIELD, "shift_unreadable", {"line": line})
    return [Shift(day, start, end) for day in days]


def _pattern(
    line: str, rest: str, weeks: re.Match[str], start: time, end: time, today: date
) -> list[Shift] | FieldError:
    weekdays: list[int] = []
    for word in _WORDS.findall(rest):
        if word in _DAYS:
            weekdays.append(_DAYS[word])
        elif word not in _FILLER:
            return FieldError(FIELD, "shift_unreadable", {"line": line})
    if not weekdays:
        return FieldError(FIELD, "shift_no_days", {"line": line})
    first = int(weeks.group(1))
    last = int(weeks.group(2) or first)
    year = int(weeks.group(3)) if weeks.group(3) else _year_of_week(first, today)
    try:
        monday = date.fromisocalendar(year, first, 1)
        last_monday = date.fromisocalendar(year if last >= first else year + 1, last, 1)
    except ValueError:
        return FieldError(FIELD, "shift_unreadable", {"line": line})
    shifts: list[Shift] = []
    while monday <= last_monday:
        shifts.extend(Shift(monday + timedelta(days=d), start, end) for d in sorted(set(weekdays)))
        monday += timedelta(days=7)
        if len(shifts) > MAX_SHIFTS:
            break
    return shifts


def _year_of_week(week: int, today: date) -> int:
    """This year's week, or next year's when this year's has passed."""
    year, this_week, _ = today.isocalendar()
    return year if week >= this_week else year + 1


def _dates(rest: str, today: date) -> list[date] | None:
    days = []
    for found in _DATE.finditer(rest):
        day = _date(found, today)
        if day is None:
            return None
        days.append(day)
    leftover = _DATE.sub(" ", rest)
    if not days or any(word not in _DAYS and word not in _FILLER for word in _WORDS.findall(leftover)):
        return None
    return days


def _date(found: re.Match[str], today: date) -> date | None:
    iso_year, iso_month, iso_day, day, month, year = found.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        if year:
            return date(int(year), int(month), int(day))
        guess = date(today.year, int(month), int(day))
        return guess if guess >= today else date(today.year + 1, int(month), int(day))
    except ValueError:
        return None


def _time(hours: str, minutes: str) -> time | None:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time(23, 59)
    if h > 23 or m > 59:
        return None
    return time(h, m)
