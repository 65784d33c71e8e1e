"""What composing and the chores share about an announcement: sending it to its audience, and the
author's report card that follows how delivery goes."""

from __future__ import annotations

from dataclasses import replace

from klussenbank.domain.announcement import Announcement, AnnouncementStatus
from klussenbank.domain.delivery import DeliveryStatus
from klussenbank.domain.organisations import Rules
from klussenbank.services.clock import Clock
from klussenbank.services.links import LinkSigner
from klussenbank.services.ports.records import Recipient
from klussenbank.services.ports.renderers import AnnouncementRenderer
from klussenbank.services.ports.repositories import UnitOfWork
from klussenbank.services.views import AnnouncementView, ReportView

# How the report card groups delivery statuses.
REPORT_GROUPS: dict[str, tuple[DeliveryStatus, ...]] = {
    "sent": (DeliveryStatus.SENT,),
    "unreachable": (DeliveryStatus.UNREACHABLE,),
    "failed": (DeliveryStatus.DEAD, DeliveryStatus.UNCONFIRMED),
    "pending": (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING),
    "cancelled": (DeliveryStatus.CANCELLED,),
}


def csv_path(announcement_id: int) -> str:
    return f"/api/announcements/{announcement_id}/recipients.csv"


class Announcer:
    """The announcement services' shared part."""

    def __init__(
        self, *, clock: Clock, rules: Rules, renderer: AnnouncementRenderer, links: LinkSigner
    ) -> None:
        self.clock = clock
        self.rules = rules
        self.renderer = renderer
        self.links = links

    async def send(self, uow: UnitOfWork, announcement: Announcement) -> Announcement:
        """Queue the announcement for every channel and person of its audience."""
        people = await uow.people.reachable(announcement.organisations)
        recipients = [Recipient(conversation_id=c) for c in announcement.channels] + [
            Recipient(person_aad_object_id=p) for p in people
        ]
        message = await uow.outbox.enqueue(
            {"card": self.renderer.announcement(await self.view(uow, announcement))},
            recipients,
            reason="announcement",
            now=self.clock.now(),
        )
        announcement = replace(announcement, status=AnnouncementStatus.SENDING, message_id=message)
        await uow.announcements.save(announcement, now=self.clock.now())
        return announcement

    async def report(self, uow: UnitOfWork, announcement: Announcement) -> ReportView:
        counts = await uow.outbox.counts(announcement.message_id) if announcement.message_id else {}
        grouped = {
            group: sum(counts.get(status.value, 0) for status in statuses)
            for group, statuses in REPORT_GROUPS.items()
        }
        zone = self.rules.of(announcement.organisation_key).zone
        return ReportView(
            announcement_id=announcement.id,
            title=announcement.title,
            status=announcement.status,
            send_at=announcement.send_at.astimezone(zone),
            counts=grouped,
            csv_url=self.links.url(csv_path(announcement.id), self.clock.now()),
        )

    async def update_report(self, uow: UnitOfWork, announcement: Announcement, report: ReportView) -> None:
        if announcement.report_message_id is None:
            return
        author = await uow.people.get(announcement.author_id)
        await uow.outbox.enqueue_update(
            announcement.report_message_id,
            {"card": self.renderer.report(report, author.locale if author else "")},
            reason="announcement.report",
            now=self.clock.now(),
        )
        await uow.announcements.set_shown_counts(announcement.id, report.counts)

    async def view(self, uow: UnitOfWork, announcement: Announcement) -> AnnouncementView:
        author = await uow.people.get(announcement.author_id)
        organisation = await uow.organisations.get(announcement.organisation_key)
        return AnnouncementView(
            title=announcement.title,
            text=announcement.text,
            link_title=announcement.link_title,
            link_url=announcement.link_url,
            author_name=author.name if author else "",
            organisation_name=organisation.name if organisation else announcement.organisation_key,
        )
