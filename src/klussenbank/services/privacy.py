"""What Klussenbank holds about me, and erasing it (AVG): `mijn gegevens`, `verwijder mijn gegevens`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from klussenbank.services.klussen import KlusService
from klussenbank.services.links import LinkSigner
from klussenbank.services.ports import Actor, Clock, UnitOfWorkFactory


def export_path(aad_object_id: str) -> str:
    return f"/api/my-data/{aad_object_id}.json"


@dataclass(frozen=True)
class MyDataView:
    data: dict[str, Any]  # what the export holds
    download_url: str  # a signed, short-lived link to it as JSON


class PrivacyService:
    def __init__(
        self, uow: UnitOfWorkFactory, *, clock: Clock, klussen: KlusService, links: LinkSigner
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._klussen = klussen
        self._links = links

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
        left = await self._klussen.leave_everything(actor)
        async with self._uow() as uow:
            await uow.privacy.erase(actor.aad_object_id, f"erased-{uuid.uuid4().hex}", now=self._clock.now())
            await uow.commit()
        return left
