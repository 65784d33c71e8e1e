"""The work after an approved match: the hours of each month, the end, and how it went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from klussenbank.domain.fields import Checks, FieldError

MAX_HOURS_A_MONTH = 200
# Reported hours above this share of the plan get a gentle note on the card, never a refusal:
# someone may really have worked more.
FAR_ABOVE_PLAN = 1.5
MAX_EVALUATION_TEXT = 1000


class Role(StrEnum):
    EMPLOYEE = "employee"
    POSTER = "poster"


def month_of(day: date) -> date:
    return day.replace(day=1)


def last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months_due(start: date, end: date, today: date) -> list[date]:
    """The months of the work whose hours can be confirmed by `today`: at the end of each month,
    and for the last one at the end date."""
    due = []
    month = month_of(start)
    while month <= end:
        if min(last_day(month), end) <= today:
            due.append(month)
        month = last_day(month) + timedelta(days=1)
    return due


def planned_hours(hours_per_week: int, start: date, end: date, month: date) -> float:
    """What was agreed for that month: hours per week over its days in the period, to half an hour."""
    first, last = max(start, month), min(end, last_day(month))
    days = (last - first).days + 1 if last >= first else 0
    return round(hours_per_week * days / 7 * 2) / 2


@dataclass(frozen=True)
class HoursMonth:
    approval_id: int
    month: date  # its first day
    planned: float
    reported: float | None = None  # by the employee
    corrected: float | None = None  # by the poster

    @property
    def worked(self) -> float:
        """What counts: the poster's correction, else the employee's hours, else the plan."""
        for value in (self.corrected, self.reported):
            if value is not None:
                return value
        return self.planned

    @property
    def far_above_plan(self) -> bool:
        return self.reported is not None and self.reported > FAR_ABOVE_PLAN * self.planned


def check_hours(value: float | None, unreadable: tuple[str, ...] = ()) -> list[FieldError]:
    check = Checks(unreadable)
    if value is None:
        check.missing("hours")
    elif not 0 <= value <= MAX_HOURS_A_MONTH or value * 2 != int(value * 2):
        check.add("hours", "hours_month_range", max=MAX_HOURS_A_MONTH)
    return check.errors


@dataclass(frozen=True)
class HoursDraft:
    """A month's hours as a card sent them: `hours` is None when left empty or unreadable."""

    month: date | None
    hours: float | None = None
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvaluationDraft:
    score: int | None = None
    went_well: str = ""
    could_be_better: str = ""
    again: bool | None = None
    skills: tuple[str, ...] = ()  # used or learned: the employee says so, the poster confirms
    add_skills: bool = False  # the employee's choice: put them on their profile
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    approval_id: int
    role: Role
    score: int
    went_well: str
    could_be_better: str
    again: bool
    skills: tuple[str, ...] = ()


def validate_evaluation(
    draft: EvaluationDraft, *, approval_id: int, role: Role, vocabulary: frozenset[str]
) -> tuple[Evaluation | None, list[FieldError]]:
    check = Checks(draft.unreadable)
    if draft.score is None:
        check.missing("score")
    elif not 1 <= draft.score <= 5:
        check.add("score", "score_range", min=1, max=5)
    went_well = check.text("went_well", draft.went_well, MAX_EVALUATION_TEXT)
    better = check.text("could_be_better", draft.could_be_better, MAX_EVALUATION_TEXT)
    if draft.again is None:
        check.missing("again")
    if any(skill not in vocabulary for skill in draft.skills):
        check.add("skills", "unknown_skill")
    if check.errors:
        return None, check.errors
    assert draft.score is not None and draft.again is not None
    skills = tuple(dict.fromkeys(draft.skills))
    return Evaluation(approval_id, role, draft.score, went_well, better, draft.again, skills), []
