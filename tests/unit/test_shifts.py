"""Requests by shift: reading shifts and weekly patterns, and the overlap rules."""

from __future__ import annotations

from datetime import date, time

import pytest

from klussenbank.domain.shifts import Shift, first_overlap, parse_shifts, peak_hours_per_week, weekly_hours

TODAY = date(2027, 2, 1)  # a Monday, ISO week 5 of 2027


def test_a_weekly_pattern_becomes_its_shifts() -> None:
    shifts, errors = parse_shifts("di en do 9:00–13:00, week 10–14", today=TODAY)
    assert errors == []
    assert len(shifts) == 10
    assert shifts[0] == Shift(date(2027, 3, 9), time(9), time(13))
    assert shifts[1] == Shift(date(2027, 3, 11), time(9), time(13))
    assert shifts[-1] == Shift(date(2027, 4, 8), time(9), time(13))
    assert peak_hours_per_week(shifts) == 8
    assert set(weekly_hours(shifts).values()) == {8.0}


def test_english_days_dates_and_several_lines() -> None:
    shifts, errors = parse_shifts(
        "tue and thu 08.30 to 12.00 week 6\n2027-03-01 13:00-17:00; 5-3 9:00-12:30", today=TODAY
    )
    assert errors == []
    assert [s.day for s in shifts] == [
        date(2027, 2, 9),
        date(2027, 2, 11),
        date(2027, 3, 1),
        date(2027, 3, 5),
    ]
    assert shifts[0].start == time(8, 30) and shifts[-1].end == time(12, 30)


def test_a_past_week_number_means_next_year() -> None:
    shifts, _ = parse_shifts("ma 9:00-10:00 week 2", today=TODAY)
    assert shifts == [Shift(date(2028, 1, 10), time(9), time(10))]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("di en do 9:00-13:00, week 10-14; wo 10:00-12:00 week 10; 2027-03-09 12:00-14:00", "shift_overlap"),
        ("2027-03-09 13:00-9:00", "shift_ends_before_start"),
        ("9:00-13:00, week 10-14", "shift_no_days"),
        ("dinsdag ergens", "shift_unreadable"),
        ("soms 9:00-13:00", "shift_unreadable"),
        ("31-2-2027 9:00-13:00", "shift_unreadable"),
        ("2026-12-01 9:00-13:00", "shift_in_past"),
        ("ma di wo do vr za zo 9:00-10:00 week 1-52 2028", "too_many_shifts"),
        ("", "required"),
    ],
)
def test_bad_input_says_what_is_wrong(text: str, code: str) -> None:
    shifts, errors = parse_shifts(text, today=TODAY)
    assert shifts == []
    assert [e.code for e in errors] == [code]
    assert errors[0].field == "shifts"


def test_the_overlap_names_both_shifts() -> None:
    _, errors = parse_shifts("2027-03-09 9:00-13:00; 2027-03-09 12:00-14:00", today=TODAY)
    assert errors[0].params["first"] == Shift(date(2027, 3, 9), time(9), time(13))
    assert errors[0].params["second"] == Shift(date(2027, 3, 9), time(12), time(14))


def test_touching_shifts_do_not_overlap() -> None:
    morning = Shift(date(2027, 3, 9), time(9), time(13))
    afternoon = Shift(date(2027, 3, 9), time(13), time(17))
    assert first_overlap([morning], [afternoon]) is None
    assert first_overlap([morning], [Shift(date(2027, 3, 9), time(12, 59), time(17))]) is not None
    assert first_overlap([morning], [Shift(date(2027, 3, 10), time(9), time(13))]) is None
