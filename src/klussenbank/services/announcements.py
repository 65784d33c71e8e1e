"""HR announcements to channels and people: compose, preview, send now or later, follow the
delivery, cancel, withdraw. Only HR may announce; every action checks that on the server."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from klussenbank.domain.announcement import (
    Announcement,
    AnnouncementDraft,
    AnnouncementStatus,
    validate_announcement,
)
from klussenbank.domain.fields import FieldError
from klussenbank.services.announcer import Announcer, csv_path
from klussenbank.services.once import ALREADY_DONE, Repeated, first_press, settle
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.roles import HrRoles
from klussenbank.services.spreadsheet import cell
from klussenbank.services.views import ComposerView, PreviewView, Refusal, ReportView


class AnnouncementService:
    def __init__(self, uow: UnitOfWorkFactory, *, announcer: Announcer, directory: Directory) -> None:
        self._uow = uow
        self._announcer = announcer
        self._clock = announcer.clock
        self._rules = announcer.rules
        self._links = announcer.links
        self._roles = HrRoles(directory, announcer.rules)

    async def hr_of(self, actor: Actor) -> tuple[str, ...]:
        """The organisations the actor may announce to (none: they are not HR)."""
        return await self._roles.organisations_of(actor)

    async def composer(self, actor: Actor, draft: AnnouncementDraft | None = None) -> ComposerView | Refusal:
        mine = await self.hr_of(actor)
        if not mine:
            return Refusal("not_hr")
        async with self._uow() as uow:
            return await self._composer(uow, actor, mine, draft or AnnouncementDraft())

    async def _composer(
        self,
        uow: UnitOfWork,
        actor: Actor,
        mine: tuple[str, ...],
        draft: AnnouncementDraft,
        errors: Sequence[FieldError] = (),
    ) -> ComposerView:
        organisations = tuple(o for o in await uow.organisations.all() if o.key in mine)
        return ComposerView(
            values=draft,
            channels=tuple(await uow.channels.active()),
            organisations=organisations,
            today=self._local_now(actor_org=await self._org_of(uow, actor)).date(),
            errors=tuple(errors),
        )

    async def preview(self, actor: Actor, draft: AnnouncementDraft) -> PreviewView | ComposerView | Refusal:
        mine = await self.hr_of(actor)
        if not mine:
            return Refusal("not_hr")
        async with self._uow() as uow:
            checked = await self._check(uow, actor, mine, draft, scheduled=False)
            if isinstance(checked, ComposerView):
                return checked
            return await self._preview(uow, actor, draft, checked)

    async def _preview(
        self,
        uow: UnitOfWork,
        actor: Actor,
        draft: AnnouncementDraft,
        checked: Announcement,
        errors: Sequence[FieldError] = (),
    ) -> PreviewView:
        channels = {c.conversation_id: c for c in await uow.channels.active()}
        names = {o.key: o.name for o in await uow.organisations.all()}
        return PreviewView(
            draft=draft,
            announcement=await self._announcer.view(uow, checked),
            channels=tuple(channels[c] for c in checked.channels),
            people=len(await uow.people.reachable(checked.organisations)),
            today=self._local_now(actor_org=checked.organisation_key).date(),
            errors=tuple(errors),
            organisations=tuple(names.get(key, key) for key in checked.organisations),
        )

    async def _check(
        self,
        uow: UnitOfWork,
        actor: Actor,
        mine: tuple[str, ...],
        draft: AnnouncementDraft,
        *,
        scheduled: bool,
    ) -> Announcement | ComposerView:
        org = await self._org_of(uow, actor)
        announcement, errors = validate_announcement(
            draft,
            channels={c.conversation_id for c in await uow.channels.active()},
            organisations=mine,
            zone=self._rules.of(org).zone,
            now=self._clock.now(),
            scheduled=scheduled,
        )
        if announcement is None:
            return await self._composer(uow, actor, mine, draft, errors)
        return replace(announcement, author_id=actor.aad_object_id, organisation_key=org)

    async def publish(
        self, actor: Actor, draft: AnnouncementDraft, *, scheduled: bool, once: str | None = None
    ) -> ReportView | PreviewView | ComposerView | Refusal | Repeated[ReportView]:
        """Send now, or plan it: either way the author gets a report card that keeps up. A second
        press of the preview with the one-time key `once` gets the report of the first."""
        mine = await self.hr_of(actor)
        if not mine:
            return Refusal("not_hr")
        async with self._uow() as uow:
            prior = await first_press(uow, actor, once, "announcement.publish", now=self._clock.now())
            if prior is not None:
                done = await self._mine(uow, actor, prior.record_id) if prior.record_id else None
                if not isinstance(done, Announcement):
                    return Refusal("already_done")
                return Repeated(replace(await self._announcer.report(uow, done), banner=ALREADY_DONE))
            checked = await self._check(uow, actor, mine, draft, scheduled=scheduled)
            if isinstance(checked, ComposerView):
                if {e.field for e in checked.errors} != {"send_date"}:
                    return checked
                # Only the moment is wrong: back to the preview, where it was chosen.
                fine = await self._check(uow, actor, mine, draft, scheduled=False)
                assert isinstance(fine, Announcement)
                return await self._preview(uow, actor, draft, fine, checked.errors)
            now = self._clock.now()
            announcement = replace(checked, id=await uow.announcements.add(checked, now=now))
            if not scheduled:
                announcement = await self._announcer.send(uow, announcement)
            report = await self._announcer.report(uow, announcement)
            author = await uow.people.get(actor.aad_object_id)
            message = await uow.outbox.enqueue(
                {"card": self._announcer.renderer.report(report, author.locale if author else actor.locale)},
                [Recipient(person_aad_object_id=actor.aad_object_id)],
                reason="announcement.report",
                now=now,
            )
            announcement = replace(announcement, report_message_id=message)
            await uow.announcements.save(announcement, now=now)
            await uow.announcements.set_shown_counts(announcement.id, report.counts)
            action = "announcement.scheduled" if scheduled else "announcement.sent"
            await uow.audit.add(
                actor.aad_object_id, action, f"#{announcement.id} {announcement.title}", now=now
            )
            await settle(uow, actor, once, announcement.id)
            await uow.commit()
            return replace(report, banner=action)

    async def report(self, actor: Actor, announcement_id: int) -> ReportView | Refusal:
        async with self._uow() as uow:
            announcement = await self._mine(uow, actor, announcement_id)
            if isinstance(announcement, Refusal):
                return announcement
            return await self._announcer.report(uow, announcement)

    async def cancel(self, actor: Actor, announcement_id: int) -> ReportView | Refusal:
        """Stop a planned announcement, or one still going out (what was sent stays sent)."""
        async with self._uow() as uow:
            announcement = await self._mine(uow, actor, announcement_id, lock=True)
            if isinstance(announcement, Refusal):
                return announcement
            if announcement.status not in (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING):
                return replace(await self._announcer.report(uow, announcement), banner="announcement.not_now")
            if announcement.message_id is not None:
                await uow.outbox.cancel(announcement.message_id, now=self._clock.now())
            return await self._change(
                uow, actor, announcement, AnnouncementStatus.CANCELLED, "announcement.cancelled"
            )

    async def withdraw(self, actor: Actor, announcement_id: int) -> ReportView | Refusal:
        """Take back a sent announcement: every copy delivered now says it was withdrawn."""
        async with self._uow() as uow:
            announcement = await self._mine(uow, actor, announcement_id, lock=True)
            if isinstance(announcement, Refusal):
                return announcement
            if announcement.status not in (AnnouncementStatus.SENDING, AnnouncementStatus.SENT):
                return replace(await self._announcer.report(uow, announcement), banner="announcement.not_now")
            assert announcement.message_id is not None
            now = self._clock.now()
            await uow.outbox.cancel(announcement.message_id, now=now)
            withdrawn = replace(await self._announcer.view(uow, announcement), withdrawn=True)
            await uow.outbox.enqueue_update(
                announcement.message_id,
                {"card": self._announcer.renderer.announcement(withdrawn)},
                reason="announcement.withdrawn",
                now=now,
            )
            return await self._change(
                uow, actor, announcement, AnnouncementStatus.WITHDRAWN, "announcement.withdrawn"
            )

    async def _change(
        self,
        uow: UnitOfWork,
        actor: Actor,
        announcement: Announcement,
        status: AnnouncementStatus,
        banner: str,
    ) -> ReportView:
        announcement = replace(announcement, status=status)
        now = self._clock.now()
        await uow.announcements.save(announcement, now=now)
        await uow.audit.add(actor.aad_object_id, banner, f"#{announcement.id} {announcement.title}", now=now)
        report = await self._announcer.report(uow, announcement)
        await self._announcer.update_report(uow, announcement, report)
        await uow.commit()
        return replace(report, banner=banner)

    async def recipients_csv(self, announcement_id: int, expires: str, signature: str) -> str | None:
        """The recipients and how delivery went, for a valid link; None otherwise."""
        if not self._links.valid(csv_path(announcement_id), expires, signature, self._clock.now()):
            return None
        async with self._uow() as uow:
            announcement = await uow.announcements.get(announcement_id)
            if announcement is None:
                return None
            rows = await uow.outbox.recipients(announcement.message_id) if announcement.message_id else []
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "email", "channel", "status"])
        for row in rows:
            writer.writerow([cell(row.name), cell(row.email), cell(row.channel), row.status])
        return out.getvalue()

    async def _mine(
        self, uow: UnitOfWork, actor: Actor, announcement_id: int, *, lock: bool = False
    ) -> Announcement | Refusal:
        """The author's announcement, or one of an organisation the actor is HR of."""
        announcement = await uow.announcements.get(announcement_id, lock=lock)
        if announcement is None:
            return Refusal("announcement_not_found")
        if (
            announcement.author_id != actor.aad_object_id
            and announcement.organisation_key not in await self.hr_of(actor)
        ):
            return Refusal("announcement_not_found")
        return announcement

    async def _org_of(self, uow: UnitOfWork, actor: Actor) -> str:
        person = await uow.people.get(actor.aad_object_id)
        return person.organisation_key if person else ""

    def _local_now(self, *, actor_org: str) -> datetime:
        return self._clock.now().astimezone(self._rules.of(actor_org).zone)
