"""`klussenbank directory sync` and `klussenbank tenants status` with a tenants file, run as the real
command in a process of its own: two tenants, each signing in at the local token service (its
`authority`) with its own credential, each with its own fake Graph that takes that tenant's token only,
and a database with an outbox backlog and a recent failure in one tenant."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from klussenbank.domain.delivery import Decision, DeliveryStatus
from klussenbank.domain.people import Organisation, Person
from klussenbank.services.clock import SystemClock
from klussenbank.services.ports.records import ConversationRef, Recipient
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.uow import sql_unit_of_work
from tests.fake_entra import TokenService, token_of
from tests.fake_graph import FakeGraph, serving
from tests.graph.test_tenant_installers import APP_A, APP_B, TENANT_A, TENANT_B, TENANTS_FILE, two_graphs

SECRET_A, SECRET_B = "secret-of-noord", "secret-of-zuid"


@dataclass
class World:
    tmp_path: Path
    database_url: str
    tokens: TokenService
    graph_a: FakeGraph
    graph_b: FakeGraph
    tenants_file: Path

    async def run(self, *args: str, zuid_secret: str = SECRET_B) -> tuple[int, str, str]:
        """`klussenbank ARGS` in a new process; its exit code, stdout and stderr."""
        assert self.tokens.ca_file is not None
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "klussenbank.cli",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=self.tmp_path,
            env={
                "PATH": "/usr/bin:/bin",
                "DATABASE_URL": self.database_url,
                "KLUSSENBANK_TENANTS_FILE": str(self.tenants_file),
                "NOORD_BOT_SECRET": SECRET_A,
                "ZUID_BOT_SECRET": zuid_secret,
                # The local token service's certificate: MSAL (requests) and azure-identity (aiohttp).
                "REQUESTS_CA_BUNDLE": str(self.tokens.ca_file),
                "SSL_CERT_FILE": str(self.tokens.ca_file),
            },
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode is not None
        return process.returncode, out.decode(), err.decode()


@pytest.fixture
async def world(tmp_path: Path, database_url: str) -> AsyncIterator[World]:
    tokens = await TokenService({APP_A: SECRET_A, APP_B: SECRET_B}).start(tmp_path)
    graph_a, graph_b = two_graphs()
    graph_a.token, graph_b.token = token_of(APP_A), token_of(APP_B)  # each takes its own tenant's only
    try:
        async with serving(graph_a) as url_a, serving(graph_b) as url_b:
            path = tmp_path / "tenants.toml"
            text = TENANTS_FILE.format(
                tenant_a=TENANT_A, tenant_b=TENANT_B, app_a=APP_A, app_b=APP_B, graph_a=url_a, graph_b=url_b
            )
            # Both sign in at the local token service instead of Microsoft Entra's.
            text = text.replace("directory = ", f'authority = "{tokens.authority}"\ndirectory = ')
            path.write_text(text, encoding="utf-8")
            yield World(tmp_path, database_url, tokens, graph_a, graph_b, path)
    finally:
        await tokens.close()


async def outbox_with_a_failure_in_zuid(database_url: str) -> None:
    """A message to Anna (noord) and to Eva (zuid) waits; Eva's failed a moment ago (Teams answered 503)."""
    clock = SystemClock()
    engine = create_engine(database_url)
    try:
        uow_factory = sql_unit_of_work(session_factory(engine))
        async with uow_factory() as uow:
            for person, tenant, organisation in (("anna", TENANT_A, "ermelo"), ("eva", TENANT_B, "zeewolde")):
                await uow.organisations.add(Organisation(organisation, organisation), now=clock.now())
                await uow.people.save(
                    Person(person, tenant, person, "", organisation, "nl-NL"), now=clock.now()
                )
                reference = {"bot": {"id": "28:bot"}}
                await uow.conversations.save(
                    ConversationRef(
                        f"a:{person}", "personal", tenant, "msteams", "http://127.0.0.1:9/", person, reference
                    ),
                    now=clock.now(),
                )
            await uow.outbox.enqueue(
                {"text": "Nieuws"}, [Recipient("anna"), Recipient("eva")], reason="test", now=clock.now()
            )
            await uow.commit()
        queue = SqlDeliveryQueue(session_factory(engine))
        claimed = await queue.claim("test", 10, now=clock.now(), lease=timedelta(minutes=1))
        for delivery in claimed:
            decision = (
                Decision(DeliveryStatus.PENDING, 60.0) if delivery.person_aad_object_id == "eva" else None
            )
            if decision is not None:
                await queue.failed(delivery.id, "test", decision, "503 Service Unavailable", now=clock.now())
        await queue.release("test", now=clock.now())
    finally:
        await engine.dispose()


def blocks(status: str) -> dict[str, str]:
    """`tenants status` output by tenant key: each tenant's lines."""
    found: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", status.strip()):
        found[block.split(" ", 1)[0]] = block
    return found


async def test_directory_sync_syncs_each_tenant_with_its_own_credential(world: World) -> None:
    code, out, err = await world.run("directory", "sync")

    assert code == 0, err
    assert "noord: synced from Microsoft Graph (full): 2 people updated, 0 removed" in out
    assert "zuid: synced from Microsoft Graph (full): 2 people updated, 0 removed" in out
    assert "noord: reading the users delta" in err and "zuid: reading the users delta" in err
    # Each Graph was read with its own tenant's token (it answers 401 to any other).
    assert world.graph_a.statuses[401] == world.graph_b.statuses[401] == 0
    assert world.graph_a.statuses[200] >= 1 and world.graph_b.statuses[200] >= 1
    assert set(world.tokens.issued) == {APP_A, APP_B}


async def test_a_refused_tenant_fails_alone_and_tenants_status_says_so(world: World) -> None:
    await outbox_with_a_failure_in_zuid(world.database_url)

    code, out, err = await world.run("directory", "sync", zuid_secret="an-expired-secret")
    assert code == 1, err
    assert "noord: synced from Microsoft Graph (full): 2 people updated" in out
    assert "zuid: FAILED: no Graph token: the sign-in service refused the Graph credential" in out
    assert "klussenbank: directory sync failed for zuid: no Graph token" in err and "AADSTS7000215" in err
    assert "The other tenants were synced." in err
    assert world.tokens.refused[APP_B] >= 1 and APP_B not in world.tokens.issued
    assert sum(world.graph_b.requests.values()) == 0, "no token, no request to B's Graph"
    assert "Traceback" not in err

    code, out, err = await world.run("tenants", "status", zuid_secret="an-expired-secret")
    assert code == 0, err
    assert "Traceback" not in err
    noord, zuid = blocks(out)["noord"], blocks(out)["zuid"]
    assert f"noord (tenant {TENANT_A}, app {APP_A})" in noord
    assert "token:     yes" in noord
    assert re.search(r"directory: Graph, last synced \d{4}-\d\d-\d\d \d\d:\d\d UTC", noord), noord
    assert "outbox:    1 waiting, 0 failed sends in the last 24 hours" in noord
    assert f"zuid (tenant {TENANT_B}, app {APP_B})" in zuid
    assert (
        "token:     no: the sign-in service refused the bot's credential (AADSTS7000215: Invalid client secret"
        in zuid
    )
    assert "Check the tenant's app_id and credential in the tenants file" in zuid
    assert "directory: Graph, never synced" in zuid
    assert "outbox:    1 waiting, 1 failed sends in the last 24 hours" in zuid
