"""A person's own data: what is held (and who looked at it), and erasing it (asked first)."""

from __future__ import annotations

from klussenbank.cards.approval import access_log_card, erase_confirm_card, my_data_card
from klussenbank.cards.availability import no_profile_card
from klussenbank.cards.elements import Element
from klussenbank.cards.general import notice_card
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Verb

router = Router()


@router.verb(Verb.MY_DATA_SHOW)
@router.command("my_data")
async def on_my_data_show(services: Services, actor: Actor, turn: Turn) -> Element:
    view = await services.privacy.my_data(actor)
    return my_data_card(view, turn.t) if view else no_profile_card(turn.t)


@router.verb(Verb.ACCESS_LOG_SHOW)
@router.command("access_log")
async def on_access_log_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return access_log_card(await services.approvals.access_log(actor), turn.t)


@router.verb(Verb.MY_DATA_ERASE)
@router.command("erase")
async def on_my_data_erase(services: Services, actor: Actor, turn: Turn) -> Element:
    return erase_confirm_card(turn.t)


@router.verb(Verb.MY_DATA_ERASE_CONFIRM)
async def on_my_data_erase_confirm(services: Services, actor: Actor, turn: Turn) -> Element:
    await services.privacy.erase(actor)
    return notice_card(turn.t("erase.done"))
