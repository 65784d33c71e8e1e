"""The outbox in SQL, the producer side: what is queued commits in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.delivery import ON_ITS_WAY, DeliveryStatus
from klussenbank.services import correlation
from klussenbank.services.ports.records import Recipient, RecipientStatus
from klussenbank.store.orm.announcements import ChannelRow
from klussenbank.store.orm.outbox import OutboxDeliveryRow, OutboxMessageRow
from klussenbank.store.orm.people import ConversationRow, PersonRow


class SqlOutbox:
    """The producer side, inside a unit of work: what is queued commits with the change."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self, content: dict[str, Any], recipients: Sequence[Recipient], *, reason: str, now: datetime
    ) -> int:
        return (await self.enqueue_all([(content, recipients)], reason=reason, now=now))[0]

    async def enqueue_all(
        self, messages: Sequence[tuple[dict[str, Any], Sequence[Recipient]]], *, reason: str, now: datetime
    ) -> list[int]:
        if not messages:
            return []
        # A few statements however many messages: posting a klus tells up to 25 people at once. Each
        # delivery carries its recipient's tenant: that tenant's bot sends it, within its own limits.
        people = {
            r.person_aad_object_id for _, recipients in messages for r in recipients if r.person_aad_object_id
        }
        person_ids: dict[str, tuple[int, str | None]] = (
            {
                aad: (person_id, tenant_id)
                for aad, person_id, tenant_id in await self._session.execute(
                    select(PersonRow.aad_object_id, PersonRow.id, PersonRow.tenant_id).where(
                        PersonRow.aad_object_id.in_(people)
                    )
                )
            }
            if people
            else {}
        )
        channels = {
            r.conversation_id
            for _, recipients in messages
            for r in recipients
            if r.conversation_id and not r.person_aad_object_id
        }
        channel_tenants: dict[str, str | None] = (
            dict(
                (
                    await self._session.execute(
                        select(ConversationRow.conversation_id, ConversationRow.tenant_id).where(
                            ConversationRow.conversation_id.in_(channels)
                        )
                    )
                ).all()
            )
            if channels
            else {}
        )
        for _, recipients in messages:
            for recipient in recipients:
                aad = recipient.person_aad_object_id
                if aad is not None and aad not in person_ids:
                    raise LookupError(f"outbox recipient {aad} is not a known person")
        correlation_id = correlation.current()
        message_ids = list(
            await self._session.scalars(
                insert(OutboxMessageRow).returning(OutboxMessageRow.id, sort_by_parameter_order=True),
                [
                    {
                        "reason": reason,
                        "content": content,
                        "created_at": now,
                        "correlation_id": correlation_id,
                    }
                    for content, _ in messages
                ],
            )
        )
        deliveries = []
        for message_id, (_, recipients) in zip(message_ids, messages, strict=True):
            for r in recipients:
                person_id, tenant_id = (
                    person_ids[r.person_aad_object_id] if r.person_aad_object_id else (None, None)
                )
                deliveries.append(
                    _pending_values(
                        message_id,
                        now,
                        person_id=person_id,
                        conversation_id=r.conversation_id,
                        tenant_id=tenant_id or channel_tenants.get(r.conversation_id or ""),
                    )
                )
        if deliveries:
            await self._session.execute(insert(OutboxDeliveryRow), deliveries)
        return message_ids

    async def enqueue_update(
        self, message_id: int, content: dict[str, Any], *, reason: str, now: datetime
    ) -> int:
        update_message = OutboxMessageRow(
            reason=reason, content=content, created_at=now, correlation_id=correlation.current()
        )
        self._session.add(update_message)
        await self._session.flush()
        # Copies still on their way are updated once they are sent (the update waits for them).
        originals = (
            await self._session.scalars(
                select(OutboxDeliveryRow).where(
                    OutboxDeliveryRow.message_id == message_id,
                    OutboxDeliveryRow.status.in_([DeliveryStatus.SENT, *ON_ITS_WAY]),
                    OutboxDeliveryRow.updates_delivery_id.is_(None),
                )
            )
        ).all()
        if originals:
            # An earlier update that has not gone out yet would only show an older state.
            await self._session.execute(
                update(OutboxDeliveryRow)
                .where(
                    OutboxDeliveryRow.updates_delivery_id.in_([o.id for o in originals]),
                    OutboxDeliveryRow.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
                )
                .values(status=DeliveryStatus.SUPERSEDED.value, lease_until=None, updated_at=now)
            )
        for original in originals:
            self._session.add(
                _pending(
                    update_message.id,
                    now,
                    person_id=original.person_id,
                    conversation_id=original.sent_conversation_id,
                    tenant_id=original.tenant_id,
                    updates_delivery_id=original.id,
                )
            )
        await self._session.flush()
        return update_message.id

    async def cancel(self, message_id: int, *, now: datetime) -> int:
        result = await self._session.execute(
            update(OutboxDeliveryRow)
            .where(
                OutboxDeliveryRow.message_id == message_id,
                OutboxDeliveryRow.status == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.CANCELLED.value, updated_at=now)
        )
        return int(getattr(result, "rowcount", 0))

    async def counts(self, message_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(OutboxDeliveryRow.status, func.count())
            .where(
                OutboxDeliveryRow.message_id == message_id, OutboxDeliveryRow.updates_delivery_id.is_(None)
            )
            .group_by(OutboxDeliveryRow.status)
        )
        return {status: count for status, count in rows}

    async def recipients(self, message_id: int) -> list[RecipientStatus]:
        rows = await self._session.execute(
            select(
                PersonRow.name,
                PersonRow.email,
                ChannelRow.team_name,
                ChannelRow.channel_name,
                OutboxDeliveryRow,
            )
            .outerjoin(PersonRow, PersonRow.id == OutboxDeliveryRow.person_id)
            .outerjoin(ChannelRow, ChannelRow.conversation_id == OutboxDeliveryRow.conversation_id)
            .where(
                OutboxDeliveryRow.message_id == message_id, OutboxDeliveryRow.updates_delivery_id.is_(None)
            )
            .order_by(OutboxDeliveryRow.id)
        )
        return [
            RecipientStatus(
                name=name or channel or "",
                email=email or "",
                channel=f"{team} › {channel}" if channel else "",
                status=delivery.status,
            )
            for name, email, team, channel, delivery in rows
        ]


def _pending(message_id: int, now: datetime, **recipient: Any) -> OutboxDeliveryRow:
    return OutboxDeliveryRow(**_pending_values(message_id, now, **recipient))


def _pending_values(message_id: int, now: datetime, **recipient: Any) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
        "updates_delivery_id": None,
        "conversation_id": None,
        **recipient,
    }
