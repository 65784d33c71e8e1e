"""Bot tests: real activities over real HTTP into /api/messages, replies captured by a fake connector."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from random import Random
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.sender import TeamsSender
from klussenbank.bot.server import METRICS, init_app
from klussenbank.cards.growth import GrowthCardRenderer
from klussenbank.config import Settings
from klussenbank.data import load_rules
from klussenbank.dialogs.turn import Services
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.announcement_chores import AnnouncementChores
from klussenbank.services.applications import ApplicationsService
from klussenbank.services.charging import ChargingService
from klussenbank.services.delivery import DeliveryWorker
from klussenbank.services.growth import PulseService
from klussenbank.services.guide import GuideService
from klussenbank.services.links import LinkSigner
from klussenbank.services.people import import_directory
from klussenbank.services.planning import PlanningService
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.shifts import Coordinators, ShiftService
from klussenbank.services.signup import SignupService
from klussenbank.services.skill_search import SkillSearch
from klussenbank.services.work import WorkService
from klussenbank.store.db import session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.orm.base import Base
from klussenbank.store.rate_limits import MemoryRateLimiter
from klussenbank.telemetry.metrics import Metrics
from klussenbank.wiring import process_metrics
from tests.conftest import FixedClock
from tests.fake_connector import FakeConnector, start
from tests.services.conftest import (
    LINK_SECRET,
    agreement_service,
    announcement_chores,
    announcement_service,
    digest_service,
    hours_service,
    marketplace,
    pool_service,
    privacy_service,
    report_service,
    track_service,
    work_service,
)

TENANT = "00000000-0000-0000-0000-0000000000aa"
ANNA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01"
BRAM = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e02"
CHANTAL = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"
DAAN = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e04"
EVA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05"
NAMES = {
    ANNA: "Anna de Vries",
    BRAM: "Bram Jansen",
    CHANTAL: "Chantal Bakker",
    DAAN: "Daan Visser",
    EVA: "Eva Smit",
}
BOT_ID = "28:klussenbank"


@dataclass
class BotHarness:
    client: TestClient[Any, Any]
    connector: FakeConnector
    service_url: str
    _ids: itertools.count[int]
    engine: AsyncEngine
    clock: FixedClock
    announcement_chores: AnnouncementChores  # run when a test says so
    work: WorkService  # its daily chore too
    services: Services

    @property
    def metrics(self) -> Metrics:
        return self.client.server.app[METRICS]

    def activity(self, user: str = CHANTAL, *, locale: str = "nl-NL", **fields: Any) -> dict[str, Any]:
        return {
            "id": f"in-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": {"id": f"29:{user}", "aadObjectId": user, "name": NAMES.get(user, "")},
            "recipient": {"id": BOT_ID, "name": "Klussenbank"},
            "conversation": {"id": f"a:personal-{user}", "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": locale,
            **fields,
        }

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        response = await self.client.post("/api/messages", json=activity)
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body

    async def say(self, text: str, user: str = CHANTAL, locale: str = "nl-NL") -> list[dict[str, Any]]:
        """Send a message and return the cards the bot answered with."""
        before = len(self.connector.cards())
        status, _ = await self.post(self.activity(user, locale=locale, type="message", text=text))
        assert status in (200, 202)
        return self.connector.cards()[before:]

    async def execute(
        self,
        verb: str,
        data: dict[str, Any] | None = None,
        user: str = CHANTAL,
        locale: str = "nl-NL",
        *,
        trigger: str = "manual",
    ) -> dict[str, Any]:
        """Press an Action.Execute button (or, with trigger "automatic", let Teams run a card's
        refresh action as it does when the card is shown); returns the card of the invoke response."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data or {}}, "trigger": trigger}
        status, body = await self.post(
            self.activity(user, locale=locale, type="invoke", name="adaptiveCard/action", value=value)
        )
        assert status == 200, body
        assert body["statusCode"] == 200
        assert body["type"] == "application/vnd.microsoft.card.adaptive"
        card: dict[str, Any] = body["value"]
        return card

    async def deliver(self) -> list[dict[str, Any]]:
        """Run a delivery worker until the outbox is empty; the activities it sent."""
        before = len(self.connector.sent)
        worker = DeliveryWorker(
            "test",
            SqlDeliveryQueue(session_factory(self.engine)),
            TeamsSender.for_settings(Settings()),
            MemoryRateLimiter(),
            self.clock,
            rng=Random(1),
            observer=self.metrics,
        )
        try:
            while await worker.run_once():
                pass
        finally:
            await worker.close()
        return self.connector.sent[before:]


async def snapshot(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refused request changed nothing."""
    async with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, (await connection.execute(select(table))).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def bot_settings() -> Settings:
    """The bot's settings; a test module overrides this fixture for others (type-ahead lists)."""
    return Settings()


@pytest.fixture
async def harness(
    bot_settings: Settings,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
) -> AsyncIterator[BotHarness]:
    connector = FakeConnector()
    connector_server: TestServer = await start(connector)
    directory = FileDirectory.load("demo")
    await import_directory(uow_factory, directory, clock, tenant_id=TENANT)
    services, chores, work = bot_services(uow_factory, clock, vocabulary, directory)
    app = init_app(bot_settings, engine=engine, services=services, metrics=process_metrics(engine))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield BotHarness(
            client,
            connector,
            str(connector_server.make_url("/")),
            itertools.count(1),
            engine,
            clock,
            chores,
            work,
            services,
        )
    finally:
        await client.close()
        await connector_server.close()


def bot_services(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Directory,
    **options: Any,
) -> tuple[Services, AnnouncementChores, WorkService]:
    """Every service the bot's turns use, on one directory; `options`: the marketplace's (rules,
    chat_allowed)."""
    signup = SignupService(
        uow_factory, clock=clock, vocabulary=vocabulary, directory=directory, default_organisation="default"
    )
    market = marketplace(uow_factory, clock, vocabulary, directory, **options)
    chores = announcement_chores(uow_factory, clock)
    work = work_service(uow_factory, clock, vocabulary, directory)
    coordinators = Coordinators(directory, load_rules("demo"))
    links = LinkSigner(LINK_SECRET, "http://127.0.0.1:3978")
    services = Services(
        signup=signup,
        posting=market.posting,
        choosing=market.choosing,
        interest=market.interest,
        approvals=market.approvals,
        announcements=announcement_service(uow_factory, clock, directory),
        announcement_chores=chores,
        digests=digest_service(uow_factory, clock, market.shared),
        privacy=privacy_service(uow_factory, clock, market.chores),
        reports=report_service(uow_factory, clock, directory),
        agreements=agreement_service(uow_factory, clock, directory),
        hours=hours_service(uow_factory, clock),
        work=work,
        guide=GuideService(uow_factory, directory=directory, rules=load_rules("demo")),
        applications=ApplicationsService(uow_factory, vocabulary=vocabulary),
        skills=SkillSearch(vocabulary),
        tracks=track_service(uow_factory, market.shared, directory),
        talent=market.talent,
        pulse=PulseService(uow_factory, clock=clock, cards=GrowthCardRenderer()),
        shifts=ShiftService(
            uow_factory, market=market.shared, directory=directory, coordinators=coordinators
        ),
        planning=PlanningService(
            uow_factory,
            clock=clock,
            rules=load_rules("demo"),
            coordinators=coordinators,
            links=links,
            feeds=links.lasting(timedelta(days=366)),
        ),
        charging=ChargingService(
            uow_factory, clock=clock, directory=directory, rules=load_rules("demo"), links=links
        ),
        pools=pool_service(uow_factory, clock, directory),
    )
    return services, chores, work
