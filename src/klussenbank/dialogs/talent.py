"""Talents colleagues can find: `talenten zoeken` (a page of findable colleagues who fit), and a
"date": the request, the talent's yes or no, and a larger date as a prefilled klus form."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from klussenbank.cards.elements import Element
from klussenbank.cards.klus_form import klus_form_card
from klussenbank.cards.talent import date_card, date_form_card, talent_results_card, talent_search_card
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, refused
from klussenbank.domain.talent import DateDraft
from klussenbank.i18n import Translator
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.talent import DateFormView, DateView, TalentSearchView
from klussenbank.services.views import KlusFormView, Refusal
from klussenbank.verbs import TalentInput as T
from klussenbank.verbs import Verb

router = Router()


def parse_date(data: object) -> DateDraft:
    inputs = Inputs(data)
    draft = DateDraft(
        text=inputs.text(T.TEXT),
        hours=inputs.number(T.HOURS),
        start_date=inputs.day(T.START),
        end_date=inputs.day(T.END),
    )
    return replace(draft, unreadable=inputs.unreadable)


@router.verb(Verb.TALENT_SEARCH)
@router.command("talent_search")
async def on_talent_search(services: Services, actor: Actor, turn: Turn) -> Element:
    inputs = Inputs(turn.data)
    query = inputs.text(T.QUERY)
    if not query:
        return talent_search_card(TalentSearchView(), turn.t)
    result = await services.talent.search(actor, query, inputs.number(T.PAGE) or 0)
    if isinstance(result, TalentSearchView):
        return talent_search_card(result, turn.t)
    return talent_results_card(result, turn.t)


@router.verb(Verb.TALENT_DATE_NEW)
async def on_talent_date_new(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.talent.date_form(actor, record_id(turn.data, T.REF))
    return on_card(result, turn.t, date_form_card)


@router.verb(Verb.TALENT_DATE_REQUEST)
async def on_talent_date_request(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.talent.request(
        actor, record_id(turn.data, T.REF), parse_date(turn.data), once=once_key(turn.data)
    )
    if isinstance(result, DateFormView):
        return date_form_card(result, turn.t)
    return _date(result, turn.t)


@router.verb(Verb.TALENT_DATE_ACCEPT)
async def on_talent_date_accept(services: Services, actor: Actor, turn: Turn) -> Element:
    date_id = record_id(turn.data, T.DATE_ID)
    if date_id is None:
        return refused(Refusal("date_not_found"), turn.t)
    return _date(await services.talent.accept(actor, date_id, once=once_key(turn.data)), turn.t)


@router.verb(Verb.TALENT_DATE_DECLINE)
async def on_talent_date_decline(services: Services, actor: Actor, turn: Turn) -> Element:
    date_id = record_id(turn.data, T.DATE_ID)
    if date_id is None:
        return refused(Refusal("date_not_found"), turn.t)
    return _date(await services.talent.decline(actor, date_id, once=once_key(turn.data)), turn.t)


@router.verb(Verb.TALENT_DATE_SHOW)
async def on_talent_date_show(services: Services, actor: Actor, turn: Turn) -> Element:
    date_id = record_id(turn.data, T.DATE_ID)
    result = await services.talent.show(actor, date_id) if date_id else Refusal("date_not_found")
    return on_card(result, turn.t, date_card)


@router.verb(Verb.TALENT_DATE_KLUS)
async def on_talent_date_klus(services: Services, actor: Actor, turn: Turn) -> Element:
    """A larger date becomes a klus with the normal approval: the klus form, prefilled from it."""
    date_id = record_id(turn.data, T.DATE_ID)
    draft = await services.talent.klus_draft(actor, date_id) if date_id else Refusal("date_not_found")
    if isinstance(draft, Refusal):
        return refused(draft, turn.t)
    form = await services.posting.form(actor)
    if isinstance(form, KlusFormView):
        values = form.values
        form = replace(
            form,
            values=replace(
                values,
                title=draft.title,
                description=draft.description,
                hours_per_week=draft.hours_per_week,
                start_date=draft.start_date or values.start_date,
                end_date=draft.end_date or values.end_date,
            ),
        )
    return on_card(form, turn.t, partial(klus_form_card, typeahead=turn.typeahead))


def _date(result: DateView | Refusal | Repeated[DateView], t: Translator) -> Element:
    if isinstance(result, Repeated):
        return date_card(result.result, t, banner=t(ALREADY_DONE))
    return on_card(result, t, date_card)
