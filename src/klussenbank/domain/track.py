"""A development track (re-integration, career development): what HR and the person agreed on, the
rules of its goals, how it favours klussen in the person's own suggestions, and the small counts
that HR's overview of standing candidates must not show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from klussenbank.domain.fields import MAX_PERIOD, FieldError
from klussenbank.domain.klus import Klus
from klussenbank.domain.matching import Match, Reason
from klussenbank.domain.skills import SkillVocabulary

MAX_GOAL_SKILLS = 10
MAX_GOAL_HOURS = 2000  # hours over the whole track
# How much a klus that serves the track's goals moves up in the person's own list: about one
# hours-or-period step, so it favours without hiding better fits.
TRACK_BOOST = 0.08
# HR's overview of standing candidates shows no count below this: a "1" in a small team names someone.
MIN_COUNT_SHOWN = 3
HOURS_BANDS: tuple[tuple[int, int], ...] = ((1, 8), (9, 16), (17, 40))


class TrackKind(StrEnum):
    REINTEGRATION = "reintegration"
    CAREER = "career"
    OTHER = "other"


class TrackStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"  # the person ended their consent; the details go after the retention period


class TrackEventKind(StrEnum):
    STARTED = "started"
    SUGGESTED = "suggested"  # the adviser suggested a klus
    ENDED = "ended"


@dataclass(frozen=True)
class TrackGoals:
    skills: tuple[str, ...]  # skills to learn, from the vocabulary
    hours: int  # hours of klussen over the track
    until: date


@dataclass(frozen=True)
class Track:
    id: int
    person_id: str
    organisation_key: str
    adviser_id: str
    kind: TrackKind
    goals: TrackGoals
    status: TrackStatus
    started_at: datetime
    ended_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status is TrackStatus.ACTIVE


@dataclass(frozen=True)
class TrackEvent:
    at: datetime
    kind: TrackEventKind
    klus_title: str = ""


def check_goals(goals: TrackGoals, vocabulary: SkillVocabulary, today: date) -> tuple[FieldError, ...]:
    errors: list[FieldError] = []
    if not goals.skills:
        errors.append(FieldError("skills", "no_skill"))
    elif len(goals.skills) > MAX_GOAL_SKILLS:
        errors.append(FieldError("skills", "too_many_skills", {"max": MAX_GOAL_SKILLS}))
    elif any(s not in vocabulary for s in goals.skills):
        errors.append(FieldError("skills", "unknown_skill"))
    if not 1 <= goals.hours <= MAX_GOAL_HOURS:
        errors.append(FieldError("hours", "hours_range", {"min": 1, "max": MAX_GOAL_HOURS}))
    if goals.until <= today:
        errors.append(FieldError("until", "pause_in_past"))
    elif goals.until - today > MAX_PERIOD:
        errors.append(FieldError("until", "period_too_long"))
    return tuple(errors)


def goals_served(klus: Klus, goal_skills: Iterable[str]) -> tuple[str, ...]:
    """The track's skills that this klus asks for (required or nice to have), in the goals' order."""
    asked = {*klus.required_skills, *klus.nice_skills}
    return tuple(s for s in goal_skills if s in asked)


def favour_track(
    matches: list[Match], klussen: Mapping[int, Klus], goal_skills: tuple[str, ...]
) -> list[Match]:
    """The person's own list with the klussen that serve their track moved up a little, each with a
    reason that says so to them. The reason weighs nothing in the score (a score stays the sum of its
    reasons); the boost only orders. Never used for a poster's candidates."""
    boosted: list[tuple[float, int, Match]] = []
    for position, match in enumerate(matches):
        served = goals_served(klussen[match.klus_id], goal_skills)
        if served:
            match = replace(match, reasons=(*match.reasons, Reason("track", {}, 1.0, 0.0, skills=served)))
        boosted.append((-(match.score + (TRACK_BOOST if served else 0.0)), position, match))
    return [match for *_, match in sorted(boosted, key=lambda entry: (entry[0], entry[1]))]


def shown_count(count: int) -> int | None:
    """A count HR may see; None when it is too small to show ("<3")."""
    return count if count >= MIN_COUNT_SHOWN else None


def hours_band(hours: int) -> int:
    """The index in HOURS_BANDS of these hours per week."""
    return next(
        (i for i, (low, high) in enumerate(HOURS_BANDS) if low <= hours <= high), len(HOURS_BANDS) - 1
    )
