"""Reading the sign-up and pause cards' inputs: whatever the client sends, typed or refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from klussenbank.cards.verbs import AvailabilityInput as F
from klussenbank.cards.verbs import PauseInput
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.model import WorkMode

# Inputs are user text; bound what we even look at so a hostile payload costs nothing.
_MAX_TEXT = 5000
_MAX_CHOICES = 200


def parse_availability(data: object) -> AvailabilityDraft:
    values = data if isinstance(data, Mapping) else {}
    unreadable: list[str] = []

    def text(key: str) -> str:
        value = values.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)[:_MAX_TEXT].strip()
        unreadable.append(key)
        return ""

    def choices(key: str) -> tuple[str, ...]:
        raw = text(key)
        parts = [part.strip() for part in raw.split(",")[:_MAX_CHOICES]]
        return tuple(dict.fromkeys(part for part in parts if part))

    def number(key: str) -> int | None:
        raw = text(key)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            unreadable.append(key)
            return None
        if not value.is_integer():
            unreadable.append(key)
            return None
        return int(value)

    def day(key: str) -> date | None:
        return _date(text(key), key, unreadable)

    work_mode_text = text(F.WORK_MODE)
    work_mode: WorkMode | None = None
    if work_mode_text:
        try:
            work_mode = WorkMode(work_mode_text)
        except ValueError:
            unreadable.append(F.WORK_MODE)

    draft = AvailabilityDraft(
        skills=choices(F.SKILLS),
        skills_other=text(F.SKILLS_OTHER),
        hours_per_week=number(F.HOURS_PER_WEEK),
        start_date=day(F.START_DATE),
        end_date=day(F.END_DATE),
        weekdays=choices(F.WEEKDAYS),
        organisations=choices(F.ORGANISATIONS),
        work_mode=work_mode,
        intro=text(F.INTRO),
    )
    return replace(draft, unreadable=tuple(dict.fromkeys(unreadable)))


def parse_pause_until(data: object) -> date | None:
    """The chosen date; anything that is not a date counts as no date."""
    values = data if isinstance(data, Mapping) else {}
    raw = values.get(PauseInput.PAUSED_UNTIL)
    return _date(raw, PauseInput.PAUSED_UNTIL, []) if isinstance(raw, str) else None


def _date(raw: str, key: str, unreadable: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        unreadable.append(key)
        return None
