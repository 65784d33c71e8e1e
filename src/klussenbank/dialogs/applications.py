"""`mijn reacties`: the klussen I reacted to or was invited to, with the next step for each."""

from __future__ import annotations

from klussenbank.cards.applications import applications_card
from klussenbank.cards.elements import Element
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Verb

router = Router()


@router.verb(Verb.APPLICATIONS_SHOW)
@router.command("my_applications", also=("reacties", "mijn sollicitaties", "applications"))
async def on_applications_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return applications_card(await services.applications.mine(actor), turn.t)
