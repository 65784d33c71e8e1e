"""Three `klussenbank serve` processes on one PostgreSQL behind a round-robin client: 24 people sign
up, post, show interest and choose, every card pressed twice at the same moment on two instances,
while every process runs the background chores each second. Nothing fails, nothing happens twice.

Runs only with KLUSSENBANK_TEST_POSTGRES_URL (the `postgres_url` fixture skips otherwise)."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.data import load_skill_vocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.clock import SystemClock
from klussenbank.services.people import import_directory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import KlusView, ReportView
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.uow import sql_unit_of_work
from tests.bot.test_klussen import buttons, klus_form
from tests.conftest import FixedClock, empty_database
from tests.e2e.playground import BotServer, free_port
from tests.fake_connector import FakeConnector, start
from tests.services.conftest import ANNA, BRAM, TENANT, announcement_service, marketplace
from tests.services.test_announcements import draft
from tests.services.test_klussen import klus_draft

pytestmark = pytest.mark.instances

INSTANCES = 3
# Enough people that every step has 16 of them acting side by side on the three instances; more
# only repeat the same turns (50 took twice as long and showed nothing new).
PEOPLE = 24
POSTERS = 6
AT_ONCE = 16  # people acting side by side
APOLOGY = ("Sorry, er ging iets mis", "Sorry, something went wrong")
ALREADY = "Dit was al gedaan"


def person_id(n: int) -> str:
    return f"7a5e0000-0000-4000-8000-{n:012d}"


@dataclass
class Client:
    """Round robin over the instances; a double click goes to two of them at the same moment."""

    session: aiohttp.ClientSession
    endpoints: list[str]
    service_url: str
    turns: int = 0
    errors: list[str] = field(default_factory=list)
    invoke_replies: list[str] = field(default_factory=list)
    already: int = 0
    _next: Iterator[int] = field(default_factory=itertools.count)
    _ids: Iterator[int] = field(default_factory=itertools.count)

    def activity(self, user: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"in-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": {"id": f"29:{user}", "aadObjectId": user, "name": f"Collega {user[-3:]}"},
            "recipient": {"id": "28:klussenbank", "name": "Klussenbank"},
            "conversation": {"id": f"a:personal-{user}", "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "nl-NL",
            **fields,
        }

    async def post(self, activity: dict[str, Any], instance: int | None = None) -> Any:
        endpoint = self.endpoints[(next(self._next) if instance is None else instance) % len(self.endpoints)]
        self.turns += 1
        try:
            async with self.session.post(endpoint, json=activity) as response:
                body = await response.json() if response.content_type == "application/json" else None
                if response.status not in (200, 202):
                    self.errors.append(f"HTTP {response.status} for {activity['type']}")
                return body
        except aiohttp.ClientError as error:
            self.errors.append(f"{type(error).__name__} for {activity['type']}")
            return None

    async def execute(
        self, user: str, verb: str, data: dict[str, Any], instance: int | None = None
    ) -> dict[str, Any]:
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        body = await self.post(
            self.activity(user, type="invoke", name="adaptiveCard/action", value=value), instance
        )
        card: dict[str, Any] = (body or {}).get("value") or {}
        if not card:
            self.errors.append(f"no card for {verb}")
        self.invoke_replies.append(json.dumps(card, ensure_ascii=False))
        return card

    async def double_click(self, user: str, verb: str, data: dict[str, Any]) -> list[dict[str, Any]]:
        first = next(self._next)
        cards = await asyncio.gather(*(self.execute(user, verb, data, first + i) for i in range(2)))
        self.already += sum(ALREADY in json.dumps(card, ensure_ascii=False) for card in cards)
        return list(cards)


async def count(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text(sql)) or 0)


async def seed_chore_work(url: str) -> tuple[int, int]:
    """Work for the chores, made in the past: a klus whose deadline passed, an announcement planned
    for yesterday. Their ids."""
    engine = create_engine(url)
    try:
        uow = sql_unit_of_work(session_factory(engine))
        today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
        clock = FixedClock(today - timedelta(days=20))
        directory = FileDirectory.load("demo")
        vocabulary = load_skill_vocabulary()
        await import_directory(uow, directory, clock, tenant_id=TENANT)
        signup = SignupService(
            uow, clock=clock, vocabulary=vocabulary, directory=directory, default_organisation="default"
        )
        for actor in (ANNA, BRAM):
            await signup.meet(actor, None)
        klus = await marketplace(uow, clock, vocabulary, directory).posting.post(BRAM, klus_draft())
        assert isinstance(klus, KlusView)
        clock.current = today - timedelta(days=2)
        planned = await announcement_service(uow, clock, directory).publish(
            ANNA,
            draft(channels=(), send_date=today - timedelta(days=1), send_time=time(8, 0)),
            scheduled=True,
        )
        assert isinstance(planned, ReportView), planned
        return klus.id, planned.announcement_id
    finally:
        await engine.dispose()


@pytest.fixture
async def connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    fake = FakeConnector()
    server = await start(fake)
    try:
        yield fake, str(server.make_url("/"))
    finally:
        await server.close()


async def test_three_instances_many_people_double_clicks_and_chores(
    postgres_url: str, connector: tuple[FakeConnector, str], tmp_path: Path
) -> None:
    fake, service_url = connector
    await empty_database(postgres_url)  # the session's database may hold other tests' rows
    engine = create_engine(postgres_url)
    overdue_klus, planned = await seed_chore_work(postgres_url)

    servers = []
    for n in range(INSTANCES):
        workdir = tmp_path / f"instance{n}"
        workdir.mkdir()
        server = BotServer(database_url=postgres_url, port=free_port(), workdir=workdir)
        server.service.env.update(KLUSSENBANK_CHORE_SECONDS="1", KLUSSENBANK_WORKER_LEASE_SECONDS="5")
        servers.append(server)
    loop = asyncio.get_running_loop()
    try:
        started = loop.time()
        await asyncio.gather(*(asyncio.to_thread(s.start) for s in servers))
        async with aiohttp.ClientSession() as session:
            client = Client(session, [s.endpoint for s in servers], service_url)
            playing = loop.time()
            await play(client)
            played = loop.time()
            await drained(engine)
    finally:
        for server in servers:
            server.stop()
    logs = "\n".join(s.service.log_text() for s in servers)

    replies = client.invoke_replies + [json.dumps(c, ensure_ascii=False) for c in fake.cards()]
    apologies = sum(any(a in r for a in APOLOGY) for r in replies)
    welcomes = Counter(a["_conversation"] for a in fake.sent if "Welkom bij Klussenbank" in json.dumps(a))
    figures = {
        "seconds to start the instances": round(playing - started, 1),
        "seconds of play": round(played - playing, 1),
        "turns": client.turns,
        "errors": len(client.errors),
        "apologies": apologies,
        "second presses answered 'already done'": client.already,
        "klussen": await count(engine, "SELECT count(*) FROM klussen"),
        "people": await count(engine, "SELECT count(*) FROM people WHERE aad_object_id LIKE '7a5e%'"),
        "profiles": await count(engine, "SELECT count(*) FROM availability_profiles"),
        "interest notices": await count(
            engine, "SELECT count(*) FROM outbox_messages WHERE reason = 'klus.interest'"
        ),
        "chosen notices": await count(
            engine, "SELECT count(*) FROM outbox_messages WHERE reason = 'klus.chosen'"
        ),
        "duplicate notifications": await count(
            engine,
            "SELECT count(*) FROM (SELECT d.person_id, m.reason, "
            "regexp_replace(m.content::text, '\"once\": \"[^\"]*\"', '', 'g') FROM outbox_messages m "
            "JOIN outbox_deliveries d ON d.message_id = m.id GROUP BY 1, 2, 3 HAVING count(*) > 1) AS twice",
        ),
        "duplicate deliveries (connector)": fake.stats().duplicates,
        "chore runs (purges)": await count(
            engine, "SELECT count(*) FROM audit_log WHERE action = 'privacy.purged'"
        ),
        "expiry notices": await count(
            engine, "SELECT count(*) FROM outbox_messages WHERE reason = 'klus.expired'"
        ),
        "announcements sent": await count(
            engine, "SELECT count(*) FROM outbox_messages WHERE reason = 'announcement'"
        ),
        "digest runs twice in a week": await count(
            engine,
            "SELECT count(*) FROM (SELECT organisation_key, week FROM digest_runs "
            "GROUP BY 1, 2 HAVING count(*) > 1) AS twice",
        ),
        "turns failed in the logs": logs.count("turn failed") + logs.count("card action"),
    }
    print("\nmulti-instance figures:", json.dumps(figures, indent=2))
    await engine.dispose()

    assert client.errors == []
    assert apologies == 0
    assert figures["turns failed in the logs"] == 0, logs[-3000:]
    assert figures["people"] == PEOPLE and figures["profiles"] == PEOPLE
    assert set(welcomes.values()) == {1} and len(welcomes) >= PEOPLE  # each welcomed once
    assert figures["klussen"] == POSTERS + 1  # and the overdue one
    assert figures["interest notices"] == PEOPLE - POSTERS
    assert figures["chosen notices"] == POSTERS
    assert client.already == 2 * PEOPLE + POSTERS  # every double click: one took effect, one was told
    assert figures["duplicate notifications"] == 0 and figures["duplicate deliveries (connector)"] == 0
    assert figures["chore runs (purges)"] >= INSTANCES  # every process ran its chores
    assert figures["expiry notices"] == 1 and figures["announcements sent"] == 1
    assert figures["digest runs twice in a week"] == 0
    assert overdue_klus and planned


async def play(client: Client) -> None:
    people = [person_id(n) for n in range(PEOPLE)]
    posters, candidates = people[:POSTERS], people[POSTERS:]
    limit = asyncio.Semaphore(AT_ONCE)

    async def each(users: list[str], step: Any) -> list[Any]:
        async def one(user: str) -> Any:
            async with limit:
                return await step(user)

        return await asyncio.gather(*(one(u) for u in users))

    async def first_contact(user: str) -> None:
        # Teams installs the app and the person says hello: two instances at once.
        await asyncio.gather(
            client.post(client.activity(user, type="installationUpdate", action="add")),
            client.post(client.activity(user, type="message", text="hallo")),
        )

    async def sign_up(user: str) -> None:
        form = await client.execute(user, "availability.edit", {})
        data = {
            **buttons(form)["availability.save"]["data"],
            "skills": "minute-taking",
            "hours_per_week": "12",
            "start_date": SystemClock().today().isoformat(),
            "organisations": "default",
            "work_mode": "remote",
        }
        await client.double_click(user, "availability.save", data)

    async def post(user: str) -> int:
        form = await client.execute(user, "klus.new", {})
        today = SystemClock().today()
        data = {
            **buttons(form)["klus.post"]["data"],
            **klus_form(
                organisation="default",
                start_date=(today + timedelta(days=14)).isoformat(),
                end_date=(today + timedelta(days=60)).isoformat(),
                interest_deadline=(today + timedelta(days=7)).isoformat(),
            ),
        }
        cards = await client.double_click(user, "klus.post", data)
        return int(
            next(
                buttons(c)["klus.candidates"]["data"]["klus_id"]
                for c in cards
                if "klus.candidates" in buttons(c)
            )
        )

    await each(people, first_contact)
    await each(people, sign_up)
    klussen = dict(zip(posters, await each(posters, post), strict=True))

    async def show_interest(user: str) -> None:
        klus_id = klussen[posters[int(user[-3:]) % POSTERS]]
        offer = await client.execute(user, "klus.show", {"klus_id": klus_id})
        await client.double_click(
            user, "interest.add", {**buttons(offer)["interest.add"]["data"], "motivation": "Graag"}
        )

    async def choose(user: str) -> None:
        view = await client.execute(user, "klus.candidates", {"klus_id": klussen[user]})
        await client.double_click(user, "candidate.choose", buttons(view)["candidate.choose"]["data"])

    await each(candidates, show_interest)
    await each(posters, choose)


async def drained(engine: AsyncEngine) -> None:
    """Until the workers sent everything (the chores keep running meanwhile)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60.0
    while loop.time() < deadline:
        pending = await count(engine, "SELECT count(*) FROM outbox_deliveries WHERE status = 'pending'")
        if not pending:
            await asyncio.sleep(3)  # a few more chore rounds in every process
            return
        await asyncio.sleep(0.5)
    raise AssertionError("the outbox was not sent within a minute")
