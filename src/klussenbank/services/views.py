"""View models: what a card shows, in plain data, language-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.fields import FieldError
from klussenbank.domain.model import AvailabilityStatus, Organisation, WorkMode


@dataclass(frozen=True)
class SkillChoice:
    id: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class ProfileView:
    name: str
    skills: tuple[SkillChoice, ...]
    free_skills: tuple[str, ...]
    hours_per_week: int
    start_date: date
    end_date: date | None
    weekdays: tuple[str, ...]
    organisations: tuple[Organisation, ...]
    work_mode: WorkMode
    intro: str
    status: AvailabilityStatus
    paused_until: date | None
    today: date


@dataclass(frozen=True)
class FormView:
    """The sign-up form: prefilled values, or what the person submitted, with its errors."""

    values: AvailabilityDraft
    skill_choices: tuple[SkillChoice, ...]
    organisation_choices: tuple[Organisation, ...]
    today: date
    is_update: bool
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class PauseView:
    today: date
    paused_until: date | None = None
    errors: tuple[FieldError, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class WelcomeView:
    name: str
    has_profile: bool
