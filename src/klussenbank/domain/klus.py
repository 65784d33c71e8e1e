"""The work side of the pool: a klus, its rules, and the people who show interest or are chosen."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from klussenbank.domain.fields import Checks, FieldError
from klussenbank.domain.people import WorkMode
from klussenbank.domain.skills import SkillVocabulary

MAX_TITLE = 80
MAX_DESCRIPTION = 2000
MAX_PLACE = 80
MAX_PEOPLE = 20
MAX_MOTIVATION = 1000
DEFAULT_INTERNAL_FIRST = timedelta(days=14)


class KlusStatus(StrEnum):
    """open -> filled / cancelled / expired; filled -> in progress -> completed."""

    OPEN = "open"
    FILLED = "filled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Visibility(StrEnum):
    ORGANISATION = "organisation"  # only people of the klus's own organisation
    POOL = "pool"  # everyone in the pool willing to work for that organisation


@dataclass(frozen=True)
class Klus:
    id: int
    poster_id: str
    organisation_key: str
    title: str
    description: str
    required_skills: tuple[str, ...]
    nice_skills: tuple[str, ...]
    free_skills: tuple[str, ...]
    hours_per_week: int
    start_date: date
    end_date: date
    work_mode: WorkMode
    place: str
    people_needed: int
    interest_deadline: date
    visibility: Visibility
    internal_first_until: date
    status: KlusStatus = KlusStatus.OPEN
    created_at: datetime | None = None
    # Skills someone can learn here, and whether it is a leerklus (shadowing, learning on the job): there
    # someone who wants to learn one of its skills passes the skill filter (see `matching.scoring`).
    learning_skills: tuple[str, ...] = ()
    leerklus: bool = False
    # A klus in a pool run by a coordinator (a pool key of the organisations file; "" for none):
    # only the pool's members whose onboarding is done fit it. The qualifications it requires (names
    # from the pool's list) are hard filters too (see domain.pools, domain.matching.scoring).
    pool_key: str = ""
    qualifications: tuple[str, ...] = ()
    # A talent search read as a klus (`domain.talent.search_klus`): its free words also meet the own
    # text of people who made their profile findable, which nothing else reads.
    talent_search: bool = False

    def open_on(self, today: date) -> bool:
        return self.status is KlusStatus.OPEN and today <= self.interest_deadline

    def with_status(self, status: KlusStatus) -> Klus:
        return replace(self, status=status)


@dataclass(frozen=True)
class KlusDraft:
    """A klus as the poster submitted it; None where a value is missing or unreadable."""

    title: str = ""
    description: str = ""
    organisation: str = ""
    required_skills: tuple[str, ...] = ()
    nice_skills: tuple[str, ...] = ()
    skills_other: str = ""
    hours_per_week: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    work_mode: WorkMode | None = None
    place: str = ""
    people_needed: int | None = None
    interest_deadline: date | None = None
    visibility: Visibility | None = None
    internal_first_until: date | None = None
    learning_skills: tuple[str, ...] = ()
    leerklus: bool = False
    unreadable: tuple[str, ...] = ()
    # A klus in a pool run by a coordinator, and the qualifications it requires (see `Klus`).
    pool_key: str = ""
    qualifications: tuple[str, ...] = ()


def validate_klus(
    draft: KlusDraft,
    *,
    today: date,
    vocabulary: SkillVocabulary,
    organisations: Collection[str],
    klus_id: int = 0,
    poster_id: str = "",
) -> tuple[Klus | None, list[FieldError]]:
    """Return the klus (with the given id and poster), or the errors by field; never both."""
    check = Checks(draft.unreadable)
    title = check.line("title", draft.title, MAX_TITLE, required=True)
    description = check.text("description", draft.description, MAX_DESCRIPTION)
    if not draft.organisation:
        check.missing("organisation")
    elif draft.organisation not in organisations:
        check.add("organisation", "unknown_choice")

    required, free = check.skills(
        draft.required_skills, draft.skills_other, vocabulary, field="required_skills", needed=True
    )
    nice = tuple(skill for skill in dict.fromkeys(draft.nice_skills) if skill not in required)
    if any(skill not in vocabulary for skill in nice):
        check.add("nice_skills", "unknown_skill")
    learning = tuple(dict.fromkeys(draft.learning_skills))
    if any(skill not in vocabulary for skill in learning):
        check.add("learning_skills", "unknown_skill")
    check.hours(draft.hours_per_week)
    check.period(draft.start_date, draft.end_date, today=today, end_required=True)
    if draft.work_mode is None:
        check.missing("work_mode")
    place = check.line("place", draft.place, MAX_PLACE)
    if not place and draft.work_mode in (WorkMode.ON_SITE, WorkMode.HYBRID):
        check.add("place", "place_required")
    if draft.work_mode is WorkMode.REMOTE:
        place = ""  # no place of work (the form fills one in for the other modes)
    people = draft.people_needed
    if people is None:
        check.missing("people_needed")
    elif not 1 <= people <= MAX_PEOPLE:
        check.add("people_needed", "people_range", min=1, max=MAX_PEOPLE)
    deadline = draft.interest_deadline
    if deadline is None:
        check.missing("interest_deadline")
    elif deadline < today:
        check.add("interest_deadline", "in_past")
    elif draft.end_date is not None and deadline > draft.end_date:
        check.add("interest_deadline", "deadline_after_end")
    if draft.internal_first_until is not None and draft.internal_first_until < today:
        check.add("internal_first_until", "in_past")

    if check.errors:
        return None, check.errors
    assert draft.hours_per_week is not None and draft.start_date is not None and draft.end_date is not None
    assert draft.work_mode is not None and people is not None and deadline is not None
    return (
        Klus(
            id=klus_id,
            poster_id=poster_id,
            organisation_key=draft.organisation,
            title=title,
            description=description,
            required_skills=required,
            nice_skills=nice,
            free_skills=free,
            hours_per_week=draft.hours_per_week,
            start_date=draft.start_date,
            end_date=draft.end_date,
            work_mode=draft.work_mode,
            place=place,
            people_needed=people,
            interest_deadline=deadline,
            visibility=draft.visibility or Visibility.POOL,
            internal_first_until=draft.internal_first_until or today + DEFAULT_INTERNAL_FIRST,
            learning_skills=learning,
            leerklus=draft.leerklus,
            pool_key=draft.pool_key,
            qualifications=tuple(dict.fromkeys(draft.qualifications)),
        ),
        [],
    )


class InterestStatus(StrEnum):
    """How a candidate stands on a klus.

    interested -> chosen (the poster picked them) -> confirmed (they said yes: waiting for approval)
    or declined (they said no); confirmed -> approved (an active match) or not_approved (declined
    by the approver, or no decision in time); interested -> withdrawn (by the candidate) or
    not_chosen (the klus was filled or cancelled without them). `invited` is a suggestion the
    poster asked to react.
    """

    INVITED = "invited"
    INTERESTED = "interested"
    WITHDRAWN = "withdrawn"
    CHOSEN = "chosen"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    NOT_CHOSEN = "not_chosen"


# Still in the running for a klus: told "not chosen" when it closes without them.
IN_THE_RUNNING = (InterestStatus.INVITED, InterestStatus.INTERESTED, InterestStatus.CHOSEN)
# Takes one of the places the klus has.
TAKES_A_PLACE = (InterestStatus.CHOSEN, InterestStatus.CONFIRMED, InterestStatus.APPROVED)
# Holds the candidate's hours: they said yes (waiting for approval, or approved).
HOLDS_HOURS = (InterestStatus.CONFIRMED, InterestStatus.APPROVED)
# Past the poster's choice: a second click on an old card is "already done".
DECIDED = (
    InterestStatus.CHOSEN,
    InterestStatus.CONFIRMED,
    InterestStatus.DECLINED,
    InterestStatus.APPROVED,
    InterestStatus.NOT_APPROVED,
    InterestStatus.NOT_CHOSEN,
)
# Showed interest at some point (an invitation alone is not interest): interested now, or decided on since.
SHOWED_INTEREST = (InterestStatus.INTERESTED, *DECIDED)


@dataclass(frozen=True)
class Interest:
    klus_id: int
    person_id: str
    status: InterestStatus
    motivation: str = ""
    created_at: datetime | None = None
