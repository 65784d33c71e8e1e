"""What operators see: /metrics scraped over real HTTP after real turns and deliveries, its guard,
and JSON log lines carrying the turn's correlation id into the deliveries it caused."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.server import CORRELATION_HEADER, AccessLog, Chore, init_app
from klussenbank.config import Settings
from klussenbank.services import correlation
from klussenbank.store.orm.outbox import OutboxMessageRow
from klussenbank.telemetry import logs
from klussenbank.telemetry.metrics import Metrics, listening
from klussenbank.verbs import Verb
from tests.bot.conftest import BRAM, DAAN, EVA, TENANT, BotHarness
from tests.bot.test_klussen import klus_form, signed_up, texts
from tests.fake_connector import Limit

TOKEN = "f" * 64

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(port: int, token: str | None = None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/metrics", headers=headers) as response,
    ):
        return response.status, await response.text()


def samples(text: str) -> Samples:
    """Every sample of a Prometheus text page, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
async def port(harness: BotHarness) -> AsyncIterator[int]:
    """The harness's metrics on a listener of their own, on a free port of 127.0.0.1."""
    async with listening(harness.metrics, "127.0.0.1", 0) as bound:
        yield bound


async def post_klus(harness: BotHarness) -> str:
    """Bram posts a klus; the correlation id the bot gave that request."""
    activity = harness.activity(
        BRAM,
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "klus.post", "data": klus_form()}},
    )
    response = await harness.client.post("/api/messages", json=activity)
    assert response.status == 200
    assert "Je klus is geplaatst" in texts((await response.json())["value"])
    return response.headers[CORRELATION_HEADER]


async def test_turns_deliveries_429s_and_the_backlog_show_in_the_metrics(
    harness: BotHarness, port: int
) -> None:
    await signed_up(harness, EVA, DAAN)
    await harness.say("hallo", user=BRAM)
    await post_klus(harness)  # Eva and Daan hear of it from the outbox
    await harness.execute("no.such.verb", user=EVA)  # a made-up verb is not a label of its own

    status, page = await scrape(port)
    assert status == 200
    before = samples(page)
    assert value(before, "klussenbank_turn_seconds_count", kind="card:klus.post", result="answered") == 1
    assert (
        value(before, "klussenbank_turn_seconds_count", kind="card:availability.save", result="answered") == 2
    )
    assert value(before, "klussenbank_turn_seconds_count", kind="card:unknown", result="refused") == 1
    kinds = {dict(labels)["kind"] for name, labels in before if name == "klussenbank_turn_seconds_count"}
    assert {kind for kind in kinds if kind.startswith("card:")} <= {"card:unknown"} | {
        f"card:{verb}" for verb in Verb
    }
    queued = value(before, "klussenbank_outbox_backlog", status="pending")
    assert queued >= 2
    assert value(before, "klussenbank_outbox_backlog", status="dead") == 0  # every status is shown

    # Teams lets one message through this minute and answers the others 429 with Retry-After.
    harness.connector.configure(tenant_limits=(Limit(1, 60.0),), enforce_limits=True)
    await harness.deliver()
    throttled = samples((await scrape(port))[1])
    assert value(throttled, "klussenbank_outbox_deliveries_total", tenant=TENANT, status="sent") == 1
    assert (
        value(throttled, "klussenbank_outbox_deliveries_total", tenant=TENANT, status="pending") == queued - 1
    )
    assert (
        value(throttled, "klussenbank_outbox_send_failures_total", tenant=TENANT, kind="throttled")
        == queued - 1
    )
    assert value(throttled, "klussenbank_outbox_backlog", status="pending") == queued - 1

    # A day later the limit is over: the rest goes out, and the delay says how long they waited.
    harness.connector.configure(tenant_limits=(Limit(50, 1.0),))
    harness.clock.current += timedelta(days=1)
    await harness.deliver()
    after = samples((await scrape(port))[1])
    assert value(after, "klussenbank_outbox_deliveries_total", tenant=TENANT, status="sent") == queued
    assert value(after, "klussenbank_outbox_delivery_delay_seconds_count") == queued
    assert value(after, "klussenbank_outbox_delivery_delay_seconds_sum") == (queued - 1) * 86400
    assert value(after, "klussenbank_outbox_delivery_delay_seconds_bucket", le="0.1") == 1
    assert value(after, "klussenbank_outbox_backlog", status="pending") == 0
    assert value(after, "klussenbank_errors_total", kind="turn") == 0
    assert value(after, "process_cpu_seconds_total") > 0  # the client's standard process metrics


async def test_a_failing_turn_counts_as_an_error_of_its_kind(
    harness: BotHarness, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.say("hallo")

    async def broken(*_args: Any) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr("klussenbank.services.signup.SignupService.profile", broken)
    await harness.say("profiel")

    found = samples((await scrape(port))[1])
    assert value(found, "klussenbank_errors_total", kind="turn") == 1
    failed = [
        dict(labels)["kind"]
        for (name, labels), count in found.items()
        if count and (name == "klussenbank_turn_seconds_count" and dict(labels)["result"] == "failed")
    ]
    assert failed == ["message:profile_show"]


async def test_chores_report_their_last_run_and_failures(harness: BotHarness, engine: AsyncEngine) -> None:
    ran: dict[str, str | None] = {}
    done = asyncio.Event()

    async def tidy() -> None:
        ran["tidy"] = correlation.current()

    async def broken() -> None:
        ran["broken"] = correlation.current()
        done.set()
        raise RuntimeError("chore failed")

    metrics = Metrics()
    app = init_app(
        Settings(),
        engine=engine,
        services=harness.services,
        metrics=metrics,
        chores=[Chore("tidy", tidy, 3600), Chore("broken", broken, 3600)],
    )
    started = time.time()
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        await asyncio.wait_for(done.wait(), 10)
        await asyncio.sleep(0)  # let the failing chore's loop record it
        async with listening(metrics, "127.0.0.1", 0) as bound:
            found = samples((await scrape(bound))[1])
    finally:
        await client.close()

    last_ok = value(found, "klussenbank_chore_last_run_timestamp_seconds", chore="tidy", result="ok")
    last_failed = value(
        found, "klussenbank_chore_last_run_timestamp_seconds", chore="broken", result="failed"
    )
    assert started - 1 <= last_ok <= time.time() and started - 1 <= last_failed <= time.time()
    assert value(found, "klussenbank_chore_last_run_timestamp_seconds", chore="broken", result="ok") == 0
    assert value(found, "klussenbank_errors_total", kind="chore") == 1
    # Each run has a correlation id of its own, which the messages it queues carry.
    assert ran["tidy"] and ran["broken"] and ran["tidy"] != ran["broken"]


async def test_with_a_token_only_a_scrape_that_shows_it_is_served() -> None:
    async with listening(Metrics(), "127.0.0.1", 0, TOKEN) as bound:
        assert (await scrape(bound))[0] == 401
        assert (await scrape(bound, "wrong"))[0] == 401
        assert (await scrape(bound, "f" * 63 + "é"))[0] == 401
        status, page = await scrape(bound, TOKEN)
    assert status == 200 and "# TYPE klussenbank_turn_seconds histogram" in page


async def test_the_listener_answers_only_on_the_address_it_is_bound_to() -> None:
    async with listening(Metrics(), "127.0.0.1", 0) as bound:
        assert (await scrape(bound))[0] == 200
        # Another address of this machine (still loopback) finds nobody listening there.
        with pytest.raises(aiohttp.ClientConnectorError):
            async with aiohttp.ClientSession() as session:
                await session.get(f"http://127.0.0.2:{bound}/metrics")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every log record of the test as a JSON line, as KLUSSENBANK_LOG_FORMAT=json writes them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(logs.CorrelationFilter())
    handler.setFormatter(logs.formatter("json"))
    root, delivery = logging.getLogger(), logging.getLogger("klussenbank.services.delivery")
    levels = root.level, delivery.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    delivery.setLevel(logging.DEBUG)  # its line for every sent message
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        delivery.setLevel(levels[1])


async def test_json_log_lines_carry_the_turns_correlation_id_into_its_deliveries(
    harness: BotHarness, engine: AsyncEngine, json_log: io.StringIO
) -> None:
    await signed_up(harness, EVA, DAAN)
    await harness.say("hallo", user=BRAM)
    correlation_id = await post_klus(harness)
    await harness.deliver()

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert all({"time", "level", "logger", "message", "correlation_id"} <= set(line) for line in lines)
    [posted] = [line for line in lines if "action=card:klus.post" in line["message"]]
    assert posted["logger"] == "klussenbank.audit" and posted["level"] == "INFO"
    assert posted["correlation_id"] == correlation_id and len(correlation_id) == 16
    assert posted["time"].endswith("+00:00")
    # Every other turn had an id of its own.
    audits = [line["correlation_id"] for line in lines if line["logger"] == "klussenbank.audit"]
    assert len(set(audits)) == len(audits) == 6

    async with engine.connect() as connection:
        queued = set((await connection.scalars(select(OutboxMessageRow.correlation_id))).all())
    assert queued == {correlation_id}
    sent = [line for line in lines if line["logger"] == "klussenbank.services.delivery"]
    assert len(sent) >= 2 and all(line["message"].endswith(" sent") for line in sent)
    assert {line["correlation_id"] for line in sent} == {correlation_id}


def test_the_access_log_leaves_out_the_query_and_keeps_the_correlation_id(json_log: io.StringIO) -> None:
    """A download link's signature is in its query: it must not reach the log."""
    path = "/api/reports/ermelo/2026-01-01/2026-02-01.csv"
    request = make_mocked_request("GET", f"{path}?expires=1796660000&sig={'a' * 64}")
    response = web.Response(status=403, headers={CORRELATION_HEADER: "0123456789abcdef"})

    AccessLog(logging.getLogger("aiohttp.access"), "").log(request, response, 0.012)

    [line] = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert line["logger"] == "aiohttp.access" and line["correlation_id"] == "0123456789abcdef"
    assert f'"GET {path}" 403 0.012 s' in line["message"]
    assert "sig" not in line["message"] and "a" * 64 not in line["message"]
