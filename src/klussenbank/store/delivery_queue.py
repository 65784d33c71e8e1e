"""The outbox in SQL, the worker side: claiming with SKIP LOCKED, then recording how each send ended."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import islice, zip_longest
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from klussenbank.domain.delivery import ON_ITS_WAY, Decision, DeliveryStatus
from klussenbank.services.ports.records import ClaimedDelivery, ConversationRef
from klussenbank.store.audit import SqlAudit
from klussenbank.store.db import engine_of, utc
from klussenbank.store.orm.outbox import OutboxDeliveryRow, OutboxMessageRow
from klussenbank.store.orm.people import ConversationRow, PersonRow
from klussenbank.store.repositories import SqlConversations, SqlOrganisations, SqlPeople, conversation_ref

PERSONAL = "personal"
# Waiting to go out, or waiting for an operator; the other statuses are finished.
BACKLOG = (*ON_ITS_WAY, DeliveryStatus.UNCONFIRMED, DeliveryStatus.DEAD)


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
        async with self._sessions() as session, session.begin():
            # One that died while sending may have arrived: flag it, never send it twice.
            await session.execute(
                update(OutboxDeliveryRow)
                .where(
                    OutboxDeliveryRow.status == DeliveryStatus.SENDING, OutboxDeliveryRow.lease_until < now
                )
                .values(status=DeliveryStatus.UNCONFIRMED.value, lease_until=None, updated_at=now)
            )
            candidates = await _fair_share(session, due, limit)
            if not candidates:
                return []
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
            turn = {delivery_id: n for n, delivery_id in enumerate(candidates)}
            return sorted(await _claimed(session, claimed), key=lambda delivery: turn[delivery.id])

    async def remember(self, conversation: ConversationRef, *, now: datetime) -> None:
        """Keep a conversation the worker opened, so later messages and updates find it."""
        async with self._sessions() as session, session.begin():
            people = SqlPeople(session, SqlOrganisations(session))
            await SqlConversations(session, people).save(conversation, now=now)

    async def start(self, delivery_id: int, worker: str, *, now: datetime) -> bool:
        """Mark the send as under way, just before it goes out; False if the lease was lost."""
        async with engine_of(self._sessions).begin() as connection:
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
        async with engine_of(self._sessions).begin() as connection:
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
        return await self._counts(DeliveryStatus)

    async def backlog(self) -> dict[str, int]:
        # Only the open statuses: the index on (status, next_attempt_at) finds them without reading
        # the sent ones, which pile up; so it is cheap enough for every scrape.
        return await self._counts(BACKLOG)

    async def _counts(self, statuses: Iterable[DeliveryStatus]) -> dict[str, int]:
        wanted = [status.value for status in statuses]
        async with self._sessions() as session:
            rows = await session.execute(
                select(OutboxDeliveryRow.status, func.count())
                .where(OutboxDeliveryRow.status.in_(wanted))
                .group_by(OutboxDeliveryRow.status)
            )
            found = {status: int(count) for status, count in rows.all()}
        return {status: found.get(status, 0) for status in wanted}

    async def by_tenant(self, since: datetime) -> dict[str | None, tuple[int, int]]:
        """Per recipient tenant: the backlog (waiting to go out or for an operator), and the sends
        that failed since `since` (still to be retried, or given up)."""
        failing = [
            DeliveryStatus.PENDING,
            DeliveryStatus.DEAD,
            DeliveryStatus.UNREACHABLE,
            DeliveryStatus.UNCONFIRMED,
        ]
        async with self._sessions() as session:
            backlog = dict(
                (
                    await session.execute(
                        select(OutboxDeliveryRow.tenant_id, func.count())
                        .where(OutboxDeliveryRow.status.in_([status.value for status in BACKLOG]))
                        .group_by(OutboxDeliveryRow.tenant_id)
                    )
                ).all()
            )
            failures = dict(
                (
                    await session.execute(
                        select(OutboxDeliveryRow.tenant_id, func.count())
                        .where(
                            OutboxDeliveryRow.status.in_([status.value for status in failing]),
                            OutboxDeliveryRow.last_error.is_not(None),
                            OutboxDeliveryRow.updated_at >= since,
                        )
                        .group_by(OutboxDeliveryRow.tenant_id)
                    )
                ).all()
            )
        return {
            tenant: (int(backlog.get(tenant, 0)), int(failures.get(tenant, 0)))
            for tenant in {*backlog, *failures}
        }

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


async def _fair_share(session: AsyncSession, due: ColumnElement[bool], limit: int) -> list[int]:
    """Up to `limit` due deliveries, taking turns between the recipients' tenants (oldest first within
    each): Teams' limits are per tenant, so a burst to one tenant must not wait in front of another's
    messages. Each tenant's are locked as in one queue; several workers skip each other's."""
    tenants = (await session.scalars(select(OutboxDeliveryRow.tenant_id).where(due).distinct())).all()
    queues = [
        (
            await session.scalars(
                select(OutboxDeliveryRow.id)
                .where(due, _same_tenant(tenant))
                .order_by(OutboxDeliveryRow.next_attempt_at, OutboxDeliveryRow.id)
                .limit(limit)
                # Several workers share the table on PostgreSQL: each skips what another has locked.
                .with_for_update(skip_locked=True)
            )
        ).all()
        for tenant in tenants
    ]
    turns = (delivery for round_ in zip_longest(*queues) for delivery in round_ if delivery is not None)
    return list(islice(turns, limit))


def _same_tenant(tenant: str | None) -> ColumnElement[bool]:
    column = OutboxDeliveryRow.tenant_id
    return column.is_(None) if tenant is None else column == tenant


async def _claimed(session: AsyncSession, ids: Sequence[int]) -> list[ClaimedDelivery]:
    """The claimed deliveries with what sending them needs, in a few queries for the whole batch."""
    if not ids:
        return []
    rows = (
        await session.execute(
            select(
                OutboxDeliveryRow,
                OutboxMessageRow.content,
                OutboxMessageRow.correlation_id,
                PersonRow.aad_object_id,
                PersonRow.tenant_id,
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
    by_id = await _conversations_by_id(
        session,
        {original.sent_conversation_id for original in originals.values() if original.sent_conversation_id}
        | {row.conversation_id for row, *_ in rows if row.person_id is None and row.conversation_id},
    )
    personal = await _personal_chats(
        session, {row.person_id for row, *_ in rows if row.person_id and row.updates_delivery_id is None}
    )
    templates: dict[str, ConversationRow | None] = {}
    claimed = []
    for row, content, correlation_id, aad_object_id, tenant_id in rows:
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
            claimed.append(ClaimedDelivery(row.id, row.attempts, content, target, aad_object_id, template))
        claimed[-1] = replace(claimed[-1], queued_at=utc(row.created_at), correlation_id=correlation_id)
    return claimed


async def _conversations_by_id(
    session: AsyncSession, conversation_ids: set[str]
) -> dict[str, ConversationRow]:
    if not conversation_ids:
        return {}
    found = await session.scalars(
        select(ConversationRow).where(ConversationRow.conversation_id.in_(conversation_ids))
    )
    return {conversation.conversation_id: conversation for conversation in found}


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
