"""The secondment agreement, always in reach: `overeenkomst` lists mine, and "Open the agreement"
makes a fresh download link each time (the service checks the reader again)."""

from __future__ import annotations

from klussenbank.cards.agreements import agreement_link_card, agreements_card
from klussenbank.cards.elements import Element
from klussenbank.dialogs.approvals import parse_approval_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, on_record
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Verb

router = Router()


@router.verb(Verb.AGREEMENT_LIST)
@router.command("agreement", also=("overeenkomsten", "agreements", "mijn overeenkomsten", "my agreements"))
async def on_agreement_list(services: Services, actor: Actor, turn: Turn) -> Element:
    return agreements_card(await services.agreements.mine(actor), turn.t)


@router.verb(Verb.AGREEMENT_SHOW)
async def on_agreement_show(services: Services, actor: Actor, turn: Turn) -> Element:
    approval_id = parse_approval_id(turn.data)
    result = await on_record(approval_id, "agreement_not_found", lambda a: services.agreements.link(actor, a))
    return on_card(result, turn.t, agreement_link_card)
