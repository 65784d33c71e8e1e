"""Shared fixtures: a real database per test (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from klussenbank.data import load_skill_vocabulary
from klussenbank.dialogs.turn import Services
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.people import WorkMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.migrate import upgrade
from klussenbank.store.orm.base import Base
from klussenbank.store.uow import sql_unit_of_work

POSTGRES_URL = os.environ.get("KLUSSENBANK_TEST_POSTGRES_URL", "")
TODAY = date(2026, 11, 23)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n` (`make test`): the Playground tests share one bot port, one Playground and one
    Chromium, so they run one after another on one worker (`--dist loadgroup`) beside the rest."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.xdist_group("e2e"))


@dataclass
class FixedClock:
    """A clock the test controls."""

    current: date = TODAY

    def now(self) -> datetime:
        return datetime.combine(self.current, time(9, 0), tzinfo=UTC)

    def today(self) -> date:
        return self.current


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(scope="session")
def vocabulary() -> SkillVocabulary:
    return load_skill_vocabulary()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


async def _admin(sql: str) -> None:
    engine = create_async_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("KLUSSENBANK_TEST_POSTGRES_URL is not set")
    name = f"klussenbank_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    # Commits do not wait for the WAL to reach the disk: halves a commit on a busy machine. Only a
    # crash of PostgreSQL itself could lose them, which no test does; atomicity and locks are as ever.
    asyncio.run(_admin(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# SQLite test databases live in memory (tmpfs) where there is one: a commit's fsync costs nothing
# there, and durability is not what these tests are about.
IN_MEMORY = Path("/dev/shm")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        folder = Path(tempfile.mkdtemp(dir=IN_MEMORY)) if IN_MEMORY.is_dir() else tmp_path
        path = folder / "klussenbank.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        try:
            yield f"sqlite+aiosqlite:///{path}"
        finally:
            if folder != tmp_path:
                shutil.rmtree(folder, ignore_errors=True)
        return
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(empty_database(url))
    yield url


async def empty_database(url: str) -> None:
    """The session's PostgreSQL database as migrated: every table emptied and every sequence back at
    1, in one round trip. DELETE, children first, rather than TRUNCATE: a test leaves a few rows in a
    few tables, and TRUNCATE of every table makes new files for all of them (about a second per test
    on a busy CI machine). Tests reuse this database rather than make their own: dropping a database
    makes PostgreSQL write a checkpoint (seconds, on a machine doing other work)."""
    tables = ", ".join(f"'{table.name}'" for table in reversed(Base.metadata.sorted_tables))
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "DO $$ DECLARE name text; BEGIN "
                    f"FOREACH name IN ARRAY ARRAY[{tables}] LOOP EXECUTE format('DELETE FROM %I', name); "
                    "END LOOP; "
                    "PERFORM setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = 'public'; END $$"
                )
            )
    finally:
        await engine.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    return sql_unit_of_work(session_factory(engine))


def good_draft(**changes: Any) -> AvailabilityDraft:
    base = AvailabilityDraft(
        skills=("minute-taking", "data-entry"),
        skills_other="gebarentaal, notulist, imkeren",
        hours_per_week=12,
        start_date=TODAY + timedelta(days=7),
        end_date=TODAY + timedelta(days=120),
        weekdays=("thu", "mon"),
        organisations=("harderwijk", "ermelo"),
        work_mode=WorkMode.REMOTE,
        intro="Ik notuleer graag en ken gebarentaal.",
    )
    return dataclasses.replace(base, **changes)


def concurrent_transactions(database_url: str) -> None:
    """Skip unless the database runs transactions side by side (PostgreSQL; SQLite has one writer)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent transactions: PostgreSQL (SQLite has one writer at a time)")


def no_services() -> Services:
    """For tests that never reach a use case (token checks)."""
    services: dict[str, Any] = dict.fromkeys(field.name for field in dataclasses.fields(Services))
    return Services(**services)


@contextlib.contextmanager
def statements(engine: AsyncEngine, *, writes_only: bool = False) -> Iterator[list[str]]:
    """The statements sent to the database inside the block (only those that change something)."""
    found: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not writes_only or statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            found.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield found
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)


def writes(engine: AsyncEngine) -> contextlib.AbstractContextManager[list[str]]:
    """The statements that change something, sent to the database inside the block."""
    return statements(engine, writes_only=True)
