"""The manager's approval of a match: the approval card and its decisions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from klussenbank.cards.approval import approval_card
from klussenbank.cards.elements import Element
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card, on_record
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import ApprovalView, Refusal
from klussenbank.verbs import ApprovalInput as A
from klussenbank.verbs import Verb

router = Router()


def parse_approval_id(data: object) -> int | None:
    return record_id(data, A.APPROVAL_ID)


def parse_reason(data: object) -> str:
    # Not cut short here: the service refuses an over-long reason with a message.
    return Inputs(data).text(A.REASON)


def parse_delegate(data: object) -> str:
    return Inputs(data).text(A.DELEGATE)[:320]


@router.verb(Verb.APPROVAL_SHOW)
async def on_approval_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_approval(turn, lambda a: services.approvals.show(actor, a))


@router.verb(Verb.APPROVAL_APPROVE)
async def on_approval_approve(services: Services, actor: Actor, turn: Turn) -> Element:
    once = once_key(turn.data)
    return await _on_approval(turn, lambda a: services.approvals.approve(actor, a, once=once))


@router.verb(Verb.APPROVAL_DECLINE)
async def on_approval_decline(services: Services, actor: Actor, turn: Turn) -> Element:
    reason, once = parse_reason(turn.data), once_key(turn.data)
    return await _on_approval(turn, lambda a: services.approvals.decline(actor, a, reason, once=once))


@router.verb(Verb.APPROVAL_FORWARD)
async def on_approval_forward(services: Services, actor: Actor, turn: Turn) -> Element:
    delegate, once = parse_delegate(turn.data), once_key(turn.data)
    return await _on_approval(turn, lambda a: services.approvals.forward(actor, a, delegate, once=once))


async def _on_approval(turn: Turn, action: Callable[[int], Awaitable[ApprovalView | Refusal]]) -> Element:
    result = await on_record(parse_approval_id(turn.data), "approval_not_found", action)
    return on_card(result, turn.t, approval_card)
