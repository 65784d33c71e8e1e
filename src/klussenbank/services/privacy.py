"""What Klussenbank holds about me, and erasing it (AVG): `mijn gegevens`, `verwijder mijn gegevens`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from klussenbank.domain.organisations import Rules
from klussenbank.services.clock import Clock
from klussenbank.services.klus_chores import KlusChores
from klussenbank.services.links import LinkSigner
from klussenbank.services.ports.records import Actor, AuditEntry
from klussenbank.services.ports.repositories import UnitOfWorkFactory

MONTH = timedelta(days=30.44)


def export_path(aad_object_id: str) -> str:
    return f"/api/my-data/{aad_object_id}.json"


@dataclass(frozen=True)
class MyDataView:
    data: dict[str, Any]  # what the export holds
    download_url: str  # a signed, short-lived link to it as JSON


class PrivacyService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        klus_chores: KlusChores,
        links: LinkSigner,
        rules: Rules,
        erased_card: Callable[[], dict[str, Any]],
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._klus_chores = klus_chores
        self._links = links
        self._rules = rules
        self._erased_card = erased_card  # what a delivered card about them turns into

    async def my_data(self, actor: Actor) -> MyDataView | None:
        async with self._uow() as uow:
            data = await uow.privacy.export(actor.aad_object_id)
        if data is None:
            return None
        return MyDataView(data, self._links.url(export_path(actor.aad_object_id), self._clock.now()))

    async def export(self, aad_object_id: str, expires: str, signature: str) -> dict[str, Any] | None:
        """The export behind a valid link; None otherwise."""
        if not self._links.valid(export_path(aad_object_id), expires, signature, self._clock.now()):
            return None
        async with self._uow() as uow:
            return await uow.privacy.export(aad_object_id)

    async def erase(self, actor: Actor) -> int:
        """Step out of every klus (the other side hears it kindly), then delete or anonymise all that
        is personal. Figures (hours, statuses, dates) stay for reports, linked to nobody. Returns
        how many klussen the person stepped out of or cancelled."""
        left = await self._klus_chores.leave_everything(actor)
        pseudonym = f"erased-{uuid.uuid4().hex}"
        async with self._uow() as uow:
            now = self._clock.now()
            removed = {"card": self._erased_card()}
            await uow.pool_people.erase(actor.aad_object_id, pseudonym)
            for message_id in await uow.privacy.erase(actor.aad_object_id, pseudonym, now=now):
                await uow.outbox.enqueue_update(message_id, removed, reason="privacy.erased", now=now)
            await uow.once_keys.forget(actor.aad_object_id)
            await uow.audit.add(pseudonym, "privacy.erased", "at their own request", now=now)
            await uow.commit()
        return left

    async def purge(self, actor: str = "system") -> dict[str, int]:
        """Retention: per organisation, the personal data of klussen closed longer ago than its
        `retention_months`, and tracks ended longer ago; outbox messages older than the default's; one-time keys of cards older
        than a month (nobody double-clicks that late). How many, by what."""
        now = self._clock.now()
        purged: dict[str, int] = {}
        async with self._uow() as uow:
            for organisation in await uow.organisations.all():
                months = self._rules.of(organisation.key).retention_months
                purged[organisation.key] = await uow.privacy.purge_closed(
                    organisation.key, now - MONTH * months
                )
                tracks = await uow.tracks.purge_ended(organisation.key, now - MONTH * months)
                purged["tracks"] = purged.get("tracks", 0) + tracks
            purged["outbox_messages"] = await uow.privacy.purge_messages(
                now - MONTH * self._rules.default.retention_months
            )
            purged["talent_dates"] = await uow.privacy.purge_talent(
                now - MONTH * self._rules.default.retention_months
            )
            purged["once_keys"] = await uow.once_keys.purge(now - MONTH)
            purged["pulse_texts"] = await uow.privacy.purge_pulses(
                now - MONTH * self._rules.default.retention_months
            )
            purged["pools"] = await uow.pool_people.purge(
                ended_before=self._clock.today(),
                expired_before=(now - MONTH * self._rules.default.retention_months).date(),
            )
            detail = ", ".join(f"{key} {count}" for key, count in purged.items())
            await uow.audit.add(actor, "privacy.purged", detail, now=now)
            await uow.commit()
        return purged

    async def audit(self, limit: int = 50) -> list[AuditEntry]:
        async with self._uow() as uow:
            return await uow.audit.recent(limit)
