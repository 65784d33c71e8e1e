"""Reading the hours and evaluation cards."""

from __future__ import annotations

from datetime import date

from klussenbank.dialogs.inputs import Inputs
from klussenbank.domain.work import EvaluationDraft
from klussenbank.verbs import WorkInput as W


def parse_hours(data: object, key: W = W.HOURS) -> tuple[date | None, float | None, tuple[str, ...]]:
    """The month (as sent by the card) and the hours in `key` (typed, or the ones the poster's
    card showed); and what could not be read."""
    inputs = Inputs(data)
    month = inputs.day(W.MONTH)
    raw = inputs.text(key).replace(",", ".")
    hours: float | None = None
    if raw:
        try:
            hours = float(raw)
        except ValueError:
            return month, None, (*inputs.unreadable, key.value)
        if hours != hours or hours in (float("inf"), float("-inf")):  # NaN, infinity
            return month, None, (*inputs.unreadable, key.value)
    return month, hours, inputs.unreadable


def parse_evaluation(data: object) -> EvaluationDraft:
    inputs = Inputs(data)
    again = inputs.text(W.AGAIN).lower()
    return EvaluationDraft(
        score=inputs.number(W.SCORE),
        went_well=inputs.text(W.WENT_WELL),
        could_be_better=inputs.text(W.COULD_BE_BETTER),
        again={"true": True, "false": False}.get(again),
        skills=inputs.choices(W.SKILLS),
        add_skills=inputs.flag(W.ADD_SKILLS, default=False),
        unreadable=inputs.unreadable,
    )
