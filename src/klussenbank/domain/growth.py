"""Growth: skills confirmed by posters, and the monthly pulse ("Hoe bevalt Klussenbank? Wat mis je?").

**The pulse.** At most once a month, and only for people who *used* Klussenbank that month: a turn
of theirs that did something that is stored with its moment — they signed up or changed their profile
(or paused it), posted a klus, showed interest in one, reported hours, or decided on an approval.
Reading cards, help and search do not count. It is sent from `PULSE_FROM_DAY` of the month, so that
the month's use is behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

PULSE_FROM_DAY = 20
PULSE_SCORES = range(1, 6)
MAX_PULSE_TEXT = 1000


def pulse_month(today: date) -> date | None:
    """The month whose pulse may be sent today (its first day), or None before `PULSE_FROM_DAY`."""
    return today.replace(day=1) if today.day >= PULSE_FROM_DAY else None


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True)
class ConfirmedSkill:
    """A skill of a person that posters confirmed: by how many of their matches, and whether hidden."""

    skill: str
    count: int
    hidden: bool


@dataclass(frozen=True)
class PulseAnswer:
    score: int
    text: str
    name: str  # only when they chose to sign; else empty


@dataclass(frozen=True)
class PulseSummary:
    """What HR sees of the pulse: no names, unless someone signed their text."""

    answers: int
    average: float | None
    per_score: tuple[tuple[int, int], ...]  # (score, how many), for every score 1..5
    texts: tuple[tuple[str, str], ...]  # (text, name or ""), newest first


def summarise_pulse(answers: Iterable[PulseAnswer]) -> PulseSummary:
    answers = list(answers)
    counts = Counter(a.score for a in answers)
    return PulseSummary(
        answers=len(answers),
        average=round(sum(a.score for a in answers) / len(answers), 1) if answers else None,
        per_score=tuple((score, counts[score]) for score in PULSE_SCORES),
        texts=tuple((a.text, a.name) for a in answers if a.text),
    )


NO_PULSE = summarise_pulse(())
