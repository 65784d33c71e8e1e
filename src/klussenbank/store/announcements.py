"""SQL repositories of announcements, the channels the app is in, and the weekly digests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.announcement import Announcement, AnnouncementStatus
from klussenbank.services.ports.records import Channel
from klussenbank.store.db import insert_for, utc
from klussenbank.store.orm.announcements import AnnouncementRow, ChannelRow, DigestRunRow


class SqlChannels:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, channel: Channel, *, now: datetime) -> None:
        values = {
            "conversation_id": channel.conversation_id,
            "team_id": channel.team_id,
            "team_name": channel.team_name,
            "channel_name": channel.channel_name,
            "active": True,
            "updated_at": now,
        }
        insert = insert_for(self._session)
        # Most events name the team or the channel, not both (a message names neither): keep
        # the names already known rather than wipe them.
        changes = {k: v for k, v in values.items() if k != "conversation_id" and v != ""}
        await self._session.execute(
            insert(ChannelRow)
            .values(values)
            .on_conflict_do_update(index_elements=[ChannelRow.conversation_id], set_=changes)
        )

    async def remove(self, conversation_id: str, *, now: datetime) -> None:
        await self._session.execute(
            update(ChannelRow)
            .where(ChannelRow.conversation_id == conversation_id)
            .values(active=False, updated_at=now)
        )

    async def remove_team(self, team_id: str, *, now: datetime) -> None:
        await self._session.execute(
            update(ChannelRow).where(ChannelRow.team_id == team_id).values(active=False, updated_at=now)
        )

    async def active(self) -> list[Channel]:
        rows = await self._session.scalars(
            select(ChannelRow)
            .where(ChannelRow.active)
            .order_by(ChannelRow.team_name, ChannelRow.channel_name)
        )
        return [Channel(r.conversation_id, r.team_id, r.team_name, r.channel_name) for r in rows]


def _announcement(row: AnnouncementRow) -> Announcement:
    return Announcement(
        id=row.id,
        author_id=row.author_id,
        organisation_key=row.organisation_key,
        title=row.title,
        text=row.text,
        link_title=row.link_title,
        link_url=row.link_url,
        channels=tuple(row.channels),
        organisations=tuple(row.organisations),
        status=AnnouncementStatus(row.status),
        send_at=utc(row.send_at),
        created_at=utc(row.created_at),
        message_id=row.message_id,
        report_message_id=row.report_message_id,
    )


class SqlAnnouncements:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, announcement: Announcement, *, now: datetime) -> int:
        row = AnnouncementRow(created_at=announcement.created_at, report_counts={})
        self._fill(row, announcement, now)
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def save(self, announcement: Announcement, *, now: datetime) -> None:
        row = await self._session.get(AnnouncementRow, announcement.id)
        if row is None:
            raise LookupError(f"no announcement {announcement.id}")
        self._fill(row, announcement, now)
        await self._session.flush()

    @staticmethod
    def _fill(row: AnnouncementRow, a: Announcement, now: datetime) -> None:
        row.author_id = a.author_id
        row.organisation_key = a.organisation_key
        row.title = a.title
        row.text = a.text
        row.link_title = a.link_title
        row.link_url = a.link_url
        row.channels = list(a.channels)
        row.organisations = list(a.organisations)
        row.status = a.status.value
        row.send_at = a.send_at
        row.message_id = a.message_id
        row.report_message_id = a.report_message_id
        row.updated_at = now

    async def get(self, announcement_id: int, *, lock: bool = False) -> Announcement | None:
        statement = select(AnnouncementRow).where(AnnouncementRow.id == announcement_id)
        if lock:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement.execution_options(populate_existing=True))
        return _announcement(row) if row else None

    async def due(self, now: datetime) -> list[Announcement]:
        return await self._list(
            AnnouncementRow.status == AnnouncementStatus.SCHEDULED.value, AnnouncementRow.send_at <= now
        )

    async def sending(self) -> list[Announcement]:
        return await self._list(AnnouncementRow.status == AnnouncementStatus.SENDING.value)

    async def _list(self, *where: object) -> list[Announcement]:
        rows = await self._session.scalars(select(AnnouncementRow).where(*where).order_by(AnnouncementRow.id))  # type: ignore[arg-type]
        return [_announcement(row) for row in rows]

    async def shown_counts(self, announcement_id: int) -> dict[str, int]:
        counts = await self._session.scalar(
            select(AnnouncementRow.report_counts).where(AnnouncementRow.id == announcement_id)
        )
        return dict(counts or {})

    async def set_shown_counts(self, announcement_id: int, counts: dict[str, int]) -> None:
        await self._session.execute(
            update(AnnouncementRow).where(AnnouncementRow.id == announcement_id).values(report_counts=counts)
        )


class SqlDigestRuns:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, organisation_key: str, day: date, klussen: int, *, now: datetime) -> bool:
        result = await self._session.execute(
            insert_for(self._session)(DigestRunRow)
            .values(organisation_key=organisation_key, week=day, klussen=klussen, ran_at=now)
            .on_conflict_do_nothing()
        )
        return bool(getattr(result, "rowcount", 0))

    async def last(self, organisation_key: str) -> datetime | None:
        last: datetime | None = await self._session.scalar(
            select(func.max(DigestRunRow.ran_at)).where(DigestRunRow.organisation_key == organisation_key)
        )
        return utc(last)
