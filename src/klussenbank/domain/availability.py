"""Rules for a sign-up: what a valid availability looks like."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from klussenbank.domain.fields import (
    MAX_FREE_SKILL,
    MAX_FREE_SKILLS,
    MAX_OTHER_SKILLS_TEXT,
    Checks,
    FieldError,
)
from klussenbank.domain.people import WEEKDAYS, Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary

MAX_INTRO = 500
MAX_TALENT_TEXT = 300
MAX_PAUSE = timedelta(days=366)


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
    suggestions: bool = True
    visible_to_own_line: bool = False
    findable: bool = False
    talent_text: str = ""
    learning_skills: tuple[str, ...] = ()
    learning_other: str = ""
    unreadable: tuple[str, ...] = ()


def validate_availability(
    draft: AvailabilityDraft,
    *,
    today: date,
    vocabulary: SkillVocabulary,
    organisations: Collection[str],
) -> tuple[Availability | None, list[FieldError]]:
    """Return the availability, or the errors by field; never both."""
    check = Checks(draft.unreadable)
    skills, free = check.skills(draft.skills, draft.skills_other, vocabulary, field="skills", needed=True)
    check.hours(draft.hours_per_week)
    check.period(draft.start_date, draft.end_date, today=today, end_required=False)
    if any(day not in WEEKDAYS for day in draft.weekdays):
        check.add("weekdays", "unknown_choice")
    orgs = tuple(dict.fromkeys(draft.organisations))
    if not orgs:
        if "organisations" not in check.unreadable:
            check.add("organisations", "no_organisation")
    elif any(org not in organisations for org in orgs):
        check.add("organisations", "unknown_choice")
    if draft.work_mode is None:
        check.missing("work_mode")
    intro = draft.intro.strip()
    if len(intro) > MAX_INTRO:
        check.add("intro", "too_long", max=MAX_INTRO)
    talent_text = check.text("talent_text", draft.talent_text, MAX_TALENT_TEXT)
    learning, learning_other = _learning(check, draft, vocabulary)

    if check.errors:
        return None, check.errors
    assert draft.hours_per_week is not None and draft.start_date is not None and draft.work_mode is not None
    return (
        Availability(
            skills=skills,
            free_skills=free,
            hours_per_week=draft.hours_per_week,
            start_date=draft.start_date,
            end_date=draft.end_date,
            weekdays=tuple(day for day in WEEKDAYS if day in draft.weekdays),
            organisations=orgs,
            work_mode=draft.work_mode,
            intro=intro,
            status=AvailabilityStatus.ACTIVE,
            suggestions=draft.suggestions,
            visible_to_own_line=draft.visible_to_own_line,
            findable=draft.findable,
            talent_text=talent_text,
            learning_skills=learning,
            learning_other=learning_other,
        ),
        [],
    )


def _learning(
    check: Checks, draft: AvailabilityDraft, vocabulary: SkillVocabulary
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What they want to learn: the chosen skills plus those named in their own words, and the rest."""
    chosen = tuple(dict.fromkeys(draft.learning_skills))
    if any(skill not in vocabulary for skill in chosen):
        check.add("learning_skills", "unknown_skill")
    if len(draft.learning_other) > MAX_OTHER_SKILLS_TEXT:
        check.add("learning_other", "too_long", max=MAX_OTHER_SKILLS_TEXT)
        return chosen, ()
    known, free = vocabulary.parse_free_text(draft.learning_other)
    if len(free) > MAX_FREE_SKILLS:
        check.add("learning_other", "too_many_skills", max=MAX_FREE_SKILLS)
    elif any(len(term) > MAX_FREE_SKILL for term in free):
        check.add("learning_other", "skill_too_long", max=MAX_FREE_SKILL)
    return tuple(dict.fromkeys(chosen + tuple(known))), tuple(free)


def validate_pause(until: date | None, *, today: date) -> list[FieldError]:
    if until is None:
        return [FieldError("paused_until", "required")]
    if until <= today:
        return [FieldError("paused_until", "pause_in_past")]
    if until - today > MAX_PAUSE:
        return [FieldError("paused_until", "pause_too_long")]
    return []
