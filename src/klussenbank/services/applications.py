"""`mijn reacties`: every klus I showed interest in or was invited to, where it stands, and what I
can do next."""

from __future__ import annotations

from dataclasses import dataclass

from klussenbank.domain.approval import ApprovalStatus
from klussenbank.domain.klus import InterestStatus
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.klus_views import klus_view
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.views import KlusView

SHOWN = 20  # reactions on the card, the ones that need me first

# Which reactions come first: mine to answer, then waiting for others, then at work, then closed.
_ORDER = {
    InterestStatus.CHOSEN: 0,
    InterestStatus.INVITED: 1,
    InterestStatus.INTERESTED: 2,
    InterestStatus.CONFIRMED: 3,
    InterestStatus.APPROVED: 4,
}


@dataclass(frozen=True)
class Application:
    """One klus I reacted to (or was invited to), as I stand on it."""

    klus: KlusView
    status: InterestStatus
    approval_id: int | None = None  # once I said yes: the approval of the match
    work_done: bool = False
    agreement: bool = False  # approved, and its agreement is there to open


@dataclass(frozen=True)
class ApplicationsView:
    applications: tuple[Application, ...]
    more: int  # older reactions not on the card
    has_profile: bool


class ApplicationsService:
    def __init__(self, uow: UnitOfWorkFactory, *, vocabulary: SkillVocabulary) -> None:
        self._uow = uow
        self._vocabulary = vocabulary

    async def mine(self, actor: Actor) -> ApplicationsView:
        me = actor.aad_object_id
        async with self._uow() as uow:
            interests = sorted(
                await uow.interests.for_person(me),
                key=lambda i: (_ORDER.get(i.status, len(_ORDER)), -i.klus_id),
            )
            applications = []
            for interest in interests[:SHOWN]:
                klus = await uow.klussen.get(interest.klus_id)
                if klus is None:
                    continue
                approval = await uow.approvals.for_match(klus.id, me)
                approved = approval if approval and approval.status is ApprovalStatus.APPROVED else None
                applications.append(
                    Application(
                        await klus_view(uow, klus, self._vocabulary),
                        interest.status,
                        approval.id if approval else None,
                        work_done=approved is not None and approved.completed_at is not None,
                        agreement=approved is not None
                        and await uow.agreements.number(approved.id) is not None,
                    )
                )
            return ApplicationsView(
                tuple(applications),
                max(0, len(interests) - SHOWN),
                await uow.availability.get(me) is not None,
            )
