"""Unit tests for reading the sign-up and pause cards' payloads (dialogs/profile.py)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klussenbank.dialogs.profile import parse_availability, parse_pause_until
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.people import WorkMode
from klussenbank.verbs import AvailabilityInput

FIELDS = tuple(AvailabilityInput)


def test_the_card_inputs_are_the_draft_fields() -> None:
    names = {f.name for f in dataclasses.fields(AvailabilityDraft)} - {"unreadable"}
    assert set(FIELDS) == names


# What Teams sends for a filled-in sign-up card: multi-selects as comma-separated strings,
# Input.Number as a string, Input.Date as an ISO date; plus the action's own data.
TEAMS_PAYLOAD: dict[str, Any] = {
    "verb": "availability.save",
    "skills": "minute-taking,data-entry",
    "skills_other": "gebarentaal, koken",
    "hours_per_week": "12",
    "start_date": "2026-12-01",
    "end_date": "2027-03-31",
    "weekdays": "mon,wed,fri",
    "organisations": "ermelo,harderwijk",
    "work_mode": "hybrid",
    "intro": "  Ik help graag bij evenementen.  ",
}


def test_a_filled_in_card_is_read_into_a_draft() -> None:
    assert parse_availability(TEAMS_PAYLOAD) == AvailabilityDraft(
        skills=("minute-taking", "data-entry"),
        skills_other="gebarentaal, koken",
        hours_per_week=12,
        start_date=date(2026, 12, 1),
        end_date=date(2027, 3, 31),
        weekdays=("mon", "wed", "fri"),
        organisations=("ermelo", "harderwijk"),
        work_mode=WorkMode.HYBRID,
        intro="Ik help graag bij evenementen.",
        unreadable=(),
    )


def test_an_empty_card_gives_an_empty_draft() -> None:
    empty = {field: "" for field in FIELDS}

    assert parse_availability(empty) == AvailabilityDraft()
    assert parse_availability({}) == AvailabilityDraft()
    assert parse_availability({field: None for field in FIELDS}) == AvailabilityDraft()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (12, 12), ("12.0", 12), (12.0, 12), (" 8 ", 8), ("0", 0), ("-4", -4), ("41", 41)],
)
def test_hours_as_string_or_number(raw: object, expected: int) -> None:
    draft = parse_availability({"hours_per_week": raw})

    # The parser reads; the range is the domain's rule.
    assert draft.hours_per_week == expected
    assert draft.unreadable == ()


@pytest.mark.parametrize(
    "raw",
    ["12.5", 12.5, "12,5", "twaalf", "12 uur", "nan", "inf", "1e400", "9" * 400],
)
def test_hours_that_are_not_a_whole_number_are_unreadable(raw: object) -> None:
    draft = parse_availability({"hours_per_week": raw})

    assert draft.hours_per_week is None
    assert draft.unreadable == ("hours_per_week",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2026-12-01T00:00:00", date(2026, 12, 1)),
        ("2026-12-01T00:00:00.000Z", date(2026, 12, 1)),
        ("2026-12-01T23:30:00+01:00", date(2026, 12, 1)),
        (" 2026-12-01 ", date(2026, 12, 1)),
    ],
)
def test_dates_with_or_without_a_time_part(raw: str, expected: date) -> None:
    draft = parse_availability({"start_date": raw, "end_date": raw})

    assert draft.start_date == expected
    assert draft.end_date == expected
    assert draft.unreadable == ()


@pytest.mark.parametrize(
    "raw", ["01-12-2026", "1 december 2026", "2026-13-01", "2026-02-30", "morgen", "2026"]
)
def test_bad_dates_are_unreadable(raw: str) -> None:
    draft = parse_availability({"start_date": raw, "end_date": "2027-01-01"})

    assert draft.start_date is None
    assert draft.end_date == date(2027, 1, 1)
    assert draft.unreadable == ("start_date",)


@pytest.mark.parametrize("mode", list(WorkMode))
def test_every_work_mode_is_read(mode: WorkMode) -> None:
    assert parse_availability({"work_mode": mode.value}).work_mode is mode


@pytest.mark.parametrize("raw", ["office", "ON_SITE", "Hybrid", "1"])
def test_an_unknown_work_mode_is_unreadable(raw: str) -> None:
    draft = parse_availability({"work_mode": raw})

    assert draft.work_mode is None
    assert draft.unreadable == ("work_mode",)


def test_multi_select_values_are_trimmed_and_deduplicated() -> None:
    draft = parse_availability(
        {
            "skills": " minute-taking , ,data-entry,minute-taking,",
            "weekdays": "fri,,mon",
            "organisations": ",",
        }
    )

    assert draft.skills == ("minute-taking", "data-entry")
    assert draft.weekdays == ("fri", "mon")
    assert draft.organisations == ()
    assert draft.unreadable == ()


@pytest.mark.parametrize("data", [None, [], ["skills"], "skills=minute-taking", 42, b"{}", True])
def test_a_payload_that_is_not_an_object_gives_an_empty_draft(data: object) -> None:
    assert parse_availability(data) == AvailabilityDraft()


@pytest.mark.parametrize(
    "value",
    [["minute-taking"], {"value": "x"}, True, False, ("a",), {"a"}, object()],
    ids=["list", "dict", "true", "false", "tuple", "set", "object"],
)
@pytest.mark.parametrize("field", FIELDS)
def test_a_wrong_type_marks_the_field_unreadable(field: str, value: object) -> None:
    payload = dict(TEAMS_PAYLOAD, **{field: value})

    draft = parse_availability(payload)

    assert draft.unreadable == (field,)
    assert getattr(draft, field) == getattr(AvailabilityDraft(), field)
    # The other fields are still read.
    readable = parse_availability(TEAMS_PAYLOAD)
    for other in FIELDS:
        if other != field:
            assert getattr(draft, other) == getattr(readable, other)


def test_huge_strings_are_bounded() -> None:
    huge = "x" * 1_000_000
    draft = parse_availability(
        {
            "intro": huge,
            "skills_other": huge,
            "skills": ",".join(f"skill-{n}" for n in range(100_000)),
            "weekdays": huge,
            "hours_per_week": huge,
            "start_date": huge,
        }
    )

    assert len(draft.intro) <= 5000
    assert len(draft.skills_other) <= 5000
    assert len(draft.skills) <= 200
    assert draft.weekdays == ("x" * 5000,)
    assert draft.hours_per_week is None
    assert draft.start_date is None
    assert set(draft.unreadable) == {"hours_per_week", "start_date"}


def test_several_unreadable_fields_are_listed_once_each() -> None:
    draft = parse_availability(
        {"hours_per_week": "veel", "start_date": [], "end_date": "gisteren", "work_mode": 3.5, "intro": {}}
    )

    assert sorted(draft.unreadable) == sorted(
        ["hours_per_week", "start_date", "end_date", "work_mode", "intro"]
    )
    assert len(draft.unreadable) == len(set(draft.unreadable))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELDS, "verb", "other"]), json_values) | json_values)
def test_any_json_payload_gives_a_draft_and_never_raises(payload: object) -> None:
    draft = parse_availability(payload)

    assert isinstance(draft, AvailabilityDraft)
    assert set(draft.unreadable) <= set(FIELDS)
    assert len(draft.unreadable) == len(set(draft.unreadable))
    # An unreadable field carries no value.
    for field in draft.unreadable:
        assert getattr(draft, field) == getattr(AvailabilityDraft(), field)
    assert draft.hours_per_week is None or isinstance(draft.hours_per_week, int)
    assert draft.work_mode is None or isinstance(draft.work_mode, WorkMode)
    assert all(isinstance(item, str) and item for item in draft.skills + draft.weekdays + draft.organisations)


# -- the pause card --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"paused_until": "2026-12-24"}, date(2026, 12, 24)),
        ({"paused_until": "2026-12-24T00:00:00Z", "verb": "availability.pause"}, date(2026, 12, 24)),
        ({"paused_until": ""}, None),
        ({"paused_until": "24-12-2026"}, None),
        ({"paused_until": "kerst"}, None),
        ({"paused_until": 20261224}, None),
        ({"paused_until": ["2026-12-24"]}, None),
        ({"paused_until": None}, None),
        ({"paused_until": True}, None),
        ({}, None),
        (None, None),
        ("2026-12-24", None),
        (["2026-12-24"], None),
    ],
)
def test_parse_pause_until(data: object, expected: date | None) -> None:
    assert parse_pause_until(data) == expected


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.just("paused_until"), json_values) | json_values)
def test_any_pause_payload_gives_a_date_or_none(payload: object) -> None:
    assert parse_pause_until(payload) is None or isinstance(parse_pause_until(payload), date)
