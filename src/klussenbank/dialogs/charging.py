"""Charging the client: the command for a charged pool's coordinators and HR."""

from __future__ import annotations

from klussenbank.cards.charging import charging_card
from klussenbank.cards.elements import Element
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card
from klussenbank.services.ports.records import Actor

router = Router()


@router.command("charging")
async def on_charging(services: Services, actor: Actor, turn: Turn) -> Element:
    return on_card(await services.charging.overview(actor), turn.t, charging_card)
