"""The fake Bot Connector over real HTTP: endpoints, Teams' rate limits, injected faults, stats, the process."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from tests.fake_connector import ConnectorConfig, FakeConnector, Limit, start

TENANT = "tenant-a"
OTHER_TENANT = "tenant-b"
T0 = 1000.0
REPO = Path(__file__).resolve().parents[1]


class ManualClock:
    """A monotonic clock the test moves."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class RecordingSleep:
    """Stands in for asyncio.sleep: remembers what the connector waited, without waiting."""

    calls: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@dataclass
class Reply:
    status: int
    body: Any
    retry_after: str | None


@dataclass
class Fake:
    connector: FakeConnector
    session: ClientSession
    clock: ManualClock
    sleeps: RecordingSleep

    async def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        async with self.session.request(method, path, json=body, **kwargs) as response:
            payload = await response.json() if response.content_type == "application/json" else None
            return Reply(response.status, payload, response.headers.get("Retry-After"))

    async def send(
        self,
        cid: str,
        text: str,
        *,
        tenant: str | None = TENANT,
        client_timeout: aiohttp.ClientTimeout | None = None,
        **fields: Any,
    ) -> Reply:
        path = f"/v3/conversations/{cid}/activities"
        options = {} if client_timeout is None else {"timeout": client_timeout}
        return await self.call("POST", path, message(cid, text, tenant, **fields), **options)

    async def create(self, member: str, tenant: str = TENANT, **fields: Any) -> Reply:
        body = {"bot": {"id": "28:bot"}, "members": [{"id": member}], "tenantId": tenant, "isGroup": False}
        return await self.call("POST", "/v3/conversations", {**body, **fields})


def message(cid: str, text: str, tenant: str | None = TENANT, **fields: Any) -> dict[str, Any]:
    activity: dict[str, Any] = {"type": "message", "text": text, "conversation": {"id": cid}}
    if tenant is not None:
        activity["conversation"]["tenantId"] = tenant
        activity["channelData"] = {"tenant": {"id": tenant}}
    return {**activity, **fields}


Open = Callable[..., Awaitable[Fake]]


@pytest.fixture
async def open_fake() -> AsyncIterator[Open]:
    opened: list[tuple[TestServer, ClientSession]] = []

    async def open_(config: ConnectorConfig | None = None, *, really_sleep: bool = False) -> Fake:
        clock, sleeps = ManualClock(), RecordingSleep()
        connector = FakeConnector(config, clock=clock, sleep=asyncio.sleep if really_sleep else sleeps)
        server = await start(connector)
        session = ClientSession(base_url=server.make_url("/"))
        opened.append((server, session))
        return Fake(connector, session, clock, sleeps)

    yield open_
    for server, session in opened:
        await session.close()
        await server.close()


@pytest.fixture
async def teams(open_fake: Open) -> Fake:
    """A connector with Teams' default limits and no faults."""
    return await open_fake(ConnectorConfig())


# -- endpoints ---------------------------------------------------------------------------------------


async def test_the_same_member_and_tenant_get_the_same_1to1_conversation(teams: Fake) -> None:
    first = await teams.create("29:chantal")
    again = await teams.create("29:chantal")
    assert (first.status, again.status) == (201, 201)
    assert first.body["id"] == again.body["id"]
    assert "activityId" not in first.body, "no activity, no activity id"
    others = {
        (await teams.create("29:chantal", tenant=OTHER_TENANT)).body["id"],
        (await teams.create("29:daan")).body["id"],
        first.body["id"],
    }
    assert len(others) == 3
    group = {"bot": {"id": "28:bot"}, "members": [{"id": "29:a"}, {"id": "29:b"}], "tenantId": TENANT}
    groups = [
        (await teams.call("POST", "/v3/conversations", {**group, "isGroup": True})).body["id"] for _ in "ab"
    ]
    assert groups[0] != groups[1], "group conversations are new every time"
    assert teams.connector.stats().conversations_created == 6
    assert teams.connector.deliveries == []


async def test_a_created_conversation_knows_its_members(teams: Fake) -> None:
    cid = (await teams.create("29:chantal", members=[{"id": "29:chantal", "aadObjectId": "aad-c"}])).body[
        "id"
    ]
    member = await teams.call("GET", f"/v3/conversations/{cid}/members/29:chantal")
    assert member.status == 200
    assert member.body["id"] == "29:chantal"
    assert member.body["tenantId"] == TENANT
    by_aad = await teams.call("GET", f"/v3/conversations/{cid}/members/aad-c")
    assert (by_aad.status, by_aad.body["id"]) == (200, "29:chantal")
    stranger = await teams.call("GET", f"/v3/conversations/{cid}/members/29:someone-else")
    assert stranger.status == 404
    assert stranger.body["error"]["code"] == "MemberNotFoundInConversation"


async def test_creating_with_an_activity_delivers_it(teams: Fake) -> None:
    created = await teams.create("29:chantal", activity=message("", "welkom"))
    assert created.status == 201
    (delivery,) = teams.connector.deliveries
    assert delivery.kind == "create"
    assert delivery.conversation_id == created.body["id"]
    assert delivery.activity_id == created.body["activityId"]
    assert delivery.tenant_id == TENANT
    assert teams.connector.sent[0]["text"] == "welkom"


async def test_a_create_without_members_is_a_bad_request(teams: Fake) -> None:
    reply = await teams.call("POST", "/v3/conversations", {"bot": {"id": "28:bot"}, "tenantId": TENANT})
    assert reply.status == 400
    assert teams.connector.stats().conversations_created == 0


async def test_send_reply_and_update(teams: Fake) -> None:
    sent = await teams.call(
        "POST",
        "/v3/conversations/a:one/activities",
        message("a:one", "hallo"),
        headers={"Authorization": "Bearer token"},
    )
    second = await teams.send("a:one", "nog eens")
    assert (sent.status, second.status) == (200, 200)
    assert re.fullmatch(r"1:\d+", sent.body["id"])
    assert sent.body["id"] != second.body["id"]
    reply = await teams.call(
        "POST", f"/v3/conversations/a:one/activities/{sent.body['id']}", message("a:one", "antwoord")
    )
    assert reply.status == 200
    assert len({sent.body["id"], second.body["id"], reply.body["id"]}) == 3
    assert [d.kind for d in teams.connector.deliveries] == ["send", "send", "reply"]
    assert [a["text"] for a in teams.connector.sent] == ["hallo", "nog eens", "antwoord"]
    assert teams.connector.sent[0]["_conversation"] == "a:one"
    assert teams.connector.sent[0]["_authorization"] == "Bearer token"
    assert all(d.received_at == T0 for d in teams.connector.deliveries)

    update = await teams.call(
        "PUT", f"/v3/conversations/a:one/activities/{sent.body['id']}", message("a:one", "gewijzigd")
    )
    assert (update.status, update.body) == (200, {"id": sent.body["id"]})
    (updated,) = teams.connector.updated
    assert (updated["text"], updated["_activity"], updated["_conversation"]) == (
        "gewijzigd",
        sent.body["id"],
        "a:one",
    )
    unknown = await teams.call("PUT", "/v3/conversations/a:one/activities/1:999999", message("a:one", "x"))
    await teams.send("a:two", "elders")
    elsewhere = await teams.call(
        "PUT", f"/v3/conversations/a:two/activities/{sent.body['id']}", message("a:two", "x")
    )
    assert (unknown.status, elsewhere.status) == (404, 404)
    stats = teams.connector.stats()
    assert (stats.delivered, stats.updated) == (4, 1)
    assert stats.rejected["activity_not_found"] == 2


async def test_a_body_that_is_not_a_json_object_is_a_bad_request(teams: Fake) -> None:
    reply = await teams.call("POST", "/v3/conversations/a:one/activities", data=b"{nope")
    listed = await teams.call("POST", "/v3/conversations/a:one/activities", [1, 2])
    assert (reply.status, listed.status) == (400, 400)
    assert teams.connector.sent == []


# -- rate limits -------------------------------------------------------------------------------------


async def test_a_burst_over_the_tenant_limit_gets_429_for_exactly_the_excess(teams: Fake) -> None:
    texts = [f"bericht {n}" for n in range(60)]
    replies = await asyncio.gather(*(teams.send(f"a:user-{n % 10}", text) for n, text in enumerate(texts)))
    throttled = [r for r in replies if r.status == 429]
    assert sorted(r.status for r in replies) == [200] * 50 + [429] * 10
    assert all(r.retry_after == "1" for r in throttled)
    assert all(r.body["error"]["code"] == "Throttled" for r in throttled)
    delivered = {text for text, r in zip(texts, replies, strict=True) if r.status == 200}
    assert {a["text"] for a in teams.connector.sent} == delivered
    assert len(teams.connector.sent) == 50

    stats = teams.connector.stats()
    assert (stats.delivered, stats.throttled, stats.throttled_by_scope["tenant"]) == (50, 10, 10)
    assert stats.max_per_second_by_tenant == {TENANT: 50}
    assert stats.max_attempts_per_second_by_tenant == {TENANT: 60}

    assert (await teams.send("a:other-tenant", "ander", tenant=OTHER_TENANT)).status == 200
    for almost in (0.999, 1.0 - 1e-10):
        teams.clock.now = T0 + almost
        late = await teams.send("a:user-0", "nog te vroeg")
        assert (late.status, late.retry_after) == (429, "1"), "never less than a second"
    teams.clock.now = T0 + 1.0
    assert (await teams.send("a:user-0", "na Retry-After")).status == 200


async def test_a_conversation_takes_seven_a_second(teams: Fake) -> None:
    replies = await asyncio.gather(*(teams.send("a:one", f"m{n}") for n in range(8)))
    assert sorted(r.status for r in replies) == [200] * 7 + [429]
    (throttled,) = [r for r in replies if r.status == 429]
    assert throttled.retry_after == "1"
    assert (await teams.send("a:two", "andere chat")).status == 200
    teams.clock.now = T0 + 0.5
    for _ in range(20):
        assert (await teams.send("a:one", "te vroeg")).status == 429
    teams.clock.now = T0 + 1.0
    assert (await teams.send("a:one", "weer")).status == 200
    stats = teams.connector.stats()
    assert stats.throttled_by_scope == {"tenant": 0, "conversation": 21}
    assert stats.delivered_by_conversation == {"a:one": 8, "a:two": 1}, "refused writes use no budget"


async def test_a_conversation_takes_sixty_in_thirty_seconds(teams: Fake) -> None:
    for second in range(9):
        teams.clock.now = T0 + second
        for n in range(7 if second < 8 else 4):
            assert (await teams.send("a:one", f"{second}.{n}")).status == 200
    assert len(teams.connector.sent) == 60
    over = await teams.send("a:one", "61")
    assert (over.status, over.retry_after) == (429, "22")
    teams.clock.now = T0 + 9
    assert (await teams.send("a:one", "61")).retry_after == "21", (
        "the 1 s window is free, the 30 s one is not"
    )
    teams.clock.now = T0 + 29.5
    assert (await teams.send("a:one", "61")).retry_after == "1"
    teams.clock.now = T0 + 30
    assert [(await teams.send("a:one", f"30.{n}")).status for n in range(8)] == [200] * 7 + [429]
    assert teams.connector.stats().throttled_by_scope["conversation"] == 4


async def test_a_missing_tenant_is_one_tenant_of_its_own(teams: Fake) -> None:
    for n in range(50):
        assert (await teams.send(f"a:user-{n % 10}", f"m{n}", tenant=None)).status == 200
    over = await teams.send("a:user-99", "over", tenant=None)
    assert (over.status, over.retry_after) == (429, "1")
    assert (await teams.send("a:user-99", "met tenant")).status == 200
    stats = teams.connector.stats()
    assert stats.max_per_second_by_tenant == {"": 50, TENANT: 1}
    assert {d.tenant_id for d in teams.connector.deliveries} == {"", TENANT}


async def test_a_conversations_known_tenant_outranks_what_an_activity_claims(teams: Fake) -> None:
    cid = (await teams.create("29:chantal")).body["id"]  # one write for TENANT
    assert (await teams.send("a:learned", "eerste", tenant=TENANT)).status == 200
    for n in range(48):
        assert (await teams.send(f"a:user-{n % 10}", f"m{n}")).status == 200
    claims_other = await teams.send(cid, "ik zeg tenant-b", tenant=OTHER_TENANT)
    learned = await teams.send("a:learned", "zonder tenant", tenant=None)
    assert (claims_other.status, learned.status) == (429, 429)
    assert teams.connector.stats().throttled_by_scope["tenant"] == 2
    assert (await teams.send("a:fresh", "echt tenant-b", tenant=OTHER_TENANT)).status == 200


async def test_updates_and_creates_count_against_the_tenant(teams: Fake) -> None:
    first = await teams.send("a:one", "origineel")
    for n in range(6):
        assert (
            await teams.call(
                "PUT", f"/v3/conversations/a:one/activities/{first.body['id']}", message("a:one", f"v{n}")
            )
        ).status == 200
    assert (await teams.send("a:one", "achtste")).status == 429, "seven writes in this second already"
    for n in range(43):
        assert (await teams.create(f"29:user-{n}")).status == 201
    assert (await teams.create("29:one-too-many")).status == 429
    assert teams.connector.stats().max_per_second_by_tenant == {TENANT: 50}


async def test_limits_can_be_measured_without_being_enforced(open_fake: Open) -> None:
    fake = await open_fake()  # a bare FakeConnector(), as the bot tests use
    assert all([(await fake.send("a:one", f"m{n}")).status == 200 for n in range(12)])
    stats = fake.connector.stats()
    assert (stats.throttled, stats.max_attempts_per_second_by_tenant) == (0, {TENANT: 12})


async def test_limits_are_configurable(open_fake: Open) -> None:
    fake = await open_fake(ConnectorConfig(tenant_limits=(Limit(3, 2.0),), conversation_limits=()))
    assert [(await fake.send("a:one", f"m{n}")).status for n in range(4)] == [200, 200, 200, 429]
    fake.clock.now = T0 + 0.5
    assert (await fake.send("a:one", "x")).retry_after == "2"


# -- faults ------------------------------------------------------------------------------------------

FAULTS = {
    # share field: (stats kind(s), statuses answered, delivered?)
    "error_rate": ({"http_500", "http_502", "http_503"}, {500, 502, 503}, False),
    "precondition_rate": ({"precondition_failed"}, {412}, False),
    "timeout_rate": ({"timeout"}, {504}, False),
    "slow_rate": ({"slow"}, {200}, True),
}
CODES = {
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
    412: "PreconditionFailed",
}


async def run_faulty(fake: Fake, count: int = 200) -> list[Reply]:
    return [await fake.send(f"a:user-{n}", f"m{n}") for n in range(count)]


@pytest.mark.parametrize("share", sorted(FAULTS))
async def test_each_fault_hits_a_seeded_share_and_is_never_delivered(open_fake: Open, share: str) -> None:
    kinds, statuses, delivered = FAULTS[share]
    share_of: dict[str, Any] = {share: 0.25}
    config = ConnectorConfig(enforce_limits=False, seed=11, hang_ms=3000, slow_ms=40, **share_of)
    fake = await open_fake(config)
    replies = await run_faulty(fake)
    hit = [(n, r) for n, r in enumerate(replies) if r.status != 200]
    stats = fake.connector.stats()
    faulted = sum(stats.faults[kind] for kind in kinds)
    assert 25 <= faulted <= 75, "about a quarter of 200 (four standard deviations either way)"
    assert all(count == 0 for kind, count in stats.faults.items() if kind not in kinds)
    if delivered:
        assert [r.status for r in replies] == [200] * 200
        assert stats.delivered == 200
        assert fake.sleeps.calls == [0.04] * faulted
    else:
        assert len(hit) == faulted
        assert {r.status for _, r in hit} == statuses, "every status of the kind shows up"
        assert all(r.body["error"]["code"] == CODES[r.status] for _, r in hit)
        assert stats.delivered == 200 - faulted
        assert {a["text"] for a in fake.connector.sent} == {
            f"m{n}" for n, r in enumerate(replies) if r.status == 200
        }
        assert fake.sleeps.calls == ([3.0] * faulted if share == "timeout_rate" else [])

    same = await open_fake(config)
    assert [r.status for r in await run_faulty(same)] == [r.status for r in replies], "the seed decides"
    if not delivered:
        other = await open_fake(replace(config, seed=12))
        assert [r.status for r in await run_faulty(other)] != [r.status for r in replies]


async def test_fault_shares_are_disjoint_and_add_up(open_fake: Open) -> None:
    config = ConnectorConfig(
        enforce_limits=False, seed=3, error_rate=0.2, precondition_rate=0.2, timeout_rate=0.2, slow_rate=0.2
    )
    fake = await open_fake(config)
    replies = await run_faulty(fake, 400)
    stats = fake.connector.stats()
    errors = sum(count for kind, count in stats.faults.items() if kind.startswith("http_"))
    others = [stats.faults[kind] for kind in ("precondition_failed", "timeout", "slow")]
    assert all(40 <= count <= 120 for count in [errors, *others]), "about a fifth of 400 each"
    assert errors + others[0] + others[1] == sum(r.status != 200 for r in replies)
    assert sum(r.status != 200 for r in replies) == stats.requests - stats.delivered
    assert stats.delivered == sum(r.status == 200 for r in replies)
    assert stats.requests == 400


async def test_a_real_hang_outlasts_the_client_and_delivers_nothing(open_fake: Open) -> None:
    fake = await open_fake(ConnectorConfig(timeout_rate=1.0, hang_ms=30_000), really_sleep=True)
    with pytest.raises(TimeoutError):
        await fake.send("a:one", "blijft hangen", client_timeout=aiohttp.ClientTimeout(total=0.2))
    stats = fake.connector.stats()
    assert (stats.faults["timeout"], stats.delivered) == (1, 0)


async def test_blocked_and_missing_conversations(open_fake: Open) -> None:
    fake = await open_fake(ConnectorConfig(blocked=frozenset({"a:blocked"}), not_found=frozenset({"a:gone"})))
    blocked = await fake.send("a:blocked", "hallo")
    assert (blocked.status, blocked.body) == (
        403,
        {
            "error": {
                "code": "ConversationBlockedByUser",
                "message": "User blocked the conversation with the bot.",
            }
        },
    )
    assert (
        await fake.call("POST", "/v3/conversations/a:blocked/activities/1:1", message("", "x"))
    ).status == 403
    assert (
        await fake.call("PUT", "/v3/conversations/a:blocked/activities/1:1", message("", "x"))
    ).status == 403
    gone = await fake.send("a:gone", "hallo")
    assert (gone.status, gone.body["error"]["code"]) == (404, "ConversationNotFound")
    assert (await fake.call("GET", "/v3/conversations/a:gone/members/29:x")).status == 404
    assert (await fake.send("a:fine", "hallo")).status == 200
    stats = fake.connector.stats()
    assert (stats.faults["blocked"], stats.faults["not_found"], stats.delivered) == (3, 2, 1)
    assert [a["_conversation"] for a in fake.connector.sent] == ["a:fine"]


# -- stats, reset, config ----------------------------------------------------------------------------


async def test_stats_count_deliveries_duplicates_and_times(teams: Fake) -> None:
    marked: dict[str, Any] = {"channelData": {"klussenbankDeliveryId": 7, "tenant": {"id": TENANT}}}
    await teams.send("a:one", "klus", **marked)
    teams.clock.now = T0 + 0.5
    await teams.send("a:one", "klus, opnieuw opgemaakt", **marked)  # same delivery id: duplicate
    await teams.send("a:one", "klus")  # same text as the first, but that one is judged by its id
    teams.clock.now = T0 + 2.75
    await teams.send("a:one", "klus")  # same content as the one before: duplicate
    await teams.send("a:two", "klus")  # another conversation
    typing: dict[str, Any] = {"type": "typing"}
    await teams.send("a:two", "klus", **typing)
    await teams.send("a:two", "klus", **typing)  # only messages can be duplicates
    card: dict[str, Any] = {
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"a": 1}}]
    }
    await teams.send("a:two", "", **card)
    await teams.send("a:two", "", **card)  # same card: duplicate

    reply = await teams.call("GET", "/_stats")
    assert reply.status == 200
    stats = reply.body
    assert stats == teams.connector.stats().to_json()
    assert stats["delivered"] == 9
    assert stats["delivered_by_conversation"] == {"a:one": 4, "a:two": 5}
    assert stats["duplicates"] == 3
    assert stats["duplicates_by_conversation"] == {"a:one": 2, "a:two": 1}
    assert (stats["first_delivery_at"], stats["last_delivery_at"]) == (T0, T0 + 2.75)
    assert stats["delivery_times"] == [T0, T0 + 0.5, T0 + 0.5] + [T0 + 2.75] * 6
    assert stats["deliveries_per_second"] == [3, 0, 6]
    assert stats["delivery_rate"] == pytest.approx(8 / 2.75)
    assert stats["max_per_second_by_tenant"] == {TENANT: 6}
    assert stats["throttled"] == 0
    assert stats["requests"] == 9
    without_times = await teams.call("GET", "/_stats?times=false")
    assert "delivery_times" not in without_times.body

    deliveries = (await teams.call("GET", "/_deliveries")).body
    assert [d["duplicate"] for d in deliveries] == [
        False,
        True,
        False,
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    assert deliveries[0]["deliveryId"] == 7
    assert deliveries[0]["key"] == "delivery:7"
    events = (await teams.call("GET", "/_events")).body
    assert [e["outcome"] for e in events] == ["delivered"] * 9


async def test_reset_forgets_everything_but_the_config(open_fake: Open) -> None:
    fake = await open_fake(ConnectorConfig(blocked=frozenset({"a:blocked"})))
    for n in range(8):
        await fake.send("a:one", f"m{n}")
    await fake.send("a:blocked", "x")
    assert fake.connector.stats().throttled == 1
    reset = await fake.call("POST", "/_reset")
    assert reset.status == 200
    stats = (await fake.call("GET", "/_stats")).body
    assert (stats["delivered"], stats["throttled"], stats["requests"], stats["faults"]["blocked"]) == (
        0,
        0,
        0,
        0,
    )
    assert stats["delivery_times"] == []
    assert stats["first_delivery_at"] is None
    assert fake.connector.sent == []
    assert (await fake.send("a:one", "weer welkom")).status == 200, "the windows are empty again"
    assert (await fake.send("a:blocked", "x")).status == 403, "the config stays"


async def test_config_changes_faults_at_run_time(teams: Fake) -> None:
    assert (await teams.send("a:one", "voor")).status == 200
    changed = await teams.call("POST", "/_config", {"blocked": ["a:one"], "error_rate": 1.0, "seed": 5})
    assert changed.status == 200
    assert (changed.body["blocked"], changed.body["error_rate"], changed.body["seed"]) == (["a:one"], 1.0, 5)
    assert teams.connector.config.blocked == frozenset({"a:one"})
    assert (await teams.send("a:one", "na")).status == 403
    assert (await teams.send("a:two", "na")).status in (500, 502, 503)
    for bad in ({"nonsense": 1}, {"error_rate": 2}, {"error_rate": "veel"}, {"blocked": "a:one"}):
        refused = await teams.call("POST", "/_config", bad)
        assert refused.status == 400, bad
    assert teams.connector.config.error_rate == 1.0, "a refused change changes nothing"
    assert (await teams.call("GET", "/_config")).body == changed.body
    limits = await teams.call("POST", "/_config", {"error_rate": 0, "conversation_limits": [[1, 1.0]]})
    assert limits.body["conversation_limits"] == [[1, 1.0]]
    assert [(await teams.send("a:three", f"m{n}")).status for n in range(2)] == [200, 429]


# -- as a process ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
async def test_the_standalone_process_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fake_connector",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--seed",
        "1",
        "--fault-rate",
        "0",
        "--blocked",
        "a:blocked",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode()
        found = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert found, line
        async with ClientSession(base_url=found.group(1)) as session:
            async with session.get("/_stats") as response:
                assert response.status == 200
                assert (await response.json())["delivered"] == 0
            async with session.post(
                "/v3/conversations/a:one/activities", json=message("a:one", "hoi")
            ) as response:
                assert response.status == 200
            async with session.post(
                "/v3/conversations/a:blocked/activities", json=message("", "x")
            ) as response:
                assert response.status == 403, "the command line's options apply"
            async with session.get("/_stats") as response:
                assert (await response.json())["delivered"] == 1
        process.send_signal(stop)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
        assert process.returncode == 0, stderr.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()


async def test_the_process_refuses_impossible_options() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fake_connector",
        "--fault-rate",
        "0.7",
        "--slow-rate",
        "0.7",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert b"listening" not in stdout
    assert b"add up to at most 1" in stderr
