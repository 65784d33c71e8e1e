"""Reading the klus cards' inputs: the klus form, and the ids and motivation other actions carry."""

from __future__ import annotations

from dataclasses import replace

from klussenbank.dialogs.inputs import Inputs
from klussenbank.domain.klus import KlusDraft, Visibility
from klussenbank.domain.model import WorkMode
from klussenbank.services.views import OfferFilters
from klussenbank.verbs import KlusInput as F


def parse_klus(data: object) -> KlusDraft:
    inputs = Inputs(data)
    draft = KlusDraft(
        title=inputs.text(F.TITLE),
        description=inputs.text(F.DESCRIPTION),
        organisation=inputs.text(F.ORGANISATION),
        required_skills=inputs.choices(F.REQUIRED_SKILLS),
        nice_skills=inputs.choices(F.NICE_SKILLS),
        skills_other=inputs.text(F.SKILLS_OTHER),
        hours_per_week=inputs.number(F.HOURS_PER_WEEK),
        start_date=inputs.day(F.START_DATE),
        end_date=inputs.day(F.END_DATE),
        work_mode=inputs.choice(F.WORK_MODE, WorkMode),
        place=inputs.text(F.PLACE),
        people_needed=inputs.number(F.PEOPLE_NEEDED),
        interest_deadline=inputs.day(F.INTEREST_DEADLINE),
        visibility=inputs.choice(F.VISIBILITY, Visibility),
        internal_first_until=inputs.day(F.INTERNAL_FIRST_UNTIL),
    )
    return replace(draft, unreadable=inputs.unreadable)


def parse_klus_id(data: object) -> int | None:
    """The klus an action is about; None when the card sent no usable id."""
    inputs = Inputs(data)
    klus_id = inputs.number(F.KLUS_ID)
    return klus_id if klus_id is not None and not inputs.unreadable and 0 < klus_id < 2**31 else None


def parse_person_id(data: object) -> str | None:
    person_id = Inputs(data).text(F.PERSON_ID)
    return person_id if 0 < len(person_id) <= 64 else None


def parse_motivation(data: object) -> str:
    # Not cut short here: the service refuses an over-long motivation with a message.
    return Inputs(data).text(F.MOTIVATION)


def parse_share_motivation(data: object) -> bool:
    """The candidate's choice, when confirming, to show their motivation to their manager."""
    return Inputs(data).flag(F.SHARE_MOTIVATION, default=False)


def parse_filters(data: object) -> OfferFilters:
    """The filters on the list of open klussen; anything unreadable is simply no filter."""
    inputs = Inputs(data)
    max_hours = inputs.number(F.FILTER_MAX_HOURS)
    return OfferFilters(
        organisation=inputs.text(F.FILTER_ORGANISATION)[:64] or None,
        remote=inputs.flag(F.FILTER_REMOTE, default=False),
        max_hours=max_hours if max_hours is not None and max_hours > 0 else None,
    )
