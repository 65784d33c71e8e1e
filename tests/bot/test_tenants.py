"""One pool across two Microsoft 365 tenants, side by side: each with its own bot registration (app
id, tokens signed by the local key server), its own directory (A a directory file, B its own fake
Microsoft Graph, synced into B's part of the cache) and its own Teams (a fake connector each). A person in tenant A posts, a person in tenant B is chosen, and B's manager approves; every
message reaches A's people through A's bot and B's through B's."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from random import Random
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from microsoft_agents.hosting.core import AgentAuthConfiguration
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot import server
from klussenbank.bot.auth import LocalTokenProvider, connections
from klussenbank.bot.sender import TeamsSender
from klussenbank.cards.contact import CHAT
from klussenbank.config import Settings
from klussenbank.data import load_json, load_rules
from klussenbank.domain.approval import ApprovalChain
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.tenant_directories import TenantDirectories
from klussenbank.services.delivery import DeliveryWorker
from klussenbank.services.people import import_directory
from klussenbank.services.ports.records import Recipient
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.store.db import session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.rate_limits import MemoryRateLimiter
from klussenbank.tenants import Tenants, load_tenants
from klussenbank.wiring import directory, graph_sync
from tests.bot.conftest import BRAM, EVA, bot_services
from tests.bot.test_delivery_failures import RecordingLimiter
from tests.bot.test_klussen import availability, buttons, card_of, klus_form, texts
from tests.conftest import FixedClock
from tests.fake_connector import FakeConnector, start
from tests.fake_graph import FakeGraph, FakeUser, serving
from tests.fake_openid import KeyServer
from tests.graph.conftest import FixedCredential

TENANT_A = "0000000a-0000-0000-0000-00000000000a"
TENANT_B = "0000000b-0000-0000-0000-00000000000b"
APP_A = "aaaaaaaa-1111-1111-1111-111111111111"
APP_B = "bbbbbbbb-2222-2222-2222-222222222222"
MILA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e10"  # Eva's manager, in tenant B
SECRETS = {"NOORD_BOT_SECRET": "not-a-real-secret-a", "ZUID_BOT_SECRET": "not-a-real-secret-b"}

TENANTS_FILE = f"""
[tenants.noord]
tenant_id = "{TENANT_A}"
app_id = "{APP_A}"
credential = "ClientSecret"
secret_variable = "NOORD_BOT_SECRET"
directory_file = "noord.json"
organisations = {{ "Gemeente Ermelo" = "ermelo", "Gemeente Harderwijk" = "harderwijk" }}
external_chat = NOORD_CHATS_WITH

[tenants.zuid]
tenant_id = "{TENANT_B}"
app_id = "{APP_B}"
credential = "ClientSecret"
secret_variable = "ZUID_BOT_SECRET"
directory = "graph"
graph_base_url = "GRAPH_URL"
organisations = {{ "Gemeente Zeewolde" = "zeewolde" }}
external_chat = ZUID_CHATS_WITH
"""


def tenants_file(graph_url: str, *, external_chat: bool) -> str:
    """Both tenants' admins allow external access to the other, or neither does."""
    return (
        TENANTS_FILE.replace("GRAPH_URL", graph_url)
        .replace("NOORD_CHATS_WITH", '["zuid"]' if external_chat else "[]")
        .replace("ZUID_CHATS_WITH", '["noord"]' if external_chat else "[]")
    )


class AppToken(LocalTokenProvider):
    """Each app's outgoing token names the app, so a connector shows whose credentials reached it."""

    def __init__(self, configuration: AgentAuthConfiguration) -> None:
        self._app_id = configuration.CLIENT_ID

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return f"token-of-{self._app_id}"


def split_demo_directory(folder: Path) -> FakeGraph:
    """The demo directory, split: Zeewolde is tenant B, in B's Graph (Eva, and her manager Mila); the
    rest is tenant A's directory file."""
    demo = load_json("demo_directory.json")
    noord = {
        "organisations": [o for o in demo["organisations"] if o["key"] != "zeewolde"],
        "people": [p for p in demo["people"] if p["organisation"] != "zeewolde"],
    }
    (folder / "noord.json").write_text(json.dumps(noord), encoding="utf-8")
    zeewolde = "Gemeente Zeewolde"
    users = [
        FakeUser(EVA, "Eva Smit", "eva.smit@zeewolde.example", company_name=zeewolde, manager=MILA),
        FakeUser(MILA, "Mila Mulder", "mila.mulder@zeewolde.example", company_name=zeewolde),
    ]
    return FakeGraph({user.id: user for user in users})


@dataclass
class Side:
    """One tenant as Teams sees it: its tenant id, its bot's app id and its connector."""

    tenant_id: str
    app_id: str
    connector: FakeConnector
    service_url: str


@dataclass
class TwoTenants:
    client: TestClient[Any, Any]
    keys: KeyServer
    a: Side
    b: Side
    tenants: Tenants
    engine: AsyncEngine
    clock: FixedClock
    _ids: itertools.count[int]

    def side(self, user: str) -> Side:
        return self.b if user in (EVA, MILA) else self.a

    def activity(self, user: str, *, tenant: str | None = None, **fields: Any) -> dict[str, Any]:
        side = self.side(user)
        tenant = tenant or side.tenant_id
        return {
            "id": f"in-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": side.service_url,
            "from": {"id": f"29:{user}", "aadObjectId": user},
            "recipient": {"id": f"28:{side.app_id}", "name": "Klussenbank"},
            "conversation": {"id": f"a:personal-{user}", "conversationType": "personal", "tenantId": tenant},
            "channelData": {"tenant": {"id": tenant}},
            "locale": "nl-NL",
            **fields,
        }

    async def post(self, activity: dict[str, Any], *, app_id: str | None = None) -> tuple[int, Any]:
        """With a token the Bot Framework signs for the app of the sender's tenant (or `app_id`)."""
        side = self.side(activity["from"]["aadObjectId"])
        token = self.keys.token(self.keys.claims(app_id or side.app_id, activity["serviceUrl"]))
        response = await self.client.post(
            "/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"}
        )
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body

    async def say(self, text: str, user: str) -> None:
        status, _ = await self.post(self.activity(user, type="message", text=text))
        assert status in (200, 202)

    async def execute(self, verb: str, data: dict[str, Any], user: str) -> dict[str, Any]:
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        status, body = await self.post(
            self.activity(user, type="invoke", name="adaptiveCard/action", value=value)
        )
        assert status == 200, body
        card: dict[str, Any] = body["value"]
        return card

    async def deliver(self, limiter: MemoryRateLimiter | None = None) -> None:
        """Run a delivery worker until the outbox is empty."""
        worker = DeliveryWorker(
            "test",
            SqlDeliveryQueue(session_factory(self.engine)),
            TeamsSender(connections(self.tenants, provider_factory=AppToken), self.tenants),
            limiter or MemoryRateLimiter(),
            self.clock,
            rng=Random(1),
        )
        try:
            while await worker.run_once():
                pass
        finally:
            await worker.close()


@pytest.fixture
def external_chat() -> bool:
    """Whether the two tenants allow Teams chats with each other (a test parametrizes it)."""
    return False


@pytest.fixture
async def two(
    external_chat: bool,
    tmp_path: Path,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[TwoTenants]:
    graph = split_demo_directory(tmp_path)
    async with serving(graph) as graph_url:
        (tmp_path / "tenants.toml").write_text(
            tenants_file(graph_url, external_chat=external_chat), encoding="utf-8"
        )
        settings = Settings(tenants_file=str(tmp_path / "tenants.toml"))
        tenants = load_tenants(settings, SECRETS)
        _noord, zuid = tenants.entries
        assert (await graph_sync(settings, engine, credential=FixedCredential(), tenant=zuid)()).upserted == 2
    directories = directory(settings, engine, tenants)
    assert isinstance(directories, TenantDirectories)
    for entry in tenants.entries:
        await import_directory(
            uow_factory, directories.by_tenant[entry.key], clock, tenant_id=entry.tenant_id
        )
    keys = await KeyServer().start()
    settings = Settings(tenants_file=settings.tenants_file, openid_metadata_url=keys.metadata_url)
    rules = load_rules("demo")
    zeewolde = rules.of("zeewolde")
    rules = replace(
        rules,
        by_organisation={
            **rules.by_organisation,
            "zeewolde": replace(zeewolde, approval=replace(zeewolde.approval, chain=ApprovalChain.MANAGER)),
        },
    )
    services, _chores, _work = bot_services(
        uow_factory,
        clock,
        vocabulary,
        directories,
        rules=rules,
        chat_allowed=tenants.chat_allowed,
    )
    # Microsoft's token service is out of reach: each app's token is made here, naming the app.
    monkeypatch.setattr(server, "connections", partial(connections, provider_factory=AppToken))
    app = server.init_app(settings, engine=engine, services=services, tenants=tenants)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    connector_a, connector_b = FakeConnector(), FakeConnector()
    server_a, server_b = await start(connector_a), await start(connector_b)
    try:
        yield TwoTenants(
            client,
            keys,
            Side(TENANT_A, APP_A, connector_a, str(server_a.make_url("/"))),
            Side(TENANT_B, APP_B, connector_b, str(server_b.make_url("/"))),
            tenants,
            engine,
            clock,
            itertools.count(1),
        )
    finally:
        await client.close()
        await server_a.close()
        await server_b.close()
        await keys.close()


def through_own_bot(side: Side) -> None:
    """Every reply and proactive message at this tenant's connector came with its own app's token."""
    assert side.connector.sent, "nothing reached this tenant"
    assert {a["_authorization"] for a in side.connector.sent} == {f"Bearer token-of-{side.app_id}"}


@pytest.mark.parametrize("external_chat", [False, True], ids=["no external chat", "external chat"])
async def test_a_klus_of_tenant_a_is_filled_by_someone_of_tenant_b(
    two: TwoTenants, external_chat: bool
) -> None:
    await two.say("hallo", EVA)
    saved = await two.execute("availability.save", availability(), EVA)
    assert "availability.withdraw" in buttons(saved), texts(saved)
    await two.say("hallo", BRAM)
    posted = await two.execute("klus.post", klus_form(), BRAM)
    klus_id = int(buttons(posted)["klus.candidates"]["data"]["klus_id"])

    # Eva, in tenant B, is suggested: through B's bot, into her chat in B's Teams.
    await two.deliver()
    assert any(
        "Nieuwe klus voor jou" in texts(card_of(a)) for a in two.b.connector.sent if a.get("attachments")
    )
    await two.execute("interest.add", {"klus_id": klus_id, "motivation": "Graag!"}, EVA)
    await two.deliver()
    to_bram = [card_of(a) for a in two.a.connector.sent if a.get("attachments")]
    assert any("heeft interesse in je klus" in texts(card) for card in to_bram)

    # Bram sees her name and organisation, chooses her; she confirms.
    candidates = await two.execute("klus.candidates", {"klus_id": klus_id}, BRAM)
    assert "Eva Smit" in texts(candidates) and "Gemeente Zeewolde" in texts(candidates)
    await two.execute("candidate.choose", {"klus_id": klus_id, "person_id": EVA}, BRAM)
    await two.deliver()
    confirmed = await two.execute("match.confirm", {"klus_id": klus_id}, EVA)
    assert "Je leidinggevende krijgt de vraag" in texts(confirmed)

    # Her manager Mila, in B's Graph, never used the bot: B's bot opens a chat with her in B.
    await two.deliver()
    [request] = [
        card_of(a) for a in two.b.connector.sent if "Goedkeuring gevraagd: Eva Smit" in json.dumps(a)
    ]
    assert [e.operation for e in two.b.connector.events].count("create") == 1
    approved = await two.execute("approval.approve", buttons(request)["approval.approve"]["data"], MILA)
    assert "Goedgekeurd door Mila Mulder" in texts(approved)
    await two.deliver()
    [to_poster] = [card_of(a) for a in two.a.connector.sent if "Eva Smit kan aan de slag" in json.dumps(a)]
    assert "eva.smit@zeewolde.example" in texts(to_poster)
    if external_chat:  # both admins allow external access: Bram opens a Teams chat with Eva
        assert f"{CHAT}?users=eva.smit%40zeewolde.example" in texts(to_poster)
        assert "Chatten in Teams kan niet" not in texts(to_poster)
    else:  # no chats between the two tenants: Bram gets Eva's e-mail, no Teams chat button
        assert "Chatten in Teams kan niet tussen jullie organisaties" in texts(to_poster)
        assert CHAT not in texts(to_poster)

    through_own_bot(two.a)
    through_own_bot(two.b)
    assert {d.tenant_id for d in two.a.connector.deliveries} <= {TENANT_A}
    assert {d.tenant_id for d in two.b.connector.deliveries} <= {TENANT_B}


async def test_a_token_for_one_tenants_bot_is_refused_for_another_tenant(two: TwoTenants) -> None:
    hello = two.activity(BRAM, type="message", text="hallo")
    assert (await two.post(hello, app_id=APP_A))[0] in (200, 202)
    # A's bot, but the activity says it comes from tenant B: the tenant boundary holds.
    crossing = two.activity(BRAM, type="message", text="hallo", tenant=TENANT_B)
    assert (await two.post(crossing, app_id=APP_A))[0] == 403
    # B's app id with an activity of A's tenant, and an app id we do not know at all.
    assert (await two.post(two.activity(BRAM, type="message", text="hallo"), app_id=APP_B))[0] == 403
    assert (await two.post(hello, app_id="cccccccc-3333-3333-3333-333333333333"))[0] == 401


async def test_each_bot_books_its_sends_in_its_own_budget_in_its_tenant(
    two: TwoTenants, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Teams' rate limit is per app per tenant: the worker books A's sends with A's bot in A."""
    await two.say("hallo", BRAM)
    await two.say("hallo", EVA)
    async with uow_factory() as uow:
        await uow.outbox.enqueue(
            {"text": "Nieuws"}, [Recipient(BRAM), Recipient(EVA)], reason="test", now=clock.now()
        )
        await uow.commit()
    limiter = RecordingLimiter()
    await two.deliver(limiter)
    assert {keys[0] for keys in limiter.booked} == {
        f"tenant:{APP_A}:{TENANT_A}",
        f"tenant:{APP_B}:{TENANT_B}",
    }
