"""Product matching benchmark: posting a klus and opening its candidates card, on PostgreSQL, with
1,000, 10,000 and 100,000 people in the pool.

Run: ``.venv/bin/python -m bench.product_matching [--database-url URL] [--sizes 1000 10000 100000]
[--rounds 40]`` (the URL defaults to ``KLUSSENBANK_TEST_POSTGRES_URL``; the database is migrated and
EMPTIED first).

For each size the pool of ``bench.matching`` (the real vocabulary, fixed seed) is written straight into
the database with ``COPY`` (people, profiles, skills, organisations). Then a fresh process (so that its
memory is the product's alone) builds the services as ``klussenbank serve`` does and drives them as the
dialogs do, one user: ``PostingService.post`` (the klus is saved and the people who fit it best are
told through the outbox) and ``ChoosingService.candidates`` (the poster's candidates card), ``--rounds``
times, each round after someone else saved their profile (so the index catches up on a change every
turn). The first turn, which loads the pool into the index, is printed apart. Printed: p50 and p95 of
posting, of the card and of both together, the serving process's CPU time for both, the ratio of each size's p95 to the first size's, measured in
the same run, and the serving process's RSS (now and peak). Timing is printed, never judged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bench.matching import ORGANISATIONS, make_people
from klussenbank.config import load_settings
from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.klus import KlusDraft, Visibility
from klussenbank.domain.people import AvailabilityStatus, WorkMode
from klussenbank.services.approval_routing import ApprovalRouter
from klussenbank.services.choosing import ChoosingService
from klussenbank.services.ports.records import Actor
from klussenbank.services.posting import PostingService
from klussenbank.services.views import CandidatesView, KlusView
from klussenbank.store.db import create_engine
from klussenbank.store.migrate import upgrade
from klussenbank.wiring import Parts, approval_router, marketplace

TENANT = "00000000-0000-0000-0000-00000000b001"
TARGET_P95 = 0.150  # seconds, posting and the card together, 100,000 people
TARGET_RATIO = 1.5  # 100,000 people against 1,000
TARGET_RSS = 400  # MB


# -- seeding -------------------------------------------------------------------------------------------


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def seed(url: str, count: int) -> float:
    """An empty database with `count` people of the synthetic pool; the seconds it took."""
    started = time.perf_counter()
    await asyncio.to_thread(upgrade, url)
    vocabulary = load_skill_vocabulary()
    people = make_people(random.Random(7), vocabulary, count)
    now = datetime.now(UTC)
    connection = await asyncpg.connect(_dsn(url))
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        await connection.execute(
            f"TRUNCATE {', '.join(row['tablename'] for row in tables)} RESTART IDENTITY CASCADE"
        )
        await connection.copy_records_to_table(
            "organisations",
            records=[(n, key, key.title(), now) for n, key in enumerate(ORGANISATIONS, start=1)],
            columns=["id", "key", "name", "created_at"],
        )
        org_id = {key: n for n, key in enumerate(ORGANISATIONS, start=1)}
        await connection.copy_records_to_table(
            "people",
            records=[
                (n, p.person_id, TENANT, f"Mens {n}", f"mens{n}@example.org", org_id[p.organisation_key], "nl-NL", now, now)
                for n, p in enumerate(people, start=1)
            ],
            columns=["id", "aad_object_id", "tenant_id", "name", "email", "organisation_id", "locale", "created_at", "updated_at"],
        )  # fmt: skip
        await connection.copy_records_to_table(
            "availability_profiles",
            records=[
                (
                    n,
                    a.hours_per_week,
                    a.start_date,
                    a.end_date,
                    json.dumps(list(a.weekdays)),
                    a.work_mode.value,
                    "",
                    a.status.value,
                    a.paused_until,
                    n % 5 != 0,  # a fifth turned suggestions off
                    False,
                    now,
                    now,
                )
                for n, a in ((n, p.availability) for n, p in enumerate(people, start=1))
            ],
            columns=["person_id", "hours_per_week", "start_date", "end_date", "weekdays", "work_mode", "intro", "status", "paused_until", "suggestions", "visible_to_own_line", "created_at", "updated_at"],
        )  # fmt: skip
        await connection.copy_records_to_table(
            "availability_skills",
            records=[
                (n, position, skill, known)
                for n, p in enumerate(people, start=1)
                for position, (skill, known) in enumerate(
                    [(s, True) for s in p.availability.skills]
                    + [(s, False) for s in p.availability.free_skills]
                )
            ],
            columns=["person_id", "position", "skill", "from_vocabulary"],
        )
        await connection.copy_records_to_table(
            "availability_organisations",
            records=[
                (n, org_id[key])
                for n, p in enumerate(people, start=1)
                for key in p.availability.organisations
            ],
            columns=["person_id", "organisation_id"],
        )
        for table in ("organisations", "people"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return time.perf_counter() - started


# -- the serving process -------------------------------------------------------------------------------


def _draft(rng: random.Random, skills: list[str], today: Any, organisation: str) -> KlusDraft:
    required = rng.sample(skills, rng.choice((1, 2, 2, 3, 3, 4)))
    mode = rng.choice((WorkMode.ON_SITE, WorkMode.HYBRID, WorkMode.REMOTE))
    start = today + timedelta(days=rng.randint(3, 40))
    return KlusDraft(
        title=f"Klus {rng.randint(1, 10**6)}",
        description="Een klus voor de benchmark.",
        organisation=organisation,
        required_skills=tuple(required),
        nice_skills=tuple(s for s in rng.sample(skills, 2) if s not in required),
        hours_per_week=rng.choice((4, 8, 8, 16, 24)),
        start_date=start,
        end_date=start + timedelta(days=rng.randint(14, 120)),
        work_mode=mode,
        place="" if mode is WorkMode.REMOTE else organisation.title(),
        people_needed=1,
        interest_deadline=start - timedelta(days=1),
        visibility=Visibility.POOL,
        internal_first_until=today + timedelta(days=14),
    )


def _rss() -> tuple[float, float]:
    """This process's resident set size now and at its peak, in MB."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def serve(url: str, rounds: int) -> dict[str, Any]:
    """As one `serve` process: the services wired as `wiring.py` wires them, driven as the dialogs do."""
    engine = create_engine(url)
    try:
        parts = Parts.load(load_settings({"DATABASE_URL": url}, dotenv=False), engine)
        market = marketplace(parts)
        router: ApprovalRouter = approval_router(parts)
        posting = PostingService(parts.uow, market=market, approvals=router)
        choosing = ChoosingService(parts.uow, market=market, directory=parts.directory)
        rng = random.Random(3)
        async with parts.uow() as uow:
            members, _ = await uow.pool.page(0, 200)
        poster = next(m for m in members if m.availability.status is AvailabilityStatus.ACTIVE)
        changing = [m for m in members if m is not poster]
        actor = Actor(poster.person.aad_object_id, TENANT, poster.person.name, "nl-NL")
        skills = [s.id for s in parts.vocabulary]
        today = parts.clock.today()

        async def turn() -> tuple[float, float, int]:
            draft = _draft(rng, skills, today, poster.person.organisation_key)
            cpu = time.process_time()
            started = time.perf_counter()
            view = await posting.post(actor, draft)
            posted = time.perf_counter()
            assert isinstance(view, KlusView), view
            card = await choosing.candidates(actor, view.id)
            assert isinstance(card, CandidatesView), card
            cpus.append(time.process_time() - cpu)
            return posted - started, time.perf_counter() - posted, len(card.candidates)

        cpus: list[float] = []
        first_post, first_card, _ = await turn()
        posts: list[float] = []
        cards: list[float] = []
        shown: list[int] = []
        for n in range(rounds):
            # Someone else changes their profile: the next turn's index catches up on it.
            other = changing[n % len(changing)]
            async with parts.uow() as uow:
                hours = other.availability.hours_per_week % 32 + 1
                await uow.availability.save(
                    other.person.aad_object_id,
                    type(other.availability)(**{**other.availability.__dict__, "hours_per_week": hours}),
                    now=parts.clock.now(),
                )
                await uow.commit()
            post, card, count = await turn()
            posts.append(post)
            cards.append(card)
            shown.append(count)
        rss, peak = _rss()
        return {
            "first": first_post + first_card,
            "posts": posts,
            "cards": cards,
            "both": [p + c for p, c in zip(posts, cards, strict=True)],
            "shown": statistics.mean(shown),
            "cpu": cpus[1:],
            "rss": rss,
            "peak": peak,
        }
    finally:
        await engine.dispose()


# -- the run -------------------------------------------------------------------------------------------


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def run(url: str, sizes: list[int], rounds: int) -> int:
    print(f"product matching benchmark: posting + candidates card, PostgreSQL, {rounds} rounds per size")
    load = os.getloadavg()
    print(f"  load average (1/5/15 min) {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        seconds = asyncio.run(seed(url, size))
        worker = subprocess.run(
            [sys.executable, "-m", "bench.product_matching", "--serve", "--database-url", url, "--rounds", str(rounds)],
            check=True,
            capture_output=True,
            text=True,
        )  # fmt: skip
        result = json.loads(worker.stdout.strip().splitlines()[-1])
        results[size] = result
        print(
            f"\n  {size:>7,} people (seeded in {seconds:.1f} s); first turn, loading the pool into the index: "
            f"{result['first']:.2f} s; {result['shown']:.1f} people on the card"
        )
        for name, key in (("post a klus", "posts"), ("candidates card", "cards"), ("both", "both")):
            values = result[key]
            print(f"    {name:<16} p50 {_ms(statistics.median(values))}   p95 {_ms(_p(values, 0.95))}")
        cpu = result["cpu"]
        print(
            f"    CPU of the serving process for both: p50 {_ms(statistics.median(cpu))}   p95 {_ms(_p(cpu, 0.95))}"
        )
        print(f"    RSS of the serving process: {result['rss']:.0f} MB now, {result['peak']:.0f} MB peak")
    first, last = sizes[0], sizes[-1]
    p95_first, p95_last = _p(results[first]["both"], 0.95), _p(results[last]["both"], 0.95)
    cpu_first, cpu_last = (statistics.median(results[size]["cpu"]) for size in (first, last))
    print(
        f"\n  p95 of both at {last:,}: {p95_last * 1000:.1f} ms (/ target {TARGET_P95 * 1000:.0f} ms = "
        f"{p95_last / TARGET_P95:.2f}); {last:,} / {first:,}: {p95_last / p95_first:.2f} "
        f"(target ≤ {TARGET_RATIO}); RSS {results[last]['rss']:.0f} MB (/ target {TARGET_RSS} MB = "
        f"{results[last]['rss'] / TARGET_RSS:.2f})"
    )
    print(
        f"  CPU of the serving process per post + card, p50: {cpu_first * 1000:.1f} ms at {first:,}, "
        f"{cpu_last * 1000:.1f} ms at {last:,} ({cpu_last / cpu_first:.2f}; wall time follows the machine's load)"
    )
    load = os.getloadavg()
    print(f"  load average (1/5/15 min) {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.product_matching", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--database-url", default=os.environ.get("KLUSSENBANK_TEST_POSTGRES_URL", ""))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("a PostgreSQL --database-url (or KLUSSENBANK_TEST_POSTGRES_URL) is needed")
    if args.serve:
        print(json.dumps(asyncio.run(serve(args.database_url, args.rounds))))
        return 0
    return run(args.database_url, args.sizes, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
