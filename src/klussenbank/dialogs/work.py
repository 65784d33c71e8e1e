"""The work after a match: a month's hours (reported, checked, corrected), ending the work (asked
first), and both sides' evaluations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from klussenbank.cards.approval import approval_card
from klussenbank.cards.elements import Element
from klussenbank.cards.work import evaluation_card, evaluations_card, hours_card, work_complete_confirm_card
from klussenbank.dialogs.approvals import parse_approval_id
from klussenbank.dialogs.inputs import Inputs, once_key
from klussenbank.dialogs.reports import parse_report
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, on_record, refused
from klussenbank.domain.work import EvaluationDraft, HoursDraft
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import EvaluationView, HoursView, Refusal
from klussenbank.verbs import Verb
from klussenbank.verbs import WorkInput as W

router = Router()


def parse_hours(data: object, key: W = W.HOURS) -> HoursDraft:
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
            return HoursDraft(month, None, (*inputs.unreadable, key.value))
        if hours != hours or hours in (float("inf"), float("-inf")):  # NaN, infinity
            return HoursDraft(month, None, (*inputs.unreadable, key.value))
    return HoursDraft(month, hours, inputs.unreadable)


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


@router.verb(Verb.HOURS_SHOW)
async def on_hours_show(services: Services, actor: Actor, turn: Turn) -> Element:
    month = parse_hours(turn.data).month
    return await _on_work(turn, lambda a: services.hours.hours(actor, a, month))


@router.verb(Verb.HOURS_REPORT)
async def on_hours_report(services: Services, actor: Actor, turn: Turn) -> Element:
    draft = parse_hours(turn.data)
    return await _on_work(turn, lambda a: services.hours.report_hours(actor, a, draft))


@router.verb(Verb.HOURS_CHECK)
async def on_hours_check(services: Services, actor: Actor, turn: Turn) -> Element:
    """The "Hours are right" button: exactly the hours the card showed, whatever is in the box."""
    draft = parse_hours(turn.data, W.SHOWN)
    return await _on_work(turn, lambda a: services.hours.correct_hours(actor, a, draft, shown=draft.hours))


@router.verb(Verb.HOURS_CORRECT)
async def on_hours_correct(services: Services, actor: Actor, turn: Turn) -> Element:
    draft = parse_hours(turn.data)
    shown = parse_hours(turn.data, W.SHOWN).hours
    return await _on_work(turn, lambda a: services.hours.correct_hours(actor, a, draft, shown=shown))


@router.verb(Verb.WORK_COMPLETE)
async def on_work_complete(services: Services, actor: Actor, turn: Turn) -> Element:
    """Only asks whether the work is really done: the confirmation ends it."""
    approval_id = parse_approval_id(turn.data)
    month = parse_hours(turn.data).month
    if not approval_id:
        return refused(Refusal("match_not_found"), turn.t)
    return work_complete_confirm_card(approval_id, month, turn.t)


@router.verb(Verb.WORK_COMPLETE_CONFIRM)
async def on_work_complete_confirm(services: Services, actor: Actor, turn: Turn) -> Element:
    """The card pressed shows the match's status again; the evaluation comes as its own message."""
    approval_id = parse_approval_id(turn.data)
    if not approval_id:
        return refused(Refusal("match_not_found"), turn.t)
    ended = await services.work.complete(actor, approval_id, once=once_key(turn.data))
    shown = ended if isinstance(ended, Refusal) else await services.approvals.show(actor, approval_id)
    if isinstance(shown, Refusal):
        return refused(shown, turn.t)
    return approval_card(
        replace(shown, banner="work.completed" if ended else "work.already_completed"), turn.t
    )


@router.verb(Verb.EVALUATION_SEND)
async def on_evaluation_send(services: Services, actor: Actor, turn: Turn) -> Element:
    draft, once = parse_evaluation(turn.data), once_key(turn.data)
    return await _on_work(turn, lambda a: services.work.evaluate(actor, a, draft, once=once))


@router.verb(Verb.EVALUATIONS_SHOW)
async def on_evaluations_show(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await on_record(
        parse_approval_id(turn.data), "match_not_found", lambda a: services.work.evaluations(actor, a)
    )
    report = parse_report(turn.data)  # from the HR list: its report
    return on_card(result, turn.t, lambda view, t: evaluations_card(view, t, report))


async def _on_work(
    turn: Turn, action: Callable[[int], Awaitable[HoursView | EvaluationView | Refusal]]
) -> Element:
    result = await on_record(parse_approval_id(turn.data), "match_not_found", action)
    if isinstance(result, Refusal):
        return refused(result, turn.t)
    return hours_card(result, turn.t) if isinstance(result, HoursView) else evaluation_card(result, turn.t)
