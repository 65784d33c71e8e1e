"""The rules for a klus: what a valid klus looks like, and one message per problem."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import (
    DEFAULT_INTERNAL_FIRST,
    MAX_PEOPLE,
    MAX_TITLE,
    Klus,
    KlusDraft,
    KlusStatus,
    Visibility,
    validate_klus,
)
from klussenbank.domain.people import WorkMode

TODAY = date(2026, 11, 23)
VOCABULARY = load_skill_vocabulary()
ORGANISATIONS = frozenset({"ermelo", "harderwijk"})


def draft(**changes: Any) -> KlusDraft:
    base = KlusDraft(
        title="  Notuleren   bij de raad ",
        description="Vier vergaderingen.\n",
        organisation="ermelo",
        required_skills=("minute-taking", "minute-taking"),
        nice_skills=("data-entry", "minute-taking"),
        skills_other="excel, imkeren",
        hours_per_week=8,
        start_date=TODAY + timedelta(days=14),
        end_date=TODAY + timedelta(days=60),
        work_mode=WorkMode.ON_SITE,
        place="Gemeentehuis",
        people_needed=2,
        interest_deadline=TODAY + timedelta(days=7),
    )
    return dataclasses.replace(base, **changes)


def validate(value: KlusDraft) -> tuple[Klus | None, list[FieldError]]:
    return validate_klus(
        value, today=TODAY, vocabulary=VOCABULARY, organisations=ORGANISATIONS, klus_id=3, poster_id="bram"
    )


def test_a_valid_klus_is_tidied_and_gets_defaults() -> None:
    klus, errors = validate(draft())

    assert errors == []
    assert klus is not None
    assert (klus.id, klus.poster_id, klus.status) == (3, "bram", KlusStatus.OPEN)
    assert klus.title == "Notuleren bij de raad"
    assert klus.description == "Vier vergaderingen."
    # Known skills typed as text join the required ones; a nice-to-have that is required is dropped.
    assert klus.required_skills == ("minute-taking", "excel")
    assert klus.nice_skills == ("data-entry",)
    assert klus.free_skills == ("imkeren",)
    assert klus.visibility is Visibility.POOL
    assert klus.internal_first_until == TODAY + DEFAULT_INTERNAL_FIRST


RULES: list[tuple[str, dict[str, Any], FieldError]] = [
    ("no title", {"title": "   "}, FieldError("title", "required")),
    ("long title", {"title": "x" * (MAX_TITLE + 1)}, FieldError("title", "too_long", {"max": MAX_TITLE})),
    ("no organisation", {"organisation": ""}, FieldError("organisation", "required")),
    ("unknown organisation", {"organisation": "nowhere"}, FieldError("organisation", "unknown_choice")),
    ("no skill", {"required_skills": (), "skills_other": ""}, FieldError("required_skills", "no_skill")),
    ("unknown skill", {"required_skills": ("nope",)}, FieldError("required_skills", "unknown_skill")),
    ("unknown nice skill", {"nice_skills": ("nope",)}, FieldError("nice_skills", "unknown_skill")),
    ("no hours", {"hours_per_week": None}, FieldError("hours_per_week", "required")),
    (
        "too many hours",
        {"hours_per_week": 41},
        FieldError("hours_per_week", "hours_range", {"min": 1, "max": 40}),
    ),
    ("start in past", {"start_date": TODAY - timedelta(days=1)}, FieldError("start_date", "in_past")),
    ("no end", {"end_date": None}, FieldError("end_date", "required")),
    (
        "end before start",
        {"end_date": TODAY + timedelta(days=10), "interest_deadline": TODAY},
        FieldError("end_date", "end_before_start"),
    ),
    ("no work mode", {"work_mode": None}, FieldError("work_mode", "required")),
    ("on site needs a place", {"place": " "}, FieldError("place", "place_required")),
    ("no people", {"people_needed": None}, FieldError("people_needed", "required")),
    (
        "too many people",
        {"people_needed": MAX_PEOPLE + 1},
        FieldError("people_needed", "people_range", {"min": 1, "max": MAX_PEOPLE}),
    ),
    (
        "deadline in past",
        {"interest_deadline": TODAY - timedelta(days=1)},
        FieldError("interest_deadline", "in_past"),
    ),
    (
        "deadline after end",
        {"interest_deadline": TODAY + timedelta(days=61)},
        FieldError("interest_deadline", "deadline_after_end"),
    ),
    ("no deadline", {"interest_deadline": None}, FieldError("interest_deadline", "required")),
    (
        "internal first in past",
        {"internal_first_until": TODAY - timedelta(days=1)},
        FieldError("internal_first_until", "in_past"),
    ),
    (
        "unreadable hours",
        {"hours_per_week": None, "unreadable": ("hours_per_week",)},
        FieldError("hours_per_week", "unreadable"),
    ),
]


@pytest.mark.parametrize(("changes", "error"), [(c, e) for _, c, e in RULES], ids=[n for n, _, _ in RULES])
def test_each_rule_gives_its_own_message_and_no_klus(changes: dict[str, Any], error: FieldError) -> None:
    klus, errors = validate(draft(**changes))

    assert klus is None
    assert errors == [error]


def test_remote_work_needs_no_place() -> None:
    klus, errors = validate(draft(work_mode=WorkMode.REMOTE, place=""))

    assert errors == [] and klus is not None and klus.place == ""


@given(
    hours=st.one_of(st.none(), st.integers(-5, 60)),
    people=st.one_of(st.none(), st.integers(-2, 30)),
    start=st.integers(-10, 800),
    length=st.integers(-30, 800),
    deadline=st.integers(-10, 900),
    mode=st.one_of(st.none(), st.sampled_from(WorkMode)),
    place=st.sampled_from(["", "Ermelo"]),
)
def test_a_klus_or_errors_never_both_and_every_klus_keeps_the_rules(
    hours: int | None,
    people: int | None,
    start: int,
    length: int,
    deadline: int,
    mode: WorkMode | None,
    place: str,
) -> None:
    klus, errors = validate(
        draft(
            hours_per_week=hours,
            people_needed=people,
            start_date=TODAY + timedelta(days=start),
            end_date=TODAY + timedelta(days=start + length),
            interest_deadline=TODAY + timedelta(days=deadline),
            work_mode=mode,
            place=place,
        )
    )

    assert (klus is None) == bool(errors)
    if klus is not None:
        assert 1 <= klus.hours_per_week <= 40
        assert 1 <= klus.people_needed <= MAX_PEOPLE
        assert TODAY <= klus.start_date <= klus.end_date
        assert TODAY <= klus.interest_deadline <= klus.end_date
        assert klus.place or klus.work_mode is WorkMode.REMOTE
