"""Delivery benchmark: one message to thousands of people through real `klussenbank worker` processes.

Run: ``.venv/bin/python -m bench.delivery [--recipients 5000] [--workers 1 2] [--fault-rate 0.02]``

For each worker count, on a fresh PostgreSQL database (created, migrated, dropped afterwards): start the
fake Bot Connector (``tests/fake_connector.py``; Teams' limits enforced, seeded 5xx faults), seed the
people and their personal chats, queue ONE message to all of them, start N workers, wait until nothing
is pending, claimed or sending, stop the workers with SIGTERM, and measure at the connector and in the
database. Timing is printed, never judged; lost or duplicated messages (and a run that fails) make the
exit code 1.

Clocks: the connector stamps deliveries with ``time.monotonic()``, which on Linux is CLOCK_MONOTONIC, one
clock for every process on the machine. The benchmark takes its t0 from the same ``time.monotonic()``,
and checks that the connector's ``now`` in ``/_stats`` falls between its own readings just before and
after the request (printed as "clock check").

The helpers (fresh database, connector process, seeding, worker processes, outcomes) are also used by
``tests/services/test_delivery_crash.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from klussenbank.cards.general import notice_card
from klussenbank.domain.delivery import TENANT_LIMIT as BOOKED_LIMIT
from klussenbank.services.ports.records import Recipient
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.migrate import upgrade_async
from klussenbank.store.orm.outbox import OutboxDeliveryRow
from klussenbank.store.orm.people import ConversationRow, OrganisationRow, PersonRow
from klussenbank.store.outbox import SqlOutbox

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TENANT = "bench-tenant"
TENANT_LIMIT = 50.0  # what Teams (and the fake connector) allow per tenant per second
BOOKED_RATE = BOOKED_LIMIT[0] / BOOKED_LIMIT[1]  # what the workers book per tenant per second
WRITES = ("create", "send", "reply", "update")
BOT_ID = "28:bench"
IN_FLIGHT = ("pending", "claimed", "sending")


# -- a fresh database ---------------------------------------------------------------------------------


async def _admin(admin_url: str, sql: str) -> None:
    engine = create_async_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def fresh_database(admin_url: str, prefix: str = "klussenbank_bench") -> AsyncIterator[str]:
    """A new, migrated PostgreSQL database; dropped afterwards, also when something failed."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade_async(url)
        yield url
    finally:
        await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- processes ----------------------------------------------------------------------------------------


class RunFailed(Exception):
    """The run itself failed (a process did not start or stop, a timeout): not a measurement."""


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class Connector:
    """The fake Bot Connector as its own process (``python -m tests.fake_connector``)."""

    process: subprocess.Popen[bytes]
    url: str  # ends in "/", as a conversation's service_url does
    log: Path

    async def stats(self, *, times: bool = True) -> dict[str, Any]:
        query = "" if times else "?times=false"
        timeout = aiohttp.ClientTimeout(total=30)
        async with (
            aiohttp.ClientSession(timeout=timeout) as client,
            client.get(f"{self.url}_stats{query}") as response,
        ):
            response.raise_for_status()
            data: dict[str, Any] = await response.json()
            return data

    async def events(self) -> list[dict[str, Any]]:
        """Every request the connector answered, with its status and receive time."""
        timeout = aiohttp.ClientTimeout(total=30)
        async with (
            aiohttp.ClientSession(timeout=timeout) as client,
            client.get(f"{self.url}_events") as response,
        ):
            response.raise_for_status()
            events: list[dict[str, Any]] = await response.json()
            return events


def _spawn(
    command: list[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a process with its output (both streams) in `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def _terminating(process: subprocess.Popen[bytes], grace: float = 10.0) -> Iterator[None]:
    try:
        yield
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.asynccontextmanager
async def fake_connector(
    workdir: Path,
    *,
    fault_seed: int = 0,
    fault_rate: float = 0.0,
    limits: bool = True,
    start_timeout: float = 20.0,
) -> AsyncIterator[Connector]:
    """Start the fake connector (Teams' limits enforced unless `limits` is off) and wait for its
    ``listening on`` line."""
    log = workdir / "connector.log"
    command = [sys.executable, "-m", "tests.fake_connector", "--host", "127.0.0.1", "--port", "0"]
    command += ["--seed", str(fault_seed), "--fault-rate", str(fault_rate)]
    command += [] if limits else ["--no-limits"]
    process = _spawn(command, cwd=REPO, log=log)
    with _terminating(process):
        deadline = time.monotonic() + start_timeout
        while True:
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("listening on "):
                    yield Connector(process, line.removeprefix("listening on ").strip() + "/", log)
                    return
            if process.poll() is not None:
                raise RunFailed(f"the fake connector exited with {process.returncode}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                raise RunFailed(f"the fake connector did not listen within {start_timeout:.0f} s")
            await asyncio.sleep(0.05)


def _worker_env(database_url: str, extra: dict[str, str] | None) -> dict[str, str]:
    # Nothing of the caller's Klussenbank settings (an app id would make the worker ask Entra for
    # tokens): local mode, this database, warnings only, and no /metrics (several workers run at once).
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLUSSENBANK_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=database_url,
        KLUSSENBANK_LOG_LEVEL="WARNING",
        KLUSSENBANK_METRICS_PORT="0",
        **(extra or {}),
    )
    return env


@dataclass
class Worker:
    """One ``klussenbank worker`` process, run in an empty directory so that no ``.env`` is read."""

    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, grace: float = 20.0) -> int:
        """SIGTERM, then wait; its exit code. RunFailed if it does not stop within `grace` s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RunFailed(f"worker {self.pid} did not stop within {grace:.0f} s of SIGTERM") from None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the process has used so far; NaN where /proc is not there."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL: the crash, with no chance to hand anything back."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def start_worker(database_url: str, workdir: Path, *, env: dict[str, str] | None = None) -> Worker:
    """``klussenbank worker`` (the console script beside this Python) with `env` added."""
    script = Path(sys.executable).parent / "klussenbank"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "klussenbank.cli"]
    index = len(list(workdir.glob("worker-*.log")))
    log = workdir / f"worker-{index}.log"
    home = workdir / f"worker-{index}"
    home.mkdir()
    return Worker(_spawn([*command, "worker"], cwd=home, log=log, env=_worker_env(database_url, env)), log)


@contextlib.contextmanager
def workers_cleaned_up(workers: list[Worker]) -> Iterator[list[Worker]]:
    """Whatever happens, no worker process outlives the block (SIGKILL for the ones still running)."""
    try:
        yield workers
    finally:
        for worker in workers:
            worker.kill()


# -- data ---------------------------------------------------------------------------------------------


def conversation_id(index: int) -> str:
    return f"a:bench-{index:06d}"


def person_id(index: int) -> str:
    return f"bench-person-{index:06d}"


CARD = notice_card("Er is een nieuwe klus voor jou: help je mee met de verhuizing van het archief?")


async def add_people_with_chats(
    session: AsyncSession, service_url: str, tenant: str, organisation: str, chats: dict[str, str]
) -> None:
    """An organisation, and for each AAD object id -> conversation id a person of `tenant` in it with
    that personal chat (bulk inserts)."""
    now = datetime.now(UTC)
    row = OrganisationRow(key=organisation, name=organisation, created_at=now)
    session.add(row)
    await session.flush()
    await session.execute(
        insert(PersonRow),
        [
            {
                "aad_object_id": aad,
                "tenant_id": tenant,
                "name": f"Persoon {aad}",
                "email": f"{aad}@bench.example",
                "organisation_id": row.id,
                "locale": "nl-NL",
                "created_at": now,
                "updated_at": now,
            }
            for aad in chats
        ],
    )
    ids = dict(
        (
            await session.execute(
                select(PersonRow.aad_object_id, PersonRow.id).where(PersonRow.organisation_id == row.id)
            )
        ).all()
    )
    await session.execute(
        insert(ConversationRow),
        [
            {
                "conversation_id": cid,
                "conversation_type": "personal",
                "person_id": ids[aad],
                "tenant_id": tenant,
                "channel_id": "msteams",
                "service_url": service_url,
                "reference": {"bot": {"id": BOT_ID}, "conversation": {"id": cid}},
                "updated_at": now,
            }
            for aad, cid in chats.items()
        ],
    )


async def seed(database_url: str, service_url: str, recipients: int) -> dict[str, str]:
    """People with a personal chat each, and ONE message queued to all of them (one transaction).

    Returns each person's AAD object id -> their conversation id.
    """
    people = {person_id(i): conversation_id(i) for i in range(recipients)}
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            await add_people_with_chats(session, service_url, TENANT, "bench", people)
            await SqlOutbox(session).enqueue(
                {"card": CARD},
                [Recipient(person_aad_object_id=aad) for aad in people],
                reason="bench",
                now=datetime.now(UTC),
            )
    finally:
        await engine.dispose()
    return people


async def outbox_counts(engine: AsyncEngine) -> dict[str, int]:
    return await SqlDeliveryQueue(session_factory(engine)).counts()


async def wait_until_final(
    engine: AsyncEngine, workers: Sequence[Worker], within: float, *, progress: bool = False
) -> dict[str, int]:
    """Poll until no delivery is pending, claimed or sending; RunFailed on a timeout or a dead worker."""
    started = time.monotonic()
    shown = started
    while True:
        counts = await outbox_counts(engine)
        if not any(counts[status] for status in IN_FLIGHT):
            return counts
        for worker in workers:
            if worker.process.poll() is not None:
                raise RunFailed(
                    f"worker {worker.pid} exited with {worker.process.returncode} while deliveries were "
                    f"in flight {counts}:\n{_tail(worker.log)}"
                )
        now = time.monotonic()
        if now - started > within:
            raise RunFailed(
                f"TIMEOUT: after {within:.0f} s the outbox still has deliveries in flight: {counts}"
            )
        if progress and now - shown >= 15:
            shown = now
            print(f"    {now - started:5.0f} s: {counts}", flush=True)
        await asyncio.sleep(0.25)


async def statuses_by_person(engine: AsyncEngine) -> dict[str, list[str]]:
    """Each recipient's AAD object id -> the statuses of their deliveries."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(PersonRow.aad_object_id, OutboxDeliveryRow.status).join(
                PersonRow, PersonRow.id == OutboxDeliveryRow.person_id
            )
        )
        found: dict[str, list[str]] = defaultdict(list)
        for aad, status in rows.all():
            found[aad].append(status)
        return dict(found)


# -- measuring ----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def counted_by_teams(events: Sequence[dict[str, Any]]) -> list[float]:
    """When each write Teams counts against the limit arrived: the accepted ones and those answered
    412 or 5xx (the connector, like Teams, counts a write before it fails). Not the 429s, nor writes
    refused before counting (400, 403, 404)."""
    return sorted(
        event["received_at"]
        for event in events
        if event["operation"] in WRITES
        and (event["status"] < 300 or event["status"] == 412 or event["status"] >= 500)
    )


def middle_rate(times: Sequence[float]) -> float:
    """Events per second over the middle 90 % of them: without start-up and retry tail."""
    ordered = sorted(times)
    low, high = int(len(ordered) * 0.05), int(len(ordered) * 0.95)
    middle = ordered[high] - ordered[low] if high > low else 0.0
    return (high - low) / middle if middle > 0 else float("nan")


def last_share_took(times: Sequence[float], share: float) -> float:
    """Seconds from the moment all but `share` of the events had happened to the last one."""
    ordered = sorted(times)
    if not ordered:
        return float("nan")
    return ordered[-1] - ordered[max(0, int(len(ordered) * (1 - share)) - 1)]


def peak_in_window(times: Sequence[float], seconds: float = 1.0) -> int:
    """Most stamps in any half-open window of `seconds` (the connector's own definition)."""
    window: deque[float] = deque()
    best = 0
    for stamp in sorted(times):
        window.append(stamp)
        while stamp - window[0] >= seconds:
            window.popleft()
        best = max(best, len(window))
    return best


@dataclass
class Result:
    recipients: int
    workers: int
    elapsed: float  # t0 -> the outbox was seen drained
    to_last: float  # t0 -> the last delivery at the connector
    delivered: int
    rate: float  # delivered / (last - first delivery)
    steady_rate: float  # the middle 90 % of deliveries over their time span: without start-up and retry tail
    tail: float  # seconds the last 1 % of deliveries took (mostly retries waiting for their backoff)
    counted: int  # writes Teams counts against the limit: delivered + answered 412/5xx
    counted_rate: float  # counted / (last - first counted write): how much of the limit was used
    steady_counted_rate: float  # the same over the middle 90 % of counted writes
    throttled: int
    throttled_by_scope: dict[str, int]
    faults: int
    fault_kinds: dict[str, int]
    lost_connector: int  # recipients with no delivered message
    lost_db: int  # recipients without a `sent` delivery
    sent_not_delivered: int  # `sent` in the database, nothing at the connector
    delivered_not_sent: int  # delivered, but the database does not say `sent`
    connector_duplicates: int
    recipients_more_than_once: int
    statuses: dict[str, int]
    p50: float
    p95: float
    peak_admitted: int  # admitted writes (deliveries and faulted ones) in any 1 s window
    peak_delivered: int
    peak_attempts: int  # requests received, 429s included, in any 1 s window
    clock_ok: bool
    load: tuple[float, float] = (float("nan"), float("nan"))  # 1-minute load average at t0 and drained
    worker_cpu: float = float("nan")  # CPU seconds the worker processes used, start-up included
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Delivered ÷ allowed."""
        return self.rate / TENANT_LIMIT

    @property
    def utilisation(self) -> float:
        """Writes Teams counted ÷ allowed."""
        return self.counted_rate / TENANT_LIMIT

    @property
    def duplicated(self) -> int:
        return self.connector_duplicates + self.recipients_more_than_once

    @property
    def lost(self) -> int:
        return max(self.lost_connector, self.lost_db)


def measure(
    stats: dict[str, Any],
    events: Sequence[dict[str, Any]],
    people: dict[str, str],
    statuses: dict[str, list[str]],
    *,
    t0: float,
    elapsed: float,
    workers: int,
    clock_ok: bool,
) -> Result:
    delivered_by = stats["delivered_by_conversation"]
    times: list[float] = stats["delivery_times"]
    first, last = stats["first_delivery_at"], stats["last_delivery_at"]
    span = (last - first) if first is not None and last is not None and last > first else float("nan")
    fault_kinds = {kind: n for kind, n in stats["faults"].items() if n}
    faults = sum(fault_kinds.values())
    counted = counted_by_teams(events)
    counted_span = counted[-1] - counted[0] if len(counted) > 1 else float("nan")
    sent = {aad for aad, found in statuses.items() if "sent" in found}
    received = {aad for aad, cid in people.items() if delivered_by.get(cid, 0) > 0}
    delays = [stamp - t0 for stamp in times]
    return Result(
        recipients=len(people),
        workers=workers,
        elapsed=elapsed,
        to_last=(last - t0) if last is not None else float("nan"),
        delivered=stats["delivered"],
        rate=stats["delivered"] / span,
        steady_rate=middle_rate(times),
        tail=last_share_took(times, 0.01),
        counted=len(counted),
        counted_rate=len(counted) / counted_span,
        steady_counted_rate=middle_rate(counted),
        throttled=stats["throttled"],
        throttled_by_scope=stats["throttled_by_scope"],
        faults=faults,
        fault_kinds=fault_kinds,
        lost_connector=len(people) - len(received),
        lost_db=len(people) - len(sent),
        sent_not_delivered=len(sent - received),
        delivered_not_sent=len(received - sent),
        connector_duplicates=stats["duplicates"],
        recipients_more_than_once=sum(1 for cid in people.values() if delivered_by.get(cid, 0) > 1),
        statuses=dict(Counter(status for found in statuses.values() for status in found)),
        p50=percentile(delays, 0.50),
        p95=percentile(delays, 0.95),
        peak_admitted=max(stats["max_per_second_by_tenant"].values(), default=0),
        peak_delivered=peak_in_window(times),
        peak_attempts=max(stats["max_attempts_per_second_by_tenant"].values(), default=0),
        clock_ok=clock_ok,
    )


async def connector_stats(connector: Connector) -> tuple[dict[str, Any], bool]:
    """The connector's stats, and whether its monotonic `now` lies within ours around the request."""
    before = time.monotonic()
    stats = await connector.stats()
    after = time.monotonic()
    return stats, before <= stats["now"] <= after


# -- one run ------------------------------------------------------------------------------------------


async def run_once(
    admin_url: str, *, recipients: int, workers: int, fault_rate: float, seed_value: int, within: float
) -> Result:
    with tempfile.TemporaryDirectory(prefix="klussenbank-bench-") as tmp:
        workdir = Path(tmp)
        async with (
            fresh_database(admin_url) as url,
            fake_connector(workdir, fault_seed=seed_value, fault_rate=fault_rate) as connector,
        ):
            print(f"  database migrated; connector at {connector.url}; seeding {recipients} people ...")
            people = await seed(url, connector.url, recipients)
            engine = create_engine(url)
            try:
                with workers_cleaned_up([]) as running:
                    t0 = time.monotonic()
                    load_before = os.getloadavg()[0]
                    running += [start_worker(url, workdir) for _ in range(workers)]
                    print(f"  {workers} worker(s) started (pids {', '.join(str(w.pid) for w in running)})")
                    await wait_until_final(engine, running, within, progress=True)
                    elapsed = time.monotonic() - t0
                    load_after = os.getloadavg()[0]
                    cpu = sum(worker.cpu_seconds() for worker in running)
                    codes = [worker.stop() for worker in running]
                    if any(codes):
                        logs = "\n".join(_tail(w.log) for w in running)
                        raise RunFailed(f"workers stopped with exit codes {codes}:\n{logs}")
                    warnings = sum(
                        1
                        for w in running
                        for line in _tail(w.log, 10_000).splitlines()
                        if " WARNING " in line
                    )
                stats, clock_ok = await connector_stats(connector)
                events = await connector.events()
                statuses = await statuses_by_person(engine)
            finally:
                await engine.dispose()
        result = measure(
            stats, events, people, statuses, t0=t0, elapsed=elapsed, workers=workers, clock_ok=clock_ok
        )
        result.load = (load_before, load_after)
        result.worker_cpu = cpu
        if warnings:
            result.notes.append(f"{warnings} WARNING lines in the worker logs")
        return result


def report(result: Result) -> None:
    r = result
    s = r.statuses
    print(f"  recipients               {r.recipients}")
    print(f"  workers                  {r.workers}")
    print(f"  elapsed (t0 -> drained)  {r.elapsed:.1f} s   (t0 -> last delivery {r.to_last:.1f} s)")
    print(f"  delivered                {r.delivered}")
    print(
        f"  allowed by Teams         {TENANT_LIMIT:.0f} writes/s per tenant; the workers book {BOOKED_RATE:.2f}/s"
    )
    print(
        f"  DELIVERED ÷ allowed      {r.ratio:.3f}  ({r.rate:.2f} messages delivered/s, first to last delivery)"
    )
    print(
        f"  COUNTED by Teams ÷ allowed {r.utilisation:.3f}  ({r.counted_rate:.2f} writes/s: the {r.delivered} "
        f"delivered + {r.counted - r.delivered} answered 412/5xx, which use the limit too) = use of the limit"
    )
    print(
        f"  steady (middle 90 %)     delivered ÷ allowed {r.steady_rate / TENANT_LIMIT:.3f}, "
        f"counted ÷ allowed {r.steady_counted_rate / TENANT_LIMIT:.3f}  (no start-up, no retry tail)"
    )
    print(
        f"  ceilings                 counted ÷ allowed <= {BOOKED_RATE / TENANT_LIMIT:.3f} (the booked rate); "
        f"delivered ÷ allowed <= {BOOKED_RATE / TENANT_LIMIT * r.delivered / max(r.counted, 1):.3f} "
        "(the share of counted writes that delivered)"
    )
    last = int(r.delivered * 0.01)
    print(
        f"  retry tail               the last {last} deliveries took {r.tail:.1f} s "
        f"({last / r.steady_rate:.1f} s at the steady rate)"
    )
    scopes = ", ".join(f"{k} {v}" for k, v in r.throttled_by_scope.items())
    print(f"  429s received            {r.throttled}  ({scopes})")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(r.fault_kinds.items())) or "none"
    print(f"  faults injected          {r.faults}  ({kinds})")
    print(f"  lost (connector view)    {r.lost_connector}  (recipients with no delivered message)")
    print(f"  lost (database view)     {r.lost_db}  (recipients without a delivery in status sent)")
    print(
        f"    sent but not delivered {r.sent_not_delivered};  delivered but not sent {r.delivered_not_sent}"
    )
    print(
        f"  duplicated               {r.duplicated}  (connector duplicates {r.connector_duplicates}, "
        f"recipients with >1 delivered {r.recipients_more_than_once})"
    )
    print(f"  unconfirmed              {s.get('unconfirmed', 0)}")
    print(f"  dead                     {s.get('dead', 0)}   (unreachable {s.get('unreachable', 0)})")
    print(f"  statuses                 {dict(sorted(s.items()))}")
    print(f"  delivery delay p50 / p95 {r.p50:.1f} s / {r.p95:.1f} s  (connector receive time - t0)")
    print(
        f"  peak in any 1 s window   {r.peak_admitted} admitted writes, {r.peak_delivered} deliveries, "
        f"{r.peak_attempts} requests incl. 429s"
    )
    print(
        f"  worker CPU               {r.worker_cpu:.1f} s = {r.worker_cpu / r.counted * 1000:.1f} ms per counted write "
        "(start-up included; less CPU a message means fewer late sends on a busy machine)"
    )
    print(
        f"  load average (1 min)     {r.load[0]:.2f} at the start, {r.load[1]:.2f} at the end "
        f"({os.cpu_count()} cores; other work on the machine slows the workers)"
    )
    print(f"  clock check              {'ok' if r.clock_ok else 'FAILED: delays are not trustworthy'}")
    for note in r.notes:
        print(f"  note                     {note}")
    if r.lost:
        print(f"  !!! LOST MESSAGES: {r.lost} recipients got nothing (correctness failure)")
    if r.duplicated:
        print(f"  !!! DUPLICATES: {r.duplicated} (correctness failure)")


def table(results: Sequence[Result]) -> str:
    head = (
        "| workers | recipients | elapsed | delivered/s | delivered ÷ 50/s | counted ÷ 50/s | steady delivered "
        "/ counted ÷ 50/s | 429s | faults "
        "| lost (conn/db) | dup | unconfirmed | dead | delay p50 / p95 | peak / 1 s |"
    )
    rule = "|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|"
    rows = [
        f"| {r.workers} | {r.recipients} | {r.elapsed:.1f} s | {r.rate:.2f}/s | {r.ratio:.3f} "
        f"| {r.utilisation:.3f} | {r.steady_rate / TENANT_LIMIT:.3f} / {r.steady_counted_rate / TENANT_LIMIT:.3f} "
        f"| {r.throttled} | {r.faults} "
        f"| {r.lost_connector}/{r.lost_db} | {r.duplicated} | {r.statuses.get('unconfirmed', 0)} "
        f"| {r.statuses.get('dead', 0)} | {r.p50:.1f} s / {r.p95:.1f} s | {r.peak_admitted} |"
        for r in results
    ]
    return "\n".join([head, rule, *rows])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts, one run each")
    parser.add_argument("--fault-rate", type=float, default=0.02, help="share of sends answered 5xx")
    parser.add_argument("--seed", type=int, default=1, help="the connector's fault sequence")
    parser.add_argument(
        "--timeout", type=float, help="seconds to wait for the outbox to drain (default 60 + recipients/25)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("KLUSSENBANK_TEST_POSTGRES_URL") or DEFAULT_POSTGRES,
        help="an admin URL; each run creates and drops its own database there",
    )
    return parser


async def _main(args: argparse.Namespace) -> int:
    timeout = args.timeout or 60 + args.recipients / 25
    results: list[Result] = []
    for workers in args.workers:
        print(
            f"== {args.recipients} recipients, {workers} worker(s), fault rate {args.fault_rate}, "
            f"seed {args.seed}",
            flush=True,
        )
        try:
            result = await run_once(
                args.postgres,
                recipients=args.recipients,
                workers=workers,
                fault_rate=args.fault_rate,
                seed_value=args.seed,
                within=timeout,
            )
        except RunFailed as failed:
            print(f"  !!! RUN FAILED: {failed}", flush=True)
            return 1
        report(result)
        results.append(result)
    by_workers = {r.workers: r for r in results}
    if 1 in by_workers and 2 in by_workers:
        print(
            f"\n2-worker rate / 1-worker rate: {by_workers[2].rate / by_workers[1].rate:.3f} "
            f"({by_workers[2].rate:.2f} / {by_workers[1].rate:.2f} per s, same run)"
        )
    print("\n" + table(results))
    failures = [r for r in results if r.lost or r.duplicated]
    if failures:
        print("\n!!! CORRECTNESS FAILURE: lost or duplicated messages (see above)")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(_main(_parser().parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
