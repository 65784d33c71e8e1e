"""The outbox in SQL: queueing in the caller's transaction, claiming with SKIP LOCKED, rate buckets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from klussenbank.domain.delivery import ON_ITS_WAY, Decision, DeliveryStatus, Limit, reserve
from klussenbank.services.ports.records import ClaimedDelivery, ConversationRef, Recipient, RecipientStatus
from klussenbank.store.orm import (
    ChannelRow,
    ConversationRow,
    OutboxDeliveryRow,
    OutboxMessageRow,
    PersonRow,
    RateLimitRow,
)
from klussenbank.store.privacy import SqlAudit
from klussenbank.store.repositories import SqlConversations, SqlOrganisations, SqlPeople, conversation_ref

PERSONAL = "personal"


def _engine(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The engine behind `sessions`: the statements sent for every message (book, start, finish) go
    through a plain connection, without a session's bookkeeping (about a tenth of a worker's CPU)."""
    engine = sessions.kw["bind"]
    assert isinstance(engine, AsyncEngine)
    return engine


class SqlOutbox:
    """The producer side, inside a unit of work: what is queued commits with the change."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self, content: dict[str, Any], recipients: Sequence[Recipient], *, reason: str, now: datetime
    ) -> int:
        message = OutboxMessageRow(reason=reason, content=content, created_at=now)
        self._session.add(message)
        await self._session.flush()
        people = [r.person_aad_object_id for r in recipients if r.person_aad_object_id]
        person_ids = dict(
            (
                await self._session.execute(
                    select(PersonRow.aad_object_id, PersonRow.id).where(PersonRow.aad_object_id.in_(people))
                )
            ).all()
        )
        for recipient in recipients:
            aad = recipient.person_aad_object_id
            if aad is not None and aad not in person_ids:
                raise LookupError(f"outbox recipient {aad} is not a known person")
            self._session.add(
                _pending(
                    message.id,
                    now,
                    person_id=person_ids[aad] if aad else None,
                    conversation_id=recipient.conversation_id,
                )
            )
        await self._session.flush()
        return message.id

    async def enqueue_update(
        self, message_id: int, content: dict[str, Any], *, reason: str, now: datetime
    ) -> int:
        update_message = OutboxMessageRow(reason=reason, content=content, created_at=now)
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


class SqlDeliveryQueue:
    """The worker side: each call is one short transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(
        self, worker: str, limit: int, *, now: datetime, lease: timedelta
    ) -> list[ClaimedDelivery]:
        due = or_(
            and_(
                OutboxDeliveryRow.status == DeliveryStatus.PENDING, OutboxDeliveryRow.next_attempt_at <= now
            ),
            # A worker that died before it started this one left its lease: due again.
            and_(OutboxDeliveryRow.status == DeliveryStatus.CLAIMED, OutboxDeliveryRow.lease_until < now),
        )
        candidates = (
            select(OutboxDeliveryRow.id)
            .where(due)
            .order_by(OutboxDeliveryRow.next_attempt_at, OutboxDeliveryRow.id)
            .limit(limit)
            # Several workers share the table on PostgreSQL: each skips what another has locked.
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with self._sessions() as session, session.begin():
            # One that died while sending may have arrived: flag it, never send it twice.
            await session.execute(
                update(OutboxDeliveryRow)
                .where(
                    OutboxDeliveryRow.status == DeliveryStatus.SENDING, OutboxDeliveryRow.lease_until < now
                )
                .values(status=DeliveryStatus.UNCONFIRMED.value, lease_until=None, updated_at=now)
            )
            claimed = (
                await session.scalars(
                    update(OutboxDeliveryRow)
                    .where(OutboxDeliveryRow.id.in_(candidates))
                    .values(
                        status=DeliveryStatus.CLAIMED.value,
                        worker=worker,
                        lease_until=now + lease,
                        attempts=OutboxDeliveryRow.attempts + 1,
                        updated_at=now,
                    )
                    .returning(OutboxDeliveryRow.id)
                )
            ).all()
            return await self._load(session, claimed)

    async def _load(self, session: AsyncSession, ids: Sequence[int]) -> list[ClaimedDelivery]:
        """The claimed deliveries with what sending them needs, in a few queries for the whole batch."""
        if not ids:
            return []
        rows = (
            await session.execute(
                select(
                    OutboxDeliveryRow, OutboxMessageRow.content, PersonRow.aad_object_id, PersonRow.tenant_id
                )
                .join(OutboxMessageRow, OutboxMessageRow.id == OutboxDeliveryRow.message_id)
                .outerjoin(PersonRow, PersonRow.id == OutboxDeliveryRow.person_id)
                .where(OutboxDeliveryRow.id.in_(ids))
                .order_by(OutboxDeliveryRow.id)
            )
        ).all()
        updates = [row.updates_delivery_id for row, *_ in rows if row.updates_delivery_id is not None]
        originals: dict[int, OutboxDeliveryRow] = {}
        if updates:
            originals = {
                original.id: original
                for original in await session.scalars(
                    select(OutboxDeliveryRow).where(OutboxDeliveryRow.id.in_(updates))
                )
            }
        # An update goes to the conversation of the original; a message to a channel or group to its own.
        by_id = await self._conversations_by_id(
            session,
            {
                original.sent_conversation_id
                for original in originals.values()
                if original.sent_conversation_id
            }
            | {row.conversation_id for row, *_ in rows if row.person_id is None and row.conversation_id},
        )
        personal = await self._personal_chats(
            session, {row.person_id for row, *_ in rows if row.person_id and row.updates_delivery_id is None}
        )
        templates: dict[str, ConversationRow | None] = {}
        claimed = []
        for row, content, aad_object_id, tenant_id in rows:
            if row.updates_delivery_id is not None:
                original = originals[row.updates_delivery_id]
                found = by_id.get(original.sent_conversation_id or "")
                target = conversation_ref(found, None) if found else None
                claimed.append(
                    ClaimedDelivery(
                        row.id,
                        row.attempts,
                        content,
                        target,
                        None,
                        replaces_activity_id=original.activity_id,
                        original=DeliveryStatus(original.status),
                    )
                )
            elif row.person_id is None:
                found = by_id.get(row.conversation_id or "")
                target = conversation_ref(found, None) if found else None
                claimed.append(ClaimedDelivery(row.id, row.attempts, content, target, None))
            else:
                chat = personal.get(row.person_id)
                template = None
                if chat is None:
                    if tenant_id not in templates:
                        templates[tenant_id] = await session.scalar(
                            select(ConversationRow)
                            .where(ConversationRow.tenant_id == tenant_id)
                            .order_by(ConversationRow.updated_at.desc())
                            .limit(1)
                        )
                    any_in_tenant = templates[tenant_id]
                    template = conversation_ref(any_in_tenant, None) if any_in_tenant else None
                target = conversation_ref(chat, aad_object_id) if chat else None
                claimed.append(
                    ClaimedDelivery(row.id, row.attempts, content, target, aad_object_id, template)
                )
        return claimed

    @staticmethod
    async def _conversations_by_id(
        session: AsyncSession, conversation_ids: set[str]
    ) -> dict[str, ConversationRow]:
        if not conversation_ids:
            return {}
        found = await session.scalars(
            select(ConversationRow).where(ConversationRow.conversation_id.in_(conversation_ids))
        )
        return {conversation.conversation_id: conversation for conversation in found}

    @staticmethod
    async def _personal_chats(session: AsyncSession, person_ids: set[int]) -> dict[int, ConversationRow]:
        """Each person's personal chat, the most recently used one if there are several."""
        if not person_ids:
            return {}
        chats: dict[int, ConversationRow] = {}
        for chat in await session.scalars(
            select(ConversationRow)
            .where(ConversationRow.person_id.in_(person_ids), ConversationRow.conversation_type == PERSONAL)
            .order_by(ConversationRow.updated_at, ConversationRow.id)
        ):
            if chat.person_id is not None:
                chats[chat.person_id] = chat  # later ones (more recently used) win
        return chats

    async def remember(self, conversation: ConversationRef, *, now: datetime) -> None:
        """Keep a conversation the worker opened, so later messages and updates find it."""
        async with self._sessions() as session, session.begin():
            people = SqlPeople(session, SqlOrganisations(session))
            await SqlConversations(session, people).save(conversation, now=now)

    async def start(self, delivery_id: int, worker: str, *, now: datetime) -> bool:
        """Mark the send as under way, just before it goes out; False if the lease was lost."""
        async with _engine(self._sessions).begin() as connection:
            result = await connection.execute(
                update(OutboxDeliveryRow)
                .where(
                    OutboxDeliveryRow.id == delivery_id,
                    OutboxDeliveryRow.worker == worker,
                    OutboxDeliveryRow.status == DeliveryStatus.CLAIMED,
                )
                .values(status=DeliveryStatus.SENDING.value, updated_at=now)
            )
            return bool(getattr(result, "rowcount", 0))

    async def sent(
        self, delivery_id: int, worker: str, *, conversation_id: str, activity_id: str, now: datetime
    ) -> None:
        await self._finish(
            delivery_id,
            worker,
            status=DeliveryStatus.SENT.value,
            sent_conversation_id=conversation_id,
            activity_id=activity_id,
            sent_at=now,
            last_error=None,
            updated_at=now,
        )

    async def failed(
        self, delivery_id: int, worker: str, decision: Decision, error: str, *, now: datetime
    ) -> None:
        await self._finish(
            delivery_id,
            worker,
            status=decision.status.value,
            next_attempt_at=now + timedelta(seconds=decision.delay),
            attempts=OutboxDeliveryRow.attempts - (0 if decision.counts_as_attempt else 1),
            last_error=error[:500],
            updated_at=now,
        )

    async def _finish(self, delivery_id: int, worker: str, **values: Any) -> None:
        """Record how a send ended, if this worker still holds the delivery; the lease ends."""
        async with _engine(self._sessions).begin() as connection:
            await connection.execute(
                update(OutboxDeliveryRow)
                .where(OutboxDeliveryRow.id == delivery_id, OutboxDeliveryRow.worker == worker)
                .values(lease_until=None, **values)
            )

    async def release(self, worker: str, *, now: datetime) -> int:
        """Give back claimed deliveries this worker has not started (a graceful stop)."""
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(OutboxDeliveryRow)
                .where(OutboxDeliveryRow.worker == worker, OutboxDeliveryRow.status == DeliveryStatus.CLAIMED)
                .values(
                    status=DeliveryStatus.PENDING.value,
                    attempts=OutboxDeliveryRow.attempts - 1,
                    lease_until=None,
                    worker=None,
                    updated_at=now,
                )
            )
            return int(getattr(result, "rowcount", 0))

    async def counts(self) -> dict[str, int]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(OutboxDeliveryRow.status, func.count()).group_by(OutboxDeliveryRow.status)
            )
            found = {status: int(count) for status, count in rows.all()}
        return {status.value: found.get(status.value, 0) for status in DeliveryStatus}

    async def retry(self, actor: str, *, now: datetime, unconfirmed: bool = False) -> int:
        """Queue dead-lettered deliveries again; with `unconfirmed`, the in-doubt ones too. The
        audit log records who did it, in the same transaction."""
        statuses = [DeliveryStatus.DEAD, *([DeliveryStatus.UNCONFIRMED] if unconfirmed else [])]
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(OutboxDeliveryRow)
                .where(OutboxDeliveryRow.status.in_(statuses))
                .values(status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=now, updated_at=now)
            )
            count = int(getattr(result, "rowcount", 0))
            which = " and ".join(status.value for status in statuses)
            await SqlAudit(session).add(actor, "outbox.retried", f"{count} {which} deliveries", now=now)
            return count


# A limit unused this long has no effect on any booking (its interval is at most 0.5 s), so
# forgetting it changes nothing.
IDLE_LIMIT = 60.0


class MemoryRateLimiter:
    """Limits in this process: right when one worker sends (SQLite's single writer)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._next_free: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def reserve(self, limits: Sequence[Limit]) -> float:
        async with self._lock:
            now = self._clock()
            at, after = reserve(limits, [self._next_free.get(limit.key, 0.0) for limit in limits], now)
            self._next_free.update(zip((limit.key for limit in limits), after, strict=True))
            return at - now

    async def prune(self) -> int:
        async with self._lock:
            cutoff = self._clock() - IDLE_LIMIT
            stale = [key for key, at in self._next_free.items() if at < cutoff]
            for key in stale:
                del self._next_free[key]
            return len(stale)


class SqlRateLimiter:
    """Limits in PostgreSQL, locked row by row: one budget for every worker, one round trip a message."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def reserve(self, limits: Sequence[Limit]) -> float:
        ordered = sorted(limits, key=lambda limit: limit.key)  # one lock order: no deadlocks
        keys = [limit.key for limit in ordered]
        async with _engine(self._sessions).begin() as connection:
            fresh = [{"key": key, "next_free": 0.0} for key in keys]
            await connection.execute(pg_insert(RateLimitRow).values(fresh).on_conflict_do_nothing())
            next_free = dict(
                (
                    await connection.execute(
                        select(RateLimitRow.key, RateLimitRow.next_free)
                        .where(RateLimitRow.key.in_(keys))
                        .order_by(RateLimitRow.key)
                        .with_for_update()
                    )
                ).all()
            )
            # Read the clock once the rows are locked: every worker books after the one before it.
            at, after = reserve(ordered, [next_free[key] for key in keys], time.time())
            await connection.execute(
                update(RateLimitRow)
                .where(RateLimitRow.key.in_(keys))
                .values(next_free=case(dict(zip(keys, after, strict=True)), value=RateLimitRow.key))
            )
        return max(0.0, at - time.time())

    async def prune(self) -> int:
        async with self._sessions() as session, session.begin():
            stale = RateLimitRow.next_free < time.time() - IDLE_LIMIT
            result = await session.execute(delete(RateLimitRow).where(stale))
            return int(getattr(result, "rowcount", 0))
