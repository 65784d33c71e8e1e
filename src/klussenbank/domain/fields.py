"""Checks shared by every form: one message code per problem, by field, never an exception."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from klussenbank.domain.skills import SkillVocabulary

MIN_HOURS = 1
MAX_HOURS = 40
MAX_OTHER_SKILLS_TEXT = 300
MAX_FREE_SKILL = 60
MAX_FREE_SKILLS = 10
MAX_PERIOD = timedelta(days=2 * 366)


@dataclass(frozen=True)
class FieldError:
    """A problem with one form field; `code` names a message in the catalogs."""

    field: str
    code: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)


class Checks:
    """Collects the errors of one form; `unreadable` fields already have theirs."""

    def __init__(self, unreadable: tuple[str, ...]) -> None:
        self.errors = [FieldError(name, "unreadable") for name in unreadable]
        self.unreadable = set(unreadable)

    def add(self, field: str, code: str, **params: object) -> None:
        self.errors.append(FieldError(field, code, dict(params)))

    def line(self, field: str, value: str, maximum: int, *, required: bool = False) -> str:
        """One line of text with its spaces tidied; missing (when required) or too long is an error."""
        return self.text(field, " ".join(value.split()), maximum, required=required)

    def text(self, field: str, value: str, maximum: int, *, required: bool = False) -> str:
        """A text (lines kept); missing (when required) or too long is an error."""
        text = value.strip()
        if not text and required:
            self.missing(field)
        elif len(text) > maximum:
            self.add(field, "too_long", max=maximum)
        return text

    def missing(self, field: str) -> None:
        """A required value is absent: say so, unless it was there but unreadable."""
        if field not in self.unreadable:
            self.add(field, "required")

    def skills(
        self,
        chosen: tuple[str, ...],
        other_text: str,
        vocabulary: SkillVocabulary,
        *,
        field: str,
        needed: bool,
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The chosen skills plus the known ones named in `other_text`, and the free terms left."""
        skills = tuple(dict.fromkeys(chosen))
        if any(skill not in vocabulary for skill in skills):
            self.add(field, "unknown_skill")
        if len(other_text) > MAX_OTHER_SKILLS_TEXT:
            self.add("skills_other", "too_long", max=MAX_OTHER_SKILLS_TEXT)
            return skills, ()
        known, free = vocabulary.parse_free_text(other_text)
        skills = tuple(dict.fromkeys(skills + tuple(known)))
        if len(free) > MAX_FREE_SKILLS:
            self.add("skills_other", "too_many_skills", max=MAX_FREE_SKILLS)
        elif any(len(term) > MAX_FREE_SKILL for term in free):
            self.add("skills_other", "skill_too_long", max=MAX_FREE_SKILL)
        elif needed and not skills and not free and field not in self.unreadable:
            self.add(field, "no_skill")
        return skills, tuple(free)

    def hours(self, hours: int | None) -> None:
        if hours is None:
            self.missing("hours_per_week")
        elif not MIN_HOURS <= hours <= MAX_HOURS:
            self.add("hours_per_week", "hours_range", min=MIN_HOURS, max=MAX_HOURS)

    def period(self, start: date | None, end: date | None, *, today: date, end_required: bool) -> None:
        if start is None:
            self.missing("start_date")
        elif start < today:
            self.add("start_date", "in_past")
        if end is None:
            if end_required:
                self.missing("end_date")
        elif end < today:
            self.add("end_date", "in_past")
        elif start is not None and end < start:
            self.add("end_date", "end_before_start")
        elif start is not None and end - start > MAX_PERIOD:
            self.add("end_date", "period_too_long")
