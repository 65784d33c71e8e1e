"""Routing approvals of confirmed matches: to the line manager (or HR), with every card about an
approval kept up to date, and the last word on one (approved, declined, expired) with what follows.

A manager learns nothing of their staff's sign-ups or interests: the only thing they ever see is
the approval card of a confirmed match of their own employee (or one forwarded to them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from klussenbank.domain.approval import (
    Approval,
    ApprovalEvent,
    ApprovalStatus,
    ApprovalStep,
    EventKind,
    expires_on,
)
from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import InterestStatus, Klus
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import Person
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.agreements import AgreementService
from klussenbank.services.clock import Clock
from klussenbank.services.contacts import ChatAllowed, contact_for, everyone_may_chat
from klussenbank.services.klus_views import klus_view, teams_user_ids
from klussenbank.services.pool_roles import PoolRoles
from klussenbank.services.ports.directory import AppInstaller, Directory
from klussenbank.services.ports.records import Recipient
from klussenbank.services.ports.renderers import ApprovalRenderer, NoticeRenderer
from klussenbank.services.ports.repositories import UnitOfWork
from klussenbank.services.roles import HrRoles
from klussenbank.services.views import ApprovalView, KlusNotice, StepDecision

# What someone saw of another person, for the access log.
SAW_CANDIDACY = "candidacy"  # a poster saw someone who showed interest in their klus
SAW_SUGGESTION = "suggestion"  # a poster saw someone suggested for their klus
SAW_APPROVAL = "approval"  # an approver got the approval request of a match
SAW_EVALUATIONS = "evaluations"  # HR read the evaluations of a match after the work

Settle = Callable[[UnitOfWork, Klus], Awaitable[Klus]]


class ApprovalRouter:
    """Opens approvals and keeps every card about them up to date; the services' shared part."""

    def __init__(
        self,
        *,
        clock: Clock,
        directory: Directory,
        renderer: ApprovalRenderer,
        vocabulary: SkillVocabulary,
        rules: Rules,
        installer: AppInstaller | None = None,
        chat_allowed: ChatAllowed = everyone_may_chat,
    ) -> None:
        self.clock = clock
        self.chat_allowed = chat_allowed
        self.directory = directory
        self.rules = rules
        self.roles = HrRoles(directory, rules)
        self.pools = PoolRoles(directory, rules)
        self._renderer = renderer
        self._vocabulary = vocabulary
        self.installer = installer

    async def open(
        self, uow: UnitOfWork, klus: Klus, candidate: Person, *, share_motivation: bool
    ) -> Approval:
        """A confirmed match: ask its first approver, and show candidate and poster the status."""
        now = self.clock.now()
        approver, kind = await self.first_approver(uow, candidate, klus)
        approval = Approval(
            id=0,
            klus_id=klus.id,
            candidate_id=candidate.aad_object_id,
            poster_id=klus.poster_id,
            organisation_key=candidate.organisation_key,
            across=klus.organisation_key != candidate.organisation_key,
            share_motivation=share_motivation,
            step=ApprovalStep.MANAGER,
            approver_id=approver,
            status=ApprovalStatus.PENDING,
            created_at=now,
            step_started_at=now,
        )
        approval = replace(approval, id=await uow.approvals.add(approval, now=now))
        await self.event(uow, approval, kind)
        # One card each: a poster who is also the approver (a team lead posting for their own
        # team) gets only the approver's card, which shows the status too.
        for person_id in (candidate.aad_object_id, klus.poster_id):
            if person_id != approval.approver_id:
                await self.send_card(uow, approval, person_id)
        await self.ask(uow, approval)
        return approval

    async def cancel(self, uow: UnitOfWork, klus: Klus, candidate_id: str | None = None) -> None:
        """The klus was cancelled (or the candidate left it): its approvals (theirs) end, and their
        cards say so."""
        now = self.clock.now()
        for approval in await uow.approvals.for_klus(klus.id):
            if approval.pending and candidate_id in (None, approval.candidate_id):
                by = candidate_id or klus.poster_id
                approval = approval.decided(ApprovalStatus.CANCELLED, by, now)
                await uow.approvals.save(approval, now=now)
                await self.event(uow, approval, EventKind.CANCELLED, by)
                await self.update_cards(uow, approval)

    async def first_approver(
        self, uow: UnitOfWork, candidate: Person, klus: Klus
    ) -> tuple[str | None, EventKind]:
        """The line manager; no manager (or the candidate manages themself): the coordinator of
        their pool (the klus's pool first; a flex worker often has no manager), else the HR approver."""
        entry = await self.directory.person(candidate.aad_object_id)
        manager = entry.manager_aad_object_id if entry else None
        if manager and manager.lower() != candidate.aad_object_id.lower():
            return manager, EventKind.ROUTED
        coordinator = await self.coordinator_approver(uow, candidate.aad_object_id, klus)
        if coordinator is not None:
            return coordinator, EventKind.FALLBACK
        hr = await self.hr_approver(candidate.organisation_key, klus.poster_id, candidate.aad_object_id)
        return hr, EventKind.FALLBACK

    async def coordinator_approver(self, uow: UnitOfWork, candidate_id: str, klus: Klus) -> str | None:
        """The first coordinator of the candidate's pool (the klus's own pool first), not themself."""
        standing = await uow.pool_people.pools_of(candidate_id)
        keys = sorted(standing, key=lambda key: key != klus.pool_key)
        for key in keys:
            pool = self.pools.pool(key)
            for person in await self.pools.coordinators(pool) if pool else ():
                if person.aad_object_id.lower() != candidate_id.lower():
                    return person.aad_object_id
        return None

    async def hr_approver(self, organisation_key: str, poster_id: str, *excluded: str) -> str | None:
        """The organisation's first HR approver the directory knows, other than `excluded`, and
        other than the poster when there is someone else."""
        found = await self.roles.approver(organisation_key, *excluded, rather_not=poster_id)
        return found.aad_object_id if found else None

    async def ask(self, uow: UnitOfWork, approval: Approval) -> bool:
        """Send the approval card to its approver, if the bot can reach them now.

        With an app installer (Microsoft Graph) someone the bot never met may not have the app:
        the approval chore installs it first. Without one, the outbox opens their chat itself.
        """
        if approval.approver_id is None:
            return False
        await self.ensure_person(uow, approval.approver_id, approval.candidate_id)
        if self.installer is not None and not await uow.conversations.for_person(approval.approver_id):
            return False
        await self.send_card(uow, approval, approval.approver_id)
        await uow.access_log.add(
            approval.candidate_id, approval.approver_id, SAW_APPROVAL, approval.klus_id, now=self.clock.now()
        )
        return True

    async def installed_for(self, person_id: str) -> bool:
        return self.installer is None or await self.installer.install_for(person_id)

    async def ensure_person(self, uow: UnitOfWork, person_id: str, colleague_id: str) -> None:
        """An approver may never have used the bot: add them from the directory to reach them."""
        if await uow.people.get(person_id) is not None:
            return
        entry = await self.directory.person(person_id)
        colleague = await uow.people.get(colleague_id)
        if entry is None or colleague is None:
            raise LookupError(f"approver {person_id} is not in the directory")
        now = self.clock.now()
        if await uow.organisations.get(entry.organisation.key) is None:
            await uow.organisations.add(entry.organisation, now=now)
        await uow.people.save(
            Person(
                aad_object_id=entry.aad_object_id,
                tenant_id=colleague.tenant_id,
                name=entry.name,
                email=entry.email,
                organisation_key=entry.organisation.key,
                locale="nl-NL",
            ),
            now=now,
        )

    async def send_card(
        self, uow: UnitOfWork, approval: Approval, person_id: str, *, banner: str = ""
    ) -> None:
        person = await uow.people.get(person_id)
        if person is None:
            return
        view = await self.view(uow, approval, person_id, banner=banner)
        message_id = await uow.outbox.enqueue(
            {"card": self._renderer.render(view, person.locale)},
            [Recipient(person_aad_object_id=person_id)],
            reason=f"approval.{view.role}",
            now=self.clock.now(),
        )
        await uow.approvals.add_card(approval.id, person_id, message_id)

    async def update_cards(self, uow: UnitOfWork, approval: Approval) -> None:
        """Every card sent about the approval now shows its new state, in each person's view."""
        for person_id, message_id in await uow.approvals.cards(approval.id):
            person = await uow.people.get(person_id)
            if person is None:
                continue
            view = await self.view(uow, approval, person_id)
            await uow.outbox.enqueue_update(
                message_id,
                {"card": self._renderer.render(view, person.locale)},
                reason="approval.update",
                now=self.clock.now(),
            )

    async def event(
        self, uow: UnitOfWork, approval: Approval, kind: EventKind, actor_id: str | None = None
    ) -> None:
        await uow.approvals.add_event(
            approval.id, kind, actor_id=actor_id, approver_id=approval.approver_id, now=self.clock.now()
        )

    async def view(
        self,
        uow: UnitOfWork,
        approval: Approval,
        person_id: str,
        *,
        banner: str = "",
        errors: tuple[FieldError, ...] = (),
    ) -> ApprovalView:
        klus = await uow.klussen.get(approval.klus_id)
        if klus is None:
            raise LookupError(f"approval {approval.id} of a klus that is gone")
        rules = self.rules.of(approval.organisation_key)
        zone = rules.zone
        candidate = await uow.people.get(approval.candidate_id)
        organisation = await uow.organisations.get(approval.organisation_key)
        interest = await uow.interests.get(approval.klus_id, approval.candidate_id)
        role = _role(approval, person_id)
        events = await uow.approvals.events(approval.id)
        return ApprovalView(
            approval_id=approval.id,
            role=role,
            status=approval.status,
            step=approval.step,
            klus=await klus_view(uow, klus, self._vocabulary),
            candidate_name=candidate.name if candidate else "",
            candidate_organisation=organisation.name if organisation else approval.organisation_key,
            approver_name=await self.name(uow, approval.approver_id),
            decisions=await self._decisions(uow, events, zone),
            motivation=(
                interest.motivation if interest and approval.share_motivation and role == "approver" else ""
            ),
            reason=approval.reason if role != "poster" else "",
            forwarded_by=await self.name(uow, approval.delegated_by),
            refresh_user_ids=await teams_user_ids(uow, person_id),
            banner=banner,
            errors=errors,
            at_work=approval.status is ApprovalStatus.APPROVED and approval.completed_at is None,
            completed_on=approval.completed_at.astimezone(zone).date() if approval.completed_at else None,
            expires_on=(
                expires_on(approval, rules.approval, rules.calendar)
                if approval.pending and role == "approver"
                else None
            ),
            agreement=await self._agreement_for(uow, approval, person_id, events),
        )

    async def _agreement_for(
        self, uow: UnitOfWork, approval: Approval, person_id: str, events: list[ApprovalEvent]
    ) -> bool:
        """The card offers the agreement to the parties who may open it (the server checks again)."""
        if approval.status is not ApprovalStatus.APPROVED:
            return False
        deciders = {e.actor_id for e in events if e.kind is EventKind.APPROVED}
        if person_id not in {approval.candidate_id, approval.poster_id, *deciders}:
            return False
        return await uow.agreements.number(approval.id) is not None

    async def name(self, uow: UnitOfWork, person_id: str | None) -> str:
        if person_id is None:
            return ""
        person = await uow.people.get(person_id)
        if person is not None:
            return person.name
        entry = await self.directory.person(person_id)
        return entry.name if entry else ""

    async def _decisions(
        self, uow: UnitOfWork, events: list[ApprovalEvent], zone: ZoneInfo
    ) -> tuple[StepDecision, ...]:
        """Who said yes or no, on which day where they are (not in UTC)."""
        return tuple(
            [
                StepDecision(
                    e.kind is EventKind.APPROVED,
                    await self.name(uow, e.actor_id),
                    e.at.astimezone(zone).date(),
                )
                for e in events
                if e.kind in (EventKind.APPROVED, EventKind.DECLINED)
            ]
        )


class ApprovalOutcome:
    """The last word on an approval, by an approver or by the clock: the match becomes active (its
    agreement drawn up) or the candidate's hours are free again; candidate and poster hear it."""

    def __init__(
        self,
        router: ApprovalRouter,
        *,
        settle: Settle,
        notices: NoticeRenderer,
        agreements: AgreementService | None = None,
    ) -> None:
        self._router = router
        self._clock = router.clock
        self._settle = settle
        self._notices = notices
        self._agreements = agreements

    async def finish(
        self,
        uow: UnitOfWork,
        approval: Approval,
        status: ApprovalStatus,
        by: str | None,
        *,
        reason: str = "",
    ) -> Approval:
        """The last word: the match becomes active, or the candidate's hours are free again."""
        now = self._clock.now()
        approval = approval.decided(status, by, now, reason)
        await uow.approvals.save(approval, now=now)
        if status is not ApprovalStatus.APPROVED:
            kind = EventKind.DECLINED if status is ApprovalStatus.DECLINED else EventKind.EXPIRED
            await uow.approvals.add_event(approval.id, kind, actor_id=by, approver_id=None, now=now)
        klus = await uow.klussen.get(approval.klus_id, lock=True)
        interest = await uow.interests.get(approval.klus_id, approval.candidate_id)
        if klus is None or interest is None:
            return approval
        approved = status is ApprovalStatus.APPROVED
        await uow.interests.save(
            replace(interest, status=InterestStatus.APPROVED if approved else InterestStatus.NOT_APPROVED),
            hours_per_week=klus.hours_per_week,
            now=now,
        )
        await self._settle(uow, klus)
        agreements = self._agreements if approved else None
        if agreements is not None:
            await agreements.draw_up(uow, approval)
        # One message per person: whoever decided sees it on their own card (with the agreement),
        # so a poster who approved their own klus is not told "the manager approved" about
        # themself; the others' outcome message carries the agreement.
        told = {by} if by else set()
        for person_id, role in ((approval.candidate_id, "candidate"), (approval.poster_id, "poster")):
            person = await uow.people.get(person_id)
            if person is not None and person_id not in told:
                outcome = f"approval_{status.value}_{role}"
                await self.notify(uow, person, approval, outcome, agreement=agreements is not None)
                told.add(person_id)
        if agreements is not None:
            await agreements.offer(uow, approval, told=told)
        return approval

    async def notify(
        self, uow: UnitOfWork, person: Person, approval: Approval, kind: str, *, agreement: bool = False
    ) -> None:
        """A new message to candidate or poster about the outcome (their status card changes too);
        `agreement`: it offers the agreement that was drawn up."""
        view = await self._router.view(uow, approval, person.aad_object_id)
        me = person.aad_object_id
        other = approval.poster_id if me == approval.candidate_id else approval.candidate_id
        notice = KlusNotice(
            kind,
            view.klus,
            name=view.candidate_name,
            reason=view.reason,
            approver=view.approver_name,
            agreement_id=approval.id if agreement else None,
            contact=await contact_for(
                uow, view.klus, me, other, self._router.chat_allowed
            ),  # (once approved: they start together)
        )
        await uow.outbox.enqueue(
            {"card": self._notices.render(notice, person.locale)},
            [Recipient(person_aad_object_id=person.aad_object_id)],
            reason=f"klus.{kind}",
            now=self._clock.now(),
        )


async def locked(uow: UnitOfWork, approval_id: int) -> Approval | None:
    """The approval, locked after its klus: cancelling a klus locks in that order too, so the two
    never wait for each other (a deadlock on PostgreSQL)."""
    approval = await uow.approvals.get(approval_id)
    if approval is None:
        return None
    await uow.klussen.get(approval.klus_id, lock=True)
    return await uow.approvals.get(approval_id, lock=True)


def _role(approval: Approval, person_id: str) -> str:
    if approval.may_decide(person_id):
        return "approver"
    if person_id == approval.candidate_id:
        return "candidate"
    if person_id == approval.poster_id:
        return "poster"
    return "other"
