"""The outbox in SQL, the producer side: what is queued commits in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
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
        message = OutboxMessageRow(
            reason=reason, content=content, created_at=now, correlation_id=correlation.current()
        )
        self._session.add(message)
        await self._session.flush()
        people = [r.person_aad_object_id for r in recipients if r.person_aad_object_id]
        person_ids = {
            aad: (person_id, tenant_id)
            for aad, person_id, tenant_id in await self._session.execute(
                select(PersonRow.aad_object_id, PersonRow.id, PersonRow.tenant_id).where(
                    PersonRow.aad_object_id.in_(people)
                )
            )
        }
        channels = [r.conversation_id for r in recipients if r.conversation_id and not r.person_aad_object_id]
        channel_tenants = dict(
            (
                await self._session.execute(
                    select(ConversationRow.conversation_id, ConversationRow.tenant_id).where(
                        ConversationRow.conversation_id.in_(channels)
                    )
                )
            ).all()
        )
        for recipient in recipients:
            aad = recipient.person_aad_object_id
            if aad is not None and aad not in person_ids:
                raise LookupError(f"outbox recipient {aad} is not a known person")
            person_id, tenant_id = person_ids[aad] if aad else (None, None)
            self._session.add(
                _pending(
                    message.id,
                    now,
                    person_id=person_id,
                    conversation_id=recipient.conversation_id,
                    tenant_id=tenant_id or channel_tenants.get(recipient.conversation_id or ""),
                )
            )
        await self._session.flush()
        return message.id

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
    return OutboxDeliveryRow(
        message_id=message_id,
        status=DeliveryStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
        **recipient,
    )
