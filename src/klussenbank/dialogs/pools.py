"""Pools run by a coordinator: `pool` / `flexpool` (the coordinator's card), `wie mist wat` (who
lacks a qualification for open requests) and `niet beschikbaar` (a person's unavailable periods,
qualifications and onboarding). The services check the actor's rights on every action."""

from __future__ import annotations

from klussenbank.cards.elements import Element
from klussenbank.cards.pools import lacking_card, my_pool_card, pool_card
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card
from klussenbank.domain.people import WEEKDAYS
from klussenbank.services.pools import PeriodDraft, QualificationDraft
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import PoolInput, Verb

router = Router()


def _pool(turn: Turn) -> str:
    return Inputs(turn.data).text(PoolInput.POOL)[:64]


@router.verb(Verb.POOL_SHOW)
@router.command("pool", also=("flexpool",))
async def on_pool_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(await services.pools.overview(actor, _pool(turn)), turn.t, pool_card)


@router.verb(Verb.POOL_MEMBER_ADD)
async def on_pool_member_add(services: Services, actor: Actor, turn: Turn) -> Element:
    who = Inputs(turn.data).text(PoolInput.EMAIL)
    result = await services.pools.add_member(actor, _pool(turn), who, once_key(turn.data))
    return on_card(result, turn.t, pool_card)


@router.verb(Verb.POOL_MEMBER_REMOVE)
async def on_pool_member_remove(services: Services, actor: Actor, turn: Turn) -> Element:
    person_id = Inputs(turn.data).text(PoolInput.PERSON_ID)[:64]
    result = await services.pools.remove_member(actor, _pool(turn), person_id, once_key(turn.data))
    return on_card(result, turn.t, pool_card)


@router.verb(Verb.POOL_STEP_DONE)
async def on_pool_step_done(services: Services, actor: Actor, turn: Turn) -> Element:
    inputs = Inputs(turn.data)
    result = await services.pools.tick_step(
        actor, _pool(turn), inputs.text(PoolInput.PERSON_ID), inputs.text(PoolInput.STEP), once_key(turn.data)
    )
    return on_card(result, turn.t, pool_card)


@router.verb(Verb.POOL_QUALIFICATION_RECORD)
async def on_pool_qualification_record(services: Services, actor: Actor, turn: Turn) -> Element:
    inputs = Inputs(turn.data)
    draft = QualificationDraft(
        person_id=inputs.text(PoolInput.PERSON_ID),
        name=inputs.text(PoolInput.QUALIFICATION),
        obtained_on=inputs.day(PoolInput.OBTAINED_ON),
        expires_on=inputs.day(PoolInput.EXPIRES_ON),
        unreadable=inputs.unreadable,
    )
    result = await services.pools.record_qualification(actor, _pool(turn), draft, once_key(turn.data))
    return on_card(result, turn.t, pool_card)


@router.verb(Verb.POOL_LACKING)
@router.command("pool_lacking", also=("wie mist wat",))
async def on_pool_lacking(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(await services.pools.lacking(actor, _pool(turn)), turn.t, lacking_card)


@router.verb(Verb.UNAVAILABLE_SHOW)
@router.command("unavailable", also=("mijn kwalificaties", "my qualifications"))
async def on_unavailable_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return my_pool_card(await services.pools.mine(actor), turn.t)


@router.verb(Verb.UNAVAILABLE_ADD)
async def on_unavailable_add(services: Services, actor: Actor, turn: Turn) -> Element:
    inputs = Inputs(turn.data)
    weekdays = inputs.choices(PoolInput.WEEKDAYS)
    draft = PeriodDraft(
        first_day=inputs.day(PoolInput.FIRST_DAY),
        last_day=inputs.day(PoolInput.LAST_DAY),
        reason=inputs.text(PoolInput.REASON),
        weekdays=tuple(d for d in WEEKDAYS if d in weekdays),
        unreadable=(*inputs.unreadable, *(["weekdays"] if set(weekdays) - set(WEEKDAYS) else [])),
    )
    return my_pool_card(await services.pools.add_period(actor, draft, once_key(turn.data)), turn.t)


@router.verb(Verb.UNAVAILABLE_REMOVE)
async def on_unavailable_remove(services: Services, actor: Actor, turn: Turn) -> Element:
    period_id = record_id(turn.data, PoolInput.PERIOD_ID)
    return my_pool_card(await services.pools.remove_period(actor, period_id or 0), turn.t)
