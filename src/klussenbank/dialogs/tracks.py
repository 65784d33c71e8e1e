"""Development tracks: HR starts one (`traject starten`), the person says yes or no and follows it
(`mijn traject`), the adviser follows theirs (`trajecten`) and sees the standing candidates
(`talentenpool`)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from klussenbank.cards.elements import Element
from klussenbank.cards.tracks import (
    my_track_card,
    progress_card,
    standing_card,
    track_form_card,
    track_klussen_card,
    track_notice_card,
    tracks_card,
)
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, on_record
from klussenbank.domain.track import TrackGoals, TrackKind
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.tracks import Proposal, TrackFormView, TrackRequest
from klussenbank.verbs import KlusInput, Verb
from klussenbank.verbs import TrackInput as F

router = Router()


def parse_request(data: object) -> TrackRequest:
    inputs = Inputs(data)
    return TrackRequest(
        person_id=inputs.text(F.PERSON)[:64],
        kind=inputs.choice(F.KIND, TrackKind),
        skills=inputs.choices(F.SKILLS),
        hours=inputs.number(F.HOURS),
        until=inputs.day(F.UNTIL),
        adviser_id=inputs.text(F.ADVISER)[:64],
        unreadable=inputs.unreadable,
    )


def parse_proposal(data: object) -> tuple[Proposal | None, str]:
    """The proposal a consent card carries back, and its seal (checked by the service)."""
    request, inputs = parse_request(data), Inputs(data)
    proposer = inputs.text(F.PROPOSER)[:64]
    if request.unreadable or request.kind is None or request.hours is None or request.until is None:
        return None, ""
    goals = TrackGoals(request.skills, request.hours, request.until)
    return Proposal(request.person_id, proposer, request.adviser_id, request.kind, goals), inputs.text(F.SEAL)


def _track_id(turn: Turn) -> int | None:
    return record_id(turn.data, F.TRACK_ID)


@router.verb(Verb.TRACK_NEW)
@router.command("start_track")
async def on_track_new(services: Services, actor: Actor, turn: Turn) -> Element:
    card = partial(track_form_card, typeahead=turn.typeahead)
    return on_card(await services.tracks.form(actor), turn.t, card)


@router.verb(Verb.TRACK_PROPOSE)
async def on_track_propose(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.tracks.propose(actor, parse_request(turn.data), once=once_key(turn.data))
    if isinstance(result, TrackFormView):  # something to correct
        return track_form_card(result, turn.t, typeahead=turn.typeahead)
    return on_card(result, turn.t, track_notice_card)


async def _answer(services: Services, actor: Actor, turn: Turn, *, yes: bool) -> Element:
    proposal, seal = parse_proposal(turn.data)
    result = await services.tracks.answer(actor, proposal, seal, yes=yes, once=once_key(turn.data))
    if isinstance(result, Repeated):
        return my_track_card(replace(result.result, banner=ALREADY_DONE), turn.t)
    return on_card(result, turn.t, my_track_card)


@router.verb(Verb.TRACK_ACCEPT)
async def on_track_accept(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _answer(services, actor, turn, yes=True)


@router.verb(Verb.TRACK_DECLINE)
async def on_track_decline(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _answer(services, actor, turn, yes=False)


@router.verb(Verb.TRACK_MINE)
@router.command("my_track")
async def on_track_mine(services: Services, actor: Actor, turn: Turn) -> Element:
    return my_track_card(await services.tracks.mine(actor), turn.t)


@router.verb(Verb.TRACK_END)
async def on_track_end(services: Services, actor: Actor, turn: Turn) -> Element:
    track_id = _track_id(turn)
    view = await services.tracks.end(actor, track_id) if track_id else await services.tracks.mine(actor)
    return my_track_card(view, turn.t)


@router.verb(Verb.TRACK_COACHING)
async def on_track_coaching(services: Services, actor: Actor, turn: Turn) -> Element:
    wanted = Inputs(turn.data).flag(F.COACHING, default=False)
    return my_track_card(await services.tracks.set_coaching(actor, wanted), turn.t)


@router.verb(Verb.TRACK_LIST)
@router.command("tracks")
async def on_track_list(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(await services.tracks.advised(actor), turn.t, tracks_card)


@router.verb(Verb.TRACK_SHOW)
async def on_track_show(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await on_record(
        _track_id(turn), "track_not_found", lambda track_id: services.tracks.progress(actor, track_id)
    )
    return on_card(result, turn.t, progress_card)


@router.verb(Verb.TRACK_KLUSSEN)
async def on_track_klussen(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await on_record(
        _track_id(turn), "track_not_found", lambda track_id: services.tracks.klussen(actor, track_id)
    )
    return on_card(result, turn.t, track_klussen_card)


@router.verb(Verb.TRACK_SUGGEST)
async def on_track_suggest(services: Services, actor: Actor, turn: Turn) -> Element:
    klus_id, once = record_id(turn.data, KlusInput.KLUS_ID), once_key(turn.data)
    result = await on_record(
        _track_id(turn),
        "track_not_found",
        lambda track_id: services.tracks.suggest(actor, track_id, klus_id or 0, once=once),
    )
    return on_card(result, turn.t, track_klussen_card)


@router.verb(Verb.TRACK_STANDING)
@router.command("standing")
async def on_track_standing(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(await services.tracks.standing(actor), turn.t, standing_card)
