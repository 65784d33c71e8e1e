"""The weekly digest of new open klussen: per organisation to its channels, and to everyone who
asked for it (`digest aan`), ranked for them; skipped when there is nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from klussenbank.domain.klus import Klus
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import WEEKDAYS
from klussenbank.services.clock import Clock
from klussenbank.services.marketplace import Marketplace, may_see
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.renderers import DigestRenderer
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import DigestView, KlusOffer

WEEK = timedelta(days=7)
PER_DIGEST = 10  # klussen in one digest, at most
LATE = timedelta(hours=12)  # a digest this long after its moment is skipped


@dataclass(frozen=True)
class DigestResult:
    organisations: int = 0  # whose digest went out this round
    channels: int = 0
    people: int = 0


class DigestService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        rules: Rules,
        market: Marketplace,
        renderer: DigestRenderer,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._rules = rules
        self._market = market
        self._renderer = renderer

    async def set(self, actor: Actor, on: bool) -> bool:
        """`digest aan` / `digest uit`; the state it is in now."""
        async with self._uow() as uow:
            await uow.people.set_digest(actor.aad_object_id, on, now=self._clock.now())
            await uow.commit()
        return on

    async def wants(self, actor: Actor) -> bool:
        async with self._uow() as uow:
            return await uow.people.wants_digest(actor.aad_object_id)

    def slot(self, organisation_key: str, now: datetime) -> datetime:
        """This week's digest moment of the organisation, if it has come (in UTC)."""
        rules = self._rules.of(organisation_key)
        local = now.astimezone(rules.zone)
        days_back = (local.weekday() - WEEKDAYS.index(rules.digest.weekday)) % 7
        day: date = local.date() - timedelta(days=days_back)
        moment = datetime.combine(day, time(rules.digest.hour), tzinfo=rules.zone)
        return moment if moment <= local else moment - WEEK

    async def run_due(self) -> DigestResult:
        """Send every organisation's digest whose moment has come and that did not go out yet."""
        now = self._clock.now()
        result = DigestResult()
        async with self._uow() as uow:
            organisations = await uow.organisations.all()
        for organisation in organisations:
            moment = self.slot(organisation.key, now)
            async with self._uow() as uow:
                since = await uow.digests.last(organisation.key) or moment - WEEK
                if since >= moment:
                    continue  # this week's went out
                new = [
                    k
                    for k in await uow.klussen.open(self._clock.today())
                    if _after(k, since) and self._market.offered_openly(k)
                ]
                if now - moment > LATE:
                    new = []  # the bot was down at the moment: skip this week rather than be a day late
                if not await uow.digests.claim(organisation.key, moment.date(), len(new), now=now):
                    continue  # another process sent it
                channels, people = await self._send(uow, organisation.key, organisation.name, new)
                await uow.commit()
            result = DigestResult(
                result.organisations + 1, result.channels + channels, result.people + people
            )
        return result

    async def _send(self, uow: UnitOfWork, key: str, name: str, new: list[Klus]) -> tuple[int, int]:
        """The organisation's new klussen to its channels, and to its readers what is new for them."""
        channels = people = 0
        own = [k for k in new if k.organisation_key == key][:PER_DIGEST]
        targets = self._rules.of(key).digest.channels
        if own and targets:
            listed = tuple([KlusOffer(await self._market.view(uow, k), None) for k in own])
            view = DigestView(name, listed, personal=False)
            await uow.outbox.enqueue(
                {"card": self._renderer.digest(view, "nl-NL")},
                [Recipient(conversation_id=c) for c in targets],
                reason="digest.channel",
                now=self._clock.now(),
            )
            channels = len(targets)
        for reader in await uow.people.digest_readers():
            if reader.organisation_key != key:
                continue
            visible = [k for k in new if may_see(k, reader) and k.poster_id != reader.aad_object_id]
            offers = await self._market.offers_for(uow, reader.aad_object_id, visible, limit=PER_DIGEST)
            if not offers:
                continue  # nothing new for them: no message
            await uow.outbox.enqueue(
                {
                    "card": self._renderer.digest(
                        DigestView(name, tuple(offers), personal=True), reader.locale
                    )
                },
                [Recipient(person_aad_object_id=reader.aad_object_id)],
                reason="digest.person",
                now=self._clock.now(),
            )
            people += 1
        return channels, people


def _after(klus: Klus, since: datetime) -> bool:
    return klus.created_at is not None and klus.created_at > since
