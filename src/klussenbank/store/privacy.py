"""Everything Klussenbank holds about one person: to show it to them (store/personal_data.py), to erase
it, and to purge it once retention ends."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from klussenbank.domain.delivery import ON_ITS_WAY, DeliveryStatus
from klussenbank.domain.klus import KlusStatus
from klussenbank.store.orm.announcements import AnnouncementRow
from klussenbank.store.orm.approvals import AgreementRow, ApprovalCardRow, ApprovalEventRow, ApprovalRow
from klussenbank.store.orm.growth import PulseRow, SkillConfirmationRow
from klussenbank.store.orm.klussen import InterestRow, KlusRow, SuggestionRow
from klussenbank.store.orm.outbox import OutboxDeliveryRow, OutboxMessageRow
from klussenbank.store.orm.people import AvailabilityRow, ConversationRow, OrganisationRow, PersonRow
from klussenbank.store.orm.privacy import AccessLogRow
from klussenbank.store.orm.talent import TalentDateRow
from klussenbank.store.orm.work import EvaluationRow
from klussenbank.store.personal_data import matches_of, personal_data
from klussenbank.store.tracks import erase_tracks

ERASED_CONTENT: dict[str, Any] = {"erased": True}
UNFINISHED = (*ON_ITS_WAY, DeliveryStatus.UNCONFIRMED)
MIN_TRACE = 3  # shorter texts (a motivation "ok") would match everywhere


class SqlPrivacy:
    """The privacy port: a person's export, their erasure, and the retention purges."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def export(self, aad_object_id: str) -> dict[str, Any] | None:
        return await personal_data(self._session, aad_object_id)

    async def erase(self, aad_object_id: str, pseudonym: str, *, now: datetime) -> list[int]:
        """Delete or anonymise everything personal; what stays (statuses, hours, dates) counts in
        reports under `pseudonym`, which links to nobody. The messages about the person that were
        delivered, to be changed in the chats too."""
        person = await self._session.scalar(select(PersonRow).where(PersonRow.aad_object_id == aad_object_id))
        if person is None:
            return []
        traces = {aad_object_id, person.name, person.email}
        availability = await self._session.get(AvailabilityRow, person.id)
        if availability is not None:
            traces |= {availability.intro, availability.talent_text}
            await self._session.delete(availability)
        # Their dates, asked or asked of them: the texts name what they do; no figures depend on them.
        theirs = (TalentDateRow.requester_id == person.id) | (TalentDateRow.talent_id == person.id)
        traces |= set(await self._session.scalars(select(TalentDateRow.text).where(theirs)))
        await self._session.execute(delete(TalentDateRow).where(theirs))
        motivations = await self._session.scalars(
            select(InterestRow.motivation).where(
                InterestRow.person_id == person.id, InterestRow.motivation != ""
            )
        )
        traces |= set(motivations)
        traces = {trace for trace in traces if len(trace) >= MIN_TRACE}
        await self._session.execute(
            update(InterestRow)
            .where(InterestRow.person_id == person.id)
            .values(motivation="", updated_at=now)
        )
        await self._session.execute(delete(ConversationRow).where(ConversationRow.person_id == person.id))
        await self._session.execute(
            delete(SkillConfirmationRow).where(SkillConfirmationRow.person_id == person.id)
        )
        # Their pulse answers keep only the score, for HR's averages.
        await self._session.execute(
            update(PulseRow).where(PulseRow.person_id == person.id).values(text="", signed=False)
        )
        await self._session.execute(delete(AccessLogRow).where(AccessLogRow.subject_id == aad_object_id))
        await self._session.execute(
            update(AccessLogRow).where(AccessLogRow.viewer_id == aad_object_id).values(viewer_id=pseudonym)
        )
        await self._session.execute(
            update(ApprovalRow).where(ApprovalRow.candidate_id == aad_object_id).values(reason="")
        )
        await self._blank_evaluations(EvaluationRow.approval_id.in_(matches_of(aad_object_id)))
        # Agreements name every party: the organisations keep their signed copies, we keep none.
        involved = select(ApprovalRow.id).where(
            (ApprovalRow.candidate_id == aad_object_id)
            | (ApprovalRow.poster_id == aad_object_id)
            | (ApprovalRow.decided_by == aad_object_id)
            | ApprovalRow.id.in_(
                select(ApprovalEventRow.approval_id).where(ApprovalEventRow.actor_id == aad_object_id)
            )
        )
        await self._session.execute(delete(AgreementRow).where(AgreementRow.approval_id.in_(involved)))
        for column in ("candidate_id", "poster_id", "approver_id", "delegated_by", "decided_by"):
            field = getattr(ApprovalRow, column)
            await self._session.execute(
                update(ApprovalRow).where(field == aad_object_id).values({column: pseudonym})
            )
        await self._session.execute(
            update(ApprovalCardRow)
            .where(ApprovalCardRow.person_id == aad_object_id)
            .values(person_id=pseudonym)
        )
        for column in ("actor_id", "approver_id"):
            field = getattr(ApprovalEventRow, column)
            await self._session.execute(
                update(ApprovalEventRow).where(field == aad_object_id).values({column: pseudonym})
            )
        await self._session.execute(
            update(AnnouncementRow)
            .where(AnnouncementRow.author_id == aad_object_id)
            .values(author_id=pseudonym)
        )
        await self._session.execute(
            update(OutboxDeliveryRow)
            .where(
                OutboxDeliveryRow.person_id == person.id, OutboxDeliveryRow.status == DeliveryStatus.PENDING
            )
            .values(status=DeliveryStatus.CANCELLED.value, updated_at=now)
        )
        await erase_tracks(self._session, person, pseudonym)
        delivered = await self._scrub_messages(traces, now)
        await self._scrub_channel_references(traces)
        person.aad_object_id = pseudonym
        person.name = ""
        person.email = ""
        person.tenant_id = ""
        person.locale = ""
        person.digest = False
        person.updated_at = now
        await self._session.flush()
        return delivered

    async def purge_closed(self, organisation_key: str, before: datetime) -> int:
        """Retention: what is personal about this organisation's klussen that closed (cancelled,
        expired, or ended) before `before` goes; the figures stay. How many klussen were purged."""
        closed = (
            select(KlusRow.id)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .where(
                OrganisationRow.key == organisation_key,
                or_(
                    and_(
                        KlusRow.status.in_([KlusStatus.CANCELLED, KlusStatus.EXPIRED]),
                        KlusRow.updated_at < before,
                    ),
                    and_(
                        KlusRow.status.in_([KlusStatus.FILLED, KlusStatus.COMPLETED]),
                        KlusRow.end_date < before.date(),
                    ),
                ),
            )
        )
        ids = list(await self._session.scalars(closed))
        if not ids:
            return 0
        approvals = select(ApprovalRow.id).where(ApprovalRow.klus_id.in_(ids))
        await self._session.execute(
            update(InterestRow).where(InterestRow.klus_id.in_(ids)).values(motivation="")
        )
        await self._session.execute(update(ApprovalRow).where(ApprovalRow.klus_id.in_(ids)).values(reason=""))
        await self._blank_evaluations(EvaluationRow.approval_id.in_(approvals))
        await self._session.execute(
            delete(SkillConfirmationRow).where(SkillConfirmationRow.approval_id.in_(approvals))
        )
        await self._session.execute(delete(AgreementRow).where(AgreementRow.approval_id.in_(approvals)))
        await self._session.execute(delete(ApprovalCardRow).where(ApprovalCardRow.approval_id.in_(approvals)))
        await self._session.execute(delete(AccessLogRow).where(AccessLogRow.klus_id.in_(ids)))
        await self._session.execute(delete(SuggestionRow).where(SuggestionRow.klus_id.in_(ids)))
        return len(ids)

    async def purge_talent(self, before: datetime) -> int:
        """Retention of talent search: dates asked before `before`, and the access-log rows of looks
        outside any klus (talent searches, date requests) from before then. How many dates."""
        result = await self._session.execute(delete(TalentDateRow).where(TalentDateRow.created_at < before))
        await self._session.execute(
            delete(AccessLogRow).where(AccessLogRow.klus_id.is_(None), AccessLogRow.at < before)
        )
        return int(getattr(result, "rowcount", 0))

    async def purge_messages(self, before: datetime) -> int:
        """Retention of the outbox: messages older than `before` that are done with go."""
        unfinished = select(OutboxDeliveryRow.message_id).where(
            OutboxDeliveryRow.status.in_(list(UNFINISHED))
        )
        result = await self._session.execute(
            delete(OutboxMessageRow).where(
                OutboxMessageRow.created_at < before, OutboxMessageRow.id.not_in(unfinished)
            )
        )
        return int(getattr(result, "rowcount", 0))

    async def purge_pulses(self, before: datetime) -> int:
        """Retention of the pulse: the texts (and names) of answers given before then go; the scores
        stay for the figures. How many answers."""
        result = await self._session.execute(
            update(PulseRow)
            .where(PulseRow.sent_at < before, (PulseRow.text != "") | PulseRow.signed)
            .values(text="", signed=False)
        )
        return int(getattr(result, "rowcount", 0))

    async def _blank_evaluations(self, which: ColumnElement[bool]) -> None:
        """The texts of evaluations go; the scores stay for the reports' averages."""
        await self._session.execute(
            update(EvaluationRow).where(which).values(went_well="", could_be_better="", skills=[])
        )

    async def _scrub_messages(self, traces: set[str], now: datetime) -> list[int]:
        """Cards naming the person (to posters, approvers): their text goes; what was not sent, too.
        The ids of the messages in the chats that show them (an update shows in its original's place)."""
        original = aliased(OutboxDeliveryRow)
        shown_in = (
            select(func.coalesce(original.message_id, OutboxDeliveryRow.message_id))
            .select_from(OutboxDeliveryRow)
            .outerjoin(original, original.id == OutboxDeliveryRow.updates_delivery_id)
            .where(OutboxDeliveryRow.status == DeliveryStatus.SENT)
        )
        delivered: set[int] = set()
        for message in await self._session.scalars(select(OutboxMessageRow)):
            if not _mentions(message.content, traces):
                continue
            message.content = ERASED_CONTENT
            delivered |= set(
                await self._session.scalars(shown_in.where(OutboxDeliveryRow.message_id == message.id))
            )
            await self._session.execute(
                update(OutboxDeliveryRow)
                .where(
                    OutboxDeliveryRow.message_id == message.id,
                    OutboxDeliveryRow.status == DeliveryStatus.PENDING,
                )
                .values(status=DeliveryStatus.CANCELLED.value, updated_at=now)
            )
        return sorted(delivered)

    async def _scrub_channel_references(self, traces: set[str]) -> None:
        """A channel's reference names whoever spoke there last: not them any more."""
        for row in await self._session.scalars(
            select(ConversationRow).where(ConversationRow.person_id.is_(None))
        ):
            if _mentions(row.reference, traces):
                row.reference = {key: value for key, value in row.reference.items() if key != "user"}


def _mentions(value: object, traces: set[str]) -> bool:
    text = json.dumps(value, ensure_ascii=False)
    return any(trace in text for trace in traces)
