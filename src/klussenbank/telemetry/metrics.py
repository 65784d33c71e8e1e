"""Prometheus metrics through the official client library, served on a listener of their own.

Each process (`serve`, every `klussenbank worker`) keeps its own registry and serves it on its own
address; Prometheus adds the `instance` label. Label values are bounded: turn kinds are the routed
verbs and command words, chores are named in the wiring, tenants are the ones the bot serves.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)
from prometheus_client.aiohttp import make_aiohttp_handler

from klussenbank.config import ConfigError
from klussenbank.domain.delivery import DeliveryStatus, FailureKind

log = logging.getLogger(__name__)

Backlog = Callable[[], Awaitable[Mapping[str, int]]]
BACKLOG_TIMEOUT = 5.0  # seconds a scrape waits for the database before it shows the last figures

# Seconds: a turn answers in well under a second; a delivery waits from milliseconds (sent at once)
# to the 25 minutes of a dead-letter's retries, or hours behind a large broadcast.
TURN_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
DELAY_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0)


class Metrics:
    """One process's metrics. `backlog` reads the outbox's open deliveries by status, at each scrape."""

    def __init__(self, backlog: Backlog | None = None) -> None:
        self.registry = CollectorRegistry()
        # The client's standard process metrics (CPU, memory, open files, GC, Python version) too.
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)
        self._backlog = backlog
        registry = self.registry
        self.deliveries = Counter(
            "klussenbank_outbox_deliveries",
            "Sends by the outbox worker, by tenant and the status each ended in "
            "(sent; pending: to be retried; dead; unreachable).",
            ["tenant", "status"],
            registry=registry,
        )
        self.send_failures = Counter(
            "klussenbank_outbox_send_failures",
            "Failed sends, by tenant and kind: throttled (429 from Teams), transient (412, 5xx, timeout, "
            "no connection), unreachable (403, 404), permanent (other 4xx).",
            ["tenant", "kind"],
            registry=registry,
        )
        self.delivery_delay = Histogram(
            "klussenbank_outbox_delivery_delay_seconds",
            "Time from queueing a message to sending it, retries and rate limits included.",
            buckets=DELAY_BUCKETS,
            registry=registry,
        )
        self.backlog = Gauge(
            "klussenbank_outbox_backlog",
            "Deliveries in the outbox that wait to go out or for an operator, by status; read from the "
            "database at each scrape (the same for every process).",
            ["status"],
            registry=registry,
        )
        self.turns = Histogram(
            "klussenbank_turn_seconds",
            "Time to handle one activity from Teams, by kind (message:<command>, card:<verb>, "
            "conversationUpdate, installationUpdate) and result (answered, refused, failed).",
            ["kind", "result"],
            buckets=TURN_BUCKETS,
            registry=registry,
        )
        self.turns_waiting = Gauge(
            "klussenbank_turns_waiting",
            "Activities from Teams that wait for one of this process's turn slots "
            "(KLUSSENBANK_CONCURRENT_TURNS); above zero only in a burst.",
            registry=registry,
        )
        self.errors = Counter(
            "klussenbank_errors",
            "Unexpected errors (logged with a traceback), by where: turn, chore, delivery, sdk, metrics.",
            ["kind"],
            registry=registry,
        )
        self.chore_last_run = Gauge(
            "klussenbank_chore_last_run_timestamp_seconds",
            "When each chore last finished (Unix time), by result: ok or failed.",
            ["chore", "result"],
            registry=registry,
        )

    # What the delivery worker reports (the DeliveryObserver port).
    def delivery_ended(
        self, tenant_id: str, status: DeliveryStatus, failure: FailureKind | None, waited: float | None
    ) -> None:
        self.deliveries.labels(tenant_id, status.value).inc()
        if failure is not None:
            self.send_failures.labels(tenant_id, failure.value).inc()
        if waited is not None:
            self.delivery_delay.observe(max(0.0, waited))

    def delivery_crashed(self) -> None:
        self.errors.labels("delivery").inc()

    def turn_ended(self, kind: str, result: str, seconds: float) -> None:
        self.turns.labels(kind, result).observe(seconds)
        if result == "failed":
            self.errors.labels("turn").inc()

    def chore_ended(self, chore: str, *, ok: bool) -> None:
        self.chore_last_run.labels(chore, "ok" if ok else "failed").set_to_current_time()
        if not ok:
            self.errors.labels("chore").inc()

    async def refresh(self) -> None:
        """Read what is only in the database; a slow or failing database keeps the last figures."""
        if self._backlog is None:
            return
        try:
            counts = await asyncio.wait_for(self._backlog(), BACKLOG_TIMEOUT)
        except Exception:
            log.warning("metrics: could not read the outbox backlog", exc_info=True)
            self.errors.labels("metrics").inc()
            return
        for status, count in counts.items():
            self.backlog.labels(status).set(count)


def metrics_app(metrics: Metrics, token: str = "") -> web.Application:
    """`GET /metrics`; with a token, only for `Authorization: Bearer <token>`."""
    expose = make_aiohttp_handler(metrics.registry)
    expected = f"Bearer {token}".encode()

    async def scrape(request: web.Request) -> web.StreamResponse:
        given = request.headers.get("Authorization", "").encode("utf-8", "replace")
        if token and not hmac.compare_digest(given, expected):
            log.warning("refused a metrics scrape from %s: no or wrong token", request.remote)
            return web.Response(status=401, text="Unauthorized\n", headers={"WWW-Authenticate": "Bearer"})
        await metrics.refresh()
        return await expose(request)

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    return app


@asynccontextmanager
async def listening(metrics: Metrics, host: str, port: int, token: str = "") -> AsyncIterator[int]:
    """Serve /metrics on host:port (0: any free port) until the block ends; yields the port."""
    runner = web.AppRunner(metrics_app(metrics, token), access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            raise ConfigError(
                f"cannot listen for metrics on {host}:{port} ({exc.strerror}). Choose another port with "
                "KLUSSENBANK_METRICS_PORT or --metrics-port (0: no metrics listener)."
            ) from exc
        log.info("metrics on http://%s:%s/metrics", host, runner.addresses[0][1])
        yield int(runner.addresses[0][1])
    finally:
        await runner.cleanup()
