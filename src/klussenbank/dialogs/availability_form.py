"""Reading the sign-up and pause cards' inputs: whatever the client sends, typed or refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from klussenbank.dialogs.inputs import Inputs
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.model import WorkMode
from klussenbank.verbs import AvailabilityInput as F
from klussenbank.verbs import PauseInput


def parse_availability(data: object) -> AvailabilityDraft:
    inputs = Inputs(data)
    draft = AvailabilityDraft(
        skills=inputs.choices(F.SKILLS),
        skills_other=inputs.text(F.SKILLS_OTHER),
        hours_per_week=inputs.number(F.HOURS_PER_WEEK),
        start_date=inputs.day(F.START_DATE),
        end_date=inputs.day(F.END_DATE),
        weekdays=inputs.choices(F.WEEKDAYS),
        organisations=inputs.choices(F.ORGANISATIONS),
        work_mode=inputs.choice(F.WORK_MODE, WorkMode),
        intro=inputs.text(F.INTRO),
        suggestions=inputs.flag(F.SUGGESTIONS, default=True),
        visible_to_own_line=inputs.flag(F.VISIBLE_TO_OWN_LINE, default=False),
    )
    return replace(draft, unreadable=inputs.unreadable)


def parse_pause_until(data: object) -> date | None:
    """The chosen date; anything that is not a date counts as no date."""
    return Inputs(data).day(PauseInput.PAUSED_UNTIL)
