"""The approval chore: send what waited for an app installation, hand to HR what could not reach
its approver, and remind, escalate and expire what waits too long."""

from __future__ import annotations

from dataclasses import dataclass, replace

from klussenbank.domain.approval import Approval, ApprovalStatus, Due, EventKind, due
from klussenbank.services.approval_routing import SAW_APPROVAL, ApprovalOutcome, ApprovalRouter, locked
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class TickResult:
    """What one round of the approval chore did."""

    sent: int = 0  # approval cards sent after the app was installed for the approver
    fallbacks: int = 0  # approver unreachable: sent to HR instead
    reminded: int = 0
    escalated: int = 0
    expired: int = 0


class ApprovalChores:
    def __init__(self, uow: UnitOfWorkFactory, *, router: ApprovalRouter, outcome: ApprovalOutcome) -> None:
        self._uow = uow
        self._router = router
        self._clock = router.clock
        self._outcome = outcome

    async def tick(self) -> TickResult:
        """Send what waited for an app installation; remind, escalate and expire what is due."""
        result = TickResult()
        async with self._uow() as uow:
            pending = await uow.approvals.pending()
        for approval in pending:
            result = await self._tick_one(approval.id, result)
        return result

    async def _tick_one(self, approval_id: int, result: TickResult) -> TickResult:
        async with self._uow() as uow:
            approval = await locked(uow, approval_id)
            if approval is None or not approval.pending:
                return result
            now, today = self._clock.now(), self._clock.today()
            rules = self._router.rules.of(approval.organisation_key)
            what = due(approval, rules.approval, rules.calendar, today)
            if what is Due.EXPIRE:
                approval = await self._outcome.finish(uow, approval, ApprovalStatus.EXPIRED, None)
                await self._router.update_cards(uow, approval)
                result = replace(result, expired=result.expired + 1)
            elif what is Due.ESCALATE:
                above = await self._above(approval)
                if above is not None:
                    approval = replace(approval.routed_to(above, now), escalations=approval.escalations + 1)
                    await uow.approvals.save(approval, now=now)
                    await self._router.event(uow, approval, EventKind.ESCALATED)
                    await self._router.ask(uow, approval)
                    await self._router.update_cards(uow, approval)
                    result = replace(result, escalated=result.escalated + 1)
                elif not approval.reminded:
                    result = await self._remind(uow, approval, result)
            elif what is Due.REMIND:
                result = await self._remind(uow, approval, result)
            elif approval.approver_id is not None:
                result = await self._reach(uow, approval, result)
            await uow.commit()
            return result

    async def _reach(self, uow: UnitOfWork, approval: Approval, result: TickResult) -> TickResult:
        """The approver does not have the card: install the app for them and send it, or ask HR
        instead; HR also takes over when Teams could not deliver the card (the app was removed)."""
        assert approval.approver_id is not None
        approver = approval.approver_id
        if await uow.approvals.unreachable(approval.id, approver):
            return await self._fall_back(uow, approval, result)
        if approver in {person for person, _ in await uow.approvals.cards(approval.id)}:
            return result  # sent, or on its way
        if await self._router.installed_for(approver):
            await self._router.send_card(uow, approval, approval.approver_id)
            await uow.access_log.add(
                approval.candidate_id,
                approval.approver_id,
                SAW_APPROVAL,
                approval.klus_id,
                now=self._clock.now(),
            )
            return replace(result, sent=result.sent + 1)
        return await self._fall_back(uow, approval, result)

    async def _fall_back(self, uow: UnitOfWork, approval: Approval, result: TickResult) -> TickResult:
        assert approval.approver_id is not None
        hr = await self._router.hr_approver(
            approval.organisation_key, approval.poster_id, approval.candidate_id, approval.approver_id
        )
        now = self._clock.now()
        approval = approval.routed_to(hr, now)
        await uow.approvals.save(approval, now=now)
        await self._router.event(uow, approval, EventKind.FALLBACK)
        if hr is not None:
            await self._router.ask(uow, approval)
        await self._router.update_cards(uow, approval)
        candidate = await uow.people.get(approval.candidate_id)
        if candidate is not None:
            await self._outcome.notify(uow, candidate, approval, "approval_fallback_candidate")
        return replace(result, fallbacks=result.fallbacks + 1)

    async def _remind(self, uow: UnitOfWork, approval: Approval, result: TickResult) -> TickResult:
        now = self._clock.now()
        approval = replace(approval, reminded=True)
        await uow.approvals.save(approval, now=now)
        await self._router.event(uow, approval, EventKind.REMINDED)
        if approval.approver_id is not None:
            await self._router.send_card(uow, approval, approval.approver_id, banner="approval.reminder")
        return replace(result, reminded=result.reminded + 1)

    async def _above(self, approval: Approval) -> str | None:
        """Who is next up from the current approver: their manager, else (once) HR."""
        current = approval.approver_id or ""
        entry = await self._router.directory.person(current)
        manager = entry.manager_aad_object_id if entry else None
        if manager and manager.lower() not in (current.lower(), approval.candidate_id.lower()):
            return manager
        return await self._router.hr_approver(
            approval.organisation_key, approval.poster_id, approval.candidate_id, current
        )
