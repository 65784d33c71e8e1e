"""Every card verb and the input ids its payload carries: shared by builders and handlers."""

from __future__ import annotations

from enum import StrEnum


class Verb(StrEnum):
    HELP_SHOW = "help.show"
    PROFILE_SHOW = "profile.show"
    AVAILABILITY_EDIT = "availability.edit"
    AVAILABILITY_SAVE = "availability.save"
    AVAILABILITY_PAUSE = "availability.pause"
    AVAILABILITY_RESUME = "availability.resume"
    AVAILABILITY_WITHDRAW = "availability.withdraw"
    AVAILABILITY_WITHDRAW_CONFIRM = "availability.withdraw.confirm"


class AvailabilityInput(StrEnum):
    """Input ids of the sign-up card; `availability.save` sends them back."""

    SKILLS = "skills"
    SKILLS_OTHER = "skills_other"
    HOURS_PER_WEEK = "hours_per_week"
    START_DATE = "start_date"
    END_DATE = "end_date"
    WEEKDAYS = "weekdays"
    ORGANISATIONS = "organisations"
    WORK_MODE = "work_mode"
    INTRO = "intro"


class PauseInput(StrEnum):
    """Input id of the pause card; `availability.pause` sends it back."""

    PAUSED_UNTIL = "paused_until"
