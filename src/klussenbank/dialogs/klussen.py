"""Posting a klus: the klus form and its round trip with errors, editing, the poster's list, and
cancelling (asked first)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from klussenbank.cards.elements import Element
from klussenbank.cards.klus import cancel_confirm_card, my_klussen_card, posted_card
from klussenbank.cards.klus_form import klus_form_card
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, on_record, refused
from klussenbank.domain.klus import KlusDraft, Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import KlusFormView, Refusal
from klussenbank.verbs import KlusInput as F
from klussenbank.verbs import Verb

router = Router()


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
        learning_skills=inputs.choices(F.LEARNING_SKILLS),
        leerklus=inputs.flag(F.LEERKLUS, default=False),
    )
    return replace(draft, unreadable=inputs.unreadable)


def parse_klus_id(data: object) -> int | None:
    return record_id(data, F.KLUS_ID)


@router.verb(Verb.KLUS_NEW)
@router.command("post_klus")
async def on_klus_new(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(
        await services.posting.form(actor), turn.t, partial(klus_form_card, typeahead=turn.typeahead)
    )


@router.verb(Verb.KLUS_EDIT)
async def on_klus_edit(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await on_record(
        parse_klus_id(turn.data), "klus_not_found", lambda k: services.posting.form(actor, k)
    )
    return on_card(result, turn.t, partial(klus_form_card, typeahead=turn.typeahead))


@router.verb(Verb.KLUS_POST)
async def on_klus_post(services: Services, actor: Actor, turn: Turn) -> Element:
    klus_id = parse_klus_id(turn.data)
    result = await services.posting.post(actor, parse_klus(turn.data), klus_id, once=once_key(turn.data))
    if isinstance(result, Repeated):
        return posted_card(result.result, turn.t, banner=turn.t(ALREADY_DONE))
    if isinstance(result, Refusal | KlusFormView):
        return on_card(result, turn.t, partial(klus_form_card, typeahead=turn.typeahead))
    return posted_card(result, turn.t, banner=turn.t("klus.saved" if klus_id else "klus.posted"))


@router.verb(Verb.KLUS_MINE)
@router.command("my_klussen")
async def on_klus_mine(services: Services, actor: Actor, turn: Turn) -> Element:
    return my_klussen_card(await services.posting.mine(actor), turn.t)


@router.verb(Verb.KLUS_CANCEL)
async def on_klus_cancel(services: Services, actor: Actor, turn: Turn) -> Element:
    klus_id = parse_klus_id(turn.data)
    return cancel_confirm_card(klus_id, turn.t) if klus_id else refused(Refusal("klus_not_found"), turn.t)


@router.verb(Verb.KLUS_CANCEL_CONFIRM)
async def on_klus_cancel_confirm(services: Services, actor: Actor, turn: Turn) -> Element:
    once = once_key(turn.data)
    result = await on_record(
        parse_klus_id(turn.data), "klus_not_found", lambda k: services.posting.cancel(actor, k, once=once)
    )
    if isinstance(result, Refusal):
        return refused(result, turn.t)
    banner = ALREADY_DONE if isinstance(result, Repeated) else "cancel.done"
    return my_klussen_card(await services.posting.mine(actor), turn.t, banner=turn.t(banner))
