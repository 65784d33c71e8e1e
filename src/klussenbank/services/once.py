"""Taking effect once. A card button that creates something carries a one-time key; the use case
records the key, per person, in the transaction of its effect. A second press of the same card, on
this instance or another, at once or later, changes nothing and gets what the first press made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from klussenbank.services.ports.records import Actor, PriorPress
from klussenbank.services.ports.repositories import UnitOfWork

V = TypeVar("V")

ALREADY_DONE = "once.already_done"  # the banner of a second press


@dataclass(frozen=True)
class Repeated(Generic[V]):
    """A second press: nothing happened again; `result` is what the first press made, as it is now."""

    result: V


async def first_press(
    uow: UnitOfWork, actor: Actor, once: str | None, action: str, *, now: datetime
) -> PriorPress | None:
    """None when this press takes effect (the first with its key, or a card without one); else what
    the first press recorded. Call it before anything else in the transaction: a press still under
    way elsewhere is waited for, so nothing is read before it ends."""
    if once is None:
        return None
    return await uow.once_keys.claim(actor.aad_object_id, once, action, now=now)


async def settle(uow: UnitOfWork, actor: Actor, once: str | None, record_id: int) -> None:
    """What this press made or acted on, for a second press to show."""
    if once is not None:
        await uow.once_keys.settle(actor.aad_object_id, once, record_id)
