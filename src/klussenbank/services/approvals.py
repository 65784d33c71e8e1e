"""The approver decides: the approval card as each person in it may see it, approving, declining
with a reason, forwarding to a delegate; and the access log people can read (`wie zag mijn
gegevens`)."""

from __future__ import annotations

from klussenbank.domain.approval import MAX_REASON, Approval, ApprovalStatus, ApprovalStep, EventKind
from klussenbank.domain.fields import FieldError
from klussenbank.services.approval_routing import ApprovalOutcome, ApprovalRouter, locked
from klussenbank.services.clock import AMSTERDAM
from klussenbank.services.once import first_press
from klussenbank.services.ports.records import Actor, DirectoryPerson
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.roles import person_by_email
from klussenbank.services.views import AccessLogView, AccessRow, ApprovalView, Refusal


class ApprovalService:
    """The approver's side, and what the people in an approval may read of it."""

    def __init__(self, uow: UnitOfWorkFactory, *, router: ApprovalRouter, outcome: ApprovalOutcome) -> None:
        self._uow = uow
        self._router = router
        self._clock = router.clock
        self._outcome = outcome

    async def show(self, actor: Actor, approval_id: int) -> ApprovalView | Refusal:
        """The card as this person may see it now (Teams asks for it when the card refreshes)."""
        async with self._uow() as uow:
            approval = await self._visible(uow, actor, approval_id)
            if not isinstance(approval, Approval):
                return approval
            return await self._router.view(uow, approval, actor.aad_object_id)

    async def approve(
        self, actor: Actor, approval_id: int, *, once: str | None = None
    ) -> ApprovalView | Refusal:
        async with self._uow() as uow:
            approval = await self._decidable(uow, actor, approval_id, once)
            if not isinstance(approval, Approval):
                return approval
            now = self._clock.now()
            await uow.approvals.add_event(
                approval.id, EventKind.APPROVED, actor_id=actor.aad_object_id, approver_id=None, now=now
            )
            policy = self._router.rules.of(approval.organisation_key).approval
            hr = None
            if approval.step is ApprovalStep.MANAGER and policy.needs_hr(across=approval.across):
                hr = await self._router.hr_approver(
                    approval.organisation_key, approval.poster_id, approval.candidate_id, actor.aad_object_id
                )
            if hr is not None:
                approval = approval.routed_to(hr, now, step=ApprovalStep.HR)
                await uow.approvals.save(approval, now=now)
                await self._router.event(uow, approval, EventKind.ROUTED)
                await self._router.ask(uow, approval)
            else:
                approval = await self._outcome.finish(
                    uow, approval, ApprovalStatus.APPROVED, actor.aad_object_id
                )
            await self._router.update_cards(uow, approval)
            view = await self._router.view(uow, approval, actor.aad_object_id)
            await uow.commit()
            return view

    async def decline(
        self, actor: Actor, approval_id: int, reason: str, *, once: str | None = None
    ) -> ApprovalView | Refusal:
        reason = " ".join(reason.split())
        async with self._uow() as uow:
            approval = await self._decidable(uow, actor, approval_id, once)
            if not isinstance(approval, Approval):
                return approval
            error = None
            if not reason:
                error = FieldError("reason", "required")
            elif len(reason) > MAX_REASON:
                error = FieldError("reason", "too_long", {"max": MAX_REASON})
            if error is not None:
                return await self._router.view(uow, approval, actor.aad_object_id, errors=(error,))
            approval = await self._outcome.finish(
                uow, approval, ApprovalStatus.DECLINED, actor.aad_object_id, reason=reason
            )
            await self._router.update_cards(uow, approval)
            view = await self._router.view(uow, approval, actor.aad_object_id)
            await uow.commit()
            return view

    async def forward(
        self, actor: Actor, approval_id: int, to: str, *, once: str | None = None
    ) -> ApprovalView | Refusal:
        """Hand the decision to someone else (a delegate), named by e-mail address."""
        async with self._uow() as uow:
            approval = await self._decidable(uow, actor, approval_id, once)
            if not isinstance(approval, Approval):
                return approval
            delegate, error = await self._delegate(to, approval, actor)
            if delegate is None:
                return await self._router.view(
                    uow, approval, actor.aad_object_id, errors=(FieldError("delegate", error),)
                )
            now = self._clock.now()
            approval = approval.forwarded(delegate.aad_object_id, actor.aad_object_id, now)
            await uow.approvals.save(approval, now=now)
            await self._router.event(uow, approval, EventKind.FORWARDED, actor.aad_object_id)
            await self._router.ask(uow, approval)
            await self._router.update_cards(uow, approval)
            view = await self._router.view(uow, approval, actor.aad_object_id, banner="approval.forwarded")
            await uow.commit()
            return view

    async def _delegate(
        self, to: str, approval: Approval, actor: Actor
    ) -> tuple[DirectoryPerson | None, str]:
        address = to.strip().lower()
        if not address:
            return None, "required"
        found = await person_by_email(self._router.directory, address)
        if found is None:
            return None, "delegate_unknown"
        if found.aad_object_id.lower() in (approval.candidate_id.lower(), actor.aad_object_id.lower()):
            return None, "delegate_not_allowed"
        return found, ""

    async def _visible(self, uow: UnitOfWork, actor: Actor, approval_id: int) -> Approval | Refusal:
        """The approval, if the actor is in it (candidate, poster, an approver now or before)."""
        approval = await uow.approvals.get(approval_id)
        if approval is None:
            return Refusal("approval_not_found")
        me = actor.aad_object_id
        if me in (approval.candidate_id, approval.poster_id, approval.approver_id, approval.delegated_by):
            return approval
        if me in {person for person, _ in await uow.approvals.cards(approval.id)}:
            return approval
        return Refusal("approval_not_found")

    async def _decidable(
        self, uow: UnitOfWork, actor: Actor, approval_id: int, once: str | None
    ) -> Approval | ApprovalView | Refusal:
        """The approval, locked, if the actor may decide on it now; else what to show them (a second
        press of the card's approve, decline or forward: the approval as it is now)."""
        again = await first_press(uow, actor, once, "approval.decide", now=self._clock.now())
        visible = await self._visible(uow, actor, approval_id)
        if isinstance(visible, Refusal):
            return visible
        if again:  # the approval card's own words for a decision already taken
            return await self._router.view(
                uow, visible, actor.aad_object_id, banner="approval.already_decided"
            )
        approval = await locked(uow, approval_id)  # a double click waits here
        assert approval is not None
        if approval.may_decide(actor.aad_object_id):
            return approval
        banner = "approval.already_decided" if not approval.pending else "approval.not_yours"
        return await self._router.view(uow, approval, actor.aad_object_id, banner=banner)

    async def access_log(self, actor: Actor) -> AccessLogView:
        """Who saw my data, and when: `wie zag mijn gegevens`."""
        async with self._uow() as uow:
            rows = []
            for entry in await uow.access_log.for_subject(actor.aad_object_id):
                klus = await uow.klussen.get(entry.klus_id) if entry.klus_id else None
                rows.append(
                    AccessRow(
                        viewer_name=await self._router.name(uow, entry.viewer_id),
                        what=entry.what,
                        klus_title=klus.title if klus else "",
                        at=entry.at.astimezone(AMSTERDAM).date(),
                    )
                )
            return AccessLogView(tuple(rows))
