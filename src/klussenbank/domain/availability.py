"""Rules for a sign-up: what a valid availability looks like."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from klussenbank.domain.model import WEEKDAYS, Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary

MIN_HOURS = 1
MAX_HOURS = 40
MAX_INTRO = 500
MAX_OTHER_SKILLS_TEXT = 300
MAX_FREE_SKILL = 60
MAX_FREE_SKILLS = 10
MAX_PERIOD = timedelta(days=2 * 366)
MAX_PAUSE = timedelta(days=366)


@dataclass(frozen=True)
class FieldError:
    """A problem with one form field; `code` names a message in the catalogs."""

    field: str
    code: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class AvailabilityDraft:
    """A sign-up as the person submitted it; None where a value is missing or unreadable."""

    skills: tuple[str, ...] = ()
    skills_other: str = ""
    hours_per_week: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    weekdays: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    work_mode: WorkMode | None = None
    intro: str = ""
    unreadable: tuple[str, ...] = ()


def validate_availability(
    draft: AvailabilityDraft,
    *,
    today: date,
    vocabulary: SkillVocabulary,
    organisations: Collection[str],
) -> tuple[Availability | None, list[FieldError]]:
    """Return the availability, or the errors by field; never both."""
    errors = [FieldError(name, "unreadable") for name in draft.unreadable]
    unreadable = set(draft.unreadable)

    skills = tuple(dict.fromkeys(draft.skills))
    free: list[str] = []
    if any(skill not in vocabulary for skill in skills):
        errors.append(FieldError("skills", "unknown_skill"))
    if len(draft.skills_other) > MAX_OTHER_SKILLS_TEXT:
        errors.append(FieldError("skills_other", "too_long", {"max": MAX_OTHER_SKILLS_TEXT}))
    else:
        known, free = vocabulary.parse_free_text(draft.skills_other)
        skills = tuple(dict.fromkeys(skills + tuple(known)))
        if len(free) > MAX_FREE_SKILLS:
            errors.append(FieldError("skills_other", "too_many_skills", {"max": MAX_FREE_SKILLS}))
        elif any(len(term) > MAX_FREE_SKILL for term in free):
            errors.append(FieldError("skills_other", "skill_too_long", {"max": MAX_FREE_SKILL}))
        elif not skills and not free and "skills" not in unreadable:
            errors.append(FieldError("skills", "no_skill"))

    hours = draft.hours_per_week
    if hours is None:
        if "hours_per_week" not in unreadable:
            errors.append(FieldError("hours_per_week", "required"))
    elif not MIN_HOURS <= hours <= MAX_HOURS:
        errors.append(FieldError("hours_per_week", "hours_range", {"min": MIN_HOURS, "max": MAX_HOURS}))

    start, end = draft.start_date, draft.end_date
    if start is None:
        if "start_date" not in unreadable:
            errors.append(FieldError("start_date", "required"))
    elif start < today:
        errors.append(FieldError("start_date", "in_past"))
    if end is not None:
        if end < today:
            errors.append(FieldError("end_date", "in_past"))
        elif start is not None and end < start:
            errors.append(FieldError("end_date", "end_before_start"))
        elif start is not None and end - start > MAX_PERIOD:
            errors.append(FieldError("end_date", "period_too_long"))

    if any(day not in WEEKDAYS for day in draft.weekdays):
        errors.append(FieldError("weekdays", "unknown_choice"))
    orgs = tuple(dict.fromkeys(draft.organisations))
    if not orgs:
        if "organisations" not in unreadable:
            errors.append(FieldError("organisations", "no_organisation"))
    elif any(org not in organisations for org in orgs):
        errors.append(FieldError("organisations", "unknown_choice"))
    if draft.work_mode is None and "work_mode" not in unreadable:
        errors.append(FieldError("work_mode", "required"))
    intro = draft.intro.strip()
    if len(intro) > MAX_INTRO:
        errors.append(FieldError("intro", "too_long", {"max": MAX_INTRO}))

    if errors:
        return None, errors
    assert hours is not None and start is not None and draft.work_mode is not None
    return (
        Availability(
            skills=skills,
            free_skills=tuple(free),
            hours_per_week=hours,
            start_date=start,
            end_date=end,
            weekdays=tuple(day for day in WEEKDAYS if day in draft.weekdays),
            organisations=orgs,
            work_mode=draft.work_mode,
            intro=intro,
            status=AvailabilityStatus.ACTIVE,
        ),
        [],
    )


def validate_pause(until: date | None, *, today: date) -> list[FieldError]:
    if until is None:
        return [FieldError("paused_until", "required")]
    if until <= today:
        return [FieldError("paused_until", "pause_in_past")]
    if until - today > MAX_PAUSE:
        return [FieldError("paused_until", "pause_too_long")]
    return []
