"""Unit tests for the sign-up rules (domain/availability.py) and Availability's status changes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.availability import (
    MAX_INTRO,
    MAX_TALENT_TEXT,
    AvailabilityDraft,
    validate_availability,
    validate_pause,
)
from klussenbank.domain.fields import (
    MAX_FREE_SKILL,
    MAX_FREE_SKILLS,
    MAX_HOURS,
    MAX_OTHER_SKILLS_TEXT,
    MAX_PERIOD,
    MIN_HOURS,
    FieldError,
)
from klussenbank.domain.people import WEEKDAYS, Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary

TODAY = date(2026, 11, 23)
ORGANISATIONS = frozenset({"ermelo", "harderwijk", "zeewolde"})
VOCABULARY = load_skill_vocabulary()
# The fields a person fills in; the two switches (suggestions, own line) can be neither wrong nor unreadable.
SWITCHES = ("suggestions", "visible_to_own_line", "findable")
DRAFT_FIELDS = tuple(
    f.name for f in dataclasses.fields(AvailabilityDraft) if f.name not in ("unreadable", *SWITCHES)
)
# The value a field has when the form parser could not read it.
EMPTY: dict[str, Any] = {
    "skills": (),
    "skills_other": "",
    "hours_per_week": None,
    "start_date": None,
    "end_date": None,
    "weekdays": (),
    "organisations": (),
    "work_mode": None,
    "intro": "",
    "talent_text": "",
    "learning_skills": (),
    "learning_other": "",
}
KNOWN_CODES = {
    "unreadable",
    "required",
    "no_skill",
    "unknown_skill",
    "too_long",
    "too_many_skills",
    "skill_too_long",
    "hours_range",
    "in_past",
    "end_before_start",
    "period_too_long",
    "unknown_choice",
    "no_organisation",
}


def draft(**changes: Any) -> AvailabilityDraft:
    """A valid draft, with `changes` applied."""
    base = AvailabilityDraft(
        skills=("minute-taking", "data-entry"),
        skills_other="",
        hours_per_week=8,
        start_date=TODAY + timedelta(days=7),
        end_date=TODAY + timedelta(days=90),
        weekdays=("tue", "thu"),
        organisations=("ermelo", "harderwijk"),
        work_mode=WorkMode.HYBRID,
        intro="Ik notuleer graag.",
    )
    return dataclasses.replace(base, **changes)


def validate(
    candidate: AvailabilityDraft, vocabulary: SkillVocabulary = VOCABULARY
) -> tuple[Availability | None, list[FieldError]]:
    return validate_availability(candidate, today=TODAY, vocabulary=vocabulary, organisations=ORGANISATIONS)


def free_terms(count: int, length: int = 8) -> list[str]:
    """`count` different terms that are not in the vocabulary, each `length` letters long."""
    terms = [
        f"hobby{chr(ord('a') + n // 26)}{chr(ord('a') + n % 26)}".ljust(length, "x") for n in range(count)
    ]
    assert all(VOCABULARY.find(term) is None for term in terms)
    return terms


# -- a valid draft -------------------------------------------------------------------------------


def test_valid_draft_gives_the_availability_and_no_errors() -> None:
    availability, errors = validate(
        draft(
            skills=("data-entry", "minute-taking", "data-entry"),
            weekdays=("fri", "mon", "wed"),
            organisations=("zeewolde", "ermelo", "zeewolde"),
            intro="  Ik help graag mee.  \n",
            work_mode=WorkMode.REMOTE,
        )
    )

    assert errors == []
    assert availability == Availability(
        skills=("data-entry", "minute-taking"),
        free_skills=(),
        hours_per_week=8,
        start_date=TODAY + timedelta(days=7),
        end_date=TODAY + timedelta(days=90),
        weekdays=("mon", "wed", "fri"),
        organisations=("zeewolde", "ermelo"),
        work_mode=WorkMode.REMOTE,
        intro="Ik help graag mee.",
        status=AvailabilityStatus.ACTIVE,
        paused_until=None,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"hours_per_week": MIN_HOURS},
        {"hours_per_week": MAX_HOURS},
        {"start_date": TODAY, "end_date": TODAY},
        {"end_date": None},
        {"start_date": TODAY, "end_date": TODAY + MAX_PERIOD},
        {"start_date": TODAY, "end_date": date(2028, 11, 23)},
        {"weekdays": ()},
        {"weekdays": WEEKDAYS},
        {"intro": ""},
        {"intro": "x" * MAX_INTRO},
        {"intro": "   " + "x" * MAX_INTRO + "   "},
        {"skills": (), "skills_other": "gebarentaal"},
        {"skills_other": ", ".join(free_terms(MAX_FREE_SKILLS))},
        {"skills_other": "x" * MAX_FREE_SKILL},
        {"skills_other": "; ".join(free_terms(10, 27))},
        {"skills_other": ", ".join([*free_terms(4, MAX_FREE_SKILL), "z" * 52])},
    ],
    ids=lambda changes: ",".join(changes),
)
def test_values_on_the_boundary_are_accepted(changes: dict[str, Any]) -> None:
    availability, errors = validate(draft(**changes))

    assert errors == []
    assert availability is not None


# -- each rule, one error each --------------------------------------------------------------------

RULES: list[tuple[str, dict[str, Any], FieldError]] = [
    ("no skill", {"skills": ()}, FieldError("skills", "no_skill")),
    ("only separators", {"skills": (), "skills_other": " , ;\n- "}, FieldError("skills", "no_skill")),
    ("unknown skill id", {"skills": ("minute-taking", "juggling")}, FieldError("skills", "unknown_skill")),
    ("hours 0", {"hours_per_week": 0}, FieldError("hours_per_week", "hours_range", {"min": 1, "max": 40})),
    ("hours 41", {"hours_per_week": 41}, FieldError("hours_per_week", "hours_range", {"min": 1, "max": 40})),
    ("hours -8", {"hours_per_week": -8}, FieldError("hours_per_week", "hours_range", {"min": 1, "max": 40})),
    ("hours missing", {"hours_per_week": None}, FieldError("hours_per_week", "required")),
    ("start missing", {"start_date": None}, FieldError("start_date", "required")),
    (
        "start in the past",
        {"start_date": TODAY - timedelta(days=1), "end_date": None},
        FieldError("start_date", "in_past"),
    ),
    (
        "end before start",
        {"start_date": TODAY + timedelta(days=10), "end_date": TODAY + timedelta(days=9)},
        FieldError("end_date", "end_before_start"),
    ),
    (
        "end in the past",
        {"start_date": TODAY, "end_date": TODAY - timedelta(days=1)},
        FieldError("end_date", "in_past"),
    ),
    (
        "period over two years",
        {"start_date": TODAY, "end_date": TODAY + MAX_PERIOD + timedelta(days=1)},
        FieldError("end_date", "period_too_long"),
    ),
    (
        "period over two years from a later start",
        {"start_date": TODAY + timedelta(days=30), "end_date": date(2029, 1, 1)},
        FieldError("end_date", "period_too_long"),
    ),
    ("unknown weekday", {"weekdays": ("mon", "funday")}, FieldError("weekdays", "unknown_choice")),
    ("weekday spelled out", {"weekdays": ("Monday",)}, FieldError("weekdays", "unknown_choice")),
    ("no organisation", {"organisations": ()}, FieldError("organisations", "no_organisation")),
    (
        "unknown organisation",
        {"organisations": ("ermelo", "amsterdam")},
        FieldError("organisations", "unknown_choice"),
    ),
    ("work mode missing", {"work_mode": None}, FieldError("work_mode", "required")),
    ("intro too long", {"intro": "x" * (MAX_INTRO + 1)}, FieldError("intro", "too_long", {"max": 500})),
    (
        "too many free skills",
        {"skills_other": ", ".join(free_terms(MAX_FREE_SKILLS + 1))},
        FieldError("skills_other", "too_many_skills", {"max": 10}),
    ),
    (
        "free skill too long",
        {"skills_other": "koken, " + "x" * (MAX_FREE_SKILL + 1)},
        FieldError("skills_other", "skill_too_long", {"max": 60}),
    ),
    (
        "other skills text too long",
        {"skills_other": "koken, " + "y" * MAX_OTHER_SKILLS_TEXT},
        FieldError("skills_other", "too_long", {"max": 300}),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [rule[1:] for rule in RULES], ids=[rule[0] for rule in RULES]
)
def test_each_rule_gives_its_field_error(changes: dict[str, Any], expected: FieldError) -> None:
    availability, errors = validate(draft(**changes))

    assert availability is None
    assert errors == [expected]


def test_every_broken_rule_is_reported_at_once() -> None:
    availability, errors = validate(
        draft(
            skills=(),
            hours_per_week=0,
            start_date=TODAY - timedelta(days=3),
            end_date=TODAY - timedelta(days=1),
            weekdays=("xyz",),
            organisations=(),
            work_mode=None,
            intro="x" * 600,
        )
    )

    assert availability is None
    assert {(error.field, error.code) for error in errors} == {
        ("skills", "no_skill"),
        ("hours_per_week", "hours_range"),
        ("start_date", "in_past"),
        ("end_date", "in_past"),
        ("weekdays", "unknown_choice"),
        ("organisations", "no_organisation"),
        ("work_mode", "required"),
        ("intro", "too_long"),
    }
    assert len(errors) == 8


# -- free text -------------------------------------------------------------------------------------


def test_free_text_that_names_vocabulary_skills_becomes_skill_ids() -> None:
    availability, errors = validate(
        draft(
            skills=("data-entry",),
            skills_other="notulist, Note taking; gebarentaal\n- ARCHIVEREN, Gebarentaal, data invoeren, koken",
        )
    )

    assert errors == []
    assert availability is not None
    # Synonyms in either language map to ids, in order of appearance, without doubles.
    assert availability.skills == ("data-entry", "minute-taking", "document-management")
    # Unknown terms stay free, trimmed, once each (compared case-insensitively).
    assert availability.free_skills == ("gebarentaal", "koken")


def test_free_text_alone_is_enough_as_a_skill() -> None:
    availability, errors = validate(draft(skills=(), skills_other="imkeren"))

    assert errors == []
    assert availability is not None
    assert availability.skills == ()
    assert availability.free_skills == ("imkeren",)


def test_recognised_free_text_counts_as_a_chosen_skill() -> None:
    availability, errors = validate(draft(skills=(), skills_other="notulist"))

    assert errors == []
    assert availability is not None
    assert availability.skills == ("minute-taking",)
    assert availability.free_skills == ()


def test_recognised_terms_do_not_count_towards_the_free_skill_limit() -> None:
    # Ten free terms is the maximum; recognised synonyms on top of that are fine.
    text = ", ".join([*free_terms(MAX_FREE_SKILLS), "notulist", "archiveren"])

    availability, errors = validate(draft(skills=(), skills_other=text))

    assert errors == []
    assert availability is not None
    assert availability.skills == ("minute-taking", "document-management")
    assert len(availability.free_skills) == MAX_FREE_SKILLS


# -- unreadable fields -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", DRAFT_FIELDS)
def test_an_unreadable_field_is_reported_once_and_not_as_required(field: str) -> None:
    availability, errors = validate(draft(**{field: EMPTY[field]}, unreadable=(field,)))

    assert availability is None
    assert errors == [FieldError(field, "unreadable")]


def test_several_unreadable_fields_are_each_reported_once() -> None:
    fields = ("skills", "hours_per_week", "start_date", "organisations", "work_mode")
    availability, errors = validate(draft(**{field: EMPTY[field] for field in fields}, unreadable=fields))

    assert availability is None
    assert Counter((error.field, error.code) for error in errors) == Counter(
        (field, "unreadable") for field in fields
    )


# -- Availability's status -------------------------------------------------------------------------


def _availability() -> Availability:
    availability, errors = validate(draft())
    assert availability is not None, errors
    return availability


def test_a_pause_lasts_up_to_and_including_its_last_day() -> None:
    until = TODAY + timedelta(days=5)
    paused = _availability().paused(until)

    assert paused.status_on(TODAY) is AvailabilityStatus.PAUSED
    assert paused.status_on(until) is AvailabilityStatus.PAUSED
    assert paused.status_on(until + timedelta(days=1)) is AvailabilityStatus.ACTIVE
    assert paused.status_on(until + timedelta(days=400)) is AvailabilityStatus.ACTIVE
    # The stored status does not change by itself; only the status on a day does.
    assert paused.status is AvailabilityStatus.PAUSED


def test_active_and_withdrawn_do_not_change_with_time() -> None:
    active = _availability()
    withdrawn = active.withdrawn()

    for day in (TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1000)):
        assert active.status_on(day) is AvailabilityStatus.ACTIVE
        assert withdrawn.status_on(day) is AvailabilityStatus.WITHDRAWN


def test_paused_resumed_and_withdrawn_only_change_the_status() -> None:
    original = _availability()
    until = TODAY + timedelta(days=14)

    paused = original.paused(until)
    assert (paused.status, paused.paused_until) == (AvailabilityStatus.PAUSED, until)
    assert dataclasses.replace(paused, status=original.status, paused_until=None) == original

    resumed = paused.resumed()
    assert (resumed.status, resumed.paused_until) == (AvailabilityStatus.ACTIVE, None)
    assert resumed == original

    withdrawn = paused.withdrawn()
    assert (withdrawn.status, withdrawn.paused_until) == (AvailabilityStatus.WITHDRAWN, None)
    assert dataclasses.replace(withdrawn, status=AvailabilityStatus.ACTIVE) == original

    # Frozen values: the original is untouched.
    assert original.status is AvailabilityStatus.ACTIVE
    assert original.paused_until is None


# -- validate_pause ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (None, [FieldError("paused_until", "required")]),
        (TODAY - timedelta(days=30), [FieldError("paused_until", "pause_in_past")]),
        (TODAY - timedelta(days=1), [FieldError("paused_until", "pause_in_past")]),
        (TODAY, [FieldError("paused_until", "pause_in_past")]),
        (TODAY + timedelta(days=1), []),
        (TODAY + timedelta(days=366), []),
        (TODAY + timedelta(days=367), [FieldError("paused_until", "pause_too_long")]),
        (TODAY + timedelta(days=3650), [FieldError("paused_until", "pause_too_long")]),
    ],
)
def test_validate_pause(until: date | None, expected: list[FieldError]) -> None:
    assert validate_pause(until, today=TODAY) == expected


# -- properties ----------------------------------------------------------------------------------------

SKILL_IDS = [skill.id for skill in VOCABULARY]
SYNONYMS = [synonym for skill in VOCABULARY for synonym in skill.synonyms]
FREE_WORDS = ["gebarentaal", "koken", "imkeren", "origami", "  breien ", "Koken", "z" * MAX_FREE_SKILL]
# The parts of a draft that can break a rule: each field, and the list of unreadable fields.
PARTS = (*DRAFT_FIELDS, "unreadable")


def either(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


@st.composite
def cases(draw: st.DrawFn, *, with_unreadable: bool = False) -> tuple[AvailabilityDraft, frozenset[str]]:
    """A draft and the parts of it that break a rule (none, one or two).

    Every other part is drawn from values that pass, edges included ("good"); a broken part
    always gets a value that breaks its rule ("bad"). The model is independent of the code
    under test: it only encodes the rules as the form explains them to the person.
    """
    count = draw(either(0, 1, 1, 2))
    broken = set(draw(st.lists(st.sampled_from(PARTS), min_size=count, max_size=count, unique=True)))
    if with_unreadable:
        broken.add("unreadable")

    def pick(part: str, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
        return draw(bad if part in broken else good)

    days = st.integers
    start = pick(
        "start_date",
        st.one_of(
            either(TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=30)),
            days(0, 400).map(lambda n: TODAY + timedelta(days=n)),
        ),
        st.one_of(
            st.none(), either(TODAY - timedelta(days=1)), days(1, 60).map(lambda n: TODAY - timedelta(n))
        ),
    )
    anchor = start if start is not None and start >= TODAY else TODAY
    # A period can only be too long from a known start.
    too_long = [] if start is None else [days(MAX_PERIOD.days + 1, 2000).map(lambda n: anchor + timedelta(n))]
    end = pick(
        "end_date",
        st.one_of(
            st.none(),
            either(anchor, anchor + MAX_PERIOD),
            days(0, MAX_PERIOD.days).map(lambda n: anchor + timedelta(days=n)),
        ),
        st.one_of(
            either(TODAY - timedelta(days=1), anchor - timedelta(days=1)),
            days(1, 40).map(lambda n: anchor - timedelta(days=n)),
            *too_long,
        ),
    )
    skills = pick(
        "skills",
        st.lists(st.sampled_from(SKILL_IDS), min_size=1, max_size=4).map(tuple),
        st.one_of(
            st.just(()),  # no skill at all: only when nothing is typed either, see below
            st.tuples(
                st.lists(st.sampled_from(SKILL_IDS), max_size=3), either("juggling", "", "MINUTE-TAKING")
            )
            .flatmap(lambda pair: st.permutations([*pair[0], pair[1]]))
            .map(tuple),
        ),
    )
    if skills == ():
        broken.discard("skills_other")
    draft = AvailabilityDraft(
        skills=skills,
        skills_other=pick(
            "skills_other",
            st.one_of(
                st.lists(st.sampled_from(SYNONYMS + FREE_WORDS), max_size=4).map(", ".join),
                either(",".join(free_terms(MAX_FREE_SKILLS)), "koken, " + "z" * MAX_FREE_SKILL),
            )
            if skills
            else either("", " , ;\n- "),
            st.one_of(
                days(MAX_FREE_SKILLS + 1, MAX_FREE_SKILLS + 3).map(lambda n: ",".join(free_terms(n))),
                days(MAX_FREE_SKILL + 1, 100).map(lambda n: "koken, " + "q" * n),
                days(MAX_OTHER_SKILLS_TEXT + 1, 400).map(lambda n: "notulist; " * (n // 10 + 1)),
            ),
        ),
        hours_per_week=pick(
            "hours_per_week",
            st.one_of(either(MIN_HOURS, MAX_HOURS), days(MIN_HOURS, MAX_HOURS)),
            st.one_of(either(None, MIN_HOURS - 1, MAX_HOURS + 1), days(-100, 0), days(MAX_HOURS + 1, 1000)),
        ),
        start_date=start,
        end_date=end,
        weekdays=pick(
            "weekdays",
            st.lists(st.sampled_from(WEEKDAYS), max_size=7).map(tuple),
            st.lists(st.sampled_from(WEEKDAYS), max_size=3).map(lambda ds: (*ds, "funday")),
        ),
        organisations=pick(
            "organisations",
            st.lists(st.sampled_from(sorted(ORGANISATIONS)), min_size=1, max_size=4).map(tuple),
            st.one_of(
                st.just(()),
                st.lists(st.sampled_from(sorted(ORGANISATIONS)), max_size=2).map(
                    lambda os: (*os, "amsterdam")
                ),
            ),
        ),
        work_mode=pick("work_mode", st.sampled_from(WorkMode), st.none()),
        intro=pick(
            "intro",
            st.one_of(st.text(max_size=40), either("x" * MAX_INTRO, " " + "x" * MAX_INTRO + "\n")),
            days(MAX_INTRO + 1, 600).map(lambda n: " " + "x" * n),
        ),
        talent_text=pick(
            "talent_text",
            st.one_of(st.text(max_size=40), either("x" * MAX_TALENT_TEXT)),
            days(MAX_TALENT_TEXT + 1, 400).map(lambda n: "x" * n),
        ),
        learning_skills=pick(
            "learning_skills",
            st.lists(st.sampled_from(SKILL_IDS), max_size=3).map(tuple),
            st.lists(st.sampled_from(SKILL_IDS), max_size=2).map(lambda s: (*s, "juggling")),
        ),
        learning_other=pick(
            "learning_other",
            st.lists(st.sampled_from(SYNONYMS + FREE_WORDS), max_size=4).map(", ".join),
            days(MAX_OTHER_SKILLS_TEXT + 1, 400).map(lambda n: "x" * n),
        ),
        unreadable=pick(
            "unreadable",
            st.just(()),
            st.lists(st.sampled_from(DRAFT_FIELDS), min_size=1, max_size=3, unique=True).map(tuple),
        ),
    )
    return draft, frozenset(broken)


def drafts(*, with_unreadable: bool = False) -> st.SearchStrategy[AvailabilityDraft]:
    return cases(with_unreadable=with_unreadable).map(lambda case: case[0])


# Anything of the right types, for the properties that must hold whatever comes in.
wild_drafts = st.builds(
    AvailabilityDraft,
    skills=st.lists(st.one_of(st.sampled_from(SKILL_IDS), st.text(max_size=12)), max_size=5).map(tuple),
    skills_other=st.one_of(st.text(max_size=350), st.lists(st.sampled_from(SYNONYMS)).map(",".join)),
    hours_per_week=st.one_of(st.none(), st.integers()),
    start_date=st.one_of(st.none(), st.dates()),
    end_date=st.one_of(st.none(), st.dates()),
    weekdays=st.lists(st.one_of(st.sampled_from(WEEKDAYS), st.text(max_size=4)), max_size=8).map(tuple),
    organisations=st.lists(st.one_of(st.sampled_from(sorted(ORGANISATIONS)), st.text(max_size=8))).map(tuple),
    work_mode=st.one_of(st.none(), st.sampled_from(WorkMode)),
    intro=st.text(max_size=600),
    unreadable=st.lists(st.sampled_from(DRAFT_FIELDS), max_size=3, unique=True).map(tuple),
)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(st.one_of(drafts(), wild_drafts))
def test_a_draft_gives_either_an_availability_or_errors_never_both(candidate: AvailabilityDraft) -> None:
    availability, errors = validate(candidate)

    if availability is None:
        assert errors
    else:
        assert errors == []
    assert all(error.code in KNOWN_CODES for error in errors)
    assert all(error.field in DRAFT_FIELDS for error in errors)
    # Every unreadable field is reported, once, as unreadable.
    for field in candidate.unreadable:
        assert errors.count(FieldError(field, "unreadable")) == 1


@PROPERTY_SETTINGS
@given(st.one_of(drafts(), wild_drafts))
def test_a_returned_availability_satisfies_every_rule(candidate: AvailabilityDraft) -> None:
    availability, _ = validate(candidate)
    if availability is None:
        return

    assert MIN_HOURS <= availability.hours_per_week <= MAX_HOURS
    assert availability.start_date >= TODAY
    if availability.end_date is not None:
        assert availability.end_date >= availability.start_date
        assert availability.end_date - availability.start_date <= MAX_PERIOD
    assert availability.skills or availability.free_skills
    assert all(skill in VOCABULARY for skill in availability.skills)
    assert len(set(availability.skills)) == len(availability.skills)
    assert len(availability.free_skills) <= MAX_FREE_SKILLS
    assert all(0 < len(term) <= MAX_FREE_SKILL for term in availability.free_skills)
    assert all(VOCABULARY.find(term) is None for term in availability.free_skills)
    assert availability.organisations
    assert set(availability.organisations) <= ORGANISATIONS
    assert len(set(availability.organisations)) == len(availability.organisations)
    assert availability.weekdays == tuple(day for day in WEEKDAYS if day in availability.weekdays)
    assert len(availability.intro) <= MAX_INTRO
    assert availability.intro == availability.intro.strip()
    assert availability.work_mode in WorkMode
    assert availability.status is AvailabilityStatus.ACTIVE
    assert availability.paused_until is None
    # Nothing the person chose from the vocabulary is lost.
    assert set(candidate.skills) <= set(availability.skills)


@PROPERTY_SETTINGS
@given(cases())
def test_a_draft_is_refused_exactly_when_it_breaks_a_rule(
    case: tuple[AvailabilityDraft, frozenset[str]],
) -> None:
    candidate, broken = case

    availability, errors = validate(candidate)

    assert (availability is None) == bool(broken), errors
    fields = {error.field for error in errors}
    # Every broken field is named...
    assert broken - {"unreadable"} <= fields
    assert set(candidate.unreadable) <= fields
    # ...and nothing else, except an end date that a start in the past drags along.
    allowed = broken | set(candidate.unreadable) | ({"end_date"} if "start_date" in broken else set())
    assert fields <= allowed


@PROPERTY_SETTINGS
@given(
    drafts(with_unreadable=True).map(
        lambda d: dataclasses.replace(d, **{field: EMPTY[field] for field in d.unreadable})
    )
)
def test_an_unreadable_field_gets_no_other_error(candidate: AvailabilityDraft) -> None:
    _, errors = validate(candidate)

    for field in candidate.unreadable:
        assert [error for error in errors if error.field == field] == [FieldError(field, "unreadable")]


def test_the_draft_strategy_yields_valid_and_invalid_drafts() -> None:
    """The properties above would prove little if every generated draft were refused."""
    quick = settings(database=None, max_examples=200, phases=[Phase.generate])
    valid = find(drafts(), lambda d: validate(d)[0] is not None, settings=quick)
    invalid = find(drafts(), lambda d: validate(d)[0] is None, settings=quick)

    assert validate(valid)[1] == []
    assert validate(invalid)[1]


# -- what they want to learn ---------------------------------------------------------------------------


def test_learning_wishes_are_skills_from_the_list_and_own_words() -> None:
    availability, errors = validate(
        draft(learning_skills=("omgevingswet",), learning_other="notulist, bijen houden")
    )

    assert errors == []
    assert availability is not None
    assert availability.learning_skills == ("omgevingswet", "minute-taking")
    assert availability.learning_other == ("bijen houden",)


def test_an_unknown_learning_skill_is_refused() -> None:
    availability, errors = validate(draft(learning_skills=("no-such-skill",)))

    assert availability is None
    assert errors == [FieldError("learning_skills", "unknown_skill")]
