"""What happens to klussen without a press: they fill once their places are approved, close after
their deadline, and someone whose data is erased steps out of every one of them first."""

from __future__ import annotations

from klussenbank.domain.klus import HOLDS_HOURS, IN_THE_RUNNING, InterestStatus, Klus, KlusStatus
from klussenbank.services.approval_routing import ApprovalRouter
from klussenbank.services.marketplace import Marketplace
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.posting import PostingService
from klussenbank.services.views import KlusNotice, Refusal

# Someone who stands in a klus: in the running, or matched.
STANDING = IN_THE_RUNNING + HOLDS_HOURS


class KlusChores:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        market: Marketplace,
        approvals: ApprovalRouter,
        posting: PostingService,
    ) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._approvals = approvals
        self._posting = posting

    async def expire_overdue(self) -> int:
        """Close open klussen whose deadline passed; tell each poster what they can do next.

        A klus with a match still waiting for approval stays open until the approval ends.
        """
        today = self._clock.today()
        closed = 0
        async with self._uow() as uow:
            for overdue in await uow.klussen.overdue(today):
                klus = await uow.klussen.get(overdue.id, lock=True)  # another process may be at it too
                if klus is None or klus.status is not KlusStatus.OPEN:
                    continue
                if (await self.settle(uow, klus)).status is not KlusStatus.OPEN:
                    closed += 1
            await uow.commit()
        return closed

    async def settle(self, uow: UnitOfWork, klus: Klus) -> Klus:
        """Fill the klus when its places are approved; after the deadline, with nobody waiting for
        approval any more, fill it with whoever was approved or let it expire."""
        if klus.status is not KlusStatus.OPEN:
            return klus
        statuses = [i.status for i in await uow.interests.for_klus(klus.id)]
        approved = statuses.count(InterestStatus.APPROVED)
        waiting = statuses.count(InterestStatus.CONFIRMED)
        over = not klus.open_on(self._clock.today())
        if approved >= klus.people_needed or (over and approved and not waiting):
            status, kind = KlusStatus.FILLED, "not_chosen"
        elif over and not waiting:
            status, kind = KlusStatus.EXPIRED, "closed"
        else:
            return klus
        await uow.klussen.set_status(klus.id, status, now=self._clock.now())
        klus = klus.with_status(status)
        await self._market.close(uow, klus, kind)
        poster = await uow.people.get(klus.poster_id)
        if status is KlusStatus.EXPIRED and poster is not None:
            await self._market.notify(
                uow, poster, KlusNotice("expired", await self._market.view(uow, klus)), "klus.expired"
            )
        return klus

    async def leave_everything(self, actor: Actor) -> int:
        """Before someone's data is erased: they step out of every klus they are in (the posters
        hear it kindly, without their name) and their own open klussen are cancelled."""
        left = 0
        async with self._uow() as uow:
            standing = [
                i for i in await uow.interests.for_person(actor.aad_object_id) if i.status in STANDING
            ]
            posted = [k.id for k in await uow.klussen.by_poster(actor.aad_object_id)]
        for interest in standing:
            async with self._uow() as uow:
                klus = await uow.klussen.get(interest.klus_id, lock=True)
                current = await uow.interests.get(interest.klus_id, actor.aad_object_id)
                if klus is None or current is None or current.status not in STANDING:
                    continue
                await self._market.move(uow, klus, current, InterestStatus.WITHDRAWN)
                await self._approvals.cancel(uow, klus, actor.aad_object_id)
                if klus.status is KlusStatus.FILLED and self._clock.today() <= klus.interest_deadline:
                    await uow.klussen.set_status(klus.id, KlusStatus.OPEN, now=self._clock.now())
                    klus = klus.with_status(KlusStatus.OPEN)
                poster = await uow.people.get(klus.poster_id)
                if poster is not None and current.status is not InterestStatus.INVITED:
                    await self._market.notify(
                        uow, poster, KlusNotice("left", await self._market.view(uow, klus)), "klus.left"
                    )
                await uow.commit()
                left += 1
        for klus_id in posted:
            if not isinstance(await self._posting.cancel(actor, klus_id), Refusal):
                left += 1
        return left
