"""Turn benchmark: the real bot over real HTTP, side by side with a bare Agents SDK echo bot.

Run: ``.venv/bin/python -m bench.turns [--db sqlite,postgresql] [--pools 1000,10000,100000]
[--users 1,10,50] [--kinds help,profile,...] [--rounds 3] [--samples 20] [--postgres URL]``

A quick look: ``python -m bench.turns --db sqlite --pools 1000 --users 1,10 --kinds help,profile,jobs
--rounds 1``. Every user count's rounds run each kind in turn: all users take the same kind of turn at
once, on one bot and then the other.

For each database and pool size: a fresh database (a SQLite file, or a PostgreSQL database created
and dropped on the server ``--postgres`` names: default ``$KLUSSENBANK_TEST_POSTGRES_URL``), migrated,
and a pool of people with profiles inserted directly in it (bulk inserts, no turns). Then
``klussenbank serve`` (the console script, in an empty directory so no ``.env`` is read, local mode,
the outbox worker off: delivery has ``bench.delivery``) answers on a free port with a directory file
of the benchmark's own cast, and replies go to the fake Bot Connector (``tests/fake_connector.py``,
Teams' limits off: this measures the bot, not throttling). The bare echo bot (``bench/echo_bot.py``:
the same SDK, aiohttp host and auth setting) runs beside it for the whole benchmark.

A virtual user is a poster, a candidate and the candidate's line manager. There are nine kinds of
turn, each timed at the client from request to response: ``help`` (a message),
``profile`` and ``jobs`` (messages: the candidate's profile and open klussen), ``post klus`` (the
form's card action), ``candidates`` (the poster's candidates card), ``interest`` (the candidate
shows interest), ``choose`` and ``confirm`` (poster and candidate), ``approve`` (the manager). The
echo bot gets the same requests (message or card action, same activity shape, same user count), so
each kind has its own echo figure. Rounds alternate which bot goes first; the same aiohttp client
session drives both. Printed: p50/p99 per turn kind for both and
their ratios (same run), CPU per turn (the server process's CPU time over a phase ÷ its turns) and
the bot's resident memory (now and peak). Timing is printed, never judged; a turn answered with
an error status, or a flow that did not end approved, makes the exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import aiohttp
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.delivery import (
    REPO,
    RunFailed,
    _spawn,
    _tail,
    _terminating,
    fake_connector,
    fresh_database,
    percentile,
)
from klussenbank.data import load_skill_vocabulary
from klussenbank.services.clock import SystemClock
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.migrate import upgrade_async
from klussenbank.store.orm.approvals import ApprovalRow
from klussenbank.store.orm.people import (
    AvailabilityOrganisationRow,
    AvailabilityRow,
    AvailabilitySkillRow,
    OrganisationRow,
    PersonRow,
)

TENANT = "00000000-0000-4000-8000-0000000000be"
BOT_ID = "28:bench-bot"
POSTERS, CANDIDATES = "noord", "zuid"  # posters and candidates work in different organisations
ORGANISATIONS = {POSTERS: "Gemeente Noord", CANDIDATES: "Gemeente Zuid"}
KINDS = ("help", "profile", "jobs", "post klus", "candidates", "interest", "choose", "confirm", "approve")
FLOW = KINDS[3:]  # each needs the ones before it in the same round
MESSAGES = {"help": "help", "profile": "profiel", "jobs": "klussen"}  # the other kinds are card actions
CONFIRMS_PER_CANDIDATE = 35  # a klus takes 1 of a candidate's 40 hours a week: a new candidate before that
SEED_CHUNK = 5_000


def _uuid(group: int, number: int) -> str:
    return f"00000000-0000-4{group:03x}-8000-{number:012x}"


# -- the cast: virtual users, in the directory file -----------------------------------------------------


@dataclass(frozen=True)
class VirtualUser:
    poster: str
    candidates: tuple[str, ...]  # used in turn, so no one runs out of hours
    manager: str


def cast(users: int, candidates_each: int) -> list[VirtualUser]:
    return [
        VirtualUser(
            poster=_uuid(1, i),
            candidates=tuple(_uuid(2, i * candidates_each + k) for k in range(candidates_each)),
            manager=_uuid(3, i),
        )
        for i in range(users)
    ]


def directory_file(people: Sequence[VirtualUser]) -> dict[str, Any]:
    """The directory the bot reads: the cast only (the pool lives in the database alone)."""

    def entry(aad: str, name: str, organisation: str, manager: str | None) -> dict[str, Any]:
        return {
            "aad_object_id": aad,
            "name": name,
            "email": f"{aad}@bench.example",
            "organisation": organisation,
            "job_title": "Medewerker",
            "department": "Bench",
            "manager": manager,
            "roles": [],
            "locale": "nl-NL",
        }

    entries = []
    for i, user in enumerate(people):
        entries.append(entry(user.poster, f"Poster {i}", POSTERS, None))
        entries.append(entry(user.manager, f"Leidinggevende {i}", CANDIDATES, None))
        entries += [entry(c, f"Kandidaat {c[-6:]}", CANDIDATES, user.manager) for c in user.candidates]
    organisations = [
        {"key": key, "name": name, "time_zone": "Europe/Amsterdam"} for key, name in ORGANISATIONS.items()
    ]
    return {"organisations": organisations, "people": entries}


# -- the pool, straight into the database ---------------------------------------------------------------


async def seed_pool(database_url: str, size: int, *, seed: int = 19) -> None:
    """`size` people with an active profile each (2-4 skills of the vocabulary, 1-2 organisations)."""
    rng = Random(seed)
    skills = [skill.id for skill in load_skill_vocabulary().skills]
    now = datetime.now(UTC)
    start = now.date() - timedelta(days=30)
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            await session.execute(
                insert(OrganisationRow),
                [{"key": key, "name": name, "created_at": now} for key, name in ORGANISATIONS.items()],
            )
            org_ids = dict((await session.execute(select(OrganisationRow.key, OrganisationRow.id))).all())
            keys = list(org_ids)
            for first in range(0, size, SEED_CHUNK):
                numbers = range(first, min(size, first + SEED_CHUNK))
                await session.execute(
                    insert(PersonRow),
                    [
                        {
                            "aad_object_id": _uuid(9, n),
                            "tenant_id": TENANT,
                            "name": f"Pool {n}",
                            "email": f"pool{n}@bench.example",
                            "organisation_id": org_ids[keys[n % len(keys)]],
                            "locale": "nl-NL",
                            "welcomed_at": now,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for n in numbers
                    ],
                )
                ids = (
                    await session.scalars(
                        select(PersonRow.id)
                        .where(PersonRow.aad_object_id.between(_uuid(9, numbers[0]), _uuid(9, numbers[-1])))
                        .order_by(PersonRow.id)
                    )
                ).all()
                profiles, skill_rows, organisation_rows = [], [], []
                for person_id in ids:
                    profiles.append(
                        {
                            "person_id": person_id,
                            "hours_per_week": rng.randint(4, 40),
                            "start_date": start,
                            "end_date": None,
                            "weekdays": [],
                            "work_mode": rng.choice(("remote", "hybrid", "on_site")),
                            "intro": "",
                            "status": "active",
                            "paused_until": None,
                            "suggestions": True,
                            "visible_to_own_line": False,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    skill_rows += [
                        {"person_id": person_id, "position": i, "skill": skill, "from_vocabulary": True}
                        for i, skill in enumerate(rng.sample(skills, rng.randint(2, 4)))
                    ]
                    organisation_rows += [
                        {"person_id": person_id, "organisation_id": org_ids[key]}
                        for key in rng.sample(keys, rng.randint(1, len(keys)))
                    ]
                await session.execute(insert(AvailabilityRow), profiles)
                await session.execute(insert(AvailabilitySkillRow), skill_rows)
                await session.execute(insert(AvailabilityOrganisationRow), organisation_rows)
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def database(kind: str, postgres: str | None, workdir: Path) -> AsyncIterator[str]:
    """A fresh, migrated database of `kind`; gone afterwards."""
    if kind == "postgresql":
        if not postgres:
            raise RunFailed("PostgreSQL needs --postgres URL (or KLUSSENBANK_TEST_POSTGRES_URL)")
        async with fresh_database(postgres, prefix="klussenbank_turns") as url:
            yield url
        return
    path = workdir / f"turns-{time.monotonic_ns()}.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_async(url)
    try:
        yield url
    finally:
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()


# -- the two servers ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    process: Any  # subprocess.Popen[bytes]
    url: str  # .../api/messages
    log: Path

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> tuple[float, float]:
        """Resident memory now and at its peak, in MB."""
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        )
        return tuple(int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))  # type: ignore[return-value]

    def check(self) -> None:
        if self.process.poll() is not None:
            raise RunFailed(f"{self.name} exited with {self.process.returncode}:\n{_tail(self.log)}")


@contextlib.asynccontextmanager
async def echo_bot(workdir: Path, within: float = 30.0) -> AsyncIterator[Server]:
    log = workdir / "echo.log"
    process = _spawn([sys.executable, "-m", "bench.echo_bot", "--port", "0"], cwd=REPO, log=log)
    with _terminating(process):
        deadline = time.monotonic() + within
        while True:
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("listening on "):
                    url = line.removeprefix("listening on ").strip() + "/api/messages"
                    yield Server("the echo bot", process, url, log)
                    return
            if process.poll() is not None or time.monotonic() > deadline:
                raise RunFailed(f"the echo bot did not start:\n{_tail(log)}")
            await asyncio.sleep(0.05)


def _bot_env(database_url: str, directory: Path) -> dict[str, str]:
    # None of the caller's Klussenbank settings (an app id would make it ask Entra for tokens).
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLUSSENBANK_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=database_url,
        KLUSSENBANK_DIRECTORY_FILE=str(directory),
        KLUSSENBANK_ORGANISATIONS_FILE="",  # the default rules: the demo's pools name the demo's organisations
        KLUSSENBANK_WORKER="off",
        KLUSSENBANK_METRICS_PORT="0",  # (no metrics listener: another process may have the port)
    )
    return env


@contextlib.asynccontextmanager
async def klussenbank(
    database_url: str, directory: Path, workdir: Path, client: aiohttp.ClientSession, within: float = 60.0
) -> AsyncIterator[Server]:
    """``klussenbank serve`` on a free port, once /healthz answers."""
    script = Path(sys.executable).parent / "klussenbank"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "klussenbank.cli"]
    port = _free_port()
    home = Path(tempfile.mkdtemp(dir=workdir, prefix="serve-"))
    log = workdir / f"serve-{port}.log"
    process = _spawn(
        [*command, "serve", "--port", str(port)], cwd=home, log=log, env=_bot_env(database_url, directory)
    )
    with _terminating(process):
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + within
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with client.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RunFailed(f"klussenbank serve did not start:\n{_tail(log)}")
            await asyncio.sleep(0.1)
        yield Server("klussenbank serve", process, f"{base}/api/messages", log)


# -- turns ----------------------------------------------------------------------------------------------


class TurnFailed(RunFailed):
    """A turn answered with an error status, or a flow that did not go as every turn should."""


@dataclass
class Client:
    session: aiohttp.ClientSession
    connector_url: str
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def activity(self, user: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"in-{next(self.ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector_url,
            "from": {"id": f"29:{user}", "aadObjectId": user, "name": ""},
            "recipient": {"id": BOT_ID, "name": "Klussenbank"},
            "conversation": {"id": f"a:bench-{user}", "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "nl-NL",
            **fields,
        }

    async def send(self, url: str, activity: dict[str, Any]) -> tuple[float, Any]:
        """Seconds from request to response, and the JSON body (None for a message's 202)."""
        started = time.perf_counter()
        async with self.session.post(url, json=activity) as response:
            body = await response.read()
            took = time.perf_counter() - started
            if response.status not in (200, 202):
                raise TurnFailed(f"{activity.get('type')} {activity.get('text') or ''} -> {response.status}")
        return took, json.loads(body) if body else None

    async def say(self, url: str, user: str, text: str) -> float:
        took, _ = await self.send(url, self.activity(user, type="message", text=text))
        return took

    async def press(
        self, url: str, user: str, verb: str, data: dict[str, Any]
    ) -> tuple[float, dict[str, Any]]:
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        took, body = await self.send(
            url, self.activity(user, type="invoke", name="adaptiveCard/action", value=value)
        )
        if not isinstance(body, dict) or body.get("statusCode") != 200:
            raise TurnFailed(f"{verb} answered {body!r:.300}")
        card: dict[str, Any] = body["value"]
        return took, card


def _button_data(card: dict[str, Any], verb: str) -> dict[str, Any] | None:
    """The data of the card's first Action.Execute with `verb`."""
    stack: list[Any] = [card]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "Action.Execute" and item.get("verb") == verb:
                data: dict[str, Any] = item.get("data") or {}
                return data
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return None


def klus_form(today: date, number: int) -> dict[str, str]:
    return {
        "title": f"Notuleren bij de raad {number}",
        "description": "Vier raadsvergaderingen notuleren.",
        "organisation": POSTERS,
        "required_skills": "minute-taking",
        "nice_skills": "data-entry",
        "skills_other": "",
        "hours_per_week": "1",
        "start_date": (today + timedelta(days=14)).isoformat(),
        "end_date": (today + timedelta(days=60)).isoformat(),
        "work_mode": "remote",
        "place": "",
        "people_needed": "1",
        "interest_deadline": (today + timedelta(days=7)).isoformat(),
        "visibility": "pool",
        "internal_first_until": "",
    }


def profile_form(today: date) -> dict[str, str]:
    return {
        "skills": "minute-taking,data-entry",
        "hours_per_week": "40",
        "start_date": today.isoformat(),
        "organisations": f"{POSTERS},{CANDIDATES}",
        "work_mode": "remote",
    }


Timings = dict[str, list[float]]


@dataclass
class Klus:
    """A klus a virtual user posted in this round, and the candidate who goes for it."""

    klus_id: int
    candidate: str
    approval_id: int = 0


@dataclass
class Bench:
    client: Client
    bot: Server
    echo: Server
    engine: AsyncEngine  # the benchmark's own look at the database: the approval a confirm opened
    kinds: tuple[str, ...] = KINDS
    klus_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    confirmed: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # per virtual user
    posted: dict[int, list[Klus]] = field(default_factory=dict)  # this round's, per virtual user
    approved: int = 0

    async def warm_up(self, people: Sequence[VirtualUser]) -> None:
        """First contact for everyone (welcomes), the candidates' profiles, and one untimed round of
        every kind for the first user."""
        today = SystemClock().today()
        for user in people:
            for aad in (user.poster, user.manager, *user.candidates):
                await self.client.say(self.bot.url, aad, "hallo")
            for candidate in user.candidates:
                _, card = await self.client.press(
                    self.bot.url, candidate, "availability.save", profile_form(today)
                )
                if _button_data(card, "availability.withdraw") is None:
                    raise TurnFailed(f"the profile of {candidate} was not saved: {json.dumps(card)[:300]}")
        self.posted = {0: []}
        for kind in self.kinds:
            await self.prepare(kind)
            await self.turn(kind, 0, people[0], 0, {})
            await self.echo_turn(kind, people[0], {})

    def candidate(self, index: int, user: VirtualUser) -> str:
        """The candidate of the user's next klus: the next one before this one runs out of hours."""
        number = self.confirmed[index]
        self.confirmed[index] += 1
        return user.candidates[min(number // CONFIRMS_PER_CANDIDATE, len(user.candidates) - 1)]

    async def prepare(self, kind: str) -> None:
        """Not timed: before the approvals, find the approval each confirmation opened."""
        if kind != "approve":
            return
        ids = [klus.klus_id for posted in self.posted.values() for klus in posted]
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(ApprovalRow.klus_id, ApprovalRow.id).where(ApprovalRow.klus_id.in_(ids))
            )
            found = dict(rows.all())
        for klus in (klus for posted in self.posted.values() for klus in posted):
            if klus.klus_id not in found:
                raise TurnFailed(f"no approval was opened for klus {klus.klus_id}")
            klus.approval_id = int(found[klus.klus_id])

    async def turn(self, kind: str, index: int, user: VirtualUser, number: int, timings: Timings) -> None:
        """The user's `number`-th turn of `kind` in this round, against Klussenbank."""
        client, url = self.client, self.bot.url
        if kind in ("help", "profile", "jobs"):
            actor = user.poster if kind == "help" else user.candidates[0]
            timings.setdefault(kind, []).append(await client.say(url, actor, MESSAGES[kind]))
            return
        if kind == "post klus":
            form = klus_form(SystemClock().today(), next(self.klus_numbers))
            took, card = await client.press(url, user.poster, "klus.post", form)
            found = _button_data(card, "klus.candidates")
            if found is None:
                raise TurnFailed(f"the klus was not posted: {json.dumps(card)[:300]}")
            self.posted[index].append(Klus(int(found["klus_id"]), self.candidate(index, user)))
            timings.setdefault(kind, []).append(took)
            return
        klus = self.posted[index][number]
        ids: dict[str, Any] = {"klus_id": klus.klus_id}
        steps: dict[str, tuple[str, str, dict[str, Any]]] = {
            "candidates": (user.poster, "klus.candidates", ids),
            "interest": (klus.candidate, "interest.add", {**ids, "motivation": "Ik notuleer graag."}),
            "choose": (user.poster, "candidate.choose", {**ids, "person_id": klus.candidate}),
            "confirm": (klus.candidate, "match.confirm", ids),
            "approve": (user.manager, "approval.approve", {"approval_id": klus.approval_id}),
        }
        actor, verb, data = steps[kind]
        took, card = await client.press(url, actor, verb, data)
        timings.setdefault(kind, []).append(took)
        if kind == "approve":
            if _button_data(card, "approval.approve") is not None:
                raise TurnFailed(f"the approval still asks for a decision: {json.dumps(card)[:300]}")
            self.approved += 1

    async def echo_turn(self, kind: str, user: VirtualUser, timings: Timings) -> None:
        """The same request, a message or a card action, to the echo bot."""
        client, url = self.client, self.echo.url
        if kind in MESSAGES:
            took = await client.say(url, user.poster, MESSAGES[kind])
        else:
            took, _ = await client.press(url, user.poster, kind.replace(" ", "."), {"klus_id": 1})
        timings.setdefault(kind, []).append(took)


@dataclass
class Phase:
    """One bot's figures for one user count: timings and CPU per kind."""

    timings: Timings = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=lambda: defaultdict(float))


async def run_phase(
    bench: Bench, target: str, kind: str, people: Sequence[VirtualUser], per_user: int, phase: Phase
) -> None:
    """Every user `per_user` turns of `kind` at once (each user's turns one after the other)."""
    server = bench.bot if target == "bot" else bench.echo
    cpu = server.cpu_seconds()

    async def one(index: int, user: VirtualUser) -> None:
        for number in range(per_user):
            if target == "bot":
                await bench.turn(kind, index, user, number, phase.timings)
            else:
                await bench.echo_turn(kind, user, phase.timings)

    await asyncio.gather(*(one(i, user) for i, user in enumerate(people)))
    phase.cpu[kind] += server.cpu_seconds() - cpu
    server.check()


# -- the run --------------------------------------------------------------------------------------------


@dataclass
class Row:
    db: str
    pool: int
    users: int
    kind: str
    bot: tuple[float, float]  # p50, p99 in ms
    echo: tuple[float, float]
    samples: int
    cpu: tuple[float, float]  # CPU ms per turn of the bot's and the echo bot's server process

    @property
    def ratio(self) -> tuple[float, float]:
        return (self.bot[0] / self.echo[0], self.bot[1] / self.echo[1])


def _ms(values: Sequence[float]) -> tuple[float, float]:
    return (percentile(values, 0.50) * 1000, percentile(values, 0.99) * 1000)


def with_prerequisites(wanted: Sequence[str]) -> tuple[str, ...]:
    """The kinds to run for `wanted`: a step of the klus flow needs every step before it."""
    unknown = set(wanted) - set(KINDS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown turn kinds {sorted(unknown)}; choose from {', '.join(KINDS)}"
        )
    last_step = max((FLOW.index(kind) for kind in wanted if kind in FLOW), default=-1)
    return tuple(kind for kind in KINDS if kind in wanted or kind in FLOW[: last_step + 1])


def per_user_iterations(users: int, samples: int) -> int:
    """Iterations per virtual user and round, so that each kind gets about `samples` per round."""
    return max(1, -(-samples // users))


async def run_setting(
    args: argparse.Namespace,
    db: str,
    pool: int,
    client: aiohttp.ClientSession,
    echo: Server,
    workdir: Path,
    connector_url: str,
) -> list[Row]:
    users_levels = args.users
    most = max(users_levels)
    total = 1 + sum(args.rounds * per_user_iterations(u, args.samples) for u in users_levels)
    people = cast(most, candidates_each=-(-total // CONFIRMS_PER_CANDIDATE))
    directory = workdir / "directory.json"
    directory.write_text(json.dumps(directory_file(people)))
    rows: list[Row] = []
    async with database(db, args.postgres, workdir) as url:
        started = time.monotonic()
        await seed_pool(url, pool)
        print(f"  seeded {pool:,} people in {time.monotonic() - started:.1f} s", flush=True)
        engine = create_engine(url)
        async with klussenbank(url, directory, workdir, client) as bot, _disposing(engine):
            bench = Bench(Client(client, connector_url), bot, echo, engine, args.kinds)
            await bench.warm_up(people)
            for users in users_levels:
                per_user = per_user_iterations(users, args.samples)
                phases = {"bot": Phase(), "echo": Phase()}
                for round_ in range(args.rounds):
                    bench.posted = {i: [] for i in range(users)}
                    order = ("bot", "echo") if round_ % 2 == 0 else ("echo", "bot")
                    for kind in args.kinds:
                        await bench.prepare(kind)
                        for target in order:
                            await run_phase(bench, target, kind, people[:users], per_user, phases[target])
                rows += _report(db, pool, users, phases)
            in_db = await _count_approved(engine)
            rss, peak = bot.memory_mb()
            print(f"  klussenbank serve: RSS {rss:.0f} MB now, {peak:.0f} MB peak; approvals done {in_db}")
            if in_db < bench.approved:
                raise TurnFailed(f"{bench.approved} approvals pressed, {in_db} approved in the database")
    return rows


@contextlib.asynccontextmanager
async def _disposing(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    try:
        yield engine
    finally:
        await engine.dispose()


async def _count_approved(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(func.count()).select_from(ApprovalRow).where(ApprovalRow.status == "approved")
        )
    return int(found or 0)


def _report(db: str, pool: int, users: int, phases: dict[str, Phase]) -> list[Row]:
    bot, echo = phases["bot"], phases["echo"]
    rows = [
        Row(
            db,
            pool,
            users,
            kind,
            _ms(bot.timings[kind]),
            _ms(echo.timings[kind]),
            len(bot.timings[kind]),
            (bot.cpu[kind] * 1000 / len(bot.timings[kind]), echo.cpu[kind] * 1000 / len(echo.timings[kind])),
        )
        for kind in phases["bot"].timings
    ]
    print(f"\n  {users} concurrent user(s), {rows[0].samples} turns of each kind per bot:")
    print(
        f"  {'turn':<12}{'Klussenbank p50/p99':>21}{'echo p50/p99':>16}{'ratio p50/p99':>16}"
        f"{'CPU/turn bot, echo':>22}"
    )
    for row in rows:
        print(
            f"  {row.kind:<12}{row.bot[0]:>9.1f} /{row.bot[1]:>7.1f} ms{row.echo[0]:>7.1f} /{row.echo[1]:>6.1f} ms"
            f"{row.ratio[0]:>7.1f}× /{row.ratio[1]:>5.1f}×{row.cpu[0]:>10.2f}, {row.cpu[1]:.2f} ms"
        )
    bot_cpu = sum(bot.cpu.values()) / sum(map(len, bot.timings.values()))
    echo_cpu = sum(echo.cpu.values()) / sum(map(len, echo.timings.values()))
    print(
        f"  CPU per turn, all kinds: Klussenbank {bot_cpu * 1000:.2f} ms, echo bot {echo_cpu * 1000:.2f} ms "
        f"({bot_cpu / echo_cpu:.1f}×)",
        flush=True,
    )
    return rows


def table(rows: Sequence[Row], kinds: Sequence[str] = KINDS) -> str:
    """The README's table."""
    head = (
        "| database | pool | users | turn | Klussenbank p50 / p99 | echo bot p50 / p99 | ratio p50 / p99 "
        "| CPU per turn (echo) |"
    )
    rule = "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
    lines = [
        f"| {r.db} | {r.pool:,} | {r.users} | {r.kind} | {r.bot[0]:.1f} / {r.bot[1]:.1f} ms "
        f"| {r.echo[0]:.1f} / {r.echo[1]:.1f} ms | {r.ratio[0]:.1f}× / {r.ratio[1]:.1f}× "
        f"| {r.cpu[0]:.1f} ms ({r.cpu[1]:.1f}) |"
        for r in rows
        if r.kind in kinds
    ]
    return "\n".join([head, rule, *lines])


def _kinds(text: str) -> tuple[str, ...]:
    return with_prerequisites([part.strip() for part in text.split(",") if part.strip()])


def _numbers(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.turns", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", default="sqlite,postgresql", help="sqlite, postgresql or both (comma-separated)"
    )
    parser.add_argument(
        "--pools", type=_numbers, default=[1_000, 10_000, 100_000], help="pool sizes, e.g. 1000,10000"
    )
    parser.add_argument("--users", type=_numbers, default=[1, 10, 50], help="concurrent users, e.g. 1,10,50")
    parser.add_argument(
        "--kinds",
        type=_kinds,
        default=KINDS,
        help=f"turn kinds, e.g. help,profile (a step of the klus flow brings the steps before it): {','.join(KINDS)}",
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per user count")
    parser.add_argument(
        "--samples", type=int, default=20, help="turns of each kind per bot and round (at least one per user)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("KLUSSENBANK_TEST_POSTGRES_URL"),
        help="an admin URL; each setting creates and drops its own database there",
    )
    return parser


async def _main(args: argparse.Namespace) -> int:
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if not args.postgres and "postgresql" in kinds:
        print("(no --postgres URL and no KLUSSENBANK_TEST_POSTGRES_URL: PostgreSQL skipped)")
        kinds.remove("postgresql")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
        workdir = Path(tmp)
        timeout = aiohttp.ClientTimeout(total=120)
        async with (
            aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as client,
            fake_connector(workdir, limits=False) as connector,
            echo_bot(workdir) as echo,
        ):
            for kind in kinds:
                for pool in args.pools:
                    print(
                        f"\n== {kind}, pool of {pool:,} people, users {args.users}, {args.rounds} rounds",
                        flush=True,
                    )
                    try:
                        rows += await run_setting(args, kind, pool, client, echo, workdir, connector.url)
                    except RunFailed as failed:
                        print(f"  !!! RUN FAILED: {failed}", flush=True)
                        return 1
            rss, peak = echo.memory_mb()
            print(f"\necho bot: RSS {rss:.0f} MB now, {peak:.0f} MB peak")
    print("\n" + table(rows))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return asyncio.run(_main(_parser().parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
