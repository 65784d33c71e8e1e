"""The announcements' background: the channels the app is in (Teams tells it when it is added,
and when channels are made, renamed or removed), planned announcements that go out when their time
comes, and report cards that keep up while announcements go out."""

from __future__ import annotations

from dataclasses import replace

from klussenbank.domain.announcement import AnnouncementStatus
from klussenbank.services.announcer import Announcer
from klussenbank.services.ports.records import Channel, ConversationRef
from klussenbank.services.ports.repositories import UnitOfWorkFactory


class AnnouncementChores:
    def __init__(self, uow: UnitOfWorkFactory, *, announcer: Announcer) -> None:
        self._uow = uow
        self._announcer = announcer
        self._clock = announcer.clock

    async def remember_channel(self, channel: Channel, conversation: ConversationRef | None) -> None:
        """The app is in this channel (installed in the team, or a channel was made or renamed)."""
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.channels.save(channel, now=now)
            if conversation is not None:
                await uow.conversations.save(conversation, now=now)
            await uow.commit()

    async def forget_channel(self, conversation_id: str) -> None:
        async with self._uow() as uow:
            await uow.channels.remove(conversation_id, now=self._clock.now())
            await uow.commit()

    async def forget_team(self, team_id: str) -> None:
        async with self._uow() as uow:
            await uow.channels.remove_team(team_id, now=self._clock.now())
            await uow.commit()

    async def send_due(self) -> int:
        """Send planned announcements whose time has come."""
        sent = 0
        async with self._uow() as uow:
            due = await uow.announcements.due(self._clock.now())
        for planned in due:
            async with self._uow() as uow:
                announcement = await uow.announcements.get(planned.id, lock=True)
                if announcement is None or announcement.status is not AnnouncementStatus.SCHEDULED:
                    continue  # cancelled meanwhile, or another process sent it
                announcement = await self._announcer.send(uow, announcement)
                await self._announcer.update_report(
                    uow, announcement, await self._announcer.report(uow, announcement)
                )
                await uow.commit()
                sent += 1
        return sent

    async def refresh_reports(self) -> int:
        """Bring report cards up to date while announcements go out; how many changed."""
        changed = 0
        async with self._uow() as uow:
            sending = await uow.announcements.sending()
        for going in sending:
            async with self._uow() as uow:
                announcement = await uow.announcements.get(going.id, lock=True)
                if announcement is None or announcement.status is not AnnouncementStatus.SENDING:
                    continue
                report = await self._announcer.report(uow, announcement)
                if not report.counts.get("pending"):
                    announcement = replace(announcement, status=AnnouncementStatus.SENT)
                    await uow.announcements.save(announcement, now=self._clock.now())
                    report = replace(report, status=AnnouncementStatus.SENT)
                if report.counts != await uow.announcements.shown_counts(announcement.id) or (
                    report.status is AnnouncementStatus.SENT
                ):
                    await self._announcer.update_report(uow, announcement, report)
                    changed += 1
                await uow.commit()
        return changed
