"""What matching takes and gives: candidates and their commitments, matches with their reasons, and
the weights of a score's parts (see `scoring` for how they add up)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from klussenbank.domain.people import Availability, WorkMode
from klussenbank.domain.pools import PoolSide

SKILLS_WEIGHT = 0.45  # required and free-text skills together, shared by their numbers
NICE_SKILLS_WEIGHT = 0.10
HOURS_WEIGHT = 0.15
PERIOD_WEIGHT = 0.15
WORK_MODE_WEIGHT = 0.10
PLACE_WEIGHT = 0.05
# Weak evidence, only ever for: the klus's title or description names a skill the person owns.
MENTIONED_WEIGHT = 0.10
# Also only ever for: the klus asks (nice-to-have) or offers a skill the person wants to learn.
LEARNING_WEIGHT = 0.10
# And: a skill the klus asks was confirmed by an earlier poster (counts more than self-declared).
CONFIRMED_WEIGHT = 0.05
# The reasons that only ever lift a score, in their order after the skill reasons.
LIFT_WEIGHTS = (MENTIONED_WEIGHT, LEARNING_WEIGHT, CONFIRMED_WEIGHT)
NEAR_EQUAL = 0.02  # scores in the same band of this width count as equal when ranking people

# (klus work mode, person work mode) -> fit. A hybrid person does either; a hybrid klus half suits
# someone who only wants one of the two. A fit of 0 is a hard filter: someone who chose to work only
# from home never gets an on-site klus, nor someone who chose only on site a remote one.
WORK_MODE_FIT: Mapping[tuple[WorkMode, WorkMode], float] = MappingProxyType(
    {
        (WorkMode.ON_SITE, WorkMode.ON_SITE): 1.0,
        (WorkMode.ON_SITE, WorkMode.HYBRID): 1.0,
        (WorkMode.ON_SITE, WorkMode.REMOTE): 0.0,
        (WorkMode.REMOTE, WorkMode.REMOTE): 1.0,
        (WorkMode.REMOTE, WorkMode.HYBRID): 1.0,
        (WorkMode.REMOTE, WorkMode.ON_SITE): 0.0,
        (WorkMode.HYBRID, WorkMode.HYBRID): 1.0,
        (WorkMode.HYBRID, WorkMode.ON_SITE): 0.5,
        (WorkMode.HYBRID, WorkMode.REMOTE): 0.5,
    }
)


@dataclass(frozen=True)
class Commitment:
    """Hours a person already committed to (confirmed or approved matches)."""

    start_date: date
    end_date: date
    hours_per_week: int


@dataclass(frozen=True)
class Candidate:
    """A person as the matcher sees them."""

    person_id: str
    organisation_key: str
    availability: Availability
    commitments: tuple[Commitment, ...] = ()
    recent_matches: int = 0  # klussen they got in the last 90 days
    times_passed_over: int = 0  # suggested or interested recently, but not chosen
    confirmed_skills: tuple[str, ...] = ()  # confirmed by posters after earlier klussen (not hidden)
    # Their pools (with onboarding steps done), qualifications and unavailable periods.
    side: PoolSide = field(default_factory=PoolSide)


@dataclass(frozen=True)
class Reason:
    """One part of a match's explanation; the cards render it from the message catalogs."""

    code: str
    params: Mapping[str, int | str]
    value: float  # in [0, 1]
    weight: float
    # Of a skills reason, what the klus asks that the person brings, in the klus's order: skill ids
    # (free-text skills: the klus's own words), in `skills` when they have it, in `related` when they
    # have something close to it (a related skill, or half the words).
    skills: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A person for a klus, with the score and the reasons it is made of."""

    klus_id: int
    person_id: str
    score: float  # round(sum(value * weight) / sum(weight), 4) over the reasons
    reasons: tuple[Reason, ...]
