"""The people side of the pool: organisations, people and their availability."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum


class WorkMode(StrEnum):
    ON_SITE = "on_site"
    REMOTE = "remote"
    HYBRID = "hybrid"


class AvailabilityStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"


WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str


@dataclass(frozen=True)
class Person:
    aad_object_id: str
    tenant_id: str
    name: str
    email: str
    organisation_key: str
    locale: str
    welcomed_at: datetime | None = None


@dataclass(frozen=True)
class Availability:
    """What a person offers: skills, hours, period and where they are willing to work."""

    skills: tuple[str, ...]
    free_skills: tuple[str, ...]
    hours_per_week: int
    start_date: date
    end_date: date | None
    weekdays: tuple[str, ...]
    organisations: tuple[str, ...]
    work_mode: WorkMode
    intro: str
    status: AvailabilityStatus = AvailabilityStatus.ACTIVE
    paused_until: date | None = None
    # Send me new klussen that fit me (one tap on such a card turns it off).
    suggestions: bool = True
    # A poster never sees the people in their own reporting line among suggestions, unless they allow it.
    visible_to_own_line: bool = False
    # Colleagues may find me in a talent search (off by default), with what I am good at / like to do.
    findable: bool = False
    talent_text: str = ""
    # What they want to learn: skills from the vocabulary, and in their own words.
    learning_skills: tuple[str, ...] = ()
    learning_other: tuple[str, ...] = ()

    def status_on(self, today: date) -> AvailabilityStatus:
        """A pause ends by itself: after its last day the person is active again."""
        if (
            self.status is AvailabilityStatus.PAUSED
            and self.paused_until is not None
            and self.paused_until < today
        ):
            return AvailabilityStatus.ACTIVE
        return self.status

    def paused(self, until: date) -> Availability:
        return replace(self, status=AvailabilityStatus.PAUSED, paused_until=until)

    def resumed(self) -> Availability:
        return replace(self, status=AvailabilityStatus.ACTIVE, paused_until=None)

    def withdrawn(self) -> Availability:
        return replace(self, status=AvailabilityStatus.WITHDRAWN, paused_until=None)


def hidden_from_own_line(line: Iterable[str], allowed: Collection[str]) -> frozenset[str]:
    """The manager-blind rule, the one rule for every way of finding people (a poster's suggestions,
    a talent search): someone never sees the people in their own reporting line (`line`: direct and
    indirect reports) unless those people allowed it (`allowed`: they switched on
    `visible_to_own_line`). So a manager can never learn that their own staff are in the pool."""
    return frozenset(person for person in line if person not in allowed)
