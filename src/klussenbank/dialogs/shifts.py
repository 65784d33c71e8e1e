"""Requests by shift and the coordinator's work: the form, the open requests, proposing people, and
the planning board."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from klussenbank.cards.elements import Element
from klussenbank.cards.shifts import (
    coordinator_card,
    open_requests_card,
    planning_card,
    shift_form_card,
    shift_request_card,
)
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, on_record, refused
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.planning import week_of
from klussenbank.services.ports.records import Actor
from klussenbank.services.shifts import ShiftDraft, ShiftFormView
from klussenbank.services.views import Refusal
from klussenbank.verbs import KlusInput as F
from klussenbank.verbs import ShiftInput, Verb

router = Router()


def parse_shift_request(data: object) -> ShiftDraft:
    inputs = Inputs(data)
    draft = ShiftDraft(
        title=inputs.text(F.TITLE),
        description=inputs.text(F.DESCRIPTION),
        organisation=inputs.text(F.ORGANISATION),
        required_skills=inputs.choices(F.REQUIRED_SKILLS),
        skills_other=inputs.text(F.SKILLS_OTHER),
        place=inputs.text(F.PLACE),
        shifts=inputs.text(ShiftInput.SHIFTS),
        people_needed=inputs.number(F.PEOPLE_NEEDED),
        pool=inputs.text(ShiftInput.POOL),
        qualifications=inputs.choices(ShiftInput.QUALIFICATIONS),
    )
    return replace(draft, unreadable=inputs.unreadable)


@router.verb(Verb.SHIFTS_NEW)
@router.command("request_shifts")
async def on_shifts_new(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(
        await services.shifts.form(actor), turn.t, partial(shift_form_card, typeahead=turn.typeahead)
    )


@router.verb(Verb.SHIFTS_POST)
async def on_shifts_post(services: Services, actor: Actor, turn: Turn) -> Element:
    t = turn.t
    result = await services.shifts.post(actor, parse_shift_request(turn.data), once=once_key(turn.data))
    if isinstance(result, Refusal):
        return refused(result, t)
    if isinstance(result, ShiftFormView):
        return shift_form_card(result, t, typeahead=turn.typeahead)
    if isinstance(result, Repeated):
        return shift_request_card(result.result, t, banner=t(ALREADY_DONE))
    return shift_request_card(result, t, banner=t("shifts.posted"))


@router.verb(Verb.SHIFTS_OPEN)
@router.command("open_shifts")
async def on_shifts_open(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(await services.shifts.open_requests(actor), turn.t, open_requests_card)


@router.verb(Verb.SHIFTS_CANDIDATES)
async def on_shifts_candidates(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await on_record(
        record_id(turn.data, F.KLUS_ID), "klus_not_found", lambda k: services.shifts.candidates(actor, k)
    )
    return on_card(result, turn.t, coordinator_card)


@router.verb(Verb.SHIFTS_PROPOSE)
async def on_shifts_propose(services: Services, actor: Actor, turn: Turn) -> Element:
    person_id, once = Inputs(turn.data).text(F.PERSON_ID), once_key(turn.data)
    result = await on_record(
        record_id(turn.data, F.KLUS_ID),
        "klus_not_found",
        lambda k: services.shifts.propose(actor, k, person_id, once=once),
    )
    if isinstance(result, Repeated):
        result = replace(result.result, banner=ALREADY_DONE)
    assert not isinstance(result, Repeated)
    return on_card(result, turn.t, coordinator_card)


@router.verb(Verb.PLANNING_SHOW)
@router.command("planning", also=("planning board", "planbord"))
async def on_planning_show(services: Services, actor: Actor, turn: Turn) -> Element:
    inputs = Inputs(turn.data)
    week = week_of(inputs.text(ShiftInput.WEEK))
    view = await services.planning.board(actor, week, inputs.text(ShiftInput.SCOPE))
    return planning_card(view, turn.t)
