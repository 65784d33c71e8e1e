"""Unit tests for the message catalogs and the Translator."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import klussenbank.domain
from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.announcement import AnnouncementDraft, validate_announcement
from klussenbank.domain.approval import ApprovalStatus
from klussenbank.domain.availability import AvailabilityDraft, validate_availability, validate_pause
from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import InterestStatus, KlusDraft, KlusStatus, validate_klus
from klussenbank.domain.people import WorkMode
from klussenbank.domain.shifts import parse_shifts
from klussenbank.domain.work import EvaluationDraft, Role, check_hours, validate_evaluation
from klussenbank.i18n import LANGUAGES, Language, Translator, catalog, language_of

DOMAIN_DIR = Path(klussenbank.domain.__file__).parent
# FieldError("field", "code" ...) or check.add(name, "code" ...): the code is the second argument.
ERROR_CODE = re.compile(r"(?:FieldError|(?:check|self)\.add)\(\s*[^,()]+,\s*\"([a-z_]+)\"")
ERROR_CONSTRUCTION = re.compile(r"(?:FieldError|(?:check|self)\.add)\(")
# The one place that builds a FieldError from a code passed in: Checks.add in fields.py.
PASSING_ON = "FieldError(field, code, dict(params))"


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def domain_error_codes() -> set[str]:
    codes: set[str] = set()
    for path in sorted(DOMAIN_DIR.glob("*.py")):
        codes |= set(ERROR_CODE.findall(path.read_text(encoding="utf-8")))
    return codes


def test_both_catalogs_have_the_same_keys() -> None:
    nl, en = set(catalog("nl")), set(catalog("en"))

    assert sorted(nl - en) == [], "missing in en.json"
    assert sorted(en - nl) == [], "missing in nl.json"


def test_the_same_placeholders_in_both_languages() -> None:
    nl, en = catalog("nl"), catalog("en")

    different = {key: (placeholders(nl[key]), placeholders(en[key])) for key in nl if key in en}
    assert {key: pair for key, pair in different.items() if pair[0] != pair[1]} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_empty_messages(language: Language) -> None:
    messages = catalog(language)

    assert messages
    assert [
        key for key, message in messages.items() if not isinstance(message, str) or not message.strip()
    ] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_plain_names(language: Language) -> None:
    """`{name}` only: no positional `{}`, no attribute or index look-ups, well-formed braces."""
    for key, message in catalog(language).items():
        names = placeholders(message)  # raises ValueError on an unbalanced brace
        assert all(re.fullmatch(r"[a-z_]+", name) for name in names), key


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "en"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("en", "en"),
        ("nl-NL", "nl"),
        ("nl-BE", "nl"),
        ("", "nl"),
        (None, "nl"),
        ("de-DE", "nl"),
        ("fr-FR", "nl"),
    ],
)
def test_language_of(locale: str | None, expected: str) -> None:
    assert language_of(locale) == expected
    assert Translator.for_locale(locale).language == expected


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("nl", date(2026, 11, 23), "23 november 2026"),
        ("en", date(2026, 11, 23), "23 November 2026"),
        ("nl", date(2027, 3, 1), "1 maart 2027"),
        ("en", date(2027, 3, 1), "1 March 2027"),
        ("nl", date(2026, 5, 31), "31 mei 2026"),
        ("en", date(2026, 5, 31), "31 May 2026"),
    ],
)
def test_translator_date(language: Language, day: date, expected: str) -> None:
    assert Translator(language).date(day) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_month_and_weekday_has_a_name(language: Language) -> None:
    t = Translator(language)
    months = [t.date(date(2026, month, 1)).split(" ")[1] for month in range(1, 13)]
    weekdays = [t.weekday(code) for code in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]

    assert len(set(months)) == 12
    assert len(set(weekdays)) == 7


def test_the_source_scan_finds_the_domain_error_codes() -> None:
    """Guards the regex below: if the code is refactored so that it finds nothing, this fails."""
    codes = domain_error_codes()

    assert {"required", "unreadable", "hours_range", "in_past", "pause_too_long"} <= codes
    assert len(codes) >= 15
    # Every construction of a FieldError names its code literally, so the scan misses none.
    for path in DOMAIN_DIR.glob("*.py"):
        source = path.read_text(encoding="utf-8").replace(PASSING_ON, "")
        assert len(ERROR_CONSTRUCTION.findall(source)) == len(ERROR_CODE.findall(source)), path.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_domain_error_code_has_a_message(language: Language) -> None:
    messages = catalog(language)

    assert sorted(code for code in domain_error_codes() if f"error.{code}" not in messages) == []


TODAY = date(2026, 11, 23)
BAD_DRAFTS = [
    AvailabilityDraft(unreadable=("hours_per_week",)),
    AvailabilityDraft(skills=("nope",), hours_per_week=0, start_date=TODAY - timedelta(days=1)),
    AvailabilityDraft(
        skills_other="x" * 61,
        hours_per_week=99,
        start_date=TODAY,
        end_date=TODAY + timedelta(days=1000),
        weekdays=("xyz",),
        organisations=("nowhere",),
        work_mode=WorkMode.REMOTE,
        intro="x" * 501,
    ),
    AvailabilityDraft(skills_other=", ".join(f"hobby{chr(97 + n)}" for n in range(11))),
    AvailabilityDraft(
        skills_other="x" * 301, start_date=TODAY + timedelta(days=9), end_date=TODAY + timedelta(1)
    ),
    AvailabilityDraft(start_date=TODAY, end_date=TODAY - timedelta(days=1)),
]


BAD_KLUS_DRAFTS = [
    KlusDraft(title="x" * 81, organisation="ermelo", nice_skills=("nope",), people_needed=0, place="x" * 81),
    KlusDraft(
        work_mode=WorkMode.ON_SITE,
        start_date=TODAY,
        end_date=TODAY + timedelta(days=3),
        interest_deadline=TODAY + timedelta(days=9),
    ),
]


BAD_SHIFTS = [
    "2026-11-30 9:00-13:00; 2026-11-30 12:00-14:00",
    "2026-11-30 13:00-9:00; 9:00-13:00, week 50; soms 9:00-10:00",
    "2026-01-05 9:00-13:00",
    "ma di wo do vr za zo 9:00-10:00 week 1-52 2028",
    "x" * 1001,
]

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
BAD_ANNOUNCEMENTS = [
    (AnnouncementDraft(title="x" * 101, text="x" * 2001, link_url="http://x", channels=("19:gone",)), True),
    (AnnouncementDraft(link_title="x" * 41, send_date=TODAY, send_time=time(8)), True),
    (AnnouncementDraft(link_title="Lees meer"), False),
]


def produced_errors() -> list[FieldError]:
    errors: list[FieldError] = check_hours(None) + check_hours(7.25) + check_hours(None, ("hours",))
    errors += validate_evaluation(
        EvaluationDraft(score=9, went_well="x" * 1001, skills=("nope",)),
        approval_id=1,
        role=Role.EMPLOYEE,
        vocabulary=frozenset({"minute-taking"}),
    )[1]
    for announcement, scheduled in BAD_ANNOUNCEMENTS:
        errors += validate_announcement(
            announcement,
            channels=(),
            organisations=("ermelo",),
            zone=ZoneInfo("Europe/Amsterdam"),
            now=NOW,
            scheduled=scheduled,
        )[1]
    for klus in BAD_KLUS_DRAFTS:
        errors += validate_klus(
            klus, today=TODAY, vocabulary=load_skill_vocabulary(), organisations={"ermelo"}
        )[1]
    for draft in BAD_DRAFTS:
        _, found = validate_availability(
            draft, today=TODAY, vocabulary=load_skill_vocabulary(), organisations={"ermelo"}
        )
        errors += found
    for until in (None, TODAY, TODAY + timedelta(days=999)):
        errors += validate_pause(until, today=TODAY)
    for shifts in BAD_SHIFTS:
        errors += parse_shifts(shifts, today=TODAY)[1]
    return errors


def test_the_bad_drafts_produce_every_domain_error_code() -> None:
    assert {error.code for error in produced_errors()} == domain_error_codes()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_produced_error_formats_with_its_params(language: Language) -> None:
    t = Translator(language)
    for error in produced_errors():
        key = f"error.{error.code}"
        # A placeholder without a param would show up as "{max}" in the card.
        assert placeholders(catalog(language)[key]) == set(error.params), key
        text = t(key, **error.params)
        assert "{" not in text
        shown = [t.number(v, decimals=3) if isinstance(v, int) else str(v) for v in error.params.values()]
        assert all(value in text for value in shown), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_status_a_card_names_has_a_message(language: Language) -> None:
    """Cards look statuses up by value: a status without a message would fail a turn."""
    messages = catalog(language)
    wanted = (
        [f"interest.status.{s.value}" for s in InterestStatus]
        + [f"candidates.status.{s.value}" for s in InterestStatus]
        + [f"klus.status.{s.value}" for s in KlusStatus]
        + [f"approval.status.{s.value}" for s in ApprovalStatus if s is not ApprovalStatus.PENDING]
        + [f"approval.title.{role}" for role in ("approver", "candidate", "poster", "other")]
    )
    assert [key for key in wanted if key not in messages] == []
