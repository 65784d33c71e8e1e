"""Between a klus and the people for it: the open klussen and suggestions, interest, the poster's
candidates and choice, and the candidate's confirmation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from klussenbank.cards.availability import no_profile_card
from klussenbank.cards.elements import Element
from klussenbank.cards.general import notice_card
from klussenbank.cards.klus import candidates_card, klus_card, offers_card
from klussenbank.dialogs.inputs import Inputs, once_key
from klussenbank.dialogs.klussen import parse_klus_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_record, refused
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import CandidatesView, KlusOffer, OfferFilters, Refusal
from klussenbank.verbs import KlusInput as F
from klussenbank.verbs import Verb

router = Router()


def parse_person_id(data: object) -> str | None:
    person_id = Inputs(data).text(F.PERSON_ID)
    return person_id if 0 < len(person_id) <= 64 else None


def parse_motivation(data: object) -> str:
    # Not cut short here: the service refuses an over-long motivation with a message.
    return Inputs(data).text(F.MOTIVATION)


def parse_share_motivation(data: object) -> bool:
    """The candidate's choice, when confirming, to show their motivation to their manager."""
    return Inputs(data).flag(F.SHARE_MOTIVATION, default=False)


def parse_filters(data: object) -> OfferFilters:
    """The filters on the list of open klussen; anything unreadable is simply no filter."""
    inputs = Inputs(data)
    max_hours = inputs.number(F.FILTER_MAX_HOURS)
    return OfferFilters(
        organisation=inputs.text(F.FILTER_ORGANISATION)[:64] or None,
        remote=inputs.flag(F.FILTER_REMOTE, default=False),
        max_hours=max_hours if max_hours is not None and max_hours > 0 else None,
    )


@router.verb(Verb.KLUS_LIST)
@router.command("klussen")
async def on_klus_list(services: Services, actor: Actor, turn: Turn) -> Element:
    return offers_card(await services.interest.offers(actor, parse_filters(turn.data)), turn.t)


@router.verb(Verb.SUGGESTIONS_OFF)
async def on_suggestions_off(services: Services, actor: Actor, turn: Turn) -> Element:
    done = await services.interest.stop_suggestions(actor)
    return notice_card(turn.t("suggestions.off")) if done else no_profile_card(turn.t)


@router.verb(Verb.KLUS_SHOW)
async def on_klus_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_klus(turn, lambda klus_id: services.interest.offer(actor, klus_id))


@router.verb(Verb.KLUS_CANDIDATES)
async def on_klus_candidates(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_klus(turn, lambda klus_id: services.choosing.candidates(actor, klus_id))


@router.verb(Verb.INTEREST_ADD)
async def on_interest_add(services: Services, actor: Actor, turn: Turn) -> Element:
    motivation, once = parse_motivation(turn.data), once_key(turn.data)
    return await _on_klus(
        turn,
        lambda klus_id: services.interest.show_interest(actor, klus_id, motivation, once=once),
        "interest.sent",
    )


@router.verb(Verb.INTEREST_WITHDRAW)
async def on_interest_withdraw(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_klus(
        turn, lambda klus_id: services.interest.withdraw_interest(actor, klus_id), "interest.withdrawn"
    )


@router.verb(Verb.CANDIDATE_INVITE)
async def on_candidate_invite(services: Services, actor: Actor, turn: Turn) -> Element:
    person_id, once = parse_person_id(turn.data) or "", once_key(turn.data)
    return await _on_klus(
        turn,
        lambda klus_id: services.choosing.invite(actor, klus_id, person_id, once=once),
        "candidates.invited",
    )


@router.verb(Verb.CANDIDATE_CHOOSE)
async def on_candidate_choose(services: Services, actor: Actor, turn: Turn) -> Element:
    person_id, once = parse_person_id(turn.data) or "", once_key(turn.data)
    return await _on_klus(
        turn,
        lambda klus_id: services.choosing.choose(actor, klus_id, person_id, once=once),
        "candidates.chosen",
    )


@router.verb(Verb.MATCH_CONFIRM)
async def on_match_confirm(services: Services, actor: Actor, turn: Turn) -> Element:
    share, once = parse_share_motivation(turn.data), once_key(turn.data)
    return await _on_klus(
        turn,
        lambda klus_id: services.interest.confirm(actor, klus_id, share_motivation=share, once=once),
        "match.confirmed",
    )


@router.verb(Verb.MATCH_DECLINE)
async def on_match_decline(services: Services, actor: Actor, turn: Turn) -> Element:
    once = once_key(turn.data)
    return await _on_klus(
        turn, lambda klus_id: services.interest.decline(actor, klus_id, once=once), "match.declined"
    )


async def _on_klus(
    turn: Turn,
    action: Callable[[int], Awaitable[KlusOffer | CandidatesView | Refusal | Repeated[CandidatesView]]],
    banner: str | None = None,
) -> Element:
    """Read the klus id the card sent, run the action, and show its outcome (a second press of the
    card: what it is now; a klus says why itself)."""
    t = turn.t
    result = await on_record(parse_klus_id(turn.data), "klus_not_found", action)
    if isinstance(result, Refusal):
        return refused(result, t)
    if isinstance(result, Repeated):
        result, banner = result.result, ALREADY_DONE
    if isinstance(result, CandidatesView):
        return candidates_card(result, t, banner=t(banner) if banner else None)
    return klus_card(result, t, banner=t(banner) if banner else None)
